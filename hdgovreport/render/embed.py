"""The PDF's faces, subset to the document's characters once per build.

Each chosen face (:mod:`hdgovreport.render.fonts`) is cut down with
HarfBuzz's subsetter (``uharfbuzz``, ~10 ms for a 20 MB CJK collection) to
the characters the document uses, and handed to WeasyPrint from memory
through ``@font-face`` rules whose URLs only our own fetcher answers
(``hdgov-font:<role>``).  WeasyPrint then lays out and subsets a font of a few
hundred glyphs instead of one of 65,000 — faster, a smaller PDF — and the
same face, by path, on every platform (no fontconfig name lookup).  The
PDF still refuses every other URL.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from hdgovreport.document import Document, Heading, Paragraph, Table
from hdgovreport.render.fonts import FontSet, hb_face
from hdgovreport.render.fontscan import Face

#: URL scheme of our in-memory faces; the fetcher serves these and nothing else.
SCHEME = "hdgov-font"
#: Characters every PDF may draw besides the document's text: page numbers, markers.
EXTRA = "— 0123456789※*·：（）"


def document_text(document: Document) -> str:
    """Every character the official edition may draw for ``document``."""
    parts: list[str] = [document.title, document.agency, EXTRA]
    if document.banner is not None:
        parts += [document.banner.title, document.banner.text, *document.banner.messages]
    for block in document.blocks():
        if isinstance(block, Heading | Paragraph):
            parts.append(block.full_text)
        elif isinstance(block, Table):
            parts.append(block.caption)
            parts += [cell.text for row in block.rows() for cell in row.cells]
            parts += [note.text for note in block.notes]
    return "".join(parts)


def _chars(text: str) -> str:
    """The characters a subset must hold to draw ``text``, in a stable order."""
    return "".join(sorted(set(text) - {"\n", "\r", "\t"}))


@functools.lru_cache(maxsize=32)
def subset(path: str, index: int, chars: str) -> bytes:
    """The face at ``path``/``index`` reduced to ``chars`` (layout features kept)."""
    import uharfbuzz as hb

    plan = hb.SubsetInput()
    for char in chars:
        plan.unicode_set.add(ord(char))
    plan.flags = hb.SubsetFlags.NO_HINTING  # hinting is for screens; the PDF never uses it
    out = hb.subset(hb_face(path, index), plan)
    if out is None:
        raise ValueError(f"HarfBuzz could not subset {path}")
    return bytes(out.blob.data)


@attrs.frozen
class EmbeddedFonts:
    """``@font-face`` CSS for every role and the bytes behind its URLs."""

    css: str
    data: Mapping[str, bytes]  # URL → font bytes
    families: Mapping[str, str]  # role → CSS family name of its embedded face

    def fetch(self, url: str) -> bytes | None:
        return self.data.get(url)


def family_for(face: Face) -> str:
    """A CSS family name of our own for an embedded face: it never matches a system font."""
    weight = f" {face.weight}" if face.weight != 400 else ""
    return f"hdgov {face.family}{weight}"


def embed(fontset: FontSet, text: str, roles: Iterable[str] | None = None) -> EmbeddedFonts:
    """Subset each role's face to ``text`` and describe it as ``@font-face`` rules."""
    chars = _chars(text)
    data: dict[str, bytes] = {}
    rules: list[str] = []
    families: dict[str, str] = {}
    done: set[Face] = set()
    for role in roles or fontset.choices:
        face = fontset.face(role)
        if face is None:
            continue
        if face not in done:  # roles sharing a face share one embedded font
            try:
                payload = subset(face.path, face.index, chars)
            except Exception:  # an unreadable face: WeasyPrint falls back to the system one
                continue
            done.add(face)
            url = f"{SCHEME}:{role}"
            data[url] = payload
            rules.append(f'@font-face {{ font-family: "{family_for(face)}"; src: url("{url}"); }}')
        families[role] = family_for(face)
    return EmbeddedFonts(css="\n".join(rules), data=data, families=families)


def embed_family(
    name: str, faces: Mapping[int, Face], text: str, *, scheme_key: str
) -> EmbeddedFonts | None:
    """One CSS family ``name`` with a face per weight (400, 700…), each subset to ``text``.

    ``None`` when a face cannot be subset: the caller keeps the system faces.  The
    family is under ``families["sans"]``; URLs are ``hdgov-font:<scheme_key>-<weight>``.
    """
    chars = _chars(text)
    data: dict[str, bytes] = {}
    rules: list[str] = []
    for weight, face in sorted(faces.items()):
        try:
            payload = subset(face.path, face.index, chars)
        except Exception:
            return None
        url = f"{SCHEME}:{scheme_key}-{weight}"
        data[url] = payload
        rules.append(
            f'@font-face {{ font-family: "{name}"; font-weight: {weight}; src: url("{url}"); }}'
        )
    return EmbeddedFonts(css="\n".join(rules), data=data, families={"sans": name})


def response(url: str, payload: bytes) -> Any:
    """A WeasyPrint fetcher response holding ``payload`` (a face, or the watermark's SVG)."""
    from weasyprint.urls import URLFetcherResponse

    kind = "image/svg+xml" if payload.startswith(b"<svg") else "font/otf"
    return URLFetcherResponse(url, body=payload, headers={"Content-Type": kind})
