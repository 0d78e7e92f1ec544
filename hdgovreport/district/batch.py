"""Build a whole district: many data files, in parallel, each output named after its report.

:func:`build_many` reads every data file (and last year's reports, when given) in warm
worker processes, checks each report here (with last year's, paired by agency name),
refuses the reports with errors (unless ``allow_errors``) and the duplicates, then has
the workers render and write every asked edition.  One bad report never stops the batch;
each one comes back with what was written or why not.

Outputs are ``<out>/<机关名称>/<机关名称><年份>年政府信息公开工作年度报告.pdf`` (and
``…（图解）.png`` for the graphic edition), or directly in ``<out>`` with ``flat``; names
are made safe for Windows.  ``out`` defaults to each data file's folder.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import attrs

from hdgovreport.checks import CheckResult, check
from hdgovreport.district import pool as _pool
from hdgovreport.district.audit import DATA_SUFFIXES, SUFFIXES, collect, entries
from hdgovreport.district.names import normalise_agency, safe_filename
from hdgovreport.district.outputs import table
from hdgovreport.district.pairing import Pairing, pair_years
from hdgovreport.district.roster import Roster, RosterFinding, Submitted, roster_findings
from hdgovreport.district.tasks import (
    READ_TIME_LIMIT,
    ReadOutcome,
    RenderJob,
    RenderOutcome,
    read_task,
    render_task,
)

Progress = Callable[[int, int, str], None]


@attrs.frozen
class BuiltReport:
    """One data file of the batch: what was written, or why nothing was."""

    file: str
    agency: str | None = None
    year: int | None = None
    errors: int = 0
    warnings: int = 0
    outputs: tuple[str, ...] = ()
    refused: str | None = None
    unreadable: bool = False  # the input could not be read (as opposed to a refused report)
    previous: str | None = None  # last year's file it was paired with
    result: CheckResult | None = None

    @property
    def built(self) -> bool:
        return self.refused is None

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "agency": self.agency,
            "year": self.year,
            "errors": self.errors,
            "warnings": self.warnings,
            "outputs": list(self.outputs),
            "refused": self.refused,
            "unreadable": self.unreadable,
            "previous": self.previous,
            "failed_rules": list(self.result.failed_rules) if self.result else [],
        }


@attrs.frozen
class BatchResult:
    """Every report of the batch in the order given, the year pairs, the roster's findings."""

    reports: tuple[BuiltReport, ...]
    pairing: Pairing | None = None
    roster: tuple[RosterFinding, ...] = ()

    @property
    def refused(self) -> tuple[BuiltReport, ...]:
        return tuple(r for r in self.reports if not r.built)

    @property
    def exit_code(self) -> int:
        """0 every report built; 1 some report refused; 2 some input could not be read."""
        if any(r.unreadable for r in self.reports):
            return 2
        return 1 if self.refused else 0

    def total(self) -> dict[str, int]:
        return {
            "reports": len(self.reports),
            "built": sum(1 for r in self.reports if r.built),
            "refused": len(self.refused),
            "files_written": sum(len(r.outputs) for r in self.reports),
            "errors": sum(r.errors for r in self.reports),
            "warnings": sum(r.warnings for r in self.reports),
        }

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "reports": [r.to_dict() for r in self.reports],
            "total": self.total(),
            "roster": [
                {"file": f.file, "agency": f.agency, **f.finding.to_dict()} for f in self.roster
            ],
        }
        if self.pairing is not None:
            out["pairing"] = self.pairing.to_dict()
        return out

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    def to_table(self) -> str:
        """The summary a coordinator reads: one line per report, then the totals."""
        rows = [
            [
                r.agency or "",
                r.year or "",
                "" if r.unreadable else r.errors,
                "" if r.unreadable else r.warnings,
                len(r.outputs),
                r.refused or "",
                r.file,
            ]
            for r in self.reports
        ]
        lines = table(
            ("机关", "年度", "错误", "警告", "生成文件", "未生成的原因", "数据文件"), rows
        )
        t = self.total()
        lines.append(
            f"合计：{t['reports']} 份报告，生成 {t['built']} 份（{t['files_written']} 个文件），"
            f"未生成 {t['refused']} 份；共 {t['errors']} 个错误、{t['warnings']} 个警告。"
        )
        if self.pairing is not None:
            linkage = {r.file: r.result.findings for r in self.reports if r.result is not None}
            lines += ["", self.pairing.to_text(linkage)]
        if self.roster:
            lines += ["", "名册核对："]
            for f in self.roster:
                lines.append(f"    {f.finding.code}  {f.finding.message}")
        return "\n".join(lines)


