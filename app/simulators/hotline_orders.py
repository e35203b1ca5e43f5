"""Realistic 12345 work orders and satisfaction visits (回访), as the 12345 platform sends them (CONTRACTS.md §4).

Pure: no I/O. Everything is drawn from one `random.Random`, so a seed reproduces a run.

An order is what a citizen told the hotline, as the operator wrote it down: a kind (咨询 consult, 求助 help,
投诉 complaint, 举报 report, 建议 suggestion), a channel, the caller's phone, mostly an address and a region, and
a content that reads like what people say ("碧华苑3幢门口的井盖破损了，晚上很危险，请尽快派人来处理。"). The
content is a frame of the kind around a problem phrase of a category; every problem phrase carries one of
the category's catalog keywords, so triage's keyword classifier recovers the category of most orders even
when the order does not name it. Categories without a phrase of their own (new ones in the catalog) get a
generic phrase built from their first keyword.

Locations: points within RADIUS_KM of the region's anchor. The townships of 通州区 (320612) are placed
inside the box NANTONG_BOX (a plausible 120.7–121.1 E, 31.9–32.1 N), each at a fixed point derived from its
code; townships of other counties near their county's anchor.
"""
from __future__ import annotations

import math
import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from shared.catalog import Catalog, load_catalog
from shared.clock import CHINA

KINDS = ("consult", "help", "complaint", "report", "suggestion")
CHANNELS = ("phone", "app", "web", "wechat")
SATISFACTIONS = ("satisfied", "basically_satisfied", "dissatisfied")
DEFAULT_MIX = {"satisfied": 0.7, "basically_satisfied": 0.2, "dissatisfied": 0.1}

#: how often citizens use each channel and call about each kind
CHANNEL_WEIGHTS = {"phone": 55, "wechat": 20, "app": 15, "web": 10}
KIND_WEIGHTS = {"complaint": 40, "help": 20, "report": 15, "consult": 15, "suggestion": 10}
#: per channel: the chance the order carries an address, and (given an address) coordinates.
#: Phone calls rarely have coordinates; the apps send the caller's GPS position.
ADDRESS_CHANCE = {"phone": 0.85, "wechat": 0.95, "app": 0.95, "web": 0.9}
LOCATION_CHANCE = {"phone": 0.15, "wechat": 0.9, "app": 0.9, "web": 0.4}
CATEGORY_CHANCE = 0.35  # the caller (in an app) or the operator picked a category
REGION_CHANCE = 0.85    # the platform assigned the order to a region (承办区域)
DUE_CHANCE = 0.8        # the order carries the platform's time limit (办理时限)
#: hours to the platform's time limit, by kind; urgent orders get URGENT_DUE_HOURS
DUE_HOURS = {"consult": 24, "help": 24, "complaint": 72, "report": 72, "suggestion": 120}
URGENT_DUE_HOURS = 2

#: the county whose townships orders are located in by default (通州区)
COUNTY = "320612"
#: (west, east, south, north) of the area the townships of COUNTY are placed in
NANTONG_BOX = (120.7, 121.1, 31.9, 32.1)
#: approximate centres (WGS-84 lon, lat) of the city and its counties
ANCHORS = {
    "320600": (120.894, 31.981),  # 南通市
    "320612": (121.073, 32.084),  # 通州区
    "320613": (120.857, 32.010),  # 崇川区
    "320614": (121.181, 31.871),  # 海门区
    "320623": (121.186, 32.331),  # 如东县
    "320671": (120.948, 31.928),  # 南通经济技术开发区
    "320681": (121.657, 31.808),  # 启东市
    "320682": (120.574, 32.371),  # 如皋市
    "320685": (120.467, 32.533),  # 海安市
}
RADIUS_KM = 1.5
KM_PER_DEGREE = 111.32

# Street names and places are illustrative (typical of a Jiangsu county seat), not a survey. None of them
# contains a catalog keyword.
ROADS = ("人民路", "建设路", "新金西路", "世纪大道", "育才路", "金乐路", "碧华路", "银河路", "金霞路", "朝霞路",
         "通甲路", "金沙大道", "南山路", "工农路", "新华路", "青年路")
