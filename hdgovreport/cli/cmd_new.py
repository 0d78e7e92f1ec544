"""``hdgovreport new``: write a complete, commented blank data file."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from hdgovreport.cli import EXIT_OK
from hdgovreport.form.layout import Edition


def register(sub: Any) -> None:
    p = sub.add_parser(
        "new",
        help="生成带说明的空白数据文件",
        description="生成一份完整的、带填写说明的空白报告数据文件。",
    )
    p.add_argument(
        "--agency", required=True, metavar="名称", help="机关全称，如 北京市海淀区人民政府"
    )
    p.add_argument("--year", required=True, type=_year, metavar="年份", help="报告年度，如 2023")
    p.add_argument(
        "--edition",
        choices=("2021", "2019"),
        default=None,
        metavar="版本",
        help="格式版本：2021（国办公开办函〔2021〕30号）或 2019（试行格式）；默认按年度，2021 年度起为 2021",
    )
    p.add_argument(
        "-o",
        "--output",
        metavar="文件",
        help="写入的文件：.yaml 数据文件，或 .xlsx Excel 工作簿（默认把 YAML 输出到屏幕）",
    )
    p.add_argument("--force", action="store_true", help="覆盖已存在的文件")
    p.set_defaults(handler=run)


def _year(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"年份应为整数，如 2023，实际为“{text}”") from None
    if not 2008 <= value <= 2100:
        raise argparse.ArgumentTypeError(f"年份应在 2008 至 2100 之间，实际为 {value}")
    return value


def run(args: argparse.Namespace) -> int:
    from hdgovreport.api import new_report_file

    edition: Edition = args.edition or ("2019" if args.year <= 2020 else "2021")
    text = new_report_file(
        args.output, agency=args.agency, year=args.year, edition=edition, overwrite=args.force
    )
    if args.output:
        print(f"已生成 {args.output}；填写后运行：hdgovreport check {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return EXIT_OK
