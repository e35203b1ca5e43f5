"""W1 (QUALITY.md): vehicle warnings on seeded synthetic tracks with ground truth.

`python -m tests.perf.tracks_bench [--seed 12] [--vehicles 60] [--days 4] [--batch-seconds 60]`

The vehicle-track simulator (app/simulators/tracks.py) drives --vehicles tankers and muck trucks for --days days each
(≥ 200 vehicle-days by default: 60 × 4 = 240) with seeded stays at the closed plant and at the roadside, fuel stops,
detours, night trips and long stints, and writes down the truth of each. Each vehicle's tracker batches (one per
--batch-seconds of its time, shuffled, 10 % of points sent twice, 5 % held back one to three batches) are taken
exactly as `POST /api/v1/tracks` takes them (services/warning/tracks.py `receive`, without the database): new points
merged into the vehicle's retained track (RETENTION behind its latest point), candidates looked for from the batch's
earliest new point (`detect(…, since=…)`), each cause raised once (`fresh`).

Printed, in the same format every run:
  W1 dwell: precision P, recall R; route_deviation delay p50 D s; false warnings F per 100 vehicle-days
then the detail: counts per kind, delay p90 and max, and every miss and false warning.

Matching: a warning matches a truth event of the same vehicle and kind whose interval overlaps the warning's episode.
The delay of a `route_deviation` is the time of the newest point of the batch that raised it (when the tracker sent
it) minus the moment the vehicle's true path left the corridor (the simulator finds it to half a metre). A false
warning is one that matches no truth event of its kind (a fuel stop expects none). Targets: precision and recall
≥ 0.95, delay ≤ 120 s, ≤ 1 false warning per 100 vehicle-days. Figures are printed, never asserted.
"""
from __future__ import annotations

import argparse
import math
import random
import statistics
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from app.simulators import tracks as sim
from services.warning.domain import tracks as domain
from services.warning.tracks import RETENTION

KINDS = ("dwell", "route_deviation", "night_driving", "fatigue")


@dataclass
class Raised:
    vehicle_id: str
    kind: str
    start: datetime
    sent_at: datetime       # newest point of the batch that raised it
    cause: list             # [kind, start, end] as `fresh` keeps it (end extended while the episode lasts)


def replay(days: list[sim.VehicleDay], seed: int, every_s: int) -> list[Raised]:
    """Every warning the vehicles' batches raise, taken as the service takes them."""
    ref = domain.reference()
    rng = random.Random(seed + 1)
    by_vehicle: dict[str, list[sim.VehicleDay]] = {}
    for d in days:
        by_vehicle.setdefault(d.vehicle_id, []).append(d)
    out: list[Raised] = []
    for vid, vdays in by_vehicle.items():
        cls = ref.vehicle_class(vdays[0].vehicle_class)
        track: list[domain.TrackPoint] = []
        raised: list[list] = []
        for vd in sorted(vdays, key=lambda d: d.day):
            for body in sim.batches(vd, rng, every_s):
                incoming = domain.merge_points([], [domain.TrackPoint(datetime.fromisoformat(p["at"]), p["lon"],
                                                                      p["lat"], p["speed_kmh"]) for p in body["points"]])
                latest = max(track[-1].at if track else incoming[-1].at, incoming[-1].at)
                horizon = latest - RETENTION
                seen = {p.at for p in track}
                new = [p for p in incoming if p.at >= horizon and p.at not in seen]
                if not new:
                    continue
                track = [p for p in domain.merge_points(track, new) if p.at >= horizon]
                raised = [r for r in raised if r[2] >= horizon]
                since = new[0].at
                for c in domain.fresh(domain.detect(vid, cls, track, ref, since=since), raised, since=since):
                    cause = next(r for r in raised if r[0] == c.kind and r[1] == c.start)
                    out.append(Raised(vid, c.kind, c.start, incoming[-1].at, cause))
    return out


