"""The vectorized person checks of the import give exactly what values.validate_person gives (the forms)."""
import datetime as dt
import itertools

import pandas as pd

from analytics import values
from analytics.idnumber import make_id_number
from analytics.ingest.normalize import SheetData, Collector, person_columns

GOOD = make_id_number("371502", dt.date(1990, 1, 1), 123)
VARIANTS = {
    "name": ["张三", " 李 四 ", "", None, "ＡＢ", "阿依古丽•买买提"],
    "gender": ["男", "女", "F", 1, "未知", None],
    "birth_date": [dt.date(1990, 1, 1), "1990-01-02", "不详", None, 32874, "1990年1月"],
    "id_number": [GOOD, GOOD.lower(), GOOD[:-1] + "0" if GOOD[-1] != "0" else GOOD[:-1] + "1", 3.71502199001011e+17,
                  "37150219900101", None, "  " + GOOD + " ", "371502199001011230"],
    "county": ["东昌府", "聊城市临清市", "历城区", None, "开发区"],
    "town": ["古楼", "月球镇", None, "清泉街道"],
    "status": ["健在", "死亡", "???", None],
    "phone": [13700000000.0, "１３７", None],
}


def cases(n=400):
    keys = list(VARIANTS)
    combos = itertools.product(*(VARIANTS[k] for k in keys))
    return [dict(zip(keys, c)) for c in itertools.islice(combos, 0, None, 997)][:n]


def test_vectorized_person_checks_agree_with_validate_person():
    rows = cases()
    assert len(rows) > 100
    raw = pd.DataFrame(rows, dtype=object)
    raw = raw.astype(object).where(raw.notna(), None)
    raw["_row"] = range(2, len(rows) + 2)
    col = Collector("registry", SheetData(raw, {}, {}))
    out = {"_row": raw["_row"]}
    person_columns(col, out)
    for i, fields in enumerate(rows):
        clean, problems = values.validate_person(fields)
        for f in ("name", "gender", "birth_date", "id_number", "county", "town", "status", "phone"):
            got = out[f].iloc[i]
            assert (None if got is None or got != got else got) == clean[f], (f, fields)
        mine = sorted((p.field, p.severity, p.message) for p in col.items if p.row == i + 2)
        theirs = sorted((f, s, m) for f, _, s, m in problems)
        assert mine == theirs, fields
