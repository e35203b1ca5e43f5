"""Which regions a point lies in, from a GeoJSON FeatureCollection of region boundaries. Pure (stdlib only)
apart from `configured()`, the one place that reads the boundary file.

The collection (RFC 7946: positions are [lon, lat], WGS-84) holds one Feature per region, its
``properties.code`` the region code and its geometry a Polygon or MultiPolygon; a polygon's first ring is its
outline and any further rings are holes. A point lies in a polygon when it lies inside or on the outline and
not strictly inside a hole: points on an edge, a hole's edge included, count as inside (a report on the line
between two townships belongs to both, and the smaller code wins the tie). Each boundary's bounding box is
checked first; only points inside it are ray-cast. Regions nest, so a point usually lies in a township, its
county and its city: the deepest region in the region tree is the most specific answer.

The boundary file is the packaged ``shared/catalog/data/boundaries-320600.geojson`` unless the environment
variable ``YIWANG_BOUNDARIES`` names another one.
"""
from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shared.catalog import RegionRegistry, UnknownRegion, load_catalog
from shared.catalog.catalog import DATA_DIR

DEFAULT_FILE = DATA_DIR / "boundaries-320600.geojson"
EDGE_TOLERANCE = 1e-9  # degrees (about 0.1 mm): closer to an edge than this is on it

Point = tuple[float, float]
Ring = tuple[Point, ...]  # closed: the last point equals the first


class BoundaryError(ValueError):
    """The boundary file is not a FeatureCollection of region Polygons/MultiPolygons."""


@dataclass(frozen=True)
class Polygon:
    outline: Ring
    holes: tuple[Ring, ...] = ()

    def contains(self, lon: float, lat: float) -> bool:
        """Inside or on the outline, and not strictly inside a hole."""
        if not (_on_ring(lon, lat, self.outline) or _ray_inside(lon, lat, self.outline)):
            return False
        return not any(_ray_inside(lon, lat, h) and not _on_ring(lon, lat, h) for h in self.holes)


@dataclass(frozen=True)
class Boundary:
    code: str
    depth: int  # 0 for the root region (the city), 1 for a county, 2 for a township
    polygons: tuple[Polygon, ...]
    bbox: tuple[float, float, float, float]  # min lon, min lat, max lon, max lat

    def contains(self, lon: float, lat: float) -> bool:
        west, south, east, north = self.bbox
        return west <= lon <= east and south <= lat <= north and any(p.contains(lon, lat) for p in self.polygons)


class Boundaries:
    """The boundaries of a set of regions; answers which of them contain a point."""

    def __init__(self, boundaries: Iterable[Boundary]) -> None:
        self._all = sorted(boundaries, key=lambda b: (-b.depth, b.code))  # deepest first, then by code

    def containing(self, lon: float, lat: float) -> list[str]:
        """The codes of every region whose boundary contains the point, deepest first (ties by code)."""
        return [b.code for b in self._all if b.contains(lon, lat)]

    def middle(self, code: str) -> tuple[float, float] | None:
        """The middle of a region's bounding box (a point to label it by), or None without a boundary."""
        found = next((b for b in self._all if b.code == code), None)
        if found is None:
            return None
        west, south, east, north = found.bbox
        return round((west + east) / 2, 6), round((south + north) / 2, 6)

    def deepest(self, lon: float, lat: float) -> str | None:
        """The most specific region containing the point, or None if it lies outside every boundary."""
        return next((b.code for b in self._all if b.contains(lon, lat)), None)


# ── geometry ────────────────────────────────────────────────────────────────
def _ray_inside(x: float, y: float, ring: Ring) -> bool:
    """Ray casting: a ray from the point towards +x crosses the ring an odd number of times. Points on the
    ring may go either way; callers test the edge first."""
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def _on_ring(x: float, y: float, ring: Ring) -> bool:
    """The point lies on one of the ring's edges (within EDGE_TOLERANCE)."""
    for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
        if (min(x1, x2) - EDGE_TOLERANCE <= x <= max(x1, x2) + EDGE_TOLERANCE
                and min(y1, y2) - EDGE_TOLERANCE <= y <= max(y1, y2) + EDGE_TOLERANCE):
            cross = (x2 - x1) * (y - y1) - (y2 - y1) * (x - x1)  # |segment| × distance from its line
            if abs(cross) <= EDGE_TOLERANCE * max(abs(x2 - x1), abs(y2 - y1), EDGE_TOLERANCE):
                return True
    return False


