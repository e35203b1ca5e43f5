"""Unit tests for the working-time calendar (shared.calendar)."""

from __future__ import annotations

import logging
import time as _time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shared.calendar import (
    DEFAULT_HOLIDAYS_FILE,
    HOLIDAYS_FILE_ENV,
    WorkCalendar,
    default_calendar,
)

SH = ZoneInfo("Asia/Shanghai")
LOGGER = "yiwang.calendar"


def dt(y, mo, d, h=0, mi=0, s=0) -> datetime:
    return datetime(y, mo, d, h, mi, s, tzinfo=SH)


def write(tmp_path: Path, text: str, name: str = "holidays.toml") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def no_data_warnings(caplog, year: int) -> list[logging.LogRecord]:
    return [
        r
        for r in caplog.records
        if r.name == LOGGER and r.levelno == logging.WARNING and str(year) in r.getMessage()
    ]


@pytest.fixture
def cal() -> WorkCalendar:
    """The shipped holiday file, default hours, a fresh instance (fresh warning state)."""
    return WorkCalendar(DEFAULT_HOLIDAYS_FILE)


# Module-level instance for hypothesis tests (function-scoped fixtures don't mix with @given).
CAL = WorkCalendar(DEFAULT_HOLIDAYS_FILE)


# -- working days: 2026 from chinese_calendar ---------------------------------


def test_package_has_2026_data():
    # Guard: if the pinned package changes, the date-specific tests below need a look.
    assert chinese_calendar.is_holiday(date(2026, 2, 17))  # 春节 2026 (初一)
    assert chinese_calendar.is_workday(date(2026, 2, 14))  # 调休 Saturday


@pytest.mark.parametrize(
    "d",
    [
        date(2026, 1, 1),  # 元旦
        date(2026, 1, 2),  # 元旦 (Friday)
        *(date(2026, 2, day) for day in (16, 17, 18, 19, 20, 23)),  # 春节, weekdays
        date(2026, 4, 6),  # 清明 (Monday)
        date(2026, 5, 1),
        date(2026, 5, 5),  # 劳动节
        date(2026, 6, 19),  # 端午
        date(2026, 9, 25),  # 中秋
        *(date(2026, 10, day) for day in (1, 2, 5, 6, 7)),  # 国庆, weekdays
    ],
)
def test_2026_statutory_holidays_are_days_off(cal, d):
    assert d.weekday() < 5
    assert chinese_calendar.is_holiday(d)
    assert not cal.is_workday(d)


@pytest.mark.parametrize(
    "d",
    [
        date(2026, 1, 4),  # Sunday, 元旦 调休
        date(2026, 2, 14),  # Saturday, 春节 调休
        date(2026, 2, 28),  # Saturday, 春节 调休
        date(2026, 5, 9),  # Saturday, 劳动节 调休
        date(2026, 9, 20),  # Sunday, 中秋 调休
        date(2026, 10, 10),  # Saturday, 国庆 调休
    ],
)
def test_2026_make_up_weekend_days_are_working_days(cal, d):
    assert d.weekday() >= 5
    assert chinese_calendar.is_workday(d)
    assert cal.is_workday(d)


def test_ordinary_days(cal):
    assert cal.is_workday(date(2026, 3, 2))  # Monday
    assert not cal.is_workday(date(2026, 3, 7))  # Saturday
    assert not cal.is_workday(date(2026, 3, 8))  # Sunday


def test_is_workday_agrees_with_package_for_all_of_2026(cal):
    d = date(2026, 1, 1)
    while d.year == 2026:
        assert cal.is_workday(d) == chinese_calendar.is_workday(d), d
        d += timedelta(days=1)


def test_is_workday_accepts_aware_datetime_at_local_date(cal):
    # 2026-03-06 (Fri) 17:00 UTC is Saturday 01:00 in Shanghai.
    assert not cal.is_workday(datetime(2026, 3, 6, 17, 0, tzinfo=UTC))
    with pytest.raises(ValueError, match="naive"):
        cal.is_workday(datetime(2026, 3, 6, 12, 0))


# -- working hours -------------------------------------------------------------


def test_across_lunch_break(cal):
    assert cal.add_working_hours(dt(2026, 3, 2, 11, 0), 2) == dt(2026, 3, 2, 14, 30)
    assert cal.add_working_hours(dt(2026, 3, 2, 11, 59), 0.5) == dt(2026, 3, 2, 13, 59)


