"""A hundred sub-sections or points and more: the data file, the checker and every edition
number them the same way (（一百）, （一百零一）, 一百零一是)."""

from __future__ import annotations

import io
import re

import pytest

import hdgovreport as hg
from hdgovreport.datafile import dumps, loads

COUNT = 101


@pytest.fixture(scope="module")
def long_report() -> hg.AnnualReport:
    rb = hg.ReportBuilder(agency="某区某局", year=2023)
    for i in range(1, COUNT + 1):
        rb.overview.subsection(f"第{i}项工作", f"落实第{i}项任务。")
    rb.problems.subsection("改进情况", *(f"改进第{i}处不足。" for i in range(1, COUNT + 1)))
    rb.other_matters.fee(notices=0)
    return rb.build()


def test_the_data_file_and_the_checker_take_any_count(long_report: hg.AnnualReport) -> None:
    text = dumps(long_report)
    assert loads(text).report == long_report
    assert text.count("    - 标题: 第") == COUNT
    result = hg.check(long_report)
    assert result.ok and "NARR-numbering" not in {f.code for f in result.findings}


def test_every_edition_numbers_past_one_hundred(long_report: hg.AnnualReport) -> None:
    from docx import Document

    rendered = hg.render_report(long_report, "html,docx,pdf")
    html = re.sub(r"<[^>]+>", "", rendered.outputs["html"].decode("utf-8"))
    docx = "\n".join(p.text for p in Document(io.BytesIO(rendered.outputs["docx"])).paragraphs)
    pdf = _pdf_text(rendered.outputs["pdf"])
    for name, text in (("html", html), ("docx", docx), ("pdf", pdf)):
        assert "（九十九）第99项工作" in text, name
        assert "（一百）第100项工作" in text, name
        assert "（一百零一）第101项工作" in text, name
        assert "一百是改进第100处不足" in text, name
        assert "一百零一是改进第101处不足" in text, name
        assert "（一百零二）" not in text, name
    graphic = hg.render_report(long_report, "html", graphic=True).outputs["html"].decode()
    assert "第101项工作" in graphic


def _pdf_text(data: bytes) -> str:
    import pypdfium2

    pdf = pypdfium2.PdfDocument(data)
    text = "".join(page.get_textpage().get_text_range() for page in pdf)
    return text.replace("\r\n", "").replace("\n", "").replace(" ", "")
