"""Run one center: check the broker and the database (one clear line when either is missing), create and
migrate the center's database, declare the whole topology before anything publishes, then run the chosen
services in this process. SIGTERM drains in-flight work and exits 0."""
from __future__ import annotations

import errno
import os
import signal
import socket

import eventlet
import structlog
from kombu import Connection
from nameko.runners import ServiceRunner

from app.composition import all_subscriptions, container_config, service_class, wire
from app.migrate import migrate
from services.intake.api import BoundaryError
from shared import observability
from shared.catalog import load_catalog
from shared.config import Settings
from shared.messaging import topology
from shared.store.db import check, ensure_database, make_engine

log = structlog.get_logger("yiwang.run")


class StartupError(RuntimeError):
    """Something the admin must fix before the center can start; the message says what and how."""


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
        wire(settings)  # a bad boundary file stops the start, not the first report
    except BoundaryError as exc:
        raise StartupError(f"{exc} (set YIWANG_BOUNDARIES to a GeoJSON FeatureCollection, or unset it)") from None
    check_broker(settings.amqp_uri)
    url = prepare_database(region, settings)
    with Connection(settings.amqp_uri, connect_timeout=5) as conn:
        topology.declare(conn, all_subscriptions(region), settings.retry_delays)
    return url


def prepare_database(region: str, settings: Settings) -> str:
    """Create the center's database if needed and migrate it (no broker needed); returns its URL."""
    url = settings.database_for(region)
    ensure_database(url)
    engine = make_engine(url, pool_size=1)
    try:
        check(engine)
        migrate(engine)
    finally:
        engine.dispose()
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
    prepare(region, settings)
    observability.configure_tracing("yiwang-" + "-".join(services) if len(services) < 6 else "yiwang", region)
    runner = ServiceRunner(container_config(region, settings, f"0.0.0.0:{port}"))
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
