"""How clients see a case (CONTRACTS.md §3), and times as the API writes them (ISO 8601, China time)."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from services.supervision.api import Deadlines
from shared.clock import CHINA
from shared.protect import shown, unseal

FULL_PHONE_ROLES = ("admin", "dispatcher", "hotline")  # the roles that call citizens back


def iso(dt: datetime | None) -> str | None:
    return dt.astimezone(CHINA).isoformat() if dt else None


def present(value: Any) -> Any:
    """A read model's answer with every time written as the API writes times."""
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, dict):
        return {k: present(v) for k, v in value.items()}
    if isinstance(value, list):
        return [present(v) for v in value]
    return value


def case_public(case, deadlines: Deadlines | None = None, timeline=None, role: str = "viewer",
                reporters=None) -> dict:
    view = {
        "id": case.id, "status": case.status, "source": case.source, "external_ref": case.external_ref,
        "description": case.description, "category": case.category, "priority": case.priority,
        "location": {"lon": case.lon, "lat": case.lat, "address": case.address},
        "region": case.region, "center": case.center, "unit": case.unit,
        "assisting_units": list(case.assisting_units or []),
        "deadlines": {s: iso(getattr(deadlines, s)) if deadlines else None
                      for s in ("sign", "resolve", "verify", "feedback")},
        "stage": deadlines.stage if deadlines else None,
        "light": deadlines.light if deadlines else "green",
        "overdue": deadlines.overdue if deadlines else False,
        "supervision_level": case.supervision_level, "rework_count": case.rework_count,
        "return_count": case.return_count, "extension_count": case.extension_count,
        "extension_pending": case.extension_pending, "merged_into": case.merged_into,
        "reporters_count": case.reporters_count, "satisfaction": case.satisfaction,
        "triage_rule": case.triage_rule, "media": list(case.media or []), "team": case.team,
        "alert_count": case.alert_count,
        "created_at": iso(case.created_at), "updated_at": iso(case.updated_at), "closed_at": iso(case.closed_at),
    }
    if reporters is not None:
        view["reporters"] = [{"name": r.name, "phone": shown(unseal(r.phone_sealed), role in FULL_PHONE_ROLES),
                              "source": r.source, "external_ref": r.external_ref, "reported_case_id": r.reported_case_id}
                             for r in reporters]
    if timeline is not None:
        view["timeline"] = [timeline_entry(t) for t in timeline]
    return view


def timeline_entry(t) -> dict:
    entry = {"at": iso(t.at), "type": t.type, "center": t.center, "actor": t.actor}
    if t.unit:
        entry["unit"] = t.unit
    if t.note:
        entry["note"] = t.note
    if t.data:
        entry["data"] = t.data
    return entry


CASE_SCHEMA = {"type": "object", "required": ["id", "status", "source", "region", "center", "timeline"],
               "properties": {"id": {"type": "string"}, "status": {"type": "string", "enum": [
                   "received", "triaged", "dispatched", "accepted", "resolved", "verified", "closed", "rejected",
                   "merged"]}, "timeline": {"type": "array", "items": {"type": "object"}}}}
