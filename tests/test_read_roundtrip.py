"""Round trips: our own renderings read back give the same report, narrative included.

HTML page, the plain text a browser copies from it (Chromium's ``innerText``,
through Playwright and the system Chromium), and the PDF.  Hypothesis makes
the reports (see ``strategies.py`` for what a printed report cannot tell
apart); PDF rendering is slow, so it gets fewer examples.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import attrs
import pytest
from helpers import examples
from hypothesis import HealthCheck, given, settings
from strategies import reports

from hdgovreport import AnnualReport, check
from hdgovreport.document import build_document
from hdgovreport.published import read_published_bytes
from hdgovreport.render.docx import render_docx
from hdgovreport.render.html import render_html
from hdgovreport.render.pdf import render_pdf


def html_of(report: AnnualReport) -> str:
    return render_html(build_document(report, check(report)))


def printed(report: AnnualReport, *, published: bool) -> AnnualReport:
    """What a rendering prints of the metadata: no website or contact; the date where carried."""
    meta = attrs.evolve(
        report.meta,
        website=None,
        contact=None,
        published=report.meta.published if published else None,
    )
    return attrs.evolve(report, meta=meta)


@pytest.fixture(scope="module")
def page(browser: Any) -> Iterator[Any]:
    """A tab of the shared Chromium (conftest), offline."""
    context = browser.new_context(offline=True)
    tab = context.new_page()
    yield tab
    context.close()


def inner_text(page: Any, html: str) -> str:
    page.set_content(html, wait_until="domcontentloaded")
    text: str = page.evaluate("document.body.innerText")
    return text


# ---------------------------------------------------------------- the Haidian example


def test_haidian_html_reads_back_equal(haidian: AnnualReport) -> None:
    read = read_published_bytes(html_of(haidian).encode(), "haidian.html")
    assert read.format == "html"
    assert read.report == haidian
    assert read.sources["review_litigation.litigation_after_review.total"].detail.endswith("第15格")


def test_haidian_browser_text_reads_back_equal(haidian: AnnualReport, page: Any) -> None:
    text = inner_text(page, html_of(haidian))
    assert "\t" in text  # table cells as the browser copies them
    read = read_published_bytes(text.encode(), "haidian.txt")
    assert read.format == "text"
    assert read.report == haidian


def test_haidian_pdf_reads_back_equal(haidian: AnnualReport) -> None:
    pdf = render_pdf(build_document(haidian, check(haidian)))
    read = read_published_bytes(pdf, "haidian.pdf")
    assert read.format == "pdf"
    assert read.report == haidian
    source = read.sources["review_litigation.litigation_after_review.total"]
    assert source.page is not None and "第15格" in source.detail


def test_haidian_docx_reads_back_equal(haidian: AnnualReport) -> None:
    docx = render_docx(build_document(haidian, check(haidian)))
    read = read_published_bytes(docx, "haidian.docx")
    assert read.format == "docx"
    assert read.report == haidian
    assert read.sources["review_litigation.litigation_after_review.total"].detail.endswith("第15格")


# ---------------------------------------------------------------- generated reports


@settings(max_examples=examples(200), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports(published=True))
def test_generated_reports_html_round_trip(report: AnnualReport) -> None:
    read = read_published_bytes(html_of(report).encode(), "r.html")
    assert read.report == printed(report, published=True)


@settings(
    max_examples=examples(200),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(reports())
def test_generated_reports_browser_text_round_trip(page: Any, report: AnnualReport) -> None:
    text = inner_text(page, html_of(report))
    read = read_published_bytes(text.encode(), "r.txt")
    assert read.report == printed(report, published=False)


@settings(max_examples=examples(20), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports())
def test_generated_reports_pdf_round_trip(report: AnnualReport) -> None:
    pdf = render_pdf(build_document(report, check(report)))
    read = read_published_bytes(pdf, "r.pdf")
    assert read.report == printed(report, published=False)


@settings(max_examples=examples(200), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports())
def test_generated_reports_docx_round_trip(report: AnnualReport) -> None:
    docx = render_docx(build_document(report, check(report)))
    read = read_published_bytes(docx, "r.docx")
    assert read.report == printed(report, published=False)
