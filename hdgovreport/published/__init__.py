"""Read published reports back in: plain text, HTML, DOCX and PDF.

Two stages: :mod:`hdgovreport.published.extract` takes a file apart into one
stream of blocks and table grids (one module per shape, nothing about labels);
:mod:`hdgovreport.published.interpret` turns the stream into the report model
with where every value came from, in small stages.  Published files are
untrusted: sizes and time are bounded (:mod:`hdgovreport.published.limits`),
XML entities are never resolved, nothing is fetched.
"""

from hdgovreport.errors import UnreadableError
from hdgovreport.published.detect import FORMAT_NAMES, detect_format
from hdgovreport.published.export import tables_json
from hdgovreport.published.interpret import PublishedReport, ReadNote
from hdgovreport.published.limits import MAX_BYTES, TIME_LIMIT
from hdgovreport.published.reader import (
    merge_hints,
    read_any,
    read_published,
    read_published_bytes,
)

__all__ = [
    "FORMAT_NAMES",
    "MAX_BYTES",
    "TIME_LIMIT",
    "PublishedReport",
    "ReadNote",
    "UnreadableError",
    "detect_format",
    "merge_hints",
    "read_any",
    "read_published",
    "read_published_bytes",
    "tables_json",
]
