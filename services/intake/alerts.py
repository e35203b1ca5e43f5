"""Sensor alerts (`POST /api/v1/alerts`): being written."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AlertResult:
    case_id: str | None
    grouped: bool


def receive(store, alert, actor: str) -> AlertResult:
    raise NotImplementedError