def test_across_evening(cal):
    assert cal.add_working_hours(dt(2026, 3, 2, 17, 0), 1) == dt(2026, 3, 3, 9, 30)
    # A full working day is 7 hours.
    assert cal.add_working_hours(dt(2026, 3, 2, 10, 0), 7) == dt(2026, 3, 3, 10, 0)


def test_across_weekend_and_holiday(cal):
    # Friday 17:00 + 2h -> Monday 10:30
    assert cal.add_working_hours(dt(2026, 3, 6, 17, 0), 2) == dt(2026, 3, 9, 10, 30)
    # Friday before 春节 2026: Saturday 14 Feb is a 调休 working day.
    assert cal.add_working_hours(dt(2026, 2, 13, 17, 0), 1) == dt(2026, 2, 14, 9, 30)
    # Saturday 14 Feb 17:00 + 1h: 15-23 Feb off -> Tuesday 24 Feb 09:30.
    assert cal.add_working_hours(dt(2026, 2, 14, 17, 0), 1) == dt(2026, 2, 24, 9, 30)


def test_exact_fill_ends_at_period_end(cal):
    assert cal.add_working_hours(dt(2026, 3, 2, 9, 0), 3) == dt(2026, 3, 2, 12, 0)
    assert cal.add_working_hours(dt(2026, 3, 2, 9, 0), 7) == dt(2026, 3, 2, 17, 30)
    assert cal.add_working_hours(dt(2026, 3, 2, 9, 0), 14) == dt(2026, 3, 3, 17, 30)


@pytest.mark.parametrize(
    "start, expected",
    [
        (dt(2026, 3, 2, 10, 15), dt(2026, 3, 2, 10, 15)),  # inside: unchanged
        (dt(2026, 3, 2, 7, 0), dt(2026, 3, 2, 9, 0)),  # before work
        (dt(2026, 3, 2, 12, 0), dt(2026, 3, 2, 13, 30)),  # lunch starts (periods are half-open)
        (dt(2026, 3, 2, 12, 45), dt(2026, 3, 2, 13, 30)),  # lunch
        (dt(2026, 3, 2, 17, 30), dt(2026, 3, 3, 9, 0)),  # evening
        (dt(2026, 3, 7, 10, 0), dt(2026, 3, 9, 9, 0)),  # Saturday
        (dt(2026, 10, 1, 10, 0), dt(2026, 10, 8, 9, 0)),  # 国庆 2026
    ],
)
def test_zero_hours_normalises_to_next_working_instant(cal, start, expected):
    assert cal.add_working_hours(start, 0) == expected


def test_start_outside_working_time_counts_from_next_period(cal):
    assert cal.add_working_hours(dt(2026, 3, 2, 6, 0), 1) == dt(2026, 3, 2, 10, 0)
    assert cal.add_working_hours(dt(2026, 3, 2, 12, 30), 1) == dt(2026, 3, 2, 14, 30)
    assert cal.add_working_hours(dt(2026, 3, 2, 22, 0), 1) == dt(2026, 3, 3, 10, 0)


def test_other_timezone_input_gives_shanghai_output(cal):
    start = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)  # 11:00 in Shanghai
    out = cal.add_working_hours(start, 2)
    assert out == dt(2026, 3, 2, 14, 30)
    assert out.tzinfo == SH and out.utcoffset() == timedelta(hours=8)
    assert cal.add(start, 30, "minutes").tzinfo == SH


def test_custom_hours(tmp_path):
    c = WorkCalendar(None, hours=(("08:30", "12:00"), ("14:00", "18:00")))
    assert c.add_working_hours(dt(2026, 3, 2, 11, 0), 2) == dt(2026, 3, 2, 15, 0)
    assert c.add_working_days(dt(2026, 3, 2, 11, 0), 1) == dt(2026, 3, 3, 18, 0)
    assert c.working_seconds_between(dt(2026, 3, 2), dt(2026, 3, 3)) == 7.5 * 3600
    one = WorkCalendar(None, hours=(("09:00", "17:00"),))
    assert one.add_working_hours(dt(2026, 3, 2, 16, 0), 2) == dt(2026, 3, 3, 10, 0)


