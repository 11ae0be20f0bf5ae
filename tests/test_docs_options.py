"""docs/integration.md's table of options says what config.py does: names, env, defaults."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from kgen_pygame.config import ENV_PREFIX, OPTIONS, KGenConfig

DOC = Path(__file__).resolve().parents[1] / "docs" / "integration.md"
ROW = re.compile(r"^\| `(?P<name>\w+)` \| (?P<env>`\w+`|-) \| (?P<default>[^|]+) \|")


def _rows() -> dict[str, tuple[str, str]]:
    text = DOC.read_text(encoding="utf-8")
    table = text[text.index("| option | env | default | meaning |"):].split("\n\n", 1)[0]
    rows: dict[str, tuple[str, str]] = {}
    for line in table.splitlines():
        match = ROW.match(line)
        if match:
            rows[match["name"]] = (match["env"].strip("`"), match["default"].strip())
    return rows


def test_every_option_is_documented_once_and_nothing_else() -> None:
    assert sorted(_rows()) == sorted(OPTIONS)


def test_the_environment_column_matches_what_is_read() -> None:
    for name, (env, _default) in _rows().items():
        expected = f"{ENV_PREFIX}{name.upper()}" if OPTIONS[name].from_env else "-"
        assert env == expected, name


def test_plain_defaults_match_the_configuration() -> None:
    defaults = {f.name: f.default for f in dataclasses.fields(KGenConfig)}
    for name, (_env, documented) in _rows().items():
        default = defaults[name]
        if isinstance(default, bool | int | float | str) and documented.startswith("`"):
            shown = documented.strip("`")
            assert shown in (repr(default), str(default), f"\"{default}\""), name
