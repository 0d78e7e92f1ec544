"""``hdgovreport import``: a published report (or a data file) as our data file, or as tables JSON."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from hdgovreport.cli import EXIT_INPUT, EXIT_OK
from hdgovreport.cli.console import json_text


def register(sub: Any) -> None:
    p = sub.add_parser(
        "import",
        help="读入已发布的报告（文本、网页、Word、PDF），写成数据文件或表格 JSON",
        description=(
            "读入已发布的报告（文本、网页 HTML、Word .docx、PDF，自动识别），写成本软件的数据文件，"
            "作为下一年报告的起点或年度衔接检查的上年报告；或用 --tables-json 输出三张表格"
            "（以官方标签为键，数据文件也可以）。读入说明（近似匹配的标签、按 0 读入的空格等）写到标准错误输出。"
        ),
    )
    p.add_argument("file", metavar="文件", help="已发布的报告，或报告数据文件（.yaml 或 .xlsx）")
    target = p.add_mutually_exclusive_group(required=True)
    target.add_argument(
        "-o",
        "--output",
        metavar="数据文件",
        help="写入的数据文件：如 2022.yaml，或 Excel 工作簿 2022.xlsx（按扩展名）",
    )
    target.add_argument(
        "--tables-json", action="store_true", help="把表2、表3、表4以 JSON 输出到屏幕"
    )
    p.add_argument("--force", action="store_true", help="覆盖已存在的数据文件")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from hdgovreport.api import read_report, refuse_output
    from hdgovreport.datafile import dump
    from hdgovreport.published import tables_json

    if args.output:
        refuse_output(args.output)  # a folder or a device where the file goes: exit 2
    if args.output and Path(args.output).exists() and not args.force:
        print(f"hdgovreport: {args.output}: 文件已存在；如要覆盖，请加 --force", file=sys.stderr)
        return EXIT_INPUT
    loaded = read_report(args.file)
    if loaded.format != "data":
        print(f"{args.file}: {loaded.edition_evidence}", file=sys.stderr)
        for note in loaded.notes:
            if note.message != loaded.edition_evidence:
                print(f"  {note}", file=sys.stderr)
    if args.tables_json:
        print(json_text(tables_json(loaded.report)))
    else:
        dump(loaded.report, args.output)
        print(f"已写入 {args.output}", file=sys.stderr)
    return EXIT_OK
