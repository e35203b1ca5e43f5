"""Intake: validate, normalise, place and record a report as a new case (status `received`)."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

import structlog
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from services.intake.domain.reports import place
from shared import lifecycle, observability
from shared.catalog import load_catalog
from shared.contracts.api import ReportIn
from shared.store.tables import Case, IdempotencyKey

log = structlog.get_logger("yiwang.intake")


class IdempotencyConflict(Exception):
    """The Idempotency-Key was used before with a different request body."""


@dataclass(frozen=True)
class Accepted:
    case_id: str
    status: str
    replayed: bool


def body_hash(report: ReportIn) -> str:
    return hashlib.sha256(json.dumps(report.model_dump(mode="json"), sort_keys=True).encode()).hexdigest()


def submit_report(store, report: ReportIn, *, source: str, actor: str, idempotency: tuple[str, str] | None = None,
                  external_ref: str | None = None) -> Accepted:
    """Record the report; with an idempotency (scope, key), a retry returns the first answer."""
    catalog = load_catalog()
    if report.category:
        catalog.category(report.category)  # raises UnknownCategory
    placement = place(report.region, store.center, catalog.regions)
    digest = body_hash(report)
    for attempt in (1, 2):
        with store.uow() as uow:
            if idempotency:
                seen = uow.session.exec(select(IdempotencyKey).where(
                    IdempotencyKey.scope == idempotency[0], IdempotencyKey.key == idempotency[1])).first()
                if seen:
                    if seen.request_hash != digest:
                        raise IdempotencyConflict("this Idempotency-Key was used for a different report")
                    status = uow.case(seen.case_id, lock=False).status
                    return Accepted(seen.case_id, status, True)
            now = uow.now()
            case = Case(
                id=uow.next_case_id(), status=lifecycle.RECEIVED, source=source, external_ref=external_ref,
                description=report.description, category=report.category, priority="normal",
                lon=report.location.lon, lat=report.location.lat, address=report.location.address,
                region=placement.region, center=store.center,
                reporter_name=report.reporter.name if report.reporter else None,
                reporter_phone=report.reporter.phone if report.reporter else None,
                media=[str(m) for m in report.media], occurred_at=report.occurred_at,
                created_at=now, updated_at=now, traceparent=observability.current_traceparent())
            uow.record(case, [lifecycle.Event("received", {
                "source": source, "category": report.category, "region_from": placement.how,
                "location": {"lon": case.lon, "lat": case.lat, "address": case.address},
                "description": case.description})], actor)
            if idempotency:
                uow.add(IdempotencyKey(scope=idempotency[0], key=idempotency[1], request_hash=digest,
                                       case_id=case.id, created_at=now))
            try:
                uow.commit()
            except IntegrityError:
                if idempotency and attempt == 1:
                    continue  # a concurrent retry with the same key won; answer with its case
                raise
            log.info("report received", case_id=case.id, source=source, region=case.region)
            return Accepted(case.id, case.status, False)
    raise RuntimeError("unreachable")  # pragma: no cover
