"""Per-stage deadlines and lights (亮灯), pure.

Stages follow the case: dispatched → `sign` (签收), accepted → `resolve` (处置, counted from dispatch),
resolved → `verify` (核查), verified → `feedback` (反馈). Each stage's clock comes from the catalog for the case's
category and priority (Category.clock); `sign` and `resolve` run on the holding unit's working hours when it has
its own (a 24x7 unit: every hour counts). A stage's light is green until a share of its time is used (the
escalation rules' yellow_at, default 80 %), yellow until its deadline, red after it."""
from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from shared.calendar import WorkCalendar
from shared.catalog import ALWAYS_ON, UNIT_STAGES, Category, Deadline

YELLOW_AT = 0.8
NATURAL = ("minutes", "hours", "days")


class StageCalendar(Protocol):
    def add(self, start: datetime, amount: float, unit: str) -> datetime: ...
    def add_working_hours(self, start: datetime, hours: float) -> datetime: ...
    def working_seconds_between(self, a: datetime, b: datetime) -> float: ...


class AlwaysOn:
    """The clock of a unit that works around the clock, every day (110, emergency, water-supply repair): working
    hours are natural hours and working days natural days; holidays do not stop it."""

    def __init__(self, base: WorkCalendar) -> None:
        self.tz = base.tz

    def add(self, start: datetime, amount: float, unit: str) -> datetime:
        natural = {"minutes": "minutes", "hours": "hours", "working_hours": "hours", "days": "days",
                   "working_days": "days"}
        if unit not in natural:
            raise ValueError(f"unknown time unit {unit!r}")
        if start.tzinfo is None:
            raise ValueError("start must be a timezone-aware datetime")
        return start.astimezone(self.tz) + timedelta(**{natural[unit]: float(amount)})

    def add_working_hours(self, start: datetime, hours: float) -> datetime:
        return self.add(start, hours, "hours")

    def working_seconds_between(self, a: datetime, b: datetime) -> float:
        return max((b - a).total_seconds(), 0.0)


@functools.lru_cache(maxsize=64)
def _own_hours(base: WorkCalendar, hours: tuple[tuple[str, str], ...]) -> WorkCalendar:
    return WorkCalendar(base.holidays_file, hours=hours, tz=base.tz)


def calendar_for(base: WorkCalendar, hours: str | tuple[tuple[str, str], ...] | None) -> StageCalendar:
    """The calendar of a unit with these working hours (Catalog.unit_hours): the center's, always-on, or the
    center's working days with the unit's own periods."""
    if hours is None:
        return base
    if hours == ALWAYS_ON:
        return AlwaysOn(base)
    assert not isinstance(hours, str)
    return _own_hours(base, hours)


def stage_calendar(stage: str | None, base: WorkCalendar, unit_cal: StageCalendar | None) -> StageCalendar:
    """The calendar a stage is timed on: the unit's for the stages a unit holds, the center's otherwise."""
    return unit_cal if unit_cal is not None and stage in UNIT_STAGES else base


def clock_due(category: Category, stage: str, priority: str | None, start: datetime,
              cal: StageCalendar) -> datetime | None:
    """When `stage`, started at `start`, is due for a case of this category and priority (None: no clock)."""
    d = category.clock(stage, priority)
    return None if d is None else cal.add(start, d.amount, d.unit)


@dataclass
class Plan:
    """The deadline overlay of one case (mirrors the supervision table's columns)."""

    stage: str | None = None
    stage_started_at: datetime | None = None
    sign_due: datetime | None = None
    resolve_due: datetime | None = None
    verify_due: datetime | None = None
    feedback_due: datetime | None = None
    warned: list[str] = field(default_factory=list)
    pending_extension: dict[str, Any] | None = None
    paused_at: datetime | None = None   # 挂账/缓办 approved: the clocks stand still since then
    resume_at: datetime | None = None   # when the suspension ends by itself (the sweep resumes it)

    def due(self, stage: str | None = None) -> datetime | None:
        stage = stage or self.stage
        return getattr(self, f"{stage}_due") if stage else None


