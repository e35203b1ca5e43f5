"""The end of the demo, as the city sees its whole subtree: what was sent and done, the cases by channel and the
sensor storms, the evaluation by region and by unit (行政问效) and the board, the problems seen (server errors,
refusals, lost visits, unexpected answers, centers disagreeing with the city), and where to look next."""
from __future__ import annotations

import time
from datetime import datetime

from rich import box
from rich.panel import Panel
from rich.table import Table

from app.demo.client import expect
from app.demo.errors import DemoError
from app.demo.evaluation import board_table, evaluation_region_table, evaluation_unit_table
from app.demo.next_steps import print_next_steps
from app.demo.progress import channel_table, lost_visits
from app.demo.sim import CHANNEL_CN, FINAL, STATUS_CN, Sim
from shared.catalog import Catalog
from shared.clock import CHINA


def print_summary(console, sim: Sim, catalog: Catalog, keep: bool, took: float) -> None:
    """Everything the demo prints once the day is over (`took`: how long it ran; `keep`: the centers run on)."""
    period = datetime.now(CHINA).strftime("%Y-%m")
    _print_totals(console, sim, took)
    _print_channels(console, sim)
    _print_evaluation(console, sim, catalog, period)
    _print_problems(console, sim)
    print_next_steps(console, sim, keep, period)


def _print_totals(console, sim: Sim, took: float) -> None:
    """What was sent, how many cases are final, and what the simulated people did."""
    st = sim.stats
    counts = sim.counts()
    console.print()
    console.print(f"{sum(counts[s] for s in FINAL)} of {len(sim.cases)} cases final in {took:.0f} s · sent "
                  f"{sim.sent} reports, orders, requests, alerts and heartbeats ({sim.replays} reports retried with "
                  f"the same Idempotency-Key) · "
                  f"签收 accepted {st['act.accept']} ({st['late_accept']} late) · 退单 returned {st['act.return']} · "
                  f"上报 escalated {st['act.escalate']} · 延期 extensions {st['act.extend']} requested, "
                  f"{st['act.decide-extension']} decided · 办结 resolved {st['act.resolve']} ({st['late_resolve']} late) "
                  f"· 核查 verified {st['verified_ok']} (+{st['verified_failed']} sent back for rework) · "
                  f"督办 supervised {st['act.supervise']} ({st['followed_supervised']} by the city from above) · "
                  f"回访 12345 cases closed by a leader's review after their visits {st['review_closed']} · "
                  f"{st['requests']} HTTP requests", highlight=False)
    if sim.leftovers:
        console.print(f"(the counts include {len(sim.leftovers)} cases that earlier runs had left open; the simulated "
                      f"people worked through them too)")
    console.print("Late work is simulated by slow units (迟签/迟办) and extension requests (延期); the deadlines are "
                  "real working time (30 min to days), so in a few minutes nothing turns yellow or red by itself.",
                  style="dim")


def _print_channels(console, sim: Sim) -> None:
    """The cases by channel, the duplicates merged, the 12345 platform's totals and the sensor storms."""
    console.print()
    console.print(channel_table(sim, "[bold]渠道 · cases by channel[/bold] (their source, as the city sees them)"))
    merged = sum(1 for cid in sim.duplicates if sim.cases.get(cid, {}).get("status") == "merged")
    console.print(f"并单: {merged} of the day's {len(sim.duplicates)} duplicates (a 12345 caller or an app user "
                  f"reporting what a grid worker had just reported) merged into the case they repeat; "
                  f"{sum(sim.by_channel()[ch].get('merged', 0) for ch in CHANNEL_CN)} cases merged in all",
                  highlight=False)
    totals = sim.hotline.state()["totals"]
    console.print("12345 platform (simulator) totals: " + " · ".join(f"{k} {v}" for k, v in totals.items()),
                  highlight=False)
    if sim.storms:
        console.print(_storm_table(sim))
    console.print()


