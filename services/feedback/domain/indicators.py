"""The evaluation of units and regions (综合评价 / 行政问效): pure functions over cases and their timelines, with the
indicators themselves as versioned data (services/feedback/data/indicators/v<N>.toml; the file documents the facts,
measures and scoring it may use).

An *assignment* is one hand-over of a case to a unit (dispatched or transferred to it). It lasts while that unit holds
the case, so the time and the outcome of each stage are charged to the unit that held the case then: a transfer ends
one assignment and starts another; a return ends it (unless the dispatching center refuses the return at review:
then the unit keeps it as 首办责任单位); an escalation ends it. The time a case was suspended (an approved
`suspension_decided` until `resumed`) is left out of every measure; merged, rejected and voided cases are left out
of every figure (as the version says).

A period's figures come from the assignments that began in it and from what their timelines show *before the period's
end*: with the version named, a past period recomputes to the same figures however many cases and events came after.
Every figure carries the case ids behind its numerator and denominator.
"""
from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "indicators"
SATISFIED = ("satisfied", "basically_satisfied")
FACTS = ("assigned", "kept", "accepted", "signed_in_time", "returned", "returned_in_time", "return_approved",
         "return_refused", "resolved", "resolved_on_time", "closed", "closed_on_time", "reworked", "extended",
         "suspended", "visited", "solved", "satisfied", "transferred", "escalated",
         "lead", "assisting")  # 联合处置: an assisting unit's sub-task is an assignment of its own (role `assisting`)
MEASURES = ("handling_hours", "sign_hours", "held_hours")
EXCLUDABLE = ("merged", "rejected", "voided")
KINDS = ("ratio", "mean")
CHARGED_TO = ("holder", "dispatcher")
BETTER = ("higher", "lower")
_INDICATOR_KEYS = {"name", "description", "kind", "numerator", "denominator", "measure", "weight", "better",
                   "charged_to", "full_score_at", "zero_score_at"}
_TOP_KEYS = {"version", "effective_from", "description", "exclude_cases", "exclude_suspended_time", "min_assignments",
             "indicators"}


class IndicatorRulesError(ValueError):
    """An indicator version file is invalid (the message names the file and the key)."""


class UnknownVersion(LookupError):
    """No indicator version of that name."""

    def __init__(self, version: str, known: Sequence[str]) -> None:
        self.version, self.known = version, tuple(known)
        super().__init__(f"no indicator version {version!r}; versions: {', '.join(known) or 'none'}")


# ---- expressions over the facts of an assignment ------------------------------------------------------------------

_TOKEN = re.compile(r"\s*(\(|\)|[A-Za-z_]+)")


@dataclass(frozen=True)
class Expr:
    """A boolean expression over facts: `and`, `or`, `not`, parentheses, fact names."""

    text: str
    op: str  # fact | not | and | or
    args: tuple[Expr, ...] = ()
    fact: str | None = None

    def __call__(self, facts: Mapping[str, bool]) -> bool:
        if self.op == "fact":
            return bool(facts[self.fact or ""])
        if self.op == "not":
            return not self.args[0](facts)
        if self.op == "and":
            return all(a(facts) for a in self.args)
        return any(a(facts) for a in self.args)


def parse_expr(text: str) -> Expr:
    """Parse an expression; raises ValueError naming what is wrong."""
    tokens: list[str] = []
    pos = 0
    text = text.strip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            raise ValueError(f"cannot read {text[pos:]!r}")
        tokens.append(m.group(1))
        pos = m.end()
    if not tokens:
        raise ValueError("empty expression")
    at = 0

    def peek() -> str | None:
        return tokens[at] if at < len(tokens) else None

    def take() -> str:
        nonlocal at
        if at >= len(tokens):
            raise ValueError("the expression ends too early")
        at += 1
        return tokens[at - 1]

    def either() -> Expr:
        parts = [both()]
        while peek() == "or":
            take()
            parts.append(both())
        return parts[0] if len(parts) == 1 else Expr(text, "or", tuple(parts))

    def both() -> Expr:
        parts = [single()]
        while peek() == "and":
            take()
            parts.append(single())
        return parts[0] if len(parts) == 1 else Expr(text, "and", tuple(parts))

    def single() -> Expr:
        tok = take()
        if tok == "not":
            return Expr(text, "not", (single(),))
        if tok == "(":
            inner = either()
            if peek() != ")":
                raise ValueError("a parenthesis is not closed")
            take()
            return inner
        if tok in ("and", "or", ")"):
            raise ValueError(f"unexpected {tok!r}")
        if tok not in FACTS:
            raise ValueError(f"unknown fact {tok!r}; facts: {', '.join(FACTS)}")
        return Expr(text, "fact", fact=tok)

    expr = either()
    if at != len(tokens):
        raise ValueError(f"unexpected {tokens[at]!r}")
    return expr


