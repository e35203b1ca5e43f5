"""Sub-tasks of joint handling (联合处置, 街道吹哨), pure: a fold of a case's timeline into one sub-task per unit.

`joint_opened` names the lead (主办) and the assisting units (协办), each with its own sign and resolve deadlines; an
assisting unit then signs for (`task_accepted`), returns (`task_returned`) or resolves (`task_resolved`) its own
sub-task. The lead's sub-task is the case itself: it follows the case's `accepted` and `resolved`, and moves with a
transfer. A hand-over of the case away from its unit (an approved return, an escalation, a routing, a void) ends every
sub-task; a rework or reopening sends the lead's back to work (the assisting units' parts stay resolved).

Every center that holds the case's timeline (the owner, and each ancestor following it) computes the same sub-tasks
from it: the owner also keeps them in its `case_task` table (services/dispatch/adapters/tables.py)."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from shared.lifecycle.machine import TASK_ACCEPTED, TASK_DISPATCHED, TASK_RESOLVED, TASK_RETURNED

LEAD, ASSISTING = "lead", "assisting"
ENDED = "ended"  # the case left the unit (returned and approved, escalated, routed, voided): the sub-task lapses
OPEN_STATUSES = (TASK_DISPATCHED, TASK_ACCEPTED)
YELLOW_AT = 0.8  # the share of a sub-task's time after which its light turns yellow (supervision's default)
_ENDING = ("escalated", "routed", "voided", "merged", "rejected")


@dataclass(frozen=True)
class Task:
    unit: str
    role: str                          # lead | assisting
    status: str = TASK_DISPATCHED      # dispatched | accepted | resolved | returned | ended
    started_at: datetime | None = None
    sign_due: datetime | None = None
    resolve_due: datetime | None = None
    accepted_at: datetime | None = None
    resolved_at: datetime | None = None
    returned_at: datetime | None = None
    whistle: bool = False              # summoned by a township's whistle (街道吹哨)

    @property
    def open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def stage(self) -> str | None:
        """The stage its clock runs for: `sign` until signed for, then `resolve`; None when done."""
        return {TASK_DISPATCHED: "sign", TASK_ACCEPTED: "resolve"}.get(self.status)

    @property
    def due(self) -> datetime | None:
        return {"sign": self.sign_due, "resolve": self.resolve_due}.get(self.stage or "")

    def light(self, now: datetime, share: float = YELLOW_AT) -> str:
        """green, yellow (past `share` of its stage's time) or red (past its deadline); green when done."""
        due, start = self.due, self.started_at  # both stages count from when the sub-task was given
        if due is None or start is None:
            return "green"
        if now >= due:
            return "red"
        return "yellow" if now >= start + (due - start) * share else "green"

    def overdue(self, now: datetime) -> bool:
        return self.due is not None and now >= self.due


def _time(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str) and value:
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return None
    return None


def _get(entry: Any, key: str) -> Any:
    return entry.get(key) if isinstance(entry, Mapping) else getattr(entry, key, None)


def fold(entries: Iterable[Any]) -> dict[str, Task]:
    """The sub-tasks of one case from its timeline (oldest first): entries with `type`, `at`, `unit` and `data`
    (mappings or objects). Units in the order they were named; empty when the case was never handled jointly."""
    tasks: dict[str, Task] = {}
    for e in entries:
        kind, at, data = _get(e, "type"), _time(_get(e, "at")), _get(e, "data") or {}
        unit = data.get("unit") or _get(e, "unit")
        if kind == "joint_opened":
            whistle = bool(data.get("whistle"))
            for spec in data.get("tasks") or ():
                u, role = spec.get("unit"), spec.get("role", ASSISTING)
                if not u:
                    continue
                mine = tasks.get(u)
                if mine is not None and mine.open and mine.role == role:
                    continue  # named again: it keeps its sub-task
                if role == LEAD:
                    for other, t in list(tasks.items()):
                        if t.role == LEAD and other != u:
                            del tasks[other]
                    status = mine.status if mine is not None and mine.role == LEAD else TASK_DISPATCHED
                else:
                    status = TASK_DISPATCHED
                tasks[u] = Task(u, role, status, at, _time(spec.get("sign_due")), _time(spec.get("resolve_due")),
                                whistle=whistle and role == ASSISTING,
                                accepted_at=mine.accepted_at if mine is not None and role == LEAD else None)
        elif not tasks:
            continue
        elif kind in ("task_accepted", "task_returned", "task_resolved") and unit in tasks:
            t = tasks[unit]
            if kind == "task_accepted":
                tasks[unit] = replace(t, status=TASK_ACCEPTED, accepted_at=at)
            elif kind == "task_returned":
                tasks[unit] = replace(t, status=TASK_RETURNED, returned_at=at)
            else:
                tasks[unit] = replace(t, status=TASK_RESOLVED, resolved_at=at)
        elif kind in ("accepted", "resolved", "reworked", "reopened", "transferred"):
            lead = next((t for t in tasks.values() if t.role == LEAD), None)
            if lead is None:
                continue
            if kind == "accepted":
                tasks[lead.unit] = replace(lead, status=TASK_ACCEPTED, accepted_at=at)
            elif kind == "resolved":
                tasks[lead.unit] = replace(lead, status=TASK_RESOLVED, resolved_at=at)
            elif kind in ("reworked", "reopened"):
                tasks[lead.unit] = replace(lead, status=TASK_DISPATCHED if lead.accepted_at is None else TASK_ACCEPTED,
                                           resolved_at=None)
            elif unit and unit != lead.unit:  # transferred: the new unit leads, from now
                del tasks[lead.unit]
                tasks[unit] = Task(unit, LEAD, TASK_DISPATCHED, at)
        elif kind in _ENDING or (kind == "return_reviewed" and data.get("approved")):
            tasks = {u: (replace(t, status=ENDED) if t.open else t) for u, t in tasks.items()}
    return tasks


def waiting_for(tasks: Mapping[str, Task]) -> tuple[str, ...]:
    """The assisting units whose sub-tasks are still open: the lead's resolve waits for them."""
    return tuple(u for u, t in tasks.items() if t.role == ASSISTING and t.open)