def _folder_of(base: Path, agency: str, flat: bool) -> Path:
    return base if flat else base / safe_filename(agency)


def _refuse(outcome: ReadOutcome, reason: str, **extra: Any) -> BuiltReport:
    read = outcome.read
    meta = read.report.meta if read is not None else None
    return BuiltReport(
        file=outcome.file,
        agency=meta.agency if meta else None,
        year=meta.year if meta else None,
        refused=reason,
        **extra,
    )


def build_many(
    paths: Iterable[str | Path],
    to: str | Iterable[str] = ("html", "pdf"),
    *,
    graphic: str | Iterable[str] = (),
    out: str | Path | None = None,
    flat: bool = False,
    previous: Iterable[str | Path] = (),
    roster: Roster | None = None,
    allow_errors: bool = False,
    workers: int | None = None,
    progress: Progress | None = None,
    width: int | None = None,
) -> BatchResult:
    """Build the official edition (``to``) and/or the graphic edition (``graphic``) of many
    data files (folders are searched for ``.yaml``) on all cores (``workers=0``: in this
    process).  ``previous``: last year's reports (files or folders), paired by agency name
    for the year-linkage rules and the graphic's year-over-year figures.  ``roster``: the
    district's bodies (missing, duplicated, unknown, late reports are said).  ``width``:
    the graphic's PNG long image, in pixels (default 1500).

    Raises ``ValueError`` (Chinese message) for an unknown format; everything about a
    single report is in its :class:`BuiltReport`.
    """
    from hdgovreport.graphic.options import PNG_WIDTH, check_width
    from hdgovreport.graphic.options import parse_formats as graphic_formats
    from hdgovreport.render.build import parse_formats as official_formats

    png_width = check_width(PNG_WIDTH if width is None else width)

    official = official_formats(to) if (to if isinstance(to, str) else list(to)) else ()
    pictures = (
        graphic_formats(graphic) if (graphic if isinstance(graphic, str) else list(graphic)) else ()
    )
    if not official and not pictures:
        raise ValueError("没有要生成的格式")
    files = collect(paths, DATA_SUFFIXES)
    previous = list(previous)
    prev_files = [p for p in collect(previous, SUFFIXES) if p not in set(files)]
    reads = [*files, *prev_files]
    state = {"done": 0, "total": len(reads) + len(files)}

    def tick(path: str) -> None:
        state["done"] += 1
        if progress is not None:
            progress(state["done"], state["total"], path)

    count = _pool.cpu_count() if workers is None else workers
    count = min(count, max(1, len(files)))
    pool = _pool.Pool("build", count) if workers != 0 and files else None
    try:
        outcomes = _read_all(pool, reads, tick)
        current, by_file = outcomes[: len(files)], {o.file: o for o in outcomes}
        pairing = None
        if previous:
            pairing = pair_years(
                entries(o for o in current if _is_data(o)),
                entries(by_file[p] for p in prev_files),
                roster,
            )
        found = _roster(roster, current)
        done: dict[str, BuiltReport] = {}
        jobs: list[RenderJob] = []
        duplicates = _duplicates([o for o in current if _is_data(o)])
        base_out = Path(out) if out is not None else None
        for o in current:
            if o.read is None:
                done[o.file] = _refuse(o, o.unreadable or "无法读取", unreadable=True)
                continue
            if o.read.format != "data":
                done[o.file] = _refuse(
                    o, "不是报告数据文件（已发布的报告请先用 import 转为数据文件）", unreadable=True
                )
                continue
            if o.file in duplicates:
                done[o.file] = _refuse(o, duplicates[o.file])
                continue
            pair = pairing.previous_of(o.file) if pairing else None
            last_read = by_file[pair.file].read if pair else None
            last = last_read.report if last_read is not None else None
            report = o.read.report
            result = check(report, last, subject=o.file).located(o.read.sources)
            checked = BuiltReport(
                file=o.file,
                agency=report.meta.agency,
                year=report.meta.year,
                errors=len(result.errors),
                warnings=len(result.warnings),
                previous=pair.file if pair else None,
                result=result,
            )
            if not result.ok and not allow_errors:
                rules = "、".join(result.failed_rules)
                done[o.file] = attrs.evolve(checked, refused=f"报告有错误（{rules}），未生成")
                continue
            base = base_out if base_out is not None else Path(o.file).parent
            jobs.append(
                RenderJob(
                    file=o.file,
                    report=report,
                    result=result,
                    previous=last,
                    official=official,
                    graphic=pictures,
                    out_dir=str(_folder_of(base, report.meta.agency, flat)),
                    stem=safe_filename(report.title),
                    width=png_width,
                )
            )
            done[o.file] = checked
        state["total"] = len(reads) + len(jobs)
        state["done"] = len(reads)
        for job, rendered in _render_all(pool, jobs, tick):
            before = done[job.file]
            if rendered.failed is not None:
                done[job.file] = attrs.evolve(before, refused=rendered.failed)
            else:
                done[job.file] = attrs.evolve(before, outputs=rendered.outputs)
    finally:
        if pool is not None:
            pool.close()
    return BatchResult(tuple(done[f] for f in files), pairing, found)


