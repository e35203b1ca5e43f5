"""The HTTP gateway of a center: thin routes that authorise, validate and call the owning service's
handler (in this worker, in one transaction with the outbox), then answer."""
from __future__ import annotations

from datetime import datetime, timedelta

from kombu import Connection
from nameko.web.handlers import http
from sqlmodel import func, select

from services.dispatch import handlers as dispatch
from services.feedback import handlers as feedback
from services.feedback import visits
from services.feedback.domain.indicators import INDICATORS
from services.gateway import errors
from services.gateway.api import Api, Query, json_response
from services.gateway.auth import create_token
from services.gateway.open311 import Open311Routes
from services.gateway.views import CASE_SCHEMA, case_public, iso
from services.intake import alerts, hotline
from services.intake import handlers as intake
from services.intake.domain.reports import place
from services.supervision import handlers as supervision
from services.supervision.adapters.tables import CaseDeadline
from services.triage import handlers as triage
from shared import lifecycle
from shared.catalog import load_catalog
from shared.clock import CHINA
from shared.config import process_settings
from shared.contracts import api as m
from shared.extensions.database import Store
from shared.extensions.observed import Observed
from shared.hotline import signing
from shared.store.tables import Case, Reporter, TimelineEntry

api = Api()
STAFF = {"admin", "dispatcher"}
READERS = {"admin", "dispatcher", "handler", "gridworker", "viewer"}
ANY = {"admin", "dispatcher", "handler", "gridworker", "hotline", "sensor", "viewer", "citizen"}
HANDLER_ACTIONS = {"accept", "return", "resolve", "extend"}
PAGE_MAX = 100


