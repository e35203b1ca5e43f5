"""Joint handling (联合处置) and the whistle (街道吹哨), issue 11 item 4, through HTTP against centers started as
processes (real RabbitMQ and PostgreSQL): a dispatcher names a lead and two assisting units, each with a sub-task of
its own; an assisting unit's handler cannot act on the case's lead actions but acts on its sub-task; the case
resolves only after every sub-task; a sub-task is returned; a township whistles two county departments, whose
handlers act on their sub-tasks from the county's tokens at the county; the evaluation by unit charges each unit its
own sub-task; every new action lands in the audit chain."""
from datetime import datetime

import pytest

from shared.clock import CHINA
from tests.e2e.test_center_http import ADMIN, Center, auth
from tests.support import somewhere, wait_until

COUNTY, TOWN = "320681", "320681100"  # 启东市 and one of its townships: no other test runs them
POLICE, SAFETY = f"{TOWN}.police", f"{TOWN}.safety"
COUNTY_EMERGENCY, COUNTY_POLICE = f"{COUNTY}.emergency", f"{COUNTY}.police"
BASIS = "《汇龙镇权责清单》第8条：危化品运输由应急管理部门负责"


@pytest.fixture(scope="module")
def county(amqp_uri, database_url):
    c = Center(COUNTY, amqp_uri, database_url)
    yield c
    assert c.stop() == 0, "SIGTERM drains and exits 0\n" + c.tail()


@pytest.fixture(scope="module")
def town(amqp_uri, database_url, county):
    c = Center(TOWN, amqp_uri, database_url)
    yield c
    assert c.stop() == 0, "SIGTERM drains and exits 0\n" + c.tail()


@pytest.fixture(scope="module")
def desk(town):
    return town.token("dispatcher")


def _get(center, headers, case_id) -> dict:
    r = center.http.get(f"/api/v1/cases/{case_id}", headers=headers)
    assert r.status_code == 200, r.text
    return r.json()


def _act(center, headers, case_id, action, body=None):
    return center.http.post(f"/api/v1/cases/{case_id}/{action}", headers=headers, json=body or {})


def _task(center, headers, case_id, unit, action, body=None):
    return center.http.post(f"/api/v1/cases/{case_id}/tasks/{unit}/{action}", headers=headers, json=body or {})


def _dispatched(town, desk) -> tuple[str, dict]:
    body = {"description": "镇区路口井盖破损，有车辆陷落危险", "category": "0107", "region": TOWN,
            "location": somewhere(121.66, 31.81, address="汇龙镇人民路8号")}
    r = town.http.post("/api/v1/reports", headers=desk, json=body)
    assert r.status_code == 202, r.text
    case_id = r.json()["case_id"]
    case = wait_until(lambda: (c := _get(town, desk, case_id))["status"] == "dispatched" and c, timeout=30,
                      what="dispatched")
    return case_id, case


def _tasks(case) -> dict:
    return {t["unit"]: t for t in case["tasks"]}


def _audited(center, case_id) -> set[str]:
    actions, page = set(), 1
    while True:
        r = center.http.get("/api/v1/audit", headers=auth(ADMIN), params={"page_size": 100, "page": page})
        assert r.status_code == 200, r.text
        body = r.json()
        actions |= {e["action"] for e in body["items"] if e["subject"].get("case_id") == case_id}
        if page * 100 >= body["total"]:
            return actions
        page += 1


@pytest.fixture(scope="module")
def joint_case(town, desk):
    """A case handled jointly: its lead, and two assisting units of the township."""
    case_id, case = _dispatched(town, desk)
    lead = case["unit"]
    assert lead not in (POLICE, SAFETY)
    r = _act(town, desk, case_id, "joint", {"lead": lead, "assisting": [POLICE, SAFETY], "reason": "需派出所、安监办协同"})
    assert r.status_code == 200, r.text
    return case_id, lead


def test_a_joint_gives_the_lead_and_each_assisting_unit_a_sub_task_with_its_own_deadlines(town, desk, joint_case):
    case_id, lead = joint_case
    case = _get(town, desk, case_id)
    assert (case["status"], case["unit"], case["assisting_units"]) == ("dispatched", lead, [POLICE, SAFETY])
    tasks = _tasks(case)
    assert [(t["unit"], t["role"], t["status"]) for t in case["tasks"]] == [
        (lead, "lead", "dispatched"), (POLICE, "assisting", "dispatched"), (SAFETY, "assisting", "dispatched")]
    for unit in (POLICE, SAFETY):
        due = tasks[unit]["deadlines"]
        assert due["sign"] and due["resolve"] and due["sign"] < due["resolve"], due
        assert tasks[unit]["light"] in ("green", "yellow", "red")
    assert tasks[lead]["deadlines"]["sign"] == case["deadlines"]["sign"]  # the lead's sub-task is the case
    joint = [t for t in case["timeline"] if t["type"] == "joint_opened"][-1]
    assert joint["data"]["assisting"] == [POLICE, SAFETY]