def _is_data(outcome: ReadOutcome) -> bool:
    return outcome.read is not None and outcome.read.format == "data"


def _read_all(
    pool: _pool.Pool | None, files: Sequence[str], tick: Callable[[str], None]
) -> list[ReadOutcome]:
    from hdgovreport.fileio import regular_file_problem

    outcomes: list[ReadOutcome | None] = [None] * len(files)
    todo = []
    for i, path in enumerate(files):
        problem = regular_file_problem(path)
        if problem is not None:
            outcomes[i] = ReadOutcome(file=path, unreadable=problem)
            tick(path)
        else:
            todo.append(i)
    if pool is None:
        for i in todo:
            outcomes[i] = read_task(files[i])
            tick(files[i])
    else:
        jobs = [(files[i], READ_TIME_LIMIT) for i in todo]
        for j, result in pool.imap("read", jobs, time_limit=READ_TIME_LIMIT):
            i = todo[j]
            if isinstance(result, _pool.Failure):
                result = ReadOutcome(file=files[i], unreadable=result.reason)
            outcomes[i] = result
            tick(files[i])
    return [
        o if o is not None else ReadOutcome(file=f, unreadable="未处理")
        for o, f in zip(outcomes, files, strict=True)
    ]


def _render_all(
    pool: _pool.Pool | None, jobs: Sequence[RenderJob], tick: Callable[[str], None]
) -> Iterable[tuple[RenderJob, RenderOutcome]]:
    if pool is None:
        for job in jobs:
            rendered = render_task(job)
            tick(job.file)
            yield job, rendered
        return
    for index, result in pool.imap("render", [(job,) for job in jobs]):
        job = jobs[index]
        if isinstance(result, _pool.Failure):
            result = RenderOutcome(file=job.file, failed=f"生成失败：{result.reason}")
        tick(job.file)
        yield job, result


def _duplicates(outcomes: Sequence[ReadOutcome]) -> dict[str, str]:
    """Files whose agency and year another file also has: their outputs would overwrite."""
    groups: dict[tuple[str, int], list[str]] = {}
    for o in outcomes:
        assert o.read is not None
        meta = o.read.report.meta
        groups.setdefault((normalise_agency(meta.agency), meta.year), []).append(o.file)
    out = {}
    for (_agency, year), group in groups.items():
        if len(group) > 1:
            for f in group:
                others = "、".join(g for g in group if g != f)
                out[f] = (
                    f"与 {others} 是同一机关的 {year} 年度报告（输出文件会互相覆盖），"
                    "未生成；请只保留一份"
                )
    return out


def _roster(roster: Roster | None, current: Sequence[ReadOutcome]) -> tuple[RosterFinding, ...]:
    if roster is None:
        return ()
    subs = [
        Submitted(
            o.file, o.read.report.meta.agency, o.read.report.meta.year, o.read.report.meta.published
        )
        for o in current
        if o.read is not None
    ]
    return roster_findings(roster, subs)


__all__ = ["DATA_SUFFIXES", "BatchResult", "BuiltReport", "build_many"]
