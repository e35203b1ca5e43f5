"""`Observed`: binds every worker's log lines (service, center, case_id, trace_id) and wraps it in a span
that continues the case's trace. It never lets logging or tracing break a worker."""
from __future__ import annotations

import structlog
from nameko.extensions import DependencyProvider
from opentelemetry.trace import SpanKind, Status, StatusCode

from shared import observability

log = structlog.get_logger("yiwang.worker")


class Observed(DependencyProvider):
    def setup(self) -> None:
        self.center = self.container.config["YIWANG_CENTER"]
        self._spans: dict = {}

    def get_dependency(self, worker_ctx):
        return log

    def worker_setup(self, worker_ctx):
        try:
            data = worker_ctx.data or {}
            structlog.contextvars.clear_contextvars()
            structlog.contextvars.bind_contextvars(service=self.container.service_name, center=self.center,
                                                   case_id=data.get("case_id"))
            event_type = data.get("event_type")
            if event_type:
                cm = observability.span(f"{event_type} process", traceparent=data.get("traceparent"),
                                        kind=SpanKind.CONSUMER, **{
                                            "messaging.system": "rabbitmq", "messaging.operation.type": "process",
                                            "messaging.destination.name": "yiwang.chain",
                                            "messaging.message.id": data.get("event_id"),
                                            "yiwang.case_id": data.get("case_id"), "yiwang.center": self.center})
            else:
                cm = observability.span(f"{self.container.service_name}.{worker_ctx.entrypoint.method_name}",
                                        kind=SpanKind.SERVER, **{"yiwang.center": self.center})
            cm.__enter__()
            self._spans[worker_ctx] = cm
        except Exception:  # pragma: no cover - observability must never break a worker
            log.exception("could not start the worker's span")

    def worker_result(self, worker_ctx, result=None, exc_info=None):
        cm = self._spans.get(worker_ctx)
        if cm is not None and exc_info is not None:
            try:
                from opentelemetry import trace

                span = trace.get_current_span()
                span.record_exception(exc_info[1])
                span.set_status(Status(StatusCode.ERROR, str(exc_info[1])[:200]))
            except Exception:  # pragma: no cover
                pass

    def worker_teardown(self, worker_ctx):
        cm = self._spans.pop(worker_ctx, None)
        try:
            if cm is not None:
                cm.__exit__(None, None, None)
        except Exception:  # pragma: no cover
            pass
        structlog.contextvars.clear_contextvars()
