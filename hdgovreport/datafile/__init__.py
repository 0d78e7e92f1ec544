"""The report data file: a YAML file (Chinese keys), or the fill-in workbook (``.xlsx``).

:func:`load` and :func:`dump` decide the format by the file's suffix — ``.xlsx`` (and
``.xlsm``) is the workbook, anything else YAML — so every command and the Python API
(``check``, ``build``, ``graphic``, ``audit``, ``--previous``, ``hg.read``, ``hg.load_report``)
accept both.  :func:`loads` and :func:`dumps` are the YAML text.
"""

from __future__ import annotations

from pathlib import Path

from hdgovreport.datafile.reader import MAX_FILE_BYTES, LoadedReport, loads
from hdgovreport.datafile.reader import load as load_yaml
from hdgovreport.datafile.template import blank_report, template
from hdgovreport.datafile.writer import dump as dump_yaml
from hdgovreport.datafile.writer import dumps
from hdgovreport.model import AnnualReport

#: File name endings read and written as the fill-in workbook.
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


def is_workbook(path: str | Path) -> bool:
    """True when ``path`` names a workbook (by its suffix, as every command decides)."""
    return Path(path).suffix.lower() in WORKBOOK_SUFFIXES


def load(path: str | Path) -> LoadedReport:
    """Read a data file — YAML, or the workbook when the name ends in ``.xlsx``.

    Raises :class:`~hdgovreport.errors.DataFileError` naming the file and the line
    (``file:line:column``) or the cell (``表3!D12``) of every problem.
    """
    if is_workbook(path):
        from hdgovreport.datafile.workbook.read import load_workbook_file

        return load_workbook_file(path)
    return load_yaml(path)


def dump(report: AnnualReport, path: str | Path) -> Path:
    """Write a data file atomically — the workbook when the name ends in ``.xlsx``, else YAML."""
    if is_workbook(path):
        from hdgovreport.datafile.workbook.write import dump_workbook

        return dump_workbook(report, path)
    return dump_yaml(report, path)


def encode(report: AnnualReport, path: str | Path) -> bytes:
    """The bytes :func:`dump` writes for ``path`` (the workbook for ``.xlsx``, else YAML)."""
    if is_workbook(path):
        from hdgovreport.datafile.workbook.write import workbook_bytes

        return workbook_bytes(report, filename=str(path))
    return dumps(report).encode("utf-8")


def max_bytes(path: str | Path) -> int:
    """The size limit of a data file named ``path`` (the workbook's, or the YAML file's)."""
    if is_workbook(path):
        from hdgovreport.datafile.workbook import cells

        return cells.MAX_WORKBOOK_BYTES
    return MAX_FILE_BYTES


def new_file(path: str | Path, agency: str, year: int, edition: str = "2021") -> bytes:
    """The bytes of a blank data file for ``path``: the commented YAML template, or a blank
    workbook (every figure 0, the 总计 cells left for the program) for ``.xlsx``."""
    if is_workbook(path):
        from hdgovreport.datafile.workbook.write import workbook_bytes

        return workbook_bytes(
            blank_report(agency, year, edition),  # type: ignore[arg-type]
            blank_totals=True,
            filename=str(path),
        )
    return template(agency, year, edition).encode("utf-8")  # type: ignore[arg-type]


__all__ = [
    "MAX_FILE_BYTES",
    "WORKBOOK_SUFFIXES",
    "LoadedReport",
    "blank_report",
    "dump",
    "dumps",
    "encode",
    "is_workbook",
    "load",
    "loads",
    "max_bytes",
    "new_file",
    "template",
]
