"""Sensor alerts, pure: the alert types (data: services/intake/data/sensors.toml), the grouping key that makes
a storm of alerts one case, what an alert does to the case with its key, and when a silent device is due."""
from __future__ import annotations

import functools
import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from types import MappingProxyType
from typing import Any

from shared.clock import CHINA
from shared.lifecycle import ACCEPTED, DISPATCHED, PRIORITIES, RECEIVED, TRIAGED

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "sensors.toml"
HEARTBEAT = "heartbeat"
LEVELS = ("info", "warning", "critical")
LEVEL_NAMES = {"info": "提示", "warning": "预警", "critical": "严重告警"}
GROUPS = ("sensor", "cell")
METRES_PER_DEGREE = 6_371_008.8 * math.pi / 180  # along a meridian, on the mean Earth sphere

# The statuses in which someone still has to act on a case: alerts join such a case, and an all-clear may end
# it (lifecycle `Clear`). A resolved or verified case is not joined: the same condition coming back after a
# unit reported it fixed is a new incident, and a new case.
JOINABLE = frozenset({RECEIVED, TRIAGED, DISPATCHED, ACCEPTED})

# What an alert does (`decide`)
OPEN = "open"        # open a new case with the alert's key
JOIN = "join"        # add the alert to the open case
CLEAR = "clear"      # an all-clear ends the open case
NOTE = "note"        # an all-clear is only recorded on the open case
IGNORE = "ignore"    # nothing to do: no case is stored


class UnknownAlertType(LookupError):
    """The alert's type is not in sensors.toml (HTTP 422)."""

    def __init__(self, code: str):
        self.code = code
        super().__init__(code)

    def __str__(self) -> str:  # LookupError's own str() would show the repr in quotes
        return f"unknown alert_type {self.code!r}; known: {', '.join(sorted(sensor_types().types))}"


@dataclass(frozen=True)
class AlertType:
    code: str
    name: str
    category: str | None            # None for heartbeats, which never make a case
    group: str | None               # "sensor" | "cell"
    cell_m: float | None
    all_clear_resolves: bool
    heartbeat: timedelta
    levels: Mapping[str, str]       # alert level → case priority

    def priority(self, level: str) -> str:
        return self.levels[level]


@dataclass(frozen=True)
class Offline:
    category: str
    priority: str
    all_clear_resolves: bool


@dataclass(frozen=True)
class SensorTypes:
    types: Mapping[str, AlertType]
    grace: float
    offline: Offline

    def get(self, code: str) -> AlertType:
        try:
            return self.types[code]
        except KeyError:
            raise UnknownAlertType(code) from None

    def silence_allowed(self, kind: str) -> timedelta:
        """How long a device of this kind may stay silent before it counts as offline."""
        return self.types.get(kind, self.types[HEARTBEAT]).heartbeat * self.grace


def parse(doc: Mapping[str, Any]) -> SensorTypes:
    """Sensor types from the TOML document; raises ValueError naming the first problem."""
    defaults = doc["levels"]
    types = {}
    for code, raw in doc["types"].items():
        levels = {**defaults, **raw.get("levels", {})}
        t = AlertType(code=code, name=raw["name"], category=raw.get("category"), group=raw.get("group"),
                      cell_m=raw.get("cell_m"), all_clear_resolves=bool(raw.get("all_clear_resolves", False)),
                      heartbeat=timedelta(minutes=raw["heartbeat_minutes"]), levels=MappingProxyType(levels))
        if set(levels) != set(LEVELS) or not set(levels.values()) <= set(PRIORITIES):
            raise ValueError(f"types.{code}: levels must map {', '.join(LEVELS)} to {', '.join(PRIORITIES)}")
        if t.heartbeat <= timedelta(0):
            raise ValueError(f"types.{code}: heartbeat_minutes must be positive")
        if code != HEARTBEAT and (not t.category or t.group not in GROUPS):
            raise ValueError(f"types.{code}: needs a category and a group ({' or '.join(GROUPS)})")
        if (t.group == "cell") != bool(t.cell_m and t.cell_m > 0):
            raise ValueError(f"types.{code}: cell_m (positive) goes with group = \"cell\" and only with it")
        types[code] = t
    if HEARTBEAT not in types:
        raise ValueError(f"types.{HEARTBEAT} is missing")
    off = doc["offline"]
    if off["priority"] not in PRIORITIES:
        raise ValueError(f"offline.priority must be one of {', '.join(PRIORITIES)}")
    return SensorTypes(types=MappingProxyType(types), grace=float(doc["grace"]),
                       offline=Offline(off["category"], off["priority"], bool(off["all_clear_resolves"])))


