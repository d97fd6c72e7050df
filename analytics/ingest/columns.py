"""Vectorized column parsers: the same results as analytics.values, applied to a whole column at once.

Each returns values (and problems: a Series of ValueProblem or None) aligned with the input. Columns are parsed
once per distinct value (`pd.factorize`), so a 100,000-row column with a few thousand distinct values costs a
few thousand parser calls. Everything stays in numpy object arrays: building a pandas Series from strings
without `dtype=object` converts them to Arrow strings and back, which costs more than the parsing itself.
ID numbers are checked with numpy (check character, birth date, address code); only irregular values go
through the per-value parser for their exact Chinese reason.
"""
from __future__ import annotations

import datetime as dt
import functools
import re

import numpy as np
import pandas as pd

from analytics import values
from analytics.idnumber import parse_id_number
from analytics.values import ValueProblem

_NEEDS_FOLD = re.compile(values.FULLWIDTH_PATTERN + "|\r")


def series(arr, index) -> pd.Series:
    """An object Series (never inferred as Arrow strings)."""
    return pd.Series(arr, index=index, dtype=object)


def factorize(s: pd.Series) -> tuple[np.ndarray, list]:
    """(codes, uniques) over the non-empty cells; code -1 for empty cells (None / NaN)."""
    codes, uniques = pd.factorize(s.to_numpy(dtype=object), use_na_sentinel=True)
    return codes, list(uniques)


def spread(codes: np.ndarray, per_unique: list, index) -> pd.Series:
    """One result per distinct value (`factorize`'s uniques) spread back over the rows; None for code -1."""
    table = np.empty(len(per_unique) + 1, dtype=object)
    table[:-1] = per_unique
    table[-1] = None
    return series(table[codes], index)


def _kept(problem: ValueProblem) -> ValueProblem:
    """A caught problem kept for its message, without its traceback: the traceback holds the frames of the whole
    import (the database connection among their locals) in a reference cycle with the list the problem is kept in,
    so they outlived the import until interpreter exit, where the DuckDB binding reported them as leaked
    ('nanobind: leaked N instances!')."""
    problem.__traceback__ = None
    return problem


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
            err.append(_kept(p))
    return spread(codes, res, s.index), spread(codes, err, s.index)


def text(s: pd.Series, post=None, post_needed: re.Pattern | None = None) -> pd.Series:
    """values.clean_text over a column, once per distinct value; `post(text)` refines each non-empty result
    (only when some text matches `post_needed`, if given)."""
    codes, uniques = factorize(s)
    if all(type(u) is str for u in uniques) and not _NEEDS_FOLD.search("\x00".join(uniques)):
        cleaned = [u.strip() or None for u in uniques]
    else:
        cleaned = [values.clean_text(u) for u in uniques]
    if post is not None and (post_needed is None or post_needed.search("\x00".join(c or "" for c in cleaned))):
        cleaned = [None if c is None else post(c) for c in cleaned]
    return spread(codes, cleaned, s.index)


def dates(s: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """(date, precision, problems)."""
    codes, uniques = factorize(s)
    d, p, err = [], [], []
    for u in uniques:
        if (type(u) is dt.date or type(u) is dt.datetime) and 1900 <= u.year <= 2100:   # a date cell: no parsing
            d.append(u if type(u) is dt.date else u.date()), p.append("day"), err.append(None)
            continue
        try:
            a, b = values.parse_date(u)
            d.append(a), p.append(b), err.append(None)
        except ValueProblem as e:
            d.append(None), p.append(None), err.append(_kept(e))
    return spread(codes, d, s.index), spread(codes, p, s.index), spread(codes, err, s.index)


# ---- ID numbers -----------------------------------------------------------------------------------------

_WEIGHTS = np.array([pow(2, 17 - i, 11) for i in range(17)], dtype=np.int64)
_CHECK = np.frombuffer(b"10X98765432", dtype=np.uint8)
_WELL_FORMED = re.compile(r"[0-9]{17}[0-9Xx]")
_MONTH_DAYS = np.array([0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])


@functools.cache
def _address_ok(code: str) -> bool:
    from stdnum import numdb

    info = numdb.get("cn/loc").info(code)
    return bool(info) and any(props for _, props in info)


def _fast_valid(cand: list[str]) -> np.ndarray:
    """For well-formed 18-character IDs: check character, birth date (1900-01-01 … today) and address code,
    the same checks as idnumber._validate, with numpy."""
    digits = (np.frombuffer("".join(x[:17] for x in cand).encode("ascii"), dtype=np.uint8)
              .reshape(-1, 17).astype(np.int64) - 48)
    last = np.frombuffer("".join(x[17] for x in cand).encode("ascii"), dtype=np.uint8)
    good = _CHECK[(digits @ _WEIGHTS) % 11] == last
    y = digits[:, 6:10] @ np.array([1000, 100, 10, 1])
    m = digits[:, 10] * 10 + digits[:, 11]
    d = digits[:, 12] * 10 + digits[:, 13]
    leap = (y % 4 == 0) & ((y % 100 != 0) | (y % 400 == 0))
    month_ok = (m >= 1) & (m <= 12)
    days = np.where(month_ok, _MONTH_DAYS[np.clip(m, 0, 12)], 0) - ((m == 2) & ~leap)
    today = dt.date.today()
    ymd = y * 10000 + m * 100 + d
    good &= month_ok & (d >= 1) & (d <= days) & (ymd >= 19000101) & (ymd <= today.year * 10000 + today.month * 100
                                                                          + today.day)
    codes, uniques = pd.factorize(np.array([x[:6] for x in cand], dtype=object))
    good &= np.array([_address_ok(u) for u in uniques], dtype=bool)[codes]
    return good


def ids(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """values.parse_id over a column: well-formed valid IDs are checked with numpy; anything else (floats,
    wrong length, bad check character …) goes through parse_id_number for its exact Chinese reason."""
    arr = s.to_numpy(dtype=object)
    n = len(arr)
    out = np.full(n, None, dtype=object)
    probs = np.full(n, None, dtype=object)
    stripped = [v.strip() if type(v) is str else None for v in arr]
    fast = np.fromiter((t is not None and _WELL_FORMED.fullmatch(t) is not None for t in stripped), dtype=bool,
                       count=n)
    if fast.any():
        pos = np.flatnonzero(fast)
        cand = [stripped[i].upper() for i in pos]
        good = _fast_valid(cand)
        out[pos[good]] = np.array(cand, dtype=object)[good]
        fast[pos[~good]] = False
    for i in np.flatnonzero(~fast & pd.notna(arr)):
        norm, reason = parse_id_number(arr[i])
        if reason:
            probs[i] = ValueProblem(reason)
        else:
            out[i] = norm
    return series(out, s.index), series(probs, s.index)


@functools.lru_cache(maxsize=65536)
def _birth(digits8: str) -> dt.date:
    return dt.date(int(digits8[:4]), int(digits8[4:6]), int(digits8[6:8]))


def birth_from_ids(idn: pd.Series) -> pd.Series:
    """Birth date of each valid ID number (None where there is none)."""
    return series([None if x is None else _birth(x[6:14]) for x in idn.to_numpy(dtype=object)], idn.index)


def gender_from_ids(idn: pd.Series) -> pd.Series:
    """男 / 女 from the 17th digit of each valid ID number."""
    return series([None if x is None else ("男" if x[16] in "13579" else "女") for x in idn.to_numpy(dtype=object)],
                  idn.index)
