"""Read the graphic edition's HTML back: every figure, percentage, quote and the untagged text.

The text version (``details.text-version``) says every figure again in plain
text; it is read back by its own test, so it is not part of the untagged text.
"""

from __future__ import annotations

from html.parser import HTMLParser

import attrs

#: Elements whose text is a tagged value (checked against the model elsewhere); the
#: 校验未通过 notice names rule codes (T4-sum), checked by its own test.
TAGGED = (
    "fig",
    "pct",
    "chg",
    "quote",
    "verbatim",
    "curated-figure",
    "unverified-text",
    "text-version",
)
#: Elements whose text is not shown on the page.
UNSHOWN = ("style", "title", "desc", "head", "script")
VOID = {"meta", "link", "br", "img", "input", "hr", "col", "source", "wbr"}


@attrs.define
class Element:
    tag: str
    attrs: dict[str, str]
    text: str = ""
    children: list[Element] = attrs.field(factory=list)
    parent: Element | None = None

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def iter(self):  # type: ignore[no-untyped-def]
        yield self
        for child in self.children:
            yield from child.iter()

    def find_all(self, tag: str | None = None, cls: str | None = None) -> list[Element]:
        return [
            e
            for e in self.iter()
            if (tag is None or e.tag == tag) and (cls is None or cls in e.classes)
        ]

    def ancestors(self):  # type: ignore[no-untyped-def]
        node = self.parent
        while node is not None:
            yield node
            node = node.parent


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#root", {})
        self.stack = [self.root]
        self.untagged: list[str] = []

    def handle_starttag(self, tag: str, attributes: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attributes}, parent=self.stack[-1])
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attributes: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attributes}, parent=self.stack[-1])
        self.stack[-1].children.append(element)

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        for element in self.stack:
            element.text += data
        names = [e.tag for e in self.stack]
        classes = {c for e in self.stack for c in e.classes}
        if not any(n in UNSHOWN for n in names) and not classes & set(TAGGED):
            self.untagged.append(data)


def parse(html: str) -> tuple[Element, str]:
    """(element tree, the shown text that is not inside a tagged element)."""
    builder = _Builder()
    builder.feed(html)
    builder.close()
    return builder.root, "".join(builder.untagged)
