"""Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) under `/open311/v2/` of every center, in JSON:
`discovery`, `services`, `services/{service_code}`, `POST requests`, `requests`, `requests/{service_request_id}` and
`tokens/{token}`. Service codes are the catalog's category codes; a POSTed request becomes a case with source
`open311` at once, and its `service_request_id` is the case id. Errors are Open311's own: a JSON list of
`{code, description}`, with status 400, 403 or 404 (413 for a body over the gateway's limit, 503 when the database
is away). `GatewayService` mixes these routes in; `/openapi.json` describes them.

Choices where the spec leaves room:
- `api_key` is a gateway token. `POST requests` needs a `citizen` key (or an `admin` one); the case is placed in the
  key's region when that lies inside this center's, else in this center's own region. Reading needs no key: without
  one a center serves the requests of its own region's subtree, with one those of the key's region subtree (as the
  gateway's `caller.sees`). A key that is given must be valid (403). No answer carries a reporter's name, phone
  number or e-mail, and phone numbers in free text are masked.
- Requests are made at once (service `type` realtime; POST answers 200 as the Open311 swagger says), so a token is
  the request id itself: `tokens/{id}.json` answers `[{service_request_id, token}]` for a request the caller may see.
- A case is `closed` when closed, rejected or merged, else `open`; `status_notes` is the last note a person wrote on its timeline
  (for a merged case, the case it joined), `agency_responsible` its unit's name, `expected_datetime` its resolve
  deadline; times are W3C at +08:00.
- `GET requests`: newest first. `service_request_id` (a comma list) overrides the other filters; otherwise the
  window is `start_date`..`end_date`, at most 90 days: a missing end is start + 90 days, a missing start is end − 90
  days, neither is the last 90 days; a date-time without a zone is China time. The paging extension: `page` (from 1)
  and `page_size` (default and maximum 1000, the spec's limit).
- `description` is optional (the service name stands in) except for the catalog's "other" service. `email` and
  `device_id` are accepted and not stored; a `phone` that is not a Chinese number is dropped; with no address
  register here, an `address_id` is kept as the address text when no `address_string` is given.
- The `.json` suffix may be left out; any other format is a 400. A `jurisdiction_id`, when given, must be this
  center's region code (404 otherwise).
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl

import structlog
from nameko.web.handlers import http
from pydantic import BaseModel, ConfigDict, Field, HttpUrl, ValidationError, model_validator
from werkzeug.wrappers import Response

from services.gateway import errors
from services.gateway.auth import Caller, bearer
from services.gateway.limits import RateLimits
from services.gateway.routes import describe, json_response, read_raw
from services.intake import api as intake
from services.supervision import api as supervision
from shared import lifecycle
from shared.catalog import UnknownUnit, load_catalog
from shared.clock import CHINA
from shared.config import Settings
from shared.contracts.api import Location, Text
from shared.extensions.database import CenterStore
from shared.observability import mask_phone

log = structlog.get_logger("yiwang.gateway")

BASE = "/open311/v2"
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-11-23T00:00:00+08:00"  # when this API last changed (discovery)
POSTERS = frozenset({"citizen", "admin"})
WINDOW = timedelta(days=90)
PAGE_SIZE = 1000  # the spec's default limit, and the largest page
PAGE_MAX = 10_000
CASE_ID = "[0-9]{6}(?:[0-9]{3})?-[0-9]{8}-[0-9]{6,}"
SERVICE_CODE = "[0-9]{4}"
ATTRIBUTE = re.compile(r"^attribute\[([^\[\]]+)\](\[\])?$")
PHONE = re.compile(r"^(1[3-9][0-9]{9}|0[0-9]{9,11})$")  # a mobile, or a landline with its area code
CJK = re.compile(r"^[\u4e00-\u9fff·]+$")
DEADLINE_UNITS = {"minutes": "分钟", "hours": "小时", "working_hours": "个工作小时", "working_days": "个工作日"}
STATUS = {401: 403, 409: 400, 422: 400}  # a gateway error's status as Open311 answers it


class Open311Error(Exception):
    def __init__(self, status: int, description: str):
        self.status, self.description = status, description
        super().__init__(description)


def error_response(exc: Exception) -> Response:
    """Any exception as Open311's error list; call it inside the `except` block (unexpected ones are logged)."""
    if not isinstance(exc, Open311Error):
        err = errors.to_api_error(exc)
        if err is None:
            log.exception("unexpected error in an Open311 route")
            exc = Open311Error(500, "an unexpected error occurred; it has been logged")
        else:
            exc = Open311Error(STATUS.get(err.status, err.status), err.message)
    return json_response([{"code": exc.status, "description": exc.description}], exc.status)


