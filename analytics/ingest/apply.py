"""Per kind: compare clean rows with the database and write what is new or changed, in bulk, inside the
caller's transaction. Every function returns counts and any row problems only the database can reveal
(an assistance row naming a person who is not registered)."""
from __future__ import annotations

import datetime as dt
import decimal

import numpy as np
import pandas as pd

from analytics import changes, fields, identity
from analytics.ingest.normalize import Problem
from analytics.reference import fold_text, fold_texts

DATE_FIELDS = {f for f in fields.IMPORTED if fields.BY_NAME[f].type == "date"}
PERSON_FIELDS = fields.IMPORTED


def _canon(v) -> str:
    """A comparable text form of a value from either side (file or database)."""
    if v is None:
        return ""
    if isinstance(v, float):
        if v != v:
            return ""
        return str(int(v)) if v.is_integer() else repr(v)
    if isinstance(v, pd.Timestamp):
        if pd.isna(v):
            return ""
        return v.date().isoformat() if v == v.normalize() else v.isoformat()
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()
    if isinstance(v, decimal.Decimal):
        return format(v.normalize(), "f")
    if v is pd.NaT or v is pd.NA:
        return ""
    if isinstance(v, np.integer):
        return str(int(v))
    if isinstance(v, np.floating):
        return _canon(float(v))
    if isinstance(v, (np.bool_, bool)):
        return "1" if v else "0"
    return str(v)


# ---- registry --------------------------------------------------------------------------------------

def registry(cur, change_id: int, actor: str, df: pd.DataFrame) -> dict:
    counts = {"new": 0, "updated": 0, "unchanged": 0}
    if df.empty:
        return counts
    df = df.reset_index(drop=True)
    ids = df["id_number"].to_numpy(dtype=object)
    has_id = pd.notna(ids)
    pkey = np.array([f"ID:{i}" if i is not None else None for i in ids], dtype=object)
    if not has_id.all():
        nbc = np.array(identity.name_birth_county_keys(df["name"], df["birth_date"], df["county"]), dtype=object)
        pkey[~has_id] = nbc[~has_id]
        # A row without ID number belongs to the file's person with that ID when 姓名+出生日期+县市区 agree.
        if has_id.any():
            with_id = pd.Series(pkey[has_id], index=nbc[has_id], dtype=object)
            with_id = with_id[~with_id.index.duplicated(keep=False)]
            no_id = ~has_id & (pd.Index(with_id.index).get_indexer(nbc) >= 0)
            if no_id.any():
                pkey[no_id] = with_id.reindex(nbc[no_id]).to_numpy()
    df["_pkey"] = pd.Series(pkey, dtype=object)

    # One record per person: the first non-empty value of each field across the person's rows (grouping only
    # the people who have several rows; people keep the order in which the file first names them).
    several = df["_pkey"].duplicated(keep=False).to_numpy()
    people = df[["_pkey", *PERSON_FIELDS]].set_index("_pkey")
    if several.any():
        grouped = people[several].groupby(level=0, sort=False).first()   # first non-empty value per field
        grouped = grouped.astype(object).where(grouped.notna(), None)
        first_at = pd.Series(np.flatnonzero(several)).groupby(pkey[several], sort=False).first()
        order = np.argsort(np.concatenate([np.flatnonzero(~several), first_at.to_numpy()]), kind="stable")
        people = pd.concat([people[~several], grouped]).iloc[order]
    hero_ids = identity.match_heroes(cur, people.reset_index())
    people["hero_id"] = pd.array(hero_ids, dtype=object)

    is_new = people["hero_id"].isna()
    new = people[is_new].copy()
    changed_people: set = set()
    if len(new):
        new["hero_id"] = changes.reserve_ids(cur, "heroes", len(new))
        new["identity_key"] = pd.Series(identity.identity_keys(new["id_number"], new["name"], new["birth_date"],
                                                               new["county"]), index=new.index, dtype=object)
        people.loc[is_new, "hero_id"] = new["hero_id"].to_numpy()
        ins = new.reset_index(drop=True)[["hero_id", "identity_key", *PERSON_FIELDS]]
        changes.insert_df(cur, change_id, "heroes", ins)
        counts["new"] = len(new)
    old = people[~is_new]
    if len(old):
        changed_people |= _update_heroes(cur, change_id, actor, old)

    df["hero_id"] = df["_pkey"].map(people["hero_id"])
    registered = set(old["hero_id"].astype("int64").tolist())
    linked = _deeds(cur, change_id, actor, df, registered)
    recog = _recognitions(cur, change_id, actor, df, registered)
    touched = changed_people | linked | recog
    existing_ids = set(old["hero_id"])
    counts["updated"] = len(existing_ids & touched)
    counts["unchanged"] = len(existing_ids) - counts["updated"]
    return counts


