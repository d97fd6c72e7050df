"""Where the project's files are: the project root and data/ (reference CSV/GeoJSON, the default database).

A module of its own, importing nothing from the project, so that store.py (the database) and reference.py (the
reference lists it copies into a new database) both use it without importing each other both ways.
"""
from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