@pytest.mark.parametrize(
    "hours",
    [
        (),
        (("12:00", "09:00"),),
        (("09:00", "12:00"), ("11:00", "17:00")),
        (("13:30", "17:30"), ("09:00", "12:00")),
        (("9am", "12:00"),),
        (("25:00", "26:00"),),
        (("09:00",),),
    ],
)
def test_invalid_hours_rejected(hours):
    with pytest.raises(ValueError):
        WorkCalendar(None, hours=hours)


# -- working days ----------------------------------------------------------------


def test_friday_evening_plus_one_working_day_is_monday_end_of_day(cal):
    assert cal.add_working_days(dt(2026, 3, 6, 19, 0), 1) == dt(2026, 3, 9, 17, 30)
    assert cal.add(dt(2026, 3, 6, 19, 0), 1, "working_days") == dt(2026, 3, 9, 17, 30)


def test_working_days_skip_holiday_monday(cal):
    # Friday 3 Apr 2026 evening; Monday 6 Apr is 清明 -> Tuesday 7 Apr 17:30.
    assert cal.add_working_days(dt(2026, 4, 3, 19, 0), 1) == dt(2026, 4, 7, 17, 30)


def test_working_days_count_make_up_saturday(cal):
    # Friday 13 Feb 2026 + 1 -> Saturday 14 Feb (调休 working day); + 2 -> Tuesday 24 Feb.
    assert cal.add_working_days(dt(2026, 2, 13, 10, 0), 1) == dt(2026, 2, 14, 17, 30)
    assert cal.add_working_days(dt(2026, 2, 13, 10, 0), 2) == dt(2026, 2, 24, 17, 30)


def test_working_days_counted_from_date_regardless_of_time(cal):
    assert cal.add_working_days(dt(2026, 3, 2, 8, 0), 3) == dt(2026, 3, 5, 17, 30)
    assert cal.add_working_days(dt(2026, 3, 2, 23, 0), 3) == dt(2026, 3, 5, 17, 30)
    # 国庆 2026: Wednesday 30 Sep + 1 -> Thursday 8 Oct; + 3 -> Saturday 10 Oct (调休).
    assert cal.add_working_days(dt(2026, 9, 30, 9, 0), 1) == dt(2026, 10, 8, 17, 30)
    assert cal.add_working_days(dt(2026, 9, 30, 9, 0), 3) == dt(2026, 10, 10, 17, 30)


def test_zero_working_days(cal):
    assert cal.add_working_days(dt(2026, 3, 2, 10, 0), 0) == dt(2026, 3, 2, 17, 30)
    assert cal.add_working_days(dt(2026, 3, 2, 18, 0), 0) == dt(2026, 3, 3, 17, 30)
    assert cal.add_working_days(dt(2026, 3, 7, 10, 0), 0) == dt(2026, 3, 9, 17, 30)


def test_bad_working_days(cal):
    with pytest.raises(ValueError):
        cal.add_working_days(dt(2026, 3, 2, 10), -1)
    with pytest.raises(ValueError):
        cal.add(dt(2026, 3, 2, 10), 1.5, "working_days")
    assert cal.add(dt(2026, 3, 2, 10), 2.0, "working_days") == dt(2026, 3, 4, 17, 30)


# -- add() ------------------------------------------------------------------------


def test_add_units(cal):
    start = dt(2026, 3, 7, 22, 0)  # Saturday night
    assert cal.add(start, 90, "minutes") == dt(2026, 3, 7, 23, 30)
    assert cal.add(start, 4, "hours") == dt(2026, 3, 8, 2, 0)  # natural time for urgent cases
    assert cal.add(start, 4, "working_hours") == dt(2026, 3, 9, 14, 30)
    assert cal.add(start, 2, "working_days") == dt(2026, 3, 10, 17, 30)


@pytest.mark.parametrize("unit", ["weeks", "working_minutes", "", "HOURS", None])  # "days" is natural days since issue 11
def test_add_unknown_unit(cal, unit):
    with pytest.raises(ValueError, match="unit"):
        cal.add(dt(2026, 3, 2, 10), 1, unit)


@pytest.mark.parametrize("amount", [-1, float("nan"), float("inf")])
def test_add_bad_amount(cal, amount):
    for unit in ("minutes", "hours", "working_hours"):
        with pytest.raises(ValueError):
            cal.add(dt(2026, 3, 2, 10), amount, unit)


# -- naive datetimes ----------------------------------------------------------------


