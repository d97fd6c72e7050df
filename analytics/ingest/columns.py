"""Vectorized column parsers: the same results as analytics.values, applied to a whole column at once.

Each returns (values, problems) where problems is a Series of ValueProblem (or None) aligned with the input.
Low-cardinality columns are parsed once per distinct value; ID numbers are checked with numpy (check
character, birth date) and only irregular values go through the per-value parser for their exact reason.
"""
from __future__ import annotations

import functools
import re

import numpy as np
import pandas as pd

from analytics import values
from analytics.idnumber import parse_id_number
from analytics.values import ValueProblem

_EMPTY_STRINGS = {"", "nan", "NaN", "None"}


def blank_to_none(s: pd.Series) -> pd.Series:
    """object Series with '' / whitespace-only / NaN turned into None."""
    s = s.astype(object)
    return s.where(~(s.isna() | (s == "")), None)


def is_str(s: pd.Series) -> np.ndarray:
    """Boolean mask of the cells holding text (fast path when the whole column is text)."""
    arr = s.to_numpy(dtype=object)
    kind = pd.api.types.infer_dtype(arr, skipna=True)
    if kind in ("string", "empty"):
        return pd.notna(arr)
    return np.fromiter((type(v) is str for v in arr), dtype=bool, count=len(arr))


def factorize(s: pd.Series):
    """(codes, uniques) over the non-empty cells; code -1 for empty cells."""
    arr = s.to_numpy(dtype=object)
    present = pd.notna(arr)
    codes = np.full(len(arr), -1, dtype=np.int64)
    if not present.any():
        return codes, []
    c, uniques = pd.factorize(arr[present], use_na_sentinel=True)
    codes[present] = c
    return codes, list(uniques)


def _spread(codes: np.ndarray, per_unique: list, index) -> pd.Series:
    table = np.empty(len(per_unique) + 1, dtype=object)
    table[:-1] = per_unique
    table[-1] = None
    return pd.Series(table[codes], index=index, dtype=object)


def map_unique(s: pd.Series, fn) -> tuple[pd.Series, pd.Series]:
    """Apply fn once per distinct non-empty value; ValueProblem becomes a problem for that row."""
    codes, uniques = factorize(s)
    res, err = [], []
    for u in uniques:
        try:
            res.append(fn(u))
            err.append(None)
        except ValueProblem as p:
            res.append(None)
            err.append(p)
    return _spread(codes, res, s.index), _spread(codes, err, s.index)


def text(s: pd.Series) -> pd.Series:
    """values.clean_text over a column (column-level checks decide whether folding is needed at all)."""
    arr = s.to_numpy(dtype=object)
    strs = is_str(s)
    out = np.empty(len(arr), dtype=object)
    out[:] = None
    if strs.any():
        vals = arr[strs]
        joined = "\x00".join(vals)
        if re.search(values.FULLWIDTH_PATTERN, joined) or "\r" in joined:
            cleaned = [values.clean_text(v) for v in vals]
        else:
            cleaned = [v.strip() or None for v in vals]
        tmp = np.empty(len(cleaned), dtype=object)
        tmp[:] = cleaned
        out[strs] = tmp
    other = ~strs & pd.notna(arr)
    if other.any():
        tmp = np.empty(int(other.sum()), dtype=object)
        tmp[:] = [values.clean_text(v) for v in arr[other]]
        out[other] = tmp
    return pd.Series(out, index=s.index, dtype=object)


def dates(s: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """(date, precision, problems)."""
    codes, uniques = factorize(s)
    d, p, err = [], [], []
    for u in uniques:
        try:
            a, b = values.parse_date(u)
            d.append(a), p.append(b), err.append(None)
        except ValueProblem as e:
            d.append(None), p.append(None), err.append(e)
    return _spread(codes, d, s.index), _spread(codes, p, s.index), _spread(codes, err, s.index)


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
    isstr = pd.Series(is_str(s), index=s.index) & present
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
