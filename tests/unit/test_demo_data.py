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