# ---- services and their attributes -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Attribute:
    """A question a service asks beyond the core fields, answered as `attribute[code]=value`."""

    code: str
    datatype: str  # string | datetime | singlevaluelist
    required: bool
    description: str
    datatype_description: str | None = None
    values: tuple[tuple[str, str], ...] = ()

    def as_dict(self, order: int) -> dict:
        out = {"variable": True, "code": self.code, "datatype": self.datatype, "required": self.required,
               "datatype_description": self.datatype_description, "order": order, "description": self.description}
        if self.values:
            out["values"] = [{"key": k, "name": n} for k, n in self.values]
        return out


OCCURRED_AT = Attribute("occurred_at", "datetime", False, "问题发生或发现的时间；不填即提交时间",
                        "W3C 日期时间，如 2026-11-22T09:30:00+08:00")
CONDITION = Attribute("condition", "singlevaluelist", True, "部件的状况", values=(
    ("damaged", "破损"), ("missing", "缺失"), ("displaced", "移位或松动"), ("dirty", "脏污"), ("other", "其他")))
COMPONENT_ID = Attribute("component_id", "string", False, "部件编号：设施标识牌上的编号，看不到可不填",
                         "至多 40 个字符")


def attributes_of(category) -> tuple[Attribute, ...]:
    """Every service asks when; a facility (部件) also asks its condition and its number."""
    return (CONDITION, COMPONENT_ID, OCCURRED_AT) if category.kind == "部件" else (OCCURRED_AT,)


def notice_of(category) -> str:
    d = category.deadlines["resolve"]
    return f"{category.name}类问题按规定在 {d.amount:g} {DEADLINE_UNITS[d.unit]}内处置"


def service_of(category) -> dict:
    return {"service_code": category.code, "service_name": category.name,
            "description": f"{category.major_name}·{category.name}（{category.kind}）。{notice_of(category)}。",
            "metadata": True, "type": "realtime", "keywords": ", ".join(category.keywords),
            "group": category.major_name}


def _category(code: str, unknown_status: int):
    if not re.fullmatch(SERVICE_CODE, code):
        raise Open311Error(400, f"service_code {code!r} is not a service code (4 digits)")
    category = load_catalog().categories.get(code)
    if category is None:
        raise Open311Error(unknown_status, f"service_code {code} not found; GET services.json lists them")
    return category


