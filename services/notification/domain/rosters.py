"""Duty rosters (值班表) and whom a notice reaches, pure: the rules of ../data/rosters.toml, their validation, who is
on duty at a center or a unit at a given time (on the Chinese working calendar), and the people an escalation
step's `notify` list or a new task names.

A roster belongs to a center (its region code) or a unit (its unit code). Its `duty` shifts say who is on duty on
which days (`working`: the calendar's working days, 调休 Saturdays included; `rest`: weekends and holidays;
`every`; or weekday names) from when to when (a shift whose end is not after its start runs past midnight, and
belongs to the day it starts). When nobody is on duty, the roster's `fallback` answers: people, or `center` (whoever
is on duty at the unit's center, then that center's fallback). A unit's `leader` is its 负责人."""
from __future__ import annotations

import functools
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, Protocol
from zoneinfo import ZoneInfo

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "rosters.toml"
CHINA = ZoneInfo("Asia/Shanghai")
WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_KINDS: tuple[str, ...] = ("working", "rest", "every")
#: what an escalation step (or the new-task rule) may name in `notify` (supervision's NOTIFY)
NOTIFY: tuple[str, ...] = ("dispatcher", "admin", "viewer", "handler", "unit_leader", "duty_roster", "parent_center")
CHANNELS: tuple[str, ...] = ("in_app", "webhook", "sms")
CENTER_FALLBACK = "center"


class RosterError(ValueError):
    """The rosters' data is invalid; the message names the file, the key and what is allowed."""


class Workdays(Protocol):
    """What a roster needs of a calendar (shared.calendar.WorkCalendar)."""

    def is_workday(self, d: date) -> bool: ...


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    role: str                                        # 职务 as people say it: 值班长, 中队长, 带班领导 …
    phone: str | None = field(default=None, repr=False)  # never logged, never shown unmasked
    webhook: str | None = None                       # a path under YIWANG_WEBHOOK_URL, or an absolute http(s) URL


@dataclass(frozen=True)
class Shift:
    who: tuple[str, ...]
    days: tuple[str, ...]                            # ("working",) | ("rest",) | ("every",) | weekday names
    start: time
    end: time | None                                 # None: 24:00

    def _day_matches(self, d: date, cal: Workdays) -> bool:
        if "every" in self.days:
            return True
        if "working" in self.days and cal.is_workday(d):
            return True
        if "rest" in self.days and not cal.is_workday(d):
            return True
        return WEEKDAYS[d.weekday()] in self.days

    def covers(self, at: datetime, cal: Workdays) -> bool:
        local = at.astimezone(CHINA)
        t, d = local.time(), local.date()
        end = self.end
        if end is None or end > self.start:          # within one day
            return self.start <= t and (end is None or t < end) and self._day_matches(d, cal)
        # past midnight: from `start` on the shift's day until `end` on the next
        return (t >= self.start and self._day_matches(d, cal)) or \
            (t < end and self._day_matches(d - timedelta(days=1), cal))


@dataclass(frozen=True)
class Roster:
    owner: str                                       # a region code (center) or a unit code
    duty: tuple[Shift, ...] = ()
    fallback: tuple[str, ...] = ()                   # people, or CENTER_FALLBACK (units only)
    leader: str | None = None


@dataclass(frozen=True)
class TaskRule:
    """Who hears of a new task (a case dispatched or transferred to a unit), on which channels."""

    notify: tuple[str, ...] = ("handler",)
    channel: tuple[str, ...] = ("in_app", "webhook", "sms")
    by_priority: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # priority → channels

    def channels(self, priority: str | None) -> tuple[str, ...]:
        return self.by_priority.get(priority or "", self.channel)