def test_naive_datetime_refused(cal):
    naive = datetime(2026, 3, 2, 10, 0)
    aware = dt(2026, 3, 2, 10, 0)
    calls = [
        lambda: cal.add_working_hours(naive, 1),
        lambda: cal.add_working_days(naive, 1),
        lambda: cal.add(naive, 1, "minutes"),
        lambda: cal.add(naive, 1, "hours"),
        lambda: cal.add(naive, 1, "working_hours"),
        lambda: cal.add(naive, 1, "working_days"),
        lambda: cal.working_seconds_between(naive, aware),
        lambda: cal.working_seconds_between(aware, naive),
    ]
    for call in calls:
        with pytest.raises(ValueError, match="naive"):
            call()


# -- working_seconds_between -----------------------------------------------------------


def test_working_seconds_between(cal):
    assert cal.working_seconds_between(dt(2026, 3, 2, 11, 0), dt(2026, 3, 2, 14, 0)) == 1.5 * 3600
    assert cal.working_seconds_between(dt(2026, 3, 2, 0, 0), dt(2026, 3, 3, 0, 0)) == 7 * 3600
    # Friday 17:00 -> Monday 10:00 = 0.5h + 1h
    assert cal.working_seconds_between(dt(2026, 3, 6, 17, 0), dt(2026, 3, 9, 10, 0)) == 1.5 * 3600
    # the whole 春节 2026 break: only Sat 14 Feb (调休) counts between Fri 13 Feb 17:30 and Tue 24 Feb 09:00
    assert cal.working_seconds_between(dt(2026, 2, 13, 17, 30), dt(2026, 2, 24, 9, 0)) == 7 * 3600
    # one week of ordinary working days
    assert cal.working_seconds_between(dt(2026, 3, 2), dt(2026, 3, 9)) == 5 * 7 * 3600


def test_working_seconds_between_reversed_or_equal_is_zero(cal):
    a = dt(2026, 3, 2, 10, 0)
    assert cal.working_seconds_between(a, a) == 0
    assert cal.working_seconds_between(a, a - timedelta(days=3)) == 0


# -- holiday file ------------------------------------------------------------------------


def test_file_entry_overrides_package(tmp_path):
    p = write(
        tmp_path,
        """
        [years.2026]
        holidays = ["2026-03-02"]        # an extra local day off (a Monday)
        workdays = ["2026-02-22", 2026-03-07]  # a 春节 Sunday and a Saturday made working days
        """,
    )
    c = WorkCalendar(p)
    assert chinese_calendar.is_workday(date(2026, 3, 2))
    assert not c.is_workday(date(2026, 3, 2))
    assert chinese_calendar.is_holiday(date(2026, 2, 22))
    assert c.is_workday(date(2026, 2, 22))
    assert c.is_workday(date(2026, 3, 7))
    # the package still decides every other 2026 date
    assert not c.is_workday(date(2026, 2, 23))
    assert c.is_workday(date(2026, 2, 28))
    assert c.add_working_days(dt(2026, 2, 27, 19, 0), 1) == dt(2026, 2, 28, 17, 30)
    assert c.add_working_hours(dt(2026, 2, 27, 17, 0), 1) == dt(2026, 2, 28, 9, 30)
    assert c.add_working_days(dt(2026, 2, 27, 19, 0), 2) == dt(2026, 3, 3, 17, 30)


def test_crossing_into_2027_uses_file_and_weekends_and_warns_once(caplog, cal):
    caplog.set_level(logging.WARNING, logger=LOGGER)
    # Thursday 31 Dec 2026 16:30. 1 Jan 2027 (Friday) is 元旦 in the shipped file,
    # 2-3 Jan is a weekend -> next working day is Monday 4 Jan 2027.
    start = dt(2026, 12, 31, 16, 30)
    assert cal.add_working_days(start, 1) == dt(2027, 1, 4, 17, 30)
    assert cal.add_working_hours(start, 3) == dt(2027, 1, 4, 11, 0)
    assert cal.working_seconds_between(start, dt(2027, 1, 4, 11, 0)) == 3 * 3600
    # more 2027 lookups don't repeat the warning
    assert cal.add_working_days(dt(2027, 9, 30, 10, 0), 1) == dt(2027, 10, 4, 17, 30)  # 国庆 from the file
    assert cal.is_workday(date(2027, 3, 3)) and not cal.is_workday(date(2027, 3, 6))
    warnings = no_data_warnings(caplog, 2027)
    assert len(warnings) == 1
    msg = warnings[0].getMessage()
    assert "[years.2027]" in msg and "partial" in msg
    assert not no_data_warnings(caplog, 2026)


