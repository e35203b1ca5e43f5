"""Where to look next, printed at the end of the demo: the tokens, each center's gateway, API and log, a sample case
read at the city and at its township (the same id and timeline at both), the requests that show the evaluation, the
board and the cases, the Open311 discovery, RabbitMQ and the dead letters; with --keep, how to stop the centers."""
from __future__ import annotations

from app.demo.broker import dead_letters, management_url
from app.demo.chain import Node
from app.demo.errors import DemoError
from app.demo.sim import Sim


def print_next_steps(console, sim: Sim, keep: bool, period: str) -> None:
    """Where to look next (`period`: the month of the evaluation), the centers running on (`keep`) or stopping."""
    city = sim.city
    viewer = city.tokens["viewer"]
    sample, why, town = _sample_case(sim)
    auth = '-H "Authorization: Bearer $YIWANG_TOKEN"'
    console.print()
    if keep:
        console.print("[bold green]Where to look next[/bold green] — the centers are still running "
                      f"(pids {' '.join(str(n.center.process.pid) for n in sim.nodes)})")
    else:
        console.print("[bold green]Where to look next[/bold green] — the centers stop now; serve the same data again "
                      "with one `yiwang run --region CODE --port PORT` per center below (or rerun the demo with --keep)")
    lines = [f"  export YIWANG_TOKEN={viewer}    # read-only viewer of the city {city.region}: sees the whole chain"]
    if town is not None:
        lines.append(f"  export YIWANG_TOKEN_{town.region}={town.tokens['viewer']}    # viewer of {town.name} "
                     f"(every center keeps its own tokens)")
    lines.append("  centers:")
    for node in sim.nodes:
        lines.append(f"    {node.tier:<8} {node.region:<9} {node.name:<8}\tgateway {node.base}   "
                     f"API {node.base}/openapi.json   log {node.center.log_path}")
    lines += _sample_lines(sim, sample, why, town, auth)
    lines += _request_lines(sim, auth, period)
    if keep:
        lines += _keep_lines(sim)
    for line in lines:
        console.print(line, soft_wrap=True, highlight=False, markup=False)


def _sample_lines(sim: Sim, sample: str | None, why: str, town: Node | None, auth: str) -> list[str]:
    """How to read the sample case at the city and at its township, and whether both say the same."""
    city = sim.city
    base = city.base
    lines: list[str] = []
    if sample:
        lines.append(f"  a case at the city      curl -s {auth} {base}/api/v1/cases/{sample} | python -m json.tool"
                     f"    # {why}")
        if town is not None:
            lines.append(f"  … and at {town.name}     curl -s -H \"Authorization: Bearer $YIWANG_TOKEN_{town.region}\" "
                         f"{town.base}/api/v1/cases/{sample} | python -m json.tool    # the same id, the same timeline")
            check = _same_case(sim, city, town, sample)
            if check:
                lines.append(f"                          ({check})")
    return lines


def _request_lines(sim: Sim, auth: str, period: str) -> list[str]:
    """The requests that show the evaluation, the board and the cases at the city; the Open311 discovery of the
    first township; the RabbitMQ management UI and the dead letters."""
    base = sim.city.base
    lines = [
        f"  evaluation by region    curl -s {auth} '{base}/api/v1/evaluation?period={period}&by=region'",
        f"  evaluation by unit      curl -s {auth} '{base}/api/v1/evaluation?period={period}&by=unit'",
        f"  board                   curl -s {auth} {base}/api/v1/board",
        f"  cases of a township     curl -s {auth} '{base}/api/v1/cases?region={sim.nodes[-1].region}&page_size=5'",
        f"  12345 cases             curl -s {auth} '{base}/api/v1/cases?source=hotline&page_size=5'",
        f"  sensor cases            curl -s {auth} '{base}/api/v1/cases?source=sensor'",
        f"  warnings (监测预警)      curl -s {auth} '{base}/api/v1/warnings?page_size=5'    (kind=dwell, "
        f"route_deviation, hotspot …; a township's own: at its gateway)",
    ]
    first = next(n for n in sim.nodes if n.tier == "township")
    lines += [f"  Open311 ({first.name})   curl -s {first.base}/open311/v2/discovery.json    (also services.json, "
              f"requests.json; POST requests.json with api_key={first.tokens['citizen']})"]
    mgmt = management_url()
    lines.append(f"  RabbitMQ                {mgmt}" if mgmt else
                 "  RabbitMQ                management UI not enabled (rabbitmq-plugins enable rabbitmq_management, "
                 "then http://localhost:15672, guest/guest)")
    lines.append(f"  dead letters            {dead_letters([n.region for n in sim.nodes], sim.dead_before)}")
    return lines


