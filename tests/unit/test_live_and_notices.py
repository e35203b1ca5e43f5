"""The live feed, notifications and photos on the real unit of work over in-memory SQLite: rows written with the
change, numbered in order after it commits, each notification once per cause, photos sniffed and read for EXIF."""
from __future__ import annotations

import io

import pytest
from PIL import Image
from sqlmodel import Session, select

from services.live import api as live
from services.media.photos import NotAPhoto, facts, sniff
from services.notification.adapters.tables import Notification
from services.notification.api import Reader, for_reader, mark_read, notify
from services.notification.domain.rules import Change, notices
from services.supervision import handlers as supervision
from shared.store.uow import Recorded
from tests.unit.memory import Bus, memory_store
from tests.unit.test_handlers import TOWN, report, to_dispatched


@pytest.fixture
def store():
    return memory_store(TOWN)


def test_every_recorded_change_is_in_the_feed_numbered_in_commit_order(store):
    case_id = report(store)
    to_dispatched(Bus(store))
    assert live.latest(store) == 0 and live.sequence(store) > 0
    changes = live.since(store, 0)
    names = [c.name for c in changes if c.case_id == case_id and c.name != "notification"]
    assert names == ["received", "triaged", "dispatched"]
    assert [c.seq for c in changes] == list(range(1, len(changes) + 1))
    assert live.sequence(store) == 0, "numbered once"
    supervision.supervise(store, case_id, "dispatcher:值班长", "请加快")
    live.sequence(store)
    later = live.since(store, changes[-1].seq)
    assert [c.name for c in later] == ["supervised", "notification"] and later[0].seq == changes[-1].seq + 1


def test_a_notification_is_made_once_per_cause_even_when_its_change_is_seen_twice(store):
    case_id = report(store)
    to_dispatched(Bus(store))
    with store.uow() as uow:  # the same recorded change handed to the reaction again (a retried transaction)
        case = uow.case(case_id)
        event_id = Bus(store).events("dispatched", case_id)[0].id
        notify(uow, [Recorded(case, event_id, "dispatched", case.updated_at, {"unit": case.unit}, copied=False)])
        uow.commit()
    with Session(store.engine) as s:
        made = s.exec(select(Notification).where(Notification.case_id == case_id)).all()
    assert [(n.kind, n.role) for n in made] == [("new_task", "handler")]


def test_a_unit_reads_its_notifications_and_marks_them_read_and_another_unit_cannot(store):
    case_id = report(store)
    to_dispatched(Bus(store))
    unit = Bus(store).events("dispatched", case_id)[0].payload.unit
    mine, other = Reader("token:1", "handler", unit, TOWN), Reader("token:2", "handler", "someone.else", TOWN)
    items, unread = for_reader(store, mine)
    assert unread == 1 and items[0].kind == "new_task" and items[0].case_id == case_id
    assert for_reader(store, other) == ([], 0)
    assert not mark_read(store, items[0].id, other) and mark_read(store, items[0].id, mine)
    assert for_reader(store, mine, unread_only=True) == ([], 0)


@pytest.mark.parametrize("event, data, expected", [
    ("dispatched", {}, [("new_task", "handler")]),
    ("supervised", {"level": 2}, [("supervise", "handler")]),
    ("overdue", {"stage": "resolve"}, [("overdue", "handler"), ("overdue", "dispatcher")]),
    ("returned", {"reason": "非本单位"}, [("returned", "dispatcher")]),
    ("extension_requested", {"reason": "材料"}, [("extension", "dispatcher")]),
    ("accepted", {}, []),
])
def test_who_is_told_what(event, data, expected):
    said = notices(Change(event, "C-1", "u-1", "grid", False, data), "井盖")
    assert [(n.kind, n.role) for n in said] == expected
    if event == "supervised":
        assert "督办" in said[0].title


def photo(fmt: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (1, 2, 3)).save(out, fmt)
    return out.getvalue()


@pytest.mark.parametrize("fmt, kind", [("JPEG", "image/jpeg"), ("PNG", "image/png"), ("WEBP", "image/webp")])
def test_a_photo_type_comes_from_its_bytes(fmt, kind):
    assert sniff(photo(fmt)) == kind and facts(photo(fmt)).content_type == kind


@pytest.mark.parametrize("data", [b"", b"GIF89a....", b"%PDF-1.7", b"\xff\xd8\xff" + b"x" * 100])
def test_anything_else_is_not_a_photo(data):
    with pytest.raises(NotAPhoto):
        facts(data)


@pytest.mark.parametrize("data, title", [
    ({"level": 1}, "催办：井盖"), ({"level": 2}, "督办：井盖"), ({"level": 3}, "提级督办：井盖"),
    ({"level": 3, "step": "挂牌督办"}, "挂牌督办：井盖"), ({"level": 3, "step": "提级"}, "提级督办：井盖"),
])
def test_a_supervision_is_called_by_its_escalation_step(data, title):
    said = notices(Change("supervised", "C-1", "u-1", "grid", False, {"note": "超时", **data}), "井盖")
    assert [n.title for n in said] == [title]
