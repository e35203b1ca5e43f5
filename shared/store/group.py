"""Group commit: units of work of concurrent greenlets share one transaction.

`GroupCommit.run(open_uow, write)` runs `write(uow)` and returns its result once that is committed. While one
group commits, the writes that arrive queue up; when it is done, the first of them leads the next group, which
takes all of them (up to `limit`) into one unit of work: one transaction, one commit, one batch of publishes. Under
no concurrency a write is committed at once, alone: nothing waits for a timer. When a group fails, each of its
writes runs again alone, so one bad write fails alone and the others still commit. A write may therefore run twice
(the first time rolled back): it must do nothing but database work in the unit of work it is given. Whoever commits
the group, each write runs in the context of the greenlet that asked for it (its log fields, its trace).
"""
from __future__ import annotations

import contextvars
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import structlog
from eventlet.event import Event

from shared.store.uow import UnitOfWork

T = TypeVar("T")
log = structlog.get_logger("yiwang.store")
_LEAD = object()  # what a waiting write is told when its turn comes to lead the next group


class _Write(Generic[T]):
    def __init__(self, write: Callable[[UnitOfWork], T]):
        self.write = write
        self.context = contextvars.copy_context()  # the asking greenlet's: its write runs in it, whoever leads
        self.done: Event = Event()  # sends _LEAD, or the outcome
        self.outcome: tuple[T | None, BaseException | None] | None = None

    def run(self, uow: UnitOfWork) -> T:
        return self.context.run(self.write, uow)

    def finish(self, value: T | None, error: BaseException | None) -> None:
        self.outcome = (value, error)
        if not self.done.ready():
            self.done.send(None)

    def result(self) -> T:
        assert self.outcome is not None
        value, error = self.outcome
        if error is not None:
            raise error
        return value  # type: ignore[return-value]


class GroupCommit:
    def __init__(self, limit: int = 50):
        self.limit = limit
        self._queue: list[_Write[Any]] = []
        self._leading = False  # a group is being committed (or its next leader is being woken)

    def run(self, open_uow: Callable[[], UnitOfWork], write: Callable[[UnitOfWork], T]) -> T:
        me: _Write[T] = _Write(write)
        self._queue.append(me)
        if self._leading:
            try:
                told = me.done.wait()
            except BaseException:  # this greenlet is killed while waiting: never leave the queue without a leader
                if me in self._queue:
                    self._queue.remove(me)
                if me.done.ready() and me.outcome is None:  # it had just been told to lead
                    self._hand_over()
                raise
            if told is not _LEAD:
                return me.result()
        self._leading = True
        group, self._queue = self._queue[:self.limit], self._queue[self.limit:]
        try:
            _commit(open_uow, group)
        except BaseException:  # this greenlet is killed while committing: the others must not wait forever
            for w in group:
                if w.outcome is None:
                    w.finish(None, RuntimeError("stopped while committing; the write may or may not be recorded"))
            raise
        finally:
            self._hand_over()
        return me.result()

    def _hand_over(self) -> None:
        if self._queue:
            self._queue[0].done.send(_LEAD)
        else:
            self._leading = False


def _commit(open_uow: Callable[[], UnitOfWork], group: list[_Write[Any]]) -> None:
    """Commit the group's writes together; when that fails, each alone."""
    if len(group) > 1:
        try:
            with open_uow() as uow:
                values = [w.run(uow) for w in group]
                uow.commit()
        except Exception as exc:  # noqa: BLE001 - which write failed, each one alone finds out
            log.info("a group commit failed; its writes run again one by one", writes=len(group),
                     error=(str(exc).splitlines() or [type(exc).__name__])[0][:200])
        else:
            for w, value in zip(group, values, strict=True):
                w.finish(value, None)
            return
    for w in group:
        try:
            with open_uow() as uow:
                value = w.run(uow)
                uow.commit()
        except Exception as exc:  # noqa: BLE001 - the writer's own error, raised in its own greenlet
            w.finish(None, exc)
        else:
            w.finish(value, None)
