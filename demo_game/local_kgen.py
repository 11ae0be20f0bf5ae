"""``python -m demo_game --broker``: KGeN the way a shipped game meets it, all on this machine.

Two services start on loopback, as threads of this process, before the game:

- a **KGeN sandbox** (the platform's stand-in), told a client secret made at random for this run;
- a **kgen-broker** in front of it (what the game developer deploys, docs/broker.md): the only
  one the sandbox tells that secret to. It runs under its real WSGI server (waitress).

With the secret, the game's achievements (demo_game/achievements.toml) are registered on the
sandbox first, by kgen-events' library function, and their ids handed to the game.

The game is then given ``base_url`` (the sandbox) and ``broker_url`` only: ``KGen`` holds no
client secret, and the broker mints each session from the player's device key (kept in the
plugin's credential store), so the player is who that key says.

The plugin reads the sandbox's one-time codes only from a sandbox it started itself (it shows
the SANDBOX tag for this one, which marks its answers, but does not ask it for texts). The demo
owns this sandbox, so it shows the "SMS" itself: while the KGeN overlay is open,
:class:`SmsWatcher` asks the sandbox (``GET /_sandbox/sms?gamer_id=``) on a background thread
for the newest code sent for the player.

Like the sandbox demo helper in kgen_integration.py this is NOT part of an integration: a real
game points ``base_url`` at the platform and ``broker_url`` at the developer's broker.
"""

from __future__ import annotations

import logging
import os
import secrets
import threading
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kgen_pygame.broker import BrokerServer
    from kgen_pygame.sandbox import SandboxServer

log = logging.getLogger(__name__)

#: Set to 1 for the same as ``--broker``.
BROKER_VARIABLE = "COMET_CATCHER_BROKER"
SANDBOX_DB = "sandbox.sqlite3"
#: The local broker's own key, kept beside the sandbox's store (both are the server side of
#: this demo), so the player stays the same player from one run to the next.
BROKER_KEY_FILE = "local-broker.key"
POLL_S = 0.4
_TIMEOUT = (2.0, 5.0)


class LocalServicesError(RuntimeError):
    """The local sandbox or broker could not start (the message says which and why)."""


@dataclass(frozen=True, slots=True)
class Sms:
    """One "SMS" the sandbox sent: the masked number and the code."""

    phone: str
    code: str


