from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from services.supervision.domain.deadlines import Plan, late_completion, light_at, on_event
from shared.calendar import WorkCalendar
from shared.catalog import load_catalog

CN = ZoneInfo("Asia/Shanghai")
CAL = WorkCalendar()
CAT = load_catalog().category("0107")


def test_dispatch_sets_sign_and_resolve_deadlines_on_working_time():
    at = datetime(2026, 11, 20, 16, 0, tzinfo=CN)  # a Friday afternoon
    plan = on_event(Plan(), "dispatched", {}, at, CAT, CAL)
    assert plan.stage == "sign" and at < plan.sign_due <= plan.resolve_due
    assert plan.sign_due == CAL.add(at, CAT.deadlines["sign"].amount, CAT.deadlines["sign"].unit)


def test_the_light_turns_yellow_then_red_and_each_warning_is_due_once():
    at = datetime(2026, 11, 23, 9, 0, tzinfo=CN)
    plan = on_event(Plan(), "dispatched", {}, at, CAT, CAL)
    assert light_at(plan, at, CAL).light == "green"
    green = light_at(plan, at, CAL)
    assert green.next_check_at is not None and at < green.next_check_at < plan.sign_due
    yellow = light_at(plan, green.next_check_at, CAL)
    assert yellow.light == "yellow" and yellow.warnings == ("due_soon",)
    red = light_at(plan, plan.sign_due + timedelta(seconds=1), CAL)
    assert red.light == "red" and red.overdue and red.warnings == ("overdue",) and red.next_check_at is None
    plan.warned.append("sign:overdue")
    assert light_at(plan, plan.sign_due + timedelta(hours=1), CAL).warnings == ()


def test_accepting_after_the_sign_deadline_is_charged_as_late():
    at = datetime(2026, 11, 23, 9, 0, tzinfo=CN)
    plan = on_event(Plan(), "dispatched", {}, at, CAT, CAL)
    assert late_completion(plan, "accepted", plan.sign_due + timedelta(minutes=1)) == "sign"
    assert late_completion(plan, "accepted", plan.sign_due - timedelta(minutes=1)) is None


def test_an_approved_extension_moves_the_resolve_deadline():
    at = datetime(2026, 11, 23, 9, 0, tzinfo=CN)
    plan = on_event(Plan(), "dispatched", {}, at, CAT, CAL)
    before = plan.resolve_due
    plan = on_event(plan, "extension_requested", {"working_days": 2}, at, CAT, CAL)
    refused = on_event(plan, "extension_decided", {"approved": False}, at, CAT, CAL)
    assert refused.resolve_due == before and refused.pending_extension is None
    approved = on_event(plan, "extension_decided", {"approved": True}, at, CAT, CAL)
    assert approved.resolve_due == CAL.add_working_days(before, 2)


def test_a_finished_voided_or_approved_returned_case_has_no_deadline():
    at = datetime(2026, 11, 23, 9, 0, tzinfo=CN)
    plan = on_event(Plan(), "dispatched", {}, at, CAT, CAL)
    for name, data in (("closed", {}), ("merged", {}), ("voided", {}), ("return_reviewed", {"approved": True})):
        assert on_event(plan, name, data, at, CAT, CAL).stage is None


def test_a_return_waiting_for_review_or_refused_keeps_the_units_clocks_going():
    at = datetime(2026, 11, 23, 9, 0, tzinfo=CN)
    plan = on_event(Plan(), "dispatched", {}, at, CAT, CAL)
    assert on_event(plan, "returned", {}, at, CAT, CAL) == plan
    assert on_event(plan, "return_reviewed", {"approved": False}, at, CAT, CAL) == plan


def test_an_overdue_stage_climbs_the_default_escalation_chain():
    """The default chain (services/supervision/data/escalation.toml) keeps round 1's ladder — 催办 at the deadline,
    督办 half the stage's time later, 提级 a whole stage's time later — and adds 挂牌督办 at three quarters."""
    from services.supervision.domain.escalation import due_firings, load_rules

    at = datetime(2026, 11, 23, 9, 0, tzinfo=CN)
    plan = on_event(Plan(), "dispatched", {}, at, CAT, CAL)
    span = plan.sign_due - plan.stage_started_at
    steps = load_rules().chain("sign", "high")

    def reached(now, fired=()):
        emit, nxt = due_firings("sign", steps, plan.stage_started_at, plan.sign_due, CAL, now, fired)
        return [f.step.level for f in emit], nxt

    assert reached(plan.sign_due - timedelta(seconds=1)) == ([], plan.sign_due)
    assert reached(plan.sign_due) == (["催办"], plan.sign_due + span * 0.5)
    assert reached(plan.sign_due + span * 0.6) == (["催办", "督办"], plan.sign_due + span * 0.75)
    assert reached(plan.sign_due + span * 3) == (["催办", "督办", "挂牌督办", "提级"], None)
    assert reached(plan.sign_due + span * 3, ["sign:step:0:0", "sign:step:1:0"])[0] == ["挂牌督办", "提级"]
