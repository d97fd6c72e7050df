"""One person's identity, decided in one place for import, edits and assistance matching.

A person is the same person when the 身份证号 agrees; when either side has no ID number, when
姓名 + 出生日期 + 县市区 agree. (Assistance rows may name a person by 姓名 + 县市区 alone; see `match_key_loose`.)
"""
from __future__ import annotations

import datetime as dt

from analytics.reference import fold_text


def identity_key(id_number: str | None, name: str, birth_date: dt.date | None, county: str) -> str:
    """The stored key: 'ID:<id>' when the ID number is known, else 'NBC:<name>|<birth>|<county>'."""
    if id_number:
        return f"ID:{id_number}"
    return name_birth_county_key(name, birth_date, county)


def name_birth_county_key(name: str, birth_date: dt.date | None, county: str) -> str:
    birth = birth_date.isoformat() if birth_date else "?"
    return f"NBC:{fold_text(name)}|{birth}|{county}"


def match_key_loose(name: str, county: str) -> str:
    return f"NC:{fold_text(name)}|{county}"


def find_hero(con, id_number: str | None, name: str, birth_date: dt.date | None, county: str | None) -> int | None:
    """hero_id of the registered person this describes, or None. ID number first, then 姓名+出生日期+县市区."""
    if id_number:
        row = con.execute("SELECT hero_id FROM heroes WHERE id_number = ? ORDER BY hero_id LIMIT 1",
                          [id_number]).fetchone()
        if row:
            return row[0]
    if name and county:
        params = [fold_text(name), county]
        sql = "SELECT hero_id, id_number FROM heroes WHERE name = ? AND county = ?"
        if birth_date is not None:
            sql += " AND birth_date = ?"
            params.append(birth_date)
        else:
            sql += " AND birth_date IS NULL"
        rows = con.execute(sql + " ORDER BY hero_id", params).fetchall()
        # A candidate with a different ID number is a different person.
        rows = [r for r in rows if not (id_number and r[1] and r[1] != id_number)]
        if rows:
            return rows[0][0]
    return None


def deed_key(deed_date: dt.date | None, deed_type: str | None, place_or_summary: str | None) -> str:
    """Natural key of a deed, so that the same deed imported again (for another of its heroes) is found."""
    text = fold_text(place_or_summary or "")[:24]
    return f"{deed_date.isoformat() if deed_date else '?'}|{deed_type or ''}|{text}"


def activity_key(activity_date: dt.date, county: str, unit_name: str | None, type_: str, venue: str | None,
                 count: int, participants: int | None, note: str | None, occurrence: int = 1) -> str:
    """Natural key of an activity record; `occurrence` tells identical rows of one file apart (1, 2, …)."""
    parts = [activity_date.isoformat(), county, fold_text(unit_name or ""), type_, venue or "", str(count),
             "" if participants is None else str(participants), fold_text(note or "")[:40], str(occurrence)]
    return "|".join(parts)


def match_heroes(con, people) -> "list[int | None]":
    """Bulk `find_hero`: for each row of `people` (columns id_number, name, birth_date, county), the hero_id of
    the registered person it describes, or None. Same rule: ID number first; else 姓名+出生日期+县市区, where a
    candidate carrying a different ID number is a different person. One query, not one per row."""
    known = con.execute("SELECT hero_id, id_number, name, birth_date, county FROM heroes ORDER BY hero_id").fetchall()
    by_id: dict[str, int] = {}
    by_nbc: dict[str, list[tuple[int, str | None]]] = {}
    for hero_id, idn, name, birth, county in known:
        if idn:
            by_id.setdefault(idn, hero_id)
        by_nbc.setdefault(name_birth_county_key(name or "", birth, county or ""), []).append((hero_id, idn))
    out: list[int | None] = []
    for idn, name, birth, county in zip(people["id_number"], people["name"], people["birth_date"], people["county"]):
        idn = idn if isinstance(idn, str) and idn else None
        if idn and idn in by_id:
            out.append(by_id[idn])
            continue
        hit = None
        if name and county:
            birth = birth if isinstance(birth, dt.date) else None
            for hero_id, cand_id in by_nbc.get(name_birth_county_key(name, birth, county), []):
                if idn and cand_id and cand_id != idn:
                    continue
                hit = hero_id
                break
        out.append(hit)
    return out


def match_heroes_loose(con) -> tuple[dict[str, int], dict[str, list[tuple[int, str | None]]]]:
    """Lookups for assistance rows: ID number → hero_id, and 姓名+县市区 (`match_key_loose`) → [(hero_id, id)]."""
    by_id: dict[str, int] = {}
    by_nc: dict[str, list[tuple[int, str | None]]] = {}
    for hero_id, idn, name, county in con.execute(
            "SELECT hero_id, id_number, name, county FROM heroes ORDER BY hero_id").fetchall():
        if idn:
            by_id.setdefault(idn, hero_id)
        by_nc.setdefault(match_key_loose(name or "", county or ""), []).append((hero_id, idn))
    return by_id, by_nc


def name_birth_county_keys(names, births, counties) -> list[str]:
    """`name_birth_county_key` for whole columns (same strings; the name folding is done once per distinct name)."""
    fold_cache: dict[str, str] = {}
    out = []
    for name, birth, county in zip(names, births, counties):
        name = name or ""
        f = fold_cache.get(name)
        if f is None:
            f = fold_cache[name] = fold_text(name)
        b = birth.isoformat() if isinstance(birth, dt.date) else "?"
        out.append(f"NBC:{f}|{b}|{county or ''}")
    return out
