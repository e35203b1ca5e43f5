"""The keyed hash a repeat caller is known by (CONTRACTS.md §7): HMAC-SHA256 of the number's digits under a key
derived from the center's data key (`YIWANG_DATA_KEY`, set at start-up by the composition root). The number is never
stored, logged or published by the warnings; without the key the hash cannot be matched against a list of numbers."""
from __future__ import annotations

import hashlib
import hmac
import re

_secret: list[str] = []
_DEV = "yiwang local development only"


def caller_key(phone: str, secret: str) -> str:
    digits = re.sub(r"\D", "", phone)
    if digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    key = hashlib.sha256(b"yiwang repeat caller|" + secret.encode()).digest()
    return hmac.new(key, digits.encode(), hashlib.sha256).hexdigest()


def use_caller_secret(secret: str | None) -> None:
    """Key callers with `secret` from now on (None: the local development key)."""
    _secret[:] = [secret] if secret else []


def key_of(phone: str | None) -> str | None:
    """This center's keyed hash of a caller's number (None without a number)."""
    if not phone or not re.sub(r"\D", "", phone):
        return None
    return caller_key(phone, _secret[0] if _secret else _DEV)