def evaluate(days: list[sim.VehicleDay], raised: list[Raised]) -> dict:
    truth = [(t, datetime.fromisoformat(t.start), datetime.fromisoformat(t.end)) for d in days for t in d.truth]
    slack = timedelta(minutes=2)

    def matches(w: Raised, t: sim.Truth, ts: datetime, te: datetime) -> bool:
        return (t.vehicle_id == w.vehicle_id and t.kind == w.kind
                and w.cause[1] <= te + slack and ts - slack <= w.cause[2])

    found: dict[int, list[Raised]] = {}
    false = []
    for w in raised:
        hit = [i for i, (t, ts, te) in enumerate(truth) if matches(w, t, ts, te)]
        if not hit:
            false.append(w)
        for i in hit:
            found.setdefault(i, []).append(w)
    res: dict = {"false": false, "missed": [], "per_kind": {}}
    for kind in KINDS:
        events = [i for i, (t, _, _) in enumerate(truth) if t.kind == kind]
        warns = [w for w in raised if w.kind == kind]
        hit = [i for i in events if i in found]
        right = [w for w in warns if w not in false]
        res["per_kind"][kind] = {"truth": len(events), "warnings": len(warns), "detected": len(hit),
                                 "precision": len(right) / len(warns) if warns else 1.0,
                                 "recall": len(hit) / len(events) if events else 1.0}
        res["missed"] += [truth[i][0] for i in events if i not in found]
    delays = []
    for i, (t, ts, _) in enumerate(truth):
        if t.kind == "route_deviation" and i in found:
            first = min(found[i], key=lambda w: w.sent_at)
            delays.append((first.sent_at - ts).total_seconds())
    res["delays"] = sorted(delays)
    res["fuel_stops"] = sum(1 for t, _, _ in truth if t.kind == "fuel_stop")
    return res


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument("--vehicles", type=int, default=60)
    ap.add_argument("--days", type=int, default=4)
    ap.add_argument("--batch-seconds", type=int, default=sim.BATCH_S)
    args = ap.parse_args(argv)
    t0 = time.monotonic()
    days = sim.generate(args.seed, vehicles=args.vehicles, days=args.days, first_day=datetime(2026, 11, 2).date())
    raised = replay(days, args.seed, args.batch_seconds)
    r = evaluate(days, raised)
    dwell = r["per_kind"]["dwell"]
    delays = r["delays"]
    p50 = statistics.median(delays) if delays else float("nan")
    per100 = len(r["false"]) / len(days) * 100
    print(f"W1 dwell: precision {dwell['precision']:.3f}, recall {dwell['recall']:.3f}; "
          f"route_deviation delay p50 {p50:.0f} s; false warnings {per100:.2f} per 100 vehicle-days")
    points = sum(len(d.points) for d in days)
    print(f"   {len(days)} vehicle-days ({args.vehicles} vehicles × {args.days} days, seed {args.seed}), {points} points "
          f"in batches of {args.batch_seconds} s; {r['fuel_stops']} fuel stops (expect nothing); "
          f"{time.monotonic() - t0:.1f} s")
    for kind, k in r["per_kind"].items():
        print(f"   {kind:16s} truth {k['truth']:4d}  warnings {k['warnings']:4d}  detected {k['detected']:4d}  "
              f"precision {k['precision']:.3f}  recall {k['recall']:.3f}")
    if delays:
        p90 = delays[min(len(delays) - 1, math.ceil(0.9 * len(delays)) - 1)]
        within = sum(1 for d in delays if d <= 120) / len(delays)
        print(f"   route_deviation delay: p50 {p50:.0f} s, p90 {p90:.0f} s, max {delays[-1]:.0f} s; "
              f"{within:.1%} within 120 s (target: all)")
    for w in r["false"]:
        print(f"   false {w.kind} {w.vehicle_id} {w.cause[1].isoformat()} … {w.cause[2].isoformat()}")
    for t in r["missed"]:
        print(f"   missed {t.kind} {t.vehicle_id} {t.start} … {t.end} {t.note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
