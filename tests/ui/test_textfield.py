"""TextField through real TEXTINPUT / TEXTEDITING / KEYDOWN events."""

from __future__ import annotations

import pygame
import pytest
from ui_events import click, feed, post, press_key, type_text

from kgen_pygame.ui import (
    Button,
    Column,
    Frame,
    TextField,
    UIRoot,
    View,
    Widget,
    clipboard,
    decimal_chars,
    digits_only,
    get_clipboard_text,
    ime,
    phone_chars,
    set_clipboard_text,
)
from kgen_pygame.ui.textfield import ONE_LINE


class FormView(View):
    def __init__(self, *fields: TextField) -> None:
        super().__init__()
        self.fields = fields
        self.done = Button("Done")

    def build(self) -> Widget:
        return Frame("Form", Column(*self.fields, self.done))


def open_form(root: UIRoot, *fields: TextField) -> FormView:
    view = FormView(*fields)
    root.open(view)
    return view


def test_typing_inserts_committed_text(root: UIRoot) -> None:
    field = TextField()
    open_form(root, field)
    type_text("he")
    type_text("llo")
    feed(root)
    assert field.text == "hello"
    assert field.caret == 5


def test_keydown_for_letters_does_not_double_type(root: UIRoot) -> None:
    field = TextField()
    open_form(root, field)
    press_key(pygame.K_a, unicode="a")
    type_text("a")
    feed(root)
    assert field.text == "a"


def test_space_types_a_space_instead_of_activating(root: UIRoot) -> None:
    changes: list[str] = []
    submitted: list[str] = []
    field = TextField("ab", on_change=changes.append, on_submit=submitted.append)
    open_form(root, field)
    press_key(pygame.K_SPACE, unicode=" ")
    type_text(" ")
    feed(root)
    assert field.text == "ab "
    assert submitted == []
    assert changes == ["ab "]


def test_a_refused_character_is_refused_visibly_never_dropped(
    root: UIRoot, screen: pygame.Surface
) -> None:
    field = TextField(allowed=digits_only, refused_message="Digits only, like 1234")
    open_form(root, field)
    type_text("1")
    type_text("a")
    feed(root)
    root.draw(screen)
    assert field.text == "1" and field.refused == "a"
    assert field.refusal == "Digits only, like 1234"
    assert "Digits only, like 1234" in root.drawn_texts()  # said under the field
    type_text("1a2")  # one insertion (an IME commit, a paste): all or nothing
    feed(root)
    assert field.text == "1" and field.refused == "1a2"
    type_text("2")  # the message stays while the player goes on typing ...
    feed(root)
    assert field.text == "12" and field.message == "Digits only, like 1234"
    press_key(pygame.K_BACKSPACE)  # ... until they erase something
    feed(root)
    root.draw(screen)
    assert field.text == "1" and field.message is None
    assert "Digits only, like 1234" not in root.drawn_texts()


def test_set_text_never_filters() -> None:
    refused = TextField("+91 98-76", allowed=phone_chars)
    assert refused.text == "" and refused.refused == "+91 98-76"
    assert TextField("12.50", allowed=decimal_chars).text == "12.50"
    field = TextField("12", allowed=decimal_chars)
    assert not field.set_text("12.50 KGeN") and field.text == "12"
    assert field.set_text("3.5") and field.text == "3.5" and field.refusal is None


def test_max_length_refuses_what_does_not_fit(root: UIRoot) -> None:
    field = TextField(max_length=6, allowed=digits_only)
    open_form(root, field)
    type_text("1234")
    type_text("56789")
    feed(root)
    assert field.text == "1234" and field.refusal == "At most 6 characters fit here."
    type_text("56")
    feed(root)
    assert field.text == "123456"
    assert not field.set_text("987654321") and field.text == "123456"


def test_control_characters_are_refused(root: UIRoot) -> None:
    field = TextField()
    open_form(root, field)
    type_text("a\tb")
    type_text("c\u200bd")  # a zero-width space cannot be seen: refused, not hidden
    feed(root)
    assert field.text == "" and field.refused == "c\u200bd"
    assert field.refusal == "That text has characters that can't be shown here."


