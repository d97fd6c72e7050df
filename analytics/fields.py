"""The fields of a person's file (英模档案), written once: a person, a deed, a recognition (plus the labels of
assistance and directory columns that appear in a file's history).

Each field says its database column (`name`), its Chinese label, its type, whether the correction form may
change it (`editable`), how viewers see it (`masked`: "id", "phone" or "address", see analytics.privacy), and how
a spreadsheet import finds it: `import_name` (the import's own field key, None when the import does not read the
field), `template` (the header in the import template), `required` and `spellings` (the header synonyms seen in
practice). The import's header recognition (analytics/ingest/headers.py), the correction form
(analytics/corrections.py, pages/registry.py), the masking (analytics/privacy.py) and the registry tables
(analytics/registry.py) all read this module.
"""
from __future__ import annotations

from dataclasses import dataclass

from analytics import reference


@dataclass(frozen=True)
class Field:
    name: str                     # the column in the database
    label: str                    # what a user reads
    type: str = "text"            # text, name, gender, date, id_number, county, town, phone, status, yes_no, level,
                                  # amount, choice
    group: str = "person"         # person, registration, deed, recognition, assistance, directory
    editable: bool = False        # the correction of a person's file may change it
    masked: str | None = None     # "id", "phone", "address": masked for viewers (analytics.privacy)
    import_name: str | None = None  # the import's field key; None: not read by the import
    template: str | None = None     # the header in the import template (default: the label)
    required: bool = False          # required in a registry import
    spellings: tuple[str, ...] = ()  # header synonyms (import; privacy also matches them as column names)

    @property
    def header(self) -> str:
        return self.template or self.label


def _person(name, label, type_="text", *, spellings=(), imported=True, **kw) -> Field:
    return Field(name, label, type_, kw.pop("group", "person"), editable=True,
                 import_name=name if imported else None, spellings=tuple(spellings), **kw)


# ---- a person (heroes), in the order of the person's file --------------------------------------------------
PERSON: tuple[Field, ...] = (
    _person("name", "姓名", "name", required=True,
            spellings=["姓名", "英模姓名", "见义勇为人员姓名", "人员姓名", "见义勇为者姓名"]),
    _person("gender", "性别", "gender", spellings=["性别"]),
    _person("ethnicity", "民族", spellings=["民族"]),
    _person("birth_date", "出生日期", "date", spellings=["出生日期", "出生年月", "生日", "出生年月日", "出生时间"]),
    _person("id_number", "身份证号", "id_number", masked="id", template="身份证号码",
            spellings=["身份证号", "身份证号码", "公民身份号码", "证件号码", "身份证", "身份证件号码", "居民身份证号码",
                       "身份号码", "证件号"]),
    _person("political_status", "政治面貌", spellings=["政治面貌"]),
    _person("education", "文化程度", spellings=["文化程度", "学历", "文化水平"]),
    _person("occupation", "职业", spellings=["职业", "职业类别", "职业分类", "身份"]),
    _person("employer", "工作单位", spellings=["工作单位", "单位", "工作单位及职务", "所在单位"]),
    _person("county", "县市区", "county", required=True,
            spellings=["县市区", "所属县市区", "所属县(市、区)", "户籍地", "户籍所在地", "户籍地县市区", "区县",
                       "所属县市区(功能区)", "县(市、区)", "所属区县", "县区", "所在县市区", "户籍所在县市区"]),
    _person("town", "镇街", "town",
            spellings=["镇街", "乡镇(街道)", "所属镇街", "乡镇", "镇(街道)", "乡镇街道", "所属乡镇", "镇街名称", "所在镇街"]),
    _person("address", "住址", masked="address", imported=False,
            spellings=["家庭住址", "现住址", "地址", "详细地址"]),
    _person("phone", "联系电话", "phone", masked="phone",
            spellings=["联系电话", "电话", "手机号", "手机", "手机号码", "联系方式", "电话号码"]),
    _person("status", "人员状态", "status", spellings=["人员状态", "伤亡情况", "状态", "伤亡状况"]),
    _person("registered_on", "登记日期", "date", group="registration", template="确认时间",
            spellings=["登记日期", "确认日期", "确认时间", "登记时间", "认定时间", "认定日期"]),
    _person("plaque_on", "光荣牌悬挂日期", "date", group="registration",
            spellings=["光荣牌悬挂日期", "挂牌时间", "挂牌日期", "光荣牌悬挂时间"]),
    _person("note", "备注", imported=False, group="registration"),
)

