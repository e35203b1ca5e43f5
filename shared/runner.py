"""Run one center: check the broker and the database (one clear line when either is missing), create and
migrate the center's database, declare the whole topology before anything publishes, then run the chosen
services in this process. SIGTERM drains in-flight work and exits 0."""
from __future__ import annotations

import errno
import importlib
import os
import signal
import socket

import eventlet
import structlog
from kombu import Connection
from nameko.runners import ServiceRunner

from services.intake.domain import boundaries
from shared import observability
from shared.catalog import load_catalog
from shared.config import Settings
from shared.messaging import topology
from shared.store.db import check, ensure_database, make_engine, migrate

SERVICES = {
    "intake": "services.intake.service:IntakeService",
    "triage": "services.triage.service:TriageService",
    "dispatch": "services.dispatch.service:DispatchService",
    "supervision": "services.supervision.service:SupervisionService",
    "feedback": "services.feedback.service:FeedbackService",
    "gateway": "services.gateway.service:GatewayService",
}
log = structlog.get_logger("yiwang.run")


class StartupError(RuntimeError):
    """Something the admin must fix before the center can start; the message says what and how."""


def service_class(name: str):
    module, cls = SERVICES[name].split(":")
    return getattr(importlib.import_module(module), cls)


def all_subscriptions(center: str) -> list[topology.Subscription]:
    return topology.subscriptions(center, [service_class(n) for n in SERVICES])


def check_broker(amqp_uri: str) -> None:
    try:
        with Connection(amqp_uri, connect_timeout=3) as conn:
            conn.ensure_connection(max_retries=1, timeout=3)
    except Exception as exc:
        raise StartupError(f"cannot reach RabbitMQ at {_safe(amqp_uri)} ({str(exc) or type(exc).__name__}); start it "
                           f"(e.g. `rabbitmq-server -detached`) or set YIWANG_AMQP_URI") from None


def _safe(uri: str) -> str:
    return Connection(uri).as_uri(include_password=False)


def prepare(region: str, settings: Settings) -> str:
    """Everything before the services start; returns the center's database URL."""
    load_catalog().regions.get(region)  # raises UnknownRegion
    try:
        boundaries.configured()  # a bad boundary file stops the start, not the first report
    except boundaries.BoundaryError as exc:
        raise StartupError(f"{exc} (set YIWANG_BOUNDARIES to a GeoJSON FeatureCollection, or unset it)") from None
    check_broker(settings.amqp_uri)
    url = settings.database_for(region)
    ensure_database(url)
    engine = make_engine(url, pool_size=1)
    try:
        check(engine)
        migrate(engine)
    finally:
        engine.dispose()
    with Connection(settings.amqp_uri, connect_timeout=5) as conn:
        topology.declare(conn, all_subscriptions(region), settings.retry_delays)
    return url


def port_free(port: int) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("0.0.0.0", port))
        except OSError:
            raise StartupError(f"port {port} is in use; pick another with --port") from None


def run(region: str, services: list[str], port: int, settings: Settings) -> int:
    if "gateway" in services:
        port_free(port)
    url = prepare(region, settings)
    observability.configure_tracing("yiwang-" + "-".join(services) if len(services) < 6 else "yiwang", region)
    config = {
        "AMQP_URI": settings.amqp_uri, "WEB_SERVER_ADDRESS": f"0.0.0.0:{port}",
        "max_workers": settings.max_workers, "YIWANG_CENTER": region, "YIWANG_DATABASE_URL": url,
        "YIWANG_RETRY_DELAYS": settings.retry_delays, "YIWANG_SWEEP_SECONDS": settings.sweep_seconds,
        "YIWANG_CLOCK_FILE": settings.clock_file, "YIWANG_MAX_RETURNS": settings.max_returns,
    }
    runner = ServiceRunner(config)
    for name in services:
        runner.add_service(service_class(name))

    stopping: list[int] = []

    def _shutdown(signum, frame):
        # A signal handler runs on the main loop and must not raise into whatever it interrupted (a raise can be
        # swallowed by a finaliser and the stop lost): stop in a greenlet instead. A second signal leaves at once:
        # unacknowledged messages are redelivered and unsent outbox rows re-sent, so nothing is lost.
        if stopping:
            log.warning("second signal: leaving without draining", center=region)
            os._exit(1)
        stopping.append(signum)
        log.info("stopping: draining in-flight work", center=region, signal=signum)
        eventlet.spawn_n(runner.stop)

    signal.signal(signal.SIGTERM, _shutdown)
    signal.signal(signal.SIGINT, _shutdown)
    runner.start()
    log.info("center running", center=region, services=services, port=port if "gateway" in services else None)
    waiter = eventlet.spawn(runner.wait)
    while True:
        try:
            waiter.wait()  # returns once every container has stopped
        except OSError as exc:  # pragma: no cover
            if exc.errno == errno.EINTR:
                continue
            raise
        log.info("stopped", center=region)
        return 0
