"""QUALITY S1: every route × every role × a case inside and outside the token's region subtree. A role the route
does not allow gets 403; a case outside the token's subtree is refused (403 or 404) by every route, and no list
shows anything of another region."""
import io
import json
import time
from datetime import datetime

import httpx
import pytest
from PIL import Image

from services.gateway.service import api
from shared.clock import CHINA
from shared.contracts.api import ROLES
from shared.contracts.signing import sign
from tests.e2e.test_center_http import Center, _wait_status

COUNTY, INSIDE, OUTSIDE = "320612", "320612001", "320612002"
BODIES = {"transfer": {"unit": f"{COUNTY}.housing"}, "resolve": {"note": "done"}, "verify": {"passed": True},
          "extend": {"reason": "parts", "hours": 4}, "decide-extension": {"approved": True}, "merge": {"into": "X-1"},
          "return": {"reason": "not ours", "reason_code": "not_ours", "basis": "权责清单第1条"},
          "escalate": {"reason": "too big"}, "reopen": {"reason": "again"},
          "reject": {"reason": "dup"}, "split": {"reason": "not the same"}, "review-return": {"approved": True},
          "suspend": {"reason": "waiting"}, "decide-suspension": {"approved": True}, "void": {"reason": "test"},
          "register": {"approved": True},
          "joint": {"lead": f"{COUNTY}.housing", "assisting": [f"{COUNTY}.water"]},
          "whistle": {"units": [f"{COUNTY}.water"], "reason": "需水务到场"}}
SECRET = "e2e-authz-hotline-secret-0123"
INTAKE = ("/api/v1/reports", "/api/v1/alerts", "/api/v1/hotline/orders", "/api/v1/hotline/visits")
REPORT = {"description": "金沙街道工地夜间施工扰民，噪音很大", "category": "1301", "region": INSIDE,
          "location": {"lon": 121.07, "lat": 32.08}}


@pytest.fixture(scope="module")
def county(amqp_uri, database_url):
    c = Center(COUNTY, amqp_uri, database_url, extra_env={"YIWANG_HOTLINE_SECRET": SECRET})
    yield c
    assert c.stop() == 0


@pytest.fixture(scope="module")
def case(county):
    r = county.http.post("/api/v1/reports", headers=county.token("dispatcher"), json=REPORT)
    assert r.status_code == 202, r.text
    return _wait_status(county, county.token("viewer"), r.json()["case_id"], "dispatched")


def _token(county, role, region, case):
    unit = None
    if role == "handler":
        unit = case["unit"] if region == INSIDE else f"{OUTSIDE}.chengguan"
        region = COUNTY if region == INSIDE else OUTSIDE
    return county.token(role, unit=unit, region=region)


def _call(county, route, headers, case_id, token_id=0):
    path = route.path.replace("{case_id}", case_id).replace("{token_id}", str(token_id))
    path = path.replace("{notification_id}", "1")
    action = path.rsplit("/", 1)[-1]
    if route.path in ("/api/v1/evaluation", "/api/v1/ranking"):
        return county.http.get(path, headers=headers, params={"period": time.strftime("%Y-%m"), "by": "region"})
    if route.path == "/api/v1/stream":  # everything of the last hour (Last-Event-ID 0), read for a moment
        return _first_of_stream(county, path, headers)
    if route.method == "DELETE":
        return county.http.delete(path, headers=headers)
    if route.path == "/api/v1/media":
        return county.http.post(path, headers=headers, files={"file": ("p.jpg", _JPEG, "image/jpeg")})
    if route.method == "GET":
        return county.http.get(path, headers=headers)
    if route.path == "/api/v1/reports":
        return county.http.post(path, headers=headers, json=REPORT)
    if route.path == "/api/v1/alerts":  # a water-logging sensor inside the township
        return county.http.post(path, headers=headers, json={
            "sensor_id": "wl-1", "alert_type": "waterlogging", "level": "warning", "location": REPORT["location"],
            "observed_at": datetime.now(CHINA).isoformat()})
    if route.path == "/api/v1/tracks":  # a tanker's one fix inside the township
        return county.http.post(path, headers=headers, json={
            "vehicle_id": f"AUTHZ-{time.monotonic_ns()}", "class": "hazmat",
            "points": [{"at": datetime.now(CHINA).isoformat(), **REPORT["location"]}]})
    if route.path.startswith("/api/v1/hotline/"):  # signed, about the township
        now = datetime.now(CHINA).isoformat()
        body = {"order_no": f"12345-AUTHZ-{time.monotonic_ns()}", "resolved": True, "satisfaction": "satisfied",
                "visited_at": now} if route.path.endswith("visits") else {
            "order_no": f"12345-AUTHZ-{time.monotonic_ns()}", "channel": "phone", "kind": "complaint",
            "title": "噪音扰民", "content": "工地夜间施工噪音很大", "caller": {"phone": "13800001111"},
            "region": INSIDE, "urgent": False, "received_at": now}
        raw = json.dumps(body, ensure_ascii=False).encode()
        return county.http.post(path, content=raw, headers={**headers, "Content-Type": "application/json",
                                                             **sign(raw, SECRET)})
    if route.path == "/api/v1/tokens":
        return county.http.post(path, headers=headers, json={"role": "viewer", "region": INSIDE, "name": "x"})
    return county.http.post(path, headers=headers, json=BODIES.get(action, {}))


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), (9, 9, 9)).save(out, "JPEG")
    return out.getvalue()


