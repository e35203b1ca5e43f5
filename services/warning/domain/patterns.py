"""Case patterns (监测预警 of the cases themselves, CONTRACTS.md §7), computed incrementally: each new case updates
a little state per place and is judged against it; history is never rescanned.

**hotspot (类案高发) — a prospective space-time scan on a grid with a Poisson baseline.** The plane is cut into
square cells (`cell_m`, 500 m); each (category, cell) keeps its daily counts for the scan window (`window_days`) and
a learned usual rate: an exponentially weighted mean of its daily counts, fed with each day as it leaves the window
(so a cluster never raises its own baseline while it is being judged), bias-corrected for its start at zero, and
floored by a prior rate (a place known for less than a window is judged against the prior alone).
A new case scans the four 2 × 2 blocks of cells (1 km × 1 km, fixed "cylinders" of Kulldorff's space-time scan:
space × the last `window_days`) that contain its cell; for each, the observed count n is compared with the expected
count μ = Σ usual rate × window, and the block with the smallest Poisson tail P(X ≥ n | μ) is kept. A hotspot is
raised when n ≥ `min_cases` and that tail ≤ `p_max`.

Why this method: it is the standard of prospective syndromic surveillance (SaTScan's space-time scan with a
Poisson model; CDC EARS-like baselines), it states "beyond the place's usual rate" exactly — a busy market street
with many complaints every week is not a hotspot at its usual rate, a quiet lane with ten in a week is — and with
fixed cells and blocks it runs in O(1) per case with a few numbers per cell. DBSCAN finds dense clusters but has no
notion of a place's own baseline (it would flag every busy street) and needs the window's points, not counters.
A full scan over every circle size needs the history or Monte-Carlo replication per case; the fixed 2 × 2 blocks
catch a neighbourhood-sized cluster that straddles cell borders, which is what 类案高发 means in practice.

**trend** — per (category, region): the window's count against the region's own recent baseline (EWMA of the days
before the window, `min_baseline_days` of it at least), raised when at least `factor` times the expected count
with a Poisson tail ≤ `p_max`.

**repeat_caller** — per caller, keyed by an HMAC of the number (the number itself never reaches this module): the
caller's orders in the last `window_hours`; several (`min_orders`) raise a warning.

Each finding names its **cause**: the pattern and place plus the start of its episode (a run of findings that
follow one another within a window). A warning is raised once per cause (services/warning/records.py); later cases of
the same episode join it. State is plain JSON, kept by whatever implements `States` (a table in production, a
dict in tests and the benchmark).
"""
from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Protocol

CHINA = timezone(timedelta(hours=8))
M_PER_DEG = 111_320.0
RULES_FILE = Path(__file__).resolve().parents[1] / "data" / "warnings.toml"
KINDS = ("hotspot", "trend", "repeat_caller", "alert_storm", "device_offline",
         "dwell", "route_deviation", "night_driving", "fatigue")
LEVELS = ("info", "yellow", "red")
MAX_IDS = 100  # case ids kept per cell-day and named by a finding

State = dict[str, Any]


class RulesError(ValueError):
    """warnings.toml has a bad value."""


class States(Protocol):
    """Where the per-place state lives: `take` reads a key for update (locked), `get` reads one (not locked)."""

    def take(self, key: str) -> State | None: ...

    def get(self, key: str) -> State | None: ...

    def many(self, keys: list[str]) -> dict[str, State]: ...

    def put(self, key: str, state: State) -> None: ...


@dataclass(frozen=True)
class Observation:
    """What a new case tells the patterns (never a phone number: `caller` is its keyed hash)."""

    case_id: str
    category: str | None
    region: str
    lon: float | None
    lat: float | None
    at: datetime
    source: str
    caller: str | None = None


@dataclass(frozen=True)
class Finding:
    kind: str
    level: str
    region: str
    title: str
    evidence: dict[str, Any]
    cause: str
    case_ids: tuple[str, ...]


# ---- rules as data ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Rules:
    sources: frozenset[str]
    kinds: dict[str, dict[str, Any]] = field(default_factory=dict)

    def of(self, kind: str, category: str | None = None) -> dict[str, Any]:
        """The kind's values, with the category's overrides."""
        base = {k: v for k, v in self.kinds.get(kind, {}).items() if k != "category"}
        if category is not None:
            base.update(self.kinds.get(kind, {}).get("category", {}).get(category, {}))
        return base


