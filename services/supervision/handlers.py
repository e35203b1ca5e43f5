"""Supervision: per-stage deadlines on the working-time calendar, lights, due-soon and overdue warnings
(督办), verification (核查) with rework (返工), extensions (延期) and supervision levels."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlmodel import col, select

from services.supervision.adapters.tables import CaseDeadline
from services.supervision.domain.deadlines import (
    Plan,
    StageCalendar,
    calendar_for,
    late_completion,
    light_at,
    on_event,
    stage_calendar,
)
from services.supervision.domain.escalation import Firing, due_firings, load_rules, schedule
from services.supervision.tasks import TaskWatch, keep_task_keys, watch_task, watched
from shared import lifecycle
from shared.calendar import default_calendar
from shared.catalog import ALWAYS_ON, UNIT_STAGES, load_catalog
from shared.contracts.events import CENTER_EVENTS
from shared.lifecycle import tasks as lifecycle_tasks
from shared.store.tables import Case
from shared.store.uow import HAND_OVERS, NotFound

ACTOR = "system:supervision"
STAGE_OF_STATUS = {"dispatched": "sign", "accepted": "resolve", "resolved": "verify", "verified": "feedback"}
PLAN_FIELDS = tuple(Plan.__dataclass_fields__)


def _plan(row: CaseDeadline) -> Plan:
    return Plan(**{k: getattr(row, k) for k in PLAN_FIELDS if k != "warned"}, warned=list(row.warned or []))


def _store_plan(row: CaseDeadline, plan: Plan) -> None:
    for k in PLAN_FIELDS:
        setattr(row, k, getattr(plan, k))
    row.warned = list(plan.warned)


def unit_calendar(unit: str | None) -> StageCalendar:
    """The calendar of the unit holding a case (its own working hours from the catalog, else the center's)."""
    return calendar_for(default_calendar(), load_catalog().unit_hours(unit))


def parent_of(center: str) -> str | None:
    return load_catalog().regions.get(center).parent


def supervise_step(f: Firing, center: str) -> lifecycle.Supervise:
    """The `supervise` command a chain's firing becomes; a 提级 names the parent center as the supervisor."""
    return lifecycle.Supervise(f.step.note_for(f.stage) + (f"（第{f.n + 1}次）" if f.n else ""), level=f.step.rank,
                               step=f.step.level, stage=f.stage, notify=f.step.notify, channel=f.step.channel,
                               supervisor=parent_of(center) if f.step.escalates else None)


def chain_firings(case, plan: Plan, now: datetime) -> tuple[list[Firing], datetime | None]:
    """What the escalation chain of the plan's stage emits now, and when it next fires."""
    due, start = plan.due(), plan.stage_started_at
    steps = load_rules().chain(plan.stage, case.priority)
    if plan.stage is None or due is None or start is None or not steps:
        return [], None
    cal = stage_calendar(plan.stage, default_calendar(), unit_calendar(case.unit))
    return due_firings(plan.stage, steps, start, due, cal, now, plan.warned)


def _refresh(uow, case, row: CaseDeadline, plan: Plan, now: datetime) -> None:
    """Set light, overdue and the next check; emit the warnings that are due (once per stage), and each step of
    the stage's escalation chain (supervision's data: 催办 → 督办 → 挂牌督办 → 提级) once, and again where it
    repeats."""
    if plan.paused_at is not None and plan.stage is not None:  # 挂账/缓办: the clocks and the light stand still
        _store_plan(row, plan)
        row.next_check_at = plan.resume_at  # the sweep resumes it then (none: resumed by hand)
        uow.add(row)
        return
    rules = load_rules()
    cal = stage_calendar(plan.stage, default_calendar(), unit_calendar(case.unit))
    light = light_at(plan, now, cal, rules.yellow(plan.stage))
    if plan.stage is not None:  # only a stage has warnings
        for kind in light.warnings:
            uow.apply(case, lifecycle.Warn(kind, plan.stage), ACTOR)
            plan.warned.append(f"{plan.stage}:{kind}")
    next_check = light.next_check_at
    firings, next_at = chain_firings(case, plan, now)
    for f in firings:
        if case.status in lifecycle.OPEN:
            uow.apply(case, supervise_step(f, case.center), ACTOR)
        plan.warned.append(f.key)
    if next_at is not None:
        next_check = next_at if next_check is None else min(next_check, next_at)
    task_next = _watch_tasks(uow, case, plan, now)
    if task_next is not None:
        next_check = task_next if next_check is None else min(next_check, task_next)
    _store_plan(row, plan)
    row.light, row.overdue, row.next_check_at = light.light, light.overdue, next_check
    uow.add(row)


# ---- the assisting units' sub-tasks (联合处置, 街道吹哨) ----------------------------------------------------------------
def task_watches(uow, case, plan: Plan, now: datetime) -> list[TaskWatch]:
    """What the sweep owes each assisting unit's open sub-task of the case now (none for a case never handled jointly,
    finished, paused, or not this center's)."""
    if not case.assisting_units or case.status not in lifecycle.OPEN or case.center != uow.center \
            or plan.paused_at is not None:
        return []
    rules = load_rules()
    out = []
    for task in watched(lifecycle_tasks.fold(uow.timeline_of(case.id)).values()):
        cal = stage_calendar(task.stage, default_calendar(), unit_calendar(task.unit))
        out.append(watch_task(task, rules.chain(task.stage, case.priority), cal, now, plan.warned,
                              rules.yellow(task.stage)))
    return out


def _watch_tasks(uow, case, plan: Plan, now: datetime) -> datetime | None:
    """Watch each assisting unit's open sub-task as the case is watched: its `due_soon` and `overdue` warnings and the
    steps of its stage's escalation chain, each once (the keys go into the case's `warned`), told to that unit (the
    events name it, with `task`); returns when the sub-tasks next need a look."""
    next_check: datetime | None = None
    for w in task_watches(uow, case, plan, now):
        unit = w.task.unit
        events = [lifecycle.Event(kind, {"stage": w.stage, "unit": unit, "task": True}) for kind in w.warnings]
        events += [_task_step(f, case.center, unit) for f in w.firings]
        if events:
            _record_for_unit(uow, case, unit, events)
        plan.warned.extend(w.keys)
        if w.next_check_at is not None:
            next_check = w.next_check_at if next_check is None else min(next_check, w.next_check_at)
    return next_check


def _unit_name(unit: str) -> str:
    try:
        return load_catalog().unit(unit).name
    except LookupError:
        return unit


def _task_step(f: Firing, center: str, unit: str) -> lifecycle.Event:
    """A chain's firing for an assisting unit's sub-task: a `supervised` event naming the unit (`task`), which leaves
    the case's own supervision level as it is (the lead's)."""
    note = f"{_unit_name(unit)}（协办）{f.step.note_for(f.stage)}" + (f"（第{f.n + 1}次）" if f.n else "")
    data = {"level": f.step.rank, "unit": unit, "task": True, "note": note, "step": f.step.level, "stage": f.stage,
            "notify": list(f.step.notify) or None, "channel": list(f.step.channel) or None,
            "supervisor": parent_of(center) if f.step.escalates else None}
    return lifecycle.Event("supervised", {k: v for k, v in data.items() if v is not None})


def _record_for_unit(uow, case, unit: str, events: list[lifecycle.Event]) -> None:
    """Record a sub-task's events on the case (timeline, outbox) and have the reactions — notification's above all —
    see them as the unit's: the case as a copy held by that unit (never added to the session), as dispatch tells a
    new sub-task (notification's new-task rule), so its handlers and its leader are told, not the lead's."""
    start = len(uow._recorded)
    uow.record(case, events, ACTOR)
    shown = Case(**case.model_dump())
    shown.unit = unit
    uow._recorded[start:] = [replace(r, case=shown) for r in uow._recorded[start:]]


def track(store, event) -> None:
    """Follow the case's lifecycle events and keep its deadlines."""
    def write(uow):
        if event.name in HAND_OVERS and uow.session.get(Case, event.subject) is None:
            return  # handed to this center and not adopted yet: nothing to time until it is dispatched here
        case = uow.case(event.subject)  # the lock serialises this with the sweep and with actions
        if case.center != store.center:
            return
        row = uow.session.get(CaseDeadline, case.id) or CaseDeadline(case_id=case.id)
        plan = _plan(row)
        late = late_completion(plan, event.name, event.time)
        if late and case.status in lifecycle.OPEN:
            uow.apply(case, lifecycle.Warn("overdue", late), ACTOR)  # charge the delay even between sweeps
            plan.warned.append(f"{late}:overdue")
        if event.name in ("dispatched", "transferred", "reworked", "reopened") and plan.stage_started_at \
                and event.time < plan.stage_started_at:
            return  # an older hand-over arriving late: the newer plan stands
        category = load_catalog().category(case.category)
        before = list(plan.warned)
        plan = on_event(plan, event.name, event.data, event.time, category, default_calendar(), case.deadline_caps,
                        case.priority, unit_calendar(case.unit))
        plan.warned = keep_task_keys(before, plan.warned)  # a new stage of the case is not a sub-task's
        plan.stage = STAGE_OF_STATUS.get(case.status) if plan.stage is not None else None
        _refresh(uow, case, row, plan, uow.now())
    store.once("supervision.track", event, write)


WARNING_LIGHT = {"due_soon": ("yellow", False), "overdue": ("red", True)}


def follow_below(store, event) -> None:
    """Data flows up (数据归集): keep a read-only copy of every case of the centers below, with its full
    timeline and the light its warnings show, so this center can watch and supervise its whole subtree."""
    if event.name in CENTER_EVENTS:  # a center's own event (a child's audit head for its parent), not a case
        return
    def write(uow):
        case = uow.copy_from(event)
        if case.center != store.center:
            row = uow.session.get(CaseDeadline, case.id) or CaseDeadline(case_id=case.id)
            if event.name in WARNING_LIGHT and getattr(event.payload, "task", None):
                pass  # an assisting unit's sub-task is late, not the case: its light is the sub-task's (tasks_public)
            elif event.name in WARNING_LIGHT:
                row.light, row.overdue = WARNING_LIGHT[event.name]
                row.stage = event.payload.stage
            elif event.name in ("dispatched", "transferred", "accepted", "resolved", "verified", "reworked",
                                "reopened", "closed", "rejected", "merged", "routed", "escalated", "voided",
                                "return_reviewed"):
                row.light, row.overdue = "green", False  # a new stage (or the end): the owner's sweep decides again
            uow.add(row)
    store.once("supervision.follow_below", event, write)


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
            elif plan.paused_at is not None and plan.resume_at is not None and plan.resume_at <= now:
                if case.suspension == lifecycle.SUSPENDED:  # 挂账 until a time: it ends by itself
                    uow.apply(case, lifecycle.Resume("挂账到期，自动恢复", auto=True), ACTOR)
                row.next_check_at = None  # `resumed` moves the deadlines out (track) and plans the next check
                uow.add(row)
                uow.commit()
                continue
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
    so the owner (and every center between) records it. Reaching the top level by hand is 提级督办: the parent
    of the center holding the case supervises it from then on."""
    cmd = lifecycle.Supervise(note)
    with store.session() as s:
        case = s.get(Case, case_id)
        if case is not None and case.supervision_level + 1 == lifecycle.MAX_SUPERVISION_LEVEL:
            cmd = lifecycle.Supervise(note, step="提级", supervisor=parent_of(case.center))
    return store.act(case_id, cmd, actor, guard)


def supervised_from_above(store, event) -> None:
    """An ancestor supervised one of this center's cases: take its level and its timeline entry."""
    if event.center == store.center:
        return
    def write(uow):
        case = uow.case(event.subject)
        if case.center == store.center:
            case.supervision_level = max(case.supervision_level, event.payload.level)
            uow.add(case)
            uow.take_entry(event, case)
    store.once("supervision.from_above", event, write)



# ---- the escalation dry run ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class StepPreview:
    """One step of the chain of a case's current stage, as `yiwang escalation dry-run` shows it."""

    level: str
    at: datetime                 # its first firing
    state: str                   # fired | due (the next sweep emits it) | pending
    fired: int                   # how many of its firings were emitted
    next_at: datetime | None     # its next firing (a repeat, or the first) after `now`
    repeat: str | None
    notify: tuple[str, ...]      # whom, spelled out
    channel: tuple[str, ...]


@dataclass(frozen=True)
class EscalationPreview:
    case_id: str
    center: str
    stage: str | None
    priority: str
    unit: str | None
    hours: str                   # the calendar the stage runs on
    started_at: datetime | None
    due: datetime | None
    light: str
    steps: list[StepPreview]


def _who(target: str, case) -> str:
    if target == "unit_leader":
        return f"the leader of {case.unit or 'the holding unit'}"
    if target == "duty_roster":
        return f"the duty roster of {case.center}"
    if target == "parent_center":
        parent = parent_of(case.center)
        return f"the parent center {parent}" if parent else "the parent center (none: this is the top)"
    if target == "handler":
        return f"the handlers of {case.unit or 'the holding unit'}"
    return f"the {target}s of {case.center}"


def escalation_preview(store, case_id: str, now: datetime | None = None) -> EscalationPreview:
    """What the escalation chain of the case's current stage will do, and has done, by `now` (default: the
    center's clock) — read from this center's database, changing nothing."""
    now = now or store.now()
    with store.session() as s:
        case = s.get(Case, case_id)
        if case is None:
            raise NotFound("case", case_id)
        row = s.get(CaseDeadline, case_id)
    plan = _plan(row) if row is not None else Plan()
    hours = load_catalog().unit_hours(case.unit) if plan.stage in UNIT_STAGES else None
    steps: list[StepPreview] = []
    due, start = plan.due(), plan.stage_started_at
    chain = load_rules().chain(plan.stage, case.priority)
    if plan.stage is not None and due is not None and start is not None and chain:
        cal = stage_calendar(plan.stage, default_calendar(), unit_calendar(case.unit))
        firings = schedule(plan.stage, chain, start, due, cal, now)
        done = set(plan.warned)
        for index, step in enumerate(chain):
            mine = [f for f in firings if f.index == index]
            fired = sum(1 for f in mine if f.key in done)
            later = [f.at for f in mine if f.at > now]
            state = "fired" if fired else ("due" if mine[0].at <= now else "pending")
            steps.append(StepPreview(step.level, mine[0].at, state, fired, later[0] if later else None,
                                     str(step.repeat) if step.repeat else None,
                                     tuple(_who(n, case) for n in step.notify), step.channel))
    if hours is None:
        spelled = "the center's working hours"
    elif isinstance(hours, str):
        spelled = f"{ALWAYS_ON} (around the clock)"
    else:
        spelled = "its own hours " + " ".join(f"{a}-{b}" for a, b in hours)
    return EscalationPreview(case.id, case.center, plan.stage, case.priority, case.unit, spelled, start, due,
                             row.light if row is not None else "green", steps)
