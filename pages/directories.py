"""工作站与工作室名录 (placeholder while the page is being written)."""
import streamlit as st

st.title("工作站与工作室名录")
