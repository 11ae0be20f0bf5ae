"""Calls to the sandbox's own ``/_sandbox`` routes (demos and tests only).

These routes exist only on the sandbox; nothing here is ever sent to the
real platform. They run on worker threads.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

logger = logging.getLogger(__name__)

_TIMEOUT = (2.0, 5.0)


def read_sandbox_otp(base_url: str, country_code: str, phone: str) -> str | None:
    """The code the sandbox "texted" to ``phone``, or None."""
    import requests

    try:
        reply = requests.get(
            f"{base_url}/_sandbox/otp",
            params={"phone_number": phone, "countryCode": country_code},
            timeout=_TIMEOUT,
        )
        if reply.status_code != 200:
            return None
        data: Any = reply.json()
    except (requests.RequestException, ValueError) as error:
        logger.debug("reading the sandbox SMS failed (%s)", type(error).__name__)
        return None
    code = data.get("otp") if isinstance(data, dict) else None
    return str(code) if code is not None else None


def end_tournament(base_url: str, tournament_id: str) -> bool:
    """Ask the sandbox to end ``tournament_id`` now (grants its rewards)."""
    import requests

    try:
        reply = requests.post(
            f"{base_url}/_sandbox/tournaments/{quote(tournament_id, safe='')}/_end",
            timeout=_TIMEOUT,
        )
    except requests.RequestException as error:
        logger.warning("ending a sandbox tournament failed (%s)", type(error).__name__)
        return False
    return reply.status_code < 300
