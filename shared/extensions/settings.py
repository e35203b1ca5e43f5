"""`CenterSettings`: the center's settings as a worker sees them — validated once at start-up by the composition
root (app/runner.py) and handed to the services in their container config, never read from the environment
while the center runs."""
from __future__ import annotations

from nameko.extensions import DependencyProvider

from shared.config import Settings

CONFIG_KEY = "YIWANG_SETTINGS"


def settings_of(config: dict) -> Settings:
    """The settings a container was started with."""
    return config[CONFIG_KEY]


class CenterSettings(DependencyProvider):
    def setup(self) -> None:
        self.settings = settings_of(self.container.config)

    def get_dependency(self, worker_ctx) -> Settings:  # noqa: ANN001
        return self.settings
