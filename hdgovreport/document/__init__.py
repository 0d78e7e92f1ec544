"""The neutral document tree shared by the HTML, PDF and DOCX renderers."""

from hdgovreport.document.build import banner_for, build_document, format_value
from hdgovreport.document.tree import (
    Banner,
    Block,
    Cell,
    Document,
    Heading,
    Paragraph,
    Row,
    Section,
    Table,
    TableNote,
)

__all__ = [
    "Banner",
    "Block",
    "Cell",
    "Document",
    "Heading",
    "Paragraph",
    "Row",
    "Section",
    "Table",
    "TableNote",
    "banner_for",
    "build_document",
    "format_value",
]
