"""Two deployments, one code: each center on its own broker (here its own vhost), linked to its parent by
RabbitMQ exchange federation set up with infra/rabbitmq/federate.sh. A 12345-style case entered at the city is
handled at the township and seen at the city."""
import subprocess
import time
from pathlib import Path

import pytest

from tests.conftest import RUN, _rabbitmqctl
from tests.e2e.test_center_http import Center
from tests.e2e.test_chain import GARBAGE, _get, _until

CITY, COUNTY, TOWN = "320600", "320612", "320612107"
FEDERATE = Path(__file__).resolve().parents[2] / "infra" / "rabbitmq" / "federate.sh"


def _uri(vhost: str) -> str:
    return f"amqp://guest:guest@127.0.0.1:5672/{vhost}"


def _bindings(vhost: str) -> set[str]:
    out = _rabbitmqctl("list_bindings", "-p", vhost, "source_name", "destination_name", "routing_key").stdout
    return {line.split("\t")[2] for line in out.splitlines()
            if line.startswith("yiwang.chain\tfederation:") and line.count("\t") == 2}


@pytest.fixture(scope="module")
def federated(database_url):
    subprocess.run(["rabbitmq-plugins", "-q", "enable", "rabbitmq_federation"], check=True, timeout=120)
    vhosts = {code: f"yiwang-test-{RUN}-fed-{code}" for code in (CITY, COUNTY, TOWN)}
    for v in vhosts.values():
        _rabbitmqctl("add_vhost", v)
        _rabbitmqctl("set_permissions", "-p", v, "guest", ".*", ".*", ".*")
    # separate databases too: a federated center is a separate installation
    db = database_url.replace("{region}", "fed_{region}")
    federated = {"YIWANG_FEDERATED": "true"}  # each center's queues live on its own broker only
    centers = {code: Center(code, _uri(vhosts[code]), db, extra_env=federated) for code in (CITY, COUNTY, TOWN)}
    try:
        for parent, child in ((CITY, COUNTY), (COUNTY, TOWN)):
            subprocess.run(["bash", str(FEDERATE), vhosts[parent], _uri(vhosts[parent]), vhosts[child],
                            _uri(vhosts[child]), child], check=True, timeout=120, capture_output=True)
        # the links mirror each center's bindings upstream: wait until they are in place both ways
        _until(lambda: f"{CITY}.{COUNTY}.routed" in _bindings(vhosts[CITY]), what="county's bindings at the city")
        _until(lambda: f"{CITY}.{COUNTY}.{TOWN}.routed" in _bindings(vhosts[COUNTY]), what="township's at the county")
        _until(lambda: f"{CITY}.{COUNTY}.{TOWN}.#" in _bindings(vhosts[TOWN]), what="county's at the township")
        _until(lambda: f"{CITY}.{COUNTY}.#" in _bindings(vhosts[COUNTY]), what="city's at the county")
        yield centers
    finally:
        for c in centers.values():
            assert c.stop() == 0, c.tail()
        for v in vhosts.values():
            _rabbitmqctl("delete_vhost", v, check=False)


def test_a_case_entered_at_the_city_crosses_federated_brokers_to_the_township_and_back(federated):
    city, town = federated[CITY], federated[TOWN]
    r = city.http.post("/api/v1/reports", headers=city.token("dispatcher"), json=GARBAGE)
    assert r.status_code == 202, r.text
    case_id = r.json()["case_id"]
    viewer = town.token("viewer")
    case = _until(lambda: (c := _get(town, viewer, case_id)) and c["status"] == "dispatched" and c, timeout=60,
                  what="dispatched at the township across two federation links")
    handler = town.token("handler", unit=case["unit"])
    for action, body in (("accept", {}), ("resolve", {"note": "垃圾已清运"})):
        assert town.http.post(f"/api/v1/cases/{case_id}/{action}", headers=handler, json=body).status_code == 200
    assert town.http.post(f"/api/v1/cases/{case_id}/verify", headers=town.token("gridworker"),
                          json={"passed": True}).status_code == 200
    city_viewer = city.token("viewer")
    seen = _until(lambda: (c := _get(city, city_viewer, case_id)) and c["status"] == "closed" and c, timeout=60,
                  what="the township's close seen at the city")
    types = [t["type"] for t in seen["timeline"]]
    assert types == ["received", "routed", "routed", "triaged", "dispatched", "accepted", "resolved", "verified",
                     "closed"], types
    assert len({t["at"] + t["type"] for t in seen["timeline"]}) == len(types), "nothing twice"
    time.sleep(1)
    again = _get(city, city_viewer, case_id)
    assert len(again["timeline"]) == len(types), "no late duplicates either"
