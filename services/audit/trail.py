"""The audit chain of a center (CONTRACTS.md §8, QUALITY.md S4).

- Written: `audit_actions` is a unit-of-work reaction, so every case event this center records as its own (not the
  copies it keeps of other centers' cases) adds one entry in the transaction of the change; token creation and
  revocation (and, later, changes of rules) call `record` in theirs. An entry commits or rolls back with its action.
- Linked: after the commit, entries get their place in the chain (`seq`, `prev_hash`, `hash`) in the order their
  transactions became visible, by whichever process holds the center's link lock (a PostgreSQL advisory lock that
  only linkers take, tried rather than waited on, held for a few statements: the batch is one UPDATE; on SQLite the
  single writer and the unique `seq` index do the same). No action waits for that lock: actions of one center
  commit concurrently, in as many processes as run; a greenlet of the committing process links the burst of commits
  50 ms later, and the gateway's timer links whatever a crash left.
- Witnessed: each center publishes its head through the outbox to its parent at least every minute
  (`publish_head`); the parent keeps every distinct head of its children (`keep_head`).
- Verified: `verify_chain` walks the chain (services/audit/domain/chain.py) and holds it to the heads its parent
  witnessed; entries left unlinked for more than a minute are a finding too.
"""
from __future__ import annotations

import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, cast

import eventlet
import sqlalchemy as sa
import structlog
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from services.audit.adapters.tables import AuditEntry, AuditWitness
from services.audit.domain import chain
from services.audit.domain.chain import Facts, Head, Linked, Verdict, Witnessed
from shared.catalog import UnknownRegion, load_catalog
from shared.clock import Clock
from shared.contracts import events as ce
from shared.contracts import payloads
from shared.extensions.database import CenterStore
from shared.messaging.relay import Pending
from shared.messaging.topology import routing_key
from shared.store.tables import Outbox
from shared.store.uow import Recorded, UnitOfWork

log = structlog.get_logger("yiwang.audit")
LINK_LOCK = 7020604          # PostgreSQL advisory lock class: one linker at a time per center database
RULES_LOCK = 7020605         # one start at a time compares the rules files with the chain
BATCH = 1000
GATHER = 0.05                # seconds a commit's linking waits for the commits that follow it
PATIENCE = 5.0                # how long a committing process keeps trying to link its entries while another links
STALE = timedelta(minutes=1)  # unlinked for longer than this: a finding
HEAD_EVENT = "audit_head"
_HEADS = uuid.UUID("5f0c1d2e-8a4b-4c6d-9e7f-a1b2c3d4e5f6")  # namespace of the heads' event ids (one per interval)


@dataclass(frozen=True)
class Entry:
    """A linked entry, as `GET /api/v1/audit` shows it."""

    seq: int
    hash: str
    prev_hash: str
    center: str
    at: datetime
    actor: str
    reason: str | None
    action: str
    subject: dict[str, Any]


@dataclass(frozen=True)
class EntryPage:
    items: list[Entry]
    page: int
    page_size: int
    total: int
    head: Head


# ---- writing: in the transaction of the action ------------------------------------------------------------------
def audit_actions(uow: UnitOfWork, recorded: list[Recorded]) -> None:
    """The reaction: one entry per case event this center recorded as its own."""
    rows = [_row(uow.center, r.at, str(r.data.get("actor") or "unknown"), _reason(r.data), f"case.{r.type}",
                 {"case_id": r.case.id, "event_id": r.event_id}) for r in recorded if not r.copied]
    if rows:
        uow.session.execute(sa.insert(AuditEntry), rows)
        _link_after_commit(uow.session)


def record(session: Session, *, center: str, actor: str, action: str, subject: dict[str, Any], at: datetime,
           reason: str | None = None) -> None:
    """Append an action to the center's audit chain inside the caller's transaction (it commits or rolls back with
    the action). `action`: what was done (`token.created`, `token.revoked`, `rules.changed` …); `subject`: what it
    was done to, as text, whole numbers, booleans or null (never a secret)."""
    chain.check_facts(actor, action, subject)
    session.execute(sa.insert(AuditEntry), [_row(center, at, actor, reason, action, subject)])
    _link_after_commit(session)


