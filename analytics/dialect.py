"""Where DuckDB and PostgreSQL differ: the one place that knows (server mode's schema and data transfer).

The numbered migrations in analytics/schema/ are written once, in plain SQL that DuckDB runs as is.
`to_postgres(sql)` rewrites the few DuckDB spellings PostgreSQL does not accept; everything else (CREATE TABLE /
SEQUENCE IF NOT EXISTS, VARCHAR, VARCHAR[], DECIMAL(p, s), BIGINT, BOOLEAN, DATE, TIMESTAMP, PRIMARY KEY,
DEFAULT, comments) is already common to both, so a new portable migration needs no change here.
"""
from __future__ import annotations

import re

# (pattern, replacement), applied in order, case-insensitive, outside of nothing smarter than whole words.
_REWRITES = [
    (r"\bnow\(\)\s*::\s*TIMESTAMP\b", "LOCALTIMESTAMP"),
    (r"\bcurrent_timestamp\s*::\s*TIMESTAMP\b", "LOCALTIMESTAMP"),
    (r"\bDOUBLE\b(?!\s+PRECISION)", "DOUBLE PRECISION"),
    (r"\bBLOB\b", "BYTEA"),
    (r"\bHUGEINT\b", "NUMERIC(38, 0)"),
    (r"\bUBIGINT\b", "NUMERIC(20, 0)"),
    (r"\bTINYINT\b", "SMALLINT"),
    (r"\bCREATE\s+OR\s+REPLACE\s+SEQUENCE\s+(\w+)", r"DROP SEQUENCE IF EXISTS \1; CREATE SEQUENCE \1"),
    (r"\bBEGIN\s+TRANSACTION\b", "BEGIN"),
]


def to_postgres(sql: str) -> str:
    """A DuckDB migration (or statement) in PostgreSQL's dialect."""
    out = sql
    for pattern, repl in _REWRITES:
        out = re.sub(pattern, repl, out, flags=re.IGNORECASE)
    return out


SCHEMA_VERSION_DDL = ("CREATE TABLE IF NOT EXISTS schema_version ("
                      "version INTEGER PRIMARY KEY, name VARCHAR, applied_at TIMESTAMP)")

# Ask each engine for its tables and sequences.
TABLES_SQL = {
    "duckdb": ("SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() "
               "AND schema_name = 'main' AND NOT temporary ORDER BY table_name"),
    "postgresql": ("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
                   "AND table_type = 'BASE TABLE' AND table_name NOT LIKE 'yiyong\\_sync%' ORDER BY table_name"),
}
SEQUENCES_SQL = {
    "duckdb": ("SELECT sequence_name FROM duckdb_sequences() WHERE database_name = current_database() "
               "AND schema_name = 'main' ORDER BY sequence_name"),
    "postgresql": "SELECT sequence_name FROM information_schema.sequences WHERE sequence_schema = current_schema() "
                  "ORDER BY sequence_name",
}
