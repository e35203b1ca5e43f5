"""The three-tier chain on one broker: city 320600, county 320612 and township 320612107 as separate processes
with their own databases. A case entered at the city is routed down to the township and dispatched there;
every tier sees it with the same id and full timeline; only the owner acts; ancestors supervise; a township
escalates to the county; repeated returns end with a final owner (兜底)."""
import time

import pytest

from app.composition import all_subscriptions
from app.simulators.hotline import HotlineSimulator
from shared.messaging import dlq
from tests.e2e.test_center_http import Center, _free_port
from tests.support import somewhere

CITY, COUNTY, TOWN = "320600", "320612", "320612107"
SECRET = "e2e-chain-hotline-secret-01234"
GARBAGE = {"description": "十总镇老街菜场门口暴露垃圾堆了好几天，气味很大", "category": "1101", "region": TOWN,
           "location": {"lon": 121.02, "lat": 32.16, "address": "十总镇老街菜场"},
           "reporter": {"name": "陈女士", "phone": "13912345678"}}


@pytest.fixture(scope="module")
def hotline_port():
    return _free_port()


@pytest.fixture(scope="module")
def chain(amqp_uri, database_url, hotline_port):
    twelve345 = {"YIWANG_HOTLINE_SECRET": SECRET, "YIWANG_HOTLINE_URL": f"http://127.0.0.1:{hotline_port}",
                 "YIWANG_HOTLINE_POLL_SECONDS": "0.2"}  # the city takes 12345 orders
    centers = {code: Center(code, amqp_uri, database_url, extra_env=twelve345 if code == CITY else None)
               for code in (CITY, COUNTY, TOWN)}
    yield centers
    for c in centers.values():
        assert c.stop() == 0, c.tail()
    for code in centers:  # every handler of every tier took every event it got: no dead letters
        assert dlq.list_dead(amqp_uri, all_subscriptions(code)) == [], code


@pytest.fixture(scope="module")
def viewers(chain):
    return {code: c.token("viewer") for code, c in chain.items()}


def _get(center, headers, case_id):
    r = center.http.get(f"/api/v1/cases/{case_id}", headers=headers)
    return r.json() if r.status_code == 200 else None


def _until(fn, timeout=30, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = fn()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"{what} not reached in {timeout}s")


def _entered_at_the_city(chain):
    body = {**GARBAGE, "location": somewhere(121.02, 32.16, address="十总镇老街菜场")}  # one case each, not merged
    r = chain[CITY].http.post("/api/v1/reports", headers=chain[CITY].token("dispatcher"), json=body)
    assert r.status_code == 202, r.text
    return r.json()["case_id"]


def test_a_case_entered_at_the_city_is_handled_at_the_township_and_seen_at_every_tier(chain, viewers):
    case_id = _entered_at_the_city(chain)
    town = _until(lambda: (c := _get(chain[TOWN], viewers[TOWN], case_id)) and c["status"] == "dispatched" and c,
                  what="dispatched at the township")
    assert town["center"] == TOWN and town["unit"] == f"{TOWN}.sanitation" and town["id"] == case_id
    types = [(t["type"], t["center"]) for t in town["timeline"]]
    assert types == [("received", CITY), ("routed", CITY), ("routed", COUNTY), ("triaged", TOWN), ("dispatched", TOWN)]
    for code in (CITY, COUNTY):
        seen = _until(lambda code=code: (c := _get(chain[code], viewers[code], case_id)) and c["status"] == "dispatched"
                      and c, what=f"dispatched as seen at {code}")
        assert seen["center"] == TOWN and [t["type"] for t in seen["timeline"]] == [t for t, _ in types]
    assert "reporters" in town and town["reporters"] == [], "the reporters stay at the city"


