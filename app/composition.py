"""The composition root: which services exist, the container config they get (the validated settings), what the
process is configured with at start-up, and the reactions every unit of work runs (the cross-cutting concerns
that subscribe to what a center records). Every process that runs services goes through here first."""
from __future__ import annotations

import importlib
from dataclasses import replace
from pathlib import Path

from services.feedback.api import owe_hotline_updates
from services.intake.api import use_boundaries
from services.live.api import record_changes
from services.media.api import link_media
from services.notification.api import notify
from shared import protect
from shared.config import Settings
from shared.extensions.settings import CONFIG_KEY
from shared.messaging import topology
from shared.store import uow

SERVICES = {
    "intake": "services.intake.service:IntakeService",
    "triage": "services.triage.service:TriageService",
    "dispatch": "services.dispatch.service:DispatchService",
    "supervision": "services.supervision.service:SupervisionService",
    "feedback": "services.feedback.service:FeedbackService",
    "gateway": "services.gateway.service:GatewayService",
}
SCREENS = Path(__file__).resolve().parent / "screens"  # the three screens' static files (docs/screens.md)
REACTIONS = (
    owe_hotline_updates,  # 12345 updates owed when a case changes
    record_changes,       # the live feed the screens stream
    notify,               # notifications to handlers and dispatchers (also on the live feed)
    link_media,           # which cases cite which photos (who may see them)
)


def wire(settings: Settings) -> None:
    """Configure this process from the settings and subscribe the reactions to the unit of work (idempotent).
    Raises `BoundaryError` for a bad boundary file."""
    protect.use_key(settings.data_key)
    use_boundaries(settings.boundaries_file)
    for reaction in REACTIONS:
        uow.react(reaction)


def container_config(region: str, settings: Settings, web_address: str = "127.0.0.1:0") -> dict:
    """What every service of the center's containers is given: the center and its settings (the screens served
    from the packaged bundle unless another directory is set)."""
    settings = replace(settings, screens_dir=settings.screens_dir or str(SCREENS))
    return {"AMQP_URI": settings.amqp_uri, "WEB_SERVER_ADDRESS": web_address, "max_workers": settings.max_workers,
            "YIWANG_CENTER": region, CONFIG_KEY: settings}


def service_class(name: str) -> type:
    module, cls = SERVICES[name].split(":")
    return getattr(importlib.import_module(module), cls)


def all_subscriptions(center: str) -> list[topology.Subscription]:
    return topology.subscriptions(center, [service_class(n) for n in SERVICES])