def _keep_lines(sim: Sim) -> list[str]:
    """With --keep: the admin token every center accepts, and how to stop the centers."""
    city = sim.city
    return [f"  admin token             {city.center.env.get('YIWANG_ADMIN_TOKEN', '')}    # accepted by every "
            f"center, e.g. POST /api/v1/tokens",
            f"  stop them               kill {' '.join(str(n.center.process.pid) for n in sim.nodes)}    "
            f"(or: kill $(cat var/demo-*.pid))",
            "  12345                   the platform's simulator stopped with the demo; the city keeps what it "
            "owes the platform in its outbox and sends it once something answers at YIWANG_HOTLINE_URL"]


def _sample_case(sim: Sim) -> tuple[str | None, str, Node | None]:
    """A 12345 case handled at a township and closed after its visit, with an interesting timeline if there is one:
    returned or reworked there; else a case entered at the city and handled at a township; else any case handled
    at a township."""
    cases = [c for c in list(sim.cases.values()) if c.get("center") in sim.by_region]
    city = sim.city.region

    def town(c):
        node = sim.by_region[c["center"]]
        return node if node.tier == "township" else None
    picks = (
        ("12345 order pushed to the city, routed city → county → township, reworked or returned there, closed after "
         "the citizen's visit (回访)", lambda c: c.get("source") == "hotline" and town(c) and c["status"] == "closed"
         and c.get("satisfaction") and (c.get("rework_count") or c.get("return_count"))),
        ("12345 order pushed to the city, routed city → county → township, closed there after the citizen's visit",
         lambda c: c.get("source") == "hotline" and town(c) and c["status"] == "closed" and c.get("satisfaction")),
        ("entered at the city, handled at a township", lambda c: sim.entered.get(c["id"]) == city and town(c)),
        ("handled at a township", lambda c: town(c)),
    )
    for why, pick in picks:
        for c in cases:
            if pick(c):
                return c["id"], why, town(c)
    return None, "", None


def _same_case(sim: Sim, city: Node, town: Node, case_id: str) -> str:
    """Read the sample at both gateways: the same id, status and timeline everywhere?"""
    try:
        a = city.http.call("GET", f"/api/v1/cases/{case_id}", city.tokens["viewer"])
        b = town.http.call("GET", f"/api/v1/cases/{case_id}", town.tokens["viewer"])
        if a.status_code != 200 or b.status_code != 200:
            return f"checked: the city answered {a.status_code}, {town.name} {b.status_code}"
        a, b = a.json(), b.json()
    except DemoError as exc:
        return f"could not check: {exc}"
    same = a["id"] == b["id"] and a["status"] == b["status"]
    ta, tb = [t["type"] for t in a["timeline"]], [t["type"] for t in b["timeline"]]
    if same and ta == tb:
        return f"checked: both say {a['status']}, center {a['center']}, the same {len(ta)} timeline entries"
    sim.stats.surprises.append(f"sample {case_id}: the city says {a['status']} with {len(ta)} entries, "
                               f"{town.region} says {b['status']} with {len(tb)}")
    return (f"they differ: the city says {a['status']} ({len(ta)} entries), {town.name} says {b['status']} "
            f"({len(tb)} entries)")