def test_backspace_delete_and_caret_keys(root: UIRoot) -> None:
    field = TextField("abcdef")
    open_form(root, field)
    assert field.caret == 6
    press_key(pygame.K_BACKSPACE)  # abcde|
    press_key(pygame.K_HOME)  # |abcde
    press_key(pygame.K_DELETE)  # |bcde
    press_key(pygame.K_RIGHT)  # b|cde
    press_key(pygame.K_RIGHT)  # bc|de
    press_key(pygame.K_LEFT)  # b|cde
    feed(root)
    assert (field.text, field.caret) == ("bcde", 1)
    type_text("X")
    press_key(pygame.K_END)
    press_key(pygame.K_BACKSPACE)
    feed(root)
    assert (field.text, field.caret) == ("bXcd", 4)


def test_backspace_at_start_and_delete_at_end_do_nothing(root: UIRoot) -> None:
    field = TextField("ab")
    open_form(root, field)
    press_key(pygame.K_DELETE)
    press_key(pygame.K_HOME)
    press_key(pygame.K_BACKSPACE)
    feed(root)
    assert (field.text, field.caret) == ("ab", 0)


def test_ime_composition_is_shown_then_committed(root: UIRoot, screen: pygame.Surface) -> None:
    field = TextField("a")
    open_form(root, field)
    post(pygame.TEXTEDITING, text="ni", start=2, length=2)
    feed(root)
    assert field.composition == "ni"
    assert field.text == "a"
    root.draw(screen)  # the composition is drawn (underlined) without error
    post(pygame.TEXTEDITING, text="", start=0, length=0)
    type_text("\u4f60")
    feed(root)
    assert field.composition == ""
    assert field.text == "a\u4f60"


def test_text_input_starts_and_stops_with_focus(root: UIRoot) -> None:
    first, second = TextField(), TextField()
    open_form(root, first, second)
    assert ime.owner() is first
    rect = ime.rect()
    assert rect is not None
    assert rect.colliderect(first.rect)
    press_key(pygame.K_TAB)
    feed(root)
    assert ime.owner() is second
    press_key(pygame.K_TAB)  # to the Done button
    feed(root)
    assert ime.owner() is None
    press_key(pygame.K_TAB)  # wraps to the first field
    feed(root)
    assert ime.owner() is first
    root.close_all()
    assert ime.owner() is None


def test_typing_goes_only_to_the_focused_field(root: UIRoot) -> None:
    first, second = TextField(), TextField()
    open_form(root, first, second)
    type_text("1")
    press_key(pygame.K_TAB)
    type_text("2")
    feed(root)
    assert (first.text, second.text) == ("1", "2")


def test_enter_submits_or_moves_on(root: UIRoot) -> None:
    submitted: list[str] = []
    first = TextField("42")
    second = TextField(on_submit=submitted.append)
    view = open_form(root, first, second)
    press_key(pygame.K_RETURN)  # no on_submit: focus moves to the next field
    feed(root)
    assert view.focused is second
    type_text("7")
    press_key(pygame.K_KP_ENTER)
    feed(root)
    assert submitted == ["7"]


def test_validator_blocks_submit_and_shows_message(root: UIRoot, screen: pygame.Surface) -> None:
    submitted: list[str] = []

    def six_digits(text: str) -> str | None:
        return None if len(text) == 6 else "Enter all 6 digits"

    field = TextField(allowed=digits_only, validator=six_digits, on_submit=submitted.append)
    open_form(root, field)
    type_text("123")
    press_key(pygame.K_RETURN)
    feed(root)
    assert field.error == "Enter all 6 digits"
    assert submitted == []
    root.draw(screen)
    type_text("456")  # editing clears the message
    feed(root)
    assert field.error is None
    press_key(pygame.K_RETURN)
    feed(root)
    assert submitted == ["123456"]


def test_server_error_shown_until_the_player_edits(root: UIRoot) -> None:
    field = TextField("111111")
    open_form(root, field)
    field.error = "Wrong code, 2 attempts left"
    assert field.error == "Wrong code, 2 attempts left"
    press_key(pygame.K_BACKSPACE)
    feed(root)
    assert field.error is None


