"""The plan of the simulated day: what arrives when, at which center, on which channel. The reports of
`app.demo.reports` spread over the day (busier early), the sensors' storms, all-clears and heartbeats, and the
duplicates that repeat a grid worker's report. Pure (no I/O but the catalog, the region boundaries and the sensor
types) and reproducible with a seed."""
from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from app.demo.places import LANDMARKS, ROADS, full_name, nudge, scatter
from app.demo.reports import (
    TEMPLATES,
    generate_desk_entries,
    generate_hotline_orders,
    generate_open311_requests,
    generate_reports,
    open311_form,
)
from app.simulators.hotline_orders import Order
from services.intake.domain.alerts import HEARTBEAT, SensorTypes, sensor_types
from shared.catalog import Catalog, load_catalog
from shared.clock import CHINA

#: the day's channels as shares of its cases; the rest are reports taken in at the townships (grid workers'
#: patrols, most of them, and walk-ins). A sensor storm is one case however many alerts it brings; a duplicate
#: repeats a grid worker's report by phone (12345) or in the app (Open311) and is merged into its case.
CHANNEL_MIX = {"hotline": 0.25, "desk": 0.08, "open311": 0.10, "storm": 0.04, "duplicate": 0.04}
#: a day of fewer cases has no storms and no duplicates; from this many on, at least one of each
SMALL_DAY = 10

#: sensor storms, in the order the day takes them (the hazardous-goods vehicles first): alert type
#: (services/intake/data/sensors.toml) → (devices reporting from the spot, sensor id stem, the spot, the range
#: of the measured value, the threshold it crosses). Types that sensors.toml does not list are left out.
STORMS: dict[str, tuple[int, str, str, tuple[float, float], float]] = {
    "hazmat_vehicle_stop": (4, "hzv", "原化工园区关停厂区门口", (15, 60), 10),   # minutes stopped there
    "waterlogging": (3, "wlg", "下穿通道", (22, 55), 20),                      # water depth, cm
    "combustible_gas": (1, "gas", "燃气调压站旁窨井", (22, 60), 20),           # %LEL
    "noise": (1, "nsm", "建筑工地边界", (72, 88), 65),                          # dB(A)
}
STORM_ALERTS = (20, 40)       # alerts in a storm
STORM_SECONDS = (3.0, 8.0)    # how long a storm lasts
ALL_CLEAR_AFTER = (5.0, 9.0)  # seconds after its storm the all-clear comes (the case is being handled by then)
QUIET_DEVICES = 2             # devices per township that only send heartbeats
HEARTBEATS = 3                # heartbeats per device over the day
REPEAT_AFTER = (4.0, 6.0)     # seconds after a grid worker's report its duplicate comes (the case is open by then)
REPEAT_METRES = (10.0, 30.0)  # how far from the report the duplicate places the problem (within every merge radius)


@dataclass(frozen=True)
class Arrival:
    """One thing the simulated day brings: when (seconds after the start), which center's gateway takes it in,
    on which channel, with which token, about what, and the request body."""

    at: float
    center: str                # region code of the center whose gateway takes it
    channel: str               # the case's source: hotline, desk, grid, open311 or sensor (alerts, heartbeats)
    role: str                  # the token it is sent with: hotline, dispatcher, gridworker, citizen or sensor
    category: str | None       # the category meant; None for a heartbeat
    body: dict = field(hash=False)  # a report, a 12345 order or an alert (JSON); Open311: the form but api_key
    storm: str | None = None   # the sensor storm an alert (or its all-clear) belongs to: one case per storm
    duplicate_of: int | None = None  # the index in the day of the report this one repeats (并单)


#: a sensor device of the day: (township, sensor id, the point it reports from, its address)
Device = tuple[str, str, tuple[float, float], str]


def plan_sensors(storms: int, townships: list[str], *, seed: int | str | None = None, now: datetime | None = None,
                 span: float = 60.0, catalog: Catalog | None = None,
                 types: SensorTypes | None = None) -> list[Arrival]:
    """The sensors' day at the townships (sorted by time): `storms` storms, each STORM_ALERTS alerts of one
    type from one spot within STORM_SECONDS (devices of a type grouped per area report from the same point), the
    types taken in STORMS' order among those `types` (default: sensors.toml) lists and the townships in turn; an
    all-clear (`resolved: true`) ALL_CLEAR_AFTER the first storm whose type lets an all-clear end the case (else
    after the first storm: the center only records it on the case); and HEARTBEATS heartbeats of every device,
    the storms' and QUIET_DEVICES more per township. Storms start in the first half of [0, span]. `observed_at`
    is `now` plus the arrival time. Reproducible."""
    catalog = catalog or load_catalog()
    types = types or sensor_types()
    rng = random.Random(seed)
    now = (now or datetime.now(CHINA)).astimezone(CHINA).replace(microsecond=0)
    kinds = [t for t in STORMS if t in types.types]
    if storms and not kinds:
        raise ValueError(f"none of the storm types {', '.join(STORMS)} is a known alert type")
    sensors = _Sensors(rng, now, span, catalog, types)
    out: list[Arrival] = []
    devices: list[Device] = []
    day = [kinds[i % len(kinds)] for i in range(storms)]
    cleared = next((i for i, kind in enumerate(day) if types.get(kind).all_clear_resolves), 0)
    for i, kind in enumerate(day):
        alerts, storm_devices = sensors.storm(i, kind, townships[i % len(townships)], all_clear=i == cleared)
        out += alerts
        devices += storm_devices
    devices += sensors.quiet_devices(townships, kinds)
    for town, sensor_id, point, address in devices:
        for _ in range(HEARTBEATS):
            out.append(sensors.alert(rng.uniform(0, span), town, sensor_id, HEARTBEAT, "info", point, address))
    return sorted(out, key=lambda a: a.at)


