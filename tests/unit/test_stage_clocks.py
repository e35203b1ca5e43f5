"""Test vectors of the per-stage clocks (issue 11 item 1): six stages per category × priority, in working hours,
working days or natural time, on the Chinese calendar, with per-unit working hours.

Every expected datetime is written out by hand. The calendar (shared/calendar) counts 09:00–12:00 and 13:30–17:30
(7 working hours) of working days; `n working_days` ends at 17:30 of the n-th working day after the start's date.
The 2026 dates come from chinese_calendar 1.11 (the State Council notice for 2026):
- Spring Festival 2026: Sun 15 Feb – Mon 23 Feb are days off; Sat 14 Feb and Sat 28 Feb are 调休 working days.
- 国庆 2026: Thu 1 Oct – Wed 7 Oct are days off (Fri 25 – Sun 27 Sep are 中秋); Sat 10 Oct is a 调休 working day.
- 2028: neither chinese_calendar 1.11 (2004–2026) nor shared/calendar/data/holidays.toml (2027, partial) has it:
  WorkCalendar._compute_workday falls back to "Saturdays and Sundays off, every other day working" and
  _warn_no_data logs ONE warning for the year naming the holiday file to fill in — so 国庆 2028 counts as working.
"""
from __future__ import annotations

import logging
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from services.supervision.domain.deadlines import AlwaysOn, Plan, calendar_for, clock_due, on_event
from shared.calendar import WorkCalendar
from shared.catalog import ALWAYS_ON, CatalogError, load_catalog
from shared.catalog.catalog import parse_categories, parse_working_hours

CN = ZoneInfo("Asia/Shanghai")
CAL = WorkCalendar()
NORMAL = load_catalog().category("0104")   # 雨水箅子: profile "normal", priority normal
URGENT = load_catalog().category("1401")   # 路面塌陷: profile "emergency", priority urgent


def t(*args: int) -> datetime:
    return datetime(*args, tzinfo=CN)


# ---- the six stages, per priority ---------------------------------------------------------------------------
def test_every_category_has_six_clocks_for_every_priority():
    for c in load_catalog().categories.values():
        for priority in ("urgent", "high", "normal"):
            assert tuple(c.clocks[priority]) == ("accept", "dispatch", "sign", "resolve", "verify", "feedback")
        assert dict(c.deadlines) == {s: c.clocks[c.priority][s] for s in ("sign", "resolve", "verify", "feedback")}


def test_a_priority_override_shortens_the_clock_of_a_normal_category():
    # profile "normal": sign 1 working hour, resolve 3 working days; its priority.urgent: 30 minutes, 4 hours
    assert (NORMAL.clock("sign").amount, NORMAL.clock("sign").unit) == (1, "working_hours")
    assert (NORMAL.clock("sign", "urgent").amount, NORMAL.clock("sign", "urgent").unit) == (30, "minutes")
    assert (NORMAL.clock("resolve", "urgent").amount, NORMAL.clock("resolve", "urgent").unit) == (4, "hours")
    # accept/dispatch: [clock_defaults] (1 working hour each) unless the profile or the priority sets them
    assert (NORMAL.clock("accept").amount, NORMAL.clock("accept").unit) == (1, "working_hours")
    assert (URGENT.clock("dispatch").amount, URGENT.clock("dispatch").unit) == (10, "minutes")


def test_accept_and_dispatch_are_timed_on_working_time():
    # Received Fri 13 Feb 2026 17:10: 20 working minutes that day (to 17:30); Sat 14 Feb is a 调休 working day,
    # so the remaining 40 minutes end at 09:40 on the Saturday.
    assert clock_due(NORMAL, "accept", "normal", t(2026, 2, 13, 17, 10), CAL) == t(2026, 2, 14, 9, 40)
    # Taken in Sat 14 Feb 17:00 (high: dispatch 30 minutes, natural time) → 17:30 the same Saturday.
    assert clock_due(NORMAL, "dispatch", "high", t(2026, 2, 14, 17, 0), CAL) == t(2026, 2, 14, 17, 30)


# ---- Spring Festival 2026 -----------------------------------------------------------------------------------
def test_spring_festival_2026_resolve_counts_the_tiaoxiu_saturday_and_skips_the_holiday():
    # Dispatched Fri 13 Feb 10:00, resolve 3 working days: working days after the 13th are Sat 14 (调休) = 1,
    # then 15–23 off, Tue 24 = 2, Wed 25 = 3 → Wed 25 Feb 17:30.
    plan = on_event(Plan(), "dispatched", {}, t(2026, 2, 13, 10, 0), NORMAL, CAL, priority="normal")
    assert plan.resolve_due == t(2026, 2, 25, 17, 30)
    # sign 1 working hour from 10:00 → 11:00 the same day
    assert plan.sign_due == t(2026, 2, 13, 11, 0)