ESTATES = ("金沙花园", "银河湾小区", "碧华苑", "紫金苑", "新城花园", "金桥新村", "翠湖名邸", "东方名都", "文峰小区",
           "朝阳新村", "锦绣华庭", "五里树新村")
LANDMARKS = ("菜场", "社区卫生服务中心", "幼儿园", "农贸市场", "实验小学", "文化活动中心", "便民服务中心")
#: where callers say it is when they give no address
VAGUE_PLACES = ("我家小区", "我们小区", "我家楼下", "我们村", "我单位", "我家")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙朱马胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡"
TITLES = ("先生", "女士", "阿姨", "师傅", "大爷")
MOBILE_PREFIXES = ("13", "15", "17", "18", "19", "14", "16")

#: kind → content frames; `{place}{problem}` reads as one clause. Frames use no catalog keyword (in
#: particular not 咨询, 建议, 求助: those are the catch-all category's).
FRAMES = {
    "complaint": ("{place}{problem}，已经好几天了，一直没人管，希望尽快处理。",
                  "我是附近的居民，{place}{problem}，之前打过电话还是没解决，请督促相关部门处理。",
                  "{place}{problem}，严重影响我们的生活，请有关部门过来看看。"),
    "report": ("我要举报，{place}{problem}，请执法部门来查处。",
               "{place}{problem}，这种情况天天都有，希望有关部门管一管。"),
    "help": ("您好，{place}{problem}，请尽快派人来处理。",
             "{place}{problem}，老人小孩经过容易出事，麻烦赶紧来人看一下。"),
    "consult": ("想问一下，{place}{problem}，这个归哪个部门管？什么时候能处理？",
                "请问{place}{problem}，应该找哪个部门反映？"),
    "suggestion": ("{place}{problem}，希望相关部门能彻底整治一下，不要总是反复。",
                   "{place}{problem}，能不能安排人定期巡查，别再出现这种情况。"),
}

