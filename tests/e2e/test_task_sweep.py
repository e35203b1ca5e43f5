"""The sweep watches the assisting units' sub-tasks (联合处置) as it watches the case, through HTTP against a center
started as a process (real RabbitMQ and PostgreSQL): a case handled jointly by its lead, the police (24x7) and the
safety office; the lead and the safety office sign for their parts on time, the police does not; the center's clock
moves on (YIWANG_CLOCK_FILE) just past the police's sign-for deadline, and its sweep — run again and again — records
one `overdue` and one 催办 naming the police's sub-task, and tells the police's handlers once; the lead and the safety
office hear nothing, and the case's own light stays green while the police's sub-task is red."""
import time
from datetime import UTC, datetime

import pytest

from tests.e2e.test_center_http import Center
from tests.support import somewhere, wait_until

TOWN = "320613017"  # 唐闸镇街道: no other test runs it
POLICE, SAFETY = f"{TOWN}.police", f"{TOWN}.safety"
WARNINGS = {"due_soon", "overdue", "supervise"}


@pytest.fixture(scope="module")
def town(amqp_uri, database_url):
    c = Center(TOWN, amqp_uri, database_url)
    yield c
    assert c.stop() == 0, "SIGTERM drains and exits 0\n" + c.tail()


def _get(center, headers, case_id) -> dict:
    r = center.http.get(f"/api/v1/cases/{case_id}", headers=headers)
    assert r.status_code == 200, r.text
    return r.json()


def _task(center, headers, case_id, unit, action, body=None):
    return center.http.post(f"/api/v1/cases/{case_id}/tasks/{unit}/{action}", headers=headers, json=body or {})


def _tasks(case) -> dict:
    return {t["unit"]: t for t in case["tasks"]}


def _told(center, headers, case_id) -> list[str]:
    r = center.http.get("/api/v1/notifications", headers=headers)
    assert r.status_code == 200, r.text
    return sorted(n["kind"] for n in r.json()["items"] if n["case_id"] == case_id)


def _move_clock(center, seconds: float) -> None:
    with open(center.clock.name, "w") as f:
        f.write(str(seconds))


def _warnings(case, unit) -> list[tuple[str, str | None]]:
    return [(t["type"], (t.get("data") or {}).get("step")) for t in case["timeline"]
            if t["type"] in ("due_soon", "overdue", "supervised") and t.get("unit") == unit]


def test_an_assisting_unit_late_to_sign_for_its_sub_task_is_warned_and_urged_once_and_the_lead_hears_nothing(town):
    desk = town.token("dispatcher")
    body = {"description": "唐闸老街路口井盖破损，有车辆陷落危险", "category": "0107", "region": TOWN,
            "location": somewhere(120.83, 32.06, address="唐闸镇人民路9号")}
    r = town.http.post("/api/v1/reports", headers=desk, json=body)
    assert r.status_code == 202, r.text
    case_id = r.json()["case_id"]
    case = wait_until(lambda: (c := _get(town, desk, case_id))["status"] == "dispatched" and c, timeout=30,
                      what="dispatched")
    lead = case["unit"]
    assert lead not in (POLICE, SAFETY)
    r = town.http.post(f"/api/v1/cases/{case_id}/joint", headers=desk,
                       json={"lead": lead, "assisting": [POLICE, SAFETY], "reason": "需派出所、安监办协同"})
    assert r.status_code == 200, r.text
    lead_h, police, safety = (town.token("handler", unit=u) for u in (lead, POLICE, SAFETY))
    r = _task(town, lead_h, case_id, lead, "accept")  # the lead signs for the case on time
    assert r.status_code == 200 and r.json()["status"] == "accepted", r.text
    r = _task(town, safety, case_id, SAFETY, "accept", {"note": "安监办已签收"})  # so does the safety office
    assert r.status_code == 200, r.text
    case = wait_until(lambda: (c := _get(town, desk, case_id))["stage"] == "resolve" and c, timeout=30,
                      what="supervision follows the lead's sign-for")
    assert _tasks(case)[POLICE]["status"] == "dispatched" and _tasks(case)[POLICE]["light"] == "green"

    # 0107 is high: a sub-task signs for within 30 minutes (the police works around the clock). The clock moves one
    # minute past the police's deadline: its 催办 falls due at once, its 督办 only a quarter of an hour later.
    sign_due = datetime.fromisoformat(_tasks(case)[POLICE]["deadlines"]["sign"])
    _move_clock(town, (sign_due - datetime.now(UTC)).total_seconds() + 60)
    wait_until(lambda: {"overdue", "supervise"} <= set(_told(town, police, case_id)), timeout=30,
               what="the police told of its late sub-task")
    wait_until(lambda: _warnings(_get(town, desk, case_id), POLICE) == [("overdue", None), ("supervised", "催办")],
               timeout=30, what="the police's overdue and 催办 on the timeline")
    time.sleep(3)  # several more sweeps (every 0.5 s): nothing twice
    case = _get(town, desk, case_id)
    assert _warnings(case, POLICE) == [("overdue", None), ("supervised", "催办")]
    late = [t for t in case["timeline"] if t["type"] in ("overdue", "supervised") and t.get("unit") == POLICE]
    assert all(t["data"]["task"] is True and t["data"]["stage"] == "sign" for t in late), late
    assert [k for k in _told(town, police, case_id) if k in WARNINGS] == ["overdue", "supervise"]
    assert not WARNINGS & set(_told(town, lead_h, case_id)), "the lead, on time, hears nothing"
    assert not WARNINGS & set(_told(town, safety, case_id)), "nor the safety office"
    assert _warnings(case, lead) == [] and case["supervision_level"] == 0
    # the case's JSON says what the sweep says: the police's sub-task red, the case (the lead's) green
    assert (case["light"], case["overdue"]) == ("green", False)
    tasks = _tasks(case)
    assert (tasks[POLICE]["light"], tasks[POLICE]["overdue"]) == ("red", True)
    assert tasks[lead]["light"] == "green" and tasks[SAFETY]["light"] == "green"
