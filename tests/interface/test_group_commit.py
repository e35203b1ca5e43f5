"""Group commit on the real database, at intake and in the chain handlers: reports taken in (events handled)
concurrently share transactions, each is recorded once with its own event and answered (acknowledged) only after its
commit; a write that fails, fails alone; an event delivered again is skipped."""
import eventlet
import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from services.intake.handlers import NewCase, take_in
from shared.store.tables import Case, Outbox, TimelineEntry
from tests import support

CENTER = "320612001"


@pytest.fixture(scope="module")
def store(amqp_uri, database_url):
    s = support.settings(amqp_uri, database_url.replace("{region}", "group_{region}"))  # a database of its own
    support.prepared(s, CENTER)
    return support.store_for(s, CENTER)


def new_case(n: int) -> NewCase:
    return NewCase(source="grid", description=f"第{n}号路灯不亮了，晚上很黑", category="0301",
                   lon=round(121.07 + n * 0.004, 6), lat=32.08)


class Commits:
    """Counts the transactions committed on an engine."""

    def __init__(self, engine):
        self.engine, self.count = engine, 0

    def _commit(self, conn):
        self.count += 1

    def __enter__(self):
        sa.event.listen(self.engine, "commit", self._commit)
        return self

    def __exit__(self, *exc):
        sa.event.remove(self.engine, "commit", self._commit)


def concurrently(calls):
    """Run the calls in greenlets started together; each one's result or the exception it raised."""
    def outcome(call):
        try:
            return call()
        except Exception as exc:  # noqa: BLE001 - the test looks at it
            return exc
    threads = [eventlet.spawn(outcome, call) for call in calls]
    return [t.wait() for t in threads]


def test_concurrent_reports_share_transactions_and_each_is_recorded_once(store):
    with Commits(store.engine) as commits:
        results = concurrently([lambda n=n: take_in(store, new_case(n), "gridworker:t") for n in range(20)])
    assert all(not isinstance(r, Exception) for r in results), results
    ids = [r.case_id for r in results]
    assert len(set(ids)) == 20
    assert commits.count < 20, "without group commit each report is a transaction of its own"
    with Session(store.engine) as s:
        assert len(s.exec(select(Case.id).where(Case.id.in_(ids))).all()) == 20
        received = s.exec(select(TimelineEntry.case_id).where(TimelineEntry.case_id.in_(ids),
                                                              TimelineEntry.type == "received")).all()
        assert sorted(received) == sorted(ids), "one `received` entry per case"
        assert len(s.exec(select(Outbox.case_id).where(Outbox.case_id.in_(ids))).all()) == 20
        descriptions = dict(s.exec(select(Case.id, Case.description).where(Case.id.in_(ids))).all())
    assert [descriptions[i] for i in ids] == [new_case(n).description for n in range(20)], "each answer is its own"


def test_a_write_that_fails_fails_alone(store):
    class Refused(Exception):
        pass

    def refuse(uow, case):
        raise Refused("this one is refused inside the transaction")

    calls = [lambda n=n: take_in(store, new_case(100 + n), "gridworker:t", uow_hook=refuse if n == 2 else None)
             for n in range(6)]
    with Commits(store.engine) as commits:
        results = concurrently(calls)
    assert isinstance(results[2], Refused)
    good = [r.case_id for i, r in enumerate(results) if i != 2]
    assert all(isinstance(c, str) for c in good), results
    with Session(store.engine) as s:
        assert len(s.exec(select(Case.id).where(Case.id.in_(good))).all()) == 5
        refused = s.exec(select(Case.id).where(Case.description == new_case(102).description)).all()
    assert refused == [], "the refused report left nothing behind"
    assert commits.count >= 5, "the five others committed (a group holding the refused one commits nothing)"


def test_a_burst_of_events_for_a_chain_handler_shares_transactions_and_a_bad_one_fails_alone(store):
    """Triage's handler as its workers run it under a burst (`CenterStore.once`): the events share transactions,
    each is handled once (the inbox), a bad one fails alone, and a redelivered burst changes nothing."""
    from services.triage.handlers import route_case
    from shared.contracts.events import CloudEvent
    from shared.store.uow import NotFound

    ids = [take_in(store, new_case(200 + n), "gridworker:t").case_id for n in range(12)]
    with Session(store.engine) as s:
        bodies = s.exec(select(Outbox.body).where(Outbox.case_id.in_(ids))).all()
    events = [CloudEvent.model_validate_json(b) for b in bodies]
    assert sorted(e.subject for e in events) == sorted(ids) and {e.name for e in events} == {"received"}
    bad = events[0].model_copy(update={"id": "00000000-0000-4000-8000-000000000bad", "subject": f"{CENTER}-gone"})

    with Commits(store.engine) as commits:
        first = concurrently([lambda e=e: route_case(store, e) for e in events[:8]])
    assert first == [None] * 8, first
    assert commits.count < 8, "each event a transaction of its own: nothing was batched"
    second = concurrently([lambda e=e: route_case(store, e) for e in [*events[8:10], bad, *events[10:]]])
    assert isinstance(second[2], NotFound) and second[:2] + second[3:] == [None] * 4, second

    def handled():
        with Session(store.engine) as s:
            statuses = dict(s.exec(select(Case.id, Case.status).where(Case.id.in_(ids))).all())
            triaged = s.exec(select(TimelineEntry.case_id).where(TimelineEntry.case_id.in_(ids),
                                                                 TimelineEntry.type == "triaged")).all()
            inbox = s.execute(sa.text("SELECT event_id, xmin::text FROM inbox WHERE consumer = 'triage.route' "
                                      "AND event_id = ANY(:ids)"), {"ids": [e.id for e in [*events, bad]]}).all()
        return statuses, sorted(triaged), dict(inbox)

    statuses, triaged, inbox = handled()
    assert set(statuses.values()) == {"triaged"}
    assert triaged == sorted(ids), "one `triaged` entry per case"
    assert set(inbox) == {e.id for e in events}, "the bad event left no inbox row"
    assert len({inbox[e.id] for e in events[:8]}) < 8, "the inbox rows of a burst share transactions"

    again = concurrently([lambda e=e: route_case(store, e) for e in events])  # the burst delivered again
    assert again == [None] * 12
    assert handled()[1:] == (triaged, inbox), "a redelivered event is skipped: nothing recorded twice"


def test_each_write_of_a_group_runs_in_its_own_callers_context(store):
    """Whoever leads a group, a report's case carries its own request's trace, not the leader's."""
    from shared import observability

    def report(n: int):
        trace_id = f"{n + 1:032x}"
        with observability.span("test report", traceparent=f"00-{trace_id}-{n + 1:016x}-01"):
            return trace_id, take_in(store, new_case(300 + n), "gridworker:t").case_id

    with Commits(store.engine) as commits:
        results = concurrently([lambda n=n: report(n) for n in range(6)])
    assert commits.count < 6, "nothing was grouped: the test shows nothing"
    with Session(store.engine) as s:
        carried = dict(s.exec(select(Case.id, Case.traceparent).where(Case.id.in_([c for _, c in results]))).all())
    assert {case_id: carried[case_id].split("-")[1] for _, case_id in results} == dict(
        (case_id, trace_id) for trace_id, case_id in results)
