"""What each channel of the demo brings, as its reporters word it: grid workers' patrol reports and walk-ins at a
township, citizens' complaints at the city's desk, 12345 work orders, Open311 requests of a citizens' app. Pure (no
I/O but the catalog and the region boundaries) and reproducible with a seed; `app.demo.day` puts them in time."""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from app.demo.places import full_name, place_and_address, scatter
from app.simulators.hotline_orders import Order, OrderGenerator
from shared.catalog import Catalog, load_catalog
from shared.clock import CHINA

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

# The people reporting (illustrative names).
GRID_WORKERS = ("张建华", "陈小燕", "王志刚", "李秀英", "周海峰", "吴丽娟", "徐卫东", "孙静")
CITIZENS = ("王女士", "李先生", "张阿姨", "刘师傅", "陈先生", "杨女士", "赵大爷", "黄女士", "周先生", "吴女士")
GIVEN_NAMES = ("晓明", "丽华", "建国", "秀英", "志强", "海燕", "文静", "国平", "小军", "玉兰")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙"


@dataclass(frozen=True)
class DemoReport:
    """One report the demo generates: who sends it, what it is about, the request body."""

    role: str        # "gridworker" (巡查上报, source grid), "dispatcher" (窗口/来电登记, source desk) or
    #                  "citizen" (an Open311 app, source open311)
    category: str    # the category the reporter meant (also when the body leaves it to triage)
    body: dict = field(hash=False)  # POST /api/v1/reports; Open311: the form fields but api_key


def _phone(rng: random.Random) -> str:
    return rng.choice(("13", "15", "17", "18", "19")) + "".join(str(rng.randrange(10)) for _ in range(9))


def generate_reports(n: int, region: str, *, seed: int | str | None = None, now: datetime | None = None,
                     catalog: Catalog | None = None) -> list[DemoReport]:
    """`n` realistic reports located in `region` (Chinese descriptions, catalog categories, addresses and
    coordinates within RADIUS_KM of the region's anchor), taken in at that region's center: grid workers'
    patrol reports (most) and desk entries. The same seed (and `now`) gives the same list."""
    catalog = catalog or load_catalog()
    rng = random.Random(seed)
    now = (now or datetime.now(CHINA)).astimezone(CHINA).replace(microsecond=0)
    prefix = full_name(region, catalog)
    here = catalog.regions.get(region).name
    codes = [c for c in TEMPLATES if c in catalog.categories]
    weights = [TEMPLATES[c][0] for c in codes]
    out: list[DemoReport] = []
    for _ in range(n):
        code = rng.choices(codes, weights)[0]
        place, address = place_and_address(rng, prefix)
        description = rng.choice(TEMPLATES[code][1]).format(place=place)
        lon, lat = scatter(rng, region, catalog)
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
        place, address = place_and_address(rng, full_name(town, catalog))
        description = rng.choice(table[code][1]).format(place=place)
        lon, lat = scatter(rng, town, catalog)
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
    """`n` 12345 work orders about `townships`, as the platform sends them (app.simulators.hotline_orders: its mix of
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
                full_name(t, catalog)))
            lon, lat = scatter(rng, town, catalog)
            body["location"] = {"lon": lon, "lat": lat}
    return orders


def generate_open311_requests(n: int, region: str, *, seed: int | str | None = None, now: datetime | None = None,
                              catalog: Catalog | None = None) -> list[DemoReport]:
    """`n` requests of a citizens' app located in `region`: Open311 GeoReport v2 `POST requests` forms (every field
    but `api_key`; the service code is a category code), a snapshot (随手拍) of a street problem. Reproducible."""
    catalog = catalog or load_catalog()
    rng = random.Random(seed)
    now = (now or datetime.now(CHINA)).astimezone(CHINA).replace(microsecond=0)
    prefix = full_name(region, catalog)
    codes = [c for c in TEMPLATES if c in catalog.categories]
    weights = [TEMPLATES[c][0] for c in codes]
    out: list[DemoReport] = []
    for _ in range(n):
        code = rng.choices(codes, weights)[0]
        place, address = place_and_address(rng, prefix)
        lon, lat = scatter(rng, region, catalog)
        form = open311_form(rng, code, lon, lat, address, rng.choice(TEMPLATES[code][1]).format(place=place), now)
        out.append(DemoReport("citizen", code, form))
    return out


def open311_form(rng: random.Random, code: str, lon: float, lat: float, address: str, text: str,
                 now: datetime) -> dict:
    """The form of one Open311 `POST requests` about `text` at (lon, lat), `address`: every field but
    `api_key`, all strings (form-encoded), a photo's URL on most."""
    form = {"service_code": code, "lat": f"{lat:.6f}", "long": f"{lon:.6f}", "address_string": address,
            "description": f"随手拍：{text}", "first_name": rng.choice(GIVEN_NAMES), "last_name": rng.choice(SURNAMES),
            "phone": _phone(rng)}
    if rng.random() < 0.6:
        form["media_url"] = f"https://media.yiwang.example/app/{now:%Y%m%d}/{rng.getrandbits(48):012x}.jpg"
    return form