def note_rules(engine: sa.Engine, center: str, digests: dict[str, str], at: datetime,
               actor: str = "system:start") -> list[str]:
    """A change of rules is an audited event: at every start, each rules file whose SHA-256 differs from the one the
    chain last recorded for it (or that the chain has never seen) gets a `rules.changed` entry naming the file, its
    digest and the previous one. Returns the files recorded. Centers starting together decide one at a time."""
    with Session(engine) as s:
        if engine.dialect.name == "postgresql":
            s.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": RULES_LOCK})
        known: dict[str, str] = {}
        for subject in s.execute(sa.select(col(AuditEntry.subject)).where(col(AuditEntry.action) == "rules.changed")
                                 .order_by(col(AuditEntry.id))).scalars():
            known[str(subject.get("file"))] = str(subject.get("sha256"))
        changed = [name for name, digest in sorted(digests.items()) if known.get(name) != digest]
        for name in changed:
            record(s, center=center, actor=actor, action="rules.changed", at=at,
                   subject={"file": name, "sha256": digests[name], "previous": known.get(name)})
        s.commit()
    return changed


def _row(center: str, at: datetime, actor: str, reason: str | None, action: str, subject: dict[str, Any]) -> dict:
    return {"center": center, "at": at, "actor": actor, "reason": reason, "action": action, "subject": subject,
            "written_at": datetime.now(UTC)}


def _reason(data: dict[str, Any]) -> str | None:
    why = data.get("reason") or data.get("note")
    return str(why) if why else None


# ---- linking: after the commit, in commit order ----------------------------------------------------------------
class _Linker:
    """Links a database's committed entries in a greenlet of this process, once per burst of commits."""

    def __init__(self, engine: sa.Engine):
        self.engine, self.running, self.again = engine, False, False

    def nudge(self) -> None:
        if self.running:
            self.again = True  # the running round may have read before this commit: go round once more
            return
        self.running = True
        eventlet.spawn_n(self._run)

    def _run(self) -> None:
        try:
            while True:
                eventlet.sleep(GATHER)  # let the commits of a burst gather: one link round for all of them
                self.again = False
                link(self.engine, patience=PATIENCE)
                if not self.again:
                    return
        except Exception as exc:  # the database is away: the timer links later
            log.warning("audit entries not linked yet", error=str(exc).splitlines()[0] if str(exc) else repr(exc))
        finally:
            self.running = False


_linkers: dict[int, _Linker] = {}


def _link_after_commit(session: Session) -> None:
    if session.info.get("audit_link_after_commit"):
        return
    session.info["audit_link_after_commit"] = True
    engine = session.get_bind()

    def committed(s: Session) -> None:
        s.info.pop("audit_link_after_commit", None)
        if isinstance(engine, sa.Engine):
            _linkers.setdefault(id(engine), _Linker(engine)).nudge()

    sa.event.listen(session, "after_commit", committed, once=True)
    sa.event.listen(session, "after_rollback", lambda s: s.info.pop("audit_link_after_commit", None), once=True)


def link(engine: sa.Engine, patience: float = 0.0) -> int:
    """Link every committed entry that has no place in the chain yet; returns how many. While another process is
    linking, try again for up to `patience` seconds (it may have read before the last commits), then leave them to
    the next round."""
    total, deadline = 0, time.monotonic() + patience
    while True:
        n = _link_batch(engine)
        if n is None:
            if time.monotonic() >= deadline:
                return total
            eventlet.sleep(0.05)
            continue
        total += n
        if n < BATCH:
            return total


def _link_batch(engine: sa.Engine) -> int | None:
    """One transaction: the next entries linked (how many), or None when another process holds the link lock."""
    # a unit of work for its transaction (on SQLite it also holds the process's one-writer lock); it records no event
    with UnitOfWork(engine, center="", service="audit", clock=Clock()) as uow:
        s = uow.session
        if not _unlinked(s, 1):
            return 0
        postgres = engine.dialect.name == "postgresql"
        if postgres and not s.execute(sa.text("SELECT pg_try_advisory_xact_lock(:k)"), {"k": LINK_LOCK}).scalar():
            return None  # never waits on it: the holder's transaction is a few statements
        rows = _unlinked(s, BATCH)  # again, under the lock: another process may have linked them
        if not rows:
            return 0
        plan = chain.link(_head(s), [_facts(r) for r in rows])
        linked = [(r.id, p.seq, p.prev_hash, p.hash) for r, p in zip(rows, plan, strict=True)]
        table = _table()
        if postgres:  # one statement for the batch: the lock is held for a few round trips, not one per entry
            v = sa.values(sa.column("id", sa.Integer), sa.column("seq", sa.Integer), sa.column("prev_hash", sa.String),
                          sa.column("hash", sa.String), name="linked").data(linked)
            s.execute(sa.update(table).where(table.c.id == v.c.id)
                      .values(seq=v.c.seq, prev_hash=v.c.prev_hash, hash=v.c.hash))
        else:
            s.execute(sa.update(table).where(table.c.id == sa.bindparam("b_id")).values(
                seq=sa.bindparam("b_seq"), prev_hash=sa.bindparam("b_prev"), hash=sa.bindparam("b_hash")),
                [{"b_id": i, "b_seq": q, "b_prev": p, "b_hash": h} for i, q, p, h in linked])
        uow.commit()
        return len(rows)


