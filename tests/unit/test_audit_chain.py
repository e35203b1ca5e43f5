"""The audit chain (CONTRACTS.md §8, QUALITY.md S4): its canonical form and hash, what each kind of tampering looks
like to the verification, and — on the real unit of work over in-memory SQLite — one entry per action written in
the action's transaction (none for a rolled-back one, none for another center's copy), linked in order after the
commit, tokens recorded without their secret, the head published through the outbox and kept by the parent.
(The same against PostgreSQL, through the CLI and HTTP: tests/e2e/test_audit.py.)"""
from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from services.audit import api as audit
from services.audit.adapters.tables import AuditEntry
from services.audit.domain import chain
from services.audit.domain.chain import GENESIS, Facts, Head, Linked, Witnessed
from services.gateway.auth import create_token, revoke_token
from services.supervision import handlers as supervision
from shared import lifecycle
from shared.catalog import load_catalog
from shared.clock import CHINA
from shared.contracts import events as ce
from shared.contracts import payloads
from shared.contracts.events import CloudEvent
from shared.store.tables import Outbox
from tests.unit.memory import Bus, memory_store
from tests.unit.test_handlers import TOWN, report, to_dispatched

COUNTY = "320612"
T0 = datetime(2026, 11, 24, 1, 2, 3, 4, tzinfo=UTC)


# ---- the pure core ------------------------------------------------------------------------------------------------
def facts(n: int) -> Facts:
    return Facts(center=TOWN, at=T0 + timedelta(seconds=n), actor=f"dispatcher:值班{n}", reason=f"理由{n}",
                 action="case.accepted", subject={"case_id": f"C-{n}", "event_id": f"e-{n}"})


def built(n: int = 8) -> list[Linked]:
    all_facts = [facts(i) for i in range(1, n + 1)]
    return [Linked(p.seq, p.prev_hash, p.hash, f) for p, f in zip(chain.link(Head(), all_facts), all_facts, strict=True)]


def check(entries: list[Linked], witnessed=()) -> chain.Verdict:
    by_hash: dict[str, int] = {}
    for e in entries:
        by_hash.setdefault(e.hash, e.seq)
    return chain.verify(sorted(entries, key=lambda e: e.seq), by_hash.get, witnessed)


def renumbered(entries: list[Linked]) -> list[Linked]:
    return [replace(e, seq=i) for i, e in enumerate(entries, 1)]


def test_the_canonical_form_sorts_keys_has_no_whitespace_and_writes_utc_times():
    text = chain.canonical(replace(facts(0), at=T0.astimezone(CHINA)))
    assert text == ('{"action":"case.accepted","actor":"dispatcher:值班0","at":"2026-11-24T01:02:03.000004Z",'
                    '"center":"320612001","reason":"理由0","subject":{"case_id":"C-0","event_id":"e-0"}}')
    assert chain.chain_hash(GENESIS, facts(0)) == hashlib.sha256((GENESIS + text).encode()).hexdigest()


def test_a_whole_chain_verifies_with_its_count_and_head():
    entries = built()
    verdict = check(entries)
    assert verdict.finding is None and verdict.count == 8
    assert verdict.head == Head(8, entries[-1].hash, entries[-1].facts.at)
    assert [e.prev_hash for e in entries[1:]] == [e.hash for e in entries[:-1]] and entries[0].prev_hash == GENESIS


def test_an_edited_entry_is_named():
    entries = built()
    entries[4] = replace(entries[4], facts=replace(entries[4].facts, reason="改过的理由"))
    assert (check(entries).finding.kind, check(entries).finding.seq) == ("edited", 5)
    entries = built()
    entries[2] = replace(entries[2], prev_hash="f" * 64)  # its link changed, nothing else
    assert (check(entries).finding.kind, check(entries).finding.seq) == ("edited", 3)


def test_a_deleted_entry_is_named():
    entries = built()
    del entries[4]
    finding = check(entries).finding
    assert (finding.kind, finding.seq) == ("deleted", 5) and check(entries).count == 4


def test_a_deleted_entry_with_the_rest_renumbered_is_seen_where_the_chain_breaks():
    finding = check(renumbered(built()[:4] + built()[5:])).finding
    assert (finding.kind, finding.seq) == ("edited or deleted", 5)


