"""``hdgovreport aggregate``: the district sum — a report whose tables add up its children's."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from hdgovreport.cli import EXIT_INPUT, EXIT_OK


def register(sub: Any) -> None:
    p = sub.add_parser(
        "aggregate",
        help="汇总：把下级单位报告的表格逐格相加，写成一份汇总报告数据文件",
        description=(
            "把多份报告（数据文件或已发布的报告；文件夹逐层查找）的表2、表3、表4和信息处理费"
            "逐格相加：件数（表2的存量文件数也一样）相加，金额按十进制精确相加，各单位填报的总计也相加。"
            "写成一份数据文件，正文是自动生成的说明（汇总了哪些单位、哪些文件），请另行撰写。"
            "所有报告须为同一年度、同一格式版本。用 check 汇总报告 --children 目录 可核对"
            "已发布的汇总表是否等于各单位之和。"
        ),
    )
    p.add_argument("inputs", nargs="+", metavar="文件或目录", help="下级单位的报告")
    p.add_argument(
        "--agency",
        required=True,
        metavar="名称",
        help="汇总报告的机关名称，如 北京市海淀区（全区汇总）",
    )
    p.add_argument("--year", type=int, metavar="年份", help="汇总的年度（默认为各报告共同的年度）")
    p.add_argument(
        "-o", "--output", required=True, metavar="文件", help="写出的汇总数据文件（YAML）"
    )
    p.add_argument("--force", action="store_true", help="输出文件已存在时覆盖")
    p.add_argument(
        "--jobs",
        type=int,
        default=None,
        metavar="进程数",
        help="并行读入的进程数（默认全部 CPU 核）",
    )
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from hdgovreport.api import aggregate, dump

    target = Path(args.output)
    if target.exists() and not args.force:
        print(f"hdgovreport: {target} 已存在；如要覆盖，请加 --force", file=sys.stderr)
        return EXIT_INPUT
    summed = aggregate(args.inputs, agency=args.agency, year=args.year, workers=args.jobs)
    dump(summed.report, target)
    print(f"已汇总 {len(summed.members)} 份报告，写入 {target}")
    for member in summed.members:
        print(f"    {member.agency}  {member.label}")
    for label, why in summed.skipped:
        print(f"未汇总 {label}：{why}")
    return EXIT_OK
