"""Telling people (issue 11 item 3) on the real PostgreSQL and RabbitMQ, through the stub gateway: a new task and the
steps of an escalation chain reach the people the duty roster names by signed webhook and by SMS, each exactly once
and in order per recipient, across a restart of the sender (the supervision service that carries it); a failing
gateway is retried until it answers 2xx; a wrong signature is refused; no phone number reaches a log line.

Each test uses a township no other test uses (its own center database) and a roster file of its own."""
from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import Session, select
from structlog.testing import capture_logs

from app.stub_gateway import StubGateway
from services.dispatch import handlers as dispatch
from services.intake.handlers import submit_report
from services.notification.adapters.tables import NotificationDelivery
from services.notification.api import DeliverySender, use_channels
from services.supervision.domain.escalation import load_rules
from services.triage import handlers as triage
from shared import lifecycle
from shared.contracts.api import ReportIn
from tests import support
from tests.unit.memory import Bus

WEBHOOK_SECRET, SMS_SECRET = "webhook-test-secret-0123456789", "sms-test-secret-9876543210"
PHONES = {"leader": "13911110001", "desk": "13911110002", "duty": "13911110003", "county": "13911110004"}


def roster_file(tmp_path: Path, town: str) -> str:
    """Everyone always on duty: the township's desk, every unit's duty and leader, and the county's desk."""
    kinds = ("command", "chengguan", "municipal", "sanitation", "safety", "market", "police")  # a township's units
    people = "".join(f'[people.{who}]\nname = "{who}"\nrole = "值班"\nphone = "{phone}"\nwebhook = "/hooks/{who}"\n\n'
                     for who, phone in PHONES.items())
    units = "".join(f'[units."{town}.{k}"]\nleader = "leader"\n[[units."{town}.{k}".duty]]\nwho = ["duty"]\n\n'
                    for k in kinds)
    centers = (f'[centers."{town}"]\n[[centers."{town}".duty]]\nwho = ["desk"]\n\n'
               f'[centers."320612"]\n[[centers."320612".duty]]\nwho = ["county"]\n\n')
    path = tmp_path / "rosters.toml"
    path.write_text(people + centers + units, encoding="utf-8")
    return str(path)


def channel_settings(amqp_uri, database_url, stub: StubGateway, rosters: str, **extra):
    return support.settings(amqp_uri, database_url, webhook_url=stub.url, webhook_secret=WEBHOOK_SECRET,
                            sms_url=stub.url + "/sms", sms_secret=SMS_SECRET, notify_poll_seconds=0.2,
                            rosters_file=rosters, **extra)


def new_task(store, town: str) -> str:
    """A grid report in the township, routed and dispatched to a unit by the real handlers."""
    case_id = submit_report(store, ReportIn.model_validate({
        "description": "路边污水井盖破损，行人容易踩空", "category": "0107", "region": town,
        "location": support.somewhere(121.07, 32.08)}), source="grid", actor="gridworker:李").case_id
    bus = Bus(store)
    bus.deliver("received", triage.route_case)
    bus.deliver("triaged", dispatch.dispatch_case)
    return case_id


def escalate(store, case_id: str) -> None:
    """The sign chain's 督办, 挂牌督办 and 提级 steps, as supervision's sweep records them."""
    for step in load_rules().chain("sign", "normal")[1:]:
        store.act(case_id, lifecycle.Supervise(step.note_for("sign"), level=step.rank, step=step.level, stage="sign",
                                               notify=step.notify, channel=step.channel,
                                               supervisor="320612" if step.escalates else None), "supervision")


def rows(store, case_id: str) -> list[NotificationDelivery]:
    with Session(store.engine) as s:
        return list(s.exec(select(NotificationDelivery).where(NotificationDelivery.case_id == case_id)
                           .order_by(NotificationDelivery.id)))


def sent(store, case_id: str) -> int:
    return sum(1 for r in rows(store, case_id) if r.sent_at is not None)


