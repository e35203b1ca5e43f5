"""Chinese working-time calendar used by supervision for per-stage case deadlines.

Which days are working days, in order of precedence:

1. the holiday file (TOML, see ``data/holidays.toml``): an administrator's
   correction or extension always wins, date by date;
2. the ``chinese_calendar`` package (State Council arrangements, 2004-2026 in
   version 1.11);
3. for a year covered by neither: Saturdays and Sundays are days off, every
   other day is a working day, and ONE warning per year is logged on the
   ``yiwang.calendar`` logger explaining how to add the year to the holiday file.

A year section in the holiday file may say ``partial = true``: its entries are
applied but the year still counts as lacking official data, so the package /
weekend fallback is used for the other days and the warning is logged.

Working time is the configured periods (default 09:00-12:00 and 13:30-17:30,
seven hours) of working days, in Asia/Shanghai. Periods are half-open: 12:00 is
not a working instant, but a deadline may fall exactly on a period end.

All datetimes taken must be timezone-aware (naive ones raise ``ValueError``);
all datetimes returned are in the calendar's time zone (Asia/Shanghai).

This module is pure: stdlib plus ``chinese_calendar`` only.
"""

from __future__ import annotations

import functools
import logging
import math
import os
import threading
import tomllib
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo

import chinese_calendar

__all__ = [
    "DEFAULT_HOLIDAYS_FILE",
    "DEFAULT_HOURS",
    "HOLIDAYS_FILE_ENV",
    "UNITS",
    "WorkCalendar",
    "default_calendar",
]

log = logging.getLogger("yiwang.calendar")

#: The holiday file shipped with the package.
DEFAULT_HOLIDAYS_FILE = Path(__file__).resolve().parent / "data" / "holidays.toml"
#: Environment variable that overrides the holiday file used by default.
HOLIDAYS_FILE_ENV = "YIWANG_HOLIDAYS_FILE"
#: Default working periods: 7 working hours a day.
DEFAULT_HOURS: tuple[tuple[str, str], ...] = (("09:00", "12:00"), ("13:30", "17:30"))
#: Units accepted by :meth:`WorkCalendar.add`.
UNITS = ("minutes", "hours", "days", "working_hours", "working_days")

_ONE_DAY = timedelta(days=1)
_YEAR_KEYS = frozenset({"holidays", "workdays", "partial"})


class _Default:
    """Sentinel: 'use $YIWANG_HOLIDAYS_FILE, else the shipped data file'."""

    def __repr__(self) -> str:
        return "<default holidays file>"


_DEFAULT = _Default()


def _parse_hhmm(value: str) -> time:
    if not isinstance(value, str):
        raise ValueError(f"working hours must be 'HH:MM' strings, got {value!r}")
    try:
        hh, mm = value.split(":")
        if len(hh) != 2 or len(mm) != 2:
            raise ValueError
        return time(int(hh), int(mm))
    except ValueError:
        raise ValueError(f"working hours must be 'HH:MM' (00:00-23:59), got {value!r}") from None


def _parse_hours(hours: Sequence[Sequence[str]]) -> tuple[tuple[time, time], ...]:
    try:
        pairs = [tuple(p) for p in hours]
    except TypeError:
        raise ValueError(f"working hours must be a sequence of (start, end) pairs, got {hours!r}") from None
    if not pairs:
        raise ValueError("working hours must contain at least one (start, end) period")
    periods: list[tuple[time, time]] = []
    for pair in pairs:
        if len(pair) != 2:
            raise ValueError(f"each working period must be a (start, end) pair, got {pair!r}")
        start, end = _parse_hhmm(pair[0]), _parse_hhmm(pair[1])
        if start >= end:
            raise ValueError(f"working period {pair!r}: start must be before end")
        if periods and start < periods[-1][1]:
            raise ValueError(
                f"working periods must be in order and must not overlap: {pair!r} starts "
                f"before the previous period ends"
            )
        periods.append((start, end))
    return tuple(periods)


def _seconds(t: time) -> int:
    return t.hour * 3600 + t.minute * 60 + t.second


