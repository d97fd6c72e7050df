"""备份与恢复 (admin)."""
from __future__ import annotations

import streamlit as st

from ui import auth

me = auth.require("admin", "备份与恢复")
st.title("备份与恢复")
