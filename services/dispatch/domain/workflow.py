"""The workflow limits as data (services/dispatch/data/workflow.toml), pure: the return window (退单时限) and its reason
codes, the extension limits per category (延期), how long a suspension may be asked for (挂账/缓办), and which cases
wait for 立案审核 before dispatch. `load_workflow()` reads the packaged file or $YIWANG_WORKFLOW_FILE once per process;
a bad file raises `WorkflowRulesError` naming the file, the key and what is allowed."""
from __future__ import annotations

import functools
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from shared.lifecycle import ExtensionLimit, InvalidCommand

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "workflow.toml"
FILE_ENV = "YIWANG_WORKFLOW_FILE"
TIME_UNITS = ("minutes", "hours", "days", "working_hours", "working_days")
SOURCES = ("hotline", "grid", "sensor", "open311", "desk", "proactive")


class WorkflowRulesError(ValueError):
    """The workflow file is unreadable or has a bad value."""


class Calendar(Protocol):
    def add(self, start: datetime, amount: float, unit: str) -> datetime: ...


@dataclass(frozen=True)
class Span:
    amount: float
    unit: str

    def __str__(self) -> str:
        return f"{self.amount:g} {self.unit}"


@dataclass(frozen=True)
class RegistrationRule:
    """立案审核 for the cases that match every field it names."""

    source: str | None
    categories: tuple[str, ...]

    def matches(self, source: str | None, category: str | None) -> bool:
        return (self.source is None or self.source == source) and (not self.categories or category in self.categories)

    def __str__(self) -> str:
        parts = ([f"source {self.source}"] if self.source else []) + (
            [f"category {'/'.join(self.categories)}"] if self.categories else [])
        return "立案审核: " + ", ".join(parts or ["every case"])


@dataclass(frozen=True)
class Workflow:
    return_window: Span
    reason_codes: Mapping[str, str]
    extension: ExtensionLimit
    extension_by_category: Mapping[str, ExtensionLimit]
    suspension_max: Span
    registration: tuple[RegistrationRule, ...]
    source: str = str(DATA_FILE)

    def reason_name(self, code: str | None) -> str:
        """The name of a return's reason code; InvalidCommand (422) naming the known codes for any other."""
        if code is None or not code.strip():
            raise InvalidCommand("reason_code is required; one of " + self._codes())
        if code not in self.reason_codes:
            raise InvalidCommand(f"unknown reason_code {code!r}; one of " + self._codes())
        return self.reason_codes[code]

    def _codes(self) -> str:
        return ", ".join(f"{c} ({n})" for c, n in self.reason_codes.items())

    def return_window_ends(self, dispatched_at: datetime, cal: Calendar) -> datetime:
        """When the unit's time to return a case dispatched to it at `dispatched_at` ends."""
        return cal.add(dispatched_at, self.return_window.amount, self.return_window.unit)

    def extension_limit(self, category: str | None) -> ExtensionLimit:
        return self.extension_by_category.get(category or "", self.extension)

    def latest_until(self, at: datetime, cal: Calendar) -> datetime:
        """The latest `until` a suspension asked at `at` may name."""
        return cal.add(at, self.suspension_max.amount, self.suspension_max.unit)

    def registration_rule(self, source: str | None, category: str | None) -> RegistrationRule | None:
        """The first 立案审核 rule a case of this source and category matches (None: dispatched at once)."""
        return next((r for r in self.registration if r.matches(source, category)), None)


# ---- reading the file -------------------------------------------------------------------------------------------
def _fail(where: str, key: str, message: str) -> WorkflowRulesError:
    return WorkflowRulesError(f"{Path(where).name}: {key}: {message}")


