"""The 12345 order generator (app.simulators.hotline_orders): orders that follow CONTRACTS.md §4, read like citizens,
are located in their region, classify right, and are reproducible; and the satisfaction visits."""
import math
import random
import re
from collections import Counter
from datetime import datetime

import pytest

from app.simulators.hotline_orders import (
    CHANNELS,
    KINDS,
    NANTONG_BOX,
    RADIUS_KM,
    SATISFACTIONS,
    OrderGenerator,
    anchor,
    parse_mix,
    visit,
)
from services.triage.domain.classifier import classify
from shared.catalog import UnknownRegion, load_catalog
from shared.clock import CHINA

NOW = datetime(2026, 11, 23, 10, 30, tzinfo=CHINA)
N = 1000
HAN = re.compile(r"[\u4e00-\u9fff]")
ORDER_NO = re.compile(r"^12345-\d{8}-\d{6}$")
MOBILE = re.compile(r"^1[3-9]\d{9}$")
FIELDS = {"order_no", "channel", "kind", "title", "content", "caller", "address", "location", "region", "category",
          "urgent", "received_at", "due_at"}


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


@pytest.fixture(scope="module")
def orders(catalog):
    return OrderGenerator(seed=42, catalog=catalog).orders(N, now=NOW)


def _aware(text: str) -> datetime:
    assert text.endswith("+08:00"), text
    at = datetime.fromisoformat(text)
    assert at.tzinfo is not None
    return at


def test_every_order_follows_the_contract(orders, catalog):
    county = set(catalog.regions.subtree("320612"))
    for o in orders:
        b = o.body
        assert set(b) <= FIELDS and {"order_no", "channel", "kind", "title", "content", "caller", "urgent",
                                     "received_at"} <= set(b)
        assert ORDER_NO.match(b["order_no"])
        assert b["channel"] in CHANNELS and b["kind"] in KINDS
        assert isinstance(b["title"], str) and 2 <= len(b["title"]) <= 60
        assert isinstance(b["content"], str) and len(b["content"]) <= 2000
        assert set(b["caller"]) <= {"name", "phone"} and MOBILE.match(b["caller"]["phone"])
        assert isinstance(b["caller"].get("name", ""), str)
        assert isinstance(b["urgent"], bool)
        if "address" in b:
            assert isinstance(b["address"], str) and b["address"].startswith("南通市通州区") and len(b["address"]) <= 200
        if "location" in b:
            assert set(b["location"]) == {"lon", "lat"}
            assert all(isinstance(v, float) for v in b["location"].values())
            assert "address" in b  # a position comes with the address it was taken at
        if "region" in b:
            assert b["region"] in county
        if "category" in b:
            assert b["category"] == o.category
        assert o.category in catalog.categories
        received = _aware(b["received_at"])
        assert 0 < (NOW - received).total_seconds() <= 600
        assert b["order_no"][6:14] == received.strftime("%Y%m%d")
        if "due_at" in b:
            assert _aware(b["due_at"]) > received


def test_orders_read_like_citizens(orders):
    for o in orders:
        assert len(HAN.findall(o.body["content"])) >= 12, o.body["content"]
        assert o.body["content"][-1] in "。？"
    # not a handful of sentences over and over
    assert len({o.body["content"] for o in orders}) > N * 0.8


def test_a_realistic_spread(orders):
    kinds = Counter(o.body["kind"] for o in orders)
    channels = Counter(o.body["channel"] for o in orders)
    assert set(kinds) == set(KINDS) and min(kinds.values()) >= N * 0.05, kinds
    assert set(channels) == set(CHANNELS) and channels.most_common(1)[0][0] == "phone", channels
    share = lambda pred, among=orders: sum(map(pred, among)) / len(among)  # noqa: E731
    assert 0.8 < share(lambda o: "address" in o.body) < 0.97
    assert 0.2 < share(lambda o: "location" in o.body) < 0.7
    phone = [o for o in orders if o.body["channel"] == "phone"]
    apps = [o for o in orders if o.body["channel"] in ("app", "wechat")]
    assert share(lambda o: "location" in o.body, phone) < 0.3 < 0.7 < share(lambda o: "location" in o.body, apps)
    assert 0.2 < share(lambda o: "category" in o.body) < 0.5
    assert 0.6 < share(lambda o: "region" in o.body) < 0.95
    assert 0 < share(lambda o: o.body["urgent"]) < 0.12
    assert len(Counter(o.category for o in orders)) >= 40


