"""The composition root: which services exist, the container config they get (the validated settings), what the
process is configured with at start-up, and the reactions every unit of work runs (the cross-cutting concerns
that subscribe to what a center records). Every process that runs services goes through here first."""
from __future__ import annotations

import hashlib
import importlib
import os
from dataclasses import replace
from pathlib import Path

from services.audit.api import audit_actions
from services.feedback.api import owe_hotline_updates
from services.intake.api import use_boundaries
from services.live.api import record_changes
from services.media.api import link_media
from services.notification.api import notify, use_channels
from services.warning.api import find_patterns, use_caller_secret
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
    find_patterns,        # case patterns (hotspot, trend, repeat caller) raising warnings (services/warning/); after
                          # the live feed, so a warning's row follows the change that raised it
    notify,               # notifications to handlers and dispatchers (also on the live feed), and the webhook and
                          # SMS deliveries the duty rosters name (services/notification/channels.py)
    link_media,           # which cases cite which photos (who may see them)
    audit_actions,        # the audit chain: one entry per action, linked after commit (services/audit/)
)


def wire(settings: Settings) -> None:
    """Configure this process from the settings and subscribe the reactions to the unit of work (idempotent).
    Raises `BoundaryError` for a bad boundary file."""
    protect.use_key(settings.data_key)
    use_caller_secret(settings.data_key)  # repeat callers are keyed by an HMAC under a key derived from the data key
    use_boundaries(settings.boundaries_file)
    use_channels(webhook=bool(settings.webhook_url and settings.webhook_secret), sms=bool(settings.sms_url),
                 rosters_file=settings.rosters_file)  # a bad rosters file stops the start (RosterError)
    for reaction in REACTIONS:
        uow.react(reaction)
    topology.know_subscriptions(all_subscriptions)  # a center declares another's queues before handing it a case


def container_config(region: str, settings: Settings, web_address: str = "127.0.0.1:0") -> dict:
    """What every service of the center's containers is given: the center and its settings (the screens served
    from the packaged bundle unless another directory is set)."""
    settings = replace(settings, screens_dir=settings.screens_dir or str(SCREENS))
    return {"AMQP_URI": settings.amqp_uri, "WEB_SERVER_ADDRESS": web_address, "max_workers": settings.max_workers,
            "YIWANG_CENTER": region, CONFIG_KEY: settings}


def rule_digests(settings: Settings) -> dict[str, str]:
    """The SHA-256 of every file of rules and reference data a center runs on, by its packaged name (each
    `services/*/data` and `shared/*/data` file, or the file a setting names in its place). A start notes the changed
    ones in the audit chain (`services.audit.api.note_rules`)."""
    files = {}
    for top in ("services", "shared"):
        base = Path(importlib.import_module(top).__file__ or "").parent
        files.update({p.relative_to(base.parent).as_posix(): p for p in sorted(base.glob("*/data/**/*"))
                      if p.is_file() and p.suffix in (".toml", ".json", ".geojson")})
    replaced = {"services/notification/data/rosters.toml": settings.rosters_file,
                "shared/catalog/data/boundaries-320600.geojson": settings.boundaries_file,
                "services/dispatch/data/workflow.toml": os.environ.get("YIWANG_WORKFLOW_FILE"),
                "services/media/data/evidence.toml": os.environ.get("YIWANG_EVIDENCE_FILE"),
                "shared/calendar/data/holidays.toml": os.environ.get("YIWANG_HOLIDAYS_FILE")}
    files.update({name: Path(path) for name, path in replaced.items() if path})
    return {name: hashlib.sha256(path.read_bytes()).hexdigest() for name, path in files.items()}


def service_class(name: str) -> type:
    module, cls = SERVICES[name].split(":")
    return getattr(importlib.import_module(module), cls)


def all_subscriptions(center: str) -> list[topology.Subscription]:
    return topology.subscriptions(center, [service_class(n) for n in SERVICES])
