"""The official edition as PDF: WeasyPrint over the same HTML, with print CSS.

WeasyPrint may load nothing but what we hand it: the page embeds its CSS,
and the URL fetcher refuses every URL (``file:``, ``http:``, ``data:``…), so
text in a report can never make the PDF engine read a file or reach the
network.  The PDF is tagged (for screen readers), carries title, author and
language, and has no creation-time randomness.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import io
import logging
import sys
import threading
from collections.abc import Iterator
from typing import Any, Protocol

from hdgovreport.document import Document
from hdgovreport.errors import RenderError
from hdgovreport.render import fonts as _fonts
from hdgovreport.render.embed import response
from hdgovreport.render.html import render_html
from hdgovreport.render.pdflayout import GridLayout

_LOCK = threading.Lock()

#: The largest page side PDF viewers accept (ISO 32000 implementation limit: 200 inches).
MAX_PAGE_PT = 14400.0
_PT_PER_PX = 0.75


class RefusedFetch(Exception):
    """Raised by the fetcher for every URL; WeasyPrint treats it as a missing resource."""


class Resources(Protocol):
    """A build's own in-memory resources, by URL (``None``: not one of them)."""

    def fetch(self, url: str) -> bytes | None: ...


class DenyAllFetcher:
    """A WeasyPrint URL fetcher that fetches nothing and remembers what was asked.

    ``fonts`` are the only exception: the faces this build subset and embedded
    (:mod:`hdgovreport.render.embed`) and its watermark, by their exact in-memory
    URL.  User text never reaches the CSS, so it cannot name one.
    """

    _fail_on_errors = False  # read by WeasyPrint: a refused URL is a missing resource, not a crash

    def __init__(self, fonts: Resources | None = None) -> None:
        self.refused: list[str] = []
        self.fonts = fonts

    def fetch(self, url: str, headers: Any = None) -> Any:
        payload = self.fonts.fetch(url) if self.fonts is not None else None
        if payload is not None:
            return response(url, payload)
        self.refused.append(url)
        raise RefusedFetch(f"hdgovreport: 不加载外部资源 {url[:80]}")

    def __call__(self, url: str) -> Any:
        return self.fetch(url)


@contextlib.contextmanager
def _quiet_weasyprint() -> Iterator[list[str]]:
    """Collect WeasyPrint's log messages instead of printing them."""
    messages: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            messages.append(record.getMessage())

    logger = logging.getLogger("weasyprint")
    handler = Collect(level=logging.WARNING)
    saved = (logger.level, logger.propagate)
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING)
    logger.propagate = False
    try:
        yield messages
    finally:
        logger.removeHandler(handler)
        logger.setLevel(saved[0])
        logger.propagate = saved[1]


def render_pdf(document: Document, *, fetcher: DenyAllFetcher | None = None) -> bytes:
    """The document as PDF bytes. Raises :class:`FontError` when no CJK font is installed.

    The body is set on the GB/T 9704 grid by our own line setter, with the
    chosen faces subset to the document's characters and embedded from memory.
    """
    fontset = _fonts.resolve()
    layout = GridLayout(document, fontset)
    html = render_html(document, font_mode="pdf", fontset=fontset, layout=layout)
    if fetcher is None:
        fetcher = DenyAllFetcher(layout)
    elif fetcher.fonts is None:
        fetcher.fonts = layout
    return html_to_pdf(html, fetcher=fetcher)


