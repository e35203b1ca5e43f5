"""What the demo shows while it runs: the chain it starts and the day it brings, then the progress per center
and per channel and the day's monitoring — a live view on a terminal, a plain line every 10 s in a log or a pipe."""
from __future__ import annotations

import os
import time

from rich.console import Group
from rich.live import Live
from rich.markup import escape
from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text

from app.demo.broker import safe_amqp
from app.demo.chain import Chain, database_line, sys_exe_cmd
from app.demo.day import Arrival
from app.demo.monitoring import HOTSPOT_REPORTS, STAY_MINUTES, monitoring_status
from app.demo.sim import CHANNEL_CN, FINAL, STATUS_CN, Sim
from shared.catalog import Catalog


def announce(console, chain: Chain, catalog: Catalog, settings, cases: int, minutes: float, seed: int) -> None:
    """The chain the demo is about to start: its regions, the broker, the databases, each center's command and
    log, and the 12345 platform's simulator."""
    county = chain.county
    county_name = catalog.regions.name(county)
    console.print(f"[bold]Yiwang demo[/bold] · the chain {catalog.regions.name(chain.city)} ({chain.city}) → "
                  f"{county_name} ({county}) → {len(chain.townships)} townships · {cases} cases · "
                  f"up to {minutes:g} min · seed {seed}")
    console.print(f"  broker   {safe_amqp(settings.amqp_uri)}")
    console.print(f"  database {database_line(settings.database_url, 'YIWANG_DATABASE_URL' in os.environ)}")
    for region in chain.regions:
        r = catalog.regions.get(region)
        console.print(f"  {r.tier:<8} {sys_exe_cmd(region, chain.ports[region])}   {r.name}  "
                      f"(log: var/demo-{region}.log)", highlight=False)
    console.print(f"  12345    the platform's simulator at http://127.0.0.1:{chain.hotline_port} (in this process), "
                  f"pushing orders to the city", highlight=False)
    console.print(f"  notices  the stub gateway at http://127.0.0.1:{chain.stub_port} (in this process; app.stub_gateway) "
                  f"takes the webhooks (/hooks/…) and SMS (/sms) the duty rosters name; what arrived: "
                  f"http://127.0.0.1:{chain.stub_port}/state", highlight=False)


def day_line(arrivals: list[Arrival], cases: int, span: float, city: str) -> str:
    """What the day brings, by channel."""
    first = [a for a in arrivals if a.duplicate_of is None]
    n = {ch: sum(1 for a in first if a.channel == ch) for ch in CHANNEL_CN}
    desk_city = sum(1 for a in first if a.channel == "desk" and a.center == city)
    storms = {a.storm for a in arrivals if a.storm}
    alerts = sum(1 for a in arrivals if a.storm and not a.body.get("resolved"))
    clears = sum(1 for a in arrivals if a.body.get("resolved") is True)
    repeats = [a for a in arrivals if a.duplicate_of is not None]
    by_phone = sum(1 for a in repeats if a.channel == "hotline")
    return (f"  the day: {cases} cases over {span:.0f} s — 12345 {n['hotline']} orders (pushed to the city, located "
            f"in the townships) · grid {n['grid']} patrol reports · desk {n['desk']} ({desk_city} at the city, the "
            f"rest walk-ins at the townships) · Open311 {n['open311']} app requests · sensors {len(storms)} storms "
            f"({alerts} alerts, {clears} all-clear) and {n['sensor'] - alerts - clears} heartbeats · "
            f"{len(repeats)} duplicates of grid reports ({by_phone} by 12345, {len(repeats) - by_phone} in the app) "
            f"to be merged (并单). Simulated units at every center sign, return (with a reason code and the basis, "
            f"reviewed by the desk), escalate, ask for time or to suspend a case (挂账), run late and resolve; desks "
            f"void a test message (作废); grid workers and desks verify; 12345 citizens answer the visits (回访); an "
            f"urgent case left unsigned shows an escalation chain telling the duty rosters (webhook, SMS). 监测预警: two "
            f"危化品 tankers' trackers stream to the city — one stops {STAY_MINUTES:g} min at a closed plant (dwell), one "
            f"leaves its route (route_deviation) — and {HOTSPOT_REPORTS} noise complaints around one market make a hot "
            f"spot that the township turns into a proactive task (未诉先办)")