def _arrow_column(values, date: bool):
    import pyarrow as pa

    values = np.asarray(values, dtype=object)
    try:   # from_pandas: None and NaN are nulls
        return pa.array(values, type=pa.date32() if date else pa.string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError):
        return pa.array([None if v is None or v != v else _canon(v) for v in values], type=pa.string())


def _update_heroes(cur, change_id: int, actor: str, old: pd.DataFrame) -> set:
    """Write the fields of known people that the file fills in and the database holds otherwise. The comparison
    runs in DuckDB (an Arrow table of the file's values joined to heroes); only changed people come back."""
    import pyarrow as pa

    mine = pa.table({"hero_id": pa.array([int(x) for x in old["hero_id"]], type=pa.int64()),
                     **{f: _arrow_column(old[f].to_numpy(dtype=object), f in DATE_FIELDS) for f in PERSON_FIELDS}})
    differs = {f: f"(m.{f} IS NOT NULL AND m.{f} IS DISTINCT FROM h.{f})" for f in PERSON_FIELDS}
    cur.register("_mine", mine)
    try:
        changed = cur.execute(
            f"SELECT m.hero_id, {', '.join(f'{d} AS d_{f}' for f, d in differs.items())}, "
            "h.id_number, h.name, h.birth_date, h.county, h.identity_key "
            f"FROM _mine m JOIN heroes h USING (hero_id) WHERE {' OR '.join(differs.values())}").fetchall()
    finally:
        cur.unregister("_mine")
    if not changed:
        return set()
    mine_df = old.assign(hero_id=old["hero_id"].astype("int64")).set_index("hero_id")
    groups: dict[tuple, list] = {}
    for row in changed:
        cols = tuple(f for f, d in zip(PERSON_FIELDS, row[1:1 + len(PERSON_FIELDS)]) if d)
        groups.setdefault(cols, []).append(row)
    for cols, rows in groups.items():
        idx = [r[0] for r in rows]
        upd = mine_df.loc[idx, list(cols)].copy()
        keys = []
        for (hero_id, *_rest), (db_id, db_name, db_birth, db_county, db_key) in zip(
                rows, (r[1 + len(PERSON_FIELDS):] for r in rows)):
            now = {"id_number": db_id, "name": db_name, "birth_date": db_birth, "county": db_county}
            for c in now:
                if c in cols:
                    now[c] = upd.at[hero_id, c]
            i, b = now["id_number"], now["birth_date"]
            keys.append(identity.identity_key(i if isinstance(i, str) else None, now["name"],
                                              b if isinstance(b, dt.date) else None, now["county"]))
        if any(k != r[-1] for k, r in zip(keys, rows)):
            upd["identity_key"] = pd.Series(keys, index=upd.index, dtype=object)
        upd.insert(0, "hero_id", upd.index.to_numpy())
        changes.update_df(cur, change_id, actor, "heroes", upd.reset_index(drop=True))
    return {int(r[0]) for r in changed}


DEED_COLUMNS = ["deed_date", "deed_date_precision", "deed_type", "deed_place", "deed_summary", "deed_outside_city",
                "county", "registered_on", "hero_id"]
RECOGNITION_COLUMNS = ["hero_id", "level", "recognized_on", "rec_precision", "title", "form", "award_yuan"]


