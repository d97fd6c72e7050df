"""Vectorized column parsers: the same results as analytics.values, applied to a whole column at once.

Each returns (values, problems) where problems is a Series of ValueProblem (or None) aligned with the input.
Low-cardinality columns are parsed once per distinct value; ID numbers are checked with numpy (check
character, birth date) and only irregular values go through the per-value parser for their exact reason.
"""
from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from analytics import values
from analytics.idnumber import parse_id_number
from analytics.values import ValueProblem

_EMPTY_STRINGS = {"", "nan", "NaN", "None"}


def blank_to_none(s: pd.Series) -> pd.Series:
    """object Series with '' / whitespace-only / NaN turned into None."""
    s = s.astype(object)
    isstr = s.map(type) == str
    blank = s.isna()
    if isstr.any():
        st = s[isstr].str.strip()
        blank = blank | (isstr & (st == "").reindex(s.index, fill_value=False))
    return s.where(~blank, None)


def map_unique(s: pd.Series, fn) -> tuple[pd.Series, pd.Series]:
    """Apply fn once per distinct non-empty value; ValueProblem becomes a problem for that row."""
    out = pd.Series([None] * len(s), index=s.index, dtype=object)
    probs = pd.Series([None] * len(s), index=s.index, dtype=object)
    present = s.notna()
    if not present.any():
        return out, probs
    sub = s[present]
    codes, uniques = pd.factorize(sub, use_na_sentinel=True)
    res, err = [], []
    for u in uniques:
        try:
            res.append(fn(u))
            err.append(None)
        except ValueProblem as p:
            res.append(None)
            err.append(p)
    res_arr = np.empty(len(res), dtype=object)
    res_arr[:] = res
    err_arr = np.empty(len(err), dtype=object)
    err_arr[:] = err
    out[present] = res_arr[codes]
    probs[present] = err_arr[codes]
    return out, probs


def text(s: pd.Series) -> pd.Series:
    """values.clean_text over a column."""
    s = s.astype(object)
    isstr = s.map(type) == str
    out = pd.Series([None] * len(s), index=s.index, dtype=object)
    if isstr.any():
        st = pd.Series(s[isstr].to_numpy(), index=s.index[isstr], dtype="str")
        wide = st.str.contains(values.FULLWIDTH_PATTERN, regex=True)
        if wide.any():
            st[wide] = st[wide].map(values.clean_text)
        st = st.str.strip().str.replace("\r\n", "\n", regex=False).str.replace("\r", "\n", regex=False)
        st = st.where(st != "", None)
        out[isstr] = st.astype(object).to_numpy()
    other = ~isstr & s.notna()
    if other.any():
        out[other] = s[other].map(values.clean_text).to_numpy()
    return out.where(out.notna(), None)


def dates(s: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """(date, precision, problems)."""
    parsed, probs = map_unique(s, values.parse_date)
    d = parsed.map(lambda t: t[0] if t else None)
    p = parsed.map(lambda t: t[1] if t else None)
    return d.astype(object), p.astype(object), probs


_WEIGHTS = np.array([pow(2, 17 - i, 11) for i in range(17)], dtype=np.int64)
_CHECK = np.array(list("10X98765432"))


@functools.cache
def _address_ok(code: str) -> bool:
    from stdnum import numdb

    info = numdb.get("cn/loc").info(code)
    return bool(info) and any(props for _, props in info)


def ids(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """values.parse_id over a column: well-formed valid IDs are checked with numpy; anything else (floats,
    wrong length, bad check character …) goes through parse_id_number for its exact Chinese reason."""
    n = len(s)
    out = pd.Series([None] * n, index=s.index, dtype=object)
    probs = pd.Series([None] * n, index=s.index, dtype=object)
    present = s.notna()
    if not present.any():
        return out, probs
    isstr = (s.map(type) == str) & present
    fast_ok = pd.Series(False, index=s.index)
    if isstr.any():
        st = pd.Series(s[isstr].to_numpy(), index=s.index[isstr], dtype="str")
        st = st.str.replace(r"\s+", "", regex=True).str.lstrip("'").str.upper()
        wf = st.str.fullmatch(r"\d{17}[\dX]")
        cand = st[wf.fillna(False).astype(bool)]
        if len(cand):
            arr = cand.to_numpy(dtype=str)
            digits = np.frombuffer("".join(x[:17] for x in arr).encode("ascii"), dtype=np.uint8).reshape(-1, 17) - 48
            check = _CHECK[(digits.astype(np.int64) @ _WEIGHTS) % 11]
            last = np.array([x[17] for x in arr])
            good = check == last
            birth = pd.to_datetime(cand.str.slice(6, 14), format="%Y%m%d", errors="coerce")
            today = pd.Timestamp.today().normalize()
            good &= (birth.notna() & (birth >= pd.Timestamp(1900, 1, 1)) & (birth <= today)).to_numpy()
            addr = cand.str.slice(0, 6)
            addr_ok = addr.map(_address_ok).astype(bool).to_numpy()
            good &= addr_ok
            ok_idx = cand.index[good]
            out[ok_idx] = cand[good].astype(object).to_numpy()
            fast_ok[ok_idx] = True
    slow = present & ~fast_ok
    for idx in s.index[slow]:
        norm, reason = parse_id_number(s[idx])
        if reason:
            probs[idx] = ValueProblem(reason)
        else:
            out[idx] = norm
    return out, probs


def birth_from_ids(idn: pd.Series) -> pd.Series:
    present = idn.notna()
    out = pd.Series([None] * len(idn), index=idn.index, dtype=object)
    if present.any():
        b = pd.to_datetime(idn[present].str.slice(6, 14), format="%Y%m%d", errors="coerce")
        out[present] = b.dt.date.astype(object).to_numpy()
    return out


def gender_from_ids(idn: pd.Series) -> pd.Series:
    present = idn.notna()
    out = pd.Series([None] * len(idn), index=idn.index, dtype=object)
    if present.any():
        d = idn[present].str.slice(16, 17).astype(int)
        out[present] = np.where(d % 2 == 1, "男", "女")
    return out