#: category code → (weight, kinds it is called in about, problem phrases). A phrase follows a place and
#: carries a keyword of its category. Weights follow the usual 12345 mix: street order, sanitation and
#: broken facilities dominate.
PROBLEMS: dict[str, tuple[int, tuple[str, ...], tuple[str, ...]]] = {
    "0101": (1, ("help", "complaint"), ("路边的自来水井盖裂开了，车一压就晃",)),
    "0102": (3, ("help", "complaint", "consult"), ("门口的污水井盖破了一个角，走路很容易踩空",
                                                   "路边的下水井盖松动，车开过去哐当哐当响")),
    "0103": (1, ("help", "complaint"), ("路口的雨水井盖移位了，翘起来一块",)),
    "0104": (2, ("complaint", "suggestion"), ("路边的雨水箅子被树叶塞满了，一下雨水就排不下去",)),
    "0105": (1, ("help", "complaint"), ("路边的电力井盖下沉了，车子压过去哐哐响",)),
    "0106": (1, ("help", "complaint"), ("路边的燃气井盖松动，一踩就翘起来",)),
    "0107": (4, ("help", "complaint", "consult"), ("门口的井盖破损了，晚上很危险",
                                                   "人行道上的窨井盖不见了，留了一个大洞")),
    "0108": (1, ("complaint", "report"), ("路边的消防栓被车撞歪了，栓帽也没了",)),
    "0109": (5, ("complaint", "help", "consult", "suggestion"), ("的路灯好几个晚上都不亮了，走夜路黑乎乎的",
                                                                 "这一段的路灯杆被车撞歪了，灯罩也掉了")),
    "0110": (2, ("help", "complaint"), ("路边配电箱的门被人撬开了，电线裸露在外面，小孩经过太危险了",)),
    "0201": (3, ("help", "complaint"), ("路口的红绿灯坏了，车和人都乱走",
                                        "路口的人行横道灯一直不亮，老人过马路不敢走")),
    "0202": (1, ("complaint",), ("马路中间的隔离护栏被撞倒了好几节",)),
    "0203": (1, ("complaint", "suggestion"), ("路口的交通标志牌被风吹歪了，挡住了视线",)),
    "0204": (1, ("complaint", "suggestion"), ("公交站的候车亭顶棚漏雨，座椅也坏了",)),
    "0301": (3, ("complaint", "suggestion"), ("门口的垃圾桶坏了，盖子也没了，东西撒了一地",)),
    "0302": (2, ("complaint", "suggestion"), ("附近的公厕好久没人打扫，味道很大，冲水也坏了",)),
    "0303": (2, ("help", "complaint"), ("沿街的一块广告牌松动了，刮大风随时可能掉下来",)),
    "0401": (1, ("complaint", "suggestion"), ("路边的行道树枯死了好久，也没人来补种",)),
    "0402": (2, ("complaint", "report"), ("旁边的绿化带被人挖了种菜",)),
    "1101": (8, ("complaint", "report", "suggestion"), ("路边有人乱倒垃圾，好几天没人清理，臭得不行",
                                                        "门口的生活垃圾堆在路口，苍蝇蚊子特别多")),
    "1102": (4, ("complaint",), ("楼道口堆了一大堆装修垃圾，一个多星期了没人清运",
                                 "路边有人倾倒了一堆建筑垃圾")),
    "1103": (3, ("complaint", "suggestion"), ("路面上全是油污和泥巴，好几天都没人扫",)),
    "1104": (2, ("complaint",), ("公交站后面的墙被人乱贴了好多海报",)),
    "1105": (1, ("complaint",), ("的围墙被人乱涂乱画，很难看",)),
    "1106": (2, ("complaint", "suggestion"), ("附近的河道漂浮物很多，还有死鱼，发黑发臭",)),
    "1201": (4, ("complaint", "report"), ("单元门口和电梯里贴满了办证、开锁的小广告",)),
    "1202": (1, ("complaint", "report"), ("有商铺在门口私自拉横幅搞促销",)),
    "1301": (4, ("complaint", "report"), ("旁边工地夜间施工，打桩声吵得根本睡不着",
                                          "旁边工地每天半夜施工，噪音特别大")),
    "1302": (2, ("complaint", "report"), ("旁边的工地裸土没有覆盖，一刮风扬尘特别大",)),
    "1303": (3, ("report", "complaint"), ("有住户在楼顶违章搭建彩钢棚",
                                          "一楼住户违建围墙，把公共绿地圈进了自家院子")),
    "1304": (2, ("complaint", "report"), ("渣土车一路遗撒，路面上全是泥土",)),
    "1305": (1, ("report", "complaint"), ("有单位擅自开挖路面，也没有围挡",)),
    "1401": (1, ("help",), ("的路面突然塌陷了一个大坑，差点有人掉进去",)),
    "1402": (2, ("help", "complaint"), ("一下雨就积水，水深到小腿，车子都开不过去",)),
    "1403": (2, ("help",), ("地下的自来水管破裂了，路面一直在冒水",)),
    "1404": (1, ("help",), ("楼道里有很重的煤气味，怀疑燃气泄漏",)),
    "1406": (2, ("help", "complaint"), ("一栋楼的外墙瓷砖脱落了好几块，很怕砸到人",)),
    "1407": (1, ("help",), ("一棵大树被风刮倒了，压住了半条路",)),
    "1408": (2, ("complaint", "report"), ("的消防通道被私家车和杂物堵死了",)),
    "1501": (6, ("complaint", "report"), ("的水果店占道经营，摊位摆了大半个人行道",
                                          "的早餐店出店经营，桌椅都摆到了人行道上")),
    "1502": (3, ("complaint", "report"), ("早晚有流动摊贩沿街叫卖，堵得车都过不去",)),
    "1503": (3, ("complaint",), ("楼道口乱堆乱放旧家具，把路都堵了",)),
    "1504": (4, ("complaint", "report"), ("门口长期有车违章停车，堵住了小区出入口",
                                          "路边的机动车违停很严重，救护车都开不进来")),
    "1505": (4, ("complaint", "suggestion"), ("共享单车乱停乱放，把盲道全部堵住了",
                                              "门口的电动车停得到处都是，人都走不过去")),
    "1506": (2, ("complaint", "report"), ("晚上有露天烧烤摊，烟熏得窗户都不敢开",)),
    "1507": (1, ("complaint",), ("有人沿街晾晒衣服被子，很影响市容",)),
    "1508": (2, ("complaint", "report"), ("有一辆僵尸车停了大半年，占着公共车位",)),
    "1509": (2, ("report",), ("每天晚上都有黑车在路边拉客",)),
    "1601": (4, ("complaint", "help", "suggestion"), ("的路面坑坑洼洼，骑车经过很容易摔倒",
                                                      "的人行道破损严重，地砖都翘起来了")),
    "1602": (2, ("help", "complaint"), ("的下水道堵了，污水都漫到路面上了",)),
    "1701": (4, ("complaint", "report"), ("附近商铺的音响开得特别响，晚上十点多还不停，太吵了",
                                          "附近的广场舞音响声音太大，每天晚上吵到九点多")),
    "1702": (2, ("complaint", "report"), ("楼下饭店的油烟直接往楼上飘，窗户都不敢开",)),
    "1703": (1, ("complaint", "report"), ("附近有人露天焚烧树叶和杂物，烟很大",)),
    "1704": (1, ("report",), ("附近有小作坊偷排废水，河水都变色了",)),
    "1801": (1, ("complaint", "report"), ("附近一家小吃店卖过期食品，吃了以后拉肚子",)),
}
#: what people ask and propose that is no category's matter: (weight, kind, title, content); these orders
#: belong to the catalog's catch-all category (其他)
GENERAL: tuple[tuple[int, str, str, str], ...] = (
    (3, "consult", "老旧小区改造进度", "想咨询一下，{place}在不在老旧小区改造名单里？大概什么时候开工？"),
    (2, "consult", "居住证办理", "咨询一下，外地户口办居住证需要带哪些材料，在哪里办？"),
    (2, "consult", "停车收费标准", "咨询一下，{place}附近的公共停车场是怎么收费的？"),
    (2, "suggestion", "增设休息座椅", "建议在{place}增设几张休息座椅，老人散步走累了没地方坐。"),
    (1, "suggestion", "增加健身器材", "建议{place}附近的小广场增加一些健身器材。"),
)
#: kind → generic phrase for a category without phrases of its own; `{keyword}` is its first keyword
GENERIC = {"complaint": "附近的{keyword}问题很严重", "help": "附近的{keyword}出了问题，很危险",
           "report": "附近有{keyword}的问题", "consult": "附近的{keyword}有问题",
           "suggestion": "附近的{keyword}问题经常出现"}

