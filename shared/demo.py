"""`yiwang demo`: start a three-tier chain and drive a simulated day of cases through it.

The demo starts the city center (320600), the county center (320612) and the first townships of the county
(two unless --townships says otherwise), each as its own `yiwang run` process with its own database, on one
broker, and the 12345 platform's simulator (shared.hotline.simulator) in the demo's own process. Then it plays
a compressed working day over HTTP only, with cases arriving on every channel at once:

- 12345 work orders (source hotline), pushed by the simulator to the city, which routes them down the chain;
  the simulator takes the city's signed updates and makes the satisfaction visit (回访) after each `resolved`:
  a dissatisfied citizen sends the case back for rework, and a hotline case closes only after its visit;
- grid workers' patrol reports and walk-ins at each township (grid, desk), some categories sent straight to
  the nearest team (网格化自动派遣); desk entries at the city's own desk;
- sensor storms at the townships: 20–40 alerts of one type from one spot within seconds, which the center
  groups into one case; an all-clear for one of them; devices' heartbeats;
- a citizens' app at the townships speaking Open311 GeoReport v2 (open311);
- a few callers and app users reporting again what a grid worker has just reported (并单: merged).

Around every center it plays the people — units that sign for (签收), return (退单), escalate (上报), ask for
more time (延期) or are slow, and resolve (办结); grid workers and dispatchers who verify (核查) and send back
for rework (返工); the desks that supervise (督办), the city also cases it follows in its subtree, and review
hotline cases still waiting after their visit. It shows progress per center and per channel while it runs and
ends with the evaluation by region and by unit as the city sees its whole subtree (行政问效, with the 12345
rates), the city's board and where to look next.

The first part of this module is pure (no I/O but the catalog, the region boundaries and the sensor types;
reproducible with a seed) and unit-tested on its own: the generators of each channel and the plan of the day
(`plan_day`).
"""
from __future__ import annotations

import math
import random
import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from shared.catalog import Catalog, load_catalog
from shared.clock import CHINA
from shared.hotline.orders import ANCHORS as order_anchors
from shared.hotline.orders import Order, OrderGenerator

if TYPE_CHECKING:
    from services.intake.domain.alerts import SensorTypes


class DemoError(Exception):
    """A failure the demo reports in one line (and a non-zero exit)."""


# ════════════════════════════════════════════════════════════════════════════════════════════════
# The report generators and the plan of the day (pure: no I/O; reproducible with a seed)
# ════════════════════════════════════════════════════════════════════════════════════════════════

#: the county whose townships the demo runs (通州区); the city is the catalog's root (南通市 320600)
COUNTY = "320612"

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
GRID_WORKERS = ("张建华", "陈小燕", "王志刚", "李秀英", "周海峰", "吴丽娟", "徐卫东", "孙静")
CITIZENS = ("王女士", "李先生", "张阿姨", "刘师傅", "陈先生", "杨女士", "赵大爷", "黄女士", "周先生", "吴女士")

#: category code → (weight, description templates). `{place}` is filled in; every template carries a
#: keyword of its category so that triage classifies it right when the reporter gives no category.
#: Weights follow the usual 数字城管 mix: street order and sanitation dominate, facilities follow. These are
#: what grid workers and township desks see; most are township matters.
TEMPLATES: dict[str, tuple[int, tuple[str, ...]]] = {
    "1101": (9, ("{place}路边有人乱倒垃圾，堆了好几天没人清理，气味很大",
                 "{place}绿化旁出现暴露垃圾，塑料袋和饭盒散落一地",
                 "{place}生活垃圾堆在路口，苍蝇很多，居民意见较大")),
    "1501": (7, ("{place}水果店占道经营，摊位占了大半个人行道",
                 "{place}早餐店出店经营，桌椅摆到了人行道上")),
    "1503": (6, ("{place}乱堆物料，几袋黄沙和砖块堆在路边影响通行",
                 "{place}楼道口乱堆乱放旧家具，堵住了通道")),
    "1505": (6, ("{place}共享单车乱停放，把盲道全部堵住了",
                 "{place}非机动车乱停放，占用了人行道")),
    "1201": (5, ("{place}单元门口和电梯里贴满了办证、开锁小广告",
                 "{place}墙面上被喷涂了大量牛皮癣小广告")),
    "1502": (4, ("{place}早晚有流动摊贩聚集叫卖，影响交通",
                 "{place}路口有无照经营游商卖菜，占用车行道")),
    "1102": (4, ("{place}装修垃圾堆在楼道口一个多星期没人清运",
                 "{place}路边倾倒了一堆建筑垃圾")),
    "0301": (4, ("{place}垃圾桶破损，盖子丢失，垃圾外溢",
                 "{place}果皮箱被撞坏倒在地上")),
    "0102": (4, ("{place}污水井盖破损，一角已经塌下去，行人容易踩空",
                 "{place}门口的污水井盖缺了一块，晚上看不清很危险")),
    "0103": (2, ("{place}雨水井盖移位，车辆碾压后翘起",)),
    "0104": (3, ("{place}路边雨水箅子被树叶和垃圾堵死，下雨排水不畅",
                 "{place}雨水箅子缺失，留下一个大洞")),
    "0107": (3, ("{place}人行道上的窨井盖缺失，已用锥桶临时围挡",)),
    "0109": (4, ("{place}一段路灯连续多晚不亮，居民夜间出行不便",
                 "{place}路灯杆被车撞歪，灯罩掉落")),
    "0302": (2, ("{place}公厕冲水设施损坏，异味较大",)),
    "0303": (2, ("{place}一处广告牌松动，大风天有掉下来的风险",)),
    "0401": (2, ("{place}行道树枯死，树枝伸到了机动车道上方",)),
    "0402": (2, ("{place}绿化带被人毁绿种菜",)),
    "1103": (3, ("{place}路面脏，有大片油污和泥浆没有清扫",)),
    "1104": (2, ("{place}公交车站后面的墙面被乱张贴",)),
    "1105": (1, ("{place}围墙被人乱涂乱画",)),
    "1202": (2, ("{place}商铺门前私自拉横幅搞促销",)),
    "1303": (2, ("{place}有住户在楼顶违章搭建彩钢棚",
                 "{place}一楼住户违建围墙圈占公共绿地")),
    "1402": (2, ("{place}路段下雨后积水严重，车辆无法通行",)),
    "1406": (2, ("{place}一栋楼外墙瓷砖松动，有高空坠物隐患",)),
    "1407": (1, ("{place}一棵大树倒伏，压住了半条人行道",)),
    "1408": (2, ("{place}消防通道被私家车和杂物堵塞",)),
    "1506": (2, ("{place}夜间有露天烧烤摊，烟雾很大",)),
    "1507": (2, ("{place}沿街晾晒衣物被褥，影响市容",)),
    "1601": (3, ("{place}路面破损，坑坑洼洼，骑车经过容易摔倒",
                 "{place}人行道砖块松动翘起，路面破损严重")),
    "1602": (2, ("{place}下水道堵塞，污水漫到了路面上",)),
    "1701": (2, ("{place}附近商铺音响噪音扰民，晚上十点后仍未停止",)),
    "1703": (1, ("{place}有人露天焚烧树叶和杂物，烟很大",)),
    "1702": (1, ("{place}一家餐馆油烟直排，楼上住户无法开窗",)),
    "1504": (2, ("{place}门口长期有机动车违停，堵住了出入口",)),
    "0101": (1, ("{place}自来水井盖破裂，车辆经过时晃动",)),
    "1403": (1, ("{place}地下自来水管破裂，路面一直冒水",)),
    "1801": (1, ("{place}一家小吃店被反映售卖过期食品",)),
    "1999": (1, ("{place}居民建议增设几张休息座椅",
                 "{place}有居民来电咨询老旧小区改造的进度")),
}

#: what citizens also bring to the city's desk: matters of county (区县级) or city (市级) departments — power,
#: gas and water supply facilities, traffic signals and signs, rivers, construction sites, muck trucks,
#: illegal taxis, polluters. Used for the desk entries taken at the city, with TEMPLATES' upper-tier ones.
UPPER_TEMPLATES: dict[str, tuple[int, tuple[str, ...]]] = {
    "0105": (2, ("{place}电力井盖破损下沉，车辆压过去哐哐响",)),
    "0106": (2, ("{place}燃气井盖松动，一踩就翘起来",)),
    "0108": (2, ("{place}消防栓被车撞歪，栓帽也丢了",)),
    "0110": (2, ("{place}路边配电箱的门被撬开，电线裸露，小孩经过很危险",)),
    "0201": (3, ("{place}路口的红绿灯坏了，早高峰车辆乱成一团",
                 "{place}人行横道灯一直不亮，老人过马路很危险")),
    "0202": (2, ("{place}道路中间的隔离护栏被撞倒了好几节",)),
    "0203": (2, ("{place}路口的交通标志牌被风吹歪，挡住了视线",)),
    "0204": (2, ("{place}公交站的候车亭玻璃碎了一地",)),
    "1106": (3, ("{place}附近河道水面漂浮物很多，还有死鱼，发黑发臭",)),
    "1301": (3, ("{place}旁边工地半夜还在打桩，夜间施工吵得睡不着",)),
    "1302": (3, ("{place}旁边工地裸土没有覆盖防尘网，扬尘很大",)),
    "1304": (3, ("{place}渣土车沿途遗撒，路面上全是泥土",)),
    "1305": (2, ("{place}有单位擅自开挖路面，没有任何围挡",)),
    "1401": (1, ("{place}路面突然塌陷出一个大坑，行人差点踩进去",)),
    "1508": (2, ("{place}一辆僵尸车长期停放，占用了公共车位",)),
    "1509": (2, ("{place}每天晚上有黑车拉客",)),
    "1704": (2, ("{place}附近有小作坊偷排工业废水",)),
}

#: the mix of tiers among the desk entries taken at the city: township matters go down the chain, the others
#: stay at the county or the city
DESK_TIER_MIX = {"township": 0.55, "county": 0.27, "city": 0.18}


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
GIVEN_NAMES = ("晓明", "丽华", "建国", "秀英", "志强", "海燕", "文静", "国平", "小军", "玉兰")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙"


@dataclass(frozen=True)
class DemoReport:
    """One report the demo generates: who sends it, what it is about, the request body."""

    role: str        # "gridworker" (巡查上报, source grid), "dispatcher" (窗口/来电登记, source desk) or
    #                  "citizen" (an Open311 app, source open311)
    category: str    # the category the reporter meant (also when the body leaves it to triage)
    body: dict = field(hash=False)  # POST /api/v1/reports; Open311: the form fields but api_key


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


def region_anchor(region: str, catalog: Catalog | None = None) -> tuple[float, float]:
    """The point reports of `region` scatter around: its own anchor or its nearest listed ancestor's."""
    regions = (catalog or load_catalog()).regions
    code: str | None = regions.get(region).code
    while code is not None:
        if code in ANCHORS:
            return ANCHORS[code]
        code = regions.get(code).parent
    return ANCHORS[regions.root]


def _full_name(region: str, catalog: Catalog) -> str:
    """"南通市通州区金沙街道": the names from the city down to the region."""
    names, code = [], region
    while code is not None:
        r = catalog.regions.get(code)
        names.append(r.name)
        code = r.parent
    return "".join(reversed(names))


def _phone(rng: random.Random) -> str:
    return rng.choice(("13", "15", "17", "18", "19")) + "".join(str(rng.randrange(10)) for _ in range(9))


def _where(rng: random.Random, prefix: str) -> tuple[str, str]:
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


def _scatter(rng: random.Random, region: str, catalog: Catalog) -> tuple[float, float]:
    """A point uniform over a disc of RADIUS_KM around the region's anchor. Where the region's own boundary holds
    its anchor, the point also lies in the region as the centers place points (the deepest boundary holding it:
    alerts, Open311 requests and unaddressed orders are placed so): it is drawn again until it does."""
    from services.intake.domain.boundaries import configured

    lon0, lat0 = region_anchor(region, catalog)
    boundaries = configured()
    bounded = boundaries.deepest(lon0, lat0) == region
    while True:
        r, theta = RADIUS_KM * math.sqrt(rng.random()), rng.random() * 2 * math.pi
        lat = round(lat0 + r * math.sin(theta) / 111.32, 6)
        lon = round(lon0 + r * math.cos(theta) / (111.32 * math.cos(math.radians(lat0))), 6)
        if not bounded or boundaries.deepest(lon, lat) == region:
            return lon, lat


