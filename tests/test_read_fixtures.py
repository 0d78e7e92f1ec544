"""Awkward published shapes, written for these tests (``fixtures/published/make.py``).

Each fixture's truth is a data file beside it; reading the published shape must give
exactly that report, and say what it tolerated.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT

from hdgovreport import load_report
from hdgovreport.read import read_published

FIXTURES = ROOT / "tests" / "fixtures" / "published"


def _messages(read: object) -> list[str]:
    return [n.message for n in read.notes]  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", ["word-2023.docx", "word-2023.pdf"])
def test_word_style_report_and_its_libreoffice_pdf(name: str) -> None:
    read = read_published(FIXTURES / name)
    expected = load_report(FIXTURES / "word-2023.expected.yaml")
    assert read.report == expected
    messages = _messages(read)
    # near-misses are read, and said
    assert any("“规范性文件”按“行政规范性文件”读入" in m for m in messages)
    assert any("其他法律行政止公开" in m and "近似匹配" in m for m in messages)
    assert "2021" in read.edition_evidence


def test_word_fixture_cells_point_at_tables_rows_and_columns() -> None:
    read = read_published(FIXTURES / "word-2023.docx")
    source = read.sources["review_litigation.litigation_after_review.pending"]
    assert source.detail == "第4个表格第4行第14格"
    source = read.sources["applications.unavailable_not_held.total"]
    assert "第2个表格" in source.detail or "第3个表格" in source.detail


def test_libreoffice_pdf_cells_have_pages() -> None:
    read = read_published(FIXTURES / "word-2023.pdf")
    assert all(s.page for p, s in read.sources.items() if p.startswith("applications."))


def test_scanned_pdf_without_text_is_unreadable(tmp_path: Path) -> None:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument.new()
    doc.new_page(595, 842)
    path = tmp_path / "scan.pdf"
    doc.save(str(path))
    from hdgovreport.read import UnreadableError

    with pytest.raises(UnreadableError, match="没有文字层"):
        read_published(path)
