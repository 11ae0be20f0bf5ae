"""docs/integration.md shows each compatibility game's integration lines, and counts them right.

The games mark every line the integration added with ``# kgen``; the docs' section for
each style must name the same number ("**N lines:**") and show each of those lines.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
DOCS = HERE.parents[1] / "docs" / "integration.md"
README = HERE.parents[1] / "README.md"

#: Game file -> the heading of its section in docs/integration.md.
SECTIONS = {
    "game_dirty.py": "### Dirty-rect games",
    "game_fixed.py": "### Fixed-timestep games",
    "game_scaled.py": "### Scaled games",
    "game_pointer.py": "### Mouse and joystick",
}


def marked_lines(game: str) -> list[str]:
    """The integration lines of ``game``, as the docs write them (no ``self.``, no marker)."""
    lines = []
    for line in (HERE / game).read_text(encoding="utf-8").splitlines():
        if "  # kgen" in line:
            code = line.split("  # kgen")[0].strip().replace("self.", "")
            lines.append(re.sub(r",? ?\*\*kgen_options", "", code))
    return lines


def section(heading: str) -> str:
    text = DOCS.read_text(encoding="utf-8")
    start = text.index(heading)
    end = text.find("\n### ", start + 1)
    following = text.find("\n## ", start + 1)
    stops = [i for i in (end, following) if i != -1]
    return text[start : min(stops) if stops else len(text)]


def normalise(code: str) -> str:
    """A line without its comment and with screen/window/score names made generic."""
    code = code.split("  #")[0].strip()
    return re.sub(r"\b(screen|window|score|coins|SCORE)\b", "X", code)


@pytest.mark.parametrize("game", list(SECTIONS))
def test_the_docs_show_and_count_each_games_lines(game: str) -> None:
    lines = marked_lines(game)
    body = section(SECTIONS[game])
    count = re.search(r"\*\*(\d+) lines:\*\*", body)
    assert count is not None, f"no line count in {SECTIONS[game]}"
    assert int(count.group(1)) == len(lines)
    block = body[body.index("```python") : body.index("```", body.index("```python") + 3)]
    shown = [normalise(line) for line in block.splitlines()[1:] if line.strip()]
    assert [normalise(line) for line in lines] == shown


def test_the_readme_snippet_shows_the_polled_input_pattern() -> None:
    text = README.read_text(encoding="utf-8")
    snippet = text[text.index("## Integrate it") :]
    snippet = snippet[: snippet.index("That is all")]
    assert "if not kgen.should_pause:" in snippet
    assert "dirty += kgen.draw(screen)" in snippet
