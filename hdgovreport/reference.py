"""Reference tables for the documentation, generated from the layout and the rule registry.

``python -m hdgovreport.reference`` rewrites the generated blocks of
``docs/fields.md`` and ``docs/rules.md``; a test fails when they are stale.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from pathlib import Path

from hdgovreport.checks import RULES
from hdgovreport.form import queries
from hdgovreport.form.layout import layout, section_heading

_TYPES = {
    "count": "非负整数",
    "signed": "整数（可为负）",
    "money": "金额（万元，≤6 位小数）",
    "yuan": "金额（元，≤2 位小数）",
}


def _table(header: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return [*out, ""]


def _proactive(edition: str) -> list[str]:
    rows = []
    for row in queries.proactive_rows(edition):
        for col in row.columns:
            rows.append(
                (
                    f"`{row.path(col)}`",
                    row.block.title,
                    row.row.label,
                    col.label,
                    f"`{row.row.key}`",
                    _TYPES[col.type],
                )
            )
    return _table(("字段路径", "项", "行（信息内容）", "列", "数据文件的键", "类型"), rows)


def fields_markdown() -> str:
    """Model field paths with their official labels and data-file keys."""
    tables = layout()
    t3, t4 = tables.applications, tables.review_litigation
    out: list[str] = [f"### {tables.proactive.name}（{section_heading('proactive')}），2021 版\n"]
    out += _proactive("2021")
    out.append(f"### {tables.proactive.name}，2019 试行版\n")
    out += _proactive("2019")

    out.append(f"### {t3.name}（{section_heading('applications')}）\n")
    out.append(f"每一行是一个 `ApplicantCounts`，字段路径为 `{t3.field}.<行>.<列>`。行：\n")
    rows = []
    for edition in ("2021", "2019"):
        for leaf in queries.application_rows(edition):
            note = f"仅 {edition} 版" if any(n.editions for n in leaf.nodes) else ""
            row = (f"`{'.'.join(leaf.path)}`", leaf.name, f"`{' › '.join(leaf.keys)}`", note)
            if row not in rows:
                rows.append(row)
    out += _table(("行字段", "官方标签", "数据文件的键", "版本"), rows)
    out.append("列：\n")
    out += _table(
        ("列字段", "官方标签", "数据文件的键"),
        [
            (f"`{leaf.path[-1]}`", leaf.name, f"`{leaf.node.key}`")
            for leaf in queries.applicant_columns()
        ],
    )

    out.append(f"### {t4.name}（{section_heading('review_litigation')}）\n")
    out.append(f"每一组是一个 `CaseOutcomes`，字段路径为 `{t4.field}.<组>.<列>`。\n")
    out += _table(
        ("组字段", "官方标签", "数据文件的键"),
        [(f"`{g.field}`", g.label, f"`{g.key}`") for g in queries.review_groups()],
    )
    out += _table(
        ("列字段", "官方标签"), [(f"`{c.field}`", c.label) for c in queries.outcome_columns()]
    )

    fee = tables.fee
    out.append(f"### {fee.name}（{section_heading('other_matters')}）\n")
    out += _table(
        ("字段路径", "数据文件的键", "类型"),
        [(f"`other_matters.{fee.field}.{i.field}`", i.label, _TYPES[i.type]) for i in fee.items],
    )
    return "\n".join(out)


def rules_markdown() -> str:
    """The rule registry as a table."""
    names = {"error": "错误", "warning": "警告"}
    needs = {"children": "下级单位报告", "roster": "单位名册"}
    out = ["| 代码 | 级别 | 规则 | 另需 |", "|---|---|---|---|"]
    for r in RULES:
        extra = "上年报告" if r.needs_previous else needs.get(r.needs or "", "")
        out.append(f"| `{r.code}` | {names[r.severity]} | {r.title} | {extra} |")
    return "\n".join(out) + "\n"


_BLOCK = re.compile(r"(<!-- generated:(\w+) -->\n)(.*?)(<!-- /generated -->)", re.S)
GENERATORS = {"fields": fields_markdown, "rules": rules_markdown}


def refresh(text: str) -> str:
    """``text`` with every generated block brought up to date."""
    return _BLOCK.sub(lambda m: m.group(1) + GENERATORS[m.group(2)]() + m.group(4), text)


def main(docs: Path) -> int:
    for name in ("fields.md", "rules.md"):
        path = docs / name
        path.write_text(refresh(path.read_text("utf-8")), "utf-8")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs")))
