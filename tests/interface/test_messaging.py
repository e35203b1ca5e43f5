"""Messaging that loses nothing: a failing handler is retried with backoff, then dead-lettered with its
reason while the service keeps processing others; a malformed message is dead-lettered at once; an admin
lists and replays dead letters."""
import json

import pytest

from app.composition import all_subscriptions
from shared.contracts import events as ce
from shared.extensions.database import Store
from shared.messaging import dlq, topology
from shared.messaging.entrypoint import chain_handler
from tests import support

CENTER = "320612104"
SEEN: list[str] = []


class Flaky:
    name = "flaky"
    store = Store()

    @chain_handler("supervised")
    def handle(self, event):
        SEEN.append(event.subject)
        if event.subject.startswith("FAIL"):
            raise RuntimeError(f"cannot handle {event.subject}")


def _event(subject: str) -> str:
    return ce.dumps(ce.build("supervised", case_id=subject, region=CENTER, center=CENTER, service="test",
                             time=support.now(), data=support.payload(subject, CENTER, level=1)))


@pytest.fixture
def flaky(amqp_uri, database_url):
    s = support.settings(amqp_uri, database_url)
    support.prepared(s, CENTER)
    subs = topology.subscriptions(CENTER, [Flaky])
    from kombu import Connection
    with Connection(amqp_uri) as conn:
        topology.declare(conn, subs, s.retry_delays)
        conn.default_channel.queue_purge(topology.dlq_name(subs[0].queue))
    SEEN.clear()
    with support.running([Flaky], support.center_config(s, CENTER)):
        yield s, subs


def test_a_failing_handler_is_retried_then_dead_lettered_and_others_still_flow(flaky, amqp_uri):
    s, subs = flaky
    support.publish_raw(amqp_uri, _event("FAIL-1"), support.key(CENTER, "supervised"))
    support.publish_raw(amqp_uri, _event("OK-1"), support.key(CENTER, "supervised"))
    support.wait_until(lambda: "OK-1" in SEEN, what="the good message")
    letters = support.wait_until(lambda: dlq.list_dead(amqp_uri, subs), timeout=10, what="a dead letter")
    assert SEEN.count("FAIL-1") == 1 + len(s.retry_delays), "tried once plus once per retry delay"
    assert letters[0].case_id == "FAIL-1" and "cannot handle FAIL-1" in letters[0].error
    assert letters[0].attempts == 1 + len(s.retry_delays)
    assert dlq.list_dead(amqp_uri, subs), "listing does not remove"

    moved = dlq.replay(amqp_uri, subs)
    assert moved == 1
    support.wait_until(lambda: SEEN.count("FAIL-1") == 2 * (1 + len(s.retry_delays)), timeout=10,
                       what="the replayed message tried again")
    support.wait_until(lambda: dlq.list_dead(amqp_uri, subs), timeout=10, what="dead again")


@pytest.mark.parametrize("body", [b"{not json", json.dumps({"specversion": "1.0", "id": "x"}).encode(),
                                  "\udcff".encode("utf-8", "surrogatepass")])
def test_a_malformed_message_is_dead_lettered_at_once_with_its_reason(flaky, amqp_uri, body):
    _, subs = flaky
    support.publish_raw(amqp_uri, body, support.key(CENTER, "supervised"), content_type="text/plain")
    support.publish_raw(amqp_uri, _event("OK-2"), support.key(CENTER, "supervised"))
    support.wait_until(lambda: "OK-2" in SEEN, what="the consumer still works")
    letters = support.wait_until(lambda: dlq.list_dead(amqp_uri, subs), timeout=10, what="a dead letter")
    assert len(letters) == 1
    assert "malformed event" in letters[0].error and letters[0].attempts == 0


@pytest.mark.parametrize("data, problem", [
    ({"level": 1}, "case"),                                             # no case snapshot: a missing field
    ({"levle": 1}, "levle"),                                            # a typo: an unknown field
    ({"level": "high"}, "level"),                                       # a wrong type
])
def test_an_event_whose_payload_does_not_fit_its_model_is_dead_lettered_with_the_models_error(
        flaky, amqp_uri, data, problem):
    _, subs = flaky
    body = json.loads(_event("BAD-1"))
    body["data"] = {**support.payload("BAD-1", CENTER), **data} if problem != "case" else data
    support.publish_raw(amqp_uri, json.dumps(body), support.key(CENTER, "supervised"))
    letters = support.wait_until(lambda: dlq.list_dead(amqp_uri, subs), timeout=10, what="a dead letter")
    assert "BAD-1" not in SEEN, "the handler never sees a payload that does not fit"
    assert len(letters) == 1 and "malformed event" in letters[0].error and problem in letters[0].error


def test_every_handler_of_a_center_has_a_queue_and_a_dlq_and_the_center_one_retry_queue_per_delay():
    subs = all_subscriptions("320612001")
    names = {s.queue for s in subs}
    assert "yiwang.320612001.triage.route" in names and "yiwang.320612001.dispatch.dispatch" in names
    triage = next(s for s in subs if s.service == "triage" and s.handler == "route")
    q = triage.kombu_queue()
    assert {b.routing_key for b in q.bindings} == {"320600.320612.320612001.received",
                                                   "320600.320612.320612001.routed",
                                                   "320600.320612.320612001.escalated",
                                                   "320600.320612.320612001.returned",
                                                   "320600.320612.320612001.return_reviewed",
                                                   "320600.320612.320612001.split"}
    assert triage.dead_letter_queue().name == f"{triage.queue}.dlq"
    retry = topology.retry_queues("320612001", (1, 5, 30))  # one per delay for the whole center, not per handler
    assert [q.name for q in retry] == ["yiwang.320612001.retry.1000ms", "yiwang.320612001.retry.5000ms",
                                       "yiwang.320612001.retry.30000ms"]
    assert all(q.exchange.type == "fanout" and "x-dead-letter-routing-key" not in q.queue_arguments for q in retry)


def test_an_ancestor_binds_each_child_subtree_and_not_its_own_events():
    county = next(s for s in all_subscriptions("320612") if s.subtree)
    keys = county.routing_keys()
    assert "320600.320612.320612001.#" in keys and "320600.320612.320612002.#" in keys
    assert all(k.count(".") == 3 and k.endswith(".#") for k in keys), "one segment below the county each"
    city = next(s for s in all_subscriptions("320600") if s.subtree)
    assert "320600.320612.#" in city.routing_keys() and "320600.#" not in city.routing_keys()
    township = next(s for s in all_subscriptions("320612001") if s.subtree)
    assert township.routing_keys() == []
