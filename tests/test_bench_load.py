"""The load test's script imports, and its percentiles are the usual ones (linear between closest ranks)."""
from __future__ import annotations

import pytest

from scripts import bench_load


def test_percentiles_counted_by_hand():
    assert bench_load.percentile([4.0, 1.0, 3.0, 2.0], 0.5) == 2.5
    assert bench_load.percentile([float(i) for i in range(1, 21)], 0.95) == pytest.approx(19.05)
    assert bench_load.percentile([7.0], 0.95) == 7.0
    with pytest.raises(ValueError):
        bench_load.percentile([], 0.5)


def test_three_deployments_and_the_bench_group():
    from scripts import bench
    assert list(bench_load.CONFIGS) == ["embedded", "pg1", "pg2"]
    assert [n for _what, n in bench_load.CONFIGS.values()] == [1, 1, 2]
    assert "load" in bench.GROUPS
