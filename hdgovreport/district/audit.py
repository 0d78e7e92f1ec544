"""Audit many reports at once: every finding, where it is in its file, and a row per report.

Files are read in worker processes on all cores (:mod:`hdgovreport.district.pool`): a
file that takes longer than the time limit has its worker killed and replaced, a worker
that dies costs only its file, and every failure becomes an "unreadable" row with the
reason, so one bad file never stops the batch.  The checks run here, on the reports read
(they are pure and fast); with last year's reports (``previous``) each pair also gets the
year-linkage rules, and with a roster the district's roster rules run.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import attrs

from hdgovreport.checks import CheckResult, Finding, check
from hdgovreport.checks.tables import table_values
from hdgovreport.district import pool as _pool
from hdgovreport.district.pairing import Entry, Pairing, pair_years
from hdgovreport.district.roster import Roster, RosterFinding, Submitted, roster_findings
from hdgovreport.district.tasks import READ_TIME_LIMIT, ReadOutcome, read_task
from hdgovreport.model import AnnualReport

#: File name endings an audit picks up inside a folder.
SUFFIXES = (".txt", ".text", ".htm", ".html", ".shtml", ".docx", ".pdf", ".yaml", ".yml", ".xlsx")

#: Our own data files (read by the bounded YAML reader, never a hostile format).
DATA_SUFFIXES = (".yaml", ".yml", ".xlsx")
#: Up to this many data files (and nothing else) are read in this process by default.
IN_PROCESS_DATA_FILES = 16

Progress = Callable[[int, int, str], None]


@attrs.frozen
class AuditRow:
    """The audit of one file: its summary, and every finding located in the file."""

    file: str
    format: str | None = None
    agency: str | None = None
    year: int | None = None
    edition: str | None = None
    errors: int = 0
    warnings: int = 0
    notes: int = 0
    failed_rules: tuple[str, ...] = ()
    unreadable: str | None = None
    seconds: float = 0.0
    findings: tuple[Finding, ...] = ()
    previous: str | None = None  # last year's file it was paired with
    title: str | None = None

    @property
    def ok(self) -> bool:
        return self.unreadable is None and self.errors == 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "format": self.format,
            "agency": self.agency,
            "year": self.year,
            "edition": self.edition,
            "errors": self.errors,
            "warnings": self.warnings,
            "notes": self.notes,
            "failed_rules": list(self.failed_rules),
            "unreadable": self.unreadable,
            "previous": self.previous,
            "findings": [f.to_dict() for f in self.findings],
        }


@attrs.frozen
class AuditResult:
    """Rows in the order the files were given, the year pairs, the roster's findings."""

    rows: tuple[AuditRow, ...]
    pairing: Pairing | None = None
    roster: tuple[RosterFinding, ...] = ()

    @property
    def unreadable(self) -> tuple[AuditRow, ...]:
        return tuple(r for r in self.rows if r.unreadable is not None)

    @property
    def with_errors(self) -> tuple[AuditRow, ...]:
        return tuple(r for r in self.rows if r.unreadable is None and r.errors)

    @property
    def roster_errors(self) -> tuple[RosterFinding, ...]:
        return tuple(f for f in self.roster if f.finding.is_error)

    def total(self) -> dict[str, int]:
        read = [r for r in self.rows if r.unreadable is None]
        return {
            "files": len(self.rows),
            "read": len(read),
            "unreadable": len(self.rows) - len(read),
            "reports_with_errors": len(self.with_errors),
            "errors": sum(r.errors for r in read),
            "warnings": sum(r.warnings for r in read),
            "roster_findings": len(self.roster),
        }

    def summary_line(self) -> str:
        """The totals in one Chinese sentence."""
        t = self.total()
        line = (
            f"合计：{t['files']} 个文件，可读 {t['read']} 份，无法读取 {t['unreadable']} 份；"
            f"{t['reports_with_errors']} 份报告有错误，共 {t['errors']} 个错误、{t['warnings']} 个警告。"
        )
        if self.roster:
            line += f"名册核对 {t['roster_findings']} 条。"
        return line

    def findings(self) -> list[FindingRow]:
        """One row per finding (reports in order, then the roster's), for every output format."""
        from hdgovreport.district.outputs import finding_rows

        return finding_rows(self)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "reports": [r.to_dict() for r in self.rows],
            "findings": [f.to_dict() for f in self.findings()],
            "total": self.total(),
        }
        if self.pairing is not None:
            out["pairing"] = self.pairing.to_dict()
        return out

    def to_json(self) -> str:
        import json

        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    def to_csv(self) -> str:
        """One row per finding (each with its report's summary); a report without one, one row."""
        from hdgovreport.district.outputs import audit_csv

        return audit_csv(self)

    def to_table(self) -> str:
        from hdgovreport.district.outputs import audit_table

        return audit_table(self)

    def to_xlsx(self) -> bytes:
        """A workbook: 汇总 (one row per report) and 问题清单 (one row per finding)."""
        from hdgovreport.district.workbook import audit_workbook

        return audit_workbook(self)

    @property
    def exit_code(self) -> int:
        """0 every file read and no error; 1 some report (or the roster) has errors; 2 unreadable files."""
        if self.unreadable:
            return 2
        return 1 if self.with_errors or self.roster_errors else 0


