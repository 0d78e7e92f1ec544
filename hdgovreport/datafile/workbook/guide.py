"""The 说明 sheet: how to fill the workbook, in plain Chinese (labels taken from the layout)."""

from __future__ import annotations

from hdgovreport.datafile import keys as K
from hdgovreport.datafile.workbook import layout as L
from hdgovreport.form import queries
from hdgovreport.form.layout import Edition, layout, row_label
from hdgovreport.model import values as V


def guide_lines(edition: Edition) -> list[tuple[str, bool]]:
    """``(text, is_heading)`` lines of the 说明 sheet."""
    tables = layout()
    t2, t3, t4 = tables.proactive, tables.applications, tables.review_litigation
    total_row = row_label(t3, "total_handled")
    total_column = next(
        leaf.label for leaf in queries.applicant_columns(edition) if leaf.path == ("total",)
    )
    fee_row = next(r.row.label for r in queries.proactive_rows(edition) if r.field == "fees")
    overview = L.narrative_sheet_name("overview")
    return [
        ("一、这个工作簿是什么", True),
        (
            "这是政府信息公开工作年度报告的填报表。填好后，用 hdgovreport 校验勾稽关系，"
            "并生成正式版（网页、PDF、Word）和图解版。工作表按报告的顺序排列："
            f"{'、'.join(L.sheet_names(edition)[:-1])}。",
            False,
        ),
        ("二、在哪里填", True),
        ("黄色格子是填写处。其余格子已保护，防止误改；保护没有密码，不要随意取消。", False),
        (
            "灰色格子是自动计算的核对数（各项之和），不用填写，程序也不会读入。"
            f"填报的“{total_column}”与各项之和不一致时，两格一起变红，旁边显示“{L.MISMATCH}”。",
            False,
        ),
        ("三、表格中的数字", True),
        (
            "一律填阿拉伯数字，没有就填 0，不要留空。不要填文字、全角数字（１２）、千位分隔符（1,520）、"
            "汉字数字（十二）或公式；单元格格式不要设成“文本”。填错时程序会指出工作表和单元格，并给出应填的数。",
            False,
        ),
        (
            f"{t3.name}每行的“{total_column}”、“{total_row}”一行和{t4.name}每组的“{total_column}”"
            "可以留空，由程序计算；填了就按填的数保存和校验，程序不会改动。",
            False,
        ),
        (
            f"{t2.name}“{fee_row}”以万元为单位，最多 {V.MONEY_PLACES} 位小数；"
            f"{tables.fee.name}以元为单位，最多 {V.YUAN_PLACES} 位小数。",
            False,
        ),
        ("四、文字部分", True),
        (
            f"“{overview}”等工作表每行一项：“{L.LEVEL}”一列选“{K.INTRO}”（小节之前的段落）、"
            f"“{K.SUBSECTIONS}”（小节标题）、“{K.POINT}”（编号的要点）或“{K.PARAGRAPH}”（不编号的段落），"
            f"“{K.CONTENT}”一列写文字。要点和段落属于它上面最近的小节。",
            False,
        ),
        (
            "（一）（二）和一是、二是、1.、（1）等编号由程序生成，不要手写。"
            f"小节行的“{K.POINT_STYLE}”可选一是、1.、（1），不填为一是。",
            False,
        ),
        (
            "每段文字写在一个格子里，格子里不要换行（Alt+回车）：要分段就另起一行。"
            "需要更多行时，可以在中间插入行，或接着往下填。",
            False,
        ),
        (
            f"表格工作表下方可以填表格前后的文字：“{K.INTRO}”印在表格之前，“{K.NOTES}”印在表格之后。",
            False,
        ),
        ("五、填好以后", True),
        ("保存为 .xlsx（Excel 工作簿）。WPS 表格和 LibreOffice 保存的 .xlsx 同样可以读入。", False),
        ("校验：hdgovreport check 本文件.xlsx", False),
        ("生成报告：hdgovreport build 本文件.xlsx --to html,pdf,docx", False),
        ("转成 YAML 数据文件：hdgovreport import 本文件.xlsx -o 报告.yaml", False),
        (
            f"“{K.EDITION}”决定表格的样式，改动后表格不会跟着变：请用 hdgovreport new --edition 2019 "
            "重新生成对应版本的工作簿。",
            False,
        ),
    ]
