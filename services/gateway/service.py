"""The HTTP gateway of a center: thin routes that authorise, validate and call the owning service's
handler (in this worker, in one transaction with the outbox), then answer."""
from __future__ import annotations

from datetime import datetime, timedelta

from nameko.web.handlers import http

from services.dispatch import api as dispatch
from services.feedback import api as feedback
from services.gateway import errors
from services.gateway.auth import Caller, create_token
from services.gateway.open311 import Open311Routes
from services.gateway.routes import Api, Query, json_response
from services.gateway.scope import STAFF, action_guard, check_placement
from services.gateway.views import CASE_SCHEMA, case_public, iso, present
from services.intake import api as intake
from services.supervision import api as supervision
from services.triage import api as triage
from shared import lifecycle
from shared.catalog import load_catalog
from shared.clock import CHINA
from shared.contracts import api as m
from shared.contracts import signing
from shared.extensions.database import Store
from shared.extensions.observed import Observed
from shared.extensions.settings import CenterSettings
from shared.messaging.publisher import broker_problem

api = Api()
READERS = {"admin", "dispatcher", "handler", "gridworker", "viewer"}
ANY = {"admin", "dispatcher", "handler", "gridworker", "hotline", "sensor", "viewer", "citizen"}
PAGE_MAX = 100


