"""The official edition as HTML: a standalone page or a fragment for a CMS.

Jinja2 with autoescaping renders ``templates/official/report.html.j2`` over
the document tree; the CSS is embedded, so the page makes no external
request.  User text is always escaped.
"""

from __future__ import annotations

import functools
from typing import Any, Literal

import jinja2
from markupsafe import Markup

from hdgovreport.document import Document, Heading, Paragraph
from hdgovreport.render import fonts as _fonts
from hdgovreport.resources import templates_dir

FontMode = Literal["web", "pdf"]


@functools.cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
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
    return {
        role: _stack([n for tier in tiers for n in tier], generic[role])
        for role, tiers in _fonts.PREFERENCES.items()
    }


def pdf_fonts(fontset: _fonts.FontSet) -> dict[str, str]:
    """Font stacks for the PDF: only installed CJK faces, so no glyph falls back to a Latin font."""
    return {role: fontset.css_stack(role) for role in _fonts.PREFERENCES}


def css(font_stacks: dict[str, str], *, standalone: bool = True) -> str:
    """The stylesheet with the given font stacks (screen, print and PDF rules).

    Every selector is scoped to ``.hdgov-report``; only a standalone page also
    resets the page's own margins for print.
    """
    template = environment().get_template("official/official.css.j2")
    return template.render(fonts=font_stacks, standalone=standalone)


def render_html(
    document: Document,
    *,
    fragment: bool = False,
    font_mode: FontMode = "web",
    fontset: _fonts.FontSet | None = None,
) -> str:
    """The document as HTML text (UTF-8 when encoded); deterministic for a given document."""
    from hdgovreport import __version__

    stacks = web_fonts() if font_mode == "web" else pdf_fonts(fontset or _fonts.resolve())
    context: dict[str, Any] = {
        "doc": document,
        "fragment": fragment,
        "css": Markup(css(stacks, standalone=not fragment)),
        "version": __version__,
    }
    return environment().get_template("official/report.html.j2").render(**context)
