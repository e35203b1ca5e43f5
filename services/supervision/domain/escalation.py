"""Lights and escalation chains as data (督办链), pure: the rules of ../data/escalation.toml, their validation, and
when each step of a stage's chain fires.

A step fires at `after` past its origin (the stage's deadline, or its start), counted on the stage's calendar (so
an `after` in working hours counts only working time, and a `stage` amount is a share of the stage's own time),
then again every `repeat` until the stage ends. The sweep emits each firing once: the plan's `warned` list
remembers `"<stage>:step:<index>:<n>"` for the n-th firing (0 the first) of the step at that index."""
from __future__ import annotations

import functools
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "escalation.toml"
CHAIN_STAGES: tuple[str, ...] = ("sign", "resolve", "verify", "feedback")
LIGHT_STAGES: tuple[str, ...] = ("accept", "dispatch", *CHAIN_STAGES)
PRIORITIES: tuple[str, ...] = ("urgent", "high", "normal")
#: level name → the supervision level the `supervised` event carries (the payload allows 1–3)
LEVELS: Mapping[str, int] = {"催办": 1, "督办": 2, "挂牌督办": 3, "提级": 3}
ESCALATE = "提级"
ROLES: tuple[str, ...] = ("dispatcher", "admin", "viewer", "handler")
NOTIFY: tuple[str, ...] = (*ROLES, "unit_leader", "duty_roster", "parent_center")
CHANNELS: tuple[str, ...] = ("in_app", "webhook", "sms")
SPAN_UNITS: tuple[str, ...] = ("minutes", "hours", "days", "working_hours", "working_days", "stage")
ORIGINS: tuple[str, ...] = ("deadline", "start")
STAGE_NAMES: Mapping[str, str] = {"accept": "受理", "dispatch": "派遣", "sign": "签收", "resolve": "处置",
                                  "verify": "核查", "feedback": "回访"}
DEFAULT_YELLOW_AT = 0.8
MAX_FIRINGS = 200  # repeats looked at per step: a chain never loops for ever on a bad clock


class EscalationRulesError(ValueError):
    """The escalation rules' data is invalid; the message names the file, the key and what is allowed."""


class Clock(Protocol):
    """What a step needs of a calendar (WorkCalendar, or the always-on clock of a 24x7 unit)."""

    def add(self, start: datetime, amount: float, unit: str) -> datetime: ...


@dataclass(frozen=True)
class Span:
    amount: float
    unit: str  # one of SPAN_UNITS

    def __str__(self) -> str:
        amount = int(self.amount) if float(self.amount).is_integer() else self.amount
        return f"{amount} {self.unit}"


@dataclass(frozen=True)
class Step:
    after: Span
    level: str
    origin: str = "deadline"
    notify: tuple[str, ...] = ()
    channel: tuple[str, ...] = ("in_app",)
    repeat: Span | None = None
    note: str | None = None

    @property
    def rank(self) -> int:
        return LEVELS[self.level]

    @property
    def escalates(self) -> bool:
        return self.level == ESCALATE

    def note_for(self, stage: str) -> str:
        if self.note:
            return self.note
        return f"{'提级督办' if self.escalates else self.level}：{STAGE_NAMES.get(stage, stage)}超时"


@dataclass(frozen=True)
class Rules:
    yellow_at: float = DEFAULT_YELLOW_AT
    yellow_by_stage: Mapping[str, float] = field(default_factory=dict)
    #: (stage, priority or "default") → ordered steps
    chains: Mapping[tuple[str, str], tuple[Step, ...]] = field(default_factory=dict)
    source: str = "<rules>"

    def yellow(self, stage: str | None) -> float:
        return self.yellow_by_stage.get(stage or "", self.yellow_at)

    def chain(self, stage: str | None, priority: str | None) -> tuple[Step, ...]:
        if stage is None:
            return ()
        found = self.chains.get((stage, priority or "normal"))
        return found if found is not None else self.chains.get((stage, "default"), ())


@dataclass(frozen=True)
class Firing:
    """One firing of one step: the n-th (0 the first) of the step at `index` of the stage's chain, at `at`."""

    stage: str
    index: int
    n: int
    at: datetime
    step: Step

    @property
    def key(self) -> str:
        return f"{self.stage}:step:{self.index}:{self.n}"