def test_located_inside_the_region(orders, catalog):
    west, east, south, north = NANTONG_BOX
    for o in orders:
        if "location" not in o.body:
            continue
        lon, lat = o.body["location"]["lon"], o.body["location"]["lat"]
        assert west <= lon <= east and south <= lat <= north
        if "region" in o.body:
            lon0, lat0 = anchor(o.body["region"], catalog)
            km = math.hypot((lon - lon0) * math.cos(math.radians(lat0)), lat - lat0) * 111.32
            assert km <= RADIUS_KM + 0.01
            assert o.body["address"].startswith("南通市通州区" + catalog.regions.name(o.body["region"]))


def test_chosen_regions_and_an_unknown_one(catalog):
    for o in OrderGenerator(seed=1, regions=["320613001"], catalog=catalog).orders(50, now=NOW):
        assert o.body.get("region") in (None, "320613001")
        assert o.body.get("address", "南通市崇川区城东街道").startswith("南通市崇川区城东街道")
    with pytest.raises(UnknownRegion):
        OrderGenerator(seed=1, regions=["999999"], catalog=catalog)


def test_reproducible_with_a_seed_and_numbered_in_sequence(catalog):
    a = OrderGenerator(seed=7, catalog=catalog).orders(30, now=NOW)
    b = OrderGenerator(seed=7, catalog=catalog).orders(30, now=NOW)
    c = OrderGenerator(seed=8, catalog=catalog).orders(30, now=NOW)
    assert [o.body for o in a] == [o.body for o in b]
    assert [o.body for o in a] != [o.body for o in c]
    numbers = [int(o.body["order_no"][-6:]) for o in a]
    assert numbers == list(range(numbers[0], numbers[0] + 30))


def test_the_classifier_recovers_the_category(orders, catalog):
    """The generated text carries the category's keywords: triage classifies (measured: all of them)."""
    hits = [classify(o.body["content"], catalog).category == o.category for o in orders]
    assert sum(hits) / len(hits) >= 0.9
    unnamed = [o for o in orders if "category" not in o.body]
    assert sum(classify(o.body["content"], catalog).category == o.category for o in unnamed) / len(unnamed) >= 0.9


def test_parse_mix():
    assert parse_mix("satisfied=0.7,basically_satisfied=0.2,dissatisfied=0.1") == {
        "satisfied": 0.7, "basically_satisfied": 0.2, "dissatisfied": 0.1}
    assert parse_mix("dissatisfied=1") == {"satisfied": 0, "basically_satisfied": 0, "dissatisfied": 1}
    for bad in ("happy=1", "satisfied=lots", "satisfied=-1", "satisfied=0", "", "satisfied=nan"):
        with pytest.raises(ValueError, match="--mix"):
            parse_mix(bad)


def test_visits_follow_the_contract_and_the_mix():
    rng = random.Random(3)
    bodies = [visit("12345-20261123-000017", rng, now=NOW) for _ in range(2000)]
    for b in bodies:
        assert set(b) <= {"order_no", "resolved", "satisfaction", "comment", "visited_at"}
        assert b["order_no"] == "12345-20261123-000017" and isinstance(b["resolved"], bool)
        assert b["satisfaction"] in SATISFACTIONS
        assert b["visited_at"] == "2026-11-23T10:30:00+08:00"
        if b["satisfaction"] != "dissatisfied":
            assert b["resolved"]
    shares = Counter(b["satisfaction"] for b in bodies)
    assert shares["satisfied"] / 2000 == pytest.approx(0.7, abs=0.04)
    assert shares["dissatisfied"] / 2000 == pytest.approx(0.1, abs=0.03)
    only = {visit("x", rng, {"dissatisfied": 1.0}, NOW)["satisfaction"] for _ in range(50)}
    assert only == {"dissatisfied"}
    assert [visit("x", random.Random(5), now=NOW) for _ in range(3)] == \
           [visit("x", random.Random(5), now=NOW) for _ in range(3)]