def _table() -> sa.Table:
    return cast(sa.Table, sa.inspect(AuditEntry).local_table)


def _unlinked(s: Session, limit: int) -> list[AuditEntry]:
    return list(s.exec(select(AuditEntry).where(col(AuditEntry.seq).is_(None)).order_by(col(AuditEntry.id))
                       .limit(limit)).all())


def _head(s: Session) -> Head:
    row = s.exec(select(AuditEntry).where(col(AuditEntry.seq).is_not(None))
                 .order_by(col(AuditEntry.seq).desc()).limit(1)).first()
    if row is None or row.seq is None or row.hash is None:
        return Head()
    return Head(row.seq, row.hash, row.at)


def _facts(r: AuditEntry) -> Facts:
    return Facts(center=r.center, at=r.at, actor=r.actor, reason=r.reason, action=r.action, subject=dict(r.subject))


# ---- reading ---------------------------------------------------------------------------------------------------
def head(engine: sa.Engine) -> Head:
    """The chain's last linked entry."""
    with Session(engine) as s:
        return _head(s)


def entries(store: CenterStore, since: datetime | None = None, before: datetime | None = None, page: int = 1,
            page_size: int = 50) -> EntryPage:
    """The linked entries whose action happened in [since, before), in chain order, one page of them (what has
    committed is linked first)."""
    link(store.engine, patience=1.0)
    where: list[sa.ColumnElement[bool]] = [col(AuditEntry.seq).is_not(None)]
    if since is not None:
        where.append(col(AuditEntry.at) >= since)
    if before is not None:
        where.append(col(AuditEntry.at) < before)
    with store.session() as s:
        total = s.exec(select(sa.func.count()).select_from(AuditEntry).where(*where)).one()
        rows = s.exec(select(AuditEntry).where(*where).order_by(col(AuditEntry.seq))
                      .offset((page - 1) * page_size).limit(page_size)).all()
        last = _head(s)
    return EntryPage([_entry(r) for r in rows], page, page_size, total, last)


def _entry(r: AuditEntry) -> Entry:
    assert r.seq is not None and r.hash is not None and r.prev_hash is not None
    return Entry(r.seq, r.hash, r.prev_hash, r.center, r.at, r.actor, r.reason, r.action, dict(r.subject))


# ---- the witness --------------------------------------------------------------------------------------------------
def parent_of(center: str) -> str | None:
    return load_catalog().regions.parent(center)


def publish_head(store: CenterStore, every_seconds: float = 60.0) -> bool:
    """Publish the chain's head to the parent through the outbox (once per interval, however many processes of the
    center do it). The root center has no parent: it publishes nothing."""
    parent = parent_of(store.center)
    if parent is None:
        return False
    link(store.engine)
    last = head(store.engine)
    now = store.now()
    event_id = str(uuid.uuid5(_HEADS, f"{store.center}:{int(now.timestamp() // max(every_seconds, 1.0))}"))
    data = payloads.AuditHead(center=store.center, seq=last.seq, hash=last.hash, at=last.at).model_dump(mode="json")
    key = routing_key(parent, HEAD_EVENT)  # addressed to the parent, as a hand-over is to its new owner
    body = ce.dumps(ce.build(HEAD_EVENT, case_id=store.center, region=store.center, center=store.center,
                             service="audit", time=now, data=data, event_id=event_id))
    with store.uow() as uow:
        insert = postgresql.insert if uow.engine.dialect.name == "postgresql" else sqlite.insert
        made = uow.session.execute(insert(Outbox).values(
            event_id=event_id, case_id=store.center, routing_key=key, body=body, traceparent=None,
            created_at=datetime.now(UTC)).on_conflict_do_nothing(index_elements=["event_id"])
            .returning(col(Outbox.id))).scalar() is not None
        uow.commit()
    if made and store.relay is not None:
        store.relay.publish([Pending(event_id, key, body, None)])
    return made


