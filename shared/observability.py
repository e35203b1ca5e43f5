"""Logging and tracing, set up once per process.

Logs are structlog JSON lines (readable in a terminal) bound with service, center, case_id and trace_id.
One OpenTelemetry trace follows a case: the first span of a case (its intake) is stored on the case as a
W3C `traceparent`; every later event of the case is published as a child of the span that produced it,
or of the case's stored context when nothing else is active; consumers continue the trace from the
`traceparent` AMQP header. Spans follow the messaging conventions (`<type> publish` / `<type> process`).
"""
from __future__ import annotations

import logging
import os
import re
import sys
from contextlib import contextmanager
from typing import overload

import structlog
from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SimpleSpanProcessor
from opentelemetry.trace import SpanKind
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

_propagator = TraceContextTextMapPropagator()
# A Chinese mobile number however it is written — 13812345678, 138 1234 5678, 138-1234-5678, +86 138…, 0086-138…,
# (+86)138… — and a landline with its area code — 0513-85123456, (0513)85123456, 010 1234 5678, 051385123456.
_MOBILE = re.compile(r"(?<![\d+])(?:\(?(?:\+|00)?86\)?[\s-]?)?(1[3-9]\d)[\s-]?\d{4}[\s-]?(\d{4})(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)(\(?0\d{2,3}\)?)[\s-]?\d{3,4}[\s-]?(\d{4})(?!\d)")


@overload
def mask_phone(text: str) -> str: ...
@overload
def mask_phone(text: str | None) -> str | None: ...
def mask_phone(text: str | None) -> str | None:
    """Every phone number in a text masked: `138 1234 5678` → `138****5678`, `0513-85123456` → `0513****3456`."""
    if not text:
        return text
    return _LANDLINE.sub(r"\1****\2", _MOBILE.sub(r"\1****\2", text))


def _scrub(_, __, event_dict):
    for k, v in list(event_dict.items()):
        if isinstance(v, str):
            event_dict[k] = mask_phone(v)
    return event_dict


def configure_logging(json_lines: bool | None = None, level: str | None = None) -> None:
    if json_lines is None:
        json_lines = not sys.stderr.isatty()
    level_no = getattr(logging, (level or os.environ.get("YIWANG_LOG_LEVEL", "INFO")).upper(), logging.INFO)
    renderer = structlog.processors.JSONRenderer(ensure_ascii=False) if json_lines else structlog.dev.ConsoleRenderer()
    structlog.configure(
        processors=[structlog.contextvars.merge_contextvars, structlog.processors.add_log_level,
                    structlog.processors.TimeStamper(fmt="iso", utc=True), _scrub,
                    structlog.processors.format_exc_info, renderer],
        wrapper_class=structlog.make_filtering_bound_logger(level_no),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stderr),
        cache_logger_on_first_use=True)
    # stdlib loggers (nameko, kombu, the calendar) go through the same renderer
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(structlog.stdlib.ProcessorFormatter(
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, _scrub, renderer],
        foreign_pre_chain=[structlog.contextvars.merge_contextvars, structlog.processors.add_log_level,
                           structlog.processors.TimeStamper(fmt="iso", utc=True)]))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(max(level_no, logging.INFO))
    logging.getLogger("nameko").setLevel(logging.WARNING)
    logging.getLogger("kombu").setLevel(logging.WARNING)


def configure_tracing(service_name: str, center: str, exporter=None) -> TracerProvider:
    """Install the process's tracer provider: OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT is set, or the
    given exporter (tests pass an in-memory one)."""
    provider = TracerProvider(resource=Resource.create({"service.name": service_name, "yiwang.center": center}))
    if exporter is not None:
        provider.add_span_processor(SimpleSpanProcessor(exporter))
    elif os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT") or os.environ.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"):
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)
    return provider


def tracer():
    return trace.get_tracer("yiwang")


def _context_from(traceparent: str | None):
    return _propagator.extract({"traceparent": traceparent}) if traceparent else None


def current_traceparent() -> str | None:
    carrier: dict = {}
    _propagator.inject(carrier)
    return carrier.get("traceparent")


def trace_id() -> str | None:
    ctx = trace.get_current_span().get_span_context()
    return format(ctx.trace_id, "032x") if ctx.is_valid else None


def publish_context(event_type: str, routing_key: str, case_traceparent: str | None) -> str | None:
    """Open and close a `<type> publish` span (child of the active span, else of the case's trace) and
    return its traceparent, to travel with the event."""
    parent = None if trace.get_current_span().get_span_context().is_valid else _context_from(case_traceparent)
    with tracer().start_as_current_span(
            f"{event_type} publish", context=parent, kind=SpanKind.PRODUCER,
            attributes={"messaging.system": "rabbitmq", "messaging.destination.name": "yiwang.chain",
                        "messaging.rabbitmq.destination.routing_key": routing_key,
                        "messaging.operation.type": "publish"}):
        return current_traceparent()


@contextmanager
def span(name: str, *, traceparent: str | None = None, kind: SpanKind = SpanKind.INTERNAL, **attributes):
    """A span that becomes the current context (child of `traceparent` when given); binds trace_id in logs."""
    with tracer().start_as_current_span(name, context=_context_from(traceparent), kind=kind,
                                        attributes={k: v for k, v in attributes.items() if v is not None}) as s:
        tid = trace_id()
        if tid:
            structlog.contextvars.bind_contextvars(trace_id=tid)
        yield s



def exposition(center: str, **gauges: float) -> bytes:
    """Prometheus text format of a center's gauges (`yiwang_<name>{center="…"}`), made fresh for each scrape."""
    from prometheus_client import CollectorRegistry, Gauge, generate_latest

    registry = CollectorRegistry()
    for name, value in gauges.items():
        Gauge(f"yiwang_{name}", _HELP.get(name, name.replace("_", " ")), ["center"],
              registry=registry).labels(center).set(value)
    return generate_latest(registry)


_HELP = {"unroutable": "events this center published that no queue took (yiwang dlq list)",
         "dead_letters": "messages in this center's dead-letter queues (yiwang dlq list)",
         "outbox_unsent": "events committed but not yet confirmed by the broker"}
