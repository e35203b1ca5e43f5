"""The state of one run of the demo, shared by its threads: the reporters sending the day (app.demo.reporters),
the people around every center (app.demo.people), the day's monitoring (app.demo.monitoring) and the display. The
cases of this run as the city sees them, what was sent and refused, what the people have decided, and the counts the
display shows."""
from __future__ import annotations

import random
import threading

from app.demo.chain import Node
from app.demo.client import Stats, error_text
from app.demo.monitoring import Monitoring
from app.demo.workflow import Script
from shared.catalog import Catalog

#: the channels (a case's `source`) and the case states, with their names on the city's screens; FINAL: the states
#: a case ends in (a late 12345 visit may still reopen a closed one)
CHANNEL_CN = {"hotline": "12345热线", "grid": "网格巡查", "sensor": "物联感知", "open311": "Open311 app",
              "desk": "窗口登记", "proactive": "未诉先办"}
STATUS_CN = {"received": "已受理", "triaged": "已分拨", "dispatched": "已派遣", "accepted": "处置中",
             "resolved": "已办结", "verified": "已核查", "closed": "已结案", "rejected": "不予立案", "merged": "已并单",
             "voided": "已作废"}
FINAL = ("closed", "rejected", "merged", "voided")


class Sim:
    """One run: the chain's centers, the 12345 platform's simulator, and what the reporters of the day (grid
    workers, desks, the 12345 platform, sensors, a citizens' app) and the people around every center (units, grid
    workers, dispatchers) share while they play it over HTTP."""

    def __init__(self, nodes: list[Node], seed: int, stats: Stats, catalog: Catalog, hotline):
        self.nodes = nodes
        self.hotline = hotline  # the 12345 platform (HotlineSimulator), pushing orders to the city
        self.by_region = {n.region: n for n in nodes}
        self.city = nodes[0]
        self.catalog = catalog
        self.stats = stats
        self.seed = seed
        self.rng = random.Random(seed)
        self.stop = threading.Event()
        self.cases: dict[str, dict] = {}       # case id → the latest view of it at the city (this run's cases)
        self.entered: dict[str, str] = {}      # case id → the center whose gateway took it in
        self.due: dict[tuple, float] = {}      # (case id, stage, round) → when a simulated person acts on it
        self.late: set[tuple] = set()          # the (case, stage, round) keys a unit is slow on
        self.returned_once: set[str] = set()
        self.escalation_decided: set[str] = set()
        self.failed_once: set[str] = set()
        self.supervised: set[str] = set()
        self.extended: set[str] = set()
        self.followed: set[str] = set()        # cases the city has considered supervising from above
        self.leftovers: set[str] = set()       # open cases of earlier (interrupted) runs the people also worked on
        self.awaited: set[str] = set()         # cases a duplicate or an all-clear is about to reach (HOLD)
        self.duplicates: set[str] = set()      # the duplicates' own cases (to be merged into those)
        self.storms: dict[str, dict] = {}      # storm → {alerts, grouped, cases: {ids}, all_clear: the answer}
        self.refused: dict[str, list[str]] = {}  # channel → what the gateway answered to what it did not take
        self.service_attributes: dict[tuple[str, str], list[dict]] = {}  # (center, Open311 service) → attributes
        self.sent = 0                          # arrivals sent (reports, orders, requests, alerts, heartbeats)
        self.replays = 0
        self.since = ""  # ISO time just before the first report: the case list's `from` filter
        self.dead_before: dict[str, int] | str | None = None  # dead letters waiting before the run, per center
        self.script = Script()  # the day's workflow moments (reviewed returns, suspension, void, escalation chain)
        self.monitoring = Monitoring()  # the day's warnings: the tankers' tracks, the hot spot and its task

    def chance(self, p: float) -> bool:
        """True with probability `p` (the run's seeded generator)."""
        return self.rng.random() < p

    def list_all(self, node: Node, token: str, **params) -> list[dict]:
        """Every page of GET /api/v1/cases at `node` with these filters."""
        out: list[dict] = []
        page = 1
        while True:
            r = node.http.call("GET", "/api/v1/cases", token, params={"page": page, "page_size": 100, **params})
            if r.status_code != 200:
                self.stats.surprises.append(f"{node.label}: GET /api/v1/cases {params} → {error_text(r)}")
                return out
            data = r.json()
            out += data["items"]
            if page * data["page_size"] >= data["total"] or not data["items"]:
                return out
            page += 1

    def refresh(self) -> None:
        """This run's cases as the city sees them now (the list, paged; only our ids count)."""
        for c in self.list_all(self.city, self.city.tokens["viewer"], **{"from": self.since}):
            if c["id"] in self.entered:
                self.cases[c["id"]] = c

    def counts(self) -> dict[str, int]:
        out = {s: 0 for s in STATUS_CN}
        for c in list(self.cases.values()):
            out[c["status"]] = out.get(c["status"], 0) + 1
        return out

    def by_center(self) -> dict[str, dict[str, int]]:
        """owning center → status → count (as the city sees this run's cases)."""
        out: dict[str, dict[str, int]] = {n.region: {s: 0 for s in STATUS_CN} for n in self.nodes}
        for c in list(self.cases.values()):
            row = out.setdefault(c.get("center") or "?", {s: 0 for s in STATUS_CN})
            row[c["status"]] = row.get(c["status"], 0) + 1
        return out

    def by_channel(self) -> dict[str, dict[str, int]]:
        """source → status → count (as the city sees this run's cases)."""
        out: dict[str, dict[str, int]] = {ch: {s: 0 for s in STATUS_CN} for ch in CHANNEL_CN}
        for c in list(self.cases.values()):
            row = out.setdefault(c.get("source") or "?", {s: 0 for s in STATUS_CN})
            row[c["status"]] = row.get(c["status"], 0) + 1
        return out

    def teams(self) -> int | None:
        """How many of this run's cases went straight to a team (网格化自动派遣); None if cases carry no team."""
        cases = [c for c in list(self.cases.values()) if "team" in c]
        return sum(1 for c in cases if c["team"]) if cases else None

    def visits_pending(self) -> int:
        """12345 orders whose last `resolved` update has not had its visit (回访) yet."""
        return sum(1 for o in self.hotline.state()["orders"] if o["updates"].count("resolved") > len(o["visits"]))

    def all_final(self) -> bool:
        """Every case of this run is final, and no visit is due (a visit may still reopen a closed case)."""
        cases = list(self.cases.values())
        return bool(cases) and all(c["status"] in FINAL for c in cases) and not self.visits_pending()

