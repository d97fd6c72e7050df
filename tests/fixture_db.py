"""A small hand-made database whose every figure was counted by hand (issue 18, "tests that bite").

`build(path)` writes it with the project's own `store.connect` (schema + reference data) and plain INSERTs
inside one recorded change set. The metrics tests (tests/metrics/) compare the metrics functions with the
literal figures below; nothing in a test is recomputed by the code under test.

Main cut-off date: 2024-07-31 ("C"). Several records sit exactly on C and on the day after (2024-08-01), on
1 January and 31 December, so that an off-by-one in a cut-off or a year start changes a figure.

People (heroes.county = household-registration unit):
| id | name | unit       | town      | registered  | status | political | occupation | plaque     |
|----|------|------------|-----------|-------------|--------|-----------|------------|------------|
| 1  | 张一 | 东昌府区   | 古楼街道  | 2023-03-10  | 健在   | 中共党员  | 农民       | 2023-05-01 |
| 2  | 李二 | 东昌府区   | 柳园街道  | 2024-01-01  | 受伤   | 群众      | 工人       | 2024-08-01 |
| 3  | 王三 | 临清市     | 青年路街道| 2022-06-15  | 牺牲   | 中共预备党员 | 学生    | 2022-07-01 |
| 4  | 赵四 | 冠县       | 清泉街道  | 2023-11-20  | 健在   | 群众      | 农民       | 2023-12-01 |
| 5  | 钱五 | 开发区     | 北城街道  | 2021-05-05  | 致残   | 共青团员  | 工人       | 2021-06-01 |
| 6  | 孙六 | 高新区     | 湖西街道  | 2024-07-31 =C | 健在 | 中共党员  | 农民       | (none)     |
| 7  | 周七 | 度假区     | 李海务街道| 2020-10-10  | 健在   | (none)    | (none)     | 2020-11-01 |
| 8  | 吴八 | 冠县       | 崇文街道  | 2024-09-15  | 健在   | 群众      | 学生       | 2024-10-01 |
(开发区 = 聊城经济技术开发区, 高新区 = 聊城高新技术产业开发区, 度假区 = 江北水城旅游度假区: the three 功能区.)

Recognitions:
| id | person | level | date                  |    | id  | person | level | date                 |
| 1  | 1      | 市级  | 2023-04-01            |    | 6   | 3      | 国家级 | 2022-09-01          |
| 2  | 1      | 市级  | 2024-03-01 (2nd 市级) |    | 7   | 4      | 市级  | 2023-12-01 (聊城义士) |
| 3  | 1      | 省级  | 2024-07-31 =C         |    | 8   | 5      | 县级  | 2021-06-01          |
| 4  | 2      | 县级  | 2024-08-01 =C+1       |    | 9   | 7      | 县级  | 2020-11-01          |
| 5  | 3      | 市级  | 2022-07-01            |    | 10  | 8      | 市级  | 2024-09-20          |

Deeds (unit: where it happened; outside the city → the first hero's unit). Days from the deed to each step;
"-" = no date, "(d)" = the step's date is after 2024-07-31, so not done at C:
| id | heroes | date       | unit (place)     | type         | 发现 | 调查 | 确认 | 表扬 | 帮扶 |
| 1  | 1      | 2023-02-01 | 东昌府区         | 救落水       | 1    | 10   | 37   | 59   | 394 (2024-03-01) |
| 2  | 2      | 2023-12-20 | 东昌府区         | 火灾救援     | 1    | 5    | 12 (2024-01-01) | 225(d) 2024-08-01 | 224 (=C) |
| 3  | 3      | 2022-05-20 | 临清市           | 救落水       | 0    | 10   | 26   | 42   | 590 (2023-12-31) |
| 4  | 4, 8   | 2023-10-01 | 冠县 (济南市, 市域外) | 救落水  | 2    | 19   | 50   | 61   | -    |
| 5  | 5      | 2021-04-01 | 开发区           | 交通事故救援 | 1    | 15   | 34   | 61   | -    |
| 6  | 6      | 2024-06-01 | 高新区           | 救落水       | 2    | 19   | 60 (=C) | - | -    |
| 7  | 7      | 2020-08-15 | 度假区           | 制止违法犯罪 | 0    | 17   | 56   | 78   | 1080 (2023-07-31) |
| 8  | 8      | 2024-07-20 | 冠县             | 救落水       | 2    | 21(d)| 57(d)| 62(d)| -    |
| 9  | 4      | 2024-02-10 | 冠县 (北京市, 市域外) | 其他救人 | 5    | -    | -    | -    | -    |
Deed 9 has no confirmation date: trends date it by its hero's registration (2023-11-20).

Assistance (人次 = records, 元 = amount):
| id | person | date        | type     | 元       |
| 1  | 3      | 2023-12-31  | 抚恤慰问 | 5000     |  (previous year)
| 2  | 3      | 2024-01-01  | 抚恤慰问 | 3000     |
| 3  | 2      | 2024-07-31  | 医疗救治 | 1200.50  |
| 4  | 5      | 2024-08-01  | 困难救助 | 2000     |
| 5  | 1      | 2024-03-01  | 医疗救治 | 800      |
| 6  | 7      | 2023-07-31  | 其他     | (none)   |  (one day before the 12 months up to C)

Workstations (五有: sign, staff, duties, archive, volunteers) and studios:
| id | unit   | town       | established | 五有 missing          |   | studio | unit    | hero | established |
| 1  | 东昌府区 | 古楼街道  | 2022-01-01  | none                |   | 1      | 东昌府区 | 1    | 2024-03-01  |
| 2  | 东昌府区 | 柳园街道  | 2024-07-31 =C | has_sign = false  |   | 2      | 临清市   | 3    | 2024-07-31 =C |
| 3  | 开发区 | 北城街道    | 2023-05-01  | has_volunteers NULL |   | 3      | 冠县     | 4    | 2024-08-01  |
| 4  | 临清市 | 青年路街道  | 2024-08-01  | none                |

Activities (count = 场次 or 人次):
| id | date       | unit   | by         | type     | venue | count |
| 1  | 2023-12-31 | 东昌府区 | station 1 | 宣传活动 | 社区  | 4 |
| 2  | 2024-01-01 | 东昌府区 | station 1 | 宣传活动 | 广场  | 2 |
| 3  | 2024-05-03 | 开发区 | station 3   | 发现上报 |       | 3 |  (exactly 89 days before C: inside 90 days)
| 4  | 2024-07-31 | 东昌府区 | station 2 | 慰问帮扶 |       | 5 |
| 5  | 2024-08-01 | 东昌府区 | station 1 | 宣传活动 | 校园  | 7 |
| 6  | 2024-05-10 | 东昌府区 | studio 1  | 宣传活动 | 企业  | 1 |
| 7  | 2024-12-31 | 开发区 | station 3   | 宣传活动 | 商圈  | 6 |
| 8  | 2024-02-02 | 临清市 | (none)      | 培训     |       | 1 |

Change sets: 1 fixture build (system); 2 an import of 名单.xlsx (in force); 3 an import of 撤销.xlsx (undone).

How the key figures were counted (key_figures):
| figure              | 2023-12-31          | 2024-07-31 (C)                  | 2024-08-01          | 2024-12-31        |
| registered          | 1,3,4,5,7 = 5       | + 2 (1 Jan), 6 (=C) = 7         | 7                   | + 8 = 8           |
| national            | 3 = 1               | 1                               | 1                   | 1                 |
| provincial          | 0                   | 1 (rec 3 on C)                  | 1                   | 1                 |
| municipal           | 1,3,4 = 3           | 3 (person 1 once, 2 records)    | 3                   | + 8 = 4           |
| county              | 5,7 = 2             | 2                               | + 2 (rec 4) = 3     | 3                 |
| recognitions        | 1,5,6,7,8,9 = 6     | + 2,3 = 8                       | + 4 = 9             | + 10 = 10         |
| studios             | 0                   | 1,2 = 2                         | 3                   | 3                 |
| workstations        | 1,3 = 2             | 1,2,3 = 3                       | 4                   | 4                 |
| publicity_events    | act 1 = 4           | act 2+6 = 2+1 = 3               | + act 5 = 10        | 2+7+1+6 = 16      |
| reports             | 0                   | act 3 = 3                       | 3                   | 3                 |
| assistance_visits   | 0                   | act 4 = 5                       | 5                   | 5                 |
| assistance times    | asst 1,6 = 2        | asst 2,3,5 = 3                  | + 4 = 4             | 4                 |
| assistance 元       | 5000 + 0 = 5000     | 3000+1200.5+800 = 5000.5        | 7000.5              | 7000.5            |
| sacrificed          | 3 = 1               | 1                               | 1                   | 1                 |
| outside_city        | 4 (deeds 4, 9) = 1  | 1                               | 1                   | 4, 8 = 2          |
| plaques             | 1,3,4,5,7 = 5       | 5 (2's plaque is C+1, 6 none)   | + 2 = 6             | + 8 = 7           |
For 东昌府区 at C: registered 1,2 = 2; provincial 1, municipal 1 (person 1); recognitions 1,2,3 = 3; studio 1; stations
1,2; publicity 2+1 = 3, reports 0, visits 5; assistance 3,5: 2 人次, 1200.5+800 = 2000.5 元; plaques 1.
For 开发区 at C: registered 5 = 1; county level 1; recognitions 1; station 3; reports 3; no assistance yet.

及时性 at C over all years (a step is done when its date is on or before C; median and p90 interpolate linearly
between the sorted values v[0..n-1] at positions 0.5(n-1) and 0.9(n-1)):
| step     | done days, sorted                  | n | median             | p90                         |
| 及时发现 | 0,0,1,1,1,2,2,2,5                  | 9 | v[4] = 1           | v[7]+0.2(v[8]-v[7]) = 2.6   |
| 及时调查 | 5,10,10,15,17,19,19                | 7 | v[3] = 15          | v[5]+0.4(v[6]-v[5]) = 19    |
| 及时确认 | 12,26,34,37,50,56,60               | 7 | v[3] = 37          | 56+0.4(60-56) = 57.6        |
| 及时表扬 | 42,59,61,61,78                     | 5 | v[2] = 61          | 61+0.6(78-61) = 71.2        |
| 及时帮扶 | 224,394,590,1080                   | 4 | (394+590)/2 = 492  | 590+0.7(1080-590) = 933     |
及时确认 by unit: 东昌府区 12,37 → 24.5 / 12+0.9·25 = 34.5; 临清市 26; 冠县 50; 开发区 34; 高新区 60; 度假区 56.
及时确认 by deed year: 2020 56; 2021 34; 2022 26; 2023 12,37,50 → 37 / 37+0.8·13 = 47.4; 2024 60.

表扬等级分析 at C (person, unit, level, year of the person's first recognition at that level):
按人数 (people): (1 东昌府区 市级 2023) (1 东昌府区 省级 2024) (3 临清市 市级 2022) (3 临清市 国家级 2022)
                 (4 冠县 市级 2023) (5 开发区 县级 2021) (7 度假区 县级 2020) → 国家级 1, 省级 1, 市级 3, 县级 2 = 7
按最高级别 (highest): 1 省级 2024, 3 国家级 2022, 4 市级 2023, 5 县级 2021, 7 县级 2020 → 1, 1, 1, 2 = 5
At 2024-12-31 add (2 东昌府区 县级 2024) and (8 冠县 市级 2024) under both rules.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from analytics import store

D = dt.date.fromisoformat
DKF = "东昌府区"
KFQ = "聊城经济技术开发区"
GXQ = "聊城高新技术产业开发区"
DJQ = "江北水城旅游度假区"

# hero_id, name, county, town, registered_on, status, political_status, occupation, plaque_on
HEROES = [
    (1, "张一", DKF, "古楼街道", "2023-03-10", "健在", "中共党员", "农民", "2023-05-01"),
    (2, "李二", DKF, "柳园街道", "2024-01-01", "受伤", "群众", "工人", "2024-08-01"),
    (3, "王三", "临清市", "青年路街道", "2022-06-15", "牺牲", "中共预备党员", "学生", "2022-07-01"),
    (4, "赵四", "冠县", "清泉街道", "2023-11-20", "健在", "群众", "农民", "2023-12-01"),
    (5, "钱五", KFQ, "北城街道", "2021-05-05", "致残", "共青团员", "工人", "2021-06-01"),
    (6, "孙六", GXQ, "湖西街道", "2024-07-31", "健在", "中共党员", "农民", None),
    (7, "周七", DJQ, "李海务街道", "2020-10-10", "健在", None, None, "2020-11-01"),
    (8, "吴八", "冠县", "崇文街道", "2024-09-15", "健在", "群众", "学生", "2024-10-01"),
]

# recognition_id, hero_id, deed_id, level, recognized_on, title
RECOGNITIONS = [
    (1, 1, 1, "市级", "2023-04-01", "见义勇为先进个人"),
    (2, 1, 1, "市级", "2024-03-01", "见义勇为模范"),
    (3, 1, 1, "省级", "2024-07-31", "见义勇为模范"),
    (4, 2, 2, "县级", "2024-08-01", "见义勇为积极分子"),
    (5, 3, 3, "市级", "2022-07-01", "见义勇为英雄"),
    (6, 3, 3, "国家级", "2022-09-01", "全国见义勇为勇士榜"),
    (7, 4, 4, "市级", "2023-12-01", "聊城义士"),
    (8, 5, 5, "县级", "2021-06-01", "见义勇为积极分子"),
    (9, 7, 7, "县级", "2020-11-01", "见义勇为积极分子"),
    (10, 8, 4, "市级", "2024-09-20", "聊城义士"),
]

# deed_id, heroes, deed_date, county (None = outside), outside_city, place, type,
# discovered_on, investigated_on, confirmed_on, commended_on, first_assisted_on
DEEDS = [
    (1, [1], "2023-02-01", DKF, False, "古楼街道", "救落水",
     "2023-02-02", "2023-02-11", "2023-03-10", "2023-04-01", "2024-03-01"),
    (2, [2], "2023-12-20", DKF, False, "柳园街道", "火灾救援",
     "2023-12-21", "2023-12-25", "2024-01-01", "2024-08-01", "2024-07-31"),
    (3, [3], "2022-05-20", "临清市", False, "青年路街道", "救落水",
     "2022-05-20", "2022-05-30", "2022-06-15", "2022-07-01", "2023-12-31"),
    (4, [4, 8], "2023-10-01", None, True, "济南市", "救落水",
     "2023-10-03", "2023-10-20", "2023-11-20", "2023-12-01", None),
    (5, [5], "2021-04-01", KFQ, False, "北城街道", "交通事故救援",
     "2021-04-02", "2021-04-16", "2021-05-05", "2021-06-01", None),
    (6, [6], "2024-06-01", GXQ, False, "湖西街道", "救落水",
     "2024-06-03", "2024-06-20", "2024-07-31", None, None),
    (7, [7], "2020-08-15", DJQ, False, "李海务街道", "制止违法犯罪",
     "2020-08-15", "2020-09-01", "2020-10-10", "2020-11-01", "2023-07-31"),
    (8, [8], "2024-07-20", "冠县", False, "崇文街道", "救落水",
     "2024-07-22", "2024-08-10", "2024-09-15", "2024-09-20", None),
    (9, [4], "2024-02-10", None, True, "北京市", "其他救人",
     "2024-02-15", None, None, None, None),
]

# assistance_id, hero_id, assisted_on, type, amount_yuan
ASSISTANCE = [
    (1, 3, "2023-12-31", "抚恤慰问", 5000),
    (2, 3, "2024-01-01", "抚恤慰问", 3000),
    (3, 2, "2024-07-31", "医疗救治", 1200.50),
    (4, 5, "2024-08-01", "困难救助", 2000),
    (5, 1, "2024-03-01", "医疗救治", 800),
    (6, 7, "2023-07-31", "其他", None),
]

# station_id, name, county, town, established_on, has_sign, has_staff, has_duties, has_archive, has_volunteers
STATIONS = [
    (1, "古楼街道见义勇为工作站", DKF, "古楼街道", "2022-01-01", True, True, True, True, True),
    (2, "柳园街道见义勇为工作站", DKF, "柳园街道", "2024-07-31", False, True, True, True, True),
    (3, "北城街道见义勇为工作站", KFQ, "北城街道", "2023-05-01", True, True, True, True, None),
    (4, "青年路街道见义勇为工作站", "临清市", "青年路街道", "2024-08-01", True, True, True, True, True),
]

# studio_id, name, county, town, hero_id, hero_name, established_on
STUDIOS = [
    (1, "见义勇为张一工作室", DKF, "古楼街道", 1, "张一", "2024-03-01"),
    (2, "见义勇为王三工作室", "临清市", "青年路街道", 3, "王三", "2024-07-31"),
    (3, "见义勇为赵四工作室", "冠县", "清泉街道", 4, "赵四", "2024-08-01"),
]

# activity_id, activity_date, county, town, station_id, studio_id, type, venue, count
ACTIVITIES = [
    (1, "2023-12-31", DKF, "古楼街道", 1, None, "宣传活动", "社区", 4),
    (2, "2024-01-01", DKF, "古楼街道", 1, None, "宣传活动", "广场", 2),
    (3, "2024-05-03", KFQ, "北城街道", 3, None, "发现上报", None, 3),
    (4, "2024-07-31", DKF, "柳园街道", 2, None, "慰问帮扶", None, 5),
    (5, "2024-08-01", DKF, "古楼街道", 1, None, "宣传活动", "校园", 7),
    (6, "2024-05-10", DKF, "古楼街道", None, 1, "宣传活动", "企业", 1),
    (7, "2024-12-31", KFQ, "北城街道", 3, None, "宣传活动", "商圈", 6),
    (8, "2024-02-02", "临清市", None, None, None, "培训", None, 1),
]


def _d(value):
    return D(value) if value else None


def build(path: str | Path) -> Path:
    """Write the fixture database to `path` (a new file) and return the path."""
    path = Path(path)
    con = store.connect(path, create=True)
    try:
        with store.transaction(con) as cur:
            change = store.begin_change(cur, "system", "test", "测试样例数据")
            for hid, name, county, town, reg, status, political, occupation, plaque in HEROES:
                cur.execute(
                    "INSERT INTO heroes (hero_id, identity_key, name, county, town, registered_on, status, "
                    "political_status, occupation, plaque_on, created_change) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                    [hid, f"fixture:{hid}", name, county, town, _d(reg), status, political, occupation, _d(plaque),
                     change])
            for rid, hid, did, level, on, title in RECOGNITIONS:
                cur.execute(
                    "INSERT INTO recognitions (recognition_id, hero_id, deed_id, level, recognized_on, "
                    "date_precision, title, form, created_change) VALUES (?,?,?,?,?,'day',?,'集中表扬',?)",
                    [rid, hid, did, level, _d(on), title, change])
            for did, heroes, on, county, outside, place, kind, *steps in DEEDS:
                cur.execute(
                    "INSERT INTO deeds (deed_id, deed_key, deed_date, deed_date_precision, place, county, "
                    "outside_city, deed_type, discovered_on, investigated_on, confirmed_on, commended_on, "
                    "first_assisted_on, created_change) VALUES (?,?,?,'day',?,?,?,?,?,?,?,?,?,?)",
                    [did, f"fixture:{did}", _d(on), place, county, outside, kind, *map(_d, steps), change])
                for hid in heroes:
                    cur.execute("INSERT INTO deed_heroes VALUES (?, ?, ?)", [did, hid, change])
            for aid, hid, on, kind, amount in ASSISTANCE:
                cur.execute(
                    "INSERT INTO assistance (assistance_id, hero_id, assisted_on, type, amount_yuan, "
                    "created_change) VALUES (?,?,?,?,?,?)", [aid, hid, _d(on), kind, amount, change])
            for sid, name, county, town, est, *five in STATIONS:
                cur.execute(
                    "INSERT INTO workstations (station_id, name, county, town, established_on, has_sign, "
                    "has_staff, has_duties, has_archive, has_volunteers, created_change) "
                    "VALUES (?,?,?,?,?,?,?,?,?,?,?)", [sid, name, county, town, _d(est), *five, change])
            for sid, name, county, town, hid, hero_name, est in STUDIOS:
                cur.execute(
                    "INSERT INTO studios (studio_id, name, county, town, hero_id, hero_name, established_on, "
                    "created_change) VALUES (?,?,?,?,?,?,?,?)",
                    [sid, name, county, town, hid, hero_name, _d(est), change])
            units = {s[0]: s[1] for s in STATIONS} | {-s[0]: s[1] for s in STUDIOS}
            for aid, on, county, town, station, studio, kind, venue, count in ACTIVITIES:
                unit_name = units[station] if station else units[-studio] if studio else None
                cur.execute(
                    "INSERT INTO activities (activity_id, activity_date, county, town, station_id, studio_id, "
                    "unit_name, type, venue, count, created_change) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                    [aid, _d(on), county, town, station, studio, unit_name, kind, venue, count, change])
            store.begin_change(cur, "import", "editor", "导入名单", file_names="名单.xlsx")
            undone = store.begin_change(cur, "import", "editor", "导入撤销", file_names="撤销.xlsx")
            cur.execute("UPDATE changes SET undone_at = ?, undone_by = 'editor' WHERE change_id = ?",
                        [dt.datetime(2024, 8, 2, 9, 0), undone])
    finally:
        con.close()
    return path
