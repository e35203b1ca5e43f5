"""Triage: classify a case when no category was given, set its priority, and route it — to a unit of this
center or to a lower center — from the data-defined routing table, recording which rule fired."""
from __future__ import annotations

import structlog

from services.triage.domain.classifier import classify
from services.triage.domain.routing import RouteDecision, RouteRequest, route
from shared import lifecycle
from shared.catalog import load_catalog
from shared.store.uow import HAND_OVERS

log = structlog.get_logger("yiwang.triage")
PRIORITY_RANK = {"urgent": 0, "high": 1, "normal": 2}
ACTOR = "system:triage"


def route_case(store, event, max_returns: int = 3) -> None:
    """On `received` (a new case), `routed` (handed down from the parent), `escalated` (up from a child) and
    `returned` (by a unit): route it — to a unit here, or to a lower center. After `max_returns` returns the
    command desk becomes its final owner (兜底)."""
    catalog = load_catalog()
    with store.uow() as uow:
        if not uow.first_time("triage.route", event.id):
            return
        case = uow.copy_from(event) if event.name in HAND_OVERS else uow.case(event.subject)
        if case.center != store.center or case.status not in (lifecycle.RECEIVED, lifecycle.TRIAGED) or case.unit:
            uow.commit()  # stale: the case moved on since this event; nothing to do
            return
        category = case.category
        if category is None:
            found = classify(case.description, catalog)
            category = found.category
            log.info("classified", case_id=case.id, category=category, matched=list(found.matched))
        default = catalog.category(category).priority
        priority = min(case.priority, default, key=PRIORITY_RANK.__getitem__)
        decision = route(RouteRequest(center=store.center, category=category, priority=priority, source=case.source,
                                      region=case.region, exclude_units=frozenset(case.returned_by),
                                      escalated=event.name == "escalated"), catalog)
        if case.return_count >= max_returns and catalog.unit_for(store.center, catalog.command_kind):
            final = catalog.unit_for(store.center, catalog.command_kind)
            decision = RouteDecision(rule="final-owner", center=store.center, unit=final.code, assisting=(),
                                      reason=f"兜底: returned {case.return_count} times; {final.name} is the final owner")
        uow.apply(case, lifecycle.Triage(
            category=category, priority=priority, unit=decision.unit, rule=decision.rule, reason=decision.reason,
            center=decision.center if decision.center != store.center else None,
            assisting_units=tuple(decision.assisting)), ACTOR)
        case.triage_rule = decision.rule
        uow.commit()


def reject(store, case_id: str, reason: str, actor: str, guard=None):
    return store.act(case_id, lifecycle.Reject(reason), actor, guard)


def merge(store, case_id: str, into: str, actor: str, guard=None):
    def check(uow, case):
        if guard:
            guard(uow, case)
        target = uow.case(into, lock=False)
        if target.status in lifecycle.FINAL:
            raise lifecycle.IllegalTransition("merge", case.status, f"the target case {into} is {target.status}")
    return store.act(case_id, lifecycle.Merge(into, case_id), actor, check, after=_count_reporter(into))


def _count_reporter(into: str):
    def after(uow, case):
        target = uow.case(into)
        target.reporters_count += case.reporters_count
        uow.add(target)
    return after