# ---- parsing ------------------------------------------------------------------------------------------------
def parse_span(value: Any, where: str, units: Sequence[str] = SPAN_UNITS) -> Span:
    parts = value.split() if isinstance(value, str) else []
    try:
        amount = float(parts[0]) if len(parts) == 2 else -1.0
    except ValueError:
        amount = -1.0
    if amount < 0 or parts[1] not in units:
        raise EscalationRulesError(f"{where}: expected \"<amount> <unit>\" with an amount ≥ 0 and a unit of "
                                   f"{', '.join(units)}; got {value!r}")
    if parts[1] == "working_days" and not amount.is_integer():
        raise EscalationRulesError(f"{where}: working_days must be whole, got {value!r}")
    return Span(amount, parts[1])


def _names(value: Any, allowed: Sequence[str], where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value) \
            or not set(value) <= set(allowed):
        raise EscalationRulesError(f"{where}: expected a list of {', '.join(allowed)}; got {value!r}")
    return tuple(value)


def _share(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value < 1:
        raise EscalationRulesError(f"{where}: expected a share of the stage's time between 0 and 1 (0.8 = 80 %), "
                                   f"got {value!r}")
    return float(value)


STEP_KEYS = frozenset({"after", "from", "level", "notify", "channel", "repeat", "note"})


def parse_step(raw: Any, where: str) -> Step:
    if not isinstance(raw, dict):
        raise EscalationRulesError(f"{where}: a step is a table {{after, from?, level, notify, channel, repeat?}}")
    unknown = set(raw) - STEP_KEYS
    if unknown:
        raise EscalationRulesError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}; allowed: "
                                   f"{', '.join(sorted(STEP_KEYS))}")
    for key in ("after", "level"):
        if key not in raw:
            raise EscalationRulesError(f"{where}: missing {key}")
    if raw["level"] not in LEVELS:
        raise EscalationRulesError(f"{where}.level: expected one of {', '.join(LEVELS)}; got {raw['level']!r}")
    origin = raw.get("from", "deadline")
    if origin not in ORIGINS:
        raise EscalationRulesError(f"{where}.from: expected one of {', '.join(ORIGINS)}; got {origin!r}")
    repeat = None
    if "repeat" in raw:
        repeat = parse_span(raw["repeat"], f"{where}.repeat", SPAN_UNITS[:-1])
        if repeat.amount <= 0:
            raise EscalationRulesError(f"{where}.repeat: must be longer than 0, got {raw['repeat']!r}")
    note = raw.get("note")
    if note is not None and not (isinstance(note, str) and note):
        raise EscalationRulesError(f"{where}.note: expected a non-empty string, got {note!r}")
    return Step(after=parse_span(raw["after"], f"{where}.after"), level=raw["level"], origin=origin,
                notify=_names(raw.get("notify", []), NOTIFY, f"{where}.notify"),
                channel=_names(raw.get("channel", ["in_app"]), CHANNELS, f"{where}.channel"),
                repeat=repeat, note=note)


