"""CHAOS, short versions (QUALITY.md R1, R2, R4, R5, R6 at small sizes; the full sizes are `./taskw chaos`,
described in docs/chaos.md). Each scenario runs real center processes (`python -m app.cli run`) on vhosts and
databases of its own, breaks something for real, and ends with the accounting by case id of
tests/chaos/accounting.py: nothing lost, doubled, unanswered or misordered, no case that no report made.
No timing is asserted; every wait for an eventual state is generous.

R2 stops and starts this machine's RabbitMQ and PostgreSQL: it is the last test of this module (pytest runs modules
one after another, so no other module's centers are running then) and returns only once both are back and the
session's vhost and a database made before the outage are still there."""
import os
import uuid

import pytest
import sqlalchemy as sa
from kombu import Connection, Queue

from tests.chaos import harness
from tests.chaos.accounting import Tally, render
from tests.chaos.scenarios import SHORT, r1, r2, r4, r5, r6

pytestmark = [pytest.mark.chaos, pytest.mark.broker, pytest.mark.db, pytest.mark.timeout(900)]


def _passed(tallies: list[Tally]) -> None:
    lines = [render(tallies)]
    for t in tallies:
        lines += [f"- {t.scenario}: {n}" for n in t.notes] + [f"! {t.scenario}: {p}" for p in t.broken + t.problems]
    report = "\n".join(lines)
    print(report)
    for t in tallies:
        assert t.passed, f"{t.scenario} failed:\n{report}"


def test_r1_every_process_killed_in_turn_during_a_load_loses_and_doubles_nothing():
    _passed([r1(SHORT)])


def test_r4_12345_updates_wait_out_an_outage_and_a_killed_sender_and_arrive_once_in_order():
    _passed([r4(SHORT)])


def test_r5_both_sides_of_a_cut_federation_link_keep_working_and_everything_crosses_once_it_returns():
    _passed([r5(SHORT)])


def test_r6_cases_handed_to_centers_not_yet_running_arrive_once_when_they_start():
    _passed([r6(SHORT)])


@pytest.mark.skipif(os.geteuid() != 0, reason="stops and starts the machine's RabbitMQ and PostgreSQL: needs root")
def test_r2_restarts_of_rabbitmq_and_postgresql_during_a_load_lose_and_double_nothing(amqp_uri, database_url):
    """Last in this module: it restarts the servers every other test uses."""
    queue = Queue(f"chaos-survives-{uuid.uuid4().hex[:8]}", durable=True)
    with Connection(amqp_uri) as conn:
        queue(conn.default_channel).declare()
    db = database_url.replace("{region}", "chaos_survives")
    admin = harness.pg_admin()
    name = db.rsplit("/", 1)[1]
    with admin.connect() as c:
        c.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        _passed([r2(SHORT, "RabbitMQ"), r2(SHORT, "PostgreSQL")])
    finally:
        harness.ensure_servers()
        harness.wait_for(harness.broker_up, 120, "RabbitMQ back")
        harness.wait_for(harness.database_up, 120, "PostgreSQL back")
    with Connection(amqp_uri) as conn:  # the session's vhost, and what was in it, survived both
        conn.default_channel.queue_declare(queue.name, passive=True)
        conn.default_channel.queue_delete(queue.name)
    with admin.connect() as c:
        assert c.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).scalar() == 1
        c.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()
