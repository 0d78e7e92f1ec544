"""Build the official edition in one or more formats, under the error policy.

A report whose check finds errors is refused (:class:`BuildRefused`) unless
``allow_errors`` is set; then every page carries the ``校验未通过`` notice
naming the failed rules.  Every format is rendered in memory first and only
then written as one set (:func:`hdgovreport.fileio.replace_set`): every file to a
temporary first, then all replaced, so a failed or killed build leaves the complete
previous set.  Both editions write through :func:`write_outputs`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import attrs

from hdgovreport.checks import CheckResult, check
from hdgovreport.document import Document, build_document
from hdgovreport.errors import BuildRefused, OutputError
from hdgovreport.fileio import output_dir_problem, replace_set
from hdgovreport.model import AnnualReport


def _html(document: Document) -> bytes:
    from hdgovreport.render.html import render_html

    return render_html(document).encode("utf-8")


def _fragment(document: Document) -> bytes:
    from hdgovreport.render.html import render_html

    return render_html(document, fragment=True).encode("utf-8")


def _pdf(document: Document) -> bytes:
    from hdgovreport.render.pdf import render_pdf

    return render_pdf(document)


def _docx(document: Document) -> bytes:
    from hdgovreport.render.docx import render_docx

    return render_docx(document)


#: Output format → (file suffix, renderer).
FORMATS: Mapping[str, tuple[str, Callable[[Document], bytes]]] = {
    "html": (".html", _html),
    "html-fragment": (".fragment.html", _fragment),
    "pdf": (".pdf", _pdf),
    "docx": (".docx", _docx),
}


def parse_formats(text: str | Iterable[str], known: Iterable[str] = FORMATS) -> tuple[str, ...]:
    """``"html,pdf"`` → ``("html", "pdf")``; unknown names raise ``ValueError`` (Chinese message)."""
    parts = text.split(",") if isinstance(text, str) else text
    names = tuple(dict.fromkeys(n.strip().lower() for n in parts if n.strip()))
    allowed = tuple(known)
    unknown = [n for n in names if n not in allowed]
    if unknown or not names:
        raise ValueError(
            f"不支持的格式：{'、'.join(unknown) or '（空）'}；可选：{'、'.join(allowed)}"
        )
    return names


def checked(
    report: AnnualReport,
    *,
    previous: AnnualReport | None = None,
    allow_errors: bool = False,
    result: CheckResult | None = None,
) -> CheckResult:
    """The error policy every edition shares: check, and refuse a report with errors.

    Raises :class:`BuildRefused` when the check finds errors and ``allow_errors`` is false.
    """
    result = result if result is not None else check(report, previous)
    if not result.ok and not allow_errors:
        raise BuildRefused(result)
    return result


def write_outputs(
    data: Mapping[str, bytes], out_dir: str | Path, stem: str, suffixes: Mapping[str, str]
) -> dict[str, Path]:
    """Write ``<out_dir>/<stem><suffix>`` for every rendered format, as one set.

    Call it only once everything is rendered, so a failed rendering writes nothing; the
    files then replace the previous ones all together or not at all.  Raises
    :class:`~hdgovreport.errors.OutputError` (path and cause in Chinese).
    """
    out = Path(out_dir)
    paths = {fmt: out / f"{stem}{suffixes[fmt]}" for fmt in data}
    replace_set({paths[fmt]: payload for fmt, payload in data.items()})
    return paths


def check_output_dir(out_dir: str | Path) -> None:
    """Refuse an output folder that cannot be one (an existing file) before rendering starts."""
    problem = output_dir_problem(out_dir)
    if problem is not None:
        raise OutputError(str(out_dir), problem)


@attrs.frozen
class BuildResult:
    """What a build wrote, and the check it was built under."""

    outputs: Mapping[str, Path]
    result: CheckResult


def render(
    report: AnnualReport,
    formats: Iterable[str],
    *,
    previous: AnnualReport | None = None,
    allow_errors: bool = False,
    result: CheckResult | None = None,
) -> tuple[dict[str, bytes], CheckResult]:
    """Render formats in memory: ``({format: bytes}, check result)``.

    Raises :class:`BuildRefused` when the report has errors and ``allow_errors`` is false.
    """
    result = checked(report, previous=previous, allow_errors=allow_errors, result=result)
    document = build_document(report, result)
    return {fmt: FORMATS[fmt][1](document) for fmt in formats}, result


def build(
    report: AnnualReport,
    formats: Iterable[str],
    out_dir: str | Path,
    *,
    stem: str = "report",
    previous: AnnualReport | None = None,
    allow_errors: bool = False,
    result: CheckResult | None = None,
) -> BuildResult:
    """Render and write ``<out_dir>/<stem><suffix>`` for each format; returns the paths."""
    check_output_dir(out_dir)
    data, result = render(
        report, formats, previous=previous, allow_errors=allow_errors, result=result
    )
    suffixes = {fmt: suffix for fmt, (suffix, _render) in FORMATS.items()}
    return BuildResult(outputs=write_outputs(data, out_dir, stem, suffixes), result=result)
