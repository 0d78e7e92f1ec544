"""Write a report as a data file (YAML, Chinese keys).

The output is canonical: reading it back gives an equal report, and writing
an equal report gives the same bytes.  ``template`` makes the commented blank
file that ``hdgovreport new`` writes.
"""

from __future__ import annotations

import io
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from hdgovreport.datafile import keys as K
from hdgovreport.fileio import write_atomic
from hdgovreport.form.layout import Node, layout, section_order, wording
from hdgovreport.model import (
    AnnualReport,
    ApplicantCounts,
    CaseOutcomes,
    FeeFigures,
    Highlight,
    Narrative,
    OtherMatters,
    Point,
    value_at,
)
from hdgovreport.model import values as V

_DECIMAL = re.compile(r"(?:0|[1-9]\d*)\.\d+")


def _yaml() -> Any:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.width = 1_000_000  # never fold a paragraph
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.allow_unicode = True

    def decimal(representer: Any, value: Decimal) -> Any:
        text = format(value, "f")
        tag = "float" if "." in text else "int"
        return representer.represent_scalar(f"tag:yaml.org,2002:{tag}", text)

    yaml.representer.add_representer(Decimal, decimal)
    # one value object used twice (two equal amounts) must be written twice, never as an
    # anchor and alias: the reader refuses aliases
    yaml.representer.ignore_aliases = lambda *_args: True
    return yaml


def _map(items: list[tuple[str, Any]] | None = None, *, flow: bool = False) -> Any:
    from ruamel.yaml.comments import CommentedMap

    cm = CommentedMap(items or [])
    if flow:
        cm.fa.set_flow_style()
    return cm


def _seq(items: list[Any]) -> Any:
    from ruamel.yaml.comments import CommentedSeq

    seq = CommentedSeq(items)
    if not items:
        seq.fa.set_flow_style()
    return seq


def _narrative(section: Narrative) -> Any:
    doc = _map()
    doc[K.INTRO] = _seq(list(section.intro))
    subsections = []
    for sub in section.subsections:
        entry = _map([(K.TITLE, sub.title)])
        if sub.point_style != "一是":
            entry[K.POINT_STYLE] = sub.point_style
        entry[K.CONTENT] = _seq(
            [
                _map([(K.POINT if isinstance(b, Point) else K.PARAGRAPH, b.text)])
                for b in sub.content
            ]
        )
        if sub.highlights:
            entry[K.HIGHLIGHTS] = _seq([_highlight(h) for h in sub.highlights])
        subsections.append(entry)
    doc[K.SUBSECTIONS] = _seq(subsections)
    if isinstance(section, OtherMatters):
        doc[layout().fee.name] = _fee(section.fee)
    return doc


def _highlight(h: Highlight) -> Any:
    """``{数字: 22, 单位: 条, 说明: …}``: a plain numeral is written unquoted, other figures as text."""
    figure: Any = h.figure
    if h.figure.isdigit() and h.figure.isascii() and (h.figure == "0" or h.figure[0] != "0"):
        figure = int(h.figure)
    elif V.parse_decimal(h.figure) is not None and _DECIMAL.fullmatch(h.figure):
        figure = Decimal(h.figure)
    items: list[tuple[str, Any]] = [(K.FIGURE, figure)]
    if h.unit:
        items.append((K.UNIT, h.unit))
    items.append((K.LABEL, h.label))
    return _map(items, flow=True)


def _fee(fee: FeeFigures) -> Any:
    return _map([(item.label, getattr(fee, str(item.field))) for item in layout().fee.items])


def _table_text(doc: Any, section: Any) -> None:
    if section.intro:
        doc.insert(0, K.INTRO, _seq(list(section.intro)))
    if section.notes:
        doc[K.NOTES] = _seq(list(section.notes))


def _proactive(report: AnnualReport) -> Any:
    doc = _map()
    for block in layout().proactive.blocks(report.edition):
        for row in block.rows:
            path = f"proactive.{row.field}"
            if len(block.columns) == 1:
                doc[row.key] = value_at(report, path)
            else:
                doc[row.key] = _map(
                    [(c.key, value_at(report, f"{path}.{c.field}")) for c in block.columns],
                    flow=True,
                )
    _table_text(doc, report.proactive)
    return doc


def _counts(counts: ApplicantCounts | CaseOutcomes, columns: tuple[Node, ...]) -> Any:
    return _map([(c.key, getattr(counts, str(c.field))) for c in columns], flow=True)


def _applications(report: AnnualReport) -> Any:
    table = layout().applications
    edition = report.edition
    columns = tuple(leaf.node for leaf in table.column_leaves(edition))

    def rows(nodes: tuple[Node, ...]) -> Any:
        doc = _map()
        for node in nodes:
            if not node.in_edition(edition):
                continue
            if node.children:
                doc[node.key] = rows(node.children)
            else:
                doc[node.key] = _counts(report.applications.row(str(node.field)), columns)
        return doc

    doc = rows(table.rows)
    _table_text(doc, report.applications)
    return doc


def _review_litigation(report: AnnualReport) -> Any:
    doc = _map()
    for top in layout().review_litigation.columns:
        for group in [top] if top.field else list(top.children):
            doc[group.key] = _counts(
                report.review_litigation.group(str(group.field)), group.children
            )
    _table_text(doc, report.review_litigation)
    return doc


def to_document(report: AnnualReport) -> Any:
    """The report as a ruamel ``CommentedMap`` with the data file's keys and order."""
    meta = report.meta
    doc = _map(
        [
            (K.EDITION, int(meta.edition)),
            (K.AGENCY, meta.agency),
            (K.KIND, K.KIND_WORDS[meta.kind]),
            (K.YEAR, meta.year),
        ]
    )
    if meta.published is not None:
        doc[K.PUBLISHED] = meta.published
    if meta.website is not None:
        doc[K.WEBSITE] = meta.website
    if meta.contact is not None:
        doc[K.CONTACT] = meta.contact
    doc[K.OPENING] = _seq(list(report.opening))
    sections = wording().sections
    build = {
        "overview": lambda: _narrative(report.overview),
        "proactive": lambda: _proactive(report),
        "applications": lambda: _applications(report),
        "review_litigation": lambda: _review_litigation(report),
        "problems": lambda: _narrative(report.problems),
        "other_matters": lambda: _narrative(report.other_matters),
    }
    for attr in section_order():
        doc[sections[attr]] = build[attr]()
    if not report.graphic.is_default:
        doc[K.GRAPHIC] = _graphic(report)
    return doc


def _graphic(report: AnnualReport) -> Any:
    """``图解: {数据来源: …, 计算比率: [纠正率]}``, only the settings that are set."""
    settings = report.graphic
    doc = _map()
    if settings.source is not None:
        doc[K.SOURCE] = settings.source
    if settings.rates:
        rates = _seq([K.RATE_WORDS[r] for r in settings.rates])
        rates.fa.set_flow_style()
        doc[K.RATES] = rates
    return doc


def render_document(doc: Any) -> str:
    out = io.StringIO()
    _yaml().dump(doc, out)
    return out.getvalue()


def dumps(report: AnnualReport) -> str:
    """The report as data-file text."""
    return render_document(to_document(report))


def dump(report: AnnualReport, path: str | Path) -> Path:
    """Write the report as a data file, atomically."""
    return write_atomic(path, dumps(report).encode("utf-8"))
