"""The commented blank data file that ``hdgovreport new`` writes."""

from __future__ import annotations

import re
from typing import Any

from hdgovreport.builders import ReportBuilder
from hdgovreport.datafile import keys as K
from hdgovreport.datafile.reader import MAX_FILE_BYTES
from hdgovreport.datafile.writer import render_document, to_document
from hdgovreport.form.layout import (
    Edition,
    Node,
    layout,
    row_label,
    section_heading,
    section_order,
    strip_numbering,
    wording,
)
from hdgovreport.model import AnnualReport
from hdgovreport.model.values import MAX_TEXT


def blank_report(agency: str, year: int, edition: Edition = "2021") -> AnnualReport:
    """A report with every figure 0, the standard opening and fee sentence, and suggested sub-sections."""
    rb = ReportBuilder(agency=agency, year=year, edition=edition)
    suggested = wording().suggested_subsections
    for title in suggested.get("overview", ()):
        rb.overview.subsection(title)
    for title in suggested.get("problems", ()):
        rb.problems.subsection(title)
    rb.other_matters.fee(notices=0)
    return rb.build()


def _header() -> str:
    t3 = layout().applications
    total_column = _total_key()
    total_row = row_label(t3, "total_handled")
    return f"""\
政府信息公开工作年度报告 · 数据文件（hdgovreport）

填写说明：
- 以 # 开头的是说明，可以删除；冒号后面要有一个空格；缩进用空格，不用 Tab。
- 表格中的数字一律填写，没有就填 0；“{total_column}”列和“{total_row}”行已省略，由程序计算；
  如要填写总计，加上即可，程序按填报的数校验，不会改动。
- 每一段文字写在一行里；一是、二是、（一）等编号由程序自动生成，不要手写。
- 每段文字不超过 {MAX_TEXT} 字；整个文件不超过 {MAX_FILE_BYTES // 1024 // 1024} MB。
- 填好后运行：hdgovreport check 本文件   （校验勾稽关系）
- 图解版的设置（可选）写在文件末尾：
  {K.GRAPHIC}:
    {K.SOURCE}: 《……年度报告》        # 图解“数据来源”一行所写的报告名称，默认为本报告标题
    {K.RATES}: [{"、".join(K.RATE_FROM_WORD)}]            # 图解可以显示的计算所得比率，默认不显示
"""


_META_COMMENTS = {
    K.EDITION: "2021（国办公开办函〔2021〕30号，2021 年度起）或 2019（试行格式，2019、2020 年度）",
    K.AGENCY: "机关全称，用于标题：<机关名称><年份>年政府信息公开工作年度报告",
    K.KIND: "本级政府（人民政府的报告，3 月 31 日前公布）或 政府部门（1 月 31 日前公布）",
    K.YEAR: "统计年度：1 月 1 日至 12 月 31 日",
}


def _section_comments() -> dict[str, str]:
    tables = layout()
    t3, t4 = tables.applications, tables.review_litigation
    fee_row = next(
        r.key for b in tables.proactive.blocks("2021") for r in b.rows if r.field == "fees"
    )
    keys = {leaf.node.field: leaf.node.key for leaf in t3.row_leaves("2021")}
    outcomes = [c.label for c in t4.columns[0].children]
    return {
        "overview": "导语：可选的开头段落；小节：（一）（二）…，每个小节有标题和内容（要点 或 段落）。\n"
        "建议涵盖主动公开、依申请公开、政府信息管理、平台建设、监督保障（含考核、社会评议、责任追究）。\n"
        f"小节可加“{K.HIGHLIGHTS}”，供图解版展示：- {{{K.FIGURE}: 22, {K.UNIT}: 条, {K.LABEL}: 收录惠企政策}}",
        "proactive": f"{tables.proactive.name}：按《条例》第二十条各项填写件数；{fee_row}金额以万元为单位，最多 6 位小数（精确到分）。",
        "applications": f"{t3.name}：每行按申请人类型填写；“{_total_key()}”列和“{row_label(t3, 'total_handled')}”行可以不填（自动计算）。\n"
        f"勾稽关系：{keys['new_received']} + {keys['carried_over']} = {row_label(t3, 'total_handled')} + {keys['carried_forward']}（每一列）。",
        "review_litigation": f"{t4.name}：每组 {outcomes[-1]} = {' + '.join(outcomes[:-1])}（{outcomes[-1]}可不填）。",
        "problems": "（一）存在的主要问题；（二）改进情况。",
        "other_matters": f"必须报告{tables.fee.name}：{'、'.join(i.label for i in tables.fee.items)}。\n"
        "导语中的收费句子由模板生成，修改数字时请一并修改。",
    }


