"""The game's screens: title -> tournament choice -> play -> game over."""

from demo_game.scenes.base import GameContext, RoundResult, Router, Scene
from demo_game.scenes.game_over import GameOverScene
from demo_game.scenes.play import PlayScene
from demo_game.scenes.title import TitleScene
from demo_game.scenes.tournament_choice import TournamentChoiceScene

__all__ = [
    "GameContext",
    "GameOverScene",
    "PlayScene",
    "RoundResult",
    "Router",
    "Scene",
    "TitleScene",
    "TournamentChoiceScene",
]
