"""Things that live on the play field: ship, shards, comets, particles, popups, starfield."""

from demo_game.entities.comet import Comet
from demo_game.entities.particles import ParticleSystem
from demo_game.entities.popups import Popups
from demo_game.entities.shard import Shard
from demo_game.entities.ship import Ship
from demo_game.entities.starfield import Starfield

__all__ = ["Comet", "ParticleSystem", "Popups", "Shard", "Ship", "Starfield"]
