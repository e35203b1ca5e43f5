"""One broker user per center (QUALITY.md S5): with the definitions `yiwang broker-user` prints loaded into the real
broker, a county may publish its own subtree's keys and its parent's events but not a sibling's; the broker refuses
a `user_id` that is not the connection's; and a consumer dead-letters an event whose `center` is not its
publisher's, though the key was one the county may use."""
import json
import os
import subprocess
import sys
import tempfile

import pytest
from amqp.exceptions import AccessRefused, PreconditionFailed
from kombu import Connection

from shared.contracts import events as ce
from shared.extensions.database import Store
from shared.messaging import dlq, topology
from shared.messaging.entrypoint import chain_handler
from shared.messaging.publisher import Publisher
from tests import support
from tests.conftest import RUN, _rabbitmqctl

COUNTY, TOWN = "320612", "320612116"
PASSWORD = "county-broker-password-0123456789"
SEEN: list[str] = []


class Town:
    name = "town"
    store = Store()

    @chain_handler("supervised")
    def handle(self, event):
        SEEN.append(event.subject)


@pytest.fixture(scope="module")
def broker(tmp_path_factory, database_url):
    vhost = f"yiwang-test-{RUN}-users"
    _rabbitmqctl("add_vhost", vhost)
    _rabbitmqctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*")
    guest = f"amqp://guest:guest@127.0.0.1:5672/{vhost}"
    secret = tmp_path_factory.mktemp("pw") / "county"
    secret.write_text(PASSWORD)
    out = subprocess.run([sys.executable, "-m", "app.cli", "broker-user", "--region", COUNTY, "--vhost", vhost,
                          "--password-file", str(secret)], capture_output=True, text=True, timeout=60, check=True)
    with tempfile.NamedTemporaryFile("w", suffix=".json", dir="/tmp") as definitions:  # the broker reads it itself
        definitions.write(out.stdout)
        definitions.flush()
        os.chmod(definitions.name, 0o644)
        _rabbitmqctl("import_definitions", definitions.name)
    try:
        support.wait_until(lambda: topology.center_user(COUNTY) in _rabbitmqctl("list_users").stdout,
                           what="the imported user")
        s = support.settings(guest, database_url)
        support.prepared(s, TOWN)
        subs = topology.subscriptions(TOWN, [Town])
        with Connection(guest) as conn:
            topology.declare(conn, subs, s.retry_delays)
        with support.running([Town], support.center_config(s, TOWN)):
            yield guest, f"amqp://{topology.center_user(COUNTY)}:{PASSWORD}@127.0.0.1:5672/{vhost}", subs
    finally:
        _rabbitmqctl("delete_user", topology.center_user(COUNTY), check=False)
        _rabbitmqctl("delete_vhost", vhost, check=False)


def _event(subject: str, center: str) -> str:
    return ce.dumps(ce.build("supervised", case_id=subject, region=TOWN, center=center, service="test",
                             time=support.now(), data=support.payload(subject, TOWN, level=1)))


def test_a_county_publishes_its_subtree_and_its_parent_but_not_a_sibling(broker):
    _, county_uri, _ = broker
    county = Publisher(county_uri)
    for key in ("320600.320612.routed", "320600.320612.320612116.routed", "320600.escalated"):
        county.publish(_event("K-" + key, COUNTY), exchange=topology.EXCHANGE_NAME, routing_key=key,
                       user_id=county.user)  # allowed (no queue here takes them: not mandatory)
    with pytest.raises(AccessRefused):
        Publisher(county_uri).publish(_event("K-sibling", COUNTY), exchange=topology.EXCHANGE_NAME,
                                      routing_key="320600.320613.routed", user_id=county.user)


def test_the_broker_refuses_a_user_id_that_is_not_the_publishers(broker):
    _, county_uri, _ = broker
    with pytest.raises(PreconditionFailed, match="user_id"):
        Publisher(county_uri).publish(_event("K-forged", "320600"), exchange=topology.EXCHANGE_NAME,
                                      routing_key="320600.320612.320612116.supervised",
                                      user_id=topology.center_user("320600"))


def test_an_event_claiming_another_center_is_dead_lettered_and_the_honest_one_handled(broker):
    guest, county_uri, subs = broker
    county = Publisher(county_uri)
    key = f"320600.320612.{TOWN}.supervised"
    county.publish(_event("CLAIMS-CITY", "320600"), exchange=topology.EXCHANGE_NAME, routing_key=key,
                   user_id=county.user, mandatory=True)
    county.publish(_event("HONEST", COUNTY), exchange=topology.EXCHANGE_NAME, routing_key=key,
                   user_id=county.user, mandatory=True)
    support.wait_until(lambda: "HONEST" in SEEN, what="the honest event handled")
    letters = support.wait_until(lambda: dlq.list_dead(guest, subs), timeout=10, what="the forged one dead-lettered")
    assert [(d.case_id, d.error) for d in letters] == [
        ("CLAIMS-CITY", f"not trusted: an event of center 320600 published by broker user {county.user}")]
    assert "CLAIMS-CITY" not in SEEN


def test_the_definitions_name_the_user_and_its_keys(tmp_path):
    secret = tmp_path / "pw"
    secret.write_text("short")
    out = subprocess.run([sys.executable, "-m", "app.cli", "broker-user", "--region", COUNTY, "--password-file",
                          str(secret)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 2 and "at least 16 characters" in out.stderr
    secret.write_text(PASSWORD)
    out = subprocess.run([sys.executable, "-m", "app.cli", "broker-user", "--region", COUNTY, "--password-file",
                          str(secret)], capture_output=True, text=True, timeout=60, check=True)
    doc = json.loads(out.stdout)
    assert [u["name"] for u in doc["users"]] == ["yiwang-320612"] and PASSWORD not in out.stdout
