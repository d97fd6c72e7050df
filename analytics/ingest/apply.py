"""Per kind: compare clean rows with the database and write what is new or changed, in bulk, inside the
caller's transaction. Every function returns counts and any row problems only the database can reveal
(an assistance row naming a person who is not registered)."""
from __future__ import annotations

import datetime as dt
import decimal

import numpy as np
import pandas as pd

from analytics import changes, identity
from analytics.ingest.normalize import Problem
from analytics.reference import fold_text

DATE_FIELDS = {"birth_date", "registered_on", "plaque_on"}
PERSON_FIELDS = ["name", "gender", "ethnicity", "birth_date", "id_number", "political_status", "education",
                 "occupation", "employer", "county", "town", "phone", "status", "registered_on", "plaque_on"]


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


def _nbc(name, birth, county) -> str:
    return identity.name_birth_county_key(name or "", birth if isinstance(birth, dt.date) else None, county or "")


def _first(series: pd.Series):
    for v in series:
        if v is not None and v == v:
            return v
    return None


# ---- registry --------------------------------------------------------------------------------------

def registry(cur, change_id: int, actor: str, df: pd.DataFrame) -> dict:
    counts = {"new": 0, "updated": 0, "unchanged": 0}
    if df.empty:
        return counts
    df = df.reset_index(drop=True)
    ids = df["id_number"]
    nbc = pd.Series(identity.name_birth_county_keys(df["name"], df["birth_date"], df["county"]), index=df.index,
                    dtype=object)
    pkey = pd.Series(np.where(ids.notna(), "ID:" + ids.fillna("").astype(str), nbc), index=df.index, dtype=object)
    # A row without ID number belongs to the file's person with that ID when 姓名+出生日期+县市区 agree.
    with_id = pd.Series(pkey[ids.notna()].to_numpy(), index=nbc[ids.notna()].to_numpy())
    with_id = with_id[~with_id.index.duplicated(keep=False)]
    no_id = ids.isna() & nbc.isin(with_id.index)
    if no_id.any():
        pkey[no_id] = nbc[no_id].map(with_id).to_numpy()
    df["_pkey"] = pkey

    # One record per person: the first non-empty value of each field across the person's rows.
    grouped = df.groupby("_pkey", sort=False)
    if grouped.ngroups == len(df):
        people = df[["_pkey", *PERSON_FIELDS]].set_index("_pkey")
    else:
        people = grouped[PERSON_FIELDS].first()   # first non-empty value per field (cython, skips None)
    people = people.astype(object).where(people.notna(), None)
    hero_ids = identity.match_heroes(cur, people.reset_index())
    people["hero_id"] = pd.array(hero_ids, dtype=object)

    is_new = people["hero_id"].isna()
    new = people[is_new].copy()
    changed_people: set = set()
    if len(new):
        new["hero_id"] = changes.reserve_ids(cur, "heroes", len(new))
        new["identity_key"] = [identity.identity_key(i, n, b, c) for i, n, b, c in
                               zip(new["id_number"], new["name"], new["birth_date"], new["county"])]
        people.loc[is_new, "hero_id"] = new["hero_id"].to_numpy()
        ins = new.reset_index(drop=True)[["hero_id", "identity_key", *PERSON_FIELDS]]
        changes.insert_df(cur, change_id, "heroes", ins)
        counts["new"] = len(new)
    old = people[~is_new]
    if len(old):
        changed_people |= _update_heroes(cur, change_id, actor, old)

    df["hero_id"] = df["_pkey"].map(people["hero_id"])
    linked = _deeds(cur, change_id, df)
    recog = _recognitions(cur, change_id, df)
    touched = changed_people | linked | recog
    existing_ids = set(old["hero_id"])
    counts["updated"] = len(existing_ids & touched)
    counts["unchanged"] = len(existing_ids) - counts["updated"]
    return counts


def _update_heroes(cur, change_id: int, actor: str, old: pd.DataFrame) -> set:
    ids = [int(x) for x in old["hero_id"]]
    cur.register("_ids", pd.DataFrame({"hero_id": ids}))
    try:
        db = cur.execute(f"SELECT hero_id, {', '.join(PERSON_FIELDS)}, identity_key FROM heroes "
                         "WHERE hero_id IN (SELECT hero_id FROM _ids)").df()
    finally:
        cur.unregister("_ids")
    db = db.set_index("hero_id")
    mine = old.set_index("hero_id")
    mine.index = mine.index.astype("int64")
    db = db.reindex(mine.index)
    diff = pd.DataFrame(False, index=mine.index, columns=PERSON_FIELDS)
    for f in PERSON_FIELDS:
        new_vals = mine[f]
        present = new_vals.notna().to_numpy()
        if f in DATE_FIELDS:
            a = pd.to_datetime(new_vals, errors="coerce").to_numpy("datetime64[ns]")
            b = pd.to_datetime(db[f], errors="coerce").to_numpy("datetime64[ns]")
            neq = a != b
        else:
            a = new_vals.to_numpy(dtype=object)
            b = db[f].astype(object).to_numpy(dtype=object)
            neq = a != b
        diff[f] = present & neq
    rows = diff.any(axis=1)
    if not rows.any():
        return set()
    sig = diff[rows].apply(lambda r: tuple(f for f in PERSON_FIELDS if r[f]), axis=1)
    for cols, idx in sig.groupby(sig).groups.items():
        upd = mine.loc[idx, list(cols)].copy()
        merged = db.loc[idx, ["id_number", "name", "birth_date", "county"]].copy()
        for c in ("id_number", "name", "birth_date", "county"):
            if c in cols:
                merged[c] = upd[c]
        merged["birth_date"] = merged["birth_date"].map(lambda v: v.date() if isinstance(v, pd.Timestamp) else v)
        keys = [identity.identity_key(i if isinstance(i, str) else None, n, b if isinstance(b, dt.date) else None, c)
                for i, n, b, c in zip(merged["id_number"], merged["name"], merged["birth_date"], merged["county"])]
        if any(k != o for k, o in zip(keys, db.loc[idx, "identity_key"])):
            upd["identity_key"] = keys
        upd.insert(0, "hero_id", upd.index.to_numpy())
        changes.update_df(cur, change_id, actor, "heroes", upd.reset_index(drop=True))
    return set(int(i) for i in diff.index[rows])


