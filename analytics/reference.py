"""Reference data: counties (names, short and old names, codes), towns and the standard value lists.

Loaded from the CSV files in data/ (see data/NOTICE.md) and copied into the database on creation.
"""
from __future__ import annotations

import csv
import datetime as dt
import functools
import re
import unicodedata
from dataclasses import dataclass

from analytics.paths import DATA_DIR

CITY = "聊城市"


@dataclass(frozen=True)
class County:
    name: str
    code: str | None
    kind: str
    short_name: str
    aliases: tuple[str, ...]
    sort_order: int

    @property
    def is_zone(self) -> bool:
        return self.kind == "功能区"


@functools.cache
def counties() -> tuple[County, ...]:
    with open(DATA_DIR / "counties.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return tuple(
        County(
            name=r["name"],
            code=r["code"] or None,
            kind=r["kind"],
            short_name=r["short_name"],
            aliases=tuple(a for a in r["aliases"].split("|") if a),
            sort_order=int(r["sort_order"]),
        )
        for r in rows
    )


def county_names() -> list[str]:
    """All 11 county-level units in the official order (8 counties, then the 3 zones)."""
    return [c.name for c in counties()]


def statistical_counties() -> list[County]:
    """The 8 units with a statistical code (drawn on the map)."""
    return [c for c in counties() if c.code]


def zones() -> list[County]:
    return [c for c in counties() if c.is_zone]


def county_by_name(name: str) -> County:
    for c in counties():
        if c.name == name:
            return c
    raise KeyError(name)


def fold_text(value: str) -> str:
    """NFKC-fold full-width letters/digits/spaces, drop all whitespace."""
    return "".join(unicodedata.normalize("NFKC", value).split())


_WHITESPACE = re.compile(r"\s+")


def fold_texts(values: list[str]) -> list[str]:
    """`fold_text` of many strings in one call (one NFKC pass over them all, NUL-separated: NUL is neither
    whitespace nor changed or combined by NFKC)."""
    if not values or any("\x00" in v for v in values):
        return [fold_text(v) for v in values]
    return _WHITESPACE.sub("", unicodedata.normalize("NFKC", "\x00".join(values))).split("\x00")


@functools.cache
def _county_lookup() -> dict[str, str]:
    table: dict[str, str] = {}
    for c in counties():
        for spelling in (c.name, c.short_name, *c.aliases):
            table[fold_text(spelling)] = c.name
        if c.code:
            table[c.code] = c.name
    return table


def resolve_county(value: object) -> str | None:
    """Full county name for any spelling people write (东昌府, 茌平县, 聊城市开发区, 371502); else None."""
    if value is None:
        return None
    text = fold_text(str(value))
    if not text:
        return None
    table = _county_lookup()
    if text in table:
        return table[text]
    for prefix in ("山东省聊城市", "山东省", "聊城市", "聊城"):
        if text.startswith(prefix) and text[len(prefix):] in table:
            return table[text[len(prefix):]]
    return None