def _add(cal: StageCalendar, start: datetime, deadline: Deadline) -> datetime:
    return cal.add(start, deadline.amount, deadline.unit)


def on_event(plan: Plan, name: str, data: Mapping[str, Any], at: datetime, category: Category, cal: WorkCalendar,
             caps: Mapping[str, Any] | None = None, priority: str | None = None,
             unit_cal: StageCalendar | None = None) -> Plan:
    """The plan after a lifecycle event; `category` and `priority` give the per-stage time limits, `unit_cal` the
    holding unit's calendar for sign and resolve (default: `cal`), and `caps` the source's own stricter limits
    (12345: `sign` within a time, and `resolve_by` an absolute time promised to the caller; a rework gets the
    category's time again, as the promise was already answered)."""
    caps = caps or {}
    d = {stage: category.clock(stage, priority) or category.deadlines[stage] for stage in category.deadlines}
    ucal: StageCalendar = unit_cal or cal
    if name in ("dispatched", "transferred", "reworked", "reopened"):
        sign_due, resolve_due = _add(ucal, at, d["sign"]), _add(ucal, at, d["resolve"])
        if caps.get("sign"):
            sign_due = min(sign_due, cal.add(at, caps["sign"]["amount"], caps["sign"]["unit"]))
        if caps.get("resolve_by") and name in ("dispatched", "transferred"):
            resolve_due = min(resolve_due, datetime.fromisoformat(caps["resolve_by"]))
        return Plan(stage="sign", stage_started_at=at, sign_due=min(sign_due, resolve_due), resolve_due=resolve_due)
    if name == "accepted":
        return _replace(plan, stage="resolve")
    if name == "extension_requested":
        return _replace(plan, pending_extension={"hours": data.get("hours"), "working_days": data.get("working_days")})
    if name == "suspension_decided":
        if not data.get("approved") or plan.stage is None:
            return plan
        until = data.get("until")
        return _replace(plan, paused_at=at, resume_at=datetime.fromisoformat(until) if isinstance(until, str)
                        else until)
    if name == "resumed":
        if plan.paused_at is None:
            return plan
        until = data.get("until")  # resumed by supervision: the pause ended at the suspension's `until`
        end = min(at, datetime.fromisoformat(until) if isinstance(until, str) else until) if until else at
        return resume(plan, max(end, plan.paused_at), category, priority, cal, ucal)
    if name == "return_reviewed":  # approved: the case goes back to triage; refused: the unit's clocks go on
        return Plan() if data.get("approved") else plan
    if name == "extension_decided":
        ext, plan = plan.pending_extension, _replace(plan, pending_extension=None)
        if data.get("approved") and ext and plan.resolve_due:
            unit, amount = ("working_days", ext["working_days"]) if ext.get("working_days") else ("hours", ext["hours"])
            plan = _replace(plan, resolve_due=ucal.add(plan.resolve_due, amount, unit),
                            warned=[w for w in plan.warned if not w.startswith("resolve:")])
        return plan
    if name == "resolved":
        return _replace(plan, stage="verify", stage_started_at=at, verify_due=_add(cal, at, d["verify"]),
                        paused_at=None, resume_at=None)
    if name == "verified" and data.get("passed"):
        return _replace(plan, stage="feedback", stage_started_at=at, feedback_due=_add(cal, at, d["feedback"]))
    if name in ("escalated", "routed", "closed", "rejected", "merged", "voided"):
        return Plan()
    return plan  # `returned` too: the case stays with the unit, its clocks going on, until the return is reviewed


DUE_STAGES = ("sign", "resolve", "verify", "feedback")


def moved(t: datetime, paused_at: datetime, resumed_at: datetime, natural: bool, cal: StageCalendar) -> datetime:
    """`t` moved out by the paused time: natural time for a clock counted in natural time, else the working time that
    passed on the stage's calendar (a pause over a weekend costs a working-day clock nothing)."""
    if resumed_at <= paused_at:
        return t
    if natural:
        return t + (resumed_at - paused_at)
    worked = cal.working_seconds_between(paused_at, resumed_at)
    return cal.add_working_hours(t, worked / 3600) if worked > 0 else t