# ---- the rules: one version of the indicators ---------------------------------------------------------------------

@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    denominator: Expr
    numerator: Expr | None = None  # ratio
    measure: str | None = None  # mean
    kind: str = "ratio"
    weight: float = 0.0
    better: str = "higher"
    charged_to: str = "holder"
    full_score_at: float | None = None
    zero_score_at: float | None = None
    description: str = ""

    def score(self, value: float | None) -> float | None:
        """0–1, higher is better; None when there is no value."""
        if value is None:
            return None
        if self.kind == "ratio":
            return value if self.better == "higher" else 1 - value
        full, zero = self.full_score_at, self.zero_score_at
        assert full is not None and zero is not None  # checked when parsed
        return max(0.0, min(1.0, (zero - value) / (zero - full)))

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"code": self.code, "name": self.name, "kind": self.kind, "weight": self.weight,
                               "better": self.better, "charged_to": self.charged_to,
                               "denominator": self.denominator.text}
        if self.numerator is not None:
            out["numerator"] = self.numerator.text
        if self.measure is not None:
            out.update(measure=self.measure, unit="hours", full_score_at=self.full_score_at,
                       zero_score_at=self.zero_score_at)
        if self.description:
            out["description"] = self.description
        return out


@dataclass(frozen=True)
class IndicatorSet:
    version: str
    effective_from: date
    indicators: tuple[Indicator, ...]
    exclude_cases: frozenset[str] = frozenset(EXCLUDABLE)
    exclude_suspended_time: bool = True
    min_assignments: int = 1
    description: str = ""

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(i.code for i in self.indicators)

    def as_dict(self) -> dict[str, Any]:
        return {"version": self.version, "effective_from": self.effective_from.isoformat(),
                "description": self.description, "exclude_cases": sorted(self.exclude_cases),
                "exclude_suspended_time": self.exclude_suspended_time, "min_assignments": self.min_assignments,
                "indicators": [i.as_dict() for i in self.indicators]}


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise IndicatorRulesError(f"{where}: expected a number, got {value!r}")
    return float(value)


def _choice(value: Any, allowed: Sequence[str], where: str) -> str:
    if value not in allowed:
        raise IndicatorRulesError(f"{where}: expected one of {', '.join(allowed)}; got {value!r}")
    return str(value)


def _expr(value: Any, where: str) -> Expr:
    if not isinstance(value, str):
        raise IndicatorRulesError(f"{where}: expected an expression (a string), got {value!r}")
    try:
        return parse_expr(value)
    except ValueError as e:
        raise IndicatorRulesError(f"{where}: {e}") from None