def _same_deed_edited(cur, d: pd.DataFrame, keys, unknown, known_heroes: set, stored: dict) -> np.ndarray:
    """Rows whose deed key is new but whose registered person already has exactly one deed of that date and
    type: the same deed, its 地点/简介 edited in a newer export (the key is made of them). Adds those deeds to
    `stored` under the new key (with the key to write back) and returns the rows found."""
    rows = np.flatnonzero(unknown & d["hero_id"].isin(known_heroes).to_numpy())
    found = np.zeros(len(keys), dtype=bool)
    if not len(rows):
        return found
    q = pd.DataFrame({"pos": rows, "hero_id": d["hero_id"].to_numpy()[rows].astype(np.int64),
                      "deed_date": pd.Series(d["deed_date"].to_numpy()[rows], dtype=object),
                      "deed_type": pd.Series(d["deed_type"].to_numpy()[rows], dtype=object)})
    cur.register("_edited", q)
    try:
        hits = cur.execute(
            "SELECT q.pos, min(x.deed_id), count(*), any_value(x.deed_key) "
            "FROM _edited q JOIN deed_heroes dh ON dh.hero_id = q.hero_id JOIN deeds x ON x.deed_id = dh.deed_id "
            "AND x.deed_date IS NOT DISTINCT FROM q.deed_date::DATE AND x.deed_type IS NOT DISTINCT FROM q.deed_type "
            "GROUP BY q.pos").fetchall()
    finally:
        cur.unregister("_edited")
    for pos, deed_id, n, old_key in hits:
        if n == 1:
            stored.setdefault(keys[pos], (deed_id, old_key))
            found[pos] = True
    return found


SUMMARY_JOIN = "\n"


def combined_summaries(keys, summaries) -> np.ndarray:
    """Each row's deed summary as the deed keeps it: the rows that name one deed (same date, type and place) may
    each describe it in their own words (one hero's part in it); every distinct summary is kept, in the order of
    the rows, one per line. Rows of a deed with one summary, or none, keep theirs."""
    parts: dict = {}
    for k, text in zip(keys, summaries):
        if isinstance(text, str) and text:
            seen = parts.setdefault(k, [])
            if text not in seen:
                seen.append(text)
    out = np.empty(len(keys), dtype=object)
    out[:] = [SUMMARY_JOIN.join(parts[k]) if k in parts else None for k in keys]
    return out


def _deeds(cur, change_id: int, actor: str, df: pd.DataFrame, known_heroes: set = frozenset()) -> set:
    has = (df["deed_date"].notna() | df["deed_type"].notna() | df["deed_place"].notna()
           | df["deed_summary"].notna()).to_numpy()
    if not has.any():
        return set()
    d = df.loc[has, DEED_COLUMNS] if not has.all() else df[DEED_COLUMNS]
    keys = np.array(identity.deed_keys(d["deed_date"], d["deed_type"],
                                       [p or s for p, s in zip(d["deed_place"], d["deed_summary"])]), dtype=object)
    d = d.assign(deed_summary=combined_summaries(keys, d["deed_summary"].to_numpy(dtype=object)))
    stored: dict[str, tuple] = {k: (deed_id, k) for k, deed_id in _lookup(
        cur, "SELECT q.k, min(d.deed_id) FROM deeds d JOIN _q q ON d.deed_key = q.k GROUP BY q.k", pd.unique(keys))}
    known = np.fromiter((k in stored for k in keys), dtype=bool, count=len(keys))
    if known_heroes and not known.all():
        known |= _same_deed_edited(cur, d, keys, ~known, known_heroes, stored)
    existing = {k: v[0] for k, v in stored.items()}
    updated_heroes = _update_deeds(cur, change_id, actor, d[known], keys[known], stored) if known.any() else set()
    if not known.all():
        fresh = d[~known]
        first = ~pd.Series(keys[~known], dtype=object).duplicated().to_numpy()
        fresh, fresh_keys = fresh[first], keys[~known][first]
        outside = np.array([bool(v) if v is not None else False for v in fresh["deed_outside_city"]], dtype=bool)
        new_ids = changes.reserve_ids(cur, "deeds", len(fresh))
        ins = _frame({
            "deed_id": new_ids,
            "deed_key": fresh_keys,
            "deed_date": fresh["deed_date"],
            "deed_date_precision": fresh["deed_date_precision"],
            "place": fresh["deed_place"],
            "county": np.where(outside, None, fresh["county"].to_numpy(dtype=object)),
            "outside_city": outside,
            "deed_type": fresh["deed_type"],
            "summary": fresh["deed_summary"],
            "confirmed_on": fresh["registered_on"],
        })
        changes.insert_df(cur, change_id, "deeds", ins)
        existing.update(zip(fresh_keys, new_ids))
    deed_ids = np.array([existing[k] for k in keys], dtype=np.int64)
    links = pd.DataFrame({"deed_id": deed_ids, "hero_id": d["hero_id"].to_numpy().astype(np.int64)})
    links = links[~links.duplicated().to_numpy()]
    if known.any():  # links of known deeds may exist already
        cur.register("_links", links)
        try:
            have = cur.execute("SELECT dh.deed_id, dh.hero_id FROM deed_heroes dh JOIN _links l "
                               "ON dh.deed_id = l.deed_id AND dh.hero_id = l.hero_id").df()
        finally:
            cur.unregister("_links")
        if len(have):
            m = links.merge(have, how="left", indicator=True)
            links = links[(m["_merge"] == "left_only").to_numpy()]
    changes.insert_df(cur, change_id, "deed_heroes", links.reset_index(drop=True))
    df.loc[d.index, "_deed_id"] = deed_ids
    return set(links["hero_id"].tolist()) | updated_heroes


