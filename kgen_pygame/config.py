"""Configuration of the plugin: keyword arguments, then ``KGEN_*`` environment, then defaults.

Every option is listed once, in :data:`OPTIONS`, with its type, its environment
variable and its check; ``docs/integration.md`` describes each. Validation happens at
construction, so a wrong configuration fails loudly on the developer's machine
(:class:`~kgen_pygame.errors.ConfigurationError` naming the option and what is
allowed) instead of quietly in a player's game. :class:`KGenOptions` gives editors
completion and ``mypy`` a check of ``KGen(...)`` calls.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, Literal, TypedDict

from kgen_pygame.errors import ConfigurationError
from kgen_pygame.event_contract import GENERATIONS, Generation
from kgen_pygame.urls import check_base_url

#: What a session provider returns: the session token minted by the game's own
#: backend (or the session broker), or a mapping with ``token`` / ``access_token``.
SessionProvider = Callable[[str], "str | Mapping[str, Any]"]

HudPosition = Literal["top-left", "top-right", "bottom-left", "bottom-right"]
HUD_POSITIONS: Final[tuple[HudPosition, ...]] = (
    "top-left", "top-right", "bottom-left", "bottom-right",
)
#: The API generations ``api=`` accepts, the default first.
API_GENERATIONS: Final = GENERATIONS

ENV_PREFIX: Final = "KGEN_"
_GAME_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_GAMER_ID = re.compile(r"^[^\s]{1,128}$")


class KGenOptions(TypedDict, total=False):
    """Every keyword ``KGen(...)`` accepts (see ``docs/integration.md``)."""

    game_id: str
    api: Generation
    base_url: str | None
    client_id: str | None
    client_secret: str | None
    gamer_id: str | None
    session_provider: SessionProvider | None
    broker_url: str | None
    sandbox: bool | None
    data_dir: str | os.PathLike[str] | None
    allow_insecure_http: bool
    plaintext_token_fallback: bool
    connect_timeout_s: float
    read_timeout_s: float
    call_timeout_s: float
    overlays: bool
    show_hud: bool
    repaints_every_frame: bool
    hud_position: HudPosition
    hotkey: int | str | None
    theme: Any
    sandbox_sms: bool
    refresh_interval_s: float
    max_pending_events: int
    max_event_age_days: float
    power_loss_safe: bool
    profile: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class KGenConfig:
    """Everything the plugin was told, checked. Build with :meth:`resolve`.

    Leave ``base_url`` unset to run against the embedded sandbox, which starts on a
    free loopback port with its development client (never in a frozen build unless
    ``sandbox=True``).
    """

    game_id: str = "pygame-game"
    api: Generation = "current"
    base_url: str | None = None
    client_id: str | None = field(default=None, repr=False)
    client_secret: str | None = field(default=None, repr=False)
    gamer_id: str | None = None
    session_provider: SessionProvider | None = field(default=None, repr=False)
    #: The game's session broker (``docs/broker.md``): the game then holds no secret.
    broker_url: str | None = None
    sandbox: bool | None = None
    data_dir: Path | None = None
    allow_insecure_http: bool = False
    plaintext_token_fallback: bool = True
    connect_timeout_s: float = 3.05
    read_timeout_s: float = 8.0
    call_timeout_s: float = 10.0
    overlays: bool = True
    show_hud: bool = True
    #: The game repaints its whole surface before every ``draw()`` (a full ``flip()``
    #: game): the overlay then skips keeping and putting back the pixels under it.
    repaints_every_frame: bool = False
    hud_position: HudPosition = "top-right"
    hotkey: int | None = None
    theme: Any = field(default=None, repr=False)
    sandbox_sms: bool = True
    refresh_interval_s: float = 30.0
    max_pending_events: int = 100_000
    max_event_age_days: float = 30.0
    power_loss_safe: bool = False
    profile: Mapping[str, Any] = field(default_factory=dict)

    @property
    def uses_embedded_sandbox(self) -> bool:
        """True when no platform URL is configured."""
        return self.base_url is None

    @classmethod
    def resolve(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> KGenConfig:
        """Merge keyword arguments over ``KGEN_*`` environment variables over defaults.

        Keyword arguments set to ``None`` count as not given.
        """
        env = os.environ if environ is None else environ
        unknown = sorted(set(overrides) - set(OPTIONS))
        if unknown:
            raise ConfigurationError(
                f"unknown KGen option(s): {', '.join(unknown)}; "
                f"the options are: {', '.join(OPTIONS)}"
            )
        values: dict[str, Any] = {}
        for name, option in OPTIONS.items():
            raw = env.get(ENV_PREFIX + name.upper()) if option.from_env is not None else None
            if raw is not None and raw.strip():
                assert option.from_env is not None
                values[name] = option.from_env(raw.strip(), ENV_PREFIX + name.upper())
        for name, value in overrides.items():
            if value is not None:
                values[name] = value
        for name, value in list(values.items()):
            values[name] = OPTIONS[name].check(value, name)
        config = cls(**values)
        config.validate()
        return config

    def validate(self) -> None:
        """Raise :class:`ConfigurationError` for options that do not fit together."""
        if self.base_url is not None:
            object.__setattr__(
                self,
                "base_url",
                check_base_url(self.base_url, allow_insecure_http=self.allow_insecure_http),
            )
            minted_elsewhere = self.session_provider is not None or self.broker_url is not None
            if not minted_elsewhere and not (self.client_id and self.client_secret):
                raise ConfigurationError(
                    "a platform base_url needs a broker_url (recommended for shipped games: "
                    "docs/broker.md), a session_provider, or client_id and client_secret"
                )
        if self.client_secret and not self.client_id:
            raise ConfigurationError("client_secret is set but client_id is missing")
        if self.broker_url is not None:
            self._validate_broker()

    def _validate_broker(self) -> None:
        assert self.broker_url is not None
        object.__setattr__(
            self,
            "broker_url",
            check_base_url(
                self.broker_url, allow_insecure_http=self.allow_insecure_http, name="broker_url"
            ),
        )
        if self.base_url is None:
            raise ConfigurationError(
                "broker_url needs base_url too: the broker mints sessions on that platform"
            )
        if self.session_provider is not None:
            raise ConfigurationError("set broker_url or session_provider, not both")
        if self.client_secret is not None:
            raise ConfigurationError(
                "broker_url is there so the game carries no client secret: remove client_secret"
            )
        from kgen_pygame.broker.wire import PROFILE_FIELDS

        unknown = sorted(set(self.profile) - PROFILE_FIELDS)
        if unknown:
            raise ConfigurationError(
                f"the broker accepts only the profile fields {', '.join(sorted(PROFILE_FIELDS))}"
                f" (got {', '.join(unknown)})"
            )

    def resolved_data_dir(self) -> Path:
        """Where the outbox, the player id and the embedded sandbox keep their files."""
        if self.data_dir is not None:
            return self.data_dir
        import platformdirs

        return Path(platformdirs.user_data_dir("kgen-pygame", appauthor=False)) / self.game_id

    def resolved_state_dir(self) -> Path:
        """Where the token file lives when no keyring backend exists."""
        if self.data_dir is not None:
            return self.data_dir / "state"
        import platformdirs

        return Path(platformdirs.user_state_dir("kgen-pygame", appauthor=False)) / self.game_id


# -- the table of options ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Option:
    check: Callable[[Any, str], Any]
    #: Parses the ``KGEN_<NAME>`` environment variable (None: not settable there).
    from_env: Callable[[str, str], Any] | None = None


def _text(pattern: re.Pattern[str] | None = None, rule: str = "") -> Callable[[Any, str], str]:
    def check(value: Any, name: str) -> str:
        if not isinstance(value, str):
            raise ConfigurationError(f"{name} must be a string, not {type(value).__name__}")
        text = value.strip()
        if not text:
            raise ConfigurationError(f"{name} must not be empty")
        if pattern is not None and not pattern.match(text):
            raise ConfigurationError(f"{name} must be {rule} (got {value!r})")
        return text

    return check


def _flag(value: Any, name: str) -> bool:
    if not isinstance(value, bool):
        raise ConfigurationError(f"{name} must be True or False, not {value!r}")
    return value


def _env_flag(raw: str, env_name: str) -> bool:
    lowered = raw.lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ConfigurationError(f"{env_name} must be 1/0, true/false, yes/no or on/off, not {raw!r}")


def _seconds(low: float, high: float) -> Callable[[Any, str], float]:
    def check(value: Any, name: str) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigurationError(f"{name} must be a number of seconds, not {value!r}")
        if not (math.isfinite(value) and low < value <= high):
            raise ConfigurationError(f"{name} must be a number of seconds in ({low:g}, {high:g}]")
        return float(value)

    return check


def _env_number(raw: str, env_name: str) -> float:
    try:
        return float(raw)
    except ValueError:
        raise ConfigurationError(f"{env_name} must be a number, not {raw!r}") from None


def _whole(low: int) -> Callable[[Any, str], int]:
    def check(value: Any, name: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigurationError(f"{name} must be a whole number, not {value!r}")
        if value < low:
            raise ConfigurationError(f"{name} must be at least {low}")
        return value

    return check


def _positive_days(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not (
        math.isfinite(value) and value > 0
    ):
        raise ConfigurationError(f"{name} must be a positive number of days")
    return float(value)


def _choice(choices: tuple[str, ...]) -> Callable[[Any, str], str]:
    def check(value: Any, name: str) -> str:
        if value not in choices:
            raise ConfigurationError(
                f"{name} must be one of {', '.join(repr(c) for c in choices)} (got {value!r})"
            )
        return str(value)

    return check


def _env_text(raw: str, _env_name: str) -> str:
    return raw


def _optional_flag(value: Any, name: str) -> bool | None:
    return None if value is None else _flag(value, name)


def _path(value: Any, name: str) -> Path:
    if not isinstance(value, str | os.PathLike):
        raise ConfigurationError(f"{name} must be a path (str or os.PathLike), not {value!r}")
    return Path(value).expanduser()


def _callable(value: Any, name: str) -> Any:
    if not callable(value):
        raise ConfigurationError(f"{name} must be callable: (gamer_id) -> token or session")
    return value


def _anything(value: Any, _name: str) -> Any:
    return value


def _mapping(value: Any, name: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ConfigurationError(f"{name} must be a mapping of profile fields, not {value!r}")
    return dict(value)


def hotkey_code(value: Any, name: str = "hotkey") -> int:
    """A pygame key code from a code (``pygame.K_F1``) or a key name (``"F1"``, ``"f10"``)."""
    import pygame

    if isinstance(value, bool):
        raise ConfigurationError(f"{name} must be a pygame key code or a key name like 'F1'")
    if isinstance(value, int):
        if value <= 0:
            raise ConfigurationError(f"{name} must be a pygame key code such as pygame.K_F1")
        return value
    if isinstance(value, str) and value.strip():
        try:
            return int(pygame.key.key_code(value.strip().lower()))
        except (ValueError, pygame.error):
            raise ConfigurationError(
                f"{name} {value!r} is not a key name pygame knows; use a name like 'F1', "
                "'f10' or 'tab', or a code such as pygame.K_F1"
            ) from None
    raise ConfigurationError(f"{name} must be a pygame key code or a key name like 'F1'")


OPTIONS: Final[dict[str, _Option]] = {
    "game_id": _Option(
        _text(_GAME_ID, "1-64 letters, digits, '.', '_' or '-', starting with a letter or digit"),
        _env_text,
    ),
    "api": _Option(_choice(API_GENERATIONS), _env_text),
    "base_url": _Option(_text(), _env_text),
    "client_id": _Option(_text(), _env_text),
    "client_secret": _Option(_text(), _env_text),
    "gamer_id": _Option(_text(_GAMER_ID, "1-128 characters without spaces"), _env_text),
    "session_provider": _Option(_callable),
    "broker_url": _Option(_text(), _env_text),
    "sandbox": _Option(_optional_flag, _env_flag),
    "data_dir": _Option(_path, _env_text),
    "allow_insecure_http": _Option(_flag, _env_flag),
    "plaintext_token_fallback": _Option(_flag, _env_flag),
    "connect_timeout_s": _Option(_seconds(0, 60), _env_number),
    "read_timeout_s": _Option(_seconds(0, 120), _env_number),
    "call_timeout_s": _Option(_seconds(0, 600), _env_number),
    "overlays": _Option(_flag),
    "show_hud": _Option(_flag, _env_flag),
    "repaints_every_frame": _Option(_flag),
    "hud_position": _Option(_choice(HUD_POSITIONS), _env_text),
    "hotkey": _Option(hotkey_code),
    "theme": _Option(_anything),
    "sandbox_sms": _Option(_flag, _env_flag),
    "refresh_interval_s": _Option(_seconds(0, 3600), _env_number),
    "max_pending_events": _Option(_whole(100)),
    "max_event_age_days": _Option(_positive_days),
    "power_loss_safe": _Option(_flag, _env_flag),
    "profile": _Option(_mapping),
}

