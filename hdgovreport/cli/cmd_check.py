"""``hdgovreport check``: check a report's cross-checks (勾稽关系) and plausibility."""

from __future__ import annotations

import argparse
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
        metavar="去年的文件",
        help="上一年度的报告（数据文件或已发布的报告），用于年度衔接检查",
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

    try:
        checked = check_published(args.file, args.previous)
    except DataFileError as exc:
        if args.format == "json":
            print(json_text(_input_error(exc)))
        raise
    except UnreadableError as exc:
        if args.format == "json":
            print(json_text(unreadable_json(exc)))
        raise
    print(json_text(checked.to_dict()) if args.format == "json" else checked.to_text())
    return EXIT_OK if checked.result.ok else EXIT_ERRORS


def unreadable_json(exc: Any) -> dict[str, Any]:
    """The JSON answer for a published file that cannot be read."""
    return {
        "subject": exc.filename,
        "ok": False,
        "exit_code": EXIT_INPUT,
        "unreadable": exc.reason,
        "findings": [],
    }


def _input_error(exc: DataFileError) -> dict[str, Any]:
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
