"""Where the demo keeps what it remembers between runs, and `--fresh`.

Two places, both shown by ``python -m demo_game --help``:

- the game's own folder (``COMET_CATCHER_DATA_DIR``, else the platformdirs data folder of
  "comet-catcher"): the best score and the achievements earned in ``profile.json``;
- the plugin's folder for this game (``KGEN_DATA_DIR``, else the plugin's own platformdirs
  folder): the player id, the score outbox and the embedded sandbox's ``sandbox.sqlite3``.

A fresh run (``--fresh``, and ``--script full-flow`` always) never touches either: it plays a
new player whose KGeN data lives in ``fresh-player/`` inside the game's folder. That folder
belongs to fresh runs alone (a marker file says so); each fresh run empties it first and says
so, and leaves it behind at exit so the run can be inspected.
"""

from __future__ import annotations

import logging
import os
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

DATA_DIR_VARIABLE = "COMET_CATCHER_DATA_DIR"
FRESH_DIR_NAME = "fresh-player"
FRESH_MARKER = ".comet-catcher-fresh-run"


class FreshRunError(Exception):
    """The fresh-run folder cannot be prepared; the message says why and what to do."""


def game_data_dir() -> Path:
    """The game's own folder (COMET_CATCHER_DATA_DIR overrides the platform default)."""
    override = os.environ.get(DATA_DIR_VARIABLE)
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("comet-catcher", appauthor=False))


def profile_path() -> Path:
    """Where interactive runs keep the best score."""
    return game_data_dir() / "profile.json"


def fresh_dir() -> Path:
    """The folder fresh runs keep their KGeN data in."""
    return game_data_dir() / FRESH_DIR_NAME


@dataclass(frozen=True, slots=True)
class FreshRun:
    """A prepared fresh run: a new player id and an empty KGeN data folder."""

    data_dir: Path
    gamer_id: str
    removed_files: int  # what was left in the folder by the previous fresh run

    def describe(self) -> str:
        """What a fresh run did to the disk, for the player to read."""
        emptied = (f" (emptied it first: {self.removed_files} file"
                   f"{'' if self.removed_files == 1 else 's'} of the previous fresh run)"
                   if self.removed_files else "")
        return (f"fresh run: new player {self.gamer_id}, KGeN data in {self.data_dir}{emptied}; "
                "your saved player and best score are not touched")


def prepare_fresh_run() -> FreshRun:
    """Empty (or create) the fresh-run folder and pick a new player id.

    Refuses to empty a folder that exists without the marker of a fresh run: it is not ours.
    """
    path = fresh_dir()
    removed = 0
    if path.exists():
        if not (path / FRESH_MARKER).is_file():
            raise FreshRunError(
                f"{path} exists but was not made by a fresh run, so it is left alone; move it "
                f"away or set {DATA_DIR_VARIABLE} to another folder")
        removed = sum(1 for item in path.rglob("*") if item.is_file()) - 1  # not the marker
        try:
            shutil.rmtree(path)
        except OSError as exc:
            raise FreshRunError(f"cannot empty {path} ({exc.strerror or exc})") from None
    try:
        path.mkdir(parents=True)
        (path / FRESH_MARKER).write_text(
            "Comet Catcher's fresh runs (--fresh, --script full-flow) keep their KGeN data "
            "here.\nEach fresh run empties this folder first.\n", encoding="utf-8")
    except OSError as exc:
        raise FreshRunError(f"cannot create {path} ({exc.strerror or exc})") from None
    run = FreshRun(path, f"fresh-{uuid.uuid4().hex[:12]}", max(0, removed))
    log.info("%s", run.describe())
    return run