@attrs.frozen
class FindingRow:
    """One finding as a row: whose, which file, which rule, where, what."""

    agency: str
    file: str
    rule: str
    severity: str
    place: str  # where in the file: line, or table/row/cell and page
    location: str  # section › row › column
    message: str
    expected: Any = None
    actual: Any = None
    hint: str = ""
    title: str = ""  # the rule's one-line title: what to check

    def to_dict(self) -> dict[str, Any]:
        from hdgovreport.checks.findings import _plain

        return {
            "agency": self.agency,
            "file": self.file,
            "rule": self.rule,
            "severity": self.severity,
            "place": self.place,
            "location": self.location,
            "message": self.message,
            "expected": _plain(self.expected),
            "actual": _plain(self.actual),
            "hint": self.hint,
        }


# ---------------------------------------------------------------- collecting files


def is_graphic_edition(path: Path) -> bool:
    """Our graphic edition (``…（图解）.png``, ``x.graphic.html``): pictures, not a report to read."""
    stem = path.name[: -len(path.suffix)] if path.suffix else path.name
    return stem.endswith("（图解）") or stem.endswith(".graphic")


def collect(inputs: Iterable[str | Path], suffixes: Sequence[str] = SUFFIXES) -> list[str]:
    """Files to process: each given file, and the matching files found inside each folder.

    Hidden files and folders (``.name``) are skipped, and so are our graphic edition's
    files (``…（图解）.html``); a folder is searched without following links to folders
    (so a link loop never makes the walk endless).
    """
    out: list[str] = []
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            for found in sorted(_walk(path)):
                if found.suffix.lower() in suffixes and not is_graphic_edition(found):
                    out.append(str(found))
        else:
            out.append(str(path))
    return list(dict.fromkeys(out))


def _walk(folder: Path) -> Iterable[Path]:
    import os

    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            if not name.startswith("."):
                yield Path(root) / name


# ---------------------------------------------------------------- reading in workers


def read_many(
    files: Sequence[str],
    *,
    workers: int | None = None,
    time_limit: float = READ_TIME_LIMIT,
    progress: Callable[[str], None] | None = None,
) -> list[ReadOutcome]:
    """Read every file in worker processes (``workers=0``: in this process); in order."""
    from hdgovreport.fileio import regular_file_problem

    outcomes: list[ReadOutcome | None] = [None] * len(files)
    todo: list[int] = []
    for i, path in enumerate(files):
        problem = regular_file_problem(path)  # a FIFO or device is never opened, here or there
        if problem is not None:
            outcomes[i] = ReadOutcome(file=path, unreadable=problem)
            if progress:
                progress(path)
        else:
            todo.append(i)
    count = _pool.cpu_count() if workers is None else workers
    data_only = all(Path(files[i]).suffix.lower() in DATA_SUFFIXES for i in todo)
    if workers is None and data_only and len(todo) <= IN_PROCESS_DATA_FILES:
        count = 0  # a few of our own data files (bounded reader): starting workers costs more
    if count <= 0 or not todo:
        for i in todo:
            outcomes[i] = read_task(files[i], time_limit)
            if progress:
                progress(files[i])
    else:
        with _pool.Pool("read", min(count, len(todo))) as workers_pool:
            jobs = [(files[i], time_limit) for i in todo]
            for j, result in workers_pool.imap("read", jobs, time_limit=time_limit):
                i = todo[j]
                if isinstance(result, _pool.Failure):
                    result = ReadOutcome(file=files[i], unreadable=result.reason)
                outcomes[i] = result
                if progress:
                    progress(files[i])
    return [
        o if o is not None else ReadOutcome(file=f, unreadable="未处理")
        for o, f in zip(outcomes, files, strict=True)
    ]


