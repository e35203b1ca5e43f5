"""12345 both ways against a center process and the platform simulator (`app.simulators.hotline`): signed orders
in, updates out in order, visits (回访) closing or reopening cases, 并单 of a caller into a grid worker's case, and
a platform that is down across a restart of the sender."""
import json
import time
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from app.simulators.hotline import HotlineSimulator
from shared.clock import CHINA
from shared.contracts.signing import sign
from tests.e2e.test_center_http import Center, _free_port, _handler, _wait_status
from tests.support import somewhere, wait_until

TOWN, OTHER = "320612001", "320612002"
SECRET = "e2e-hotline-secret-0123456789"
PHONE = "13911112222"


def _env(sim_port):
    return {"YIWANG_HOTLINE_SECRET": SECRET, "YIWANG_HOTLINE_URL": f"http://127.0.0.1:{sim_port}",
            "YIWANG_HOTLINE_POLL_SECONDS": "0.2"}


def _start(region, amqp_uri, database_url):
    port = _free_port()
    center = Center(region, amqp_uri, database_url, extra_env=_env(port))
    try:
        token = center.token("hotline")["Authorization"].split()[1]
        sim = HotlineSimulator(str(center.http.base_url), token, SECRET, port=port, seed=7, visit_delay=0.3,
                               mix={"satisfied": 1.0}).start()
    except BaseException:
        center.stop()  # never leave a center process behind
        raise
    return center, sim


@pytest.fixture(scope="module")
def town(amqp_uri, database_url):
    center, sim = _start(TOWN, amqp_uri, database_url)
    yield center, sim
    sim.stop()
    assert center.stop() == 0, center.tail()


@pytest.fixture(scope="module")
def staff(town):
    center, _ = town
    return {"dispatcher": center.token("dispatcher"), "viewer": center.token("viewer"),
            "grid": center.token("gridworker"), "hotline": center.token("hotline")}


_orders = iter(range(1, 10_000))


def order(**changes) -> dict:
    n = next(_orders)
    now = datetime.now(CHINA).replace(microsecond=0)
    body = {"order_no": f"12345-E2E-{int(time.time())}-{n:04d}", "channel": "phone", "kind": "complaint",
            "title": "井盖破损", "content": "小区门口的污水井盖破损，晚上路过很危险，请尽快处理",
            "caller": {"name": "刘先生", "phone": PHONE}, "address": "人民路88号", "location": somewhere(),
            "category": "0107", "urgent": False, "received_at": now.isoformat()}
    body.update(changes)
    return body


def signed_post(center, path, body, headers, raw=None, at=None):
    raw = raw if raw is not None else json.dumps(body, ensure_ascii=False).encode()
    return center.http.post(path, content=raw, headers={**headers, "Content-Type": "application/json",
                                                         **sign(raw, SECRET, now=at)})


def _updates(sim, order_no, want, timeout=30):
    """The statuses the platform recorded for the order, once they begin with `want`."""
    deadline = time.monotonic() + timeout
    got = []
    while time.monotonic() < deadline:
        got = next((o["updates"] for o in sim.state()["orders"] if o["order_no"] == order_no), [])
        if got[:len(want)] == want:
            return got
        time.sleep(0.2)
    raise AssertionError(f"order {order_no}: updates {got}, wanted {want}")


def _sent_for(database_url, order_no) -> list[tuple[str, str]]:
    """(status, case_id) of the updates the center sent for an order, in order."""
    engine = sa.create_engine(database_url.replace("{region}", TOWN).replace("postgresql://", "postgresql+psycopg2://"))
    with engine.connect() as db:
        rows = db.execute(sa.text("SELECT status, case_id FROM hotline_update WHERE order_no = :o AND sent_at IS NOT "
                                  "NULL ORDER BY at, id"), {"o": order_no}).all()
    engine.dispose()
    return [tuple(r) for r in rows]


def _cases(center, headers):
    return center.http.get("/api/v1/cases", params={"page_size": 100}, headers=headers).json()["total"]


