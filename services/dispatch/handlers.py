"""Dispatch: hand a triaged case to its unit — at a township, for an auto-dispatch category, to the unit's
nearest available team (网格化自动派遣) — and take the unit's answers: accept (签收), return (退单, reviewed by the
dispatching center, then back to triage), transfer (转派), escalate (上报, to the parent center), resolve (办结).

The workflow limits (services/dispatch/data/workflow.toml, issue 11 items 5-6) are applied here: the return window
and reason codes, the extension limits per category, how far ahead a suspension (挂账/缓办) may reach, and which
cases wait for 立案审核 before dispatch."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

import sqlalchemy as sa
import structlog
from sqlmodel import col, select

from services.dispatch.adapters.tables import CaseTask
from services.dispatch.domain import teams as team_choice
from services.dispatch.domain.workflow import load_workflow
from services.media import api as photos
from services.notification import api as notification
from services.supervision import api as supervision
from shared import lifecycle
from shared.calendar import default_calendar
from shared.catalog import Team, load_catalog
from shared.lifecycle import tasks as lifecycle_tasks
from shared.store.tables import Case, TimelineEntry, apply_snapshot
from shared.store.uow import Recorded

log = structlog.get_logger("yiwang.dispatch")

ACTOR = "system:dispatch"
#: a team holds a case from dispatch until it is verified: these cases count against its capacity
HELD_BY_TEAM = (lifecycle.DISPATCHED, lifecycle.ACCEPTED, lifecycle.RESOLVED)
TEAM_LOCK = 7020602  # PostgreSQL advisory lock class: one team choice per unit at a time


def dispatch_case(store, event) -> None:
    """On `triaged` (or `registered`, 立案审核 approved): dispatch the case — unless the rules want a dispatcher to
    approve it first (立案审核; once per case), when it waits for `register`."""
    def write(uow):
        case = uow.case(event.subject)
        if case.status != lifecycle.TRIAGED or not case.unit or case.center != store.center \
                or case.registration_pending:
            return  # stale, or waiting for 立案审核
        rule = load_workflow().registration_rule(case.source, case.category)
        if rule is not None and not _seen(uow, case.id, ("registered",)):
            uow.apply(case, lifecycle.RequestRegistration(str(rule), "立案审核: 待调度员审核后派遣"), ACTOR)
        else:
            uow.apply(case, _dispatch(uow, case), ACTOR)
            joint_of_triage(uow, case)  # assisting units named by the routing rules get their sub-tasks
    store.once("dispatch.dispatch", event, write)


def _seen(uow, case_id: str, types: tuple[str, ...]) -> bool:
    return uow.session.exec(select(TimelineEntry.id).where(
        TimelineEntry.case_id == case_id, col(TimelineEntry.type).in_(types)).limit(1)).first() is not None


def _dispatch(uow, case: Case) -> lifecycle.Dispatch:
    """The Dispatch command for a triaged case. A case of an auto-dispatch category at a township center goes
    to the nearest available team of its unit (case.team is set); when none can take it, the note says why."""
    catalog = load_catalog()
    case.team = None
    if case.unit is None:  # as lifecycle.apply would refuse Dispatch(None); dispatch_case sends only a routed case
        raise lifecycle.InvalidCommand("unit is required")
    command = lifecycle.Dispatch(case.unit, tuple(case.assisting_units))
    category = catalog.categories.get(case.category) if case.category is not None else None
    if category is None or not category.auto_dispatch or catalog.regions.tier(case.center) != "township":
        return command
    if case.lon is None or case.lat is None:
        return replace(command, note="no location to find the nearest team: dispatched to the unit")
    teams = catalog.teams_of(case.unit)
    if not teams:
        return replace(command, note=f"{case.unit} has no teams listed: dispatched to the unit")
    picked = team_choice.nearest_available(teams, _team_load(uow, case.center, teams), case.lon, case.lat)
    if picked is None:
        return replace(command, note=f"every team of {case.unit} is at capacity: dispatched to the unit")
    team, distance = picked
    case.team = team.code
    return replace(command, team=team.code, team_name=team.name, distance_m=round(distance),
                   note=f"nearest available team: {team.name}, {distance:.0f} m away")


def _team_load(uow, center: str, teams: list[Team]) -> dict[str, int]:
    """Open cases each of the unit's teams holds at this center, counted from the cases themselves (index
    ix_case_team_status): a case that is returned, transferred to another unit, escalated, verified or closed
    no longer counts."""
    unit = teams[0].unit
    if uow.engine.dialect.name == "postgresql":  # concurrent dispatches must not both take a team's last place
        uow.session.execute(sa.text("SELECT pg_advisory_xact_lock(:cls, hashtext(:unit))"),
                            {"cls": TEAM_LOCK, "unit": unit})
    rows = uow.session.exec(
        select(Case.team, sa.func.count()).where(
            col(Case.team).in_([t.code for t in teams]), col(Case.status).in_(HELD_BY_TEAM), Case.center == center,
            Case.unit == unit)
        .group_by(Case.team)).all()
    return dict(rows)


def accept(store, case_id, actor, note=None, guard=None):
    return store.act(case_id, lifecycle.Accept(note), actor, guard)


def _off_team(uow, case):
    """The case leaves the team that was sent on site: its unit changes (or it leaves this center)."""
    case.team = None


def _act(store, case_id: str, actor: str, guard, action: str, build: Callable[..., lifecycle.Command],
         after: Callable | None = None) -> Case:
    """One action in one transaction, whose command `build(uow, case)` makes from the locked case and the rules."""
    with store.uow() as uow:
        case = uow.case(case_id)
        if guard is not None:
            guard(case, action)
        uow.apply(case, build(uow, case), actor)
        if after is not None:
            after(uow, case)
        uow.commit()
        return case


def return_case(store, case_id, actor, reason, reason_code=None, basis=None, guard=None):
    """退单: only within the return window of the case's dispatch to the unit, with a reason code from the rules'
    data and the basis (权责清单 clause); not again by a unit whose return the center refused. The case stays
    with the unit until the dispatching center reviews the return (`review_return`)."""
    def build(uow, case: Case) -> lifecycle.Command:
        if case.status not in lifecycle.ALLOWED[lifecycle.Return]:
            return lifecycle.Return(reason)  # the machine says why not (409)
        rules = load_workflow()
        name = rules.reason_name(reason_code)
        if basis is None or not str(basis).strip():
            raise lifecycle.InvalidCommand("basis is required: the clause of the 权责清单 (list of duties) the return "
                                           "relies on")
        since = _given_at(uow, case)
        ends = rules.return_window_ends(since, default_calendar()) if since else None
        return lifecycle.Return(reason, reason_code, str(basis).strip(), name, ends, uow.now(),
                                kept=_kept(uow, case, since))
    return _act(store, case_id, actor, guard, "return", build)


def _given_at(uow, case: Case) -> datetime | None:
    """When the case was last given to its unit here (dispatched or transferred)."""
    return uow.session.exec(select(TimelineEntry.at).where(
        TimelineEntry.case_id == case.id, TimelineEntry.center == case.center, TimelineEntry.unit == case.unit,
        col(TimelineEntry.type).in_(("dispatched", "transferred"))).order_by(col(TimelineEntry.at).desc())
        .limit(1)).first()


def _kept(uow, case: Case, since: datetime | None) -> bool:
    """Whether the center refused this unit's return since the case was given to it: it is the 首办责任单位."""
    rows = uow.session.exec(select(TimelineEntry.data).where(
        TimelineEntry.case_id == case.id, TimelineEntry.type == "return_reviewed", TimelineEntry.unit == case.unit,
        *([col(TimelineEntry.at) >= since] if since else []))).all()
    return any(not (d or {}).get("approved") for d in rows)


