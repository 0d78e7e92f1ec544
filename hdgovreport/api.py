"""The library's front door: everything the command line does is one call here."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from hdgovreport.checks import CheckResult
from hdgovreport.checks import check as _check
from hdgovreport.datafile import LoadedReport, dump, dumps, load, loads, new_file, template
from hdgovreport.errors import DataFileError, OutputError, Problem
from hdgovreport.fileio import output_problem, write_atomic
from hdgovreport.form.layout import Edition
from hdgovreport.model import AnnualReport

if TYPE_CHECKING:
    from hdgovreport.district.aggregate import Aggregate
    from hdgovreport.district.audit import AuditResult
    from hdgovreport.district.batch import BatchResult
    from hdgovreport.district.pairing import Pair
    from hdgovreport.district.roster import Roster
    from hdgovreport.model import AgencyKind
    from hdgovreport.published import PublishedReport
    from hdgovreport.render.build import BuildResult


def read(path: str | Path) -> LoadedReport:
    """Read a report data file (YAML, or the fill-in workbook ``.xlsx``) and where each of its
    values came from (``file:line``, or ``表3!D12``).

    Raises :class:`~hdgovreport.errors.DataFileError` (file, line, field and
    what was expected) when the file cannot be read or is invalid.
    """
    return load(path)


def load_report(path: str | Path) -> AnnualReport:
    """Read a report data file (YAML or ``.xlsx`` workbook, by the suffix) into the model."""
    return read(path).report


def check(
    report: AnnualReport, previous: AnnualReport | None = None, *, subject: str = ""
) -> CheckResult:
    """Run every rule on ``report`` (and the year-linkage rules when ``previous`` is given).

    A pure function of the model; to check a file, use :func:`check_file`.
    """
    for name, value in (("report", report), ("previous", previous)):
        if isinstance(value, (str, Path)):
            raise TypeError(
                f"hdgovreport.check() 的 {name} 应为 AnnualReport（报告模型），实际为路径 {str(value)!r}；"
                f"校验文件请用 hdgovreport.check_file({str(value)!r}) "
                f"(check() takes a report model; use check_file(path) for a file)"
            )
        if value is not None and not isinstance(value, AnnualReport):
            raise TypeError(
                f"hdgovreport.check() 的 {name} 应为 AnnualReport（报告模型），"
                f"实际为 {type(value).__name__}"
            )
    return _check(report, previous, subject=subject)


def check_file(path: str | Path, previous: str | Path | None = None) -> CheckResult:
    """Check a report file (and optionally last year's): findings point at file lines.

    ``path`` and ``previous`` may be data files or published reports (text,
    HTML, DOCX, PDF); see :func:`check_published` for the reading notes too.
    """
    return check_published(path, previous).result


@attrs.frozen
class FileCheck:
    """The check of one report file, and how it was read (shape, edition, reading notes)."""

    result: CheckResult
    read: PublishedReport

    def to_dict(self) -> dict[str, Any]:
        out = self.result.to_dict()
        if self.read.format != "data":
            out["reading"] = self.read.reading_dict()
        return out

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    def to_text(self) -> str:
        text = self.result.to_text()
        if self.read.format == "data":
            return text
        from hdgovreport.published.detect import FORMAT_NAMES

        lines = [f"读入：{FORMAT_NAMES[self.read.format]}，{self.read.edition_evidence}"]
        notes = [n for n in self.read.notes if n.message != self.read.edition_evidence]
        if notes:
            lines.append("读入说明：")
            lines.extend(f"    {n}" for n in notes)
        return text + "\n" + "\n".join(lines)


def read_report(path: str | Path) -> PublishedReport:
    """Read any report file — our data file, or a published text, HTML, DOCX or PDF report.

    The result has ``report``, ``sources`` (field path → where it was printed),
    ``format``, ``edition_evidence`` and ``notes`` (what the reader did: inexact
    labels, blank cells read as 0…).  Raises :class:`~hdgovreport.published.UnreadableError`
    for a published file that cannot be read, :class:`DataFileError` for a bad data file.
    """
    from hdgovreport.published import read_any

    return read_any(path)


def check_published(path: str | Path, previous: str | Path | None = None) -> FileCheck:
    """Read and check any report file; findings point at the published line or table cell.

    For published files, a row-sum error that merging two adjacent cells would
    fix (``1``, ``2`` → ``12``, a cell split by text extraction) carries a hint.
    """
    from hdgovreport.published import merge_hints, read_any

    loaded, result, _last = _read_and_check(read_any, path, previous)
    if loaded.format != "data":
        result = merge_hints(result, loaded.report)
    return FileCheck(result=result, read=loaded)


def import_report(path: str | Path, output: str | Path) -> PublishedReport:
    """Read a published report (or a data file) and write it as our data file, atomically:
    the fill-in workbook when ``output`` ends in ``.xlsx``, else YAML."""
    refuse_output(output)
    loaded = read_report(path)
    dump(loaded.report, output)
    return loaded


def refuse_output(path: str | Path) -> None:
    """Raise :class:`OutputError` when a file cannot be written at ``path`` (a folder, a device)."""
    problem = output_problem(path)
    if problem is not None:
        raise OutputError(str(path), problem)


def tables_json(report: AnnualReport | str | Path) -> dict[str, Any]:
    """The three tables keyed by their official labels (``hdgovreport import --tables-json``)."""
    from hdgovreport.published import tables_json as export

    if not isinstance(report, AnnualReport):
        report = read_report(report).report
    return export(report)


def audit(
    inputs: Iterable[str | Path],
    *,
    workers: int | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    previous: Iterable[str | Path] | None = None,
    roster: Roster | str | Path | None = None,
) -> AuditResult:
    """Read and check many report files (folders are searched) in parallel on all cores.

    Every finding comes back located in its file (``result.findings()``: one row each);
    ``result.to_table()``, ``to_csv()``, ``to_json()``, ``to_xlsx()`` and
    :func:`hdgovreport.district.notes.write_notes` give it to people.  ``previous``: last
    year's reports (files or folders), paired by agency name for the year-linkage rules.
    ``roster``: the district's roster (a file or a :class:`~hdgovreport.district.Roster`).
    Workers import only hdgovreport (safe under ``spawn`` without a ``__main__`` guard);
    ``workers=0`` reads in this process.
    """
    from hdgovreport.district.audit import SUFFIXES, collect
    from hdgovreport.district.audit import audit as run

    return run(
        collect(inputs),
        workers=workers,
        progress=progress,
        previous=collect(previous, SUFFIXES) if previous is not None else (),
        roster=_roster(roster),
    )


def _roster(roster: Roster | str | Path | None) -> Roster | None:
    if roster is None or not isinstance(roster, (str, Path)):
        return roster
    from hdgovreport.district.roster import load_roster

    return load_roster(roster)


def build_many(
    paths: Iterable[str | Path],
    to: str | Iterable[str] = ("html", "pdf"),
    *,
    graphic: str | Iterable[str] = (),
    out: str | Path | None = None,
    flat: bool = False,
    previous: Iterable[str | Path] | None = None,
    roster: Roster | str | Path | None = None,
    allow_errors: bool = False,
    workers: int | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    width: int | None = None,
) -> BatchResult:
    """Build many data files (folders are searched) in parallel, each named after its report.

    ``to``: official formats (``html``, ``pdf``, ``docx``, ``html-fragment``); ``graphic``:
    graphic-edition formats (``html``, ``pdf``, ``png`` with its ``txt`` text version;
    ``width``: the PNG's pixels, default 1500).  Outputs go to
    ``<out>/<机关名称>/<报告标题>.<格式>`` (``flat``: ``<out>/<报告标题>.<格式>``).  A report with
    errors is refused unless ``allow_errors``; one bad report never stops the batch.
    ``result.to_table()`` is the summary; ``result.exit_code`` 0/1/2.
    """
    from hdgovreport.district.batch import build_many as run

    return run(
        paths,
        to,
        graphic=graphic,
        out=out,
        flat=flat,
        previous=previous or (),
        roster=_roster(roster),
        allow_errors=allow_errors,
        workers=workers,
        progress=progress,
        width=width,
    )


def aggregate(
    reports: Iterable[AnnualReport | tuple[str, AnnualReport] | str | Path],
    *,
    agency: str,
    year: int | None = None,
    kind: AgencyKind | None = None,
    workers: int | None = None,
) -> Aggregate:
    """Sum reports (models, ``(label, report)`` pairs, or files and folders) into one report.

    Tables 2–4 and the fee figures are the exact cell-wise sums; ``result.report`` is the
    summed report, ``result.members`` what was summed.  Raises
    :class:`~hdgovreport.errors.AggregateError` when the reports cannot be summed
    (different years or editions, unreadable files).
    """
    from hdgovreport.district.aggregate import aggregate as run

    return run(_reports(reports, workers), agency=agency, year=year, kind=kind)


def _reports(
    items: Iterable[AnnualReport | tuple[str, AnnualReport] | str | Path], workers: int | None
) -> list[AnnualReport | tuple[str, AnnualReport]]:
    """Models as given; files and folders read (in worker processes)."""
    from hdgovreport.district.audit import SUFFIXES, collect, read_many
    from hdgovreport.errors import AggregateError

    out: list[AnnualReport | tuple[str, AnnualReport]] = []
    paths: list[str | Path] = []
    for item in items:
        if isinstance(item, (str, Path)):
            paths.append(item)
        else:
            out.append(item)
    if paths:
        outcomes = read_many(collect(paths, SUFFIXES), workers=workers)
        bad = [f"{o.file}：{o.unreadable}" for o in outcomes if o.read is None]
        if bad:
            raise AggregateError(bad)
        out += [(o.file, o.read.report) for o in outcomes if o.read is not None]
    return out


def check_children(
    parent: AnnualReport | str | Path,
    children: Iterable[AnnualReport | tuple[str, AnnualReport] | str | Path],
    *,
    workers: int | None = None,
) -> CheckResult:
    """Does ``parent`` equal the sum of ``children``, cell by cell? (rule ``SUM-cell``).

    One error per differing cell: the parent's value, the sum, and the children's values.
    ``parent`` and ``children`` may be models or files (folders are searched).
    """
    from hdgovreport.checks.district import check_children as run

    subject = ""
    sources = {}
    if isinstance(parent, (str, Path)):
        read = read_report(parent)
        subject, sources, parent = str(parent), dict(read.sources), read.report
    children = list(children)
    named = list(_reports([c for c in children if not isinstance(c, (str, Path))], workers))
    # files found in folders: only the parent's year (last year's files often lie beside)
    year = parent.meta.year
    from_files = _reports([c for c in children if isinstance(c, (str, Path))], workers)
    named += [c for c in from_files if isinstance(c, tuple) and c[1].meta.year == year]
    return run(parent, _by_agency(named), subject=subject).located(sources)


def _by_agency(
    items: list[AnnualReport | tuple[str, AnnualReport]],
) -> list[tuple[str, AnnualReport]]:
    """Children named by agency (what a coordinator reads), with the file when names repeat."""
    pairs = [(i.meta.agency, i) if isinstance(i, AnnualReport) else i for i in items]
    agencies = [r.meta.agency for _label, r in pairs]
    return [
        (r.meta.agency if agencies.count(r.meta.agency) == 1 else f"{r.meta.agency}（{label}）", r)
        for label, r in pairs
    ]


def previous_in(
    folder: str | Path, report: AnnualReport, *, file: str = "", workers: int | None = 0
) -> tuple[Pair | None, str]:
    """Last year's report of ``report``'s agency in ``folder``: ``(pair, "")`` or ``(None, why)``."""
    from hdgovreport.district.audit import SUFFIXES, collect, entries, read_many
    from hdgovreport.district.pairing import Entry, pair_years

    candidates = [p for p in collect([folder], SUFFIXES) if p != file]
    outcomes = read_many(candidates, workers=workers)
    me = Entry(file or report.title, report.meta.agency, report.meta.year)
    pairing = pair_years([me], entries(outcomes))
    if pairing.pairs:
        return pairing.pairs[0], ""
    return None, pairing.unpaired[0][1]


_Loaded = TypeVar("_Loaded", LoadedReport, "PublishedReport")


def _read_and_check(
    reader: Callable[[str | Path], _Loaded], path: str | Path, previous: str | Path | None
) -> tuple[_Loaded, CheckResult, AnnualReport | None]:
    """Read a report (and last year's) with ``reader`` and check it, findings located in the file."""
    loaded = reader(path)
    last = reader(previous).report if previous is not None else None
    result = _check(loaded.report, last, subject=str(path)).located(loaded.sources)
    return loaded, result, last


def _out_dir(path: str | Path, out_dir: str | Path | None) -> Path:
    """Where outputs go: ``out_dir``, or beside the data file."""
    return Path(out_dir) if out_dir is not None else Path(path).parent


def build_file(
    path: str | Path,
    formats: str | Iterable[str] = ("html", "pdf"),
    out_dir: str | Path | None = None,
    *,
    previous: str | Path | None = None,
    allow_errors: bool = False,
) -> BuildResult:
    """Build the official edition of a data file: ``<out_dir>/<file stem>.<format>``.

    ``out_dir`` defaults to the data file's directory.  Raises
    :class:`~hdgovreport.render.build.BuildRefused` (with the check result)
    when the report has errors and ``allow_errors`` is false.
    """
    from hdgovreport.render.build import build, check_output_dir, parse_formats

    names = parse_formats(formats)
    check_output_dir(_out_dir(path, out_dir))
    loaded, result, _last = _read_and_check(read, path, previous)
    return build(
        loaded.report,
        names,
        _out_dir(path, out_dir),
        stem=Path(path).stem,
        allow_errors=allow_errors,
        result=result,
    )


def graphic_file(
    path: str | Path,
    formats: str | Iterable[str] = ("html", "pdf", "png"),
    out_dir: str | Path | None = None,
    *,
    previous: str | Path | None = None,
    allow_errors: bool = False,
    width: int | None = None,
) -> BuildResult:
    """Build the graphic edition (图解版) of a data file: ``<out_dir>/<stem>.graphic.<format>``.

    ``formats`` are ``html``, ``pdf`` and ``png`` (a long image ``width`` px wide,
    1500 by default; the ``.txt`` text version is written beside it).
    ``previous`` (last year's data file) adds year-over-year changes and the
    linkage checks.  ``out_dir`` defaults to the data file's directory.
    Raises :class:`~hdgovreport.render.build.BuildRefused` (with the check
    result) when the report has errors and ``allow_errors`` is false.
    """
    from hdgovreport.graphic.options import PNG_WIDTH, check_width, parse_formats
    from hdgovreport.graphic.render import build
    from hdgovreport.render.build import check_output_dir

    names = parse_formats(formats)
    check_width(PNG_WIDTH if width is None else width)
    check_output_dir(_out_dir(path, out_dir))
    loaded, result, last = _read_and_check(read, path, previous)
    return build(
        loaded.report,
        names,
        _out_dir(path, out_dir),
        stem=Path(path).stem,
        previous=last,
        allow_errors=allow_errors,
        result=result,
        width=PNG_WIDTH if width is None else width,
    )


@attrs.frozen
class Rendered:
    """An edition rendered in memory: ``outputs`` (format → bytes) and the check it was built under."""

    outputs: dict[str, bytes]
    result: CheckResult


def render_report(
    report: AnnualReport,
    formats: str | Iterable[str] = ("html", "pdf"),
    *,
    graphic: bool = False,
    previous: AnnualReport | None = None,
    allow_errors: bool = False,
    width: int | None = None,
) -> Rendered:
    """Render the official edition (or, with ``graphic=True``, the 图解版) in memory.

    ``formats``: ``html``, ``html-fragment``, ``pdf``, ``docx`` (official) or ``html``,
    ``pdf``, ``png`` (graphic; ``png`` brings its ``txt`` text version, ``width`` is the
    PNG's, 1500 px by default), as a list or ``"html,pdf"``.  Nothing is written; the bytes
    are the same as :func:`build_file` writes.  Raises
    :class:`~hdgovreport.errors.BuildRefused` (with the check result) when the report has
    errors and ``allow_errors`` is false.
    """
    if graphic:
        from hdgovreport.graphic.options import PNG_WIDTH
        from hdgovreport.graphic.options import parse_formats as graphic_formats
        from hdgovreport.graphic.render import render as render_graphic

        outputs, result = render_graphic(
            report,
            graphic_formats(formats),
            previous=previous,
            allow_errors=allow_errors,
            width=PNG_WIDTH if width is None else width,
        )
    else:
        from hdgovreport.render.build import parse_formats, render

        outputs, result = render(
            report, parse_formats(formats), previous=previous, allow_errors=allow_errors
        )
    return Rendered(outputs=outputs, result=result)


def new_report_file(
    path: str | Path | None,
    *,
    agency: str,
    year: int,
    edition: Edition = "2021",
    overwrite: bool = False,
) -> str:
    """Write (or, with ``path=None``, return) a complete, commented blank data file.

    A ``path`` ending in ``.xlsx`` gets the blank fill-in workbook (the YAML text is returned
    all the same).
    """
    text = template(agency, year, edition)
    if path is not None:
        target = Path(path)
        refuse_output(target)
        if target.exists() and not overwrite:
            raise DataFileError(str(target), [Problem("文件已存在；如要覆盖，请加 --force")])
        write_atomic(target, new_file(target, agency, year, edition))
    return text


__all__ = [
    "FileCheck",
    "Rendered",
    "aggregate",
    "audit",
    "build_file",
    "build_many",
    "check",
    "check_children",
    "check_file",
    "check_published",
    "dump",
    "dumps",
    "graphic_file",
    "import_report",
    "load_report",
    "loads",
    "new_report_file",
    "previous_in",
    "read",
    "read_report",
    "refuse_output",
    "render_report",
    "tables_json",
]
