"""The 12345 platform simulator (app.simulators.hotline) over real HTTP: it pushes signed orders to a
center, takes the center's signed updates strictly, injects faults, and makes satisfaction visits. The
center here is a tiny fake that records what it gets and checks the signatures; no broker, no database."""
import json
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from app.simulators.hotline import HotlineError, HotlineSimulator
from shared.clock import CHINA
from shared.contracts.signing import sign, verify

SECRET = "test-hotline-secret-0123456789"
TOKEN = "hotline-token-abc"
T0 = datetime(2026, 11, 23, 10, 0, tzinfo=CHINA)


class FakeCenter:
    """POST /api/v1/hotline/orders and /visits: checks the token and the signature, records the bodies, and
    answers from `script[path]` (a list of (status, json, headers) used up first) or 202."""

    def __init__(self):
        self.received: dict[str, list[dict]] = {"orders": [], "visits": []}
        self.attempts: dict[str, list[bytes]] = {"orders": [], "visits": []}
        self.script: dict[str, list[tuple]] = {"orders": [], "visits": []}
        self.problems: list[str] = []
        self.lock = threading.Lock()
        center = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                raw = self.rfile.read(int(self.headers["Content-Length"]))
                what = self.path.rsplit("/", 1)[-1]
                status, doc, headers = center.answer(what, self.headers, raw)
                out = json.dumps(doc).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(out)))
                for k, v in headers.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(out)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True).start()

    def answer(self, what, headers, raw):
        with self.lock:
            self.attempts[what].append(raw)
            if headers.get("Authorization") != f"Bearer {TOKEN}":
                self.problems.append(f"token {headers.get('Authorization')}")
            if headers.get("Content-Type") != "application/json":
                self.problems.append(f"content type {headers.get('Content-Type')}")
            try:
                verify(headers, raw, SECRET)
            except Exception as exc:  # noqa: BLE001 - recorded for the assertion
                self.problems.append(f"signature: {exc}")
            if self.script[what]:
                return self.script[what].pop(0)
            body = json.loads(raw)
            self.received[what].append(body)
            if what == "orders":
                return 202, {"case_id": f"320600-20261123-{len(self.received['orders']):06d}"}, {}
            return 202, {}, {}

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def center():
    c = FakeCenter()
    yield c
    c.close()
    assert c.problems == []


@pytest.fixture
def sim(center):
    with HotlineSimulator(center.url, TOKEN, SECRET, seed=11, visit_delay=0.2) as s:
        yield s


def post_update(sim, order_no, status, at, *, key=None, secret=SECRET, stamp=None, case_id="C1", **extra):
    body = {"order_no": order_no, "case_id": case_id, "status": status, "message": f"已{status}", "at": at.isoformat(),
            **extra}
    raw = json.dumps(body, ensure_ascii=False).encode()
    headers = {"Content-Type": "application/json", "Idempotency-Key": key or f"{order_no}:{status}:{at.isoformat()}",
               **sign(raw, secret, now=stamp)}
    return httpx.post(f"{sim.url}/orders/{order_no}/updates", content=raw, headers=headers)


def order_state(sim, order_no):
    return next(o for o in sim.state()["orders"] if o["order_no"] == order_no)


