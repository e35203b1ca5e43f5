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


def test_a_finished_or_returned_case_has_no_deadline():
    at = datetime(2026, 11, 23, 9, 0, tzinfo=CN)
    plan = on_event(Plan(), "dispatched", {}, at, CAT, CAL)
    for name in ("returned", "closed", "merged"):
        assert on_event(plan, name, {}, at, CAT, CAL).stage is None


def test_an_overdue_stage_climbs_the_supervision_ladder():
    from services.supervision.domain.deadlines import ladder

    at = datetime(2026, 11, 23, 9, 0, tzinfo=CN)
    plan = on_event(Plan(), "dispatched", {}, at, CAT, CAL)
    span = plan.sign_due - plan.stage_started_at
    assert ladder(plan, plan.sign_due - timedelta(seconds=1)) == ([], None)
    reached, nxt = ladder(plan, plan.sign_due)
    assert [lvl for lvl, _ in reached] == [1] and nxt == plan.sign_due + span * 0.5
    reached, nxt = ladder(plan, plan.sign_due + span * 0.6)
    assert [lvl for lvl, _ in reached] == [1, 2] and nxt == plan.sign_due + span
    reached, nxt = ladder(plan, plan.sign_due + span * 3)
    assert [lvl for lvl, _ in reached] == [1, 2, 3] and nxt is None and "提级" in reached[-1][1]