def keep_head(store: CenterStore, event: Any) -> bool:
    """At the parent: keep a child's published head (each distinct head once; seen again, its time is updated).
    A head from a center that is not this one's child, or that speaks for another center, is ignored."""
    data = event.payload
    if not isinstance(data, payloads.AuditHead):
        return False
    try:
        child_of_here = parent_of(event.center) == store.center
    except UnknownRegion:
        child_of_here = False
    if not child_of_here or data.center != event.center:
        log.warning("ignored an audit head that is not a child's own", center=event.center, head_center=data.center)
        return False
    now = datetime.now(UTC)

    def write(uow):
        insert = postgresql.insert if uow.engine.dialect.name == "postgresql" else sqlite.insert
        uow.session.execute(insert(AuditWitness).values(
            center=data.center, seq=data.seq, hash=data.hash, at=data.at, first_seen_at=now, last_seen_at=now)
            .on_conflict_do_update(index_elements=["center", "seq", "hash"], set_={"last_seen_at": now}))
    store.together(write)
    return True


def witnessed(engine: sa.Engine, child: str) -> list[Witnessed] | None:
    """The heads of `child` this (parent's) database keeps, oldest first; None when it keeps no witness table."""
    if not sa.inspect(engine).has_table(AuditWitness.__tablename__):
        return None
    with Session(engine) as s:
        rows = s.exec(select(AuditWitness).where(col(AuditWitness.center) == child)
                      .order_by(col(AuditWitness.seq), col(AuditWitness.id))).all()
    return [Witnessed(r.seq, r.hash) for r in rows]


def latest_witnessed(engine: sa.Engine, child: str) -> Witnessed | None:
    heads = witnessed(engine, child)
    return heads[-1] if heads else None


# ---- verifying ----------------------------------------------------------------------------------------------------
def has_chain(engine: sa.Engine) -> bool:
    return sa.inspect(engine).has_table(AuditEntry.__tablename__)


def verify_chain(engine: sa.Engine, witnessed_heads: Sequence[Witnessed] = (), now: datetime | None = None) -> Verdict:
    """Walk the center's chain from its first entry, hold it to the heads its parent witnessed, and look for
    entries left unlinked for more than a minute. Reads only."""
    with engine.connect() as lookups:
        def seq_of_hash(digest: str) -> int | None:
            return lookups.execute(sa.select(col(AuditEntry.seq)).where(col(AuditEntry.hash) == digest)
                                   .limit(1)).scalar()

        verdict = chain.verify(_linked(engine), seq_of_hash, witnessed_heads)
    if verdict.finding is not None:
        return verdict
    cutoff = (now or datetime.now(UTC)) - STALE
    with Session(engine) as s:
        stale, oldest = s.exec(select(sa.func.count(), sa.func.min(AuditEntry.id)).select_from(AuditEntry).where(
            col(AuditEntry.seq).is_(None), col(AuditEntry.written_at) < cutoff)).one()
    if stale:
        return Verdict(verdict.count, verdict.head, chain.Finding(
            chain.UNLINKED, None, f"{stale} entr{'y' if stale == 1 else 'ies'} written more than a minute ago "
                                  f"{'is' if stale == 1 else 'are'} not in the chain (the oldest has id {oldest}): no "
                                  f"linker has run since, or they were written by hand"))
    return verdict


def _linked(engine: sa.Engine) -> Iterator[Linked]:
    table = _table()
    q = sa.select(table).where(table.c.seq.is_not(None)).order_by(table.c.seq)
    with engine.connect().execution_options(stream_results=True, yield_per=2000) as conn:
        for r in conn.execute(q).mappings():
            yield Linked(r["seq"], r["prev_hash"] or "", r["hash"] or "",
                         Facts(center=r["center"], at=r["at"], actor=r["actor"], reason=r["reason"],
                               action=r["action"], subject=dict(r["subject"] or {})))