@dataclass(frozen=True)
class Rosters:
    people: Mapping[str, Person] = field(default_factory=dict)
    rosters: Mapping[str, Roster] = field(default_factory=dict)
    new_task: TaskRule = field(default_factory=TaskRule)
    source: str = "<rosters>"

    def person(self, person_id: str) -> Person:
        return self.people[person_id]

    def on_duty(self, owner: str, at: datetime, cal: Workdays, center: str | None = None) -> tuple[Person, ...]:
        """Who is on duty for `owner` (a center's region code or a unit code) at `at`, else its fallback; for a
        unit, `center` is the center whose duty a `center` fallback means. Nobody for an owner without a roster."""
        roster = self.rosters.get(owner)
        if roster is None:
            return ()
        ids = [p for s in roster.duty if s.covers(at, cal) for p in s.who]
        if not ids:
            for f in roster.fallback:
                if f == CENTER_FALLBACK:
                    if center and center != owner:
                        ids.extend(p.id for p in self.on_duty(center, at, cal))
                else:
                    ids.append(f)
        return tuple(self.people[i] for i in _unique(ids))

    def leader(self, unit: str | None) -> tuple[Person, ...]:
        roster = self.rosters.get(unit or "")
        return (self.people[roster.leader],) if roster is not None and roster.leader else ()

    def recipients(self, notify: Iterable[str], at: datetime, cal: Workdays, *, center: str, unit: str | None,
                   parent: str | None) -> tuple[Person, ...]:
        """The people a `notify` list names, once each, in the order named. `dispatcher`: the center's duty;
        `handler`: the unit's duty; `unit_leader`: the unit's leader; `duty_roster`: the duty of the center and of
        the unit; `parent_center`: the parent center's duty. `admin` and `viewer` are told in-app only."""
        found: list[Person] = []
        for who in notify:
            match who:
                case "dispatcher":
                    found.extend(self.on_duty(center, at, cal))
                case "handler":
                    found.extend(self.on_duty(unit, at, cal, center) if unit else ())
                case "unit_leader":
                    found.extend(self.leader(unit))
                case "duty_roster":
                    found.extend(self.on_duty(center, at, cal))
                    found.extend(self.on_duty(unit, at, cal, center) if unit else ())
                case "parent_center":
                    found.extend(self.on_duty(parent, at, cal) if parent else ())
        return tuple({p.id: p for p in found}.values())  # once each, where first named


def _unique(ids: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(ids))


# ---- parsing ------------------------------------------------------------------------------------------------
def _hhmm(value: Any, where: str, allow_24: bool = False) -> time | None:
    if allow_24 and value == "24:00":
        return None
    try:
        hh, mm = str(value).split(":")
        if len(hh) != 2 or len(mm) != 2:
            raise ValueError
        return time(int(hh), int(mm))
    except ValueError:
        raise RosterError(f"{where}: expected \"HH:MM\" (00:00-23:59{', or 24:00' if allow_24 else ''}); "
                          f"got {value!r}") from None


def _ids(value: Any, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise RosterError(f"{where}: expected a person's id or a list of them; got {value!r}")
    return tuple(value)


def _names(value: Any, allowed: Sequence[str], where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value) or not set(value) <= set(allowed):
        raise RosterError(f"{where}: expected a list of {', '.join(allowed)}; got {value!r}")
    return tuple(value)


def _table(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise RosterError(f"{where}: expected a table; got {value!r}")
    return value


def _person(pid: str, raw: Any, where: str) -> Person:
    raw = _table(raw, where)
    unknown = set(raw) - {"name", "role", "phone", "webhook"}
    if unknown:
        raise RosterError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}; allowed: name, role, phone, webhook")
    for key in ("name", "role"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise RosterError(f"{where}.{key}: required, a non-empty string")
    phone = raw.get("phone")
    if phone is not None and not (isinstance(phone, str) and phone.isdigit() and 5 <= len(phone) <= 15):
        raise RosterError(f"{where}.phone: expected digits only (e.g. \"13800000000\")")  # the value is not echoed
    hook = raw.get("webhook")
    if hook is not None and not (isinstance(hook, str) and (hook.startswith("/") or hook.startswith(("http://",
                                                                                                      "https://")))):
        raise RosterError(f"{where}.webhook: expected a path (\"/hooks/…\", under YIWANG_WEBHOOK_URL) or an http(s) "
                          f"URL; got {hook!r}")
    return Person(pid, raw["name"].strip(), raw["role"].strip(), phone, hook)


def _shift(raw: Any, where: str) -> Shift:
    raw = _table(raw, where)
    unknown = set(raw) - {"who", "days", "from", "to"}
    if unknown:
        raise RosterError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}; allowed: who, days, from, to")
    days = raw.get("days", "every")
    days_list = [days] if isinstance(days, str) else days
    allowed = (*DAY_KINDS, *WEEKDAYS)
    if not isinstance(days_list, list) or not days_list or not all(isinstance(d, str) and d in allowed
                                                                   for d in days_list):
        raise RosterError(f"{where}.days: expected working, rest, every or a list of {', '.join(WEEKDAYS)}; "
                          f"got {days!r}")
    start = _hhmm(raw.get("from", "00:00"), f"{where}.from")
    assert start is not None
    return Shift(_ids(raw.get("who"), f"{where}.who"), tuple(days_list), start,
                 _hhmm(raw.get("to", "24:00"), f"{where}.to", allow_24=True))


def _roster(owner: str, raw: Any, where: str, unit: bool) -> Roster:
    raw = _table(raw, where)
    keys = {"duty", "fallback", *({"leader"} if unit else set())}
    unknown = set(raw) - keys
    if unknown:
        raise RosterError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}; allowed: {', '.join(sorted(keys))}")
    duty = raw.get("duty", [])
    if not isinstance(duty, list):
        raise RosterError(f"{where}.duty: expected a list of shifts [[…duty]] {{who, days, from, to}}")
    shifts = tuple(_shift(s, f"{where}.duty[{i}]") for i, s in enumerate(duty))
    fallback = _ids(raw["fallback"], f"{where}.fallback") if "fallback" in raw else ()
    if CENTER_FALLBACK in fallback and not unit:
        raise RosterError(f"{where}.fallback: `center` is a unit's fallback (its center's duty), not a center's")
    leader = raw.get("leader")
    if leader is not None and not isinstance(leader, str):
        raise RosterError(f"{where}.leader: expected a person's id; got {leader!r}")
    return Roster(owner, shifts, fallback, leader)