def _indicator(code: str, raw: Any, where: str) -> Indicator:
    if not isinstance(raw, Mapping):
        raise IndicatorRulesError(f"{where}: expected a table")
    unknown = set(raw) - _INDICATOR_KEYS
    if unknown:
        raise IndicatorRulesError(f"{where}: unknown keys {', '.join(sorted(unknown))}; "
                                  f"allowed: {', '.join(sorted(_INDICATOR_KEYS))}")
    name = raw.get("name")
    if not isinstance(name, str) or not name:
        raise IndicatorRulesError(f"{where}.name: required")
    kind = _choice(raw.get("kind", "ratio"), KINDS, f"{where}.kind")
    weight = _number(raw.get("weight", 0), f"{where}.weight")
    if weight < 0:
        raise IndicatorRulesError(f"{where}.weight: must not be negative")
    if "denominator" not in raw:
        raise IndicatorRulesError(f"{where}.denominator: required")
    ind = Indicator(code=code, name=name, kind=kind, weight=weight,
                    denominator=_expr(raw["denominator"], f"{where}.denominator"),
                    better=_choice(raw.get("better", "higher"), BETTER, f"{where}.better"),
                    charged_to=_choice(raw.get("charged_to", "holder"), CHARGED_TO, f"{where}.charged_to"),
                    description=str(raw.get("description", "")))
    if kind == "ratio":
        if "numerator" not in raw:
            raise IndicatorRulesError(f"{where}.numerator: required for a ratio")
        for key in ("measure", "full_score_at", "zero_score_at"):
            if key in raw:
                raise IndicatorRulesError(f"{where}.{key}: only for kind = \"mean\"")
        return replace(ind, numerator=_expr(raw["numerator"], f"{where}.numerator"))
    if "numerator" in raw:
        raise IndicatorRulesError(f"{where}.numerator: a mean has a measure, not a numerator")
    measure = _choice(raw.get("measure"), MEASURES, f"{where}.measure")
    full = _number(raw.get("full_score_at"), f"{where}.full_score_at")
    zero = _number(raw.get("zero_score_at"), f"{where}.zero_score_at")
    if full == zero:
        raise IndicatorRulesError(f"{where}: full_score_at and zero_score_at must differ")
    return replace(ind, measure=measure, full_score_at=full, zero_score_at=zero)


def parse_rules(doc: Mapping[str, Any], source: str = "indicators") -> IndicatorSet:
    """One version from its TOML document; raises IndicatorRulesError naming `source` and the key."""
    unknown = set(doc) - _TOP_KEYS
    if unknown:
        raise IndicatorRulesError(f"{source}: unknown keys {', '.join(sorted(unknown))}")
    version = doc.get("version")
    if not isinstance(version, str) or not re.fullmatch(r"[A-Za-z0-9._-]{1,32}", version):
        raise IndicatorRulesError(f"{source}: version: required, letters, digits, '.', '_' or '-'")
    eff = doc.get("effective_from")
    if isinstance(eff, datetime) or not isinstance(eff, date):
        raise IndicatorRulesError(f"{source}: effective_from: required, a date such as 2026-01-01")
    excl = doc.get("exclude_cases", list(EXCLUDABLE))
    if not isinstance(excl, list) or any(x not in EXCLUDABLE for x in excl):
        raise IndicatorRulesError(f"{source}: exclude_cases: a list of {', '.join(EXCLUDABLE)}; got {excl!r}")
    suspended = doc.get("exclude_suspended_time", True)
    if not isinstance(suspended, bool):
        raise IndicatorRulesError(f"{source}: exclude_suspended_time: true or false")
    min_assignments = doc.get("min_assignments", 1)
    if isinstance(min_assignments, bool) or not isinstance(min_assignments, int) or min_assignments < 1:
        raise IndicatorRulesError(f"{source}: min_assignments: a whole number of at least 1")
    raw = doc.get("indicators")
    if not isinstance(raw, Mapping) or not raw:
        raise IndicatorRulesError(f"{source}: [indicators.<code>]: at least one indicator")
    inds = tuple(_indicator(code, spec, f"{source}: indicators.{code}") for code, spec in raw.items())
    if not any(i.weight > 0 for i in inds):
        raise IndicatorRulesError(f"{source}: no indicator has a weight: the composite score needs one")
    return IndicatorSet(version=version, effective_from=eff, indicators=inds, exclude_cases=frozenset(excl),
                        exclude_suspended_time=suspended, min_assignments=min_assignments,
                        description=str(doc.get("description", "")))


@functools.lru_cache(maxsize=8)
def _load(directory: str, stamp: tuple[tuple[str, int], ...]) -> dict[str, IndicatorSet]:
    out: dict[str, IndicatorSet] = {}
    for name, _ in stamp:
        path = Path(directory) / name
        try:
            doc = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as e:
            raise IndicatorRulesError(f"{path.name}: cannot read it: {e}") from e
        rules = parse_rules(doc, path.name)
        if rules.version != path.stem:
            raise IndicatorRulesError(f"{path.name}: version: {rules.version!r} must match the file's name "
                                      f"({path.stem!r})")
        out[rules.version] = rules
    if not out:
        raise IndicatorRulesError(f"{directory}: no indicator version (v1.toml …)")
    return dict(sorted(out.items(), key=lambda kv: (kv[1].effective_from, kv[0])))