def test_spring_festival_2026_sign_for_carries_over_the_whole_holiday():
    # Dispatched Sat 14 Feb (调休 working day) 17:00: 30 minutes to 17:30, then the holiday (15–23 Feb), then
    # 30 more minutes on Tue 24 Feb from 09:00 → 09:30.
    plan = on_event(Plan(), "dispatched", {}, t(2026, 2, 14, 17, 0), NORMAL, CAL, priority="normal")
    assert plan.sign_due == t(2026, 2, 24, 9, 30)


def test_spring_festival_2026_urgent_cases_run_on_natural_time():
    # An urgent order in a normal category on the night of 16 Feb (a holiday): sign 30 minutes, resolve 4 hours,
    # wall-clock → 22:30 and 02:00 the next day.
    plan = on_event(Plan(), "dispatched", {}, t(2026, 2, 16, 22, 0), NORMAL, CAL, priority="urgent")
    assert (plan.sign_due, plan.resolve_due) == (t(2026, 2, 16, 22, 30), t(2026, 2, 17, 2, 0))
    # natural days: 3 days from Mon 16 Feb 10:00 → Thu 19 Feb 10:00, holidays included
    assert CAL.add(t(2026, 2, 16, 10, 0), 3, "days") == t(2026, 2, 19, 10, 0)


def test_the_second_spring_festival_tiaoxiu_saturday_is_a_working_day():
    # Fri 27 Feb 17:00 + 4 working hours (verify): 30 minutes on Friday, then Sat 28 Feb (调休) 09:00 + 3.5 h:
    # 09:00–12:00 (3 h) and 13:30–14:00 → Sat 28 Feb 14:00.
    assert CAL.add(t(2026, 2, 27, 17, 0), 4, "working_hours") == t(2026, 2, 28, 14, 0)


# ---- 国庆 2026 ----------------------------------------------------------------------------------------------------
def test_national_day_2026_resolve_ends_on_the_tiaoxiu_saturday():
    # Dispatched Wed 30 Sep 16:00, 3 working days: Thu 1 – Wed 7 Oct off, Thu 8 = 1, Fri 9 = 2,
    # Sat 10 Oct (调休) = 3 → Sat 10 Oct 17:30. The sign-for hour: 16:00 → 17:00 the same day.
    plan = on_event(Plan(), "dispatched", {}, t(2026, 9, 30, 16, 0), NORMAL, CAL, priority="normal")
    assert plan.resolve_due == t(2026, 10, 10, 17, 30)
    assert plan.sign_due == t(2026, 9, 30, 17, 0)


def test_national_day_2026_verify_from_the_tiaoxiu_saturday_skips_sunday():
    # Resolved Sat 10 Oct (调休) 15:00, verify 4 working hours: 2.5 h to 17:30, Sun 11 Oct off,
    # Mon 12 Oct 09:00 + 1.5 h → 10:30.
    plan = on_event(Plan(stage="resolve"), "resolved", {}, t(2026, 10, 10, 15, 0), NORMAL, CAL)
    assert plan.verify_due == t(2026, 10, 12, 10, 30)


def test_national_day_2026_sign_for_waits_for_the_eighth():
    # Dispatched Wed 30 Sep 17:00, sign 1 working hour: 30 minutes that day, 30 minutes on Thu 8 Oct → 09:30.
    plan = on_event(Plan(), "dispatched", {}, t(2026, 9, 30, 17, 0), NORMAL, CAL, priority="normal")
    assert plan.sign_due == t(2026, 10, 8, 9, 30)


# ---- a year without holiday data ----------------------------------------------------------------------------
def test_a_year_without_holiday_data_counts_weekdays_and_warns_once(caplog):
    cal = WorkCalendar()  # a fresh calendar: its warnings are per instance
    with caplog.at_level(logging.WARNING, logger="yiwang.calendar"):
        # Dispatched Fri 29 Sep 2028 10:00, 3 working days. Without data 国庆 2028 is not known: Mon 2 Oct = 1,
        # Tue 3 = 2, Wed 4 = 3 → Wed 4 Oct 2028 17:30 (with the real holiday it would be later).
        plan = on_event(Plan(), "dispatched", {}, t(2028, 9, 29, 10, 0), NORMAL, cal, priority="normal")
        assert plan.resolve_due == t(2028, 10, 4, 17, 30)
        # the weekend rule still holds: Fri 17:00 + 1 working hour → Mon 2 Oct 2028 09:30
        assert cal.add(t(2028, 9, 29, 17, 0), 1, "working_hours") == t(2028, 10, 2, 9, 30)
    warnings = [r.getMessage() for r in caplog.records if "2028" in r.getMessage()]
    assert len(warnings) == 1 and "no holiday data for 2028" in warnings[0] and "[years.2028]" in warnings[0]