class GatewayService(Open311Routes):
    name = "gateway"
    store = Store()
    obs = Observed()

    settings = property(lambda self: process_settings())
    admin_token = property(lambda self: self.settings.admin_token)
    max_body_bytes = property(lambda self: self.settings.max_body_bytes)

    @http("GET,POST,PUT,PATCH,DELETE", "/<path:rest>")
    def unknown_route(self, request, rest=""):
        return errors.error_response(errors.not_found(f"no route {request.method} {request.path}"))

    # ---- health --------------------------------------------------------------------------------
    @api.route("GET", "/livez", "Liveness", tag="health", response={"type": "object"})
    def livez(self, request, caller):
        return {"status": "ok"}

    @api.route("GET", "/readyz", "Readiness: broker and database reachable", tag="health")
    def readyz(self, request, caller):
        problems = {}
        try:
            with self.store.session() as s:
                s.exec(select(1)).one()
        except Exception as exc:
            problems["database"] = str(exc).splitlines()[0][:200]
        try:
            with Connection(self.settings.amqp_uri, connect_timeout=2) as conn:
                conn.ensure_connection(max_retries=1, timeout=2)
        except Exception as exc:
            problems["broker"] = str(exc)[:200]
        if problems:
            raise errors.unavailable("not ready: " + ", ".join(sorted(problems)), **problems)
        return {"status": "ready", "center": self.store.center}

    @api.route("GET", "/openapi.json", "This document", tag="health")
    def openapi(self, request, caller):
        return api.openapi("Yiwang center API", "1")

    # ---- tokens and catalog --------------------------------------------------------------------
    @api.route("POST", "/api/v1/tokens", "Create a token", roles={"admin"}, body=m.TokenIn, status=201,
               tag="admin")
    def create_token(self, request, caller, body: m.TokenIn):
        if not caller.sees(body.region):
            raise errors.forbidden(f"an admin of {caller.region} cannot create tokens for {body.region}")
        with self.store.session() as s:
            token = create_token(s, role=body.role, region=body.region, unit=body.unit, name=body.name,
                                 now=self.store.now())
        return {"token": token, "role": body.role, "region": body.region, "unit": body.unit, "name": body.name}

    @api.route("GET", "/api/v1/catalog", "Read the catalog", roles=ANY, tag="catalog")
    def catalog(self, request, caller):
        return load_catalog().as_dict(self.store.center)

    # ---- intake --------------------------------------------------------------------------------
    @api.route("POST", "/api/v1/reports", "Submit a report", roles={"gridworker", "dispatcher", "admin"},
               body=m.ReportIn, status=202, tag="intake")
    def report(self, request, caller, body: m.ReportIn):
        key = request.headers.get("Idempotency-Key")
        if key is not None and not 1 <= len(key) <= 128:
            raise errors.ApiError(422, "validation_failed", "Idempotency-Key must be 1 to 128 characters")
        self._check_region(caller, body.region, body.location)
        source = "grid" if caller.role == "gridworker" else "desk"
        scope = f"token:{caller.token_id or caller.name}"
        result = intake.submit_report(self.store, body, source=source, actor=caller.actor,
                                      idempotency=(scope, key) if key else None)
        return json_response({"case_id": result.case_id, "status": result.status}, 202,
                             {"Location": f"/api/v1/cases/{result.case_id}"})

    @api.route("POST", "/api/v1/alerts", "Submit a sensor alert", roles={"sensor"}, body=m.AlertIn, status=202,
               tag="intake")
    def alert(self, request, caller, body: m.AlertIn):
        self._check_region(caller, None, body.location)
        result = alerts.receive(self.store, body, actor=caller.actor)
        return json_response({"case_id": result.case_id, "grouped": result.grouped}, 202,
                             {"Location": f"/api/v1/cases/{result.case_id}"} if result.case_id else None)

    # ---- 12345 hotline ---------------------------------------------------------------------------
    def verify_signature(self, request, raw: bytes) -> str:
        secret = self.settings.hotline_secret
        if not secret:
            raise errors.unavailable("the 12345 integration is not configured here (YIWANG_HOTLINE_SECRET)")
        try:
            return signing.verify(request.headers, raw, secret)  # real time: the clocks of two systems
        except signing.BadSignature as exc:
            raise errors.ApiError(401, exc.code, str(exc)) from None

    @api.route("POST", "/api/v1/hotline/orders", "Take a 12345 work order", roles={"hotline"},
               body=m.HotlineOrderIn, status=202, tag="hotline", signed=True)
    def hotline_order(self, request, caller, body: m.HotlineOrderIn, signature: str):
        self._check_region(caller, body.region, body.location)
        result = hotline.take_order(self.store, body, signature, actor=caller.actor)
        return json_response({"case_id": result.case_id}, 202, {"Location": f"/api/v1/cases/{result.case_id}"})

    @api.route("POST", "/api/v1/hotline/visits", "Record a 12345 satisfaction visit (回访)", roles={"hotline"},
               body=m.VisitIn, status=202, tag="hotline", signed=True)
    def hotline_visit(self, request, caller, body: m.VisitIn, signature: str):
        case_id = visits.take_visit(self.store, body, signature, actor=caller.actor, sees=caller.sees)
        return json_response({"case_id": case_id}, 202)

    # ---- cases ---------------------------------------------------------------------------------
    @api.route("GET", "/api/v1/cases", "List cases", roles=READERS, query=[
        Query("status", enum=lifecycle.STATUSES), Query("category"), Query("region"), Query("unit"),
        Query("light", enum=("green", "yellow", "red")), Query("overdue", "boolean"),
        Query("source", enum=("hotline", "grid", "sensor", "open311", "desk")),
        Query("from", description="created at or after (ISO 8601 date or time)"),
        Query("to", description="created before"), Query("page", "integer", minimum=1, maximum=10_000),
        Query("page_size", "integer", minimum=1, maximum=PAGE_MAX)])
    def list_cases(self, request, caller):
        a = request.args
        page, size = _int(a, "page", 1, 1, 10_000), _int(a, "page_size", 20, 1, PAGE_MAX)
        q = select(Case).where(*_scope(caller))
        for name in ("status", "category", "unit", "source"):
            if a.get(name):
                q = q.where(getattr(Case, name) == a[name])
        if a.get("region"):
            load_catalog().regions.get(a["region"])
            if not caller.sees(a["region"]):
                raise errors.forbidden(f"region {a['region']} is outside this token's region {caller.region}")
            regions = load_catalog().regions
            q = q.where(Case.region.in_(regions.subtree(a["region"])))
        if a.get("light") or a.get("overdue"):
            overdue = None if not a.get("overdue") else a["overdue"].lower() in ("true", "1", "yes")
            q = q.where(Case.id.in_(supervision.case_ids_with_light(a.get("light"), overdue)))
        if a.get("from"):
            q = q.where(Case.created_at >= _time(a["from"], "from"))
        if a.get("to"):
            q = q.where(Case.created_at < _time(a["to"], "to"))
        with self.store.session() as s:
            total = s.exec(select(func.count()).select_from(q.subquery())).one()
            rows = s.exec(q.order_by(Case.created_at.desc(), Case.id.desc()).offset((page - 1) * size).limit(size)).all()
            dl = supervision.deadlines_of(s, [r.id for r in rows])
        return {"items": [case_public(r, dl.get(r.id), None, caller.role) for r in rows],
                "page": page, "page_size": size, "total": total}

    @api.route("GET", "/api/v1/cases/{case_id}", "Read a case with its timeline", roles=READERS,
               response=CASE_SCHEMA)
    def get_case(self, request, caller, case_id):
        with self.store.session() as s:
            return self._view(s, self._visible(s, case_id, caller), caller)

    # ---- case actions --------------------------------------------------------------------------
    def _act(self, caller, case_id, action, run):
        guard = self._guard(caller, action)
        case = run(guard)
        with self.store.session() as s:
            return self._view(s, s.get(Case, case.id), caller)

    @api.route("POST", "/api/v1/cases/{case_id}/accept", "Sign for a case (签收)", roles={"handler"}, body=m.ActionIn)
    def accept(self, request, caller, case_id, body):
        return self._act(caller, case_id, "accept", lambda g: dispatch.accept(self.store, case_id, caller.actor, body.note, g))

    @api.route("POST", "/api/v1/cases/{case_id}/return", "Return a case (退单)", roles={"handler"}, body=m.ReasonRequired)
    def return_(self, request, caller, case_id, body):
        return self._act(caller, case_id, "return", lambda g: dispatch.return_case(self.store, case_id, caller.actor, body.reason, g))

    @api.route("POST", "/api/v1/cases/{case_id}/transfer", "Transfer a case (转派)", roles=STAFF, body=m.TransferIn)
    def transfer(self, request, caller, case_id, body):
        return self._act(caller, case_id, "transfer",
                         lambda g: dispatch.transfer(self.store, case_id, caller.actor, body.unit, body.reason, g))

    @api.route("POST", "/api/v1/cases/{case_id}/escalate", "Escalate a case to the parent center (上报)",
               roles=STAFF | {"handler"}, body=m.ReasonRequired)
    def escalate(self, request, caller, case_id, body):
        """The owner escalates to its parent (上报); an ancestor's dispatcher takes a case of its subtree up (提级)."""
        with self.store.session() as s:
            owned = self._visible(s, case_id, caller).center == self.store.center
        if owned:
            return self._act(caller, case_id, "escalate",
                             lambda g: dispatch.escalate(self.store, case_id, caller.actor, body.reason, g))
        if caller.role not in STAFF:
            raise errors.forbidden("only a dispatcher of an ancestor center can take a case up")
        return self._act(caller, case_id, "take-up",
                         lambda g: dispatch.take_up(self.store, case_id, caller.actor, body.reason, g))

    @api.route("POST", "/api/v1/cases/{case_id}/resolve", "Resolve a case (办结)", roles={"handler"}, body=m.ResolveIn)
    def resolve(self, request, caller, case_id, body):
        return self._act(caller, case_id, "resolve",
                         lambda g: dispatch.resolve(self.store, case_id, caller.actor, body.note, body.media, g))

    @api.route("POST", "/api/v1/cases/{case_id}/verify", "Verify a fix (核查)", roles=STAFF | {"gridworker"},
               body=m.VerifyIn)
    def verify(self, request, caller, case_id, body):
        return self._act(caller, case_id, "verify",
                         lambda g: supervision.verify(self.store, case_id, caller.actor, body.passed, body.note, g))

    @api.route("POST", "/api/v1/cases/{case_id}/extend", "Request an extension (延期)", roles={"handler"}, body=m.ExtendIn)
    def extend(self, request, caller, case_id, body):
        return self._act(caller, case_id, "extend", lambda g: supervision.request_extension(
            self.store, case_id, caller.actor, body.reason, body.hours, body.working_days, g))

    @api.route("POST", "/api/v1/cases/{case_id}/decide-extension", "Decide an extension request", roles=STAFF,
               body=m.DecideExtensionIn)
    def decide_extension(self, request, caller, case_id, body):
        return self._act(caller, case_id, "decide-extension", lambda g: supervision.decide_extension(
            self.store, case_id, caller.actor, body.approved, body.note, g))

    @api.route("POST", "/api/v1/cases/{case_id}/supervise", "Supervise a case (督办)", roles=STAFF, body=m.ActionIn)
    def supervise(self, request, caller, case_id, body):
        return self._act(caller, case_id, "supervise", lambda g: supervision.supervise(self.store, case_id, caller.actor, body.note, g))

    @api.route("POST", "/api/v1/cases/{case_id}/reopen", "Reopen a case for rework (重办)", roles=STAFF,
               body=m.ReasonRequired)
    def reopen(self, request, caller, case_id, body):
        return self._act(caller, case_id, "reopen", lambda g: feedback.reopen(self.store, case_id, caller.actor, body.reason, g))

    @api.route("POST", "/api/v1/cases/{case_id}/merge", "Merge a duplicate into another case (并单)", roles=STAFF,
               body=m.MergeIn)
    def merge(self, request, caller, case_id, body):
        return self._act(caller, case_id, "merge", lambda g: triage.merge(self.store, case_id, body.into, caller.actor, g))

    @api.route("POST", "/api/v1/cases/{case_id}/split", "Split a merged case back out (拆单)", roles=STAFF,
               body=m.SplitIn)
    def split(self, request, caller, case_id, body):
        return self._act(caller, case_id, "split", lambda g: triage.split(self.store, case_id, body.reason, caller.actor, g))

    @api.route("POST", "/api/v1/cases/{case_id}/reject", "Reject a report (不予立案)", roles=STAFF, body=m.ReasonRequired)
    def reject(self, request, caller, case_id, body):
        return self._act(caller, case_id, "reject", lambda g: triage.reject(self.store, case_id, body.reason, caller.actor, g))

    @api.route("POST", "/api/v1/cases/{case_id}/close", "Close a case (结案)", roles=STAFF, body=m.ActionIn)
    def close(self, request, caller, case_id, body):
        return self._act(caller, case_id, "close", lambda g: feedback.close(self.store, case_id, caller.actor, body.note, g))

    # ---- evaluation and board ------------------------------------------------------------------
    @api.route("GET", "/api/v1/evaluation", "Evaluate units or regions over a period (行政问效)", roles=READERS,
               tag="evaluation", query=[Query("period", description="YYYY-MM"), Query("from"), Query("to"),
                                        Query("by", enum=("unit", "region"))])
    def evaluation(self, request, caller):
        a = request.args
        by = a.get("by", "unit")
        if by not in ("unit", "region"):
            raise errors.ApiError(422, "validation_failed", "by must be unit or region")
        start, end = _period(a)
        with self.store.session() as s:
            rows = feedback.evaluate(s, start, end, by, within=caller.sees)
        for row in rows:
            for name in INDICATORS:
                row[name]["cases_link"] = f"/api/v1/cases?from={start.date()}&to={end.date()}"
        return {"from": iso(start), "to": iso(end), "by": by, "rows": rows}

    @api.route("GET", "/api/v1/board", "The situation board", roles=READERS, tag="evaluation")
    def board(self, request, caller):
        scope = _scope(caller)
        with self.store.session() as s:
            def counts(col):
                return dict(s.exec(select(col, func.count()).where(*scope).group_by(col)).all())
            lights = dict(s.exec(select(CaseDeadline.light, func.count()).join(Case, Case.id == CaseDeadline.case_id)
                                 .where(*scope, Case.status.in_(tuple(lifecycle.OPEN))).group_by(CaseDeadline.light)).all())
            overdue = s.exec(select(Case, CaseDeadline).join(CaseDeadline, Case.id == CaseDeadline.case_id)
                             .where(*scope, CaseDeadline.overdue.is_(True)).limit(50)).all()
            warnings = s.exec(select(TimelineEntry).join(Case, Case.id == TimelineEntry.case_id)
                              .where(*scope, TimelineEntry.type.in_(("due_soon", "overdue", "supervised")))
                              .order_by(TimelineEntry.id.desc()).limit(20)).all()
        return {"center": self.store.center, "by_status": counts(Case.status), "by_category": counts(Case.category),
                "by_light": lights,
                "overdue": [{"id": c.id, "unit": c.unit, "stage": d.stage, "due": iso(d.due(d.stage))}
                            for c, d in overdue],
                "warnings": [{"case_id": w.case_id, "type": w.type, "at": iso(w.at), "unit": w.unit,
                              "center": w.center, "stage": (w.data or {}).get("stage"),
                              "level": (w.data or {}).get("level"), "note": w.note} for w in warnings]}

    # ---- helpers ---------------------------------------------------------------------------------
    def _check_region(self, caller, region, location=None):
        """Where intake will place the report (its region, else its location's, else this center's) must be inside
        the token's region. An unknown region is a 422 before any question of scope."""
        placed = place(region, self.store.center, load_catalog().regions,
                       location.lon if location else None, location.lat if location else None).region
        if not caller.sees(placed):
            raise errors.forbidden(f"region {placed} is outside this token's region {caller.region}")

    def _visible(self, s, case_id, caller) -> Case:
        case = s.get(Case, case_id)
        if case is None or not caller.sees(case.region):
            raise errors.not_found(f"case {case_id} not found")
        return case

    def _view(self, s, case, caller):
        timeline = s.exec(select(TimelineEntry).where(TimelineEntry.case_id == case.id)  # oldest first, as it happened
                          .order_by(TimelineEntry.at, TimelineEntry.id)).all()
        reporters = s.exec(select(Reporter).where(Reporter.case_id == case.id).order_by(Reporter.id)).all()
        return case_public(case, s.get(CaseDeadline, case.id), timeline, caller.role, reporters)

    def _guard(self, caller, action):
        center = self.store.center

        def guard(uow, case):
            if not caller.sees(case.region):
                raise errors.not_found(f"case {case.id} not found")
            if case.center != center and action not in ("supervise", "take-up"):
                raise errors.ApiError(409, "not_owner", f"case {case.id} is handled by center {case.center}; "
                                      f"this center follows it read-only", {"owner": case.center})
            if caller.role == "handler" and case.unit != caller.unit:
                raise errors.forbidden(f"case {case.id} is with unit {case.unit}, not {caller.unit}")
        return guard