def _nudge(rng: random.Random, lon: float, lat: float, lo_m: float, hi_m: float) -> tuple[float, float]:
    """A point between lo_m and hi_m metres from (lon, lat), in a random direction."""
    d, theta = rng.uniform(lo_m, hi_m) / 1000, rng.random() * 2 * math.pi
    return (round(lon + d * math.cos(theta) / (111.32 * math.cos(math.radians(lat))), 6),
            round(lat + d * math.sin(theta) / 111.32, 6))


def generate_reports(n: int, region: str, *, seed: int | str | None = None, now: datetime | None = None,
                     catalog: Catalog | None = None) -> list[DemoReport]:
    """`n` realistic reports located in `region` (Chinese descriptions, catalog categories, addresses and
    coordinates within RADIUS_KM of the region's anchor), taken in at that region's center: grid workers'
    patrol reports (most) and desk entries. The same seed (and `now`) gives the same list."""
    catalog = catalog or load_catalog()
    rng = random.Random(seed)
    now = (now or datetime.now(CHINA)).astimezone(CHINA).replace(microsecond=0)
    prefix = _full_name(region, catalog)
    here = catalog.regions.get(region).name
    codes = [c for c in TEMPLATES if c in catalog.categories]
    weights = [TEMPLATES[c][0] for c in codes]
    out: list[DemoReport] = []
    for _ in range(n):
        code = rng.choices(codes, weights)[0]
        place, address = _where(rng, prefix)
        description = rng.choice(TEMPLATES[code][1]).format(place=place)
        lon, lat = _scatter(rng, region, catalog)
        grid = rng.random() < 0.7
        occurred = now - timedelta(minutes=rng.randint(3, 240))
        body: dict = {"description": description,
                      "location": {"lon": lon, "lat": lat, "address": address},
                      "occurred_at": occurred.isoformat()}
        if grid:
            # a grid worker on patrol: names the category in the app most of the time, adds a photo
            if rng.random() < 0.8:
                body["category"] = code
            body["region"] = region
            worker = rng.choice(GRID_WORKERS)
            body["reporter"] = {"name": f"{here}网格员{worker}", "phone": _phone(rng)}
            body["description"] = f"巡查发现：{description}（第{rng.randint(1, 24)}网格）"
            if rng.random() < 0.6:
                stamp = occurred.strftime("%Y%m%d")
                body["media"] = [f"https://media.yiwang.example/grid/{stamp}/{rng.getrandbits(48):012x}.jpg"]
        else:
            # a citizen at the service window or on the phone: the desk clerk often leaves the category to triage
            if rng.random() < 0.5:
                body["category"] = code
            if rng.random() < 0.5:
                body["region"] = region
            body["reporter"] = {"name": rng.choice(CITIZENS), "phone": _phone(rng)}
            body["description"] = f"群众反映：{description}"
        out.append(DemoReport("gridworker" if grid else "dispatcher", code, body))
    return out


def desk_templates(catalog: Catalog | None = None) -> dict[str, dict[str, tuple[int, tuple[str, ...]]]]:
    """tier → {category code: (weight, templates)}: what citizens bring to the city's desk, by the tier of the
    category (TEMPLATES and UPPER_TEMPLATES together, grouped by the catalog's tier of each category)."""
    catalog = catalog or load_catalog()
    out: dict[str, dict[str, tuple[int, tuple[str, ...]]]] = {t: {} for t in DESK_TIER_MIX}
    for table in (TEMPLATES, UPPER_TEMPLATES):
        for code, entry in table.items():
            if code in catalog.categories:
                out[catalog.category(code).tier][code] = entry
    return out


def generate_desk_entries(n: int, townships: list[str], *, seed: int | str | None = None,
                          now: datetime | None = None, catalog: Catalog | None = None,
                          mix: dict[str, float] | None = None) -> list[DemoReport]:
    """`n` citizens' complaints taken in at the city's desk (calls and walk-ins at the city's command center,
    source `desk`; 12345 orders come by their own channel), each located in one of `townships` (body `region`
    set to it). The category's tier follows `mix` (default DESK_TIER_MIX): township matters are routed down the
    chain; county and city matters stay at those tiers. The clerk names the category most of the time and
    leaves the rest to triage's classifier. Reproducible."""
    catalog = catalog or load_catalog()
    if not townships:
        raise ValueError("desk entries need at least one township to be located in")
    rng = random.Random(seed)
    now = (now or datetime.now(CHINA)).astimezone(CHINA).replace(microsecond=0)
    by_tier = desk_templates(catalog)
    mix = {t: p for t, p in (mix or DESK_TIER_MIX).items() if by_tier.get(t)}
    tiers, tier_weights = list(mix), list(mix.values())
    out: list[DemoReport] = []
    for _ in range(n):
        town = rng.choice(townships)
        tier = rng.choices(tiers, tier_weights)[0]
        table = by_tier[tier]
        codes = list(table)
        code = rng.choices(codes, [table[c][0] for c in codes])[0]
        place, address = _where(rng, _full_name(town, catalog))
        description = rng.choice(table[code][1]).format(place=place)
        lon, lat = _scatter(rng, town, catalog)
        occurred = now - timedelta(minutes=rng.randint(5, 600))
        body: dict = {"description": f"市民来电来访（市城运中心登记）：{description}",
                      "location": {"lon": lon, "lat": lat, "address": address},
                      "region": town,
                      "reporter": {"name": rng.choice(CITIZENS), "phone": _phone(rng)},
                      "occurred_at": occurred.isoformat()}
        if rng.random() < 0.75:
            body["category"] = code
        out.append(DemoReport("dispatcher", code, body))
    return out


def generate_hotline_orders(n: int, townships: list[str], *, seed: int | str | None = None,
                            now: datetime | None = None, catalog: Catalog | None = None) -> list[Order]:
    """`n` 12345 work orders about `townships`, as the platform sends them (shared.hotline.orders: its mix of
    channels, kinds, categories and callers; a region on most, an address on most, coordinates on some). The
    coordinates are the demo's: a point inside the township the order is about. Reproducible."""
    catalog = catalog or load_catalog()
    generator = OrderGenerator(seed=seed, regions=townships, catalog=catalog)
    rng = random.Random(f"{seed}-points")
    orders = generator.orders(n, now)
    for order in orders:
        body = order.body
        if "location" in body:  # an order with coordinates always has an address, which names its township
            town = body.get("region") or next(t for t in townships if body["address"].startswith(
                _full_name(t, catalog)))
            lon, lat = _scatter(rng, town, catalog)
            body["location"] = {"lon": lon, "lat": lat}
    return orders


def generate_open311_requests(n: int, region: str, *, seed: int | str | None = None, now: datetime | None = None,
                              catalog: Catalog | None = None) -> list[DemoReport]:
    """`n` requests of a citizens' app located in `region`: Open311 GeoReport v2 `POST requests` forms (every field
    but `api_key`; the service code is a category code), a snapshot (随手拍) of a street problem. Reproducible."""
    catalog = catalog or load_catalog()
    rng = random.Random(seed)
    now = (now or datetime.now(CHINA)).astimezone(CHINA).replace(microsecond=0)
    prefix = _full_name(region, catalog)
    codes = [c for c in TEMPLATES if c in catalog.categories]
    weights = [TEMPLATES[c][0] for c in codes]
    out: list[DemoReport] = []
    for _ in range(n):
        code = rng.choices(codes, weights)[0]
        place, address = _where(rng, prefix)
        lon, lat = _scatter(rng, region, catalog)
        form = _open311_form(rng, code, lon, lat, address, rng.choice(TEMPLATES[code][1]).format(place=place), now)
        out.append(DemoReport("citizen", code, form))
    return out


def _open311_form(rng: random.Random, code: str, lon: float, lat: float, address: str, text: str,
                  now: datetime) -> dict:
    form = {"service_code": code, "lat": f"{lat:.6f}", "long": f"{lon:.6f}", "address_string": address,
            "description": f"随手拍：{text}", "first_name": rng.choice(GIVEN_NAMES), "last_name": rng.choice(SURNAMES),
            "phone": _phone(rng)}
    if rng.random() < 0.6:
        form["media_url"] = f"https://media.yiwang.example/app/{now:%Y%m%d}/{rng.getrandbits(48):012x}.jpg"
    return form


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
    from services.intake.domain.alerts import HEARTBEAT, sensor_types

    catalog = catalog or load_catalog()
    types = types or sensor_types()
    rng = random.Random(seed)
    now = (now or datetime.now(CHINA)).astimezone(CHINA).replace(microsecond=0)
    kinds = [t for t in STORMS if t in types.types]
    if storms and not kinds:
        raise ValueError(f"none of the storm types {', '.join(STORMS)} is a known alert type")

    def alert(at, town, sensor_id, alert_type, level, point, address, storm=None, **extra):
        at = round(at, 2)
        body = {"sensor_id": sensor_id, "alert_type": alert_type, "level": level,
                "location": {"lon": point[0], "lat": point[1], "address": address},
                "observed_at": (now + timedelta(seconds=at)).isoformat(timespec="milliseconds"), **extra}
        category = types.get(alert_type).category
        return Arrival(at, town, "sensor", "sensor", category, body, storm=storm)

    out: list[Arrival] = []
    devices: list[tuple[str, str, tuple[float, float], str]] = []  # (town, sensor id, point, address)
    day = [kinds[i % len(kinds)] for i in range(storms)]
    cleared = next((i for i, kind in enumerate(day) if types.get(kind).all_clear_resolves), 0)
    for i, kind in enumerate(day):
        town = townships[i % len(townships)]
        t = types.get(kind)
        n_devices, stem, spot, (lo, hi), threshold = STORMS[kind]
        n_devices = n_devices if t.group == "cell" else 1  # per-device grouping: one device's storm
        point = _scatter(rng, town, catalog)
        address = f"{_full_name(town, catalog)}{rng.choice(ROADS)}{spot}"
        ids = [f"{stem}-{town}-s{i + 1}-{k + 1}" for k in range(n_devices)]
        name = f"#{i + 1} {t.name} · {catalog.regions.name(town)}"
        start = rng.uniform(0.05, 0.5) * span
        length = rng.uniform(*STORM_SECONDS)
        times = sorted(start + rng.uniform(0, length) for _ in range(rng.randint(*STORM_ALERTS)))
        for j, at in enumerate(times):
            level = "warning" if j == 0 or rng.random() >= 0.25 else "critical"
            out.append(alert(at, town, ids[0] if j == 0 else rng.choice(ids), kind, level, point, address, name,
                             value=round(rng.uniform(lo, hi), 1), threshold=float(threshold)))
        if i == cleared:
            out.append(alert(times[-1] + rng.uniform(*ALL_CLEAR_AFTER), town, ids[0], kind, "info", point, address,
                             name, value=round(threshold * rng.uniform(0.3, 0.8), 1), threshold=float(threshold),
                             resolved=True))
        devices += [(town, sensor_id, point, address) for sensor_id in ids]
    for town in townships:
        for k in range(QUIET_DEVICES):
            stem = STORMS[kinds[k % len(kinds)]][1] if kinds else "dev"
            devices.append((town, f"{stem}-{town}-q{k + 1}", _scatter(rng, town, catalog),
                            f"{_full_name(town, catalog)}{rng.choice(ROADS)}{rng.choice(LANDMARKS)}"))
    for town, sensor_id, point, address in devices:
        for _ in range(HEARTBEATS):
            out.append(alert(rng.uniform(0, span), town, sensor_id, HEARTBEAT, "info", point, address))
    return sorted(out, key=lambda a: a.at)


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


