"""The deterministic demo database (synthetic people; never real ones).

As of 2024-07-31 (the 2024 press conference) it reproduces DOMAIN.md's published figures exactly:
704 registered heroes; 3 / 49 / 307 people recognized at national / provincial / municipal level; 20 studios;
a workstation in each of the 14 directly-run 镇街 of 东昌府区, which from 2024-01-01 held 32 publicity events,
reported 20 deeds (人次) and made 15 assistance visits (人次); a glory plaque for every registered hero.
25 studios by 2025-04-30. Data runs from 2012-06-29 to 2026-10-31.

`scale` multiplies heroes and activities (the published figures then multiply too).
"""
from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from analytics import accounts, changes, identity, reference, store
from analytics.idnumber import make_id_number

START = reference.FOUNDATION_DATE
CUTOFF = dt.date(2024, 7, 31)
END = dt.date(2026, 10, 31)

PUBLISHED = {  # DOMAIN.md, per unit of scale
    "registered": 704, "national": 3, "provincial": 49, "municipal": 307, "studios": 20,
    "dcf_stations": 14, "dcf_publicity": 32, "dcf_reports": 20, "dcf_visits": 15, "studios_2025_04_30": 25,
}
HEROES_AFTER_CUTOFF = 160          # per unit of scale, registered 2024-08-01 … 2026-10-31

# Population weights (万人, rounded) for the county-level units.
COUNTY_WEIGHTS = {
    "东昌府区": 95, "茌平区": 52, "阳谷县": 74, "莘县": 92, "东阿县": 36, "冠县": 74, "高唐县": 44, "临清市": 72,
    "聊城经济技术开发区": 18, "聊城高新技术产业开发区": 14, "江北水城旅游度假区": 12,
}
SURNAMES = list("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏"
                "薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟段雷钱汤尹常武乔贺")
MALE_CHARS = list("伟刚勇毅俊峰强军平保东文辉力明永健世广志义兴良海山仁波宁贵福生龙元全国胜学祥才发武新利清飞彬"
                  "富顺信子杰涛昌成康星光天达安岩中茂进林有坚和彪博诚先敬震振壮会思群豪心邦承乐绍功松善厚庆磊民")
FEMALE_CHARS = list("秀娟英华慧巧美娜静淑惠珠翠雅芝玉萍红娥玲芬芳燕彩春菊兰凤洁梅琳素云莲真环雪荣爱妹霞香月莺媛"
                    "艳瑞凡佳嘉琼勤珍贞莉桂娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓纨仪荷丹蓉")
DEED_TYPE_WEIGHTS = {"救落水": 70, "火灾救援": 7, "制止违法犯罪": 7, "抓捕追赶嫌疑人": 5, "交通事故救援": 5,
                     "抢险救灾": 3, "其他救人": 3}
DEED_SPOTS = {
    "救落水": ["徒骇河", "马颊河", "东昌湖", "运河", "湖边", "河边", "水库", "鱼塘", "坑塘", "废弃机井"],
    "火灾救援": ["居民楼", "沿街商铺", "村内民房", "厂房", "仓库"],
    "制止违法犯罪": ["集市", "商场", "公交站", "路口", "小区"],
    "抓捕追赶嫌疑人": ["村内", "街道", "小区", "市场"],
    "交通事故救援": ["国道", "省道", "路口", "高速出口"],
    "抢险救灾": ["村内", "河堤", "路段"],
    "其他救人": ["小区", "居民楼", "村内", "广场"],
}
DEED_ACTIONS = {
    "救落水": "跳入水中救起落水群众", "火灾救援": "冲入火场救出被困群众", "制止违法犯罪": "挺身而出制止违法犯罪行为",
    "抓捕追赶嫌疑人": "奋力追赶并协助抓获犯罪嫌疑人", "交通事故救援": "救助交通事故受伤人员",
    "抢险救灾": "参与抢险救出受困群众", "其他救人": "奋不顾身救助遇险群众",
}
OUTSIDE_PLACES = ["烟台市牟平区", "安徽省淮北市", "河南省周口市", "吉林省白城市", "菏泽市巨野县", "济南市历城区",
                  "青岛市黄岛区", "天津市滨海新区", "江苏省徐州市", "河北省邯郸市", "北京市朝阳区", "浙江省宁波市"]
