"""The handlers' logic, with the real unit of work on an in-memory database and no broker: each handler is given
the events the previous one wrote to the outbox, as the chain would deliver them. (The same path through the real
broker and PostgreSQL is covered by tests/interface and tests/e2e.)"""
from __future__ import annotations

import pytest
from pydantic import ValidationError
from sqlmodel import Session, select

from services.dispatch import handlers as dispatch
from services.feedback import handlers as feedback
from services.feedback.adapters.tables import HotlineUpdate
from services.intake.handlers import IdempotencyConflict, NewCase, submit_report, take_in
from services.supervision import handlers as supervision
from services.supervision.adapters.tables import CaseDeadline
from services.triage import handlers as triage
from shared import lifecycle
from shared.contracts.api import ReportIn
from shared.store.tables import Outbox, Reporter
from tests.unit.memory import Bus, case, memory_store, timeline

TOWN = "320612001"
REPORT = {"description": "人民路12号门口的污水井盖破损，晚上很危险", "category": "0107", "region": TOWN,
          "location": {"lon": 121.07, "lat": 32.08}}


@pytest.fixture
def store():
    return memory_store(TOWN)


@pytest.fixture
def bus(store):
    return Bus(store)


def report(store, **changes) -> str:
    return submit_report(store, ReportIn.model_validate({**REPORT, **changes}), source="grid",
                         actor="gridworker:李").case_id


def to_dispatched(bus) -> None:
    bus.deliver("received", triage.route_case)
    bus.deliver("triaged", dispatch.dispatch_case)
    bus.deliver("dispatched", supervision.track)


def test_a_report_is_recorded_with_its_reporter_and_its_received_event_in_the_outbox(store, bus):
    case_id = submit_report(store, ReportIn.model_validate({**REPORT, "reporter": {"phone": "13812345678"}}),
                            source="grid", actor="gridworker:李").case_id
    assert case(store, case_id).status == lifecycle.RECEIVED and timeline(store, case_id) == ["received"]
    (event,) = bus.events("received", case_id)
    assert event.payload.source == "grid" and event.payload.case.region == TOWN
    assert "13812345678" not in event.model_dump_json(), "a phone number never travels in an event"
    with Session(store.engine) as s:
        (who,) = s.exec(select(Reporter).where(Reporter.case_id == case_id)).all()
    assert who.phone_sealed and "13812345678" not in who.phone_sealed


def test_an_idempotency_key_answers_a_retry_with_the_first_case_and_refuses_another_body(store):
    body = ReportIn.model_validate(REPORT)
    first = submit_report(store, body, source="grid", actor="t", idempotency=("token:1", "k-1"))
    again = submit_report(store, body, source="grid", actor="t", idempotency=("token:1", "k-1"))
    assert again.case_id == first.case_id and again.replayed
    with pytest.raises(IdempotencyConflict):
        submit_report(store, ReportIn.model_validate({**REPORT, "description": "另一件事"}), source="grid",
                      actor="t", idempotency=("token:1", "k-1"))


def test_triage_routes_and_dispatch_hands_the_case_to_a_unit_with_deadlines(store, bus):
    case_id = report(store)
    to_dispatched(bus)
    row = case(store, case_id)
    assert row.status == lifecycle.DISPATCHED and row.unit and row.triage_rule
    assert timeline(store, case_id) == ["received", "triaged", "dispatched"]
    with Session(store.engine) as s:
        deadlines = s.get(CaseDeadline, case_id)
    assert deadlines.stage == "sign" and deadlines.sign_due > row.created_at and deadlines.light == "green"


def test_a_redelivered_event_is_skipped_by_the_inbox(store, bus):
    first = report(store)
    to_dispatched(bus)
    report(store, description="人民路12号井盖坏了", location={"lon": 121.0702, "lat": 32.0801})
    bus.deliver("received", triage.route_case)
    (merged,) = bus.events("merged")
    triage.count_reporters(store, merged)
    triage.count_reporters(store, merged)  # the broker delivers it again: counting twice would say 3
    assert case(store, first).reporters_count == 2


def test_a_report_near_an_open_case_of_its_category_is_merged_and_counted_by_the_owner(store, bus):
    first = report(store)
    to_dispatched(bus)
    second = report(store, description="人民路12号井盖坏了", location={"lon": 121.0702, "lat": 32.0801})
    bus.deliver("received", triage.route_case)
    assert case(store, second).status == lifecycle.MERGED and case(store, second).merged_into == first
    bus.deliver("merged", triage.count_reporters)
    assert case(store, first).reporters_count == 2
    with Session(store.engine) as s:
        waiting = s.exec(select(Reporter.reported_case_id).where(Reporter.case_id == first)).all()
    assert sorted(waiting) == sorted([first, second]), "the merged report's reporter waits for the target's answer"


def test_a_handler_signs_and_resolves_and_a_verified_grid_case_closes(store, bus):
    case_id = report(store)
    to_dispatched(bus)
    actor = "handler:王"
    dispatch.accept(store, case_id, actor, "收到")
    dispatch.resolve(store, case_id, actor, "已更换井盖", ["m-1"])
    supervision.verify(store, case_id, "gridworker:李", True, "现场已修好")
    bus.deliver("verified", feedback.close_verified)
    assert case(store, case_id).status == lifecycle.CLOSED
    assert timeline(store, case_id)[-4:] == ["accepted", "resolved", "verified", "closed"]


def test_a_guard_that_refuses_changes_nothing(store, bus):
    case_id = report(store)
    to_dispatched(bus)
    seen = []

    def guard(row, action):
        seen.append(action)
        raise PermissionError("not yours")

    with pytest.raises(PermissionError):
        dispatch.accept(store, case_id, "handler:外人", None, guard)
    assert seen == ["accept"] and case(store, case_id).status == lifecycle.DISPATCHED
    assert timeline(store, case_id) == ["received", "triaged", "dispatched"]


def test_an_illegal_transition_is_refused_and_the_case_is_unchanged(store, bus):
    case_id = report(store)
    to_dispatched(bus)
    with pytest.raises(lifecycle.IllegalTransition):
        dispatch.resolve(store, case_id, "handler:王", "还没签收就办结")
    assert case(store, case_id).status == lifecycle.DISPATCHED and len(bus.events("resolved")) == 0


def test_an_event_whose_payload_does_not_fit_its_model_is_refused_where_it_is_recorded(store):
    new = NewCase(source="grid", description="井盖破损", region=TOWN, category="0107",
                  facts={"orderno": "12345-1"})  # a typo of order_no
    with pytest.raises(ValidationError, match="orderno"):
        take_in(store, new, actor="gridworker:李")
    with Session(store.engine) as s:
        assert s.exec(select(Outbox)).all() == [], "nothing was recorded"


def test_the_12345_reaction_owes_each_caller_the_changes_of_the_case_that_answers_them(store, bus):
    take_in(store, NewCase(source="hotline", description="【投诉】井盖破损", region=TOWN, category="0107",
                           lon=121.07, lat=32.08, external_ref="12345-A", reporter_phone="13812345678",
                           facts={"order_no": "12345-A", "kind": "complaint", "channel": "phone", "urgent": False}),
            actor="hotline:12345")
    to_dispatched(bus)
    with Session(store.engine) as s:
        owed = s.exec(select(HotlineUpdate.order_no, HotlineUpdate.status)).all()
    assert owed == [("12345-A", "dispatched")], "written by the reaction in the transaction of the change"
