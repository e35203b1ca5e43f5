"""What a photo is: its type from its bytes (never from its name or the client's word), and the time and place its
EXIF says it was taken (Pillow reads the EXIF)."""
from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from PIL import Image, UnidentifiedImageError

from shared.clock import CHINA

SIGNATURES = ((b"\xff\xd8\xff", "image/jpeg"), (b"\x89PNG\r\n\x1a\n", "image/png"))
EXIF_IFD, GPS_IFD = 0x8769, 0x8825
DATE_TIME_ORIGINAL, OFFSET_TIME_ORIGINAL = 36867, 36881


class NotAPhoto(ValueError):
    """The bytes are not a JPEG, PNG or WebP image."""


@dataclass(frozen=True)
class PhotoFacts:
    content_type: str
    taken_at: datetime | None
    lon: float | None
    lat: float | None


def sniff(data: bytes) -> str:
    """The image type the bytes say, or NotAPhoto."""
    for magic, kind in SIGNATURES:
        if data.startswith(magic):
            return kind
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    raise NotAPhoto("the file is not a JPEG, PNG or WebP photo")


def facts(data: bytes) -> PhotoFacts:
    """The photo's type, and its EXIF time and position when present. Raises NotAPhoto for anything else,
    including a file whose first bytes look right but that is not a readable image."""
    kind = sniff(data)
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
        with Image.open(io.BytesIO(data)) as image:
            exif = image.getexif()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise NotAPhoto(f"the photo cannot be read ({exc})") from None
    lon, lat = _position(exif.get_ifd(GPS_IFD))
    return PhotoFacts(kind, _taken_at(exif.get_ifd(EXIF_IFD)), lon, lat)


def _taken_at(ifd: dict[int, Any]) -> datetime | None:
    raw = ifd.get(DATE_TIME_ORIGINAL)
    try:
        local = datetime.strptime(str(raw).strip("\x00 "), "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    offset = str(ifd.get(OFFSET_TIME_ORIGINAL) or "")
    if len(offset) == 6 and offset[0] in "+-":
        sign = 1 if offset[0] == "+" else -1
        zone = timezone(sign * timedelta(hours=int(offset[1:3]), minutes=int(offset[4:6])))
        return local.replace(tzinfo=zone)
    return local.replace(tzinfo=CHINA)  # a camera without an offset: China time, where Yiwang runs


def _position(gps: dict[int, Any]) -> tuple[float | None, float | None]:
    try:
        lat = _degrees(gps[2]) * (-1 if str(gps.get(1, "N")).upper().startswith("S") else 1)
        lon = _degrees(gps[4]) * (-1 if str(gps.get(3, "E")).upper().startswith("W") else 1)
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        return None, None
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        return None, None
    return round(lon, 6), round(lat, 6)


def _degrees(value: Any) -> float:
    d, m, s = (float(x) for x in value)
    return d + m / 60 + s / 3600
