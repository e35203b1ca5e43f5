"""`@every("YIWANG_SWEEP_SECONDS", default=30)`: nameko's timer with its interval read from the config."""
from __future__ import annotations

from nameko.timer import Timer


class Every(Timer):
    def __init__(self, key: str, default: float, scale: float = 1.0, **kwargs):
        self.key, self.default, self.scale = key, default, scale
        super().__init__(interval=default * scale, **kwargs)

    def setup(self):
        self.interval = float(self.container.config.get(self.key) or self.default) * self.scale
        super().setup()


every = Every.decorator
