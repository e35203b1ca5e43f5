"""After the day: the three screens to open, with a sign-in token for each role, and the chain kept running with
cases still trickling in until Ctrl-C (`--once` ends at once instead)."""
from __future__ import annotations

import threading

from app.demo.chain import Chain, Node
from app.demo.day import plan_day
from app.demo.driver import drive
from app.demo.sim import Sim

TRICKLE_CASES = 6         # arrivals per round while the demo keeps running
TRICKLE_SPAN = 120.0      # seconds a round's arrivals are spread over


def print_screens(console, sim: Sim) -> None:
    """The three screens' URLs and a token to sign in with for each role (typed into the page, never in a URL)."""
    city, town = sim.city, next((n for n in sim.nodes if n.tier == "township"), sim.city)
    handler_unit = _field_unit(town)
    console.print()
    console.print("[bold green]三屏 · the three screens[/bold green] — open a URL, paste the token into its sign-in "
                  "form (tokens never go into a URL)", highlight=False)
    rows = [("大屏 big screen", f"{city.base}/screen/", f"viewer of {city.name} (the whole chain)", city.tokens["viewer"]),
            ("大屏 big screen", f"{town.base}/screen/", f"viewer of {town.name}", town.tokens["viewer"]),
            ("中屏 desk", f"{town.base}/desk/", f"dispatcher of {town.name}", town.tokens["dispatcher"]),
            ("小屏 phone", f"{town.base}/m/", f"grid worker of {town.name}", town.tokens["gridworker"])]
    if handler_unit is not None:
        rows.append(("小屏 phone", f"{town.base}/m/", f"handler of {handler_unit.name}", town.tokens[handler_unit.code]))
    for screen, url, who, token in rows:
        console.print(f"  {screen:<16} {url:<34} {who}: {token}", highlight=False, markup=False, soft_wrap=True)


def _field_unit(node: Node):
    """The unit whose handler the phone is shown with: the township's 城管 team if it has one."""
    return next((u for u in node.units if u.code.endswith(".chengguan")), node.units[0] if node.units else None)


def serve(sim: Sim, chain: Chain, seed: int, run_id: str, console, interrupted: threading.Event) -> None:
    """Keep the chain busy — a few arrivals every couple of minutes, worked by the same simulated people — until
    interrupted."""
    console.print(f"[bold]The chain keeps running[/bold]: {TRICKLE_CASES} more cases every {TRICKLE_SPAN:g} s; "
                  "Ctrl-C stops it.", highlight=False)
    rounds = 0
    while not interrupted.is_set():
        rounds += 1
        arrivals = plan_day(TRICKLE_CASES, chain.townships, seed=seed + rounds, catalog=sim.catalog,
                            span=TRICKLE_SPAN, now=sim.script.now())  # the chain's clock, moved on or not
        sim.stop.clear()
        sim.sent = 0  # the progress line counts this round's arrivals
        drive(sim, arrivals, TRICKLE_CASES, f"{run_id}-{rounds}", 3 * TRICKLE_SPAN, TRICKLE_SPAN, console,
              interrupted)