def _span(value: Any, where: str, key: str) -> Span:
    if not isinstance(value, str) or len(value.split()) != 2:
        raise _fail(where, key, f"expected \"<amount> <unit>\" with a unit of {', '.join(TIME_UNITS)}; got {value!r}")
    amount, unit = value.split()
    try:
        number = float(amount)
    except ValueError:
        raise _fail(where, key, f"{amount!r} is not a number") from None
    if number <= 0 or unit not in TIME_UNITS:
        raise _fail(where, key, f"expected a positive amount and a unit of {', '.join(TIME_UNITS)}; got {value!r}")
    if unit == "working_days" and not number.is_integer():
        raise _fail(where, key, f"working_days must be whole; got {value!r}")
    return Span(number, unit)


def _positive(table: Mapping[str, Any], name: str, default: float | None, where: str, key: str) -> float:
    value = table.get(name, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise _fail(where, f"{key}.{name}", f"expected a positive number; got {value!r}")
    return float(value)


def _limit(table: Mapping[str, Any], base: ExtensionLimit, where: str, key: str, name: str) -> ExtensionLimit:
    count = _positive(table, "max_count", base.max_count, where, key)
    if not count.is_integer():
        raise _fail(where, f"{key}.max_count", f"expected a whole number; got {count:g}")
    return ExtensionLimit(int(count), _positive(table, "max_working_days", base.max_working_days, where, key),
                          _positive(table, "max_hours", base.max_hours, where, key), name)


def parse_workflow(doc: Mapping[str, Any], where: str = str(DATA_FILE)) -> Workflow:
    ret = doc.get("return", {})
    codes = ret.get("reason_codes", {})
    if not isinstance(codes, dict) or not codes or not all(
            isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in codes.items()):
        raise _fail(where, "return.reason_codes", "expected a table of code = \"name\" with at least one code")
    ext = doc.get("extension", {})
    default = _limit(ext, ExtensionLimit(), where, "extension", f"{Path(where).name} [extension]")
    by_category: dict[str, ExtensionLimit] = {}
    for name, table in ext.get("profiles", {}).items():
        key = f"extension.profiles.{name}"
        limit = _limit(table, default, where, key, name)
        cats = table.get("categories", [])
        if not isinstance(cats, list) or not all(isinstance(c, str) for c in cats):
            raise _fail(where, f"{key}.categories", "expected a list of category codes")
        for c in cats:
            if c in by_category:
                raise _fail(where, f"{key}.categories", f"category {c} is already in another profile")
            by_category[c] = limit
    rules: list[RegistrationRule] = []
    for i, rule in enumerate(doc.get("registration", {}).get("rules", [])):
        key = f"registration.rules[{i}]"
        if not isinstance(rule, dict) or set(rule) - {"source", "categories"}:
            raise _fail(where, key, "expected a table with source and/or categories")
        source, cats = rule.get("source"), rule.get("categories", [])
        if source is not None and source not in SOURCES:
            raise _fail(where, f"{key}.source", f"expected one of {', '.join(SOURCES)}; got {source!r}")
        if not isinstance(cats, list) or not all(isinstance(c, str) for c in cats):
            raise _fail(where, f"{key}.categories", "expected a list of category codes")
        rules.append(RegistrationRule(source, tuple(cats)))
    return Workflow(return_window=_span(ret.get("window", "1 working_days"), where, "return.window"),
                    reason_codes=dict(codes), extension=default, extension_by_category=by_category,
                    suspension_max=_span(doc.get("suspension", {}).get("max_until", "180 days"), where,
                                         "suspension.max_until"),
                    registration=tuple(rules), source=where)


def load_workflow_from(path: Path | str) -> Workflow:
    path = Path(path)
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise WorkflowRulesError(f"cannot read the workflow rules {path}: {e}") from e
    return parse_workflow(doc, str(path))


@functools.lru_cache(maxsize=4)
def _cached(path: str) -> Workflow:
    return load_workflow_from(path)


def load_workflow() -> Workflow:
    """The center's workflow rules: $YIWANG_WORKFLOW_FILE if set, else the packaged file (read once per process)."""
    return _cached(os.environ.get(FILE_ENV, "").strip() or str(DATA_FILE))
