"""The gateway's route table. Each route is declared once, with its roles, body model and query
parameters; the same declaration registers the nameko HTTP entrypoint, does the common work (auth,
body size, JSON, validation, error mapping) and produces `/openapi.json` — so the document is exactly
what is served."""
from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import structlog
from nameko.web.handlers import http
from pydantic import BaseModel
from werkzeug.wrappers import Response

from services.gateway import errors
from services.gateway.auth import authenticate

log = structlog.get_logger("yiwang.gateway")
ERROR_SCHEMA = {"type": "object", "required": ["error"], "properties": {"error": {
    "type": "object", "required": ["code", "message", "details"],
    "properties": {"code": {"type": "string"}, "message": {"type": "string"}, "details": {"type": "object"}}}}}
STATUS_TEXT = {429: "Over a rate limit (see Retry-After)", 400: "Malformed request", 401: "No or bad token", 403: "Outside the token's role or region",
               404: "Unknown", 409: "Illegal state transition or conflict", 413: "Body too large",
               422: "Valid JSON, invalid content", 503: "Not ready"}


@dataclass
class Query:
    name: str
    type: str = "string"
    description: str = ""
    enum: tuple[str, ...] | None = None
    minimum: int | None = None
    maximum: int | None = None


@dataclass
class Route:
    method: str
    path: str
    summary: str
    roles: frozenset[str] | None        # None: no token needed
    body: type[BaseModel] | None = None
    status: int = 200
    query: list[Query] = field(default_factory=list)
    response: dict | None = None        # JSON schema of the success body
    media_type: str = "application/json"  # of the success body
    upload: str | None = None           # a multipart upload: the name of its file field
    also: tuple[int, ...] = ()          # error statuses beyond those the declaration implies
    fn: Callable | None = None
    tag: str = "cases"
    signed: bool = False                # a 12345 webhook: HMAC signature and timestamp checked on the raw body


# Routes served by their own code rather than through `Api.route` (Open311, with its form bodies and error lists)
# describe themselves with `describe`; every `Api.openapi()` document includes them as given.
DESCRIBED: dict[str, dict[str, dict]] = {}  # path → method → OpenAPI operation object
DESCRIBED_SCHEMAS: dict[str, dict] = {}     # the component schemas they refer to


def describe(method: str, path: str, operation: dict, schemas: dict | None = None) -> None:
    DESCRIBED.setdefault(path, {})[method.lower()] = operation
    DESCRIBED_SCHEMAS.update(schemas or {})


def json_response(body: Any, status: int = 200, headers: dict | None = None) -> Response:
    return Response(json.dumps(body, ensure_ascii=False, default=str), status=status, mimetype="application/json",
                    headers=headers or {})