def test_year_in_neither_warns_once_with_instructions(caplog, tmp_path):
    caplog.set_level(logging.WARNING, logger=LOGGER)
    p = write(tmp_path, "# no years at all\n")
    c = WorkCalendar(p)
    assert c.is_workday(date(2027, 1, 1))  # a Friday; nothing says it's off
    assert c.add_working_days(dt(2026, 12, 31, 16, 30), 1) == dt(2027, 1, 1, 17, 30)
    c.add_working_hours(dt(2027, 6, 1, 10), 500)
    warnings = no_data_warnings(caplog, 2027)
    assert len(warnings) == 1
    msg = warnings[0].getMessage()
    assert "no holiday data for 2027" in msg
    assert str(p) in msg and "[years.2027]" in msg and "holidays" in msg and "workdays" in msg


def test_complete_year_in_file_does_not_warn(caplog, tmp_path):
    caplog.set_level(logging.WARNING, logger=LOGGER)
    p = write(
        tmp_path,
        """
        [years.2028]
        holidays = ["2028-01-03"]
        workdays = ["2028-01-08"]
        """,
    )
    c = WorkCalendar(p)
    assert not c.is_workday(date(2028, 1, 3))
    assert c.is_workday(date(2028, 1, 8))
    assert c.is_workday(date(2028, 1, 4)) and not c.is_workday(date(2028, 1, 9))
    assert not no_data_warnings(caplog, 2028)


def test_no_file_at_all(caplog):
    caplog.set_level(logging.WARNING, logger=LOGGER)
    c = WorkCalendar(None)
    assert not c.is_workday(date(2026, 10, 1))  # package still used
    assert c.is_workday(date(2027, 1, 1))  # no file: weekend rule
    assert len(no_data_warnings(caplog, 2027)) == 1


def test_far_future_2031_works(caplog, cal):
    caplog.set_level(logging.WARNING, logger=LOGGER)
    # Friday 6 Jun 2031 evening + 1 working day -> Monday 9 Jun 2031 17:30
    assert cal.add_working_days(dt(2031, 6, 6, 19, 0), 1) == dt(2031, 6, 9, 17, 30)
    assert cal.add_working_hours(dt(2031, 6, 6, 17, 0), 1) == dt(2031, 6, 9, 9, 30)
    assert cal.working_seconds_between(dt(2031, 6, 6, 17, 0), dt(2031, 6, 9, 9, 30)) == 3600
    assert cal.add(dt(2031, 6, 6, 19, 0), 5, "working_days") == dt(2031, 6, 13, 17, 30)
    # a long deadline running across several data-less years
    out = cal.add_working_days(dt(2029, 1, 1, 10), 700)
    assert out.year == 2031
    for year in (2029, 2030, 2031):
        assert len(no_data_warnings(caplog, year)) == 1


@pytest.mark.parametrize(
    "text, match",
    [
        ('[years.2027]\nholidays = ["2027-01-01"]\nworkdays = ["2027-01-01"]\n', "both"),
        ('[years.2027]\nholidays = ["2028-01-01"]\n', "not in 2027"),
        ('[years.2027]\nholidays = ["2027-13-01"]\n', "YYYY-MM-DD"),
        ('[years.2027]\nholiday = ["2027-01-01"]\n', "unknown keys"),
        ('[years.twenty]\nholidays = []\n', "year"),
        ('[years.2027]\nholidays = "2027-01-01"\n', "list"),
        ("[years.2027\n", "invalid TOML"),
        ('[calendar]\nx = 1\n', "top-level"),
    ],
)
def test_malformed_file_rejected(tmp_path, text, match):
    with pytest.raises(ValueError, match=match):
        WorkCalendar(write(tmp_path, text))


def test_missing_file_is_an_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        WorkCalendar(tmp_path / "nope.toml")


def test_shipped_file_loads_and_marks_2027_fixed_holidays():
    c = WorkCalendar(DEFAULT_HOLIDAYS_FILE)
    for d in (date(2027, 1, 1), date(2027, 5, 1), date(2027, 10, 1), date(2027, 10, 2), date(2027, 10, 3)):
        assert not c.is_workday(d)