def _repeat(rng: random.Random, target: Arrival, by: str, order: Order | None, city: str, now: datetime,
            catalog: Catalog) -> Arrival:
    """A citizen reports again what a grid worker reported at `target` a few seconds ago, a few metres away: by
    12345 (`order` gives the order's number, channel, caller and times) or in the Open311 app (`by`)."""
    code, town, body = target.category, target.center, target.body
    address = body["location"]["address"]
    place = address.removeprefix(_full_name(town, catalog))
    lon, lat = _nudge(rng, body["location"]["lon"], body["location"]["lat"], *REPEAT_METRES)
    text = rng.choice(TEMPLATES[code][1]).format(place=place)
    at = round(target.at + rng.uniform(*REPEAT_AFTER), 2)
    if by == "open311":
        return Arrival(at, town, "open311", "citizen", code, _open311_form(rng, code, lon, lat, address, text, now))
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
                          _spread(counts["open311"], len(townships))):
        items += [(town, "grid" if r.role == "gridworker" else "desk", r.role, r.category, r.body)
                  for r in generate_reports(n, town, seed=f"{seed}-{town}", now=now, catalog=catalog)]
        app = generate_open311_requests(m, town, seed=f"{seed}-open311-{town}", now=now, catalog=catalog)
        items += [(town, "open311", r.role, r.category, r.body) for r in app]
    rng = random.Random(f"{seed}-day")
    rng.shuffle(items)
    times = sorted(round(rng.betavariate(1.4, 2.2) * span, 2) for _ in items)
    day = [Arrival(t, *item) for t, item in zip(times, items)]

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


def chain_townships(n: int, *, county: str = COUNTY, catalog: Catalog | None = None) -> list[str]:
    """The first `n` townships of `county` in the catalog (by code). Raises DemoError if there are fewer."""
    catalog = catalog or load_catalog()
    towns = [r.code for r in catalog.regions.children(county) if r.tier == "township"]
    if n < 1:
        raise DemoError("--townships must be at least 1")
    if n > len(towns):
        raise DemoError(f"{catalog.regions.name(county)} ({county}) has {len(towns)} townships in the catalog; "
                        f"--townships {n} is too many")
    return towns[:n]


# ════════════════════════════════════════════════════════════════════════════════════════════════
# The driver
# ════════════════════════════════════════════════════════════════════════════════════════════════

CHANNEL_CN = {"hotline": "12345热线", "grid": "网格巡查", "sensor": "物联感知", "open311": "Open311 app",
              "desk": "窗口登记"}
STATUS_CN = {"received": "已受理", "triaged": "已分拨", "dispatched": "已派遣", "accepted": "处置中",
             "resolved": "已办结", "verified": "已核查", "closed": "已结案", "rejected": "不予立案", "merged": "已并单"}
FINAL = ("closed", "rejected", "merged")
TIER_CN = {"city": "市", "county": "区县", "township": "街镇"}
INDICATOR_CN = {"timely_sign_rate": ("及时签收率", "signed"), "on_time_resolve_rate": ("按期处置率", "on time"),
                "close_rate": ("结案率", "closed"), "rework_rate": ("返工率", "rework"),
                "return_rate": ("退单率", "returned"), "response_rate": ("响应率", "12345 response"),
                "solve_rate": ("解决率", "12345 solved"), "satisfaction_rate": ("满意率", "12345 satisfied")}
RETURN_REASONS = ("不属于我单位职责，请重新派遣", "经现场核实，该处属小区物业管理区域，非本单位职责",
                  "该设施产权不属于本单位，建议派至产权单位", "问题位置不在本单位管辖范围内")
ESCALATE_REASONS = ("涉及违法建设，需区级执法权限，申请上报", "需区级多部门联合执法，超出街道处置能力",
                    "当事人拒不整改，需区级部门依法处理")
ACCEPT_NOTES = ("已签收，安排人员前往现场", "已签收，今日内处置", "收到，已派队员核实")
LATE_ACCEPT_NOTES = ("签收较晚：队员在外处置其他案件，现已安排", "迟签收：今日人手紧张，已安排处置")
RESOLVE_NOTES = {  # by unit kind; the default for the others
    "sanitation": ("已清运完毕，现场已清扫干净", "已更换新垃圾桶，现场整洁"),
    "chengguan": ("已现场劝导，当事人已自行整改", "违规物品已依法暂扣，现场恢复原状", "已责令限期整改并复查到位"),
    "municipal": ("已完成维修，现场恢复正常使用", "已更换井盖并设置警示，隐患已消除", "已疏通清理，排水恢复正常"),
    "market": ("已现场检查，责令商户整改并下架问题商品",),
    "police": ("已出警处置，车辆已挪走，现场秩序恢复",),
    "traffic_police": ("信号灯已抢修恢复，现场交通秩序正常", "违停车辆已拖移，已设置禁停标志"),
    "transport": ("护栏和标志牌已修复，现场恢复正常", "已联合执法查处，涉事车辆已暂扣"),
    "water": ("已组织保洁船打捞清理，水面恢复整洁",),
    "water_supply": ("已关阀抢修，管道修复后恢复供水", "已更换井盖，隐患已消除"),
    "power": ("已派抢修班组处理，设施恢复正常并加锁",),
    "gas": ("已派抢修人员更换井盖并检测，无泄漏",),
    "environment": ("已现场检查，责令停止排放并立案调查", "已督促安装油烟净化设施，复测达标"),
    "housing": ("已责令工地整改，覆盖裸土并落实降尘措施", "已责令停止施工并恢复路面"),
    "safety": ("已督促清理，通道恢复畅通，隐患已消除",),
    "": ("已协调相关单位处理完毕，并回复反映人", "已到现场处置完毕，拍照留存"),
}
VERIFY_OK = ("现场核查：已整改到位", "复核通过，现场整洁", "核查属实，处置到位")
VERIFY_FAIL = ("现场核查：问题仍然存在，请返工", "复核未通过，整改不彻底")
EXTENSION_REASONS = ("需协调产权单位到场，申请延期", "需采购配件，申请延期", "需联合执法，申请延期")
SUPERVISE_NOTES = ("请加快办理进度，按期反馈", "群众反映强烈，请优先处置")
FOLLOW_NOTES = ("市级督办：请属地加快处置并及时反馈", "市指挥中心督办：群众多次来电，请限时办结")
REVIEW_NOTES = {  # a hotline case still waiting after its visit: by the citizen's last answer
    "dissatisfied": "领导审核：已两次办理，现场核查已整改到位，回访仍不满意，按规定结案并做好解释",
    None: "回访多次未接通，经审核按现场核查结果结案",
}
#: the 12345 platform: the demo's shared secret (≥ 16 characters) and how citizens answer the visits (回访)
HOTLINE_SECRET = "yiwang-demo-12345-shared-secret"
VISIT_MIX = {"satisfied": 0.65, "basically_satisfied": 0.2, "dissatisfied": 0.15}
VISIT_DELAY = 2.0        # seconds from a `resolved` update to the citizen's visit
REVIEW_AFTER = (12, 18)  # a hotline case verified this many seconds without its visit closing it: a leader reviews
SETTLE = 5.0             # the day is over once every case has been final this long (a late visit may reopen one)

# how the simulated people behave (chances per case and stage)
P_RETURN = 0.08        # a unit returns a case as not its own (once per case; never the command desk)
P_ESCALATE = 0.03      # a township unit escalates a case it signed for to the county (上报)
P_EXTEND = 0.05        # a unit asks for more time (延期) before resolving
P_SLOW = 0.06          # a unit is slow to sign for, or to resolve (runs late)
P_VERIFY_FAIL = 0.10   # the first verification fails: rework (返工)
P_SUPERVISE = 0.03     # a center supervises one of its own open cases at random (besides yellow/red ones)
P_FOLLOW = 0.05        # the city supervises a case it follows in its subtree (市级督办)
HOLD = (15, 25)        # a unit takes this long over a case a duplicate or an all-clear is about to reach


class Stats:
    """Counters shared by the workers (green threads; plain dict updates are enough)."""

    def __init__(self):
        self.c: dict[str, int] = {}
        self.server_errors: list[str] = []
        self.surprises: list[str] = []  # answers the API should not give (4xx other than races)

    def inc(self, key: str, by: int = 1) -> None:
        self.c[key] = self.c.get(key, 0) + by

    def __getitem__(self, key: str) -> int:
        return self.c.get(key, 0)


class Http:
    """The HTTP API of one center, with retries on connection errors and 5xx (reports are idempotent)."""

    def __init__(self, base: str, stats: Stats, name: str = "the center"):
        import httpx

        self.httpx = httpx
        self.base = base
        self.name = name
        self.stats = stats
        self.client = httpx.Client(base_url=base, timeout=30.0,
                                   limits=httpx.Limits(max_connections=20, max_keepalive_connections=20))

    def call(self, method: str, path: str, token: str | None = None, *, json=None, data=None, params=None,
             headers=None, tries: int = 4):
        import time

        hdrs = dict(headers or {})
        if token:
            hdrs["Authorization"] = f"Bearer {token}"
        last = None
        for attempt in range(tries):
            self.stats.inc("requests")
            try:
                r = self.client.request(method, path, json=json, data=data, params=params, headers=hdrs)
            except self.httpx.TransportError as exc:
                last = f"{method} {path}: {type(exc).__name__} {exc}"
                self.stats.inc("transport_errors")
                time.sleep(0.5 * (attempt + 1))
                continue
            if r.status_code >= 500 and r.status_code != 503:
                self.stats.inc("server_errors")
                self.stats.server_errors.append(f"{self.name}: {method} {path} → {r.status_code} {r.text[:300]}")
                last = f"{method} {path} → {r.status_code}"
                time.sleep(0.5 * (attempt + 1))
                continue
            return r
        raise DemoError(f"{self.name} does not answer: {last}")

    def close(self):
        self.client.close()


def _error_text(r) -> str:
    try:
        e = r.json()["error"]
        return f"{r.status_code} {e['code']}: {e['message']}"
    except Exception:  # noqa: BLE001
        return f"{r.status_code} {r.text[:200]}"


def _expect(r, *ok: int):
    if r.status_code not in ok:
        raise DemoError(f"{r.request.method} {r.request.url.path} answered {_error_text(r)}")
    return r.json()


# ---- a center as a child process -----------------------------------------------------------------
class Center:
    def __init__(self, region: str, port: int, env: dict, log_path, pid_path):
        self.region, self.port, self.env = region, port, env
        self.log_path, self.pid_path = log_path, pid_path
        self.proc = None
        self.signalled = False

    def start(self) -> None:
        import subprocess
        import sys

        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = open(self.log_path, "wb")
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "shared.cli", "run", "--region", self.region, "--port", str(self.port)],
                env=self.env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                start_new_session=True)  # Ctrl-C reaches the demo only; the demo stops the center with SIGTERM
        finally:
            log.close()
        self.pid_path.write_text(f"{self.proc.pid}\n")

    def detach(self) -> None:
        """Leave the child running when the demo exits (no reaping in Popen.__del__ at interpreter exit)."""
        if self.proc is not None:
            self.proc._child_created = False  # noqa: SLF001  (stdlib: skips the finaliser's waitpid)

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def tail(self, lines: int = 15) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return "(no log)"
        return "\n".join(text[-lines:]) or "(the log is empty)"

    def signal(self) -> None:
        """Send SIGTERM once (the center drains in-flight work and exits 0). Never twice: a second SIGTERM while
        `yiwang run` is stopping makes it hang (nameko's timer re-sends its stop event), so stop() waits and then
        kills instead."""
        import signal

        if self.alive() and not self.signalled:
            self.signalled = True
            self.proc.send_signal(signal.SIGTERM)

    def stop(self, timeout: float = 30.0) -> tuple[int | None, str]:
        """SIGTERM (unless signal() sent it already), wait, then SIGKILL. Returns the exit code and how it went."""
        import subprocess

        if self.proc is None:
            return None, "not started"
        how = "stopped"
        self.signal()
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            how = f"killed: it did not stop within {timeout:.0f} s of SIGTERM"
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                how = "did not die on SIGKILL"
        try:
            self.pid_path.unlink()
        except OSError:
            pass
        return self.proc.returncode, how


@dataclass
class Node:
    """One center of the chain as the demo sees it: its process, its HTTP API, its tokens and the work its
    simulated people have in hand."""

    region: str
    name: str
    tier: str
    port: int
    center: Center
    http: Http
    units: list
    tokens: dict = field(default_factory=dict)
    inflight: set = field(default_factory=set)
    tasks: object = None  # queue.Queue of (key, callable)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def label(self) -> str:
        return f"{self.name} {self.region}"


