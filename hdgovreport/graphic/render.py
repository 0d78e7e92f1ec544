"""Render the graphic edition: one HTML page, a one-page PDF, a PNG long image and its text.

The HTML is self-contained (inline CSS and SVG, no request of any kind) and
folds in the text version.  The PDF is the same page laid out by WeasyPrint
(:func:`hdgovreport.render.pdf.html_to_pdf`, which refuses every URL) on a
page 750 CSS px wide, cut to the content's length.  The PNG is that PDF
rasterised by PDFium, 1500 px wide by default (``--width 1080`` for WeChat
articles), and the ``.txt`` beside it is the image's text alternative: every
figure in plain text.  Everything is rendered in memory first; only then are
files written, replacing the previous set of files as a whole (``write_outputs``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Literal

from markupsafe import Markup, escape

from hdgovreport.checks import CheckResult
from hdgovreport.form.layout import section_heading, section_order
from hdgovreport.graphic import alttext
from hdgovreport.graphic import wording as _wording
from hdgovreport.graphic.blocks import formula
from hdgovreport.graphic.content import Graphic, build_graphic
from hdgovreport.graphic.options import (
    DEFAULT_FORMATS,
    FORMATS,
    PNG_WIDTH,
    check_width,
    parse_formats,
)
from hdgovreport.model import AnnualReport
from hdgovreport.render import fonts as _fonts
from hdgovreport.render.build import BuildResult, check_output_dir, checked, write_outputs
from hdgovreport.render.embed import EmbeddedFonts, embed_family, family_for

FontMode = Literal["web", "pdf"]

#: Height of the page WeasyPrint lays the graphic out on, in CSS px: far longer
#: than any graphic, so the layout is never split into pages; the page is then
#: cut just below the content (and scaled to fit when it is longer than PDF
#: viewers accept, 14 400 pt).
PAGE_HEIGHT = 1_000_000
#: Id of the empty element after the content, where the PDF page is cut.
END_ANCHOR = "graphic-end"


def _say(key: str, **fields: object) -> Markup:
    """A phrase from wording.yaml, escaped, with Markup fields (figures) kept as markup."""
    return (
        Markup(escape(_wording.phrase(key))).format(**fields)
        if fields
        else escape(_wording.phrase(key))
    )


def _verbatim(text: str, source: str) -> Markup:
    """Report text shown as it is, marked with the model path it comes from."""
    return Markup('<span class="verbatim" data-source="{}">{}</span>').format(source, text)


@functools.cache
def _web_fonts() -> dict[str, str]:
    from hdgovreport.render.html import web_fonts

    stacks = web_fonts()
    return {"sans": stacks["heading1"]}


def _pdf_fonts(fontset: _fonts.FontSet, embedded: EmbeddedFonts | None = None) -> dict[str, str]:
    # one face (黑体) in two weights: each further face costs the PDF a font subset
    stack = fontset.css_stack("heading1")
    if embedded is None:
        return {"sans": stack}
    return {"sans": f'"{embedded.families["sans"]}", {stack}'}


def _embedded(fontset: _fonts.FontSet, html: str) -> EmbeddedFonts | None:
    """The 黑体 face in its regular and bold weights, subset to the characters of ``html``.

    WeasyPrint then lays out and embeds two fonts of a few hundred glyphs instead of
    subsetting two 20 MB collections itself (the graphic's PDF about 0.15 s faster and
    smaller). Every character of the page is in the subset — text, the CSS's generated
    content and markup alike — so nothing falls back that did not before.  ``None``
    (the system faces, as before) when the family has no installed bold face (SimHei):
    the bold text is then the system's own bold.
    """
    regular = fontset.face("heading1")
    bold = _fonts.bold_of(regular) if regular is not None else None
    if regular is None or bold is None:
        return None
    return embed_family(family_for(regular), {400: regular, 700: bold}, html, scheme_key="graphic")


def render_html(
    graphic: Graphic,
    *,
    font_mode: FontMode = "web",
    fontset: _fonts.FontSet | None = None,
    embedded: EmbeddedFonts | None = None,
) -> str:
    """The graphic as one self-contained HTML page; deterministic for a given graphic."""
    from hdgovreport.render.html import environment

    if font_mode == "web":
        fonts = _web_fonts()
    else:
        fonts = _pdf_fonts(fontset or _fonts.resolve(), embedded)
    env = environment()
    css = env.get_template("graphic/graphic.css.j2").render(
        fonts=fonts,
        page_height=PAGE_HEIGHT,
        font_faces=embedded.css if embedded is not None and font_mode == "pdf" else "",
    )
    lines = alttext.lines(graphic)
    context: dict[str, Any] = {
        "g": graphic,
        "css": Markup(css),
        "fonts": fonts,
        "say": _say,
        "verbatim": _verbatim,
        "headings": {attr: section_heading(attr, numbered=False) for attr in section_order()},
        "units": _wording.table("units"),
        "formula": formula(),
        "describe": alttext.shares_text,
        # the text version is for the page; the PDF and the PNG are the picture itself
        "text_version": lines if font_mode == "web" else (),
        "description": alttext.headline(graphic),
    }
    return env.get_template("graphic/graphic.html.j2").render(**context)


def render_pdf(graphic: Graphic) -> bytes:
    """The graphic as a one-page PDF, 750 CSS px wide and as long as its content."""
    fontset = _fonts.resolve()
    from hdgovreport.render.pdf import DenyAllFetcher, html_to_pdf

    html = render_html(graphic, font_mode="pdf", fontset=fontset)
    embedded = _embedded(fontset, html)
    if embedded is None:
        return html_to_pdf(html, trim_to=END_ANCHOR)
    html = render_html(graphic, font_mode="pdf", fontset=fontset, embedded=embedded)
    return html_to_pdf(html, fetcher=DenyAllFetcher(embedded), trim_to=END_ANCHOR)


def pdf_to_png(pdf: bytes, width: int = PNG_WIDTH) -> bytes:
    """Rasterise the graphic's one-page PDF at ``width`` pixels wide."""
    from hdgovreport.graphic.png import pdf_to_png as rasterise

    return rasterise(pdf, width)


