"""The case patterns of issue 12 item 4, pure (services/warning/domain/patterns.py): a hotspot is found once per
cause and not at a place's usual rate, a category rising in a region is a trend, a repeat caller is known by a
keyed hash only."""
import random
from datetime import datetime, timedelta

import pytest

from services.warning.domain.patterns import (
    CHINA,
    MemoryStates,
    Observation,
    RulesError,
    detect,
    load_rules,
    observe,
    poisson_tail,
)
from services.warning.keys import caller_key

RULES = load_rules()
START = datetime(2026, 9, 1, 9, 0, tzinfo=CHINA)
MARKET = (120.870, 32.010)  # a street market in 崇川区


def _obs(n, at, lon, lat, category="1701", region="320602001", source="hotline", caller=None):
    return Observation(case_id=f"C{n:05d}", category=category, region=region, lon=lon, lat=lat, at=at,
                       source=source, caller=caller)


def _background(days, per_day, seed, category="1701", spread=0.08):
    """Cases scattered over a county-sized area at random, `per_day` a day."""
    rng = random.Random(seed)
    out = []
    for d in range(days):
        for _ in range(per_day):
            at = START + timedelta(days=d, minutes=rng.randrange(600))
            out.append((at, MARKET[0] + rng.uniform(-spread, spread), MARKET[1] + rng.uniform(-spread, spread)))
    return out


def _cluster(first_day, count, days=7, seed=1, radius=0.002):
    rng = random.Random(seed)
    return [(START + timedelta(days=first_day + rng.random() * days), MARKET[0] + rng.uniform(-radius, radius),
             MARKET[1] + rng.uniform(-radius, radius)) for _ in range(count)]


def _run(points, **kw):
    points = sorted(points)
    return detect(RULES, [_obs(i, at, lon, lat, **kw) for i, (at, lon, lat) in enumerate(points)])


def test_eleven_complaints_in_a_week_around_one_market_raise_one_hotspot_once():
    found = _run(_background(28, 6, seed=7) + _cluster(21, 11))
    hot = [f for f in found if f.kind == "hotspot"]
    assert hot, "the cluster is found"
    assert len({f.cause for f in hot}) == 1, "one cause: later cases of the cluster join it"
    first = hot[0]
    assert first.evidence["count"] >= RULES.of("hotspot", "1701")["min_cases"]
    assert first.evidence["expected"] < 3 and first.evidence["p_value"] <= 0.001
    lon0, lat0, lon1, lat1 = first.evidence["bbox"]
    assert lon0 <= MARKET[0] <= lon1 and lat0 <= MARKET[1] <= lat1, "the warning names the place"
    assert len(first.case_ids) >= first.evidence["count"] - 1


def test_no_hotspot_at_a_busy_places_usual_rate():
    """A market street with about 2 noise complaints every day for two months: 14 a week is its usual rate."""
    rng = random.Random(3)
    busy = [(START + timedelta(days=d, hours=rng.randrange(12)), MARKET[0] + rng.uniform(-0.001, 0.001),
             MARKET[1] + rng.uniform(-0.001, 0.001)) for d in range(60) for _ in range(2)]
    found = [f for f in _run(busy) if f.kind == "hotspot"]
    # a cold start is judged against the prior: the first week may be flagged (one cause); once three weeks of the
    # place are known, its usual rate is learned and the same rate raises nothing
    assert len({f.cause for f in found}) <= 1
    assert not [f for f in found if int(f.case_ids[-1][1:]) >= 42], [f.case_ids[-1] for f in found]


def test_the_same_place_raises_again_in_a_later_episode_under_another_cause():
    found = _run(_background(70, 4, seed=11) + _cluster(14, 12, seed=2) + _cluster(56, 12, seed=5))
    causes = {f.cause for f in found if f.kind == "hotspot"}
    assert len(causes) == 2, causes


def test_other_categories_and_sensor_cases_do_not_add_to_a_hotspot():
    pts = _cluster(0, 11)
    mixed = [_obs(i, at, lon, lat, category="1301" if i % 2 else "1701") for i, (at, lon, lat) in enumerate(sorted(pts))]
    assert not [f for f in detect(RULES, mixed) if f.kind == "hotspot"]
    sensors = [_obs(i, at, lon, lat, source="sensor") for i, (at, lon, lat) in enumerate(sorted(pts))]
    assert not detect(RULES, sensors)


def test_a_category_rising_in_a_region_is_a_trend_and_a_steady_one_is_not():
    rng = random.Random(5)
    steady = [START + timedelta(days=d, hours=rng.randrange(10)) for d in range(42) for _ in range(2)]
    rising = steady + [START + timedelta(days=42 + d, hours=rng.randrange(10)) for d in range(7) for _ in range(6)]

    def run(times):
        return detect(RULES, [_obs(i, at, None, None, category="1101") for i, at in enumerate(sorted(times))])

    assert not [f for f in run(steady) if f.kind == "trend"]
    trends = [f for f in run(rising) if f.kind == "trend"]
    assert trends and len({f.cause for f in trends}) == 1
    assert trends[0].evidence["ratio"] >= 2 and trends[0].region == "320602001"


def test_a_repeat_caller_is_keyed_never_the_number():
    phone = "13812345678"
    key = caller_key(phone, "k1")
    assert phone not in key and key == caller_key(phone, "k1") and key != caller_key(phone, "k2")
    assert key != caller_key("13812345679", "k1")
    states = MemoryStates()
    found = []
    for i in range(4):
        found += observe(RULES, states, _obs(i, START + timedelta(hours=5 * i), None, None, category=None,
                                             caller=key))
    calls = [f for f in found if f.kind == "repeat_caller"]
    assert len(calls) == 2 and len({f.cause for f in calls}) == 1, "raised at the third order; the fourth joins"
    assert calls[-1].case_ids == ("C00000", "C00001", "C00002", "C00003")
    assert phone not in repr(states.data) and phone not in repr(calls)
    # orders far apart are not repeats
    far = MemoryStates()
    spread = [observe(RULES, far, _obs(i, START + timedelta(days=4 * i), None, None, caller=key)) for i in range(5)]
    assert not any(spread)


def test_poisson_tail_and_bad_rules(tmp_path):
    assert poisson_tail(0, 1.0) == 1.0 and poisson_tail(1, 0.0) == 0.0
    assert poisson_tail(10, 1.4) < 1e-5 < poisson_tail(3, 1.4)
    bad = tmp_path / "w.toml"
    bad.write_text('sources = ["hotline"]\n[hotspot]\ncell_m = "far"\n', encoding="utf-8")
    with pytest.raises(RulesError, match="hotspot.cell_m"):
        load_rules(bad)