def review_return(store, case_id, actor, approved: bool, note=None, guard=None):
    """The dispatching center's review of a return: approved → triage routes the case again (without the unit);
    refused → the unit keeps it as 首办责任单位, its clocks going on."""
    return store.act(case_id, lifecycle.ReviewReturn(approved, note), actor, guard,
                     after=_off_team if approved else None)


def request_extension(store, case_id, actor, reason, hours=None, working_days=None, guard=None):
    """延期, within the limits of the case's category (the rules' data: count, and length of each)."""
    def build(uow, case: Case) -> lifecycle.Command:
        return lifecycle.RequestExtension(reason, hours, working_days, load_workflow().extension_limit(case.category))
    return _act(store, case_id, actor, guard, "extend", build)


def suspend(store, case_id, actor, reason, until: datetime | None = None, guard=None):
    """挂账/缓办 asked by the unit, until `until` (in the future, within the rules' longest suspension) or until
    resumed; the center decides (`decide_suspension`)."""
    def build(uow, case: Case) -> lifecycle.Command:
        if until is not None:
            now = uow.now()
            if until <= now:
                raise lifecycle.InvalidCommand("until must be in the future")
            latest = load_workflow().latest_until(now, default_calendar())
            if until > latest:
                raise lifecycle.InvalidCommand(f"a suspension may reach at most {load_workflow().suspension_max} "
                                               f"ahead (until {latest.isoformat()})")
        return lifecycle.Suspend(reason, until)
    return _act(store, case_id, actor, guard, "suspend", build)


