"""`yiwang demo`: run one center and push a realistic batch of reports through the whole loop.

Until the three-tier chain exists, the demo starts one center (`yiwang run` in a child process), creates
tokens through the API, submits grid workers' patrol reports and desk entries, and plays the units, the
grid worker and the dispatcher over HTTP only: sign for (签收), return (退单), resolve (办结), verify (核查)
with rework (返工), extensions (延期) and supervision (督办) — until every case is closed or time runs out.
It shows progress while it runs and ends with the evaluation per unit (行政问效), the board and where to
look next.

The first part of this module is the pure report generator (`generate_reports`), unit-tested on its own.
"""
from __future__ import annotations

import math
import random
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from shared.catalog import Catalog, load_catalog
from shared.clock import CHINA

# ════════════════════════════════════════════════════════════════════════════════════════════════
# The report generator (pure: no I/O; reproducible with a seed)
# ════════════════════════════════════════════════════════════════════════════════════════════════

#: approximate centres (WGS-84 lon, lat) of regions the demo may run; other regions use their nearest
#: listed ancestor. 金沙街道 is the seat of 通州区.
ANCHORS: dict[str, tuple[float, float]] = {
    "320600": (120.894, 31.981),     # 南通市 (崇川区 city centre)
    "320612": (121.073, 32.084),     # 通州区
    "320612001": (121.073, 32.084),  # 通州区 金沙街道
    "320612002": (121.112, 32.068),  # 通州区 兴东街道
    "320613": (120.857, 32.010),     # 崇川区
    "320614": (121.181, 31.871),     # 海门区
    "320623": (121.186, 32.331),     # 如东县
    "320671": (120.948, 31.928),     # 南通经济技术开发区
    "320681": (121.657, 31.808),     # 启东市
    "320682": (120.574, 32.371),     # 如皋市
    "320685": (120.467, 32.533),     # 海安市
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
#: Weights follow the usual 数字城管 mix: street order and sanitation dominate, facilities follow.
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


@dataclass(frozen=True)
class DemoReport:
    """One report the demo submits: who sends it and the JSON body of POST /api/v1/reports."""

    role: str        # "gridworker" (巡查上报, source grid) or "dispatcher" (窗口/来电登记, source desk)
    category: str    # the category the reporter meant (also when the body leaves it to triage)
    body: dict = field(hash=False)


def region_anchor(region: str, catalog: Catalog | None = None) -> tuple[float, float]:
    """The point reports of `region` scatter around: its own anchor or its nearest listed ancestor's."""
    regions = (catalog or load_catalog()).regions
    code: str | None = regions.get(region).code
    while code is not None:
        if code in ANCHORS:
            return ANCHORS[code]
        code = regions.get(code).parent
    return ANCHORS[regions.root]


def distance_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


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


def generate_reports(n: int, region: str, *, seed: int | str | None = None, now: datetime | None = None,
                     catalog: Catalog | None = None) -> list[DemoReport]:
    """`n` realistic reports located in `region` (Chinese descriptions, catalog categories, addresses and
    coordinates within RADIUS_KM of the region's anchor). The same seed (and `now`) gives the same list."""
    catalog = catalog or load_catalog()
    rng = random.Random(seed)
    now = (now or datetime.now(CHINA)).astimezone(CHINA).replace(microsecond=0)
    prefix = _full_name(region, catalog)
    here = catalog.regions.get(region).name
    lon0, lat0 = region_anchor(region, catalog)
    codes = [c for c in TEMPLATES if c in catalog.categories]
    weights = [TEMPLATES[c][0] for c in codes]
    out: list[DemoReport] = []
    for i in range(n):
        code = rng.choices(codes, weights)[0]
        # where: a numbered address on a road, a building of an estate, or a landmark
        road = rng.choice(ROADS)
        shape = rng.random()
        if shape < 0.45:
            number = rng.randint(1, 399)
            place, address = f"{road}{number}号", f"{prefix}{road}{number}号"
        elif shape < 0.8:
            estate, block = rng.choice(ESTATES), rng.randint(1, 36)
            place, address = f"{estate}{block}幢", f"{prefix}{road}{estate}{block}幢"
        else:
            other = rng.choice([r for r in ROADS if r != road])
            mark = rng.choice(LANDMARKS)
            place, address = f"{road}与{other}交叉口{mark}", f"{prefix}{road}与{other}交叉口"
        description = rng.choice(TEMPLATES[code][1]).format(place=place)
        # coordinates: uniform over a disc of RADIUS_KM around the anchor
        r, theta = RADIUS_KM * math.sqrt(rng.random()), rng.random() * 2 * math.pi
        lat = lat0 + r * math.sin(theta) / 111.32
        lon = lon0 + r * math.cos(theta) / (111.32 * math.cos(math.radians(lat0)))
        grid = rng.random() < 0.7
        occurred = now - timedelta(minutes=rng.randint(3, 240))
        body: dict = {"description": description,
                      "location": {"lon": round(lon, 6), "lat": round(lat, 6), "address": address},
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


# ════════════════════════════════════════════════════════════════════════════════════════════════
# The driver
# ════════════════════════════════════════════════════════════════════════════════════════════════

STATUS_CN = {"received": "已受理", "triaged": "已分拨", "dispatched": "已派遣", "accepted": "处置中",
             "resolved": "已办结", "verified": "已核查", "closed": "已结案", "rejected": "不予立案", "merged": "已并单"}
FINAL = ("closed", "rejected", "merged")
INDICATOR_CN = {"timely_sign_rate": ("及时签收率", "signed"), "on_time_resolve_rate": ("按期处置率", "on time"),
                "close_rate": ("结案率", "closed"), "rework_rate": ("返工率", "rework"),
                "return_rate": ("退单率", "returned")}
RETURN_REASONS = ("不属于我单位职责，请重新派遣", "经现场核实，该处属小区物业管理区域，非本单位职责",
                  "该设施产权不属于本单位，建议派至产权单位", "问题位置不在本单位管辖范围内")
ACCEPT_NOTES = ("已签收，安排人员前往现场", "已签收，今日内处置", "收到，已派队员核实")
RESOLVE_NOTES = {  # by unit kind; the default for the others
    "sanitation": ("已清运完毕，现场已清扫干净", "已更换新垃圾桶，现场整洁"),
    "chengguan": ("已现场劝导，当事人已自行整改", "违规物品已依法暂扣，现场恢复原状", "已责令限期整改并复查到位"),
    "municipal": ("已完成维修，现场恢复正常使用", "已更换井盖并设置警示，隐患已消除", "已疏通清理，排水恢复正常"),
    "market": ("已现场检查，责令商户整改并下架问题商品",),
    "police": ("已出警处置，车辆已挪走，现场秩序恢复",),
    "safety": ("已督促清理，通道恢复畅通，隐患已消除",),
    "": ("已协调相关单位处理完毕，并回复反映人", "已到现场处置完毕，拍照留存"),
}
VERIFY_OK = ("现场核查：已整改到位", "复核通过，现场整洁", "核查属实，处置到位")
VERIFY_FAIL = ("现场核查：问题仍然存在，请返工", "复核未通过，整改不彻底")
EXTENSION_REASONS = ("需协调产权单位到场，申请延期", "需采购配件，申请延期", "需联合执法，申请延期")


class DemoError(Exception):
    """A failure the demo reports in one line (and a non-zero exit)."""


class Stats:
    """Counters shared by the workers (green threads or threads; plain dict updates are enough)."""

    def __init__(self):
        self.c: dict[str, int] = {}
        self.server_errors: list[str] = []
        self.surprises: list[str] = []  # answers the API should not give (4xx other than races)

    def inc(self, key: str, by: int = 1) -> None:
        self.c[key] = self.c.get(key, 0) + by

    def __getitem__(self, key: str) -> int:
        return self.c.get(key, 0)


class Http:
    """The HTTP API of the center, with retries on connection errors and 5xx (reports are idempotent)."""

    def __init__(self, base: str, stats: Stats):
        import httpx

        self.httpx = httpx
        self.base = base
        self.stats = stats
        self.client = httpx.Client(base_url=base, timeout=30.0,
                                   limits=httpx.Limits(max_connections=40, max_keepalive_connections=40))

    def call(self, method: str, path: str, token: str | None = None, *, json=None, params=None,
             headers=None, tries: int = 4):
        import time

        hdrs = dict(headers or {})
        if token:
            hdrs["Authorization"] = f"Bearer {token}"
        last = None
        for attempt in range(tries):
            self.stats.inc("requests")
            try:
                r = self.client.request(method, path, json=json, params=params, headers=hdrs)
            except self.httpx.TransportError as exc:
                last = f"{method} {path}: {type(exc).__name__} {exc}"
                self.stats.inc("transport_errors")
                time.sleep(0.5 * (attempt + 1))
                continue
            if r.status_code >= 500 and r.status_code != 503:
                self.stats.inc("server_errors")
                self.stats.server_errors.append(f"{method} {path} → {r.status_code} {r.text[:300]}")
                last = f"{method} {path} → {r.status_code}"
                time.sleep(0.5 * (attempt + 1))
                continue
            return r
        raise DemoError(f"the center does not answer: {last}")

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


# ---- the center as a child process ---------------------------------------------------------------
class Center:
    def __init__(self, region: str, port: int, env: dict, log_path, pid_path):
        self.region, self.port, self.env = region, port, env
        self.log_path, self.pid_path = log_path, pid_path
        self.proc = None

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

    def stop(self, timeout: float = 15.0) -> tuple[int | None, str]:
        """SIGTERM (the center drains in-flight work); once more if it is still there; then SIGKILL.
        Returns the exit code and how it went."""
        import signal
        import subprocess

        if self.proc is None:
            return None, "not started"
        how = "stopped"
        for attempt in range(3):
            if self.proc.poll() is not None:
                break
            if attempt < 2:
                self.proc.send_signal(signal.SIGTERM)
                how = "stopped" if attempt == 0 else "stopped on the second SIGTERM (the first was lost)"
            else:
                self.proc.kill()
                how = f"killed: it did not stop within {2 * timeout:.0f} s of SIGTERM"
            try:
                self.proc.wait(timeout if attempt < 2 else 5)
            except subprocess.TimeoutExpired:
                continue
        try:
            self.pid_path.unlink()
        except OSError:
            pass
        return self.proc.returncode, how


# ---- the simulation ------------------------------------------------------------------------------
class Sim:
    """Plays the people around the center over HTTP: units, grid worker, dispatcher."""

    def __init__(self, http: Http, region: str, tokens: dict, units: list, seed: int, stats: Stats):
        import threading

        self.http, self.region, self.tokens, self.units = http, region, tokens, units
        self.stats = stats
        self.rng = random.Random(seed)
        self.stop = threading.Event()
        self.cases: dict[str, dict] = {}      # case id → the latest view of it (this run's cases)
        self.first_seen: dict[tuple, float] = {}  # (case id, status, round) → when a worker first saw it
        self.resolve_at: dict[str, float] = {}
        self.returned_once: set[str] = set()
        self.failed_once: set[str] = set()
        self.supervised: set[str] = set()
        self.extended: set[str] = set()
        self.ids: list[str] = []
        self.leftovers: set[str] = set()  # open cases of earlier (interrupted) runs the people also worked on
        self.submitted = 0
        self.replays = 0
        self.since = ""  # ISO time just before the first report: the case list's `from` filter

    # helpers
    def _chance(self, p: float) -> bool:
        return self.rng.random() < p

    def _ripe(self, key: tuple, lo: float, hi: float) -> bool:
        """True once a simulated person has 'taken' between lo and hi seconds over this (case, stage)."""
        import time

        now = time.monotonic()
        due = self.first_seen.setdefault(key, now + self.rng.uniform(lo, hi))
        return now >= due

    def _list(self, token: str, **params) -> list[dict]:
        r = self.http.call("GET", "/api/v1/cases", token, params={"page_size": 100, **params})
        if r.status_code != 200:
            self.stats.surprises.append(f"GET /api/v1/cases {params} → {_error_text(r)}")
            return []
        return r.json()["items"]

    def _act(self, token: str, case_id: str, action: str, body: dict) -> dict | None:
        r = self.http.call("POST", f"/api/v1/cases/{case_id}/{action}", token, json=body)
        if r.status_code == 200:
            self.stats.inc(f"act.{action}")
            if case_id not in self.cases:
                self.leftovers.add(case_id)
            return r.json()
        if r.status_code == 409:
            self.stats.inc("conflicts")  # the case moved on meanwhile (a race with the services): fine
            return None
        self.stats.surprises.append(f"POST {action} {case_id} → {_error_text(r)}")
        return None

    # reports
    def submit(self, reports: list[DemoReport], run_id: str, concurrency: int = 10) -> None:
        import queue
        import threading

        work: queue.Queue = queue.Queue()
        for i, rep in enumerate(reports):
            work.put((i, rep))
        errors: list[str] = []

        def worker():
            while not self.stop.is_set():
                try:
                    i, rep = work.get_nowait()
                except queue.Empty:
                    return
                key = f"demo-{run_id}-{i:05d}"
                token = self.tokens[rep.role]
                try:
                    r = self.http.call("POST", "/api/v1/reports", token, json=rep.body,
                                       headers={"Idempotency-Key": key})
                    if r.status_code != 202:
                        errors.append(f"report {i}: {_error_text(r)}")
                        continue
                    case_id = r.json()["case_id"]
                    self.cases[case_id] = {"id": case_id, "status": r.json()["status"]}
                    self.ids.append(case_id)
                    self.submitted += 1
                    # now and then the app retries (a lost answer): the same key must give the same case
                    if self._chance(0.05):
                        again = self.http.call("POST", "/api/v1/reports", token, json=rep.body,
                                               headers={"Idempotency-Key": key})
                        self.replays += 1
                        if again.status_code != 202 or again.json().get("case_id") != case_id:
                            self.stats.surprises.append(
                                f"idempotent retry of {case_id} answered {again.status_code} {again.text[:200]}")
                except DemoError as exc:
                    errors.append(str(exc))

        threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if errors:
            self.stats.surprises.extend(errors[:10])
            if not self.ids:
                raise DemoError(f"no report was accepted; first error: {errors[0]}")

    # units
    def unit_loop(self, unit) -> None:
        import time

        token = self.tokens[unit.code]
        desk = unit.kind == "command"
        while not self.stop.is_set():
            try:
                for c in self._list(token, status="dispatched", unit=unit.code):
                    if not self._ripe((c["id"], "sign", c["return_count"], c["rework_count"]), 0.5, 4):
                        continue
                    # 退单: now and then a unit says "not ours" (never the command desk, the final owner)
                    if not desk and c["id"] not in self.returned_once and self._chance(0.08):
                        self.returned_once.add(c["id"])
                        if self._act(token, c["id"], "return", {"reason": self.rng.choice(RETURN_REASONS)}):
                            self.stats.inc("returned")
                        continue
                    self._act(token, c["id"], "accept", {"note": self.rng.choice(ACCEPT_NOTES)})
                for c in self._list(token, status="accepted", unit=unit.code):
                    cid = c["id"]
                    if c.get("extension_pending"):
                        continue  # wait for the dispatcher's decision before resolving
                    if cid not in self.extended and c.get("extension_count", 0) == 0 and self._chance(0.05):
                        self.extended.add(cid)
                        self._act(token, cid, "extend", {"reason": self.rng.choice(EXTENSION_REASONS),
                                                         "working_days": self.rng.choice((1, 2, 3))})
                        continue
                    self.extended.add(cid)  # one chance per case
                    if self._ripe((cid, "resolve", c["rework_count"]), 2, 9):
                        note = self.rng.choice(RESOLVE_NOTES.get(unit.kind, RESOLVE_NOTES[""]))
                        if c["rework_count"]:
                            note = "返工：" + note
                        self._act(token, cid, "resolve", {"note": note})
            except DemoError as exc:
                self.stats.surprises.append(str(exc))
            self.stop.wait(1.2)

    # grid worker and dispatcher
    def verify_loop(self) -> None:
        while not self.stop.is_set():
            try:
                for c in self._list(self.tokens["gridworker"], status="resolved"):
                    if not self._ripe((c["id"], "verify", c["rework_count"]), 1, 5):
                        continue
                    passed = c["id"] in self.failed_once or not self._chance(0.10)
                    if not passed:
                        self.failed_once.add(c["id"])
                    who = "gridworker" if c["source"] == "grid" else "dispatcher"
                    note = self.rng.choice(VERIFY_OK if passed else VERIFY_FAIL)
                    if self._act(self.tokens[who], c["id"], "verify", {"passed": passed, "note": note}):
                        self.stats.inc("verified_ok" if passed else "verified_failed")
            except DemoError as exc:
                self.stats.surprises.append(str(exc))
            self.stop.wait(1.5)

    def dispatcher_loop(self) -> None:
        token = self.tokens["dispatcher"]
        while not self.stop.is_set():
            try:
                for c in self._list(token, status="accepted") + self._list(token, status="dispatched"):
                    cid = c["id"]
                    if c.get("extension_pending") and self._ripe((cid, "extension", c.get("extension_count", 0)), 1, 4):
                        approved = self._chance(0.8)
                        self._act(token, cid, "decide-extension",
                                  {"approved": approved, "note": "同意延期" if approved else "不同意延期，请按期办结"})
                        continue
                    # 督办: every case turning yellow or red; otherwise the desk picks one now and then
                    if (c["light"] != "green" and c.get("supervision_level", 0) < 1) or \
                            (cid not in self.supervised and self._chance(0.06)):
                        self._act(token, cid, "supervise", {"note": "请加快办理进度，按期反馈"})
                    self.supervised.add(cid)
            except DemoError as exc:
                self.stats.surprises.append(str(exc))
            self.stop.wait(2.0)

    def refresh(self) -> None:
        """This run's cases as the viewer sees them now (the list, paged; only our ids count)."""
        seen: dict[str, dict] = {}
        page = 1
        while True:
            r = self.http.call("GET", "/api/v1/cases", self.tokens["viewer"],
                               params={"page": page, "page_size": 100, "from": self.since})
            if r.status_code != 200:
                self.stats.surprises.append(f"GET /api/v1/cases → {_error_text(r)}")
                return
            data = r.json()
            for c in data["items"]:
                if c["id"] in self.cases:
                    seen[c["id"]] = c
            if page * data["page_size"] >= data["total"] or not data["items"]:
                break
            page += 1
        for cid, c in seen.items():
            self.cases[cid] = c

    def counts(self) -> dict[str, int]:
        out = {s: 0 for s in STATUS_CN}
        for c in list(self.cases.values()):
            out[c["status"]] = out.get(c["status"], 0) + 1
        return out


# ---- display -------------------------------------------------------------------------------------
def _pct(ind: dict) -> str:
    if not ind or ind.get("denominator", 0) == 0 or ind.get("value") is None:
        return "—"
    return f"{ind['value'] * 100:.1f}%\n[dim]{ind['numerator']}/{ind['denominator']}[/dim]"  # value: a 0–1 ratio


def _progress_view(sim: Sim, total: int, started: float, limit: float, title: str):
    import time

    from rich.console import Group
    from rich.progress_bar import ProgressBar
    from rich.table import Table
    from rich.text import Text

    elapsed = time.monotonic() - started
    counts = sim.counts()
    done = sum(counts[s] for s in FINAL)
    header = Text.assemble((title, "bold"), f"   {_clock(elapsed)} / {_clock(limit)}")
    bars = Table.grid(padding=(0, 1))
    bars.add_column(width=10)
    bars.add_column(width=42)
    bars.add_column()
    bars.add_row("submitted", ProgressBar(total=total, completed=sim.submitted, width=40), f"{sim.submitted}/{total}")
    bars.add_row("closed", ProgressBar(total=total, completed=done, width=40), f"{done}/{total}")
    t = Table(show_edge=False, pad_edge=False, box=None)
    for s in STATUS_CN:
        t.add_column(f"{s}\n{STATUS_CN[s]}", justify="right")
    t.add_row(*(str(counts[s]) for s in STATUS_CN))
    st = sim.stats
    per_min = done / (elapsed / 60) if elapsed > 5 else 0.0
    acts = Text(f"签收 {st['act.accept']} · 退单 {st['act.return']} · 办结 {st['act.resolve']} · "
                f"核查通过 {st['verified_ok']} · 返工 {st['verified_failed']} · 延期申请 {st['act.extend']} · "
                f"督办 {st['act.supervise']}", style="cyan")
    rate = Text(f"throughput {per_min:.1f} cases closed/min · {st['requests'] / max(elapsed, 1):.1f} requests/s · "
                f"conflicts {st['conflicts']} · server errors {st['server_errors']}", style="dim")
    return Group(header, bars, t, acts, rate)


def _clock(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


def _plain_progress(sim: Sim, total: int, started: float) -> str:
    import time

    counts = sim.counts()
    parts = " ".join(f"{s}={counts[s]}" for s in STATUS_CN if counts[s])
    return f"[{_clock(time.monotonic() - started)}] submitted {sim.submitted}/{total} · {parts}"


def _evaluation_table(rows: list[dict], catalog: Catalog, period: str):
    from rich import box
    from rich.table import Table

    t = Table(title=f"行政问效 · evaluation per unit · {period}  (GET /api/v1/evaluation?period={period}&by=unit)",
              title_justify="left", box=box.SIMPLE_HEAD,
              caption="each figure: the rate, then numerator/denominator (the API lists the case ids behind both); "
                      "indicators: " + ", ".join(INDICATOR_CN) + ". Every hand-over that began this month counts, "
                      "earlier demo runs included.", caption_justify="left")
    t.add_column("承办单位 unit", overflow="fold")
    t.add_column("派单\nassigned", justify="right")
    for cn, en in INDICATOR_CN.values():
        t.add_column(f"{cn}\n{en}", justify="right")
    for row in rows:
        try:
            unit_name = catalog.unit(row["unit"]).name
        except Exception:  # noqa: BLE001
            unit_name = row["unit"]
        t.add_row(f"{unit_name}\n[dim]{row['unit']}[/dim]", str(row["assignments"]),
                  *(_pct(row[name]) for name in INDICATOR_CN))
    if not rows:
        t.add_row("(no hand-overs this month)", "", *("" for _ in INDICATOR_CN))
    return t


def _board_table(board: dict, catalog: Catalog):
    from rich.table import Table

    t = Table(title="态势 · board summary (GET /api/v1/board)", title_justify="left", show_header=False)
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
    t.add_row("recent warnings", str(len(board.get("warnings", []))))
    return t


# ---- main ----------------------------------------------------------------------------------------
def _database_line(url: str, configured: bool) -> str:
    from sqlalchemy.engine import make_url

    shown = make_url(url).render_as_string(hide_password=True)
    if configured:
        return f"{shown} (from YIWANG_DATABASE_URL)"
    return (f"{shown} (SQLite, the default; set YIWANG_DATABASE_URL, e.g. "
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
    except KeyboardInterrupt:  # before the center started
        print("yiwang demo: interrupted", file=sys.stderr)
        return 130


def _main(args, settings) -> int:
    import logging
    import os
    import secrets
    import signal
    import sys
    import threading
    from pathlib import Path

    from rich.console import Console

    from shared.runner import StartupError, port_free, prepare

    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    console = Console()
    if not console.is_terminal:
        console = Console(width=130)  # a log file or a pipe: wide enough for the tables
    catalog = load_catalog()
    region = args.region
    place = catalog.regions.get(region)  # UnknownRegion → one clear line from the CLI
    minutes = float(getattr(args, "minutes", 3.0))
    keep = bool(getattr(args, "keep", False))
    seed = getattr(args, "seed", None)
    seed = seed if seed is not None else random.randrange(1, 10**6)
    if args.cases < 1:
        raise DemoError("--cases must be at least 1")
    if minutes <= 0:
        raise DemoError("--minutes must be positive")
    var = Path("var")
    log_path, pid_path = var / "demo-center.log", var / "demo-center.pid"
    base = f"http://127.0.0.1:{args.port}"
    run_id = uuid.uuid4().hex[:8]

    # ---- prepare: broker, database, port (each fails with one clear line) ----
    try:
        port_free(args.port)
    except StartupError:
        hint = ""
        if pid_path.exists():
            hint = f" (a center left by `yiwang demo --keep`? stop it: kill $(cat {pid_path}))"
        raise DemoError(f"port {args.port} is in use{hint}; pick another with --port") from None
    url = prepare(region, settings)  # StartupError / DatabaseUnavailable: the CLI prints one line
    busy = _other_consumers(region, settings.amqp_uri)
    if busy:
        raise DemoError(f"another center of region {region} is already running on this broker (consumers on "
                        f"{busy[0]}{' and more' if len(busy) > 1 else ''}); it would take the demo's events with "
                        f"its own database. Stop it, or give the demo its own vhost, e.g. "
                        f"YIWANG_AMQP_URI=amqp://guest:guest@localhost:5672/demo (rabbitmqctl add_vhost demo; "
                        f"rabbitmqctl set_permissions -p demo guest '.*' '.*' '.*')")
    admin = settings.admin_token or secrets.token_hex(24)
    env = dict(os.environ)
    env["YIWANG_ADMIN_TOKEN"] = admin
    env.setdefault("YIWANG_SWEEP_SECONDS", "2")
    env.setdefault("YIWANG_LOG_LEVEL", "WARNING")
    env["PYTHONUNBUFFERED"] = "1"

    console.print(f"[bold]Yiwang demo[/bold] · {place.name} ({region}, {place.tier} center) · "
                  f"{args.cases} reports · up to {minutes:g} min · seed {seed}")
    console.print(f"  broker   {_safe_amqp(settings.amqp_uri)}")
    console.print(f"  database {_database_line(url, 'YIWANG_DATABASE_URL' in os.environ)}")
    console.print(f"  center   {sys_exe_cmd(region, args.port)}  (log: {log_path})")

    interrupted = threading.Event()
    previous = {}

    def on_signal(signum, frame):
        if interrupted.is_set():
            raise KeyboardInterrupt
        interrupted.set()

    for sig in (signal.SIGINT, signal.SIGTERM):
        previous[sig] = signal.signal(sig, on_signal)

    center = Center(region, args.port, env, log_path, pid_path)
    stats = Stats()
    http = Http(base, stats)
    ok = leave_running = interrupted_now = False
    try:
        center.start()
        _wait_ready(center, http, interrupted, console)
        tokens = _make_tokens(http, admin, region, catalog)
        units = catalog.units_of(region)
        sim = Sim(http, region, tokens, units, seed, stats)
        sim.since = (datetime.now(CHINA) - timedelta(seconds=5)).isoformat(timespec="seconds")
        reports = generate_reports(args.cases, region, seed=seed, catalog=catalog)
        ok = _drive(sim, reports, run_id, minutes, console, interrupted, place.name, region, center)
        if interrupted.is_set():
            raise KeyboardInterrupt
        _final(console, http, tokens, sim, catalog, region, args.port, keep, center, log_path)
        leave_running = keep
        if not ok:
            counts = sim.counts()
            still = {s: n for s, n in counts.items() if n and s not in FINAL}
            raise DemoError(f"{sum(still.values())} of {len(sim.cases)} cases still open when the time limit of "
                            f"{minutes:g} min ran out ({', '.join(f'{n} {s}' for s, n in still.items())}); allow "
                            f"more with --minutes, or look for stuck cases in {log_path} and "
                            f"`yiwang dlq list --region {region}`")
        return 0
    except KeyboardInterrupt:
        leave_running = False
        interrupted_now = True
        return 130
    finally:
        http.close()
        if leave_running and center.alive():
            center.detach()  # left running on purpose; _final printed how to stop it
        elif center.proc is not None:
            with console.status("stopping the center (SIGTERM) …"):
                code, how = center.stop()
            console.print(f"center {how} (exit {code})")
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if interrupted_now:
            print("yiwang demo: interrupted; the center was stopped", file=sys.stderr)


def sys_exe_cmd(region: str, port: int) -> str:
    return f"python -m shared.cli run --region {region} --port {port}"


def _safe_amqp(uri: str) -> str:
    from kombu import Connection

    return Connection(uri).as_uri(include_password=False)


def _wait_ready(center: Center, http: Http, interrupted, console, timeout: float = 90.0) -> None:
    import time

    started = time.monotonic()
    with console.status(f"starting the center on port {center.port} …"):
        while True:
            if interrupted.is_set():
                raise KeyboardInterrupt
            if not center.alive():
                console.print(f"[red]the center exited (code {center.proc.returncode}); last lines of "
                              f"{center.log_path}:[/red]\n{center.tail()}")
                raise DemoError(f"the center exited during start-up; see {center.log_path}")
            try:
                r = http.client.get("/readyz", timeout=2)
                if r.status_code == 200:
                    break
                why = _error_text(r)
            except http.httpx.TransportError as exc:
                why = type(exc).__name__
            if time.monotonic() - started > timeout:
                console.print(f"[red]last lines of {center.log_path}:[/red]\n{center.tail()}")
                raise DemoError(f"the center was not ready within {timeout:.0f} s (GET /readyz: {why}); "
                                f"see {center.log_path}")
            time.sleep(0.5)
    console.print(f"  ready in {time.monotonic() - started:.1f} s · pid {center.proc.pid}")


def _make_tokens(http: Http, admin: str, region: str, catalog: Catalog) -> dict[str, str]:
    here = catalog.regions.get(region).name
    specs = {"dispatcher": {"role": "dispatcher", "name": f"{here}指挥中心值班员"},
             "gridworker": {"role": "gridworker", "name": f"{here}网格员"},
             "viewer": {"role": "viewer", "name": f"{here}领导驾驶舱"}}
    for u in catalog.units_of(region):
        specs[u.code] = {"role": "handler", "unit": u.code, "name": f"{u.name}承办人"}
    tokens = {}
    for key, spec in specs.items():
        r = http.call("POST", "/api/v1/tokens", admin, json={"region": region, **spec})
        tokens[key] = _expect(r, 201)["token"]
    return tokens


def _drive(sim: Sim, reports: list[DemoReport], run_id: str, minutes: float, console, interrupted,
           name: str, region: str, center: Center) -> bool:
    """Submit the reports and play the people until every case is final or time is up. True if all final."""
    import threading
    import time

    from rich.live import Live

    started = time.monotonic()
    limit = minutes * 60
    total = len(reports)
    title = f"一网统管 demo · {name} ({region})"
    workers = [threading.Thread(target=sim.unit_loop, args=(u,), daemon=True) for u in sim.units]
    workers += [threading.Thread(target=sim.verify_loop, daemon=True),
                threading.Thread(target=sim.dispatcher_loop, daemon=True)]
    submitter = threading.Thread(target=sim.submit, args=(reports, run_id), daemon=True)
    submitter.start()
    for w in workers:
        w.start()
    live = Live(_progress_view(sim, total, started, limit, title), console=console, auto_refresh=False,
                transient=False) if console.is_terminal else None
    all_final = False
    last_plain = 0.0
    try:
        if live:
            live.start()
        while True:
            time.sleep(1.0)
            if not center.alive():
                raise DemoError(f"the center stopped unexpectedly (exit {center.proc.returncode}); "
                                f"see {center.log_path}")
            try:
                sim.refresh()
            except DemoError as exc:
                sim.stats.surprises.append(str(exc))
            submitting = submitter.is_alive()
            all_final = not submitting and sim.cases and all(c["status"] in FINAL for c in list(sim.cases.values()))
            if live:
                live.update(_progress_view(sim, total, started, limit, title), refresh=True)
            elif time.monotonic() - last_plain >= 10 or all_final:
                last_plain = time.monotonic()
                console.print(_plain_progress(sim, total, started))
            if all_final or interrupted.is_set() or time.monotonic() - started > limit:
                break
    finally:
        sim.stop.set()
        if live:
            live.update(_progress_view(sim, total, started, limit, title), refresh=True)
            live.stop()
        for w in workers + [submitter]:
            w.join(timeout=10)
    if not live:
        console.print(_plain_progress(sim, total, started))
    return bool(all_final)


def _final(console, http: Http, tokens: dict, sim: Sim, catalog: Catalog, region: str, port: int, keep: bool,
           center: Center, log_path) -> None:
    from rich.panel import Panel

    period = datetime.now(CHINA).strftime("%Y-%m")
    viewer = tokens["viewer"]
    st = sim.stats
    console.print()
    console.print(f"pushed {sim.submitted} reports ({sim.replays} retried with the same Idempotency-Key) · "
                  f"签收 accepted {st['act.accept']} · 退单 returned {st['act.return']} · "
                  f"办结 resolved {st['act.resolve']} · 核查 verified {st['verified_ok']} "
                  f"(+{st['verified_failed']} sent back for rework) · 延期 extensions {st['act.extend']} requested, "
                  f"{st['act.decide-extension']} decided · 督办 supervised {st['act.supervise']} · "
                  f"{st['requests']} HTTP requests")
    if sim.leftovers:
        console.print(f"(the counts include {len(sim.leftovers)} cases that earlier runs had left open; the simulated "
                      f"people worked through them too)")
    console.print()
    ev = _expect(http.call("GET", "/api/v1/evaluation", viewer, params={"period": period, "by": "unit"}), 200)
    console.print(_evaluation_table(ev["rows"], catalog, period))
    board = _expect(http.call("GET", "/api/v1/board", viewer), 200)
    console.print(_board_table(board, catalog))

    if st.server_errors or st.surprises:
        lines = [f"server errors (5xx): {len(st.server_errors)}"] + st.server_errors[:5]
        lines += [f"unexpected answers: {len(st.surprises)}"] + st.surprises[:5]
        console.print(Panel("\n".join(lines), title="problems seen", border_style="red"))
    dead = _dead_letters(region)
    sample, why = _sample_case(sim)
    base = f"http://127.0.0.1:{port}"
    auth = '-H "Authorization: Bearer $YIWANG_TOKEN"'
    mgmt = _management_url()
    console.print()
    if keep:
        console.print(f"[bold green]Where to look next[/bold green] — the center is still running (pid {center.proc.pid})")
    else:
        console.print(f"[bold green]Where to look next[/bold green] — the center stops now; serve the same data "
                      f"again with [bold]yiwang run --region {region} --port {port}[/bold] (or rerun the demo with "
                      f"--keep)")
    lines = [
        f"  export YIWANG_TOKEN={viewer}    # a read-only viewer token of this center",
        f"  gateway       {base}   (GET /livez, /readyz)",
        f"  API document  {base}/openapi.json",
    ]
    if sample:
        lines.append(f"  a case        curl -s {auth} {base}/api/v1/cases/{sample} | python -m json.tool    # {why}")
    lines += [
        f"  evaluation    curl -s {auth} '{base}/api/v1/evaluation?period={period}&by=unit'",
        f"  board         curl -s {auth} {base}/api/v1/board",
        f"  RabbitMQ      {mgmt}" if mgmt else
        "  RabbitMQ      management UI not enabled (rabbitmq-plugins enable rabbitmq_management, then "
        "http://localhost:15672, guest/guest)",
        f"  dead letters  {dead}",
        f"  center log    {log_path}",
    ]
    if keep:
        lines += [f"  admin token   {center.env.get('YIWANG_ADMIN_TOKEN', '')}    # e.g. POST /api/v1/tokens",
                  f"  stop it       kill {center.proc.pid}    (or: kill $(cat {center.pid_path}))"]
    for line in lines:
        console.print(line, soft_wrap=True, highlight=False, markup=False)


def _sample_case(sim: Sim) -> tuple[str | None, str]:
    """A case with an interesting timeline: reworked, returned, or else any closed one."""
    cases = list(sim.cases.values())
    for why, pick in (("sent back for rework once, then closed", lambda c: c.get("rework_count") and c["status"] == "closed"),
                      ("returned by a unit, re-routed, then closed", lambda c: c.get("return_count") and c["status"] == "closed"),
                      ("closed", lambda c: c["status"] == "closed"), ("", lambda c: True)):
        for c in cases:
            if pick(c):
                return c["id"], why
    return None, ""


def _dead_letters(region: str) -> str:
    from shared.config import load_settings

    try:
        from shared.messaging import dlq
        from shared.runner import all_subscriptions

        letters = dlq.list_dead(load_settings().amqp_uri, all_subscriptions(region), limit=100)
    except Exception as exc:  # noqa: BLE001
        return f"could not check ({type(exc).__name__}); try: yiwang dlq list --region {region}"
    if not letters:
        return "none"
    return f"{len(letters)} — see: yiwang dlq list --region {region}"
