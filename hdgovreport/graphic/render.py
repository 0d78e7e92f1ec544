"""Render the graphic edition: one HTML page, a one-page PDF, and a PNG long image.

The HTML is self-contained (inline CSS and SVG, no request of any kind).  The
PDF is the same page laid out by WeasyPrint (:func:`hdgovreport.render.pdf.html_to_pdf`,
which refuses every URL) on a page 750 CSS px wide, cut to the content's
length.  The PNG is that PDF rasterised by PDFium (pypdfium2) at 1500 px wide,
the 2× image WeChat shows sharply on a phone.  Everything is rendered in
memory first; only then are files written, each atomically.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, Literal

from markupsafe import Markup, escape

from hdgovreport.checks import CheckResult
from hdgovreport.errors import RenderError
from hdgovreport.form.layout import wording
from hdgovreport.graphic import wording as _wording
from hdgovreport.graphic.content import Graphic, build_graphic, formula
from hdgovreport.model import AnnualReport
from hdgovreport.render import fonts as _fonts
from hdgovreport.render.build import BuildResult, checked, write_outputs
from hdgovreport.render.build import parse_formats as _parse_formats

FontMode = Literal["web", "pdf"]

#: Width of the long image in pixels: twice the 750 CSS px design width.
PNG_WIDTH = 1500
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
    return {"sans": stacks["heading1"], "title": stacks["heading1"]}


def _pdf_fonts(fontset: _fonts.FontSet) -> dict[str, str]:
    return {"sans": fontset.css_stack("heading1"), "title": fontset.css_stack("heading1")}


def render_html(
    graphic: Graphic, *, font_mode: FontMode = "web", fontset: _fonts.FontSet | None = None
) -> str:
    """The graphic as one self-contained HTML page; deterministic for a given graphic."""
    from hdgovreport.render.html import environment

    fonts = _web_fonts() if font_mode == "web" else _pdf_fonts(fontset or _fonts.resolve())
    env = environment()
    css = env.get_template("graphic/graphic.css.j2").render(fonts=fonts, page_height=PAGE_HEIGHT)
    sections = wording().sections
    context: dict[str, Any] = {
        "g": graphic,
        "css": Markup(css),
        "fonts": fonts,
        "say": _say,
        "verbatim": _verbatim,
        "headings": sections,
        "units": _wording.table("units"),
        "formula": formula(),
    }
    return env.get_template("graphic/graphic.html.j2").render(**context)


def render_pdf(graphic: Graphic) -> bytes:
    """The graphic as a one-page PDF, 750 CSS px wide and as long as its content."""
    fontset = _fonts.resolve()
    from hdgovreport.render.pdf import html_to_pdf

    return html_to_pdf(render_html(graphic, font_mode="pdf", fontset=fontset), trim_to=END_ANCHOR)


#: Tallest band PDFium renders at once, in pixels: it draws nothing past about
#: 32 000 device pixels, so a long image is rendered band by band.
BAND_HEIGHT = 8192


def pdf_to_png(pdf: bytes, width: int = PNG_WIDTH) -> bytes:
    """Rasterise every page of ``pdf`` at ``width`` pixels and stack them into one PNG."""
    import pypdfium2
    from PIL import Image

    try:
        document = pypdfium2.PdfDocument(pdf)
    except pypdfium2.PdfiumError as exc:
        raise RenderError(f"生成 PNG 失败：无法读取 PDF（{exc}）") from exc
    try:
        bands: list[Any] = []
        for index in range(len(document)):
            page = document[index]
            page_width, page_height = page.get_size()
            scale = width / page_width
            height = round(page_height * scale)
            for top in range(0, height, BAND_HEIGHT):
                bottom = min(height, top + BAND_HEIGHT)
                # crop is (left, bottom, right, top) in points; rev_byteorder: PDFium
                # writes RGB, so the PIL image shares its buffer (no copy)
                bitmap = page.render(
                    scale=scale,
                    crop=(0, page_height - bottom / scale, 0, top / scale),
                    may_draw_forms=False,
                    rev_byteorder=True,
                )
                band = bitmap.to_pil()
                band = band if band.mode == "RGB" else band.convert("RGB")
                bands.append(band.crop((0, 0, width, bottom - top)))
            page.close()
    finally:
        document.close()
    if not bands:
        raise RenderError("生成 PNG 失败：PDF 没有页面")
    image = Image.new("RGB", (width, sum(b.height for b in bands)), "white")
    y = 0
    for band in bands:
        image.paste(band, (0, y))
        y += band.height
    out = io.BytesIO()
    # zlib level 1: about 5 % larger than level 6 and twice as fast on a 15-megapixel image
    image.save(out, format="PNG", compress_level=1)
    return out.getvalue()


#: Output format → file suffix.
FORMATS: Mapping[str, str] = {
    "html": ".graphic.html",
    "pdf": ".graphic.pdf",
    "png": ".graphic.png",
}


def parse_formats(text: str | Iterable[str]) -> tuple[str, ...]:
    """``"html,pdf,png"`` → ``("html", "pdf", "png")``; unknown names raise ``ValueError``."""
    return _parse_formats(text, FORMATS)


def render(
    report: AnnualReport,
    formats: Iterable[str] = tuple(FORMATS),
    *,
    previous: AnnualReport | None = None,
    allow_errors: bool = False,
    result: CheckResult | None = None,
) -> tuple[dict[str, bytes], CheckResult]:
    """Render the graphic in memory: ``({format: bytes}, check result)``.

    Raises :class:`~hdgovreport.render.build.BuildRefused` when the report has
    errors and ``allow_errors`` is false.  The PNG is made from the PDF, so
    asking for both lays the page out once.
    """
    wanted = parse_formats(formats)
    result = checked(report, previous=previous, allow_errors=allow_errors, result=result)
    graphic = build_graphic(report, result, previous)
    out: dict[str, bytes] = {}
    pdf: Callable[[], bytes] = functools.cache(lambda: render_pdf(graphic))
    for fmt in wanted:
        if fmt == "html":
            out[fmt] = render_html(graphic).encode("utf-8")
        elif fmt == "pdf":
            out[fmt] = pdf()
        else:
            out[fmt] = pdf_to_png(pdf())
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
) -> BuildResult:
    """Render, then write ``<out_dir>/<stem>.graphic.<format>`` for each format, atomically."""
    data, result = render(
        report, formats, previous=previous, allow_errors=allow_errors, result=result
    )
    return BuildResult(outputs=write_outputs(data, out_dir, stem, FORMATS), result=result)
