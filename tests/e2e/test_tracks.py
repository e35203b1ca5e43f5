"""Vehicle tracks through HTTP (CONTRACTS.md §7, BRIEF scenario 8), on a real city center (`yiwang run --region
320600`: real RabbitMQ and PostgreSQL): a tanker's tracker sends its positions in batches, out of order and with
duplicates; a 25-minute stay at the chemical plant whose licence was revoked raises one red `dwell` warning with the
area the tanker can reach in 5 minutes and the teams there; the city dispatches 应急管理局 (lead) and 公安
(assisting); the tanker's next warning joins the same case. A stay at a fuel station raises nothing; a bad batch is
refused and stores nothing."""
import json
import math
import random
import time
from datetime import datetime, timedelta

import pytest

from services.warning.domain import tracks as d
from services.warning.domain import tracks_geodesy as geo
from shared.clock import CHINA
from tests.e2e.test_center_http import Center, _wait_status

CITY = "320600"
REF = d.reference()
PLANT = next(p for p in REF.places if p.id == "E-XD-02")
FUEL = next(p for p in REF.places if p.id == "P-FUEL-TH")
MAIN = next(r for r in REF.routes if r.id == "R-HZ-TH-XD")


@pytest.fixture(scope="module")
def city(amqp_uri, database_url):
    c = Center(CITY, amqp_uri, database_url)
    yield c
    assert c.stop() == 0, "SIGTERM drains and exits 0\n" + c.tail()


def _daytime(hour: int) -> datetime:
    """Yesterday at `hour` o'clock, China time: in the past, and outside the tankers' forbidden night hours."""
    return (datetime.now(CHINA) - timedelta(days=1)).replace(hour=hour, minute=0, second=0, microsecond=0)


@pytest.fixture(scope="module")
def staff(city):
    return {"sensor": city.token("sensor"), "viewer": city.token("viewer"), "dispatcher": city.token("dispatcher")}


def _point(t: datetime, xy, kmh: float) -> dict:
    (lon, lat), = geo.unproject_many([xy])
    return {"at": t.isoformat(), "lon": round(lon, 7), "lat": round(lat, 7), "speed_kmh": kmh}


def _drive(path, start: datetime, kmh: float = 40, every_s: int = 30) -> list[dict]:
    xy = geo.project_many(path)
    out, t = [], start
    for a, b in zip(xy, xy[1:], strict=False):
        n = max(1, int(math.dist(a, b) / (kmh / 3.6 * every_s)))
        for k in range(n):
            out.append(_point(t, (a[0] + (b[0] - a[0]) * k / n, a[1] + (b[1] - a[1]) * k / n), kmh))
            t += timedelta(seconds=every_s)
    return out


def _stay(lon: float, lat: float, start: datetime, minutes: float, every_s: int = 30) -> list[dict]:
    x, y = geo.project(lon, lat)
    return [_point(start + timedelta(seconds=every_s * i), (x + 12 * math.cos(i), y + 12 * math.sin(i * 1.3)), 0.0)
            for i in range(int(minutes * 60 / every_s) + 1)]


def _send(city, headers, vehicle: str, points: list[dict], rng: random.Random, size: int = 15) -> list[dict]:
    """Post the points as a tracker does: batches of `size`, each shuffled, 10 % of points sent again later, and
    neighbouring batches swapped now and then. Returns the answers."""
    batches = [points[i:i + size] for i in range(0, len(points), size)]
    for i in range(len(batches) - 1):
        batches[i + 1] = batches[i + 1] + [p for p in batches[i] if rng.random() < 0.1]  # duplicates
    for i in range(0, len(batches) - 1, 3):
        batches[i], batches[i + 1] = batches[i + 1], batches[i]                            # out of order
    answers = []
    for b in batches:
        rng.shuffle(b)
        r = city.http.post("/api/v1/tracks", headers=headers,
                           json={"vehicle_id": vehicle, "plate": "苏FD0825", "class": "hazmat", "points": b})
        assert r.status_code == 202, r.text
        answers.append(r.json())
    return answers


