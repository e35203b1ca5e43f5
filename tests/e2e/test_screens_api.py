"""What the three screens rely on, through HTTP at a running center (docs/screens.md): sign-in with a cookie and its
CSRF guard, token revocation, the live stream (scope, order, resume without gaps), notifications, photos, the
board, the desk's queue, the map, idempotent actions and the static pages."""
import io
import itertools
import json
import socket
import subprocess
import sys
import time
import uuid
from datetime import datetime

import httpx
import pytest
from PIL import Image

from shared.clock import CHINA
from tests.e2e.test_center_http import ADMIN, Center, _handler, _wait_status, auth

COUNTY, INSIDE, OUTSIDE = "320682", "320682001", "320682103"
# every report 1 km from the others: reports of one category nearby would be merged (并单; 施工扰民 within 500 m)
PLACES = ({"lon": round(120.3 + (n % 40) * 0.01, 4), "lat": round(32.0 + (n // 40) * 0.01, 4)} for n in itertools.count())


@pytest.fixture(scope="module")
def county(amqp_uri, database_url, tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    c = Center(COUNTY, amqp_uri, database_url, extra_env={"YIWANG_MEDIA_DIR": str(media / "{region}")})
    yield c
    assert c.stop() == 0


@pytest.fixture(scope="module")
def staff(county):
    return {"dispatcher": county.token("dispatcher", region=INSIDE), "viewer": county.token("viewer", region=INSIDE),
            "grid": county.token("gridworker", region=INSIDE), "other": county.token("dispatcher", region=OUTSIDE),
            "county": county.token("dispatcher", region=COUNTY)}


def report(county, headers, region=INSIDE, **extra):
    n = uuid.uuid4().int % 1000
    body = {"description": f"如城街道人民路{n}号工地夜间施工扰民", "category": "1301", "region": region,
            "location": next(PLACES), **extra}
    r = county.http.post("/api/v1/reports", headers=headers, json=body)
    assert r.status_code == 202, r.text
    return r.json()["case_id"]


class Stream:
    """An open `GET /api/v1/stream` on a plain socket (no thread, no library buffering), parsed event by event."""

    def __init__(self, county, headers, last_id=None):
        extra = {"Last-Event-ID": str(last_id)} if last_id is not None else {}
        self.sock = socket.create_connection(("127.0.0.1", county.port), timeout=10)
        lines = ["GET /api/v1/stream HTTP/1.1", f"Host: 127.0.0.1:{county.port}", "Accept: text/event-stream",
                 *(f"{k}: {v}" for k, v in {**headers, **extra}.items())]
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        self.raw = b""
        head = self._read_until(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 200") and b"text/event-stream" in head.lower(), head
        self.body = b""   # the de-chunked body not parsed yet
        self.events: list[dict] = []

    def _fill(self, timeout: float) -> None:
        self.sock.settimeout(timeout)
        try:
            data = self.sock.recv(65536)
        except TimeoutError:
            return
        assert data, "the center closed the stream"
        self.raw += data

    def _read_until(self, mark: bytes) -> bytes:
        while mark not in self.raw:
            self._fill(10)
        head, self.raw = self.raw.split(mark, 1)
        return head

    def _dechunk(self) -> None:
        while b"\r\n" in self.raw:
            size_line, rest = self.raw.split(b"\r\n", 1)
            size = int(size_line, 16)
            if len(rest) < size + 2:
                return
            self.body += rest[:size]
            self.raw = rest[size + 2:]

    def until(self, predicate, timeout=15.0) -> list[dict]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self._fill(0.2)
            self._dechunk()
            while b"\n\n" in self.body:
                block, self.body = self.body.split(b"\n\n", 1)
                fields = dict(line.split(": ", 1) for line in block.decode().split("\n")
                              if line.startswith(("id: ", "event: ", "data: ")))
                if "data" in fields:
                    self.events.append({"id": int(fields["id"]), "event": fields["event"],
                                        **json.loads(fields["data"])})
                    if predicate(self.events):
                        return self.events
        raise AssertionError(f"not seen within {timeout}s: {[(e['event'], e.get('case_id')) for e in self.events]}")

    def close(self):
        self.sock.close()


def sign_in(county, token_header) -> httpx.Client:
    browser = httpx.Client(base_url=county.http.base_url, timeout=10)
    r = browser.post("/api/v1/sessions", json={"token": token_header["Authorization"][7:]})
    assert r.status_code == 201, r.text
    return browser


# ---- sign-in -------------------------------------------------------------------------------------------------------
def test_a_screen_signs_in_with_a_token_and_then_uses_an_httponly_strict_cookie(county, staff):
    browser = httpx.Client(base_url=county.http.base_url, timeout=10)
    r = browser.post("/api/v1/sessions", json={"token": staff["dispatcher"]["Authorization"][7:]})
    assert r.status_code == 201 and r.json()["role"] == "dispatcher" and r.json()["region"] == INSIDE
    cookie = next(h for h in r.headers.get_list("set-cookie") if h.startswith("yiwang_session="))
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Max-Age=43200" in cookie
    assert browser.get("/api/v1/me").json()["name"] == "e2e-dispatcher"
    assert browser.post("/api/v1/sessions", json={"token": "yw_not-a-valid-token-at-all"}).status_code == 401


def test_a_change_made_with_the_cookie_needs_the_csrf_header_and_nothing_changes_without_it(county, staff):
    browser = sign_in(county, staff["dispatcher"])
    before = county.http.get("/api/v1/cases", headers=staff["viewer"]).json()["total"]
    body = {"description": "跨站请求伪造的上报", "region": INSIDE, "location": {"lon": 120.58, "lat": 32.38}}
    r = browser.post("/api/v1/reports", json=body)
    assert r.status_code == 403 and "X-Yiwang-CSRF" in r.json()["error"]["message"]
    assert county.http.get("/api/v1/cases", headers=staff["viewer"]).json()["total"] == before
    r = browser.post("/api/v1/reports", json=body, headers={"X-Yiwang-CSRF": browser.cookies["yiwang_csrf"]})
    assert r.status_code == 202, r.text


def test_sign_out_and_revocation_end_the_session_at_once(county, staff):
    browser = sign_in(county, staff["viewer"])
    assert browser.delete("/api/v1/sessions").status_code == 200
    assert browser.get("/api/v1/me").status_code == 401
    made = county.http.post("/api/v1/tokens", headers=auth(ADMIN),
                            json={"role": "viewer", "region": INSIDE, "name": "临时"}).json()
    browser = sign_in(county, auth(made["token"]))
    assert county.http.get("/api/v1/me", headers=auth(made["token"])).status_code == 200
    assert county.http.delete(f"/api/v1/tokens/{made['id']}", headers=staff["other"]).status_code == 403  # a dispatcher
    outsider = county.token("admin", region=OUTSIDE)
    assert county.http.delete(f"/api/v1/tokens/{made['id']}", headers=outsider).status_code == 404
    assert county.http.delete(f"/api/v1/tokens/{made['id']}", headers=auth(ADMIN)).status_code == 200
    assert browser.get("/api/v1/me").status_code == 401
    assert county.http.get("/api/v1/me", headers=auth(made["token"])).status_code == 401


def test_yiwang_token_revoke_ends_a_token_from_the_console(county):
    made = county.http.post("/api/v1/tokens", headers=auth(ADMIN),
                            json={"role": "viewer", "region": INSIDE, "name": "控制台"}).json()
    env = {**county.env, "YIWANG_LOG_LEVEL": "ERROR"}
    done = subprocess.run([sys.executable, "-m", "app.cli", "token", "revoke", "--id", str(made["id"]),
                           "--center", COUNTY], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    time.sleep(2.5)  # other processes' caches (2 s)
    assert county.http.get("/api/v1/me", headers=auth(made["token"])).status_code == 401
    again = subprocess.run([sys.executable, "-m", "app.cli", "token", "revoke", "--id", "999999", "--center", COUNTY],
                           env=env, capture_output=True, text=True, timeout=60)
    assert again.returncode == 2 and "token 999999 not found" in again.stderr


# ---- the live stream -------------------------------------------------------------------------------------------
def test_the_stream_carries_the_callers_cases_in_order_and_never_another_townships(county, staff):
    mine, theirs = Stream(county, staff["dispatcher"]), Stream(county, staff["other"])
    try:
        case_id = report(county, staff["grid"])
        seen = mine.until(lambda es: any(e["case_id"] == case_id and e["event"] == "dispatched" for e in es))
        ours = [e for e in seen if e["case_id"] == case_id]
        assert [e["event"] for e in ours][:3] == ["received", "triaged", "dispatched"]
        assert ours[-1]["status"] == "dispatched" and ours[-1]["region"] == INSIDE and ours[-1]["light"] == "green"
        assert [e["id"] for e in seen] == sorted(e["id"] for e in seen), "ids increase"
        assert "phone" not in json.dumps(seen)
        other_case = report(county, staff["other"], region=OUTSIDE)
        got = theirs.until(lambda es: any(e["case_id"] == other_case for e in es))
        assert all(e["region"] == OUTSIDE for e in got), "another township's events never reach this stream"
    finally:
        mine.close()
        theirs.close()


def test_a_stream_resumed_with_last_event_id_gets_exactly_what_it_missed(county, staff):
    witness, first = Stream(county, staff["county"]), Stream(county, staff["county"])  # the witness stays
    try:
        a = report(county, staff["grid"])
        seen = first.until(lambda es: any(e["case_id"] == a and e["event"] == "dispatched" for e in es))
        first.close()
        last = seen[-1]["id"]
        missed = [report(county, staff["grid"]) for _ in range(3)]  # while the first stream is away
        done = lambda es: {e["case_id"] for e in es if e["event"] == "dispatched"} >= set(missed)  # noqa: E731
        all_along = [e for e in witness.until(done) if e["id"] > last]
        resumed = Stream(county, staff["county"], last_id=last)
        try:
            got = resumed.until(lambda es: len(es) >= len(all_along))
        finally:
            resumed.close()
    finally:
        witness.close()
    assert [e["id"] for e in got[:len(all_along)]] == [e["id"] for e in all_along], "no gap, no repeat, in order"
    assert got[:len(all_along)] == all_along


# ---- notifications ---------------------------------------------------------------------------------------------
def test_a_unit_is_told_of_its_new_task_once_on_the_stream_and_in_its_list(county, staff):
    case = _wait_status(county, staff["viewer"], report(county, staff["grid"]), "dispatched")
    handler = _handler(county, case)
    items = county.http.get("/api/v1/notifications", headers=handler).json()["items"]
    told = [n for n in items if n["case_id"] == case["id"] and n["kind"] == "new_task"]
    assert len(told) == 1 and not told[0]["read"] and "新任务" in told[0]["title"]
    other_unit = county.token("handler", unit=f"{OUTSIDE}.chengguan", region=OUTSIDE)
    assert case["id"] not in json.dumps(county.http.get("/api/v1/notifications", headers=other_unit).json())
    assert county.http.post(f"/api/v1/notifications/{told[0]['id']}/read", headers=other_unit).status_code == 404
    assert county.http.post(f"/api/v1/notifications/{told[0]['id']}/read", headers=handler).status_code == 200
    after = county.http.get("/api/v1/notifications", params={"unread": "true"}, headers=handler).json()
    assert told[0]["id"] not in [n["id"] for n in after["items"]]
    stream = Stream(county, handler)
    try:
        county.http.post(f"/api/v1/cases/{case['id']}/supervise", headers=staff["dispatcher"], json={"note": "请加快"})
        def supervised(e):
            return e["event"] == "notification" and e["case_id"] == case["id"] and e["kind"] == "supervise"
        note = next(e for e in stream.until(lambda es: any(supervised(e) for e in es)) if supervised(e))
        assert "催办" in note["title"] and note["body"].endswith("请加快")
    finally:
        stream.close()


# ---- photos ----------------------------------------------------------------------------------------------------
def jpeg(taken="2026:11:24 09:30:00", lon=(120, 34, 12.0), lat=(32, 22, 48.0), size=(64, 48)) -> bytes:
    image = Image.new("RGB", size, (200, 80, 40))
    exif = Image.Exif()
    exif.get_ifd(0x8769)[36867] = taken
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: lat, 3: "E", 4: lon})
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_a_photo_is_sniffed_read_for_its_exif_and_served_only_within_scope(county, staff):
    up = county.http.post("/api/v1/media", headers=staff["grid"], files={"file": ("x.png", jpeg(), "image/png")})
    assert up.status_code == 201, up.text
    photo = up.json()
    assert photo["content_type"] == "image/jpeg", "the type comes from the bytes, not the name or the client"
    assert photo["taken_at"].startswith("2026-11-24T09:30:00+08:00")
    assert photo["location"] == {"lon": pytest.approx(120.57, abs=1e-4), "lat": pytest.approx(32.38, abs=1e-4)}
    url = photo["url"]
    assert county.http.get(url, headers=staff["grid"]).content[:3] == b"\xff\xd8\xff", "its uploader sees it"
    assert county.http.get(url, headers=staff["viewer"]).status_code == 404, "no case cites it yet"
    case_id = report(county, staff["grid"], media=[photo["media_id"]])
    _wait_status(county, staff["viewer"], case_id, "dispatched")
    assert county.http.get(url, headers=staff["viewer"]).status_code == 200
    assert county.http.get(url, headers=staff["other"]).status_code == 404, "another township never sees it"
    fake = county.http.post("/api/v1/media", headers=staff["grid"],
                            files={"file": ("a.jpg", b"\xff\xd8\xff" + b"not really a jpeg" * 10, "image/jpeg")})
    assert fake.status_code == 422 and fake.json()["error"]["code"] == "not_a_photo"
    text = county.http.post("/api/v1/media", headers=staff["grid"], files={"file": ("a.jpg", b"hello", "image/jpeg")})
    assert text.status_code == 422
    big = county.http.post("/api/v1/media", headers=staff["grid"],
                           files={"file": ("big.jpg", b"\xff\xd8\xff" + b"0" * (10 * 1024 * 1024 + 10), "image/jpeg")})
    assert big.status_code == 413
    assert county.http.post("/api/v1/media", headers=staff["viewer"], files={"file": ("x.jpg", jpeg())}).status_code == 403


# ---- what the screens read -------------------------------------------------------------------------------------
def test_the_board_has_points_sources_a_30_day_trend_and_a_ranking(county, staff):
    case_id = report(county, staff["grid"])
    _wait_status(county, staff["viewer"], case_id, "dispatched")
    board = county.http.get("/api/v1/board", headers=staff["viewer"]).json()
    point = next(p for p in board["points"] if p["id"] == case_id)
    assert point["light"] == "green" and point["region"] == INSIDE and point["lon"] and point["lat"]
    assert board["by_source"]["grid"] >= 1 and len(board["trend"]) == 30
    today = datetime.now(CHINA).strftime("%Y-%m-%d")
    assert board["trend"][-1]["date"] == today and board["trend"][-1]["received"] >= 1
    assert set(board["ranking"]) >= {"by", "best", "worst", "period"}
    assert all(p["region"] == INSIDE for p in board["points"])


def test_the_desk_queue_lists_new_cases_of_this_center_in_the_callers_scope(county, staff):
    case_id = report(county, staff["grid"])
    _wait_status(county, staff["viewer"], case_id, "dispatched")
    queue = county.http.get("/api/v1/queue", headers=staff["dispatcher"]).json()
    assert set(queue) == {"new", "returned", "escalated", "overdue", "extension_requests", "supervising",
                          "return_reviews", "suspension_requests", "registrations"}
    assert case_id in [c["id"] for c in queue["new"]]
    assert case_id not in json.dumps(county.http.get("/api/v1/queue", headers=staff["other"]).json())


def test_the_map_has_the_districts_and_the_townships_as_points(county, staff):
    m = county.http.get("/api/v1/map", headers=staff["county"]).json()
    assert [f["properties"]["code"] for f in m["districts"]["features"]] == [COUNTY]
    assert m["townships"] == [], "no boundary data for 如皋's townships: no point is invented for them"
    assert "示意" in m["attribution"]


def test_a_retried_action_with_its_idempotency_key_answers_the_case_instead_of_409(county, staff):
    case = _wait_status(county, staff["viewer"], report(county, staff["grid"]), "dispatched")
    handler = _handler(county, case)
    key = {"Idempotency-Key": str(uuid.uuid4())}
    first = county.http.post(f"/api/v1/cases/{case['id']}/accept", headers={**handler, **key}, json={})
    again = county.http.post(f"/api/v1/cases/{case['id']}/accept", headers={**handler, **key}, json={})
    assert first.status_code == 200 and again.status_code == 200 and again.json()["status"] == "accepted"
    assert [t["type"] for t in again.json()["timeline"]].count("accepted") == 1
    assert county.http.post(f"/api/v1/cases/{case['id']}/accept", headers=handler, json={}).status_code == 409


def test_the_pages_are_served_with_a_policy_that_allows_this_center_only(county):
    for page in ("/screen/", "/desk/", "/m/"):
        r = county.http.get(page)
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/html"), page
        assert "connect-src 'self'" in r.headers["content-security-policy"]
    assert county.http.get("/assets/vendor/echarts.min.js").status_code == 200
    assert county.http.get("/assets/../../pyproject.toml").status_code == 404
    assert county.http.get("/assets/vendor/../../../pyproject.toml").status_code == 404