def _clock(seconds: float) -> str:
    """Seconds as m:ss."""
    seconds = max(0, int(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


def _day_clock(elapsed: float, span: float) -> str:
    """The simulated time of day: the arrivals' span maps onto the working day 08:30–17:30; after that the
    intake is closed and the units finish what is open."""
    if elapsed >= span:
        return "17:30 · intake closed"
    minutes = 8 * 60 + 30 + (elapsed / max(span, 1.0)) * 9 * 60
    return f"{int(minutes // 60):02d}:{int(minutes % 60):02d}"


def _channel_notes(sim: Sim) -> dict[str, str]:
    """Per channel, what came in besides the cases: 12345 traffic, alerts against cases, refusals."""
    state = sim.hotline.state()
    t = state["totals"]
    unhappy = sum(1 for o in state["orders"] for v in o["visits"] if v["satisfaction"] == "dissatisfied")
    n = len(lost_visits(sim, reworked=True))
    late = f"; {n} came while the case was back in rework, and came again after its next resolve" if n else ""
    notes = {"hotline": f"orders {t['orders_sent']} · updates {t['updates_received']} (out of order "
                        f"{t['out_of_order']}, duplicates {t['duplicates']}) · visits {t['visits_sent']} "
                        f"({unhappy} dissatisfied{late})"}
    storms = list(sim.storms.values())
    alerts = sum(x["alerts"] for x in storms)
    made = set().union(*(x["cases"] for x in storms)) if storms else set()
    clears = sum(1 for x in storms if x["all_clear"] is not None)
    m = sim.monitoring
    raised = [w for ws in list(m.raised.values()) for w in list(ws)]  # (the monitoring's thread adds to them)
    notes["sensor"] = (f"{alerts} alerts → {len(made)} cases ({sum(x['grouped'] for x in storms)} grouped) · "
                       f"all-clear {clears} · heartbeats {sim.stats['sensor.heartbeats']} · vehicle tracks "
                       f"{m.batches} batches → {len(raised)} warnings, {len({w['case_id'] for w in raised})} cases")
    notes["proactive"] = f"from the hot spot's warning {m.warning_id}" if m.task_case else ""
    queued = sim.stats["open311.token_only"]
    notes["open311"] = f"requests {sim.stats['sent.open311']}" + (f" ({queued} answered with a token only)"
                                                                   if queued else "")
    for channel, refusals in sim.refused.items():
        notes[channel] = (notes.get(channel, "") + f" · [red]refused {len(refusals)}[/red] "
                          f"({escape(refusals[0][:90])})").lstrip(" ·")
    return notes


def lost_visits(sim: Sim, reworked: bool) -> list[str]:
    """The 12345 visits the city did not take: those refused because the case was back in rework (409
    illegal_transition: the citizen is visited again after the next resolve), or the others."""
    return [f"order {o['order_no']}: {v['error']}" for o in sim.hotline.state()["orders"] for v in o["visits"]
            if not v["sent"] and ("409 illegal_transition" in v["error"]) == reworked]


def channel_table(sim: Sim, title: str | None = None):
    """Cases by channel (source) and state, as the city sees them, with what else each channel brought."""
    t = Table(show_edge=False, pad_edge=False, box=None, title=title, title_justify="left")
    t.add_column("channel\n渠道")
    for head in ("cases\n案件", "open\n办理中", "closed\n已结案", "merged\n已并单", "rejected\n不予立案", "voided\n已作废"):
        t.add_column(head, justify="right")
    t.add_column("")
    notes = _channel_notes(sim)
    for channel, row in sim.by_channel().items():
        open_ = sum(n for st, n in row.items() if st not in FINAL)
        t.add_row(f"{channel} [dim]{CHANNEL_CN.get(channel, '')}[/dim]", str(sum(row.values())), str(open_ or "·"),
                  *(str(row.get(st) or "·") for st in ("closed", "merged", "rejected", "voided")), notes.get(channel, ""))
    teams = sim.teams()
    if teams is not None:
        t.caption = f"网格化自动派遣: {teams} cases went straight to the nearest available team"
        t.caption_justify = "left"
    return t


def _progress_view(sim: Sim, total: int, cases: int, started: float, limit: float, span: float, title: str):
    """One frame of the live view: the clocks, what was sent and what is final, the cases by owning center and
    state, by channel, what the people did and the throughput."""
    elapsed = time.monotonic() - started
    counts = sim.counts()
    done = sum(counts[s] for s in FINAL)
    known = max(cases, len(sim.cases))
    header = Text.assemble((title, "bold"), f"   {_clock(elapsed)} / {_clock(limit)}",
                           (f"   simulated day {_day_clock(elapsed, span)}", "dim"))
    bars = Table.grid(padding=(0, 1))
    bars.add_column(width=10)
    bars.add_column(width=42)
    bars.add_column()
    bars.add_row("sent", ProgressBar(total=total, completed=sim.sent, width=40),
                 f"{sim.sent}/{total} reports, orders, requests, alerts and heartbeats")
    bars.add_row("final", ProgressBar(total=known, completed=done, width=40), f"{done}/{known} cases")
    t = Table(show_edge=False, pad_edge=False, box=None)
    t.add_column("owning center\n当前承办中心")
    shown = [s for s in STATUS_CN if s not in ("rejected", "merged", "voided") or counts[s]]
    for s in shown:
        t.add_column(f"{s}\n{STATUS_CN[s]}", justify="right")
    for region, row in sim.by_center().items():
        node = sim.by_region.get(region)
        label = f"{node.name} {region} [dim]{node.tier}[/dim]" if node else region
        t.add_row(label, *(str(row.get(s, 0) or "·") for s in shown))
    t.add_row("[bold]all[/bold]", *(f"[bold]{counts[s]}[/bold]" for s in shown))
    st = sim.stats
    per_min = done / (elapsed / 60) if elapsed > 5 else 0.0
    acts = Text(f"签收 {st['act.accept']} (迟签 {st['late_accept']}) · 退单 {st['act.return']} "
                f"(审核同意 {st['return_approved']} / 不同意 {st['return_refused']}) · "
                f"上报 {st['act.escalate']} · 延期申请 {st['act.extend']} · 挂账 {st['act.suspend']} · "
                f"作废 {st['act.void']} · 办结 {st['act.resolve']} · "
                f"核查通过 {st['verified_ok']} · 返工 {st['verified_failed']} · "
                f"督办 {st['act.supervise']} (市级 {st['followed_supervised']}) · 回访后审核结案 {st['review_closed']}",
                style="cyan")
    watch = Text.from_markup(f"监测预警 {monitoring_status(sim)}", style="magenta")
    rate = Text(f"throughput {per_min:.1f} cases closed/min · {st['requests'] / max(elapsed, 1):.1f} requests/s · "
                f"conflicts {st['conflicts']} · server errors {st['server_errors']} · "
                f"12345 visits due {sim.visits_pending()}", style="dim")
    return Group(header, bars, t, Text(), channel_table(sim), acts, watch, rate)


def _plain_progress(sim: Sim, total: int, started: float) -> str:
    """The progress in one line, for a log or a pipe."""
    counts = sim.counts()
    parts = " ".join(f"{s}={counts[s]}" for s in STATUS_CN if counts[s]) or "no cases yet"
    owners = []
    for region, row in sim.by_center().items():
        open_ = sum(n for s, n in row.items() if s not in FINAL)
        closed = sum(row.get(s, 0) for s in FINAL)
        if open_ or closed:
            owners.append(f"{region} {open_} open/{closed} done")
    channels = []
    for channel, row in sim.by_channel().items():
        if any(row.values()):
            open_ = sum(n for s, n in row.items() if s not in FINAL)
            channels.append(f"{channel} {sum(row.values())} ({open_} open)")
    return (f"[{_clock(time.monotonic() - started)}] sent {sim.sent}/{total} · {parts}"
            + (" · owned by: " + ", ".join(owners) if owners else "")
            + (" · by channel: " + ", ".join(channels) if channels else "")
            + f" · 监测预警 {monitoring_status(sim)}")


class Display:
    """The progress of the run while the day is driven: a live view on a terminal, refreshed on every update; else
    (a log file, a pipe) a plain line every 10 s and when every case is final."""

    def __init__(self, sim: Sim, total: int, cases: int, started: float, limit: float, span: float, console):
        self.sim, self.total, self.cases, self.started = sim, total, cases, started
        self.limit, self.span, self.console = limit, span, console
        self.title = f"一网统管 demo · {' → '.join(n.name for n in sim.nodes[:2])} → {len(sim.nodes) - 2} 街镇"
        self.live = Live(self._view(), console=console, auto_refresh=False,
                         transient=False) if console.is_terminal else None
        self.last_plain = 0.0

    def _view(self):
        return _progress_view(self.sim, self.total, self.cases, self.started, self.limit, self.span, self.title)

    def start(self) -> None:
        if self.live:
            self.live.start()

    def update(self, all_final: bool) -> None:
        if self.live:
            self.live.update(self._view(), refresh=True)
        elif time.monotonic() - self.last_plain >= 10 or all_final:
            self.last_plain = time.monotonic()
            self.console.print(_plain_progress(self.sim, self.total, self.started), highlight=False)

    def stop(self) -> None:
        """The last frame of the live view, left on the screen."""
        if self.live:
            self.live.update(self._view(), refresh=True)
            self.live.stop()