def test_an_inserted_entry_is_named_whether_or_not_its_hashes_fit():
    entries = built()
    fits = chain.link(Head(4, entries[3].hash), [facts(99)])[0]
    forged = Linked(5, fits.prev_hash, fits.hash, facts(99))
    finding = check(renumbered(entries[:4] + [forged] + entries[4:])).finding
    assert (finding.kind, finding.seq) == ("inserted", 5)
    clumsy = Linked(5, entries[3].hash, "a" * 64, facts(99))
    finding = check(renumbered(entries[:4] + [clumsy] + entries[4:])).finding
    assert (finding.kind, finding.seq) == ("inserted", 5)


def test_reordered_entries_are_named():
    entries = built()
    entries[4], entries[5] = replace(entries[5], seq=5), replace(entries[4], seq=6)
    finding = check(entries).finding
    assert (finding.kind, finding.seq) == ("reordered", 5)


def test_a_chain_is_held_to_the_heads_its_parent_witnessed():
    entries = built()
    heads = [Witnessed(3, entries[2].hash), Witnessed(8, entries[7].hash)]
    assert check(entries, heads).finding is None
    truncated = check(entries[:6], heads).finding
    assert (truncated.kind, truncated.seq) == ("deleted", 7)
    rewritten = [replace(e, facts=replace(e.facts, actor="admin:someone")) for e in entries]  # consistent, re-hashed
    again = [Linked(p.seq, p.prev_hash, p.hash, e.facts)
             for p, e in zip(chain.link(Head(), [e.facts for e in rewritten]), rewritten, strict=True)]
    assert check(again).finding is None, "within itself a re-hashed chain holds"
    finding = check(again, heads).finding
    assert (finding.kind, finding.seq) == ("rewritten", 3)


def test_an_empty_chain_verifies():
    verdict = chain.verify([], lambda h: None)
    assert verdict.finding is None and verdict.count == 0 and verdict.head == Head()


# ---- on the unit of work ------------------------------------------------------------------------------------------
@pytest.fixture
def store():
    return memory_store(TOWN)


def rows(store) -> list[AuditEntry]:
    with Session(store.engine) as s:
        return list(s.exec(select(AuditEntry).order_by(AuditEntry.id)).all())


def test_every_action_of_the_center_is_an_entry_written_with_it_and_linked_after_in_order(store):
    case_id = report(store)
    to_dispatched(Bus(store))
    supervision.supervise(store, case_id, "dispatcher:值班长", "请加快")
    audit.link(store.engine)
    written = rows(store)
    assert [r.action for r in written] == ["case.received", "case.triaged", "case.dispatched", "case.supervised"]
    assert [r.seq for r in written] == [1, 2, 3, 4]
    last = written[-1]
    assert (last.actor, last.reason, last.center, last.subject["case_id"]) == ("dispatcher:值班长", "请加快", TOWN,
                                                                               case_id)
    assert last.subject["event_id"] == Bus(store).events("supervised", case_id)[0].id
    assert written[0].actor == "gridworker:李"
    verdict = audit.verify_chain(store.engine)
    assert verdict.finding is None and verdict.count == 4 and verdict.head.hash == last.hash


def test_a_rolled_back_action_leaves_no_entry_and_a_copied_event_is_not_this_centers_action(store):
    case_id = report(store)
    audit.link(store.engine)
    before = len(rows(store))
    with store.uow() as uow:  # recorded, then abandoned (an error before the commit)
        case = uow.case(case_id)
        uow.apply(case, lifecycle.Reject("不予立案"), "dispatcher:甲")
    assert len(rows(store)) == before
    county = memory_store(COUNTY)
    event = Bus(store).events("received", case_id)[0]
    with county.uow() as uow:
        uow.copy_from(event)
        uow.commit()
    assert rows(county) == [], "a copy of a township's case is the township's action, not the county's"


def test_tokens_are_recorded_without_their_secret_and_a_repeated_revocation_adds_nothing(store):
    session = lambda: Session(store.engine)  # noqa: E731
    new = create_token(session, role="handler", region=TOWN, name="城管队员", unit=None, now=T0,
                       actor="admin:bootstrap-admin", center=TOWN)
    revoke_token(session, new.id, lambda region: True, T0 + timedelta(minutes=5), actor="cli:root", center=TOWN)
    revoke_token(session, new.id, lambda region: True, T0 + timedelta(minutes=6), actor="cli:root", center=TOWN)
    audit.link(store.engine)
    made, revoked = rows(store)
    assert (made.action, made.actor, made.subject) == ("token.created", "admin:bootstrap-admin", {
        "token_id": new.id, "name": "城管队员", "role": "handler", "region": TOWN, "unit": None})
    assert (revoked.action, revoked.actor, revoked.at) == ("token.revoked", "cli:root", T0 + timedelta(minutes=5))
    stored = json.dumps([r.model_dump(mode="json") for r in rows(store)], ensure_ascii=False)
    assert new.token not in stored and hashlib.sha256(new.token.encode()).hexdigest() not in stored


