"""Read published reports back in: plain text, HTML, DOCX and PDF.

Each reader takes a file apart into blocks (:mod:`hdgovreport.published.blocks`);
:mod:`hdgovreport.published.interpret` turns the blocks into the report model with
where every value came from.  Published files are untrusted: sizes and time
are bounded, XML entities are never resolved, nothing is fetched.
"""

from hdgovreport.errors import UnreadableError
from hdgovreport.published.detect import FORMAT_NAMES, detect_format
from hdgovreport.published.export import tables_json
from hdgovreport.published.interpret import PublishedReport, ReadNote
from hdgovreport.published.reader import (
    MAX_BYTES,
    TIME_LIMIT,
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
