"""scripts/mutants.py (make mutants): every listed mistake still applies to the current metrics source, once,
and the list covers the kinds of mistakes issue 18 asks for. (The run itself is `make mutants`: minutes.)"""
from __future__ import annotations

import pytest

from scripts import mutants
from tests.conftest import ROOT


@pytest.mark.parametrize("m", mutants.MUTANTS, ids=lambda m: m.id)
def test_mutant_applies_and_changes_the_source(m):
    source = (ROOT / "analytics" / m.file).read_text(encoding="utf-8")
    mutated = mutants.apply(source, m)
    assert mutated != source
    assert mutated.count(m.old) == source.count(m.old) - 1


def test_ids_unique_and_required_kinds_present():
    ids = [m.id for m in mutants.MUTANTS]
    assert len(ids) == len(set(ids))
    assert {"kf-registered-cutoff", "kf-levels-distinct", "year-start-plus-day", "kf-county-filter-heroes",
            "table-level-key"} <= set(ids)
    assert {m.file for m in mutants.MUTANTS} == {"metrics/figures.py", "metrics/scope.py", "metrics/levels.py",
                                                 "metrics/activity.py", "metrics/assistance.py",
                                                 "metrics/timeliness.py", "metrics/trends.py", "labels.py"}


def test_apply_refuses_text_that_is_not_there_once():
    m = mutants.Mutant("x", "metrics.py", "a", "b", "test")
    with pytest.raises(LookupError):
        mutants.apply("no such text", m)
    with pytest.raises(LookupError):
        mutants.apply("a a", m)
    assert mutants.apply("xa", m) == "xb"
    assert mutants.apply("a-a", mutants.Mutant("y", "metrics.py", "a", "b", "test", nth=2, count=2)) == "a-b"


def test_test_order_puts_the_mutated_modules_tests_first():
    order = mutants.ordered(mutants.METRICS_TESTS, mutants.MUTANTS[-1])
    assert order[0] == "tests/metrics/test_trends.py" and len(order) == 7