# ---- POST requests ------------------------------------------------------------------------------------------------
class RequestForm(BaseModel):
    """The core fields of `POST requests.json`, checked before anything is stored (`api_key`, `jurisdiction_id`
    and the `attribute[CODE]` answers are read apart)."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    service_code: str = Field(pattern=f"^{SERVICE_CODE}$")
    lat: float | None = Field(default=None, ge=-90, le=90, allow_inf_nan=False)
    long: float | None = Field(default=None, ge=-180, le=180, allow_inf_nan=False)
    address_string: Text | None = Field(default=None, max_length=200)
    address_id: Text | None = Field(default=None, max_length=64)
    description: Text | None = Field(default=None, max_length=4000)
    media_url: HttpUrl | None = None
    email: str | None = Field(default=None, max_length=254)
    first_name: Text | None = Field(default=None, max_length=20)
    last_name: Text | None = Field(default=None, max_length=20)
    phone: str | None = Field(default=None, max_length=30)
    device_id: str | None = Field(default=None, max_length=100)
    account_id: str | None = Field(default=None, max_length=100)

    @model_validator(mode="after")
    def _located(self):
        if (self.lat is None) != (self.long is None):
            raise ValueError("give lat and long together")
        if self.lat is None and not (self.address_string or self.address_id):
            raise ValueError("a location is required: lat and long, address_string or address_id")
        if self.lat is not None:
            try:
                Location(lon=self.long, lat=self.lat)  # the gateway's own rule: inside China
            except ValidationError as exc:
                raise ValueError(_problems(exc)) from None
        return self


def _problems(exc: ValidationError) -> str:
    return "; ".join(("{}: ".format(".".join(map(str, e["loc"]))) if e["loc"] else "")
                     + e["msg"].removeprefix("Value error, ") for e in exc.errors(include_url=False))


def read_form(request, limit: int) -> tuple[dict[str, str], dict[str, list[str]]]:
    """A form-encoded body: its fields (each given once) and its `attribute[CODE]` answers."""
    if request.mimetype not in ("", "application/x-www-form-urlencoded"):
        raise Open311Error(400, "send the request as a form (application/x-www-form-urlencoded)")
    raw = read_raw(request, limit)
    try:
        pairs = parse_qsl(raw.decode("utf-8"), keep_blank_values=True, errors="strict", max_num_fields=100)
    except ValueError:  # not UTF-8, or too many fields
        raise Open311Error(400, "the form is not UTF-8 form encoding of at most 100 fields") from None
    fields: dict[str, str] = {}
    answers: dict[str, list[str]] = {}
    for key, value in pairs:
        if m := ATTRIBUTE.match(key):
            answers.setdefault(m[1], []).append(value)
        elif key in fields:
            raise Open311Error(400, f"{key} is given more than once")
        else:
            fields[key] = value
    return fields, answers


def read_answers(category, answers: dict[str, list[str]]) -> dict[str, str]:
    """The `attribute[CODE]` answers checked against the service definition."""
    asked = {a.code: a for a in attributes_of(category)}
    unknown = sorted(set(answers) - set(asked))
    if unknown:
        raise Open311Error(400, f"service {category.code} has no attribute {', '.join(unknown)}; "
                                f"GET services/{category.code}.json lists them")
    out = {}
    for a in asked.values():
        given = [v.strip() for v in answers.get(a.code, []) if v.strip()]
        if not given:
            if a.required:
                raise Open311Error(400, f"attribute[{a.code}] is required for service {category.code}: {a.description}")
            continue
        if len(given) > 1:
            raise Open311Error(400, f"attribute[{a.code}] takes one value")
        value = given[0]
        if a.values and value not in dict(a.values):
            raise Open311Error(400, f"attribute[{a.code}] must be one of {', '.join(k for k, _ in a.values)}")
        if a.datatype == "datetime":
            _when(value, f"attribute[{a.code}]")
        if a.datatype == "string" and len(value) > 40:
            raise Open311Error(400, f"attribute[{a.code}] may have at most 40 characters")
        out[a.code] = value
    return out


def reporter_name(first: str | None, last: str | None) -> str | None:
    """The name as it is written: family name first for Chinese names (first 小明, last 王 → 王小明)."""
    if first and last and CJK.match(first + last):
        return last + first
    return " ".join(p for p in (first, last) if p) or None


def china_phone(raw: str | None) -> str | None:
    """A Chinese mobile or landline number, normalised; anything else is dropped (it could not be called back)."""
    digits = re.sub(r"[\s()-]", "", raw or "").removeprefix("+86").removeprefix("0086")
    return digits if PHONE.match(digits) else None


# ---- GET requests -------------------------------------------------------------------------------------------------
def w3c(dt: datetime | None) -> str | None:
    return dt.astimezone(CHINA).isoformat(timespec="seconds") if dt else None


def _when(raw: str, name: str) -> datetime:
    """A W3C date-time; a date alone is midnight, and without a zone it is China time."""
    try:
        value = datetime.fromisoformat(raw.strip().upper())
    except ValueError:
        raise Open311Error(400, f"{name} must be a W3C date-time, e.g. 2026-11-22T09:30:00+08:00") from None
    if not 1970 <= value.year <= 2100:
        raise Open311Error(400, f"{name} must be between 1970 and 2100")
    return value if value.tzinfo else value.replace(tzinfo=CHINA)


def _window(args, now: datetime) -> tuple[datetime, datetime]:
    start = _when(args["start_date"], "start_date") if "start_date" in args else None
    end = _when(args["end_date"], "end_date") if "end_date" in args else None
    if start is None:
        end = end or now  # no end either: the last 90 days
        start = end - WINDOW
    elif end is None:
        end = start + WINDOW
    if end < start:
        raise Open311Error(400, "end_date is before start_date")
    if end - start > WINDOW:
        raise Open311Error(400, "start_date and end_date may be at most 90 days apart")
    return start, end


def _page(args, name: str, default: int, maximum: int) -> int:
    raw = args.get(name)
    if raw is None:
        return default
    if not re.fullmatch("[0-9]{1,6}", raw) or not 1 <= int(raw) <= maximum:
        raise Open311Error(400, f"{name} must be a whole number from 1 to {maximum}")
    return int(raw)


def _listed(args, name: str, pattern: str, example: str) -> list[str]:
    """A filter given as a comma list (or repeated) whose every item matches `pattern`."""
    items = ",".join(args.getlist(name)).split(",")
    if len(items) > PAGE_SIZE or not all(re.fullmatch(pattern, i) for i in items):
        raise Open311Error(400, f"{name} must be a comma list of at most {PAGE_SIZE} values like {example}")
    return items


def _request_id(value: str, name: str) -> str:
    if not re.fullmatch(CASE_ID, value):
        raise Open311Error(400, f"{name} {value!r} is not a service_request_id (like 320612001-20261122-000123)")
    return value


def _statuses(args) -> set[str]:
    chosen = set(_listed(args, "status", "open|closed", "open,closed"))
    return ((set(lifecycle.OPEN) if "open" in chosen else set())
            | (set(lifecycle.FINAL) if "closed" in chosen else set()))


def _agency(unit: str | None) -> str | None:
    try:
        return load_catalog().unit(unit).name if unit else None
    except UnknownUnit:
        return unit


def request_view(row: supervision.CaseRow) -> dict:
    """A case as an Open311 service request: closed, rejected and merged are `closed`, every other status `open`.
    Nothing about the reporter is shown, and phone numbers in free text are masked."""
    case, deadlines, note = row.case, row.deadlines, row.last_note
    catalog = load_catalog()
    code = case.category or catalog.other_category
    category = catalog.categories.get(code)
    closed = case.status in lifecycle.FINAL
    if case.status == lifecycle.MERGED:
        note = f"已并入案件 {case.merged_into} 一并办理"
    return {
        "service_request_id": case.id, "status": "closed" if closed else "open", "status_notes": mask_phone(note),
        "service_name": category.name if category else None, "service_code": code,
        "description": mask_phone(case.description)[:4000], "agency_responsible": _agency(case.unit),
        "service_notice": notice_of(category) if category else None,
        "requested_datetime": w3c(case.created_at),
        "updated_datetime": w3c(case.closed_at if closed and case.closed_at else case.updated_at),
        "expected_datetime": w3c(deadlines.resolve) if deadlines else None,
        "address": case.address, "address_id": None, "zipcode": None, "lat": case.lat, "long": case.lon,
        "media_url": case.media[0] if case.media else None,
    }


# ---- the document -------------------------------------------------------------------------------------------------
def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


TEXT = {"type": ["string", "null"]}
TIME = {"type": ["string", "null"], "format": "date-time"}
SCHEMAS = {
    "Open311Errors": {"type": "array", "minItems": 1, "items": {
        "type": "object", "required": ["code", "description"],
        "properties": {"code": {"type": "integer"}, "description": {"type": "string"}}}},
    "Open311Discovery": {"type": "object", "required": ["changeset", "contact", "key_service", "endpoints"],
                         "properties": {"changeset": {"type": "string"}, "contact": {"type": "string"},
                                        "key_service": {"type": "string"}, "endpoints": {"type": "array", "items": {
                                            "type": "object",
                                            "required": ["specification", "url", "changeset", "type", "formats"],
                                            "properties": {"specification": {"type": "string"},
                                                           "url": {"type": "string"}, "changeset": {"type": "string"},
                                                           "type": {"enum": ["production", "test"]},
                                                           "formats": {"type": "array",
                                                                       "items": {"type": "string"}}}}}}},
    "Open311Service": {"type": "object", "required": ["service_code", "service_name", "metadata", "type"],
                       "properties": {"service_code": {"type": "string"}, "service_name": {"type": "string"},
                                      "description": TEXT, "metadata": {"type": "boolean"},
                                      "type": {"enum": ["realtime", "batch", "blackbox"]}, "keywords": TEXT,
                                      "group": TEXT}},
    "Open311ServiceDefinition": {"type": "object", "required": ["service_code", "attributes"], "properties": {
        "service_code": {"type": "string"}, "attributes": {"type": "array", "items": {
            "type": "object", "required": ["variable", "code", "datatype", "required"],
            "properties": {"variable": {"type": "boolean"}, "code": {"type": "string"},
                           "datatype": {"enum": ["string", "number", "datetime", "text", "singlevaluelist",
                                                 "multivaluelist"]},
                           "required": {"type": "boolean"}, "datatype_description": TEXT,
                           "order": {"type": "integer"}, "description": {"type": "string"},
                           "values": {"type": "array", "items": {
                               "type": "object", "required": ["key", "name"],
                               "properties": {"key": {"type": "string"}, "name": {"type": "string"}}}}}}}}},
    "Open311Request": {"type": "object",
                       "required": ["service_request_id", "status", "service_code", "requested_datetime"],
                       "properties": {"service_request_id": {"type": "string"}, "status": {"enum": ["open", "closed"]},
                                      "status_notes": TEXT, "service_name": TEXT, "service_code": {"type": "string"},
                                      "description": {"type": ["string", "null"], "maxLength": 4000},
                                      "agency_responsible": TEXT, "service_notice": TEXT,
                                      "requested_datetime": {"type": "string", "format": "date-time"},
                                      "updated_datetime": TIME, "expected_datetime": TIME, "address": TEXT,
                                      "address_id": TEXT, "zipcode": TEXT, "lat": {"type": ["number", "null"]},
                                      "long": {"type": ["number", "null"]}, "media_url": TEXT}},
    "Open311Created": {"type": "object", "required": ["service_request_id"],
                       "properties": {"service_request_id": {"type": "string"}, "service_notice": TEXT,
                                      "account_id": TEXT}},
    "Open311Token": {"type": "object", "required": ["service_request_id", "token"],
                     "properties": {"service_request_id": {"type": "string"}, "token": {"type": "string"}}},
}
_FORM = RequestForm.model_json_schema()
SCHEMAS["Open311RequestForm"] = {
    **_FORM, "required": ["api_key", "service_code"],
    "properties": {"api_key": {"type": "string", "description": "a citizen token"},
                   "jurisdiction_id": {"type": "string"}, **_FORM["properties"]},
    "patternProperties": {ATTRIBUTE.pattern: {"type": "string", "description": "an attribute's answer"}}}
PATH_PARAMS = {"service_code": SERVICE_CODE, "service_request_id": CASE_ID, "token": CASE_ID}
STATUS_TEXT = {400: "Malformed or invalid request", 403: "Invalid api_key, or not allowed with it",
               404: "Unknown resource, or a jurisdiction_id that is not this center's",
               413: "Body larger than the gateway's limit"}


def _query(name: str, description: str, **schema) -> dict:
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": {"type": "string", **schema}}


API_KEY = _query("api_key", "a gateway token; without one, the requests of this center's region are shown")
LIST_QUERY = [
    API_KEY,
    _query("service_request_id", "comma list of request ids; overrides the other filters",
           pattern=f"^{CASE_ID}(,{CASE_ID})*$"),
    _query("service_code", "comma list of service codes", pattern=f"^{SERVICE_CODE}(,{SERVICE_CODE})*$"),
    _query("start_date", "earliest requested_datetime (at most 90 days before end_date)", format="date-time"),
    _query("end_date", "latest requested_datetime", format="date-time"),
    _query("status", "open, closed, or both (comma list)", pattern="^(open|closed)(,(open|closed))*$"),
    _query("page", "page number, from 1 (extension)", type="integer", minimum=1, maximum=PAGE_MAX),
    _query("page_size", "requests per page (extension)", type="integer", minimum=1, maximum=PAGE_SIZE),
]


def _operation(method: str, path: str, summary: str, response: dict, query: list, form: bool, codes) -> dict:
    params = [{"name": n, "in": "path", "required": True,
               "schema": {"type": "string", "pattern": f"^{PATH_PARAMS[n]}$"}} for n in re.findall(r"\{(\w+)\}", path)]
    params += [_query("jurisdiction_id", "this center's region code (optional)"), *query]
    op: dict[str, Any]
    op = {"summary": summary, "tags": ["open311"], "description": "Open311 GeoReport v2; `.json` may be left out.",
          "operationId": f"open311_{method.lower()}_{re.sub(r'[^a-z0-9]+', '_', path.lower()).strip('_')}",
          "parameters": params,
          "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": response}}}}}
    if form:
        op["requestBody"] = {"required": True, "content": {
            "application/x-www-form-urlencoded": {"schema": _ref("Open311RequestForm")}}}
    for code in codes:
        op["responses"][str(code)] = {"description": STATUS_TEXT[code],
                                      "content": {"application/json": {"schema": _ref("Open311Errors")}}}
    return op


def open311(method: str, path: str, summary: str, response: dict, *, query=(), form=False, codes=(400, 403, 404)):
    """Serve `BASE/path.json` (and `BASE/path`) with Open311's error list, and describe it in /openapi.json."""
    describe(method, f"{BASE}/{path}.json", _operation(method, path, summary, response, list(query), form, codes),
             SCHEMAS)
    rule = BASE + "/" + re.sub(r"\{(\w+)\}", r"<\1>", path)

    def deco(fn):
        @functools.wraps(fn)
        def entrypoint(self, request, fmt="json", **path_args):
            try:
                if fmt != "json":
                    raise Open311Error(400, f"format {fmt!r} is not served here; use .json")
                self.limits.check(request.method, request.remote_addr, None)
                self._open311_jurisdiction(request.args.get("jurisdiction_id"))
                return json_response(fn(self, request, **path_args))
            except Exception as exc:  # noqa: BLE001 - every error is answered in Open311's format
                return error_response(exc)
        return http(method, rule + ".<fmt>")(http(method, rule)(entrypoint))
    return deco


