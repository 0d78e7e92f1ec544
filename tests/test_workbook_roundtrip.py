"""Round trips through the fill-in workbook: YAML → xlsx → YAML byte for byte (narrative
included), for the Haidian example and generated reports of both editions; xlsx → model → xlsx
gives the same workbook."""

from __future__ import annotations

from conftest import HAIDIAN
from helpers import examples
from hypothesis import HealthCheck, given, settings
from strategies import reports

from hdgovreport import AnnualReport
from hdgovreport.datafile import dumps, loads
from hdgovreport.datafile.workbook.read import loads_workbook
from hdgovreport.datafile.workbook.write import workbook_bytes


def test_haidian_yaml_xlsx_yaml_and_xlsx_model_xlsx() -> None:
    text = HAIDIAN.read_text("utf-8")
    data = workbook_bytes(loads(text).report)
    back = loads_workbook(data, "h.xlsx").report
    assert dumps(back) == text
    assert workbook_bytes(back) == data


@settings(max_examples=examples(200), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports(published=True))
def test_generated_reports_round_trip_byte_for_byte(report: AnnualReport) -> None:
    text = dumps(report)
    back = loads_workbook(workbook_bytes(report), "r.xlsx").report
    assert back == report
    assert dumps(back) == text


@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports())
def test_xlsx_model_xlsx_gives_the_same_workbook(report: AnnualReport) -> None:
    data = workbook_bytes(report)
    assert workbook_bytes(loads_workbook(data, "r.xlsx").report) == data
