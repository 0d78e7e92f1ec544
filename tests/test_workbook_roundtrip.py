"""Round trips through the fill-in workbook: YAML → xlsx → YAML byte for byte (narrative
included), for the Haidian example and generated reports of both editions; xlsx → model → xlsx
gives the same workbook."""

from __future__ import annotations

from decimal import Decimal

from conftest import HAIDIAN
from helpers import examples
from hypothesis import HealthCheck, given, settings
from strategies import reports

from hdgovreport import AnnualReport
from hdgovreport.datafile import dumps, loads
from hdgovreport.datafile.workbook.read import loads_workbook
from hdgovreport.datafile.workbook.write import workbook_bytes
from hdgovreport.model.structure import table_values


def written_alike(a: AnnualReport, b: AnnualReport) -> bool:
    """``a`` and ``b`` give the same YAML text: equal, and every amount with the same places.

    Equality is exact for every value of the model but a ``Decimal``, whose ``==`` ignores
    trailing zeros (12.50 == 12.5) that the YAML file keeps; amounts are the only ``Decimal``
    values.  (Cheap: writing two YAML texts per example would double the test's time; the
    byte-for-byte comparison itself runs below on the Haidian example and 40 reports.)
    """
    if a != b:
        return False
    values_a, values_b = table_values(a), table_values(b)
    return all(
        format(v, "f") == format(values_b[path], "f")
        for path, v in values_a.items()
        if isinstance(v, Decimal)
    )


def test_haidian_yaml_xlsx_yaml_and_xlsx_model_xlsx() -> None:
    text = HAIDIAN.read_text("utf-8")
    data = workbook_bytes(loads(text).report)
    back = loads_workbook(data, "h.xlsx").report
    assert dumps(back) == text
    assert workbook_bytes(back) == data


@settings(max_examples=examples(200), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports(published=True))
def test_generated_reports_read_back_as_written(report: AnnualReport) -> None:
    assert written_alike(loads_workbook(workbook_bytes(report), "r.xlsx").report, report)


@settings(max_examples=examples(20), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports(published=True))
def test_yaml_xlsx_yaml_byte_for_byte_and_xlsx_model_xlsx(report: AnnualReport) -> None:
    text = dumps(report)
    data = workbook_bytes(loads(text).report)
    back = loads_workbook(data, "r.xlsx").report
    assert dumps(back) == text
    assert workbook_bytes(back) == data