def wait_for(condition, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError("timed out")


# ── pushing orders ──────────────────────────────────────────────────────────
def test_pushes_signed_orders_and_records_the_case_ids(sim, center):
    case_ids = sim.push_generated(3)
    assert case_ids == [f"320600-20261123-{i:06d}" for i in (1, 2, 3)]
    sent = center.received["orders"]
    assert [o["order_no"] for o in sent] == [o["order_no"] for o in sim.state()["orders"]]
    assert [o["case_id"] for o in sim.state()["orders"]] == case_ids
    assert sim.state()["totals"]["orders_sent"] == 3
    assert all(o["kind"] and o["content"] and o["caller"]["phone"] for o in sent)


def test_retries_503_and_429_honouring_retry_after(sim, center):
    center.script["orders"] = [(503, {"error": {"code": "not_ready"}}, {}),
                               (429, {"error": {"code": "rate_limited"}}, {"Retry-After": "1"})]
    started = time.monotonic()
    assert sim.push(sim.generator.order()) == "320600-20261123-000001"
    assert time.monotonic() - started >= 1.0
    assert len(center.attempts["orders"]) == 3 and len(set(center.attempts["orders"])) == 1  # the same bytes


def test_an_order_the_center_already_has_counts_as_accepted(sim, center):
    center.script["orders"] = [(200, {"case_id": "320600-20261123-000042"}, {})]  # a retry: answered, not redone
    assert sim.push(sim.generator.order()) == "320600-20261123-000042"
    assert sim.state()["totals"]["orders_sent"] == 1


def test_a_refused_order_raises_and_is_not_recorded(sim, center):
    center.script["orders"] = [(422, {"error": {"code": "invalid_order", "message": "content is empty"}}, {})]
    with pytest.raises(HotlineError) as err:
        sim.push(sim.generator.order())
    assert err.value.status == 422 and err.value.code == "invalid_order" and "content is empty" in str(err.value)
    assert sim.state()["orders"] == [] and sim.state()["totals"]["orders_sent"] == 0


def test_an_unreachable_center_raises_after_the_retries():
    with HotlineSimulator("http://127.0.0.1:9", TOKEN, SECRET, seed=1, retry_attempts=2) as s:
        with pytest.raises(HotlineError) as err:
            s.push(s.generator.order())
    assert err.value.status is None and err.value.code == "unreachable"


# ── receiving updates ───────────────────────────────────────────────────────
def test_updates_are_recorded_in_order(sim):
    [case_id] = sim.push_generated(1)
    order_no = sim.state()["orders"][0]["order_no"]
    for i, status in enumerate(("accepted", "dispatched", "returned", "dispatched")):
        r = post_update(sim, order_no, status, T0 + timedelta(minutes=i), case_id=case_id, unit="320612001.city_mgmt")
        assert r.status_code == 200 and r.json() == {"ok": True}
    state = order_state(sim, order_no)
    assert state["updates"] == ["accepted", "dispatched", "returned", "dispatched"] and state["case_id"] == case_id
    totals = sim.state()["totals"]
    assert totals["updates_received"] == 4 and totals["out_of_order"] == totals["unknown_orders"] == 0
    assert httpx.get(f"{sim.url}/_state").json() == sim.state()


def test_a_repeated_idempotency_key_is_recorded_once(sim):
    sim.push_generated(1)
    order_no = sim.state()["orders"][0]["order_no"]
    for _ in range(3):
        assert post_update(sim, order_no, "accepted", T0, key="same-key").status_code == 200
    assert order_state(sim, order_no)["updates"] == ["accepted"]
    assert sim.state()["totals"]["duplicates"] == 2 and sim.state()["totals"]["updates_received"] == 1


def test_bad_or_stale_signatures_are_refused(sim):
    r = post_update(sim, "12345-20261123-000001", "accepted", T0, secret="not-the-secret-at-all")
    assert r.status_code == 401 and r.json()["error"]["code"] == "signature_invalid"
    r = post_update(sim, "12345-20261123-000001", "accepted", T0, stamp=time.time() - 400)
    assert r.status_code == 401 and r.json()["error"]["code"] == "timestamp_stale"
    r = httpx.post(f"{sim.url}/orders/12345-20261123-000001/updates", content=b"{}",
                   headers={"Content-Type": "application/json"})
    assert r.status_code == 401 and r.json()["error"]["code"] == "signature_missing"
    assert sim.state()["totals"]["bad_signatures"] == 3 and sim.state()["orders"] == []


def test_updates_going_backwards_are_counted(sim):
    sim.push_generated(1)
    order_no = sim.state()["orders"][0]["order_no"]
    post_update(sim, order_no, "dispatched", T0 + timedelta(minutes=5))
    assert post_update(sim, order_no, "accepted", T0).status_code == 200
    post_update(sim, order_no, "resolved", T0 + timedelta(minutes=9))
    assert order_state(sim, order_no)["updates"] == ["dispatched", "accepted", "resolved"]
    assert sim.state()["totals"]["out_of_order"] == 1


def test_unknown_orders_are_accepted_and_counted(sim):
    assert post_update(sim, "12345-20261123-999999", "closed", T0, case_id="320600-X").status_code == 200
    assert post_update(sim, "12345-20261123-999999", "closed", T0, key="another").status_code == 200
    state = order_state(sim, "12345-20261123-999999")
    assert state["updates"] == ["closed", "closed"] and state["case_id"] == "320600-X" and not state["pushed"]
    assert sim.state()["totals"]["unknown_orders"] == 1


def _update(**changes) -> bytes:
    """A valid update of order A, with `changes` (a value None drops the field)."""
    body = {"order_no": "A", "case_id": "C", "status": "closed", "message": "x", "at": "2026-11-23T10:00:00+08:00",
            **changes}
    return json.dumps({k: v for k, v in body.items() if v is not None}).encode()


@pytest.mark.parametrize("raw, status, code", [
    (b"{not json", 400, "malformed_json"),
    (b"[]", 422, "invalid_update"),
    (_update(status="done"), 422, "invalid_update"),
    (_update(at="2026-11-23T10:00:00"), 422, "invalid_update"),
    (_update(message=None), 422, "invalid_update"),
    (_update(extra=1), 422, "invalid_update"),
    (_update(order_no="B"), 422, "order_no_mismatch"),
], ids=["not JSON", "not an object", "unknown status", "naive time", "no message", "unknown field", "other order"])
def test_malformed_and_invalid_updates(sim, raw, status, code):
    r = httpx.post(f"{sim.url}/orders/A/updates", content=raw, headers={"Idempotency-Key": "k", **sign(raw, SECRET)})
    assert r.status_code == status and r.json()["error"]["code"] == code
    assert sim.state()["totals"]["updates_received"] == 0


# ── faults ──────────────────────────────────────────────────────────────────
def test_faults_by_method(sim):
    sim.set_faults(down=True)
    assert post_update(sim, "O1", "accepted", T0).status_code == 503
    sim.set_faults(throttle=7)
    r = post_update(sim, "O1", "accepted", T0)
    assert r.status_code == 429 and r.headers["Retry-After"] == "7"
    sim.set_faults(fail_rate=1.0)
    assert post_update(sim, "O1", "accepted", T0).status_code == 500
    sim.set_faults(fail_rate=0.5)
    codes = [post_update(sim, "O1", "accepted", T0 + timedelta(seconds=i)).status_code for i in range(40)]
    assert 5 < codes.count(500) < 35 and codes.count(200) == 40 - codes.count(500)
    sim.set_faults()
    assert post_update(sim, "O1", "closed", T0 + timedelta(hours=1)).status_code == 200
    totals = sim.state()["totals"]
    assert totals["faults_injected"] == 3 + codes.count(500)
    assert totals["updates_received"] == codes.count(200) + 1


def test_faults_by_admin_endpoint(sim):
    r = httpx.post(f"{sim.url}/_admin/faults", json={"throttle": 3})
    assert r.status_code == 200 and r.json()["faults"] == {"down": False, "fail_rate": 0.0, "throttle": 3}
    r = post_update(sim, "O1", "accepted", T0)
    assert r.status_code == 429 and r.headers["Retry-After"] == "3"
    assert httpx.post(f"{sim.url}/_admin/faults", json={"down": True}).status_code == 200
    bad = post_update(sim, "O1", "accepted", T0, secret="not-the-secret-at-all")
    assert bad.status_code == 503  # a platform that is down checks nothing
    for body in ({"down": "yes"}, {"fail_rate": 2}, {"throttle": -1}, {"slow": 1}, [1]):
        assert httpx.post(f"{sim.url}/_admin/faults", json=body).status_code == 422
    assert httpx.post(f"{sim.url}/_admin/faults", json={}).json()["faults"] == {"down": False, "fail_rate": 0.0,
                                                                                 "throttle": 0}
    assert post_update(sim, "O1", "accepted", T0).status_code == 200
    assert sim.state()["faults"] == {"down": False, "fail_rate": 0.0, "throttle": 0}


# ── visits ──────────────────────────────────────────────────────────────────
def test_a_resolved_order_gets_a_visit_and_a_second_one_when_resolved_again(center):
    with HotlineSimulator(center.url, TOKEN, SECRET, seed=5, visit_delay=0.3, mix={"dissatisfied": 1.0}) as s:
        [case_id] = s.push_generated(1)
        order_no = s.state()["orders"][0]["order_no"]
        post_update(s, order_no, "dispatched", T0, case_id=case_id)
        started = time.monotonic()
        post_update(s, order_no, "resolved", T0 + timedelta(hours=1), case_id=case_id)
        post_update(s, order_no, "resolved", T0 + timedelta(hours=1), case_id=case_id)  # the same update again
        wait_for(lambda: len(center.received["visits"]) == 1)
        assert time.monotonic() - started >= 0.3
        [v] = center.received["visits"]
        assert v["order_no"] == order_no and v["satisfaction"] == "dissatisfied" and isinstance(v["resolved"], bool)
        assert datetime.fromisoformat(v["visited_at"]).utcoffset() == timedelta(hours=8)
        # dissatisfied: the center reworks it and resolves it again
        post_update(s, order_no, "dispatched", T0 + timedelta(hours=2), case_id=case_id)
        post_update(s, order_no, "resolved", T0 + timedelta(hours=3), case_id=case_id)
        wait_for(lambda: len(center.received["visits"]) == 2)
        time.sleep(0.5)
        assert len(center.received["visits"]) == 2
        state = order_state(s, order_no)
        assert [v["satisfaction"] for v in state["visits"]] == ["dissatisfied"] * 2
        assert all(v["sent"] for v in state["visits"])
        assert s.state()["totals"]["visits_sent"] == 2


def test_a_visit_the_center_cannot_take_yet_is_tried_again(center):
    center.script["visits"] = [(409, {"error": {"code": "illegal_transition", "message": "not resolved yet"}}, {}),
                               (503, {"error": {"code": "not_ready"}}, {"Retry-After": "0"})]
    with HotlineSimulator(center.url, TOKEN, SECRET, seed=5, visit_delay=1.1) as s:
        post_update(s, "12345-20261123-000001", "resolved", T0)
        wait_for(lambda: s.state()["totals"]["visits_sent"] == 1)
        # the 409 is tried again later with a new visit time (a new body), the 503 at once with the same bytes
        first, second, third = center.attempts["visits"]
        assert first != second and second == third
        assert json.loads(first)["satisfaction"] == json.loads(third)["satisfaction"]


def test_a_visit_refused_for_good_is_recorded_as_failed(center):
    center.script["visits"] = [(422, {"error": {"code": "invalid_visit", "message": "no such order"}}, {})]
    with HotlineSimulator(center.url, TOKEN, SECRET, seed=5, visit_delay=0.1) as s:
        post_update(s, "12345-20261123-000001", "resolved", T0)
        wait_for(lambda: s.state()["totals"]["visits_failed"] == 1)
        [v] = order_state(s, "12345-20261123-000001")["visits"]
        assert not v["sent"] and "invalid_visit" in v["error"]


# ── the command ─────────────────────────────────────────────────────────────
def _yiwang(*args, env=None):
    return subprocess.Popen([sys.executable, "-m", "app.cli", "hotline-sim", *args], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_the_command_pushes_orders_and_prints_one_line_per_event(center):
    env = {**os.environ, "YIWANG_HOTLINE_SECRET": SECRET}
    proc = _yiwang("--center", center.url, "--token", TOKEN, "--port", "0", "--orders", "3", "--rate", "20",
                   "--seed", "4", env=env)
    try:
        lines = [proc.stdout.readline() for _ in range(4)]
    finally:
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=20)
    assert proc.returncode == 0, err
    assert lines[0].startswith("12345 simulator listening at http://127.0.0.1:")
    assert [line.split()[0] for line in lines[1:]] == ["order"] * 3
    assert len(center.received["orders"]) == 3 and "Traceback" not in err


def test_the_command_without_a_secret_says_so_in_one_line():
    env = {k: v for k, v in os.environ.items() if k != "YIWANG_HOTLINE_SECRET"}
    proc = _yiwang("--center", "http://127.0.0.1:9", "--token", TOKEN, env=env)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 2
    assert err.strip().count("\n") == 0 and "YIWANG_HOTLINE_SECRET" in err
