"""The demo's generators and its plan of the day (app.demo.places, .reports, .day): realistic, valid, reproducible,
in place, and mixing every channel — 12345 orders, grid reports, desk entries, Open311 requests, sensor storms,
duplicates."""
import re
from collections import Counter
from datetime import datetime, timedelta

import pytest

from app.demo.places import RADIUS_KM, region_anchor
from app.demo.reports import TEMPLATES, generate_reports
from shared.catalog import load_catalog
from shared.clock import CHINA
from shared.contracts.api import ReportIn
from shared.geo import distance_m

NOW = datetime(2026, 11, 23, 10, 30, tzinfo=CHINA)
HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


@pytest.fixture(scope="module")
def reports(catalog):
    return generate_reports(300, "320612001", seed=42, now=NOW, catalog=catalog)



def distance_km(lon1, lat1, lon2, lat2):
    return distance_m(lon1, lat1, lon2, lat2) / 1000


def test_every_report_validates_against_the_api_model(reports):
    assert len(reports) == 300
    for r in reports:
        ReportIn.model_validate(r.body)


def test_reproducible_with_a_seed(catalog):
    a = generate_reports(50, "320612001", seed=7, now=NOW, catalog=catalog)
    b = generate_reports(50, "320612001", seed=7, now=NOW, catalog=catalog)
    c = generate_reports(50, "320612001", seed=8, now=NOW, catalog=catalog)
    assert [r.body for r in a] == [r.body for r in b]
    assert [r.body for r in a] != [r.body for r in c]


def test_located_inside_the_region(reports, catalog):
    lon0, lat0 = region_anchor("320612001", catalog)
    assert (lon0, lat0) == pytest.approx((121.07, 32.08), abs=0.05)  # 通州区 金沙街道, Nantong
    for r in reports:
        loc = r.body["location"]
        assert distance_km(lon0, lat0, loc["lon"], loc["lat"]) <= RADIUS_KM + 0.01
        assert loc["address"].startswith("南通市通州区金沙街道")
        assert r.body.get("region") in (None, "320612001")
    # scattered over the area, not piled on one point
    assert len({(r.body["location"]["lon"], r.body["location"]["lat"]) for r in reports}) == len(reports)
    assert max(distance_km(lon0, lat0, r.body["location"]["lon"], r.body["location"]["lat"]) for r in reports) > 2


def test_realistic_mix(reports, catalog):
    for r in reports:
        assert r.category in catalog.categories
        assert r.body.get("category") in (None, r.category)
        assert len(HAN.findall(r.body["description"])) >= 10
        assert r.role in ("gridworker", "dispatcher")
        if r.role == "gridworker":
            assert r.body["description"].startswith("巡查发现：") and "网格员" in r.body["reporter"]["name"]
        occurred = datetime.fromisoformat(r.body["occurred_at"])
        assert occurred.utcoffset().total_seconds() == 8 * 3600 and occurred < NOW
    categories = Counter(r.category for r in reports)
    assert len(categories) >= 20  # varied
    assert {"部件", "事件"} == {catalog.category(c).kind for c in categories}
    roles = Counter(r.role for r in reports)
    assert roles["gridworker"] > roles["dispatcher"] > 0  # patrol reports dominate, desk entries too
    without = sum(1 for r in reports if "category" not in r.body)
    assert 0.15 * len(reports) < without < 0.6 * len(reports)  # some left to triage's classifier
    assert any(r.body.get("media") for r in reports)
    assert len({r.body["description"] for r in reports}) > 0.8 * len(reports)


def test_uncategorised_reports_carry_their_category_keywords(catalog):
    """What triage classifies must contain a keyword of the category the reporter meant."""
    for code, (_, templates) in TEMPLATES.items():
        keywords = [k for k in catalog.category(code).keywords]
        for t in templates:
            text = t.format(place="人民路1号")
            assert any(all(p in text for p in k.split("+")) for k in keywords), (code, t)


