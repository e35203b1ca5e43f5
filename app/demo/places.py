"""Where the demo's problems are: the regions' anchors, illustrative streets and places, and points scattered
inside a region as the centers place them (pure but for the catalog and the region boundaries; reproducible with
a seeded random generator)."""
from __future__ import annotations

import math
import random

from app.simulators.hotline_orders import ANCHORS as order_anchors
from services.intake.domain.boundaries import configured
from shared.catalog import Catalog, load_catalog

#: approximate centres (WGS-84 lon, lat) of regions the demo may run: the city's and the counties' (as the 12345
#: orders use them) and the townships the demo runs first, inside their boundaries
#: (shared/catalog/data/boundaries-320600.geojson); other regions use their nearest listed ancestor.
#: 金沙街道 is the seat of 通州区.
ANCHORS: dict[str, tuple[float, float]] = {
    **order_anchors,
    "320612001": (121.073, 32.084),  # 通州区 金沙街道
    "320612002": (121.112, 32.068),  # 通州区 兴东街道
    "320612003": (121.052, 32.135),  # 通州区 先锋街道
    "320612004": (121.121, 32.135),  # 通州区 金新街道
}
#: reports fall within this distance (km) of the region's anchor
RADIUS_KM = 3.0

# Street names and places are illustrative (typical of a Jiangsu county seat), not a survey.
ROADS = ("人民路", "建设路", "新金西路", "世纪大道", "育才路", "金乐路", "碧华路", "银河路", "金霞路",
         "朝霞路", "通甲路", "金沙大道", "南山路", "工农路", "新华路", "青年路")
ESTATES = ("金沙花园", "银河湾小区", "碧华苑", "紫金苑", "新城花园", "金桥新村", "翠湖名邸", "东方名都",
           "文峰小区", "朝阳新村", "锦绣华庭", "五里树新村")
LANDMARKS = ("菜场", "社区卫生服务中心", "幼儿园", "健身广场", "农贸市场", "实验小学", "文化活动中心",
             "老年活动室", "便民服务中心")


def region_anchor(region: str, catalog: Catalog | None = None) -> tuple[float, float]:
    """The point reports of `region` scatter around: its own anchor or its nearest listed ancestor's."""
    regions = (catalog or load_catalog()).regions
    code: str | None = regions.get(region).code
    while code is not None:
        if code in ANCHORS:
            return ANCHORS[code]
        code = regions.get(code).parent
    return ANCHORS[regions.root]


def full_name(region: str, catalog: Catalog) -> str:
    """"南通市通州区金沙街道": the names from the city down to the region."""
    names: list[str] = []
    code: str | None = region
    while code is not None:
        r = catalog.regions.get(code)
        names.append(r.name)
        code = r.parent
    return "".join(reversed(names))


def place_and_address(rng: random.Random, prefix: str) -> tuple[str, str]:
    """(place in the description, full address): a numbered address on a road, a building of an estate,
    or a crossing with a landmark."""
    road = rng.choice(ROADS)
    shape = rng.random()
    if shape < 0.45:
        number = rng.randint(1, 399)
        return f"{road}{number}号", f"{prefix}{road}{number}号"
    if shape < 0.8:
        estate, block = rng.choice(ESTATES), rng.randint(1, 36)
        return f"{estate}{block}幢", f"{prefix}{road}{estate}{block}幢"
    other = rng.choice([r for r in ROADS if r != road])
    mark = rng.choice(LANDMARKS)
    return f"{road}与{other}交叉口{mark}", f"{prefix}{road}与{other}交叉口"


def scatter(rng: random.Random, region: str, catalog: Catalog) -> tuple[float, float]:
    """A point uniform over a disc of RADIUS_KM around the region's anchor. Where the region's own boundary holds
    its anchor, the point also lies in the region as the centers place points (the deepest boundary holding it:
    alerts, Open311 requests and unaddressed orders are placed so): it is drawn again until it does."""
    lon0, lat0 = region_anchor(region, catalog)
    boundaries = configured()
    bounded = boundaries.deepest(lon0, lat0) == region
    while True:
        r, theta = RADIUS_KM * math.sqrt(rng.random()), rng.random() * 2 * math.pi
        lat = round(lat0 + r * math.sin(theta) / 111.32, 6)
        lon = round(lon0 + r * math.cos(theta) / (111.32 * math.cos(math.radians(lat0))), 6)
        if not bounded or boundaries.deepest(lon, lat) == region:
            return lon, lat


def nudge(rng: random.Random, lon: float, lat: float, lo_m: float, hi_m: float) -> tuple[float, float]:
    """A point between lo_m and hi_m metres from (lon, lat), in a random direction."""
    d, theta = rng.uniform(lo_m, hi_m) / 1000, rng.random() * 2 * math.pi
    return (round(lon + d * math.cos(theta) / (111.32 * math.cos(math.radians(lat))), 6),
            round(lat + d * math.sin(theta) / 111.32, 6))
