"""The workflow rules of issue 11 items 5-6, pure: the data (services/dispatch/data/workflow.toml) and its checks, the
lifecycle of a reviewed return, of a suspension, a void and 立案审核, and the clocks a suspension pauses."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from services.dispatch.domain.workflow import DATA_FILE as WORKFLOW_FILE
from services.dispatch.domain.workflow import WorkflowRulesError, load_workflow_from, parse_workflow
from services.supervision.domain.deadlines import Plan, light_at, on_event
from shared.calendar import WorkCalendar
from shared.catalog import load_catalog
from shared.lifecycle import machine as m

CN = ZoneInfo("Asia/Shanghai")
CAL = WorkCalendar()
RULES = load_workflow_from(WORKFLOW_FILE)
CAT = load_catalog().category("0107")  # 无主井盖: sign in 30 minutes (natural time), resolve in 1 working day


def walk(state, *cmds):
    for cmd in cmds:
        state, _ = m.apply(state, cmd)
    return state


def dispatched(center="320612001"):
    return walk(m.CaseState(center=center), m.Triage("0107", "normal", "u.a", "r1"), m.Dispatch("u.a"))


# ---- the data ------------------------------------------------------------------------------------------------------
def test_the_packaged_rules_are_12345_practice():
    assert str(RULES.return_window) == "1 working_days"
    assert RULES.reason_name("not_ours") == "非本单位职责"
    assert {"非本单位职责", "地址不清", "重复工单"} <= set(RULES.reason_codes.values())
    assert (RULES.extension.max_count, RULES.extension.max_working_days, RULES.extension.max_hours) == (3, 3, 72)
    assert RULES.extension_limit("1303").max_working_days == 180  # 违法建设: a long-cycle category
    assert RULES.extension_limit("0107") == RULES.extension
    assert RULES.registration == ()  # 立案审核 is off by default


@pytest.mark.parametrize("code", [None, "", "not-a-code", "非本单位职责"])
def test_a_return_reason_must_be_a_known_code_and_the_error_lists_them(code):
    with pytest.raises(m.InvalidCommand, match="not_ours \\(非本单位职责\\)"):
        RULES.reason_name(code)


def test_the_return_window_is_one_working_day_of_dispatch_across_a_weekend_and_a_holiday():
    friday = datetime(2026, 11, 27, 15, 0, tzinfo=CN)
    assert RULES.return_window_ends(friday, CAL) == CAL.add(friday, 1, "working_days")
    assert RULES.return_window_ends(friday, CAL) > datetime(2026, 11, 30, 9, 0, tzinfo=CN)  # into Monday
    before_national_day = datetime(2026, 9, 30, 15, 0, tzinfo=CN)
    assert RULES.return_window_ends(before_national_day, CAL) > datetime(2026, 10, 8, 9, 0, tzinfo=CN)


@pytest.mark.parametrize("doc, key", [
    ({"return": {"window": "one day", "reason_codes": {"a": "A"}}}, "return.window"),
    ({"return": {"window": "1 fortnights", "reason_codes": {"a": "A"}}}, "return.window"),
    ({"return": {"reason_codes": {}}}, "return.reason_codes"),
    ({"return": {"reason_codes": {"a": "A"}}, "extension": {"max_count": 0}}, "extension.max_count"),
    ({"return": {"reason_codes": {"a": "A"}}, "extension": {"max_count": 3, "max_working_days": 3, "max_hours": 72,
                                                            "profiles": {"x": {"categories": "1303"}}}},
     "extension.profiles.x.categories"),
    ({"return": {"reason_codes": {"a": "A"}}, "extension": {"max_count": 3, "max_working_days": 3, "max_hours": 72},
      "registration": {"rules": [{"source": "fax"}]}}, "registration.rules[0].source"),
])
def test_a_bad_rules_file_names_the_key(doc, key):
    with pytest.raises(WorkflowRulesError, match=key.replace("[", "\\[").replace("]", "\\]")):
        parse_workflow(doc, "workflow.toml")


def test_registration_rules_match_every_field_they_name():
    rules = parse_workflow({"return": {"reason_codes": {"a": "A"}},
                            "extension": {"max_count": 3, "max_working_days": 3, "max_hours": 72},
                            "registration": {"rules": [{"source": "sensor"}, {"source": "grid", "categories": ["1101"]},
                                                       {"categories": ["1303"]}]}})
    assert rules.registration_rule("sensor", "1405") is not None
    assert rules.registration_rule("grid", "1101") is not None
    assert rules.registration_rule("grid", "1102") is None
    assert rules.registration_rule("hotline", "1303") is not None
    assert rules.registration_rule("hotline", "1101") is None


# ---- returns under review ------------------------------------------------------------------------------------------
def test_a_return_waits_at_the_unit_for_review_and_approved_goes_back_to_triage_counted():
    s, events = m.apply(dispatched(), m.Return("不归我们管", "not_ours", "权责清单第12条", "非本单位职责"))
    assert events[0].type == "returned"
    assert events[0].data | {} == {"unit": "u.a", "reason": "不归我们管", "reason_code": "not_ours",
                                   "reason_name": "非本单位职责", "basis": "权责清单第12条"}
    assert (s.status, s.unit, s.return_pending, s.return_count) == ("dispatched", "u.a", "not_ours", 0)
    for cmd in (m.Accept(), m.Return("again", "not_ours", "b"), m.Transfer("u.b"), m.Escalate("x", "320612"),
                m.RequestExtension("x", working_days=1), m.Suspend("x")):
        with pytest.raises(m.IllegalTransition, match="review"):
            m.decide(s, cmd)
    s, events = m.apply(s, m.ReviewReturn(True, "确属派错"))
    assert events[0].type == "return_reviewed" and events[0].data["approved"] is True
    assert events[0].data["dispatching_center"] == "320612001" and events[0].data["reason_code"] == "not_ours"
    assert (s.status, s.unit, s.return_count, s.returned_by, s.return_pending) == ("triaged", None, 1, ("u.a",), None)


def test_a_refused_return_leaves_the_case_with_the_unit_which_may_not_return_it_again():
    s = walk(dispatched(), m.Return("不归我们管", "not_ours", "权责清单第12条"), m.ReviewReturn(False, "属你单位职责"))
    assert (s.status, s.unit, s.return_pending, s.return_count) == ("dispatched", "u.a", None, 0)
    with pytest.raises(m.IllegalTransition, match="首办责任单位"):
        m.decide(s, m.Return("还是不归我们", "not_ours", "b", kept=True))
    assert walk(s, m.Accept()).status == "accepted"


def test_a_return_after_the_window_is_refused_and_changes_nothing():
    s = dispatched()
    ends = datetime(2026, 11, 24, 9, 0, tzinfo=CN)
    late = m.Return("晚了", "not_ours", "b", window_ends_at=ends, at=ends + timedelta(seconds=1))
    with pytest.raises(m.IllegalTransition, match="return window"):
        m.apply(s, late)
    assert m.decide(s, m.Return("及时", "not_ours", "b", window_ends_at=ends, at=ends))


def test_no_review_without_a_waiting_return():
    with pytest.raises(m.IllegalTransition, match="no return"):
        m.decide(dispatched(), m.ReviewReturn(True))


# ---- extensions ----------------------------------------------------------------------------------------------------
def test_an_extension_beyond_the_limit_is_invalid_and_names_the_limit():
    s = dispatched()
    with pytest.raises(m.InvalidCommand, match="at most 3 working days"):
        m.decide(s, m.RequestExtension("材料", working_days=4, limit=RULES.extension))
    with pytest.raises(m.InvalidCommand, match="at most 72 hours"):
        m.decide(s, m.RequestExtension("材料", hours=73, limit=RULES.extension))
    long_cycle = RULES.extension_limit("1303")
    assert m.decide(s, m.RequestExtension("拆违程序", working_days=60, limit=long_cycle))
    with pytest.raises(m.InvalidCommand, match="180 working days.*long_cycle"):
        m.decide(s, m.RequestExtension("拆违程序", working_days=181, limit=long_cycle))


def test_the_number_of_extensions_comes_from_the_limit():
    one = m.ExtensionLimit(max_count=1, max_working_days=5, max_hours=10, name="one")
    s = walk(dispatched(), m.RequestExtension("x", working_days=5, limit=one), m.DecideExtension(True))
    with pytest.raises(m.InvalidCommand, match="at most 1 are allowed \\(limit one\\)"):
        m.decide(s, m.RequestExtension("x", working_days=1, limit=one))


# ---- suspension ----------------------------------------------------------------------------------------------------
def test_a_suspension_is_asked_decided_and_resumed_by_hand_or_by_the_units_next_action():
    until = datetime(2026, 12, 1, 9, tzinfo=CN)
    s, events = m.apply(walk(dispatched(), m.Accept()), m.Suspend("等待产权单位确认", until))
    assert events[0].type == "suspension_requested" and events[0].data["until"] == until.isoformat()
    assert (s.suspension, s.suspended_until) == ("requested", until)
    refused = walk(s, m.DecideSuspension(False))
    assert (refused.suspension, refused.suspended_until) == (None, None)
    s, events = m.apply(s, m.DecideSuspension(True))
    assert events[0].data == {"approved": True, "until": until.isoformat(), "unit": "u.a", "note": None}
    assert s.suspension == "suspended"
    for cmd in (m.Return("x", "not_ours", "b"), m.RequestExtension("x", hours=1), m.Suspend("again")):
        with pytest.raises(m.IllegalTransition, match="suspended"):
            m.decide(s, cmd)
    assert walk(s, m.Resume("产权单位已确认")).suspension is None
    s, events = m.apply(s, m.Resolve("已修复"))
    assert [e.type for e in events] == ["resumed", "resolved"] and s.status == "resolved" and s.suspension is None


def test_resume_needs_a_suspended_case():
    with pytest.raises(m.IllegalTransition, match="not suspended"):
        m.decide(dispatched(), m.Resume())


def test_a_pause_moves_the_deadlines_out_by_the_paused_time_natural_or_working():
    at = datetime(2026, 11, 23, 9, 0, tzinfo=CN)  # a Monday
    plan = on_event(Plan(), "dispatched", {}, at, CAT, CAL)
    paused = on_event(plan, "suspension_decided", {"approved": True, "until": None}, at + timedelta(minutes=10),
                      CAT, CAL)
    assert paused.paused_at == at + timedelta(minutes=10) and paused.sign_due == plan.sign_due
    resumed = on_event(paused, "resumed", {}, at + timedelta(minutes=70), CAT, CAL)
    assert resumed.paused_at is None
    assert resumed.sign_due - plan.sign_due == timedelta(hours=1)  # 30 minutes of natural time: moved by the hour
    assert CAL.working_seconds_between(plan.resolve_due, resumed.resolve_due) == 3600  # 1 working day: 1 working hour
    assert resumed.stage_started_at == plan.stage_started_at + timedelta(hours=1)
    assert light_at(resumed, at + timedelta(minutes=75), CAL).light == light_at(plan, at + timedelta(minutes=15),
                                                                                 CAL).light


def test_a_pause_over_a_weekend_costs_a_working_day_clock_only_the_working_time_it_spanned():
    friday = datetime(2026, 11, 27, 16, 0, tzinfo=CN)
    plan = on_event(Plan(), "dispatched", {}, friday, CAT, CAL)
    paused = on_event(plan, "suspension_decided", {"approved": True}, datetime(2026, 11, 27, 17, 0, tzinfo=CN), CAT,
                      CAL)
    resumed = on_event(paused, "resumed", {}, datetime(2026, 11, 30, 9, 30, tzinfo=CN), CAT, CAL)
    assert CAL.working_seconds_between(plan.resolve_due, resumed.resolve_due) == 3600  # 17:00-17:30 and 9:00-9:30


def test_a_suspension_resumed_by_supervision_counts_the_pause_up_to_its_until():
    at = datetime(2026, 11, 23, 9, 0, tzinfo=CN)
    plan = on_event(Plan(), "dispatched", {}, at, CAT, CAL)
    paused = on_event(plan, "suspension_decided", {"approved": True, "until": (at + timedelta(hours=2)).isoformat()},
                      at + timedelta(minutes=10), CAT, CAL)
    assert paused.resume_at == at + timedelta(hours=2)
    late_sweep = at + timedelta(hours=5)
    resumed = on_event(paused, "resumed", {"auto": True, "until": (at + timedelta(hours=2)).isoformat()}, late_sweep,
                       CAT, CAL)
    assert resumed.sign_due - plan.sign_due == timedelta(minutes=110)
    s = walk(dispatched(), m.Suspend("等待", at + timedelta(hours=2)), m.DecideSuspension(True))
    _, events = m.apply(s, m.Resume("到期", auto=True))
    assert events[0].data["until"] == (at + timedelta(hours=2)).isoformat() and events[0].data["auto"] is True


def test_a_refused_suspension_does_not_pause_and_a_deadline_already_past_stays():
    at = datetime(2026, 11, 23, 9, 0, tzinfo=CN)
    plan = on_event(Plan(), "dispatched", {}, at, CAT, CAL)
    assert on_event(plan, "suspension_decided", {"approved": False}, at, CAT, CAL).paused_at is None
    late = at + timedelta(hours=2)  # after the 30-minute sign deadline
    paused = on_event(plan, "suspension_decided", {"approved": True}, late, CAT, CAL)
    resumed = on_event(paused, "resumed", {}, late + timedelta(hours=1), CAT, CAL)
    assert resumed.sign_due == plan.sign_due and resumed.resolve_due > plan.resolve_due


# ---- void and 立案审核 ----------------------------------------------------------------------------------------------
def test_a_case_can_be_voided_before_it_is_signed_for_and_not_after():
    s, events = m.apply(dispatched(), m.Void("测试消息"))
    assert events[0].type == "voided" and s.status == "voided" and s.status in m.FINAL
    with pytest.raises(m.IllegalTransition, match="before a unit signs"):
        m.decide(walk(dispatched(), m.Accept()), m.Void("太晚"))
    with pytest.raises(m.IllegalTransition, match="voided"):
        m.decide(s, m.Accept())
    assert walk(m.CaseState(center="c"), m.Void("空白")).status == "voided"


def test_registration_holds_a_triaged_case_until_a_dispatcher_approves_it():
    s = walk(m.CaseState(center="c"), m.Triage("0107", "normal", "u.a", "r1"), m.RequestRegistration("sensor"))
    assert s.registration_pending
    with pytest.raises(m.IllegalTransition, match="立案审核"):
        m.decide(s, m.Dispatch("u.a"))
    approved, events = m.apply(s, m.Register(True))
    assert events[0].type == "registered" and not approved.registration_pending
    assert walk(approved, m.Dispatch("u.a")).status == "dispatched"
    with pytest.raises(m.InvalidCommand, match="reason"):
        m.decide(s, m.Register(False))
    refused, events = m.apply(s, m.Register(False, "不属于受理范围"))
    assert events[0].type == "rejected" and refused.status == "rejected" and not refused.registration_pending