def test_other_regions_use_the_nearest_anchor(catalog):
    reps = generate_reports(20, "320612", seed=1, now=NOW, catalog=catalog)
    lon0, lat0 = region_anchor("320612", catalog)
    for r in reps:
        ReportIn.model_validate(r.body)
        assert r.body["location"]["address"].startswith("南通市通州区")
        assert distance_km(lon0, lat0, r.body["location"]["lon"], r.body["location"]["lat"]) <= RADIUS_KM + 0.01
    township = next(x.code for x in catalog.regions.all() if x.tier == "township" and x.parent == "320682")
    assert region_anchor(township, catalog) == region_anchor("320682", catalog)


def test_triage_classifies_uncategorised_reports_as_meant(reports, catalog):
    from services.triage.domain.classifier import classify

    left = [r for r in reports if "category" not in r.body]
    right = sum(1 for r in left if classify(r.body["description"], catalog).category == r.category)
    assert right >= 0.9 * len(left)


# ---- the chain's day: desk entries at the city, reports at the townships ------------------------------------
from app.demo.chain import chain_townships  # noqa: E402
from app.demo.day import plan_day  # noqa: E402
from app.demo.errors import DemoError  # noqa: E402
from app.demo.reports import (  # noqa: E402
    DESK_TIER_MIX,
    UPPER_TEMPLATES,
    desk_templates,
    generate_desk_entries,
)

TOWNS = ["320612001", "320612002"]


@pytest.fixture(scope="module")
def desk(catalog):
    return generate_desk_entries(400, TOWNS, seed=42, now=NOW, catalog=catalog)


def test_desk_entries_validate_and_are_located_in_a_township(desk, catalog):
    assert len(desk) == 400
    for r in desk:
        ReportIn.model_validate(r.body)
        assert r.role == "dispatcher"  # taken in at the city's desk: source desk
        town = r.body["region"]
        assert town in TOWNS, "the city's desk always names the township the problem is in"
        lon0, lat0 = region_anchor(town, catalog)
        loc = r.body["location"]
        assert distance_km(lon0, lat0, loc["lon"], loc["lat"]) <= RADIUS_KM + 0.01
        assert loc["address"].startswith("南通市通州区" + catalog.regions.name(town))
        assert r.body["description"].startswith("市民来电来访（市城运中心登记）：")
        assert len(HAN.findall(r.body["description"])) >= 10
        assert r.body.get("category") in (None, r.category)
        assert re.fullmatch(r"1\d{10}", r.body["reporter"]["phone"])
        occurred = datetime.fromisoformat(r.body["occurred_at"])
        assert occurred.utcoffset().total_seconds() == 8 * 3600 and occurred < NOW
    assert {r.body["region"] for r in desk} == set(TOWNS)


def test_desk_entries_mix_the_tiers_so_some_stay_at_the_county_or_the_city(desk, catalog):
    tiers = Counter(catalog.category(r.category).tier for r in desk)
    assert set(tiers) == {"township", "county", "city"}
    for tier, share in DESK_TIER_MIX.items():
        assert abs(tiers[tier] / len(desk) - share) < 0.08, (tier, tiers)
    # most name their category (so the tier is what the demo meant); triage classifies the rest
    named = [r for r in desk if "category" in r.body]
    assert 0.6 * len(desk) < len(named) < 0.9 * len(desk)
    assert {catalog.category(r.body["category"]).tier for r in named} == {"township", "county", "city"}
    assert len({r.category for r in desk}) >= 25


def test_desk_templates_group_by_the_catalogs_tier(catalog):
    by_tier = desk_templates(catalog)
    assert set(by_tier) == set(DESK_TIER_MIX)
    for tier, table in by_tier.items():
        assert table, tier
        assert all(catalog.category(code).tier == tier for code in table)
    assert set(UPPER_TEMPLATES) <= set(by_tier["county"]) | set(by_tier["city"])  # upper-tier matters only


def test_upper_templates_carry_their_category_keywords(catalog):
    from services.triage.domain.classifier import classify

    for code, (_, templates) in UPPER_TEMPLATES.items():
        keywords = list(catalog.category(code).keywords)
        for t in templates:
            text = t.format(place="人民路1号")
            assert any(all(p in text for p in k.split("+")) for k in keywords), (code, t)
            assert classify(text, catalog).category == code, (code, t)


def test_triage_classifies_uncategorised_desk_entries_as_meant(desk, catalog):
    from services.triage.domain.classifier import classify

    left = [r for r in desk if "category" not in r.body]
    right = sum(1 for r in left if classify(r.body["description"], catalog).category == r.category)
    assert right >= 0.9 * len(left)


