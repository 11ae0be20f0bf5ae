"""Every KGeN call Comet Catcher makes - the lines a game developer copies into their own game.

The whole integration is:

    kgen = KGen(game_id="comet-catcher")                   # after pygame.init()
    for event in pygame.event.get():
        if kgen.handle_event(event):                       # first: an open overlay may eat it
            continue
        if event.type == kgen_pygame.events.OVERLAY_OPENED:
            ...pause, hide the game's own menus (kgen.overlay_open says so meanwhile)...
        ...the game's own event handling...
    kgen.update(dt)                                        # once per frame
    ...draw the game...
    kgen.draw(screen)                                      # last, on top of the game
    kgen.track_score(score, tournament_id=...)             # whenever the score matters
    kgen.reward_event(event_id)                            # the player reached an achievement
    kgen.close()                                           # on exit

The demo's flags add a few keywords: ``api=`` (--api, KGEN_API), ``data_dir=`` with
``gamer_id=`` for a fresh run (--fresh), and ``base_url=`` with ``broker_url=`` through a
session broker (--broker: the game then carries no client secret, see demo_game/local_kgen.py);
without them the plugin's defaults apply.

The rest of this file adapts that to the demo: scores and match events for each round,
tournament options for the choice screen (join pays the buy-in), opening the KGeN panels, and
the plugin's pygame events (what the player reads is worded in kgen_text.py). A guard turns
any plugin error into a log line, so KGeN can never crash the game. When the plugin is not
installed (or --no-kgen switches it off) every method is a no-op and the game plays in
practice mode.

At the end, a clearly separated "sandbox demo helper" is NOT part of an integration: the
scripted demo (``--script full-flow``) uses it to make the local sandbox do now what the
platform does on its own schedule (end a tournament). It only ever talks to a sandbox.
"""

from __future__ import annotations

import contextlib
import json
import logging
import threading
from collections.abc import Callable, Iterator, Mapping
from decimal import ROUND_CEILING, Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pygame

from demo_game.config import GAME_ID
from demo_game.kgen_text import (
    PRACTICE_TITLE,
    Notice,
    TournamentOption,
    describe_tournament,
    join_error_text,
    notice_from,
)
from demo_game.local_kgen import SmsWatcher

log = logging.getLogger(__name__)

try:
    from kgen_pygame import KGen  # the plugin's single entry point
    from kgen_pygame import events as kgen_events  # pygame event types the plugin posts

    PLUGIN_PROBLEM: str | None = None
except Exception as exc:  # not installed, or a build without the facade: play without KGeN
    PLUGIN_PROBLEM = f"kgen_pygame.KGen is not available ({type(exc).__name__}: {exc})"

JoinCallback = Callable[[bool, str], None]


