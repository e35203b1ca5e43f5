"""The workflow rules of issue 11 items 5-6 through HTTP, against a center started as a process (real RabbitMQ and
PostgreSQL): returns only within the window, with a known reason code and a basis, reviewed by the dispatching center
(approved: routed again and counted; refused: the unit keeps the case); extension limits per category; suspension
(挂账) pausing the clocks, the deadline moved out by the paused time; void (作废) before a unit signs and not after;
立案审核 when the rules switch it on. Every new action lands in the audit chain."""
import time
from datetime import datetime, timedelta

import pytest

from services.supervision.domain.deadlines import calendar_for
from shared.calendar import default_calendar
from shared.catalog import load_catalog
from tests.e2e.test_center_http import ADMIN, Center, auth
from tests.support import somewhere, wait_until

REGION = "320613007"       # a township no other test runs
REVIEWED = "320613008"     # a township whose rules switch 立案审核 on for the desk's 暴露垃圾 reports
BASIS = "《金沙街道权责清单》第12条：井盖由产权单位负责"


@pytest.fixture(scope="module")
def center(amqp_uri, database_url):
    c = Center(REGION, amqp_uri, database_url)
    yield c
    assert c.stop() == 0, "SIGTERM drains and exits 0\n" + c.tail()


@pytest.fixture(scope="module")
def reviewed(amqp_uri, database_url, tmp_path_factory):
    rules = tmp_path_factory.mktemp("workflow") / "workflow.toml"
    rules.write_text('[return]\nwindow = "1 working_days"\n[return.reason_codes]\nnot_ours = "非本单位职责"\n'
                     '[[registration.rules]]\nsource = "desk"\ncategories = ["1101"]\n', encoding="utf-8")
    c = Center(REVIEWED, amqp_uri, database_url, extra_env={"YIWANG_WORKFLOW_FILE": str(rules)})
    yield c
    assert c.stop() == 0, "SIGTERM drains and exits 0\n" + c.tail()


@pytest.fixture(scope="module")
def desk(center):
    return center.token("dispatcher")


def _move_clock(center, seconds: float) -> None:
    """Set the center's clock offset; its processes read it at most once a second (shared/clock.py), so this waits
    until every one has (a wait for a known refresh, not a timing assertion)."""
    with open(center.clock.name, "w") as f:
        f.write(str(seconds))
    time.sleep(1.3)


def _get(center, headers, case_id) -> dict:
    r = center.http.get(f"/api/v1/cases/{case_id}", headers=headers)
    assert r.status_code == 200, r.text
    return r.json()


def _report(center, headers, category="0107", region=None) -> str:
    body = {"description": "小区门口井盖破损，晚上路过很危险", "category": category, "region": region or center.region,
            "location": somewhere(120.95, 32.05, address="人民路12号")}
    r = center.http.post("/api/v1/reports", headers=headers, json=body)
    assert r.status_code == 202, r.text
    return r.json()["case_id"]


def _dispatched(center, desk, category="0107") -> tuple[str, dict, dict]:
    """A new case, dispatched: its id, the case, and a handler token of its unit."""
    case_id = _report(center, desk, category)
    case = wait_until(lambda: (c := _get(center, desk, case_id))["status"] == "dispatched" and c, timeout=30,
                      what="dispatched")
    return case_id, case, center.token("handler", unit=case["unit"])


def _act(center, headers, case_id, action, body=None):
    return center.http.post(f"/api/v1/cases/{case_id}/{action}", headers=headers, json=body or {})


def _types(case) -> list[str]:
    return [t["type"] for t in case["timeline"]]


def _audited(center, case_id) -> set[str]:
    """The actions of the center's audit chain on this case."""
    actions, page = set(), 1
    while True:
        r = center.http.get("/api/v1/audit", headers=auth(ADMIN), params={"page_size": 100, "page": page})
        assert r.status_code == 200, r.text
        body = r.json()
        actions |= {e["action"] for e in body["items"] if e["subject"].get("case_id") == case_id}
        if page * 100 >= body["total"]:
            return actions
        page += 1