def test_ancestors_follow_read_only_but_may_supervise(chain, viewers):
    case_id = _entered_at_the_city(chain)
    _until(lambda: (c := _get(chain[CITY], viewers[CITY], case_id)) and c["status"] == "dispatched",
           what="dispatched, seen at the city")
    city_dispatcher = chain[CITY].token("dispatcher")
    r = chain[CITY].http.post(f"/api/v1/cases/{case_id}/close", headers=city_dispatcher, json={})
    assert r.status_code == 409 and r.json()["error"]["code"] == "not_owner"
    assert r.json()["error"]["details"]["owner"] == TOWN
    r = chain[CITY].http.post(f"/api/v1/cases/{case_id}/supervise", headers=city_dispatcher, json={"note": "市级督办"})
    assert r.status_code == 200, r.text
    town = _until(lambda: (c := _get(chain[TOWN], viewers[TOWN], case_id)) and c["supervision_level"] == 1 and c,
                  what="the township records the city's supervision")
    assert ("supervised", CITY) in [(t["type"], t["center"]) for t in town["timeline"]]
    county = _until(lambda: (c := _get(chain[COUNTY], viewers[COUNTY], case_id))
                    and "supervised" in [t["type"] for t in c["timeline"]] and c, what="the county sees it too")
    assert county["center"] == TOWN


def test_a_township_escalates_and_the_county_dispatches_to_its_own_department(chain, viewers):
    case_id = _entered_at_the_city(chain)
    town = _until(lambda: (c := _get(chain[TOWN], viewers[TOWN], case_id)) and c["status"] == "dispatched" and c,
                  what="dispatched at the township")
    handler = chain[TOWN].token("handler", unit=town["unit"])
    r = chain[TOWN].http.post(f"/api/v1/cases/{case_id}/escalate", headers=handler,
                              json={"reason": "涉及占道违建，需区级执法权"})
    assert r.status_code == 200 and r.json()["center"] == COUNTY
    county = _until(lambda: (c := _get(chain[COUNTY], viewers[COUNTY], case_id)) and c["center"] == COUNTY
                    and c["status"] == "dispatched" and c, what="dispatched at the county")
    assert county["unit"].startswith(f"{COUNTY}.")
    assert [t["type"] for t in county["timeline"]][-3:] == ["escalated", "triaged", "dispatched"]
    _until(lambda: (c := _get(chain[CITY], viewers[CITY], case_id)) and c["center"] == COUNTY
           and c["status"] == "dispatched", what="the city sees the county's dispatch")


def test_after_repeated_returns_the_command_desk_is_the_final_owner(chain, viewers):
    town_center = chain[TOWN]
    r = town_center.http.post("/api/v1/reports", headers=town_center.token("gridworker"),
                              json={**GARBAGE, "location": somewhere(121.02, 32.16)})
    case_id = r.json()["case_id"]
    units = []
    for n in range(1, 4):
        case = _until(lambda n=n: (c := _get(town_center, viewers[TOWN], case_id)) and c["status"] == "dispatched"
                      and c["return_count"] == n - 1 and c, what=f"dispatch #{n}")
        units.append(case["unit"])
        r = town_center.http.post(f"/api/v1/cases/{case_id}/return", headers=town_center.token("handler", unit=case["unit"]),
                                  json={"reason": f"第{n}次退单：不属于本单位", "reason_code": "not_ours",
                                        "basis": "权责清单：非本单位职责"})
        assert r.status_code == 200, r.text
        r = town_center.http.post(f"/api/v1/cases/{case_id}/review-return", headers=town_center.token("dispatcher"),
                                  json={"approved": True, "note": f"第{n}次退单审核通过"})
        assert r.status_code == 200, r.text
    final = _until(lambda: (c := _get(town_center, viewers[TOWN], case_id)) and c["status"] == "dispatched"
                   and c["return_count"] == 3 and c, what="the final owner")
    assert final["unit"] == f"{TOWN}.command" and final["triage_rule"] == "final-owner"
    last_triage = [t for t in final["timeline"] if t["type"] == "triaged"][-1]
    assert "兜底" in last_triage["note"] and len(set(units)) == 3, (last_triage, units)


def test_the_city_evaluates_its_whole_subtree_by_region(chain, viewers):
    period = time.strftime("%Y-%m")
    rows = chain[CITY].http.get("/api/v1/evaluation", params={"period": period, "by": "region"},
                                headers=viewers[CITY]).json()["rows"]
    assert TOWN in {r["region"] for r in rows}
    board = chain[COUNTY].http.get("/api/v1/board", headers=viewers[COUNTY]).json()
    assert sum(board["by_status"].values()) >= 3