@functools.cache
def sensor_types(path: Path = DATA_FILE) -> SensorTypes:
    with open(path, "rb") as f:
        return parse(tomllib.load(f))


# ---- grouping ----------------------------------------------------------------------------------
def cell_of(lon: float, lat: float, metres: float) -> tuple[int, int]:
    """The (row, col) of the grid cell of about `metres` × `metres` that holds the point. Rows are bands of
    latitude; within a row, columns are as wide in metres at the row's middle latitude. Deterministic, so
    alerts arriving at the same moment agree on their cell without asking each other."""
    dlat = metres / METRES_PER_DEGREE
    row = math.floor(lat / dlat)
    dlon = dlat / math.cos(math.radians((row + 0.5) * dlat))
    return row, math.floor(lon / dlon)


def group_key(t: AlertType, sensor_id: str, lon: float, lat: float) -> str:
    """The key alerts of one incident share (at most 120 characters: type ≤ 40, sensor id ≤ 64)."""
    if t.group == "sensor":
        return f"{t.code}:{sensor_id}"
    if t.cell_m is None:  # parse() gives every "cell" type its cell_m
        raise ValueError(f"alert type {t.code!r} groups by neither sensor nor cell")
    row, col = cell_of(lon, lat, t.cell_m)
    return f"{t.code}:{t.cell_m:g}m:{row}:{col}"


def offline_key(sensor_id: str) -> str:
    return f"offline:{sensor_id}"


def higher(a: str, b: str) -> str:
    """The more urgent of two priorities."""
    return min(a, b, key=PRIORITIES.index)


# ---- decisions ---------------------------------------------------------------------------------
def decide_all_clear(resolves: bool, owner: str | None, center: str) -> str:
    """An all-clear for the joinable case owned by `owner` (None: there is none) at `center`: it ends the case
    when the type allows and this center owns the case; otherwise it is only recorded."""
    if owner is None:
        return IGNORE
    return CLEAR if resolves and owner == center else NOTE


def decide(t: AlertType, level: str, resolved: bool, owner: str | None, center: str) -> str:
    """What an alert does, given the owner center of the joinable case with its key (None: there is none)."""
    if resolved:
        return decide_all_clear(t.all_clear_resolves, owner, center)
    if owner is not None:
        return JOIN
    return IGNORE if level == "info" else OPEN


def describe(t: AlertType, sensor_id: str, level: str, value: float | None, threshold: float | None) -> str:
    """The new case's description."""
    text = f"{t.name}（传感器 {sensor_id}，{LEVEL_NAMES[level]}）"
    if value is not None:
        text += f"：监测值 {value:g}" + (f"，阈值 {threshold:g}" if threshold is not None else "")
    return text


def describe_offline(sensor_id: str, t: AlertType | None, last_seen_at: datetime, silence: timedelta) -> str:
    """The description of a device-offline case; `t` is the device's type (None or heartbeat: not known)."""
    what = f"感知设备 {sensor_id}" + (f"（{t.name}）" if t and t.code != HEARTBEAT else "")
    return (f"{what}自 {last_seen_at.astimezone(CHINA):%Y-%m-%d %H:%M} 起超过 {silence.total_seconds() / 60:g} 分钟"
            f"未上报，疑似离线，请安排检修")


# ---- heartbeats --------------------------------------------------------------------------------
def seen_at(observed_at: datetime, now: datetime) -> datetime:
    """When the device was last alive, by this alert: its own time, but never in the future (a device whose
    clock runs ahead would otherwise never be missed)."""
    return min(observed_at, now)