# ---- returns (退单) with review ----------------------------------------------------------------------------------
def test_a_return_without_a_known_reason_code_or_a_basis_is_refused_and_changes_nothing(center, desk):
    case_id, before, handler = _dispatched(center, desk)
    r = _act(center, handler, case_id, "return", {"reason": "不归我们管"})
    assert r.status_code == 422 and r.json()["error"]["code"] == "validation_failed", r.text
    r = _act(center, handler, case_id, "return", {"reason": "不归我们管", "reason_code": "nope", "basis": BASIS})
    assert r.status_code == 422 and "not_ours (非本单位职责)" in r.json()["error"]["message"], r.text
    r = _act(center, handler, case_id, "return", {"reason": "不归我们管", "reason_code": "not_ours", "basis": " "})
    assert r.status_code == 422, r.text
    after = _get(center, desk, case_id)
    assert (after["status"], after["unit"], after["return_pending"], _types(after)) == (
        "dispatched", before["unit"], None, _types(before))


def test_an_approved_return_is_routed_again_and_counted(center, desk):
    case_id, case, handler = _dispatched(center, desk)
    first_unit = case["unit"]
    r = _act(center, handler, case_id, "return", {"reason": "井盖属自来水公司", "reason_code": "not_ours",
                                                   "basis": BASIS})
    assert r.status_code == 200, r.text
    waiting = r.json()
    assert (waiting["status"], waiting["unit"], waiting["return_pending"], waiting["return_count"]) == (
        "dispatched", first_unit, "not_ours", 0)
    returned = [t for t in waiting["timeline"] if t["type"] == "returned"][-1]
    assert returned["data"] | {"reason": returned["note"]} == {
        "unit": first_unit, "reason_code": "not_ours", "reason_name": "非本单位职责", "basis": BASIS,
        "reason": "井盖属自来水公司"}
    assert _act(center, handler, case_id, "accept").status_code == 409  # waits for the review
    assert _act(center, handler, case_id, "review-return", {"approved": True}).status_code == 403

    r = _act(center, desk, case_id, "review-return", {"approved": True, "note": "确属派错"})
    assert r.status_code == 200, r.text
    again = wait_until(lambda: (c := _get(center, desk, case_id))["status"] == "dispatched"
                       and c["unit"] != first_unit and c, timeout=30, what="routed again to another unit")
    assert again["return_count"] == 1 and again["return_pending"] is None
    (review,) = [t for t in again["timeline"] if t["type"] == "return_reviewed"]
    assert review["data"]["approved"] is True and review["data"]["dispatching_center"] == REGION
    assert review["data"]["reason_code"] == "not_ours" and review["unit"] == first_unit
    assert _types(again)[-4:] == ["returned", "return_reviewed", "triaged", "dispatched"]
    wait_until(lambda: {"case.returned", "case.return_reviewed"} <= _audited(center, case_id), what="audited")


def test_a_refused_return_leaves_the_case_with_the_unit_as_its_first_owner(center, desk):
    case_id, case, handler = _dispatched(center, desk)
    body = {"reason": "不归我们管", "reason_code": "not_ours", "basis": BASIS}
    assert _act(center, handler, case_id, "return", body).status_code == 200
    r = _act(center, desk, case_id, "review-return", {"approved": False, "note": "属你单位职责，请办理"})
    assert r.status_code == 200, r.text
    kept = r.json()
    assert (kept["status"], kept["unit"], kept["return_pending"], kept["return_count"]) == (
        "dispatched", case["unit"], None, 0)
    assert kept["deadlines"] == case["deadlines"]  # its clocks go on as they were
    r = _act(center, handler, case_id, "return", body)
    assert r.status_code == 409 and "首办责任单位" in r.json()["error"]["message"], r.text
    assert _act(center, desk, case_id, "review-return", {"approved": True}).status_code == 409  # nothing waits
    assert _act(center, handler, case_id, "accept").json()["status"] == "accepted"


def test_a_return_after_the_window_is_refused_and_changes_nothing(center, desk):
    case_id, case, handler = _dispatched(center, desk)
    _move_clock(center, 20 * 86400)  # twenty days on: past one working day, whatever the holidays
    try:
        r = _act(center, handler, case_id, "return", {"reason": "不归我们管", "reason_code": "not_ours",
                                                       "basis": BASIS})
        assert r.status_code == 409 and "return window" in r.json()["error"]["message"], r.text
    finally:
        _move_clock(center, 0)
    after = _get(center, desk, case_id)
    assert after["return_pending"] is None and "returned" not in _types(after)