# ---- the simulation ------------------------------------------------------------------------------
class Sim:
    """Plays the day's reporters (grid workers, desks, the 12345 platform through its simulator, sensors, a citizens'
    app) and the people around every center of the chain over HTTP: units, grid workers, dispatchers."""

    def __init__(self, nodes: list[Node], seed: int, stats: Stats, catalog: Catalog, hotline):
        import threading

        self.nodes = nodes
        self.hotline = hotline  # the 12345 platform (HotlineSimulator), pushing orders to the city
        self.by_region = {n.region: n for n in nodes}
        self.city = nodes[0]
        self.catalog = catalog
        self.stats = stats
        self.rng = random.Random(seed)
        self.stop = threading.Event()
        self.cases: dict[str, dict] = {}       # case id → the latest view of it at the city (this run's cases)
        self.entered: dict[str, str] = {}      # case id → the center whose gateway took it in
        self.due: dict[tuple, float] = {}      # (case id, stage, round) → when a simulated person acts on it
        self.late: set[tuple] = set()          # the (case, stage, round) keys a unit is slow on
        self.returned_once: set[str] = set()
        self.escalation_decided: set[str] = set()
        self.failed_once: set[str] = set()
        self.supervised: set[str] = set()
        self.extended: set[str] = set()
        self.followed: set[str] = set()        # cases the city has considered supervising from above
        self.leftovers: set[str] = set()       # open cases of earlier (interrupted) runs the people also worked on
        self.awaited: set[str] = set()         # cases a duplicate or an all-clear is about to reach (HOLD)
        self.duplicates: set[str] = set()      # the duplicates' own cases (to be merged into those)
        self.storms: dict[str, dict] = {}      # storm → {alerts, grouped, cases: {ids}, all_clear: the answer}
        self.refused: dict[str, list[str]] = {}  # channel → what the gateway answered to what it did not take
        self.service_attributes: dict[tuple[str, str], list[dict]] = {}  # (center, Open311 service) → attributes
        self.sent = 0                          # arrivals sent (reports, orders, requests, alerts, heartbeats)
        self.replays = 0
        self.since = ""  # ISO time just before the first report: the case list's `from` filter
        self.dead_before: dict[str, int] | str | None = None  # dead letters waiting before the run, per center

    # helpers
    def _chance(self, p: float) -> bool:
        return self.rng.random() < p

    def _ripe(self, key: tuple, lo: float, hi: float, slow: tuple[float, float] | None = None) -> bool:
        """True once a simulated person has 'taken' between lo and hi seconds over this (case, stage, round);
        with `slow`, now and then (P_SLOW) a person takes that long instead: running late."""
        import time

        now = time.monotonic()
        due = self.due.get(key)
        if due is None:
            if slow and self._chance(P_SLOW):
                self.late.add(key)
                due = now + self.rng.uniform(*slow)
            else:
                due = now + self.rng.uniform(lo, hi)
            self.due[key] = due
        return now >= due

    def list_all(self, node: Node, token: str, **params) -> list[dict]:
        """Every page of GET /api/v1/cases at `node` with these filters."""
        out, page = [], 1
        while True:
            r = node.http.call("GET", "/api/v1/cases", token, params={"page": page, "page_size": 100, **params})
            if r.status_code != 200:
                self.stats.surprises.append(f"{node.label}: GET /api/v1/cases {params} → {_error_text(r)}")
                return out
            data = r.json()
            out += data["items"]
            if page * data["page_size"] >= data["total"] or not data["items"]:
                return out
            page += 1

    def _act(self, node: Node, token: str, case_id: str, action: str, body: dict, count: str | None = None):
        r = node.http.call("POST", f"/api/v1/cases/{case_id}/{action}", token, json=body)
        if r.status_code == 200:
            self.stats.inc(f"act.{action}")
            if count:
                self.stats.inc(count)
            if case_id not in self.cases:
                self.leftovers.add(case_id)
            return r.json()
        if r.status_code == 409:
            try:
                code = r.json()["error"]["code"]
            except Exception:  # noqa: BLE001
                code = ""
            if code == "not_owner":  # the demo acts only where the center's own list says it owns the case
                self.stats.surprises.append(f"{node.label}: POST {action} {case_id} → {_error_text(r)}")
            self.stats.inc("conflicts")  # the case moved on meanwhile (a race with the services): fine
            return None
        self.stats.surprises.append(f"{node.label}: POST {action} {case_id} → {_error_text(r)}")
        return None

    # the day's arrivals
    def submit(self, arrivals: list[Arrival], run_id: str, started: float, concurrency: int = 6) -> None:
        """Send the day's arrivals to their centers, each at its time (seconds after `started`)."""
        import queue
        import threading
        import time

        work: queue.Queue = queue.Queue()
        for i, arrival in enumerate(arrivals):
            work.put((i, arrival))
        repeated = {a.duplicate_of for a in arrivals if a.duplicate_of is not None}
        cleared = {a.storm for a in arrivals if a.storm and a.body.get("resolved")}

        def worker():
            while not self.stop.is_set():
                try:
                    i, arrival = work.get_nowait()
                except queue.Empty:
                    return
                wait = started + arrival.at - time.monotonic()
                if wait > 0 and self.stop.wait(wait):
                    return
                node = self.by_region[arrival.center]
                try:
                    case_id = self._send(node, arrival, f"demo-{run_id}-{i:05d}")
                except DemoError as exc:
                    self.refused.setdefault(arrival.channel, []).append(str(exc))
                    continue
                finally:
                    self.sent += 1
                    self.stats.inc(f"sent.{arrival.channel}")
                if case_id is None:
                    continue
                if i in repeated or (arrival.storm in cleared and not arrival.body.get("resolved")):
                    self.awaited.add(case_id)
                if arrival.duplicate_of is not None:
                    self.duplicates.add(case_id)
                if case_id not in self.entered:
                    self.entered[case_id] = node.region
                    self.cases.setdefault(case_id, {"id": case_id, "status": "received", "center": node.region,
                                                    "source": arrival.channel})

        threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if self.refused and not self.entered:
            first = next(iter(self.refused.values()))[0]
            raise DemoError(f"no center took any case; first refusal: {first}")

    def _send(self, node: Node, arrival: Arrival, key: str) -> str | None:
        """Send one arrival by its channel; the case it made or joined (None: a heartbeat, or no case said).
        Raises DemoError when the center does not take it."""
        if arrival.channel == "hotline":
            return self._push_order(arrival.body)
        if arrival.channel == "open311":
            return self._open311(node, arrival.body)
        if arrival.channel == "sensor":
            return self._alert(node, arrival)
        return self._report(node, arrival, key)

    def _report(self, node: Node, arrival: Arrival, key: str) -> str:
        """POST /api/v1/reports (grid worker or desk), now and then retried with the same Idempotency-Key."""
        token = node.tokens[arrival.role]
        r = node.http.call("POST", "/api/v1/reports", token, json=arrival.body, headers={"Idempotency-Key": key})
        if r.status_code != 202:
            raise DemoError(f"report at {node.label}: {_error_text(r)}")
        case_id = r.json()["case_id"]
        if self._chance(0.05):  # a lost answer: the app sends it again, and must get the same case
            again = node.http.call("POST", "/api/v1/reports", token, json=arrival.body,
                                   headers={"Idempotency-Key": key})
            self.replays += 1
            if again.status_code != 202 or again.json().get("case_id") != case_id:
                self.stats.surprises.append(f"idempotent retry of {case_id} at {node.label} answered "
                                            f"{again.status_code} {again.text[:200]}")
        return case_id

    def _push_order(self, body: dict) -> str | None:
        """The 12345 platform pushes a work order to the city (signed; the simulator records order → case)."""
        from shared.hotline.simulator import HotlineError

        try:
            return self.hotline.push(body)
        except HotlineError as exc:
            raise DemoError(f"12345 order {body['order_no']}: {exc}") from None

    def _open311(self, node: Node, form: dict) -> str | None:
        """A citizens' app: Open311 GeoReport v2 POST requests.json, form-encoded, the api_key a citizen token,
        with answers to the questions the service definition marks required (`attribute[code]`)."""
        answers = {f"attribute[{a['code']}]": self._answer(a) for a in self._attributes(node, form["service_code"])
                   if a.get("required")}
        r = node.http.call("POST", "/open311/v2/requests.json",
                           data={"api_key": node.tokens["citizen"], **form, **answers})
        if r.status_code not in (200, 201, 202):
            raise DemoError(f"Open311 request at {node.label}: {r.status_code} {r.text[:200]}")
        try:
            answer = r.json()[0]
        except (ValueError, LookupError, TypeError):
            raise DemoError(f"Open311 request at {node.label}: {r.status_code} with an answer that is not a list "
                            f"of requests: {r.text[:200]}") from None
        if not answer.get("service_request_id"):  # only a token: the request is queued, its id comes later
            self.stats.inc("open311.token_only")
        return answer.get("service_request_id")

    def _attributes(self, node: Node, code: str) -> list[dict]:
        """The attributes of a service (GET services/{code}.json), read once per center and service."""
        key = (node.region, code)
        if key not in self.service_attributes:
            r = node.http.call("GET", f"/open311/v2/services/{code}.json")
            self.service_attributes[key] = r.json().get("attributes", []) if r.status_code == 200 else []
        return self.service_attributes[key]

    def _answer(self, attribute: dict) -> str:
        """What the citizen answers to a required question: one of its values, now, or a short text."""
        if attribute.get("values"):
            return self.rng.choice(attribute["values"])["key"]
        if attribute.get("datatype") == "datetime":
            return datetime.now(CHINA).isoformat(timespec="seconds")
        return "1" if attribute.get("datatype") == "number" else "不清楚"

    def _alert(self, node: Node, arrival: Arrival) -> str | None:
        """A sensor's alert, all-clear or heartbeat: POST /api/v1/alerts → {case_id, grouped}."""
        r = node.http.call("POST", "/api/v1/alerts", node.tokens["sensor"], json=arrival.body)
        if r.status_code != 202:
            raise DemoError(f"alert {arrival.body['alert_type']} from {arrival.body['sensor_id']} at "
                            f"{node.label}: {_error_text(r)}")
        answer = r.json()
        if arrival.storm is None:
            self.stats.inc("sensor.heartbeats")
            return answer["case_id"]
        storm = self.storms.setdefault(arrival.storm, {"alerts": 0, "grouped": 0, "cases": set(), "all_clear": None})
        if arrival.body.get("resolved"):
            storm["all_clear"] = answer
        else:
            storm["alerts"] += 1
            storm["grouped"] += bool(answer["grouped"])
            if answer["case_id"]:
                storm["cases"].add(answer["case_id"])
        return answer["case_id"]

    # the people at each center
    def center_loop(self, node: Node) -> None:
        """What the people of one center see and do: its lists of dispatched, accepted, resolved and verified
        cases (its own and its subtree's); they act on the cases the center owns. The city's desk also supervises
        now and then a case it follows below (督办)."""
        token = node.tokens["viewer"]
        while not self.stop.is_set():
            try:
                for status in ("dispatched", "accepted", "resolved", "verified"):
                    for c in self.list_all(node, token, status=status):
                        self._consider(node, c)
            except DemoError as exc:
                self.stats.surprises.append(str(exc))
            self.stop.wait(1.2)

    def work_loop(self, node: Node) -> None:
        import queue

        while not self.stop.is_set():
            try:
                key, task = node.tasks.get(timeout=0.5)
            except queue.Empty:
                continue
            try:
                task()
            except DemoError as exc:
                self.stats.surprises.append(str(exc))
            finally:
                node.inflight.discard(key)

    def _queue(self, node: Node, key, task) -> None:
        if key in node.inflight:
            return
        node.inflight.add(key)
        node.tasks.put((key, task))

    def _consider(self, node: Node, c: dict) -> None:
        cid, status = c["id"], c["status"]
        if c["center"] != node.region:
            # followed read-only; only the city's desk steps in, to supervise (督办) now and then
            if node is self.city and status in ("dispatched", "accepted") and cid not in self.followed:
                self.followed.add(cid)
                if self._chance(P_FOLLOW):
                    self._queue(node, ("follow", cid), lambda: self._act(
                        node, node.tokens["dispatcher"], cid, "supervise",
                        {"note": self.rng.choice(FOLLOW_NOTES)}, count="followed_supervised"))
            return
        dispatcher = node.tokens["dispatcher"]
        if status in ("dispatched", "accepted"):
            # 督办: every case turning yellow or red; otherwise the desk picks one now and then
            if (c["light"] != "green" and c.get("supervision_level", 0) < 1) or \
                    (cid not in self.supervised and self._chance(P_SUPERVISE)):
                self._queue(node, ("supervise", cid), lambda: self._act(
                    node, dispatcher, cid, "supervise", {"note": self.rng.choice(SUPERVISE_NOTES)}))
            self.supervised.add(cid)
        if status == "resolved":
            if self._ripe((cid, "verify", c["rework_count"]), 1, 5):
                self._queue(node, cid, lambda: self._verify(node, c))
            return
        if status == "verified":
            # 12345 cases close after the citizen's visit (回访); one still waiting goes to a leader's review
            if c["source"] == "hotline" and self._ripe((cid, "review", c["rework_count"]), *REVIEW_AFTER):
                note = REVIEW_NOTES["dissatisfied" if c.get("satisfaction") == "dissatisfied" else None]
                self._queue(node, cid, lambda: self._act(node, dispatcher, cid, "close", {"note": note},
                                                         count="review_closed"))
            return
        unit = c.get("unit")
        token = node.tokens.get(unit)
        if token is None:
            self.stats.surprises.append(f"{node.label}: case {cid} is with unit {unit}, not a unit of this center")
            return
        kind = unit.partition(".")[2]
        desk = kind == self.catalog.command_kind
        if status == "dispatched":
            key = (cid, "sign", c["return_count"], c["rework_count"])
            if not self._ripe(key, 0.5, 4, slow=(15, 35)):
                return
            # 退单: now and then a unit says "not ours" (never the command desk, the final owner)
            if not desk and cid not in self.returned_once and self._chance(P_RETURN):
                self.returned_once.add(cid)
                self._queue(node, cid, lambda: self._act(node, token, cid, "return",
                                                         {"reason": self.rng.choice(RETURN_REASONS)}))
                return
            late = key in self.late
            note = self.rng.choice(LATE_ACCEPT_NOTES if late else ACCEPT_NOTES)
            self._queue(node, cid, lambda: self._act(node, token, cid, "accept", {"note": note},
                                                     count="late_accept" if late else None))
            return
        # accepted
        if c.get("extension_pending"):
            if self._ripe((cid, "extension", c.get("extension_count", 0)), 1, 4):
                approved = self._chance(0.8)
                self._queue(node, cid, lambda: self._act(
                    node, dispatcher, cid, "decide-extension",
                    {"approved": approved, "note": "同意延期" if approved else "不同意延期，请按期办结"}))
            return  # the unit waits for the decision before resolving
        if node.tier == "township" and not desk and cid not in self.escalation_decided:
            self.escalation_decided.add(cid)  # one chance per case
            if self._chance(P_ESCALATE):
                self._queue(node, cid, lambda: self._act(node, token, cid, "escalate",
                                                         {"reason": self.rng.choice(ESCALATE_REASONS)}))
                return
        if cid not in self.extended and c.get("extension_count", 0) == 0:
            self.extended.add(cid)  # one chance per case
            if self._chance(P_EXTEND):
                self._queue(node, cid, lambda: self._act(
                    node, token, cid, "extend", {"reason": self.rng.choice(EXTENSION_REASONS),
                                                 "working_days": self.rng.choice((1, 2, 3))}))
                return
        key = (cid, "resolve", c["rework_count"])
        if self._ripe(key, *(HOLD if cid in self.awaited else (2, 9)), slow=(15, 35)):
            note = self.rng.choice(RESOLVE_NOTES.get(kind, RESOLVE_NOTES[""]))
            if c["rework_count"]:
                note = "返工：" + note
            self._queue(node, cid, lambda: self._act(node, token, cid, "resolve", {"note": note},
                                                     count="late_resolve" if key in self.late else None))

    def _verify(self, node: Node, c: dict) -> None:
        cid = c["id"]
        passed = cid in self.failed_once or not self._chance(P_VERIFY_FAIL)
        if not passed:
            self.failed_once.add(cid)
        # the grid worker checks on site what grid workers reported at a township; the desk checks the rest
        who = "gridworker" if c["source"] == "grid" and node.tier == "township" else "dispatcher"
        note = self.rng.choice(VERIFY_OK if passed else VERIFY_FAIL)
        if self._act(node, node.tokens[who], cid, "verify", {"passed": passed, "note": note}):
            self.stats.inc("verified_ok" if passed else "verified_failed")

    def refresh(self) -> None:
        """This run's cases as the city sees them now (the list, paged; only our ids count)."""
        for c in self.list_all(self.city, self.city.tokens["viewer"], **{"from": self.since}):
            if c["id"] in self.entered:
                self.cases[c["id"]] = c

    def counts(self) -> dict[str, int]:
        out = {s: 0 for s in STATUS_CN}
        for c in list(self.cases.values()):
            out[c["status"]] = out.get(c["status"], 0) + 1
        return out

    def by_center(self) -> dict[str, dict[str, int]]:
        """owning center → status → count (as the city sees this run's cases)."""
        out: dict[str, dict[str, int]] = {n.region: {s: 0 for s in STATUS_CN} for n in self.nodes}
        for c in list(self.cases.values()):
            row = out.setdefault(c.get("center") or "?", {s: 0 for s in STATUS_CN})
            row[c["status"]] = row.get(c["status"], 0) + 1
        return out

    def by_channel(self) -> dict[str, dict[str, int]]:
        """source → status → count (as the city sees this run's cases)."""
        out: dict[str, dict[str, int]] = {ch: {s: 0 for s in STATUS_CN} for ch in CHANNEL_CN}
        for c in list(self.cases.values()):
            row = out.setdefault(c.get("source") or "?", {s: 0 for s in STATUS_CN})
            row[c["status"]] = row.get(c["status"], 0) + 1
        return out

    def teams(self) -> int | None:
        """How many of this run's cases went straight to a team (网格化自动派遣); None if cases carry no team."""
        cases = [c for c in list(self.cases.values()) if "team" in c]
        return sum(1 for c in cases if c["team"]) if cases else None

    def visits_pending(self) -> int:
        """12345 orders whose last `resolved` update has not had its visit (回访) yet."""
        return sum(1 for o in self.hotline.state()["orders"] if o["updates"].count("resolved") > len(o["visits"]))

    def all_final(self) -> bool:
        """Every case of this run is final, and no visit is due (a visit may still reopen a closed case)."""
        cases = list(self.cases.values())
        return bool(cases) and all(c["status"] in FINAL for c in cases) and not self.visits_pending()