class GatewayService(Open311Routes):
    name = "gateway"
    store = Store()
    obs = Observed()

    settings = CenterSettings()

    @http("GET,POST,PUT,PATCH,DELETE", "/<path:rest>")
    def unknown_route(self, request, rest=""):
        return errors.error_response(errors.not_found(f"no route {request.method} {request.path}"))

    # ---- health --------------------------------------------------------------------------------
    @api.route("GET", "/livez", "Liveness", tag="health", response={"type": "object"})
    def livez(self, request, caller):
        return {"status": "ok"}

    @api.route("GET", "/readyz", "Readiness: broker and database reachable", tag="health")
    def readyz(self, request, caller):
        problems = {name: problem for name, problem in (("database", self.store.problem()),
                                                         ("broker", broker_problem(self.settings.amqp_uri)))
                    if problem}
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
        token = create_token(self.store.session, role=body.role, region=body.region, unit=body.unit,
                             name=body.name, now=self.store.now())
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
        check_placement(caller, self.store.center, body.region, body.location)
        source = "grid" if caller.role == "gridworker" else "desk"
        scope = f"token:{caller.token_id or caller.name}"
        result = intake.submit_report(self.store, body, source=source, actor=caller.actor,
                                      idempotency=(scope, key) if key else None)
        return json_response({"case_id": result.case_id, "status": result.status}, 202,
                             {"Location": f"/api/v1/cases/{result.case_id}"})

    @api.route("POST", "/api/v1/alerts", "Submit a sensor alert", roles={"sensor"}, body=m.AlertIn, status=202,
               tag="intake")
    def alert(self, request, caller, body: m.AlertIn):
        check_placement(caller, self.store.center, None, body.location)
        result = intake.receive_alert(self.store, body, actor=caller.actor)
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
        check_placement(caller, self.store.center, body.region, body.location)
        result = intake.take_order(self.store, body, signature, actor=caller.actor)
        return json_response({"case_id": result.case_id}, 202, {"Location": f"/api/v1/cases/{result.case_id}"})

    @api.route("POST", "/api/v1/hotline/visits", "Record a 12345 satisfaction visit (回访)", roles={"hotline"},
               body=m.VisitIn, status=202, tag="hotline", signed=True)
    def hotline_visit(self, request, caller, body: m.VisitIn, signature: str):
        case_id = feedback.take_visit(self.store, body, signature, actor=caller.actor, sees=caller.sees)
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
        region = a.get("region")
        if region:
            load_catalog().regions.get(region)  # raises UnknownRegion
            if not caller.sees(region):
                raise errors.forbidden(f"region {region} is outside this token's region {caller.region}")
        overdue = a["overdue"].lower() in ("true", "1", "yes") if a.get("overdue") else None
        page = supervision.find_cases(self.store, supervision.CaseQuery(
            within=caller.region, region=region, statuses=[a["status"]] if a.get("status") else [],
            categories=[a["category"]] if a.get("category") else [], unit=a.get("unit") or None,
            source=a.get("source") or None, light=a.get("light") or None, overdue=overdue or None,
            created_from=_time(a["from"], "from") if a.get("from") else None,
            created_before=_time(a["to"], "to") if a.get("to") else None,
            page=_int(a, "page", 1, 1, 10_000), page_size=_int(a, "page_size", 20, 1, PAGE_MAX)))
        return {"items": [case_public(r.case, r.deadlines, role=caller.role) for r in page.items],
                "page": page.page, "page_size": page.page_size, "total": page.total}

    @api.route("GET", "/api/v1/cases/{case_id}", "Read a case with its timeline", roles=READERS,
               response=CASE_SCHEMA)
    def get_case(self, request, caller, case_id):
        return self._view(case_id, caller)

    # ---- case actions --------------------------------------------------------------------------
    def _act(self, caller, case_id, run):
        """Run one action behind the caller's guard and answer with the case as it is now."""
        case = run(action_guard(caller, self.store.center))
        return self._view(case.id, caller)

    @api.route("POST", "/api/v1/cases/{case_id}/accept", "Sign for a case (签收)", roles={"handler"}, body=m.ActionIn)
    def accept(self, request, caller, case_id, body):
        return self._act(caller, case_id, lambda g: dispatch.accept(self.store, case_id, caller.actor, body.note, g))

    @api.route("POST", "/api/v1/cases/{case_id}/return", "Return a case (退单)", roles={"handler"}, body=m.ReasonRequired)
    def return_(self, request, caller, case_id, body):
        return self._act(caller, case_id, lambda g: dispatch.return_case(self.store, case_id, caller.actor, body.reason, g))

    @api.route("POST", "/api/v1/cases/{case_id}/transfer", "Transfer a case (转派)", roles=STAFF, body=m.TransferIn)
    def transfer(self, request, caller, case_id, body):
        return self._act(caller, case_id,
                         lambda g: dispatch.transfer(self.store, case_id, caller.actor, body.unit, body.reason, g))

    @api.route("POST", "/api/v1/cases/{case_id}/escalate", "Escalate a case to the parent center (上报)",
               roles=STAFF | {"handler"}, body=m.ReasonRequired)
    def escalate(self, request, caller, case_id, body):
        """The owner escalates to its parent (上报); an ancestor's dispatcher takes a case of its subtree up (提级)."""
        return self._act(caller, case_id,
                         lambda g: dispatch.escalate(self.store, case_id, caller.actor, body.reason, g))

    @api.route("POST", "/api/v1/cases/{case_id}/resolve", "Resolve a case (办结)", roles={"handler"}, body=m.ResolveIn)
    def resolve(self, request, caller, case_id, body):
        return self._act(caller, case_id,
                         lambda g: dispatch.resolve(self.store, case_id, caller.actor, body.note, body.media, g))

    @api.route("POST", "/api/v1/cases/{case_id}/verify", "Verify a fix (核查)", roles=STAFF | {"gridworker"},
               body=m.VerifyIn)
    def verify(self, request, caller, case_id, body):
        return self._act(caller, case_id,
                         lambda g: supervision.verify(self.store, case_id, caller.actor, body.passed, body.note, g))

    @api.route("POST", "/api/v1/cases/{case_id}/extend", "Request an extension (延期)", roles={"handler"}, body=m.ExtendIn)
    def extend(self, request, caller, case_id, body):
        return self._act(caller, case_id, lambda g: supervision.request_extension(
            self.store, case_id, caller.actor, body.reason, body.hours, body.working_days, g))

    @api.route("POST", "/api/v1/cases/{case_id}/decide-extension", "Decide an extension request", roles=STAFF,
               body=m.DecideExtensionIn)
    def decide_extension(self, request, caller, case_id, body):
        return self._act(caller, case_id, lambda g: supervision.decide_extension(
            self.store, case_id, caller.actor, body.approved, body.note, g))

    @api.route("POST", "/api/v1/cases/{case_id}/supervise", "Supervise a case (督办)", roles=STAFF, body=m.ActionIn)
    def supervise(self, request, caller, case_id, body):
        return self._act(caller, case_id, lambda g: supervision.supervise(self.store, case_id, caller.actor, body.note, g))

    @api.route("POST", "/api/v1/cases/{case_id}/reopen", "Reopen a case for rework (重办)", roles=STAFF,
               body=m.ReasonRequired)
    def reopen(self, request, caller, case_id, body):
        return self._act(caller, case_id, lambda g: feedback.reopen(self.store, case_id, caller.actor, body.reason, g))

    @api.route("POST", "/api/v1/cases/{case_id}/merge", "Merge a duplicate into another case (并单)", roles=STAFF,
               body=m.MergeIn)
    def merge(self, request, caller, case_id, body):
        return self._act(caller, case_id, lambda g: triage.merge(self.store, case_id, body.into, caller.actor, g))

    @api.route("POST", "/api/v1/cases/{case_id}/split", "Split a merged case back out (拆单)", roles=STAFF,
               body=m.SplitIn)
    def split(self, request, caller, case_id, body):
        return self._act(caller, case_id, lambda g: triage.split(self.store, case_id, body.reason, caller.actor, g))

    @api.route("POST", "/api/v1/cases/{case_id}/reject", "Reject a report (不予立案)", roles=STAFF, body=m.ReasonRequired)
    def reject(self, request, caller, case_id, body):
        return self._act(caller, case_id, lambda g: triage.reject(self.store, case_id, body.reason, caller.actor, g))

    @api.route("POST", "/api/v1/cases/{case_id}/close", "Close a case (结案)", roles=STAFF, body=m.ActionIn)
    def close(self, request, caller, case_id, body):
        return self._act(caller, case_id, lambda g: feedback.close(self.store, case_id, caller.actor, body.note, g))

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
        rows = feedback.evaluate(self.store, start, end, by, within=caller.sees)
        for row in rows:
            for name in feedback.INDICATORS:
                row[name]["cases_link"] = f"/api/v1/cases?from={start.date()}&to={end.date()}"
        return {"from": iso(start), "to": iso(end), "by": by, "rows": rows}

    @api.route("GET", "/api/v1/board", "The situation board", roles=READERS, tag="evaluation")
    def board(self, request, caller):
        return {"center": self.store.center, **present(supervision.board(self.store, caller.region))}

    # ---- helpers ---------------------------------------------------------------------------------
    def _view(self, case_id: str, caller: Caller) -> dict:
        detail = supervision.case_detail(self.store, case_id, caller.region)
        return case_public(detail.case, detail.deadlines, detail.timeline, caller.role, detail.reporters)


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

