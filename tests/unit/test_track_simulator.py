"""The vehicle-track simulator's public pieces (app/simulators/tracks.py), pure: one tanker's trip with the events asked
for — a stay at a named place, a detour — ending when asked, its truth matching what the detector finds; the moment a
trip must end to keep out of the tankers' night ban; a trip moved in time."""
import random
from datetime import datetime, timedelta

import pytest

from app.simulators import tracks
from services.warning.domain import tracks as domain
from shared.clock import CHINA

FLEET = tracks.Fleet()
REF = domain.reference()
HAZMAT = REF.vehicle_class("hazmat")
NOON = datetime(2026, 11, 20, 12, 0, tzinfo=CHINA)


def points(day: tracks.VehicleDay) -> list[domain.TrackPoint]:
    return [domain.TrackPoint(datetime.fromisoformat(p["at"]), p["lon"], p["lat"], p["speed_kmh"]) for p in day.points]


def detected(day: tracks.VehicleDay) -> list[domain.Candidate]:
    return domain.detect(day.vehicle_id, HAZMAT, points(day), REF)


def test_a_tanker_stopping_at_the_closed_plant_ends_there_when_asked_with_an_ongoing_red_dwell():
    trip = tracks.tanker_trip(random.Random(1), FLEET, "HZ-T1", "苏FD0001", NOON, stop_at="E-XD-02")
    times = [datetime.fromisoformat(p["at"]) for p in trip.points]
    assert times[-1] == NOON and times == sorted(times), "the last fix is at the moment asked"
    assert {(b - a).total_seconds() for a, b in zip(times, times[1:], strict=False)} == {tracks.SAMPLE_S}
    assert timedelta(minutes=40) < trip.duration < timedelta(hours=2) and trip.day == "2026-11-20"
    [truth] = trip.truth
    assert (truth.kind, truth.place) == ("dwell", "E-XD-02")
    stayed = datetime.fromisoformat(truth.end) - datetime.fromisoformat(truth.start)
    assert abs(stayed - timedelta(minutes=25)) < timedelta(seconds=1) and datetime.fromisoformat(truth.end) >= times[-1]
    [found] = detected(trip)
    assert (found.kind, found.level, found.evidence["place"]["id"]) == ("dwell", "red", "E-XD-02")
    assert found.evidence["ongoing"], "still there at its last fix: the warning comes while it stays"
    assert domain.overlaps(found, datetime.fromisoformat(truth.start), datetime.fromisoformat(truth.end))


def test_a_deviating_tanker_raises_only_its_route_deviation_within_the_truth():
    trip = tracks.tanker_trip(random.Random(2), FLEET, "HZ-T2", "苏FD0002", NOON, deviate=True)
    [truth] = trip.truth
    assert truth.kind == "route_deviation" and truth.note == "detour off 世纪大道"
    [found] = detected(trip)
    assert (found.kind, found.level) == ("route_deviation", "red")
    left, back = datetime.fromisoformat(truth.start), datetime.fromisoformat(truth.end)
    assert abs(found.start - left) <= timedelta(seconds=tracks.SAMPLE_S) and found.at <= back
    last = trip.points[-1]
    assert REF.place_at(last["lon"], last["lat"])[0].id == "E-XD-01", "on to the licensed plant at the route's end"


def test_both_events_on_one_trip_and_the_trip_is_reproducible():
    a = tracks.tanker_trip(random.Random(3), FLEET, "HZ-T3", "苏FD0003", NOON, stop_at="E-XD-02", deviate=True)
    b = tracks.tanker_trip(random.Random(3), FLEET, "HZ-T3", "苏FD0003", NOON, stop_at="E-XD-02", deviate=True)
    assert a == b
    assert [t.kind for t in a.truth] == ["route_deviation", "dwell"]
    assert sorted(c.kind for c in detected(a)) == ["dwell", "route_deviation"]


def test_a_stop_the_route_cannot_reach_inside_its_corridor_is_refused():
    with pytest.raises(ValueError, match="no place"):
        tracks.tanker_trip(random.Random(4), FLEET, "HZ-T4", "苏FD0004", NOON, stop_at="E-NOWHERE")
    with pytest.raises(ValueError, match="beyond its corridor"):
        tracks.tanker_trip(random.Random(4), FLEET, "HZ-T4", "苏FD0004", NOON, stop_at="E-JS-01")
    with pytest.raises(ValueError, match="before the detour"):  # the storage company lies by the depot
        tracks.tanker_trip(random.Random(4), FLEET, "HZ-T4", "苏FD0004", NOON, stop_at="E-KFQ-01", deviate=True)
    with pytest.raises(ValueError, match="time zone"):
        tracks.tanker_trip(random.Random(4), FLEET, "HZ-T4", "苏FD0004", NOON.replace(tzinfo=None))
    assert [p.id for p in FLEET.enterprises("closed")] == ["E-XD-02"]
    assert {p.licence for p in FLEET.enterprises()} == {"licensed", "suspended", "closed"}


@pytest.mark.parametrize("at,hours,ends", [
    ("2026-11-20T12:00", 2, "2026-11-20T12:00"),     # daytime: the trip ends when asked
    ("2026-11-20T08:00", 1.5, "2026-11-20T08:00"),   # starts 06:30, after the ban (06:00) and its margin
    ("2026-11-20T07:00", 2, "2026-11-19T21:50"),     # would start at 05:00: the evening before, 10 min to spare
    ("2026-11-20T02:30", 1, "2026-11-19T21:50"),     # at night: before the night began
    ("2026-11-20T23:15", 1, "2026-11-20T21:50"),
    ("2026-11-20T21:55", 0.5, "2026-11-20T21:50"),
])
def test_a_trip_ends_out_of_the_tankers_forbidden_hours(at, hours, ends):
    start = datetime.fromisoformat(at).replace(tzinfo=CHINA)
    end = tracks.daytime_end(start, hours)
    assert end == datetime.fromisoformat(ends).replace(tzinfo=CHINA)
    assert end <= start
    assert tracks.daytime_end(start, hours, "muck") == start, "muck trucks have no night rule"
    with pytest.raises(ValueError, match="does not fit"):
        tracks.daytime_end(start, 17)


def test_a_trip_moved_in_time_keeps_its_shape_and_its_truth():
    trip = tracks.tanker_trip(random.Random(5), FLEET, "HZ-T5", "苏FD0005", NOON, stop_at="E-XD-02")
    evening = datetime(2026, 11, 18, 21, 50, tzinfo=CHINA)
    moved = tracks.shifted(trip, evening)
    by = evening - NOON
    assert datetime.fromisoformat(moved.points[-1]["at"]) == evening and moved.day == "2026-11-18"
    assert [(p["lon"], p["lat"]) for p in moved.points] == [(p["lon"], p["lat"]) for p in trip.points]
    assert [datetime.fromisoformat(t.start) - datetime.fromisoformat(u.start) for t, u in
            zip(moved.truth, trip.truth, strict=True)] == [by]
    assert moved.duration == trip.duration and not any(c.kind == "night_driving" for c in detected(moved))