# ---- per-unit working hours ---------------------------------------------------------------------------------
def test_a_24x7_unit_counts_every_hour_even_on_a_holiday():
    catalog = load_catalog()
    assert catalog.unit_hours("320600.police") == ALWAYS_ON
    assert catalog.unit_hours("320612001.chengguan") is None
    police = calendar_for(CAL, catalog.unit_hours("320600.police"))
    assert isinstance(police, AlwaysOn)
    # Dispatched Tue 17 Feb 2026 (holiday) 20:00 to a 24x7 unit, normal priority: sign 1 "working" hour → 21:00,
    # resolve 3 "working" days → Fri 20 Feb 20:00 (natural days: the holiday does not stop the clock).
    plan = on_event(Plan(), "dispatched", {}, t(2026, 2, 17, 20, 0), NORMAL, CAL, priority="normal", unit_cal=police)
    assert (plan.sign_due, plan.resolve_due) == (t(2026, 2, 17, 21, 0), t(2026, 2, 20, 20, 0))
    # verification is the center's work: on the center's calendar. Resolved Fri 20 Feb 20:00 (holiday):
    # 4 working hours from Tue 24 Feb 09:00 → 09:00–12:00 + 13:30–14:30 → 14:30.
    plan = on_event(plan, "resolved", {}, t(2026, 2, 20, 20, 0), NORMAL, CAL, unit_cal=police)
    assert plan.verify_due == t(2026, 2, 24, 14, 30)


def test_a_unit_with_its_own_hours_counts_them_on_the_calendars_working_days():
    own = calendar_for(CAL, (("08:00", "12:00"), ("14:00", "18:00")))
    # Fri 13 Feb 2026 17:30 + 1 working hour: 30 minutes to 18:00, then Sat 14 Feb (调休) 08:00 + 30 → 08:30
    assert own.add(t(2026, 2, 13, 17, 30), 1, "working_hours") == t(2026, 2, 14, 8, 30)
    # working days end at the unit's own close: 1 working day after Sat 14 Feb → Tue 24 Feb 18:00
    assert own.add(t(2026, 2, 14, 10, 0), 1, "working_days") == t(2026, 2, 24, 18, 0)


@pytest.mark.parametrize("value", ["24/7", [["9:00", "12:00"]], [["12:00", "09:00"]], [["08:00", "12:00"], ["11:00", "13:00"]], 7])
def test_bad_working_hours_are_refused_naming_the_file_and_key(value):
    with pytest.raises(CatalogError) as e:
        parse_working_hours({"working_hours": {"police": value}})
    assert "units.toml: [working_hours] police" in str(e.value) and '"24x7"' in str(e.value)


def test_an_unknown_unit_in_working_hours_is_refused():
    from shared.catalog import Catalog

    catalog = load_catalog()
    with pytest.raises(CatalogError, match=r"\[working_hours\] 'nobody'.*neither a unit kind"):
        Catalog(catalog.categories.values(), catalog.regions, other_category=catalog.other_category,
                unit_kinds=catalog.unit_kinds, command_kind=catalog.command_kind,
                templates=catalog._templates, departments=catalog._departments, working_hours={"nobody": ALWAYS_ON})


# ---- validation of the clocks' data -------------------------------------------------------------------------
def _doc(profile: dict) -> dict:
    return {"majors": {"01": {"kind": "部件", "name": "x"}}, "other": "0101", "deadline_profiles": {"p": profile},
            "category": [{"code": "0101", "name": "x", "deadlines": "p", "unit_kind": "chengguan",
                          "tier": "township", "keywords": ["x"]}]}


BASE = {s: {"amount": 1, "unit": "working_days"} for s in ("sign", "resolve", "verify", "feedback")}


@pytest.mark.parametrize("profile, words", [
    ({**BASE, "accept": {"amount": 1, "unit": "fortnights"}}, ["[deadline_profiles.p].accept", "working_days", "days"]),
    ({**BASE, "intake": {"amount": 1, "unit": "hours"}}, ["[deadline_profiles.p]", "unknown stage", "accept, dispatch"]),
    ({**BASE, "priority": {"vip": {}}}, ["[deadline_profiles.p].priority", "urgent, high, normal"]),
    ({**BASE, "priority": {"urgent": {"sign": {"amount": 0, "unit": "minutes"}}}},
     ["[deadline_profiles.p].priority.urgent.sign", "positive"]),
])
def test_bad_clocks_are_refused_naming_the_file_key_and_allowed_values(profile, words):
    with pytest.raises(CatalogError) as e:
        parse_categories(_doc(profile))
    assert all(w in str(e.value) for w in ["categories.toml", *words]), str(e.value)