@dataclass
class _Sensors:
    """The sensors of one day at the townships, drawn from one seeded `rng` in a fixed order; their alerts
    observed `now` plus the arrival time."""

    rng: random.Random
    now: datetime
    span: float
    catalog: Catalog
    types: SensorTypes

    def alert(self, at: float, town: str, sensor_id: str, alert_type: str, level: str, point: tuple[float, float],
              address: str, storm: str | None = None, **extra) -> Arrival:
        """One alert, all-clear or heartbeat of `sensor_id` at `town`'s center, `at` seconds into the day."""
        at = round(at, 2)
        body = {"sensor_id": sensor_id, "alert_type": alert_type, "level": level,
                "location": {"lon": point[0], "lat": point[1], "address": address},
                "observed_at": (self.now + timedelta(seconds=at)).isoformat(timespec="milliseconds"), **extra}
        category = self.types.get(alert_type).category
        return Arrival(at, town, "sensor", "sensor", category, body, storm=storm)

    def storm(self, i: int, kind: str, town: str, *, all_clear: bool) -> tuple[list[Arrival], list[Device]]:
        """The day's storm number `i` + 1, of alert type `kind` at `town` (with its all-clear if `all_clear`),
        and the devices it comes from."""
        rng, catalog = self.rng, self.catalog
        t = self.types.get(kind)
        n_devices, stem, spot, (lo, hi), threshold = STORMS[kind]
        n_devices = n_devices if t.group == "cell" else 1  # per-device grouping: one device's storm
        point = scatter(rng, town, catalog)
        address = f"{full_name(town, catalog)}{rng.choice(ROADS)}{spot}"
        ids = [f"{stem}-{town}-s{i + 1}-{k + 1}" for k in range(n_devices)]
        name = f"#{i + 1} {t.name} · {catalog.regions.name(town)}"
        start = rng.uniform(0.05, 0.5) * self.span
        length = rng.uniform(*STORM_SECONDS)
        times = sorted(start + rng.uniform(0, length) for _ in range(rng.randint(*STORM_ALERTS)))
        out: list[Arrival] = []
        for j, at in enumerate(times):
            level = "warning" if j == 0 or rng.random() >= 0.25 else "critical"
            out.append(self.alert(at, town, ids[0] if j == 0 else rng.choice(ids), kind, level, point, address, name,
                                  value=round(rng.uniform(lo, hi), 1), threshold=float(threshold)))
        if all_clear:
            out.append(self.alert(times[-1] + rng.uniform(*ALL_CLEAR_AFTER), town, ids[0], kind, "info", point,
                                  address, name, value=round(threshold * rng.uniform(0.3, 0.8), 1),
                                  threshold=float(threshold), resolved=True))
        return out, [(town, sensor_id, point, address) for sensor_id in ids]

    def quiet_devices(self, townships: list[str], kinds: list[str]) -> list[Device]:
        """QUIET_DEVICES devices per township that only send heartbeats."""
        devices: list[Device] = []
        for town in townships:
            for k in range(QUIET_DEVICES):
                stem = STORMS[kinds[k % len(kinds)]][1] if kinds else "dev"
                devices.append((town, f"{stem}-{town}-q{k + 1}", scatter(self.rng, town, self.catalog),
                                f"{full_name(town, self.catalog)}{self.rng.choice(ROADS)}"
                                f"{self.rng.choice(LANDMARKS)}"))
        return devices


def day_counts(total: int) -> dict[str, int]:
    """How many of the day's `total` cases come by each channel of CHANNEL_MIX (storms and duplicates only
    from SMALL_DAY cases on, then at least one of each); `township`: the rest, reports at the townships."""
    if total < 0:
        raise ValueError("total must not be negative")
    counts = {channel: round(total * share) for channel, share in CHANNEL_MIX.items()}
    for channel in ("storm", "duplicate"):
        counts[channel] = max(1, counts[channel]) if total >= SMALL_DAY else 0
    counts["township"] = total - sum(counts.values())
    return counts