def test_a_tanker_staying_25_minutes_at_the_revoked_plant_raises_one_red_dwell_and_a_joint_case(city, staff, unique):
    rng = random.Random(8)
    vehicle = f"HZ-E2E-{unique}"
    start = _daytime(10)
    approach = _drive([MAIN.line[8], MAIN.line[9], MAIN.line[10], (PLANT.lon, PLANT.lat)], start)
    t = datetime.fromisoformat(approach[-1]["at"]) + timedelta(seconds=30)
    stay = _stay(PLANT.lon, PLANT.lat, t, 25)
    t = datetime.fromisoformat(stay[-1]["at"]) + timedelta(seconds=30)
    leave = _drive([(PLANT.lon, PLANT.lat), MAIN.line[10], MAIN.line[11]], t)
    points = approach + stay + leave
    answers = _send(city, staff["sensor"], vehicle, points, rng)
    assert sum(a["accepted"] for a in answers) == len(points), "every point kept once, duplicates ignored"

    warnings = [w for a in answers for w in a["warnings"]]
    assert [(w["kind"], w["level"]) for w in warnings] == [("dwell", "red")], warnings
    w = warnings[0]
    assert w["evidence"]["place"]["id"] == "E-XD-02" and w["evidence"]["place"]["licence"] == "closed"
    assert w["region"] == "320612002", "兴东街道, where the plant is"
    area = w["evidence"]["reachable"]
    assert area["type"] == "FeatureCollection" and area["minutes"] == 5 and area["radius_m"] > 0
    assert set(area["regions"]) == {"320612001", "320612002"}
    assert all(f["geometry"]["type"] in ("Polygon", "MultiPolygon") for f in area["features"])
    teams = w["evidence"]["teams"]
    assert teams and {t["region"] for t in teams} == {"320612001", "320612002"}
    assert [t["distance_m"] for t in teams] == sorted(t["distance_m"] for t in teams)

    again = city.http.post("/api/v1/tracks", headers=staff["sensor"],
                           json={"vehicle_id": vehicle, "class": "hazmat", "points": stay[:40]})
    assert again.status_code == 202 and again.json() == {"accepted": 0, "warnings": []}, "a resend changes nothing"

    case = _wait_status(city, staff["viewer"], w["case_id"], "dispatched")
    assert case["source"] == "sensor" and case["category"] == "1405" and case["priority"] == "urgent"
    assert case["unit"] == f"{CITY}.emergency" and case["assisting_units"] == [f"{CITY}.police"]
    assert case["region"] == "320612002"

    # the tanker then leaves its permitted corridor: a second warning, in the same case
    t = datetime.fromisoformat(leave[-1]["at"]) + timedelta(seconds=30)
    (ex, ey), = geo.project_many([MAIN.line[11]])
    off = geo.unproject_many([(ex, ey), (ex + 400, ey + 1200), (ex + 800, ey + 2500)])
    more = _send(city, staff["sensor"], vehicle, _drive(off, t, kmh=30), rng, size=4)
    second = [w for a in more for w in a["warnings"]]
    assert [(x["kind"], x["case_id"], x["grouped"]) for x in second] == [("route_deviation", w["case_id"], True)]
    case = city.http.get(f"/api/v1/cases/{w['case_id']}", headers=staff["viewer"]).json()
    assert "alert_grouped" in [e["type"] for e in case["timeline"]]

    listed = city.http.get("/api/v1/warnings", headers=staff["viewer"])
    if listed.status_code != 404:  # the warnings' own list (services/warning), when served
        assert listed.status_code == 200, listed.text
        mine = [x for x in listed.json()["items"] if x["id"] in {w["id"], second[0]["id"]}]
        assert sorted(x["kind"] for x in mine) == ["dwell", "route_deviation"]
        assert all(x["case_ids"] == [w["case_id"]] for x in mine)


def test_a_stay_at_a_fuel_station_raises_nothing(city, staff, unique):
    vehicle = f"HZ-FUEL-{unique}"
    start = _daytime(9)
    approach = _drive([MAIN.line[1], MAIN.line[2], MAIN.line[3]], start)
    t = datetime.fromisoformat(approach[-1]["at"]) + timedelta(seconds=30)
    stay = _stay(FUEL.lon, FUEL.lat, t, 30)
    t = datetime.fromisoformat(stay[-1]["at"]) + timedelta(seconds=30)
    leave = _drive([MAIN.line[3], MAIN.line[4], MAIN.line[5]], t)
    answers = _send(city, staff["sensor"], vehicle, approach + stay + leave, random.Random(3))
    assert sum(a["accepted"] for a in answers) == len(approach + stay + leave)
    assert [w for a in answers for w in a["warnings"]] == []
    cases = city.http.get("/api/v1/cases", headers=staff["viewer"], params={"source": "sensor", "page_size": 100})
    assert vehicle not in cases.text


