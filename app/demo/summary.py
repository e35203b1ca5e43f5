"""The end of the demo, as the city sees its whole subtree: what was sent and done, the day's workflow moments
(reviewed returns, the extension, the suspension, the void, the escalation chain and the notices the stub gateway
took), the day's warnings (the tankers' dwell and deviation, the hot spot and its proactive task, read back from the
centers), the cases by channel and the sensor storms, the evaluation by region and by unit (行政问效), the ranking
(红黑榜) and the board, the problems seen (server errors, refusals, lost visits, unexpected answers, centers
disagreeing with the city), and where to look next."""
from __future__ import annotations

import time

from rich import box
from rich.panel import Panel
from rich.table import Table

from app.demo.client import expect
from app.demo.errors import DemoError
from app.demo.evaluation import board_table, evaluation_region_table, evaluation_unit_table, ranking_table
from app.demo.monitoring import monitoring_lines
from app.demo.next_steps import print_next_steps
from app.demo.progress import channel_table, lost_visits
from app.demo.sim import CHANNEL_CN, FINAL, STATUS_CN, Sim
from app.demo.workflow import stub_summary
from shared.catalog import Catalog


def print_summary(console, sim: Sim, catalog: Catalog, keep: bool, took: float) -> None:
    """Everything the demo prints once the day is over (`took`: how long it ran; `keep`: the centers run on)."""
    period = sim.script.now().strftime("%Y-%m")  # the month on the chain's clock
    _print_totals(console, sim, took)
    _print_workflow(console, sim, catalog)
    _print_monitoring(console, sim)
    _print_channels(console, sim)
    _print_evaluation(console, sim, catalog, period)
    _print_ranking(console, sim, catalog, period)
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
                  f"签收 accepted {st['act.accept']} ({st['late_accept']} late) · 退单 returned {st['act.return']} "
                  f"(reviewed: {st['return_approved']} approved, {st['return_refused']} refused) · "
                  f"上报 escalated {st['act.escalate']} · 延期 extensions {st['act.extend']} requested, "
                  f"{st['act.decide-extension']} decided · 挂账 suspensions {st['act.suspend']} requested, "
                  f"{st['act.decide-suspension']} decided, {st['act.resume']} resumed · 作废 voided {st['act.void']} · "
                  f"办结 resolved {st['act.resolve']} ({st['late_resolve']} late) "
                  f"· 核查 verified {st['verified_ok']} (+{st['verified_failed']} sent back for rework) · "
                  f"督办 supervised {st['act.supervise']} ({st['followed_supervised']} by the city from above) · "
                  f"回访 12345 cases closed by a leader's review after their visits {st['review_closed']} · "
                  f"{st['requests']} HTTP requests", highlight=False)
    if sim.leftovers:
        console.print(f"(the counts include {len(sim.leftovers)} cases the day did not send — left open by earlier "
                      f"runs, or opened by a center itself, such as a sensor gone silent once the clock moved on; the "
                      f"simulated people worked through them too)")
    console.print("Late work is simulated by slow units (迟签/迟办) and extension requests (延期); the deadlines are "
                  "real working time (30 min to days), so in a few minutes nothing turns yellow or red by itself — "
                  "but for the one urgent case left unsigned, whose chain the demo shows by moving the clock on.",
                  style="dim")


