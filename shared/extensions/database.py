"""`Store`: the center's database as a service sees it — a unit of work for changes and a session for
reads — never a raw engine. One engine (pool sized to max_workers) per database per process."""
from __future__ import annotations

from contextlib import contextmanager

import eventlet
import sqlalchemy as sa
import structlog
from nameko.extensions import DependencyProvider
from sqlmodel import Session

from shared.clock import Clock
from shared.messaging.publisher import Publisher
from shared.messaging.relay import OutboxRelay
from shared.store.db import make_engine
from shared.store.uow import UnitOfWork

_engines: dict[str, sa.Engine] = {}
_relay_loops: dict[str, object] = {}
log = structlog.get_logger("yiwang.relay")


def engine_for(url: str, pool_size: int) -> sa.Engine:
    if url not in _engines:
        _engines[url] = make_engine(url, pool_size=pool_size)
    return _engines[url]


class CenterStore:
    """What a worker gets: `uow()` for a change, `session()` for reading."""

    def __init__(self, engine, center, service, clock, relay):
        self.engine, self.center, self.service, self.clock, self.relay = engine, center, service, clock, relay

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.engine, center=self.center, service=self.service, clock=self.clock, relay=self.relay)

    @contextmanager
    def session(self):
        with Session(self.engine, expire_on_commit=False) as s:
            yield s

    def now(self):
        return self.clock.now()

    def act(self, case_id: str, command, actor: str, guard=None, after=None):
        """Apply one lifecycle command to a case in one transaction and return the updated case.
        `guard(uow, case)` may refuse first (authorization); `after(uow, case)` adds related changes."""
        with self.uow() as uow:
            case = uow.case(case_id)
            if guard is not None:
                guard(uow, case)
            uow.apply(case, command, actor)
            if after is not None:
                after(uow, case)
            uow.commit()
            return case


class Store(DependencyProvider):
    def setup(self):
        cfg = self.container.config
        self.center = cfg["YIWANG_CENTER"]
        self.engine = engine_for(cfg["YIWANG_DATABASE_URL"], pool_size=int(cfg.get("max_workers", 10)) + 2)
        self.clock = Clock(cfg.get("YIWANG_CLOCK_FILE"))
        self.relay = OutboxRelay(self.engine, Publisher(cfg["AMQP_URI"]))

    def start(self):
        # One re-send loop per database per process, wherever any service runs: events a crash or a broker
        # outage left in the outbox go out within YIWANG_RELAY_SECONDS, and old rows are purged.
        url = self.container.config["YIWANG_DATABASE_URL"]
        if url not in _relay_loops:
            interval = float(self.container.config.get("YIWANG_RELAY_SECONDS") or 2.0)
            _relay_loops[url] = eventlet.spawn(self._relay_loop, interval)

    def kill(self):
        self.stop()

    def stop(self):
        loop = _relay_loops.pop(self.container.config["YIWANG_DATABASE_URL"], None)
        if loop is not None:
            loop.kill()

    def _relay_loop(self, interval: float):
        rounds = 0
        while True:
            eventlet.sleep(interval)
            try:
                self.relay.sweep(grace=max(10.0, 3 * interval))
                rounds += 1
                if rounds % 1800 == 0:
                    self.relay.purge()
            except Exception as exc:  # the database or broker is away: try again next round
                log.warning("outbox sweep failed", error=str(exc))

    def get_dependency(self, worker_ctx):
        return CenterStore(self.engine, self.center, self.container.service_name, self.clock, self.relay)
