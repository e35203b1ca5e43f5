"""网格化自动派遣: the nearest available team (pure), the teams in the catalog, and the categories' auto_dispatch
flag and 并单 parameters."""
import shutil
from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.dispatch.domain.teams import nearest_available
from services.intake.domain.boundaries import configured
from shared.catalog import CatalogError, load_catalog, load_from
from shared.catalog.catalog import DATA_DIR
from shared.geo import distance_m


@dataclass(frozen=True)
class T:
    code: str
    lon: float
    lat: float
    capacity: int = 3


HERE = (121.070, 32.080)


# ── the choice (pure) ───────────────────────────────────────────────────────
def test_distance_is_haversine_in_metres():
    assert distance_m(*HERE, *HERE) == 0
    assert abs(distance_m(121.0, 32.0, 121.0, 32.001) - 111.2) < 0.5  # a thousandth of a degree of latitude
    assert distance_m(121.0, 32.0, 121.01, 32.0) == pytest.approx(distance_m(121.01, 32.0, 121.0, 32.0))


def test_the_nearest_team_with_room_takes_the_case():
    near, far = T("u.t1", 121.071, 32.080), T("u.t2", 121.080, 32.080)
    team, d = nearest_available([far, near], {}, *HERE)
    assert team is near and 90 < d < 100
    assert nearest_available([far, near], {"u.t1": 2}, *HERE)[0] is near, "below capacity: still available"


def test_a_full_team_is_skipped_and_none_when_every_team_is_full():
    near, far = T("u.t1", 121.071, 32.080, capacity=2), T("u.t2", 121.080, 32.080, capacity=1)
    team, d = nearest_available([near, far], {"u.t1": 2}, *HERE)
    assert team is far and d > 900
    assert nearest_available([near, far], {"u.t1": 2, "u.t2": 5}, *HERE) is None
    assert nearest_available([], {}, *HERE) is None


def test_equal_distances_go_to_the_smaller_code_whatever_the_order():
    a, b = T("u.a", 121.071, 32.080), T("u.b", 121.071, 32.080)
    assert nearest_available([b, a], {}, *HERE)[0] is a
    assert nearest_available([a, b], {}, *HERE)[0] is a
    assert nearest_available([a, b], {"u.a": 3}, *HERE)[0] is b


teams_and_loads = st.lists(
    st.tuples(st.floats(120.9, 121.2), st.floats(31.9, 32.2), st.integers(1, 5), st.integers(0, 6)),
    max_size=12,
).map(lambda rows: ([T(f"u.t{i}", lon, lat, cap) for i, (lon, lat, cap, _) in enumerate(rows)],
                    {f"u.t{i}": load for i, (*_, load) in enumerate(rows)}))


@settings(max_examples=300)
@given(teams_and_loads, st.floats(120.9, 121.2), st.floats(31.9, 32.2), st.randoms())
def test_the_chosen_team_is_never_farther_than_another_available_one(tl, lon, lat, rnd):
    teams, load = tl
    available = [t for t in teams if load[t.code] < t.capacity]
    picked = nearest_available(teams, load, lon, lat)
    if not available:
        assert picked is None
        return
    team, d = picked
    assert team in available and d == distance_m(team.lon, team.lat, lon, lat)
    assert all(d <= distance_m(t.lon, t.lat, lon, lat) for t in available)
    shuffled = list(teams)
    rnd.shuffle(shuffled)
    assert nearest_available(shuffled, load, lon, lat)[0] == team, "the order of the teams does not matter"


# ── the teams in the catalog ────────────────────────────────────────────────
@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


DEMO_TOWNSHIPS = ("320612001", "320612002")


def test_demo_townships_have_two_or_three_teams_per_auto_dispatch_unit(catalog):
    kinds = {c.unit_kind for c in catalog.categories.values() if c.auto_dispatch}
    assert kinds == {"chengguan", "municipal", "sanitation"}
    for town in DEMO_TOWNSHIPS:
        for kind in kinds:
            unit = catalog.unit_for(town, kind)
            teams = catalog.teams_of(unit.code)
            assert 2 <= len(teams) <= 3, unit.code
            for t in teams:
                assert t.unit == unit.code and t.code.startswith(unit.code + ".") and t.capacity >= 1
                assert configured().deepest(t.lon, t.lat) == town, f"{t.code} is based outside its township"
            assert [t.code for t in teams] == sorted(t.code for t in teams)


