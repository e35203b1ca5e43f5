"""Per-stage deadlines and lights (亮灯), pure.

Stages follow the case: dispatched → `sign` (签收), accepted → `resolve` (处置, counted from dispatch),
resolved → `verify` (核查), verified → `feedback` (反馈). A stage's light is green until 80 % of its time is
used, yellow until its deadline, red after it."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from shared.calendar import WorkCalendar
from shared.catalog import Category, Deadline

YELLOW_AT = 0.8
NATURAL = ("minutes", "hours")


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

    def due(self, stage: str | None = None) -> datetime | None:
        stage = stage or self.stage
        return getattr(self, f"{stage}_due") if stage else None


def _add(cal: WorkCalendar, start: datetime, deadline: Deadline) -> datetime:
    return cal.add(start, deadline.amount, deadline.unit)


def on_event(plan: Plan, name: str, data: Mapping[str, Any], at: datetime, category: Category, cal: WorkCalendar,
             caps: Mapping[str, Any] | None = None) -> Plan:
    """The plan after a lifecycle event; `category` gives the per-stage time limits, and `caps` the source's own
    stricter ones (12345: `sign` within a time, and `resolve_by` an absolute time promised to the caller; a
    rework gets the category's time again, as the promise was already answered)."""
    d, caps = category.deadlines, caps or {}
    if name in ("dispatched", "transferred", "reworked", "reopened"):
        sign_due, resolve_due = _add(cal, at, d["sign"]), _add(cal, at, d["resolve"])
        if caps.get("sign"):
            sign_due = min(sign_due, cal.add(at, caps["sign"]["amount"], caps["sign"]["unit"]))
        if caps.get("resolve_by") and name in ("dispatched", "transferred"):
            resolve_due = min(resolve_due, datetime.fromisoformat(caps["resolve_by"]))
        return Plan(stage="sign", stage_started_at=at, sign_due=min(sign_due, resolve_due), resolve_due=resolve_due)
    if name == "accepted":
        return _replace(plan, stage="resolve")
    if name == "extension_requested":
        return _replace(plan, pending_extension={"hours": data.get("hours"), "working_days": data.get("working_days")})
    if name == "extension_decided":
        ext, plan = plan.pending_extension, _replace(plan, pending_extension=None)
        if data.get("approved") and ext and plan.resolve_due:
            unit, amount = ("working_days", ext["working_days"]) if ext.get("working_days") else ("hours", ext["hours"])
            plan = _replace(plan, resolve_due=cal.add(plan.resolve_due, amount, unit),
                            warned=[w for w in plan.warned if not w.startswith("resolve:")])
        return plan
    if name == "resolved":
        return _replace(plan, stage="verify", stage_started_at=at, verify_due=_add(cal, at, d["verify"]))
    if name == "verified" and data.get("passed"):
        return _replace(plan, stage="feedback", stage_started_at=at, feedback_due=_add(cal, at, d["feedback"]))
    if name in ("returned", "escalated", "routed", "closed", "rejected", "merged"):
        return Plan()
    return plan


def _replace(plan: Plan, **changes: Any) -> Plan:
    values = {k: getattr(plan, k) for k in Plan.__dataclass_fields__}
    values.update(changes)
    values["warned"] = list(values["warned"])
    return Plan(**values)


# The supervision ladder for an overdue stage: how far past its deadline, in multiples of the stage's own duration,
# each level starts. 1 催办 (urge) at the deadline, 2 督办 (supervise), 3 提级督办 (supervised from above: the
# `supervised` event reaches every ancestor's board).
LADDER = ((1, 0.0, "催办：已超时"), (2, 0.5, "督办：超时过半个办理时限"), (3, 1.0, "提级督办：超时一个办理时限"))


def ladder(plan: Plan, now: datetime) -> tuple[list[tuple[int, str]], datetime | None]:
    """The supervision levels an overdue stage has reached by `now` (level, note), and when the next one is due."""
    due, start = plan.due(), plan.stage_started_at
    if due is None or start is None or now < due:
        return [], None
    span = max(due - start, timedelta(minutes=1))
    reached = [(level, note) for level, after, note in LADDER if now >= due + span * after]
    later = [due + span * after for level, after, _ in LADDER if now < due + span * after]
    return reached, (min(later) if later else None)


@dataclass(frozen=True)
class Light:
    light: str                   # green | yellow | red
    overdue: bool
    next_check_at: datetime | None
    warnings: tuple[str, ...]    # warnings to emit now: "due_soon" and/or "overdue" (not yet emitted)


def yellow_from(plan: Plan, cal: WorkCalendar) -> datetime | None:
    start, due = plan.stage_started_at, plan.due()
    if start is None or due is None:
        return None
    if due <= start:
        return due
    worked = cal.working_seconds_between(start, due)
    if worked <= 0:  # natural-time stage entirely outside working hours
        return start + (due - start) * YELLOW_AT
    return cal.add_working_hours(start, worked * YELLOW_AT / 3600)


def light_at(plan: Plan, now: datetime, cal: WorkCalendar) -> Light:
    due = plan.due()
    if plan.stage is None or due is None:
        return Light("green", False, None, ())
    soon = yellow_from(plan, cal)
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
