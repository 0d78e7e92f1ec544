"""Provenance: where a value of the model was read from (a data-file line, a sheet cell, a
cell of a published table).  Readers produce it, the checker attaches it to findings."""

from __future__ import annotations

from typing import Any

import attrs


@attrs.frozen
class Source:
    """Where a value was read from: a data-file line, or a cell of a published table."""

    file: str
    line: int | None = None
    column: int | None = None
    page: int | None = None
    detail: str = ""  # e.g. "表3 第5行 第2列"

    def __str__(self) -> str:
        out = self.file
        if self.line is not None:
            out += f":{self.line}"
            if self.column is not None:
                out += f":{self.column}"
        if self.page is not None:
            out += f" 第{self.page}页"
        if self.detail:
            out += f" {self.detail}"
        return out

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in attrs.asdict(self).items() if v not in (None, "")}