def _print_workflow(console, sim: Sim, catalog: Catalog) -> None:
    """The day's workflow moments (app.demo.workflow): what each showed, on which case; the notices sent out."""
    script = sim.script
    console.print()
    console.print("[bold]流程 · the day's workflow moments[/bold] (services/dispatch/data/workflow.toml, "
                  "services/notification/data/rosters.toml; docs/practice.md)", highlight=False)
    lines = []
    reviewed = ", ".join(f"{cid} ({script.returned.get(cid, '?')}: {'approved → routed again' if ok else 'refused → the unit keeps it'})"
                         for cid, ok in script.reviewed.items())
    lines.append(f"  退单审核 returns reviewed by the dispatching center: {len(script.reviewed)} — {reviewed or 'none'}")
    if script.extension_case:
        lines.append(f"  延期 an extension of 2 working days (within at most 3 of at most 3), approved by the desk: "
                     f"{script.extension_case}")
    if script.suspension_case:
        lines.append(f"  挂账/缓办 suspended with approval, then resumed ({script.suspension_state or '?'}): "
                     f"{script.suspension_case}")
    if script.test_case:
        status = sim.cases.get(script.test_case, {}).get("status", "?")
        lines.append(f"  作废 the test message voided by the township's desk before any unit signed for it: "
                     f"{script.test_case} ({status})")
    lines += _escalation_lines(sim)
    if script.joint_case:
        state = {"done": "each signed for and resolved its own sub-task; the lead resolved the case after them",
                 "failed": "refused (see the problems below)"}.get(script.joint_state, script.joint_state or "?")
        lines.append(f"  联合处置 joint handling of {script.joint_case}: lead {script.joint_lead}, assisting "
                     f"{', '.join(script.joint_units)} — {state} "
                     f"(sub-tasks in the day, the routing rules' joint cases included: {sim.stats['act.task.accept']} "
                     f"signed for, {sim.stats['act.task.resolve']} resolved)")
    else:
        lines.append("  联合处置 joint handling: no township case was fit for it this time")
    lines.append("  街道吹哨 the whistle (county departments summoned by a township): not in the day yet "
                 "(app.demo.workflow.whistle_case)")
    notices = stub_summary(script.stub)
    kinds = " · ".join(f"{k} {n}" for k, n in sorted(notices["kinds"].items())) or "none"
    lines.append(f"  the stub gateway took {notices['webhook']} webhooks ({kinds}) and {notices['sms']} SMS "
                 f"(refused for a bad signature: {notices['refused']}; repeats dropped: {notices['repeats']})")
    for line in lines:
        console.print(line, highlight=False, markup=False, soft_wrap=True)


def _print_monitoring(console, sim: Sim) -> None:
    """The day's warnings (app.demo.monitoring) as the centers answer for them now: ids, kinds, levels, their cases."""
    console.print()
    console.print("[bold]监测预警 · the day's warnings[/bold] (BRIEF.md scenarios 8 and 9; services/warning/data/; "
                  "docs/warnings.md)", highlight=False)
    try:
        lines = monitoring_lines(sim)
    except DemoError as exc:
        lines = [f"  could not read the warnings back: {exc}"]
    for line in lines:
        console.print(line, highlight=False, markup=False, soft_wrap=True)


def _escalation_lines(sim: Sim) -> list[str]:
    script = sim.script
    e = script.escalation
    if not script.late_case:
        return [f"  督办链 escalation chain: not shown ({script.late_note or 'no late case'})"]
    head = f"  督办链 escalation chain of {script.late_case} (urgent, its unit did not sign for it)"
    if not e.get("steps"):
        return [f"{head}: not shown ({script.late_note or script.late_state})"]
    steps = " → ".join(f"{level} [{who}; {how}]" for level, who, how in e["steps"])
    out = [f"{head}: the chain's clock (YIWANG_CLOCK_FILE) moved on {e['moved'] / 60:.0f} min to its last step; "
           f"steps {steps}",
           f"      fired {' → '.join(e.get('fired') or []) or 'none'}; supervision level {e.get('level')}, light "
           f"{e.get('light')}; the duty rosters told by {e.get('webhooks', 0)} webhooks and {e.get('sms', 0)} SMS "
           f"(the parent center supervises it after 提级: its desk's 提级督办 queue)"]
    if script.late_note:
        out.append(f"      ({script.late_note})")
    return out


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


def _print_ranking(console, sim: Sim, catalog: Catalog, period: str) -> None:
    """The day ends with the ranking (红黑榜) at the city: of the units, and of the townships."""
    city = sim.city
    viewer = city.tokens["viewer"]
    for by, extra, what in (("unit", {}, "units of every tier"), ("region", {"tier": "township"}, "townships")):
        params = {"period": period, "by": by, **extra}
        ranking = expect(city.http.call("GET", "/api/v1/ranking", viewer, params=params), 200)
        query = "&".join(f"{k}={v}" for k, v in params.items())
        console.print(ranking_table(ranking, catalog, f"[bold]红黑榜 · ranking of the {what} · {period}[/bold]  "
                                                      f"[dim](at the city: GET /api/v1/ranking?{query})[/dim]"))


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

