"""居民身份证号 (GB 11643): cleaning and validation through python-stdnum, with Chinese reasons."""
from __future__ import annotations

import datetime as dt
import re

from stdnum import numdb
from stdnum.cn import ric
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength, ValidationError

_FLOATISH = re.compile(r"^\d+(\.\d+)?[eE][+-]?\d+$|^\d+\.\d*$")


def parse_id_number(value: object) -> tuple[str | None, str | None]:
    """(normalized 18-character ID, None) or (None, reason in Chinese). Empty input gives (None, None).

    Numbers are refused: an ID number stored as a number in a spreadsheet has lost its last digits
    (a float keeps ~15-16 significant digits) or its X.
    """
    if value is None:
        return None, None
    if isinstance(value, bool):
        return None, "不是有效的身份证号"
    if isinstance(value, float):
        if value != value:  # NaN
            return None, None
        return None, "身份证号被表格存成了数字，后几位已丢失，请将该列设为文本格式后重新填写"
    if isinstance(value, int):
        text = str(value)
        if len(text) == 18:
            # An int that survived intact (e.g. typed in a CSV); still validate it.
            pass
        else:
            return None, "身份证号被表格存成了数字，请将该列设为文本格式后重新填写"
    else:
        text = str(value)
    text = "".join(text.split()).replace("＇", "").lstrip("'").upper()
    text = text.translate(str.maketrans("０１２３４５６７８９Ｘ", "0123456789X"))
    if not text:
        return None, None
    if _FLOATISH.match(text):
        return None, "身份证号被表格存成了数字（科学计数法），后几位已丢失，请将该列设为文本格式后重新填写"
    if len(text) == 15 and text.isdigit():
        return None, "这是旧的15位身份证号，请填写18位身份证号"
    if len(text) != 18:
        return None, f"身份证号应为18位，这里是{len(text)}位"
    try:
        return _validate(text), None
    except InvalidChecksum:
        return None, "校验位错误"
    except InvalidComponent:
        return None, "出生日期或地址码无效"
    except (InvalidFormat, InvalidLength):
        return None, "格式不正确（应为17位数字加1位数字或X）"
    except ValidationError:
        return None, "不是有效的身份证号"


def _validate(number: str) -> str:
    """stdnum's checks, except that the address code may be any code that ever existed.

    stdnum also requires the code to have existed in the birth year, which rejects real numbers: a person
    born in 1955 who was issued an ID in 东昌府区 (code 371502 since 1998) carries 371502.
    """
    number = ric.compact(number)
    if len(number) != 18:
        raise InvalidLength()
    if not number[:-1].isdigit():
        raise InvalidFormat()
    if number[-1] != ric.calc_check_digit(number):
        raise InvalidChecksum()
    birth = ric.get_birth_date(number)
    if not (dt.date(1900, 1, 1) <= birth <= dt.date.today()):
        raise InvalidComponent()
    if not numdb.get("cn/loc").info(number[:6]) or not any(props for _, props in numdb.get("cn/loc").info(number[:6])):
        raise InvalidComponent()
    return number


def birth_date_of(id_number: str) -> dt.date | None:
    try:
        return ric.get_birth_date(id_number)
    except ValidationError:
        return None


def gender_of(id_number: str) -> str:
    """The 17th character: odd = 男, even = 女."""
    return "男" if int(id_number[16]) % 2 else "女"


def make_id_number(address_code: str, birth: dt.date, sequence: int) -> str:
    """A syntactically valid ID number (for synthetic demo data)."""
    body = f"{address_code}{birth:%Y%m%d}{sequence:03d}"
    return body + ric.calc_check_digit(body + "0")  # stdnum expects a placeholder check character
