"""Verification with evidence (issue 11 item 7): a resolving photo must be taken after the dispatch to the unit and
near the case; a photo without EXIF is accepted but flagged (or refused, as the data says); a photo whose content
another case already cited is flagged with that case. The checks are pure (services/media/domain/evidence.py), run
here on real JPEGs whose EXIF the test writes with Pillow; then once through the handlers on an in-memory center."""
from __future__ import annotations

import io
from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from PIL import Image
from sqlmodel import Session, select

from services.dispatch import handlers as dispatch
from services.intake.handlers import submit_report
from services.media import handlers as media
from services.media.adapters.storage import LocalStorage
from services.media.domain import evidence as ev
from services.media.photos import facts
from services.supervision import handlers as supervision
from services.triage import handlers as triage
from shared import lifecycle
from shared.clock import CHINA
from shared.contracts.api import ReportIn
from shared.geo import distance_m
from shared.store.tables import TimelineEntry
from shared.store.uow import react
from tests.unit.memory import Bus, case, memory_store, timeline

LON, LAT = 121.07, 32.08                       # the case
DISPATCHED = datetime(2026, 11, 24, 9, 0, tzinfo=CHINA)
NORTH_100M = 100 / 111_195                      # degrees of latitude in 100 m


def _dms(x: float) -> tuple[float, float, float]:
    d = int(x)
    m = int((x - d) * 60)
    return float(d), float(m), round(((x - d) * 60 - m) * 60, 4)


def jpeg(taken: datetime | None = None, lon: float | None = None, lat: float | None = None,
         colour: tuple[int, int, int] = (90, 120, 60)) -> bytes:
    """A real JPEG; with an EXIF DateTimeOriginal (and its offset) and a GPS position when given."""
    image = Image.new("RGB", (48, 32), colour)
    exif = Image.Exif()
    if taken is not None:
        exif.get_ifd(0x8769).update({36867: taken.strftime("%Y:%m:%d %H:%M:%S"), 36881: taken.strftime("%z")[:3] + ":"
                                     + taken.strftime("%z")[3:]})
    if lon is not None and lat is not None:
        exif.get_ifd(0x8825).update({1: "N", 2: _dms(lat), 3: "E", 4: _dms(lon)})
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def photo(data: bytes, media_id: str = "m_aaaaaaaaaaaaaaaaaaaaaaaa", sha256: str = "ab" * 32) -> ev.Photo:
    found = facts(data)
    return ev.Photo(media_id, sha256, found.taken_at, found.lon, found.lat)


SITE = ev.Site("320612001-20261124-000001", LON, LAT, DISPATCHED, "grid", "0107")
RULES = ev.EvidenceRules()


def test_a_photo_taken_on_site_after_dispatch_gives_its_evidence_with_the_distance():
    p = photo(jpeg(DISPATCHED + timedelta(hours=2), LON, LAT + 2 * NORTH_100M))
    assert p.taken_at == DISPATCHED + timedelta(hours=2) and p.lat is not None, "the EXIF is read back"
    got = ev.assess(p, SITE, RULES)
    assert 195 <= got["distance_m"] <= 205
    assert got["distance_m"] == round(distance_m(p.lon, p.lat, LON, LAT))
    assert got["taken_after_dispatch"] is True and got["flags"] == [] and got["reused_from"] == []
    assert got["taken_at"] == "2026-11-24T11:00:00+08:00" and got["location"] == {"lon": p.lon, "lat": p.lat}
    assert got["media_id"] == p.media_id and got["sha256"] == p.sha256 and got["max_distance_m"] == 500


def test_a_photo_taken_before_the_dispatch_is_refused_naming_the_rule_and_the_times():
    p = photo(jpeg(DISPATCHED - timedelta(hours=1, minutes=30), LON, LAT))
    with pytest.raises(ev.EvidenceRefused) as e:
        ev.assess(p, SITE, RULES)
    assert e.value.rule == "taken_after_dispatch" and isinstance(e.value, lifecycle.InvalidCommand)
    assert "1 h 30 min before" in str(e.value) and "evidence.toml" in str(e.value)
    assert e.value.details == {"rule": "taken_after_dispatch", "media_id": p.media_id,
                               "measured": "2026-11-24T07:30:00+08:00", "limit": "2026-11-24T09:00:00+08:00"}


