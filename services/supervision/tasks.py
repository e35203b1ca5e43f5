"""Sub-task clocks of joint handling (联合处置, 街道吹哨): each unit's own sign and resolve deadlines, from the category's
stage clocks (shared/catalog data) on that unit's working hours, counted from when its sub-task is named; and what the
sweep owes an assisting unit's open sub-task at a time (`watch_task`, pure): its light, its `due_soon` and `overdue`
warnings and the steps of its stage's escalation chain (催办 → 督办 → 挂牌督办 → 提级), each once.

Once: what was emitted for a sub-task is remembered in the case's `warned` list (supervision's `case_deadline` row,
under the case's lock, as for the case's own stages), keyed `"task:<unit>@<when named>:<stage>:<what>"` — `<what>` is
`due_soon`, `overdue` or a chain firing's key (`step:<index>:<n>`). A unit named again after its sub-task ended gets a
new sub-task, hence new keys; the keys of a sub-task outlive the case's own stage changes (`keep_task_keys`)."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from services.supervision.domain.deadlines import calendar_for, task_dues
from services.supervision.domain.escalation import Clock, Firing, Step, due_firings
from shared.calendar import default_calendar
from shared.catalog import load_catalog
from shared.lifecycle.tasks import ASSISTING, Task

TASK_KEY = "task:"


def task_deadlines(category: str | None, priority: str | None, unit: str,
                   start: datetime) -> tuple[datetime | None, datetime | None]:
    """(sign due, resolve due) of `unit`'s sub-task of a case of this category and priority named at `start`."""
    catalog = load_catalog()
    if category is None or category not in catalog.categories:
        return None, None
    cal = calendar_for(default_calendar(), catalog.unit_hours(unit))
    return task_dues(catalog.category(category), priority, start, cal)


def task_tag(task: Task) -> str:
    """The prefix of the once-keys of one sub-task: its unit and when it was named."""
    named = int(task.started_at.timestamp()) if task.started_at is not None else 0
    return f"{TASK_KEY}{task.unit}@{named}:"


def watched(tasks: Iterable[Task]) -> list[Task]:
    """The sub-tasks the sweep watches: the assisting units' open ones (the lead's sub-task is the case, watched as
    the case)."""
    return [t for t in tasks if t.role == ASSISTING and t.open and t.stage is not None]


def keep_task_keys(before: Iterable[str], after: Sequence[str]) -> list[str]:
    """`after` (a case plan's once-keys after a lifecycle event, which may start them afresh) with the sub-tasks' keys
    of `before` kept: a case's new stage is not a sub-task's."""
    kept = [w for w in before if w.startswith(TASK_KEY) and w not in after]
    return [*after, *kept]


@dataclass(frozen=True)
class TaskWatch:
    """What the sweep owes one sub-task at `now`."""

    task: Task
    stage: str | None
    light: str                        # green | yellow | red — the light the case's JSON shows for the sub-task
    overdue: bool
    warnings: tuple[str, ...]         # due_soon and/or overdue, not yet emitted
    firings: tuple[Firing, ...]       # chain steps to emit now, not yet emitted
    next_check_at: datetime | None    # when this sub-task next needs a look (None: nothing more to come)

    def key(self, what: str | Firing) -> str:
        """The once-key of a warning (`due_soon`, `overdue`) or a chain firing of this sub-task."""
        if isinstance(what, Firing):
            return task_tag(self.task) + what.key
        return f"{task_tag(self.task)}{self.stage}:{what}"

    @property
    def keys(self) -> list[str]:
        """The once-keys of everything this watch emits."""
        return [self.key(w) for w in self.warnings] + [self.key(f) for f in self.firings]


def watch_task(task: Task, steps: Sequence[Step], cal: Clock, now: datetime, fired: Iterable[str],
               share: float) -> TaskWatch:
    """The light, warnings and chain firings of an open sub-task at `now`, those in `fired` (the case's once-keys) left
    out. The light is the sub-task's own (`Task.light`: `share` of the time from when it was named to its stage's
    deadline turns it yellow, the deadline red), the same the case's JSON shows; the chain's steps are counted on `cal`
    (the unit's calendar) from the stage's deadline or its start (when the sub-task was named), as for the case."""
    stage, due, start = task.stage, task.due, task.started_at
    if not task.open or stage is None or due is None or start is None:
        return TaskWatch(task, stage, "green", False, (), (), None)
    tag = task_tag(task)
    mine = [w[len(tag):] for w in fired if w.startswith(tag)]
    light = task.light(now, share)
    yellow_at = start + (due - start) * share if due > start else due
    warnings: tuple[str, ...] = ()
    if light == "red":
        warnings, next_at = tuple(w for w in ("overdue",) if f"{stage}:{w}" not in mine), None
    elif light == "yellow":
        warnings, next_at = tuple(w for w in ("due_soon",) if f"{stage}:{w}" not in mine), due
    else:
        next_at = yellow_at
    firings, chain_next = due_firings(stage, steps, start, due, cal, now, mine) if steps else ([], None)
    if chain_next is not None:
        next_at = chain_next if next_at is None else min(next_at, chain_next)
    return TaskWatch(task, stage, light, light == "red", warnings, tuple(firings), next_at)
