"""Intake: every channel's input becomes a `NewCase`; `take_in` validates, places and records it as a new case
(status `received`) with its reporter, in one transaction with the `received` event."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime

import structlog
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from services.intake.adapters.tables import IdempotencyKey
from services.intake.domain.reports import place
from shared import lifecycle, observability
from shared.catalog import load_catalog
from shared.contracts.api import ReportIn
from shared.protect import seal
from shared.store.tables import Case, Reporter

log = structlog.get_logger("yiwang.intake")


class IdempotencyConflict(Exception):
    """The Idempotency-Key was used before with a different request body."""


@dataclass(frozen=True)
class Accepted:
    case_id: str
    status: str
    replayed: bool


@dataclass(frozen=True)
class Idempotency:
    """A retry with the same (scope, key) answers with the first case. With `digest`, a different body under the
    same key is a conflict; without, the key alone decides (a 12345 order number)."""

    scope: str
    key: str
    digest: str | None = None


@dataclass
class NewCase:
    source: str                      # hotline | grid | sensor | open311 | desk
    description: str
    lon: float | None = None
    lat: float | None = None
    address: str | None = None
    region: str | None = None        # as the request gave it
    category: str | None = None
    priority: str = "normal"
    reporter_name: str | None = None
    reporter_phone: str | None = None
    external_ref: str | None = None
    channel: str | None = None
    media: list[str] = field(default_factory=list)
    occurred_at: datetime | None = None
    group_key: str | None = None
    deadline_caps: dict = field(default_factory=dict)
    facts: dict = field(default_factory=dict)  # source-specific facts for the `received` event (never a phone)


def digest_of(value) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()


def take_in(store, new: NewCase, actor: str, idempotency: Idempotency | None = None, uow_hook=None) -> Accepted:
    """Record `new` as a case. `uow_hook(uow, case)` runs inside the transaction (e.g. to remember a signature)."""
    catalog = load_catalog()
    if new.category:
        catalog.category(new.category)  # raises UnknownCategory
    placement = place(new.region, store.center, catalog.regions, new.lon, new.lat)

    def write(uow) -> Accepted:
        if idempotency:
            seen = uow.session.exec(select(IdempotencyKey).where(
                IdempotencyKey.scope == idempotency.scope, IdempotencyKey.key == idempotency.key)).first()
            if seen:
                if idempotency.digest and seen.request_hash != idempotency.digest:
                    raise IdempotencyConflict("this Idempotency-Key was used for a different report")
                return Accepted(seen.case_id, uow.case(seen.case_id, lock=False).status, True)
        now = uow.now()
        case = Case(
            id=uow.next_case_id(), status=lifecycle.RECEIVED, source=new.source, external_ref=new.external_ref,
            description=observability.mask_phone(new.description),  # a number typed in the text stays out of events too
            category=new.category, priority=new.priority,
            lon=new.lon, lat=new.lat, address=observability.mask_phone(new.address), region=placement.region, center=store.center,
            media=list(new.media), occurred_at=new.occurred_at, group_key=new.group_key,
            alert_count=1 if new.source == "sensor" else 0, deadline_caps=dict(new.deadline_caps),
            reporters_count=1, created_at=now, updated_at=now, traceparent=observability.current_traceparent())
        uow.record(case, [lifecycle.Event("received", {
            "source": new.source, "category": new.category, "priority": new.priority,
            "region_from": placement.how, "location": {"lon": case.lon, "lat": case.lat, "address": case.address},
            "description": case.description, **new.facts})], actor)
        uow.add(Reporter(case_id=case.id, reported_case_id=case.id, source=new.source,
                         external_ref=new.external_ref, channel=new.channel, name=new.reporter_name,
                         phone_sealed=seal(new.reporter_phone), created_at=now))
        if idempotency:
            uow.add(IdempotencyKey(scope=idempotency.scope, key=idempotency.key,
                                   request_hash=idempotency.digest or "", case_id=case.id, created_at=now))
        if uow_hook:
            uow_hook(uow, case)
        return Accepted(case.id, case.status, False)

    # reports arriving while another commits share its next transaction (group commit); each is answered only
    # after its own is durable
    try:
        accepted = store.together(write)
    except IntegrityError:
        if not idempotency:
            raise
        with store.uow() as uow:  # a concurrent retry with the same key won: answer with its case
            accepted = write(uow)
            uow.commit()
    if not accepted.replayed:
        log.info("report received", case_id=accepted.case_id, source=new.source, region=placement.region)
    return accepted


def submit_report(store, report: ReportIn, *, source: str, actor: str, idempotency: tuple[str, str] | None = None,
                  external_ref: str | None = None) -> Accepted:
    """A report of a grid worker or the desk (`POST /api/v1/reports`)."""
    new = NewCase(source=source, description=report.description, category=report.category,
                  lon=report.location.lon, lat=report.location.lat, address=report.location.address,
                  region=report.region, reporter_name=report.reporter.name if report.reporter else None,
                  reporter_phone=report.reporter.phone if report.reporter else None, external_ref=external_ref,
                  media=[str(m) for m in report.media], occurred_at=report.occurred_at)
    key = Idempotency(idempotency[0], idempotency[1], digest_of(report.model_dump(mode="json"))) if idempotency else None
    return take_in(store, new, actor, key)
