"""Findings: what the checker reports, and where."""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Literal

import attrs

from hdgovreport.model.provenance import Source

Severity = Literal["error", "warning"]
SEVERITY_NAMES: Mapping[str, str] = {"error": "错误", "warning": "警告"}


@attrs.frozen
class Location:
    """Where a finding is: section, table, row and column labels in Chinese, and field paths."""

    section: str
    field: str
    table: str | None = None
    row: str | None = None
    column: str | None = None
    cells: tuple[str, ...] = ()
    source: Source | None = None

    def describe(self) -> str:
        parts = [self.section]
        parts.extend(p for p in (self.row, self.column) if p)
        return " › ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "section": self.section,
            "table": self.table,
            "row": self.row,
            "column": self.column,
            "field": self.field,
            "cells": list(self.cells),
            "source": self.source.to_dict() if self.source else None,
        }


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


@attrs.frozen
class Finding:
    """One problem found in a report.

    ``code`` is stable (e.g. ``T4-sum``); ``expected`` is what the rule
    computes, ``actual`` what the report says.
    """

    code: str
    severity: Severity
    message: str
    location: Location
    expected: Any = None
    actual: Any = None
    hint: str | None = None

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def to_dict(self) -> dict[str, Any]:
        out = {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "location": self.location.to_dict(),
            "expected": _plain(self.expected),
            "actual": _plain(self.actual),
        }
        if self.hint:
            out["hint"] = self.hint
        return out


@attrs.frozen
class CheckResult:
    """The findings for one report, errors first in rule order."""

    findings: tuple[Finding, ...] = ()
    subject: str = ""  # what was checked: a file name or a report title

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == "warning")

    @property
    def ok(self) -> bool:
        """True when there is no error (warnings allowed)."""
        return not self.errors

    @property
    def failed_rules(self) -> tuple[str, ...]:
        """Codes of the rules with an error, each once, in order."""
        return tuple(dict.fromkeys(f.code for f in self.errors))

    def codes(self) -> list[str]:
        return [f.code for f in self.findings]

    def located(self, sources: Mapping[str, Source]) -> CheckResult:
        """The same findings, each pointing at where its field was read from."""

        def attach(finding: Finding) -> Finding:
            loc = finding.location
            if loc.source is not None:
                return finding
            for path in (loc.field, *loc.cells):
                source = _lookup(sources, path)
                if source is not None:
                    return attrs.evolve(finding, location=attrs.evolve(loc, source=source))
            return finding

        return attrs.evolve(self, findings=tuple(attach(f) for f in self.findings))

    def to_dict(self) -> dict[str, Any]:
        return {
            "subject": self.subject,
            "ok": self.ok,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "findings": [f.to_dict() for f in self.findings],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    def to_text(self) -> str:
        lines: list[str] = []
        if self.subject:
            lines.append(self.subject)
        for f in self.findings:
            where = f"{f.location.source}  " if f.location.source else ""
            lines.append(f"{SEVERITY_NAMES[f.severity]} {f.code}  {where}{f.location.describe()}")
            lines.append(f"    {f.message}")
            if f.hint:
                lines.append(f"    提示：{f.hint}")
        if self.findings:
            lines.append(f"共 {len(self.errors)} 个错误，{len(self.warnings)} 个警告。")
        else:
            lines.append("校验通过：未发现错误或警告。")
        return "\n".join(lines)


def _lookup(sources: Mapping[str, Source], path: str) -> Source | None:
    """The source of ``path`` or of its nearest enclosing field."""
    while path:
        if path in sources:
            return sources[path]
        path = path.rpartition(".")[0]
    return None