def test_units_without_teams_and_the_catalog_view(catalog):
    assert catalog.teams_of("320612004.chengguan") == []
    assert catalog.teams_of("nope") == []
    units = {u["code"]: u for u in catalog.as_dict("320612001")["units"]}
    teams = units["320612001.chengguan"]["teams"]
    assert teams[0] == {"code": "320612001.chengguan.t1", "unit": "320612001.chengguan",
                        "name": "金沙街道城管中队一分队", "position": {"lon": 121.068, "lat": 32.09}, "capacity": 5}
    assert units["320612001.command"]["teams"] == []


# ── categories: auto_dispatch and 并单 ───────────────────────────────────────
def test_auto_dispatch_is_for_simple_township_categories(catalog):
    auto = {c.code: c for c in catalog.categories.values() if c.auto_dispatch}
    assert {"0107", "0102", "1101", "0301"} <= set(auto), "manhole covers, garbage, bins"
    assert all(c.tier == "township" for c in auto.values())
    for code in ("1303", "1999", "0101"):  # enforcement procedure; the catch-all; a city utility
        assert not catalog.category(code).auto_dispatch
    assert catalog.category("0107").as_dict()["auto_dispatch"] is True


def test_merge_parameters_default_and_override(catalog):
    plain = catalog.category("1101")
    assert (plain.merge_radius_m, plain.merge_window_hours) == (250, 72)
    assert catalog.category("0107").merge_radius_m < 250, "a manhole cover is a point"
    assert catalog.category("1701").merge_radius_m > 250, "noise carries"
    assert catalog.category("1303").merge_window_hours > 72
    assert {"merge_radius_m": 100, "merge_window_hours": 72}.items() <= catalog.category("0107").as_dict().items()


# ── validation: errors name the file and the entry ──────────────────────────
@pytest.fixture
def data(tmp_path):
    shutil.copytree(DATA_DIR, tmp_path, dirs_exist_ok=True)
    return tmp_path


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_data_dir_without_teams_has_no_teams(data):
    (data / "teams.toml").unlink()
    assert load_from(data).teams_of("320612001.chengguan") == []


def test_the_merge_section_sets_the_defaults(data):
    _edit(data / "categories.toml", "radius_m = 250", "radius_m = 300")
    assert load_from(data).category("1101").merge_radius_m == 300


@pytest.mark.parametrize("old, new, message", [
    ('unit = "320612001.chengguan"', 'unit = "320612001.nope"',
     "teams.toml: team 320612001.chengguan.t1: unknown unit"),
    ('code = "320612001.chengguan.t2"', 'code = "320612001.chengguan.t1"', "team 320612001.chengguan.t1: duplicate"),
    ('code = "320612001.chengguan.t1"', 'code = "320612002.chengguan.t9"', "team 320612002.chengguan.t9: a team code"),
    ("capacity = 5", "capacity = 0", "team 320612001.chengguan.t1: capacity must be a positive whole number"),
    ("capacity = 5", 'capacity = "5"', "team 320612001.chengguan.t1: capacity"),
    ("lon = 121.068", "lon = 221.068", "team 320612001.chengguan.t1: position"),
    ("position = { lon = 121.068, lat = 32.090 }", "",
     "teams.toml: team #1 320612001.chengguan.t1: missing field 'position'"),
    ("position = { lon = 121.068, lat = 32.090 }", "position = [121.068, 32.09]", "teams.toml: team #1"),
])
def test_bad_teams_are_refused_by_file_and_entry(data, old, new, message):
    _edit(data / "teams.toml", old, new)
    with pytest.raises(CatalogError) as err:
        load_from(data)
    assert message in str(err.value)


def test_an_unreadable_teams_file_is_named(data):
    (data / "teams.toml").write_text("[[team]\n", encoding="utf-8")
    with pytest.raises(CatalogError, match="teams.toml"):
        load_from(data)


@pytest.mark.parametrize("old, new, message", [
    ('tier = "city"\nmerge_radius_m = 100', 'tier = "city"\nauto_dispatch = true\nmerge_radius_m = 100',
     "category 0101 上水井盖: auto_dispatch is for township categories"),
    ('tier = "township"\nauto_dispatch = true\nmerge_radius_m = 100\nkeywords = ["污水井盖"',
     'tier = "township"\nauto_dispatch = "yes"\nkeywords = ["污水井盖"', "category 0102 污水井盖: auto_dispatch must be"),
    ("merge_radius_m = 1000     #", "merge_radius_m = -5     #",
     "category 1704 违法排污: merge_radius_m must be a number ≥ 0"),
    ("window_hours = 72", "window_hours = 0", "merge_window_hours must be a positive"),
])
def test_bad_category_flags_are_refused(data, old, new, message):
    _edit(data / "categories.toml", old, new)
    with pytest.raises(CatalogError) as err:
        load_from(data)
    assert message in str(err.value)
