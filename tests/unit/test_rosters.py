"""Duty rosters (值班表): who is on duty at a center or a unit at a given time, on the Chinese working calendar
(调休 Saturdays are working days, Spring Festival and 国庆 are rest days), night shifts past midnight, the fallback
when nobody is on duty, and whom an escalation step's `notify` list names. No broker, no database."""
from __future__ import annotations

from datetime import datetime

import pytest

from services.notification.domain.rosters import CHINA, RosterError, load_rosters, parse_rosters
from services.notification.domain.rules import Change, telling
from shared.calendar import WorkCalendar

CAL = WorkCalendar()
TOWN, UNIT, COUNTY = "320612001", "320612001.chengguan", "320612"

BOOK = parse_rosters({
    "people": {
        "day": {"name": "白班", "role": "值班长", "phone": "13900000001", "webhook": "/hooks/day"},
        "night": {"name": "夜班", "role": "值班员", "phone": "13900000002"},
        "rest": {"name": "节假日", "role": "值班员"},
        "boss": {"name": "带班领导", "role": "带班领导", "phone": "13900000003"},
        "squad": {"name": "中队值班", "role": "队员", "webhook": "https://example.org/hook"},
        "captain": {"name": "中队长", "role": "中队长"},
        "county": {"name": "区值班长", "role": "值班长"},
    },
    "centers": {
        TOWN: {"fallback": ["boss"], "duty": [
            {"who": ["day"], "days": "working", "from": "08:30", "to": "17:30"},
            {"who": ["night"], "days": "working", "from": "17:30", "to": "08:30"},  # past midnight
            {"who": ["rest"], "days": "rest", "from": "09:00", "to": "17:00"},      # nobody on rest-day nights
        ]},
        COUNTY: {"duty": [{"who": "county", "days": "every"}]},
    },
    "units": {
        UNIT: {"leader": "captain", "fallback": ["center"],
               "duty": [{"who": ["squad"], "days": ["mon", "wed", "fri"], "from": "08:00", "to": "12:00"}]},
    },
}, "test")


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=CHINA)


def names(people) -> list[str]:
    return [p.id for p in people]


@pytest.mark.parametrize("when, expected", [
    (at(2026, 11, 24, 10, 0), ["day"]),            # a Tuesday, working hours
    (at(2026, 11, 24, 8, 29), ["night"]),          # Monday's night shift, until 08:30
    (at(2026, 11, 24, 17, 30), ["night"]),         # the night shift starts at 17:30 (the day shift has ended)
    (at(2026, 11, 28, 10, 0), ["rest"]),           # a Saturday
    (at(2026, 11, 28, 7, 0), ["night"]),           # Saturday morning: Friday's night shift runs on
    (at(2026, 11, 29, 7, 0), ["boss"]),            # Sunday 07:00: nobody (Saturday is a rest day) → the fallback
    (at(2026, 2, 14, 10, 0), ["day"]),             # 调休 Saturday before Spring Festival 2026: a working day
    (at(2026, 2, 17, 10, 0), ["rest"]),            # Spring Festival (a Tuesday): a rest day
    (at(2026, 10, 2, 20, 0), ["boss"]),            # 国庆 night: no night shift on a holiday → the fallback
    (at(2026, 10, 8, 3, 0), ["boss"]),             # after 国庆's last day (a holiday): its night is nobody's
    (at(2026, 10, 9, 3, 0), ["night"]),            # 8 October is a working day: its night shift covers 3 a.m.
])
def test_who_is_on_duty_at_the_township_center(when, expected):
    assert names(BOOK.on_duty(TOWN, when, CAL)) == expected


def test_a_year_without_holiday_data_counts_weekdays_as_working(caplog):
    # 2028 has no State Council notice in the data: Monday–Friday work, Saturday and Sunday rest (one warning)
    assert names(BOOK.on_duty(TOWN, at(2028, 10, 2, 10, 0), CAL)) == ["day"]    # a Monday, 国庆 unknown yet
    assert names(BOOK.on_duty(TOWN, at(2028, 10, 7, 10, 0), CAL)) == ["rest"]   # a Saturday


def test_a_unit_falls_back_to_its_centers_duty_and_the_centers_fallback():
    assert names(BOOK.on_duty(UNIT, at(2026, 11, 25, 9, 0), CAL, TOWN)) == ["squad"]   # Wednesday morning
    assert names(BOOK.on_duty(UNIT, at(2026, 11, 24, 9, 0), CAL, TOWN)) == ["day"]     # Tuesday: the center's duty
    assert names(BOOK.on_duty(UNIT, at(2026, 11, 29, 7, 0), CAL, TOWN)) == ["boss"]    # … and the center's fallback
    assert BOOK.on_duty("320612002.chengguan", at(2026, 11, 25, 9, 0), CAL, "320612002") == ()  # no roster: nobody