# ---- the routes ---------------------------------------------------------------------------------------------------
class Open311Routes:
    """Open311 GeoReport v2, mixed into `GatewayService` (uses its `store`, `settings` and `limits`)."""

    store: CenterStore  # what a worker of GatewayService gets from its dependencies
    settings: Settings
    limits: RateLimits

    @http("GET,POST,PUT,PATCH,DELETE", f"{BASE}/<path:rest>")
    def open311_unknown(self, request, rest=""):
        return error_response(Open311Error(404, f"no Open311 resource {request.method} {request.path}"))

    @open311("GET", "discovery", "Open311 service discovery", _ref("Open311Discovery"), codes=(404,))
    def open311_discovery(self, request):
        catalog = load_catalog()
        desk = catalog.unit_for(self.store.center, catalog.command_kind)
        return {"changeset": CHANGESET, "contact": f"{desk.name}（区划 {self.store.center}）",
                "key_service": "api_key 是本中心签发的 citizen 令牌：由管理员以 `yiwang token create --role citizen "
                               "--region <区划> --name <应用名>` 或 POST /api/v1/tokens 签发",
                "endpoints": [{"specification": SPECIFICATION, "url": f"{request.url_root.rstrip('/')}{BASE}/",
                               "changeset": CHANGESET, "type": "production", "formats": ["application/json"]}]}

    @open311("GET", "services", "Open311 service list: the catalog's categories",
             {"type": "array", "items": _ref("Open311Service")}, codes=(404,))
    def open311_services(self, request):
        return [service_of(c) for c in load_catalog().categories.values()]

    @open311("GET", "services/{service_code}", "Open311 service definition: its attributes",
             _ref("Open311ServiceDefinition"), codes=(400, 404))
    def open311_service(self, request, service_code):
        category = _category(service_code, 404)
        return {"service_code": category.code,
                "attributes": [a.as_dict(i) for i, a in enumerate(attributes_of(category), 1)]}

    @open311("POST", "requests", "Create an Open311 service request (a case with source open311)",
             {"type": "array", "items": _ref("Open311Created")}, form=True,
             query=[_query("api_key", "a citizen token, when not sent in the form")],
             codes=(400, 403, 404, 413))
    def open311_create(self, request):
        fields, answers = read_form(request, self.settings.max_body_bytes)
        self._open311_jurisdiction(fields.get("jurisdiction_id"))
        caller = self._open311_caller(fields.get("api_key") or request.args.get("api_key"))
        if caller is None:
            raise Open311Error(400, "api_key is required to create a service request")
        self.limits.check("POST", None, f"{caller.role}:{caller.token_id or caller.name}")
        if caller.role not in POSTERS:
            raise Open311Error(403, f"the api_key of a {caller.role} token cannot create requests; use a citizen key")
        try:
            form = RequestForm.model_validate({k: v for k, v in fields.items() if v.strip()})
        except ValidationError as exc:
            raise Open311Error(400, _problems(exc)) from None
        catalog = load_catalog()
        category = _category(form.service_code, 400)
        if not form.description and category.code == catalog.other_category:
            raise Open311Error(400, f"description is required for service {category.code} ({category.name}): "
                                    "say what the problem is")
        given = read_answers(category, answers)
        new = intake.NewCase(
            source="open311", description=form.description or category.name, category=category.code,
            lon=form.long, lat=form.lat, address=form.address_string or form.address_id,
            region=self._open311_region(caller), reporter_name=reporter_name(form.first_name, form.last_name),
            reporter_phone=china_phone(form.phone), media=[str(form.media_url)] if form.media_url else [],
            occurred_at=_when(given["occurred_at"], "occurred_at") if "occurred_at" in given else None,
            facts={k: v for k, v in (("attributes", given), ("address_id", form.address_id)) if v})
        accepted = intake.take_in(self.store, new, actor=caller.actor)
        return [{"service_request_id": accepted.case_id, "service_notice": notice_of(category),
                 "account_id": form.account_id}]

    @open311("GET", "requests", "Open311 service requests (newest first)",
             {"type": "array", "items": _ref("Open311Request")}, query=LIST_QUERY)
    def open311_requests(self, request):
        args = request.args
        caller = self._open311_reader(args)
        page, size = _page(args, "page", 1, PAGE_MAX), _page(args, "page_size", PAGE_SIZE, PAGE_SIZE)
        q = supervision.CaseQuery(within=caller.region, page=page, page_size=size, count=False, with_notes=True)
        if "service_request_id" in args:
            q = replace(q, ids=_listed(args, "service_request_id", CASE_ID, "320612001-20261122-000123"))
        else:
            start, end = _window(args, self.store.now())
            q = replace(q, created_from=start, created_until=end)
            if "service_code" in args:
                q = replace(q, categories=_listed(args, "service_code", SERVICE_CODE, "0101,1301"))
            if "status" in args:
                q = replace(q, statuses=sorted(_statuses(args)))
        return [request_view(row) for row in supervision.find_cases(self.store, q).items]

    @open311("GET", "requests/{service_request_id}", "One Open311 service request (a list of one)",
             {"type": "array", "items": _ref("Open311Request")}, query=[API_KEY])
    def open311_request(self, request, service_request_id):
        caller = self._open311_reader(request.args)
        q = supervision.CaseQuery(within=caller.region, ids=[_request_id(service_request_id, "service_request_id")],
                                  count=False, with_notes=True)
        rows = supervision.find_cases(self.store, q).items
        if not rows:
            raise Open311Error(404, f"case {service_request_id} not found")
        return [request_view(rows[0])]

    @open311("GET", "tokens/{token}", "The service_request_id of a token (a request's token is its id)",
             {"type": "array", "items": _ref("Open311Token")}, query=[API_KEY])
    def open311_token(self, request, token):
        caller = self._open311_reader(request.args)
        q = supervision.CaseQuery(within=caller.region, ids=[_request_id(token, "token")], count=False)
        if not supervision.find_cases(self.store, q).items:
            raise Open311Error(404, f"case {token} not found")
        return [{"service_request_id": token, "token": token}]

    # ---- helpers ------------------------------------------------------------------------------------------------
    def _open311_jurisdiction(self, jurisdiction_id: str | None) -> None:
        if jurisdiction_id and jurisdiction_id != self.store.center:
            raise Open311Error(404, f"jurisdiction_id {jurisdiction_id} is not served here; this center serves "
                                    f"jurisdiction {self.store.center}")

    def _open311_caller(self, api_key: str | None) -> Caller | None:
        """The token behind `api_key`, or None without one; a key that is given must be valid."""
        if not api_key:
            return None
        try:
            return bearer(self.store.session, api_key, self.settings.admin_token)
        except errors.ApiError:
            raise Open311Error(403, "the api_key is not valid") from None

    def _open311_reader(self, args) -> Caller:
        """Who reads: the api_key's token, or without one the public, who see this center's region."""
        return self._open311_caller(args.get("api_key")) or Caller("public", self.store.center, "anonymous")

    def _open311_region(self, caller: Caller) -> str | None:
        """Where a citizen's request is placed: the key's region when it lies inside this center's (None: here)."""
        regions = load_catalog().regions
        if regions.is_within(self.store.center, caller.region):
            return None
        if regions.is_within(caller.region, self.store.center):
            return caller.region
        raise Open311Error(403, f"this api_key is for region {caller.region}, outside this center's region "
                                f"{self.store.center}")