def _parse_day(value: object, year: int, key: str, source: Path) -> date:
    if isinstance(value, datetime):  # TOML local datetime: not a day
        raise ValueError(f"{source}: years.{year}.{key}: expected a date, got date-time {value!r}")
    if isinstance(value, date):  # TOML allows unquoted dates: 2027-01-01
        d = value
    elif isinstance(value, str):
        try:
            d = date.fromisoformat(value)
        except ValueError:
            raise ValueError(
                f"{source}: years.{year}.{key}: {value!r} is not a YYYY-MM-DD date"
            ) from None
    else:
        raise ValueError(f"{source}: years.{year}.{key}: expected 'YYYY-MM-DD', got {value!r}")
    if d.year != year:
        raise ValueError(f"{source}: years.{year}.{key}: {d.isoformat()} is not in {year}")
    return d


def _load_holidays_file(path: Path) -> tuple[dict[date, bool], set[int], set[int]]:
    """Parse the holiday file.

    Returns (overrides: date -> is working day, complete years, partial years).
    Raises ValueError with the file name on any malformed content.
    """
    with path.open("rb") as fh:
        try:
            doc = tomllib.load(fh)
        except tomllib.TOMLDecodeError as exc:
            raise ValueError(f"{path}: invalid TOML: {exc}") from exc
    unknown = set(doc) - {"years"}
    if unknown:
        raise ValueError(f"{path}: unknown top-level keys {sorted(unknown)}; only [years.YYYY] tables are allowed")
    years = doc.get("years", {})
    if not isinstance(years, dict):
        raise ValueError(f"{path}: 'years' must be a table of [years.YYYY] sections")
    overrides: dict[date, bool] = {}
    complete: set[int] = set()
    partial: set[int] = set()
    for key, section in years.items():
        try:
            year = int(key)
        except ValueError:
            raise ValueError(f"{path}: [years.{key}]: the key must be a year such as 2027") from None
        if not 1 <= year <= 9999:
            raise ValueError(f"{path}: [years.{key}]: not a valid year")
        if not isinstance(section, dict):
            raise ValueError(f"{path}: years.{key} must be a table")
        bad = set(section) - _YEAR_KEYS
        if bad:
            raise ValueError(
                f"{path}: [years.{year}]: unknown keys {sorted(bad)}; allowed: {sorted(_YEAR_KEYS)}"
            )
        is_partial = section.get("partial", False)
        if not isinstance(is_partial, bool):
            raise ValueError(f"{path}: years.{year}.partial must be true or false")
        (partial if is_partial else complete).add(year)
        seen: dict[date, str] = {}
        for list_key, working in (("holidays", False), ("workdays", True)):
            values = section.get(list_key, [])
            if not isinstance(values, list):
                raise ValueError(f"{path}: years.{year}.{list_key} must be a list of dates")
            for raw in values:
                d = _parse_day(raw, year, list_key, path)
                if d in seen and seen[d] != list_key:
                    raise ValueError(
                        f"{path}: [years.{year}]: {d.isoformat()} is listed in both holidays and workdays"
                    )
                seen[d] = list_key
                overrides[d] = working
    return overrides, complete, partial