class KGenLink:
    """The demo's connection to KGeN; a harmless no-op when KGeN is unavailable."""

    def __init__(self, *, enabled: bool = True, api: str | None = None,
                 data_dir: Path | None = None, gamer_id: str | None = None,
                 base_url: str | None = None, broker_url: str | None = None,
                 sms: SmsWatcher | None = None,
                 achievement_ids: Mapping[str, str] | None = None) -> None:
        """`api`: the API generation (None: the plugin's default, or KGEN_API); `data_dir` and
        `gamer_id`: where KGeN keeps this player and who it is (None: the plugin's defaults,
        KGEN_DATA_DIR and the id it made on the first launch). `base_url` and `broker_url`:
        the platform and the session broker (None: KGEN_BASE_URL, else the embedded sandbox);
        `sms`: where to read the sandbox's texts when the plugin does not (--broker);
        `achievement_ids`: eventType -> the platform's eventID of each achievement (None: the
        sandbox demo helper registers demo_game/achievements.toml on a local sandbox)."""
        self._kgen: KGen | None = None
        self._sms = sms
        self._notices: list[Notice] = []
        #: True when sessions come from a session broker (the game holds no client secret).
        self.via_broker = broker_url is not None
        self.events_tracked = 0
        #: Every KGeN panel the player saw on top of the overlay, in order of first visit.
        self.panels_visited: list[str] = []
        self.problem: str | None = None
        self._event_names: dict[int, str] = {}
        self._sandbox_jobs: list[SandboxJob] = []
        #: eventType -> eventID of the achievements the platform knows (see reward_achievement).
        self.achievement_ids: dict[str, str] = dict(achievement_ids or {})
        self._achievements_asked = False
        #: The achievements handed to KGeN in this run (eventTypes, in order).
        self.achievements_rewarded: list[str] = []
        if not enabled:
            self.problem = "switched off (--no-kgen)"
        elif PLUGIN_PROBLEM is not None:
            self.problem = PLUGIN_PROBLEM
        else:
            try:
                # Starts the embedded sandbox when KGEN_BASE_URL is not set; never blocks on
                # the network (the session is bootstrapped on the plugin's worker thread).
                self._kgen = KGen(game_id=GAME_ID, gamer_id=gamer_id, api=api,
                                  data_dir=data_dir, base_url=base_url, broker_url=broker_url)
                self._event_names = _plugin_event_names()
            except Exception as exc:
                self.problem = f"KGen() failed ({type(exc).__name__}: {exc})"
        if self.problem:
            log.warning("KGeN: %s - the game runs without KGeN (practice only)", self.problem)
        else:
            log.info("KGeN: plugin started")

    @property
    def plugin(self) -> KGen | None:
        """The KGen object itself (for tests and tools; the game goes through this class)."""
        return self._kgen

    @property
    def available(self) -> bool:
        """True when the plugin is running (the session may still be connecting)."""
        return self._kgen is not None

    @contextlib.contextmanager
    def _guard(self, what: str) -> Iterator[None]:
        """Plugin errors become one log line: KGeN must never take the game down."""
        try:
            yield
        except Exception as exc:
            log.warning("KGeN: %s failed: %s: %s", what, type(exc).__name__, exc)

    # -- the game loop: three calls ------------------------------------------------------------

    def handle_event(self, event: pygame.event.Event) -> bool:
        """Offer `event` to the plugin first; True means an open overlay consumed it."""
        if self._kgen is None:
            return False
        with self._guard("handle_event"):
            return bool(self._kgen.handle_event(event))
        return False

    def update(self, dt: float) -> None:
        """Run plugin callbacks and overlay animations (call once per frame)."""
        if self._kgen is not None:
            with self._guard("update"):
                self._kgen.update(dt)
            self._note_panel()
            if not self._achievements_asked:
                self._ask_for_achievements()
            if self._sandbox_jobs:
                self._after_sandbox_jobs()
            if self._sms is not None:
                self._read_sms(self._sms)

    def take_notices(self) -> list[Notice]:
        """Notices of the demo's own (the sandbox SMS through the broker), once each."""
        notices, self._notices = self._notices, []
        return notices

    def _read_sms(self, sms: SmsWatcher) -> None:
        sms.gamer_id = self.gamer_id if self.ready else ""
        sms.active = self.overlay_open
        for text in sms.take():
            notice = notice_from("SANDBOX_SMS", {"phone": text.phone, "code": text.code})
            if notice is not None:
                self._notices.append(notice)

    def draw(self, screen: pygame.Surface) -> None:
        """Draw the plugin's HUD badge and overlays on top of the finished game frame."""
        if self._kgen is not None:
            with self._guard("draw"):
                self._kgen.draw(screen)

    def close(self) -> None:
        """Flush what can be flushed in two seconds and stop the plugin (and its sandbox)."""
        if self._kgen is not None:
            with self._guard("close"):
                self._kgen.close(timeout=2.0)
            self._kgen = None
        if self._sms is not None:
            self._sms.stop()
            self._sms = None

    # -- state the game looks at ---------------------------------------------------------------

    @property
    def ready(self) -> bool:
        """A KGeN session exists (tournaments and overlays have data)."""
        if self._kgen is None:
            return False
        with self._guard("ready"):
            return bool(self._kgen.ready)
        return False

    @property
    def overlay_open(self) -> bool:
        if self._kgen is None:
            return False
        with self._guard("overlay_open"):
            return bool(self._kgen.overlay_open)
        return False

    @property
    def should_pause(self) -> bool:
        """The plugin asks the game to freeze gameplay (an overlay is open)."""
        if self._kgen is None:
            return False
        with self._guard("should_pause"):
            return bool(self._kgen.should_pause)
        return False

    @property
    def gamer_id(self) -> str:
        """KGeN's id of this player ("" without the plugin)."""
        if self._kgen is None:
            return ""
        return str(self._kgen.gamer_id)

    @property
    def data_dir(self) -> Path | None:
        """The folder the plugin keeps this player in (None without the plugin)."""
        if self._kgen is None:
            return None
        with self._guard("data_dir"):
            return Path(self._kgen.config.resolved_data_dir())
        return None

    @property
    def status_text(self) -> str:
        if self._kgen is None:
            return "KGeN offline"
        return "KGeN online" if self.ready else "KGeN connecting..."

    @property
    def pending_events(self) -> int:
        """Events stored in the plugin's outbox and not yet acknowledged by the server."""
        if self._kgen is None:
            return 0
        with self._guard("pending_events"):
            return int(self._kgen.pending_events)
        return 0

    @property
    def events_delivered(self) -> int:
        """Events of this run the server has acknowledged (tracked minus still pending)."""
        return max(0, self.events_tracked - self.pending_events)

    # -- scores and game events ----------------------------------------------------------------

    def submit_score(self, score: int, tournament_id: str | None,
                     match_id: str | None = None) -> bool:
        """Record a score. Durable on return: the plugin's outbox delivers it, even later."""
        if self._kgen is None:
            return False
        with self._guard("track_score"):
            self._kgen.track_score(int(score), tournament_id=tournament_id, matchId=match_id)
            self.events_tracked += 1
            return True
        return False

    def _track(self, kind: str, value: Any, **metadata: Any) -> bool:
        if self._kgen is None:
            return False
        with self._guard(f"track {kind}"):
            # Metadata keys are the wire names: tournamentId, matchId, level, ...
            self._kgen.track(kind, value, **metadata)
            self.events_tracked += 1
            return True
        return False

    def round_started(self, match_id: str, tournament_id: str | None) -> bool:
        """matchJoined: a round began."""
        return self._track("matchJoined", [match_id], matchId=match_id,
                           tournamentId=tournament_id)

    def round_finished(self, match_id: str, outcome: str, tournament_id: str | None) -> bool:
        """matchResult: how the round ended ("survived", "destroyed" or "abandoned")."""
        return self._track("matchResult", [outcome], matchId=match_id,
                           tournamentId=tournament_id)

    def reward_achievement(self, event_type: str) -> bool:
        """The player reached the achievement `event_type`: earn its KGeN reward.

        True once handed to the plugin (durable in its outbox, delivered even after a crash,
        with the same idempotency key on every try); False when KGeN cannot take it now (no
        plugin, an API generation without loyalty, or the event id not known yet).
        """
        event_id = self.achievement_ids.get(event_type)
        if self._kgen is None or event_id is None:
            return False
        with self._guard("reward_event"):
            if not self._kgen.supports("loyalty"):
                return False
            self._kgen.reward_event(event_id)
            self.events_tracked += 1
            self.achievements_rewarded.append(event_type)
            return True
        return False

    def level_reached(self, tier: int, match_id: str, tournament_id: str | None) -> bool:
        """levelup: the comets sped up (levels count from 1)."""
        return self._track("levelup", f"speed-{tier + 1}", matchId=match_id,
                           tournamentId=tournament_id, level=tier + 1)

    # -- tournaments ---------------------------------------------------------------------------

    def tournament_options(self) -> list[TournamentOption]:
        """Practice first, then every active tournament the plugin has cached."""
        options = [TournamentOption(None, PRACTICE_TITLE, "No tournament - just for fun")]
        if self._kgen is None:
            return options
        with self._guard("active_tournaments"):
            joined = set(self._kgen.joined_tournament_ids)
            for t in self._kgen.active_tournaments:
                buy_in = t.buy_in if isinstance(t.buy_in, Decimal) else Decimal(0)
                options.append(TournamentOption(
                    str(t.uid), str(t.title) or "Tournament", describe_tournament(t),
                    t.uid in joined,
                    buy_in))
        return options

    def join(self, uid: str, on_done: JoinCallback) -> None:
        """Join a tournament (pays its buy-in); `on_done(ok, message)` runs on the game thread."""
        if self._kgen is None:
            on_done(False, "KGeN is offline")
            return
        if uid in self._kgen.joined_tournament_ids:
            on_done(True, "Already joined")
            return

        def finished(result: object) -> None:
            if not isinstance(result, BaseException):
                on_done(True, "Joined!")
                return
            code = getattr(result, "code", None)
            if code == "EXISTING_PARTICIPATION_FOUND":
                on_done(True, "Already joined")
            else:
                on_done(False, join_error_text(result))

        with self._guard("join_tournament"):
            self._kgen.join_tournament(uid, on_done=finished)
            return
        on_done(False, "Could not join")

    # -- menus ---------------------------------------------------------------------------------

    def open_panel(self, panel: str | None = None, *, tournament_id: str | None = None) -> bool:
        """Open the KGeN overlay (its main menu, or one panel: "rewards", "leaderboard", ...).

        `tournament_id` picks the tournament "leaderboard" shows (e.g. the one just played).
        """
        if self._kgen is None:
            return False
        with self._guard("open_menu"):
            self._kgen.open_menu(panel, tournament_id=tournament_id)
            self._note_panel()
            return True
        return False

    @property
    def overlay_view(self) -> Any:
        """The view on top of the plugin's overlay (a panel or a dialog), or None.

        A read-only peek for the run summary and the scripted demo, which reads it to know
        where it is and to aim its clicks (as the plugin's own tests do); a game never needs
        it. It goes through the plugin's public ``KGen.overlay``; None when that is missing.
        """
        overlay = getattr(self._kgen, "overlay", None)
        return getattr(getattr(overlay, "ui", None), "top", None)

    def _note_panel(self) -> None:
        name = getattr(self.overlay_view, "name", None)
        if isinstance(name, str) and name not in self.panels_visited:
            self.panels_visited.append(name)

    # -- the plugin's pygame events ------------------------------------------------------------

    def notice_for(self, event: pygame.event.Event) -> Notice | None:
        """Translate a plugin event into something to show the player (None for the rest)."""
        name = self._event_names.get(event.type)
        if name is None or name not in NOTICE_EVENTS:
            return None
        return notice_from(name, event.dict)

    def overlay_change(self, event: pygame.event.Event) -> str | None:
        """"opened" or "closed" for the plugin's OVERLAY_OPENED / OVERLAY_CLOSED events."""
        return OVERLAY_EVENTS.get(self._event_names.get(event.type, ""))

    @property
    def api(self) -> str:
        """The API generation the plugin speaks ("" without the plugin)."""
        if self._kgen is None:
            return ""
        return str(self._kgen.config.api)

    # -- sandbox demo helper (NOT part of an integration) ----------------------------------------
    # The scripted demo uses these to make the local KGeN sandbox do now what the platform
    # does on its own schedule. They never block the game: the HTTP call runs on a background
    # thread and the caller polls the returned SandboxJob. They only act when the endpoint is
    # a sandbox: the embedded one (`kgen.endpoint.embedded_sandbox`), or a loopback base URL whose
    # GET /_sandbox/health answers like the sandbox does. Anything else gets no job (None).

    def sandbox_end_tournament(self, uid: str) -> SandboxJob | None:
        """Sandbox only: end tournament `uid` now, so the sandbox ranks it and grants rewards.

        When the job succeeds the HUD state is refreshed (the new reward shows up).
        """

        def end(base_url: str) -> tuple[bool, str]:
            from kgen_pygame.runtime import sandbox_tools

            if sandbox_tools.end_tournament(base_url, uid):
                return True, "ended"
            return False, f"the sandbox did not end tournament {uid} (unknown or already ended)"

        return self._sandbox_job(f"end tournament {uid}", end)

    def sandbox_create_tournament(self, title: str, prize: Decimal, *,
                                  minutes: int = 60) -> SandboxJob | None:
        """Sandbox only: create a free tournament with a guaranteed `prize` (rounded up to whole
        KGeN) and no bots - for when nothing on offer pays a lone winner enough to withdraw.
        The job's `detail` is the new tournament's uid once it succeeded.
        """
        whole = int(prize.to_integral_value(rounding=ROUND_CEILING))  # a JSON number, no float
        body = {"title": title, "buy_in": 0, "guaranteed_prize": whole,
                "duration_s": minutes * 60, "total_players_rewarded": 3, "bots": 0,
                "description": f"Sandbox demo: free entry, {whole} KGeN guaranteed"}
        return self._sandbox_job(f"create tournament {title!r}",
                                 lambda base_url: _sandbox_post(base_url, "/_sandbox/tournaments",
                                                                body))

    def _ask_for_achievements(self) -> None:
        """Once the endpoint is known: register the achievements there unless told their ids."""
        if self._kgen is None or self._kgen.endpoint is None:
            return
        self._achievements_asked = True
        if not self.achievement_ids:
            self.sandbox_register_achievements()

    def sandbox_register_achievements(self) -> SandboxJob | None:
        """Sandbox only: register demo_game/achievements.toml as the game's rewardable events
        (what `kgen-events apply` does, through its library function) and learn their ids.

        A real game registers them once with `kgen-events` and ships the ids it printed; it
        cannot list them itself (that needs the client secret). Only where the plugin holds
        the sandbox's credentials (not through a broker: there LocalKGeN registers them).
        """
        endpoint = self._kgen.endpoint if self._kgen is not None else None
        if endpoint is None or not endpoint.client_id or not endpoint.client_secret:
            return None
        if self._kgen is not None and not self._kgen.supports("loyalty"):
            return None
        client_id, secret = endpoint.client_id, endpoint.client_secret

        def register(base_url: str) -> tuple[bool, str]:
            from demo_game.achievements import register_achievements

            ids, problem = register_achievements(base_url, client_id, secret)
            self.achievement_ids = dict(ids)  # one assignment: the game thread reads it
            if problem is not None:
                log.warning("KGeN: %s", problem)
            return problem is None, problem or f"{len(ids)} achievements registered"

        return self._sandbox_job("register the achievements", register)

    def _sandbox_job(self, what: str,
                     work: Callable[[str], tuple[bool, str]]) -> SandboxJob | None:
        endpoint = self._kgen.endpoint if self._kgen is not None else None
        if endpoint is None:
            return None
        embedded = bool(endpoint.embedded_sandbox)
        if not embedded and not _is_loopback(endpoint.base_url):
            log.info("sandbox demo helper: %s skipped - the endpoint is not a local sandbox", what)
            return None
        job = SandboxJob(what)
        base_url = endpoint.base_url

        def run() -> None:
            try:
                if not embedded and not _looks_like_sandbox(base_url):
                    job.finish(False, "the endpoint does not answer GET /_sandbox/health like "
                                      "the KGeN sandbox")
                    return
                ok, detail = work(base_url)
                job.finish(ok, detail)
            except Exception as exc:  # a helper thread must always report back
                job.finish(False, f"{type(exc).__name__}: {exc}")

        threading.Thread(target=run, name="comet-sandbox-demo", daemon=True).start()
        self._sandbox_jobs.append(job)
        return job

    def _after_sandbox_jobs(self) -> None:
        """On the game thread: once a sandbox job succeeded, refresh what the HUD shows."""
        finished = [job for job in self._sandbox_jobs if job.done]
        if not finished:
            return
        self._sandbox_jobs = [job for job in self._sandbox_jobs if job not in finished]
        if self._kgen is not None and any(job.ok for job in finished):
            with self._guard("refresh"):
                self._kgen.actions.refresh()