def test_an_ancestor_takes_a_case_up_and_the_former_owner_can_no_longer_act(chain, viewers):
    case_id = _entered_at_the_city(chain)
    _until(lambda: (c := _get(chain[COUNTY], viewers[COUNTY], case_id)) and c["status"] == "dispatched",
           what="dispatched at the township, seen at the county")
    r = chain[COUNTY].http.post(f"/api/v1/cases/{case_id}/escalate", headers=chain[COUNTY].token("dispatcher"),
                                json={"reason": "群众多次投诉，区级提级办理"})
    assert r.status_code == 200 and r.json()["center"] == COUNTY, r.text
    county = _until(lambda: (c := _get(chain[COUNTY], viewers[COUNTY], case_id)) and c["status"] == "dispatched"
                    and c["center"] == COUNTY and c, what="dispatched at the county after 提级")
    assert county["unit"].startswith(f"{COUNTY}.")
    town = _until(lambda: (c := _get(chain[TOWN], viewers[TOWN], case_id)) and c["center"] == COUNTY and c,
                  what="the township's copy follows")
    old_unit = [t for t in town["timeline"] if t["type"] == "dispatched"][0]["unit"]
    r = chain[TOWN].http.post(f"/api/v1/cases/{case_id}/accept", headers=chain[TOWN].token("handler", unit=old_unit),
                              json={})
    assert r.status_code == 409 and r.json()["error"]["code"] == "not_owner", r.text


def test_a_12345_complaint_goes_down_the_chain_and_its_answer_comes_back_up(chain, viewers, hotline_port):
    """Scenario 1: the platform pushes an order to the city; the township fixes it; the city tells 12345 every step;
    the citizen's satisfied visit (at the city) closes the case where it is owned; every tier counts it."""
    city = chain[CITY]
    token = city.token("hotline")["Authorization"].split()[1]
    with HotlineSimulator(str(city.http.base_url), token, SECRET, port=hotline_port, seed=3, visit_delay=0.3,
                          mix={"satisfied": 1.0}) as sim:
        order = sim.generator.order().body | {
            "kind": "complaint", "title": "小巷玻璃碎片", "content": "十总镇老街小巷里有大量碎玻璃，孩子经过很危险",
            "region": TOWN, "category": "1101", "location": somewhere(121.02, 32.16), "urgent": False}
        case_id = sim.push(order)
        town = _until(lambda: (c := _get(chain[TOWN], viewers[TOWN], case_id)) and c["status"] == "dispatched" and c,
                      what="dispatched at the township")
        handler = chain[TOWN].token("handler", unit=town["unit"])
        assert chain[TOWN].http.post(f"/api/v1/cases/{case_id}/accept", headers=handler, json={}).status_code == 200
        r = chain[TOWN].http.post(f"/api/v1/cases/{case_id}/resolve", headers=handler,
                                  json={"note": "已清理碎玻璃", "media": ["https://img.example.cn/after.jpg"]})
        assert r.status_code == 200
        r = chain[TOWN].http.post(f"/api/v1/cases/{case_id}/verify", headers=chain[TOWN].token("dispatcher"),
                                  json={"passed": True})
        assert r.status_code == 200
        closed = _until(lambda: (c := _get(chain[TOWN], viewers[TOWN], case_id)) and c["status"] == "closed" and c,
                        what="closed at the township after the visit")
        assert closed["satisfaction"] == "satisfied"
        assert ("visited", CITY) in [(t["type"], t["center"]) for t in closed["timeline"]]
        _until(lambda: (c := _get(city, viewers[CITY], case_id)) and c["status"] == "closed", what="closed at the city")
        updates = _until(lambda: (o := next(x for x in sim.state()["orders"] if x["order_no"] == order["order_no"]))
                         and len(o["updates"]) >= 4 and o["updates"], what="the platform told")
        assert updates == ["dispatched", "accepted", "resolved", "closed"]
        assert sim.state()["totals"]["out_of_order"] == 0
    period = time.strftime("%Y-%m")
    for code in (CITY, COUNTY, TOWN):
        rows = chain[code].http.get("/api/v1/evaluation", params={"period": period, "by": "region"},
                                    headers=viewers[code]).json()["rows"]
        row = next(r for r in rows if r["region"] == TOWN)
        assert case_id in row["satisfaction_rate"]["numerator_cases"], code
