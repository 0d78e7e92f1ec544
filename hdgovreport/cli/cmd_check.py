"""``hdgovreport check``: check a report's cross-checks (勾稽关系) and plausibility."""

from __future__ import annotations

import argparse
import json
from typing import Any

from hdgovreport.cli import EXIT_ERRORS, EXIT_INPUT, EXIT_OK
from hdgovreport.errors import DataFileError


def register(sub: Any) -> None:
    p = sub.add_parser(
        "check",
        help="校验报告：勾稽关系、数据类型、年度衔接、正文与表格一致",
        description="校验报告数据文件。退出码：0 无错误（可有警告），1 有错误，2 文件无法读取或格式不对。",
    )
    p.add_argument("file", metavar="FILE", help="报告数据文件（YAML）")
    p.add_argument(
        "--previous", metavar="LAST_YEAR_FILE", help="上一年度的报告数据文件，用于年度衔接检查"
    )
    p.add_argument(
        "--format", choices=("text", "json"), default="text", help="输出格式（默认 text）"
    )
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from hdgovreport.api import check_file

    try:
        result = check_file(args.file, args.previous)
    except DataFileError as exc:
        if args.format == "json":
            print(json.dumps(_input_error(exc), ensure_ascii=False, indent=2))
        raise
    print(result.to_json() if args.format == "json" else result.to_text())
    return EXIT_OK if result.ok else EXIT_ERRORS


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
            }
            for p in exc.problems
        ],
        "findings": [],
    }
