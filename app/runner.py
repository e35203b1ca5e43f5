"""Run one center: check the broker and the database (one clear line when either is missing), create and
migrate the center's database, declare the whole topology before anything publishes, then run the chosen
services in this process. SIGTERM drains in-flight work and exits 0."""
from __future__ import annotations

import errno
import os
import signal
import socket

import eventlet
import eventlet.event
import structlog
from kombu import Connection
from nameko.runners import ServiceRunner

from app.composition import all_subscriptions, container_config, rule_digests, service_class, wire
from app.migrate import migrate
from services.audit.api import note_rules
from services.dispatch.api import WorkflowRulesError, load_workflow
from services.feedback.api import IndicatorRulesError, indicator_versions
from services.intake.api import BoundaryError
from services.notification.api import RosterError
from shared import observability
from shared.catalog import load_catalog
from shared.clock import Clock
from shared.config import Settings
from shared.messaging import topology
from shared.store.db import check, ensure_database, make_engine

log = structlog.get_logger("yiwang.run")
START_GRACE = 30.0  # seconds a stop signal waits for the services still starting (the broker may be away)


class StartupError(RuntimeError):
    """Something the admin must fix before the center can start; the message says what and how."""


def check_broker(amqp_uri: str) -> None:
    try:
        with Connection(amqp_uri, connect_timeout=3) as conn:
            conn.ensure_connection(max_retries=1, timeout=3)
    except Exception as exc:
        raise StartupError(f"cannot reach RabbitMQ at {_safe(amqp_uri)} ({str(exc) or type(exc).__name__}); start it "
                           f"(e.g. `rabbitmq-server -detached`) or set YIWANG_AMQP_URI") from None


def check_broker_user(region: str, settings: Settings) -> None:
    """In production a center connects as its own broker user, the one its events' `user_id` vouches for (S5)."""
    user, own = Connection(settings.amqp_uri).userid, topology.center_user(region)
    if settings.env == "production" and user != own:
        raise StartupError(f"production connects each center as its own broker user: YIWANG_AMQP_URI names {user!r}, "
                           f"center {region} must use {own!r} (make it with `yiwang broker-user --region {region}`)")


def _safe(uri: str) -> str:
    return Connection(uri).as_uri(include_password=False)


def prepare(region: str, settings: Settings) -> str:
    """Everything before the services start; returns the center's database URL."""
    load_catalog().regions.get(region)  # raises UnknownRegion
    check_broker_user(region, settings)
    try:
        wire(settings)  # a bad boundary or rosters file stops the start, not the first report or notice
    except BoundaryError as exc:
        raise StartupError(f"{exc} (set YIWANG_BOUNDARIES to a GeoJSON FeatureCollection, or unset it)") from None
    except RosterError as exc:
        raise StartupError(f"bad duty rosters: {exc} (fix the file, or set YIWANG_ROSTERS_FILE to another)") from None
    check_rules()
    check_broker(settings.amqp_uri)
    url = prepare_database(region, settings)
    engine = make_engine(url, pool_size=1)
    try:  # a change of rules is an audited event of the center that runs on it
        note_rules(engine, region, rule_digests(settings), Clock(settings.clock_file).now())
    finally:
        engine.dispose()
    with Connection(settings.amqp_uri, connect_timeout=5) as conn:
        try:
            topology.declare(conn, all_subscriptions(region), settings.retry_delays)
        except topology.TopologyConflict as exc:
            raise StartupError(str(exc)) from None
    return url


def check_rules() -> None:
    """The rules' data every center reads is read once now, so a bad file stops the start with one line naming the
    file and the key, rather than failing the first action that needs it: the workflow limits (退单, 延期, 挂账,
    立案审核; services/dispatch/data/workflow.toml or $YIWANG_WORKFLOW_FILE) and the indicators
    (services/feedback/data/indicators/). (The catalog and the duty rosters are read by `prepare` itself.)"""
    try:
        load_workflow()
    except WorkflowRulesError as exc:
        raise StartupError(f"bad workflow rules: {exc} (fix the file, or set YIWANG_WORKFLOW_FILE to another)") from None
    try:
        indicator_versions()
    except IndicatorRulesError as exc:
        raise StartupError(f"bad indicators: {exc}") from None


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
    started = eventlet.event.Event()

    def _stop() -> None:
        # nameko cannot stop a container whose consumers are still starting (the stop fails half-way and the
        # process hangs): a signal during the start waits for it, then drains
        started.wait(timeout=START_GRACE)
        if not started.ready():
            log.warning("still starting after the signal: leaving without draining", center=region,
                        waited=START_GRACE)
            os._exit(1)
        runner.stop()

    def _shutdown(signum, frame):
        # A signal handler runs on the main loop and must not raise into whatever it interrupted (a raise can be
        # swallowed by a finaliser and the stop lost): stop in a greenlet instead. A second signal leaves at once:
        # unacknowledged messages are redelivered and unsent outbox rows re-sent, so nothing is lost.
        if stopping:
            log.warning("second signal: leaving without draining", center=region)
            os._exit(1)
        stopping.append(signum)
        log.info("stopping: draining in-flight work", center=region, signal=signum)
        eventlet.spawn_n(_stop)

    signal.signal(signal.SIGTERM, _shutdown)
    signal.signal(signal.SIGINT, _shutdown)
    runner.start()
    started.send()
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
