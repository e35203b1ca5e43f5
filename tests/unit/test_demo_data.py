"""The demo's report generator (shared.demo.generate_reports): realistic, valid, reproducible, in place."""
import re
from collections import Counter
from datetime import datetime

import pytest

from shared.catalog import load_catalog
from shared.clock import CHINA
from shared.contracts.api import ReportIn
from shared.demo import RADIUS_KM, TEMPLATES, distance_km, generate_reports, region_anchor

NOW = datetime(2026, 11, 23, 10, 30, tzinfo=CHINA)
HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


@pytest.fixture(scope="module")
def reports(catalog):
    return generate_reports(300, "320612001", seed=42, now=NOW, catalog=catalog)


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
from shared.demo import (  # noqa: E402
    DESK_TIER_MIX,
    UPPER_TEMPLATES,
    DemoError,
    chain_townships,
    desk_templates,
    generate_desk_entries,
    plan_day,
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
        assert r.body["description"].startswith("市民来电反映（12345工单号")
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


@pytest.mark.parametrize("total,towns", [(60, 2), (150, 4), (7, 3), (1, 2)])
def test_plan_day_splits_the_reports_between_the_city_and_the_townships(total, towns, catalog):
    townships = chain_townships(towns, catalog=catalog)
    plan = plan_day(total, townships, seed=9, now=NOW, catalog=catalog, span=50)
    assert len(plan) == total
    where = Counter(a.center for a in plan)
    assert set(where) <= {"320600", *townships}
    assert where["320600"] == round(total * 0.35)
    at_towns = [where[t] for t in townships]
    assert max(at_towns) - min(at_towns) <= 1, "spread evenly over the townships"
    times = [a.at for a in plan]
    assert times == sorted(times) and all(0 <= t <= 50 for t in times)
    for a in plan:
        ReportIn.model_validate(a.report.body)
        if a.center == "320600":
            assert a.report.role == "dispatcher" and a.report.body["region"] in townships
        else:
            assert a.report.body.get("region") in (None, a.center)
            assert a.report.body["location"]["address"].startswith(
                "南通市通州区" + catalog.regions.name(a.center))


def test_plan_day_is_reproducible_and_busier_early(catalog):
    a = plan_day(150, TOWNS, seed=21, now=NOW, catalog=catalog, span=60)
    b = plan_day(150, TOWNS, seed=21, now=NOW, catalog=catalog, span=60)
    assert [(x.at, x.center, x.report.body) for x in a] == [(x.at, x.center, x.report.body) for x in b]
    first_half = sum(1 for x in a if x.at < 30)
    assert first_half > 0.55 * len(a), "the morning rush"
    grid = Counter(x.report.role for x in a if x.center != "320600")
    assert grid["gridworker"] > grid["dispatcher"], "townships take in mostly grid workers' patrol reports"