def test_an_assisting_handler_cannot_act_on_the_case_but_acts_on_its_own_sub_task(town, desk, joint_case):
    case_id, lead = joint_case
    police = town.token("handler", unit=POLICE)
    told = town.http.get("/api/v1/notifications", headers=police).json()["items"]
    assert any(n["case_id"] == case_id and n["kind"] == "new_task" for n in told), told
    listed = town.http.get("/api/v1/cases", headers=police, params={"unit": POLICE, "page_size": 100}).json()
    assert case_id in [c["id"] for c in listed["items"]], "a unit's list holds the cases it assists in"
    for action, body in (("accept", {}), ("resolve", {"note": "已处置"}),
                         ("return", {"reason": "不归我们", "reason_code": "not_ours", "basis": BASIS})):
        r = _act(town, police, case_id, action, body)
        assert r.status_code == 403, (action, r.text)
    r = _task(town, police, case_id, SAFETY, "accept")  # not its sub-task
    assert r.status_code == 403, r.text
    r = _task(town, police, case_id, POLICE, "resolve", {"note": "未签收先办结"})
    assert r.status_code == 409, r.text  # sign for it first
    r = _task(town, police, case_id, POLICE, "accept", {"note": "派出所已签收"})
    assert r.status_code == 200, r.text
    assert _tasks(r.json())[POLICE]["status"] == "accepted"
    assert r.json()["status"] == "dispatched"  # the case is still the lead's to sign for
    r = _task(town, police, case_id, POLICE, "accept")
    assert r.status_code == 409, r.text


def test_the_case_resolves_only_after_every_sub_task_and_a_sub_task_can_be_returned(town, desk, joint_case):
    case_id, lead = joint_case
    lead_handler, police = town.token("handler", unit=lead), town.token("handler", unit=POLICE)
    safety = town.token("handler", unit=SAFETY)
    r = _task(town, lead_handler, case_id, lead, "accept")  # the lead's sub-task is the case: this signs for it
    assert r.status_code == 200 and r.json()["status"] == "accepted", r.text
    r = _act(town, lead_handler, case_id, "resolve", {"note": "井盖已更换"})
    assert r.status_code == 409, r.text
    assert POLICE in r.json()["error"]["message"] and SAFETY in r.json()["error"]["message"]
    r = _task(town, safety, case_id, SAFETY, "return", {"reason": "不属安监职责", "reason_code": "nope", "basis": BASIS})
    assert r.status_code == 422, r.text
    r = _task(town, safety, case_id, SAFETY, "return", {"reason": "不属安监职责", "reason_code": "not_ours",
                                                       "basis": BASIS})
    assert r.status_code == 200, r.text
    case = r.json()
    assert _tasks(case)[SAFETY]["status"] == "returned" and case["assisting_units"] == [POLICE]
    r = _act(town, lead_handler, case_id, "resolve", {"note": "井盖已更换"})
    assert r.status_code == 409 and POLICE in r.json()["error"]["message"], r.text
    r = _task(town, police, case_id, POLICE, "resolve", {"note": "现场秩序已维护"})
    assert r.status_code == 200 and r.json()["status"] == "accepted", r.text  # the lead resolves last
    r = _act(town, lead_handler, case_id, "resolve", {"note": "井盖已更换"})
    assert r.status_code == 200, r.text
    case = r.json()
    assert case["status"] == "resolved"
    assert {u: t["status"] for u, t in _tasks(case).items()} == {lead: "resolved", POLICE: "resolved",
                                                                 SAFETY: "returned"}
    types = [t["type"] for t in case["timeline"]]
    assert {"joint_opened", "task_accepted", "task_returned", "task_resolved"} <= set(types)
    assert {"case.joint_opened", "case.task_accepted", "case.task_returned", "case.task_resolved"} <= _audited(
        town, case_id)