def _deeds(cur, change_id: int, df: pd.DataFrame) -> set:
    has = df["deed_date"].notna() | df["deed_type"].notna() | df["deed_place"].notna() | df["deed_summary"].notna()
    if not has.any():
        return set()
    d = df[has]
    keys = [identity.deed_key(dd, t, p or s) for dd, t, p, s in
            zip(d["deed_date"], d["deed_type"], d["deed_place"], d["deed_summary"])]
    d = d.assign(deed_key=pd.Series(keys, index=d.index, dtype=object))
    existing = dict(cur.execute("SELECT deed_key, min(deed_id) FROM deeds WHERE deed_key IS NOT NULL "
                                "GROUP BY deed_key").fetchall())
    known = np.fromiter((k in existing for k in d["deed_key"]), dtype=bool, count=len(d))
    fresh = d[~known].drop_duplicates("deed_key")
    if len(fresh):
        outside = fresh["deed_outside_city"].map(lambda v: bool(v) if v is not None else False)
        ins = pd.DataFrame({
            "deed_id": changes.reserve_ids(cur, "deeds", len(fresh)),
            "deed_key": fresh["deed_key"].to_numpy(),
            "deed_date": fresh["deed_date"].to_numpy(),
            "deed_date_precision": fresh["deed_date_precision"].to_numpy(),
            "place": fresh["deed_place"].to_numpy(),
            "county": np.where(outside, None, fresh["county"].to_numpy()),
            "outside_city": outside.to_numpy(),
            "deed_type": fresh["deed_type"].to_numpy(),
            "summary": fresh["deed_summary"].to_numpy(),
            "confirmed_on": fresh["registered_on"].to_numpy(),
        }).astype(object)
        ins["outside_city"] = ins["outside_city"].astype(bool)
        changes.insert_df(cur, change_id, "deeds", ins)
        existing.update(zip(ins["deed_key"], ins["deed_id"]))
    links = pd.DataFrame({"deed_id": d["deed_key"].map(existing).astype("int64").to_numpy(),
                          "hero_id": d["hero_id"].astype("int64").to_numpy()}).drop_duplicates()
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
    df.loc[d.index, "_deed_id"] = d["deed_key"].map(existing).to_numpy()
    return set(int(h) for h in links["hero_id"])


def _iso(series: pd.Series) -> pd.Series:
    d = pd.to_datetime(series, errors="coerce")
    return d.dt.strftime("%Y-%m-%d").astype(object).where(d.notna(), "")


def _rec_keys(df: pd.DataFrame) -> pd.Series:
    """hero|level|date|title: the natural key of a recognition (same person, level, date and title)."""
    from analytics.ingest.columns import map_unique

    title, _ = map_unique(df["title"], fold_text)
    return (df["hero_id"].astype("int64").astype(str) + "|" + df["level"].astype(str) + "|" + _iso(df["recognized_on"])
            + "|" + title.fillna("").astype(str)).astype(object)


def _recognitions(cur, change_id: int, df: pd.DataFrame) -> set:
    has = df["level"].notna()
    if not has.any():
        return set()
    r = df[has]
    r = r.assign(_rkey=_rec_keys(r).to_numpy()).drop_duplicates("_rkey")
    cur.register("_h", pd.DataFrame({"hero_id": r["hero_id"].astype("int64").unique()}))
    try:
        have = cur.execute("SELECT hero_id, level, recognized_on, title FROM recognitions "
                           "WHERE hero_id IN (SELECT hero_id FROM _h)").df()
    finally:
        cur.unregister("_h")
    have_keys = set(_rec_keys(have.astype(object).where(have.notna(), None))) if len(have) else set()
    fresh = r[~np.fromiter((k in have_keys for k in r["_rkey"]), dtype=bool, count=len(r))]
    if fresh.empty:
        return set()
    deed = fresh["_deed_id"] if "_deed_id" in fresh else pd.Series([None] * len(fresh), index=fresh.index)
    ins = pd.DataFrame({
        "recognition_id": changes.reserve_ids(cur, "recognitions", len(fresh)),
        "hero_id": fresh["hero_id"].astype("int64").to_numpy(),
        "deed_id": deed.map(lambda v: None if v is None or v != v else int(v)).to_numpy(),
        "level": fresh["level"].to_numpy(),
        "recognized_on": fresh["recognized_on"].to_numpy(),
        "date_precision": fresh["rec_precision"].to_numpy(),
        "title": fresh["title"].to_numpy(),
        "form": fresh["form"].to_numpy(),
        "award_yuan": fresh["award_yuan"].map(lambda v: None if v is None else float(v)).to_numpy(),
    })
    ins["deed_id"] = ins["deed_id"].astype(object)
    changes.insert_df(cur, change_id, "recognitions", ins)
    return set(int(h) for h in ins["hero_id"])


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