DEED_UPDATES = (("summary", "deed_summary"), ("confirmed_on", "registered_on"), ("outside_city", "deed_outside_city"),
                ("deed_date_precision", "deed_date_precision"), ("place", "deed_place"))


def _update_deeds(cur, change_id: int, actor: str, rows: pd.DataFrame, keys, stored: dict) -> set:
    """A newer export may complete or correct a known deed (its summary, 确认时间, 是否市域外, date precision,
    place): non-empty values that differ from the database are written, audited. The first row naming a deed
    describes it, as when it was created. The comparison runs in DuckDB; only changed deeds come back.
    Returns the heroes of changed deeds."""
    first = ~pd.Series(keys, dtype=object).duplicated().to_numpy()
    firsts, first_keys = rows[first], keys[first]
    deed_ids = np.array([stored[k][0] for k in first_keys], dtype=np.int64)
    values = {db: firsts[f].to_numpy(dtype=object) for db, f in DEED_UPDATES}
    values["summary"] = _kept_summaries(cur, rows, keys, first_keys, deed_ids, values["summary"])
    frame = pd.DataFrame({"pos": np.arange(len(first_keys)), "deed_id": deed_ids,
                          **{db: pd.Series(v, dtype=object) for db, v in values.items()}})
    frame["confirmed_on"] = pd.to_datetime(frame["confirmed_on"], errors="coerce")
    types = {"confirmed_on": "DATE", "outside_city": "BOOLEAN"}
    hits = _differing(cur, frame, "deeds", "deed_id", {db: types.get(db, "VARCHAR") for db, _ in DEED_UPDATES})
    changed: dict[int, dict] = {}
    for pos, *flags in hits:
        changed[int(deed_ids[pos])] = {db: values[db][pos] for (db, _), flag in zip(DEED_UPDATES, flags) if flag}
    for deed_id, key in zip(deed_ids, first_keys):
        if stored[key][1] != key:        # found by person, date and type: its key follows the edited text
            changed.setdefault(int(deed_id), {})["deed_key"] = key
    _write_updates(cur, change_id, actor, "deeds", "deed_id", changed)
    return {int(h) for key, h in zip(keys, rows["hero_id"].tolist()) if stored[key][0] in changed}


def _kept_summaries(cur, rows: pd.DataFrame, keys, first_keys, deed_ids, summaries) -> np.ndarray:
    """The summary an import writes to each known deed. Words the deed already holds change nothing; rows only of
    heroes new to the deed add their words to it, so a second hero's export never erases the first hero's
    description (see combined_summaries); rows of a hero already linked to the deed with other words correct the
    summary (it is replaced, audited and undone with the batch, as before)."""
    out = np.array(summaries, dtype=object)
    wanted = [i for i, text in enumerate(out) if isinstance(text, str) and text]
    if not wanted:
        return out
    ids = pd.unique(deed_ids[wanted])
    linked: dict[int, set] = {}
    for deed_id, hero_id in _lookup(cur, "SELECT deed_id, hero_id FROM deed_heroes WHERE deed_id IN "
                                         "(SELECT k FROM _q)", ids):
        linked.setdefault(int(deed_id), set()).add(int(hero_id))
    current = dict(_lookup(cur, "SELECT deed_id, summary FROM deeds WHERE deed_id IN (SELECT k FROM _q)", ids))
    heroes: dict = {}
    for key, hero in zip(keys, rows["hero_id"].tolist()):
        heroes.setdefault(key, set()).add(int(hero))
    for i in wanted:
        deed_id = int(deed_ids[i])
        old = current.get(deed_id)
        if not old:
            continue
        parts = old.split(SUMMARY_JOIN)
        new = [p for p in out[i].split(SUMMARY_JOIN) if p not in parts]
        if not new:                   # every word is there already (the same file again, or one hero of several)
            out[i] = old
        elif not heroes.get(first_keys[i], set()) & linked.get(deed_id, set()):
            out[i] = SUMMARY_JOIN.join(parts + new)
    return out


