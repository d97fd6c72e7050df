"""The deeds behind recognized heroes, for 典型事迹 (analytics/press/cases.py): one row per hero with the deed of
the highest recognition. Never a figure (those are analytics/metrics/), and never a personal identifier: the
query selects no ID number, phone, birth date or address. The deed summary comes back as stored; the press
module masks it before anything is shown or exported."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from analytics import reference
from analytics.metrics.scope import county_clause, level_order_sql

HIGH_LEVELS = tuple(reference.LEVELS[:3])          # 市级 and up: 国家级, 省级, 市级
COLUMNS = ["hero_id", "name", "county", "level", "title", "recognized_on", "summary", "high"]


def recognized_heroes(con, as_of: dt.date, county: str | None = None, limit: int | None = 300,
                      hero_ids: tuple[int, ...] | None = None) -> pd.DataFrame:
    """Heroes in scope registered and recognized on or before `as_of`, one row each (COLUMNS): the highest level
    reached and that level's newest recognition's title and deed summary (as stored); recognized_on is the latest
    municipal-or-higher recognition's date, else the latest recognition's; high = municipal or higher. Ordered
    municipal-or-higher first, newest first, then by hero_id; the first `limit` rows (None: all), or only the
    heroes in `hero_ids`."""
    hc, hp = county_clause("h.county", county)
    params: list = [as_of, as_of, *hp]
    if hero_ids is not None:
        hc += f" AND h.hero_id IN ({', '.join('?' * len(hero_ids))})" if hero_ids else " AND FALSE"
        params.extend(int(h) for h in hero_ids)
    high = ", ".join(f"'{lv}'" for lv in HIGH_LEVELS)
    # One row per hero in SQL (tens of thousands of recognitions at --scale 100): the highest level's newest
    # recognition, and the date of the latest municipal-or-higher recognition (else the latest one).
    return con.execute(
        f"""WITH rec AS (
                SELECT h.hero_id, h.name, h.county, r.level, r.title, r.recognized_on, d.summary,
                       coalesce({level_order_sql("r.level")}, 9) AS lv_rank
                FROM recognitions r
                JOIN heroes h USING (hero_id)
                LEFT JOIN deeds d ON d.deed_id = r.deed_id
                WHERE r.recognized_on <= ? AND h.registered_on <= ? {hc}),
            best AS (
                SELECT * FROM rec
                QUALIFY row_number() OVER (PARTITION BY hero_id
                                           ORDER BY lv_rank, recognized_on DESC NULLS LAST) = 1),
            latest AS (
                SELECT hero_id, coalesce(max(recognized_on) FILTER (WHERE level IN ({high})),
                                         max(recognized_on)) AS latest_on
                FROM rec GROUP BY hero_id)
            SELECT b.hero_id, b.name, b.county, b.level, b.title, l.latest_on AS recognized_on, b.summary,
                   b.level IN ({high}) AS high
            FROM best b JOIN latest l USING (hero_id)
            ORDER BY high DESC, l.latest_on DESC NULLS LAST, b.hero_id
            {"LIMIT " + str(int(limit)) if limit is not None else ""}""",
        params).df()