class SandboxJob:
    """One background call of the sandbox demo helper; poll `done`, then read `ok`/`detail`."""

    def __init__(self, what: str) -> None:
        self.what = what
        self.ok = False
        self.detail = ""
        self._finished = threading.Event()

    @property
    def done(self) -> bool:
        return self._finished.is_set()

    def finish(self, ok: bool, detail: str) -> None:
        """Called once, by the helper thread."""
        self.ok, self.detail = ok, detail
        self._finished.set()


def _is_loopback(base_url: str) -> bool:
    from kgen_pygame.urls import is_loopback

    host = urlsplit(base_url).hostname
    return host is not None and is_loopback(host)


def _looks_like_sandbox(base_url: str) -> bool:
    import requests

    try:
        reply = requests.get(f"{base_url}/_sandbox/health", timeout=(2.0, 5.0))
        body = reply.json() if reply.status_code == 200 else None
    except (requests.RequestException, ValueError):
        return False
    return isinstance(body, dict) and body.get("status") == "ok"


def _sandbox_post(base_url: str, path: str, body: dict[str, Any]) -> tuple[bool, str]:
    import requests

    try:
        reply = requests.post(f"{base_url}{path}", data=json.dumps(body),
                              headers={"Content-Type": "application/json"}, timeout=(2.0, 5.0))
    except requests.RequestException as exc:
        return False, f"the sandbox did not answer ({type(exc).__name__})"
    if reply.status_code >= 300:
        try:  # the sandbox's error bodies are JSON with a "message" meant for developers
            message = str(reply.json().get("message", ""))
        except (ValueError, AttributeError):
            message = ""
        why = f": {message}" if message else ""
        return False, f"the sandbox refused {path} (HTTP {reply.status_code}{why})"
    try:  # a created tournament answers with its uid
        made = reply.json().get("tournament_uid")
    except (ValueError, AttributeError):
        made = None
    return True, str(made) if made else "done"