#: satisfaction → what the citizen says on the visit
VISIT_COMMENTS = {
    "satisfied": ("处理得很及时，谢谢", "已经弄好了，很满意", "工作人员态度很好"),
    "basically_satisfied": ("基本解决了，就是速度慢了点", "处理了，但没有回个电话说一声", "暂时好了，希望别再反复"),
    "dissatisfied": ("问题根本没有解决", "来看了一眼就走了，敷衍了事", "过了两天又是老样子"),
}


@dataclass(frozen=True)
class Order:
    """One generated order: the JSON body of POST /api/v1/hotline/orders and the category it is about
    (also when the body does not name it)."""

    body: dict = field(hash=False)
    category: str


class OrderGenerator:
    """Draws orders located in `regions` (default: the townships of 通州区), numbered in sequence.

    The sequence starts at a number drawn from the seed (the platform's counter is already somewhere when
    we start), so unseeded runs rarely reuse an order number."""

    def __init__(self, seed: int | str | None = None, regions: list[str] | None = None,
                 catalog: Catalog | None = None):
        self.catalog = catalog or load_catalog()
        self.rng = random.Random(seed)
        regions = regions or [r.code for r in self.catalog.regions.children(COUNTY) if r.tier == "township"]
        self.regions = [self.catalog.regions.get(code).code for code in regions]  # raises UnknownRegion
        self._seq = self.rng.randint(1, 90_000)
        self._problems = {code: entry for code, entry in PROBLEMS.items() if code in self.catalog.categories}
        #: categories without phrases of their own → the keyword their GENERIC phrase names
        self._keywords = {code: next((k for k in cat.keywords if "+" not in k), cat.name)
                          for code, cat in self.catalog.categories.items()
                          if code not in self._problems and code != self.catalog.other_category}
        self._codes = [*self._problems, *self._keywords, self.catalog.other_category]
        self._weights = [*(w for w, _, _ in self._problems.values()), *(1 for _ in self._keywords),
                         sum(g[0] for g in GENERAL)]

    def orders(self, n: int, now: datetime | None = None) -> list[Order]:
        return [self.order(now) for _ in range(n)]

    def order(self, now: datetime | None = None) -> Order:
        """The next order, received shortly before `now` (default: the current time)."""
        rng = self.rng
        now = (now or datetime.now(CHINA)).astimezone(CHINA).replace(microsecond=0)
        received = now - timedelta(seconds=rng.randint(20, 600))
        self._seq += 1
        channel = _pick(rng, CHANNEL_WEIGHTS)
        region = rng.choice(self.regions)
        body: dict = {"order_no": f"12345-{received:%Y%m%d}-{self._seq:06d}", "channel": channel}

        address = lon_lat = None
        if rng.random() < ADDRESS_CHANCE[channel]:
            place, address = self._where(region)
            if rng.random() < LOCATION_CHANCE[channel]:
                lon_lat = self._point(region)
        else:
            place = rng.choice(VAGUE_PLACES)

        code = rng.choices(self._codes, self._weights)[0]
        if code == self.catalog.other_category:
            _, kind, topic, text = rng.choices(GENERAL, [g[0] for g in GENERAL])[0]
            title = f"{topic}（{place}）" if "{place}" in text else topic
            content = text.format(place=place)
        else:
            _, kinds, phrases = self._problems.get(code, (1, tuple(GENERIC), ()))
            kind = _pick(rng, {k: KIND_WEIGHTS[k] for k in kinds})
            problem = rng.choice(phrases) if phrases else GENERIC[kind].format(keyword=self._keywords[code])
            content = rng.choice(FRAMES[kind]).format(place=place, problem=problem)
            title = f"{place}{self.catalog.category(code).name}问题"

        priority = self.catalog.category(code).priority
        chance = {"urgent": 0.4, "high": 0.08}.get(priority, 0.01) if kind in ("help", "complaint") else 0.0
        urgent = rng.random() < chance

        body.update(kind=kind, title=title, content=content, caller=self._caller())
        if address:
            body["address"] = address
        if lon_lat:
            body["location"] = {"lon": lon_lat[0], "lat": lon_lat[1]}
        if rng.random() < (REGION_CHANCE if address else REGION_CHANCE / 2):
            body["region"] = region
        if code != self.catalog.other_category and rng.random() < CATEGORY_CHANCE:
            body["category"] = code
        body["urgent"] = urgent
        body["received_at"] = received.isoformat()
        if rng.random() < DUE_CHANCE:
            hours = URGENT_DUE_HOURS if urgent else DUE_HOURS[kind]
            body["due_at"] = (received + timedelta(hours=hours)).isoformat()
        return Order(body=body, category=code)

    # ── pieces ───────────────────────────────────────────────────────────────
    def _caller(self) -> dict:
        rng = self.rng
        caller = {"phone": rng.choice(MOBILE_PREFIXES) + "".join(str(rng.randrange(10)) for _ in range(9))}
        if rng.random() < 0.6:  # the others stay anonymous
            caller["name"] = rng.choice(SURNAMES) + rng.choice(TITLES)
        return caller

    def _where(self, region: str) -> tuple[str, str]:
        """(the place as the caller says it, the full address)."""
        rng = self.rng
        prefix = "".join(self.catalog.regions.name(c) for c in self.catalog.regions.path(region))
        road = rng.choice(ROADS)
        shape = rng.random()
        if shape < 0.35:
            number = f"{road}{rng.randint(1, 399)}号"
            return number, prefix + number
        if shape < 0.75:
            building = f"{rng.choice(ESTATES)}{rng.randint(1, 36)}幢"
            return building, prefix + road + building
        if shape < 0.9:
            crossing = f"{road}与{rng.choice([r for r in ROADS if r != road])}交叉口"
            return crossing, prefix + crossing
        landmark = road + rng.choice(LANDMARKS)
        return landmark, prefix + landmark

    def _point(self, region: str) -> tuple[float, float]:
        """A point uniform over a disc of RADIUS_KM around the region's anchor."""
        lon0, lat0 = anchor(region, self.catalog)
        r, theta = RADIUS_KM * math.sqrt(self.rng.random()), self.rng.random() * 2 * math.pi
        lat = lat0 + r * math.sin(theta) / KM_PER_DEGREE
        lon = lon0 + r * math.cos(theta) / (KM_PER_DEGREE * math.cos(math.radians(lat0)))
        return round(lon, 6), round(lat, 6)