def parse_rules(doc: Mapping[str, Any], source: str = "<rules>") -> Rules:
    unknown = set(doc) - {"lights", "chains"}
    if unknown:
        raise EscalationRulesError(f"{source}: unknown top-level key(s) {', '.join(sorted(unknown))}; allowed: "
                                   f"lights, chains")
    lights = doc.get("lights", {})
    if not isinstance(lights, dict) or set(lights) - {"yellow_at", "stage"}:
        raise EscalationRulesError(f"{source}: [lights] takes yellow_at and stage.<stage>.yellow_at")
    yellow = _share(lights.get("yellow_at", DEFAULT_YELLOW_AT), f"{source}: lights.yellow_at")
    by_stage: dict[str, float] = {}
    stages = lights.get("stage", {})
    if not isinstance(stages, dict):
        raise EscalationRulesError(f"{source}: lights.stage must be a table of stages")
    for stage, table in stages.items():
        where = f"{source}: lights.stage.{stage}"
        if stage not in LIGHT_STAGES:
            raise EscalationRulesError(f"{where}: unknown stage; allowed: {', '.join(LIGHT_STAGES)}")
        if not isinstance(table, dict) or set(table) != {"yellow_at"}:
            raise EscalationRulesError(f"{where}: expected {{ yellow_at = 0.8 }}")
        by_stage[stage] = _share(table["yellow_at"], f"{where}.yellow_at")
    chains: dict[tuple[str, str], tuple[Step, ...]] = {}
    raw_chains = doc.get("chains", {})
    if not isinstance(raw_chains, dict):
        raise EscalationRulesError(f"{source}: chains must be a table of stages")
    for stage, by_priority in raw_chains.items():
        if stage not in CHAIN_STAGES:
            raise EscalationRulesError(f"{source}: chains.{stage}: unknown stage; allowed: {', '.join(CHAIN_STAGES)}")
        if not isinstance(by_priority, dict):
            raise EscalationRulesError(f"{source}: chains.{stage}: expected [[chains.{stage}.<priority>]] steps")
        for priority, steps in by_priority.items():
            where = f"{source}: chains.{stage}.{priority}"
            if priority not in (*PRIORITIES, "default"):
                raise EscalationRulesError(f"{where}: unknown priority; allowed: {', '.join(PRIORITIES)}, default")
            if not isinstance(steps, list):
                raise EscalationRulesError(f"{where}: expected a list of steps ([[chains.{stage}.{priority}]])")
            parsed = tuple(parse_step(s, f"{where}[{i}]") for i, s in enumerate(steps))
            ranks = [s.rank for s in parsed]
            if ranks != sorted(ranks):
                raise EscalationRulesError(f"{where}: steps must be in order of level "
                                           f"({' → '.join(LEVELS)}); got {' → '.join(s.level for s in parsed)}")
            chains[(stage, priority)] = parsed
    return Rules(yellow, by_stage, chains, source)


def load_rules_from(path: Path | str) -> Rules:
    path = Path(path)
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise EscalationRulesError(f"cannot read the escalation rules {path}: {e}") from e
    return parse_rules(doc, str(path))


@functools.lru_cache(maxsize=1)
def load_rules() -> Rules:
    """The packaged rules (cached: loaded once per process)."""
    return load_rules_from(DATA_FILE)


# ---- evaluation ---------------------------------------------------------------------------------------------
def at_span(clock: Clock, origin: datetime, span: Span, stage_time: timedelta) -> datetime:
    if span.unit == "stage":
        return origin + stage_time * span.amount
    if span.amount == 0:
        return origin
    return clock.add(origin, span.amount, span.unit)


def schedule(stage: str, steps: Sequence[Step], start: datetime, due: datetime, clock: Clock,
             until: datetime) -> list[Firing]:
    """Every firing of the chain up to `until` (inclusive), plus each step's next one after it, in time order."""
    out: list[Firing] = []
    stage_time = max(due - start, timedelta(minutes=1))
    for index, step in enumerate(steps):
        at = at_span(clock, due if step.origin == "deadline" else start, step.after, stage_time)
        for n in range(MAX_FIRINGS):
            out.append(Firing(stage, index, n, at, step))
            if at > until or step.repeat is None:
                break
            nxt = at_span(clock, at, step.repeat, stage_time)
            if nxt <= at:
                break
            at = nxt
    return sorted(out, key=lambda f: (f.at, f.index, f.n))


def due_firings(stage: str, steps: Sequence[Step], start: datetime, due: datetime, clock: Clock, now: datetime,
                fired: Sequence[str]) -> tuple[list[Firing], datetime | None]:
    """The firings to emit now — each step's first firing, and its latest repeat, not yet in `fired` — and when
    the next one falls due (None: the chain is done)."""
    done = set(fired)
    plan = schedule(stage, steps, start, due, clock, now)
    past = [f for f in plan if f.at <= now]
    emit: list[Firing] = []
    for index in sorted({f.index for f in past}):
        mine = [f for f in past if f.index == index]
        for f in {mine[0].n: mine[0], mine[-1].n: mine[-1]}.values():
            if f.key not in done:
                emit.append(f)
    emit.sort(key=lambda f: (f.at, f.index, f.n))
    later = [f.at for f in plan if f.at > now]
    return emit, (min(later) if later else None)
