"""Supervision: per-stage deadlines on the working-time calendar, lights, due-soon and overdue warnings
(督办), verification (核查) with rework (返工), extensions (延期) and supervision levels."""
from __future__ import annotations

from datetime import datetime

from sqlmodel import col, select

from services.supervision.adapters.tables import CaseDeadline
from services.supervision.domain.deadlines import Plan, ladder, late_completion, light_at, on_event
from shared import lifecycle
from shared.calendar import default_calendar
from shared.catalog import load_catalog
from shared.store.tables import Case
from shared.store.uow import HAND_OVERS

ACTOR = "system:supervision"
STAGE_OF_STATUS = {"dispatched": "sign", "accepted": "resolve", "resolved": "verify", "verified": "feedback"}
PLAN_FIELDS = tuple(Plan.__dataclass_fields__)


def _plan(row: CaseDeadline) -> Plan:
    return Plan(**{k: getattr(row, k) for k in PLAN_FIELDS if k != "warned"}, warned=list(row.warned or []))


def _store_plan(row: CaseDeadline, plan: Plan) -> None:
    for k in PLAN_FIELDS:
        setattr(row, k, getattr(plan, k))
    row.warned = list(plan.warned)


def _refresh(uow, case, row: CaseDeadline, plan: Plan, now: datetime) -> None:
    """Set light, overdue and the next check; emit the warnings that are due (once per stage), and climb the
    supervision ladder of an overdue stage (催办 → 督办 → 提级督办)."""
    light = light_at(plan, now, default_calendar())
    if plan.stage is not None:  # only a stage has warnings
        for kind in light.warnings:
            uow.apply(case, lifecycle.Warn(kind, plan.stage), ACTOR)
            plan.warned.append(f"{plan.stage}:{kind}")
    next_check = light.next_check_at
    if light.overdue and plan.stage in ("sign", "resolve"):
        reached, next_level_at = ladder(plan, now)
        for level, note in reached:
            if case.supervision_level < level and case.status in lifecycle.OPEN:
                uow.apply(case, lifecycle.Supervise(note), ACTOR)
        next_check = next_level_at
    _store_plan(row, plan)
    row.light, row.overdue, row.next_check_at = light.light, light.overdue, next_check
    uow.add(row)


def track(store, event) -> None:
    """Follow the case's lifecycle events and keep its deadlines."""
    with store.uow() as uow:
        if not uow.first_time("supervision.track", event.id):
            return
        if event.name in HAND_OVERS and uow.session.get(Case, event.subject) is None:
            uow.commit()  # handed to this center and not adopted yet: nothing to time until it is dispatched here
            return
        case = uow.case(event.subject)  # the lock serialises this with the sweep and with actions
        if case.center != store.center:
            uow.commit()
            return
        row = uow.session.get(CaseDeadline, case.id) or CaseDeadline(case_id=case.id)
        plan = _plan(row)
        late = late_completion(plan, event.name, event.time)
        if late and case.status in lifecycle.OPEN:
            uow.apply(case, lifecycle.Warn("overdue", late), ACTOR)  # charge the delay even between sweeps
            plan.warned.append(f"{late}:overdue")
        if event.name in ("dispatched", "transferred", "reworked", "reopened") and plan.stage_started_at \
                and event.time < plan.stage_started_at:
            uow.commit()  # an older hand-over arriving late: the newer plan stands
            return
        category = load_catalog().category(case.category)
        plan = on_event(plan, event.name, event.data, event.time, category, default_calendar(), case.deadline_caps)
        plan.stage = STAGE_OF_STATUS.get(case.status) if plan.stage is not None else None
        _refresh(uow, case, row, plan, uow.now())
        uow.commit()


WARNING_LIGHT = {"due_soon": ("yellow", False), "overdue": ("red", True)}


def follow_below(store, event) -> None:
    """Data flows up (数据归集): keep a read-only copy of every case of the centers below, with its full
    timeline and the light its warnings show, so this center can watch and supervise its whole subtree."""
    with store.uow() as uow:
        if not uow.first_time("supervision.follow_below", event.id):
            return
        case = uow.copy_from(event)
        if case.center != store.center:
            row = uow.session.get(CaseDeadline, case.id) or CaseDeadline(case_id=case.id)
            if event.name in WARNING_LIGHT:
                row.light, row.overdue = WARNING_LIGHT[event.name]
                row.stage = event.payload.stage
            elif event.name in ("dispatched", "transferred", "accepted", "resolved", "verified", "reworked",
                                "reopened", "closed", "rejected", "merged", "routed", "escalated"):
                row.light, row.overdue = "green", False  # a new stage (or the end): the owner's sweep decides again
            uow.add(row)
        uow.commit()


def sweep(store, batch: int = 200) -> int:
    """Turn lights for cases whose next check is due — an indexed range scan, never every case."""
    now = store.now()
    with store.session() as s:
        due = s.exec(select(CaseDeadline.case_id).where(col(CaseDeadline.next_check_at) <= now)
                     .order_by(col(CaseDeadline.next_check_at)).limit(batch)).all()
    for case_id in due:
        with store.uow() as uow:
            case = uow.case(case_id)
            row = uow.session.get(CaseDeadline, case_id)
            if row is None or row.next_check_at is None or row.next_check_at > now:
                continue
            plan = _plan(row)
            if case.status not in lifecycle.OPEN or case.center != store.center:
                plan = Plan()  # finished, or handed to another center: no deadline of ours any more
            _refresh(uow, case, row, plan, uow.now())
            uow.commit()
    return len(due)


# ---- actions ------------------------------------------------------------------------------------
def verify(store, case_id, actor, passed: bool, note=None, guard=None, media=()):
    return store.act(case_id, lifecycle.Verify(passed, note, tuple(str(m) for m in media)), actor, guard)


def request_extension(store, case_id, actor, reason, hours=None, working_days=None, guard=None):
    return store.act(case_id, lifecycle.RequestExtension(reason, hours, working_days), actor, guard)


def decide_extension(store, case_id, actor, approved: bool, note=None, guard=None):
    return store.act(case_id, lifecycle.DecideExtension(approved, note), actor, guard)


def supervise(store, case_id, actor, note=None, guard=None):
    """督办 by this center — the owner, or an ancestor following the case: the event goes to the owner's key,
    so the owner (and every center between) records it."""
    return store.act(case_id, lifecycle.Supervise(note), actor, guard)


def supervised_from_above(store, event) -> None:
    """An ancestor supervised one of this center's cases: take its level and its timeline entry."""
    if event.center == store.center:
        return
    with store.uow() as uow:
        if not uow.first_time("supervision.from_above", event.id):
            return
        case = uow.case(event.subject)
        if case.center == store.center:
            case.supervision_level = max(case.supervision_level, event.payload.level)
            uow.add(case)
            uow.take_entry(event, case)
        uow.commit()

