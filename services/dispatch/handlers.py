"""Dispatch: hand a triaged case to its unit, and take the unit's answers — accept (签收), return (退单,
back to triage), transfer (转派), escalate (上报, to the parent center), resolve (办结)."""
from __future__ import annotations

from shared import lifecycle
from shared.catalog import load_catalog
from shared.store.tables import Case

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
    """上报: the owner hands the case up to its parent center."""
    parent = load_catalog().regions.parent(store.center)
    return store.act(case_id, lifecycle.Escalate(reason, parent), actor, guard)


def take_up(store, case_id, actor, reason, guard=None):
    """提级: an ancestor following a case of its subtree takes it up to itself; its triage then routes it here."""
    return store.act(case_id, lifecycle.Escalate(reason, store.center), actor, guard)


def taken_up(store, event) -> None:
    """An ancestor took one of this center's cases up: our copy follows (the units here can no longer act)."""
    with store.uow() as uow:
        if not uow.first_time("dispatch.taken_up", event.id):
            return
        mine = uow.session.get(Case, event.subject)
        if mine is not None and mine.center == store.center:
            uow.copy_from(event)
        uow.commit()


def resolve(store, case_id, actor, note, media=(), guard=None):
    return store.act(case_id, lifecycle.Resolve(note, tuple(str(m) for m in media)), actor, guard)
