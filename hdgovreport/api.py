"""The library's front door: everything the command line does is one call here."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from hdgovreport.checks import CheckResult, check
from hdgovreport.datafile import LoadedReport, dump, dumps, load, loads, template
from hdgovreport.errors import DataFileError, Problem
from hdgovreport.fileio import write_atomic
from hdgovreport.layout import Edition
from hdgovreport.model import AnnualReport

if TYPE_CHECKING:
    from hdgovreport.render.build import BuildResult


def read(path: str | Path) -> LoadedReport:
    """Read a report and where each of its values came from.

    Raises :class:`~hdgovreport.errors.DataFileError` (file, line, field and
    what was expected) when the file cannot be read or is invalid.
    """
    return load(path)


def load_report(path: str | Path) -> AnnualReport:
    """Read a report data file into the model."""
    return read(path).report


def check_file(path: str | Path, previous: str | Path | None = None) -> CheckResult:
    """Check a report file (and optionally last year's): findings point at file lines."""
    loaded = read(path)
    last = read(previous).report if previous is not None else None
    result = check(loaded.report, last, subject=str(path))
    return result.located(loaded.sources)


def _checked_file(
    path: str | Path, previous: str | Path | None
) -> tuple[AnnualReport, CheckResult, AnnualReport | None]:
    """Read a report (and last year's) and check it, findings located in the file."""
    loaded = read(path)
    last = read(previous).report if previous is not None else None
    result = check(loaded.report, last, subject=str(path)).located(loaded.sources)
    return loaded.report, result, last


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
    from hdgovreport.render.build import build, parse_formats

    report, result, _last = _checked_file(path, previous)
    return build(
        report,
        parse_formats(formats),
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
) -> BuildResult:
    """Build the graphic edition (图解版) of a data file: ``<out_dir>/<stem>.graphic.<format>``.

    ``formats`` are ``html``, ``pdf`` and ``png`` (a long image 1500 px wide).
    ``previous`` (last year's data file) adds year-over-year changes and the
    linkage checks.  ``out_dir`` defaults to the data file's directory.
    Raises :class:`~hdgovreport.render.build.BuildRefused` (with the check
    result) when the report has errors and ``allow_errors`` is false.
    """
    from hdgovreport.graphic.render import build, parse_formats

    report, result, last = _checked_file(path, previous)
    return build(
        report,
        parse_formats(formats),
        _out_dir(path, out_dir),
        stem=Path(path).stem,
        previous=last,
        allow_errors=allow_errors,
        result=result,
    )


def new_report_file(
    path: str | Path | None,
    *,
    agency: str,
    year: int,
    edition: Edition = "2021",
    overwrite: bool = False,
) -> str:
    """Write (or, with ``path=None``, return) a complete, commented blank data file."""
    text = template(agency, year, edition)
    if path is not None:
        target = Path(path)
        if target.exists() and not overwrite:
            raise DataFileError(str(target), [Problem("文件已存在；如要覆盖，请加 --force")])
        write_atomic(target, text.encode("utf-8"))
    return text


__all__ = [
    "build_file",
    "check_file",
    "dump",
    "dumps",
    "graphic_file",
    "load_report",
    "loads",
    "new_report_file",
    "read",
]