def _differing(cur, frame: pd.DataFrame, table: str, key: str, types: dict[str, str]) -> list[tuple]:
    """(pos, one flag per column of `types`) for each row of `frame` (columns pos, key and those of `types`) with a
    non-empty value that differs from the row of `table` with the same key; compared inside DuckDB."""
    differs = [f"(f.{c} IS NOT NULL AND CAST(f.{c} AS {t}) IS DISTINCT FROM x.{c})" for c, t in types.items()]
    cur.register("_file_values", frame)
    try:
        return cur.execute(f"SELECT f.pos, {', '.join(differs)} FROM _file_values f JOIN {table} x USING ({key}) "
                           f"WHERE {' OR '.join(differs)}").fetchall()
    finally:
        cur.unregister("_file_values")


def _write_updates(cur, change_id: int, actor: str, table: str, key: str, changed: dict[int, dict], **kw) -> None:
    """update_df once per set of changed columns."""
    groups: dict[tuple, list] = {}
    for rid, vals in changed.items():
        groups.setdefault(tuple(sorted(vals)), []).append(rid)
    for cols, ids in groups.items():
        frame = pd.DataFrame({key: pd.Series(ids, dtype="int64"),
                              **{c: pd.Series([changed[i][c] for i in ids], dtype=object) for c in cols}})
        changes.update_df(cur, change_id, actor, table, frame, **kw)


def _lookup(cur, sql: str, keys) -> list[tuple]:
    """Run `sql` against the distinct `keys` registered as table _q (column k); all result rows."""
    keys = np.asarray(keys)
    cur.register("_q", pd.DataFrame({"k": pd.Series(keys, dtype=object if keys.dtype == object else keys.dtype)}))
    try:
        return cur.execute(sql).fetchall()
    finally:
        cur.unregister("_q")


def _frame(columns: dict) -> pd.DataFrame:
    """A DataFrame for insert_df: text and date columns stay Python objects (None for empty)."""
    out = {}
    for name, col in columns.items():
        arr = col.to_numpy(dtype=object) if isinstance(col, pd.Series) else np.asarray(col)
        out[name] = pd.Series(arr, dtype=arr.dtype if arr.dtype != object else object)
    return pd.DataFrame(out)


def _rec_keys(hero_ids, levels, dates, titles) -> list[tuple]:
    """(hero, level, date, folded title): the natural key of a recognition (same person, level, date, title)."""
    if len(hero_ids) == 0:
        return []
    per = identity.per_value
    return list(zip(np.asarray(hero_ids, dtype=object).astype(np.int64).tolist(),
                    per(levels, lambda u: [str(x) for x in u], ""),
                    per(dates, lambda u: [d.isoformat()[:10] if isinstance(d, dt.date) else "" for d in u], ""),
                    per(titles, lambda u: fold_texts([t if isinstance(t, str) else "" for t in u]), "")))


def _nullable_ints(values) -> np.ndarray:
    """Whole numbers as Python ints, None where empty (object array, for DuckDB)."""
    x = pd.to_numeric(pd.Series(values, dtype=object), errors="coerce").to_numpy(dtype=float)
    out = np.full(len(x), None, dtype=object)
    ok = ~np.isnan(x)
    out[ok] = x[ok].astype(np.int64).tolist()
    return out


def _nullable_floats(values) -> np.ndarray:
    x = pd.to_numeric(pd.Series(values, dtype=object), errors="coerce").to_numpy(dtype=float)
    out = np.full(len(x), None, dtype=object)
    ok = ~np.isnan(x)
    out[ok] = x[ok].tolist()
    return out