def render(
    report: AnnualReport,
    formats: Iterable[str] = DEFAULT_FORMATS,
    *,
    previous: AnnualReport | None = None,
    allow_errors: bool = False,
    result: CheckResult | None = None,
    width: int = PNG_WIDTH,
) -> tuple[dict[str, bytes], CheckResult]:
    """Render the graphic in memory: ``({format: bytes}, check result)``.

    Raises :class:`~hdgovreport.render.build.BuildRefused` when the report has
    errors and ``allow_errors`` is false.  The PNG is made from the PDF, so
    asking for both lays the page out once.  ``width`` is the PNG's, in pixels.
    """
    wanted = parse_formats(formats)
    check_width(width)
    result = checked(report, previous=previous, allow_errors=allow_errors, result=result)
    graphic = build_graphic(report, result, previous)
    out: dict[str, bytes] = {}
    pdf: Callable[[], bytes] = functools.cache(lambda: render_pdf(graphic))
    for fmt in wanted:
        if fmt == "html":
            out[fmt] = render_html(graphic).encode("utf-8")
        elif fmt == "pdf":
            out[fmt] = pdf()
        elif fmt == "png":
            out[fmt] = pdf_to_png(pdf(), width)
        else:
            out[fmt] = alttext.text(graphic).encode("utf-8")
    return out, result


def build(
    report: AnnualReport,
    formats: Iterable[str],
    out_dir: str | Path,
    *,
    stem: str = "report",
    previous: AnnualReport | None = None,
    allow_errors: bool = False,
    result: CheckResult | None = None,
    width: int = PNG_WIDTH,
) -> BuildResult:
    """Render, then write ``<out_dir>/<stem>.graphic.<format>`` for each format, as one set."""
    check_output_dir(out_dir)
    data, result = render(
        report, formats, previous=previous, allow_errors=allow_errors, result=result, width=width
    )
    return BuildResult(outputs=write_outputs(data, out_dir, stem, FORMATS), result=result)