# ---- a deed (deeds) and a recognition (recognitions) ------------------------------------------------------
DEED: tuple[Field, ...] = (
    Field("deed_date", "事迹时间", "date", "deed", import_name="deed_date", template="事迹发生时间",
          spellings=("事迹时间", "事迹发生时间", "发生时间", "见义勇为时间", "事迹日期", "事发时间", "事迹发生日期",
                     "发生日期", "见义勇为日期")),
    Field("place", "事迹地点", "text", "deed", import_name="deed_place",
          spellings=("事迹地点", "发生地点", "事迹发生地点", "事发地点", "见义勇为地点", "事发地", "发生地")),
    Field("outside_city", "是否市域外", "yes_no", "deed", import_name="deed_outside_city",
          spellings=("是否市域外", "市域外")),
    Field("deed_type", "事迹类型", "choice", "deed", import_name="deed_type",
          spellings=("事迹类型", "事迹类别", "类别", "见义勇为类型", "事迹分类")),
    Field("summary", "事迹简介", "text", "deed", import_name="deed_summary",
          spellings=("事迹简介", "主要事迹", "事迹描述", "简要事迹", "事迹概况", "事迹摘要", "基本事迹")),
    *(Field(col, label, "date", "deed") for col, label in reference.FIVE_STEPS),
)
RECOGNITION: tuple[Field, ...] = (
    Field("level", "表扬级别", "level", "recognition", import_name="level",
          spellings=("表扬级别", "表彰级别", "表扬等级", "级别", "表彰等级")),
    Field("recognized_on", "表扬时间", "date", "recognition", import_name="recognized_on",
          spellings=("表扬时间", "表彰时间", "表扬日期", "表扬年度", "表彰日期", "表彰年度", "表扬年份", "表彰年份")),
    Field("title", "荣誉称号", "choice", "recognition", import_name="title", spellings=("荣誉称号", "称号", "授予称号")),
    Field("form", "表扬形式", "choice", "recognition", import_name="form",
          spellings=("表扬形式", "表彰形式", "表扬方式", "表彰方式")),
    Field("award_yuan", "奖金（元）", "amount", "recognition", import_name="award_yuan",
          spellings=("奖金", "奖励金额", "奖金(元)", "奖金金额", "奖励金", "奖金额")),
)
# ---- labels only: assistance and directory columns, as a file's history names them ------------------------
OTHER: tuple[Field, ...] = (
    Field("assisted_on", "帮扶日期", "date", "assistance"), Field("type", "帮扶类型", "choice", "assistance"),
    Field("amount_yuan", "金额（元）", "amount", "assistance"), Field("provider", "实施单位", "text", "assistance"),
    Field("established_on", "成立日期", "date", "directory"), Field("head", "负责人", "text", "directory"),
    Field("hero_name", "命名英模", "text", "directory"),
    *(Field(col, label, "yes_no", "directory") for col, label in reference.FIVE_HAS.items()),
)

BY_NAME: dict[str, Field] = {f.name: f for f in (*PERSON, *DEED, *RECOGNITION)}

# The Chinese label of every column of a person's file and of what its history shows (one flat table, as the
# history and the correction messages look fields up by column name).
LABELS: dict[str, str] = {f.name: f.label for f in (*PERSON, *DEED, *RECOGNITION, *OTHER)}

PERSON_FILE: list[str] = [f.name for f in PERSON]                            # the person's file, in order
EDITABLE: list[str] = [f.name for f in PERSON if f.editable]                  # the correction form
IMPORTED: list[str] = [f.name for f in PERSON if f.import_name]               # what an import writes to heroes
CHECKED: list[str] = [f.name for f in PERSON if f.import_name and f.group == "person"]  # values.validate_person
PLAIN_TEXT: tuple[str, ...] = tuple(f.name for f in PERSON if f.import_name and f.type in ("text", "phone"))

# The order of a registry sheet: the person, the deed, the registration date, the recognition, the plaque.
_REGISTRY_SHEET = [*CHECKED, "deed_date", "place", "outside_city", "deed_type", "summary", "registered_on",
                   "level", "recognized_on", "title", "form", "award_yuan", "plaque_on"]


def import_fields(extra: dict[str, tuple[str, ...]] | None = None, names: list[str] | None = None
                  ) -> list[tuple[str, bool, str, list[str]]]:
    """(import field, required, template header, spellings) for a registry sheet (or for `names`), with `extra`
    spellings added per field name — the rows of analytics.ingest.headers.FIELDS."""
    extra = extra or {}
    out = []
    for name in names or _REGISTRY_SHEET:
        f = BY_NAME[name]
        out.append((f.import_name, f.required, f.header, [*f.spellings, *extra.get(name, ())]))
    return out


def column_names(mask: str) -> tuple[str, ...]:
    """Every column name under which a masked kind of value ("id", "phone", "address") or the town may appear in
    a frame: the field's name, its label, its import header and its spellings."""
    chosen = [f for f in PERSON if (f.masked == mask if mask != "town" else f.name == "town")]
    names: list[str] = []
    for f in chosen:
        for n in (f.name, f.label, f.header, *f.spellings):
            if n not in names:
                names.append(n)
    return tuple(names)