def test_a_camera_clock_a_little_behind_is_within_the_tolerance_and_flag_mode_accepts_an_early_photo():
    slightly = photo(jpeg(DISPATCHED - timedelta(minutes=4), LON, LAT))
    assert ev.assess(slightly, SITE, RULES)["taken_after_dispatch"] is True
    early = photo(jpeg(DISPATCHED - timedelta(days=2), LON, LAT))
    got = ev.assess(early, SITE, replace(RULES, before_dispatch="flag"))
    assert got["taken_after_dispatch"] is False and got["flags"] == ["taken_before_dispatch"]


def test_a_photo_taken_too_far_away_is_refused_with_the_measured_distance_or_flagged():
    p = photo(jpeg(DISPATCHED + timedelta(hours=1), LON, LAT + 12 * NORTH_100M))  # 1.2 km north
    with pytest.raises(ev.EvidenceRefused) as e:
        ev.assess(p, SITE, RULES)
    measured = e.value.details["measured"]
    assert e.value.rule == "max_distance_m" and 1190 <= measured <= 1210 and e.value.details["limit"] == 500
    assert f"{measured} m from the case" in str(e.value) and "within 500 m" in str(e.value)
    got = ev.assess(p, SITE, replace(RULES, too_far="flag"))
    assert got["flags"] == ["too_far"] and got["distance_m"] == measured


def test_a_photo_without_exif_is_accepted_and_flagged_no_metadata_unless_the_data_refuses_it():
    bare = photo(jpeg())
    assert bare.taken_at is None and bare.lon is None
    got = ev.assess(bare, SITE, RULES)
    assert got["flags"] == ["no_metadata"] and got["missing"] == ["taken_at", "location"]
    assert got["distance_m"] is None and got["taken_after_dispatch"] is None and got["location"] is None
    with pytest.raises(ev.EvidenceRefused) as e:
        ev.assess(bare, SITE, replace(RULES, no_metadata="refuse"))
    assert e.value.rule == "no_metadata" and "no EXIF taken_at or location" in str(e.value)
    timed_only = photo(jpeg(DISPATCHED + timedelta(hours=1)))
    got = ev.assess(timed_only, SITE, RULES)
    assert got["missing"] == ["location"] and got["taken_after_dispatch"] is True and got["flags"] == ["no_metadata"]


def test_a_photo_already_cited_by_another_case_is_flagged_with_that_case_or_refused():
    p = photo(jpeg(DISPATCHED + timedelta(hours=1), LON, LAT))
    other = "320612001-20261120-000042"
    got = ev.assess(p, SITE, RULES, [other, SITE.case_id])
    assert got["flags"] == [f"reused_from:{other}"] and got["reused_from"] == [other], "its own case is no reuse"
    with pytest.raises(ev.EvidenceRefused) as e:
        ev.assess(p, SITE, replace(RULES, reused="refuse"), [other])
    assert e.value.rule == "reused" and other in str(e.value)


def test_a_case_may_require_a_photo_taken_in_here_by_source_and_have_its_own_distance_by_category():
    rules = replace(RULES, rules=(ev.EvidenceRule(source="hotline", required=True),
                                  ev.EvidenceRule(categories=("1303",), max_distance_m=2000)))
    hotline = replace(SITE, source="hotline")
    with pytest.raises(ev.EvidenceRefused) as e:
        ev.assess_all([], ["https://img.example.cn/after.jpg"], hotline, rules)
    assert e.value.rule == "required"
    assert ev.assess_all([], ["https://img.example.cn/after.jpg"], SITE, rules)[0]["flags"] == ["not_checked"]
    far = photo(jpeg(DISPATCHED + timedelta(hours=1), LON, LAT + 12 * NORTH_100M))
    assert ev.assess_all([far], [], replace(SITE, category="1303"), rules)[0]["flags"] == []
    with pytest.raises(ev.EvidenceRefused):
        ev.assess_all([far], [], SITE, rules)