def test_an_urgent_order_becomes_a_hotline_case_with_a_thirty_minute_sign_deadline(town, staff, database_url):
    center, sim = town
    body = order(urgent=True, kind="help", title="路面塌陷", content=f"路口路面突然塌陷，车辆无法通行，请回电{PHONE}")
    case_id = sim.push(body)
    case = _wait_status(center, staff["viewer"], case_id, "dispatched")
    assert case["source"] == "hotline" and case["external_ref"] == body["order_no"] and case["priority"] == "urgent"
    assert "请回电139****2222" in case["description"], "a number in the caller's words is masked as well"
    dispatched = next(t["at"] for t in case["timeline"] if t["type"] == "dispatched")
    sign_due = datetime.fromisoformat(case["deadlines"]["sign"])
    assert sign_due <= datetime.fromisoformat(dispatched) + timedelta(minutes=30)
    assert case["reporters"][0]["phone"] == "139****2222", "masked for a viewer"
    full = center.http.get(f"/api/v1/cases/{case_id}", headers=staff["dispatcher"]).json()
    assert full["reporters"][0]["phone"] == PHONE and full["reporters"][0]["external_ref"] == body["order_no"]
    engine = sa.create_engine(database_url.replace("{region}", TOWN).replace("postgresql://", "postgresql+psycopg2://"))
    with engine.connect() as db:
        bodies = db.execute(sa.text("SELECT body FROM outbox WHERE case_id = :c"), {"c": case_id}).scalars().all()
        stored = db.execute(sa.text("SELECT phone_sealed FROM reporter WHERE case_id = :c"), {"c": case_id}).scalar()
    engine.dispose()
    assert bodies and not any(PHONE in b for b in bodies), "the phone number is never in an event"
    assert stored and PHONE not in stored, "stored encrypted"
    assert PHONE not in center.tail(10**6), "nor in the logs"


def test_bad_signature_stale_timestamp_and_replay_are_refused_and_change_nothing(town, staff):
    center, _ = town
    h = staff["hotline"]
    body = order()
    raw = json.dumps(body, ensure_ascii=False).encode()
    before = _cases(center, staff["dispatcher"])
    forged = center.http.post("/api/v1/hotline/orders", content=raw, headers={
        **h, "Content-Type": "application/json", **sign(raw, "not-the-shared-secret-000")})
    assert forged.status_code == 401 and forged.json()["error"]["code"] == "signature_invalid"
    stale = signed_post(center, "/api/v1/hotline/orders", body, h, at=time.time() - 600)
    assert stale.status_code == 401 and stale.json()["error"]["code"] == "timestamp_stale"
    unsigned = center.http.post("/api/v1/hotline/orders", content=raw, headers={**h, "Content-Type": "application/json"})
    assert unsigned.status_code == 401
    assert _cases(center, staff["dispatcher"]) == before, "nothing stored"
    headers = {**h, "Content-Type": "application/json", **sign(raw, SECRET)}
    first = center.http.post("/api/v1/hotline/orders", content=raw, headers=headers)
    assert first.status_code == 202
    retry = center.http.post("/api/v1/hotline/orders", content=raw, headers=headers)  # the platform timed out
    assert retry.status_code == 200 and retry.json() == first.json(), "an honest retry answers its case"
    moved = {**headers, "X-Yiwang-Timestamp": str(int(time.time()) + 60)}  # a captured request, re-stamped
    replay = center.http.post("/api/v1/hotline/orders", content=raw, headers=moved)
    assert replay.status_code == 401 and replay.json()["error"]["code"] == "signature_invalid"
    again = signed_post(center, "/api/v1/hotline/orders", {**body, "content": body["content"] + "（再次来电）"}, h)
    assert again.status_code == 200 and again.json()["case_id"] == first.json()["case_id"], "idempotent by order_no"
    assert _cases(center, staff["dispatcher"]) == before + 1
    wrong_role = signed_post(center, "/api/v1/hotline/orders", order(), staff["dispatcher"])
    assert wrong_role.status_code == 403