def test_a_new_task_and_escalation_steps_reach_people_by_webhook_and_sms_once_in_order_across_a_restart(
        amqp_uri, database_url, tmp_path):
    town = "320612003"
    with StubGateway(webhook_secret=WEBHOOK_SECRET, sms_secret=SMS_SECRET) as stub:
        s = channel_settings(amqp_uri, database_url, stub, roster_file(tmp_path, town))
        try:
            support.prepared(s, town)  # wires the channels from these settings, as `yiwang run` does
            store = support.store_for(s, town)
            case_id = new_task(store, town)
            escalate(store, case_id)
            owed = rows(store, case_id)
            # the new task: the unit's duty by webhook and SMS; 督办 (webhook): the leader and the desk; 挂牌督办 and
            # 提级 (webhook, SMS): leader, desk, duty, and for 提级 the county's desk
            assert [(r.kind, r.recipient, r.channel) for r in owed if r.kind == "new_task"] == \
                [("new_task", "duty", "webhook"), ("new_task", "duty", "sms")]
            assert len(owed) == 2 + 2 + 6 + 8
            assert not any(phone in r.address for r in owed for phone in PHONES.values()), "numbers kept sealed"
            stub.fail_next(2)  # the gateway fails twice: retried until it answers 2xx
            with capture_logs() as logs:
                with support.running(["supervision"], support.center_config(s, town)):
                    support.wait_until(lambda: sent(store, case_id) >= 3, timeout=30, what="some deliveries")
                first_run = sent(store, case_id)
                with support.running(["supervision"], support.center_config(s, town)):  # the sender restarted
                    support.wait_until(lambda: sent(store, case_id) == len(owed), timeout=60, what="every delivery")
        finally:
            use_channels(False, False)  # as conftest wired the process
        state, got = stub.state(), stub.messages()
    assert first_run >= 3
    assert state["totals"]["failed"] == 2 and state["totals"]["bad_signature"] == 0
    assert state["totals"]["duplicates"] == 0 and len(got) == len(owed), "each notice arrived exactly once"
    # in order per recipient and channel: the order in which the changes owed them
    for queue in {(r.channel, r.recipient) for r in owed}:
        expected = [f"{town}/{r.id}" for r in owed if (r.channel, r.recipient) == queue]
        arrived = [m["body"]["id"] for m in got if (m["channel"], m["body"].get("recipient", {}).get("id") or
                                                     _who(m["body"].get("to"))) == queue]
        assert arrived == expected, queue
    hooks = [m for m in got if m["channel"] == "webhook"]
    assert {m["path"] for m in hooks} == {f"/hooks/{p}" for p in PHONES}
    task_hook = next(m["body"] for m in hooks if m["body"]["kind"] == "new_task")
    assert task_hook["case_id"] == case_id and task_hook["title"].startswith("新任务")
    assert not any(p in json.dumps(m["body"], ensure_ascii=False) for m in hooks for p in PHONES.values())
    texts = [m["body"]["text"] for m in got if m["channel"] == "sms" and m["body"]["to"] == PHONES["county"]]
    assert len(texts) == 1 and "提级督办" in texts[0]
    assert any(e["event"] == "notice delivered" for e in logs)
    assert not any(p in repr(e) for e in logs for p in PHONES.values()), "a phone number was logged"


def _who(phone: str | None) -> str | None:
    return next((who for who, p in PHONES.items() if p == phone), None)


def test_a_failing_gateway_is_retried_until_it_answers_and_a_wrong_signature_is_refused(amqp_uri, database_url,
                                                                                        tmp_path):
    town = "320612004"
    with StubGateway(webhook_secret=WEBHOOK_SECRET, sms_secret=SMS_SECRET) as stub:
        s = channel_settings(amqp_uri, database_url, stub, roster_file(tmp_path, town))
        try:
            support.prepared(s, town)
            store = support.store_for(s, town)
            case_id = new_task(store, town)
        finally:
            use_channels(False, False)
        forged = DeliverySender(store, webhook_url=stub.url, webhook_secret="not-the-shared-secret-000",
                                sms_url=stub.url + "/sms", sms_secret="not-the-shared-secret-000", quick_wait_max=0.05)
        forged.run_once()
        assert sent(store, case_id) == 0 and stub.state()["totals"]["bad_signature"] >= 1
        assert all(r.last_error and "401" in r.last_error for r in rows(store, case_id))
        stub.fail_next(7)  # more than a round's quick tries: the rows wait for later rounds, persisted
        sender = DeliverySender.from_settings(store, s)
        sender.quick_wait_max = 0.05
        for _ in range(50):
            sender.run_once()
            if sent(store, case_id) == 2:
                break
            with store.uow() as uow:  # the next round is due at once: the test does not wait out the backoff
                uow.session.execute(sa.update(NotificationDelivery).where(
                    NotificationDelivery.case_id == case_id, NotificationDelivery.sent_at.is_(None))
                    .values(next_attempt_at=uow.now() - timedelta(seconds=1)))
                uow.commit()
        assert sent(store, case_id) == 2
        assert all(r.attempts > 1 and r.last_error is None for r in rows(store, case_id))
        assert stub.state()["totals"]["failed"] == 7 and len(stub.messages()) == 2