_JPEG = _jpeg()


class _Read:
    """What a stream sent within a moment: its status and text."""

    def __init__(self, status_code, text):
        self.status_code, self.text = status_code, text


def _first_of_stream(county, path, headers, quiet=1.5):
    """Read until the stream has been quiet for `quiet` seconds."""
    with county.http.stream("GET", path, headers={**headers, "Last-Event-ID": "0"},
                            timeout=httpx.Timeout(10, read=quiet)) as r:
        if r.status_code != 200:
            r.read()
            return r
        text = ""
        try:
            for chunk in r.iter_text():
                text += chunk
        except httpx.ReadTimeout:
            pass
        return _Read(r.status_code, text)


@pytest.fixture(scope="module")
def victim(county):
    """A token of the township inside, for the revocation route."""
    r = county.http.post("/api/v1/tokens", headers={"Authorization": "Bearer e2e-admin-token-0123456789"},
                         json={"role": "viewer", "region": INSIDE, "name": "victim"})
    return r.json()["id"]


@pytest.mark.parametrize("role", ROLES)
def test_every_route_refuses_other_roles_and_other_regions(county, case, victim, role):
    outside = _token(county, role, OUTSIDE, case)
    inside = _token(county, role, INSIDE, case)
    checked = 0
    for route in api.routes:
        if route.roles is None:
            continue
        allowed = role in route.roles
        if not allowed:
            for headers in (inside, outside):
                r = _call(county, route, headers, case["id"], victim)
                assert r.status_code == 403, (role, route.method, route.path, r.status_code, r.text)
            checked += 1
            continue
        r = _call(county, route, outside, case["id"], victim)
        if "{" in route.path or route.path in INTAKE:
            assert r.status_code in (403, 404), (role, route.method, route.path, r.status_code, r.text)
        elif route.path in ("/api/v1/tokens", "/api/v1/audit"):
            assert r.status_code == 403, (role, route.path, r.text)  # an admin of another township
        else:
            assert r.status_code == route.status, (role, route.path, r.text)
            if route.path != "/api/v1/catalog":  # the catalog is reference data: it lists every region by design
                assert case["id"] not in r.text and INSIDE not in r.text, (role, route.path, "leaks another region")
        checked += 1
    assert checked == sum(1 for r in api.routes if r.roles is not None)


def test_inside_the_subtree_the_case_is_visible_to_every_reading_role(county, case):
    for role in ("admin", "dispatcher", "handler", "gridworker", "viewer"):
        headers = _token(county, role, INSIDE, case)
        assert county.http.get(f"/api/v1/cases/{case['id']}", headers=headers).status_code == 200, role
        listed = county.http.get("/api/v1/cases", headers=headers).json()
        assert case["id"] in [c["id"] for c in listed["items"]], role


def test_a_county_viewer_sees_its_townships_in_the_evaluation(county, case):
    headers = county.token("viewer", region=COUNTY)
    rows = county.http.get("/api/v1/evaluation", headers=headers,
                           params={"period": time.strftime("%Y-%m"), "by": "region"}).json()["rows"]
    assert INSIDE in {r["region"] for r in rows}
