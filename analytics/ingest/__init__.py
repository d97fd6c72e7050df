"""Spreadsheet import (IMPORT_SPEC.md): read any export staff have, detect the kind of each sheet, normalize
and validate, then write new / updated records in one transaction that can be undone.

Modules: limits (size checks before parsing), read (bytes → raw sheets), headers (kinds, header spellings,
header-row detection, column mapping), footer (合计/小计/落款 rows, decided by the whole row), normalize
(vectorized cleaning and row problems), apply (per-kind diff and bulk writes), plan (the whole pipeline for a set
of files), report (JSON, rejected rows), templates (the benchmark workbook is scripts/bench_support.py).
"""


class ImportFileError(Exception):
    """A file that cannot be imported at all (unreadable, encrypted, empty, too large, unknown kind),
    explained in one Chinese sentence."""
