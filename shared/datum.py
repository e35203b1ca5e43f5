"""Datums of positions in China, pure: WGS-84 and GCJ-02.

GNSS trackers and phones report WGS-84 (CGCS2000 agrees with it to a few centimetres). Chinese web-map data (高德,
腾讯, the coordinates people copy from an online map, ECharts' map files) is usually GCJ-02, the obfuscated datum of
GB 20263 that moves positions by a few hundred metres. GCJ-02 is WGS-84 plus the published offset (the formula in
coordtransform's wgs84_to_gcj02, eviltransform and others, with Krasovsky 1940's a and e²; the identity outside
China). Its inverse has no closed form; the usual one-step inverse (gcj - offset(gcj)) is off by up to a few metres,
so it is iterated here to a fixed point, w ← w - (forward(w) - g), which converges to well under a millimetre in a
few rounds."""
from __future__ import annotations

import math

DATUMS = ("WGS-84", "GCJ-02")
_A = 6378245.0                       # Krasovsky 1940 semi-major axis, as the GCJ-02 formula uses it
_EE = 0.00669342162296594323         # its first eccentricity squared


def _offset_lat(x: float, y: float) -> float:
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (160.0 * math.sin(y / 12.0 * math.pi) + 320.0 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return ret


def _offset_lon(x: float, y: float) -> float:
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return ret


def out_of_china(lon: float, lat: float) -> bool:
    return not (73.66 < lon < 135.05 and 3.86 < lat < 53.55)


def wgs84_to_gcj02(lon: float, lat: float) -> tuple[float, float]:
    """A WGS-84 position as GCJ-02 shows it."""
    if out_of_china(lon, lat):
        return lon, lat
    dlat = _offset_lat(lon - 105.0, lat - 35.0)
    dlon = _offset_lon(lon - 105.0, lat - 35.0)
    radlat = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(radlat) ** 2
    sqrtmagic = math.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrtmagic) * math.pi)
    dlon = (dlon * 180.0) / (_A / sqrtmagic * math.cos(radlat) * math.pi)
    return lon + dlon, lat + dlat


def gcj02_to_wgs84(lon: float, lat: float, tolerance: float = 1e-10) -> tuple[float, float]:
    """The WGS-84 point whose GCJ-02 image is (lon, lat), to `tolerance` degrees (1e-10° ≈ 0.01 mm)."""
    if out_of_china(lon, lat):
        return lon, lat
    wlon, wlat = lon, lat
    for _ in range(30):
        glon, glat = wgs84_to_gcj02(wlon, wlat)
        dlon, dlat = glon - lon, glat - lat
        wlon, wlat = wlon - dlon, wlat - dlat
        if abs(dlon) < tolerance and abs(dlat) < tolerance:
            break
    return wlon, wlat


def to_wgs84(lon: float, lat: float, datum: str) -> tuple[float, float]:
    """A position given in `datum` ("WGS-84" or "GCJ-02"), as WGS-84."""
    if datum == "WGS-84":
        return lon, lat
    if datum == "GCJ-02":
        return gcj02_to_wgs84(lon, lat)
    raise ValueError(f"unknown datum {datum!r}; one of {', '.join(DATUMS)}")