class Api:
    def __init__(self) -> None:
        self.routes: list[Route] = []

    def route(self, method: str, path: str, summary: str, *, roles=None, body=None, status=200, query=(),
              response=None, tag="cases", signed=False, media_type="application/json", upload=None, also=()):
        spec = Route(method, path, summary, frozenset(roles) if roles is not None else None, body, status,
                     list(query), response, media_type, upload, tuple(also), tag=tag, signed=signed)
        self.routes.append(spec)
        rule = re.sub(r"\{(\w+)\}", r"<\1>", path)

        def deco(fn):
            spec.fn = fn

            @functools.wraps(fn)
            def entrypoint(service, request, **path_args):
                return handle(service, spec, request, path_args)
            return http(method, rule)(entrypoint)
        return deco

    # ---- OpenAPI ---------------------------------------------------------------------------------
    def openapi(self, title: str, version: str) -> dict:
        components: dict[str, Any] = {"Error": ERROR_SCHEMA}
        paths: dict[str, dict] = {}
        for r in self.routes:
            op: dict[str, Any] = {"summary": r.summary, "tags": [r.tag],
                                  "operationId": f"{r.method.lower()}_{re.sub(r'[^a-z0-9]+', '_', r.path.lower()).strip('_')}"}
            params = [{"name": n, "in": "path", "required": True, "schema": {"type": "string"}}
                      for n in re.findall(r"\{(\w+)\}", r.path)]
            for q in r.query:
                schema: dict[str, Any] = {"type": q.type}
                if q.enum:
                    schema["enum"] = list(q.enum)
                if q.minimum is not None:
                    schema["minimum"] = q.minimum
                if q.maximum is not None:
                    schema["maximum"] = q.maximum
                params.append({"name": q.name, "in": "query", "required": False, "schema": schema,
                               "description": q.description})
            if params:
                op["parameters"] = params
            if r.body is not None:
                schema = r.body.model_json_schema(ref_template="#/components/schemas/{model}")
                for name, sub in schema.pop("$defs", {}).items():
                    components[name] = sub
                components[r.body.__name__] = schema
                op["requestBody"] = {"required": True, "content": {"application/json": {
                    "schema": {"$ref": f"#/components/schemas/{r.body.__name__}"}}}}
            if r.upload:
                op["requestBody"] = {"required": True, "content": {"multipart/form-data": {"schema": {
                    "type": "object", "required": [r.upload],
                    "properties": {r.upload: {"type": "string", "format": "binary"}}}}}}
            ok = {"description": "OK", "content": {r.media_type: {"schema": r.response or {"type": "object"}}}}
            op["responses"] = {str(r.status): ok}
            if r.signed:  # a 12345 platform's retry: answered as before, nothing done again
                op["responses"]["200"] = {**ok, "description": "Already taken (a retry): the same case, unchanged"}
            codes = [400, 413, 422] if r.body is not None or r.upload else []
            if r.query:
                codes.append(422)
            if r.roles is not None:
                codes = [401, 403] + codes
            if "{" in r.path:
                codes.append(404)
            if r.method == "POST" and ("/cases/" in r.path or r.signed):
                codes.append(409)
            if r.signed:
                op["parameters"] = op.get("parameters", []) + [
                    {"name": "X-Yiwang-Signature", "in": "header", "required": True, "schema": {"type": "string"},
                     "description": "sha256=<hex HMAC-SHA256, with the shared secret, of \"<timestamp>.<raw body>\">"},
                    {"name": "X-Yiwang-Timestamp", "in": "header", "required": True, "schema": {"type": "string"},
                     "description": "Unix seconds; refused when more than 5 minutes off"}]
                codes.append(503)
            if r.path == "/readyz":
                codes.append(503)
            codes += r.also
            if r.method in ("POST", "PUT", "PATCH", "DELETE"):
                codes.append(429)
            for c in sorted(set(codes)):
                op["responses"][str(c)] = {"description": STATUS_TEXT[c], "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Error"}}}}
            if r.roles is not None:
                op["security"] = [{"bearer": []}]
                op["description"] = "Roles: " + ", ".join(sorted(r.roles))
            paths.setdefault(r.path, {})[r.method.lower()] = op
        for path, ops in DESCRIBED.items():
            paths.setdefault(path, {}).update(ops)
        components.update(DESCRIBED_SCHEMAS)
        return {"openapi": "3.1.0", "info": {"title": title, "version": version}, "paths": paths,
                "components": {"schemas": components,
                               "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}}}


def read_raw(request, limit: int) -> bytes:
    """The request body, whatever its transfer encoding; 413 past `limit` bytes."""
    length = request.content_length
    if length is not None and length > limit:
        raise errors.too_large(limit)
    chunked = "chunked" in request.headers.get("Transfer-Encoding", "").lower()
    # werkzeug reads nothing of a body without a Content-Length unless the server says the input ends; the WSGI
    # server (eventlet) de-chunks `wsgi.input` itself, so a chunked body is read from there
    stream = request.environ["wsgi.input"] if chunked and length is None else request.stream
    raw = _read_up_to(stream, limit + 1)
    if len(raw) > limit:
        raise errors.too_large(limit)
    return raw


def _read_up_to(stream, size: int) -> bytes:
    parts, left = [], size
    while left > 0:
        part = stream.read(min(left, 65536))
        if not part:
            break
        parts.append(part)
        left -= len(part)
    return b"".join(parts)


def parse_json(raw: bytes) -> Any:
    if not raw.strip():
        raise errors.bad_request("the request body is empty; send a JSON object")
    try:
        return json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise errors.bad_request("the request body is not UTF-8") from None
    except json.JSONDecodeError as exc:
        raise errors.bad_request(f"the request body is not valid JSON: {exc.msg} at line {exc.lineno} "
                                 f"column {exc.colno}") from None


def handle(service, spec: Route, request, path_args: dict) -> Response:
    try:
        caller = None
        service.limits.check(request.method, request.remote_addr, None)  # per address, before anything else
        if spec.roles is not None:
            caller = authenticate(service.store.session, request, service.settings.admin_token, service.store.now())
            service.limits.check(request.method, None, f"{caller.role}:{caller.token_id or caller.name}")
            if caller.role not in spec.roles:
                raise errors.forbidden(f"role {caller.role} may not {spec.summary[0].lower() + spec.summary[1:]}",
                                       allowed_roles=sorted(spec.roles))
        kwargs = dict(path_args)
        if spec.body is not None:
            raw = read_raw(request, service.settings.max_body_bytes)
            if spec.signed:
                service.verify_signature(request, raw)
            data = parse_json(raw)
            if not isinstance(data, dict):
                raise errors.ApiError(422, "validation_failed", "the request body must be a JSON object")
            kwargs["body"] = spec.body.model_validate(data)
        assert spec.fn is not None  # Api.route's decorator set it before the route was served
        result = spec.fn(service, request, caller, **kwargs)
        if isinstance(result, Response):
            return result
        return json_response(result, spec.status)
    except Exception as exc:
        err = errors.to_api_error(exc)
        if err is None:
            log.exception("unexpected error", path=request.path)
            err = errors.ApiError(500, "internal_error", "an unexpected error occurred; it has been logged")
        elif err.status >= 500:
            log.warning("not ready", error=err.message)
        return errors.error_response(err)