POLITICAL_WEIGHTS = {"中共党员": 30, "中共预备党员": 2, "共青团员": 10, "群众": 55, "民盟盟员": 1, "九三学社社员": 1,
                     "无党派人士": 1}
OCCUPATION_WEIGHTS = {"农民": 26, "工人": 16, "个体经营者": 10, "职员": 9, "学生": 9, "专业技术人员": 6,
                      "国家公务员": 5, "企业管理人员": 4, "自由职业者": 5, "退(离)休人员": 5, "无业人员": 2,
                      "现役军人": 1, "其他": 2}
EDUCATION_WEIGHTS = {"初中": 32, "高中": 22, "中等专科": 8, "大学专科": 14, "大学本科": 14, "研究生": 2, "小学": 8}
STATUS_WEIGHTS = {"健在": 88.5, "受伤": 8, "致残": 1.5, "牺牲": 2}
FORM_WEIGHTS = {"集中表扬": 45, "专项表扬": 20, "联合表扬": 8, "送奖上门": 17, "表奖到岗": 10}
TITLE_BY_LEVEL = {
    "国家级": ["全国见义勇为勇士榜", "全国见义勇为英雄", "全国见义勇为模范"],
    "省级": ["山东省见义勇为模范", "山东省见义勇为先进个人"],
    "市级": ["聊城市见义勇为先进个人", "聊城市见义勇为模范"],
    "县级": ["见义勇为积极分子", "见义勇为先进个人"],
}
AWARD_RANGE = {"国家级": (30000, 100000), "省级": (10000, 30000), "市级": (2000, 10000), "县级": (500, 3000)}
ACTIVITY_RATES = {"宣传活动": 1.6, "发现上报": 0.4, "慰问帮扶": 0.5, "培训": 0.2, "其他": 0.1}  # per station-month


class DemoError(Exception):
    pass


@dataclass
class _Build:
    rng: random.Random
    np_rng: np.random.Generator
    scale: int
    heroes: list[dict] = field(default_factory=list)
    deeds: list[dict] = field(default_factory=list)
    deed_heroes: list[tuple[int, int]] = field(default_factory=list)
    recognitions: list[dict] = field(default_factory=list)
    assistance: list[dict] = field(default_factory=list)
    stations: list[dict] = field(default_factory=list)
    studios: list[dict] = field(default_factory=list)
    used_ids: set = field(default_factory=set)


