"""One interface test per service: each runs as a real nameko service on the real broker and database."""
import json
import os
import tempfile
import time
from dataclasses import replace
from datetime import timedelta

import pytest
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from sqlmodel import Session, select

from services.intake.handlers import IdempotencyConflict, submit_report
from services.supervision.adapters.tables import CaseDeadline
from shared import observability
from shared.clock import Clock
from shared.contracts.api import ReportIn
from shared.store.tables import Outbox, TimelineEntry
from tests import support

REPORT = {"description": "人民路12号门口的污水井盖破损，晚上很危险", "location": {"lon": 121.07, "lat": 32.08}}


@pytest.fixture(scope="module")
def spans():
    exporter = InMemorySpanExporter()
    observability.configure_tracing("yiwang-test", "test", exporter=exporter)
    return exporter


def _center(amqp_uri, database_url, center, **extra):
    s = support.settings(amqp_uri, database_url, **extra)
    url = support.prepared(s, center)
    return s, url, support.store_for(s, center)


def _submit(store, **changes):
    body = {**REPORT, "location": support.somewhere(), **changes}
    return submit_report(store, ReportIn.model_validate(body), source="grid", actor="gridworker:t")


def test_intake_records_a_report_and_relays_received_with_confirms_and_idempotency(amqp_uri, database_url):
    s, url, store = _center(amqp_uri, database_url, "320612002")
    watch = support.Watcher(amqp_uri, [support.key("320612002", "received")])
    try:
        first = _submit(store, region="320612002")
        event = watch.wait_for(lambda e: e["subject"] == first.case_id)
        assert event["type"] == "yiwang.case.received.v1" and event["specversion"] == "1.0"
        assert event["source"] == "/centers/320612002/test" and event["region"] == "320612002"
        assert "phone" not in json.dumps(event)
        def marked_sent():
            with Session(store.engine) as sess:
                return sess.exec(select(Outbox).where(Outbox.case_id == first.case_id)).one().sent_at is not None
        support.wait_until(marked_sent, timeout=5, what="the outbox row marked sent")
        report = ReportIn.model_validate(REPORT)
        a = submit_report(store, report, source="grid", actor="t", idempotency=("tok", "k-1"))
        b = submit_report(store, report, source="grid", actor="t", idempotency=("tok", "k-1"))
        assert a.case_id == b.case_id and b.replayed
        with pytest.raises(IdempotencyConflict):
            submit_report(store, ReportIn.model_validate({**REPORT, "description": "另一件事情"}), source="grid",
                          actor="t", idempotency=("tok", "k-1"))
    finally:
        watch.close()


def test_triage_classifies_routes_and_skips_a_redelivered_event(amqp_uri, database_url, spans):
    s, url, store = _center(amqp_uri, database_url, "320612003")
    watch = support.Watcher(amqp_uri, [support.key("320612003", "triaged"), support.key("320612003", "received")])
    try:
        with support.running(["triage"], support.center_config(s, "320612003")):
            with observability.span("test intake"):
                accepted = _submit(store)
            triaged = watch.wait_for(lambda e: e["type"].endswith("triaged.v1"))
            case = support.case_row(store, accepted.case_id)
            assert case.status == "triaged" and case.category and case.unit.startswith("320612003.")
            assert triaged["data"]["rule"] == case.triage_rule
            received = next(e for e in watch.events if e["type"].endswith("received.v1"))
            support.publish_raw(amqp_uri, json.dumps(received), support.key("320612003", "received"))
            time.sleep(1.0)
            assert support.timeline_types(store, accepted.case_id) == ["received", "triaged"]
        trace_ids = {sp.context.trace_id for sp in spans.get_finished_spans()
                     if sp.name.startswith(("yiwang.case.received", "yiwang.case.triaged", "test intake"))}
        assert len(trace_ids) == 1, "intake, the received publish, its processing and triaged share one trace"
        assert any(sp.name == "yiwang.case.received.v1 process" for sp in spans.get_finished_spans())
    finally:
        watch.close()


def test_dispatch_hands_a_triaged_case_to_its_unit(amqp_uri, database_url):
    s, url, store = _center(amqp_uri, database_url, "320612004")
    with support.running(["triage", "dispatch"], support.center_config(s, "320612004")):
        accepted = _submit(store, category="0107")
        support.wait_until(lambda: support.case_row(store, accepted.case_id).status == "dispatched", what="dispatched")
    assert support.timeline_types(store, accepted.case_id) == ["received", "triaged", "dispatched"]


def test_supervision_sets_deadlines_and_warns_when_the_clock_passes_them(amqp_uri, database_url):
    with tempfile.NamedTemporaryFile("w", delete=False) as f:
        f.write("0")
    clock = Clock(f.name)
    s, url, _ = _center(amqp_uri, database_url, "320612102")
    store = support.store_for(s, "320612102", clock)
    try:
        cfg = support.center_config(replace(s, clock_file=f.name), "320612102")
        with support.running(["triage", "dispatch", "supervision"], cfg):
            accepted = _submit(store, category="0107")

            def deadline():
                with Session(store.engine) as sess:
                    row = sess.get(CaseDeadline, accepted.case_id)
                    return row if row is not None and row.sign_due else None
            row = support.wait_until(deadline, what="deadlines set")
            assert row.stage == "sign" and row.light == "green" and row.resolve_due > row.sign_due
            with open(f.name, "w") as fh:
                fh.write(str(timedelta(days=10).total_seconds()))
            support.wait_until(lambda: "overdue" in support.timeline_types(store, accepted.case_id), timeout=20,
                               what="overdue warning")
            with Session(store.engine) as sess:
                row = sess.get(CaseDeadline, accepted.case_id)
                assert row.light == "red" and row.overdue
                warnings = sess.exec(select(TimelineEntry).where(TimelineEntry.case_id == accepted.case_id,
                                                                 TimelineEntry.type == "overdue")).all()
            assert len(warnings) == 1, "a stage is warned overdue once"
            support.wait_until(lambda: support.case_row(store, accepted.case_id).supervision_level == 3,
                               what="the supervision ladder climbed to 提级督办")
            types = support.timeline_types(store, accepted.case_id)
            assert types.count("supervised") == 4, types  # the chain: 催办, 督办, 挂牌督办, 提级
    finally:
        os.unlink(f.name)


def test_feedback_closes_a_verified_grid_case(amqp_uri, database_url):
    from services.dispatch import handlers as dispatch
    from services.supervision import handlers as supervision

    s, url, store = _center(amqp_uri, database_url, "320612103")
    with support.running(["triage", "dispatch", "feedback"], support.center_config(s, "320612103")):
        accepted = _submit(store, category="0107")
        support.wait_until(lambda: support.case_row(store, accepted.case_id).status == "dispatched", what="dispatched")
        dispatch.accept(store, accepted.case_id, "handler:t")
        dispatch.resolve(store, accepted.case_id, "handler:t", "replaced the cover")
        supervision.verify(store, accepted.case_id, "gridworker:t", True)
        support.wait_until(lambda: support.case_row(store, accepted.case_id).status == "closed", what="closed")
    assert support.timeline_types(store, accepted.case_id)[-2:] == ["verified", "closed"]
