"""One typed, cached wrapper per analytics function a page draws from.

A figure on a page is traced in three files: the page calls `queries.key_figures(as_of, county)`, this module
hands the analytics function itself to `ui.db.run` (cached on the database, its data version and the plain
arguments, cleared after every write), and the function in analytics/ computes it. Arguments must be plain
hashable values (dates, strings, ints, tuples). The background head start (ui/prefetch.py) calls the same
wrappers with the same arguments, so a page finds its data already cached.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from analytics import directories, registry
from analytics.ingest import history
from analytics.metrics import activity, assistance, figures, levels, status, timeliness, trends
from analytics.press import briefing, cases, material
from ui import db

Years = tuple[int, int]


# ---- what the data covers (filters, footer) ------------------------------------------------------------------
def latest_data_date(path: str | None = None) -> dt.date | None:
    return db.run(status.latest_data_date, path=path)


def last_import() -> dict | None:
    return db.run(status.last_import)


def is_demo() -> bool:
    return db.run(status.is_demo)


# ---- 总览 ---------------------------------------------------------------------------------------------------
def key_figures(as_of: dt.date, county: str | None) -> dict:
    return db.run(figures.key_figures, as_of, county)


def overview_extras_with_change(as_of: dt.date, county: str | None) -> tuple[dict, dict]:
    return db.run(trends.overview_extras_with_change, as_of, county)


def levels_by_county(as_of: dt.date) -> pd.DataFrame:
    return db.run(levels.levels_by_county, as_of)


# ---- 表扬等级分析 -------------------------------------------------------------------------------------------
def levels_by_county_year(as_of: dt.date, county: str | None, rule: str, path: str | None = None) -> pd.DataFrame:
    return db.run(levels.levels_by_county_year, as_of, county, rule, path=path)


def levels_by_town_year(as_of: dt.date, county: str, rule: str) -> pd.DataFrame:
    return db.run(levels.levels_by_town_year, as_of, county, rule)


# ---- 趋势 -------------------------------------------------------------------------------------------------
def heroes_by_year(as_of: dt.date, county: str | None, years: Years, by: str) -> pd.DataFrame:
    return db.run(trends.heroes_by_year, as_of, county, years, by)


def trend_tables_fair(as_of: dt.date, county: str | None, years: Years, freq: str, path: str | None = None) -> dict:
    return db.run(trends.trend_tables_fair, as_of, county, years, freq, path=path)


# ---- 工作站与工作室 ----------------------------------------------------------------------------------------
def activity_breakdown(date_from: dt.date, date_to: dt.date, county: str | None, path: str | None = None) -> dict:
    return db.run(activity.activity_breakdown, date_from, date_to, county, path=path)


def five_has(as_of: dt.date, county: str | None, path: str | None = None) -> pd.DataFrame:
    return db.run(activity.five_has, as_of, county, path=path)


def studios_activity(as_of: dt.date, date_from: dt.date, date_to: dt.date, county: str | None,
                     path: str | None = None) -> pd.DataFrame:
    return db.run(activity.studios_activity, as_of, date_from, date_to, county, path=path)


def inactive_stations(as_of: dt.date, county: str | None, days: int) -> pd.DataFrame:
    return db.run(activity.inactive_stations, as_of, county, days)


# ---- 及时性 -----------------------------------------------------------------------------------------------
def step_stats(as_of: dt.date, county: str | None, years: Years, step: str | None, path: str | None = None) -> dict:
    return db.run(timeliness.step_stats, as_of, county, years, step, path=path)


def overdue_cases(as_of: dt.date, county: str | None, years: Years, step: str, threshold_days: int, limit: int,
                  path: str | None = None) -> pd.DataFrame:
    return db.run(timeliness.overdue_cases, as_of, county, years, step, threshold_days, limit, path=path)


# ---- 帮扶优抚 ---------------------------------------------------------------------------------------------
def assistance_breakdown(date_from: dt.date, date_to: dt.date, county: str | None,
                         path: str | None = None) -> pd.DataFrame:
    return db.run(assistance.assistance_breakdown, date_from, date_to, county, path=path)


def unvisited_by_unit(as_of: dt.date, county: str | None, path: str | None = None) -> pd.DataFrame:
    return db.run(assistance.unvisited_by_unit, as_of, county, path=path)


def unvisited_heroes(as_of: dt.date, county: str | None, limit: int) -> pd.DataFrame:
    return db.run(assistance.unvisited_heroes, as_of, county, limit)


# ---- 人员档案 / 市域外 / 名录 ----------------------------------------------------------------------------------
def search_heroes(role: str | None, sort: str, limit: int, **conditions) -> tuple[pd.DataFrame, int]:
    return db.run(registry.search_heroes, **conditions, sort=sort, limit=limit, role=role)


def towns_in_registry(county: str | None) -> list[str]:
    return db.run(registry.towns_in_registry, county)


def registration_years() -> list[int]:
    return db.run(registry.registration_years)


def hero_label(hero_id: int) -> str | None:
    return db.run(registry.hero_label, hero_id)


def person_file(hero_id: int, role: str | None) -> dict | None:
    return db.run(registry.person_file, hero_id, role)


def outside_city_heroes(as_of: dt.date, county: str | None, role: str | None) -> pd.DataFrame:
    return db.run(registry.outside_city_heroes, as_of, county, role)


def workstations(county: str | None, as_of: dt.date) -> pd.DataFrame:
    return db.run(directories.workstations, county, as_of)


def studios(county: str | None, as_of: dt.date) -> pd.DataFrame:
    return db.run(directories.studios, county, as_of)


def five_has_by_county(county: str | None, as_of: dt.date) -> pd.DataFrame:
    return db.run(directories.five_has_by_county, county, as_of)


# ---- 数据导入 / 新闻发布 -------------------------------------------------------------------------------------
def import_history() -> list[dict]:
    return db.run(history.imports)


def build_briefing(date_from: dt.date, date_to: dt.date, county: str | None) -> briefing.Briefing:
    return db.run(briefing.build_briefing, date_from, date_to, county)


def case_candidates(as_of: dt.date, county: str | None) -> pd.DataFrame:
    return db.run(cases.candidates, as_of, county)


def build_material(as_of: dt.date, county: str | None, case_ids: tuple[int, ...]) -> material.Material:
    return db.run(material.build_material, as_of, county, case_ids)