class LocalKGeN:
    """The sandbox and the broker of ``--broker``: start, read their URLs, stop."""

    def __init__(self, data_dir: Path, api: str) -> None:
        self.data_dir = data_dir
        self.api = api
        self._sandbox: SandboxServer | None = None
        self._broker: BrokerServer | None = None
        #: eventType -> eventID of the achievements registered on the sandbox (for KGenLink).
        self.achievement_ids: dict[str, str] = {}

    @property
    def base_url(self) -> str:
        """The platform the game talks to (the sandbox)."""
        if self._sandbox is None:
            raise LocalServicesError("the local sandbox is not running")
        return self._sandbox.url

    @property
    def broker_url(self) -> str:
        """Where the game gets its sessions (the broker)."""
        if self._broker is None:
            raise LocalServicesError("the local broker is not running")
        return self._broker.url

    def start(self) -> LocalKGeN:
        """Start the sandbox, then the broker in front of it; returns self."""
        try:
            from kgen_pygame.broker import BrokerConfig, BrokerServer
            from kgen_pygame.sandbox import DEFAULT_CLIENT_ID, SandboxConfig, SandboxServer
        except ImportError as exc:
            raise LocalServicesError(
                f"--broker needs the sandbox and the broker ({exc}); install "
                "kgen-pygame[broker]") from None
        secret = secrets.token_urlsafe(32)  # told to the sandbox and the broker, never the game
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            sandbox = SandboxServer(SandboxConfig(db_path=self.data_dir / SANDBOX_DB,
                                                  client_id=DEFAULT_CLIENT_ID,
                                                  client_secret=secret))
            sandbox.start()
            self._sandbox = sandbox
            self._register_achievements(sandbox.url, DEFAULT_CLIENT_ID, secret)
            broker = BrokerServer(BrokerConfig(
                platform_url=sandbox.url, client_id=DEFAULT_CLIENT_ID, client_secret=secret,
                broker_key=self._broker_key(), api=self.api, port=0, threads=4,
                log_level="WARNING"))
            broker.start()
            self._broker = broker
        except Exception as exc:
            self.stop()
            raise LocalServicesError(
                f"the local KGeN services did not start ({type(exc).__name__}: {exc})") from None
        log.info("local sandbox on %s, broker on %s", self.base_url, self.broker_url)
        return self

    def stop(self) -> None:
        """Stop the broker, then the sandbox (idempotent)."""
        broker, self._broker = self._broker, None
        if broker is not None:
            broker.stop()
        sandbox, self._sandbox = self._sandbox, None
        if sandbox is not None:
            sandbox.stop()

    def _register_achievements(self, url: str, client_id: str, secret: str) -> None:
        """The game's achievements on the sandbox, as `kgen-events apply` would register them
        (the game, holding no secret, cannot: the broker's side of the demo does it)."""
        from demo_game.achievements import register_achievements

        self.achievement_ids, problem = register_achievements(url, client_id, secret)
        if problem is not None:
            log.warning("%s", problem)

    def _broker_key(self) -> bytes:
        path = self.data_dir / BROKER_KEY_FILE
        try:
            key = path.read_bytes().strip()
            if len(key) >= 48:
                return key
        except FileNotFoundError:
            pass
        key = secrets.token_urlsafe(48).encode("ascii")
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as file:
            file.write(key)
        return key


class SmsWatcher:
    """Asks the sandbox for the newest "SMS" of the player, on a background thread.

    The game thread sets :attr:`gamer_id` and :attr:`active` (the KGeN overlay is open: only
    there can a code be asked for) and takes what arrived with :meth:`take`; the thread never
    touches the game. Codes sent before the watcher first looked are not shown again.
    """

    def __init__(self, sandbox_url: str) -> None:
        self.sandbox_url = sandbox_url
        self.gamer_id = ""
        self.active = False
        self._arrived: deque[Sms] = deque()
        self._seen: dict[str, tuple[str, str] | None] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="comet-sms", daemon=True)
        self._thread.start()

    def take(self) -> list[Sms]:
        """What arrived since the last call (game thread)."""
        arrived = []
        while self._arrived:
            arrived.append(self._arrived.popleft())
        return arrived

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)

    def _run(self) -> None:
        import requests

        session = requests.Session()
        while not self._stop.wait(POLL_S):
            gamer_id = self.gamer_id
            if not gamer_id or (not self.active and gamer_id in self._seen):
                continue
            try:
                reply = session.get(f"{self.sandbox_url}/_sandbox/sms",
                                    params={"gamer_id": gamer_id}, timeout=_TIMEOUT)
                body: Any = reply.json() if reply.status_code == 200 else None
            except (requests.RequestException, ValueError) as exc:
                log.debug("reading the sandbox SMS failed (%s)", type(exc).__name__)
                continue
            self._note(gamer_id, body if isinstance(body, dict) else None)
        session.close()

    def _note(self, gamer_id: str, body: dict[str, Any] | None) -> None:
        latest = (str(body.get("authCode")), str(body.get("otp"))) if body else None
        if gamer_id not in self._seen:  # the first look: what was sent before is not news
            self._seen[gamer_id] = latest
            return
        if latest == self._seen[gamer_id]:
            return
        self._seen[gamer_id] = latest
        if body is None or body.get("status") != "ACTIVE":
            return
        from kgen_pygame.runtime.state import masked_number

        phone = masked_number(str(body.get("countryCode", "")), str(body.get("phone_number", "")))
        self._arrived.append(Sms(phone, str(body.get("otp"))))
