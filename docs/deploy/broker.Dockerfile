# kgen-broker: the KGeN session broker (see docs/broker.md).
#   docker build -f docs/deploy/broker.Dockerfile -t kgen-broker .
# Configure with KGEN_BROKER_* variables; give secrets as *_FILE paths to mounted files.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /src
COPY pyproject.toml README.md ./
COPY kgen_pygame ./kgen_pygame
RUN pip install '.[broker]' && rm -rf /src

RUN useradd --system --uid 10001 --home-dir /nonexistent --shell /usr/sbin/nologin broker
USER broker
WORKDIR /

ENV KGEN_BROKER_HOST=0.0.0.0 \
    KGEN_BROKER_PORT=8790
EXPOSE 8790

HEALTHCHECK --interval=15s --timeout=3s --start-period=5s --retries=3 \
  CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8790/healthz', timeout=2).status != 200)"]

# SIGTERM stops it cleanly (running requests finish, exit status 0).
ENTRYPOINT ["kgen-broker"]
