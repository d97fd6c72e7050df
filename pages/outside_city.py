"""聊城义士 (placeholder while the page is being written)."""
import streamlit as st

st.title("聊城义士")
