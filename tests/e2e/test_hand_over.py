"""Nothing is lost for want of a running center (QUALITY.md R6): the city runs alone and routes cases down; the
county starts later, then the township; every case reaches the township exactly once. What no queue takes at
all is kept in the publisher's unroutable queue, counted on /readyz, listed and replayed by `yiwang dlq`."""
import os
import subprocess
import sys

import pytest
from kombu import Connection

from shared.contracts import events as ce
from shared.messaging import topology
from tests import support
from tests.conftest import RUN, _rabbitmqctl
from tests.e2e.test_center_http import Center
from tests.e2e.test_chain import GARBAGE, _get, _until

CITY, COUNTY, TOWN = "320600", "320612", "320612107"
CASES = 6


@pytest.fixture(scope="module")
def alone(database_url):
    """A vhost and databases of this test's own: no other test's centers are there to take anything."""
    vhost = f"yiwang-test-{RUN}-r6"
    _rabbitmqctl("add_vhost", vhost)
    _rabbitmqctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*")
    uri = f"amqp://guest:guest@127.0.0.1:5672/{vhost}"
    started: list[Center] = []
    try:
        yield uri, database_url.replace("{region}", "r6_{region}"), started
    finally:
        for c in started:
            c.stop()
        _rabbitmqctl("delete_vhost", vhost, check=False)


def _report(city, headers, n):
    body = {**GARBAGE, "description": f"十总镇老街第{n}号门口暴露垃圾，气味很大",
            "location": support.somewhere(121.02, 32.16, address=f"十总镇老街{n}号")}
    r = city.http.post("/api/v1/reports", headers=headers, json=body)
    assert r.status_code == 202, r.text
    return r.json()["case_id"]


def test_cases_routed_to_centers_not_yet_running_wait_for_them_and_arrive_once(alone):
    uri, db, started = alone
    city = Center(CITY, uri, db)
    started.append(city)
    dispatcher, city_viewer = city.token("dispatcher"), city.token("viewer")
    ids = [_report(city, dispatcher, n) for n in range(CASES)]
    for case_id in ids:  # the city handed each one to the county, which is not running
        _until(lambda case_id=case_id: (c := _get(city, city_viewer, case_id)) and c["center"] == COUNTY,
               what=f"{case_id} routed to the county at the city")
    inbound = topology.queue_name(COUNTY, "triage", "route")
    _until(lambda: _queue_depth(uri, inbound) == CASES, timeout=10, what="the hand-overs waiting in the county's queue")
    assert city.http.get("/readyz").json()["unroutable"] == 0

    county = Center(COUNTY, uri, db)
    started.append(county)
    county_viewer = county.token("viewer")
    for case_id in ids:  # the county took them and routed each on to the township, not running either
        _until(lambda case_id=case_id: (c := _get(county, county_viewer, case_id)) and c["center"] == TOWN,
               what=f"{case_id} taken by the county and routed to the township")

    town = Center(TOWN, uri, db)
    started.append(town)
    town_viewer = town.token("viewer")
    for case_id in ids:
        case = _until(lambda case_id=case_id: (c := _get(town, town_viewer, case_id))
                      and c["status"] == "dispatched" and c, timeout=60, what=f"{case_id} dispatched at the township")
        kinds = [(t["type"], t["center"]) for t in case["timeline"]]
        assert kinds == [("received", CITY), ("routed", CITY), ("routed", COUNTY), ("triaged", TOWN),
                         ("dispatched", TOWN)], kinds
    listed = town.http.get("/api/v1/cases", headers=town_viewer, params={"limit": 100}).json()["items"]
    assert sorted(c["id"] for c in listed) == sorted(ids), "every case at the township, once"
    for c in (city, county, town):
        body = c.http.get("/readyz").json()
        assert (body["unroutable"], body["dead_letters"]) == (0, 0), (c.region, body)


def test_what_no_queue_takes_is_kept_counted_and_replayed(alone):
    uri, db, started = alone
    city = started[0] if started else Center(CITY, uri, db)
    if not started:
        started.append(city)
    before = city.http.get("/readyz").json()["unroutable"]
    # an event of the city addressed where nothing binds (another city's region): no queue takes it
    event = ce.build("supervised", case_id="R6-LOST-1", region="320500", center=CITY, service="test",
                     time=support.now(), data=support.payload("R6-LOST-1", CITY, level=1))
    support.publish_raw(uri, ce.dumps(event), "320500.supervised", headers={topology.FROM_HEADER: CITY})
    ready = _until(lambda: (r := city.http.get("/readyz").json())["unroutable"] == before + 1 and r,
                   timeout=10, what="the unroutable event counted on /readyz")
    assert ready["status"] == "ready"
    metrics = city.http.get("/metrics")
    assert metrics.headers["content-type"].startswith("text/plain")
    assert f'yiwang_unroutable{{center="{CITY}"}} {before + 1}.0' in metrics.text, metrics.text

    listed = _cli(uri, db, "dlq", "list", "--region", CITY)
    line = next(x for x in listed.stdout.splitlines() if event["id"] in x)
    assert f"yiwang.{CITY}.unroutable" in line and "unroutable to 320500.supervised" in line, listed.stdout
    # replayed: published again on the chain (still unroutable here, so it comes back: nothing is dropped)
    replayed = _cli(uri, db, "dlq", "replay", "--region", CITY, "--event-id", event["id"])
    assert "replayed 1 message" in replayed.stdout, replayed.stdout + replayed.stderr
    _until(lambda: city.http.get("/readyz").json()["unroutable"] == before + 1, timeout=10,
           what="the replayed, still unroutable event kept again")
    again = _cli(uri, db, "dlq", "list", "--region", CITY).stdout
    assert sum(event["id"] in x for x in again.splitlines()) == 1, again


def _cli(uri, db, *args):
    env = dict(os.environ, YIWANG_AMQP_URI=uri, YIWANG_DATABASE_URL=db)
    out = subprocess.run([sys.executable, "-m", "app.cli", *args], env=env, capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0, out.stdout + out.stderr
    return out


def _queue_depth(uri, name) -> int:
    with Connection(uri) as conn:
        _, count, _ = conn.default_channel.queue_declare(name, passive=True)
    return count

