"""The chain the demo runs: the city (the catalog's root), the county 320612 and its first townships, each a center
in its own process with its own database, on one broker; the 12345 platform's simulator and the stub gateway of the
webhooks and SMS the centers send (app.stub_gateway) in the demo's process; the chain's clock (a file every center
reads, YIWANG_CLOCK_FILE: app.demo.workflow moves it on to show an escalation chain).
Which regions and ports, the checks before anything starts (ports, broker, databases), the centers' environment,
starting them and waiting until they are ready, their tokens, and stopping them (or leaving them running).

`app.runner` (ports, broker and database checks) is imported where it is used: it brings nameko, eventlet and the
services' composition, which the demo needs only while it runs, not when its scenario is imported."""
from __future__ import annotations

import os
import queue
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy.engine import make_url

from app.demo.broker import other_consumers
from app.demo.client import Http, Stats, error_text, expect
from app.demo.errors import DemoError
from app.demo.process import Center
from app.demo.workflow import clock_path
from app.simulators.hotline import HotlineSimulator
from app.stub_gateway import StubGateway
from shared.catalog import Catalog, load_catalog

#: the county whose townships the demo runs (通州区); the city is the catalog's root (南通市 320600)
COUNTY = "320612"
#: where the centers' logs and pid files go (var/demo-REGION.log, .pid; relative to the working directory)
VAR = Path("var")


def chain_townships(n: int, *, county: str = COUNTY, catalog: Catalog | None = None) -> list[str]:
    """The first `n` townships of `county` in the catalog (by code). Raises DemoError if there are fewer."""
    catalog = catalog or load_catalog()
    towns = [r.code for r in catalog.regions.children(county) if r.tier == "township"]
    if n < 1:
        raise DemoError("--townships must be at least 1")
    if n > len(towns):
        raise DemoError(f"{catalog.regions.name(county)} ({county}) has {len(towns)} townships in the catalog; "
                        f"--townships {n} is too many")
    return towns[:n]


#: the 12345 platform: the demo's shared secret (≥ 16 characters) and how citizens answer the visits (回访)
HOTLINE_SECRET = "yiwang-demo-12345-shared-secret"
VISIT_MIX = {"satisfied": 0.65, "basically_satisfied": 0.2, "dissatisfied": 0.15}
VISIT_DELAY = 2.0        # seconds from a `resolved` update to the citizen's visit
#: the webhooks' and the SMS gateway's shared secrets (≥ 16 characters): the centers sign, the stub gateway checks
WEBHOOK_SECRET = "yiwang-demo-webhook-shared-secret"
SMS_SECRET = "yiwang-demo-sms-gateway-shared-secret"


@dataclass(frozen=True)
class Chain:
    """The regions of the chain, top down (the city, the county, its townships), and the ports the demo uses."""

    regions: list[str]
    ports: dict[str, int]  # region → the port of its center's gateway
    hotline_port: int      # the 12345 platform's simulator, in the demo's process

    @property
    def city(self) -> str:
        return self.regions[0]

    @property
    def county(self) -> str:
        return self.regions[1]

    @property
    def townships(self) -> list[str]:
        return self.regions[2:]

    @property
    def stub_port(self) -> int:
        """The stub gateway of the webhooks and SMS, in the demo's process: the port after the 12345 simulator's."""
        return self.hotline_port + 1

    @property
    def port_count(self) -> int:
        return len(self.regions) + 2


@dataclass
class Node:
    """One center of the chain as the demo sees it: its process, its HTTP API, its tokens and the work its
    simulated people have in hand."""

    region: str
    name: str
    tier: str
    port: int
    center: Center
    http: Http
    units: list
    tokens: dict = field(default_factory=dict)
    inflight: set = field(default_factory=set)
    tasks: queue.Queue = field(default_factory=queue.Queue)  # of (key, callable)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def label(self) -> str:
        return f"{self.name} {self.region}"