def test_desk_entries_are_reproducible(catalog):
    a = generate_desk_entries(30, TOWNS, seed=3, now=NOW, catalog=catalog)
    b = generate_desk_entries(30, TOWNS, seed=3, now=NOW, catalog=catalog)
    c = generate_desk_entries(30, TOWNS, seed=4, now=NOW, catalog=catalog)
    assert [r.body for r in a] == [r.body for r in b] != [r.body for r in c]
    with pytest.raises(ValueError):
        generate_desk_entries(3, [], seed=1, now=NOW, catalog=catalog)


def test_chain_townships_are_the_first_of_the_county(catalog):
    assert chain_townships(2, catalog=catalog) == ["320612001", "320612002"]
    four = chain_townships(4, catalog=catalog)
    assert four[:2] == ["320612001", "320612002"] and len(set(four)) == 4
    assert all(catalog.regions.get(t).tier == "township" and catalog.regions.parent(t) == "320612" for t in four)
    every = [r.code for r in catalog.regions.children("320612") if r.tier == "township"]
    assert chain_townships(len(every), catalog=catalog) == every
    with pytest.raises(DemoError, match="townships"):
        chain_townships(len(every) + 1, catalog=catalog)
    with pytest.raises(DemoError, match="at least 1"):
        chain_townships(0, catalog=catalog)


# ---- the day's channels -----------------------------------------------------------------------------------
from app.demo.day import (  # noqa: E402
    ALL_CLEAR_AFTER,
    CHANNEL_MIX,
    HEARTBEATS,
    QUIET_DEVICES,
    REPEAT_AFTER,
    REPEAT_METRES,
    SMALL_DAY,
    STORM_ALERTS,
    STORM_SECONDS,
    STORMS,
    day_counts,
    plan_sensors,
)
from app.demo.reports import generate_hotline_orders, generate_open311_requests  # noqa: E402
from services.intake.domain.alerts import HEARTBEAT, group_key, sensor_types  # noqa: E402
from services.intake.domain.boundaries import configured  # noqa: E402
from shared.contracts.api import AlertIn, HotlineOrderIn  # noqa: E402

CITY = "320600"
OPEN311_FIELDS = {"service_code", "lat", "long", "address_string", "description", "first_name", "last_name", "phone",
                  "media_url"}
ROLE_OF = {"hotline": "hotline", "grid": "gridworker", "desk": "dispatcher", "open311": "citizen", "sensor": "sensor"}


def _point(a):
    """The (lon, lat) an arrival places its problem at."""
    if a.channel == "open311":
        return float(a.body["long"]), float(a.body["lat"])
    loc = a.body.get("location")
    return (loc["lon"], loc["lat"]) if loc else None


def test_points_lie_in_their_region_as_the_centers_place_them(reports, catalog):
    """Alerts, Open311 requests and unaddressed reports are placed by boundary: the demo's points must lie in
    the township they are about, or they would be refused or routed to a township that is not running."""
    boundaries = configured()
    assert all(boundaries.deepest(*_point_of(r)) == "320612001" for r in reports)
    for town in chain_townships(4, catalog=catalog):
        for r in generate_reports(40, town, seed=town, now=NOW, catalog=catalog):
            assert boundaries.deepest(*_point_of(r)) == town


def _point_of(r):
    return r.body["location"]["lon"], r.body["location"]["lat"]


@pytest.mark.parametrize("total", [0, 1, 2, 7, SMALL_DAY - 1, SMALL_DAY, 60, 120, 1000])
def test_day_counts_add_up_to_the_day(total):
    counts = day_counts(total)
    assert sum(counts.values()) == total and min(counts.values()) >= 0
    assert set(counts) == {*CHANNEL_MIX, "township"}
    if total >= SMALL_DAY:
        assert counts["storm"] >= 1 and counts["duplicate"] >= 1
        assert counts["township"] > counts["hotline"] > counts["duplicate"]
    else:
        assert counts["storm"] == counts["duplicate"] == 0
    if total >= 100:
        for channel, share in CHANNEL_MIX.items():
            assert abs(counts[channel] - total * share) <= 1, channel
    with pytest.raises(ValueError):
        day_counts(-1)


