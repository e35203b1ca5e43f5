"""Dispatch: hand a triaged case to its unit, and take the unit's answers — accept (签收), return (退单,
back to triage), transfer (转派), escalate (上报, to the parent center), resolve (办结)."""
from __future__ import annotations

from shared import lifecycle
from shared.catalog import load_catalog

ACTOR = "system:dispatch"


def dispatch_case(store, event) -> None:
    with store.uow() as uow:
        if not uow.first_time("dispatch.dispatch", event.id):
            return
        case = uow.case(event.subject)
        if case.status != lifecycle.TRIAGED or not case.unit or case.center != store.center:
            uow.commit()  # stale
            return
        uow.apply(case, lifecycle.Dispatch(case.unit, tuple(case.assisting_units)), ACTOR)
        uow.commit()


def accept(store, case_id, actor, note=None, guard=None):
    return store.act(case_id, lifecycle.Accept(note), actor, guard)


def return_case(store, case_id, actor, reason, guard=None):
    return store.act(case_id, lifecycle.Return(reason), actor, guard)


def transfer(store, case_id, actor, unit, reason=None, guard=None):
    load_catalog().unit(unit)  # raises UnknownUnit
    return store.act(case_id, lifecycle.Transfer(unit, reason), actor, guard)


def escalate(store, case_id, actor, reason, guard=None):
    parent = load_catalog().regions.parent(store.center)
    return store.act(case_id, lifecycle.Escalate(reason, parent), actor, guard)


def resolve(store, case_id, actor, note, media=(), guard=None):
    return store.act(case_id, lifecycle.Resolve(note, tuple(str(m) for m in media)), actor, guard)
