"""Our own pages as the element tree WeasyPrint lays out, built without its HTML5 parser.

WeasyPrint parses the HTML it is given with tinyhtml5, a pure-Python HTML5
parser: about 0.1 s for one of our pages, a tenth of a PDF's time.  The pages
it is given here are never arbitrary HTML: they are rendered from our own
templates, every value escaped, every element closed, no comment, script or
preformatted text.  For such markup the standard library's tokenizer
(:class:`html.parser.HTMLParser`) and an element tree builder give the same
tree as the HTML5 algorithm, about seven times faster, once the few places
where HTML5 moves or drops text are followed (:class:`_Builder`).  Tests
compare the two trees over the editions and many generated reports, and the
PDFs byte for byte; :func:`tree` gives ``None`` (use the HTML5 parser) for
markup outside that shape.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

#: Elements without content or end tag (HTML5 "void elements").
VOID = frozenset(
    {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    }
)
SVG_NS = "{http://www.w3.org/2000/svg}"
#: SVG elements this builder places (HTML5 "foreign content"): names as HTML5 spells them.
SVG_ELEMENTS = {
    name.lower(): name
    for name in [
        "svg",
        "g",
        "defs",
        "symbol",
        "use",
        "path",
        "circle",
        "rect",
        "line",
        "polyline",
        "polygon",
        "ellipse",
        "text",
        "tspan",
        "linearGradient",
        "radialGradient",
        "stop",
        "clipPath",
        "mask",
        "pattern",
        "marker",
    ]
}
#: SVG attributes HTML5 gives back their capitals (the tokenizer lowers every name).
SVG_ATTRIBUTES = {
    name.lower(): name
    for name in [
        "attributeName",
        "attributeType",
        "baseFrequency",
        "baseProfile",
        "calcMode",
        "clipPathUnits",
        "diffuseConstant",
        "edgeMode",
        "filterUnits",
        "glyphRef",
        "gradientTransform",
        "gradientUnits",
        "kernelMatrix",
        "kernelUnitLength",
        "keyPoints",
        "keySplines",
        "keyTimes",
        "lengthAdjust",
        "limitingConeAngle",
        "markerHeight",
        "markerUnits",
        "markerWidth",
        "maskContentUnits",
        "maskUnits",
        "numOctaves",
        "pathLength",
        "patternContentUnits",
        "patternTransform",
        "patternUnits",
        "pointsAtX",
        "pointsAtY",
        "pointsAtZ",
        "preserveAlpha",
        "preserveAspectRatio",
        "primitiveUnits",
        "refX",
        "refY",
        "repeatCount",
        "repeatDur",
        "requiredExtensions",
        "requiredFeatures",
        "specularConstant",
        "specularExponent",
        "spreadMethod",
        "startOffset",
        "stdDeviation",
        "stitchTiles",
        "surfaceScale",
        "systemLanguage",
        "tableValues",
        "targetX",
        "targetY",
        "textLength",
        "viewBox",
        "viewTarget",
        "xChannelSelector",
        "yChannelSelector",
        "zoomAndPan",
    ]
}
#: Markup whose HTML5 handling this builder does not follow: then the HTML5 parser is used.
_UNSUPPORTED = re.compile(
    r"<(?:pre|textarea|listing|plaintext|xmp|template|frameset|noscript|select|!--)\b", re.I
)


class Unsupported(Exception):
    """The markup is not in the shape this builder follows."""


class _Builder(HTMLParser):
    """Start and end tags onto an :class:`xml.etree.ElementTree.TreeBuilder`, as HTML5 builds
    a document that opens ``<html>``, ``<head>`` and ``<body>`` itself and closes every element:

    - text before ``<head>`` (whitespace) is dropped;
    - ``</body>`` and ``</html>`` close nothing: text after them goes into the body, after its
      last element (HTML5's "after body" modes);
    - an end tag that does not close the open element, or a tag after ``</body>``, is
      refused (HTML5 would repair it): :class:`Unsupported`.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.builder = ET.TreeBuilder()
        self.open: list[str] = []
        self.body: ET.Element | None = None
        self.after_body: list[str] = []
        self.seen_head = False
        self.body_ended = False
        self.svg = 0  # depth of open SVG elements

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.body_ended:
            raise Unsupported(f"<{tag}> after </body>")
        self._start(tag, attrs, closed=False)

    def _start(self, tag: str, attrs: list[tuple[str, str | None]], *, closed: bool) -> None:
        svg = self.svg or tag == "svg"
        if svg:
            if tag not in SVG_ELEMENTS:  # HTML inside SVG, or an element not followed here
                raise Unsupported(f"<{tag}> in <svg>")
            name = SVG_NS + SVG_ELEMENTS[tag]
        elif closed and tag not in VOID:
            raise Unsupported(f"<{tag}/>")
        else:
            name = tag
        attributes: dict[str, str] = {}
        for key, value in attrs:  # HTML5 keeps the first of repeated attributes
            if svg:
                if ":" in key:
                    raise Unsupported(f"{key}= in <svg>")
                key = SVG_ATTRIBUTES.get(key, key)
            attributes.setdefault(key, value if value is not None else "")
        element = self.builder.start(name, attributes)
        self.seen_head = self.seen_head or tag == "head"
        if tag == "body":
            self.body = element
        if (not svg and tag in VOID) or (svg and closed):
            self.builder.end(name)
        else:
            self.open.append(name)
            self.svg += svg

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.body_ended:
            raise Unsupported(f"<{tag}/> after </body>")
        self._start(tag, attrs, closed=True)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("body", "html"):
            if self.body is None:
                raise Unsupported(f"</{tag}> before <body>")
            self.body_ended = True
            return
        name = SVG_NS + SVG_ELEMENTS[tag] if self.svg and tag in SVG_ELEMENTS else tag
        if tag in VOID or self.body_ended or not self.open or self.open[-1] != name:
            raise Unsupported(f"</{tag}>")
        self.open.pop()
        self.svg -= name.startswith(SVG_NS)
        self.builder.end(name)

    def handle_data(self, data: str) -> None:
        if not self.seen_head:
            if data.strip():
                raise Unsupported("text before <head>")
            return
        if self.body_ended:
            self.after_body.append(data)
            return
        self.builder.data(data)

    def handle_decl(self, decl: str) -> None:
        if decl.lower() != "doctype html":
            raise Unsupported(decl)

    def handle_comment(self, data: str) -> None:
        raise Unsupported("comment")

    def handle_pi(self, data: str) -> None:
        raise Unsupported("processing instruction")

    def unknown_decl(self, data: str) -> None:
        raise Unsupported(data)


def tree(html: str) -> ET.Element | None:
    """The element tree of one of our pages, as WeasyPrint's HTML5 parser builds it
    (``namespace_html_elements=False``), or ``None`` when the markup is not in the shape
    this builder follows."""
    if _UNSUPPORTED.search(html):
        return None
    # the HTML5 input stream: newlines normalised, NUL replaced
    text = html.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "\ufffd")
    builder = _Builder()
    try:
        builder.feed(text)
        builder.close()
    except Unsupported:
        return None
    if builder.body is None or builder.open[:2] != ["html", "body"] or len(builder.open) != 2:
        return None
    builder.builder.end("body")
    builder.builder.end("html")
    root = builder.builder.close()
    if builder.after_body:
        _append_text(builder.body, "".join(builder.after_body))
    return root


def _append_text(parent: ET.Element, text: str) -> None:
    children = list(parent)
    if children:
        children[-1].tail = (children[-1].tail or "") + text
    else:
        parent.text = (parent.text or "") + text
