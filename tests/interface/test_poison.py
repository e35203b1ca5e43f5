"""A message that kills its worker (QUALITY.md R3, issue 10 item 5): no exception is ever raised, so only the
deliveries can be counted. The worker process dies on every delivery of it; it is dead-lettered after
DELIVERY_LIMIT deaths with that reason, and the messages that were in flight beside it are handled."""
import subprocess
import sys
import time
from pathlib import Path

import pytest
from kombu import Connection

from shared.contracts import events as ce
from shared.messaging import dlq, topology
from tests import support
from tests.interface.poison_worker import Poisoned

CENTER = "320613006"


def _event(subject: str) -> str:
    return ce.dumps(ce.build("supervised", case_id=subject, region=CENTER, center=CENTER, service="test",
                             time=support.now(), data=support.payload(subject, CENTER, level=1)))


@pytest.fixture
def queues(amqp_uri, database_url):
    s = support.settings(amqp_uri, database_url)
    support.prepared(s, CENTER)
    subs = topology.subscriptions(CENTER, [Poisoned])
    with Connection(amqp_uri) as conn:
        topology.declare(conn, subs, s.retry_delays)
    return subs


def test_a_message_that_kills_its_worker_is_dead_lettered_after_the_delivery_limit(queues, amqp_uri, database_url,
                                                                                    tmp_path):
    seen_file = tmp_path / "seen"
    seen_file.touch()
    for subject in ("KILL-1", "OK-1", "OK-2", "OK-3"):
        support.publish_raw(amqp_uri, _event(subject), support.key(CENTER, "supervised"))
    deaths = 0
    deadline = time.monotonic() + 240
    worker = _start(amqp_uri, database_url, seen_file)
    try:
        while time.monotonic() < deadline and not _done(seen_file, amqp_uri, queues):
            if worker.poll() is not None:  # it died on the poison: start another, as a supervisor would
                deaths += worker.returncode == -9
                worker = _start(amqp_uri, database_url, seen_file)
            time.sleep(0.2)
    finally:  # only stopped once it is idle: a worker stopped mid-delivery would count as one more death
        worker.terminate()
        worker.wait(30)
    seen = _seen(seen_file)
    letters = dlq.list_dead(amqp_uri, queues)
    assert [(d.case_id, d.error) for d in letters] == [
        ("KILL-1", f"its worker died or hung on it {topology.DELIVERY_LIMIT + 1} times (killed, out of memory, or "
                   "stuck); nothing was recorded")], letters
    assert seen.count("KILL-1") == topology.DELIVERY_LIMIT + 1 == deaths, (seen, deaths)
    assert {"OK-1", "OK-2", "OK-3"} <= set(seen), "the messages beside it were handled"


def _start(amqp_uri: str, database_url: str, seen_file: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "tests.interface.poison_worker", amqp_uri, database_url, CENTER,
                             str(seen_file)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _seen(path: Path) -> list[str]:
    return path.read_text().split()


def _done(seen_file: Path, amqp_uri: str, subs) -> bool:
    return {"OK-1", "OK-2", "OK-3"} <= set(_seen(seen_file)) and bool(dlq.list_dead(amqp_uri, subs))