def plan_chain(townships: int, port: int, catalog: Catalog) -> Chain:
    """The city, the county and its first `townships` townships (chain_townships), their centers on the ports from
    `port` on, top down; the 12345 platform's simulator on the port after theirs."""
    towns = chain_townships(townships, catalog=catalog)
    county = catalog.regions.parent(towns[0])
    assert county is not None  # a township lies in a county
    regions = [catalog.regions.root, county, *towns]
    ports = {region: port + i for i, region in enumerate(regions)}
    return Chain(regions, ports, port + len(regions))


def sys_exe_cmd(region: str, port: int) -> str:
    """The command that serves this center, as the demo shows it (it starts the same with its own interpreter)."""
    return f"python -m app.cli run --region {region} --port {port}"


def database_line(url: str, configured: bool) -> str:
    """The centers' database URL as the demo shows it (no password; `{region}` kept), and where it comes from."""
    shown = make_url(url.replace("{region}", "REGION")).render_as_string(hide_password=True).replace("REGION",
                                                                                                        "{region}")
    if configured:
        return f"{shown} (from YIWANG_DATABASE_URL; one database per center)"
    return (f"{shown} (SQLite, the default: one file per center; set YIWANG_DATABASE_URL, e.g. "
            "postgresql://postgres@127.0.0.1:5432/yiwang_{region}, to use PostgreSQL)")


def check_database_url(url: str) -> None:
    """Every center of the chain needs its own database: the URL must name it by its `{region}`."""
    if "{region}" not in url:
        raise DemoError(f"YIWANG_DATABASE_URL={database_line(url, True).split(' (')[0]} has no "
                        "{region} placeholder: every center of the chain needs its own database, e.g. "
                        "postgresql://postgres@127.0.0.1:5432/yiwang_{region} (or unset it for SQLite files)")


def check_ports(chain: Chain) -> None:
    """Every port the demo needs is free: the centers' and the 12345 simulator's."""
    from app.runner import StartupError, port_free

    for region, port in chain.ports.items():
        try:
            port_free(port)
        except StartupError:
            pid_path = VAR / f"demo-{region}.pid"
            hint = ""
            if pid_path.exists():
                hint = " (centers left by `yiwang demo --keep`? stop them: kill $(cat var/demo-*.pid))"
            raise DemoError(f"port {port} (for center {region}) is in use{hint}; pick other ports with --port "
                            f"(the demo uses {chain.port_count} ports from --port on)") from None
    for port, what in ((chain.hotline_port, "the 12345 platform's simulator"),
                       (chain.stub_port, "the stub gateway of webhooks and SMS")):
        try:
            port_free(port)
        except StartupError:
            raise DemoError(f"port {port} (for {what}) is in use; pick other ports with --port (the demo uses "
                            f"{chain.port_count} ports from --port on)") from None


def prepare_centers(regions: list[str], settings, console) -> None:
    """Check the broker, create and migrate every center's database (each fails with one clear line), and make
    sure no other center of these regions already consumes from this broker."""
    from app.runner import prepare

    with console.status("checking the broker and preparing the centers' databases …"):
        for region in regions:  # StartupError etc.: one line from the CLI
            prepare(region, settings)
        for region in regions:
            busy = other_consumers(region, settings.amqp_uri)
            if busy:
                raise DemoError(
                    f"another center of region {region} is already running on this broker (consumers on {busy[0]}"
                    f"{' and more' if len(busy) > 1 else ''}); it would take the demo's events with its own "
                    f"database. Stop it, or give the demo its own vhost, e.g. "
                    f"YIWANG_AMQP_URI=amqp://guest:guest@localhost:5672/demo (rabbitmqctl add_vhost demo; "
                    f"rabbitmqctl set_permissions -p demo guest '.*' '.*' '.*')")


