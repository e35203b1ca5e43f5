"""The case patterns at work: a unit-of-work reaction (`find_patterns`, subscribed in app/composition.py) that feeds
every case this center takes in or triages to the pure patterns (services/warning/domain/patterns.py), once per case,
in the transaction of the change, and raises what they find.

A case counts once in the whole chain: at the center that took it in (its id begins with that center's code), at the
first event recorded there that gives it a category — `received` (when it came with one), else the `triaged`, `routed`
or `merged` of its triage there — never on the copies a center keeps of other centers' cases. `pattern_case`
remembers which cases counted. A 12345 order taken in at the city and routed down is counted at the city; its
warnings flow up, never down (docs/warnings.md). The
per-place state lives in `warning_state`, one row per place or caller, locked while it is updated, so concurrent
cases of one place count each other.
"""
from __future__ import annotations

import functools
from datetime import UTC, datetime

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col, select

from services.warning.adapters.tables import PatternCase, WarningState
from services.warning.domain import patterns
from services.warning.keys import key_of
from services.warning.records import raise_warning
from shared.protect import unseal
from shared.store.tables import Reporter
from shared.store.uow import Recorded, UnitOfWork

TRIGGERS = ("received", "triaged", "routed", "merged")


@functools.cache
def rules() -> patterns.Rules:
    return patterns.load_rules()


class TableStates:
    """`patterns.States` over the `warning_state` table, in the caller's transaction."""

    def __init__(self, uow: UnitOfWork):
        self.uow = uow
        self.pg = uow.engine.dialect.name == "postgresql"

    def take(self, key: str) -> patterns.State | None:
        # one statement: the row is made if missing, locked until the commit (the no-op update takes the lock), and
        # its state read
        insert = (postgresql.insert if self.pg else sqlite.insert)(WarningState)
        stmt = (insert.values(key=key, data={}, updated_at=self.uow.now())
                .on_conflict_do_update(index_elements=["key"], set_={"key": insert.excluded.key})
                .returning(col(WarningState.data)))
        data = self.uow.session.execute(stmt).scalar_one()
        return dict(data) or None

    def get(self, key: str) -> patterns.State | None:
        data = self.uow.session.exec(select(WarningState.data).where(WarningState.key == key)).first()
        return dict(data) if data else None

    def many(self, keys: list[str]) -> dict[str, patterns.State]:
        rows = self.uow.session.exec(select(WarningState.key, WarningState.data)
                                     .where(col(WarningState.key).in_(keys))).all()
        return {k: dict(d) for k, d in rows if d}

    def put(self, key: str, state: patterns.State) -> None:
        insert = postgresql.insert if self.pg else sqlite.insert
        stmt = insert(WarningState).values(key=key, data=state, updated_at=self.uow.now())
        self.uow.session.execute(stmt.on_conflict_do_update(index_elements=["key"],
                                                            set_={"data": state, "updated_at": self.uow.now()}))


def find_patterns(uow: UnitOfWork, recorded: list[Recorded]) -> None:
    """The reaction: count each new case of this center once and raise what the patterns find."""
    taken_here = f"{uow.center}-"
    todo = [r for r in recorded if not r.copied and r.type in TRIGGERS and r.case.id.startswith(taken_here)
            and r.case.category is not None]
    if not todo:
        return
    rule = rules()
    states = TableStates(uow)
    for r in sorted(todo, key=lambda r: r.case.id):
        case = r.case
        caller = _caller(uow, case.id) if case.source not in ("sensor", "proactive") else None
        cell = None
        if case.lon is not None and case.lat is not None and case.category:
            ix, iy = patterns.cell_of(case.lon, case.lat, float(rule.of("hotspot", case.category)["cell_m"]))
            cell = f"{ix}:{iy}"
        if not _first_time(uow, case.id, case.category, case.region, cell, case.source, caller, r.at):
            continue
        obs = patterns.Observation(case_id=case.id, category=case.category, region=case.region, lon=case.lon,
                                   lat=case.lat, at=r.at, source=case.source, caller=caller)
        for f in patterns.observe(rule, states, obs):
            raise_warning(uow, kind=f.kind, level=f.level, region=f.region, title=f.title, evidence=f.evidence,
                          cause=f.cause, case_ids=f.case_ids)


def _first_time(uow: UnitOfWork, case_id: str, category: str | None, region: str, cell: str | None, source: str,
                caller: str | None, at: datetime) -> bool:
    insert = postgresql.insert if uow.engine.dialect.name == "postgresql" else sqlite.insert
    return uow.session.execute(insert(PatternCase).values(
        case_id=case_id, category=category, region=region, cell=cell, source=source, caller=caller,
        at=at.astimezone(UTC)).on_conflict_do_nothing().returning(col(PatternCase.case_id))).scalar() is not None


def _caller(uow: UnitOfWork, case_id: str) -> str | None:
    """The keyed hash of the number of the case's first reporter (the number itself goes no further)."""
    sealed = uow.session.exec(select(Reporter.phone_sealed).where(Reporter.reported_case_id == case_id)
                              .order_by(col(Reporter.id)).limit(1)).first()
    return key_of(unseal(sealed)) if sealed else None

