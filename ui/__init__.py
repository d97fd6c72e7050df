"""Streamlit glue shared by app.py and pages/: the cached connection, filters, footer, navigation.

Kept out of pages/ so that pages stay one file per page, and out of analytics/ so that the core never
imports Streamlit.
"""
