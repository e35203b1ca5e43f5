"""Geodesy for vehicle tracks, pure: the metric projection the track geometry is computed in.

Datums: positions are WGS-84; reference data in GCJ-02 is converted once, on load (shared/datum.py).

Metric projection. Distances, radii and corridor buffers are computed in a local transverse Mercator projection
on the WGS-84 ellipsoid, central meridian 121°E, latitude of origin 32°N, scale 1 (`LOCAL_TM`). Nantong spans about
120.2–121.9°E: one 3-degree Gauss-Krüger zone (EPSG:4549, CGCS2000 / CM 120°E) stops at 121.5°E and would put
启东 in the next zone, while this single projection keeps the scale error under 2·10⁻⁵ (2 cm per km) across
the whole city. pyproj does the projecting.
"""
from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Sequence

from pyproj import Transformer

LOCAL_TM = "+proj=tmerc +lat_0=32 +lon_0=121 +k=1 +x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs"


@functools.cache
def _forward() -> Transformer:
    return Transformer.from_crs("EPSG:4326", LOCAL_TM, always_xy=True)


@functools.cache
def _inverse() -> Transformer:
    return Transformer.from_crs(LOCAL_TM, "EPSG:4326", always_xy=True)


def project(lon: float, lat: float) -> tuple[float, float]:
    """WGS-84 (lon, lat) → local transverse Mercator (x, y) in metres."""
    x, y = _forward().transform(lon, lat)
    return float(x), float(y)


def project_many(points: Iterable[tuple[float, float]]) -> list[tuple[float, float]]:
    pts = list(points)
    if not pts:
        return []
    xs, ys = _forward().transform([p[0] for p in pts], [p[1] for p in pts])
    return [(float(x), float(y)) for x, y in zip(xs, ys, strict=True)]


def unproject_many(points: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    """Local transverse Mercator (x, y) → WGS-84 (lon, lat)."""
    if not points:
        return []
    lons, lats = _inverse().transform([p[0] for p in points], [p[1] for p in points])
    return [(float(lo), float(la)) for lo, la in zip(lons, lats, strict=True)]


def metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Distance in metres between two WGS-84 positions, in the local projection."""
    (x1, y1), (x2, y2) = project_many([a, b])
    return math.hypot(x2 - x1, y2 - y1)
