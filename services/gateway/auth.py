"""Who is calling. Bearer tokens: created by an admin (API or CLI), stored hashed, bound to a role, a region and
(for handlers) a unit, revocable at once. The screens sign in once with a token (`POST /api/v1/sessions`) and then
send an HttpOnly, SameSite=Strict session cookie instead; a request that changes something with that cookie must
also carry the session's CSRF value in `X-Yiwang-CSRF` (double submit: a page of another site can neither read
the value nor, with SameSite=Strict, send the cookie). A token sees and acts on its region's subtree only."""
from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select
from werkzeug.wrappers import Request

from services.audit import api as audit
from services.gateway import errors
from services.gateway.adapters.tables import ActionKey, BrowserSession, Token
from shared.catalog import load_catalog

OpenSession = Callable[[], AbstractContextManager[Session]]
CACHE_SECONDS = 2.0              # another process of the center sees a revocation within this time
SESSION_LIFETIME = timedelta(hours=12)
SESSION_COOKIE, CSRF_COOKIE, CSRF_HEADER = "yiwang_session", "yiwang_csrf", "X-Yiwang-CSRF"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
_cache: dict[str, tuple[float, Caller]] = {}


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
        return load_catalog().regions.holds(self.region, region)


@dataclass(frozen=True)
class NewToken:
    id: int
    token: str


@dataclass(frozen=True)
class SignedIn:
    """A new browser session: the cookie's secret, the CSRF value and when it ends."""

    secret: str
    csrf: str
    expires_at: datetime


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(open_session: OpenSession, *, role: str, region: str, name: str, unit: str | None,
                 now: datetime, actor: str, center: str) -> NewToken:
    """A new token, stored hashed; `actor` made it at `center` (the audit chain records it in the same
    transaction: the token's id, name, role, region and unit, never the token)."""
    catalog = load_catalog()
    catalog.regions.get(region)  # raises UnknownRegion
    if unit:
        u = catalog.unit(unit)  # raises UnknownUnit
        if not catalog.regions.is_within(u.center, region) and not catalog.regions.is_within(region, u.center):
            raise errors.ApiError(422, "unit_outside_region", f"unit {unit} does not belong to region {region}")
    token = "yw_" + secrets.token_urlsafe(32)
    row = Token(token_hash=hash_token(token), role=role, region=region, unit=unit, name=name, created_at=now)
    with open_session() as session:
        session.add(row)
        session.flush()
        assert row.id is not None
        audit.record(session, center=center, actor=actor, action="token.created", subject=_facts_of(row), at=now)
        session.commit()
        return NewToken(row.id, token)


def revoke_token(open_session: OpenSession, token_id: int, within: Callable[[str], bool], now: datetime, *,
                 actor: str, center: str) -> None:
    """Revoke a token at once, and end its browser sessions. `within(region)`: the revoker's scope; a token
    outside it is unknown to the revoker. The audit chain records the revocation in the same transaction."""
    with open_session() as session:
        row = session.get(Token, token_id)
        if row is None or not within(row.region):
            raise errors.not_found(f"token {token_id} not found")
        if row.revoked_at is None:
            row.revoked_at = now
            session.add(row)
            audit.record(session, center=center, actor=actor, action="token.revoked", subject=_facts_of(row),
                         at=now)
        session.execute(sa.update(BrowserSession).where(col(BrowserSession.token_id) == token_id,
                                                        col(BrowserSession.ended_at).is_(None)).values(ended_at=now))
        session.commit()
        _cache.pop(row.token_hash, None)
    for key in [k for k, (_, caller) in _cache.items() if caller.token_id == token_id]:
        _cache.pop(key, None)


def _facts_of(row: Token) -> dict[str, str | int | None]:
    """What the audit chain says of a token: never its secret, nor its hash."""
    return {"token_id": row.id, "name": row.name, "role": row.role, "region": row.region, "unit": row.unit}