def _recognitions(cur, change_id: int, actor: str, df: pd.DataFrame, known_heroes: set = frozenset()) -> set:
    has = df["level"].notna().to_numpy()
    if not has.any():
        return set()
    cols = RECOGNITION_COLUMNS + (["_deed_id"] if "_deed_id" in df else [])
    r = df.loc[has, cols] if not has.all() else df[cols]
    keys = _rec_keys(r["hero_id"], r["level"], r["recognized_on"], r["title"])
    seen: set = set()
    first = np.fromiter((not (k in seen or seen.add(k)) for k in keys), dtype=bool, count=len(keys))
    if not first.all():
        r, keys = r[first], [k for k, f in zip(keys, first) if f]
    heroes = r["hero_id"].to_numpy().astype(np.int64)
    registered = pd.unique(heroes[np.isin(heroes, list(known_heroes))]) if known_heroes else []
    have = _lookup(cur, "SELECT hero_id, level, recognized_on, title, recognition_id "
                        "FROM recognitions WHERE hero_id IN (SELECT k FROM _q) ORDER BY recognition_id",
                   registered) if len(registered) else []    # people new in this import have none yet
    stored: dict[tuple, tuple] = {}
    for k, row in zip(_rec_keys(*list(zip(*have))[:4]) if have else [], have):
        stored.setdefault(k, row[4:])
    fresh_mask = np.fromiter((k not in stored for k in keys), dtype=bool, count=len(keys))
    touched = _update_recognitions(cur, change_id, actor, r[~fresh_mask], [k for k, f in zip(keys, fresh_mask)
                                                                            if not f], stored) \
        if not fresh_mask.all() else set()
    if not fresh_mask.any():
        return touched
    fresh = r[fresh_mask]
    deed = fresh["_deed_id"] if "_deed_id" in fresh else pd.Series([None] * len(fresh), index=fresh.index)
    hero_ids = fresh["hero_id"].to_numpy().astype(np.int64)
    ins = _frame({
        "recognition_id": changes.reserve_ids(cur, "recognitions", len(fresh)),
        "hero_id": hero_ids,
        "deed_id": _nullable_ints(deed),
        "level": fresh["level"],
        "recognized_on": fresh["recognized_on"],
        "date_precision": fresh["rec_precision"],
        "title": fresh["title"],
        "form": fresh["form"],
        "award_yuan": _nullable_floats(fresh["award_yuan"]),
    })
    changes.insert_df(cur, change_id, "recognitions", ins)
    return set(hero_ids.tolist()) | touched


def _update_recognitions(cur, change_id: int, actor: str, rows: pd.DataFrame, keys: list, stored: dict) -> set:
    """A newer export may complete or correct a known recognition's 表扬形式 and 奖金: non-empty values that
    differ from the database are written, audited. Compared in DuckDB; returns the heroes of changed ones."""
    rids = np.array([stored[k][0] for k in keys], dtype=np.int64)
    forms = rows["form"].to_numpy(dtype=object)
    awards = rows["award_yuan"].to_numpy(dtype=object)
    frame = pd.DataFrame({"pos": np.arange(len(rids)), "recognition_id": rids, "form": pd.Series(forms, dtype=object),
                          "award_yuan": pd.Series(_nullable_floats(awards), dtype=object)})
    hits = _differing(cur, frame, "recognitions", "recognition_id", {"form": "VARCHAR", "award_yuan": "DECIMAL(14, 2)"})
    changed: dict[int, dict] = {}
    heroes = rows["hero_id"].tolist()
    touched: set = set()
    for pos, form_differs, award_differs in hits:
        new = {}
        if form_differs:
            new["form"] = forms[pos]
        if award_differs:
            new["award_yuan"] = float(awards[pos])
        changed.setdefault(int(rids[pos]), {}).update(new)
        touched.add(int(heroes[pos]))
    _write_updates(cur, change_id, actor, "recognitions", "recognition_id", changed, hero_col="hero_id")
    return touched


# ---- activities --------------------------------------------------------------------------------------

def _occurrences(keys: pd.Series) -> pd.Series:
    return keys.groupby(keys, sort=False).cumcount() + 1