def test_masked_field_keeps_real_text(root: UIRoot, screen: pygame.Surface) -> None:
    field = TextField(masked=True)
    open_form(root, field)
    type_text("secret")
    feed(root)
    root.draw(screen)
    assert field.text == "secret"
    assert field._shown(field.text) == "\u2022" * 6


def test_placeholder_drawn_when_empty(root: UIRoot, screen: pygame.Surface) -> None:
    field = TextField(placeholder="Phone number")
    open_form(root, field)
    screen.fill((0, 0, 0))
    root.draw(screen)
    box = field.focus_rect()
    before = pygame.Surface(box.size)
    before.blit(screen, (0, 0), box)
    type_text("5")
    feed(root)
    screen.fill((0, 0, 0))
    root.draw(screen)
    after = pygame.Surface(box.size)
    after.blit(screen, (0, 0), box)
    assert pygame.image.tobytes(before, "RGB") != pygame.image.tobytes(after, "RGB")


def _clipboard(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    """Put ``text`` on the real clipboard; where SDL has none (pygame 2.6 on the dummy
    driver) stand in for the clipboard read only - the paste path is the real one."""
    if set_clipboard_text(text) and get_clipboard_text() == text:
        return
    monkeypatch.setattr(clipboard, "get_clipboard_text", lambda: text)


def test_paste_inserts_the_clipboard_as_it_is_or_refuses_it(
    root: UIRoot, monkeypatch: pytest.MonkeyPatch
) -> None:
    field = TextField(allowed=digits_only, max_length=10)
    open_form(root, field)
    _clipboard(monkeypatch, "+91 98765-43210\nsecond line")
    press_key(pygame.K_v, mod=pygame.KMOD_LCTRL)
    feed(root)
    assert field.text == "" and field.refusal == ONE_LINE  # never "9198765432"
    _clipboard(monkeypatch, "482913\n")  # copied from a message: its line break is not text
    press_key(pygame.K_v, mod=pygame.KMOD_LCTRL)
    feed(root)
    assert field.text == "482913" and field.refusal is None


def test_clicking_a_field_focuses_it_and_places_the_caret(root: UIRoot) -> None:
    first, second = TextField(), TextField("hello world")
    view = open_form(root, first, second)
    box = second.focus_rect()
    click((box.left + 14, box.centery))
    feed(root)
    assert view.focused is second
    assert second.caret == 0
    assert ime.owner() is second


def test_caret_blinks_with_update(root: UIRoot, screen: pygame.Surface) -> None:
    field = TextField("x")
    open_form(root, field)
    screen.fill((0, 0, 0))
    root.draw(screen)
    with_caret = pygame.image.tobytes(screen, "RGB")
    root.update(0.6)  # past half a blink period: caret hidden
    screen.fill((0, 0, 0))
    root.draw(screen)
    without_caret = pygame.image.tobytes(screen, "RGB")
    assert with_caret != without_caret


def test_leaving_a_field_validates_it_but_a_dialog_over_it_does_not(root: UIRoot) -> None:
    def needs_plus(text: str) -> str | None:
        return None if text.startswith("+") else "Start with +"

    field = TextField(validator=needs_plus)
    open_form(root, field)
    type_text("91")
    feed(root)
    root.alert("Hold on", "A dialog over the form")
    assert field.error is None
    press_key(pygame.K_RETURN)  # closes the alert
    press_key(pygame.K_TAB)  # leaves the field
    feed(root)
    assert field.error == "Start with +"


def test_gamepad_a_on_a_field_reopens_text_input(root: UIRoot) -> None:
    field = TextField()
    open_form(root, field)
    ime.stop(field)
    assert ime.owner() is None
    post(pygame.JOYBUTTONDOWN, joy=0, instance_id=0, button=0)
    feed(root)
    assert ime.owner() is field


def test_long_text_scrolls_to_keep_the_caret_visible(root: UIRoot, screen: pygame.Surface) -> None:
    field = TextField(min_width=200)
    open_form(root, field)
    type_text("0123456789" * 12)
    feed(root)
    root.draw(screen)
    assert field._scroll_x > 0
    assert field._caret_x - field._scroll_x <= field._inner.width
    press_key(pygame.K_HOME)
    feed(root)
    assert field._scroll_x == 0
