"""The catalog's data files: categories, units, and the JSON view served at GET /api/v1/catalog."""

import json

import pytest

from shared.catalog import (
    STAGES,
    Catalog,
    Category,
    Deadline,
    UnknownCategory,
    UnknownRegion,
    UnknownUnit,
    load_catalog,
)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def test_load_is_cached(catalog):
    assert load_catalog() is catalog


def test_enough_categories_of_both_kinds(catalog):
    cats = list(catalog.categories.values())
    assert len(cats) >= 36
    assert {c.kind for c in cats} == {"部件", "事件"}
    for kind in ("部件", "事件"):
        assert len({c.major_code for c in cats if c.kind == kind}) >= 4, kind


def test_codes_unique_and_shaped(catalog):
    codes = [c.code for c in catalog.categories.values()]
    assert len(codes) == len(set(codes))
    for c in catalog.categories.values():
        assert len(c.code) == 4 and c.code.isdigit()
        assert c.code[:2] == c.major_code
        assert c.major_name
    # 部件 and 事件 never share a major code
    component_majors = {c.major_code for c in catalog.categories.values() if c.kind == "部件"}
    event_majors = {c.major_code for c in catalog.categories.values() if c.kind == "事件"}
    assert not component_majors & event_majors


@pytest.mark.parametrize("code", sorted(load_catalog().categories))
def test_every_category_is_valid(catalog, code):
    c: Category = catalog.category(code)
    assert c.priority in ("urgent", "high", "normal")
    assert c.tier in ("city", "county", "township")
    assert c.principle == ("owner_first" if c.kind == "部件" else "territory_first")
    assert tuple(c.deadlines) == STAGES == ("sign", "resolve", "verify", "feedback")
    for d in c.deadlines.values():
        assert isinstance(d, Deadline) and d.amount > 0
        assert d.unit in ("minutes", "hours", "working_hours", "working_days")
    assert c.keywords and all(k.strip() for k in c.keywords)
    assert len(set(c.keywords)) == len(c.keywords)
    assert c.unit_kind in catalog.unit_kinds
    # the responsible unit exists at every center of the category's tier
    for region in catalog.regions.all():
        if region.tier == c.tier:
            unit = catalog.unit_for(region.code, c.unit_kind)
            assert unit is not None, f"{c.code} {c.name}: no {c.unit_kind} unit at {region.code}"
            assert unit.tier == c.tier and unit.center == region.code


def _minutes(d: Deadline) -> float:  # rough wall-clock size, for sanity checks only
    return d.amount * {"minutes": 1, "hours": 60, "working_hours": 60, "working_days": 8 * 60}[d.unit]


def test_deadlines_are_realistic(catalog):
    for c in catalog.categories.values():
        sign, resolve = _minutes(c.deadlines["sign"]), _minutes(c.deadlines["resolve"])
        assert 15 <= sign <= 60, c.code
        assert sign < resolve <= 5 * 8 * 60, c.code
        if c.priority == "urgent":
            assert sign <= 30 and resolve <= 4 * 60, c.code
        assert c.deadlines["feedback"] == Deadline(1, "working_days")


def test_seed_categories_exist(catalog):
    names = {c.name for c in catalog.categories.values()}
    for name in ("上水井盖", "污水井盖", "路灯", "暴露垃圾", "违法建设", "占道经营", "危化品异常", "高空坠物隐患", "其他"):
        assert name in names
    other = catalog.category(catalog.other_category)
    assert other.name == "其他" and other.kind == "事件"


def test_unknown_category_raises_readable_keyerror(catalog):
    with pytest.raises(UnknownCategory) as err:
        catalog.category("9999")
    assert isinstance(err.value, KeyError)
    assert str(err.value) == "unknown category '9999'"


def test_units_from_templates_and_departments(catalog):
    township = {u.kind: u for u in catalog.units_of("320612001")}
    assert township["chengguan"].name == "金沙街道城管中队"
    assert township["chengguan"].code == "320612001.chengguan"
    assert {"command", "chengguan", "municipal", "sanitation", "safety"} <= set(township)
    county = {u.kind: u.name for u in catalog.units_of("320612")}
    assert county["chengguan"] == "通州区城管局"
    for kind in ("housing", "water", "environment", "market", "transport"):
        assert kind in county
    city = {u.kind: u for u in catalog.units_of("320600")}
    assert len(city) >= 15
    assert city["emergency"].name == "南通市应急管理局"
    assert city["emergency"].code == "320600.emergency" and city["emergency"].tier == "city"


def test_every_center_has_a_command_desk_and_unique_unit_codes(catalog):
    codes = []
    for region in catalog.regions.all():
        units = catalog.units_of(region.code)
        assert catalog.unit_for(region.code, catalog.command_kind) is not None
        for u in units:
            assert u.center == region.code and u.tier == region.tier
            assert u.code == f"{region.code}.{u.kind}"
            assert catalog.unit(u.code) == u
        codes += [u.code for u in units]
    assert len(codes) == len(set(codes))


def test_unknown_units_and_centers(catalog):
    for code in ("320600.nope", "999999.chengguan", "garbage", "320612001.water_supply"):
        with pytest.raises(UnknownUnit):
            catalog.unit(code)
    assert catalog.unit_for("320612001", "water_supply") is None
    with pytest.raises(UnknownRegion):
        catalog.units_of("110101")


def test_fallback_kinds_end_at_the_command_desk(catalog):
    for kind in catalog.unit_kinds:
        chain = catalog.fallback_kinds(kind)
        if kind != catalog.command_kind:
            assert chain[-1] == catalog.command_kind
        assert kind not in chain


def test_as_dict_is_json_and_complete(catalog):
    doc = catalog.as_dict()
    json.dumps(doc, ensure_ascii=False)
    assert len(doc["categories"]) == len(catalog.categories)
    first = doc["categories"][0]
    assert {"code", "name", "kind", "deadlines", "priority"} <= set(first)
    assert first["deadlines"]["sign"] == {"amount": catalog.category(first["code"]).deadlines["sign"].amount,
                                          "unit": catalog.category(first["code"]).deadlines["sign"].unit}
    assert {u["center"] for u in doc["units"]} == {"320600"}
    assert len(doc["regions"]) == len(catalog.regions.all())
    township = catalog.as_dict("320612001")
    assert {u["center"] for u in township["units"]} == {"320612001"}


def test_catalog_module_is_pure():
    import ast
    import pathlib

    import shared.catalog as pkg

    banned = {"nameko", "sqlmodel", "sqlalchemy", "httpx", "structlog", "opentelemetry"}
    for path in pathlib.Path(pkg.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            assert not {n.split(".")[0] for n in names} & banned, path
