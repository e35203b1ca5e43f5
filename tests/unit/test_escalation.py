"""Lights and escalation chains as data (issue 11 item 2): the rules file's validation, when each step fires (on
working time where the step says so), the sweep emitting each step once and its repeats, and a 提级 moving the
supervision of the case to the parent center's queue."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session, select

import app.composition  # noqa: F401  (wires the unit of work's reactions: notifications)
from services.dispatch import handlers as dispatch
from services.intake.handlers import submit_report
from services.notification.adapters.tables import Notification
from services.supervision import handlers as supervision
from services.supervision import queries
from services.supervision.domain.deadlines import Plan, light_at, on_event
from services.supervision.domain.escalation import (
    EscalationRulesError,
    Span,
    Step,
    due_firings,
    load_rules,
    parse_rules,
    schedule,
)
from services.triage import handlers as triage
from shared.calendar import WorkCalendar
from shared.catalog import load_catalog
from shared.clock import Clock
from shared.contracts.api import ReportIn
from tests.unit.memory import Bus, case, memory_store

CN = ZoneInfo("Asia/Shanghai")
CAL = WorkCalendar()
TOWN, COUNTY = "320612001", "320612"


def t(*args: int) -> datetime:
    return datetime(*args, tzinfo=CN)


# ---- the data -----------------------------------------------------------------------------------------------
def test_the_default_rules_load_with_a_yellow_light_at_80_percent_and_four_levels():
    rules = load_rules()
    assert rules.yellow("sign") == rules.yellow("resolve") == 0.8
    assert [s.level for s in rules.chain("resolve", "normal")] == ["催办", "督办", "挂牌督办", "提级"]
    assert [s.level for s in rules.chain("sign", "urgent")] == ["催办", "督办", "提级"]
    assert rules.chain("verify", "normal") == ()  # the center's own work: lights only
    first = rules.chain("resolve", "normal")[0]
    assert first.repeat == Span(1, "working_days") and first.channel == ("in_app",)


STEP = {"after": "0 minutes", "level": "催办", "notify": ["handler"], "channel": ["in_app"]}


@pytest.mark.parametrize("doc, words", [
    ({"chains": {"sign": {"normal": [{**STEP, "level": "警告"}]}}}, ["chains.sign.normal[0].level", "催办, 督办, 挂牌督办, 提级"]),
    ({"chains": {"sign": {"normal": [{**STEP, "after": "2 fortnights"}]}}}, ["chains.sign.normal[0].after", "working_hours"]),
    ({"chains": {"sign": {"normal": [{**STEP, "channel": ["fax"]}]}}}, ["chains.sign.normal[0].channel", "in_app, webhook, sms"]),
    ({"chains": {"sign": {"normal": [{**STEP, "notify": ["mayor"]}]}}}, ["notify", "unit_leader", "duty_roster", "parent_center"]),
    ({"chains": {"sign": {"normal": [{**STEP, "from": "noon"}]}}}, ["chains.sign.normal[0].from", "deadline, start"]),
    ({"chains": {"sign": {"normal": [{**STEP, "repeat": "1 stage"}]}}}, ["repeat", "working_days"]),
    ({"chains": {"sign": {"vip": [STEP]}}}, ["chains.sign.vip", "urgent, high, normal, default"]),
    ({"chains": {"lunch": {"normal": [STEP]}}}, ["chains.lunch", "sign, resolve, verify, feedback"]),
    ({"chains": {"sign": {"normal": [{**STEP, "level": "督办"}, STEP]}}}, ["chains.sign.normal", "in order of level"]),
    ({"lights": {"yellow_at": 80}}, ["lights.yellow_at", "between 0 and 1"]),
    ({"lights": {"stage": {"lunch": {"yellow_at": 0.5}}}}, ["lights.stage.lunch", "accept, dispatch, sign"]),
])
def test_bad_rules_are_refused_naming_the_file_key_and_allowed_values(doc, words):
    with pytest.raises(EscalationRulesError) as e:
        parse_rules(doc, "escalation.toml")
    assert all(w in str(e.value) for w in ["escalation.toml", *words]), str(e.value)


def test_a_stages_own_yellow_share_moves_its_yellow_light():
    rules = parse_rules({"lights": {"yellow_at": 0.8, "stage": {"sign": {"yellow_at": 0.5}}}})
    plan = Plan(stage="sign", stage_started_at=t(2026, 11, 23, 9, 0), sign_due=t(2026, 11, 23, 10, 0))
    # 09:00–10:00 is one working hour: yellow after 30 minutes at 0.5, after 48 at the default 0.8
    assert light_at(plan, t(2026, 11, 23, 9, 30), CAL, rules.yellow("sign")).light == "yellow"
    assert light_at(plan, t(2026, 11, 23, 9, 30), CAL, rules.yellow("resolve")).light == "green"
    assert light_at(plan, t(2026, 11, 23, 9, 48), CAL, rules.yellow("resolve")).light == "yellow"


# ---- when steps fire ----------------------------------------------------------------------------------------
def test_an_after_in_working_hours_counts_only_working_time_over_the_spring_festival_tiaoxiu_saturday():
    # A stage due Fri 13 Feb 2026 17:00; "2 working_hours" after it: 30 minutes to 17:30, then Sat 14 Feb (调休
    # working day) 09:00 + 1.5 h → 10:30. The same step in natural hours fires at 19:00 on the Friday.
    working = Step(after=Span(2, "working_hours"), level="督办")
    natural = Step(after=Span(2, "hours"), level="督办")
    start, due = t(2026, 2, 13, 9, 0), t(2026, 2, 13, 17, 0)
    assert [f.at for f in schedule("resolve", [working], start, due, CAL, due)] == [t(2026, 2, 14, 10, 30)]
    assert [f.at for f in schedule("resolve", [natural], start, due, CAL, due)] == [t(2026, 2, 13, 19, 0)]


def test_a_step_from_the_start_fires_before_the_deadline():
    # from = "start", after 3 working hours: started Mon 23 Nov 2026 09:00 → 12:00, the deadline being days later
    step = Step(after=Span(3, "working_hours"), level="催办", origin="start")
    emit, nxt = due_firings("resolve", [step], t(2026, 11, 23, 9, 0), t(2026, 11, 26, 17, 30), CAL,
                            t(2026, 11, 23, 11, 59), [])
    assert emit == [] and nxt == t(2026, 11, 23, 12, 0)


def test_a_repeating_urge_over_national_day_2026_fires_on_working_days_only():
    # Resolve due Wed 30 Sep 2026 17:30; the default 催办 repeats every working day: Thu 8 Oct 17:30, Fri 9 Oct,
    # Sat 10 Oct (调休), then Mon 12 Oct — never during the 1–7 Oct holiday, nor on Sunday 11 Oct.
    (urge,) = load_rules().chain("resolve", "normal")[:1]
    due = t(2026, 9, 30, 17, 30)
    fired = [f.at for f in schedule("resolve", [urge], t(2026, 9, 25, 9, 0), due, CAL, t(2026, 10, 12, 17, 30))]
    assert fired == [due, t(2026, 10, 8, 17, 30), t(2026, 10, 9, 17, 30), t(2026, 10, 10, 17, 30),
                     t(2026, 10, 12, 17, 30), t(2026, 10, 13, 17, 30)]  # the last: the next one after `until`
    # a sweep that runs late emits the first firing and the latest repeat once, not the whole backlog
    emit, nxt = due_firings("resolve", [urge], t(2026, 9, 25, 9, 0), due, CAL, t(2026, 10, 10, 18, 0), [])
    assert [(f.n, f.at) for f in emit] == [(0, due), (3, t(2026, 10, 10, 17, 30))]
    assert nxt == t(2026, 10, 12, 17, 30)
    emit, _ = due_firings("resolve", [urge], t(2026, 9, 25, 9, 0), due, CAL, t(2026, 10, 10, 18, 0),
                          [f.key for f in emit])
    assert emit == []


# ---- the sweep ----------------------------------------------------------------------------------------------
class SetClock(Clock):
    def __init__(self, at: datetime):
        super().__init__()
        self.at = at

    def now(self) -> datetime:
        return self.at


def _supervised(bus: Bus, case_id: str) -> list[dict]:
    return [e.payload.model_dump(exclude={"case"}) for e in bus.events("supervised", case_id)]


def test_the_sweep_emits_each_step_once_and_a_tiji_moves_supervision_to_the_county():
    clock = SetClock(t(2026, 11, 23, 9, 0))  # a Monday
    town, county = memory_store(TOWN, clock), memory_store(COUNTY, clock)
    bus = Bus(town)
    report = ReportIn.model_validate({"description": "雨水箅子缺失", "category": "0104", "region": TOWN,
                                      "location": {"lon": 121.07, "lat": 32.08}})
    case_id = submit_report(town, report, source="grid", actor="gridworker:李").case_id
    bus.deliver("received", triage.route_case)
    bus.deliver("triaged", dispatch.dispatch_case)
    bus.deliver("dispatched", supervision.track)
    # 0104 is normal: sign-for within 1 working hour → due 10:00. The default sign chain: 催办 at 10:00, 督办 at
    # 10:30 (half the stage again), 挂牌督办 at 10:45, 提级 at 11:00.
    assert case(town, case_id).status == "dispatched"
    clock.at = t(2026, 11, 23, 10, 0)
    supervision.sweep(town)
    supervision.sweep(town)  # nothing twice
    (urge,) = _supervised(bus, case_id)
    assert (urge["level"], urge["step"], urge["stage"], urge["notify"], urge["channel"], urge["supervisor"]) == \
        (1, "催办", "sign", ["handler", "unit_leader"], ["in_app"], None)
    assert case(town, case_id).supervision_level == 1
    clock.at = t(2026, 11, 23, 11, 5)
    supervision.sweep(town)
    steps = _supervised(bus, case_id)
    assert [(s["step"], s["level"]) for s in steps] == [("催办", 1), ("督办", 2), ("挂牌督办", 3), ("提级", 3)]
    assert steps[-1]["supervisor"] == COUNTY and "parent_center" in steps[-1]["notify"]
    assert steps[-1]["channel"] == ["in_app", "webhook", "sms"]
    clock.at = t(2026, 11, 30, 9, 0)
    supervision.sweep(town)
    assert len(_supervised(bus, case_id)) == 4, "the sign chain has no repeat: nothing more"
    # the handlers were told in the app, once per step (the notification concern reads the same events)
    with Session(town.engine) as s:
        told = s.exec(select(Notification).where(Notification.case_id == case_id,
                                                 Notification.kind == "supervise")).all()
    assert len(told) == 4
    # the county follows the case (数据归集): after the 提级 it is in the county desk's supervision queue
    for name in ("received", "triaged", "dispatched", "overdue", "due_soon", "supervised"):
        for event in bus.events(name, case_id):
            supervision.follow_below(county, event)
    assert [r.case.id for r in queries.queue(county, COUNTY, COUNTY)["supervising"]] == [case_id]
    assert queries.queue(town, TOWN, TOWN)["supervising"] == []


def test_before_the_tiji_the_county_queue_does_not_hold_the_case():
    clock = SetClock(t(2026, 11, 23, 9, 0))
    town, county = memory_store(TOWN, clock), memory_store(COUNTY, clock)
    bus = Bus(town)
    report = ReportIn.model_validate({"description": "雨水箅子缺失", "category": "0104", "region": TOWN,
                                      "location": {"lon": 121.07, "lat": 32.08}})
    case_id = submit_report(town, report, source="grid", actor="gridworker:李").case_id
    bus.deliver("received", triage.route_case)
    bus.deliver("triaged", dispatch.dispatch_case)
    bus.deliver("dispatched", supervision.track)
    clock.at = t(2026, 11, 23, 10, 50)  # 催办, 督办, 挂牌督办 — not yet 提级 (11:00)
    supervision.sweep(town)
    assert [s["step"] for s in _supervised(bus, case_id)] == ["催办", "督办", "挂牌督办"]
    for name in ("received", "triaged", "dispatched", "overdue", "due_soon", "supervised"):
        for event in bus.events(name, case_id):
            supervision.follow_below(county, event)
    assert queries.queue(county, COUNTY, COUNTY)["supervising"] == []


def test_a_manual_supervision_reaching_the_top_is_a_tiji_to_the_parent():
    town = memory_store(TOWN)
    bus = Bus(town)
    report = ReportIn.model_validate({"description": "雨水箅子缺失", "category": "0104", "region": TOWN,
                                      "location": {"lon": 121.07, "lat": 32.08}})
    case_id = submit_report(town, report, source="grid", actor="gridworker:李").case_id
    bus.deliver("received", triage.route_case)
    bus.deliver("triaged", dispatch.dispatch_case)
    for _ in range(3):
        supervision.supervise(town, case_id, "dispatcher:王", note="请加快")
    steps = _supervised(bus, case_id)
    assert [(s["level"], s["supervisor"]) for s in steps] == [(1, None), (2, None), (3, COUNTY)]


def test_an_urgent_case_on_a_holiday_night_escalates_on_natural_time():
    # the urgent sign chain: 催办 at once (repeating every 10 minutes), 督办 after 15 minutes, 提级 after 30
    category = load_catalog().category("1401")  # 路面塌陷, emergency profile: sign 15 minutes
    at = t(2026, 2, 16, 23, 0)  # a Spring Festival night
    plan = on_event(Plan(), "dispatched", {}, at, category, CAL, priority="urgent")
    assert plan.sign_due == t(2026, 2, 16, 23, 15)
    steps = load_rules().chain("sign", "urgent")
    emit, nxt = due_firings("sign", steps, at, plan.sign_due, CAL, t(2026, 2, 16, 23, 46), [])
    # in time order: the first 催办 at the deadline, 督办 15 minutes later, then the latest repeat of 催办 (the
    # 3rd, 23:45) and 提级 (30 minutes after the deadline) together; the next firing is the 4th 催办 at 23:55
    assert [(f.step.level, f.n, f.at) for f in emit] == [
        ("催办", 0, t(2026, 2, 16, 23, 15)), ("督办", 0, t(2026, 2, 16, 23, 30)),
        ("催办", 3, t(2026, 2, 16, 23, 45)), ("提级", 0, t(2026, 2, 16, 23, 45))]
    assert nxt == t(2026, 2, 16, 23, 55) and emit[-1].step.escalates