@pytest.mark.parametrize("change, status, code", [
    ({"order_no": ""}, 422, "validation_failed"),
    ({"channel": "fax"}, 422, "validation_failed"),
    ({"kind": "praise"}, 422, "validation_failed"),
    ({"caller": {"name": "刘"}}, 422, "validation_failed"),
    ({"caller": {"phone": "12345"}}, 422, "validation_failed"),
    ({"urgent": "yes"}, 422, "validation_failed"),
    ({"received_at": "2026-11-23 09:00"}, 422, "validation_failed"),
    ({"location": {"lon": 2.35, "lat": 48.85}}, 422, "validation_failed"),
    ({"category": "9876"}, 422, "unknown_category"),
    ({"region": "110101001"}, 422, "unknown_region"),
    ({"content": "井盖\x00坏了"}, 422, "validation_failed"),
    ({"surprise": 1}, 422, "validation_failed"),
])
def test_every_field_of_an_order_is_validated_and_nothing_is_stored(town, staff, change, status, code):
    center, _ = town
    before = _cases(center, staff["dispatcher"])
    body = order()
    body.update(change)
    if "caller" in change:
        body["caller"] = change["caller"]
    r = signed_post(center, "/api/v1/hotline/orders", body, staff["hotline"])
    assert r.status_code == status and r.json()["error"]["code"] == code, r.text
    assert _cases(center, staff["dispatcher"]) == before


def test_malformed_and_oversized_bodies_are_refused(town, staff):
    center, _ = town
    r = signed_post(center, "/api/v1/hotline/orders", None, staff["hotline"], raw=b"{not json")
    assert r.status_code == 400 and r.json()["error"]["code"] == "malformed_request"
    r = signed_post(center, "/api/v1/hotline/orders", None, staff["hotline"], raw=b"{" + b" " * (2 * 1024 * 1024) + b"}")
    assert r.status_code == 413


def test_updates_reach_the_platform_in_order_and_a_satisfied_visit_closes_the_case(town, staff, database_url):
    center, sim = town
    body = order()
    case_id = sim.push(body)
    case = _wait_status(center, staff["viewer"], case_id, "dispatched")
    handler = _handler(center, case)
    assert center.http.post(f"/api/v1/cases/{case_id}/accept", headers=handler, json={}).status_code == 200
    assert center.http.post(f"/api/v1/cases/{case_id}/resolve", headers=handler, json={"note": "已更换井盖"}).status_code == 200
    r = center.http.post(f"/api/v1/cases/{case_id}/verify", headers=staff["dispatcher"], json={"passed": True})
    assert r.status_code == 200
    closed = _wait_status(center, staff["viewer"], case_id, "closed")  # after the simulator's visit: satisfied
    assert closed["satisfaction"] == "satisfied"
    visit = next(t for t in closed["timeline"] if t["type"] == "visited")
    assert visit["data"]["resolved"] is True and visit["data"]["satisfaction"] == "satisfied"
    _updates(sim, body["order_no"], ["dispatched", "accepted", "resolved", "closed"])
    assert {c for _, c in _sent_for(database_url, body["order_no"])} == {case_id}
    totals = sim.state()["totals"]
    assert totals["out_of_order"] == 0 and totals["bad_signatures"] == 0
    month = datetime.now(CHINA).strftime("%Y-%m")
    rows = center.http.get("/api/v1/evaluation", params={"period": month}, headers=staff["viewer"]).json()["rows"]
    row = next(r for r in rows if r["unit"] == case["unit"])
    assert case_id in row["satisfaction_rate"]["numerator_cases"] and case_id in row["solve_rate"]["numerator_cases"]
    assert case_id in row["response_rate"]["numerator_cases"]


def _messages(database_url, order_no) -> list[tuple[str, str]]:
    """(status, message) of the updates the center owes or sent for an order, in order."""
    engine = sa.create_engine(database_url.replace("{region}", TOWN).replace("postgresql://", "postgresql+psycopg2://"))
    with engine.connect() as db:
        rows = db.execute(sa.text("SELECT status, message FROM hotline_update WHERE order_no = :o ORDER BY at, id"),
                          {"o": order_no}).all()
    engine.dispose()
    return [tuple(r) for r in rows]


RETURN = {"reason": "经核实不属本单位职责", "reason_code": "not_ours", "basis": "《通州区城市管理权责清单》第3条"}


