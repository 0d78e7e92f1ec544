"""The official edition as HTML: a standalone page or a fragment for a CMS.

Jinja2 with autoescaping renders ``templates/official/report.html.j2`` over
the document tree; the CSS is embedded, so the page makes no external
request.  User text is always escaped.
"""

from __future__ import annotations

import contextlib
import functools
import os
import pickle
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal, Protocol

import jinja2
from markupsafe import Markup

from hdgovreport.document import Document, Heading, Paragraph
from hdgovreport.render import fonts as _fonts
from hdgovreport.resources import templates_dir

FontMode = Literal["web", "pdf"]


class PdfLayout(Protocol):
    """What the PDF renderer hands the template: faces and a line setter."""

    families: Mapping[str, str]
    font_faces: str

    def set_block(self, block: Heading | Paragraph) -> Markup: ...

    def style(self, block: Heading | Paragraph) -> str: ...

    def watermark(self, text: str) -> str: ...


class _TemplateCache(jinja2.FileSystemBytecodeCache):
    """Jinja's compiled templates, kept in the user's cache folder across processes.

    Compiling the templates costs a process about 0.2 s (the graphic page alone 0.18 s);
    loading them compiled costs milliseconds. Jinja keys each file by the template's
    name and checks its source's checksum, so an edited or upgraded template is compiled
    again. A cache that cannot be read or written is ignored: the page is rendered as
    without one.
    """

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except (OSError, EOFError, ValueError, TypeError, pickle.UnpicklingError):
            bucket.reset()  # a damaged file: compile the template

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):  # read-only or full: no cache this time
            super().dump_bytecode(bucket)


def _private_folder(folder: Path) -> Path | None:
    """``folder``, created for this user only, or ``None`` when it is not safe to load from.

    Compiled templates are code: a folder another user can write to is never used.
    """
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if os.name == "posix":
            info = os.lstat(folder)
            if info.st_uid != os.getuid() or info.st_mode & 0o022 or not folder.is_dir():
                return None
    except OSError:
        return None
    return folder


def template_cache() -> jinja2.BytecodeCache | None:
    """The cache of compiled templates under ``HDGOV_CACHE_DIR`` (or the user cache folder)."""
    from hdgovreport.render.fontscan import cache_dir

    base = cache_dir()
    folder = _private_folder(base / "templates") if base is not None else None
    return _TemplateCache(str(folder)) if folder is not None else None


@functools.cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        bytecode_cache=template_cache(),
        # HTML templates escape every value; the CSS template is not HTML and is not escaped
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "html.j2"), default=False),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    env.tests["heading"] = lambda b: isinstance(b, Heading)
    env.tests["paragraph"] = lambda b: isinstance(b, Paragraph)
    env.globals["total_width"] = lambda t: sum(t.widths_mm)
    return env


def _stack(names: list[str], generic: str | None) -> str:
    quoted = [f'"{n}"' for n in dict.fromkeys(names)]
    if generic:
        quoted.append(generic)
    return ", ".join(quoted)


@functools.cache
def web_fonts() -> dict[str, str]:
    """Font stacks for the web page: the official faces first, then macOS and free ones."""
    generic = {
        "title": "serif",
        "body": "serif",
        "heading1": "sans-serif",
        "heading2": "serif",
        "table": "serif",
    }
    stacks: dict[str, str] = {}
    for role, tiers in _fonts.PREFERENCES.items():
        names: list[str] = []
        for want in (w for tier in tiers for w in tier):
            if want.min_weight >= 600:  # a bold face: only through its own @font-face
                bold = _bold_family(role)
                if bold not in names:
                    names.append(bold)
            else:
                names.append(want.name)
        stacks[role] = _stack(names, generic[role])
    return stacks


def _bold_family(role: str) -> str:
    return f"hdgov {role} bold"


@functools.cache
def web_font_faces() -> str:
    """``@font-face`` rules naming the installed bold faces a role wants, by ``local()``.

    The title wants a heavy Song: where 方正小标宋 is missing, the page asks for the
    *bold* face of a free Song by its full and PostScript names — never the regular
    weight with ``font-weight: bold`` (which would also embolden 方正小标宋 itself).
    """
    rules = []
    for role, tiers in _fonts.PREFERENCES.items():
        sources = []
        for want in (w for tier in tiers for w in tier):
            if want.min_weight >= 600:
                compact = want.name.replace(" ", "").replace("CJKSC", "CJKsc")
                sources += [f'local("{want.name} Bold")', f'local("{compact}-Bold")']
        if sources:
            rules.append(
                f'@font-face {{ font-family: "{_bold_family(role)}"; src: {", ".join(sources)}; }}'
            )
    return "\n".join(rules)


def pdf_fonts(fontset: _fonts.FontSet) -> dict[str, str]:
    """Font stacks for the PDF: only installed CJK faces, so no glyph falls back to a Latin font."""
    return {role: fontset.css_stack(role) for role in _fonts.PREFERENCES}


def css(
    font_stacks: dict[str, str],
    *,
    standalone: bool = True,
    pdf: bool = False,
    font_faces: str = "",
    watermark: str = "",
) -> str:
    """The stylesheet with the given font stacks (screen, print and PDF rules).

    Every selector is scoped to ``.hdgov-report``; only a standalone page also
    resets the page's own margins for print.  ``pdf`` adds the rules of the
    PDF's own line setting (:mod:`hdgovreport.render.typeset`) and ``font_faces``
    its embedded faces; ``watermark`` is the URL of the image laid under every PDF page.
    """
    template = environment().get_template("official/official.css.j2")
    return template.render(
        fonts=font_stacks,
        standalone=standalone,
        pdf=pdf,
        font_faces=Markup(font_faces),
        watermark=watermark,
    )


def render_html(
    document: Document,
    *,
    fragment: bool = False,
    font_mode: FontMode = "web",
    fontset: _fonts.FontSet | None = None,
    layout: PdfLayout | None = None,
) -> str:
    """The document as HTML text (UTF-8 when encoded); deterministic for a given document.

    ``layout`` (PDF only) sets the body text line by line on the official grid and
    uses the embedded, subset faces.
    """
    from hdgovreport import __version__

    faces = ""
    if font_mode == "web":
        stacks = web_fonts()
        faces = web_font_faces()
    else:
        stacks = pdf_fonts(fontset or _fonts.resolve())
        if layout is not None:
            stacks = {
                role: f'"{layout.families[role]}", {stack}' if role in layout.families else stack
                for role, stack in stacks.items()
            }
    # the PDF's watermark: glyph outlines under every page (the web page: CSS generated content)
    watermark = ""
    if layout is not None and document.banner is not None:
        watermark = layout.watermark(document.banner.title)
    context: dict[str, Any] = {
        "doc": document,
        "fragment": fragment,
        "css": Markup(
            css(
                stacks,
                standalone=not fragment,
                pdf=font_mode == "pdf",
                font_faces=layout.font_faces if layout is not None else faces,
                watermark=watermark,
            )
        ),
        "version": __version__,
        "setter": layout.set_block if layout is not None else None,
        "block_style": layout.style if layout is not None else None,
    }
    return environment().get_template("official/report.html.j2").render(**context)
