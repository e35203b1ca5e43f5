"""12345 order terms, pure: an order's kind and urgency → the case's priority and its deadline caps
(data: services/intake/data/hotline.toml)."""
from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from shared.calendar import WorkCalendar

POLICY_FILE = Path(__file__).resolve().parent.parent / "data" / "hotline.toml"


@dataclass(frozen=True)
class Terms:
    priority: str
    caps: dict[str, Any]  # {"sign": {amount, unit}?, "resolve_by": ISO time} — read by supervision


@functools.cache
def policy(path: Path = POLICY_FILE) -> dict[str, Any]:
    with open(path, "rb") as f:
        return tomllib.load(f)


def kind_name(kind: str) -> str:
    name: str = policy()["kinds"][kind]["name"]
    return name


def terms(kind: str, urgent: bool, received_at: datetime, due_at: datetime | None, cal: WorkCalendar) -> Terms:
    p = policy()
    within = p["kinds"][kind]["resolve_within"]
    resolve_by = cal.add(received_at, within["amount"], within["unit"])
    if due_at is not None:
        resolve_by = min(resolve_by, due_at)
    caps: dict[str, Any] = {"resolve_by": resolve_by.isoformat()}
    priority = "normal"
    if urgent:
        priority = p["urgent"]["priority"]
        caps["sign"] = dict(p["urgent"]["sign_within"])
    return Terms(priority, caps)