def _spread(n: int, k: int) -> list[int]:
    """`n` over `k` buckets as evenly as possible, the first ones taking the remainder."""
    return [n // k + (1 if i < n % k else 0) for i in range(k)]


def _repeat(rng: random.Random, target: Arrival, by: str, order: Order, city: str, now: datetime,
            catalog: Catalog) -> Arrival:
    """A citizen reports again what a grid worker reported at `target` a few seconds ago, a few metres away: by
    12345 (`order` gives the order's number, channel, caller and times) or in the Open311 app (`by`)."""
    code, town, body = target.category, target.center, target.body
    assert code is not None  # a report (grid or desk) carries the category it means
    address = body["location"]["address"]
    place = address.removeprefix(full_name(town, catalog))
    lon, lat = nudge(rng, body["location"]["lon"], body["location"]["lat"], *REPEAT_METRES)
    text = rng.choice(TEMPLATES[code][1]).format(place=place)
    at = round(target.at + rng.uniform(*REPEAT_AFTER), 2)
    if by == "open311":
        return Arrival(at, town, "open311", "citizen", code, open311_form(rng, code, lon, lat, address, text, now))
    repeat = {k: v for k, v in order.body.items() if k not in ("location", "region", "address", "category")}
    repeat.update(kind="complaint", title=f"{place}{catalog.category(code).name}问题",
                  content=f"{text}，麻烦尽快派人来处理。", address=address, location={"lon": lon, "lat": lat},
                  region=town, category=code)
    return Arrival(at, city, "hotline", "hotline", code, repeat)


def plan_day(total: int, townships: list[str], *, seed: int | str | None = None, now: datetime | None = None,
             catalog: Catalog | None = None, span: float = 60.0,
             types: SensorTypes | None = None) -> list[Arrival]:
    """The simulated day, sorted by time: `total` cases by channel as `day_counts` says. At the city: 12345
    orders and desk entries (located in the townships). At the townships, spread as evenly as possible over
    them: reports (mostly grid workers'), Open311 requests and sensor storms (one case each; `plan_sensors`
    adds their all-clear and the devices' heartbeats). Duplicates repeat grid workers' reports (those naming
    their category first) by 12345 and in the app in turn, REPEAT_AFTER the report and REPEAT_METRES away, so
    that they are merged (并单); `duplicate_of` points at the report. Arrival times lie in [0, span] seconds,
    busier early (the morning rush); a duplicate or an all-clear may come a few seconds after `span`.
    `types`: the sensor types (default: sensors.toml). Reproducible."""
    catalog = catalog or load_catalog()
    counts = day_counts(total)
    now = (now or datetime.now(CHINA)).astimezone(CHINA).replace(microsecond=0)
    city = catalog.regions.root
    orders = generate_hotline_orders(counts["hotline"] + counts["duplicate"], townships, seed=f"{seed}-12345",
                                     now=now, catalog=catalog)
    calls, repeat_orders = orders[:counts["hotline"]], orders[counts["hotline"]:]
    items = [(city, "hotline", "hotline", o.category, o.body) for o in calls]
    desk = generate_desk_entries(counts["desk"], townships, seed=f"{seed}-city", now=now, catalog=catalog)
    items += [(city, "desk", r.role, r.category, r.body) for r in desk]
    for town, n, m in zip(townships, _spread(counts["township"], len(townships)),
                          _spread(counts["open311"], len(townships)), strict=True):
        items += [(town, "grid" if r.role == "gridworker" else "desk", r.role, r.category, r.body)
                  for r in generate_reports(n, town, seed=f"{seed}-{town}", now=now, catalog=catalog)]
        app = generate_open311_requests(m, town, seed=f"{seed}-open311-{town}", now=now, catalog=catalog)
        items += [(town, "open311", r.role, r.category, r.body) for r in app]
    rng = random.Random(f"{seed}-day")
    rng.shuffle(items)
    times = sorted(round(rng.betavariate(1.4, 2.2) * span, 2) for _ in items)
    day = [Arrival(t, *item) for t, item in zip(times, items, strict=True)]

    targets = sorted((a for a in day if a.channel in ("grid", "desk") and a.center != city),
                     key=lambda a: (a.channel != "grid", "category" not in a.body))[:counts["duplicate"]]
    repeats: dict[int, Arrival] = {}  # id() of a duplicate → the report it repeats
    for i, target in enumerate(targets):
        repeat = _repeat(rng, target, ("hotline", "open311")[i % 2], repeat_orders[i], city, now, catalog)
        repeats[id(repeat)] = target
        day.append(repeat)
    day += plan_sensors(counts["storm"], townships, seed=f"{seed}-sensors", now=now, span=span, catalog=catalog,
                        types=types)
    day.sort(key=lambda a: a.at)
    index = {id(a): i for i, a in enumerate(day)}
    return [replace(a, duplicate_of=index[id(repeats[id(a)])]) if id(a) in repeats else a for a in day]

