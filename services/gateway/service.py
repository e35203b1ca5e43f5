"""The HTTP gateway of a center: thin routes that authorise, validate and call the owning service's
handler (in this worker, in one transaction with the outbox), then answer."""
from __future__ import annotations

import functools
import unicodedata
from dataclasses import asdict
from datetime import datetime, timedelta

from nameko.web.handlers import http
from prometheus_client import CONTENT_TYPE_LATEST
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Response

from services.audit import api as audit
from services.dispatch import api as dispatch
from services.feedback import api as feedback
from services.gateway import auth, errors
from services.gateway.auth import Caller
from services.gateway.limits import Limits
from services.gateway.open311 import Open311Routes
from services.gateway.routes import Api, Query, json_response
from services.gateway.scope import STAFF, action_guard, check_placement, task_guard
from services.gateway.screens import ScreenRoutes, region_map
from services.gateway.stream import LiveStream, events
from services.gateway.views import AUDIT_SCHEMA, CASE_SCHEMA, audit_entry, case_public, iso, present
from services.intake import api as intake
from services.media import api as media
from services.notification import api as notification
from services.supervision import api as supervision
from services.triage import api as triage
from services.warning import api as warning
from shared import lifecycle
from shared.catalog import load_catalog
from shared.clock import CHINA
from shared.contracts import api as m
from shared.contracts import signing
from shared.extensions.database import Store
from shared.extensions.observed import Observed
from shared.extensions.settings import CenterSettings
from shared.extensions.timers import every
from shared.messaging import dlq, topology
from shared.messaging.entrypoint import chain_handler
from shared.messaging.publisher import broker_problem
from shared.observability import exposition


class _QueryCheckedApi(Api):
    """The route table of this service, every route's query string checked before the route reads it (`_check_query`):
    the one place query parameters are parsed for all of them."""

    def route(self, *args, **kwargs):
        declare = super().route(*args, **kwargs)

        def deco(fn):
            @functools.wraps(fn)
            def checked(service, request, caller, **kw):
                _check_query(request)
                return fn(service, request, caller, **kw)
            return declare(checked)
        return deco


api = _QueryCheckedApi()
READERS = {"admin", "dispatcher", "handler", "gridworker", "viewer"}
UPLOADERS = {"admin", "dispatcher", "handler", "gridworker"}
STREAMERS = {"admin", "dispatcher", "handler", "gridworker", "viewer"}  # the staff roles (§6)
ANY = {"admin", "dispatcher", "handler", "gridworker", "hotline", "sensor", "viewer", "citizen"}
PAGE_MAX = 100