def parse_rosters(data: Mapping[str, Any], source: str = "<rosters>") -> Rosters:
    unknown = set(data) - {"people", "centers", "units", "new_task"}
    if unknown:
        raise RosterError(f"{source}: unknown section(s) {', '.join(sorted(unknown))}; allowed: people, centers, "
                          f"units, new_task")
    people = {pid: _person(pid, raw, f"{source}: people.{pid}")
              for pid, raw in _table(data.get("people", {}), f"{source}: people").items()}
    rosters: dict[str, Roster] = {}
    for section, unit in (("centers", False), ("units", True)):
        for owner, raw in _table(data.get(section, {}), f"{source}: {section}").items():
            rosters[owner] = _roster(owner, raw, f"{source}: {section}.{owner}", unit)
    for r in rosters.values():
        named = [p for s in r.duty for p in s.who] + [p for p in r.fallback if p != CENTER_FALLBACK] + \
            ([r.leader] if r.leader else [])
        missing = sorted(set(named) - set(people))
        if missing:
            raise RosterError(f"{source}: {r.owner} names {', '.join(missing)}, not in [people]")
    task = _table(data.get("new_task", {}), f"{source}: new_task")
    unknown = set(task) - {"notify", "channel", "priority"}
    if unknown:
        raise RosterError(f"{source}: new_task: unknown key(s) {', '.join(sorted(unknown))}; allowed: notify, "
                          f"channel, priority")
    default = TaskRule()
    by_priority = {p: _names(_table(v, f"{source}: new_task.priority.{p}").get("channel"), CHANNELS,
                             f"{source}: new_task.priority.{p}.channel")
                   for p, v in _table(task.get("priority", {}), f"{source}: new_task.priority").items()}
    rule = TaskRule(_names(task.get("notify", list(default.notify)), NOTIFY, f"{source}: new_task.notify"),
                    _names(task.get("channel", list(default.channel)), CHANNELS, f"{source}: new_task.channel"),
                    by_priority)
    return Rosters(people, rosters, rule, source)


def read_rosters(path: Path | str) -> Rosters:
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise RosterError(f"{path}: cannot read ({exc.strerror or exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise RosterError(f"{path.name}: not valid TOML ({exc})") from None
    return parse_rosters(raw, path.name)


@functools.cache
def load_rosters(path: str | None = None) -> Rosters:
    """The rosters of the file (default: the packaged data), read once per process."""
    return read_rosters(path or DATA_FILE)
