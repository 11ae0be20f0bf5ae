"""Screen shake driven by "trauma": hits add trauma, it decays, the offset grows with its square."""

from __future__ import annotations

import math


class Shake:
    """Smooth, deterministic shake (sums of sines, no random numbers)."""

    def __init__(self, max_offset: float = 18.0, decay: float = 1.6) -> None:
        self.max_offset = max_offset
        self.decay = decay
        self.trauma = 0.0
        self.clock = 0.0

    def add(self, amount: float) -> None:
        self.trauma = min(1.0, self.trauma + amount)

    def update(self, dt: float) -> None:
        self.clock += dt
        self.trauma = max(0.0, self.trauma - self.decay * dt)

    @property
    def offset(self) -> tuple[float, float]:
        if self.trauma <= 0:
            return (0.0, 0.0)
        power = self.max_offset * self.trauma * self.trauma
        t = self.clock
        return (power * (math.sin(t * 71.0) * 0.7 + math.sin(t * 29.0 + 1.3) * 0.3),
                power * (math.sin(t * 83.0 + 0.7) * 0.7 + math.sin(t * 37.0 + 2.1) * 0.3))