def activities(cur, change_id: int, actor: str, df: pd.DataFrame) -> dict:
    counts = {"new": 0, "updated": 0, "unchanged": 0}
    if df.empty:
        return counts
    df = df.reset_index(drop=True)
    base = [identity.activity_key(d, c, u, t, v, int(n), None if p is None else int(p), note, 0)
            for d, c, u, t, v, n, p, note in zip(df["date"], df["county"], df["station"], df["type"], df["venue"],
                                                 df["count"], df["participants"], df["note"])]
    base = pd.Series(base, index=df.index)
    occ = _occurrences(base)
    keys = [b[: b.rfind("|") + 1] + str(o) for b, o in zip(base, occ)]
    df["activity_key"] = keys
    cur.register("_k", pd.DataFrame({"k": keys}))
    try:
        have = {r[0] for r in cur.execute("SELECT activity_key FROM activities WHERE activity_key IN "
                                          "(SELECT k FROM _k)").fetchall()}
    finally:
        cur.unregister("_k")
    fresh = df[~df["activity_key"].isin(have)]
    counts["unchanged"] = len(df) - len(fresh)
    if fresh.empty:
        return counts
    stations = {fold_text(n): i for i, n in cur.execute("SELECT station_id, name FROM workstations").fetchall()}
    studios = {fold_text(n): i for i, n in cur.execute("SELECT studio_id, name FROM studios").fetchall()}
    unit = fresh["station"].map(lambda s: fold_text(s) if s else "")
    ins = pd.DataFrame({
        "activity_id": changes.reserve_ids(cur, "activities", len(fresh)),
        "activity_date": fresh["date"].to_numpy(),
        "county": fresh["county"].to_numpy(),
        "town": fresh["town"].to_numpy(),
        "station_id": unit.map(stations).astype(object).to_numpy(),
        "studio_id": unit.map(studios).astype(object).to_numpy(),
        "unit_name": fresh["station"].to_numpy(),
        "type": fresh["type"].to_numpy(),
        "venue": fresh["venue"].to_numpy(),
        "count": fresh["count"].astype("int64").to_numpy(),
        "participants": fresh["participants"].map(lambda v: None if v is None else int(v)).astype(object).to_numpy(),
        "note": fresh["note"].to_numpy(),
        "activity_key": fresh["activity_key"].to_numpy(),
    })
    for c in ("station_id", "studio_id", "participants"):
        ins[c] = ins[c].map(lambda v: None if v is None or v != v else int(v)).astype(object)
    changes.insert_df(cur, change_id, "activities", ins)
    counts["new"] = len(ins)
    return counts


# ---- assistance --------------------------------------------------------------------------------------

def _assist_key(h, on, t, amount, provider, note) -> str:
    return f"{int(h)}|{_canon(on)}|{t}|{_canon(decimal.Decimal(str(amount)) if amount is not None and amount == amount else None)}|" \
           f"{fold_text(provider or '')}|{fold_text(note or '')[:40]}"


def match_assistance(cur, df: pd.DataFrame, labels: dict) -> tuple[pd.Series, list[Problem]]:
    """hero_id per row (by 身份证号, else 姓名+县市区); a person not in the registry is a row error."""
    by_id, by_nc = identity.match_heroes_loose(cur)
    out, problems = [], []
    for idx, name, idn, county, row in zip(df.index, df["name"], df["id_number"], df["county"], df["_row"]):
        hero = by_id.get(idn) if idn else None
        if hero is None and name and county:
            cands = [h for h, cid in by_nc.get(identity.match_key_loose(name, county), []) if not (idn and cid)]
            if len(cands) == 1:
                hero = cands[0]
            elif len(cands) > 1:
                problems.append(Problem(int(row), labels.get("name", "姓名"), name, "error",
                                        f"{county}有{len(cands)}名同名人员，请填写身份证号以确定帮扶对象", "name"))
                out.append(None)
                continue
        if hero is None:
            where = f"身份证号 {idn}" if idn else f"{county or ''}的{name}"
            col, val, f = (labels.get("id_number", "身份证号码"), idn, "id_number") if idn else \
                (labels.get("name", "姓名"), name, "name")
            problems.append(Problem(int(row), col, val, "error",
                                    f"英模档案中没有{where}，帮扶记录须对应已登记人员，请先导入其登记信息", f))
        out.append(hero)
    return pd.Series(out, index=df.index, dtype=object), problems