_NUMBERS = {
    "hotspot": ("cell_m", "window_days", "min_cases", "red_cases", "p_max", "prior_per_cell_day", "ewma_alpha"),
    "trend": ("window_days", "min_cases", "factor", "p_max", "min_baseline_days", "prior_per_day", "ewma_alpha"),
    "repeat_caller": ("window_hours", "min_orders", "red_orders", "keep"),
    "alert_storm": ("min_alerts", "red_alerts"),
}


def load_rules(path: Path | str | None = None) -> Rules:
    """Read warnings.toml; raises RulesError naming the bad value."""
    where = Path(path) if path else RULES_FILE
    try:
        raw = tomllib.loads(where.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise RulesError(f"{where}: {e}") from None
    kinds = {k: v for k, v in raw.items() if isinstance(v, dict)}
    for kind, names in _NUMBERS.items():
        table = kinds.get(kind, {})
        for scope, values in [(kind, table), *((f"{kind}.category.{c}", v)
                                               for c, v in table.get("category", {}).items())]:
            for name in names:
                if name in values and (isinstance(values[name], bool) or not isinstance(values[name], (int, float))
                                       or values[name] < 0):
                    raise RulesError(f"{where}: {scope}.{name} must be a number ≥ 0, got {values[name]!r}")
        missing = [n for n in names if n not in table]
        if missing:
            raise RulesError(f"{where}: [{kind}] lacks {', '.join(missing)}")
    for kind, table in kinds.items():
        if "level" in table and table["level"] not in LEVELS:
            raise RulesError(f"{where}: {kind}.level must be one of {', '.join(LEVELS)}")
    return Rules(frozenset(raw.get("sources", [])), kinds)


# ---- arithmetic ---------------------------------------------------------------------------------------------------
def poisson_tail(n: int, mu: float) -> float:
    """P(X ≥ n) for X ~ Poisson(mu)."""
    if n <= 0:
        return 1.0
    if mu <= 0:
        return 0.0
    term = math.exp(-mu)
    below = term
    for k in range(1, n):
        term *= mu / k
        below += term
    return max(0.0, 1.0 - below)


def day_of(at: datetime) -> date:
    return at.astimezone(CHINA).date()


def cell_of(lon: float, lat: float, cell_m: float) -> tuple[int, int]:
    """The grid cell of a point: rows by latitude, columns by longitude scaled at the whole degree of latitude
    (cells stay square within a degree band; Nantong lies in one)."""
    scale = math.cos(math.radians(math.floor(lat) + 0.5))
    return math.floor(lon * M_PER_DEG * scale / cell_m), math.floor(lat * M_PER_DEG / cell_m)


def cell_box(ix: int, iy: int, width: int, cell_m: float) -> tuple[float, float, float, float]:
    """(lon0, lat0, lon1, lat1) of `width` × `width` cells from cell (ix, iy)."""
    lat0 = iy * cell_m / M_PER_DEG
    scale = math.cos(math.radians(math.floor(lat0) + 0.5))
    lon0 = ix * cell_m / (M_PER_DEG * scale)
    return (round(lon0, 6), round(lat0, 6), round(lon0 + width * cell_m / (M_PER_DEG * scale), 6),
            round(lat0 + width * cell_m / M_PER_DEG, 6))


def _fold(state: State, today: date, window: int, alpha: float) -> None:
    """Fold the days that left the window into the usual rate (EWMA per day), in order, zero days included."""
    cutoff = today - timedelta(days=window)  # the last day outside the window
    days: dict[str, list[Any]] = state.setdefault("days", {})
    folded = date.fromisoformat(state["folded"]) if state.get("folded") else None
    if folded is None:
        first = min((date.fromisoformat(d) for d in days), default=today)
        folded = min(first - timedelta(days=1), cutoff)
    if cutoff <= folded:
        state["folded"] = folded.isoformat()
        return
    rate = float(state.get("rate", 0.0))
    at = folded
    for d in sorted(k for k in days if date.fromisoformat(k) <= cutoff):
        day = date.fromisoformat(d)
        if day > at:
            rate *= (1 - alpha) ** ((day - at).days - 1)
            rate = (1 - alpha) * rate + alpha * days[d][0]
            at = day
        del days[d]
    rate *= (1 - alpha) ** (cutoff - at).days
    state["rate"] = rate
    state["seen_days"] = int(state.get("seen_days", 0)) + (cutoff - folded).days
    state["folded"] = cutoff.isoformat()


def usual(state: State, prior: float, window: int, alpha: float) -> float:
    """A place's usual daily rate: the bias-corrected EWMA of the days folded so far (as Adam corrects its moments:
    the mean starts at 0 and is divided by 1 - (1 - alpha)^days), once at least a window's worth of days is known;
    never below the prior (a cold start is judged against the prior alone)."""
    seen = int(state.get("seen_days", 0))
    if seen < window:
        return prior
    return max(prior, float(state.get("rate", 0.0)) / (1 - (1 - alpha) ** seen))


def _add(state: State, today: date, case_id: str) -> None:
    entry = state.setdefault("days", {}).setdefault(today.isoformat(), [0, []])
    entry[0] += 1
    if len(entry[1]) < MAX_IDS:
        entry[1].append(case_id)


def _window(state: State) -> tuple[int, list[str]]:
    days = state.get("days", {})
    return sum(v[0] for v in days.values()), [i for d in sorted(days) for i in days[d][1]]


def _episode(states: list[State], today: date) -> str | None:
    for s in states:
        ep = s.get("episode")
        if ep and date.fromisoformat(ep["until"]) >= today:
            return str(ep["cause"])
    return None


def _level(n: int, red: float, default: str = "yellow") -> str:
    return "red" if red and n >= red else default


# ---- the patterns -------------------------------------------------------------------------------------------------
def observe(rules: Rules, states: States, obs: Observation) -> list[Finding]:
    """Update the state of every pattern the case touches and return what it raises (0 to 3 findings)."""
    found: list[Finding] = []
    if obs.source in rules.sources and obs.category:
        if obs.lon is not None and obs.lat is not None:
            f = hotspot(rules, states, obs)
            if f:
                found.append(f)
        f = trend(rules, states, obs)
        if f:
            found.append(f)
    if obs.caller:
        f = repeat_caller(rules, states, obs)
        if f:
            found.append(f)
    return found


def hotspot_key(category: str, ix: int, iy: int) -> str:
    return f"hotspot:{category}:{ix}:{iy}"


def hotspot(rules: Rules, states: States, obs: Observation) -> Finding | None:
    assert obs.category and obs.lon is not None and obs.lat is not None
    r = rules.of("hotspot", obs.category)
    cell_m, window, alpha = float(r["cell_m"]), int(r["window_days"]), float(r["ewma_alpha"])
    prior = float(r["prior_per_cell_day"])
    today = day_of(obs.at)
    ix, iy = cell_of(obs.lon, obs.lat, cell_m)
    key = hotspot_key(obs.category, ix, iy)
    own = states.take(key) or {}
    _fold(own, today, window, alpha)
    _add(own, today, obs.case_id)
    cells: dict[tuple[int, int], State] = {(ix, iy): own}
    around = {hotspot_key(obs.category, ix + dx, iy + dy): (ix + dx, iy + dy)
              for dx in (-1, 0, 1) for dy in (-1, 0, 1) if (dx, dy) != (0, 0)}
    for k, found in states.many(sorted(around)).items():
        other = {**found, "days": {d: list(v) for d, v in found.get("days", {}).items()}}
        _fold(other, today, window, alpha)
        cells[around[k]] = other
    best: tuple[float, int, int, int, float, list[State]] | None = None
    for bx in (ix - 1, ix):
        for by in (iy - 1, iy):
            block = [cells[c] for c in ((bx, by), (bx + 1, by), (bx, by + 1), (bx + 1, by + 1)) if c in cells]
            n = sum(_window(s)[0] for s in block)
            mu = sum(usual(s, prior, window, alpha) for s in block) * window + (4 - len(block)) * prior * window
            p = poisson_tail(n, mu)
            if best is None or (p, -n) < (best[0], -best[1]):
                best = (p, n, bx, by, mu, block)
    assert best is not None
    p, n, bx, by, mu, block = best
    finding = None
    if n >= int(r["min_cases"]) and p <= float(r["p_max"]):
        cause = _episode(block, today) or f"hotspot:{obs.category}:{bx}:{by}:{today.isoformat()}"
        own["episode"] = {"cause": cause, "until": (today + timedelta(days=window)).isoformat()}
        ids = [i for s in block for i in _window(s)[1]][:MAX_IDS]
        box = cell_box(bx, by, 2, cell_m)
        finding = Finding(
            kind="hotspot", level=_level(n, float(r["red_cases"])), region=obs.region,
            title=f"类案高发：{window}天内同一片区同类案件 {n} 件（通常约 {mu:.1f} 件）",
            evidence={"category": obs.category, "count": n, "expected": round(mu, 3), "p_value": p,
                      "window_days": window, "cell_m": cell_m, "cells": [[bx + a, by + b] for a in (0, 1) for b in (0, 1)],
                      "bbox": list(box), "center": [round((box[0] + box[2]) / 2, 6), round((box[1] + box[3]) / 2, 6)],
                      "method": "grid space-time scan, Poisson baseline"},
            cause=cause, case_ids=tuple(ids))
    states.put(key, own)
    return finding


def trend(rules: Rules, states: States, obs: Observation) -> Finding | None:
    assert obs.category
    r = rules.of("trend", obs.category)
    window, alpha, prior = int(r["window_days"]), float(r["ewma_alpha"]), float(r["prior_per_day"])
    today = day_of(obs.at)
    key = f"trend:{obs.category}:{obs.region}"
    state = states.take(key) or {}
    _fold(state, today, window, alpha)
    _add(state, today, obs.case_id)
    n, ids = _window(state)
    mu = usual(state, prior, window, alpha) * window
    p = poisson_tail(n, mu)
    finding = None
    if int(state.get("seen_days", 0)) >= int(r["min_baseline_days"]) and n >= int(r["min_cases"]) \
            and n >= float(r["factor"]) * mu and p <= float(r["p_max"]):
        cause = _episode([state], today) or f"trend:{obs.category}:{obs.region}:{today.isoformat()}"
        state["episode"] = {"cause": cause, "until": (today + timedelta(days=window)).isoformat()}
        finding = Finding(
            kind="trend", level=str(r.get("level", "yellow")), region=obs.region,
            title=f"上升趋势：近{window}天同类案件 {n} 件，约为平时的 {n / mu:.1f} 倍",
            evidence={"category": obs.category, "count": n, "expected": round(mu, 3), "ratio": round(n / mu, 2),
                      "p_value": p, "window_days": window, "baseline_per_day": round(mu / window, 4)},
            cause=cause, case_ids=tuple(ids[:MAX_IDS]))
    states.put(key, state)
    return finding


def repeat_caller(rules: Rules, states: States, obs: Observation) -> Finding | None:
    assert obs.caller
    r = rules.of("repeat_caller")
    span = timedelta(hours=float(r["window_hours"]))
    key = f"caller:{obs.caller}"
    state = states.take(key) or {}
    orders = [o for o in state.get("orders", []) if datetime.fromisoformat(o[0]) > obs.at - span]
    orders.append([obs.at.isoformat(), obs.case_id, obs.region])
    orders = orders[-int(r["keep"]):]
    state["orders"] = orders
    finding = None
    n = len(orders)
    if n >= int(r["min_orders"]):
        today = day_of(obs.at)
        days = max(1, math.ceil(float(r["window_hours"]) / 24))
        cause = _episode([state], today) or f"repeat_caller:{obs.caller[:16]}:{today.isoformat()}"
        state["episode"] = {"cause": cause, "until": (today + timedelta(days=days)).isoformat()}
        finding = Finding(
            kind="repeat_caller", level=_level(n, float(r["red_orders"]), str(r.get("level", "info"))),
            region=obs.region, title=f"重复来电：同一来电人 {float(r['window_hours']):.0f} 小时内 {n} 次诉求",
            evidence={"caller": obs.caller[:16], "orders": n, "window_hours": float(r["window_hours"]),
                      "regions": sorted({o[2] for o in orders})},
            cause=cause, case_ids=tuple(o[1] for o in orders))
    states.put(key, state)
    return finding


def storm_level(rules: Rules, alerts: int) -> str | None:
    """The level of an alert storm of `alerts` grouped alerts, or None below the threshold."""
    r = rules.of("alert_storm")
    if alerts < int(r["min_alerts"]):
        return None
    return _level(alerts, float(r["red_alerts"]))


class MemoryStates:
    """States in a dict: the unit tests' and the benchmark's."""

    def __init__(self) -> None:
        self.data: dict[str, State] = {}

    def take(self, key: str) -> State | None:
        s = self.data.get(key)
        return None if s is None else {**s, "days": {d: [v[0], list(v[1])] for d, v in s.get("days", {}).items()}}

    def get(self, key: str) -> State | None:
        return self.take(key)

    def many(self, keys: list[str]) -> dict[str, State]:
        return {k: s for k in keys if (s := self.take(k)) is not None}

    def put(self, key: str, state: State) -> None:
        self.data[key] = state


def detect(rules: Rules, observations: list[Observation]) -> list[Finding]:
    """Run the patterns over cases in order (unit tests, the benchmark): every finding, in order."""
    states = MemoryStates()
    out: list[Finding] = []
    for obs in observations:
        out.extend(observe(rules, states, obs))
    return out
