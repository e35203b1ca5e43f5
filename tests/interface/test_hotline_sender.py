"""The 12345 sender against the platform simulator and a real center database (of a township no other test uses,
so the sender sees only this test's updates): updates of many orders arrive in order per order through a flaky
platform, and a platform in trouble costs one round, not one try per order."""
from datetime import timedelta

import sqlalchemy as sa

from app.simulators.hotline import HotlineSimulator
from services.feedback.adapters.tables import HotlineUpdate
from services.feedback.hotline_sender import HotlineSender
from tests import support

SECRET = "sender-test-secret-0123456789"
STATUSES = ("dispatched", "accepted", "resolved", "closed")


def _queue(store, orders: int, prefix: str) -> None:
    """Four updates for each order, as the unit of work writes them, already due."""
    now = store.now()
    with store.uow() as uow:
        uow.session.execute(sa.insert(HotlineUpdate), [
            {"event_id": f"e-{o}-{i}", "order_no": f"{prefix}{o:03d}", "case_id": f"C-{o}", "status": status,
             "message": status, "at": now + timedelta(seconds=i), "created_at": now,
             "next_attempt_at": now - timedelta(seconds=1), "attempts": 0}
            for o in range(orders) for i, status in enumerate(STATUSES)])
        uow.commit()


def _count(store, prefix: str, *where) -> int:
    """Updates of this test's orders (the center's database is shared with other tests of the run)."""
    with store.session() as s:
        return s.exec(sa.select(sa.func.count()).select_from(HotlineUpdate)
                      .where(HotlineUpdate.order_no.like(prefix + "%"), *where)).one()[0]


def _sent(store, prefix: str) -> int:
    return _count(store, prefix, HotlineUpdate.sent_at.is_not(None))


def test_updates_of_many_orders_arrive_in_order_through_a_flaky_platform(amqp_uri, database_url, unique):
    s = support.settings(amqp_uri, database_url)
    support.prepared(s, "320612112")
    store = support.store_for(s, "320612112")
    prefix = f"12345-FLAKY-{unique}-"
    _queue(store, 12, prefix)
    with HotlineSimulator("http://127.0.0.1:9", "unused", SECRET, seed=5) as sim:
        sim.set_faults(fail_rate=0.4)
        sender = HotlineSender(store, sim.url, SECRET, quick_wait_max=0.05)
        for _ in range(200):
            sender.run_once()
            with store.uow() as uow:  # the next round is due at once: the test does not wait out the backoff
                uow.session.execute(sa.update(HotlineUpdate).where(HotlineUpdate.sent_at.is_(None),
                                                                   HotlineUpdate.order_no.like(prefix + "%"))
                                    .values(next_attempt_at=uow.now() - timedelta(seconds=1)))
                uow.commit()
            if _sent(store, prefix) == 48:
                break
        state = sim.state()
    assert _sent(store, prefix) == 48
    assert state["totals"]["faults_injected"] > 0, "the platform did fail now and then"
    assert state["totals"]["out_of_order"] == 0
    for order in state["orders"]:
        assert order["updates"] == list(STATUSES), order


def test_a_platform_in_trouble_ends_the_round_at_its_first_failure(amqp_uri, database_url, unique):
    s = support.settings(amqp_uri, database_url)
    support.prepared(s, "320612101")
    store = support.store_for(s, "320612101")
    prefix = f"12345-DOWN-{unique}-"
    _queue(store, 30, prefix)
    with HotlineSimulator("http://127.0.0.1:9", "unused", SECRET) as sim:
        sim.set_faults(down=True)
        HotlineSender(store, sim.url, SECRET, parallel=4, quick_wait_max=0.05).run_once()
    tried = _count(store, prefix, HotlineUpdate.attempts > 0)
    assert 1 <= tried <= 4, f"{tried} orders tried: the round should stop after the workers already under way"
    assert _sent(store, prefix) == 0