def center_env(settings, chain: Chain | None = None) -> dict:
    """The environment the centers run with: the demo's own, with the admin token every center of the chain
    accepts (YIWANG_ADMIN_TOKEN: the configured one, else a new one), the chain's clock (YIWANG_CLOCK_FILE), and the
    stub gateway of the chain (its port) as where webhooks and SMS go."""
    admin = settings.admin_token or secrets.token_hex(24)
    env = dict(os.environ)
    env["YIWANG_ADMIN_TOKEN"] = admin
    env["YIWANG_CLOCK_FILE"] = str(clock_path(VAR))
    if chain is not None:
        env.update(stub_env(chain.stub_port))
    env.setdefault("YIWANG_NOTIFY_POLL_SECONDS", "0.5")
    env.setdefault("YIWANG_SWEEP_SECONDS", "2")
    env.setdefault("YIWANG_LOG_LEVEL", "WARNING")
    env["PYTHONUNBUFFERED"] = "1"
    return env


def hotline_env(port: int) -> dict[str, str]:
    """What the city's center runs with besides: it takes 12345 orders and tells the platform (its simulator on
    `port`) back."""
    return {"YIWANG_HOTLINE_SECRET": HOTLINE_SECRET, "YIWANG_HOTLINE_URL": f"http://127.0.0.1:{port}",
            "YIWANG_HOTLINE_POLL_SECONDS": "0.5"}


def stub_env(port: int) -> dict[str, str]:
    """Where every center sends the webhooks and SMS its duty rosters name: the stub gateway on `port`."""
    base = f"http://127.0.0.1:{port}"
    return {"YIWANG_WEBHOOK_URL": base, "YIWANG_WEBHOOK_SECRET": WEBHOOK_SECRET, "YIWANG_SMS_URL": f"{base}/sms",
            "YIWANG_SMS_SECRET": SMS_SECRET}


def start_stub(port: int) -> StubGateway:
    """The stub gateway (app.stub_gateway) of webhooks and SMS, checking the centers' signatures."""
    try:
        return StubGateway(webhook_secret=WEBHOOK_SECRET, sms_secret=SMS_SECRET, port=port).start()
    except OSError as exc:
        raise DemoError(f"the stub gateway of webhooks and SMS cannot listen on port {port}: {exc}") from None


def build_nodes(chain: Chain, env: dict, stats: Stats, catalog: Catalog) -> list[Node]:
    """The chain's centers, top down, not started yet: each process with its log and pid file, its HTTP API."""
    twelve345 = hotline_env(chain.hotline_port)
    nodes: list[Node] = []
    for region in chain.regions:
        r = catalog.regions.get(region)
        proc = Center(region, chain.ports[region], {**env, **twelve345} if region == chain.city else env,
                      VAR / f"demo-{region}.log", VAR / f"demo-{region}.pid")
        nodes.append(Node(region, r.name, r.tier, chain.ports[region], proc,
                          Http(f"http://127.0.0.1:{chain.ports[region]}", stats, f"center {region} ({r.name})"),
                          catalog.units_of(region), tasks=queue.Queue()))
    return nodes


def start_chain(nodes: list[Node], admin: str, catalog: Catalog, interrupted, console) -> None:
    """Start every center, wait until all are ready, then create the tokens of their people."""
    for node in nodes:
        node.center.start()
    wait_ready(nodes, interrupted, console)
    with console.status("creating tokens at every center …"):
        for node in nodes:
            node.tokens = make_tokens(node, admin, catalog)


