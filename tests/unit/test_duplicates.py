"""并单, pure: the nearest open case of the same category within the radius and the window is the duplicate."""
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from services.triage.domain.duplicates import Candidate, find
from shared.geo import bbox, distance_m

NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)
HOUR = timedelta(hours=1)


def test_distance_is_the_great_circle_distance():
    assert distance_m(120.9, 32.0, 120.9, 32.0) == 0
    assert abs(distance_m(120.9, 32.0, 120.9, 32.001) - 111.2) < 0.5  # a thousandth of a degree of latitude
    assert abs(distance_m(120.0, 32.0, 121.0, 32.0) - 94_300) < 300


def test_the_nearest_candidate_within_radius_and_window_wins():
    near = Candidate("A", 120.9005, 32.0, NOW - HOUR)    # ~47 m
    nearer = Candidate("B", 120.9002, 32.0, NOW - HOUR)  # ~19 m
    found = find(120.9, 32.0, NOW, [near, nearer], 250, timedelta(hours=72))
    assert found.case_id == "B" and 15 < found.distance_m < 25


def test_too_far_or_too_old_is_not_a_duplicate():
    far = Candidate("A", 120.905, 32.0, NOW - HOUR)        # ~470 m
    old = Candidate("B", 120.9001, 32.0, NOW - 80 * HOUR)
    assert find(120.9, 32.0, NOW, [far, old], 250, timedelta(hours=72)) is None
    assert find(120.9, 32.0, NOW, [far], 500, timedelta(hours=72)).case_id == "A"


@settings(max_examples=300)
@given(st.floats(100, 130), st.floats(20, 45), st.floats(10, 2000), st.floats(-1, 1), st.floats(-1, 1))
def test_the_box_holds_every_point_of_the_circle(lon, lat, radius, u, v):
    lo_lon, hi_lon, lo_lat, hi_lat = bbox(lon, lat, radius)
    # a point at distance <= radius in any direction lies in the box
    scale = radius / 111_320
    p_lat = lat + v * scale * 0.99
    p_lon = lon + u * scale * 0.99
    if distance_m(lon, lat, p_lon, p_lat) <= radius:
        assert lo_lon <= p_lon <= hi_lon and lo_lat <= p_lat <= hi_lat
