"""One person's identity, decided in one place for import, edits and assistance matching.

A person is the same person when the 身份证号 agrees; when either side has no ID number, when
姓名 + 出生日期 + 县市区 agree. (Assistance rows may name a person by 姓名 + 县市区 alone; see `match_key_loose`.)
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from analytics.reference import fold_text, fold_texts


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
    candidate carrying a different ID number is a different person. Two queries, not one per row."""
    if not con.execute("SELECT EXISTS (SELECT 1 FROM heroes)").fetchall()[0][0]:
        return [None] * len(people)
    ids = [i if isinstance(i, str) and i else None for i in people["id_number"].to_numpy(dtype=object)]
    present = list({i for i in ids if i})
    by_id: dict[str, int] = {}
    if present:
        con.register("_match_ids", pd.DataFrame({"id_number": pd.Series(present, dtype=object)}))
        try:
            by_id = dict(con.execute("SELECT h.id_number, min(h.hero_id) FROM heroes h JOIN _match_ids m "
                                     "ON h.id_number = m.id_number GROUP BY h.id_number").fetchall())
        finally:
            con.unregister("_match_ids")
    out: list[int | None] = [by_id.get(i) if i else None for i in ids]
    rest = [k for k, (hit, name, county) in enumerate(zip(out, people["name"].to_numpy(dtype=object),
                                                          people["county"].to_numpy(dtype=object)))
            if hit is None and name and county]
    if not rest:
        return out
    known = con.execute("SELECT hero_id, id_number, name, birth_date, county FROM heroes ORDER BY hero_id").fetchall()
    if not known:
        return out
    by_nbc: dict[str, list[tuple[int, str | None]]] = {}
    _, k_ids, k_names, k_births, k_counties = zip(*known)
    for (hero_id, idn, *_), key in zip(known, name_birth_county_keys(k_names, k_births, k_counties)):
        by_nbc.setdefault(key, []).append((hero_id, idn))
    names, births, counties = (list(people[c]) for c in ("name", "birth_date", "county"))
    keys = name_birth_county_keys([names[k] for k in rest], [births[k] for k in rest], [counties[k] for k in rest])
    for k, key in zip(rest, keys):
        for hero_id, cand_id in by_nbc.get(key, []):
            if ids[k] and cand_id and cand_id != ids[k]:
                continue
            out[k] = hero_id
            break
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


def per_value(values, bulk, empty) -> np.ndarray:
    """bulk(distinct non-empty values) → results, spread back over `values` (empty → `empty`), as an object
    array. Columns repeat the same names, dates and places, so each is folded or formatted once."""
    if isinstance(values, pd.Series):
        arr = values.to_numpy(dtype=object)
    else:
        arr = np.empty(len(values), dtype=object)
        arr[:] = list(values)
    codes, uniques = pd.factorize(arr, use_na_sentinel=True)
    table = np.empty(len(uniques) + 1, dtype=object)
    table[:-1] = bulk(list(uniques))
    table[-1] = empty
    return table[codes]


def _isos(dates: list) -> list[str]:
    return [d.isoformat() if isinstance(d, dt.date) else "?" for d in dates]


def _texts(values: list) -> list[str]:
    return fold_texts([v if isinstance(v, str) else str(v) for v in values])


def name_birth_county_keys(names, births, counties) -> list[str]:
    """`name_birth_county_key` for whole columns (the same strings)."""
    if len(names) == 0:
        return []
    return [f"NBC:{n}|{b}|{c}" for n, b, c in zip(per_value(names, _texts, ""), per_value(births, _isos, "?"),
                                                   per_value(counties, lambda u: [str(c) for c in u], ""))]


def identity_keys(id_numbers, names, births, counties) -> list[str]:
    """`identity_key` for whole columns."""
    ids = [i if isinstance(i, str) and i else None for i in id_numbers]
    keys = [f"ID:{i}" if i else None for i in ids]
    rest = [k for k, i in enumerate(ids) if not i]
    if rest:
        names, births, counties = list(names), list(births), list(counties)
        for k, key in zip(rest, name_birth_county_keys([names[k] for k in rest], [births[k] for k in rest],
                                                       [counties[k] for k in rest])):
            keys[k] = key
    return keys


def deed_keys(deed_dates, deed_types, texts) -> list[str]:
    """`deed_key` for whole columns (the same strings)."""
    if len(deed_dates) == 0:
        return []
    return [f"{d}|{t}|{x}" for d, t, x in zip(per_value(deed_dates, _isos, "?"),
                                              per_value(deed_types, lambda u: [str(t) for t in u], ""),
                                              per_value(texts, lambda u: [t[:24] for t in _texts(u)], ""))]