def load_versions(directory: str | Path | None = None) -> dict[str, IndicatorSet]:
    """Every version in `directory` (default: the packaged data), oldest first; re-read when a file changes."""
    d = Path(directory) if directory is not None else DATA_DIR
    try:
        stamp = tuple(sorted((p.name, p.stat().st_mtime_ns) for p in d.glob("*.toml")))
    except OSError as e:
        raise IndicatorRulesError(f"{d}: cannot list the indicator versions: {e}") from e
    return _load(str(d.resolve()), stamp)


def choose(versions: Mapping[str, IndicatorSet], version: str | None, on: date) -> IndicatorSet:
    """The version named, or else the one in force on `on` (the latest whose effective_from is not after it; the
    earliest when every version is later)."""
    if version is not None:
        if version not in versions:
            raise UnknownVersion(version, list(versions))
        return versions[version]
    ordered = list(versions.values())
    in_force = [v for v in ordered if v.effective_from <= on]
    return in_force[-1] if in_force else ordered[0]


# ---- from timelines to assignments --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Entry:
    """One timeline entry, as the computation needs it (`center`: where it happened)."""

    case_id: str
    at: datetime
    type: str
    unit: str | None
    data: Mapping[str, Any] = field(default_factory=dict)
    center: str | None = None


@dataclass(frozen=True)
class CaseRecord:
    """One case: its id, the region its problem is in, and its timeline (oldest first)."""

    id: str
    region: str
    entries: Sequence[Entry]


@dataclass
class Assignment:
    case_id: str
    unit: str
    region: str
    started_at: datetime
    center: str | None = None  # the center that dispatched (or transferred) it
    accepted: bool = False
    accepted_at: datetime | None = None
    late_sign: bool = False
    late_resolve: bool = False
    late_any: bool = False
    resolved: bool = False
    resolved_at: datetime | None = None
    reworks: int = 0
    closed: bool = False
    ended: str | None = None  # returned | transferred | escalated
    ended_at: datetime | None = None
    returned: bool = False
    returned_in_time: bool = False
    return_review: bool | None = None  # None: not reviewed; True: approved; False: refused
    extended: bool = False
    suspensions: list[tuple[datetime, datetime | None]] = field(default_factory=list)
    visit: dict[str, Any] | None = None  # the last 12345 visit: {resolved, satisfaction}
    role: str = "lead"  # lead | assisting (an assisting unit's sub-task of joint handling, 联合处置)
    sign_due: datetime | None = None     # a sub-task's own deadlines (joint_opened): late is measured against them
    resolve_due: datetime | None = None

    @property
    def kept(self) -> bool:
        return self.ended is None

    def suspended_between(self, start: datetime, end: datetime) -> timedelta:
        total = timedelta()
        for s, e in self.suspensions:
            lo, hi = max(s, start), min(e or end, end)
            if hi > lo:
                total += hi - lo
        return total

    def facts(self) -> dict[str, bool]:
        visited = self.visit is not None
        return {
            "assigned": True, "kept": self.kept, "accepted": self.accepted,
            "signed_in_time": self.accepted and not self.late_sign,
            "returned": self.returned, "returned_in_time": self.returned_in_time,
            "return_approved": self.return_review is True, "return_refused": self.return_review is False,
            "resolved": self.resolved, "resolved_on_time": self.resolved and not self.late_resolve,
            "closed": self.closed, "closed_on_time": self.closed and not self.late_any,
            "reworked": self.reworks > 0, "extended": self.extended, "suspended": bool(self.suspensions),
            "visited": visited, "solved": visited and bool(self.visit and self.visit["resolved"]),
            "satisfied": visited and bool(self.visit and self.visit["satisfaction"] in SATISFIED),
            "transferred": self.ended == "transferred", "escalated": self.ended == "escalated",
            "lead": self.role == "lead", "assisting": self.role == "assisting",
        }

    def measure(self, name: str, cutoff: datetime, exclude_suspended: bool = True) -> float | None:
        """Hours of `name` (MEASURES), the suspended time left out; None when it does not apply."""
        end = {"handling_hours": self.resolved_at if self.resolved else None,
               "sign_hours": self.accepted_at,
               "held_hours": self.resolved_at if self.resolved else (self.ended_at or cutoff)}[name]
        if end is None:
            return None
        span = end - self.started_at
        if exclude_suspended:
            span -= self.suspended_between(self.started_at, end)
        return max(span.total_seconds(), 0.0) / 3600


