"""Every limit on reading a published file, stated once.

Published files come from the web and are untrusted.  The readers, their
messages and ``docs/reading.md`` all take the numbers from here, so what a
message says is what the documentation says (``tests/test_read_limits.py``
checks the table in the documentation against these values).
"""

from __future__ import annotations

from hdgovreport.model.values import MAX_DIGITS, MAX_TEXT

MB = 1024 * 1024

#: Largest file accepted, by shape (bytes).
MAX_BYTES = {
    "text": 8 * MB,
    "html": 16 * MB,
    "docx": 32 * MB,
    "pdf": 64 * MB,
    "data": 2 * MB,
}
#: Seconds one published file may take to read.
TIME_LIMIT = 30.0
#: Longest paragraph, title or table cell read, in characters (the model's own bound).
MAX_PARAGRAPH = MAX_TEXT
#: Most digits a published number may have (the model's bound for numbers typed as text).
MAX_NUMBER_DIGITS = MAX_DIGITS

# ---------------------------------------------------------------- PDF
#: Most pages read from one PDF.
MAX_PAGES = 300
#: Most characters read from one PDF.
MAX_CHARS = 2_000_000
#: Most path segments examined on one page (table rules).
MAX_SEGMENTS = 50_000

# ---------------------------------------------------------------- HTML
#: Deepest element nesting accepted.
MAX_HTML_DEPTH = 400
#: Most table cells read from one page.
MAX_CELLS = 200_000

# ---------------------------------------------------------------- DOCX
#: Most members a .docx archive may have.
MAX_MEMBERS = 5000
#: Largest XML part read, uncompressed (bytes).  A report's ``word/document.xml`` is rarely
#: over 5 MB; 24 MB keeps a reader's memory well under 300 MB.
MAX_PART = 24 * MB
#: Largest total of all parts, uncompressed (bytes).
MAX_UNPACKED = 128 * MB
#: Highest compression ratio accepted for a part over 1 MB (a zip bomb compresses far better).
MAX_RATIO = 200
#: Deepest XML nesting walked.
MAX_XML_DEPTH = 200
#: Most XML elements in one paragraph or table of the body.
MAX_ELEMENTS = 400_000


def size_text(n: int) -> str:
    """A size for messages: ``8 MB``."""
    return f"{n // MB} MB" if n % MB == 0 else f"{n / MB:.1f} MB"


def too_large(fmt: str, size: int) -> str:
    """The message for a file over its shape's limit."""
    from hdgovreport.published.detect import FORMAT_NAMES

    kind = FORMAT_NAMES.get(fmt, "")
    return f"文件过大（{size / MB:.1f} MB，{kind}文件的上限为 {size_text(MAX_BYTES[fmt])}）"


__all__ = [
    "MAX_BYTES",
    "MAX_CELLS",
    "MAX_CHARS",
    "MAX_ELEMENTS",
    "MAX_HTML_DEPTH",
    "MAX_MEMBERS",
    "MAX_NUMBER_DIGITS",
    "MAX_PAGES",
    "MAX_PARAGRAPH",
    "MAX_PART",
    "MAX_RATIO",
    "MAX_SEGMENTS",
    "MAX_UNPACKED",
    "MAX_XML_DEPTH",
    "TIME_LIMIT",
    "too_large",
]