def test_hotline_orders_are_the_platforms_located_in_the_running_townships(catalog):
    orders = generate_hotline_orders(200, TOWNS, seed=5, now=NOW, catalog=catalog)
    boundaries = configured()
    assert len({o.body["order_no"] for o in orders}) == 200
    located = 0
    for o in orders:
        HotlineOrderIn.model_validate(o.body)
        assert o.category in catalog.categories and o.body.get("category") in (None, o.category)
        assert o.body.get("region") in (None, *TOWNS)
        if "location" in o.body:
            located += 1
            town = boundaries.deepest(o.body["location"]["lon"], o.body["location"]["lat"])
            assert town in TOWNS and o.body.get("region") in (None, town)
            assert o.body["address"].startswith("南通市通州区" + catalog.regions.name(town))
    assert 0.2 * len(orders) < located < 0.9 * len(orders), "coordinates on some orders, as the apps send them"
    assert len({o.body["kind"] for o in orders}) == 5 and len({o.body["channel"] for o in orders}) == 4
    again = generate_hotline_orders(200, TOWNS, seed=5, now=NOW, catalog=catalog)
    assert [o.body for o in again] == [o.body for o in orders]


def test_open311_requests_are_forms_of_a_citizens_app(catalog):
    reqs = generate_open311_requests(100, "320612002", seed=3, now=NOW, catalog=catalog)
    boundaries = configured()
    for r in reqs:
        form = r.body
        assert r.role == "citizen" and form["service_code"] == r.category and r.category in catalog.categories
        assert set(form) <= OPEN311_FIELDS and "api_key" not in form, "api_key is the token the driver adds"
        assert {"service_code", "lat", "long", "address_string", "description"} <= set(form)
        assert all(isinstance(v, str) for v in form.values()), "form-encoded: every value a string"
        assert boundaries.deepest(float(form["long"]), float(form["lat"])) == "320612002"
        assert form["address_string"].startswith("南通市通州区兴东街道")
        assert form["description"].startswith("随手拍：") and len(HAN.findall(form["description"])) >= 10
        assert re.fullmatch(r"1\d{10}", form["phone"]) and len(form["first_name"]) <= 20
    assert 0.3 * len(reqs) < sum("media_url" in r.body for r in reqs) < 0.9 * len(reqs)
    assert len({r.category for r in reqs}) >= 15
    again = generate_open311_requests(100, "320612002", seed=3, now=NOW, catalog=catalog)
    assert [r.body for r in again] == [r.body for r in reqs]


@pytest.fixture(scope="module")
def sensors(catalog):
    return plan_sensors(4, TOWNS, seed=2, now=NOW, span=60, catalog=catalog)


def test_each_sensor_storm_is_many_alerts_with_one_grouping_key(sensors, catalog):
    types = sensor_types()
    boundaries = configured()
    storms: dict[str, list] = {}
    for a in sensors:
        AlertIn.model_validate(a.body)
        assert a.channel == "sensor" and a.role == "sensor" and a.center in TOWNS
        assert boundaries.deepest(a.body["location"]["lon"], a.body["location"]["lat"]) == a.center
        assert datetime.fromisoformat(a.body["observed_at"]) == NOW + timedelta(seconds=a.at)
        if a.storm and not a.body.get("resolved"):
            storms.setdefault(a.storm, []).append(a)
    assert len(storms) == 4
    kinds = [alerts[0].body["alert_type"] for alerts in storms.values()]
    assert set(kinds) == set(STORMS), "every storm type of STORMS, each known to sensors.toml"
    first = min(storms.values(), key=lambda alerts: alerts[0].storm)
    assert first[0].body["alert_type"] == "hazmat_vehicle_stop", "the hazardous-goods vehicles come first"
    for name, alerts in storms.items():
        t = types.get(alerts[0].body["alert_type"])
        assert STORM_ALERTS[0] <= len(alerts) <= STORM_ALERTS[1], name
        assert alerts[-1].at - alerts[0].at <= STORM_SECONDS[1]
        assert {a.body["alert_type"] for a in alerts} == {t.code} and {a.category for a in alerts} == {t.category}
        keys = {group_key(t, a.body["sensor_id"], a.body["location"]["lon"], a.body["location"]["lat"]) for a in alerts}
        assert len(keys) == 1, f"{name}: one grouping key, so one case"
        assert alerts[0].body["level"] != "info", "an info alert never opens a case"
        assert all(a.body["value"] > a.body["threshold"] for a in alerts)
        if t.group == "cell":
            assert len({a.body["sensor_id"] for a in alerts}) > 1, "several devices at one spot"


