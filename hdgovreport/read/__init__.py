"""Read published reports back in: plain text, HTML, DOCX and PDF.

Each reader takes a file apart into blocks (:mod:`hdgovreport.read.blocks`);
:mod:`hdgovreport.read.interpret` turns the blocks into the report model with
where every value came from.  Published files are untrusted: sizes and time
are bounded, XML entities are never resolved, nothing is fetched.
"""

from hdgovreport.read.blocks import UnreadableError
from hdgovreport.read.detect import FORMAT_NAMES, detect_format
from hdgovreport.read.export import tables_json
from hdgovreport.read.interpret import PublishedReport, ReadNote
from hdgovreport.read.reader import (
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
