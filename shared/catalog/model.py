"""Value types of the catalog: categories, units, regions, and their lookup errors. Stdlib only."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

Tier = Literal["city", "county", "township"]

TIERS: tuple[str, ...] = ("city", "county", "township")
#: higher number = lower in the chain
TIER_RANK: Mapping[str, int] = {"city": 0, "county": 1, "township": 2}
KINDS: tuple[str, ...] = ("部件", "事件")
PRIORITIES: tuple[str, ...] = ("urgent", "high", "normal")
PRINCIPLES: tuple[str, ...] = ("owner_first", "territory_first")
STAGES: tuple[str, ...] = ("sign", "resolve", "verify", "feedback")
#: every stage with a clock: 受理 (received → taken in), 派遣 (taken in → dispatched), then the four of STAGES
CLOCK_STAGES: tuple[str, ...] = ("accept", "dispatch", *STAGES)
#: the stages a unit holds: timed on the unit's own working hours when it has some (units.toml [working_hours])
UNIT_STAGES: tuple[str, ...] = ("sign", "resolve")
DEADLINE_UNITS: tuple[str, ...] = ("minutes", "hours", "days", "working_hours", "working_days")
#: a unit's working hours: ALWAYS_ON (every minute of every day counts) or (start, end) periods of working days
ALWAYS_ON = "24x7"
#: 并单 defaults when categories.toml has no [merge] section: a report within this distance of an open case
#: of the same category, reported within this many hours after it, joins that case
MERGE_RADIUS_M: float = 250
MERGE_WINDOW_HOURS: float = 72


@dataclass(frozen=True)
class Deadline:
    """One stage's time limit, e.g. ``Deadline(30, "minutes")`` or ``Deadline(3, "working_days")``."""

    amount: float
    unit: str  # "minutes" | "hours" | "days" (natural time) | "working_hours" | "working_days"

    def __post_init__(self) -> None:
        if self.unit not in DEADLINE_UNITS:
            raise ValueError(f"deadline unit {self.unit!r} is not one of {', '.join(DEADLINE_UNITS)}")
        if not isinstance(self.amount, (int, float)) or isinstance(self.amount, bool) or self.amount <= 0:
            raise ValueError(f"deadline amount must be a positive number, got {self.amount!r}")

    def as_dict(self) -> dict:
        return {"amount": self.amount, "unit": self.unit}


@dataclass(frozen=True)
class Category:
    code: str  # 4 digits: 大类 (2) + 小类 (2); 部件 majors 01–0x, 事件 majors 11–19
    name: str  # 小类 name, e.g. "上水井盖"
    kind: str  # "部件" | "事件"
    major_code: str
    major_name: str
    priority: str  # "urgent" | "high" | "normal"
    deadlines: Mapping[str, Deadline] = field(hash=False)  # keys exactly sign, resolve, verify, feedback
    unit_kind: str
    tier: str
    principle: str  # "owner_first" (部件: 先属主后属地) | "territory_first" (事件: 先属地后属主)
    keywords: tuple[str, ...]
    auto_dispatch: bool = False  # a township sends it straight to the nearest available team (网格化自动派遣)
    merge_radius_m: float = MERGE_RADIUS_M  # 并单: duplicates lie within this distance of the open case…
    merge_window_hours: float = MERGE_WINDOW_HOURS  # …and were reported within this many hours after it
    #: every stage's clock for every priority: {priority: {stage: Deadline}} over PRIORITIES × CLOCK_STAGES
    #: (empty when built by hand: then `deadlines` serves every priority, and accept/dispatch have no clock)
    clocks: Mapping[str, Mapping[str, Deadline]] = field(default_factory=dict, hash=False, compare=False)

    def clock(self, stage: str, priority: str | None = None) -> Deadline | None:
        """The time limit of `stage` for a case of `priority` (default: the category's own)."""
        by_stage = self.clocks.get(priority or self.priority) or self.clocks.get(self.priority)
        if by_stage is not None and stage in by_stage:
            return by_stage[stage]
        return self.deadlines.get(stage)

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "name": self.name,
            "kind": self.kind,
            "major_code": self.major_code,
            "major_name": self.major_name,
            "priority": self.priority,
            "deadlines": {stage: d.as_dict() for stage, d in self.deadlines.items()},
            "unit_kind": self.unit_kind,
            "tier": self.tier,
            "principle": self.principle,
            "keywords": list(self.keywords),
            "auto_dispatch": self.auto_dispatch,
            "merge_radius_m": self.merge_radius_m,
            "merge_window_hours": self.merge_window_hours,
        }


@dataclass(frozen=True)
class Unit:
    code: str  # "{region}.{kind}", globally unique
    name: str
    kind: str
    tier: str
    center: str  # region code of the center the unit belongs to

    def as_dict(self) -> dict:
        return {"code": self.code, "name": self.name, "kind": self.kind, "tier": self.tier, "center": self.center}


@dataclass(frozen=True)
class Team:
    """A team (班组) of a unit that goes on site, e.g. one squad of a township's 城管中队."""

    code: str  # "{unit}.{suffix}", e.g. "320612001.chengguan.t1"
    unit: str  # the unit's code
    name: str
    lon: float  # where the team is based (WGS-84)
    lat: float
    capacity: int  # open cases it takes at a time

    def as_dict(self) -> dict:
        return {"code": self.code, "unit": self.unit, "name": self.name,
                "position": {"lon": self.lon, "lat": self.lat}, "capacity": self.capacity}


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    tier: str
    parent: str | None

    def as_dict(self) -> dict:
        return {"code": self.code, "name": self.name, "tier": self.tier, "parent": self.parent}


class _Unknown(KeyError):
    what = "key"

    def __init__(self, code: object) -> None:
        super().__init__(code)
        self.code = code

    def __str__(self) -> str:  # KeyError's own str() would show the repr in quotes
        return f"unknown {self.what} {self.code!r}"


class UnknownCategory(_Unknown):
    what = "category"


class UnknownRegion(_Unknown):
    what = "region"


class UnknownUnit(_Unknown):
    what = "unit"