def test_one_all_clear_and_every_devices_heartbeats(sensors):
    types = sensor_types()
    clears = [a for a in sensors if a.body.get("resolved")]
    assert len(clears) == 1
    clear = clears[0]
    t = types.get(clear.body["alert_type"])
    assert t.all_clear_resolves and clear.body["level"] == "info" and clear.body["value"] < clear.body["threshold"]
    storm = [a for a in sensors if a.storm == clear.storm and a is not clear]
    last = max(a.at for a in storm)
    assert ALL_CLEAR_AFTER[0] <= clear.at - last <= ALL_CLEAR_AFTER[1] + 0.01
    def key(a):
        return group_key(t, a.body["sensor_id"], a.body["location"]["lon"], a.body["location"]["lat"])
    assert key(clear) == key(storm[0]), "the all-clear ends the storm's case"
    beats = [a for a in sensors if a.body["alert_type"] == HEARTBEAT]
    assert all(a.body["level"] == "info" and a.storm is None and a.category is None for a in beats)
    devices = Counter(a.body["sensor_id"] for a in beats)
    storm_devices = {a.body["sensor_id"] for a in sensors if a.storm}
    assert set(devices) >= storm_devices and set(devices.values()) == {HEARTBEATS}
    assert len(devices) == len(storm_devices) + QUIET_DEVICES * len(TOWNS)
    assert [a.at for a in sensors] == sorted(a.at for a in sensors)
    again = plan_sensors(4, TOWNS, seed=2, now=NOW, span=60)
    assert [(a.at, a.body) for a in again] == [(a.at, a.body) for a in sensors]


@pytest.mark.parametrize("total,towns", [(60, 2), (150, 4), (12, 3), (7, 3), (1, 2)])
def test_plan_day_mixes_the_channels(total, towns, catalog):
    townships = chain_townships(towns, catalog=catalog)
    plan = plan_day(total, townships, seed=9, now=NOW, catalog=catalog, span=50)
    counts = day_counts(total)
    first = [a for a in plan if a.duplicate_of is None]
    repeats = [a for a in plan if a.duplicate_of is not None]
    storms = {a.storm for a in plan if a.storm}
    assert len([a for a in plan if a.channel != "sensor"]) + len(storms) == total, "one case each, one per storm"
    n = Counter((a.channel, a.center == CITY) for a in first)
    assert n[("hotline", True)] == counts["hotline"] and n[("desk", True)] == counts["desk"]
    assert n[("open311", False)] == counts["open311"] and len(storms) == counts["storm"]
    assert n[("grid", False)] + n[("desk", False)] == counts["township"] and len(repeats) == counts["duplicate"]
    assert {a.center for a in plan if a.channel in ("hotline",)} <= {CITY}
    assert {a.center for a in plan if a.channel in ("grid", "open311", "sensor")} <= set(townships)
    reports_at = Counter(a.center for a in first if a.channel in ("grid", "desk") and a.center != CITY)
    at_towns = [reports_at[t] for t in townships]
    assert max(at_towns) - min(at_towns) <= 1, "spread evenly over the townships"
    times = [a.at for a in plan]
    assert times == sorted(times) and 0 <= min(times, default=0)
    assert max((a.at for a in first if a.channel != "sensor"), default=0) <= 50
    assert max(times, default=0) <= 50 + ALL_CLEAR_AFTER[1] + STORM_SECONDS[1]
    for a in plan:
        assert a.role == ROLE_OF[a.channel]
        if a.channel in ("grid", "desk"):
            ReportIn.model_validate(a.body)
            assert a.body.get("region") in ((None, a.center) if a.center != CITY else townships)
        elif a.channel == "hotline":
            HotlineOrderIn.model_validate(a.body)
        elif a.channel == "sensor":
            AlertIn.model_validate(a.body)
        else:
            assert set(a.body) <= OPEN311_FIELDS
    orders = [a.body["order_no"] for a in plan if a.channel == "hotline"]
    assert len(set(orders)) == len(orders)


