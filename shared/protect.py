"""Citizens' phone numbers at rest: encrypted with Fernet (AES-128-CBC + HMAC-SHA256) under `YIWANG_DATA_KEY`,
never put in events, logs or traces, and masked in responses to roles that do not need them (CONTRACTS.md §3).

The key is chosen at start-up (`use_key`, from the settings). In local development (`YIWANG_ENV=local`, the
default) a fixed development key is used when none is set; `load_settings` refuses to start without a real key
anywhere else."""
from __future__ import annotations

import base64
import functools
import hashlib

from cryptography.fernet import Fernet, InvalidToken

from shared.observability import mask_phone

_LOCAL_KEY = base64.urlsafe_b64encode(hashlib.sha256(b"yiwang local development only").digest())
DEVELOPMENT_KEY = _LOCAL_KEY.decode()  # refused in production (shared.config)


def check_key(raw: str) -> str:
    try:
        Fernet(raw.encode())
    except (ValueError, TypeError):
        from shared.config import ConfigError

        raise ConfigError("YIWANG_DATA_KEY must be a Fernet key (32 url-safe base64-encoded bytes)") from None
    return raw


@functools.cache
def _fernet(key: str | None) -> Fernet:
    return Fernet(key.encode() if key else _LOCAL_KEY)


_key: list[str] = []  # this process's key, set at start-up


def use_key(key: str | None) -> None:
    """Seal and unseal with `key` from now on (None: the local development key)."""
    _key[:] = [key] if key else []


def _current() -> Fernet:
    return _fernet(_key[0] if _key else None)


def seal(phone: str | None) -> str | None:
    """The phone number encrypted for storage."""
    return _current().encrypt(phone.encode()).decode() if phone else None


def unseal(sealed: str | None) -> str | None:
    """The phone number back; `None` when it cannot be read (e.g. sealed under another key)."""
    if not sealed:
        return None
    try:
        return _current().decrypt(sealed.encode()).decode()
    except InvalidToken:
        return None


def shown(phone: str | None, in_full: bool) -> str | None:
    """A phone number as a response shows it: in full only to roles that need it."""
    return phone if in_full else mask_phone(phone)
