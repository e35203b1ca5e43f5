"""A center started as a process (`python -m app.cli run`) and driven through HTTP only: the whole
loop, return, rework, reject, an illegal transition, bad input, authorization and an overdue case."""
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time

import httpx
import pytest

from tests.support import somewhere, wait_until

ADMIN = "e2e-admin-token-0123456789"
CENTER = "320612001"
DESK = "320612002"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Center:
    def __init__(self, region, amqp_uri, database_url, services=None, extra_env=None, extra_args=()):
        self.region, self.port = region, _free_port()
        self.clock = tempfile.NamedTemporaryFile("w", suffix=".clock", delete=False)
        self.clock.write("0")
        self.clock.close()
        env = dict(os.environ, YIWANG_AMQP_URI=amqp_uri, YIWANG_DATABASE_URL=database_url, YIWANG_ADMIN_TOKEN=ADMIN,
                   YIWANG_CLOCK_FILE=self.clock.name, YIWANG_SWEEP_SECONDS="0.5", YIWANG_RETRY_DELAYS="0.5,1",
                   YIWANG_LOG_LEVEL="WARNING", YIWANG_MAX_BODY_BYTES="1048576",
                   YIWANG_RATE_LIMIT_TOKEN="1000/s,2000", YIWANG_RATE_LIMIT_ADDRESS="2000/s,4000")  # loads: not limited
        env.update(extra_env or {})
        self.env = env
        cmd = [sys.executable, "-m", "app.cli", "run", "--region", region, "--port", str(self.port)]
        if services:
            cmd += ["--services", services]
        cmd += list(extra_args)
        self.log = tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False)
        self.proc = subprocess.Popen(cmd, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        self.http = httpx.Client(base_url=f"http://127.0.0.1:{self.port}", timeout=10)
        if services and "gateway" not in services.split(","):
            return  # no gateway to ask; the queues tell when it consumes
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and self.proc.poll() is None:
            try:
                if self.http.get("/readyz").status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        if self.proc.poll() is None:
            self.proc.kill()  # never leave a process behind
            self.proc.wait(10)
        raise AssertionError(f"center {region} did not become ready (exit {self.proc.returncode}):\n" + self.tail())

    def tail(self, size: int = 3000) -> str:
        self.log.seek(0)
        return self.log.read()[-size:]

    def token(self, role, unit=None, region=None) -> dict:
        r = self.http.post("/api/v1/tokens", headers=auth(ADMIN),
                           json={"role": role, "region": region or self.region, "unit": unit, "name": f"e2e-{role}"})
        assert r.status_code == 201, r.text
        return auth(r.json()["token"])

    def stop(self) -> int:
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()  # never leave a process behind
            self.proc.wait(10)
            raise AssertionError(f"center {self.region} did not stop within 30 s of SIGTERM:\n{self.tail()}") from None
        finally:
            os.unlink(self.clock.name)


def auth(token):
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture(scope="module")
def center(amqp_uri, database_url):
    c = Center(CENTER, amqp_uri, database_url)
    yield c
    assert c.stop() == 0, "SIGTERM drains and exits 0\n" + c.tail()


@pytest.fixture(scope="module")
def staff(center):
    return {"dispatcher": center.token("dispatcher"), "grid": center.token("gridworker"),
            "viewer": center.token("viewer")}


REPORT = {"description": "金沙街道人民路井盖破损，晚上路过很危险", "category": "0107",
          "location": {"lon": 121.07, "lat": 32.08, "address": "人民路12号"},
          "reporter": {"name": "王先生", "phone": "13812341234"}}


def _wait_status(center, headers, case_id, status, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        case = center.http.get(f"/api/v1/cases/{case_id}", headers=headers).json()
        if case["status"] == status:
            return case
        time.sleep(0.1)
    raise AssertionError(f"case {case_id} stuck at {case['status']}, wanted {status}\n{center.tail()}")


def _report(center, headers, **changes):
    body = {**REPORT, "location": somewhere(address="人民路12号"), **changes}
    r = center.http.post("/api/v1/reports", headers=headers, json=body)
    assert r.status_code == 202, r.text
    return r.json()["case_id"]


def _handler(center, case):
    return center.token("handler", unit=case["unit"])


def test_a_case_goes_all_the_way_round_the_loop(center, staff):
    case_id = _report(center, staff["grid"])
    case = _wait_status(center, staff["viewer"], case_id, "dispatched")
    assert case["unit"] and case["triage_rule"]
    # supervision sets the deadlines on its own, after the dispatch it learns of from the backbone
    case = wait_until(lambda: (c := center.http.get(f"/api/v1/cases/{case_id}", headers=staff["viewer"]).json())
                      ["deadlines"]["sign"] and c, what="the sign-for deadline set by supervision")
    assert case["reporters"][0]["phone"] == "138****1234", "masked for a viewer"
    full = center.http.get(f"/api/v1/cases/{case_id}", headers=staff["dispatcher"]).json()
    assert full["reporters"][0]["phone"] == "13812341234", "shown to a dispatcher"
    handler = _handler(center, case)
    for action, body in (("accept", {}), ("resolve", {"note": "已更换井盖", "media": ["https://example.org/p.jpg"]})):
        r = center.http.post(f"/api/v1/cases/{case_id}/{action}", headers=handler, json=body)
        assert r.status_code == 200, r.text
    r = center.http.post(f"/api/v1/cases/{case_id}/verify", headers=staff["grid"], json={"passed": True})
    assert r.status_code == 200 and r.json()["status"] == "verified"
    case = _wait_status(center, staff["viewer"], case_id, "closed")
    assert [t["type"] for t in case["timeline"]] == [
        "received", "triaged", "dispatched", "accepted", "resolved", "verified", "closed"]
    assert case["closed_at"] and case["timeline"][3]["actor"].startswith("handler:")
    period = time.strftime("%Y-%m", time.localtime())
    ev = center.http.get("/api/v1/evaluation", params={"period": period, "by": "unit"}, headers=staff["viewer"]).json()
    row = next(r for r in ev["rows"] if r["unit"] == case["unit"])
    assert case_id in row["close_rate"]["numerator_cases"] and case_id in row["timely_sign_rate"]["numerator_cases"]


def test_a_return_needs_a_reason_and_once_reviewed_sends_the_case_to_another_unit(center, staff):
    case_id = _report(center, staff["grid"])
    case = _wait_status(center, staff["viewer"], case_id, "dispatched")
    first_unit, handler = case["unit"], _handler(center, case)
    r = center.http.post(f"/api/v1/cases/{case_id}/return", headers=handler, json={"note": "?"})
    assert r.status_code == 422 and r.json()["error"]["code"] == "validation_failed"
    r = center.http.post(f"/api/v1/cases/{case_id}/return", headers=handler, json={
        "reason": "不属于我单位职责", "reason_code": "not_ours", "basis": "权责清单第3条"})
    assert r.status_code == 200 and r.json()["return_pending"] == "not_ours" and r.json()["return_count"] == 0
    r = center.http.post(f"/api/v1/cases/{case_id}/review-return", headers=staff["dispatcher"],
                         json={"approved": True})
    assert r.status_code == 200 and r.json()["return_count"] == 1
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        case = center.http.get(f"/api/v1/cases/{case_id}", headers=staff["viewer"]).json()
        if case["status"] == "dispatched" and case["unit"] != first_unit:
            break
        time.sleep(0.1)
    assert case["unit"] != first_unit and case["status"] == "dispatched", case
    assert [t["type"] for t in case["timeline"]][-4:] == ["returned", "return_reviewed", "triaged", "dispatched"]


def test_failed_verification_sends_the_case_back_for_rework(center, staff):
    case_id = _report(center, staff["grid"])
    case = _wait_status(center, staff["viewer"], case_id, "dispatched")
    handler = _handler(center, case)
    center.http.post(f"/api/v1/cases/{case_id}/accept", headers=handler, json={})
    center.http.post(f"/api/v1/cases/{case_id}/resolve", headers=handler, json={"note": "修好了"})
    r = center.http.post(f"/api/v1/cases/{case_id}/verify", headers=staff["dispatcher"],
                         json={"passed": False, "note": "井盖仍然松动"})
    assert r.status_code == 200 and r.json()["status"] == "dispatched" and r.json()["rework_count"] == 1
    center.http.post(f"/api/v1/cases/{case_id}/accept", headers=handler, json={})
    center.http.post(f"/api/v1/cases/{case_id}/resolve", headers=handler, json={"note": "重新固定"})
    center.http.post(f"/api/v1/cases/{case_id}/verify", headers=staff["grid"], json={"passed": True})
    case = _wait_status(center, staff["viewer"], case_id, "closed")
    assert case["rework_count"] == 1 and "reworked" in [t["type"] for t in case["timeline"]]


def test_an_illegal_transition_is_refused_with_its_reason_and_changes_nothing(center, staff):
    case_id = _report(center, staff["grid"])
    case = _wait_status(center, staff["viewer"], case_id, "dispatched")
    handler = _handler(center, case)
    r = center.http.post(f"/api/v1/cases/{case_id}/resolve", headers=handler, json={"note": "done"})
    assert r.status_code == 409
    err = r.json()["error"]
    assert err["code"] == "illegal_transition" and err["details"]["status"] == "dispatched" and err["message"]
    after = center.http.get(f"/api/v1/cases/{case_id}", headers=staff["viewer"]).json()
    assert after["status"] == "dispatched" and after["updated_at"] == case["updated_at"]
    assert len(after["timeline"]) == len(case["timeline"])
    other = center.token("handler", unit=f"{CENTER}.command")
    if case["unit"] != f"{CENTER}.command":
        assert center.http.post(f"/api/v1/cases/{case_id}/accept", headers=other, json={}).status_code == 403


def test_bad_input_gets_a_clear_error_and_stores_nothing(center, staff):
    h = staff["grid"]
    before = center.http.get("/api/v1/cases", headers=staff["viewer"]).json()["total"]
    cases = [
        (b'{"description": "x",', 400, "malformed_request"),
        ({"location": {"lon": 121.0, "lat": 32.0}}, 422, "validation_failed"),
        ({**REPORT, "location": {"lon": 200.0, "lat": 32.0}}, 422, "validation_failed"),
        ({**REPORT, "location": {"lon": 2.35, "lat": 48.85}}, 422, "validation_failed"),
        ({**REPORT, "category": "9876"}, 422, "unknown_category"),
        ({**REPORT, "region": "110101001"}, 422, "unknown_region"),
        ({**REPORT, "description": "井盖\x00坏了"}, 422, "validation_failed"),
        ({**REPORT, "extra": 1}, 422, "validation_failed"),
        ([1, 2], 422, "validation_failed"),
        (b"\xff\xfe bad bytes", 400, "malformed_request"),
    ]
    for body, status, code in cases:
        kw = {"content": body} if isinstance(body, bytes) else {"json": body}
        r = center.http.post("/api/v1/reports", headers={**h, "content-type": "application/json"}, **kw)
        assert r.status_code == status, (body, r.text)
        assert r.json()["error"]["code"] == code and r.json()["error"]["message"]
    big = b'{"description": "' + b"a" * (2 * 1024 * 1024) + b'"}'
    r = center.http.post("/api/v1/reports", headers={**h, "content-type": "application/json"}, content=big)
    assert r.status_code == 413 and r.json()["error"]["code"] == "payload_too_large"
    assert center.http.post("/api/v1/reports", json=REPORT).status_code == 401
    assert center.http.post("/api/v1/reports", json=REPORT, headers=auth("yw_nope")).status_code == 401
    assert center.http.post("/api/v1/reports", json=REPORT, headers=staff["viewer"]).status_code == 403
    assert center.http.get("/api/v1/cases/NOPE-1", headers=staff["viewer"]).status_code == 404
    r = center.http.get("/api/v1/nothing-here", headers=staff["viewer"])
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
    after = center.http.get("/api/v1/cases", headers=staff["viewer"]).json()["total"]
    assert after == before, "nothing stored"


def test_a_row_id_that_is_not_plain_ascii_digits_is_not_found_never_a_500(center, staff):
    """Found by the fuzzer: '¹' passes str.isdigit but int() refuses it (the revoke answered 500)."""
    admin = auth(ADMIN)
    for raw in ("%C2%B9", "%D9%A1", "99999999999", "-1", "1.0"):
        r = center.http.delete(f"/api/v1/tokens/{raw}", headers=admin)
        assert r.status_code == 404 and r.json()["error"]["code"] == "not_found", (raw, r.text)
        r = center.http.post(f"/api/v1/notifications/{raw}/read", headers=staff["viewer"])
        assert r.status_code == 404, (raw, r.text)
    r = center.http.get("/api/v1/stream", params={"last_event_id": "1¹"}, headers=staff["viewer"])
    assert r.status_code == 422 and r.json()["error"]["code"] == "validation_failed", r.text


def test_idempotency_key_makes_a_retry_return_the_same_case(center, staff):
    h = {**staff["grid"], "Idempotency-Key": "e2e-retry-1"}
    a = center.http.post("/api/v1/reports", headers=h, json=REPORT)
    b = center.http.post("/api/v1/reports", headers=h, json=REPORT)
    assert a.status_code == b.status_code == 202 and a.json()["case_id"] == b.json()["case_id"]
    c = center.http.post("/api/v1/reports", headers=h, json={**REPORT, "description": "另一个问题：路灯不亮"})
    assert c.status_code == 409 and c.json()["error"]["code"] == "idempotency_conflict"


def test_a_token_sees_only_its_region(center, staff):
    case_id = _report(center, staff["grid"])
    other = center.token("viewer", region="320612002")
    assert center.http.get(f"/api/v1/cases/{case_id}", headers=other).status_code == 404
    listed = center.http.get("/api/v1/cases", headers=other).json()
    assert listed["total"] == 0 and listed["items"] == []
    assert center.http.get("/api/v1/cases", params={"region": CENTER}, headers=other).status_code == 403


def test_openapi_describes_exactly_what_is_served(center, staff):
    doc = center.http.get("/openapi.json").json()
    assert doc["openapi"].startswith("3.")
    for path, ops in doc["paths"].items():
        url = re.sub(r"\{\w+\}", "0", path.replace("{case_id}", "NOPE-1"))
        for method, op in ops.items():
            if "text/event-stream" in str(op.get("responses")):
                continue  # the stream never ends; tests/e2e/test_screens_api.py reads it
            r = center.http.request(method.upper(), url, headers=staff["viewer"], json={})
            assert r.status_code != 404 or not r.text.startswith('{"error": {"code": "not_found", "message": "no route'), \
                (method, path, r.text)  # an unknown object, not an unknown route
            assert r.status_code < 500, (method, path, r.text)
    assert center.http.get("/api/v1/catalog", headers=staff["viewer"]).json()["categories"]


def test_reject_a_report_at_a_center_whose_dispatch_is_not_running(amqp_uri, database_url):
    desk = Center(DESK, amqp_uri, database_url, services="gateway,intake,triage")
    try:
        disp = desk.token("dispatcher")
        case_id = _report(desk, desk.token("gridworker"), category="0107")
        _wait_status(desk, disp, case_id, "triaged")
        r = desk.http.post(f"/api/v1/cases/{case_id}/reject", headers=disp, json={"reason": "重复上报"})
        assert r.status_code == 200 and r.json()["status"] == "rejected"
        r = desk.http.post(f"/api/v1/cases/{case_id}/close", headers=disp, json={})
        assert r.status_code == 409 and "finished" in r.json()["error"]["message"]
    finally:
        assert desk.stop() == 0


def test_an_overdue_case_turns_red_and_is_on_the_board(center, staff):
    case_id = _report(center, staff["grid"])
    _wait_status(center, staff["viewer"], case_id, "dispatched")
    with open(center.clock.name, "w") as f:
        f.write(str(10 * 24 * 3600))  # ten days later
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        case = center.http.get(f"/api/v1/cases/{case_id}", headers=staff["viewer"]).json()
        if case["overdue"]:
            break
        time.sleep(0.2)
    assert case["overdue"] and case["light"] == "red", case
    assert "overdue" in [t["type"] for t in case["timeline"]]
    red = center.http.get("/api/v1/cases", params={"overdue": "true"}, headers=staff["viewer"]).json()
    assert case_id in [c["id"] for c in red["items"]]
    board = center.http.get("/api/v1/board", headers=staff["viewer"]).json()
    assert case_id in [c["id"] for c in board["overdue"]] and board["by_light"].get("red")


def test_a_chunked_body_is_read_and_a_phone_number_in_the_text_never_travels(center, staff):
    body = json.dumps({"description": "路灯不亮，联系电话 +86 138-1234-5678，座机0513-85123456",
                       "location": somewhere(), "category": "0201"}, ensure_ascii=False).encode()

    def chunks():  # no Content-Length: httpx sends Transfer-Encoding: chunked
        yield body[:20]
        yield body[20:]
    r = center.http.post("/api/v1/reports", content=chunks(), headers={**staff["grid"],
                                                                        "Content-Type": "application/json"})
    assert r.status_code == 202, r.text
    case = center.http.get(f"/api/v1/cases/{r.json()['case_id']}", headers=staff["viewer"]).json()
    assert "138****5678" in case["description"] and "1234" not in case["description"].replace("5678", "")
    assert "85123456" not in json.dumps(case, ensure_ascii=False)


def test_writes_over_the_rate_limit_get_429_with_retry_after_and_store_nothing(amqp_uri, database_url):
    c = Center("320613005", amqp_uri, database_url,  # a center of its own: its cases count
               extra_env={"YIWANG_RATE_LIMIT_TOKEN": "1/s,3", "YIWANG_RATE_LIMIT_ADDRESS": "100/s,100"})
    try:
        grid, viewer = c.token("gridworker"), c.token("viewer")
        answers = [c.http.post("/api/v1/reports", headers=grid, json={
            "description": f"第{n}号路灯不亮", "location": somewhere(), "category": "0201"}) for n in range(5)]
        codes = [r.status_code for r in answers]
        assert codes[:3] == [202, 202, 202] and 429 in codes[3:], codes
        refused = next(r for r in answers if r.status_code == 429)
        assert int(refused.headers["Retry-After"]) >= 1 and refused.json()["error"]["code"] == "rate_limited"
        assert c.http.get("/api/v1/cases", headers=viewer).json()["total"] == codes.count(202)
        assert c.http.get("/api/v1/cases", headers=grid).status_code == 200, "reads are not limited"
    finally:
        assert c.stop() == 0
