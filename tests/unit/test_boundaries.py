"""Where it happened: point in polygon over GeoJSON boundaries (squares, holes, multipolygons, edges, the deepest
region wins), the packaged illustrative boundaries, and `place`."""
import json

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from services.intake.domain import boundaries as geo
from services.intake.domain.reports import OutsideCenter, Placement, place
from shared.catalog import load_catalog

REGIONS = load_catalog().regions
COUNTY, JINSHA, XINGDONG = "320612", "320612001", "320612002"


def square(w, s, e, n):
    return [[w, s], [e, s], [e, n], [w, n], [w, s]]


def feature(code, geometry):
    return {"type": "Feature", "properties": {"code": code}, "geometry": geometry}


def polygon(*rings):
    return {"type": "Polygon", "coordinates": list(rings)}


def collection(*features):
    return {"type": "FeatureCollection", "features": list(features)}


def parse(*features):
    return geo.parse(collection(*features), REGIONS)


# a county 0–10 × 0–10 with two townships: 金沙 0–5 × 0–10 with a hole 1–2 × 1–2, and 兴东 5–10 × 0–10
TOY = parse(feature(COUNTY, polygon(square(0, 0, 10, 10))),
            feature(JINSHA, polygon(square(0, 0, 5, 10), square(1, 1, 2, 2))),
            feature(XINGDONG, polygon(square(5, 0, 10, 10))))


# ── geometry ────────────────────────────────────────────────────────────────
def test_a_square_contains_its_inside_and_its_edges_not_its_outside():
    b = parse(feature(JINSHA, polygon(square(0, 0, 2, 2))))
    assert b.deepest(1, 1) == JINSHA
    for on_edge in ((0, 1), (2, 1), (1, 0), (1, 2), (0, 0), (2, 2), (2, 0)):
        assert b.deepest(*on_edge) == JINSHA, on_edge
    for outside in ((-0.001, 1), (2.001, 1), (1, 2.001), (3, 3), (-1, -1)):
        assert b.deepest(*outside) is None, outside


def test_a_hole_is_outside_but_its_edge_is_inside():
    b = parse(feature(JINSHA, polygon(square(0, 0, 10, 10), square(4, 4, 6, 6))))
    assert b.deepest(5, 5) is None
    assert b.deepest(4, 5) == JINSHA and b.deepest(6, 6) == JINSHA
    assert b.deepest(2, 5) == JINSHA and b.deepest(8, 5) == JINSHA


def test_a_multipolygon_contains_each_part_and_not_the_gap():
    parts = [[square(0, 0, 1, 1)], [square(3, 0, 4, 1), square(3.4, 0.4, 3.6, 0.6)]]
    b = parse(feature(JINSHA, {"type": "MultiPolygon", "coordinates": parts}))
    assert b.deepest(0.5, 0.5) == JINSHA and b.deepest(3.2, 0.5) == JINSHA
    assert b.deepest(2, 0.5) is None, "between the parts"
    assert b.deepest(3.5, 0.5) is None, "in the second part's hole"


def test_concave_outline_and_a_ray_through_a_vertex():
    u_shape = [[0, 0], [3, 0], [3, 3], [2, 3], [2, 1], [1, 1], [1, 3], [0, 3], [0, 0]]
    b = parse(feature(JINSHA, polygon(u_shape)))
    assert b.deepest(0.5, 2) == JINSHA and b.deepest(2.5, 2) == JINSHA
    assert b.deepest(1.5, 2) is None, "inside the notch"
    assert b.deepest(-1, 1) is None, "level with two vertices, left of the shape"
    assert b.deepest(1.5, 0.5) == JINSHA
    diamond = parse(feature(JINSHA, polygon([[0, -1], [1, 0], [0, 1], [-1, 0], [0, -1]])))
    assert diamond.deepest(0, 0) == JINSHA and diamond.deepest(-2, 0) is None and diamond.deepest(0.9, 0.9) is None


def test_an_open_ring_is_closed():
    b = parse(feature(JINSHA, polygon([[0, 0], [2, 0], [2, 2], [0, 2]])))
    assert b.deepest(1, 1) == JINSHA and b.deepest(0, 1) == JINSHA and b.deepest(3, 1) is None


@settings(max_examples=300)
@given(st.floats(-10, 10), st.floats(-10, 10), st.floats(0.001, 5), st.floats(0.001, 5),
       st.floats(-20, 20), st.floats(-20, 20))
def test_a_rectangle_contains_exactly_the_points_of_its_box(w, s, width, height, x, y):
    e, n = w + width, s + height
    assume(min(abs(x - w), abs(x - e), abs(y - s), abs(y - n)) > 2 * geo.EDGE_TOLERANCE)  # edges: tested above
    b = parse(feature(JINSHA, polygon(square(w, s, e, n))))
    assert (b.deepest(x, y) == JINSHA) == (w <= x <= e and s <= y <= n)


@settings(max_examples=300)
@given(st.floats(-2, 2), st.floats(-2, 2))
def test_a_diamond_contains_exactly_the_points_within_its_l1_radius(x, y):
    b = parse(feature(JINSHA, polygon([[0, -1], [1, 0], [0, 1], [-1, 0], [0, -1]])))
    assume(abs(abs(x) + abs(y) - 1) > 1e-6)  # away from the edge, where rounding decides
    assert (b.deepest(x, y) == JINSHA) == (abs(x) + abs(y) < 1)