def test_the_packaged_rules_load_and_a_bad_value_is_refused_naming_the_file_and_the_key():
    rules = ev.load_evidence_from(ev.DATA_FILE)
    assert (rules.max_distance_m, rules.too_far, rules.before_dispatch, rules.no_metadata, rules.reused,
            rules.required, rules.clock_tolerance) == (500, "refuse", "refuse", "flag", "flag", False,
                                                       timedelta(minutes=5))
    with pytest.raises(ev.EvidenceRulesError, match=r"x.toml: evidence.too_far: expected one of refuse, flag"):
        ev.parse_evidence({"evidence": {"too_far": "warn"}}, "x.toml")
    with pytest.raises(ev.EvidenceRulesError, match=r"evidence.max_distance_m: expected a positive number"):
        ev.parse_evidence({"evidence": {"max_distance_m": 0}}, "x.toml")
    with pytest.raises(ev.EvidenceRulesError, match=r"evidence.rules\[0\].source"):
        ev.parse_evidence({"evidence": {"rules": [{"source": "fax", "required": True}]}}, "x.toml")
    with pytest.raises(ev.EvidenceRulesError, match=r"unknown key\(s\) max_distance"):
        ev.parse_evidence({"evidence": {"max_distance": 100}}, "x.toml")


# ---- through the handlers, on an in-memory center ------------------------------------------------------------
TOWN = "320612001"


@pytest.fixture
def center(tmp_path):
    react(media.link_media)  # as the composition root subscribes it
    store = memory_store(TOWN)
    return store, Bus(store), LocalStorage(tmp_path)


def _accepted(store, bus, lon: float) -> str:
    body = {"description": "人民路12号门口的污水井盖破损，晚上很危险", "category": "0107", "region": TOWN,
            "location": {"lon": lon, "lat": LAT}}
    case_id = submit_report(store, ReportIn.model_validate(body), source="grid", actor="gridworker:李").case_id
    bus.deliver("received", triage.route_case)
    bus.deliver("triaged", dispatch.dispatch_case)
    bus.deliver("dispatched", supervision.track)
    dispatch.accept(store, case_id, "handler:王", "收到")
    return case_id


def _resolved_data(store, case_id) -> dict:
    with Session(store.engine) as s:
        return s.exec(select(TimelineEntry.data).where(TimelineEntry.case_id == case_id,
                                                       TimelineEntry.type == "resolved")).one()


def test_the_resolve_records_the_evidence_and_the_same_bytes_on_a_second_case_are_flagged(center):
    store, bus, storage = center
    near = LON + 0.0042  # ~400 m east: apart enough not to be merged, near enough for the same photo
    first, second = _accepted(store, bus, LON), _accepted(store, bus, near)
    now = datetime.now(CHINA).replace(microsecond=0)
    data = jpeg(now + timedelta(minutes=1), LON, LAT)
    up = media.take_photo(store, storage, data, "token:1", 10_000_000)
    dispatch.resolve(store, first, "handler:王", "已更换井盖", [up.media_id])
    (got,) = _resolved_data(store, first)["evidence"]
    assert got["media_id"] == up.media_id and got["sha256"] == up.sha256 and got["flags"] == []
    assert got["distance_m"] == 0 and got["taken_after_dispatch"] is True

    again = media.take_photo(store, storage, data, "token:2", 10_000_000)  # the same bytes, a new upload
    own = media.take_photo(store, storage, jpeg(now + timedelta(minutes=1), near, LAT, (1, 2, 3)), "token:2",
                           10_000_000)
    dispatch.resolve(store, second, "handler:王", "已更换井盖", [own.media_id, again.media_id, "https://x.cn/a.jpg"])
    fresh, reused, link = _resolved_data(store, second)["evidence"]
    assert fresh["flags"] == [] and fresh["distance_m"] == 0
    assert reused["flags"] == [f"reused_from:{first}"] and reused["reused_from"] == [first]
    assert 380 <= reused["distance_m"] <= 420
    assert link["flags"] == ["not_checked"] and link["url"] == "https://x.cn/a.jpg"


def test_a_refused_resolve_and_an_unknown_media_id_change_nothing(center):
    store, bus, storage = center
    case_id = _accepted(store, bus, LON)
    now = datetime.now(CHINA).replace(microsecond=0)
    far = media.take_photo(store, storage, jpeg(now, LON, LAT + 12 * NORTH_100M), "token:1", 10_000_000)
    with pytest.raises(ev.EvidenceRefused, match="within 500 m"):
        dispatch.resolve(store, case_id, "handler:王", "已更换井盖", [far.media_id])
    with pytest.raises(lifecycle.InvalidCommand, match="no photo m_zzzzzzzzzzzzzzzzzzzz was uploaded"):
        dispatch.resolve(store, case_id, "handler:王", "已更换井盖", ["m_zzzzzzzzzzzzzzzzzzzz"])
    assert case(store, case_id).status == lifecycle.ACCEPTED and timeline(store, case_id)[-1] == "accepted"