def test_a_township_whistles_two_county_departments_who_act_from_the_countys_tokens(town, county, desk):
    case_id, case = _dispatched(town, desk)
    r = _act(county, county.token("dispatcher"), case_id, "whistle", {"units": [COUNTY_POLICE], "reason": "x"})
    assert r.status_code == 403, r.text  # a county does not whistle
    r = _act(town, desk, case_id, "whistle", {"units": [COUNTY_EMERGENCY, COUNTY_POLICE],
                                              "reason": "危化品槽罐车反复停靠，需应急、公安到场"})
    assert r.status_code == 200, r.text
    assert r.json()["assisting_units"] == [COUNTY_EMERGENCY, COUNTY_POLICE]
    assert {t["unit"]: t["whistle"] for t in r.json()["tasks"]} == {
        case["unit"]: False, COUNTY_EMERGENCY: True, COUNTY_POLICE: True}
    emergency = county.token("handler", unit=COUNTY_EMERGENCY, region=COUNTY)
    police = county.token("handler", unit=COUNTY_POLICE, region=COUNTY)
    # the whistle reached the county on the case's key: its departments' handlers see the case and their sub-tasks
    seen = wait_until(lambda: (c := county.http.get(f"/api/v1/cases/{case_id}", headers=emergency)).status_code == 200
                      and COUNTY_EMERGENCY in _tasks(c.json()) and c.json(), timeout=30, what="the case at the county")
    assert "whistled" in [t["type"] for t in seen["timeline"]]
    # and each summoned department is told of its new task where its handlers are (notification's new-task rule)
    for token in (emergency, police):
        wait_until(lambda token=token: any(n["case_id"] == case_id and n["kind"] == "new_task" for n in county.http.get(
            "/api/v1/notifications", headers=token).json()["items"]), timeout=30, what="the new task told at the county")
    r = _act(county, emergency, case_id, "accept")  # not the case's lead
    assert r.status_code in (403, 409), r.text
    r = _task(county, emergency, case_id, COUNTY_POLICE, "accept")
    assert r.status_code == 403, r.text
    r = _task(county, emergency, case_id, COUNTY_EMERGENCY, "accept", {"note": "应急局已签收"})
    assert r.status_code == 200, r.text
    assert _tasks(r.json())[COUNTY_EMERGENCY]["status"] == "accepted"
    r = _task(county, police, case_id, COUNTY_POLICE, "accept")
    assert r.status_code == 200, r.text
    r = _task(county, police, case_id, COUNTY_POLICE, "resolve", {"note": "已查扣车辆"})
    assert r.status_code == 200, r.text
    # the owner took the county's acts onto its case
    owner = wait_until(lambda: (c := _get(town, desk, case_id)) and _tasks(c)[COUNTY_POLICE]["status"] == "resolved"
                       and _tasks(c)[COUNTY_EMERGENCY]["status"] == "accepted" and c, timeout=30,
                       what="the sub-tasks at the township")
    assert owner["status"] == "dispatched"
    lead_handler = town.token("handler", unit=case["unit"])
    assert _act(town, lead_handler, case_id, "accept").status_code == 200
    r = _act(town, lead_handler, case_id, "resolve", {"note": "现场处置完毕"})
    assert r.status_code == 409 and COUNTY_EMERGENCY in r.json()["error"]["message"], r.text
    r = _task(county, emergency, case_id, COUNTY_EMERGENCY, "resolve", {"note": "危化品已转运"})
    assert r.status_code == 200, r.text
    wait_until(lambda: _tasks(_get(town, desk, case_id))[COUNTY_EMERGENCY]["status"] == "resolved", timeout=30,
               what="the emergency bureau's part resolved at the township")
    r = _act(town, lead_handler, case_id, "resolve", {"note": "现场处置完毕"})
    assert r.status_code == 200 and r.json()["status"] == "resolved", r.text
    assert {"case.task_accepted", "case.task_resolved"} <= _audited(county, case_id)  # where they acted
    assert {"case.whistled", "case.joint_opened"} <= _audited(town, case_id)


def test_the_evaluation_by_unit_charges_each_unit_its_own_sub_task(town, desk, joint_case):
    case_id, lead = joint_case
    period = datetime.now(CHINA).strftime("%Y-%m")
    r = town.http.get("/api/v1/evaluation", headers=desk, params={"period": period, "by": "unit"})
    assert r.status_code == 200, r.text
    rows = {row["unit"]: row for row in r.json()["rows"]}
    assert case_id in rows[POLICE]["timely_sign_rate"]["denominator_cases"]
    assert case_id in rows[POLICE]["on_time_resolve_rate"]["numerator_cases"]
    assert case_id in rows[SAFETY]["return_rate"]["numerator_cases"]
    assert case_id not in rows[SAFETY]["on_time_resolve_rate"]["denominator_cases"]  # returned: not its to resolve
    assert case_id in rows[lead]["on_time_resolve_rate"]["denominator_cases"]