def test_the_platform_hears_returned_only_once_the_return_is_approved_and_a_void_as_closed(town, staff, database_url):
    center, sim = town
    desk = staff["dispatcher"]
    refused, approved, voided = order(), order(), order()
    cases = {o["order_no"]: sim.push(o) for o in (refused, approved, voided)}
    for o in (refused, approved):
        case_id = cases[o["order_no"]]
        case = _wait_status(center, staff["viewer"], case_id, "dispatched")
        r = center.http.post(f"/api/v1/cases/{case_id}/return", headers=_handler(center, case), json=RETURN)
        assert r.status_code == 200 and r.json()["return_pending"] == "not_ours", r.text
    r = center.http.post(f"/api/v1/cases/{cases[refused['order_no']]}/review-return", headers=desk,
                         json={"approved": False, "note": "属你单位职责"})
    assert r.status_code == 200, r.text
    r = center.http.post(f"/api/v1/cases/{cases[approved['order_no']]}/review-return", headers=desk,
                         json={"approved": True, "note": "理由成立"})
    assert r.status_code == 200, r.text
    _updates(sim, approved["order_no"], ["dispatched", "returned"])  # on the approval, not on the unit's request
    case_id = cases[voided["order_no"]]
    _wait_status(center, staff["viewer"], case_id, "dispatched")
    r = center.http.post(f"/api/v1/cases/{case_id}/void", headers=desk, json={"reason": "测试工单"})
    assert r.status_code == 200, r.text
    _updates(sim, voided["order_no"], ["dispatched", "closed"])
    assert _messages(database_url, voided["order_no"])[-1] == ("closed", "工单已作废，不再办理（测试工单）")
    # the refused return changed nothing the platform follows (its review went before the approved one's update)
    assert [s for s, _ in _messages(database_url, refused["order_no"])] == ["dispatched"]
    assert _updates(sim, refused["order_no"], ["dispatched"]) == ["dispatched"]
    returned = [m for s, m in _messages(database_url, approved["order_no"]) if s == "returned"]
    assert len(returned) == 1 and "经审核同意" in returned[0]


def _visit(center, staff, order_no, satisfaction, resolved=False):
    body = {"order_no": order_no, "resolved": resolved, "satisfaction": satisfaction, "comment": "还是没修好",
            "visited_at": datetime.now(CHINA).isoformat()}  # a new visit is a new body: never a replay
    return signed_post(center, "/api/v1/hotline/visits", body, staff["hotline"])


def test_a_dissatisfied_visit_reopens_the_case_once_then_goes_to_a_leader(town, staff):
    center, sim = town
    body = order()
    case_id = sim.push(body)
    case = _wait_status(center, staff["viewer"], case_id, "dispatched")
    handler = _handler(center, case)
    center.http.post(f"/api/v1/cases/{case_id}/accept", headers=handler, json={})
    center.http.post(f"/api/v1/cases/{case_id}/resolve", headers=handler, json={"note": "已处理"})
    center.http.post(f"/api/v1/cases/{case_id}/verify", headers=staff["dispatcher"], json={"passed": True})
    # the simulator visits as satisfied unless we answer first; close it or not, the next visit decides
    visit = {"order_no": body["order_no"], "resolved": False, "satisfaction": "dissatisfied", "comment": "没修好",
             "visited_at": datetime.now(CHINA).isoformat()}
    r = signed_post(center, "/api/v1/hotline/visits", visit, staff["hotline"])
    assert r.status_code == 202, r.text
    time.sleep(1.1)  # the same visit sent again later, signed afresh (a retry, or a captured request re-signed)
    again = signed_post(center, "/api/v1/hotline/visits", visit, staff["hotline"])
    assert again.status_code == 200 and again.json() == {"case_id": case_id, "duplicate": True}
    reopened = _wait_status(center, staff["viewer"], case_id, "dispatched")
    assert reopened["rework_count"] == 1
    assert [t["type"] for t in reopened["timeline"]].count("visited") == 1, "the visit applied once"
    assert any(t["type"] == "reopened" and "回访不满意" in (t.get("note") or "") for t in reopened["timeline"])
    center.http.post(f"/api/v1/cases/{case_id}/accept", headers=handler, json={})
    center.http.post(f"/api/v1/cases/{case_id}/resolve", headers=handler, json={"note": "再次处理"})
    r = _visit(center, staff, body["order_no"], "dissatisfied")
    assert r.status_code == 202
    case = center.http.get(f"/api/v1/cases/{case_id}", headers=staff["viewer"]).json()
    assert case["rework_count"] == 1, "the policy reworks once"
    assert case["supervision_level"] >= 1 and any("领导审核" in (t.get("note") or "") for t in case["timeline"])
    assert _visit(center, staff, "12345-NOBODY-1", "satisfied").status_code == 404


