"""Every event's payload has one model: the lifecycle's events fit theirs, a payload that does not fit is refused
with the model's error, and docs/events.md is what the models say."""
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pydantic import ValidationError

from shared import lifecycle
from shared.contracts import payloads
from shared.contracts.events import EVENT_NAMES, CloudEvent, build

ROOT = Path(__file__).resolve().parents[2]
CASE = {"id": "320612001-20261124-000001", "status": "dispatched", "source": "grid", "description": "井盖破损",
        "priority": "normal", "region": "320612001", "center": "320612001", "unit": "320612001-cg"}


def test_every_event_name_has_a_model():
    assert set(payloads.MODELS) == set(EVENT_NAMES)


def test_docs_events_md_is_generated_from_the_models():
    assert (ROOT / "docs" / "events.md").read_text(encoding="utf-8") == payloads.document(), \
        "regenerate: python -m shared.contracts.payloads > docs/events.md"


STATE = lifecycle.CaseState(center="320612001", status=lifecycle.DISPATCHED, category="0107", priority="normal",
                            unit="320612001-cg")
COMMANDS = [
    (STATE, lifecycle.Accept("收到")), (STATE, lifecycle.Return("非本单位职责")),
    (STATE, lifecycle.Transfer("320612001-sw", "转水务")), (STATE, lifecycle.Escalate("需执法", "320612")),
    (STATE, lifecycle.RequestExtension("材料未到", working_days=2)), (STATE, lifecycle.Supervise("请加快")),
    (STATE, lifecycle.Warn("overdue", "sign")),
    (lifecycle.CaseState(**{**STATE.__dict__, "status": lifecycle.ACCEPTED}), lifecycle.Resolve("已更换", ("m1",))),
    (lifecycle.CaseState(**{**STATE.__dict__, "status": lifecycle.RESOLVED}), lifecycle.Verify(False, "未修好")),
    (lifecycle.CaseState(**{**STATE.__dict__, "status": lifecycle.RESOLVED}),
     lifecycle.Visit(True, "satisfied", None)),
    (lifecycle.CaseState(**{**STATE.__dict__, "status": lifecycle.VERIFIED}), lifecycle.Close("结案")),
    (lifecycle.CaseState(**{**STATE.__dict__, "status": lifecycle.CLOSED}), lifecycle.Reopen("不满意")),
    (lifecycle.CaseState(**{**STATE.__dict__, "status": lifecycle.RECEIVED, "unit": None}),
     lifecycle.Merge("320612001-20261124-000002", "320612001-20261124-000001")),
]


@pytest.mark.parametrize("state, command", COMMANDS, ids=lambda x: type(x).__name__)
def test_the_lifecycle_events_fit_their_models(state, command):
    for event in lifecycle.decide(state, command):
        parsed = payloads.parse(event.type, {**event.data, "case": CASE, "actor": "handler:李"})
        assert isinstance(parsed, payloads.MODELS[event.type])


@pytest.mark.parametrize("data, field", [
    ({"case": CASE, "actor": "x"}, "level"),                          # missing
    ({"case": CASE, "actor": "x", "level": 1, "levle": 2}, "levle"),  # a typo
    ({"case": {**CASE, "status": None}, "actor": "x", "level": 1}, "case.status"),  # wrong type, nested
])
def test_a_payload_that_does_not_fit_is_refused_naming_the_field(data, field):
    with pytest.raises(ValidationError) as err:
        payloads.parse("supervised", data)
    assert field in str(err.value)


def test_a_cloud_event_types_its_data():
    body = build("visited", case_id=CASE["id"], region=CASE["region"], center=CASE["center"], service="feedback",
                 time=datetime.now(UTC), data={"case": CASE, "actor": "hotline:12345", "resolved": True,
                                       "satisfaction": "dissatisfied", "comment": "还是坏的"})
    event = CloudEvent.model_validate(body)
    assert isinstance(event.payload, payloads.Visited) and event.payload.satisfaction == "dissatisfied"
    with pytest.raises(ValidationError, match="satisfaction"):
        CloudEvent.model_validate({**body, "data": {**body["data"], "satisfaction": "meh"}})
