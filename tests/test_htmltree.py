"""Our pages' element tree built without WeasyPrint's HTML5 parser: the same tree, the same PDF."""

from __future__ import annotations

from typing import Any

import pytest
import tinyhtml5
from helpers import examples
from hypothesis import HealthCheck, given, settings
from strategies import reports

from hdgovreport import AnnualReport, check
from hdgovreport.document import build_document
from hdgovreport.graphic.content import build_graphic
from hdgovreport.graphic.render import render_html as graphic_html
from hdgovreport.render import fonts
from hdgovreport.render.html import render_html
from hdgovreport.render.htmltree import tree
from hdgovreport.render.pdflayout import GridLayout


def _shape(element: Any) -> list[tuple[Any, ...]]:
    out: list[tuple[Any, ...]] = []

    def walk(e: Any, depth: int) -> None:
        out.append((depth, e.tag, sorted(e.attrib.items()), e.text, e.tail))
        for child in e:
            walk(child, depth + 1)

    walk(element, 0)
    return out


def _same_tree(html: str) -> None:
    ours = tree(html)
    assert ours is not None
    assert _shape(ours) == _shape(tinyhtml5.parse(html, namespace_html_elements=False))


def _pages(report: AnnualReport) -> list[str]:
    """Every full page we render for ``report``: official web and PDF pages, graphic pages."""
    result = check(report)
    document = build_document(report, result)
    fontset = fonts.resolve()
    graphic = build_graphic(report, result)
    return [
        render_html(document),
        render_html(
            document, font_mode="pdf", fontset=fontset, layout=GridLayout(document, fontset)
        ),
        graphic_html(graphic),
        graphic_html(graphic, font_mode="pdf", fontset=fontset),
    ]


def test_haidian_pages_give_the_html5_tree(haidian: AnnualReport) -> None:
    for html in _pages(haidian):
        _same_tree(html)


def test_user_text_with_markup_and_odd_characters_gives_the_html5_tree(
    haidian: AnnualReport,
) -> None:
    import attrs

    odd = "<b>&amp; \"引号\" '单' </p><!-- x --> ＆ &lt;"
    meta = attrs.evolve(haidian.meta, agency=f"某某局{odd}")
    report = attrs.evolve(haidian, meta=meta)
    for html in _pages(report):
        _same_tree(html)


def test_newlines_are_normalised_as_html5_does() -> None:
    _same_tree(
        '<!DOCTYPE html>\r\n<html>\r<head>\r\n</head>\r<body><p a="1\r\n2">甲\r乙\r\n丙</p>\r\n</body>\r\n</html>\r\n'
    )


@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports())
def test_generated_reports_give_the_html5_tree(report: AnnualReport) -> None:
    for html in _pages(report):
        _same_tree(html)


@pytest.mark.parametrize(
    "html",
    [
        "<!DOCTYPE html><html><head></head><body><!-- 注释 --></body></html>",
        "<!DOCTYPE html><html><head></head><body><pre>\n文本</pre></body></html>",
        "<!DOCTYPE html><html><head></head><body><p><b>交错</p></b></body></html>",
        "<!DOCTYPE html><html><head></head><body><p>未闭合</body></html>",
        "<!DOCTYPE html><html><head></head><body></body></html><p>之后</p>",
        "<!DOCTYPE html><html><head></head><body><svg><foreignObject/></svg></body></html>",
        "<!DOCTYPE html><html><head></head><body><div/></body></html>",
        "<p>没有 html 和 body</p>",
    ],
)
def test_markup_outside_our_shape_is_left_to_the_html5_parser(html: str) -> None:
    assert tree(html) is None


def test_the_pdfs_are_the_same_bytes_either_way(haidian: AnnualReport, monkeypatch: Any) -> None:
    from hdgovreport.graphic.render import render_pdf as graphic_pdf
    from hdgovreport.render import pdf
    from hdgovreport.render.pdf import render_pdf

    result = check(haidian)
    document, graphic = build_document(haidian, result), build_graphic(haidian, result)
    fast = (render_pdf(document), graphic_pdf(graphic))
    monkeypatch.setattr(
        pdf,
        "_html_source",
        lambda w, html, fetcher: w.HTML(string=html, base_url=None, url_fetcher=fetcher),
    )
    assert (render_pdf(document), graphic_pdf(graphic)) == fast