def test_env_var_selects_holiday_file(tmp_path, monkeypatch):
    p = write(tmp_path, '[years.2026]\nholidays = ["2026-03-02"]\n')
    monkeypatch.setenv(HOLIDAYS_FILE_ENV, str(p))
    c = WorkCalendar()
    assert c.holidays_file == p
    assert not c.is_workday(date(2026, 3, 2))
    # an explicit argument wins over the environment
    assert WorkCalendar(DEFAULT_HOLIDAYS_FILE).is_workday(date(2026, 3, 2))
    monkeypatch.delenv(HOLIDAYS_FILE_ENV)
    assert WorkCalendar().holidays_file == DEFAULT_HOLIDAYS_FILE


def test_default_calendar_is_cached():
    a = default_calendar()
    assert a is default_calendar()
    assert isinstance(a, WorkCalendar)
    assert a.hours == (("09:00", "12:00"), ("13:30", "17:30"))


# -- efficiency -------------------------------------------------------------------------


def test_large_amounts_are_fast(cal):
    t0 = _time.perf_counter()
    end = cal.add_working_days(dt(2026, 1, 5, 10), 300)
    hours_end = cal.add_working_hours(dt(2026, 1, 5, 10), 300 * 7)
    spent = cal.working_seconds_between(dt(2026, 1, 5, 10), hours_end)
    assert _time.perf_counter() - t0 < 1.0
    assert end.year == 2027
    assert spent == 300 * 7 * 3600


# -- properties -------------------------------------------------------------------------

starts = st.datetimes(
    min_value=datetime(2025, 1, 1),
    max_value=datetime(2027, 12, 31),
    timezones=st.just(SH),
)
hour_amounts = st.floats(min_value=0, max_value=400, allow_nan=False, allow_infinity=False)
# At least a minute: deadlines are minutes apart, and an amount below float resolution next to a period end
# (h1 + h2 == h1) would compare a result at 12:00 with one carried past the lunch break.
positive_hours = st.floats(min_value=1 / 60, max_value=400, allow_nan=False, allow_infinity=False)

PROPS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def working_instants(draw):
    """A start inside working time: a working day, an offset into its working periods."""
    day = draw(st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 12, 31)).filter(CAL.is_workday))
    offset = draw(st.floats(min_value=0, max_value=7 * 3600, exclude_max=True))
    return CAL.add_working_hours(dt(day.year, day.month, day.day, 9, 0), offset / 3600)


@PROPS
@given(start=starts, hours=hour_amounts, days=st.integers(0, 300), minutes=st.integers(0, 10_000))
def test_result_not_before_start(start, hours, days, minutes):
    assert CAL.add_working_hours(start, hours) >= start
    assert CAL.add_working_days(start, days) >= start
    assert CAL.add(start, minutes, "minutes") >= start
    assert CAL.add(start, hours, "hours") >= start


@PROPS
@given(start=starts, h1=hour_amounts, h2=positive_hours)
def test_working_hours_compose(start, h1, h2):
    # h2 > 0: add_working_hours(x, 0) normalises x, so a result landing exactly
    # on a period end (12:00) would move to 13:30 -- same working time, other instant.
    once = CAL.add_working_hours(start, h1 + h2)
    twice = CAL.add_working_hours(CAL.add_working_hours(start, h1), h2)
    assert abs((once - twice).total_seconds()) < 1


@PROPS
@given(start=working_instants(), hours=hour_amounts)
def test_elapsed_matches_added_inside_working_time(start, hours):
    end = CAL.add_working_hours(start, hours)
    assert abs(CAL.working_seconds_between(start, end) - hours * 3600) < 1


@PROPS
@given(start=starts, hours=hour_amounts)
def test_elapsed_matches_added_from_any_start(start, hours):
    end = CAL.add_working_hours(start, hours)
    assert abs(CAL.working_seconds_between(start, end) - hours * 3600) < 1


@PROPS
@given(a=starts, b=starts, c=starts)
def test_elapsed_is_additive(a, b, c):
    a, b, c = sorted((a, b, c))
    total = CAL.working_seconds_between(a, c)
    assert total >= 0
    assert abs(total - CAL.working_seconds_between(a, b) - CAL.working_seconds_between(b, c)) < 1e-6
