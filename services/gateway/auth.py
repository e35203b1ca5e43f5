"""Bearer tokens: created by an admin (API or CLI), stored hashed, bound to a role, a region and (for
handlers) a unit. A token sees and acts on its region's subtree only."""
from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass

from sqlmodel import col, select

from services.gateway import errors
from services.gateway.adapters.tables import Token
from shared.catalog import load_catalog

CACHE_SECONDS = 30.0  # a revoked token stops working within this time
_cache: dict[str, tuple[float, "Caller"]] = {}


@dataclass(frozen=True)
class Caller:
    role: str
    region: str
    name: str
    unit: str | None = None
    token_id: int | None = None

    @property
    def actor(self) -> str:
        return f"{self.role}:{self.name}"

    def sees(self, region: str) -> bool:
        regions = load_catalog().regions
        return region in regions and regions.is_within(region, self.region)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(open_session, *, role: str, region: str, name: str, unit: str | None, now) -> str:
    """A new token, stored hashed; `open_session()` opens a session on the center's database."""
    catalog = load_catalog()
    catalog.regions.get(region)  # raises UnknownRegion
    if unit:
        u = catalog.unit(unit)  # raises UnknownUnit
        if not catalog.regions.is_within(u.center, region) and not catalog.regions.is_within(region, u.center):
            raise errors.ApiError(422, "unit_outside_region", f"unit {unit} does not belong to region {region}")
    token = "yw_" + secrets.token_urlsafe(32)
    with open_session() as session:
        session.add(Token(token_hash=hash_token(token), role=role, region=region, unit=unit, name=name,
                          created_at=now))
        session.commit()
    return token


def authenticate(open_session, header: str | None, admin_token: str | None) -> Caller:
    """The caller behind an `Authorization: Bearer` header; `open_session()` is used only on a cache miss."""
    if not header or not header.startswith("Bearer "):
        raise errors.unauthorized()
    token = header[7:].strip()
    if admin_token and hmac.compare_digest(token.encode(), admin_token.encode()):
        return Caller("admin", load_catalog().regions.root, "bootstrap-admin")
    digest = hash_token(token)
    hit = _cache.get(digest)
    if hit is not None and hit[0] > time.monotonic():
        return hit[1]
    with open_session() as session:
        row = session.exec(select(Token).where(Token.token_hash == digest, col(Token.revoked_at).is_(None))).first()
    if row is None:
        raise errors.unauthorized("the bearer token is not valid")
    caller = Caller(row.role, row.region, row.name, row.unit, row.id)
    if len(_cache) > 10_000:
        _cache.clear()
    _cache[digest] = (time.monotonic() + CACHE_SECONDS, caller)
    return caller
