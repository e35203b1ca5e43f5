"""Triage: classify a case when no category was given, set its priority, and route it — to a unit of this
center or to a lower center — from the data-defined routing table, recording which rule fired."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
import structlog
from sqlmodel import select

from services.triage.domain import duplicates
from services.triage.domain.classifier import classify
from services.triage.domain.routing import RouteDecision, RouteRequest, route
from shared import lifecycle
from shared.catalog import load_catalog
from shared.geo import bbox
from shared.store.tables import Case, Reporter
from shared.store.uow import HAND_OVERS

log = structlog.get_logger("yiwang.triage")
PRIORITY_RANK = {"urgent": 0, "high": 1, "normal": 2}
ACTOR = "system:triage"
MERGEABLE = (lifecycle.RECEIVED, lifecycle.TRIAGED, lifecycle.DISPATCHED, lifecycle.ACCEPTED)  # still being handled


def route_case(store, event, max_returns: int = 3) -> None:
    """On `received` (a new case), `routed` (handed down from the parent), `escalated` (up from a child) and
    `return_reviewed` (a unit's return approved by the dispatching center): route it — to a unit here, or to a lower
    center. After `max_returns` approved returns the command desk becomes its final owner (兜底). (`returned` is
    still taken: one recorded before the review existed left its case triaged, waiting to be routed again; a
    return now waiting for its review leaves the case dispatched, so it is passed over as stale.)"""
    catalog = load_catalog()

    def write(uow):
        case = uow.copy_from(event) if event.name in HAND_OVERS else uow.case(event.subject)
        if case.center != store.center or case.status not in (lifecycle.RECEIVED, lifecycle.TRIAGED) or case.unit:
            return  # stale: the case moved on since this event; nothing to do
        category = case.category
        if category is None:
            found = classify(case.description, catalog)
            category = found.category
            log.info("classified", case_id=case.id, category=category, matched=list(found.matched))
        if event.name == "received":
            dup = find_duplicate(uow, case, catalog.category(category), uow.now())
            if dup is not None:
                case.category = category
                _merge(uow, case, uow.case(dup.case_id, lock=False), ACTOR,
                       f"并单: 同类问题 {dup.distance_m:.0f} 米内已有案件 {dup.case_id}")
                return
        default = catalog.category(category).priority
        priority = min(case.priority, default, key=PRIORITY_RANK.__getitem__)
        decision = route(RouteRequest(center=store.center, category=category, priority=priority, source=case.source,
                                      region=case.region, exclude_units=frozenset(case.returned_by),
                                      escalated=event.name == "escalated"), catalog)
        if case.return_count >= max_returns and (final := catalog.unit_for(store.center, catalog.command_kind)):
            decision = RouteDecision(rule="final-owner", center=store.center, unit=final.code, assisting=(),
                                      reason=f"兜底: returned {case.return_count} times; {final.name} is the final owner")
        uow.apply(case, lifecycle.Triage(
            category=category, priority=priority, unit=decision.unit, rule=decision.rule, reason=decision.reason,
            center=decision.center if decision.center != store.center else None,
            assisting_units=tuple(decision.assisting)), ACTOR)
        case.triage_rule = decision.rule
    store.once("triage.route", event, write)


def reject(store, case_id: str, reason: str, actor: str, guard=None):
    return store.act(case_id, lifecycle.Reject(reason), actor, guard)


def find_duplicate(uow, case, category, now):
    """An open case of the same category near this one and recent enough (并单), as this center sees it."""
    if case.lon is None or case.lat is None or category.merge_radius_m <= 0:
        return None
    radius, window = category.merge_radius_m, timedelta(hours=category.merge_window_hours)
    lo_lon, hi_lon, lo_lat, hi_lat = bbox(case.lon, case.lat, radius)
    rows = uow.session.exec(select(Case.id, Case.lon, Case.lat, Case.created_at).where(
        Case.category == category.code, Case.created_at >= now - window, Case.status.in_(MERGEABLE),
        Case.id != case.id, Case.lon.between(lo_lon, hi_lon), Case.lat.between(lo_lat, hi_lat))).all()
    return duplicates.find(case.lon, case.lat, now, [duplicates.Candidate(*r) for r in rows], radius, window)


def merge(store, case_id: str, into: str, actor: str, guard=None):
    """A dispatcher merges a duplicate into another case by hand."""
    with store.uow() as uow:
        case = uow.case(case_id)
        if guard:
            guard(case, "merge")
        _merge(uow, case, uow.case(into, lock=False), actor)
        uow.commit()
        return case


def _merge(uow, case, target, actor: str, note: str | None = None) -> None:
    """Merge `case` into `target`: its reporters now wait for the target's answer (12345 callers are told)."""
    if target.status in lifecycle.FINAL:
        raise lifecycle.IllegalTransition("merge", case.status, f"the target case {target.id} is {target.status}")
    uow.apply(case, lifecycle.Merge(target.id, case.id, note), actor)
    uow.session.execute(sa.update(Reporter).where(Reporter.case_id == case.id).values(case_id=target.id))


def split(store, case_id: str, reason: str, actor: str, guard=None):
    """A dispatcher splits a merged case back out (拆单): its own reporters come back and triage routes it again."""
    def back(uow, case):
        uow.session.execute(sa.update(Reporter).where(Reporter.reported_case_id == case.id)
                            .values(case_id=case.id))
    return store.act(case_id, lifecycle.Split(reason), actor, guard, after=back)


def count_reporters(store, event) -> None:
    """The owner of a case counts the reporters merged into it (or split off), wherever the merge happened."""
    def write(uow):
        into = event.payload.into if event.name == "merged" else event.payload.from_
        target = uow.session.get(Case, into, with_for_update=True) if into else None
        if target is not None and target.center == store.center:
            n = event.payload.case.reporters_count
            target.reporters_count = max(1, target.reporters_count + (n if event.name == "merged" else -n))
            uow.add(target)
    store.once("triage.count_reporters", event, write)