class GatewayService(Open311Routes, ScreenRoutes):
    name = "gateway"
    store = Store()
    obs = Observed()

    settings = CenterSettings()
    live = LiveStream()
    limits = Limits()

    @http("GET,POST,PUT,PATCH,DELETE", "/<path:rest>")
    def unknown_route(self, request, rest=""):
        return errors.error_response(errors.not_found(f"no route {request.method} {request.path}"))

    # ---- health --------------------------------------------------------------------------------
    @api.route("GET", "/livez", "Liveness", tag="health", response={"type": "object"})
    def livez(self, request, caller):
        return {"status": "ok"}

    @api.route("GET", "/readyz", "Readiness: broker and database reachable; parked messages counted",
               tag="health")
    def readyz(self, request, caller):
        problems = {name: problem for name, problem in (("database", self.store.problem()),
                                                         ("broker", broker_problem(self.settings.amqp_uri)))
                    if problem}
        if problems:
            raise errors.unavailable("not ready: " + ", ".join(sorted(problems)), **problems)
        parked = dlq.counts(self.settings.amqp_uri, topology.of_center(self.store.center))
        return {"status": "ready", "center": self.store.center, **parked}

    @api.route("GET", "/metrics", "Prometheus metrics: parked messages and the outbox backlog", tag="health",
               media_type="text/plain", response={"type": "string"})
    def metrics(self, request, caller):
        parked = dlq.counts(self.settings.amqp_uri, topology.of_center(self.store.center))
        text = exposition(self.store.center, unroutable=parked["unroutable"], dead_letters=parked["dead_letters"],
                          outbox_unsent=self.store.relay.backlog())
        return Response(text, status=200, content_type=CONTENT_TYPE_LATEST)

    @api.route("GET", "/openapi.json", "This document", tag="health")
    def openapi(self, request, caller):
        return api.openapi("Yiwang center API", "1")

    # ---- tokens and catalog --------------------------------------------------------------------
    @api.route("POST", "/api/v1/tokens", "Create a token", roles={"admin"}, body=m.TokenIn, status=201,
               tag="admin")
    def create_token(self, request, caller, body: m.TokenIn):
        if not caller.sees(body.region):
            raise errors.forbidden(f"an admin of {caller.region} cannot create tokens for {body.region}")
        new = auth.create_token(self.store.session, role=body.role, region=body.region, unit=body.unit,
                                name=body.name, now=self.store.now(), actor=caller.actor, center=self.store.center)
        return {"token": new.token, "id": new.id, "role": body.role, "region": body.region, "unit": body.unit,
                "name": body.name}

    @api.route("DELETE", "/api/v1/tokens/{token_id}", "Revoke a token at once", roles={"admin"}, tag="admin")
    def revoke_token(self, request, caller, token_id):
        number = _row_id(token_id)
        if number is None:
            raise errors.not_found(f"token {token_id[:40]} not found")
        auth.revoke_token(self.store.session, number, caller.sees, self.store.now(), actor=caller.actor,
                          center=self.store.center)
        return {"id": number, "revoked": True}

    # ---- the audit chain (CONTRACTS.md §8) ------------------------------------------------------------------------
    @api.route("GET", "/api/v1/audit", "Read this center's audit chain, in chain order", roles={"admin"}, tag="admin",
               response=AUDIT_SCHEMA, query=[
                   Query("from", description="actions at or after (ISO 8601 date or time)"),
                   Query("to", description="actions before"), Query("page", "integer", minimum=1, maximum=10_000),
                   Query("page_size", "integer", minimum=1, maximum=PAGE_MAX)])
    def audit_log(self, request, caller):
        if not caller.sees(self.store.center):
            raise errors.forbidden(f"an admin of {caller.region} cannot read the audit chain of {self.store.center}")
        a = request.args
        page = audit.entries(self.store, since=_time(a["from"], "from") if a.get("from") else None,
                             before=_time(a["to"], "to") if a.get("to") else None,
                             page=_int(a, "page", 1, 1, 10_000), page_size=_int(a, "page_size", 50, 1, PAGE_MAX))
        return {"items": [audit_entry(e) for e in page.items], "page": page.page, "page_size": page.page_size,
                "total": page.total, "head": {"seq": page.head.seq, "hash": page.head.hash}}

    @every("relay_seconds")
    def link_audit_entries(self):
        """Entries a crash left unlinked (each commit links its own at once)."""
        audit.link(self.store.engine)

    @every("audit_head_seconds")
    def publish_audit_head(self):
        audit.publish_head(self.store, self.settings.audit_head_seconds)

    @chain_handler("audit_head")
    def keep_audit_head(self, event):
        """A child center's chain head: this center is its witness."""
        audit.keep_head(self.store, event)

    # ---- the screens' sign-in --------------------------------------------------------------------
    @api.route("POST", "/api/v1/sessions", "Sign in a screen: a token for a session cookie", body=m.SessionIn,
               status=201, tag="sessions", also=(401,))
    def sign_in(self, request, caller, body: m.SessionIn):
        who = auth.bearer(self.store.session, body.token, self.settings.admin_token)
        signed = auth.sign_in(self.store.session, who, self.store.now())
        response = json_response({"role": who.role, "region": who.region, "unit": who.unit, "name": who.name,
                                  "csrf": signed.csrf}, 201)
        secure = request.scheme == "https" or request.headers.get("X-Forwarded-Proto") == "https"
        age = int(auth.SESSION_LIFETIME.total_seconds())
        response.set_cookie(auth.SESSION_COOKIE, signed.secret, max_age=age, httponly=True, samesite="Strict",
                            secure=secure, path="/")
        response.set_cookie(auth.CSRF_COOKIE, signed.csrf, max_age=age, httponly=False, samesite="Strict",
                            secure=secure, path="/")
        return response

    @api.route("DELETE", "/api/v1/sessions", "Sign a screen out", tag="sessions")
    def sign_out(self, request, caller):
        auth.sign_out(self.store.session, request, self.store.now())
        response = json_response({"signed_out": True})
        for name in (auth.SESSION_COOKIE, auth.CSRF_COOKIE):
            response.delete_cookie(name, path="/", samesite="Strict")
        return response

    @api.route("GET", "/api/v1/stream", "Live events of the caller's scope (server-sent events)", roles=STREAMERS,
               tag="screens", query=[Query("last_event_id", "integer", "resume after this id (the Last-Event-ID "
                                                                       "header does the same)", minimum=0)],
               response={"type": "string"}, media_type="text/event-stream")
    def stream(self, request, caller):
        raw = request.headers.get("Last-Event-ID") or request.args.get("last_event_id")
        after = _row_id(raw) if raw is not None else None
        if raw is not None and after is None:
            raise errors.ApiError(422, "validation_failed", "Last-Event-ID must be a whole number")
        request.environ["eventlet.minimum_write_chunk_size"] = 0  # send each event as it comes
        return Response(events(self.live, caller, after),
                        mimetype="text/event-stream", direct_passthrough=True,
                        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})

    @api.route("GET", "/api/v1/queue", "The desk's queue: what needs this center now", roles=STAFF, tag="screens")
    def queue(self, request, caller):
        return {name: [case_public(r.case, r.deadlines, role=caller.role) for r in rows]
                for name, rows in supervision.queue(self.store, self.store.center, caller.region).items()}

    @api.route("GET", "/api/v1/map", "The center's map: districts and townships", roles=READERS, tag="screens")
    def map(self, request, caller):
        regions = load_catalog().regions  # the caller's part of the center's region
        shown = caller.region if regions.is_within(caller.region, self.store.center) else self.store.center
        return region_map(self.settings, shown)

    @api.route("GET", "/api/v1/notifications", "The caller's notifications, newest first", roles=STREAMERS,
               tag="screens", query=[Query("unread", "boolean")])
    def notifications(self, request, caller):
        unread_only = (request.args.get("unread") or "").lower() in ("true", "1", "yes")
        items, unread = notification.for_reader(self.store, _reader(caller), unread_only)
        return {"items": [{**asdict(i), "at": iso(i.at)} for i in items], "unread": unread}

    @api.route("POST", "/api/v1/notifications/{notification_id}/read", "Mark a notification read",
               roles=STREAMERS, tag="screens")
    def notification_read(self, request, caller, notification_id):
        number = _row_id(notification_id)
        if number is None or not notification.mark_read(self.store, number, _reader(caller)):
            raise errors.not_found(f"notification {notification_id[:40]} not found")
        return {"id": number, "read": True}

    # ---- photos -------------------------------------------------------------------------------------
    @api.route("POST", "/api/v1/media", "Upload a photo (JPEG, PNG or WebP)", roles=UPLOADERS, status=201,
               tag="media", upload="file")
    def upload(self, request, caller):
        limit = self.settings.max_media_bytes
        request.max_content_length = limit + 64 * 1024  # the photo and its multipart wrapping
        try:
            sent = request.files.get("file")
        except RequestEntityTooLarge:
            raise errors.too_large(limit) from None
        if sent is None:
            raise errors.ApiError(422, "validation_failed", "send the photo as the multipart field `file`")
        stored = media.take_photo(self.store, self._photos, sent.read(limit + 1), _reader(caller).key, limit)
        location = {"lon": stored.lon, "lat": stored.lat} if stored.lon is not None else None
        return json_response({"media_id": stored.media_id, "url": stored.url, "sha256": stored.sha256,
                              "content_type": stored.content_type, "taken_at": iso(stored.taken_at),
                              "location": location}, 201, {"Location": stored.url})

    @api.route("GET", "/media/{media_id}", "A photo, to those whose scope holds a case citing it", roles=STREAMERS,
               tag="media", media_type="image/*", response={"type": "string", "format": "binary"})
    def photo(self, request, caller, media_id):
        data, kind = media.photo_for(self.store, self._photos, media_id, _reader(caller).key, caller.region)
        response = Response(data, mimetype=kind)
        response.headers["Cache-Control"] = "private, max-age=3600"
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response

    @property
    def _photos(self) -> media.Storage:
        return media.storage_for(self.settings, self.store.center)

    @every("sweep_seconds", scale=20)
    def forget_old_action_keys(self):
        auth.forget_actions(self.store.session, self.store.now() - timedelta(days=7))

    @api.route("GET", "/api/v1/me", "Who is signed in", roles=ANY, tag="sessions")
    def me(self, request, caller):
        return {"role": caller.role, "region": caller.region, "unit": caller.unit, "name": caller.name,
                "center": self.store.center}

    @api.route("GET", "/api/v1/catalog", "Read the catalog", roles=ANY, tag="catalog")
    def catalog(self, request, caller):
        """The catalog, and the workflow's return reason codes (退单原因, services/dispatch/data/workflow.toml) that
        a return must name."""
        reasons = dispatch.load_workflow().reason_codes
        return {**load_catalog().as_dict(self.store.center),
                "return_reasons": [{"code": code, "name": name} for code, name in reasons.items()]}

    # ---- intake --------------------------------------------------------------------------------
    @api.route("POST", "/api/v1/reports", "Submit a report", roles={"gridworker", "dispatcher", "admin"},
               body=m.ReportIn, status=202, tag="intake")
    def report(self, request, caller, body: m.ReportIn):
        key = _idempotency_key(request)
        body = body.model_copy(update={"region": check_placement(caller, self.store.center, body.region,
                                                                  body.location)})
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

    @api.route("POST", "/api/v1/tracks", "Submit a vehicle's positions (危化品/渣土车 tracking)", roles={"sensor"},
               body=warning.TracksIn, status=202, tag="intake")
    def vehicle_tracks(self, request, caller, body: warning.TracksIn):
        try:
            result = warning.receive_tracks(self.store, body, actor=caller.actor)
        except warning.TrackRejected as exc:
            raise errors.ApiError(422, "validation_failed", str(exc), {}) from None
        return json_response({"accepted": result.accepted, "warnings": result.warnings}, 202)

    # ---- 12345 hotline ---------------------------------------------------------------------------
    def verify_signature(self, request, raw: bytes) -> None:
        secret = self.settings.hotline_secret
        if not secret:
            raise errors.unavailable("the 12345 integration is not configured here (YIWANG_HOTLINE_SECRET)")
        try:
            signing.verify(request.headers, raw, secret)  # real time: the clocks of two systems
        except signing.BadSignature as exc:
            raise errors.ApiError(401, exc.code, str(exc)) from None

    @api.route("POST", "/api/v1/hotline/orders", "Take a 12345 work order", roles={"hotline"},
               body=m.HotlineOrderIn, status=202, tag="hotline", signed=True)
    def hotline_order(self, request, caller, body: m.HotlineOrderIn):
        check_placement(caller, self.store.center, body.region, body.location)
        result = intake.take_order(self.store, body, actor=caller.actor)
        return json_response({"case_id": result.case_id}, 200 if result.replayed else 202,
                             {"Location": f"/api/v1/cases/{result.case_id}"})

    @api.route("POST", "/api/v1/hotline/visits", "Record a 12345 satisfaction visit (回访)", roles={"hotline"},
               body=m.VisitIn, status=202, tag="hotline", signed=True)
    def hotline_visit(self, request, caller, body: m.VisitIn):
        taken = feedback.take_visit(self.store, body, actor=caller.actor, sees=caller.sees)
        if taken.duplicate:
            return json_response({"case_id": taken.case_id, "duplicate": True}, 200)
        return json_response({"case_id": taken.case_id}, 202)

    # ---- cases ---------------------------------------------------------------------------------
    @api.route("GET", "/api/v1/cases", "List cases", roles=READERS, query=[
        Query("status", enum=lifecycle.STATUSES), Query("category"), Query("region"), Query("unit"),
        Query("light", enum=("green", "yellow", "red")), Query("overdue", "boolean"),
        Query("source", enum=("hotline", "grid", "sensor", "open311", "desk", "proactive")),
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
    def _act(self, request, caller, case_id, run):
        """Run one action behind the caller's guard and answer with the case as it is now. With an
        `Idempotency-Key`, a retry of an action that was done (its answer lost with the connection) answers the case
        instead of doing it again."""
        key = _idempotency_key(request)
        scope = _reader(caller).key
        if key is not None and auth.action_done(self.store.session, scope, key, case_id):
            return self._view(case_id, caller)
        case = run(action_guard(caller, self.store.center))
        if key is not None:
            auth.remember_action(self.store.session, scope, key, case_id, self.store.now())
        return self._view(case.id, caller)

    @api.route("POST", "/api/v1/cases/{case_id}/accept", "Sign for a case (签收)", roles={"handler"}, body=m.ActionIn)
    def accept(self, request, caller, case_id, body):
        return self._act(request, caller, case_id, lambda g: dispatch.accept(self.store, case_id, caller.actor, body.note, g))

    @api.route("POST", "/api/v1/cases/{case_id}/return",
               "Return a case (退单): within the return window, with a reason code and the basis", roles={"handler"},
               body=dispatch.ReturnIn)
    def return_(self, request, caller, case_id, body):
        return self._act(request, caller, case_id, lambda g: dispatch.return_case(
            self.store, case_id, caller.actor, body.reason, body.reason_code, body.basis, g))

    @api.route("POST", "/api/v1/cases/{case_id}/review-return",
               "Review a return (退单审核): approved, routed again; refused, the unit keeps it", roles=STAFF,
               body=dispatch.ReviewReturnIn)
    def review_return(self, request, caller, case_id, body):
        return self._act(request, caller, case_id, lambda g: dispatch.review_return(
            self.store, case_id, caller.actor, body.approved, body.note, g))

    @api.route("POST", "/api/v1/cases/{case_id}/transfer", "Transfer a case (转派)", roles=STAFF, body=m.TransferIn)
    def transfer(self, request, caller, case_id, body):
        return self._act(request, caller, case_id,
                         lambda g: dispatch.transfer(self.store, case_id, caller.actor, body.unit, body.reason, g))

    @api.route("POST", "/api/v1/cases/{case_id}/escalate", "Escalate a case to the parent center (上报)",
               roles=STAFF | {"handler"}, body=m.ReasonRequired)
    def escalate(self, request, caller, case_id, body):
        """The owner escalates to its parent (上报); an ancestor's dispatcher takes a case of its subtree up (提级)."""
        return self._act(request, caller, case_id,
                         lambda g: dispatch.escalate(self.store, case_id, caller.actor, body.reason, g))

    @api.route("POST", "/api/v1/cases/{case_id}/resolve", "Resolve a case (办结)", roles={"handler"}, body=m.ResolveIn)
    def resolve(self, request, caller, case_id, body):
        return self._act(request, caller, case_id,
                         lambda g: dispatch.resolve(self.store, case_id, caller.actor, body.note, body.media, g))

    @api.route("POST", "/api/v1/cases/{case_id}/verify", "Verify a fix (核查)", roles=STAFF | {"gridworker"},
               body=m.VerifyIn)
    def verify(self, request, caller, case_id, body):
        return self._act(request, caller, case_id,
                         lambda g: supervision.verify(self.store, case_id, caller.actor, body.passed, body.note, g,
                                                      body.media))

    @api.route("POST", "/api/v1/cases/{case_id}/extend", "Request an extension (延期), within the rules' limits",
               roles={"handler"}, body=dispatch.ExtendIn)
    def extend(self, request, caller, case_id, body):
        return self._act(request, caller, case_id, lambda g: dispatch.request_extension(
            self.store, case_id, caller.actor, body.reason, body.hours, body.working_days, g))

    @api.route("POST", "/api/v1/cases/{case_id}/decide-extension", "Decide an extension request", roles=STAFF,
               body=m.DecideExtensionIn)
    def decide_extension(self, request, caller, case_id, body):
        return self._act(request, caller, case_id, lambda g: supervision.decide_extension(
            self.store, case_id, caller.actor, body.approved, body.note, g))

    @api.route("POST", "/api/v1/cases/{case_id}/supervise", "Supervise a case (督办)", roles=STAFF, body=m.ActionIn)
    def supervise(self, request, caller, case_id, body):
        return self._act(request, caller, case_id, lambda g: supervision.supervise(self.store, case_id, caller.actor, body.note, g))

    @api.route("POST", "/api/v1/cases/{case_id}/reopen", "Reopen a case for rework (重办)", roles=STAFF,
               body=m.ReasonRequired)
    def reopen(self, request, caller, case_id, body):
        return self._act(request, caller, case_id, lambda g: feedback.reopen(self.store, case_id, caller.actor, body.reason, g))

    @api.route("POST", "/api/v1/cases/{case_id}/merge", "Merge a duplicate into another case (并单)", roles=STAFF,
               body=m.MergeIn)
    def merge(self, request, caller, case_id, body):
        return self._act(request, caller, case_id, lambda g: triage.merge(self.store, case_id, body.into, caller.actor, g))

    @api.route("POST", "/api/v1/cases/{case_id}/split", "Split a merged case back out (拆单)", roles=STAFF,
               body=m.SplitIn)
    def split(self, request, caller, case_id, body):
        return self._act(request, caller, case_id, lambda g: triage.split(self.store, case_id, body.reason, caller.actor, g))

    @api.route("POST", "/api/v1/cases/{case_id}/reject", "Reject a report (不予立案)", roles=STAFF, body=m.ReasonRequired)
    def reject(self, request, caller, case_id, body):
        return self._act(request, caller, case_id, lambda g: triage.reject(self.store, case_id, body.reason, caller.actor, g))

    @api.route("POST", "/api/v1/cases/{case_id}/close", "Close a case (结案)", roles=STAFF, body=m.ActionIn)
    def close(self, request, caller, case_id, body):
        return self._act(request, caller, case_id, lambda g: feedback.close(self.store, case_id, caller.actor, body.note, g))

    # ---- workflow rules (issue 11 items 5-6): 挂账/缓办, 作废, 立案审核 -------------------------------------------
    @api.route("POST", "/api/v1/cases/{case_id}/suspend", "Ask to suspend a case (挂账/缓办)", roles={"handler"},
               body=dispatch.SuspendIn)
    def suspend(self, request, caller, case_id, body):
        return self._act(request, caller, case_id, lambda g: dispatch.suspend(
            self.store, case_id, caller.actor, body.reason, body.until, g))

    @api.route("POST", "/api/v1/cases/{case_id}/decide-suspension", "Decide a suspension request", roles=STAFF,
               body=dispatch.DecideSuspensionIn)
    def decide_suspension(self, request, caller, case_id, body):
        return self._act(request, caller, case_id, lambda g: dispatch.decide_suspension(
            self.store, case_id, caller.actor, body.approved, body.note, g))

    @api.route("POST", "/api/v1/cases/{case_id}/resume", "Resume a suspended case (the clocks go on)",
               roles=STAFF | {"handler"}, body=m.ActionIn)
    def resume(self, request, caller, case_id, body):
        return self._act(request, caller, case_id, lambda g: dispatch.resume(
            self.store, case_id, caller.actor, body.note or body.reason, g))

    @api.route("POST", "/api/v1/cases/{case_id}/void", "Void an invalid case before it is signed for (作废)",
               roles=STAFF, body=dispatch.VoidIn)
    def void(self, request, caller, case_id, body):
        return self._act(request, caller, case_id, lambda g: dispatch.void(self.store, case_id, caller.actor,
                                                                           body.reason, g))

    @api.route("POST", "/api/v1/cases/{case_id}/register", "Approve a case before dispatch (立案审核)", roles=STAFF,
               body=dispatch.RegisterIn)
    def register(self, request, caller, case_id, body):
        return self._act(request, caller, case_id, lambda g: dispatch.register(
            self.store, case_id, caller.actor, body.approved, body.reason, body.note, g))

    # ---- joint handling (联合处置) and the whistle (街道吹哨), issue 11 item 4 -----------------------------------
    @api.route("POST", "/api/v1/cases/{case_id}/joint",
               "Joint handling (联合处置): name the lead and the assisting units, each with a sub-task", roles=STAFF,
               body=dispatch.JointIn)
    def joint(self, request, caller, case_id, body):
        return self._act(request, caller, case_id, lambda g: dispatch.joint(
            self.store, case_id, caller.actor, body.lead, body.assisting, body.reason or body.note, g))

    @api.route("POST", "/api/v1/cases/{case_id}/whistle",
               "A township's whistle (街道吹哨): summon departments of any tier to the case as a joint handling",
               roles=STAFF, body=dispatch.WhistleIn)
    def whistle(self, request, caller, case_id, body):
        tier = load_catalog().regions.tier(self.store.center)
        if tier != "township":
            raise errors.forbidden(f"街道吹哨 is a township center's; this center ({self.store.center}) is a {tier}")
        return self._act(request, caller, case_id, lambda g: dispatch.whistle(
            self.store, case_id, caller.actor, body.units, body.reason, g))

    def _task(self, request, caller, case_id, unit, action, **fields):
        """`unit`'s act on its sub-task, by a handler of that unit (the lead's sub-task is the case itself)."""
        if caller.unit != unit:
            raise errors.forbidden(f"the sub-task of {unit} is acted on by its own handlers, not {caller.unit}'s")
        return self._act(request, caller, case_id, lambda g: dispatch.task_act(
            self.store, case_id, unit, action, caller.actor, guard=task_guard(caller, self.store.center, unit),
            **fields))

    @api.route("POST", "/api/v1/cases/{case_id}/tasks/{unit}/accept", "Sign for a unit's sub-task (签收)",
               roles={"handler"}, body=m.ActionIn)
    def task_accept(self, request, caller, case_id, unit, body):
        return self._task(request, caller, case_id, unit, "accept", note=body.note)

    @api.route("POST", "/api/v1/cases/{case_id}/tasks/{unit}/return",
               "Return a unit's sub-task (退回): within the return window, with a reason code and the basis",
               roles={"handler"}, body=dispatch.ReturnIn)
    def task_return(self, request, caller, case_id, unit, body):
        return self._task(request, caller, case_id, unit, "return", reason=body.reason, reason_code=body.reason_code,
                          basis=body.basis, note=body.note)

    @api.route("POST", "/api/v1/cases/{case_id}/tasks/{unit}/resolve", "Resolve a unit's sub-task (办结)",
               roles={"handler"}, body=m.ResolveIn)
    def task_resolve(self, request, caller, case_id, unit, body):
        return self._task(request, caller, case_id, unit, "resolve", note=body.note, media=body.media)

    # ---- evaluation and board ------------------------------------------------------------------
    @api.route("GET", "/api/v1/evaluation", "Evaluate units or regions over a period (行政问效) under a version of the "
               "indicators", roles=READERS, tag="evaluation",
               query=[Query("period", description="YYYY-MM"), Query("from"), Query("to"),
                      Query("by", enum=("unit", "region")),
                      Query("version", description="the indicators' version (default: the one in force on the "
                                                   "period's first day)")])
    def evaluation(self, request, caller):
        a = request.args
        by = _by(a)
        start, end = _period(a)
        ev = _versioned(lambda: feedback.evaluate(self.store, start, end, by, within=caller.sees,
                                                  version=a.get("version")))
        for row in ev["rows"]:
            for ind in ev["indicators"]:
                row[ind["code"]]["cases_link"] = f"/api/v1/cases?from={start.date()}&to={end.date()}"
        return {"from": iso(start), "to": iso(end), **ev}

    @api.route("GET", "/api/v1/board", "The situation board", roles=READERS, tag="evaluation")
    def board(self, request, caller):
        now = self.store.now()
        start = now.astimezone(CHINA).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        ranking = feedback.rank(self.store, start, now, "unit", within=caller.sees)
        return {"center": self.store.center, **present(supervision.board(self.store, caller.region, now)),
                "ranking": {**self._named(ranking), "period": start.strftime("%Y-%m")}}

    @api.route("GET", "/api/v1/ranking", "红黑榜: units or regions ranked by the composite score", roles=READERS,
               tag="evaluation", query=[Query("period", description="YYYY-MM"), Query("from"), Query("to"),
                                        Query("by", enum=("unit", "region")),
                                        Query("version", description="the indicators' version"),
                                        Query("tier", enum=("city", "county", "township"),
                                              description="by region: the tier ranked (default: the one below "
                                                          "the caller's region)")])
    def ranking(self, request, caller):
        a = request.args
        by = _by(a)
        tier = a.get("tier")
        if tier is not None and tier not in ("city", "county", "township"):
            raise errors.ApiError(422, "validation_failed", "tier must be city, county or township")
        start, end = _period(a)
        ranked = _versioned(lambda: feedback.rank(self.store, start, end, by, within=caller.sees,
                                                  version=a.get("version"), scope=caller.region, tier=tier))
        return {"from": iso(start), "to": iso(end), **self._named(ranked)}

    # ---- warnings (监测预警) and the report (分析研判), CONTRACTS.md §7 ------------------------------------------------
    @api.route("GET", "/api/v1/warnings", "Warnings of the caller's scope, newest first, with their evidence and cases",
               roles=READERS, tag="warnings", query=[
                   Query("kind", enum=warning.KINDS), Query("status", enum=warning.STATUSES),
                   Query("level", enum=warning.LEVELS), Query("region"),
                   Query("page", "integer", minimum=1, maximum=10_000),
                   Query("page_size", "integer", minimum=1, maximum=PAGE_MAX)])
    def list_warnings(self, request, caller):
        a = request.args
        for name, allowed in (("kind", warning.KINDS), ("status", warning.STATUSES), ("level", warning.LEVELS)):
            if a.get(name) and a[name] not in allowed:
                raise errors.ApiError(422, "validation_failed", f"{name} must be one of {', '.join(allowed)}")
        region = a.get("region")
        if region:
            load_catalog().regions.get(region)  # raises UnknownRegion
            if not caller.sees(region):
                raise errors.forbidden(f"region {region} is outside this token's region {caller.region}")
        page = warning.find(self.store, within=caller.region, kind=a.get("kind") or None,
                            status=a.get("status") or None, level=a.get("level") or None, region=region or None,
                            page=_int(a, "page", 1, 1, 10_000), page_size=_int(a, "page_size", 20, 1, PAGE_MAX))
        return {"items": page.items, "page": page.page, "page_size": page.page_size, "total": page.total}

    @api.route("POST", "/api/v1/warnings/{warning_id}/act",
               "Act on a warning: `task` opens a proactive case (未诉先办), `dismiss` closes it with a reason",
               roles=STAFF, body=warning.WarningActIn, tag="warnings", also=(409,))
    def act_on_warning(self, request, caller, warning_id, body):
        try:
            return warning.act(self.store, warning_id, body.action, actor=caller.actor, sees=caller.sees,
                               reason=body.reason, note=body.note)
        except warning.WarningConflict as exc:
            raise errors.ApiError(409, "illegal_transition", str(exc), {"status": exc.status}) from None
        except warning.BadAction as exc:
            raise errors.ApiError(422, "validation_failed", str(exc)) from None

    @chain_handler(warning.EVENT)
    def keep_warning(self, event):
        """A warning raised below (addressed to this center, its parent): keep it, show it, pass it on up."""
        warning.keep_from_below(self.store, event)

    @api.route("GET", "/api/v1/analysis", "分析研判: the report of a period for the caller's scope (JSON; printable "
               "HTML with charts for Accept: text/html)", roles=READERS, tag="warnings",
               query=[Query("period", description="YYYY-MM (default: this month)")])
    def analysis(self, request, caller):
        period = request.args.get("period") or self.store.now().astimezone(CHINA).strftime("%Y-%m")
        try:
            warning.period_bounds(period)
        except ValueError:
            raise errors.ApiError(422, "validation_failed", "period must be YYYY-MM") from None
        regions = load_catalog().regions
        if regions.is_within(caller.region, self.store.center):
            scope = caller.region
        elif regions.is_within(self.store.center, caller.region):
            scope = self.store.center  # a token of an ancestor: this center's whole region
        else:
            raise errors.forbidden(f"this center ({self.store.center}) holds nothing of region {caller.region}")
        report = warning.analysis_report(self.store, period, scope, caller.sees)
        accept = request.accept_mimetypes
        if accept.quality("text/html") > accept.quality("application/json"):
            return Response(warning.analysis_html(report), status=200, mimetype="text/html",
                            headers={"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'"})
        return report

    @staticmethod
    def _named(ranking: dict) -> dict:
        """The ranking with each unit's or region's name."""
        catalog = load_catalog()
        by = ranking["by"]

        def name(code):
            try:
                return catalog.unit(code).name if by == "unit" else catalog.regions.name(code)
            except LookupError:
                return code
        return {**ranking, **{side: [{**row, "name": name(row[by])} for row in ranking[side]]
                              for side in ("best", "worst")}}

    # ---- helpers ---------------------------------------------------------------------------------
    def _view(self, case_id: str, caller: Caller) -> dict:
        detail = supervision.case_detail(self.store, case_id, caller.region)
        return case_public(detail.case, detail.deadlines, detail.timeline, caller.role, detail.reporters,
                           now=self.store.now())


def _check_query(request) -> None:
    """Query parameters are text: a name or value with a control character (a NUL byte, a line break …) is refused
    with 422 naming the parameter, never passed on to a query (PostgreSQL refuses NUL in a string: a 500)."""
    for name, value in request.args.items(multi=True):
        if _has_control(name) or _has_control(value):
            shown = name if not _has_control(name) else name.encode("unicode_escape").decode("ascii")
            raise errors.ApiError(422, "validation_failed",
                                  f"query parameter {shown} contains a control character (such as NUL)",
                                  {"parameter": shown})


def _has_control(text: str) -> bool:
    return any(unicodedata.category(ch) == "Cc" for ch in text)


def _idempotency_key(request) -> str | None:
    key = request.headers.get("Idempotency-Key")
    if key is not None and not 1 <= len(key) <= 128:
        raise errors.ApiError(422, "validation_failed", "Idempotency-Key must be 1 to 128 characters")
    return key


def _reader(caller: Caller) -> notification.Reader:
    key = f"token:{caller.token_id}" if caller.token_id is not None else caller.actor
    return notification.Reader(key, caller.role, caller.unit, caller.region)


def _row_id(raw: str) -> int | None:
    """A row id from a path or a header: ASCII digits within a database integer, else None (`str.isdigit` takes
    '¹' and '١', which `int` refuses or reads)."""
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 10:
        return None
    number = int(raw)
    return number if number <= 2**31 - 1 else None


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


def _by(args) -> str:
    by = args.get("by", "unit")
    if by not in ("unit", "region"):
        raise errors.ApiError(422, "validation_failed", "by must be unit or region")
    return by


def _versioned(compute):
    """The evaluation or ranking; an unknown version of the indicators is a 422 naming the known ones."""
    try:
        return compute()
    except feedback.UnknownVersion as e:
        raise errors.ApiError(422, "validation_failed", str(e), {"version": e.version, "versions": list(e.known)}) from None


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