def test_record_refuses_a_subject_that_would_not_hash_the_same_after_the_database(store):
    with Session(store.engine) as s, pytest.raises(ValueError, match="rate"):
        audit.record(s, center=TOWN, actor="admin:x", action="rules.changed", subject={"rate": 0.5}, at=T0)


def test_the_page_of_the_chain_links_what_committed_and_filters_by_time(store):
    for i in range(5):
        with Session(store.engine) as s:
            audit.record(s, center=TOWN, actor=f"admin:{i}", action="rules.changed", subject={"version": i},
                         at=T0 + timedelta(hours=i), reason="新规则")
            s.commit()
    page = audit.entries(store, since=T0 + timedelta(hours=1), before=T0 + timedelta(hours=4), page=1, page_size=2)
    assert page.total == 3 and [e.seq for e in page.items] == [2, 3] and page.head.seq == 5
    assert [e.actor for e in audit.entries(store, page=2, page_size=2).items] == ["admin:2", "admin:3"]


def test_an_entry_left_unlinked_for_more_than_a_minute_is_a_finding(store):
    with Session(store.engine) as s:
        audit.record(s, center=TOWN, actor="admin:x", action="rules.changed", subject={}, at=T0)
        s.commit()
    assert audit.verify_chain(store.engine).finding is None, "just written: the linker has a minute"
    finding = audit.verify_chain(store.engine, now=datetime.now(UTC) + timedelta(minutes=2)).finding
    assert finding.kind == "unlinked" and "1 entry" in finding.message


def test_an_edit_in_the_database_is_found_by_verification(store):
    case_id = report(store)
    to_dispatched(Bus(store))
    audit.link(store.engine)
    with store.engine.begin() as conn:
        conn.execute(sa.update(AuditEntry).where(AuditEntry.seq == 2).values(actor="system:someone-else"))
    finding = audit.verify_chain(store.engine).finding
    assert (finding.kind, finding.seq) == ("edited", 2), case_id


def test_the_head_goes_to_the_parent_through_the_outbox_and_the_parent_keeps_it(store):
    report(store)
    assert audit.publish_head(store, 60)
    assert not audit.publish_head(store, 60), "once per interval, however many processes publish"
    with Session(store.engine) as s:
        (row,) = [r for r in s.exec(select(Outbox)).all() if "audit_head" in r.routing_key]
    event = CloudEvent.model_validate_json(row.body)
    assert event.type == "yiwang.center.audit_head.v1" and event.subject == TOWN and event.center == TOWN
    assert row.routing_key == "320600.320612.audit_head", "addressed to the parent, the county"
    assert isinstance(event.payload, payloads.AuditHead)
    assert (event.payload.seq, event.payload.hash) == (audit.head(store.engine).seq, audit.head(store.engine).hash)
    county = memory_store(COUNTY)
    assert audit.keep_head(county, event) and audit.keep_head(county, event)
    assert audit.witnessed(county.engine, TOWN) == [Witnessed(event.payload.seq, event.payload.hash)]
    city = memory_store(load_catalog().regions.root)
    assert not audit.keep_head(city, event), "only the parent is the witness"
    assert audit.witnessed(city.engine, TOWN) == []
    supervision.follow_below(city, event)  # the city follows the county's subtree key: a head is not a case to copy
    with Session(city.engine) as s:
        assert s.exec(select(sa.func.count()).select_from(Outbox)).one() == 0
        assert s.exec(sa.text('SELECT count(*) FROM "case"')).one()[0] == 0


def test_a_head_event_of_another_kind_of_center_is_refused_by_its_model():
    body = ce.build("audit_head", case_id=TOWN, region=TOWN, center=TOWN, service="audit", time=T0,
                    data={"center": TOWN, "seq": 1, "hash": "not-a-hash"})
    with pytest.raises(ValueError, match="hash"):
        CloudEvent.model_validate(body)
    with pytest.raises(ValueError, match="unknown event type"):
        CloudEvent.model_validate({**body, "type": "yiwang.case.audit_head.v1",
                                   "data": {"center": TOWN, "seq": 0, "hash": GENESIS}})