def _read_divisions() -> list[dict]:
    with open(DATA_DIR / "liaocheng_divisions.csv", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@functools.cache
def zone_of_town() -> dict[str, str]:
    with open(DATA_DIR / "zone_towns.csv", encoding="utf-8") as fh:
        return {r["town"]: r["managing_unit"] for r in csv.DictReader(fh)}


# Towns created after the 2022 table (DOMAIN.md: in 2025 东昌府区 added 九州街道).
LATER_TOWNS = [
    {"county": "东昌府区", "town": "九州街道", "town_kind": "街道", "managed_directly": True,
     "since": dt.date(2025, 1, 1)},
]


@functools.cache
def towns() -> tuple[dict, ...]:
    """Every town: county (statistical), town, town_kind, managed_directly, managing_unit, confirmed, since."""
    zmap = zone_of_town()
    out = []
    for r in _read_divisions():
        direct = r["managed_directly_by_county"] == "yes"
        unit = r["county"] if direct else zmap.get(r["town"], r["county"])
        out.append({
            "county": r["county"], "town": r["town"], "town_kind": r["town_kind"],
            "managed_directly": direct, "managing_unit": unit,
            "managing_unit_confirmed": direct, "since": None,
        })
    for t in LATER_TOWNS:
        out.append({**t, "managing_unit": t["county"], "managing_unit_confirmed": True})
    return tuple(out)


def towns_of(unit: str) -> list[str]:
    """Towns run by a county-level unit (a county's own towns, or a zone's)."""
    return [t["town"] for t in towns() if t["managing_unit"] == unit]


def resolve_town(value: object, county: str | None = None) -> str | None:
    """The official town name for a spelling (exact, or with 镇/街道/乡 omitted), within a county if given."""
    if value is None:
        return None
    text = fold_text(str(value))
    if not text:
        return None
    candidates = [t for t in towns() if county is None or county in (t["county"], t["managing_unit"])]
    for t in candidates:
        if t["town"] == text:
            return t["town"]
    for t in candidates:
        stem = t["town"].removesuffix("街道").removesuffix("镇").removesuffix("乡")
        if text in (stem, stem + "街办", stem + "办事处", stem + "街道办事处"):
            return t["town"]
    return None


# ---- standard value lists (DOMAIN.md) -------------------------------------------------------------

LEVELS = ["国家级", "省级", "市级", "县级"]              # highest first
LEVEL_KEYS = {"国家级": "national", "省级": "provincial", "市级": "municipal", "县级": "county"}
LEVEL_ALIASES = {
    "国家级": ["国家级", "全国", "国家", "部级", "全国级", "中央"],
    "省级": ["省级", "省", "省部级"],
    "市级": ["市级", "市", "地市级"],
    "县级": ["县级", "县", "区级", "县区级", "县市区级", "县(市、区)级"],
}
STATUSES = ["健在", "受伤", "致残", "牺牲"]
DEED_TYPES = ["救落水", "火灾救援", "制止违法犯罪", "抓捕追赶嫌疑人", "交通事故救援", "抢险救灾", "其他救人"]
RECOGNITION_FORMS = ["集中表扬", "专项表扬", "联合表扬", "送奖上门", "表奖到岗"]
TITLES = ["见义勇为英雄", "见义勇为模范", "见义勇为先进个人", "见义勇为积极分子", "全国见义勇为勇士榜", "聊城义士"]
ACTIVITY_TYPES = ["宣传活动", "发现上报", "慰问帮扶", "培训", "其他"]
ACTIVITY_UNITS = {"宣传活动": "场次", "发现上报": "人次", "慰问帮扶": "人次", "培训": "场次", "其他": "次"}
VENUES = ["广场", "社区", "校园", "企业", "商圈"]          # 五进
ASSISTANCE_TYPES = ["医疗救治", "抚恤慰问", "权益保护", "困难救助", "住房", "就业", "社保", "子女入学", "其他"]
FIVE_HAS = {  # 五有
    "has_sign": "有标识标牌", "has_staff": "有专兼人员", "has_duties": "有职责任务",
    "has_archive": "有工作档案", "has_volunteers": "有志愿队伍",
}
POLITICAL_STATUSES = [
    "中共党员", "中共预备党员", "共青团员", "民革党员", "民盟盟员", "民建会员", "民进会员", "农工党党员",
    "致公党党员", "九三学社社员", "台盟盟员", "无党派人士", "群众",
]
PARTY_MEMBERS = ("中共党员", "中共预备党员")
OCCUPATIONS = [
    "国家公务员", "专业技术人员", "职员", "企业管理人员", "工人", "农民", "学生", "现役军人", "自由职业者",
    "个体经营者", "无业人员", "退(离)休人员", "其他",
]
EDUCATION = ["研究生", "大学本科", "大学专科", "中等专科", "高中", "初中", "小学", "其他"]
FIVE_STEPS = [  # (column, Chinese)
    ("discovered_on", "及时发现"), ("investigated_on", "及时调查"), ("confirmed_on", "及时确认"),
    ("commended_on", "及时表扬"), ("first_assisted_on", "及时帮扶"),
]
FOUNDATION_DATE = dt.date(2012, 6, 29)


def ensure_reference_data(con) -> None:
    """Fill counties and towns if empty (called after migrations); idempotent."""
    import pandas as pd

    if con.execute("SELECT count(*) FROM counties").fetchall()[0][0] == 0:
        df = pd.DataFrame([{"name": c.name, "code": c.code, "kind": c.kind, "short_name": c.short_name,
                            "aliases": list(c.aliases), "sort_order": c.sort_order} for c in counties()])
        con.register("_ref_counties", df)
        con.execute("INSERT INTO counties SELECT name, code, kind, short_name, aliases, sort_order FROM _ref_counties")
        con.unregister("_ref_counties")
    if con.execute("SELECT count(*) FROM towns").fetchall()[0][0] == 0:
        df = pd.DataFrame(list(towns()))
        df["since"] = pd.to_datetime(df["since"])
        con.register("_ref_towns", df)
        con.execute("INSERT INTO towns SELECT county, town, town_kind, managed_directly, managing_unit, "
                    "managing_unit_confirmed, since FROM _ref_towns")
        con.unregister("_ref_towns")