class WorkCalendar:
    """Working days and working hours in one time zone (default Asia/Shanghai).

    ``holidays_file``: path to the TOML holiday file; by default the value of
    ``$YIWANG_HOLIDAYS_FILE`` if set, else the file shipped in
    ``shared/calendar/data/holidays.toml``; ``None`` for no file at all.
    ``hours``: the working periods of a working day as ("HH:MM", "HH:MM") pairs,
    in order and not overlapping.
    """

    def __init__(
        self,
        holidays_file: str | Path | None | _Default = _DEFAULT,
        hours: Sequence[Sequence[str]] = DEFAULT_HOURS,
        tz: str | tzinfo = "Asia/Shanghai",
    ) -> None:
        if isinstance(holidays_file, _Default):
            env = os.environ.get(HOLIDAYS_FILE_ENV, "").strip()
            holidays_file = Path(env) if env else DEFAULT_HOLIDAYS_FILE
        self.holidays_file: Path | None = None if holidays_file is None else Path(holidays_file)
        self.tz: tzinfo = ZoneInfo(tz) if isinstance(tz, str) else tz
        self._periods_t = _parse_hours(hours)
        self.hours: tuple[tuple[str, str], ...] = tuple(
            (s.strftime("%H:%M"), e.strftime("%H:%M")) for s, e in self._periods_t
        )
        self._day_seconds = sum(_seconds(e) - _seconds(s) for s, e in self._periods_t)
        self._day_total = timedelta(seconds=self._day_seconds)

        if self.holidays_file is not None:
            self._overrides, self._file_years, self._partial_years = _load_holidays_file(self.holidays_file)
        else:
            self._overrides, self._file_years, self._partial_years = {}, set(), set()

        self._cache: dict[date, bool] = {}
        self._warned: set[int] = set()
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"WorkCalendar(holidays_file={str(self.holidays_file)!r}, hours={self.hours!r}, tz={self.tz!s})"

    # -- days ---------------------------------------------------------------

    def is_workday(self, d: date) -> bool:
        """True if ``d`` is a working day (an aware datetime is taken at its local date)."""
        if isinstance(d, datetime):
            d = self._local(d, "d").date()
        elif not isinstance(d, date):
            raise TypeError(f"is_workday expects a date, got {type(d).__name__}")
        cached = self._cache.get(d)
        if cached is None:
            cached = self._cache[d] = self._compute_workday(d)
        return cached

    def _compute_workday(self, d: date) -> bool:
        override = self._overrides.get(d)
        if override is not None:
            return override
        try:
            return bool(chinese_calendar.is_workday(d))
        except NotImplementedError:
            pass
        # No package data: a (complete) year in the file lists its exceptions,
        # every other day follows the weekend rule.
        if d.year not in self._file_years:
            self._warn_no_data(d.year)
        return d.weekday() < 5

    def _warn_no_data(self, year: int) -> None:
        with self._lock:
            if year in self._warned:
                return
            self._warned.add(year)
        where = str(self.holidays_file) if self.holidays_file is not None else (
            f"a holiday file (pass holidays_file= or set ${HOLIDAYS_FILE_ENV})"
        )
        if year in self._partial_years:
            what = f"holiday data for {year} in {where} is marked partial = true"
        else:
            what = f"no holiday data for {year} (neither the holiday file nor chinese_calendar has it)"
        log.warning(
            "%s: only Saturdays and Sundays%s are treated as days off, so deadlines in %d may be wrong. "
            "Enter the State Council holiday notice for %d in %s as [years.%d] with "
            'holidays = ["YYYY-MM-DD", ...] (days off on weekdays) and workdays = ["YYYY-MM-DD", ...] '
            "(调休 make-up working days on weekends)%s; $%s selects another holiday file.",
            what,
            " and the dates listed in the file" if year in self._partial_years else "",
            year,
            year,
            where,
            year,
            ", then remove partial = true" if year in self._partial_years else "",
            HOLIDAYS_FILE_ENV,
        )

    def _periods(self, d: date) -> list[tuple[datetime, datetime]]:
        tz = self.tz
        return [
            (datetime.combine(d, s, tzinfo=tz), datetime.combine(d, e, tzinfo=tz))
            for s, e in self._periods_t
        ]

    def _day_end(self, d: date) -> datetime:
        return datetime.combine(d, self._periods_t[-1][1], tzinfo=self.tz)

    def _day_start(self, d: date) -> datetime:
        return datetime.combine(d, self._periods_t[0][0], tzinfo=self.tz)

    # -- validation ---------------------------------------------------------

    def _local(self, value: datetime, name: str) -> datetime:
        if not isinstance(value, datetime):
            raise TypeError(f"{name} must be a timezone-aware datetime, got {type(value).__name__}")
        if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
            raise ValueError(
                f"{name} is a naive datetime ({value.isoformat()}); pass a timezone-aware datetime, "
                f"e.g. datetime(..., tzinfo=ZoneInfo('Asia/Shanghai'))"
            )
        return value.astimezone(self.tz)

    @staticmethod
    def _amount(value: float, name: str) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise TypeError(f"{name} must be a number, got {value!r}")
        value = float(value)
        if not math.isfinite(value) or value < 0:
            raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
        return value

    # -- arithmetic ---------------------------------------------------------

    def add_working_hours(self, start: datetime, hours: float) -> datetime:
        """``start`` plus ``hours`` of working time.

        Only time inside the working periods of working days counts. A start
        outside working time counts from the next period start; ``hours=0``
        returns ``start`` normalised to the next working instant. A result that
        exactly uses up a period is that period's end (e.g. 12:00, 17:30).
        """
        cur = self._local(start, "start")
        remaining = timedelta(seconds=self._amount(hours, "hours") * 3600)
        day = cur.date()
        first = True
        while True:
            if self.is_workday(day):
                if (not first or cur <= self._day_start(day)) and remaining > self._day_total:
                    remaining -= self._day_total  # whole working day used up
                else:
                    for ps, pe in self._periods(day):
                        s = max(ps, cur) if first else ps
                        if s >= pe:
                            continue
                        avail = pe - s
                        if remaining <= avail:
                            return s + remaining
                        remaining -= avail
            first = False
            day += _ONE_DAY

    def add_working_days(self, start: datetime, days: float) -> datetime:
        """The end of working hours of the ``days``-th working day after ``start``'s date.

        Friday evening + 1 working day -> Monday 17:30 (or the next working day if
        Monday is a holiday). ``days=0`` -> the end of working hours of the first
        working day, from ``start``'s date on, that has not ended yet.
        """
        local = self._local(start, "start")
        if isinstance(days, bool) or not isinstance(days, (int, float)):
            raise TypeError(f"days must be a whole number, got {days!r}")
        if isinstance(days, float):
            if not days.is_integer():
                raise ValueError(f"days must be a whole number of working days, got {days!r}")
            days = int(days)
        if days < 0:
            raise ValueError(f"days must be >= 0, got {days!r}")
        day = local.date()
        if days == 0:
            while not (self.is_workday(day) and self._day_end(day) >= local):
                day += _ONE_DAY
            return self._day_end(day)
        counted = 0
        while counted < days:
            day += _ONE_DAY
            if self.is_workday(day):
                counted += 1
        return self._day_end(day)

    def add(self, start: datetime, amount: float, unit: str) -> datetime:
        """``start`` plus ``amount`` of ``unit``.

        ``"minutes"`` / ``"hours"`` / ``"days"``: natural (wall-clock) time, holidays included;
        ``"working_hours"``: :meth:`add_working_hours`;
        ``"working_days"``: :meth:`add_working_days` (amount must be whole).
        """
        if unit == "minutes":
            return self._local(start, "start") + timedelta(minutes=self._amount(amount, "amount"))
        if unit == "hours":
            return self._local(start, "start") + timedelta(hours=self._amount(amount, "amount"))
        if unit == "days":
            return self._local(start, "start") + timedelta(days=self._amount(amount, "amount"))
        if unit == "working_hours":
            return self.add_working_hours(start, amount)
        if unit == "working_days":
            return self.add_working_days(start, amount)
        raise ValueError(f"unknown time unit {unit!r}; expected one of {', '.join(UNITS)}")

    def working_seconds_between(self, a: datetime, b: datetime) -> float:
        """Working time, in seconds, elapsed from ``a`` to ``b`` (0 if ``b <= a``)."""
        a = self._local(a, "a")
        b = self._local(b, "b")
        if b <= a:
            return 0.0
        total = timedelta(0)
        day, last = a.date(), b.date()
        while day <= last:
            if self.is_workday(day):
                if a <= self._day_start(day) and b >= self._day_end(day):
                    total += self._day_total
                else:
                    for ps, pe in self._periods(day):
                        lo, hi = max(ps, a), min(pe, b)
                        if hi > lo:
                            total += hi - lo
            day += _ONE_DAY
        return total.total_seconds()


@functools.lru_cache(maxsize=1)
def default_calendar() -> WorkCalendar:
    """The process-wide calendar (default holiday file / $YIWANG_HOLIDAYS_FILE, default hours).

    Cached: call ``default_calendar.cache_clear()`` after changing the holiday
    file to pick the change up.
    """
    return WorkCalendar()