def test_a_bad_batch_is_refused_with_the_standard_error_and_stores_nothing(city, staff, unique):
    vehicle = f"HZ-BAD-{unique}"
    t = _daytime(11)
    good = {"at": t.isoformat(), "lon": 121.0, "lat": 32.05, "speed_kmh": 30}
    bad_bodies = [
        {"vehicle_id": vehicle, "class": "hazmat", "points": [good, {**good, "at": (t + timedelta(seconds=30)).isoformat(),
                                                                     "lat": 95.0}]},
        {"vehicle_id": vehicle, "class": "tank", "points": [good]},
        {"vehicle_id": vehicle, "class": "hazmat", "points": []},
        {"vehicle_id": vehicle, "class": "hazmat", "points": [{**good, "at": "2026-11-20T10:00:00"}]},
        {"vehicle_id": vehicle, "class": "hazmat", "points": [good, {**good, "at": (datetime.now(CHINA) + timedelta(hours=1)).isoformat()}]},
        {"vehicle_id": vehicle, "class": "hazmat", "points": [
            {**good, "at": (t - timedelta(seconds=i)).isoformat()} for i in range(1001)]},
        {"vehicle_id": vehicle, "class": "hazmat", "points": [good], "driver": "x"},
    ]
    for body in bad_bodies:
        r = city.http.post("/api/v1/tracks", headers=staff["sensor"], json=body)
        assert r.status_code == 422, (body["points"][:1], r.text)
        err = r.json()["error"]
        assert err["code"] == "validation_failed" and err["message"] and isinstance(err["details"], dict)
    r = city.http.post("/api/v1/tracks", headers={**staff["sensor"], "Content-Type": "application/json"},
                       content=b'{"vehicle_id": "x", "points": [')
    assert r.status_code == 400 and r.json()["error"]["code"] == "malformed_request"
    r = city.http.post("/api/v1/tracks", headers=staff["viewer"],
                       json={"vehicle_id": vehicle, "class": "hazmat", "points": [good]})
    assert r.status_code == 403
    ok = city.http.post("/api/v1/tracks", headers=staff["sensor"],
                        json={"vehicle_id": vehicle, "class": "hazmat", "points": [good]})
    assert ok.status_code == 202 and ok.json() == {"accepted": 1, "warnings": []}, "nothing of the refused batches was kept"


def test_the_route_is_in_the_openapi_document(city):
    doc = city.http.get("/openapi.json").json()
    op = doc["paths"]["/api/v1/tracks"]["post"]
    assert "202" in op["responses"] and "422" in op["responses"]
    schema = doc["components"]["schemas"]["TracksIn"]
    assert set(schema["required"]) >= {"vehicle_id", "class", "points"}
    json.dumps(doc)
    time.sleep(0)


def test_the_track_simulator_posts_its_fleet_and_the_warnings_match_its_ground_truth(city, staff, unique):
    from app.simulators import tracks as sim

    first = (datetime.now(CHINA) - timedelta(days=3)).date()
    days = sim.generate(4, vehicles=3, days=1, first_day=first)  # seed 4: two detours, a night trip, a dwell
    for vd in days:
        vd.vehicle_id = f"{vd.vehicle_id}-{unique}"
        for t in vd.truth:
            t.vehicle_id = vd.vehicle_id
    raised: list[dict] = []
    counts = sim.post(str(city.http.base_url), staff["sensor"]["Authorization"].split()[1], days, seed=4,
                      every_s=180, progress=raised.append)  # 3-minute batches: fewer requests, same truth
    assert counts["accepted"] == sum(len(vd.points) for vd in days) < counts["sent"], "duplicates sent, kept once"
    expected = sorted((t.vehicle_id, t.kind) for vd in days for t in vd.truth if t.kind != "fuel_stop")
    assert expected and sorted((w["evidence"]["vehicle"]["id"], w["kind"]) for w in raised) == expected
    by_vehicle: dict[str, set] = {}
    for w in raised:
        by_vehicle.setdefault(w["evidence"]["vehicle"]["id"], set()).add(w["case_id"])
    assert all(len(cases) == 1 for cases in by_vehicle.values()), "one case per vehicle"


def test_concurrent_batches_of_one_vehicle_raise_its_dwell_once(city, staff, unique):
    from concurrent.futures import ThreadPoolExecutor

    vehicle = f"HZ-RACE-{unique}"
    stay = _stay(PLANT.lon, PLANT.lat, _daytime(14), 30)
    rng = random.Random(11)
    parts = []
    for k in range(8):  # eight overlapping pieces of the same stay, each shuffled, all sent at once
        piece = [p for p in stay if rng.random() < 0.5] + stay[k * 7:(k + 1) * 7 + 20]
        rng.shuffle(piece)
        parts.append(piece)

    def post(points):
        return city.http.post("/api/v1/tracks", headers=staff["sensor"],
                              json={"vehicle_id": vehicle, "class": "hazmat", "points": points})

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(post, parts))
    assert all(r.status_code == 202 for r in answers), [r.text for r in answers if r.status_code != 202]
    kept = {p["at"] for piece in parts for p in piece}
    assert sum(r.json()["accepted"] for r in answers) == len(kept), "each point kept once, whichever batch won"
    raised = [w for r in answers for w in r.json()["warnings"]]
    assert [(w["kind"], w["level"]) for w in raised] == [("dwell", "red")]