def _checked(outcome: ReadOutcome, previous: AnnualReport | None) -> CheckResult:
    from hdgovreport.published import merge_hints

    assert outcome.read is not None
    read = outcome.read
    result = check(read.report, previous, subject=outcome.file).located(read.sources)
    if read.format != "data":
        result = merge_hints(result, read.report)
    return result


def _row(outcome: ReadOutcome, previous: tuple[str, AnnualReport] | None) -> AuditRow:
    if outcome.read is None:
        return AuditRow(
            file=outcome.file,
            format=outcome.format,
            unreadable=outcome.unreadable,
            seconds=outcome.seconds,
        )
    start = time.perf_counter()
    result = _checked(outcome, previous[1] if previous else None)
    read = outcome.read
    report = read.report
    return AuditRow(
        file=outcome.file,
        format=read.format,
        agency=report.meta.agency,
        year=report.meta.year,
        edition=report.edition,
        errors=len(result.errors),
        warnings=len(result.warnings),
        notes=sum(1 for n in read.notes if n.level == "notice"),
        failed_rules=result.failed_rules,
        seconds=outcome.seconds + time.perf_counter() - start,
        findings=result.findings,
        previous=previous[0] if previous else None,
        title=report.title,
    )


def entries(outcomes: Iterable[ReadOutcome]) -> list[Entry]:
    """Pairing entries for the files that were read."""
    return [
        Entry(o.file, o.read.report.meta.agency, o.read.report.meta.year)
        for o in outcomes
        if o.read is not None
    ]


def audit(
    files: Sequence[str],
    *,
    workers: int | None = None,
    time_limit: float = READ_TIME_LIMIT,
    progress: Progress | None = None,
    previous: Sequence[str] = (),
    roster: Roster | None = None,
) -> AuditResult:
    """Audit ``files`` (all cores by default; ``workers=0`` in this process); rows in order.

    ``previous``: last year's report files; each report is paired with its agency's (by
    name, see :mod:`hdgovreport.district.pairing`) and the year-linkage rules run on the
    pair.  ``roster``: the district's bodies; missing, duplicated, unknown and late
    reports are found (``ROSTER-*``).
    """
    prev_files = [p for p in previous if p not in set(files)]
    everything = [*files, *prev_files]
    total = len(everything)
    done = 0

    def tick(path: str) -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total, path)

    outcomes = read_many(everything, workers=workers, time_limit=time_limit, progress=tick)
    current = outcomes[: len(files)]
    by_file = {o.file: o for o in outcomes}
    pairing: Pairing | None = None
    if previous:
        prev_outcomes = [by_file[p] for p in previous if p in by_file]
        pairing = pair_years(entries(current), entries(prev_outcomes), roster)
    rows = []
    for outcome in current:
        pair = pairing.previous_of(outcome.file) if pairing else None
        last = by_file[pair.file].read if pair else None
        rows.append(_row(outcome, (pair.file, last.report) if pair and last else None))
    found: tuple[RosterFinding, ...] = ()
    if roster is not None:
        found = roster_findings(
            roster,
            [
                Submitted(r.file, r.agency, r.year, *_published(by_file[r.file]))
                for r in rows
                if r.agency is not None and r.year is not None
            ],
        )
    return AuditResult(tuple(rows), pairing, found)


def _published(outcome: ReadOutcome) -> tuple[Any, Any]:
    """Publication date and content (the table values) of a report read."""
    if outcome.read is None:
        return None, None
    report = outcome.read.report
    return report.meta.published, tuple(sorted(table_values(report).items()))


__all__ = [
    "SUFFIXES",
    "AuditResult",
    "AuditRow",
    "FindingRow",
    "audit",
    "collect",
    "read_many",
]