# ── parsing ─────────────────────────────────────────────────────────────────
def _ring(raw: Any, where: str) -> Ring:
    try:
        points = tuple((float(p[0]), float(p[1])) for p in raw)
    except (TypeError, ValueError, IndexError):
        raise BoundaryError(f"{where}: a ring is a list of [lon, lat] positions") from None
    if points and points[0] != points[-1]:
        points += (points[0],)  # RFC 7946 asks for closed rings; close an open one
    if len(points) < 4:
        raise BoundaryError(f"{where}: a ring needs at least three corners")
    return points


def _polygon(raw: Any, where: str) -> Polygon:
    if not isinstance(raw, list) or not raw:
        raise BoundaryError(f"{where}: a polygon is a non-empty list of rings")
    rings = [_ring(r, where) for r in raw]
    return Polygon(rings[0], tuple(rings[1:]))


def parse(doc: Any, regions: RegionRegistry, source: str = "boundaries") -> Boundaries:
    """Boundaries from a GeoJSON FeatureCollection; ``regions`` (the catalog's RegionRegistry) gives each
    region's depth and rejects unknown codes. Errors name ``source`` and the feature."""
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" or not isinstance(doc.get("features"), list):
        raise BoundaryError(f"{source}: expected a GeoJSON FeatureCollection")
    out: dict[str, Boundary] = {}
    for i, feature in enumerate(doc["features"], start=1):
        props = feature.get("properties") if isinstance(feature, dict) else None
        code = props.get("code") if isinstance(props, dict) else None
        where = f"{source}: feature #{i}" + (f" ({code})" if code else "")
        if not isinstance(code, str):
            raise BoundaryError(f"{where}: properties.code (the region code) is missing")
        if code in out:
            raise BoundaryError(f"{where}: a second boundary for {code}; use one MultiPolygon")
        try:
            depth = len(regions.path(code)) - 1
        except UnknownRegion:
            raise BoundaryError(f"{where}: unknown region {code}") from None
        geometry = feature.get("geometry") or {}
        kind, coords = geometry.get("type"), geometry.get("coordinates")
        if kind == "Polygon":
            polygons: tuple[Polygon, ...] = (_polygon(coords, where),)
        elif kind == "MultiPolygon" and isinstance(coords, list) and coords:
            polygons = tuple(_polygon(p, where) for p in coords)
        else:
            raise BoundaryError(f"{where}: geometry must be a Polygon or a non-empty MultiPolygon, not {kind!r}")
        lons = [x for p in polygons for x, _ in p.outline]
        lats = [y for p in polygons for _, y in p.outline]
        tol = EDGE_TOLERANCE  # the box holds the edges too
        bbox = (min(lons) - tol, min(lats) - tol, max(lons) + tol, max(lats) + tol)
        out[code] = Boundary(code, depth, polygons, bbox)
    return Boundaries(out.values())


def load(path: Path | str, regions: RegionRegistry) -> Boundaries:
    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise BoundaryError(f"cannot read the boundary file {path}: {e}") from e
    return parse(doc, regions, source=str(path))


_chosen: list[Path | str] = []  # the deployment's file, set at start-up from YIWANG_BOUNDARIES (use_file)


def use_file(path: Path | str | None) -> None:
    """Make `path` (None: the packaged file) this process's boundaries; read at the next `configured()`."""
    _chosen[:] = [path] if path else []
    configured.cache_clear()


@functools.lru_cache(maxsize=1)
def configured() -> Boundaries:
    """The boundaries of this deployment (read once per process): the file chosen at start-up
    (``YIWANG_BOUNDARIES``), else the packaged illustrative one."""
    return load(_chosen[0] if _chosen else DEFAULT_FILE, load_catalog().regions)
