"""Media's own tables: every photo taken in (its hash, type, size, and the time and place its EXIF says), and which
cases cite it (a photo is served to the callers whose scope holds one of those cases)."""
from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from shared.store.tables import ts


class Media(SQLModel, table=True):
    __tablename__ = "media"
    id: str = Field(primary_key=True, max_length=48)
    sha256: str = Field(max_length=64, index=True)     # the same photo on two cases is flagged by its hash
    content_type: str = Field(max_length=32)
    size: int
    taken_at: datetime | None = ts()
    lon: float | None = None
    lat: float | None = None
    uploader: str = Field(max_length=80)                # `token:{id}` or the bootstrap admin: may always see it
    created_at: datetime = ts()


class MediaUse(SQLModel, table=True):
    __tablename__ = "media_use"
    media_id: str = Field(primary_key=True, max_length=48)
    case_id: str = Field(primary_key=True, max_length=40, index=True)
