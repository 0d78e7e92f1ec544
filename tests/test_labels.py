"""The official labels, character for character, and written in exactly one place."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from conftest import ROOT

from hdgovreport.form.layout import (
    cells,
    layout,
    section_heading,
    section_order,
    strip_numbering,
    wording,
)
from hdgovreport.model import value_at

# From the national format notice 国办公开办函〔2021〕30号 (restated in the project spec).
TABLE3_ROWS_2021 = [
    "一、本年新收政府信息公开申请数量",
    "二、上年结转政府信息公开申请数量",
    "（一）予以公开",
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "（三）不予公开/1.属于国家秘密",
    "（三）不予公开/2.其他法律行政法规禁止公开",
    "（三）不予公开/3.危及“三安全一稳定”",
    "（三）不予公开/4.保护第三方合法权益",
    "（三）不予公开/5.属于三类内部事务信息",
    "（三）不予公开/6.属于四类过程性信息",
    "（三）不予公开/7.属于行政执法案卷",
    "（三）不予公开/8.属于行政查询事项",
    "（四）无法提供/1.本机关不掌握相关政府信息",
    "（四）无法提供/2.没有现成信息需要另行制作",
    "（四）无法提供/3.补正后申请内容仍不明确",
    "（五）不予处理/1.信访举报投诉类申请",
    "（五）不予处理/2.重复申请",
    "（五）不予处理/3.要求提供公开出版物",
    "（五）不予处理/4.无正当理由大量反复申请",
    "（五）不予处理/5.要求行政机关确认或重新出具已获取信息",
    "（六）其他处理/1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "（六）其他处理/2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "（六）其他处理/3.其他",
    "（七）总计",
    "四、结转下年度继续办理",
]
TABLE3_COLUMNS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
TABLE4_COLUMNS = [
    f"{group}/{outcome}"
    for group in ("行政复议", "未经复议直接起诉", "复议后起诉")
    for outcome in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
]
SECTIONS = [
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
]


def test_section_headings() -> None:
    assert [section_heading(a) for a in section_order()] == SECTIONS


def test_table3_rows_and_columns_2021() -> None:
    t3 = layout().applications
    assert [leaf.name for leaf in t3.row_leaves("2021")] == TABLE3_ROWS_2021
    assert [leaf.name for leaf in t3.column_leaves("2021")] == TABLE3_COLUMNS
    assert t3.corner_note == "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    groups = [n.label for n in t3.rows] + [
        c.label for n in t3.rows for c in n.children if c.children
    ]
    assert "三、本年度办理结果" in groups
    assert [c.label for c in t3.columns[0].children] == ["自然人", "法人或其他组织", "总计"]
    assert [c.label for c in t3.columns] == ["申请人情况"]


def test_table3_2019_has_one_other_row() -> None:
    rows = [leaf.name for leaf in layout().applications.row_leaves("2019")]
    assert "（六）其他处理" in rows
    assert len(rows) == len(TABLE3_ROWS_2021) - 2
    assert not any(r.startswith("（六）其他处理/") for r in rows)


def test_table4_columns() -> None:
    t4 = layout().review_litigation
    assert [leaf.name for leaf in t4.column_leaves("2021")] == TABLE4_COLUMNS
    assert [c.label for c in t4.columns] == ["行政复议", "行政诉讼"]


def test_table2_blocks() -> None:
    t2 = layout().proactive
    assert t2.row_header == "信息内容"
    blocks = t2.blocks("2021")
    assert [b.title for b in blocks] == [
        "第二十条第（一）项",
        "第二十条第（五）项",
        "第二十条第（六）项",
        "第二十条第（八）项",
    ]
    assert [c.label for c in blocks[0].columns] == ["本年制发件数", "本年废止件数", "现行有效件数"]
    assert [[r.label for r in b.rows] for b in blocks] == [
        ["规章", "行政规范性文件"],
        ["行政许可"],
        ["行政处罚", "行政强制"],
        ["行政事业性收费"],
    ]
    assert [c.label for c in blocks[1].columns] == ["本年处理决定数量"]
    assert [c.label for c in blocks[3].columns] == ["本年收费金额（单位：万元）"]
    b2019 = t2.blocks("2019")
    assert [b.title for b in b2019][-1] == "第二十条第（九）项"
    assert [c.label for c in b2019[1].columns] == ["上一年项目数量", "本年增/减", "处理决定数量"]
    assert [r.label for r in b2019[0].rows] == ["规章", "规范性文件"]


def test_every_layout_cell_is_a_model_field(haidian) -> None:  # type: ignore[no-untyped-def]
    from hdgovreport.datafile import blank_report

    for edition, report in (
        ("2021", haidian),
        ("2019", blank_report("某县人民政府", 2020, "2019")),
    ):
        for cell in cells(edition):
            value_at(report, cell.path)  # raises AttributeError if the layout names a missing field


def _labels() -> set[str]:
    found: set[str] = set(wording().sections.values())
    t2 = layout().proactive
    for edition in ("2021", "2019"):
        for block in t2.blocks(edition):
            found.add(block.title)
            found.update(n.label for n in (*block.columns, *block.rows))
    for table in (layout().applications, layout().review_litigation):
        stack = [*table.rows, *table.columns]
        while stack:
            node = stack.pop()
            found.add(node.label)
            stack.extend(node.children)
    return found


def _runtime_strings(path: Path) -> list[str]:
    """String constants a program can print or compare: everything but docstrings."""
    tree = ast.parse(path.read_text("utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docstrings.add(id(body[0].value))
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


def test_no_label_is_written_a_second_time_in_the_package() -> None:
    """Labels live in templates/official only; code reads them from there (docs may quote them)."""
    labels = {s for label in _labels() for s in (label, strip_numbering(label)) if len(s) >= 4}
    offenders = []
    for path in sorted((ROOT / "hdgovreport").rglob("*.py")):
        for text in _runtime_strings(path):
            offenders += [f"{path.relative_to(ROOT)}: {label}" for label in labels if label in text]
    for path in sorted((ROOT / "templates").rglob("*")):
        if path.is_file() and path.suffix in (".html", ".j2", ".css", ".svg", ".jinja"):
            text = path.read_text("utf-8")
            offenders += [f"{path.relative_to(ROOT)}: {label}" for label in labels if label in text]
    assert offenders == []


def test_labels_have_no_stray_ascii_punctuation() -> None:
    for label in _labels():
        assert not re.search(r"[(),:;]", label), label


def test_bundled_yaml_reads_the_same_with_either_loader() -> None:
    """The templates are read with ruamel's C loader for speed; the pure one gives the same data."""
    from ruamel.yaml import YAML

    from hdgovreport.resources import load_template_yaml, templates_dir

    files = sorted(templates_dir().rglob("*.yaml"))
    assert len(files) >= 4
    for path in files:
        parts = path.relative_to(templates_dir()).parts
        pure = YAML(typ="safe", pure=True).load(path.read_text("utf-8"))
        assert load_template_yaml(*parts) == pure, path