# ---- display -------------------------------------------------------------------------------------
def _pct(ind: dict) -> str:
    if not ind or ind.get("denominator", 0) == 0 or ind.get("value") is None:
        return "—"
    return f"{ind['value'] * 100:.1f}%\n[dim]{ind['numerator']}/{ind['denominator']}[/dim]"  # value: a 0–1 ratio


def _clock(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


def _day_clock(elapsed: float, span: float) -> str:
    """The simulated time of day: the arrivals' span maps onto the working day 08:30–17:30; after that the
    intake is closed and the units finish what is open."""
    if elapsed >= span:
        return "17:30 · intake closed"
    minutes = 8 * 60 + 30 + (elapsed / max(span, 1.0)) * 9 * 60
    return f"{int(minutes // 60):02d}:{int(minutes % 60):02d}"


def _center_name(region: str, catalog: Catalog) -> str:
    try:
        return catalog.regions.name(region)
    except Exception:  # noqa: BLE001
        return region


def _channel_notes(sim: Sim) -> dict[str, str]:
    """Per channel, what came in besides the cases: 12345 traffic, alerts against cases, refusals."""
    from rich.markup import escape

    state = sim.hotline.state()
    t = state["totals"]
    unhappy = sum(1 for o in state["orders"] for v in o["visits"] if v["satisfaction"] == "dissatisfied")
    n = len(_lost_visits(sim, reworked=True))
    late = f"; {n} came while the case was back in rework, and came again after its next resolve" if n else ""
    notes = {"hotline": f"orders {t['orders_sent']} · updates {t['updates_received']} (out of order "
                        f"{t['out_of_order']}, duplicates {t['duplicates']}) · visits {t['visits_sent']} "
                        f"({unhappy} dissatisfied{late})"}
    storms = list(sim.storms.values())
    alerts = sum(x["alerts"] for x in storms)
    made = set().union(*(x["cases"] for x in storms)) if storms else set()
    clears = sum(1 for x in storms if x["all_clear"] is not None)
    notes["sensor"] = (f"{alerts} alerts → {len(made)} cases ({sum(x['grouped'] for x in storms)} grouped) · "
                       f"all-clear {clears} · heartbeats {sim.stats['sensor.heartbeats']}")
    queued = sim.stats["open311.token_only"]
    notes["open311"] = f"requests {sim.stats['sent.open311']}" + (f" ({queued} answered with a token only)"
                                                                   if queued else "")
    for channel, refusals in sim.refused.items():
        notes[channel] = (notes.get(channel, "") + f" · [red]refused {len(refusals)}[/red] "
                          f"({escape(refusals[0][:90])})").lstrip(" ·")
    return notes


def _lost_visits(sim: Sim, reworked: bool) -> list[str]:
    """The 12345 visits the city did not take: those refused because the case was back in rework (409
    illegal_transition: the citizen is visited again after the next resolve), or the others."""
    return [f"order {o['order_no']}: {v['error']}" for o in sim.hotline.state()["orders"] for v in o["visits"]
            if not v["sent"] and ("409 illegal_transition" in v["error"]) == reworked]


def _channel_table(sim: Sim, title: str | None = None):
    """Cases by channel (source) and state, as the city sees them, with what else each channel brought."""
    from rich.table import Table

    t = Table(show_edge=False, pad_edge=False, box=None, title=title, title_justify="left")
    t.add_column("channel\n渠道")
    for head in ("cases\n案件", "open\n办理中", "closed\n已结案", "merged\n已并单", "rejected\n不予立案"):
        t.add_column(head, justify="right")
    t.add_column("")
    notes = _channel_notes(sim)
    for channel, row in sim.by_channel().items():
        open_ = sum(n for st, n in row.items() if st not in FINAL)
        t.add_row(f"{channel} [dim]{CHANNEL_CN.get(channel, '')}[/dim]", str(sum(row.values())), str(open_ or "·"),
                  *(str(row.get(st) or "·") for st in ("closed", "merged", "rejected")), notes.get(channel, ""))
    teams = sim.teams()
    if teams is not None:
        t.caption = f"网格化自动派遣: {teams} cases went straight to the nearest available team"
        t.caption_justify = "left"
    return t


def _storm_table(sim: Sim):
    """Each sensor storm: the alerts sent, the cases they made, and what the all-clear did."""
    from rich import box
    from rich.table import Table

    t = Table(box=box.SIMPLE_HEAD, title="[bold]物联感知 · sensor storms[/bold] (POST /api/v1/alerts → {case_id, "
              "grouped}; alert_count and status as the city sees the case)", title_justify="left")
    for head in ("storm", "alerts sent", "grouped", "case", "alert_count", "status", "all-clear (resolved: true)"):
        t.add_column(head, justify="right" if head in ("alerts sent", "grouped", "alert_count") else "left",
                     no_wrap=head in ("storm", "case"))
    for name, x in sorted(sim.storms.items(), key=lambda kv: int(kv[0][1:].split()[0])):
        ids = sorted(x["cases"])
        views = [sim.cases.get(i, {}) for i in ids]
        clear = x["all_clear"] and x["all_clear"]["case_id"]
        clear = ("—" if x["all_clear"] is None else "ignored: the case was no longer open" if not clear
                 else "taken on the storm's case" if clear in x["cases"] else f"taken on {clear}")
        t.add_row(name, str(x["alerts"]), str(x["grouped"]), "\n".join(ids) or "—",
                  "\n".join(str(v.get("alert_count", "?")) for v in views),
                  "\n".join(STATUS_CN.get(v.get("status"), "?") + f" {v.get('status', '')}" for v in views), clear)
    return t


def _progress_view(sim: Sim, total: int, cases: int, started: float, limit: float, span: float, title: str):
    import time

    from rich.console import Group
    from rich.progress_bar import ProgressBar
    from rich.table import Table
    from rich.text import Text

    elapsed = time.monotonic() - started
    counts = sim.counts()
    done = sum(counts[s] for s in FINAL)
    known = max(cases, len(sim.cases))
    header = Text.assemble((title, "bold"), f"   {_clock(elapsed)} / {_clock(limit)}",
                           (f"   simulated day {_day_clock(elapsed, span)}", "dim"))
    bars = Table.grid(padding=(0, 1))
    bars.add_column(width=10)
    bars.add_column(width=42)
    bars.add_column()
    bars.add_row("sent", ProgressBar(total=total, completed=sim.sent, width=40),
                 f"{sim.sent}/{total} reports, orders, requests, alerts and heartbeats")
    bars.add_row("final", ProgressBar(total=known, completed=done, width=40), f"{done}/{known} cases")
    t = Table(show_edge=False, pad_edge=False, box=None)
    t.add_column("owning center\n当前承办中心")
    shown = [s for s in STATUS_CN if s not in ("rejected", "merged") or counts[s]]
    for s in shown:
        t.add_column(f"{s}\n{STATUS_CN[s]}", justify="right")
    for region, row in sim.by_center().items():
        node = sim.by_region.get(region)
        label = f"{node.name} {region} [dim]{node.tier}[/dim]" if node else region
        t.add_row(label, *(str(row.get(s, 0) or "·") for s in shown))
    t.add_row("[bold]all[/bold]", *(f"[bold]{counts[s]}[/bold]" for s in shown))
    st = sim.stats
    per_min = done / (elapsed / 60) if elapsed > 5 else 0.0
    acts = Text(f"签收 {st['act.accept']} (迟签 {st['late_accept']}) · 退单 {st['act.return']} · "
                f"上报 {st['act.escalate']} · 延期申请 {st['act.extend']} · 办结 {st['act.resolve']} · "
                f"核查通过 {st['verified_ok']} · 返工 {st['verified_failed']} · "
                f"督办 {st['act.supervise']} (市级 {st['followed_supervised']}) · 回访后审核结案 {st['review_closed']}",
                style="cyan")
    rate = Text(f"throughput {per_min:.1f} cases closed/min · {st['requests'] / max(elapsed, 1):.1f} requests/s · "
                f"conflicts {st['conflicts']} · server errors {st['server_errors']} · "
                f"12345 visits due {sim.visits_pending()}", style="dim")
    return Group(header, bars, t, Text(), _channel_table(sim), acts, rate)


def _plain_progress(sim: Sim, total: int, started: float) -> str:
    import time

    counts = sim.counts()
    parts = " ".join(f"{s}={counts[s]}" for s in STATUS_CN if counts[s]) or "no cases yet"
    owners = []
    for region, row in sim.by_center().items():
        open_ = sum(n for s, n in row.items() if s not in FINAL)
        closed = sum(row.get(s, 0) for s in FINAL)
        if open_ or closed:
            owners.append(f"{region} {open_} open/{closed} done")
    channels = []
    for channel, row in sim.by_channel().items():
        if any(row.values()):
            open_ = sum(n for s, n in row.items() if s not in FINAL)
            channels.append(f"{channel} {sum(row.values())} ({open_} open)")
    return (f"[{_clock(time.monotonic() - started)}] sent {sim.sent}/{total} · {parts}"
            + (" · owned by: " + ", ".join(owners) if owners else "")
            + (" · by channel: " + ", ".join(channels) if channels else ""))


def _ratio_sum(rows: list[dict], name: str) -> dict:
    num = sum(r[name]["numerator"] for r in rows)
    den = sum(r[name]["denominator"] for r in rows)
    return {"value": num / den if den else None, "numerator": num, "denominator": den}


def _evaluation_region_table(rows: list[dict], catalog: Catalog, period: str):
    from rich import box
    from rich.table import Table

    t = Table(box=box.SIMPLE_HEAD,
              caption="one row per region the problems were in, whichever tier's unit handled them; each figure: "
                      "the rate, then numerator/denominator (the API lists the case ids behind both). Every hand-over "
                      "that began this month counts, earlier demo runs included.", caption_justify="left")
    t.add_column("区域 region", overflow="fold")
    t.add_column("派单\nassigned", justify="right")
    for cn, en in INDICATOR_CN.values():
        t.add_column(f"{cn}\n{en}", justify="right")

    def path(code):
        try:
            return catalog.regions.path(code)
        except Exception:  # noqa: BLE001
            return (code,)
    for row in sorted(rows, key=lambda r: path(r["region"])):
        code = row["region"]
        try:
            r = catalog.regions.get(code)
            parent = catalog.regions.name(r.parent) if r.parent else ""
            label = f"{r.name}\n[dim]{code} · {parent}{TIER_CN.get(r.tier, r.tier)}[/dim]"
        except Exception:  # noqa: BLE001
            label = code
        t.add_row(label, str(row["assignments"]), *(_pct(row[name]) for name in INDICATOR_CN))
    if rows:
        t.add_row("[bold]合计 all[/bold]", f"[bold]{sum(r['assignments'] for r in rows)}[/bold]",
                  *(_pct(_ratio_sum(rows, name)) for name in INDICATOR_CN))
    else:
        t.add_row("(no hand-overs this month)", "", *("" for _ in INDICATOR_CN))
    return t


def _evaluation_unit_table(rows: list[dict], catalog: Catalog, period: str):
    from rich import box
    from rich.table import Table

    from shared.catalog import TIER_RANK

    t = Table(box=box.SIMPLE_HEAD,
              caption="indicators: " + ", ".join(INDICATOR_CN) + "; units of every tier, as the city sees its subtree.",
              caption_justify="left")
    t.add_column("承办单位 unit", overflow="fold")
    t.add_column("中心 center", overflow="fold")
    t.add_column("派单\nassigned", justify="right")
    for cn, en in INDICATOR_CN.values():
        t.add_column(f"{cn}\n{en}", justify="right")

    def order(row):
        try:
            u = catalog.unit(row["unit"])
            return (TIER_RANK.get(u.tier, 9), u.center, row["unit"])
        except Exception:  # noqa: BLE001
            return (9, "", row["unit"])
    for row in sorted(rows, key=order):
        try:
            u = catalog.unit(row["unit"])
            unit_name, center = u.name, f"{_center_name(u.center, catalog)}\n[dim]{u.center}[/dim]"
        except Exception:  # noqa: BLE001
            unit_name, center = row["unit"], ""
        t.add_row(f"{unit_name}\n[dim]{row['unit']}[/dim]", center, str(row["assignments"]),
                  *(_pct(row[name]) for name in INDICATOR_CN))
    if not rows:
        t.add_row("(no hand-overs this month)", "", "", *("" for _ in INDICATOR_CN))
    return t


def _board_table(board: dict, catalog: Catalog):
    from rich.table import Table

    t = Table(title=f"态势 · board summary of the city {board.get('center', '')} (GET /api/v1/board)",
              title_justify="left", show_header=False)
    t.add_column(style="bold")
    t.add_column()
    statuses = board.get("by_status", {})
    t.add_row("by status", " · ".join(f"{STATUS_CN.get(k, k)} {v}" for k, v in
                                       sorted(statuses.items(), key=lambda kv: -kv[1])))
    lights = board.get("by_light", {})
    t.add_row("open cases by light", " · ".join(f"{k} {v}" for k, v in lights.items()) or "no open cases")
    cats = sorted(board.get("by_category", {}).items(), key=lambda kv: -kv[1])

    def cname(code):
        try:
            return catalog.category(code).name
        except Exception:  # noqa: BLE001
            return str(code)
    t.add_row("top categories", " · ".join(f"{cname(k)} {v}" for k, v in cats[:8]))
    t.add_row("overdue", str(len(board.get("overdue", []))))
    kinds: dict[str, int] = {}
    for w in board.get("warnings", []):
        kinds[w.get("type", "?")] = kinds.get(w.get("type", "?"), 0) + 1
    t.add_row("recent warnings", f"{len(board.get('warnings', []))}" +
              (f" ({' · '.join(f'{k} {v}' for k, v in kinds.items())})" if kinds else ""))
    return t


# ---- main ----------------------------------------------------------------------------------------
def _database_line(url: str, configured: bool) -> str:
    from sqlalchemy.engine import make_url

    shown = make_url(url.replace("{region}", "REGION")).render_as_string(hide_password=True).replace("REGION",
                                                                                                        "{region}")
    if configured:
        return f"{shown} (from YIWANG_DATABASE_URL; one database per center)"
    return (f"{shown} (SQLite, the default: one file per center; set YIWANG_DATABASE_URL, e.g. "
            "postgresql://postgres@127.0.0.1:5432/yiwang_{region}, to use PostgreSQL)")


def _other_consumers(region: str, amqp_uri: str) -> list[str]:
    """Queues of this center that something already consumes from: another center of the same region on
    this broker (and vhost). It would compete for the demo's events with its own database."""
    from kombu import Connection

    from shared.runner import all_subscriptions

    busy = []
    with Connection(amqp_uri, connect_timeout=5) as conn:
        channel = conn.channel()
        try:
            for sub in all_subscriptions(region):
                _, _, consumers = channel.queue_declare(queue=sub.queue, passive=True)
                if consumers:
                    busy.append(f"{sub.queue} ({consumers})")
        finally:
            channel.close()
    return busy


def _management_url() -> str | None:
    import socket

    try:
        with socket.create_connection(("127.0.0.1", 15672), timeout=0.5):
            return "http://localhost:15672 (guest/guest)"
    except OSError:
        return None


def main(args, settings) -> int:
    """Entry point of `yiwang demo` (called from shared.cli with parsed args and the settings)."""
    import sys

    try:
        return _main(args, settings)
    except DemoError as exc:
        print(f"yiwang demo: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:  # before the centers started
        print("yiwang demo: interrupted", file=sys.stderr)
        return 130


def _main(args, settings) -> int:
    import logging
    import os
    import queue
    import secrets
    import signal
    import sys
    import threading
    import time
    from pathlib import Path

    from rich.console import Console

    from shared.hotline.simulator import HotlineSimulator
    from shared.runner import StartupError, port_free, prepare

    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    console = Console()
    if not console.is_terminal:
        console = Console(width=150)  # a log file or a pipe: wide enough for the tables
    catalog = load_catalog()
    minutes = float(getattr(args, "minutes", 4.0))
    keep = bool(getattr(args, "keep", False))
    seed = getattr(args, "seed", None)
    seed = seed if seed is not None else random.randrange(1, 10**6)
    if args.cases < 1:
        raise DemoError("--cases must be at least 1")
    if minutes <= 0:
        raise DemoError("--minutes must be positive")
    townships = chain_townships(int(getattr(args, "townships", 2)), catalog=catalog)
    county = catalog.regions.parent(townships[0])
    regions = [catalog.regions.root, county, *townships]
    ports = {region: args.port + i for i, region in enumerate(regions)}
    hotline_port = args.port + len(regions)  # the 12345 platform's simulator, in this process
    if "{region}" not in settings.database_url:
        raise DemoError(f"YIWANG_DATABASE_URL={_database_line(settings.database_url, True).split(' (')[0]} has no "
                        "{region} placeholder: every center of the chain needs its own database, e.g. "
                        "postgresql://postgres@127.0.0.1:5432/yiwang_{region} (or unset it for SQLite files)")
    var = Path("var")
    limit = minutes * 60
    span = min(0.3 * limit, 60.0)  # the day's arrivals come in over the first part of the run
    run_id = uuid.uuid4().hex[:8]

    # ---- prepare: ports, broker, databases (each fails with one clear line) ----
    for region, port in ports.items():
        try:
            port_free(port)
        except StartupError:
            pid_path = var / f"demo-{region}.pid"
            hint = ""
            if pid_path.exists():
                hint = " (centers left by `yiwang demo --keep`? stop them: kill $(cat var/demo-*.pid))"
            raise DemoError(f"port {port} (for center {region}) is in use{hint}; pick other ports with --port "
                            f"(the demo uses {len(regions) + 1} ports from --port on)") from None
    try:
        port_free(hotline_port)
    except StartupError:
        raise DemoError(f"port {hotline_port} (for the 12345 platform's simulator) is in use; pick other ports with "
                        f"--port (the demo uses {len(regions) + 1} ports from --port on)") from None
    with console.status("checking the broker and preparing the centers' databases …"):
        for region in regions:  # StartupError etc.: one line from the CLI
            prepare(region, settings)
        for region in regions:
            busy = _other_consumers(region, settings.amqp_uri)
            if busy:
                raise DemoError(
                    f"another center of region {region} is already running on this broker (consumers on {busy[0]}"
                    f"{' and more' if len(busy) > 1 else ''}); it would take the demo's events with its own "
                    f"database. Stop it, or give the demo its own vhost, e.g. "
                    f"YIWANG_AMQP_URI=amqp://guest:guest@localhost:5672/demo (rabbitmqctl add_vhost demo; "
                    f"rabbitmqctl set_permissions -p demo guest '.*' '.*' '.*')")
    admin = settings.admin_token or secrets.token_hex(24)
    env = dict(os.environ)
    env["YIWANG_ADMIN_TOKEN"] = admin
    env.setdefault("YIWANG_SWEEP_SECONDS", "2")
    env.setdefault("YIWANG_LOG_LEVEL", "WARNING")
    env["PYTHONUNBUFFERED"] = "1"
    twelve345 = {"YIWANG_HOTLINE_SECRET": HOTLINE_SECRET, "YIWANG_HOTLINE_URL": f"http://127.0.0.1:{hotline_port}",
                 "YIWANG_HOTLINE_POLL_SECONDS": "0.5"}  # the city takes 12345 orders and tells the platform back

    county_name = catalog.regions.name(county)
    console.print(f"[bold]Yiwang demo[/bold] · the chain {catalog.regions.name(regions[0])} ({regions[0]}) → "
                  f"{county_name} ({county}) → {len(townships)} townships · {args.cases} cases · "
                  f"up to {minutes:g} min · seed {seed}")
    console.print(f"  broker   {_safe_amqp(settings.amqp_uri)}")
    console.print(f"  database {_database_line(settings.database_url, 'YIWANG_DATABASE_URL' in os.environ)}")
    for region in regions:
        r = catalog.regions.get(region)
        console.print(f"  {r.tier:<8} {sys_exe_cmd(region, ports[region])}   {r.name}  (log: var/demo-{region}.log)",
                      highlight=False)
    console.print(f"  12345    the platform's simulator at http://127.0.0.1:{hotline_port} (in this process), "
                  f"pushing orders to the city", highlight=False)

    interrupted = threading.Event()
    previous = {}

    def on_signal(signum, frame):
        if interrupted.is_set():
            raise KeyboardInterrupt
        interrupted.set()

    for sig in (signal.SIGINT, signal.SIGTERM):
        previous[sig] = signal.signal(sig, on_signal)

    stats = Stats()
    nodes: list[Node] = []
    for region in regions:
        r = catalog.regions.get(region)
        proc = Center(region, ports[region], {**env, **twelve345} if region == regions[0] else env,
                      var / f"demo-{region}.log", var / f"demo-{region}.pid")
        nodes.append(Node(region, r.name, r.tier, ports[region], proc,
                          Http(f"http://127.0.0.1:{ports[region]}", stats, f"center {region} ({r.name})"),
                          catalog.units_of(region), tasks=queue.Queue()))
    ok = leave_running = interrupted_now = False
    sim = hotline = None
    try:
        for node in nodes:
            node.center.start()
        _wait_ready(nodes, interrupted, console)
        with console.status("creating tokens at every center …"):
            for node in nodes:
                node.tokens = _make_tokens(node, admin, catalog)
        city = nodes[0]
        try:
            hotline = HotlineSimulator(city.base, city.tokens["hotline"], HOTLINE_SECRET, port=hotline_port,
                                       seed=seed, visit_delay=VISIT_DELAY, mix=VISIT_MIX).start()
        except OSError as exc:
            raise DemoError(f"the 12345 platform's simulator cannot listen on port {hotline_port}: {exc}") from None
        sim = Sim(nodes, seed, stats, catalog, hotline)
        sim.dead_before = _dead_letter_counts(regions)
        sim.since = (datetime.now(CHINA) - timedelta(seconds=5)).isoformat(timespec="seconds")
        arrivals = plan_day(args.cases, townships, seed=seed, catalog=catalog, span=span)
        console.print(_day_line(arrivals, args.cases, span, regions[0]), highlight=False)
        t0 = time.monotonic()
        ok = _drive(sim, arrivals, args.cases, run_id, limit, span, console, interrupted)
        took = time.monotonic() - t0
        if interrupted.is_set():
            raise KeyboardInterrupt
        _final(console, sim, catalog, keep, took)
        leave_running = keep
        if not ok:
            counts = sim.counts()
            still = {s: n for s, n in counts.items() if n and s not in FINAL}
            raise DemoError(f"{sum(still.values())} of {len(sim.cases)} cases still open when the time limit of "
                            f"{minutes:g} min ran out ({', '.join(f'{n} {s}' for s, n in still.items())}); allow "
                            f"more with --minutes, or look for stuck cases in var/demo-*.log and "
                            f"`yiwang dlq list --region CODE`")
        return 0
    except KeyboardInterrupt:
        leave_running = False
        interrupted_now = True
        return 130
    finally:
        if hotline is not None:
            hotline.stop()
        for node in nodes:
            node.http.close()
        if leave_running and all(n.center.alive() for n in nodes):
            for node in nodes:
                node.center.detach()  # left running on purpose; _final printed how to stop them
        else:
            started = [n for n in nodes if n.center.proc is not None]
            if started:
                with console.status(f"stopping {len(started)} centers (SIGTERM) …"):
                    for node in started:
                        node.center.signal()
                    results = [(node, *node.center.stop()) for node in started]
                console.print(" · ".join(f"{node.region} {how} (exit {code})" for node, code, how in results),
                              highlight=False)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if interrupted_now:
            print("yiwang demo: interrupted; the centers were stopped", file=sys.stderr)


def sys_exe_cmd(region: str, port: int) -> str:
    return f"python -m shared.cli run --region {region} --port {port}"


def _safe_amqp(uri: str) -> str:
    from kombu import Connection

    return Connection(uri).as_uri(include_password=False)


def _wait_ready(nodes: list[Node], interrupted, console, timeout: float = 150.0) -> None:
    import time

    started = time.monotonic()
    ready: dict[str, float] = {}
    why: dict[str, str] = {}
    with console.status(f"starting {len(nodes)} centers …") as status:
        while len(ready) < len(nodes):
            if interrupted.is_set():
                raise KeyboardInterrupt
            for node in nodes:
                if node.region in ready:
                    continue
                if not node.center.alive():
                    console.print(f"[red]center {node.region} exited (code {node.center.proc.returncode}); last lines "
                                  f"of {node.center.log_path}:[/red]\n{node.center.tail()}")
                    raise DemoError(f"center {node.region} exited during start-up; see {node.center.log_path}")
                try:
                    r = node.http.client.get("/readyz", timeout=2)
                    if r.status_code == 200:
                        ready[node.region] = time.monotonic() - started
                        continue
                    why[node.region] = _error_text(r)
                except node.http.httpx.TransportError as exc:
                    why[node.region] = type(exc).__name__
            status.update(f"starting {len(nodes)} centers … {len(ready)} ready")
            if len(ready) == len(nodes):
                break
            if time.monotonic() - started > timeout:
                late = [n for n in nodes if n.region not in ready]
                console.print(f"[red]last lines of {late[0].center.log_path}:[/red]\n{late[0].center.tail()}")
                raise DemoError(f"{', '.join(n.region for n in late)} not ready within {timeout:.0f} s (GET /readyz: "
                                f"{why.get(late[0].region, '?')}); see {late[0].center.log_path}")
            time.sleep(0.5)
    console.print(f"  all {len(nodes)} centers ready in {max(ready.values()):.1f} s · pids "
                  + " ".join(f"{n.region}:{n.center.proc.pid}" for n in nodes), highlight=False)


def _make_tokens(node: Node, admin: str, catalog: Catalog) -> dict[str, str]:
    """Tokens of this center's people, created through its own gateway (each center keeps its own)."""
    here = node.name
    specs = {"dispatcher": {"role": "dispatcher", "name": f"{here}指挥中心值班员"},
             "gridworker": {"role": "gridworker", "name": f"{here}网格员"},
             "viewer": {"role": "viewer", "name": f"{here}领导驾驶舱"}}
    if node.tier == "city":
        specs["hotline"] = {"role": "hotline", "name": "12345政务服务便民热线平台"}
    if node.tier == "township":
        specs["sensor"] = {"role": "sensor", "name": f"{here}物联感知平台"}
        specs["citizen"] = {"role": "citizen", "name": f"{here}随手拍 app"}
    for u in node.units:
        specs[u.code] = {"role": "handler", "unit": u.code, "name": f"{u.name}承办人"}
    tokens = {}
    for key, spec in specs.items():
        r = node.http.call("POST", "/api/v1/tokens", admin, json={"region": node.region, **spec})
        tokens[key] = _expect(r, 201)["token"]
    return tokens


def _day_line(arrivals: list[Arrival], cases: int, span: float, city: str) -> str:
    """What the day brings, by channel."""
    first = [a for a in arrivals if a.duplicate_of is None]
    n = {ch: sum(1 for a in first if a.channel == ch) for ch in CHANNEL_CN}
    desk_city = sum(1 for a in first if a.channel == "desk" and a.center == city)
    storms = {a.storm for a in arrivals if a.storm}
    alerts = sum(1 for a in arrivals if a.storm and not a.body.get("resolved"))
    clears = sum(1 for a in arrivals if a.body.get("resolved") is True)
    repeats = [a for a in arrivals if a.duplicate_of is not None]
    by_phone = sum(1 for a in repeats if a.channel == "hotline")
    return (f"  the day: {cases} cases over {span:.0f} s — 12345 {n['hotline']} orders (pushed to the city, located "
            f"in the townships) · grid {n['grid']} patrol reports · desk {n['desk']} ({desk_city} at the city, the "
            f"rest walk-ins at the townships) · Open311 {n['open311']} app requests · sensors {len(storms)} storms "
            f"({alerts} alerts, {clears} all-clear) and {n['sensor'] - alerts - clears} heartbeats · "
            f"{len(repeats)} duplicates of grid reports ({by_phone} by 12345, {len(repeats) - by_phone} in the app) "
            f"to be merged (并单). Simulated units at every center sign, return, escalate, ask for time, run late "
            f"and resolve; grid workers and desks verify; 12345 citizens answer the visits (回访)")


def _drive(sim: Sim, arrivals: list[Arrival], cases: int, run_id: str, limit: float, span: float, console,
           interrupted) -> bool:
    """Send the day's arrivals and play the people until every case has been final for SETTLE seconds with no
    12345 visit due, or time is up. True if all final."""
    import threading
    import time

    from rich.live import Live

    started = time.monotonic()
    total = len(arrivals)
    title = f"一网统管 demo · {' → '.join(n.name for n in sim.nodes[:2])} → {len(sim.nodes) - 2} 街镇"
    workers = []
    for node in sim.nodes:
        workers.append(threading.Thread(target=sim.center_loop, args=(node,), daemon=True))
        workers += [threading.Thread(target=sim.work_loop, args=(node,), daemon=True) for _ in range(3)]
    submitter = threading.Thread(target=sim.submit, args=(arrivals, run_id, started), daemon=True)
    submitter.start()
    for w in workers:
        w.start()
    live = Live(_progress_view(sim, total, cases, started, limit, span, title), console=console,
                auto_refresh=False, transient=False) if console.is_terminal else None
    all_final = False
    final_since: float | None = None  # since when every case has been final with no visit due
    last_plain = last_refresh = 0.0
    try:
        if live:
            live.start()
        while True:
            time.sleep(1.0)
            dead = [n for n in sim.nodes if not n.center.alive()]
            if dead:
                raise DemoError(f"center {dead[0].region} stopped unexpectedly (exit {dead[0].center.proc.returncode}); "
                                f"see {dead[0].center.log_path}")
            if time.monotonic() - last_refresh >= 2.0:
                last_refresh = time.monotonic()
                try:
                    sim.refresh()
                except DemoError as exc:
                    sim.stats.surprises.append(str(exc))
            if submitter.is_alive() or not sim.all_final():
                final_since = None
            elif final_since is None:
                final_since = time.monotonic()
            all_final = final_since is not None and time.monotonic() - final_since >= SETTLE
            if live:
                live.update(_progress_view(sim, total, cases, started, limit, span, title), refresh=True)
            elif time.monotonic() - last_plain >= 10 or all_final:
                last_plain = time.monotonic()
                console.print(_plain_progress(sim, total, started), highlight=False)
            if all_final or interrupted.is_set() or time.monotonic() - started > limit:
                break
    finally:
        sim.stop.set()
        if live:
            live.update(_progress_view(sim, total, cases, started, limit, span, title), refresh=True)
            live.stop()
        for w in workers + [submitter]:
            w.join(timeout=10)
    return bool(all_final)


def _consistency(sim: Sim) -> list[str]:
    """Every center's own view of the cases it owns, against the city's view of them: one id everywhere, the
    same status. Mismatches are re-checked once after a few seconds (events take a moment to flow up)."""
    import time

    def mismatches() -> list[tuple[str, str, str, str]]:
        out = []
        for node in sim.nodes[1:]:
            for c in sim.list_all(node, node.tokens["viewer"], **{"from": sim.since}):
                city = sim.cases.get(c["id"])
                if city is None or c["center"] != node.region:
                    continue
                if city.get("status") != c["status"] or city.get("center") != c["center"]:
                    out.append((c["id"], node.region, f"{c['status']}@{c['center']}",
                                f"{city.get('status')}@{city.get('center')}"))
        return out

    found = mismatches()
    if found:
        time.sleep(4)
        sim.refresh()
        found = mismatches()
    return [f"case {cid}: {here} says {mine}, the city says {city}" for cid, here, mine, city in found]


def _final(console, sim: Sim, catalog: Catalog, keep: bool, took: float) -> None:
    from rich.panel import Panel

    period = datetime.now(CHINA).strftime("%Y-%m")
    city = sim.city
    viewer = city.tokens["viewer"]
    st = sim.stats
    counts = sim.counts()
    console.print()
    console.print(f"{sum(counts[s] for s in FINAL)} of {len(sim.cases)} cases final in {took:.0f} s · sent "
                  f"{sim.sent} reports, orders, requests, alerts and heartbeats ({sim.replays} reports retried with "
                  f"the same Idempotency-Key) · "
                  f"签收 accepted {st['act.accept']} ({st['late_accept']} late) · 退单 returned {st['act.return']} · "
                  f"上报 escalated {st['act.escalate']} · 延期 extensions {st['act.extend']} requested, "
                  f"{st['act.decide-extension']} decided · 办结 resolved {st['act.resolve']} ({st['late_resolve']} late) "
                  f"· 核查 verified {st['verified_ok']} (+{st['verified_failed']} sent back for rework) · "
                  f"督办 supervised {st['act.supervise']} ({st['followed_supervised']} by the city from above) · "
                  f"回访 12345 cases closed by a leader's review after their visits {st['review_closed']} · "
                  f"{st['requests']} HTTP requests", highlight=False)
    if sim.leftovers:
        console.print(f"(the counts include {len(sim.leftovers)} cases that earlier runs had left open; the simulated "
                      f"people worked through them too)")
    console.print("Late work is simulated by slow units (迟签/迟办) and extension requests (延期); the deadlines are "
                  "real working time (30 min to days), so in a few minutes nothing turns yellow or red by itself.",
                  style="dim")
    console.print()
    console.print(_channel_table(sim, "[bold]渠道 · cases by channel[/bold] (their source, as the city sees them)"))
    merged = sum(1 for cid in sim.duplicates if sim.cases.get(cid, {}).get("status") == "merged")
    console.print(f"并单: {merged} of the day's {len(sim.duplicates)} duplicates (a 12345 caller or an app user "
                  f"reporting what a grid worker had just reported) merged into the case they repeat; "
                  f"{sum(sim.by_channel()[ch].get('merged', 0) for ch in CHANNEL_CN)} cases merged in all",
                  highlight=False)
    totals = sim.hotline.state()["totals"]
    console.print("12345 platform (simulator) totals: " + " · ".join(f"{k} {v}" for k, v in totals.items()),
                  highlight=False)
    if sim.storms:
        console.print(_storm_table(sim))
    console.print()
    for by, table in (("region", _evaluation_region_table), ("unit", _evaluation_unit_table)):
        ev = _expect(city.http.call("GET", "/api/v1/evaluation", viewer, params={"period": period, "by": by}), 200)
        console.print(f"[bold]行政问效 · evaluation by {by} · {period}[/bold]  [dim](at the city: GET "
                      f"/api/v1/evaluation?period={period}&by={by})[/dim]", highlight=False)
        console.print(table(ev["rows"], catalog, period))
    board = _expect(city.http.call("GET", "/api/v1/board", viewer), 200)
    console.print(_board_table(board, catalog))

    try:
        inconsistent = _consistency(sim)
    except DemoError as exc:
        inconsistent = [f"could not compare the centers' views: {exc}"]
    refused = [f"{channel}: {len(r)} refused, e.g. {r[0]}" for channel, r in sim.refused.items()]
    lost_visits = _lost_visits(sim, reworked=False)
    if st.server_errors or st.surprises or inconsistent or refused or lost_visits:
        lines = [f"server errors (5xx): {len(st.server_errors)}"] + st.server_errors[:5]
        lines += [f"not taken in: {sum(len(r) for r in sim.refused.values())}"] + refused
        lines += [f"12345 visits the city did not take: {len(lost_visits)}"] + lost_visits[:5]
        lines += [f"unexpected answers: {len(st.surprises)}"] + st.surprises[:5]
        lines += [f"owner and city disagree: {len(inconsistent)}"] + inconsistent[:5]
        console.print(Panel("\n".join(lines), title="problems seen", border_style="red"))
    sample, why, town = _sample_case(sim)
    auth = '-H "Authorization: Bearer $YIWANG_TOKEN"'
    console.print()
    if keep:
        console.print("[bold green]Where to look next[/bold green] — the centers are still running "
                      f"(pids {' '.join(str(n.center.proc.pid) for n in sim.nodes)})")
    else:
        console.print("[bold green]Where to look next[/bold green] — the centers stop now; serve the same data again "
                      "with one `yiwang run --region CODE --port PORT` per center below (or rerun the demo with --keep)")
    lines = [f"  export YIWANG_TOKEN={viewer}    # read-only viewer of the city {city.region}: sees the whole chain"]
    if town is not None:
        lines.append(f"  export YIWANG_TOKEN_{town.region}={town.tokens['viewer']}    # viewer of {town.name} "
                     f"(every center keeps its own tokens)")
    lines.append("  centers:")
    for node in sim.nodes:
        lines.append(f"    {node.tier:<8} {node.region:<9} {node.name:<8}\tgateway {node.base}   "
                     f"API {node.base}/openapi.json   log {node.center.log_path}")
    base = city.base
    if sample:
        lines.append(f"  a case at the city      curl -s {auth} {base}/api/v1/cases/{sample} | python -m json.tool"
                     f"    # {why}")
        if town is not None:
            lines.append(f"  … and at {town.name}     curl -s -H \"Authorization: Bearer $YIWANG_TOKEN_{town.region}\" "
                         f"{town.base}/api/v1/cases/{sample} | python -m json.tool    # the same id, the same timeline")
            check = _same_case(sim, city, town, sample)
            if check:
                lines.append(f"                          ({check})")
    lines += [
        f"  evaluation by region    curl -s {auth} '{base}/api/v1/evaluation?period={period}&by=region'",
        f"  evaluation by unit      curl -s {auth} '{base}/api/v1/evaluation?period={period}&by=unit'",
        f"  board                   curl -s {auth} {base}/api/v1/board",
        f"  cases of a township     curl -s {auth} '{base}/api/v1/cases?region={sim.nodes[-1].region}&page_size=5'",
        f"  12345 cases             curl -s {auth} '{base}/api/v1/cases?source=hotline&page_size=5'",
        f"  sensor cases            curl -s {auth} '{base}/api/v1/cases?source=sensor'",
    ]
    first = next(n for n in sim.nodes if n.tier == "township")
    lines += [f"  Open311 ({first.name})   curl -s {first.base}/open311/v2/discovery.json    (also services.json, "
              f"requests.json; POST requests.json with api_key={first.tokens['citizen']})"]
    mgmt = _management_url()
    lines.append(f"  RabbitMQ                {mgmt}" if mgmt else
                 "  RabbitMQ                management UI not enabled (rabbitmq-plugins enable rabbitmq_management, "
                 "then http://localhost:15672, guest/guest)")
    lines.append(f"  dead letters            {_dead_letters([n.region for n in sim.nodes], sim.dead_before)}")
    if keep:
        lines += [f"  admin token             {city.center.env.get('YIWANG_ADMIN_TOKEN', '')}    # accepted by every "
                  f"center, e.g. POST /api/v1/tokens",
                  f"  stop them               kill {' '.join(str(n.center.proc.pid) for n in sim.nodes)}    "
                  f"(or: kill $(cat var/demo-*.pid))",
                  "  12345                   the platform's simulator stopped with the demo; the city keeps what it "
                  "owes the platform in its outbox and sends it once something answers at YIWANG_HOTLINE_URL"]
    for line in lines:
        console.print(line, soft_wrap=True, highlight=False, markup=False)


def _sample_case(sim: Sim) -> tuple[str | None, str, Node | None]:
    """A 12345 case handled at a township and closed after its visit, with an interesting timeline if there is one:
    returned or reworked there; else a case entered at the city and handled at a township; else any case handled
    at a township."""
    cases = [c for c in list(sim.cases.values()) if c.get("center") in sim.by_region]
    city = sim.city.region

    def town(c):
        node = sim.by_region[c["center"]]
        return node if node.tier == "township" else None
    picks = (
        ("12345 order pushed to the city, routed city → county → township, reworked or returned there, closed after "
         "the citizen's visit (回访)", lambda c: c.get("source") == "hotline" and town(c) and c["status"] == "closed"
         and c.get("satisfaction") and (c.get("rework_count") or c.get("return_count"))),
        ("12345 order pushed to the city, routed city → county → township, closed there after the citizen's visit",
         lambda c: c.get("source") == "hotline" and town(c) and c["status"] == "closed" and c.get("satisfaction")),
        ("entered at the city, handled at a township", lambda c: sim.entered.get(c["id"]) == city and town(c)),
        ("handled at a township", lambda c: town(c)),
    )
    for why, pick in picks:
        for c in cases:
            if pick(c):
                return c["id"], why, town(c)
    return None, "", None


def _same_case(sim: Sim, city: Node, town: Node, case_id: str) -> str:
    """Read the sample at both gateways: the same id, status and timeline everywhere?"""
    try:
        a = city.http.call("GET", f"/api/v1/cases/{case_id}", city.tokens["viewer"])
        b = town.http.call("GET", f"/api/v1/cases/{case_id}", town.tokens["viewer"])
        if a.status_code != 200 or b.status_code != 200:
            return f"checked: the city answered {a.status_code}, {town.name} {b.status_code}"
        a, b = a.json(), b.json()
    except DemoError as exc:
        return f"could not check: {exc}"
    same = a["id"] == b["id"] and a["status"] == b["status"]
    ta, tb = [t["type"] for t in a["timeline"]], [t["type"] for t in b["timeline"]]
    if same and ta == tb:
        return f"checked: both say {a['status']}, center {a['center']}, the same {len(ta)} timeline entries"
    sim.stats.surprises.append(f"sample {case_id}: the city says {a['status']} with {len(ta)} entries, "
                               f"{town.region} says {b['status']} with {len(tb)}")
    return (f"they differ: the city says {a['status']} ({len(ta)} entries), {town.name} says {b['status']} "
            f"({len(tb)} entries)")


def _dead_letter_counts(regions: list[str]) -> dict[str, int] | str:
    """Dead letters waiting at each center's queues, counted without touching them (or why they could not be
    counted)."""
    from kombu import Connection

    from shared.config import load_settings
    from shared.messaging import topology
    from shared.runner import all_subscriptions

    try:
        out = {}
        with Connection(load_settings().amqp_uri, connect_timeout=5) as conn:
            channel = conn.channel()
            try:
                for region in regions:
                    out[region] = sum(channel.queue_declare(topology.dlq_name(sub.queue), passive=True)[1]
                                      for sub in all_subscriptions(region))
            finally:
                channel.close()
        return out
    except Exception as exc:  # noqa: BLE001
        return f"could not check ({type(exc).__name__}); try: yiwang dlq list --region CODE"


def _dead_letters(regions: list[str], before: dict[str, int] | str | None = None) -> str:
    now = _dead_letter_counts(regions)
    if isinstance(now, str):
        return now
    if not any(now.values()):
        return "none at any center"
    parts = []
    for region, n in now.items():
        if n:
            new = n - before.get(region, 0) if isinstance(before, dict) else None
            parts.append(f"{region}: {n}{f' ({new} new in this run)' if new is not None else ''} "
                         f"(yiwang dlq list --region {region})")
    return " · ".join(parts)