def test_duplicates_repeat_a_grid_report_close_by_and_soon(catalog):
    plan = plan_day(120, TOWNS, seed=4, now=NOW, catalog=catalog, span=60)
    repeats = [a for a in plan if a.duplicate_of is not None]
    assert len(repeats) == day_counts(120)["duplicate"]
    assert Counter(a.channel for a in repeats) == {"hotline": 3, "open311": 2}, "by phone and in the app in turn"
    assert len({a.duplicate_of for a in repeats}) == len(repeats)
    for a in repeats:
        target = plan[a.duplicate_of]
        assert target.channel == "grid" and target.center in TOWNS and target.body.get("category") == target.category
        assert a.category == target.category
        assert REPEAT_AFTER[0] <= a.at - target.at <= REPEAT_AFTER[1] + 0.01
        metres = 1000 * distance_km(*_point(a), *_point(target))
        assert REPEAT_METRES[0] - 1 <= metres <= REPEAT_METRES[1] + 1
        assert metres < catalog.category(a.category).merge_radius_m, "close enough to be merged (并单)"
        if a.channel == "hotline":
            HotlineOrderIn.model_validate(a.body)
            assert a.center == CITY and a.body["region"] == target.center and a.body["category"] == a.category
            assert a.body["address"] == target.body["location"]["address"]
        else:
            assert a.center == target.center and a.body["service_code"] == a.category
            assert a.body["address_string"] == target.body["location"]["address"]


def test_plan_day_is_reproducible_and_busier_early(catalog):
    a = plan_day(150, TOWNS, seed=21, now=NOW, catalog=catalog, span=60)
    b = plan_day(150, TOWNS, seed=21, now=NOW, catalog=catalog, span=60)
    c = plan_day(150, TOWNS, seed=22, now=NOW, catalog=catalog, span=60)
    assert [(x.at, x.center, x.channel, x.body, x.storm, x.duplicate_of) for x in a] == \
        [(x.at, x.center, x.channel, x.body, x.storm, x.duplicate_of) for x in b]
    assert [x.body for x in a] != [x.body for x in c]
    cases = [x for x in a if x.channel != "sensor"]
    assert sum(1 for x in cases if x.at < 30) > 0.55 * len(cases), "the morning rush"
    at_towns = Counter(x.channel for x in cases if x.center != CITY and x.duplicate_of is None)
    assert at_towns["grid"] > at_towns["desk"], "townships take in mostly grid workers' patrol reports"


def test_a_lone_storm_gets_the_all_clear_even_if_it_only_records_it(catalog):
    day = plan_sensors(1, TOWNS, seed=8, now=NOW, span=60, catalog=catalog)
    assert {a.body["alert_type"] for a in day if a.storm} == {"hazmat_vehicle_stop"}
    clears = [a for a in day if a.body.get("resolved")]
    assert len(clears) == 1 and not sensor_types().get("hazmat_vehicle_stop").all_clear_resolves
    quiet = plan_sensors(0, TOWNS, seed=8, now=NOW, catalog=catalog)
    assert {a.body["alert_type"] for a in quiet} == {HEARTBEAT}, "no storm: the devices only say they are alive"
    assert len(quiet) == QUIET_DEVICES * len(TOWNS) * HEARTBEATS


# ---- the day's monitoring (app.demo.monitoring; BRIEF.md scenarios 8 and 9) ------------------------------------
from app.demo.monitoring import (  # noqa: E402
    HOTSPOT_AWAY_M,
    HOTSPOT_CATEGORY,
    HOTSPOT_METRES,
    HOTSPOT_REPORTS,
    STAY_MINUTES,
    TRACK_BATCH_S,
    plan_hotspot,
    plan_tankers,
)
from services.warning.domain import patterns  # noqa: E402
from services.warning.domain import tracks as track_rules  # noqa: E402
from tests.perf.tracks_bench import replay  # noqa: E402