def _print_evaluation(console, sim: Sim, catalog: Catalog, period: str) -> None:
    """The city's evaluation of `period` by region and by unit, and its board."""
    city = sim.city
    viewer = city.tokens["viewer"]
    for by, table in (("region", evaluation_region_table), ("unit", evaluation_unit_table)):
        ev = expect(city.http.call("GET", "/api/v1/evaluation", viewer, params={"period": period, "by": by}), 200)
        console.print(f"[bold]行政问效 · evaluation by {by} · {period}[/bold]  [dim](at the city: GET "
                      f"/api/v1/evaluation?period={period}&by={by})[/dim]", highlight=False)
        console.print(table(ev["rows"], catalog, period))
    board = expect(city.http.call("GET", "/api/v1/board", viewer), 200)
    console.print(board_table(board, catalog))


def _print_problems(console, sim: Sim) -> None:
    """A panel of the problems seen, if any: server errors, arrivals not taken in, 12345 visits the city did not
    take, unexpected answers, and cases whose owner and the city disagree."""
    st = sim.stats
    try:
        inconsistent = _consistency(sim)
    except DemoError as exc:
        inconsistent = [f"could not compare the centers' views: {exc}"]
    refused = [f"{channel}: {len(r)} refused, e.g. {r[0]}" for channel, r in sim.refused.items()]
    lost = lost_visits(sim, reworked=False)
    if st.server_errors or st.surprises or inconsistent or refused or lost:
        lines = [f"server errors (5xx): {len(st.server_errors)}"] + st.server_errors[:5]
        lines += [f"not taken in: {sum(len(r) for r in sim.refused.values())}"] + refused
        lines += [f"12345 visits the city did not take: {len(lost)}"] + lost[:5]
        lines += [f"unexpected answers: {len(st.surprises)}"] + st.surprises[:5]
        lines += [f"owner and city disagree: {len(inconsistent)}"] + inconsistent[:5]
        console.print(Panel("\n".join(lines), title="problems seen", border_style="red"))


def _storm_table(sim: Sim):
    """Each sensor storm: the alerts sent, the cases they made, and what the all-clear did."""
    t = Table(box=box.SIMPLE_HEAD, title="[bold]物联感知 · sensor storms[/bold] (POST /api/v1/alerts → {case_id, "
              "grouped}; alert_count and status as the city sees the case)", title_justify="left")
    for head in ("storm", "alerts sent", "grouped", "case", "alert_count", "status", "all-clear (resolved: true)"):
        t.add_column(head, justify="right" if head in ("alerts sent", "grouped", "alert_count") else "left",
                     no_wrap=head in ("storm", "case"))
    for name, x in sorted(sim.storms.items(), key=lambda kv: int(kv[0][1:].split()[0])):
        ids = sorted(x["cases"])
        views = [sim.cases.get(i, {}) for i in ids]
        clear = x["all_clear"] and x["all_clear"]["case_id"]
        clear = ("—" if x["all_clear"] is None else "ignored: the case was no longer open" if not clear
                 else "taken on the storm's case" if clear in x["cases"] else f"taken on {clear}")
        t.add_row(name, str(x["alerts"]), str(x["grouped"]), "\n".join(ids) or "—",
                  "\n".join(str(v.get("alert_count", "?")) for v in views),
                  "\n".join(STATUS_CN.get(v.get("status", ""), "?") + f" {v.get('status', '')}" for v in views), clear)
    return t


def _consistency(sim: Sim) -> list[str]:
    """Every center's own view of the cases it owns, against the city's view of them: one id everywhere, the
    same status. Mismatches are re-checked once after a few seconds (events take a moment to flow up)."""

    def mismatches() -> list[tuple[str, str, str, str]]:
        out = []
        for node in sim.nodes[1:]:
            for c in sim.list_all(node, node.tokens["viewer"], **{"from": sim.since}):
                city = sim.cases.get(c["id"])
                if city is None or c["center"] != node.region:
                    continue
                if city.get("status") != c["status"] or city.get("center") != c["center"]:
                    out.append((c["id"], node.region, f"{c['status']}@{c['center']}",
                                f"{city.get('status')}@{city.get('center')}"))
        return out

    found = mismatches()
    if found:
        time.sleep(4)
        sim.refresh()
        found = mismatches()
    return [f"case {cid}: {here} says {mine}, the city says {city}" for cid, here, mine, city in found]