def decide_suspension(store, case_id, actor, approved: bool, note=None, guard=None):
    return store.act(case_id, lifecycle.DecideSuspension(approved, note), actor, guard)


def resume(store, case_id, actor, note=None, guard=None):
    return store.act(case_id, lifecycle.Resume(note), actor, guard)


def void(store, case_id, actor, reason, guard=None):
    """作废: an invalid case (a test message triage dispatched, a prank) ends before a unit signs for it."""
    return store.act(case_id, lifecycle.Void(reason), actor, guard, after=_off_team)


def register(store, case_id, actor, approved: bool, reason=None, note=None, guard=None):
    """立案审核: approved → dispatched (on the `registered` event); refused → rejected with the reason."""
    return store.act(case_id, lifecycle.Register(approved, reason, note), actor, guard)


def transfer(store, case_id, actor, unit, reason=None, guard=None):
    load_catalog().unit(unit)  # raises UnknownUnit
    return store.act(case_id, lifecycle.Transfer(unit, reason), actor, guard, after=_off_team)


def escalate(store, case_id, actor, reason, guard=None):
    """上报: the owner hands the case up to its parent center. 提级 (action `take-up`): an ancestor following a
    case of its subtree takes it up to itself; its triage then routes it here."""
    with store.session() as s:
        case = s.get(Case, case_id)
    if case is not None and case.center != store.center:
        return store.act(case_id, lifecycle.Escalate(reason, store.center), actor, guard, action="take-up")
    parent = load_catalog().regions.parent(store.center)
    return store.act(case_id, lifecycle.Escalate(reason, parent), actor, guard, after=_off_team)


def taken_up(store, event) -> None:
    """An ancestor took one of this center's cases up: our copy follows (the units here can no longer act)."""
    def write(uow):
        mine = uow.session.get(Case, event.subject)
        if mine is not None and mine.center == store.center:
            uow.copy_from(event)
    store.once("dispatch.taken_up", event, write)


def resolve(store, case_id, actor, note, media=(), guard=None):
    """办结, with the evidence of its photos checked by media against the rules' data (issue 11 item 7)."""
    def build(uow, case: Case) -> lifecycle.Command:
        refs = tuple(str(m) for m in media)
        if case.status not in lifecycle.ALLOWED[lifecycle.Resolve] or case.return_pending:
            return lifecycle.Resolve(note, refs)  # the machine says why not (409)
        return lifecycle.Resolve(note, refs, evidence=tuple(photos.check_evidence(uow, case, refs)),
                                 waiting_for=lifecycle_tasks.waiting_for(_tasks(uow, case)))  # 联合处置: lead last
    return _act(store, case_id, actor, guard, "resolve", build)


# ---- joint handling (联合处置) and the whistle (街道吹哨), issue 11 item 4 ------------------------------------------
def _tasks(uow, case: Case) -> dict[str, lifecycle_tasks.Task]:
    """The case's sub-tasks now: the fold of its timeline (the same at the owner and at every center following it)."""
    return lifecycle_tasks.fold(uow.timeline_of(case.id))


def _specs(case: Case, units, at: datetime) -> tuple[lifecycle.TaskSpec, ...]:
    """Each unit's sub-task with its own deadlines (the category's sign and resolve clocks on the unit's hours)."""
    out = []
    for unit, role in units:
        sign_due, resolve_due = supervision.task_deadlines(case.category, case.priority, unit, at)
        out.append(lifecycle.TaskSpec(unit, role, sign_due, resolve_due))
    return tuple(out)


def save_tasks(uow, case: Case) -> None:
    """Write the case's sub-tasks (the fold of its timeline) to `case_task`, in the transaction of the change."""
    tasks = _tasks(uow, case)
    if not tasks:
        return
    now = uow.now()
    rows = {r.unit: r for r in uow.session.exec(select(CaseTask).where(CaseTask.case_id == case.id)).all()}
    for unit, t in tasks.items():
        row = rows.pop(unit, None) or CaseTask(case_id=case.id, unit=unit, role=t.role, status=t.status,
                                               center=case.center)
        row.role, row.status, row.center, row.whistle = t.role, t.status, case.center, t.whistle
        row.started_at, row.sign_due, row.resolve_due = t.started_at, t.sign_due, t.resolve_due
        row.accepted_at, row.resolved_at, row.returned_at, row.updated_at = (t.accepted_at, t.resolved_at,
                                                                             t.returned_at, now)
        uow.add(row)
    for gone in rows.values():  # a lead replaced by a transfer
        uow.session.delete(gone)


