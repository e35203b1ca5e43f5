"""The chaos suite (QUALITY.md R1, R2, R4, R5, R6): `./taskw chaos` (the full sizes, up to ~40 minutes), or e.g.
`./taskw chaos -- --only R1 --cases 500`, `./taskw chaos -- --short`. Needs root: R2 stops and starts the machine's
RabbitMQ and PostgreSQL. Prints one table (docs/chaos.md says what every column means) and exits 1 when any
scenario lost, doubled, left unanswered or misordered anything or made a case no report asked for."""
import eventlet

eventlet.monkey_patch()  # noqa: E402  (as the tests run: the harness works either way)

import argparse  # noqa: E402
import signal  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import traceback  # noqa: E402

from tests.chaos import harness  # noqa: E402
from tests.chaos.accounting import Tally, render  # noqa: E402
from tests.chaos.scenarios import FULL, SCENARIOS, SHORT, sized  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="./taskw chaos --", description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default=",".join(SCENARIOS), help="scenarios to run, e.g. R1,R4 (default: all)")
    parser.add_argument("--short", action="store_true", help="the sizes ./taskw test uses")
    parser.add_argument("--cases", type=int, help="reports (R1, R2, R6) or 12345 orders (R4) instead of the default")
    parser.add_argument("--outage", type=float, help="seconds of R4's outage (centers' clock) and of R5's cut")
    parser.add_argument("--down", type=float, help="seconds RabbitMQ and PostgreSQL each stay down in R2")
    parser.add_argument("--rate", type=float, help="reports a second offered in R1 and R2")
    args = parser.parse_args(argv)
    chosen = [s.strip().upper() for s in args.only.split(",") if s.strip()]
    unknown = [s for s in chosen if s not in SCENARIOS]
    if unknown:
        parser.error(f"unknown scenario(s) {', '.join(unknown)}; choose from {', '.join(SCENARIOS)}")
    size = sized(SHORT if args.short else FULL, args.cases, args.outage, args.down, args.rate)
    for sig in (signal.SIGTERM, signal.SIGHUP):  # leave as Ctrl-C does: every sandbox cleaned up, the servers up
        signal.signal(sig, _leave)
    harness.ensure_servers()
    started = time.monotonic()
    tallies: list[Tally] = []
    for name in chosen:
        harness.say(f"{name} starts")
        try:
            tallies += SCENARIOS[name](size)
        except Exception as exc:  # noqa: BLE001 - a scenario that could not run is a failed row, the others still run
            traceback.print_exc()
            failed = Tally(f"{name} did not run")
            failed.broken.append(f"{type(exc).__name__}: {exc}"[:500])
            tallies.append(failed)
        finally:
            harness.ensure_servers()
    print()
    print(render(tallies))
    print()
    for t in tallies:
        for line in t.notes:
            print(f"- {t.scenario}: {line}")
        for line in t.broken + t.problems:
            print(f"! {t.scenario}: {line}")
    print(f"\nchaos suite: {len(tallies)} scenarios in {time.monotonic() - started:.0f} s; "
          + ("all passed" if all(t.passed for t in tallies) else
             "FAILED: " + ", ".join(t.scenario for t in tallies if not t.passed)))
    return 0 if all(t.passed for t in tallies) else 1


def _leave(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


if __name__ == "__main__":
    sys.exit(main())
