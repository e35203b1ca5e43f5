"""提级 through HTTP (issue 11 item 2): a county 320612 and its township 320612104 as separate centers. The township's
case misses its sign-for deadline; the township's clock moves on (YIWANG_CLOCK_FILE) and its sweep walks the
escalation chain of supervision's data — 催办, 督办, 挂牌督办, 提级 — and after the 提级 the county's desk finds the case
in its supervision queue (`supervising`), not before."""
import time

import pytest

from tests.e2e.test_center_http import Center
from tests.support import somewhere

COUNTY, TOWN = "320612", "320612104"


@pytest.fixture(scope="module")
def pair(amqp_uri, database_url):
    centers = {code: Center(code, amqp_uri, database_url) for code in (COUNTY, TOWN)}
    yield centers
    for c in centers.values():
        assert c.stop() == 0, c.tail()


def _until(fn, timeout=30, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = fn()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"{what} not reached in {timeout}s")


def _queue(center, headers, group):
    r = center.http.get("/api/v1/queue", headers=headers)
    assert r.status_code == 200, r.text
    return [c["id"] for c in r.json()[group]]


def _move_clock(center, seconds):
    with open(center.clock.name, "w") as f:
        f.write(str(seconds))


def test_a_tiji_step_puts_the_township_case_in_the_county_supervision_queue(pair):
    county, town = pair[COUNTY], pair[TOWN]
    county_desk, town_desk = county.token("dispatcher"), town.token("dispatcher")
    body = {"description": "雨水箅子缺失，路人容易踩空", "category": "0104", "region": TOWN,
            "location": somewhere(121.05, 32.1, address="人民路口")}
    r = town.http.post("/api/v1/reports", headers=town_desk, json=body)
    assert r.status_code == 202, r.text
    case_id = r.json()["case_id"]
    _until(lambda: (c := town.http.get(f"/api/v1/cases/{case_id}", headers=town_desk).json())
           and c["status"] == "dispatched", what="dispatched at the township")
    _until(lambda: county.http.get(f"/api/v1/cases/{case_id}", headers=county_desk).status_code == 200,
           what="the county follows the case")
    assert case_id not in _queue(county, county_desk, "supervising"), "no 提级 yet"

    _move_clock(town, 10 * 86400)  # ten days on: every step of the sign-for chain is past
    case = _until(lambda: (c := town.http.get(f"/api/v1/cases/{case_id}", headers=town_desk).json())
                  and [t for t in c["timeline"] if t["type"] == "supervised" and t.get("data", {}).get("step") == "提级"]
                  and c, what="the 提级 step recorded at the township")
    steps = [(t["data"].get("step"), t["data"]["level"]) for t in case["timeline"] if t["type"] == "supervised"]
    assert steps == [("催办", 1), ("督办", 2), ("挂牌督办", 3), ("提级", 3)]
    (tiji,) = [t for t in case["timeline"] if t.get("data", {}).get("step") == "提级"]
    assert tiji["data"]["supervisor"] == COUNTY and tiji["data"]["channel"] == ["in_app", "webhook", "sms"]
    assert "parent_center" in tiji["data"]["notify"]

    _until(lambda: case_id in _queue(county, county_desk, "supervising"), what="the case in the county's queue")
    assert case_id not in _queue(town, town_desk, "supervising"), "the township does not supervise itself"
