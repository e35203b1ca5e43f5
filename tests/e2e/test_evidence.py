"""Verification with evidence (issue 11 item 7) through HTTP, against a center started as a process (real RabbitMQ
and PostgreSQL): a handler uploads the resolving photo (POST /api/v1/media) and cites it in `resolve`. A photo whose
EXIF time is before the dispatch, or whose EXIF position is too far from the case, is refused with a 422 naming the
rule and the measured figure, and the case is unchanged; a good photo resolves the case and the verifier sees its
evidence (distance, time, flags) on the case and its timeline; the same photo bytes on a second case are flagged
`reused_from:<first case>`; a photo without EXIF is accepted and flagged `no_metadata` (the packaged rules,
services/media/data/evidence.toml)."""
import io
from datetime import datetime, timedelta

import pytest
from PIL import Image

from shared.clock import CHINA
from tests.e2e.test_center_http import Center
from tests.support import wait_until

REGION = "320613009"          # a township no other test runs
LON, LAT = 120.7731, 32.1127  # the first case; the others stand ~400 m apart (not merged: 并单 is within 300 m)
STEP = 0.0043                 # degrees of longitude: ~405 m at this latitude


@pytest.fixture(scope="module")
def center(amqp_uri, database_url, tmp_path_factory):
    photos = tmp_path_factory.mktemp("evidence-media")
    c = Center(REGION, amqp_uri, database_url, extra_env={"YIWANG_MEDIA_DIR": str(photos / "{region}")})
    yield c
    assert c.stop() == 0, "SIGTERM drains and exits 0\n" + c.tail()


@pytest.fixture(scope="module")
def desk(center):
    return center.token("dispatcher")


def _dms(x: float) -> tuple[float, float, float]:
    d = int(x)
    m = int((x - d) * 60)
    return float(d), float(m), round(((x - d) * 60 - m) * 60, 4)


def jpeg(taken: datetime | None, lon: float | None = None, lat: float | None = None, colour=(120, 90, 60)) -> bytes:
    """A real JPEG; its EXIF says when (with the offset) and where it was taken, when given."""
    image = Image.new("RGB", (64, 48), colour)
    exif = Image.Exif()
    if taken is not None:
        exif.get_ifd(0x8769).update({36867: taken.strftime("%Y:%m:%d %H:%M:%S"), 36881: "+08:00"})
    if lon is not None and lat is not None:
        exif.get_ifd(0x8825).update({1: "N", 2: _dms(lat), 3: "E", 4: _dms(lon)})
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def _get(center, headers, case_id) -> dict:
    r = center.http.get(f"/api/v1/cases/{case_id}", headers=headers)
    assert r.status_code == 200, r.text
    return r.json()


def _accepted(center, desk, lon: float) -> tuple[str, dict]:
    """A new case at (lon, LAT), dispatched to its unit and signed for: its id and a handler token of the unit."""
    body = {"description": "小区门口井盖破损，晚上路过很危险", "category": "0107", "region": REGION,
            "location": {"lon": lon, "lat": LAT, "address": "人民路12号"}}
    r = center.http.post("/api/v1/reports", headers=desk, json=body)
    assert r.status_code == 202, r.text
    case_id = r.json()["case_id"]
    case = wait_until(lambda: (c := _get(center, desk, case_id))["status"] == "dispatched" and c, timeout=30,
                      what="dispatched")
    handler = center.token("handler", unit=case["unit"])
    r = center.http.post(f"/api/v1/cases/{case_id}/accept", headers=handler, json={})
    assert r.status_code == 200, r.text
    return case_id, handler


def _upload(center, headers, data: bytes) -> dict:
    r = center.http.post("/api/v1/media", headers=headers, files={"file": ("photo.jpg", data, "image/jpeg")})
    assert r.status_code == 201, r.text
    return r.json()


def _resolve(center, headers, case_id, media_id):
    return center.http.post(f"/api/v1/cases/{case_id}/resolve", headers=headers,
                            json={"note": "已更换井盖，现场已恢复", "media": [media_id]})


@pytest.fixture(scope="module")
def cases(center, desk):
    """Four cases signed for before any photo is taken (so every good photo is taken after their dispatch)."""
    return [_accepted(center, desk, LON + i * STEP) for i in range(4)]


