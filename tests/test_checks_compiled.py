"""The checker's compiled straight-line functions agree with the loops they stand for."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from helpers import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import reports

from hdgovreport.checks import compiled
from hdgovreport.checks.tables import _reader, read_cells, table_values
from hdgovreport.form import queries
from hdgovreport.model import AnnualReport
from hdgovreport.model.report import value_at


def test_attribute_reader_reads_each_path_in_order() -> None:
    obj = SimpleNamespace(a=SimpleNamespace(b=1, c=SimpleNamespace(d=2)), e=3)
    read = compiled.attribute_reader(["a.b", "e", "a.c.d", "a.b"])
    assert read(obj) == [1, 3, 2, 1]


def test_attribute_reader_refuses_what_is_not_a_field_name() -> None:
    with pytest.raises(ValueError):
        compiled.attribute_reader(["a.b; import os"])
    with pytest.raises(ValueError):
        compiled.attribute_reader(["a.class"])


def test_cell_reader_agrees_with_value_at(haidian: AnnualReport) -> None:
    paths = queries.cell_paths(haidian.edition)
    assert _reader(haidian.edition)(haidian) == [value_at(haidian, p) for p in paths]
    assert dict(read_cells(haidian)) == table_values(haidian)


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports())
def test_cell_reader_agrees_with_value_at_in_both_editions(report: AnnualReport) -> None:
    paths = queries.cell_paths(report.edition)
    assert _reader(report.edition)(report) == [value_at(report, p) for p in paths]


@settings(deadline=None)  # a shared machine: a pause in one example is not a failure
@given(st.lists(st.integers(-(10**30), 10**30), min_size=1, max_size=30), st.data())
def test_equations_agree_with_sum(values: list[int], data: st.DataObject) -> None:
    index = st.integers(0, len(values) - 1)
    sides = data.draw(
        st.lists(st.tuples(st.lists(index, max_size=8), st.lists(index, max_size=8)), max_size=6)
    )
    expected = all(
        sum(values[i] for i in left) == sum(values[i] for i in right) for left, right in sides
    )
    assert compiled.equations(sides)(values) is expected


def test_item_getter_gives_a_tuple() -> None:
    assert compiled.item_getter([2, 0])(["a", "b", "c"]) == ("c", "a")
    assert compiled.item_getter([1])(["a", "b"]) == ("b",)
    assert compiled.item_getter([])(["a"]) == ()
