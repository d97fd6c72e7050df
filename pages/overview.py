"""总览: the key figures at a glance, each against the same date a year earlier."""
from __future__ import annotations

import streamlit as st

from analytics import metrics
from ui import db
from ui.filters import current

f = current()
st.title("见义勇为工作总览")
st.caption(f"{f.scope} · 截至 {f.as_of:%Y年%m月%d日} · 卡片下方为与上年同期（{metrics.same_day_last_year(f.as_of):%Y年%m月%d日}）相比的增减")

now = db.call("metrics.key_figures", f.as_of, f.county)
before = db.call("metrics.key_figures", metrics.same_day_last_year(f.as_of), f.county)


def card(col, label: str, key: str, unit: str, help_text: str | None = None) -> None:
    value, old = now, before
    for part in key.split("."):
        value, old = value[part], old[part]
    delta = value - old
    col.metric(label, f"{value:,}{unit}", delta=f"{delta:+,}{unit}" if delta else "持平",
               delta_color="normal" if delta else "off", help=help_text, border=True)


row1 = st.columns(5)
card(row1[0], "登记在册", "registered", "人", "基金会成立以来登记在册的见义勇为人员")
card(row1[1], "国家级表扬", "recognized_people.national", "人", "截至当日受到国家级表扬的人数（去重）")
card(row1[2], "省级表扬", "recognized_people.provincial", "人")
card(row1[3], "市级表扬", "recognized_people.municipal", "人")
card(row1[4], "县级表扬", "recognized_people.county", "人")
row2 = st.columns(5)
card(row2[0], "英模工作室", "studios", "个")
card(row2[1], "见义勇为工作站", "workstations", "个")
card(row2[2], "今年以来宣传活动", "activities.publicity_events", "场次")
card(row2[3], "今年以来发现上报", "activities.reports", "人次")
card(row2[4], "今年以来慰问帮扶", "activities.assistance_visits", "人次")
row3 = st.columns(5)
card(row3[0], "牺牲人员", "sacrificed", "人")
card(row3[1], "市域外见义勇为", "outside_city", "人", "聊城籍人员在市域外见义勇为（聊城义士）")
card(row3[2], "已挂光荣牌", "plaques", "户")
card(row3[3], "今年以来帮扶优抚", "assistance.times", "人次")
coverage = now["plaques"] / now["registered"] if now["registered"] else 0
row3[4].metric("光荣牌覆盖率", f"{coverage:.1%}", border=True)