def _known_units(units) -> tuple[str, ...]:
    catalog = load_catalog()
    named = tuple(dict.fromkeys(str(u).strip() for u in units if str(u).strip()))
    for unit in named:
        catalog.unit(unit)  # raises UnknownUnit (422)
    return named


def joint(store, case_id, actor, lead, assisting, reason=None, guard=None):
    """联合处置: the dispatcher names the lead (主办) and the assisting units (协办); each new assisting unit gets a
    sub-task with its own deadlines. A lead other than the unit holding the case is a transfer first."""
    load_catalog().unit(lead)
    named = _known_units(assisting)

    def build(uow, case: Case) -> lifecycle.Command:
        tasks = _tasks(uow, case)
        units = [(lead, "lead")] + [(u, "assisting") for u in named]
        return lifecycle.OpenJoint(lead, named, _specs(case, units, uow.now()), reason,
                                   lifecycle_tasks.waiting_for(tasks))
    def after(uow, case: Case) -> None:
        if case.unit != lead:
            _off_team(uow, case)
        save_tasks(uow, case)
        tell_new_tasks(uow, case)
    return _act(store, case_id, actor, guard, "joint", build, after=after)


def whistle(store, case_id, actor, units, reason, guard=None):
    """街道吹哨, 部门报到: a township center summons departments (county ones too) to the case as a joint handling led
    by the unit holding it; each gets a sub-task with its own deadlines. The `whistled` event goes up the chain on the
    case's key, so the summoned departments' centers keep the case and their handlers see it."""
    tier = load_catalog().regions.tier(store.center)
    if tier != "township":
        raise lifecycle.IllegalTransition("whistle", "any", f"街道吹哨 is a township center's; this center is a {tier}")
    named = _known_units(units)

    def build(uow, case: Case) -> lifecycle.Command:
        tasks = _tasks(uow, case)
        specs = _specs(case, [(case.unit, "lead")] + [(u, "assisting") for u in named], uow.now()) \
            if case.unit else ()
        return lifecycle.Whistle(named, reason, specs, lifecycle_tasks.waiting_for(tasks))
    return _act(store, case_id, actor, guard, "whistle", build,
                after=lambda uow, case: (save_tasks(uow, case), tell_new_tasks(uow, case)))


def task_act(store, case_id, unit, action, actor, *, note=None, reason=None, reason_code=None, basis=None, media=(),
             guard=None):
    """An act of `unit` on its sub-task (签收, 退回, 办结). The lead's sub-task is the case: its acts are the case's own
    (accept, return, resolve). An assisting unit's act is checked against its sub-task (the return within the return
    window from when the sub-task was named, with a reason code and basis). At a center following the case (a summoned
    county department acting at its county), the act is recorded on the copy and published with the owner's key; the
    owner takes it (`task_from_above`)."""
    if action not in lifecycle.TASK_ACTIONS:
        raise lifecycle.InvalidCommand(f"a sub-task action is one of {', '.join(lifecycle.TASK_ACTIONS)}")
    with store.session() as s:
        current = s.get(Case, case_id)
    if current is not None and current.unit == unit and current.center == store.center:
        if action == "accept":
            return accept(store, case_id, actor, note, guard)
        if action == "return":
            return return_case(store, case_id, actor, reason, reason_code, basis, guard)
        return resolve(store, case_id, actor, note, media, guard)

    def build(uow, case: Case) -> lifecycle.Command:
        task = _tasks(uow, case).get(unit)
        status = task.status if task is not None and task.role == lifecycle_tasks.ASSISTING else None
        if action != "return" or status is None:
            return lifecycle.TaskAction(unit, action, status, note, reason, media=tuple(str(m) for m in media))
        rules = load_workflow()
        name = rules.reason_name(reason_code)
        if basis is None or not str(basis).strip():
            raise lifecycle.InvalidCommand("basis is required: the clause of the 权责清单 (list of duties) the return "
                                           "relies on")
        ends = rules.return_window_ends(task.started_at, default_calendar()) if task and task.started_at else None
        return lifecycle.TaskAction(unit, action, status, note, reason, reason_code, name, str(basis).strip(),
                                    window_ends_at=ends, at=uow.now())
    return _act(store, case_id, actor, guard, f"task-{action}", build,
                after=lambda uow, case: save_tasks(uow, case) if case.center == store.center else None)