def _when(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return None
    return None


def _sub_tasks(case_id: str, region: str, entries: Iterable[Entry]) -> list[Assignment]:
    """The assisting units' sub-tasks of joint handling (联合处置, 街道吹哨) as assignments of their own: each named by a
    `joint_opened`, charged to its unit against its own deadlines — signed for in time (`task_accepted` by its sign
    deadline), resolved on time (`task_resolved` by its resolve deadline), returned (`task_returned`); closed when the
    case closes. A sub-task lapses (not kept) when the case leaves the lead unit (an approved return, an escalation, a
    hand-over). They are not the dispatching center's dispatches (no `center`: 准确派遣率 counts the case's own)."""
    out: list[Assignment] = []
    open_: dict[str, Assignment] = {}
    for e in entries:
        if e.type == "joint_opened":
            for spec in e.data.get("tasks") or ():
                unit = spec.get("unit") if isinstance(spec, Mapping) else None
                if not unit or spec.get("role") != "assisting" or unit in open_:
                    continue
                named = Assignment(case_id, str(unit), region, e.at, role="assisting",
                                   sign_due=_when(spec.get("sign_due")), resolve_due=_when(spec.get("resolve_due")))
                open_[str(unit)] = named
                out.append(named)
            continue
        unit = e.unit or e.data.get("unit")
        a = open_.get(str(unit)) if unit else None
        if e.type == "task_accepted" and a is not None and not a.accepted:
            a.accepted, a.accepted_at = True, e.at
            a.late_sign = a.sign_due is not None and e.at > a.sign_due
            a.late_any = a.late_any or a.late_sign
        elif e.type == "task_resolved" and a is not None:
            a.resolved, a.resolved_at = True, e.at
            a.late_resolve = a.resolve_due is not None and e.at > a.resolve_due
            a.late_any = a.late_any or a.late_resolve
            del open_[a.unit]
        elif e.type == "task_returned" and a is not None:
            a.returned, a.ended, a.ended_at = True, "returned", e.at
            a.returned_in_time = a.sign_due is None or e.at <= a.sign_due
            del open_[a.unit]
        elif e.type in ("escalated", "routed", "voided") or (e.type == "return_reviewed" and e.data.get("approved")):
            for left in open_.values():
                left.ended, left.ended_at = "lapsed", e.at
            open_.clear()
        elif e.type == "closed":
            for done in out:
                done.closed = done.resolved and done.ended is None
    return out


def assignments(case_id: str, region: str, entries: Iterable[Entry]) -> list[Assignment]:
    """Walk one case's timeline (oldest first) into its assignments: the units that held the case, then the assisting
    units' sub-tasks of joint handling (none for a case never handled jointly)."""
    entries = list(entries)
    return _held(case_id, region, entries) + _sub_tasks(case_id, region, entries)


def _held(case_id: str, region: str, entries: Iterable[Entry]) -> list[Assignment]:
    """The assignments of the units that held the case (dispatched or transferred to them)."""
    out: list[Assignment] = []
    cur: Assignment | None = None
    suspended_at: datetime | None = None
    suspended_until: datetime | None = None

    def stop_suspension(at: datetime) -> None:
        nonlocal suspended_at, suspended_until
        if suspended_at is not None and cur is not None:
            end = min(at, suspended_until) if suspended_until is not None else at
            cur.suspensions.append((suspended_at, max(end, suspended_at)))
        suspended_at = suspended_until = None

    for e in entries:
        if e.type == "visited":
            if out:
                out[-1].visit = {"resolved": bool(e.data.get("resolved")), "satisfaction": e.data.get("satisfaction")}
            continue
        if e.type == "return_reviewed":
            pending = next((a for a in reversed(out) if a.returned and a.return_review is None), None)
            if pending is not None:
                pending.return_review = bool(e.data.get("approved"))
                if not pending.return_review:  # refused: the unit keeps the case (首办责任单位)
                    pending.ended = pending.ended_at = None
                    cur = pending
            continue
        if e.type in ("dispatched", "transferred"):
            unit = e.unit or e.data.get("unit")
            if not unit:
                continue
            if (e.type == "dispatched" and cur is not None and cur.return_review is False and cur.unit == unit
                    and not cur.accepted):
                continue  # the refused return's unit is handed the case again: the same assignment goes on
            if cur is not None:
                stop_suspension(e.at)
                if e.type == "transferred":
                    cur.ended, cur.ended_at = "transferred", e.at
            cur = Assignment(case_id, str(unit), region, e.at, center=e.center)
            out.append(cur)
            continue
        if cur is None:
            continue
        if e.type == "accepted":
            if not cur.accepted:
                cur.accepted_at = e.at
            cur.accepted = True
        elif e.type == "overdue" and not e.data.get("task"):  # an assisting unit's sub-task: charged to that unit
            stage = e.data.get("stage")
            cur.late_any = True
            if stage == "sign" and not cur.accepted:
                cur.late_sign = True
            elif stage == "resolve":
                cur.late_resolve = True
        elif e.type == "resolved":
            stop_suspension(e.at)
            cur.resolved, cur.resolved_at = True, e.at
        elif e.type in ("reworked", "reopened"):
            cur.reworks += 1
            cur.resolved = False
        elif e.type == "closed":
            cur.closed = True
        elif e.type == "extension_decided":
            cur.extended = cur.extended or bool(e.data.get("approved"))
        elif e.type == "suspension_decided":
            if e.data.get("approved") and suspended_at is None:
                suspended_at, suspended_until = e.at, _when(e.data.get("until"))
        elif e.type == "resumed":
            stop_suspension(e.at)
        elif e.type in ("returned", "escalated"):
            stop_suspension(e.at)
            cur.ended, cur.ended_at = e.type, e.at
            if e.type == "returned":
                cur.returned = True
                cur.returned_in_time = not cur.late_sign
            cur = None
    if suspended_at is not None and cur is not None:  # still suspended: until `until`, or open
        cur.suspensions.append((suspended_at, suspended_until))
    return out


def excluded(entries: Iterable[Entry], kinds: Iterable[str]) -> str | None:
    """Why a case is left out (merged, rejected or voided, as the version says), or None."""
    wanted, why = set(kinds), None
    for e in entries:
        if e.type in wanted:
            why = e.type
        elif e.type == "split" and why == "merged":
            why = None
    return why


# ---- from assignments to figures ----------------------------------------------------------------------------------

def _ratio(num: list[str], den: list[str]) -> dict[str, Any]:
    return {"value": round(len(num) / len(den), 4) if den else None, "numerator": len(num),
            "denominator": len(den), "numerator_cases": sorted(num), "denominator_cases": sorted(den)}


def _mean(values: list[tuple[str, float]]) -> dict[str, Any]:
    total = sum(v for _, v in values)
    ids = sorted(c for c, _ in values)
    return {"value": round(total / len(values), 2) if values else None, "unit": "hours",
            "numerator": round(total, 2), "denominator": len(values), "numerator_cases": ids,
            "denominator_cases": ids}


def composite(row: Mapping[str, Any], rules: IndicatorSet) -> float | None:
    """The composite score (综合得分) of a row, 0–100: the weighted mean of the scores of its indicators that have a
    value; None when none has."""
    total = weights = 0.0
    for ind in rules.indicators:
        s = ind.score(row[ind.code]["value"]) if ind.weight > 0 else None
        if s is not None:
            total += ind.weight * s
            weights += ind.weight
    return round(100 * total / weights, 1) if weights else None


def evaluate(cases: Iterable[CaseRecord], rules: IndicatorSet, start: datetime, end: datetime, by: str = "unit",
             rollup: Callable[[str], Iterable[str]] | None = None,
             desk: Callable[[str], str | None] | None = None) -> dict[str, Any]:
    """Every indicator of `rules`, one row per unit (`by="unit"`) or region (`by="region"`), over the assignments
    that began in [start, end), from what the timelines show before `end`.

    `rollup(region)` gives the regions a case of `region` counts in (default: its own; the handler passes the region
    and its ancestors, so a county's row includes its townships). `desk(center)` gives the unit a center's
    dispatching is charged to in the by-unit rows (its command desk; default: none)."""
    if by not in ("unit", "region"):
        raise ValueError("by must be unit or region")
    up = rollup or (lambda r: (r,))
    left_out: dict[str, str] = {}
    work: list[Assignment] = []
    for case in cases:
        seen = [e for e in case.entries if e.at < end]
        why = excluded(seen, rules.exclude_cases)
        if why is not None:
            left_out[case.id] = why
            continue
        work += [a for a in assignments(case.id, case.region, seen) if start <= a.started_at < end]

    def keys(a: Assignment, charged_to: str) -> tuple[str, ...]:
        if charged_to == "dispatcher":
            if a.center is None:
                return ()
            if by == "unit":
                d = desk(a.center) if desk else None
                return (d,) if d else ()
            return tuple(up(a.center))
        if by == "region" and a.role == "assisting":
            return ()  # a region's row counts the case once, through the units that held it
        return (a.unit,) if by == "unit" else tuple(up(a.region))

    counts: dict[str, int] = {}
    nums: dict[tuple[str, str], list[str]] = {}
    dens: dict[tuple[str, str], list[str]] = {}
    means: dict[tuple[str, str], list[tuple[str, float]]] = {}
    for a in work:
        facts = a.facts()
        for k in keys(a, "holder"):
            counts[k] = counts.get(k, 0) + 1
        for ind in rules.indicators:
            if not ind.denominator(facts):
                continue
            ks = keys(a, ind.charged_to)
            if ind.kind == "mean":
                hours = a.measure(ind.measure or "", end, rules.exclude_suspended_time)
                if hours is None:
                    continue
                for k in ks:
                    means.setdefault((k, ind.code), []).append((a.case_id, hours))
                continue
            hit = ind.numerator is not None and ind.numerator(facts)
            for k in ks:
                dens.setdefault((k, ind.code), []).append(a.case_id)
                if hit:
                    nums.setdefault((k, ind.code), []).append(a.case_id)
    every = set(counts) | {k for k, _ in dens} | {k for k, _ in means}
    rows = []
    for key in sorted(every):
        row: dict[str, Any] = {by: key, "assignments": counts.get(key, 0)}
        for ind in rules.indicators:
            row[ind.code] = (_mean(means.get((key, ind.code), [])) if ind.kind == "mean"
                             else _ratio(nums.get((key, ind.code), []), dens.get((key, ind.code), [])))
        row["score"] = composite(row, rules)
        rows.append(row)
    return {"version": rules.version, "by": by, "rows": rows, "excluded_cases": dict(sorted(left_out.items()))}


def ranking(rows: Sequence[Mapping[str, Any]], by: str, rules: IndicatorSet, size: int = 5) -> dict[str, Any]:
    """红黑榜: the best and the worst rows by composite score (ties by more assignments, then by name): at most `size`
    of each, and never the same row on both sides (with few rows, the upper half is 红榜 and the lower half 黑榜). A row
    needs the version's `min_assignments` to be ranked."""
    scored = [{by: r[by], "score": r["score"], "assignments": r["assignments"],
               "cases": sorted({c for code in rules.codes for c in r[code]["denominator_cases"]})}
              for r in rows if r["assignments"] >= rules.min_assignments and r.get("score") is not None]
    ordered = sorted(scored, key=lambda x: (-x["score"], -x["assignments"], str(x[by])))
    half = (len(ordered) + 1) // 2
    return {"by": by, "version": rules.version, "best": ordered[:min(size, half)],
            "worst": list(reversed(ordered[half:]))[:size]}
