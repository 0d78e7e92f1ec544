"""``hdgovreport check``: check a report's cross-checks (勾稽关系) and plausibility."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from hdgovreport.cli import EXIT_ERRORS, EXIT_INPUT, EXIT_OK
from hdgovreport.cli.console import json_text
from hdgovreport.errors import DataFileError


def register(sub: Any) -> None:
    p = sub.add_parser(
        "check",
        help="校验报告：勾稽关系、数据类型、年度衔接、正文与表格一致",
        description=(
            "校验一份报告：报告数据文件（YAML），或已发布的报告（文本、网页 HTML、Word .docx、PDF，"
            "自动识别）。发现的问题指向文件中的行或已发布表格中的单元格。"
            "退出码：0 无错误（可有警告），1 有错误，2 文件无法读取或格式不对。"
        ),
    )
    p.add_argument(
        "file", metavar="文件", help="报告数据文件，或已发布的报告（.txt .html .docx .pdf）"
    )
    p.add_argument(
        "--previous",
        metavar="去年的文件或目录",
        help="上一年度的报告（数据文件或已发布的报告），用于年度衔接检查；"
        "给出文件夹时，按机关名称找出同一机关上一年度的报告",
    )
    p.add_argument(
        "--children",
        nargs="+",
        metavar="文件或目录",
        help="下级单位的报告（文件夹或文件）：逐格核对本报告的表格等于它们之和（规则 SUM-cell）",
    )
    p.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        metavar="格式",
        help="输出格式：text 文字（默认），json 供其他程序读取的 JSON",
    )
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from hdgovreport.api import check_published
    from hdgovreport.published import UnreadableError

    previous = args.previous
    pairing_note = ""
    try:
        if previous is not None and Path(previous).is_dir():
            previous, pairing_note = _pair(args.file, previous)
        checked = check_published(args.file, previous)
    except DataFileError as exc:
        if args.format == "json":
            print(json_text(input_error_json(exc)))
        raise
    except UnreadableError as exc:
        if args.format == "json":
            print(json_text(unreadable_json(exc)))
        raise
    if args.children:
        checked = _with_children(checked, args.file, args.children)
    if args.format == "json":
        out = checked.to_dict()
        if pairing_note:
            out["previous"] = {"file": previous, "note": pairing_note}
        print(json_text(out))
    else:
        print(checked.to_text())
        if pairing_note:
            print(pairing_note)
    return EXIT_OK if checked.result.ok else EXIT_ERRORS


def _pair(file: str, folder: str) -> tuple[str | None, str]:
    """Last year's report of this file's agency in ``folder``, and what was done."""
    from hdgovreport.api import previous_in, read_report
    from hdgovreport.district.pairing import HOW_NAMES

    report = read_report(file).report
    pair, why = previous_in(folder, report, file=file)
    if pair is None:
        return (
            None,
            f"年度衔接：在 {folder} 中未找到“{report.meta.agency}”的上年报告（{why}），未做衔接检查。",
        )
    return pair.previous.file, (
        f"年度衔接：与 {pair.previous.file}（{pair.previous.agency} {pair.previous.year} 年度，"
        f"{HOW_NAMES[pair.how]}）配对。"
    )


def _with_children(checked: Any, file: str, children: list[str]) -> Any:
    """The check with the SUM-* findings of the children added."""
    import attrs

    from hdgovreport.api import check_children

    extra = check_children(checked.read.report, children).located(checked.read.sources)
    findings = sorted(
        (*checked.result.findings, *extra.findings), key=lambda f: 0 if f.is_error else 1
    )
    return attrs.evolve(checked, result=attrs.evolve(checked.result, findings=tuple(findings)))


def unreadable_json(exc: Any) -> dict[str, Any]:
    """The JSON answer for a published file that cannot be read."""
    return {
        "subject": exc.filename,
        "ok": False,
        "exit_code": EXIT_INPUT,
        "unreadable": exc.reason,
        "findings": [],
    }


def input_error_json(exc: DataFileError) -> dict[str, Any]:
    """What ``check --format json`` prints for a data file it cannot read (also the web
    form's answer to such a file)."""
    return {
        "subject": exc.filename,
        "ok": False,
        "exit_code": EXIT_INPUT,
        "input_errors": [
            {
                "file": exc.filename,
                "line": p.line,
                "column": p.column,
                "field": p.field,
                "message": p.message,
                **({"code": p.code} if p.code else {}),
            }
            for p in exc.problems
        ],
        "findings": [],
    }
