"""Every error the API answers, in one table: exception → (status, code). Bodies follow CONTRACTS.md §2:
{"error": {"code", "message", "details"}}."""
from __future__ import annotations

import json

import pydantic
from sqlalchemy import exc as sa_exc
from werkzeug.wrappers import Response

from services.feedback.api import UnknownOrder
from services.intake.api import IdempotencyConflict, OutsideCenter, UnknownAlertType
from services.media.api import EvidenceRefused, NotAPhoto, TooLarge
from shared.catalog import UnknownCategory, UnknownRegion, UnknownUnit
from shared.lifecycle import IllegalTransition, InvalidCommand
from shared.store.uow import NotFound


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, details: dict | None = None):
        self.status, self.code, self.message, self.details = status, code, message, details or {}
        super().__init__(message)


def bad_request(message, **details):
    return ApiError(400, "malformed_request", message, details)


def unauthorized(message="a valid bearer token is required"):
    return ApiError(401, "unauthorized", message)


def forbidden(message, **details):
    return ApiError(403, "forbidden", message, details)


def not_found(message="not found", **details):
    return ApiError(404, "not_found", message, details)


def too_large(limit: int):
    return ApiError(413, "payload_too_large", f"the request body is larger than {limit} bytes", {"limit": limit})


def unavailable(message, **details):
    return ApiError(503, "not_ready", message, details)


def _validation_details(exc: pydantic.ValidationError) -> dict:
    return {"errors": [{"field": ".".join(str(p) for p in e["loc"]) or "(body)", "problem": e["msg"]}
                       for e in exc.errors(include_url=False, include_input=False)]}


# exception class → (status, code); the first match wins
TABLE: list[tuple[type, int, str]] = [
    (IllegalTransition, 409, "illegal_transition"),
    (IdempotencyConflict, 409, "idempotency_conflict"),
    (EvidenceRefused, 422, "evidence_refused"),
    (InvalidCommand, 422, "invalid_command"),
    (UnknownCategory, 422, "unknown_category"),
    (UnknownRegion, 422, "unknown_region"),
    (UnknownUnit, 422, "unknown_unit"),
    (OutsideCenter, 422, "region_outside_center"),
    (UnknownAlertType, 422, "unknown_alert_type"),
    (NotFound, 404, "not_found"),
    (UnknownOrder, 404, "unknown_order"),
    (NotAPhoto, 422, "not_a_photo"),
    (TooLarge, 413, "payload_too_large"),
]


def to_api_error(exc: Exception) -> ApiError | None:
    if isinstance(exc, ApiError):
        return exc
    if isinstance(exc, (sa_exc.OperationalError, sa_exc.InterfaceError)) or getattr(exc, "connection_invalidated", False):
        # the database went away (restart, failover): the pool is invalidated and reconnects on the next request
        return ApiError(503, "not_ready", "the database is unavailable; retry shortly", {"retry_after_seconds": 2})
    if isinstance(exc, pydantic.ValidationError):
        return ApiError(422, "validation_failed", "the request is valid JSON but its content is not",
                        _validation_details(exc))
    for cls, status, code in TABLE:
        if isinstance(exc, cls):
            details = {}
            if isinstance(exc, IllegalTransition):
                details = {"action": exc.action, "status": exc.status, "reason": exc.reason}
            elif isinstance(exc, EvidenceRefused):
                details = dict(exc.details)  # the rule, the photo, the measured figure and the limit
            message = str(exc)
            return ApiError(status, code, message, details)
    return None


def error_response(err: ApiError) -> Response:
    body = {"error": {"code": err.code, "message": err.message, "details": err.details}}
    headers = {"WWW-Authenticate": "Bearer"} if err.status == 401 else {}
    if err.status in (429, 503):
        headers["Retry-After"] = str(err.details.get("retry_after_seconds", 2))
    return Response(json.dumps(body, ensure_ascii=False), status=err.status, mimetype="application/json",
                    headers=headers)
