"""How clients see a case (CONTRACTS.md §3), and times as the API writes them (ISO 8601, China time)."""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from services.dispatch.api import tasks_of
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
                reporters=None, now: datetime | None = None) -> dict:
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
        "return_pending": case.return_pending, "suspension": case.suspension,
        "suspended_until": iso(case.suspended_until), "registration_pending": case.registration_pending,
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
        view["evidence"] = evidence_of(timeline)
        view["tasks"] = tasks_public(case, deadlines, timeline, now or datetime.now(UTC))
    return view


def tasks_public(case, deadlines: Deadlines | None, timeline, now: datetime) -> list[dict]:
    """The sub-tasks of joint handling (联合处置): one per unit, the lead's first — `{unit, role (lead|assisting),
    status, deadlines {sign, resolve}, light, overdue, whistle}`. The lead's sub-task is the case: its deadlines and
    light are the case's own. Empty when the case was never handled jointly."""
    out = []
    for t in sorted(tasks_of(timeline).values(), key=lambda t: t.role != "lead"):
        own = deadlines if t.role == "lead" and t.unit == case.unit else None
        light = own.light if own is not None and t.open else t.light(now)
        overdue = bool(own.overdue) if own is not None and t.open else (t.open and t.overdue(now))
        out.append({"unit": t.unit, "role": t.role, "status": t.status, "whistle": t.whistle,
                    "deadlines": {"sign": iso(own.sign if own is not None else t.sign_due),
                                  "resolve": iso(own.resolve if own is not None else t.resolve_due)},
                    "light": light, "overdue": overdue, "started_at": iso(t.started_at),
                    "accepted_at": iso(t.accepted_at), "resolved_at": iso(t.resolved_at),
                    "returned_at": iso(t.returned_at)})
    return out


def evidence_of(timeline) -> list[dict]:
    """The evidence of the photos of the latest resolve (issue 11 item 7), for the verifier: one object per photo."""
    resolved = [t for t in timeline if t.type == "resolved"]
    return list((resolved[-1].data or {}).get("evidence") or []) if resolved else []


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
                   "merged", "voided"]}, "timeline": {"type": "array", "items": {"type": "object"}}}}


def audit_entry(e) -> dict:
    """An entry of the audit chain (CONTRACTS.md §8). Its hash is over `at` in UTC (services/audit/domain/chain.py)."""
    return {"seq": e.seq, "hash": e.hash, "prev_hash": e.prev_hash, "actor": e.actor, "center": e.center,
            "at": iso(e.at), "reason": e.reason, "action": e.action, "subject": e.subject}


AUDIT_SCHEMA = {"type": "object", "required": ["items", "page", "page_size", "total", "head"], "properties": {
    "items": {"type": "array", "items": {"type": "object", "required": [
        "seq", "hash", "prev_hash", "actor", "center", "at", "reason", "action", "subject"], "properties": {
        "seq": {"type": "integer"}, "hash": {"type": "string"}, "prev_hash": {"type": "string"},
        "actor": {"type": "string"}, "center": {"type": "string"}, "at": {"type": "string", "format": "date-time"},
        "reason": {"type": ["string", "null"]}, "action": {"type": "string"}, "subject": {"type": "object"}}}},
    "page": {"type": "integer"}, "page_size": {"type": "integer"}, "total": {"type": "integer"},
    "head": {"type": "object", "properties": {"seq": {"type": "integer"}, "hash": {"type": "string"}}}}}
