"""Streamlit glue shared by app.py and pages/: the cached connection, filters, footer, navigation.

Kept out of pages/ so that pages stay one file per page, and out of analytics/ so that the core never
imports Streamlit. Importing the package switches Streamlit's old pages/ discovery off (ui/frame.py): app.py's
import as a module at server start does so before the first session.
"""
from ui import frame  # noqa: F401  (see ui/frame.py)
