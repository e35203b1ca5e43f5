"""Taking photos in and serving them. A photo is stored (bytes first, then its row), then cited by a report, a
resolution or a verification by its id; a unit-of-work reaction links it to each case that cites it, and it is
served to the callers whose scope holds one of those cases — and to whoever uploaded it."""
from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col, select

from services.media.adapters.storage import LocalStorage, Storage
from services.media.adapters.tables import Media, MediaUse
from services.media.domain import evidence as rules
from services.media.photos import facts
from shared import lifecycle
from shared.catalog import load_catalog
from shared.config import Settings
from shared.extensions.database import CenterStore
from shared.store.tables import Case, TimelineEntry
from shared.store.uow import NotFound, Recorded, UnitOfWork

MEDIA_ID = re.compile(r"^m_[A-Za-z0-9_-]{16,43}$")


class TooLarge(ValueError):
    def __init__(self, limit: int):
        self.limit = limit
        super().__init__(f"a photo may be at most {limit} bytes")


@dataclass(frozen=True)
class Stored:
    media_id: str
    url: str
    sha256: str
    content_type: str
    taken_at: datetime | None
    lon: float | None
    lat: float | None


def storage_for(settings: Settings, center: str) -> Storage:
    return LocalStorage(settings.media_for(center))


def take_photo(store: CenterStore, storage: Storage, data: bytes, uploader: str, limit: int) -> Stored:
    """Keep a photo; raises TooLarge, or NotAPhoto for anything that is not a JPEG, PNG or WebP image."""
    if len(data) > limit:
        raise TooLarge(limit)
    found = facts(data)
    media_id = "m_" + secrets.token_urlsafe(18)
    digest = hashlib.sha256(data).hexdigest()
    storage.put(media_id, data)  # the bytes first: a row never points at a missing file
    with store.uow() as uow:
        uow.add(Media(id=media_id, sha256=digest, content_type=found.content_type, size=len(data),
                      taken_at=found.taken_at, lon=found.lon, lat=found.lat, uploader=uploader,
                      created_at=uow.now()))
        uow.commit()
    return Stored(media_id, f"/media/{media_id}", digest, found.content_type, found.taken_at, found.lon, found.lat)


def photo_for(store: CenterStore, storage: Storage, media_id: str, reader: str, within: str) -> tuple[bytes, str]:
    """The photo's bytes and type, for a reader who uploaded it or whose region (`within`) holds a case citing it;
    anyone else is told it does not exist."""
    with store.session() as s:
        media = s.get(Media, media_id) if MEDIA_ID.match(media_id) else None
        if media is not None and media.uploader != reader:
            regions = load_catalog().regions
            cited_in = s.exec(select(Case.region).join(MediaUse, col(MediaUse.case_id) == Case.id)
                              .where(col(MediaUse.media_id) == media_id)).all()
            if not any(regions.holds(within, r) for r in cited_in):
                media = None
    data = storage.get(media_id) if media is not None else None
    if media is None or data is None:
        raise NotFound("photo", media_id)
    return data, media.content_type


def link_media(uow: UnitOfWork, recorded: list[Recorded]) -> None:
    """The reaction: every photo a case or one of its events cites is linked to the case."""
    links = {(m, r.case.id) for r in recorded
             for m in [*(r.case.media or []), *(r.data.get("media") or [])] if MEDIA_ID.match(str(m))}
    if links:
        insert = postgresql.insert if uow.engine.dialect.name == "postgresql" else sqlite.insert
        uow.session.execute(insert(MediaUse).values([{"media_id": m, "case_id": c} for m, c in sorted(links)])
                            .on_conflict_do_nothing())


def check_evidence(uow: UnitOfWork, case: Case, refs: tuple[str, ...]) -> list[dict]:
    """The evidence of the photos a resolve of `case` cites (services/media/domain/evidence.py, rules as data): each
    photo taken in here measured against the case's location and its dispatch to the unit, and flagged when its
    content is cited by another case; links elsewhere marked unchecked. Raises EvidenceRefused (422) for a rule whose
    mode is `refuse`, and InvalidCommand for a media id that was never uploaded here."""
    ids = [r for r in refs if MEDIA_ID.match(r)]
    rows = {m.id: m for m in uow.session.exec(select(Media).where(col(Media.id).in_(ids))).all()} if ids else {}
    unknown = [i for i in ids if i not in rows]
    if unknown:
        raise lifecycle.InvalidCommand(f"no photo {', '.join(unknown)} was uploaded at this center; upload it first "
                                       "(POST /api/v1/media)")
    photos = [rules.Photo(m.id, m.sha256, m.taken_at, m.lon, m.lat) for m in (rows[i] for i in dict.fromkeys(ids))]
    reused: dict[str, list[str]] = {}
    if photos:
        for sha, other in uow.session.exec(
                select(Media.sha256, MediaUse.case_id).join(MediaUse, col(MediaUse.media_id) == Media.id)
                .where(col(Media.sha256).in_({p.sha256 for p in photos}), MediaUse.case_id != case.id)
                .distinct()).all():
            reused.setdefault(sha, []).append(other)
    site = rules.Site(case.id, case.lon, case.lat, _given_at(uow, case), case.source, case.category)
    return rules.assess_all(photos, [r for r in refs if r not in rows], site, rules.load_evidence(), reused)


def _given_at(uow: UnitOfWork, case: Case) -> datetime | None:
    """When the case was last given to its unit here (dispatched or transferred): the photo must be newer."""
    return uow.session.exec(select(TimelineEntry.at).where(
        TimelineEntry.case_id == case.id, TimelineEntry.center == case.center, TimelineEntry.unit == case.unit,
        col(TimelineEntry.type).in_(("dispatched", "transferred"))).order_by(col(TimelineEntry.at).desc())
        .limit(1)).first()