# ---- extensions (延期) --------------------------------------------------------------------------------------------
def test_extensions_are_limited_by_the_rules_and_a_request_beyond_names_the_limit(center, desk):
    case_id, _, handler = _dispatched(center, desk)
    assert _act(center, handler, case_id, "accept").status_code == 200
    r = _act(center, handler, case_id, "extend", {"reason": "等待配件", "working_days": 4})
    assert r.status_code == 422 and "at most 3 working days" in r.json()["error"]["message"], r.text
    r = _act(center, handler, case_id, "extend", {"reason": "等待配件", "hours": 73})
    assert r.status_code == 422 and "at most 72 hours" in r.json()["error"]["message"], r.text
    for n in range(3):
        assert _act(center, handler, case_id, "extend", {"reason": "等待配件", "working_days": 1}).status_code == 200
        r = _act(center, desk, case_id, "decide-extension", {"approved": True})
        assert r.status_code == 200 and r.json()["extension_count"] == n + 1, r.text
    r = _act(center, handler, case_id, "extend", {"reason": "等待配件", "working_days": 1})
    assert r.status_code == 422 and "at most 3 are allowed" in r.json()["error"]["message"], r.text
    after = _get(center, desk, case_id)
    assert (after["extension_count"], after["extension_pending"]) == (3, False)


def test_a_long_cycle_category_may_have_a_longer_extension(center, desk):
    case_id, _, handler = _dispatched(center, desk, category="1303")  # 违法建设: long_cycle in the rules
    assert _act(center, handler, case_id, "accept").status_code == 200
    r = _act(center, handler, case_id, "extend", {"reason": "拆违需履行法定程序", "working_days": 60})
    assert r.status_code == 200 and r.json()["extension_pending"] is True, r.text
    assert _act(center, handler, case_id, "decide-extension", {"approved": True}).status_code == 403


# ---- suspension (挂账/缓办) -----------------------------------------------------------------------------------------
def test_a_suspension_pauses_the_clock_and_the_deadline_moves_out_by_the_paused_time(center, desk):
    case_id, case, handler = _dispatched(center, desk)
    assert _act(center, handler, case_id, "accept").status_code == 200
    accepted = wait_until(lambda: (c := _get(center, desk, case_id))["deadlines"]["resolve"] and c, what="timed")
    due_before = datetime.fromisoformat(accepted["deadlines"]["resolve"])
    until = (datetime.now().astimezone() + timedelta(days=10)).replace(microsecond=0)
    r = _act(center, handler, case_id, "suspend", {"reason": "等待产权单位确认", "until": until.isoformat()})
    assert r.status_code == 200 and r.json()["suspension"] == "requested", r.text
    assert _act(center, handler, case_id, "decide-suspension", {"approved": True}).status_code == 403
    r = _act(center, desk, case_id, "decide-suspension", {"approved": True})
    assert r.status_code == 200 and r.json()["suspension"] == "suspended", r.text
    r = _act(center, handler, case_id, "extend", {"reason": "x", "working_days": 1})
    assert r.status_code == 409 and "suspended" in r.json()["error"]["message"], r.text

    _move_clock(center, 11 * 86400)  # past `until`: supervision resumes it by itself
    try:
        resumed = wait_until(lambda: (c := _get(center, desk, case_id))["suspension"] is None
                             and "resumed" in _types(c) and c, timeout=30, what="resumed at until")
        moved = wait_until(lambda: (c := _get(center, desk, case_id))["deadlines"]["resolve"]
                           != accepted["deadlines"]["resolve"] and c, timeout=30, what="the deadline moved")
    finally:
        _move_clock(center, 0)
    (decided,) = [t for t in resumed["timeline"] if t["type"] == "suspension_decided"]
    (auto,) = [t for t in resumed["timeline"] if t["type"] == "resumed"]
    assert auto["data"]["auto"] is True and datetime.fromisoformat(auto["data"]["until"]) == until
    paused_at = datetime.fromisoformat(decided["at"])
    due_after = datetime.fromisoformat(moved["deadlines"]["resolve"])
    cal = calendar_for(default_calendar(), load_catalog().unit_hours(case["unit"]))  # the unit's clock
    paused = cal.working_seconds_between(paused_at, until)
    assert paused > 0 and due_after > due_before
    assert abs(cal.working_seconds_between(due_before, due_after) - paused) < 1, (due_before, due_after, paused)
    wait_until(lambda: {"case.suspension_requested", "case.suspension_decided", "case.resumed"}
               <= _audited(center, case_id), what="audited")


