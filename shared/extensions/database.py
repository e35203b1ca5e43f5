"""`Store`: the center's database as a service sees it — a unit of work for changes and a session for
reads — never a raw engine. One engine (pool sized to max_workers) per database per process."""
from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager
from functools import partial
from typing import TypeVar

import eventlet
import sqlalchemy as sa
import structlog
from nameko.extensions import DependencyProvider
from sqlmodel import Session

from shared import lifecycle
from shared.clock import Clock
from shared.extensions.settings import settings_of
from shared.messaging.publisher import Publisher
from shared.messaging.relay import Destinations, OutboxRelay
from shared.store import tally
from shared.store.db import check, make_engine
from shared.store.group import GroupCommit
from shared.store.tables import Case
from shared.store.uow import Guard, UnitOfWork

T = TypeVar("T")
_engines: dict[str, sa.Engine] = {}
_maintenance_loops: dict[str, object] = {}
log = structlog.get_logger("yiwang.relay")


def engine_for(url: str, pool_size: int) -> sa.Engine:
    if url not in _engines:
        _engines[url] = make_engine(url, pool_size=pool_size)
    return _engines[url]


def close_idle_connections() -> None:
    """Close the pooled connections of every engine of this process (they reopen on demand): for a process that ran
    many centers' services one after another, as the test session does, before PostgreSQL's max_connections."""
    for engine in _engines.values():
        engine.dispose()


class CenterStore:
    """What a worker gets: `uow()` for a change, `together(write)` for a change that may share its transaction
    with those of concurrent workers (group commit), `once(consumer, event, write)` for a chain handler's change,
    `session()` for reading."""

    def __init__(self, engine, center, service, clock, relay, group: GroupCommit | None = None):
        self.engine, self.center, self.service, self.clock, self.relay = engine, center, service, clock, relay
        self.group = group or GroupCommit()

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.engine, center=self.center, service=self.service, clock=self.clock, relay=self.relay)

    def together(self, write: Callable[[UnitOfWork], T]) -> T:
        """`write(uow)`, committed — in one transaction with the writes of other workers of this service that
        arrive while a commit is under way (shared/store/group.py). `write` may run twice: database work only."""
        return self.group.run(self.uow, write)

    def once(self, consumer: str, event, write: Callable[[UnitOfWork], T]) -> T | None:
        """A chain handler's change: `write(uow)` unless `consumer` already handled `event` (the inbox; then None),
        committed together with the events this service's other workers take at the same moment — one transaction,
        one commit, one batch of publishes for a burst. The handler's message is acknowledged after it returns, so
        after that commit; an event that fails runs again alone and is retried or dead-lettered alone."""
        def step(uow: UnitOfWork) -> T | None:
            return write(uow) if uow.first_time(consumer, event.id) else None
        return self.together(step)

    @contextmanager
    def session(self):
        with Session(self.engine, expire_on_commit=False) as s:
            yield s

    def now(self):
        return self.clock.now()

    def problem(self) -> str | None:
        """Why the database cannot be used now, or None when it can (for readiness checks)."""
        try:
            check(self.engine)
        except Exception as exc:  # noqa: BLE001 - whatever it is, it is the answer
            return (str(exc).splitlines() or [type(exc).__name__])[0][:200]
        return None

    def act(self, case_id: str, command: lifecycle.Command, actor: str, guard: Guard | None = None,
            after: Callable[[UnitOfWork, Case], None] | None = None, action: str | None = None) -> Case:
        """Apply one lifecycle command to a case in one transaction and return the updated case.
        `guard(case, action)` may refuse first (authorization; `action` defaults to the command's HTTP action
        name); `after(uow, case)` adds related changes."""
        with self.uow() as uow:
            case = uow.case(case_id)
            if guard is not None:
                guard(case, action or lifecycle.ACTION_OF[type(command)])
            uow.apply(case, command, actor)
            if after is not None:
                after(uow, case)
            uow.commit()
            return case


class Store(DependencyProvider):
    def setup(self):
        settings = settings_of(self.container.config)
        self.center = self.container.config["YIWANG_CENTER"]
        self.url = settings.database_for(self.center)
        self.relay_seconds = settings.relay_seconds
        self.engine = engine_for(self.url, pool_size=settings.max_workers + 2)
        self.clock = Clock(settings.clock_file)
        self.relay = OutboxRelay(self.engine, Publisher(settings.amqp_uri),
                                 Destinations(self.center, settings.retry_delays, settings.federated))
        self.group = GroupCommit()  # one per service per process: its workers' writes commit together

    def start(self):
        # One maintenance loop per database per process, wherever any service runs: events a crash or a broker
        # outage left in the outbox go out within YIWANG_RELAY_SECONDS, the case tally's deltas are folded, and old
        # rows are purged.
        if self.url not in _maintenance_loops:
            _maintenance_loops[self.url] = eventlet.spawn(self._maintenance_loop, self.relay_seconds)

    def kill(self):
        self.stop()

    def stop(self):
        loop = _maintenance_loops.pop(self.url, None)
        if loop is not None:
            loop.kill()

    def _maintenance_loop(self, interval: float):
        rounds = 0
        while True:
            eventlet.sleep(interval)
            rounds += 1
            chores = {"outbox sweep": partial(self.relay.sweep, grace=max(10.0, 3 * interval)),
                      "tally fold": partial(tally.fold, self.engine)}
            if rounds % 1800 == 0:
                chores["purge"] = self.relay.purge
            for name, chore in chores.items():
                try:
                    chore()
                except Exception as exc:  # the database or broker is away: try again next round
                    log.warning(f"{name} failed", error=str(exc))

    def get_dependency(self, worker_ctx):
        return CenterStore(self.engine, self.center, self.container.service_name, self.clock, self.relay, self.group)
