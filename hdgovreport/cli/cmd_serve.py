"""``hdgovreport serve``: fill in a report in the browser, on this computer only."""

from __future__ import annotations

import argparse
import datetime as _dt
from typing import Any


def register(sub: Any) -> None:
    p = sub.add_parser(
        "serve",
        help="在浏览器中填写报告：表格逐格校验，预览并下载各个版本",
        description=(
            "打开（或新建）一个数据文件，在本机启动一个只供本机访问的网页表单："
            "按官方表格填写数字，边填边校验勾稽关系，预览正式版和图解版，下载 PDF、Word、长图，"
            "保存时原子写入并保留上一版（FILE.bak）。"
            "标准输出的第一行是带访问令牌的网址；按 Ctrl+C 停止。"
        ),
    )
    p.add_argument("file", metavar="FILE", help="报告数据文件（.yaml）；不存在时按空白模板新建")
    p.add_argument(
        "--port",
        type=int,
        metavar="N",
        help="端口（默认 8371，被占用时依次试后面的端口；0 表示自动选择）",
    )
    p.add_argument("--no-browser", action="store_true", help="不自动打开浏览器")
    p.add_argument(
        "--previous",
        metavar="LAST_YEAR_FILE",
        help="上一年度的报告（数据文件或已发布的报告），用于年度衔接检查和图解版的同比",
    )
    p.add_argument("--agency", metavar="NAME", help="新建文件时的机关名称")
    p.add_argument("--year", type=int, metavar="YEAR", help="新建文件时的报告年度（默认上一年）")
    p.add_argument(
        "--edition", choices=("2021", "2019"), default="2021", help="新建文件时的格式版本"
    )
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from hdgovreport.datafile import blank_report
    from hdgovreport.errors import HdgovreportError
    from hdgovreport.serve import Session, serve
    from hdgovreport.serve.store import DataFileStore

    if args.port is not None and not 0 <= args.port <= 65535:
        raise HdgovreportError(f"端口应在 0 至 65535 之间，实际为 {args.port}")
    year = args.year if args.year is not None else _dt.date.today().year - 1
    blank = blank_report(args.agency or "（请填写机关名称）", year, args.edition)
    store = DataFileStore(args.file, new_report=blank)
    previous = None
    if args.previous:
        from hdgovreport.api import read_report

        previous = read_report(args.previous).report
    session = Session(store, previous=previous, previous_name=args.previous)
    return serve(session, port=args.port, open_browser=not args.no_browser)