def test_a_photo_taken_before_the_dispatch_or_too_far_away_is_refused_and_a_good_one_is_the_evidence(
        center, desk, cases):
    (case_id, handler), now = cases[0], datetime.now(CHINA).replace(microsecond=0)

    before = _upload(center, handler, jpeg(now - timedelta(hours=3), LON, LAT))
    assert before["taken_at"] is not None and before["location"] is not None, "the upload reads the EXIF back"
    r = _resolve(center, handler, case_id, before["media_id"])
    assert r.status_code == 422, r.text
    error = r.json()["error"]
    assert error["code"] == "evidence_refused" and error["details"]["rule"] == "taken_after_dispatch"
    assert "before the case was dispatched" in error["message"] and error["details"]["media_id"] == before["media_id"]

    far = _upload(center, handler, jpeg(now + timedelta(minutes=1), LON, LAT + 0.02))  # ~2.2 km north
    r = _resolve(center, handler, case_id, far["media_id"])
    assert r.status_code == 422, r.text
    error = r.json()["error"]
    assert error["code"] == "evidence_refused" and error["details"]["rule"] == "max_distance_m"
    assert 2100 <= error["details"]["measured"] <= 2350 and error["details"]["limit"] == 500
    assert f"{error['details']['measured']} m from the case" in error["message"]

    case = _get(center, desk, case_id)
    assert case["status"] == "accepted" and "resolved" not in [t["type"] for t in case["timeline"]], \
        "a refused resolve changes nothing"

    good = _upload(center, handler, jpeg(now + timedelta(minutes=1), LON + 0.0005, LAT))  # ~47 m east
    r = _resolve(center, handler, case_id, good["media_id"])
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "resolved"

    grid = center.token("gridworker")  # the verifier sees the evidence
    case = _get(center, grid, case_id)
    (evidence,) = case["evidence"]
    assert evidence["media_id"] == good["media_id"] and evidence["sha256"] == good["sha256"]
    assert 40 <= evidence["distance_m"] <= 55 and evidence["taken_after_dispatch"] is True
    assert evidence["flags"] == [] and evidence["location"] == good["location"]
    assert evidence["taken_at"] == good["taken_at"]
    (resolved,) = [t for t in case["timeline"] if t["type"] == "resolved"]
    assert resolved["data"]["evidence"] == case["evidence"], "the timeline entry carries the same evidence"


def test_the_same_photo_bytes_on_a_second_case_are_flagged_with_the_first(center, desk, cases):
    (first, handler1), (second, handler2) = cases[1], cases[2]
    now = datetime.now(CHINA).replace(microsecond=0)
    data = jpeg(now + timedelta(minutes=1), LON + 1.5 * STEP, LAT, colour=(10, 200, 30))  # between the two cases
    one = _upload(center, handler1, data)
    r = _resolve(center, handler1, first, one["media_id"])
    assert r.status_code == 200, r.text
    assert r.json()["evidence"][0]["flags"] == [], "its first use is no reuse"
    two = _upload(center, handler2, data)  # the same bytes, uploaded again
    assert two["sha256"] == one["sha256"] and two["media_id"] != one["media_id"]
    r = _resolve(center, handler2, second, two["media_id"])
    assert r.status_code == 200, r.text
    (evidence,) = r.json()["evidence"]
    assert evidence["flags"] == [f"reused_from:{first}"] and evidence["reused_from"] == [first]
    assert evidence["distance_m"] < 500 and evidence["taken_after_dispatch"] is True


def test_a_photo_without_exif_is_accepted_and_flagged_no_metadata(center, desk, cases):
    case_id, handler = cases[3]
    bare = _upload(center, handler, jpeg(None, colour=(33, 66, 99)))
    assert bare["taken_at"] is None and bare["location"] is None
    r = _resolve(center, handler, case_id, bare["media_id"])
    assert r.status_code == 200, r.text
    (evidence,) = _get(center, desk, case_id)["evidence"]
    assert evidence["flags"] == ["no_metadata"] and evidence["missing"] == ["taken_at", "location"]
    assert evidence["distance_m"] is None and evidence["taken_after_dispatch"] is None
