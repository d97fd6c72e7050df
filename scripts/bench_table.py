"""The bench's rows, their budgets and the one table it prints (no timing here; tested by tests/test_bench_smoke.py).

A row is one measurement: what, on which data, the measured value, the budget and where the budget comes from
("issue 3", "issue 4" = the issue text; "ours" = chosen by the bench, see README 性能). The result is PASS when
the value is within budget, OVER when not, "—" when the row has no budget (a reference figure such as the raw
openpyxl read), SKIP when the measurement could not run here (the reason in the note) and ERROR when it failed.
"""
from __future__ import annotations

import json
import statistics
import unicodedata
from dataclasses import asdict, dataclass, field

PASS, OVER, NONE, SKIP, ERROR = "PASS", "OVER", "—", "SKIP", "ERROR"
HEADERS = ("项目 item", "数据 data", "实测 measured", "预算 budget", "结果 result", "备注 note")


@dataclass
class Row:
    item: str
    data: str = ""
    value: float | None = None          # seconds ("s") or megabytes ("MB")
    unit: str = "s"
    budget: float | None = None         # same unit as value; None = no budget
    source: str = ""                    # where the budget comes from: "issue 3", "ours", …
    budget_text: str = ""               # how to show the budget when it is derived, e.g. "≤ 1.5×calamine"
    note: str = ""
    status: str = ""                    # set to SKIP / ERROR when the measurement did not produce a value
    extra: dict = field(default_factory=dict)

    @property
    def result(self) -> str:
        if self.status in (SKIP, ERROR):
            return self.status
        if self.value is None:
            return ERROR
        if self.budget is None:
            return NONE
        return PASS if self.value <= self.budget else OVER

    def measured(self) -> str:
        return "" if self.value is None else fmt(self.value, self.unit)

    def budget_cell(self) -> str:
        if self.budget is None:
            return ""
        limit = f"≤ {fmt(self.budget, self.unit)}" if self.unit == "s" else f"< {fmt(self.budget, self.unit)}"
        text = f"{self.budget_text} = {fmt(self.budget, self.unit)}" if self.budget_text else limit
        return f"{text} ({self.source})" if self.source else text


def fmt(value: float, unit: str) -> str:
    if unit == "s":
        if value < 10:
            return f"{value:.3f} s"
        return f"{value:.1f} s"
    if unit == "MB":
        return f"{value:,.0f} MB"
    if unit == "x":
        return f"{value:.2f}×"
    return f"{value:g} {unit}"


def median(values: list[float]) -> float:
    return statistics.median(values)


def width(text: str) -> int:
    """Display width in a terminal: CJK characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, n: int) -> str:
    return text + " " * max(0, n - width(text))


def cells(row: Row) -> tuple[str, ...]:
    return (row.item, row.data, row.measured(), row.budget_cell(), row.result, row.note)


def format_table(rows: list[Row]) -> str:
    """The aligned plain-text table printed by `make bench`."""
    table = [HEADERS, *(cells(r) for r in rows)]
    widths = [max(width(line[i]) for line in table) for i in range(len(HEADERS))]
    sep = "  "
    out = [sep.join(pad(c, w) for c, w in zip(HEADERS, widths)).rstrip(),
           sep.join("-" * w for w in widths)]
    out += [sep.join(pad(c, w) for c, w in zip(line, widths)).rstrip() for line in table[1:]]
    return "\n".join(out)


def format_markdown(rows: list[Row]) -> str:
    """The same table as Markdown (bench-output/latest.md, for the README 性能 section)."""
    def esc(s: str) -> str:
        return s.replace("|", "\\|")
    lines = ["| " + " | ".join(HEADERS) + " |", "|" + "---|" * len(HEADERS)]
    lines += ["| " + " | ".join(esc(c) for c in cells(r)) + " |" for r in rows]
    return "\n".join(lines)


def summary(rows: list[Row]) -> str:
    counts = {k: sum(r.result == k for r in rows) for k in (PASS, OVER, SKIP, ERROR)}
    return "，".join(f"{k} {v}" for k, v in counts.items() if v or k in (PASS, OVER))


def to_json(rows: list[Row]) -> str:
    return json.dumps([{**asdict(r), "result": r.result} for r in rows], ensure_ascii=False, indent=1)