# The plugin's events the demo turns into a notice of its own. Left out on purpose:
# SESSION_READY (the plugin's badge shows the connection), and WALLET_LINKED / WITHDRAW_DONE
# (the plugin's panels toast those actions themselves: one toast per action).
NOTICE_EVENTS = ("SANDBOX_SMS", "SESSION_FAILED", "REWARDS_CHANGED", "DELIVERY_PROBLEM")
OVERLAY_EVENTS = {"OVERLAY_OPENED": "opened", "OVERLAY_CLOSED": "closed"}


def _plugin_event_names() -> dict[int, str]:
    """Map the plugin's pygame event type numbers to their names (those the demo listens to)."""
    wanted = (*NOTICE_EVENTS, *OVERLAY_EVENTS)
    found = {name: getattr(kgen_events, name, None) for name in wanted}
    return {value: name for name, value in found.items() if isinstance(value, int)}


# -- settings the command line checks before it starts the game -------------------------------

#: The generation names of docs/integration.md, for a plugin that does not list its own.
KNOWN_API_GENERATIONS = ("current", "v1", "legacy")


def api_generations() -> tuple[str, ...]:
    """The API generations `KGen(api=...)` knows: the plugin's own list
    (``kgen_pygame.config.API_GENERATIONS``) when it has one, else the documented names (and
    `KGen` itself refuses one it cannot speak yet)."""
    try:
        from kgen_pygame.config import API_GENERATIONS  # type: ignore[attr-defined]
    except ImportError:
        return KNOWN_API_GENERATIONS
    return tuple(str(name) for name in API_GENERATIONS)


def plugin_data_dir() -> Path | None:
    """Where the plugin keeps this game's player by default (KGEN_DATA_DIR, else its
    platformdirs folder): player id, score outbox and the embedded sandbox's sandbox.sqlite3.
    None when the plugin is missing or its KGEN_* settings are wrong (KGen() will say why)."""
    if PLUGIN_PROBLEM is not None:
        return None
    try:
        from kgen_pygame.config import KGenConfig

        return KGenConfig.resolve(game_id=GAME_ID).resolved_data_dir()
    except Exception:
        return None