def _pick(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _day(rng: random.Random, lo: dt.date, hi: dt.date) -> dt.date:
    return lo + dt.timedelta(days=rng.randint(0, max(0, (hi - lo).days)))


def _name(rng: random.Random, gender: str) -> str:
    chars = MALE_CHARS if gender == "男" else FEMALE_CHARS
    given = rng.choice(chars) + (rng.choice(chars) if rng.random() < 0.75 else "")
    return rng.choice(SURNAMES) + given


def _phone(rng: random.Random) -> str:
    return rng.choice(["135", "137", "138", "139", "150", "151", "152", "158", "176", "178", "186", "187"]) + \
        f"{rng.randint(0, 99999999):08d}"


def _reg_dates(b: _Build, n: int, lo: dt.date, hi: dt.date, ramp: float) -> list[dt.date]:
    """n dates in [lo, hi], density rising linearly by `ramp` over the span; sorted."""
    span = (hi - lo).days
    out = []
    for _ in range(n):
        u = b.rng.random()
        # inverse CDF of density proportional to 1 + ramp * x on [0, 1]
        x = u if ramp == 0 else (-1 + (1 + ramp * (2 + ramp) * u) ** 0.5) / ramp
        out.append(lo + dt.timedelta(days=int(round(x * span))))
    return sorted(out)


def _delays(b: _Build, year: int) -> list[int]:
    """Days deed→discovered, →investigated, →confirmed, →commended, →first assisted; faster after 2023."""
    f = 0.55 if year >= 2024 else (0.8 if year >= 2021 else 1.0)
    r = b.rng
    return [int(r.expovariate(1 / (3 * f))), int(5 + r.expovariate(1 / (14 * f))),
            int(7 + r.expovariate(1 / (30 * f))), int(3 + r.expovariate(1 / (20 * f))),
            int(r.expovariate(1 / (35 * f)))]


def _make_heroes_and_deeds(b: _Build) -> None:
    n_before = PUBLISHED["registered"] * b.scale
    n_after = HEROES_AFTER_CUTOFF * b.scale
    dates = _reg_dates(b, n_before, START, CUTOFF, ramp=2.0) + \
        _reg_dates(b, n_after, CUTOFF + dt.timedelta(days=1), END, ramp=0.0)
    counties = list(COUNTY_WEIGHTS)
    cweights = list(COUNTY_WEIGHTS.values())
    towns = {c: reference.towns_of(c) for c in counties}
    i = 0
    while i < len(dates):
        reg = dates[i]
        size = b.rng.choices([1, 2, 3], weights=[92, 6, 2])[0]
        # group members share the registration date; never cross the cut-off
        group = [i]
        while len(group) < size and i + len(group) < len(dates) and \
                (dates[i + len(group)] <= CUTOFF) == (reg <= CUTOFF):
            group.append(i + len(group))
        _make_deed(b, reg, len(group), counties, cweights, towns)
        i += len(group)


def _make_deed(b: _Build, reg: dt.date, n_heroes: int, counties, cweights, towns) -> None:
    r = b.rng
    d_disc, d_inv, d_conf, d_comm, d_assist = _delays(b, reg.year)
    deed_date = reg - dt.timedelta(days=d_disc + d_inv + d_conf)
    discovered = deed_date + dt.timedelta(days=d_disc)
    investigated = discovered + dt.timedelta(days=d_inv)
    commended = reg + dt.timedelta(days=d_comm)
    first_assisted = commended + dt.timedelta(days=d_assist) if r.random() < 0.65 else None
    deed_type = _pick(r, DEED_TYPE_WEIGHTS)
    home = r.choices(counties, weights=cweights)[0]
    outside = deed_date.year >= 2019 and r.random() < 0.035
    if outside:
        place = r.choice(OUTSIDE_PLACES) + r.choice(DEED_SPOTS[deed_type])
        deed_county = None
    else:
        deed_county = home
        town = r.choice([t for t in towns[home] if not (t == "九州街道" and deed_date.year < 2025)])
        place = f"{reference.county_by_name(home).short_name}{town}{r.choice(DEED_SPOTS[deed_type])}"
    deed_id = len(b.deeds) + 1
    summary = f"{deed_date.year}年{deed_date.month}月{deed_date.day}日，在{place}{DEED_ACTIONS[deed_type]}。"
    b.deeds.append({
        "deed_id": deed_id, "deed_key": identity.deed_key(deed_date, deed_type, place),
        "deed_date": deed_date, "deed_date_precision": "day", "place": place, "county": deed_county,
        "outside_city": outside, "deed_type": deed_type, "summary": summary, "discovered_on": discovered,
        "investigated_on": investigated, "confirmed_on": reg,
        "commended_on": commended if commended <= END else None,
        "first_assisted_on": first_assisted if first_assisted and first_assisted <= END else None,
    })
    for k in range(n_heroes):
        county = home if (k == 0 or r.random() < 0.7) else r.choices(counties, weights=cweights)[0]
        hero_id = _make_hero(b, county, towns, reg, deed_date, deed_type)
        b.deed_heroes.append((deed_id, hero_id))


def _make_hero(b: _Build, county: str, towns, reg: dt.date, deed_date: dt.date, deed_type: str) -> int:
    r = b.rng
    gender = "男" if r.random() < 0.86 else "女"
    occupation = _pick(r, OCCUPATION_WEIGHTS)
    age = r.randint(15, 22) if occupation == "学生" else (r.randint(58, 75) if occupation == "退(离)休人员"
                                                          else r.randint(20, 62))
    birth = _day(r, dt.date(deed_date.year - age - 1, deed_date.month, 1), dt.date(deed_date.year - age, 12, 28))
    code = reference.county_by_name(county).code or "371502"
    while True:
        seq = r.randrange(1 if gender == "男" else 0, 1000, 2)
        id_number = make_id_number(code, birth, seq)
        if id_number not in b.used_ids:
            b.used_ids.add(id_number)
            break
    status = _pick(r, STATUS_WEIGHTS)
    town = r.choice([t for t in towns[county] if not (t == "九州街道" and reg.year < 2025)])
    hero_id = len(b.heroes) + 1
    name = _name(r, gender)
    b.heroes.append({
        "hero_id": hero_id, "identity_key": identity.identity_key(id_number, name, birth, county),
        "name": name, "gender": gender, "ethnicity": "汉族" if r.random() < 0.985 else r.choice(["回族", "满族"]),
        "birth_date": birth, "id_number": id_number, "political_status": _pick(r, POLITICAL_WEIGHTS),
        "education": _pick(r, EDUCATION_WEIGHTS), "occupation": occupation,
        "employer": None if occupation in ("农民", "学生", "无业人员", "退(离)休人员", "自由职业者") else
        f"{reference.county_by_name(county).short_name}某{r.choice(['公司', '厂', '医院', '学校', '服务中心'])}",
        "county": county, "town": town, "address": f"{county}{town}{r.choice(SURNAMES)}{r.choice(['庄', '村', '屯', '社区'])}",
        "phone": _phone(r), "status": status, "registered_on": reg, "plaque_on": None,
        "note": None, "_deed_type": deed_type,
    })
    return hero_id


def _recognize(b: _Build) -> None:
    r = b.rng
    s = b.scale
    deed_of = {h: d for d, h in b.deed_heroes}
    deeds = {d["deed_id"]: d for d in b.deeds}
    before = [h for h in b.heroes if h["registered_on"] <= CUTOFF]
    elig_m = [h["hero_id"] for h in before if h["registered_on"] <= dt.date(2024, 5, 31)]
    m_set = set(r.sample(elig_m, PUBLISHED["municipal"] * s))
    m_sorted = sorted(m_set)
    early_m = [h for h in m_sorted if b.heroes[h - 1]["registered_on"] <= dt.date(2023, 12, 31)]
    p_in = set(r.sample(early_m, (PUBLISHED["provincial"] - 3) * s))
    elig_p_out = [h for h in elig_m if h not in m_set and b.heroes[h - 1]["registered_on"] <= dt.date(2023, 12, 31)]
    p_out = set(r.sample(elig_p_out, 3 * s))
    p_set = p_in | p_out
    n_set = set(r.sample(sorted(h for h in p_in if b.heroes[h - 1]["registered_on"] <= dt.date(2023, 6, 30)),
                         PUBLISHED["national"] * s))

    def clip(d: dt.date, reg: dt.date) -> dt.date:
        if d > CUTOFF:
            d = CUTOFF - dt.timedelta(days=r.randint(0, 25))
        return max(d, reg + dt.timedelta(days=1))

    for h in b.heroes:
        hid, reg = h["hero_id"], h["registered_on"]
        deed = deeds[deed_of[hid]]
        outside = deed["outside_city"]
        levels: dict[str, dt.date] = {}
        if reg <= CUTOFF:
            if hid not in m_set or r.random() < 0.5:
                levels["县级"] = deed["commended_on"] or END + dt.timedelta(days=1)
            if hid in m_set:
                levels["市级"] = clip(reg + dt.timedelta(days=r.randint(20, 300)), reg)
            if hid in p_set:
                base = levels.get("市级", reg)
                levels["省级"] = clip(base + dt.timedelta(days=r.randint(60, 500)), reg)
            if hid in n_set:
                levels["国家级"] = clip(levels["省级"] + dt.timedelta(days=r.randint(100, 700)), reg)
            # a few earlier heroes are recognized higher after the cut-off (changes year on year)
            if hid not in m_set and r.random() < 0.03:
                levels["市级"] = CUTOFF + dt.timedelta(days=r.randint(1, 800))
        else:
            levels["县级"] = deed["commended_on"] or END + dt.timedelta(days=1)
            u = r.random()
            top = "国家级" if u < 0.004 else "省级" if u < 0.05 else "市级" if u < 0.42 else None
            if top:
                d = reg + dt.timedelta(days=r.randint(20, 300))
                for lvl in ("市级", "省级", "国家级"):
                    levels[lvl] = d
                    if lvl == top:
                        break
                    d += dt.timedelta(days=r.randint(60, 300))
        for level, on in levels.items():
            if on > END:
                continue
            if outside and level == "市级" and on >= dt.date(2024, 6, 1):
                title, form = "聊城义士", "联合表扬"
            else:
                title = r.choice(TITLE_BY_LEVEL[level])
                if level == "县级":
                    title = reference.county_by_name(h["county"]).short_name + title
                form = _pick(r, FORM_WEIGHTS)
            lo, hi = AWARD_RANGE[level]
            b.recognitions.append({
                "recognition_id": len(b.recognitions) + 1, "hero_id": hid, "deed_id": deed["deed_id"],
                "level": level, "recognized_on": on, "date_precision": "day", "title": title, "form": form,
                "award_yuan": float(r.randrange(lo, hi + 1, 100)),
            })


def _plaques(b: _Build) -> None:
    r = b.rng
    campaign_lo, campaign_hi = dt.date(2023, 6, 1), dt.date(2024, 6, 30)
    for h in b.heroes:
        reg = h["registered_on"]
        if reg < campaign_lo:
            h["plaque_on"] = _day(r, campaign_lo, campaign_hi)
        else:
            d = reg + dt.timedelta(days=r.randint(3, 30))
            if reg <= CUTOFF:
                d = min(d, CUTOFF)
            h["plaque_on"] = d if d <= END else None


def _assist(b: _Build) -> None:
    r = b.rng
    deed_of = {h: d for d, h in b.deed_heroes}
    deeds = {d["deed_id"]: d for d in b.deeds}

    def add(hid, on, typ, amount, provider, note=None):
        if on > END:
            return
        b.assistance.append({"assistance_id": len(b.assistance) + 1, "hero_id": hid, "assisted_on": on,
                             "type": typ, "amount_yuan": amount, "provider": provider, "note": note})

    for h in b.heroes:
        hid = h["hero_id"]
        deed = deeds[deed_of[hid]]
        county_unit = f"{reference.county_by_name(h['county']).short_name}见义勇为协会"
        if deed["first_assisted_on"]:
            add(hid, deed["first_assisted_on"], "抚恤慰问", float(r.randrange(500, 3001, 100)), county_unit, "首次慰问")
        if h["status"] in ("受伤", "致残"):
            add(hid, deed["deed_date"] + dt.timedelta(days=r.randint(1, 20)), "医疗救治",
                float(r.randrange(3000, 50001, 100)), "聊城市见义勇为基金会")
        if h["status"] == "牺牲":
            for y in range(h["registered_on"].year, END.year + 1):
                add(hid, _day(r, dt.date(y, 1, 10), dt.date(y, 2, 5)), "抚恤慰问",
                    float(r.randrange(5000, 20001, 1000)), "聊城市见义勇为基金会", "春节慰问烈士家属")
        for y in range(max(h["registered_on"].year + 1, 2016), END.year + 1):
            if r.random() < 0.18:
                add(hid, _day(r, dt.date(y, 1, 5), dt.date(y, 2, 10)), "抚恤慰问",
                    float(r.randrange(500, 2001, 100)), county_unit, "春节走访慰问")
            if r.random() < 0.02:
                add(hid, _day(r, dt.date(y, 3, 1), dt.date(y, 11, 30)),
                    r.choice(["困难救助", "就业", "住房", "子女入学", "社保", "权益保护"]),
                    float(r.randrange(0, 10001, 500)), county_unit)


def _stations_and_studios(b: _Build) -> None:
    r = b.rng
    for t in reference.towns():
        unit, town = t["managing_unit"], t["town"]
        if t["since"]:
            est = _day(r, dt.date(2025, 3, 1), dt.date(2025, 6, 30))
        elif unit == "东昌府区":
            est = _day(r, dt.date(2023, 3, 1), dt.date(2024, 5, 31))
        elif unit in ("聊城经济技术开发区", "聊城高新技术产业开发区", "江北水城旅游度假区"):
            est = _day(r, dt.date(2023, 6, 1), dt.date(2024, 12, 31))
        else:
            est = _day(r, dt.date(2023, 1, 1), dt.date(2025, 6, 30))
        full = unit == "东昌府区" or r.random() < 0.75
        checks = {k: True if full else r.random() < 0.8 for k in reference.FIVE_HAS}
        b.stations.append({"station_id": len(b.stations) + 1, "name": f"{town}见义勇为工作站", "county": unit,
                           "town": town, "established_on": est,
                           "head": _name(r, "男" if r.random() < 0.8 else "女") + "（综治中心主任）", **checks})
    # Studios: named after party-member heroes in good health, registered before 2024.
    candidates = [h for h in b.heroes if h["political_status"] == "中共党员" and h["status"] == "健在"
                  and h["registered_on"] <= dt.date(2023, 12, 31)]
    chosen = r.sample(candidates, 28)
    dates = sorted(_day(r, dt.date(2024, 5, 6), dt.date(2024, 7, 26)) for _ in range(20)) + \
        sorted(_day(r, dt.date(2024, 9, 1), dt.date(2025, 4, 30)) for _ in range(5)) + \
        sorted(_day(r, dt.date(2025, 6, 1), dt.date(2026, 9, 30)) for _ in range(3))
    for h, est in zip(chosen, dates):
        b.studios.append({"studio_id": len(b.studios) + 1, "name": f"见义勇为{h['name']}工作室",
                          "county": h["county"], "town": h["town"], "hero_id": h["hero_id"],
                          "hero_name": h["name"], "established_on": est, "head": h["name"]})


def _activities(b: _Build) -> pd.DataFrame:
    """Monthly activity of every station and studio, vectorized (millions of rows at --scale 100)."""
    g = b.np_rng
    s = b.scale
    units = [("station", st["station_id"], st["county"], st["town"], st["name"], st["established_on"])
             for st in b.stations] + \
            [("studio", sd["studio_id"], sd["county"], sd["town"], sd["name"], sd["established_on"])
             for sd in b.studios]
    months = pd.period_range("2023-01", "2026-10", freq="M")
    types = list(ACTIVITY_RATES)
    rates = np.array([ACTIVITY_RATES[t] for t in types])
    frames = []
    window = (pd.Period("2024-01", "M"), pd.Period("2024-07", "M"))
    dcf_direct = {st["station_id"] for st in b.stations if st["county"] == "东昌府区" and st["town"] != "九州街道"}
    for kind, uid, county, town, name, est in units:
        est_p = pd.Period(est, "M")
        active = np.array([m >= est_p for m in months])
        lam = np.outer(active, rates * (0.7 if kind == "studio" else 1.0)) * s
        n = g.poisson(lam)  # months x types
        if county == "东昌府区":  # the published window is built exactly below
            in_win = np.array([window[0] <= m <= window[1] for m in months])
            n[in_win, :] = 0
        mi, ti = np.nonzero(n)
        reps = n[mi, ti]
        if reps.sum() == 0:
            continue
        mi, ti = np.repeat(mi, reps), np.repeat(ti, reps)
        frames.append(_activity_frame(g, kind, uid, county, town, name, est, months, types, mi, ti))
    frames.append(_dcf_window(b, dcf_direct))
    df = pd.concat(frames, ignore_index=True)
    df = df[df["activity_date"] <= pd.Timestamp(END)]
    df = df.sort_values(["activity_date", "unit_name", "type"], kind="stable").reset_index(drop=True)
    df["activity_id"] = np.arange(1, len(df) + 1)
    return df


def _activity_frame(g, kind, uid, county, town, name, est, months, types, mi, ti) -> pd.DataFrame:
    starts = np.array([m.start_time for m in months], dtype="datetime64[D]")[mi]
    ndays = np.array([m.days_in_month for m in months])[mi]
    dates = starts + (g.random(len(mi)) * ndays).astype("timedelta64[D]")
    est64 = np.datetime64(est, "D")
    dates = np.maximum(dates, est64)
    tnames = np.array(types)[ti]
    publicity = tnames == "宣传活动"
    counts = np.where(publicity | (tnames == "培训") | (tnames == "其他"), 1, g.integers(1, 4, len(ti)))
    venues = np.where(publicity, np.array(reference.VENUES)[g.integers(0, 5, len(ti))], None)
    participants = np.where(publicity | (tnames == "培训"), g.integers(20, 300, len(ti)), -1)
    return pd.DataFrame({
        "activity_date": pd.to_datetime(dates), "county": county, "town": town,
        "station_id": uid if kind == "station" else None, "studio_id": uid if kind == "studio" else None,
        "unit_name": name, "type": tnames, "venue": venues, "count": counts,
        "participants": pd.array(np.where(participants < 0, None, participants), dtype="Int64"),
        "note": None,
    })


def _dcf_window(b: _Build, station_ids: set) -> pd.DataFrame:
    """东昌府区's 14 directly-run stations, 2024-01-01 … 2024-07-31: exactly 32 场次 / 20 人次 / 15 人次."""
    r = b.rng
    stations = [st for st in b.stations if st["station_id"] in station_ids]
    rows = []
    lo, hi = dt.date(2024, 1, 1), CUTOFF

    def split(total: int) -> list[int]:
        parts = []
        while total > 0:
            k = min(total, r.randint(1, 3))
            parts.append(k)
            total -= k
        return parts

    for _ in range(b.scale):
        plan = [("宣传活动", 1) for _ in range(PUBLISHED["dcf_publicity"])] + \
               [("发现上报", k) for k in split(PUBLISHED["dcf_reports"])] + \
               [("慰问帮扶", k) for k in split(PUBLISHED["dcf_visits"])] + \
               [("培训", 1) for _ in range(6)]
        for typ, k in plan:
            st = r.choice(stations)
            on = _day(r, max(lo, st["established_on"]), hi)
            rows.append({
                "activity_date": pd.Timestamp(on), "county": st["county"], "town": st["town"],
                "station_id": st["station_id"], "studio_id": None, "unit_name": st["name"], "type": typ,
                "venue": r.choice(reference.VENUES) if typ == "宣传活动" else None, "count": k,
                "participants": r.randint(30, 260) if typ in ("宣传活动", "培训") else None, "note": None,
            })
    df = pd.DataFrame(rows)
    df["participants"] = df["participants"].astype("Int64")
    return df


def build(path: str | Path | None = None, scale: int = 1, force: bool = False, seed: int = 20240731) -> dict:
    """Create the demo database at `path`. Refuses to overwrite a database that has people unless `force`."""
    if scale < 1:
        raise DemoError("--scale 必须是正整数。")
    db = store.resolve_db_path(path)
    if store.is_server(db):         # server mode: build a file, then copy it over (analytics/transfer.py)
        return _build_on_server(db, scale, force, seed)
    if db.exists():
        if not force:
            con = store.connect(db)
            try:
                n = con.execute("SELECT count(*) FROM heroes").fetchone()[0]
            finally:
                con.close()
            if n:
                raise DemoError(f"数据库 {db} 中已有 {n} 名人员的数据；如确需重建演示数据库，请加 --force。")
        db.unlink()
    wal = db.with_name(db.name + ".wal")
    if wal.exists():
        wal.unlink()

    b = _Build(rng=random.Random(seed * 1000 + scale), np_rng=np.random.default_rng(seed + scale), scale=scale)
    _make_heroes_and_deeds(b)
    _recognize(b)
    _plaques(b)
    _assist(b)
    _stations_and_studios(b)
    activities = _activities(b)

    con = store.connect(db, create=True)
    try:
        with store.transaction(con) as cur:
            change = store.begin_change(cur, "demo", "system", f"生成演示数据（规模 {scale}）")
            heroes = pd.DataFrame(b.heroes).drop(columns=["_deed_type"])
            for col in ("birth_date", "registered_on", "plaque_on"):
                heroes[col] = pd.to_datetime(heroes[col])
            changes.insert_df(cur, change, "heroes", heroes)
            deeds = pd.DataFrame(b.deeds)
            for col in ("deed_date", "discovered_on", "investigated_on", "confirmed_on", "commended_on",
                        "first_assisted_on"):
                deeds[col] = pd.to_datetime(deeds[col])
            changes.insert_df(cur, change, "deeds", deeds)
            changes.insert_df(cur, change, "deed_heroes", pd.DataFrame(b.deed_heroes, columns=["deed_id", "hero_id"]))
            rec = pd.DataFrame(b.recognitions)
            rec["recognized_on"] = pd.to_datetime(rec["recognized_on"])
            changes.insert_df(cur, change, "recognitions", rec)
            ast = pd.DataFrame(b.assistance)
            ast["assisted_on"] = pd.to_datetime(ast["assisted_on"])
            changes.insert_df(cur, change, "assistance", ast)
            st = pd.DataFrame(b.stations)
            st["established_on"] = pd.to_datetime(st["established_on"])
            changes.insert_df(cur, change, "workstations", st)
            sd = pd.DataFrame(b.studios)
            sd["established_on"] = pd.to_datetime(sd["established_on"])
            changes.insert_df(cur, change, "studios", sd)
            changes.insert_df(cur, change, "activities", activities)
            for table, (key, seq) in changes.TABLES.items():
                if seq:
                    nxt = cur.execute(f"SELECT coalesce(max({key}), 0) + 1 FROM {table}").fetchone()[0]
                    cur.execute(f"CREATE OR REPLACE SEQUENCE {seq} START {nxt}")
            store.set_setting(cur, "demo", "1")
            store.set_setting(cur, "demo_scale", str(scale))
            accounts.add_demo_accounts(cur, change)   # admin / editor / viewer, see accounts.DEMO_ACCOUNTS
        con.execute("CHECKPOINT")
        counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("heroes", "deeds", "recognitions", "assistance", "workstations", "studios", "activities")}
    finally:
        con.close()
    return {"db": str(db), "scale": scale, **counts}


def _build_on_server(url: str, scale: int, force: bool, seed: int) -> dict:
    import tempfile

    from analytics import transfer
    with tempfile.TemporaryDirectory(prefix="yiyong-demo-") as work:
        info = build(Path(work) / "demo.duckdb", scale=scale, force=True, seed=seed)
        try:
            transfer.copy_database(Path(work) / "demo.duckdb", url, force=force)
        except transfer.TransferError as exc:
            raise DemoError(str(exc)) from None
    return {**info, "db": transfer.describe(url)}
