"""`@every("sweep_seconds")`: nameko's timer with its interval taken from a field of the center's settings."""
from __future__ import annotations

from nameko.timer import Timer

from shared.extensions.settings import settings_of


class Every(Timer):
    def __init__(self, setting: str, scale: float = 1.0, **kwargs):
        self.setting, self.scale = setting, scale
        super().__init__(interval=1.0, **kwargs)

    def setup(self):
        self.interval = float(getattr(settings_of(self.container.config), self.setting)) * self.scale
        super().setup()


every = Every.decorator
