"""Rules of the code's shape that a review would otherwise have to catch by eye."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: Code that must only use other modules' public names.
CHECKED = ("kgen_pygame", "demo_game", "benchmarks")
#: Private-looking names of the standard library that are its documented API.
STDLIB_API = {"_exit", "_getframe", "_asdict", "_replace", "_fields", "_make", "_current_frames"}
#: The receiver names that are always the object's own.
OWN = {"self", "cls", "mcs"}


def _python_files() -> list[Path]:
    files: list[Path] = []
    for folder in CHECKED:
        files.extend(sorted((ROOT / folder).rglob("*.py")))
    return files


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _foreign_private_uses(path: Path) -> list[str]:
    """``other._name`` and ``from module import _name`` in one file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    problems: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _private(node.attr):
            receiver = node.value
            if isinstance(receiver, ast.Name) and receiver.id in OWN:
                continue
            if isinstance(receiver, ast.Call) and getattr(receiver.func, "id", "") == "super":
                continue
            if node.attr in STDLIB_API:
                continue
            problems.append(f"{path.relative_to(ROOT)}:{node.lineno}: .{node.attr}")
        elif isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if _private(alias.name) and (node.module or "").startswith(CHECKED):
                    problems.append(f"{path.relative_to(ROOT)}:{node.lineno}: import {alias.name}")
    return problems


def test_no_module_reaches_into_another_modules_private_names() -> None:
    problems = [problem for path in _python_files() for problem in _foreign_private_uses(path)]
    assert problems == [], "private names used from outside their owner:\n" + "\n".join(problems)


@pytest.mark.parametrize(
    "source",
    [
        "kgen._post(1)\n",
        "x = plugin.runtime._local\n",
        "from kgen_pygame.runtime.outbox.sqlite_file import _MOVES\n",
    ],
)
def test_the_check_sees_a_foreign_private_name(tmp_path: Path, source: str) -> None:
    path = ROOT / "kgen_pygame" / "_architecture_probe.py"
    try:
        path.write_text(source, encoding="utf-8")
        assert _foreign_private_uses(path)
    finally:
        path.unlink(missing_ok=True)


def test_the_facade_stays_thin() -> None:
    lines = (ROOT / "kgen_pygame" / "kgen.py").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 300, f"kgen.py has {len(lines)} lines: move wiring to runtime/plugin.py"


def test_every_widget_that_draws_chrome_says_what_it_depends_on() -> None:
    """A ``draw_static`` without its ``static_key`` would leave stale chrome on screen:
    the view keeps its layer while the key stays the same."""
    problems = []
    for path in sorted((ROOT / "kgen_pygame").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.ClassDef):
                continue
            methods = {item.name for item in node.body if isinstance(item, ast.FunctionDef)}
            if "draw_static" in methods and "static_key" not in methods:
                problems.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.name}")
    assert problems == [], "draw_static without static_key:\n" + "\n".join(problems)