@contextlib.contextmanager
def _frozen_gc() -> Iterator[None]:
    """No garbage collection while WeasyPrint builds its ~10⁵ boxes (they are all live)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load_weasyprint() -> Any:
    """``import weasyprint``, on Linux without its ~20 ``ctypes.util.find_library`` calls.

    WeasyPrint opens Pango, HarfBuzz and fontconfig by trying a list of names per library;
    cffi answers each name it cannot open directly with ``find_library``, which on Linux
    runs ``ldconfig`` (and ``gcc`` and ``ld`` when that fails): about half a second of
    subprocesses per process. Every list also holds the library's Linux soname
    (``libpango-1.0.so.0``), which the dynamic loader opens by itself from the same
    search path ``find_library`` reads, so during the import a name the loader cannot
    open is simply not found. Should the import fail that way, it is redone as usual.
    """
    if "weasyprint" in sys.modules or not sys.platform.startswith("linux"):
        import weasyprint

        return weasyprint
    import ctypes.util

    original = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:  # (WeasyPrint prints its installation help before failing: not for this attempt)
        with contextlib.redirect_stdout(io.StringIO()):
            import weasyprint

        return weasyprint
    except OSError:
        for name in [m for m in sys.modules if m == "weasyprint" or m.startswith("weasyprint.")]:
            del sys.modules[name]
    finally:
        ctypes.util.find_library = original
    import weasyprint

    return weasyprint


def html_to_pdf(
    html: str, *, fetcher: DenyAllFetcher | None = None, trim_to: str | None = None
) -> bytes:
    """Lay out our own HTML as a tagged PDF, refusing every external resource.

    ``trim_to`` is the id of an element: the page holding it ends just above
    it and later pages are dropped, so a document laid out on one tall page
    (the graphic edition's long image) is exactly as long as its content.  A
    page longer than PDF viewers accept (:data:`MAX_PAGE_PT`) is scaled down
    as a whole to fit, never split.
    """
    weasyprint = load_weasyprint()  # imported here: ~1 s, only when a PDF is wanted

    fetcher = fetcher or DenyAllFetcher()
    with _LOCK, _quiet_weasyprint(), _frozen_gc():  # logging and font state are per process
        try:
            source = _html_source(weasyprint, html, fetcher)
            document = source.render(pdf_tags=True)
            zoom = 1.0
            if trim_to is not None:
                document = _trim(document, trim_to)
                tallest = max(page.height for page in document.pages) * _PT_PER_PX
                zoom = min(1.0, MAX_PAGE_PT / tallest)
            pdf = document.write_pdf(zoom=zoom, pdf_tags=True)
        except RenderError:
            raise
        except Exception as exc:
            raise RenderError(f"生成 PDF 失败：{type(exc).__name__}: {exc}") from exc
    if not isinstance(pdf, bytes):
        raise RenderError("生成 PDF 失败：WeasyPrint 没有返回数据")
    return pdf


def _html_source(weasyprint: Any, html: str, fetcher: DenyAllFetcher) -> Any:
    """WeasyPrint's document for ``html``: our own pages' element tree built by
    :mod:`hdgovreport.render.htmltree` (the same tree, seven times faster than WeasyPrint's
    HTML5 parser), else — other markup, or a WeasyPrint this was not made for — parsed by
    WeasyPrint as usual."""
    from hdgovreport.render.htmltree import tree

    root = tree(html)
    parsed = _parsed_html_class(weasyprint)
    if root is None or parsed is None:
        return weasyprint.HTML(string=html, base_url=None, url_fetcher=fetcher)
    return parsed(root, fetcher)


@functools.cache
def _parsed_html_class(weasyprint: Any) -> Any:
    """A ``weasyprint.HTML`` made from an element tree instead of markup, or ``None``.

    It sets what ``HTML.__init__`` sets after parsing (checked against a small page when
    first made: the same attributes, the same values), so the rest of WeasyPrint sees an
    ordinary document.
    """
    import cssselect2

    class ParsedHTML(weasyprint.HTML):  # type: ignore[misc]
        def __init__(self, root: Any, url_fetcher: Any) -> None:
            self.base_url = None
            self.url_fetcher = url_fetcher
            self.media_type = "print"
            self.wrapper_element = cssselect2.ElementWrapper.from_html_root(
                root, content_language=None
            )
            self.etree_element = self.wrapper_element.etree_element

    from hdgovreport.render.htmltree import tree

    probe = '<!DOCTYPE html>\n<html lang="zh-CN">\n<head><meta charset="utf-8"></head>\n<body><p>一</p></body>\n</html>\n'
    fetcher = DenyAllFetcher()
    try:
        ours = ParsedHTML(tree(probe), fetcher)
        theirs = weasyprint.HTML(string=probe, base_url=None, url_fetcher=fetcher)
    except Exception:
        return None
    same = set(vars(ours)) == set(vars(theirs)) and all(
        getattr(ours, k) == getattr(theirs, k) for k in ("base_url", "url_fetcher", "media_type")
    )
    return ParsedHTML if same else None


def _trim(document: Any, anchor: str) -> Any:
    """Cut the page holding ``anchor`` just above it (public ``Page.anchors`` and ``Page.height``)."""
    for index, page in enumerate(document.pages):
        position = page.anchors.get(anchor)
        if position is not None:
            page.height = min(page.height, max(float(position[1]), 1.0))
            return document.copy(document.pages[: index + 1])
    raise RenderError(f"生成 PDF 失败：版面中没有找到结束标记 #{anchor}")