def assistance(cur, change_id: int, actor: str, df: pd.DataFrame) -> dict:
    counts = {"new": 0, "updated": 0, "unchanged": 0}
    if df.empty:
        return counts
    df = df.reset_index(drop=True)
    base = pd.Series([_assist_key(h, d, t, a, p, n) for h, d, t, a, p, n in
                      zip(df["hero_id"], df["date"], df["type"], df["amount_yuan"], df["provider"], df["note"])])
    keys = base + "#" + _occurrences(base).astype(str)
    cur.register("_h", pd.DataFrame({"hero_id": df["hero_id"].astype("int64").unique()}))
    try:
        have_rows = cur.execute("SELECT hero_id, assisted_on, type, amount_yuan, provider, note FROM assistance "
                                "WHERE hero_id IN (SELECT hero_id FROM _h) ORDER BY assistance_id").fetchall()
    finally:
        cur.unregister("_h")
    hb = pd.Series([_assist_key(*r) for r in have_rows], dtype=object)
    have = set(hb + "#" + _occurrences(hb).astype(str)) if len(hb) else set()
    fresh = df[~keys.isin(have).to_numpy()]
    counts["unchanged"] = len(df) - len(fresh)
    if fresh.empty:
        return counts
    ins = pd.DataFrame({
        "assistance_id": changes.reserve_ids(cur, "assistance", len(fresh)),
        "hero_id": fresh["hero_id"].astype("int64").to_numpy(),
        "assisted_on": fresh["date"].to_numpy(),
        "type": fresh["type"].to_numpy(),
        "amount_yuan": fresh["amount_yuan"].map(lambda v: None if v is None else float(v)).to_numpy(),
        "provider": fresh["provider"].to_numpy(),
        "note": fresh["note"].to_numpy(),
    })
    changes.insert_df(cur, change_id, "assistance", ins)
    counts["new"] = len(ins)
    return counts


# ---- directory -----------------------------------------------------------------------------------------

STATION_FIELDS = ["county", "town", "established_on", "head", "has_sign", "has_staff", "has_duties", "has_archive",
                  "has_volunteers"]
STUDIO_FIELDS = ["county", "town", "established_on", "head", "hero_id", "hero_name"]


def directory(cur, change_id: int, actor: str, df: pd.DataFrame) -> tuple[dict, list[Problem]]:
    counts = {"new": 0, "updated": 0, "unchanged": 0}
    problems: list[Problem] = []
    if df.empty:
        return counts, problems
    df = df.drop_duplicates(subset=["kind", "name"], keep="last").reset_index(drop=True)
    _, by_nc = identity.match_heroes_loose(cur)
    hero_ids = []
    for name, county, row in zip(df["hero"], df["county"], df["_row"]):
        cands = by_nc.get(identity.match_key_loose(name, county), []) if name else []
        if name and len(cands) != 1:
            problems.append(Problem(int(row), "英模姓名", name, "warning",
                                    "英模档案中未找到唯一对应的人员，已只记录姓名", "hero"))
        hero_ids.append(cands[0][0] if len(cands) == 1 else None)
    df["hero_id"] = hero_ids
    df["hero_name"] = df["hero"]
    for kind, table, key, fields in (("工作站", "workstations", "station_id", STATION_FIELDS),
                                     ("工作室", "studios", "studio_id", STUDIO_FIELDS)):
        part = df[df["kind"] == kind]
        if part.empty:
            continue
        db = cur.execute(f"SELECT {key}, name, {', '.join(fields)} FROM {table}").df()
        db["_k"] = db["name"].map(fold_text)
        db = db.drop_duplicates("_k").set_index("_k")
        part = part.assign(_k=part["name"].map(fold_text))
        old = part[part["_k"].isin(db.index)]
        fresh = part[~part["_k"].isin(db.index)]
        if len(fresh):
            ins = fresh[["name", *fields]].copy().astype(object)
            ins.insert(0, key, changes.reserve_ids(cur, table, len(fresh)))
            if table == "workstations":
                for f in STATION_FIELDS[4:]:
                    ins[f] = ins[f].map(lambda v: None if v is None else bool(v)).astype(object)
            changes.insert_df(cur, change_id, table, ins.reset_index(drop=True))
            counts["new"] += len(ins)
        for _, rec in old.iterrows():
            cur_row = db.loc[rec["_k"]]
            new_vals = {f: rec[f] for f in fields if rec[f] is not None and rec[f] == rec[f]
                        and _canon(rec[f]) != _canon(cur_row[f])}
            if new_vals:
                changes.update_row(cur, change_id, actor, table, int(cur_row[key]), new_vals)
                counts["updated"] += 1
            else:
                counts["unchanged"] += 1
    return counts, problems