def task_from_above(store, event) -> None:
    """A summoned unit acted on its sub-task at another center (its own, following this case): take the act onto the
    case if the sub-task allows it (the copy it was decided on may have been behind); otherwise it is left out."""
    if event.center == store.center:
        return
    def write(uow):
        case = uow.case(event.subject)
        if case.center != store.center:
            return
        data = {k: v for k, v in event.data.items() if k not in ("case", "actor")}
        unit = str(data.get("unit"))
        task = _tasks(uow, case).get(unit)
        status = task.status if task is not None and task.role == lifecycle_tasks.ASSISTING else None
        action = {"task_accepted": "accept", "task_returned": "return", "task_resolved": "resolve"}[event.name]
        try:
            lifecycle.decide(case.state(), lifecycle.TaskAction(
                unit, action, status, data.get("note"), data.get("reason") or "-"))
        except (lifecycle.IllegalTransition, lifecycle.InvalidCommand) as e:
            log.warning("sub-task act from another center left out", case_id=case.id, event=event.name,
                        center=event.center, reason=str(e))
            return
        case.take(lifecycle.evolve(case.state(), lifecycle.Event(event.name, data)))
        case.updated_at = uow.now()
        uow.add(case)
        uow.take_entry(event, case)
        save_tasks(uow, case)
    store.once("dispatch.task_from_above", event, write)


def joint_of_triage(uow, case: Case) -> None:
    """Assisting units named by triage's routing rules get real sub-tasks when the case is dispatched."""
    if case.status != lifecycle.DISPATCHED or not case.unit or not case.assisting_units:
        return
    units = [(case.unit, "lead")] + [(u, "assisting") for u in case.assisting_units]
    uow.apply(case, lifecycle.OpenJoint(case.unit, tuple(case.assisting_units), _specs(case, units, uow.now()),
                                        f"路由规则 {case.triage_rule}: 联合处置" if case.triage_rule else "联合处置"),
              ACTOR)
    save_tasks(uow, case)
    tell_new_tasks(uow, case)


def _new_tasks_here(center: str, case_unit: str | None, data: dict) -> list[str]:
    """The assisting units of this center that a `joint_opened` gave a sub-task."""
    catalog = load_catalog()
    out = []
    for spec in data.get("tasks") or ():
        unit = spec.get("unit")
        if spec.get("role") != lifecycle_tasks.ASSISTING or not unit or unit == case_unit:
            continue
        try:
            if catalog.unit(unit).center == center:
                out.append(unit)
        except LookupError:
            continue
    return out


def _tell(uow, case: Case, event_id: str, at: datetime, units: list[str]) -> None:
    """Each unit hears of its new sub-task through notification's new-task rule (in-app, and the channels the duty
    rosters name), once per sub-task: as if the case were dispatched to it at this center."""
    for unit in units:
        shown = Case(**case.model_dump())  # never added to the session: only what the rule reads
        shown.center, shown.unit = uow.center, unit
        notification.notify(uow, [Recorded(shown, f"{event_id}:{unit}", "dispatched", at,
                                           {"unit": unit, "joint": True}, copied=False)])


def tell_new_tasks(uow, case: Case) -> None:
    """After a joint or a whistle at the owner: tell the new sub-tasks' units of this center (the others hear at
    their own center, `summoned`)."""
    rows = [t for t in uow.timeline_of(case.id) if t["type"] == "joint_opened"]
    if rows:
        last = rows[-1]
        _tell(uow, case, last["event_id"], datetime.fromisoformat(last["at"]),
              _new_tasks_here(uow.center, case.unit, last["data"] or {}))


def summoned(store, event) -> None:
    """A case below this center was handled jointly (a township's whistle to this county's departments): its
    departments with a sub-task hear of it here, where their handlers are."""
    if event.name != "joint_opened" or event.center == store.center:
        return
    units = _new_tasks_here(store.center, event.payload.case.unit, event.data)
    if not units:
        return
    def write(uow):
        _tell(uow, apply_snapshot(None, event.payload.case), event.id, event.time, units)
    store.once("dispatch.summoned", event, write)


#: the case events that change a sub-task without being a sub-task's own act: the lead's sub-task is the case
LEAD_EVENTS = ("accepted", "resolved", "transferred", "reworked", "reopened", "return_reviewed", "voided", "merged",
               "rejected")


def refresh_tasks(store, event) -> None:
    """Keep `case_task` in step with the case (the lead signs for it, resolves it, hands it on …): rewritten from the
    timeline for a case handled jointly; nothing for any other."""
    def write(uow):
        case = uow.session.get(Case, event.subject)
        if case is not None and case.center == store.center and uow.session.exec(
                select(CaseTask.unit).where(CaseTask.case_id == case.id).limit(1)).first() is not None:
            save_tasks(uow, case)
    store.once("dispatch.refresh_tasks", event, write)