def resume(plan: Plan, at: datetime, category: Category, priority: str | None, cal: WorkCalendar,
           unit_cal: StageCalendar | None = None) -> Plan:
    """The plan after a suspension (挂账/缓办) that began at `plan.paused_at` ends at `at`: the paused time is not
    charged — every deadline still ahead when the pause began moves out by it, and so does the stage's start (the
    share of the stage used, hence its light and its escalation chain, is as it was). A deadline already past when
    the pause began stays where it was."""
    assert plan.paused_at is not None
    paused = plan.paused_at
    changes: dict[str, Any] = {"paused_at": None, "resume_at": None}

    def natural(stage: str) -> bool:
        clock = category.clock(stage, priority) or category.deadlines.get(stage)
        return clock is not None and clock.unit in NATURAL

    for stage in DUE_STAGES:
        due = getattr(plan, f"{stage}_due")
        if due is not None and due > paused:
            changes[f"{stage}_due"] = moved(due, paused, at, natural(stage), stage_calendar(stage, cal, unit_cal))
    if plan.stage is not None and plan.stage_started_at is not None:
        changes["stage_started_at"] = moved(plan.stage_started_at, paused, at, natural(plan.stage),
                                            stage_calendar(plan.stage, cal, unit_cal))
    return _replace(plan, **changes)


def _replace(plan: Plan, **changes: Any) -> Plan:
    values = {k: getattr(plan, k) for k in Plan.__dataclass_fields__}
    values.update(changes)
    values["warned"] = list(values["warned"])
    return Plan(**values)


@dataclass(frozen=True)
class Light:
    light: str                   # green | yellow | red
    overdue: bool
    next_check_at: datetime | None
    warnings: tuple[str, ...]    # warnings to emit now: "due_soon" and/or "overdue" (not yet emitted)


def yellow_from(plan: Plan, cal: StageCalendar, share: float = YELLOW_AT) -> datetime | None:
    start, due = plan.stage_started_at, plan.due()
    if start is None or due is None:
        return None
    if due <= start:
        return due
    worked = cal.working_seconds_between(start, due)
    if worked <= 0:  # natural-time stage entirely outside working hours
        return start + (due - start) * share
    return cal.add_working_hours(start, worked * share / 3600)


def light_at(plan: Plan, now: datetime, cal: StageCalendar, share: float = YELLOW_AT) -> Light:
    """The light of the plan's stage at `now`; `share` of the stage's time turns it yellow."""
    due = plan.due()
    if plan.stage is None or due is None:
        return Light("green", False, None, ())
    soon = yellow_from(plan, cal, share)
    warned = set(plan.warned)
    if now >= due:
        todo = tuple(w for w in ("overdue",) if f"{plan.stage}:{w}" not in warned)
        return Light("red", True, None, todo)
    if soon is not None and now >= soon:
        todo = tuple(w for w in ("due_soon",) if f"{plan.stage}:{w}" not in warned)
        return Light("yellow", False, due, todo)
    return Light("green", False, soon, ())


def late_completion(plan: Plan, name: str, at: datetime) -> str | None:
    """The stage that an event completes late and that was never warned overdue (the sweep may not have
    run yet): accepting after the sign deadline, resolving after the resolve deadline."""
    stage = {"accepted": "sign", "resolved": "resolve"}.get(name)
    due = plan.due(stage) if stage else None
    if due is not None and at > due and f"{stage}:overdue" not in plan.warned:
        return stage
    return None


def task_dues(category: Category, priority: str | None, start: datetime,
              cal: StageCalendar) -> tuple[datetime | None, datetime | None]:
    """A sub-task's own deadlines (联合处置): its sign (签收) and resolve (处置) clocks for the case's category and
    priority — the same data as the case's — on the unit's calendar, both counted from when the sub-task is named."""
    return clock_due(category, "sign", priority, start, cal), clock_due(category, "resolve", priority, start, cal)