def test_a_suspension_refused_or_resumed_by_hand(center, desk):
    case_id, _, handler = _dispatched(center, desk)
    assert _act(center, handler, case_id, "suspend", {"reason": "等待产权单位确认"}).status_code == 200
    r = _act(center, desk, case_id, "decide-suspension", {"approved": False, "note": "请先处置"})
    assert r.status_code == 200 and r.json()["suspension"] is None, r.text
    assert _act(center, handler, case_id, "resume").status_code == 409  # not suspended
    assert _act(center, handler, case_id, "suspend", {"reason": "产权单位无人"}).status_code == 200
    assert _act(center, desk, case_id, "decide-suspension", {"approved": True}).status_code == 200
    r = _act(center, handler, case_id, "accept", {"note": "已联系上产权单位"})  # the unit's next action resumes it
    assert r.status_code == 200 and (r.json()["status"], r.json()["suspension"]) == ("accepted", None), r.text
    assert _types(r.json())[-2:] == ["resumed", "accepted"]
    r = _act(center, handler, case_id, "suspend", {"reason": "x", "until": "2020-01-01T00:00:00+08:00"})
    assert r.status_code == 422 and "future" in r.json()["error"]["message"], r.text


# ---- void (作废) -----------------------------------------------------------------------------------------------------
def test_a_dispatcher_voids_an_invalid_case_before_it_is_signed_for_and_not_after(center, desk):
    case_id, _, handler = _dispatched(center, desk)
    assert _act(center, handler, case_id, "void", {"reason": "测试消息"}).status_code == 403
    assert _act(center, desk, case_id, "void", {}).status_code == 422
    r = _act(center, desk, case_id, "void", {"reason": "测试消息，误派"})
    assert r.status_code == 200 and r.json()["status"] == "voided", r.text
    voided = [t for t in r.json()["timeline"] if t["type"] == "voided"][-1]
    assert voided["note"] == "测试消息，误派"
    assert _act(center, handler, case_id, "accept").status_code == 409
    listed = center.http.get("/api/v1/cases", headers=desk, params={"status": "voided"}).json()
    assert case_id in [c["id"] for c in listed["items"]]

    signed_id, _, signed_handler = _dispatched(center, desk)
    assert _act(center, signed_handler, signed_id, "accept").status_code == 200
    r = _act(center, desk, signed_id, "void", {"reason": "太晚了"})
    assert r.status_code == 409 and "before a unit signs" in r.json()["error"]["message"], r.text
    assert _get(center, desk, signed_id)["status"] == "accepted"
    wait_until(lambda: "case.voided" in _audited(center, case_id), what="audited")


# ---- 立案审核 -------------------------------------------------------------------------------------------------------
def test_registration_review_holds_the_cases_the_rules_name_until_a_dispatcher_approves(reviewed):
    desk = reviewed.token("dispatcher")
    held = _report(reviewed, desk, category="1101")
    case = wait_until(lambda: (c := _get(reviewed, desk, held))["registration_pending"] and c, timeout=30,
                      what="waiting for 立案审核")
    assert case["status"] == "triaged" and _types(case)[-1] == "registration_requested"
    free = _report(reviewed, desk, category="0107")  # a category the rules do not name: dispatched at once
    wait_until(lambda: _get(reviewed, desk, free)["status"] == "dispatched", timeout=30, what="dispatched")
    assert "registration_requested" not in _types(_get(reviewed, desk, free))

    handler = reviewed.token("handler", unit=case["unit"])
    assert _act(reviewed, handler, held, "register", {"approved": True}).status_code == 403
    r = _act(reviewed, desk, held, "register", {"approved": True, "note": "核实无误，予以立案"})
    assert r.status_code == 200, r.text
    done = wait_until(lambda: (c := _get(reviewed, desk, held))["status"] == "dispatched" and c, timeout=30,
                      what="dispatched after 立案审核")
    assert _types(done)[-2:] == ["registered", "dispatched"] and not done["registration_pending"]

    refused = _report(reviewed, desk, category="1101")
    wait_until(lambda: _get(reviewed, desk, refused)["registration_pending"], timeout=30, what="waiting")
    assert _act(reviewed, desk, refused, "register", {"approved": False}).status_code == 422
    r = _act(reviewed, desk, refused, "register", {"approved": False, "reason": "重复上报，不予立案"})
    assert r.status_code == 200 and r.json()["status"] == "rejected", r.text
