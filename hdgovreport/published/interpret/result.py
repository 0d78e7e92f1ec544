"""What interpreting gives: the report, where each value came from, and what the reader did."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import attrs

from hdgovreport.model import AnnualReport
from hdgovreport.model.provenance import Source

#: ``info``: how it was read; ``notice``: something tolerated; ``warning``: a value the reader
#: could not be sure of (the agency or year guessed, a published value the model cannot hold).
NoteLevel = Literal["info", "notice", "warning"]


@attrs.frozen
class ReadNote:
    """Something the reader did or noticed: an inexact label, a blank read as 0, the edition found."""

    message: str
    source: Source | None = None
    level: NoteLevel = "notice"

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"level": self.level, "message": self.message}
        if self.source is not None:
            out["source"] = self.source.to_dict()
        return out

    def __str__(self) -> str:
        return f"{self.source}  {self.message}" if self.source else self.message


@attrs.frozen
class PublishedReport:
    """A report read back from a published file, with provenance and reading notes.

    ``printed`` holds, by cell path, the text of each cell whose value the model holds in
    another form than printed (``251000元`` held as 25.1 万元) or cannot hold at all.
    """

    report: AnnualReport
    sources: Mapping[str, Source]
    filename: str
    format: str  # text / html / docx / pdf / data
    edition_evidence: str = ""
    notes: tuple[ReadNote, ...] = ()
    printed: Mapping[str, str] = attrs.field(factory=dict)

    def reading_dict(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "edition": self.report.edition,
            "edition_evidence": self.edition_evidence,
            "notes": [n.to_dict() for n in self.notes],
        }


@attrs.define
class Trail:
    """What one stage of interpretation noticed, and where its values came from.

    Each stage makes its own and returns it with its values; the stages never share one.
    """

    notes: list[ReadNote] = attrs.Factory(list)
    sources: dict[str, Source] = attrs.Factory(dict)
    printed: dict[str, str] = attrs.Factory(dict)

    def note(self, message: str, source: Source | None = None, level: NoteLevel = "notice") -> None:
        self.notes.append(ReadNote(message, source, level))

    def add(self, other: Trail) -> None:
        self.notes.extend(other.notes)
        self.sources.update(other.sources)
        self.printed.update(other.printed)


__all__ = ["NoteLevel", "PublishedReport", "ReadNote", "Trail"]