def test_a_steps_notify_list_names_each_person_once_in_order():
    when = at(2026, 11, 25, 9, 0)  # Wednesday morning: the squad and the day shift are on duty
    book = BOOK
    assert names(book.recipients(["handler", "unit_leader"], when, CAL, center=TOWN, unit=UNIT, parent=COUNTY)) == \
        ["squad", "captain"]
    assert names(book.recipients(["unit_leader", "dispatcher", "duty_roster"], when, CAL, center=TOWN, unit=UNIT,
                                 parent=COUNTY)) == ["captain", "day", "squad"]
    assert names(book.recipients(["parent_center", "unit_leader", "duty_roster"], when, CAL, center=TOWN, unit=UNIT,
                                 parent=COUNTY)) == ["county", "captain", "day", "squad"]
    assert book.recipients(["admin", "viewer"], when, CAL, center=TOWN, unit=UNIT, parent=COUNTY) == ()


def test_a_new_task_and_an_escalation_step_are_told_as_the_data_says():
    new_task = (BOOK.new_task.notify, BOOK.new_task.channels("normal"))
    told = telling(Change("dispatched", "C-1", UNIT, "grid", False, {}), new_task)
    assert told is not None and (told.kind, told.notify, told.channel) == \
        ("new_task", ("handler",), ("in_app", "webhook", "sms"))
    step = {"step": "挂牌督办", "notify": ["unit_leader", "duty_roster"], "channel": ["in_app", "sms"]}
    told = telling(Change("supervised", "C-1", UNIT, "grid", False, step), new_task)
    assert told is not None and (told.kind, told.notify, told.channel) == \
        ("supervise", ("unit_leader", "duty_roster"), ("in_app", "sms"))
    assert telling(Change("supervised", "C-1", UNIT, "grid", False, {"level": 1}), new_task) is None  # by hand
    assert telling(Change("accepted", "C-1", UNIT, "grid", False, {}), new_task) is None


def test_a_phone_number_is_not_in_a_persons_repr():
    assert "13900000001" not in repr(BOOK.person("day")) and BOOK.person("day").phone == "13900000001"


def test_the_packaged_rosters_cover_every_hour_of_the_demo_centers():
    book = load_rosters()
    for center in ("320600", "320612", "320612001", "320612002"):
        for when in (at(2026, 11, 24, 10, 0), at(2026, 11, 24, 23, 0), at(2026, 10, 3, 3, 0), at(2026, 2, 14, 15, 0)):
            assert book.on_duty(center, when, CAL), (center, when)
    assert book.leader("320612001.chengguan") and all(p.phone for p in book.people.values())


@pytest.mark.parametrize("data, message", [
    ({"people": {"a": {"name": "甲"}}}, "people.a.role: required"),
    ({"people": {"a": {"name": "甲", "role": "r", "phone": "138-0000"}}}, "people.a.phone: expected digits"),
    ({"people": {"a": {"name": "甲", "role": "r", "webhook": "ftp://x"}}}, "people.a.webhook"),
    ({"centers": {TOWN: {"duty": [{"who": ["nobody"]}]}}}, f"{TOWN} names nobody, not in [people]"),
    ({"people": {"a": {"name": "甲", "role": "r"}}, "centers": {TOWN: {"duty": [{"who": "a", "days": "weekend"}]}}},
     "duty[0].days: expected working, rest, every"),
    ({"people": {"a": {"name": "甲", "role": "r"}}, "centers": {TOWN: {"duty": [{"who": "a", "from": "8:30"}]}}},
     "duty[0].from: expected \"HH:MM\""),
    ({"people": {"a": {"name": "甲", "role": "r"}}, "centers": {TOWN: {"fallback": ["center"]}}},
     "`center` is a unit's fallback"),
    ({"new_task": {"channel": ["pager"]}}, "new_task.channel: expected a list of in_app, webhook, sms"),
    ({"shifts": {}}, "unknown section(s) shifts"),
])
def test_a_bad_roster_is_refused_naming_the_key(data, message):
    with pytest.raises(RosterError) as err:
        parse_rosters(data, "rosters.toml")
    assert message in str(err.value)
    assert "138-0000" not in str(err.value), "a phone number is never echoed"