def _drop_totals(doc: Any, nodes: tuple[Node, ...], edition: str) -> None:
    """Leave the totals out of the blank file: the reader computes them."""
    for node in nodes:
        if not node.in_edition(edition) or node.key not in doc:
            continue
        if node.field == "total_handled":
            del doc[node.key]
        elif node.children:
            _drop_totals(doc[node.key], node.children, edition)
        else:
            doc[node.key].pop(_total_key(), None)


def _total_key() -> str:
    return next(
        leaf.node.key
        for leaf in layout().applications.column_leaves("2021")
        if leaf.path == ("total",)
    )


def _comment_short_keys(doc: Any, nodes: tuple[Node, ...], edition: str) -> None:
    """Name the official label above every key that is a short form of it."""
    for node in nodes:
        if not node.in_edition(edition) or node.key not in doc:
            continue
        if node.key != strip_numbering(node.label):
            doc.yaml_add_eol_comment(f"# {node.label}", node.key, column=0)
        if node.children:
            _comment_short_keys(doc[node.key], node.children, edition)


def template(agency: str, year: int, edition: Edition = "2021") -> str:
    """The text of a complete, commented blank data file."""
    report = blank_report(agency, year, edition)
    doc = to_document(report)
    doc.yaml_set_start_comment(_header())
    for key, comment in _META_COMMENTS.items():
        doc.yaml_add_eol_comment(f"# {comment}", key)
    doc.yaml_set_comment_before_after_key(
        K.OPENING, before=f"\n开头：标题之后、“{section_heading('overview')}”之前的段落"
    )
    comments = _section_comments()
    sections = wording().sections
    for attr in section_order():
        key = sections[attr]
        doc.yaml_set_comment_before_after_key(
            key, before=f"\n{section_heading(attr)}\n{comments[attr]}"
        )
    t3 = layout().applications
    _drop_totals(doc[sections["applications"]], t3.rows, edition)
    for group in doc[sections["review_litigation"]].values():
        group.pop(_total_key(), None)
    _comment_short_keys(doc[sections["applications"]], t3.rows, edition)
    return _with_examples(render_document(doc))


_EMPTY_LIST = re.compile(rf"^(?P<indent> *)(?P<key>{K.CONTENT}|{K.SUBSECTIONS}): \[\]$", re.M)


def _with_examples(text: str) -> str:
    """Every empty list of sub-sections or points shows one commented example of an entry.

    The key stays (an empty list), so the blank file still loads; deleting ``# `` turns
    the example into an entry.
    """

    def example(match: re.Match[str]) -> str:
        indent, key = match["indent"], match["key"]
        inner = indent + "  "
        point = (
            f"- {K.POINT}: 在这里写第一个要点，一句话说明做了什么、效果如何（一是、二是……自动编号）"
        )
        if key == K.CONTENT:
            lines = [point, f"- {K.PARAGRAPH}: 不编号的段落写成“{K.PARAGRAPH}”"]
        else:
            lines = [
                f"- {K.TITLE}: 小节标题（（一）（二）……自动编号，不要手写）",
                f"  {K.CONTENT}:",
                f"    {point}",
            ]
        body = "".join(f"\n{inner}# {line}" for line in lines)
        return f"{indent}{key}:{body}"

    return _EMPTY_LIST.sub(example, text)