def wait_ready(nodes: list[Node], interrupted, console, timeout: float = 150.0) -> None:
    """Wait until every center answers GET /readyz; a center that exits, or is not ready within `timeout`
    seconds, ends the demo with its log's last lines."""
    started = time.monotonic()
    ready: dict[str, float] = {}
    why: dict[str, str] = {}
    with console.status(f"starting {len(nodes)} centers …") as status:
        while len(ready) < len(nodes):
            if interrupted.is_set():
                raise KeyboardInterrupt
            for node in nodes:
                if node.region in ready:
                    continue
                if not node.center.alive():
                    console.print(f"[red]center {node.region} exited (code {node.center.process.returncode}); last "
                                  f"lines of {node.center.log_path}:[/red]\n{node.center.tail()}")
                    raise DemoError(f"center {node.region} exited during start-up; see {node.center.log_path}")
                try:
                    r = node.http.client.get("/readyz", timeout=2)
                    if r.status_code == 200:
                        ready[node.region] = time.monotonic() - started
                        continue
                    why[node.region] = error_text(r)
                except httpx.TransportError as exc:
                    why[node.region] = type(exc).__name__
            status.update(f"starting {len(nodes)} centers … {len(ready)} ready")
            if len(ready) == len(nodes):
                break
            if time.monotonic() - started > timeout:
                late = [n for n in nodes if n.region not in ready]
                console.print(f"[red]last lines of {late[0].center.log_path}:[/red]\n{late[0].center.tail()}")
                raise DemoError(f"{', '.join(n.region for n in late)} not ready within {timeout:.0f} s (GET /readyz: "
                                f"{why.get(late[0].region, '?')}); see {late[0].center.log_path}")
            time.sleep(0.5)
    console.print(f"  all {len(nodes)} centers ready in {max(ready.values()):.1f} s · pids "
                  + " ".join(f"{n.region}:{n.center.process.pid}" for n in nodes), highlight=False)


def make_tokens(node: Node, admin: str, catalog: Catalog) -> dict[str, str]:
    """Tokens of this center's people, created through its own gateway (each center keeps its own)."""
    here = node.name
    specs = {"dispatcher": {"role": "dispatcher", "name": f"{here}指挥中心值班员"},
             "gridworker": {"role": "gridworker", "name": f"{here}网格员"},
             "viewer": {"role": "viewer", "name": f"{here}领导驾驶舱"}}
    if node.tier == "city":
        specs["hotline"] = {"role": "hotline", "name": "12345政务服务便民热线平台"}
        specs["sensor"] = {"role": "sensor", "name": "危化品运输车辆监管平台"}  # app.demo.monitoring's tankers
    if node.tier == "township":
        specs["sensor"] = {"role": "sensor", "name": f"{here}物联感知平台"}
        specs["citizen"] = {"role": "citizen", "name": f"{here}随手拍 app"}
    for u in node.units:
        specs[u.code] = {"role": "handler", "unit": u.code, "name": f"{u.name}承办人"}
    tokens = {}
    for key, spec in specs.items():
        r = node.http.call("POST", "/api/v1/tokens", admin, json={"region": node.region, **spec})
        tokens[key] = expect(r, 201)["token"]
    return tokens


def start_hotline(city: Node, port: int, seed: int):
    """The 12345 platform's simulator (app.simulators.hotline), listening on `port` and pushing orders to the
    city's center with the city's hotline token; it makes the satisfaction visits (回访)."""
    try:
        return HotlineSimulator(city.base, city.tokens["hotline"], HOTLINE_SECRET, port=port, seed=seed,
                                visit_delay=VISIT_DELAY, mix=VISIT_MIX).start()
    except OSError as exc:
        raise DemoError(f"the 12345 platform's simulator cannot listen on port {port}: {exc}") from None


def stop_chain(nodes: list[Node], leave_running: bool, console) -> None:
    """Close the demo's HTTP clients; leave the centers running (`leave_running`, if all still are) or stop
    every started one (SIGTERM to all, then wait for each) and say how each went."""
    for node in nodes:
        node.http.close()
    if leave_running and all(n.center.alive() for n in nodes):
        for node in nodes:
            node.center.detach()  # left running on purpose; the summary printed how to stop them
        return
    started = [n for n in nodes if n.center.proc is not None]
    if started:
        with console.status(f"stopping {len(started)} centers (SIGTERM) …"):
            for node in started:
                node.center.signal()
            results = [(node, *node.center.stop()) for node in started]
        console.print(" · ".join(f"{node.region} {how} (exit {code})" for node, code, how in results),
                      highlight=False)