@pytest.mark.parametrize("now,ends", [(NOW, NOW), (NOW.replace(hour=2), datetime(2026, 11, 22, 21, 50, tzinfo=CHINA))])
def test_the_days_tankers_raise_a_red_dwell_at_the_closed_plant_and_a_route_deviation(now, ends):
    """As the day sends them (batches of TRACK_BATCH_S, out of order, some twice, taken as POST /api/v1/tracks takes
    them): the first tanker's dwell at the closed plant, red, while it is still there; the second's deviation; nothing
    else — by day, and at night too, when the trips end before the tankers' night ban began."""
    tankers = plan_tankers(7, now, "r1")
    assert [(t.event, t.trip.vehicle_id, t.place) for t in tankers] == [
        ("dwell", "HZ-r1-1", "E-XD-02"), ("route_deviation", "HZ-r1-2", None)]
    trips = [t.trip for t in tankers]
    assert {datetime.fromisoformat(t.points[-1]["at"]) for t in trips} == {ends}
    raised = replay(trips, 7, TRACK_BATCH_S)
    assert sorted((w.vehicle_id, w.kind) for w in raised) == [("HZ-r1-1", "dwell"), ("HZ-r1-2", "route_deviation")]
    ref = track_rules.reference()
    hazmat = ref.vehicle_class("hazmat")
    for t in tankers:
        track = [track_rules.TrackPoint(datetime.fromisoformat(p["at"]), p["lon"], p["lat"], p["speed_kmh"])
                 for p in t.trip.points]
        [found] = track_rules.detect(t.trip.vehicle_id, hazmat, track, ref)
        assert (found.kind, found.level) == (t.event, "red")
        if t.event == "dwell":
            assert found.evidence["place"]["licence"] == "closed" and found.evidence["ongoing"]
            assert found.evidence["minutes"] == pytest.approx(STAY_MINUTES, abs=1)
    assert plan_tankers(7, now, "r1") == tankers, "reproducible"
    assert plan_tankers(7, now, "r2")[0].trip.vehicle_id == "HZ-r2-1", "new vehicles every run"


def test_the_hot_spots_complaints_raise_one_hotspot_on_a_center_with_no_history(catalog):
    """Eleven noise complaints around one market: the tenth raises the hot spot (the rule's min_cases, on cells never
    seen before), the eleventh joins it; nine would not."""
    town = "320612001"
    hot = plan_hotspot(7, town, catalog, NOW)
    assert len(hot.reports) == HOTSPOT_REPORTS == 11
    assert Counter(r.role for r in hot.reports) == {"gridworker": 8, "dispatcher": 3}, "grid workers and the desk"
    keywords = catalog.category(HOTSPOT_CATEGORY).keywords
    for r in hot.reports:
        ReportIn.model_validate(r.body)
        assert r.category == r.body["category"] == HOTSPOT_CATEGORY and r.body["region"] == town
        assert r.body["location"]["address"].startswith("南通市通州区金沙街道" + hot.market)
        assert any(k in r.body["description"] for k in keywords), "triage would classify it so, too"
        metres = distance_m(*hot.spot, r.body["location"]["lon"], r.body["location"]["lat"])
        assert HOTSPOT_METRES[0] - 1 <= metres <= HOTSPOT_METRES[1] + 1
    rules = patterns.load_rules()
    need = int(rules.of("hotspot", HOTSPOT_CATEGORY)["min_cases"])
    obs = [patterns.Observation(f"c{i}", r.category, town, r.body["location"]["lon"], r.body["location"]["lat"],
                                NOW + timedelta(minutes=i), "grid" if r.role == "gridworker" else "desk")
           for i, r in enumerate(hot.reports)]
    found = patterns.detect(rules, obs)
    assert need == 10 and [f.kind for f in found] == ["hotspot"] * (HOTSPOT_REPORTS - need + 1)
    assert len({f.cause for f in found}) == 1, "one warning; the later complaints join it"
    assert set(found[0].case_ids) == {f"c{i}" for i in range(need)} and found[0].evidence["count"] == need
    assert not patterns.detect(rules, obs[:need - 1]), "one fewer is no hot spot"
    assert plan_hotspot(7, town, catalog, NOW) == hot, "reproducible"
    elsewhere = plan_hotspot(7, town, catalog, NOW, avoid=[hot.spot])
    assert distance_m(*elsewhere.spot, *hot.spot) >= HOTSPOT_AWAY_M, "away from an earlier run's hot spot"