def anchor(region: str, catalog: Catalog | None = None) -> tuple[float, float]:
    """The point orders of `region` scatter around: the city's or a county's own anchor; for a township of
    COUNTY a fixed point (derived from its code) inside NANTONG_BOX, far enough from the edges that the
    scatter stays inside; for another township a fixed point within ~5 km of its county's anchor."""
    regions = (catalog or load_catalog()).regions
    r = regions.get(region)
    if r.code in ANCHORS:
        return ANCHORS[r.code]
    at = random.Random(r.code)  # the same point for the same region, in every run
    if r.parent == COUNTY:
        west, east, south, north = NANTONG_BOX
        margin = 2 * RADIUS_KM / KM_PER_DEGREE
        return round(at.uniform(west + margin, east - margin), 6), round(at.uniform(south + margin, north - margin), 6)
    lon0, lat0 = anchor(r.parent, catalog) if r.parent else ANCHORS[regions.root]
    return round(lon0 + at.uniform(-0.05, 0.05), 6), round(lat0 + at.uniform(-0.05, 0.05), 6)


def parse_mix(text: str) -> dict[str, float]:
    """`satisfied=0.7,basically_satisfied=0.2,dissatisfied=0.1` → weights (missing ones are 0). ValueError
    with a readable message if it does not parse."""
    mix = dict.fromkeys(SATISFACTIONS, 0.0)
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, _, value = part.partition("=")
        name = name.strip()
        if name not in mix:
            raise ValueError(f"--mix: unknown satisfaction {name!r}; use {', '.join(SATISFACTIONS)}")
        try:
            mix[name] = float(value)
        except ValueError:
            raise ValueError(f"--mix: {part!r} needs a number, e.g. {name}=0.7") from None
        if mix[name] < 0 or math.isnan(mix[name]) or math.isinf(mix[name]):
            raise ValueError(f"--mix: {part!r} must be a non-negative number")
    if sum(mix.values()) <= 0:
        raise ValueError("--mix: at least one satisfaction needs a positive weight, "
                         "e.g. satisfied=0.7,basically_satisfied=0.2,dissatisfied=0.1")
    return mix


def visit(order_no: str, rng: random.Random, mix: dict[str, float] | None = None,
          now: datetime | None = None) -> dict:
    """The body of POST /api/v1/hotline/visits: the citizen's satisfaction drawn from `mix`, whether they
    consider the problem solved, sometimes a comment."""
    mix = mix or DEFAULT_MIX
    satisfaction = rng.choices(SATISFACTIONS, [mix.get(s, 0.0) for s in SATISFACTIONS])[0]
    body = {"order_no": order_no, "resolved": satisfaction != "dissatisfied" or rng.random() < 0.2,
            "satisfaction": satisfaction}
    if rng.random() < 0.7:
        body["comment"] = rng.choice(VISIT_COMMENTS[satisfaction])
    body["visited_at"] = (now or datetime.now(CHINA)).astimezone(CHINA).replace(microsecond=0).isoformat()
    return body


def _pick(rng: random.Random, weights: Mapping[str, float]) -> str:
    return rng.choices(list(weights), list(weights.values()))[0]