def test_a_caller_about_a_problem_already_reported_joins_that_case_and_hears_its_answer(town, staff, database_url):
    center, sim = town
    spot = somewhere()
    grid = center.http.post("/api/v1/reports", headers=staff["grid"], json={
        "description": "人民路井盖破损", "category": "0107", "location": spot}).json()["case_id"]
    case = _wait_status(center, staff["viewer"], grid, "dispatched")
    near = {"lon": round(spot["lon"] + 0.0005, 6), "lat": spot["lat"]}  # ~50 m away
    body = order(location=near)
    hotline_case = sim.push(body)
    merged = _wait_status(center, staff["viewer"], hotline_case, "merged")
    assert merged["merged_into"] == grid
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        target = center.http.get(f"/api/v1/cases/{grid}", headers=staff["dispatcher"]).json()
        if target["reporters_count"] == 2:
            break
        time.sleep(0.2)
    assert target["reporters_count"] == 2
    assert body["order_no"] in [r["external_ref"] for r in target["reporters"]], "the caller waits on this case"
    handler = _handler(center, case)
    center.http.post(f"/api/v1/cases/{grid}/accept", headers=handler, json={})
    center.http.post(f"/api/v1/cases/{grid}/resolve", headers=handler, json={"note": "已更换"})
    _updates(sim, body["order_no"], ["dispatched", "accepted", "resolved"])
    # the center marks an update sent only after the platform's 2xx: wait for the marks, then read them
    sent = wait_until(lambda: (rows := _sent_for(database_url, body["order_no"]))[2:] and rows, what="3 updates sent")
    assert sent[:3] == [("dispatched", grid), ("accepted", grid), ("resolved", grid)], "the target's answer"
    # a dispatcher splits it back out: it is its own case again
    r = center.http.post(f"/api/v1/cases/{hotline_case}/split", headers=staff["dispatcher"], json={"reason": "不是同一个井盖"})
    assert r.status_code == 200, r.text
    alone = _wait_status(center, staff["dispatcher"], hotline_case, "dispatched")
    assert alone["merged_into"] is None and [r["external_ref"] for r in alone["reporters"]] == [body["order_no"]]


def test_updates_wait_for_a_platform_that_is_down_and_survive_a_restart_of_the_sender(amqp_uri, database_url):
    center, sim = _start(OTHER, amqp_uri, database_url)
    try:
        sim.set_faults(down=True)
        viewer = center.token("viewer")
        body = order()
        case_id = sim.push(body)
        case = _wait_status(center, viewer, case_id, "dispatched")
        handler = _handler(center, case)
        center.http.post(f"/api/v1/cases/{case_id}/accept", headers=handler, json={})
        center.http.post(f"/api/v1/cases/{case_id}/resolve", headers=handler, json={"note": "已处理"})
        time.sleep(2)
        assert not next(o for o in sim.state()["orders"] if o["order_no"] == body["order_no"])["updates"]
        assert center.stop() == 0
        center = Center(OTHER, amqp_uri, database_url, extra_env=_env(int(sim.url.rsplit(":", 1)[1])))
        sim.set_faults(throttle=1)
        time.sleep(1.5)
        sim.set_faults()
        updates = _updates(sim, body["order_no"], ["dispatched", "accepted", "resolved"], timeout=60)
        assert len(updates) == 3, "each update recorded once"
        assert sim.state()["totals"]["out_of_order"] == 0
    finally:
        sim.stop()
        center.stop()
