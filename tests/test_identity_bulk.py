"""The bulk key builders of the import give exactly the strings of the one-at-a-time functions."""
import datetime as dt

from analytics import identity
from analytics.reference import fold_text, fold_texts

NAMES = ["张三", " 李 四 ", "ＡＢ　Ｃ", "", None, "阿依古丽·买买提", "张三", "e\u0301", "Ⅻ"]
BIRTHS = [dt.date(1990, 1, 1), None, dt.date(1990, 1, 1), dt.datetime(1990, 1, 1, 8, 30), float("nan"),
          dt.date(2001, 12, 31), None, dt.date(1990, 1, 1), None]
COUNTIES = ["东昌府区", "临清市", None, "", "东昌府区", "冠县", "东昌府区", "阳谷县", "莘县"]
IDS = ["37150219900101123X", None, "", None, "371502199001011230", None, None, None, None]


def test_fold_texts_equals_fold_text():
    values = ["  ａｂｃ  ", "x\ty", "", "全角１２３", "e\u0301", "\u3000聊城\u3000", "a\x00b"]
    assert fold_texts(values) == [fold_text(v) for v in values]
    assert fold_texts(values[:-1]) == [fold_text(v) for v in values[:-1]]


def test_name_birth_county_keys_equal_single_keys():
    got = identity.name_birth_county_keys(NAMES, BIRTHS, COUNTIES)
    want = [identity.name_birth_county_key(n or "", b if isinstance(b, dt.date) else None, c or "")
            for n, b, c in zip(NAMES, BIRTHS, COUNTIES)]
    assert got == want
    assert identity.name_birth_county_keys([], [], []) == []


def test_identity_keys_equal_single_keys():
    got = identity.identity_keys(IDS, NAMES, BIRTHS, COUNTIES)
    want = [identity.identity_key(i or None, n or "", b if isinstance(b, dt.date) else None, c or "")
            for i, n, b, c in zip(IDS, NAMES, BIRTHS, COUNTIES)]
    assert got == want


def test_deed_keys_equal_single_keys():
    types = ["救落水", None, "抢险救灾", "", "救落水", None, "见义勇为", None, "x"]
    texts = ["东昌府区某河段某某某某某某某某某某某某某某某某某某某某某", None, "  某 地 ", "", "Ａ地", None, "x", "y", None]
    got = identity.deed_keys(BIRTHS, types, texts)
    want = [identity.deed_key(d if isinstance(d, dt.date) else None, t, x) for d, t, x in zip(BIRTHS, types, texts)]
    assert got == want