def sign_in(open_session: OpenSession, caller: Caller, now: datetime) -> SignedIn:
    """Open a browser session for the caller (who showed a valid token)."""
    secret, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
    expires = now + SESSION_LIFETIME
    with open_session() as session:
        session.add(BrowserSession(id=hash_token(secret), token_id=caller.token_id, role=caller.role,
                                   region=caller.region, unit=caller.unit, name=caller.name, csrf=csrf,
                                   created_at=now, expires_at=expires))
        session.commit()
    return SignedIn(secret, csrf, expires)


def sign_out(open_session: OpenSession, request: Request, now: datetime) -> None:
    secret = request.cookies.get(SESSION_COOKIE)
    if not secret:
        return
    with open_session() as session:
        session.execute(sa.update(BrowserSession).where(col(BrowserSession.id) == hash_token(secret))
                        .values(ended_at=now))
        session.commit()


def action_done(open_session: OpenSession, scope: str, key: str, case_id: str) -> bool:
    """Whether this caller already did an action on the case under this `Idempotency-Key`."""
    with open_session() as session:
        row = session.get(ActionKey, (scope, key))
    return row is not None and row.case_id == case_id


def remember_action(open_session: OpenSession, scope: str, key: str, case_id: str, now: datetime) -> None:
    with open_session() as session:
        session.merge(ActionKey(scope=scope, key=key, case_id=case_id, created_at=now))
        session.commit()


def forget_actions(open_session: OpenSession, before: datetime) -> None:
    with open_session() as session:
        session.execute(sa.delete(ActionKey).where(col(ActionKey.created_at) < before))
        session.commit()


def authenticate(open_session: OpenSession, request: Request, admin_token: str | None, now: datetime) -> Caller:
    """The caller behind the request's bearer token, else behind its session cookie."""
    header = request.headers.get("Authorization")
    if header is not None:
        if not header.startswith("Bearer "):
            raise errors.unauthorized()
        return _by_token(open_session, header[7:].strip(), admin_token)
    secret = request.cookies.get(SESSION_COOKIE)
    if not secret:
        raise errors.unauthorized()
    caller, csrf = _by_session(open_session, secret, now)
    if request.method not in SAFE_METHODS and not hmac.compare_digest(
            (request.headers.get(CSRF_HEADER) or "").encode(), csrf.encode()):
        raise errors.forbidden(f"a change made with the session cookie needs the {CSRF_HEADER} header "
                               f"(the value of the {CSRF_COOKIE} cookie)")
    return caller


def bearer(open_session: OpenSession, token: str, admin_token: str | None) -> Caller:
    """The caller a token stands for (the sign-in checks the token it is given)."""
    return _by_token(open_session, token, admin_token)


def _by_token(open_session: OpenSession, token: str, admin_token: str | None) -> Caller:
    if admin_token and hmac.compare_digest(token.encode(), admin_token.encode()):
        return Caller("admin", load_catalog().regions.root, "bootstrap-admin")
    digest = hash_token(token)
    hit = _cached(digest)
    if hit is not None:
        return hit
    with open_session() as session:
        row = session.exec(select(Token).where(Token.token_hash == digest, col(Token.revoked_at).is_(None))).first()
    if row is None:
        raise errors.unauthorized("the bearer token is not valid")
    return _remember(digest, Caller(row.role, row.region, row.name, row.unit, row.id))


def _by_session(open_session: OpenSession, secret: str, now: datetime) -> tuple[Caller, str]:
    with open_session() as session:
        row = session.get(BrowserSession, hash_token(secret))
        revoked = row is not None and row.token_id is not None and session.exec(
            select(Token.id).where(Token.id == row.token_id, col(Token.revoked_at).is_(None))).first() is None
    if row is None or row.ended_at is not None or row.expires_at <= now or revoked:
        raise errors.unauthorized("the session has ended; sign in again")
    return Caller(row.role, row.region, row.name, row.unit, row.token_id), row.csrf


def _cached(key: str) -> Caller | None:
    hit = _cache.get(key)
    return hit[1] if hit is not None and hit[0] > time.monotonic() else None


def _remember(key: str, caller: Caller) -> Caller:
    if len(_cache) > 10_000:
        _cache.clear()
    _cache[key] = (time.monotonic() + CACHE_SECONDS, caller)
    return caller
