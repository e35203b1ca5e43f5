"""Vehicle tracks, pure: GCJ-02 conversion, stay points, dwell against the reference data, the corridor, night driving,
fatigue, the reachable area clipped to the regions, and the batch's fresh candidates."""
import math
from datetime import datetime, timedelta

import pytest
from shapely.geometry import shape

from services.warning.domain import tracks as d
from services.warning.domain import tracks_geodesy as geo
from services.warning.domain.tracks import TrackPoint
from shared import datum
from shared.clock import CHINA

REF = d.reference()
HAZMAT = REF.vehicle_class("hazmat")
MUCK = REF.vehicle_class("muck")
DAY = datetime(2026, 11, 20, 10, 0, tzinfo=CHINA)


def place(pid: str) -> d.Place:
    return next(p for p in REF.places if p.id == pid)


def stay(lon: float, lat: float, start: datetime, minutes: float, every_s: int = 30, jitter_m: float = 20):
    """Points of a vehicle standing at (lon, lat), wobbling by GNSS noise of up to `jitter_m`."""
    x, y = geo.project(lon, lat)
    n = int(minutes * 60 / every_s) + 1
    xy = [(x + jitter_m * math.cos(i), y + jitter_m * math.sin(i * 1.7)) for i in range(n)]
    return [TrackPoint(start + timedelta(seconds=every_s * i), lo, la, 0.0)
            for i, (lo, la) in enumerate(geo.unproject_many(xy))]


def drive(line, start: datetime, kmh: float = 40, every_s: int = 20):
    """Points of a vehicle driving along `line` (WGS-84 vertices) at `kmh`."""
    xy = geo.project_many(line)
    step = kmh / 3.6 * every_s
    out, t, carry = [], start, 0.0
    for (x1, y1), (x2, y2) in zip(xy, xy[1:], strict=False):
        seg = math.hypot(x2 - x1, y2 - y1)
        s = carry
        while s < seg:
            (lon, lat), = geo.unproject_many([(x1 + (x2 - x1) * s / seg, y1 + (y2 - y1) * s / seg)])
            out.append(TrackPoint(t, lon, lat, kmh))
            t += timedelta(seconds=every_s)
            s += step
        carry = s - seg
    return out


# ---- datums ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("lon,lat", [(121.07, 32.08), (120.86, 32.01), (121.66, 31.81), (116.39, 39.91),
                                     (113.26, 23.13)])
def test_gcj02_round_trip_is_within_a_metre_and_the_shift_is_hundreds_of_metres(lon, lat):
    glon, glat = datum.wgs84_to_gcj02(lon, lat)
    assert 100 < geo.metres((lon, lat), (glon, glat)) < 1000, "GCJ-02 moves a position by a few hundred metres"
    back = datum.gcj02_to_wgs84(glon, glat)
    assert geo.metres((lon, lat), back) < 1.0
    assert geo.metres((lon, lat), back) < 0.01, "the iteration converges far below a metre"


def test_gcj02_is_the_identity_outside_china_and_an_unknown_datum_is_refused():
    assert datum.wgs84_to_gcj02(2.35, 48.85) == (2.35, 48.85)
    assert datum.to_wgs84(121.0, 32.0, "WGS-84") == (121.0, 32.0)
    with pytest.raises(ValueError, match="datum"):
        datum.to_wgs84(121.0, 32.0, "BD-09")


def test_gcj02_reference_data_is_converted_on_load():
    raw = {"datum": "GCJ-02", "enterprise": [{"id": "X", "name": "x", "licence": "closed",
                                              "position": {"lon": 121.108, "lat": 32.059}}]}
    (p,) = d.parse_places(raw)
    assert (p.lon, p.lat) == pytest.approx(datum.gcj02_to_wgs84(121.108, 32.059))
    assert 300 < geo.metres((p.lon, p.lat), (121.108, 32.059)) < 700
    (same,) = d.parse_places({**raw, "datum": "WGS-84"})
    assert (same.lon, same.lat) == (121.108, 32.059)


def test_the_metric_projection_agrees_with_the_ellipsoid_across_nantong():
    from pyproj import Geod
    g = Geod(ellps="WGS84")
    for a, b in [((120.3, 32.0), (121.9, 32.0)), ((121.0, 31.7), (121.0, 32.6)), ((120.5, 31.8), (121.8, 32.4))]:
        true = g.inv(a[0], a[1], b[0], b[1])[2]
        assert abs(geo.metres(a, b) - true) / true < 1e-4


# ---- stay points -------------------------------------------------------------------------------------------
def test_stay_points_find_a_stop_and_not_a_drive():
    pts = drive([(121.00, 32.04), (121.03, 32.05)], DAY)
    assert d.stay_points(pts, 150, 15) == []
    t1 = pts[-1].at + timedelta(seconds=20)
    standing = stay(121.03, 32.05, t1, 20)
    (s,) = d.stay_points(pts + standing, 150, 15)
    assert s.arrive <= t1 + timedelta(seconds=30) and s.leave == standing[-1].at and s.ongoing
    assert geo.metres((s.lon, s.lat), (121.03, 32.05)) < 30
    assert d.stay_points(pts + standing[:25], 150, 15) == [], "12 minutes is not yet a stay"