def _scope(caller) -> list:
    regions = load_catalog().regions
    if caller.region == regions.root:
        return []
    return [Case.region.in_(regions.subtree(caller.region))]


def _int(args, name, default, lo, hi) -> int:
    raw = args.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise errors.ApiError(422, "validation_failed", f"{name} must be a whole number") from None
    if not lo <= value <= hi:
        raise errors.ApiError(422, "validation_failed", f"{name} must be between {lo} and {hi}")
    return value


def _time(raw: str, name: str) -> datetime:
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        raise errors.ApiError(422, "validation_failed", f"{name} must be an ISO 8601 date or time") from None
    return value if value.tzinfo else value.replace(tzinfo=CHINA)


def _period(args) -> tuple[datetime, datetime]:
    if args.get("period"):
        try:
            start = datetime.strptime(args["period"], "%Y-%m").replace(tzinfo=CHINA)
        except ValueError:
            raise errors.ApiError(422, "validation_failed", "period must be YYYY-MM") from None
        end = (start + timedelta(days=32)).replace(day=1)
        return start, end
    if args.get("from") and args.get("to"):
        start, end = _time(args["from"], "from"), _time(args["to"], "to")
        if end <= start:
            raise errors.ApiError(422, "validation_failed", "to must be after from")
        return start, end
    raise errors.ApiError(422, "validation_failed", "give period=YYYY-MM, or from and to")

