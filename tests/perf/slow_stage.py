"""`yiwang` with a deliberately slow triage, for P4 of the benchmark: `python -m tests.perf.slow_stage run ...`.

Before triage routes an event it waits YIWANG_BENCH_SLOW_MS milliseconds, as it would for a slow outside service
(a geocoder, a classifier behind HTTP). The wait yields to the hub, so such a process is slow, not busy: with one
worker per process (YIWANG_MAX_WORKERS=1) the stage handles 1000 / YIWANG_BENCH_SLOW_MS events a second per
process, and P4 shows how the stage scales with processes (competing consumers on its queue), not with cores.
"""
from __future__ import annotations

import functools
import os
import sys


def slowed(method, seconds: float):
    import eventlet

    @functools.wraps(method)  # keeps the entrypoint nameko registered on the method
    def wait_then_handle(self, event):
        eventlet.sleep(seconds)
        return method(self, event)
    return wait_then_handle


def main() -> int:
    from app import cli  # first: it monkey-patches for eventlet before anything else is imported
    from services.triage.service import TriageService

    TriageService.route = slowed(TriageService.route, float(os.environ["YIWANG_BENCH_SLOW_MS"]) / 1000)
    return cli.main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