def test_a_stay_ends_when_the_vehicle_leaves_and_the_next_one_is_separate():
    a = stay(121.03, 32.05, DAY, 18)
    road = drive([(121.03, 32.05), (121.05, 32.06)], a[-1].at + timedelta(seconds=20))
    b = stay(121.05, 32.06, road[-1].at + timedelta(seconds=20), 16)
    s1, s2 = d.stay_points(a + road + b, 150, 15)
    assert not s1.ongoing and s2.ongoing and s1.leave < s2.arrive


# ---- dwell -------------------------------------------------------------------------------------------------
def test_a_25_minute_stay_at_the_closed_plant_is_one_red_dwell():
    plant = place("E-XD-02")
    assert plant.licence == "closed"
    (c,) = d.dwells("苏F12345", HAZMAT, stay(plant.lon, plant.lat, DAY, 25), REF)
    assert c.kind == "dwell" and c.level == "red" and c.evidence["place"]["id"] == "E-XD-02"
    assert c.at == DAY + timedelta(minutes=15), "raised when the stay reached the class's minimum"


def test_a_stay_at_a_suspended_enterprise_warns_and_at_a_licensed_one_or_a_fuel_station_not():
    sus, lic, fuel = place("E-JS-01"), place("E-XD-01"), place("P-FUEL-TH")
    assert [c.level for c in d.dwells("V", HAZMAT, stay(sus.lon, sus.lat, DAY, 20), REF)] == ["red"]
    assert d.dwells("V", HAZMAT, stay(lic.lon, lic.lat, DAY, 60), REF) == []
    assert d.dwells("V", HAZMAT, stay(fuel.lon, fuel.lat, DAY, 30), REF) == []


def test_a_stay_away_from_every_place_is_a_yellow_dwell():
    (c,) = d.dwells("V", HAZMAT, stay(121.20, 32.20, DAY, 20), REF)
    assert c.level == "yellow" and c.evidence["place"] is None


# ---- corridor ----------------------------------------------------------------------------------------------
def _route(rid: str) -> d.Route:
    return next(r for r in REF.routes if r.id == rid)


def test_driving_the_permitted_route_raises_nothing():
    pts = drive(_route("R-HZ-TH-XD").line, DAY)
    assert d.deviations("V", HAZMAT, pts, REF) == []


def test_leaving_the_corridor_longer_than_the_grace_time_is_one_deviation():
    line = _route("R-HZ-TH-XD").line
    on = drive(line[5:8], DAY)                                   # along 世纪大道
    (ax, ay), = geo.project_many([line[7]])
    off_line = geo.unproject_many([(ax, ay), (ax + 300, ay + 1500), (ax + 600, ay + 3000)])
    off = drive(off_line, on[-1].at + timedelta(seconds=20))     # up a side road, away from the corridor
    (c,) = d.deviations("V", HAZMAT, on + off, REF)
    assert c.kind == "route_deviation" and c.level == "red"
    assert (c.at - c.start).total_seconds() >= HAZMAT.corridor_grace_s
    assert (c.at - c.start).total_seconds() < HAZMAT.corridor_grace_s + 30, "raised at the first point past grace"
    short = [p for p in off if p.at <= off[0].at + timedelta(seconds=70)]
    back = drive(line[7:9], short[-1].at + timedelta(seconds=20))
    assert len(d.deviations("V", HAZMAT, on + short + back, REF)) <= 1


def test_a_short_excursion_within_the_grace_time_is_not_a_deviation():
    line = _route("R-HZ-TH-XD").line
    on = drive(line[5:7], DAY)
    (ax, ay), = geo.project_many([line[6]])
    out = geo.unproject_many([(ax + 200, ay + 200)])[0]
    p = TrackPoint(on[-1].at + timedelta(seconds=20), out[0], out[1], 30)
    again = drive(line[6:8], p.at + timedelta(seconds=20))
    assert d.deviations("V", HAZMAT, on + [p] + again, REF) == []


def test_a_vehicle_of_a_class_without_routes_has_no_corridor():
    assert REF.routes_for("BUS-1", "bus") == []
    assert d.deviations("BUS-1", REF.vehicle_class("bus"), stay(121.3, 32.2, DAY, 5), REF) == []


# ---- night and fatigue -------------------------------------------------------------------------------------
def test_hazmat_driving_at_night_is_one_night_driving_per_night_and_day_driving_is_not():
    line = _route("R-HZ-TH-XD").line
    night = datetime(2026, 11, 20, 23, 10, tzinfo=CHINA)
    (c,) = d.night_drives("V", HAZMAT, drive(line, night), )
    assert c.kind == "night_driving" and c.evidence["night"] == "2026-11-20"
    assert d.night_drives("V", HAZMAT, drive(line, DAY)) == []
    early = datetime(2026, 11, 21, 5, 0, tzinfo=CHINA)  # before 06:00 is the same night
    assert [c.evidence["night"] for c in d.night_drives("V", HAZMAT, drive(line, early))] == ["2026-11-20"]
    assert d.night_drives("V", MUCK, drive(line, night)) == [], "muck trucks may drive at night"