# ── regions ─────────────────────────────────────────────────────────────────
def test_the_deepest_region_wins_and_a_point_outside_all_has_none():
    assert TOY.deepest(3, 3) == JINSHA and TOY.containing(3, 3) == [JINSHA, COUNTY]
    assert TOY.deepest(7, 3) == XINGDONG
    assert TOY.deepest(1.5, 1.5) == COUNTY, "in 金沙's hole: only the county"
    assert TOY.deepest(20, 20) is None and TOY.containing(20, 20) == []


def test_a_point_on_the_line_between_two_townships_is_in_both_the_smaller_code_first():
    assert TOY.containing(5, 3) == [JINSHA, XINGDONG, COUNTY]
    assert TOY.deepest(5, 3) == JINSHA


@pytest.mark.parametrize("doc, message", [
    ({"type": "Feature"}, "expected a GeoJSON FeatureCollection"),
    (collection({"type": "Feature", "properties": {}, "geometry": polygon(square(0, 0, 1, 1))}),
     "feature #1: properties.code"),
    (collection(feature("110101001", polygon(square(0, 0, 1, 1)))), "feature #1 (110101001): unknown region"),
    (collection(feature(JINSHA, {"type": "Point", "coordinates": [0, 0]})), "(320612001): geometry must be a Polygon"),
    (collection(feature(JINSHA, polygon([[0, 0], [1, 1], [0, 0]]))), "a ring needs at least three corners"),
    (collection(feature(JINSHA, polygon([[0, 0], ["x"], [1, 1], [0, 0]]))), "a ring is a list of [lon, lat]"),
    (collection(feature(JINSHA, polygon(square(0, 0, 1, 1))), feature(JINSHA, polygon(square(2, 2, 3, 3)))),
     "feature #2 (320612001): a second boundary for 320612001"),
])
def test_bad_boundaries_are_refused_naming_the_feature(doc, message):
    with pytest.raises(geo.BoundaryError) as err:
        geo.parse(doc, REGIONS, source="test.geojson")
    assert str(err.value).startswith("test.geojson") and message in str(err.value)


def test_an_unreadable_file_is_named(tmp_path):
    path = tmp_path / "broken.geojson"
    path.write_text("{", encoding="utf-8")
    with pytest.raises(geo.BoundaryError, match="broken.geojson"):
        geo.load(path, REGIONS)


def test_the_file_is_configurable(tmp_path):
    path = tmp_path / "other.geojson"
    path.write_text(json.dumps(collection(feature(XINGDONG, polygon(square(0, 0, 1, 1))))), encoding="utf-8")
    geo.use_file(path)
    try:
        assert geo.configured().deepest(0.5, 0.5) == XINGDONG and geo.configured().deepest(121.073, 32.084) is None
    finally:
        geo.use_file(None)


# ── the packaged (illustrative) boundaries ──────────────────────────────────
def test_the_townships_of_320612_tile_the_county():
    b = geo.load(geo.DEFAULT_FILE, REGIONS)
    towns = [r.code for r in REGIONS.children(COUNTY)]
    assert set(towns) <= {code for code in (b.deepest(lon, lat) for lon, lat in _grid()) if code}
    for lon, lat in _grid():
        found = b.containing(lon, lat)
        assert found == [] or (len(found) == 2 and found[0] in towns and found[1] == COUNTY), (lon, lat, found)


def _grid():  # a grid over the county and around it; none of its points lies on an edge of the tiling
    return [(120.70 + i * 0.0111, 31.90 + j * 0.0077) for i in range(60) for j in range(50)]


def test_fixed_points_of_the_demo_and_the_tests():
    b = geo.load(geo.DEFAULT_FILE, REGIONS)
    assert b.deepest(121.073, 32.084) == JINSHA, "the seat of 通州区 (the demo's anchor of 金沙街道)"
    assert b.deepest(121.112, 32.068) == XINGDONG, "the demo's anchor of 兴东街道"
    assert b.deepest(121.02, 32.16) == "320612107", "十总镇老街"
    assert b.deepest(120.894, 31.981) is None, "南通 city centre (崇川区) is not in 通州区"


# ── place ───────────────────────────────────────────────────
def test_the_requested_region_wins_and_must_be_inside_the_center():
    assert place(XINGDONG, COUNTY, REGIONS, 3, 3, TOY) == Placement(XINGDONG, "request")
    with pytest.raises(OutsideCenter):
        place(XINGDONG, JINSHA, REGIONS, 3, 3, TOY)


def test_else_the_deepest_boundary_inside_this_centers_subtree():
    assert place(None, COUNTY, REGIONS, 3, 3, TOY) == Placement(JINSHA, "boundary")
    assert place(None, "320600", REGIONS, 7, 3, TOY) == Placement(XINGDONG, "boundary")
    assert place(None, COUNTY, REGIONS, 1.5, 1.5, TOY) == Placement(COUNTY, "boundary")
    assert place(None, JINSHA, REGIONS, 3, 3, TOY) == Placement(JINSHA, "boundary")
    assert place(None, XINGDONG, REGIONS, 5, 3, TOY) == Placement(XINGDONG, "boundary"), "on the shared edge"


def test_else_the_centers_own_region():
    assert place(None, XINGDONG, REGIONS, 3, 3, TOY) == Placement(XINGDONG, "center_fallback"), "another township"
    assert place(None, JINSHA, REGIONS, 20, 20, TOY) == Placement(JINSHA, "center_fallback"), "outside all"
    assert place(None, JINSHA, REGIONS, None, None, TOY) == Placement(JINSHA, "center_fallback"), "no location"


def test_the_deepest_region_or_none():
    assert TOY.deepest(3, 3) == JINSHA and TOY.deepest(20, 20) is None
    assert geo.configured().deepest(121.073, 32.084) == JINSHA, "the configured (packaged) boundaries by default"
