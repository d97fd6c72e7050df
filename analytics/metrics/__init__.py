"""Every figure the dashboards, the press exports and the CLI show, computed in DuckDB SQL (pandas for pivots).

English keys and plain data only: no Chinese labels, no 合计 rows, no formatting (analytics/labels.py and
analytics/numbers.py do that). One module per theme:
- scope.py       county and period clauses, the deed scope, year-over-year bases, the level order (once);
- figures.py     `key_figures`, the headline figures behind 总览, `stats` and the press statement;
- status.py      what the data covers (date range, last import, demo);
- levels.py      表扬等级分析 by unit/town and year, and the level table by county;
- trends.py      趋势 and the extra overview cards;
- activity.py    工作站与工作室;
- assistance.py  帮扶优抚;
- timeliness.py  及时性;
- period.py      the figures of one month, quarter or year (工作简报).
"""