def test_fatigue_after_four_hours_of_driving_and_not_when_rested():
    line = _route("R-HZ-TH-XD").line
    back = list(reversed(line))
    legs, t = [], DAY
    for i in range(8):
        leg = drive(line if i % 2 == 0 else back, t)
        legs += leg
        t = leg[-1].at + timedelta(seconds=20)
    hours = (legs[-1].at - legs[0].at).total_seconds() / 3600
    assert hours > 4.2
    (c,) = d.fatigue("V", HAZMAT, legs)
    assert c.kind == "fatigue" and (c.at - c.start) >= timedelta(hours=4)
    rested, t = [], DAY
    for i in range(8):
        leg = drive(line if i % 2 == 0 else back, t)
        rested += leg
        t = leg[-1].at + timedelta(seconds=20)
        if i == 3:
            pause = stay(leg[-1].lon, leg[-1].lat, t, 25)
            rested += pause
            t = pause[-1].at + timedelta(seconds=20)
    assert d.fatigue("V", HAZMAT, rested) == []


# ---- the reachable area ------------------------------------------------------------------------------------
def _regions():
    from services.warning.tracks import region_shapes
    return region_shapes()


def test_the_reachable_area_is_a_circle_of_the_recent_speed_clipped_to_the_regions_it_crosses():
    plant = place("E-XD-02")
    pts = stay(plant.lon, plant.lat, DAY, 25)
    assert d.recent_speed(pts, pts[-1].at, HAZMAT) == HAZMAT.reach_speed_kmh, "a parked tanker: the class's speed"
    area = d.reachable(plant.lon, plant.lat, 40, _regions())
    assert area["radius_m"] == 3333 and area["minutes"] == 5
    assert set(area["regions"]) == {"320612001", "320612002"}, "the plant is near 金沙/兴东's common boundary"
    total = sum(f["properties"]["area_km2"] for f in area["features"])
    assert total == pytest.approx(math.pi * 3.333 ** 2, rel=0.02), "pieces add up to the circle, nothing twice"
    for f in area["features"]:
        piece = shape(f["geometry"])
        home = next(r for r in _regions() if r.code == f["properties"]["region"])
        assert home.shape.buffer(1e-6).contains(piece), "each piece lies in its region"
    moving = drive(_route("R-HZ-TH-XD").line[8:11], DAY, kmh=60)
    assert d.recent_speed(moving, moving[-1].at, HAZMAT) == pytest.approx(60)
    far = d.reachable(121.335, 32.255, 60, _regions())  # at the county's corner: about a quarter
    assert far["radius_m"] == 5000
    assert sum(f["properties"]["area_km2"] for f in far["features"]) < math.pi * 25 * 0.5


def test_a_position_outside_every_boundary_reaches_no_region():
    assert d.reachable(122.5, 30.0, 40, _regions())["features"] == []


# ---- batches -----------------------------------------------------------------------------------------------
def test_merge_ignores_duplicates_and_sorts_out_of_order_points():
    a = stay(121.03, 32.05, DAY, 5)
    shuffled = a[::-1] + a[:3]
    assert d.merge_points([], shuffled) == a
    assert d.merge_points(a[:4], a[2:]) == a


def test_fresh_keeps_only_candidates_the_batch_touches_and_each_cause_once():
    plant = place("E-XD-02")
    pts = stay(plant.lon, plant.lat, DAY, 25)
    cands = d.detect("V", HAZMAT, pts, REF)
    raised: list = []
    assert len(d.fresh(cands, raised, since=pts[-1].at)) == 1
    longer = stay(plant.lon, plant.lat, DAY, 40)
    assert d.fresh(d.detect("V", HAZMAT, longer, REF), raised, since=pts[-1].at) == [], "the same stay, seen longer"
    assert d.fresh(cands, [], since=pts[-1].at + timedelta(minutes=1)) == [], "a batch after the episode"


def test_the_reference_data_files_are_consistent():
    assert set(REF.classes) == set(d.CLASSES)
    for c in REF.classes.values():
        assert set(c.priority.values()) <= {"urgent", "high", "normal"}
    assert {p.licence for p in REF.places if p.kind == "enterprise"} == set(d.LICENCES)
    for r in REF.routes:
        assert set(r.classes) <= set(d.CLASSES) and r.corridor_m > 0
    with pytest.raises(ValueError, match="licence"):
        d.parse_places({"datum": "WGS-84", "enterprise": [{"id": "X", "name": "x", "licence": "revoked",
                                                           "position": {"lon": 121, "lat": 32}}]})
