"""聊城义士: Liaocheng natives recognized for deeds outside the city, with where the deed happened."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics import labels, privacy
from ui import auth, charts, queries
from ui.filters import current
from ui.formatting import date_texts
from ui.text import plain

SUMMARIES_SHOWN = 300


def figures(df: pd.DataFrame) -> None:
    people = df.drop_duplicates("hero_id")
    c1, c2, c3 = st.columns(3)
    c1.metric("聊城义士", f"{len(people)}人", border=True)
    c2.metric("市域外事迹", f"{len(df)}件次", border=True)
    c3.metric("已挂光荣之家牌匾", f"{int(people['plaque_on'].notna().sum())}户", border=True)


def roll(df: pd.DataFrame) -> None:
    """The list: one row per person and deed, downloadable."""
    table = df.assign(home=df["county"] + df["town"].fillna(""), deed_date=date_texts(df["deed_date"]),
                      recognitions=df["recognitions"].fillna(""), plaque_on=date_texts(df["plaque_on"]))
    table = table[list(labels.OUTSIDE_CITY_COLUMNS)].rename(columns=labels.OUTSIDE_CITY_COLUMNS)
    col = labels.OUTSIDE_CITY_COLUMNS
    charts.table_with_downloads(table, "聊城义士名单", key="oc_list", height=min(560, 38 + 35 * len(table)),
                                column_config={col["hero_id"]: st.column_config.NumberColumn(format="%d", width="small"),
                                               col["place"]: st.column_config.TextColumn(width="medium"),
                                               col["recognitions"]: st.column_config.TextColumn(width="large")})


def summaries(df: pd.DataFrame) -> None:
    with st.expander("事迹简介"):
        shown = df.head(SUMMARIES_SHOWN)
        st.markdown("\n\n".join(f"**{plain(r.name)}**（{plain(r.county)}）：{plain(r.summary) or '（未填写）'}"
                                for r in shown.itertuples()))
        if len(df) > SUMMARIES_SHOWN:
            st.caption(f"仅列出前 {SUMMARIES_SHOWN} 条，共 {len(df)} 条；全部内容请在英模档案中查看或导出。")


def open_file(df: pd.DataFrame) -> None:
    """Pick a person and open the file on 英模档案."""
    natives = df.drop_duplicates("hero_id")
    ids = natives["hero_id"].astype("int64")
    names = dict(zip(ids.tolist(), (natives["name"].fillna("").astype(str) + " · "
                                    + natives["county"].fillna("").astype(str) + " · 档案编号 " + ids.astype(str)).tolist()))
    c1, c2 = st.columns([4, 1], vertical_alignment="bottom")
    pick = c1.selectbox("查看档案", [None, *names], format_func=lambda h: "（请选择人员）" if h is None else names[h],
                        key="oc_pick")
    if c2.button("打开档案", key="oc_open", icon=":material/badge:", disabled=pick is None):
        st.session_state["reg_open"] = int(pick)
        st.switch_page("pages/registry.py", query_params={"hero": str(pick)})


def main() -> None:
    role = auth.require_page(__file__).role
    f = current()
    st.title("聊城义士")
    st.caption(f"{f.scope} · 截至 {f.as_of:%Y年%m月%d日} · 聊城籍人员在市域外见义勇为、经确认登记在册的名单。"
               "其档案由户籍地县市区保管，享受与本地见义勇为人员同等待遇，并授予“聊城义士”称号、悬挂“见义勇为光荣之家”牌匾。")
    df = queries.outside_city_heroes(f.as_of, f.county, role)
    figures(df)
    if df.empty:
        st.info("所选范围内没有市域外见义勇为人员。")
        return
    roll(df)
    summaries(df)
    open_file(df)
    if not privacy.can(role, "see_personal"):
        st.caption("本页不显示身份证号、联系电话等个人信息。")


main()
