"""State colours of every widget kind: how a button, field, tab or row looks when hovered,
pressed, focused, disabled, selected or invalid.

They are theme data. A :class:`~kgen_pygame.ui.theme.Theme` field per kind
(``primary_button``, ``text_field``, ...) overrides a kind; left at ``None``
the kind's looks are derived from the theme's base colours by :func:`derive`,
so ``dataclasses.replace(theme, accent=...)`` restyles every state too.
Widgets only ask ``style.looks(kind).look(state)``; none computes a colour.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Literal, get_args

from kgen_pygame.errors import ConfigurationError
from kgen_pygame.ui.colours import RGB, darken, lighten, mix

if TYPE_CHECKING:
    from kgen_pygame.ui.theme import Theme

WidgetState = Literal["normal", "hover", "pressed", "focused", "disabled", "selected", "invalid"]
LookKind = Literal[
    "primary_button",
    "secondary_button",
    "danger_button",
    "ghost_button",
    "menu_card",
    "text_field",
    "tab",
    "table_row",
    "scroll_bar",
    "close_hint",
    "badge",
]
#: Every kind, in the order the Theme declares them.
LOOK_KINDS: tuple[LookKind, ...] = get_args(LookKind)


def _check(name: str, value: object) -> None:
    ok = (
        isinstance(value, tuple)
        and len(value) == 3
        and all(isinstance(c, int) and not isinstance(c, bool) and 0 <= c <= 255 for c in value)
    )
    if not ok:
        raise ConfigurationError(f"Look.{name} must be a tuple of 3 ints in 0..255")


@dataclass(frozen=True, slots=True)
class Look:
    """How a widget is painted in one state.

    ``fill`` and ``border`` may be ``None`` (not painted); ``text`` is the main text
    colour, ``detail`` a second one (a card's hint, a field's label or message,
    the key of a keycap), ``None`` meaning ``text``.
    """

    fill: RGB | None = None
    border: RGB | None = None
    text: RGB = (255, 255, 255)
    detail: RGB | None = None

    def __post_init__(self) -> None:
        for name in ("fill", "border", "text", "detail"):
            value = getattr(self, name)
            if value is not None or name == "text":
                _check(name, value)

    @property
    def detail_colour(self) -> RGB:
        """``detail``, or ``text`` when there is none."""
        return self.detail if self.detail is not None else self.text


@dataclass(frozen=True, slots=True)
class StateLooks:
    """The looks of one widget kind in each state; a state left ``None`` borrows another.

    Missing ``hover`` is ``normal``; ``pressed`` is ``hover``; ``focused``,
    ``disabled`` and ``invalid`` are ``normal``; ``selected`` is ``hover``.
    """

    normal: Look
    hover: Look | None = None
    pressed: Look | None = None
    focused: Look | None = None
    disabled: Look | None = None
    selected: Look | None = None
    invalid: Look | None = None

    def __post_init__(self) -> None:
        for field in fields(self):
            value = getattr(self, field.name)
            if not (isinstance(value, Look) or (value is None and field.name != "normal")):
                raise ConfigurationError(f"StateLooks.{field.name} must be a Look")

    def look(self, state: WidgetState) -> Look:
        """The look for ``state`` (falling back as the class docstring says)."""
        if state == "normal":
            return self.normal
        hover = self.hover or self.normal
        if state == "hover":
            return hover
        if state == "pressed":
            return self.pressed or hover
        if state == "selected":
            return self.selected or hover
        chosen = {"focused": self.focused, "disabled": self.disabled, "invalid": self.invalid}
        return chosen[state] or self.normal


def _button(theme: Theme, base: RGB, border: RGB | None, text: RGB) -> StateLooks:
    disabled_text = mix(theme.panel, theme.text_muted, 0.7)
    return StateLooks(
        normal=Look(base, border, text),
        hover=Look(lighten(base, 0.12), lighten(border, 0.25) if border else None, text),
        pressed=Look(darken(base, 0.18), border, text),
        disabled=Look(mix(theme.panel, base, 0.35), None, disabled_text),
    )


def derive(theme: Theme, kind: LookKind) -> StateLooks:
    """The looks of ``kind`` made from the theme's base colours."""
    if kind == "primary_button":
        return _button(theme, theme.accent, None, theme.accent_text)
    if kind == "danger_button":
        return _button(theme, theme.danger, None, theme.accent_text)
    if kind == "secondary_button":
        return _button(theme, lighten(theme.panel, 0.07), theme.panel_border, theme.text)
    if kind == "ghost_button":
        hover = Look(lighten(theme.panel, 0.12), None, theme.text_muted)
        return StateLooks(
            normal=Look(None, None, theme.text_muted),
            hover=hover,
            pressed=Look(darken(theme.panel, 0.18), None, theme.text_muted),
            focused=hover,
            disabled=Look(None, None, mix(theme.panel, theme.text_muted, 0.7)),
        )
    if kind == "menu_card":
        raised = lighten(theme.panel, 0.07)
        return StateLooks(
            normal=Look(raised, theme.panel_border, theme.text, theme.text_muted),
            hover=Look(lighten(raised, 0.12), theme.accent, theme.text, theme.text_muted),
            pressed=Look(darken(raised, 0.18), theme.accent, theme.text, theme.text_muted),
        )
    if kind == "text_field":
        return StateLooks(
            normal=Look(theme.field, theme.panel_border, theme.text, theme.text_muted),
            hover=Look(theme.field, lighten(theme.panel_border, 0.2), theme.text,
                       theme.text_muted),
            focused=Look(theme.field, theme.accent, theme.text, theme.text_muted),
            disabled=Look(theme.field, theme.panel_border, theme.text_muted, theme.text_muted),
            invalid=Look(theme.field, theme.danger, theme.text, theme.danger),
        )
    if kind == "tab":
        return StateLooks(
            normal=Look(theme.field, theme.panel_border, theme.text_muted),
            hover=Look(lighten(theme.field, 0.06), None, theme.text),
            selected=Look(theme.accent, None, theme.accent_text),
        )
    if kind == "table_row":
        return StateLooks(
            normal=Look(theme.panel, None, theme.text),
            hover=Look(lighten(theme.panel, 0.05), None, theme.text),
            selected=Look(mix(theme.panel, theme.accent, 0.14), None, theme.text),
            focused=Look(mix(theme.panel, theme.accent, 0.3), None, theme.text),
        )
    if kind == "scroll_bar":
        idle = lighten(theme.panel_border, 0.15)
        return StateLooks(
            normal=Look(idle, None, idle),
            focused=Look(theme.text_muted, None, theme.text_muted),
            pressed=Look(theme.text_muted, None, theme.text_muted),
        )
    if kind == "close_hint":
        return StateLooks(
            normal=Look(None, theme.panel_border, theme.text_muted, theme.text),
            hover=Look(lighten(theme.panel, 0.06), theme.panel_border, theme.text, theme.text),
        )
    # badge
    return StateLooks(
        normal=Look(theme.panel, theme.panel_border, theme.text),
        hover=Look(theme.panel, lighten(theme.panel_border, 0.3), theme.text),
    )
