"""Interpret: turn the extracted stream into the report model, remembering where every value came from.

The same interpretation serves every published shape, in small stages, each a
function returning its values and its notes (:class:`~.result.Trail`):

1. :mod:`.front` — what is report text; the title; agency, year and kind from the best evidence;
2. :mod:`.sections` — the six sections by their headings;
3. :mod:`.rows` — the table rows and the paragraphs around the tables;
4. :mod:`.edition` — which format edition the tables are printed in;
5. :mod:`.tables`, :mod:`.review` — Tables 2, 3 and 4 as cell values by path, found by their
   labels (never by position), then one structuring path
   (:func:`hdgovreport.model.structure.structure_tables`) to the model;
6. :mod:`.narrative`, :mod:`.fees` — the narrative sections and section 6's fee figures.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import attrs

from hdgovreport.errors import InvalidValueError, UnreadableError
from hdgovreport.form import queries
from hdgovreport.form.layout import section_heading
from hdgovreport.model import (
    AnnualReport,
    OtherMatters,
    Overview,
    Problems,
    ReportMeta,
)
from hdgovreport.model.structure import StructuredTables, structure_tables
from hdgovreport.published.extract.stream import Deadline, Extracted, TextBlock, squeeze
from hdgovreport.published.interpret.edition import (
    edition_by_labels,
    edition_by_year,
    evidence_message,
)
from hdgovreport.published.interpret.fees import fee_values
from hdgovreport.published.interpret.front import clean_blocks, front, title_in_text
from hdgovreport.published.interpret.narrative import narrative
from hdgovreport.published.interpret.result import PublishedReport, ReadNote, Trail
from hdgovreport.published.interpret.review import review_litigation
from hdgovreport.published.interpret.rows import TableTexts, table_rows
from hdgovreport.published.interpret.sections import Section, split_sections
from hdgovreport.published.interpret.tables import applications, proactive
from hdgovreport.published.interpret.values import TableMissing
from hdgovreport.published.interpret.website import website


def _no_deadline() -> None:
    return None


def _structure(
    edition: Any, values: dict[str, object], texts: dict[str, TableTexts], trail: Trail
) -> StructuredTables:
    """The tables through the one structuring path; a value the model refuses is said, kept as
    printed in the notes, and counted as 0 (never silently)."""
    by_path = {
        f"{attr}.{kind}": getattr(t, kind)
        for attr, t in texts.items()
        for kind in ("intro", "notes")
    }
    for _attempt in range(3):
        result = structure_tables(edition, values, texts=by_path, missing="zero")
        if result.ok:
            return result
        for problem in result.problems:
            cell = queries.cell_at(problem.path, edition)
            if cell is None:  # a paragraph the model refuses
                raise InvalidValueError(problem.path, problem.message)
            printed = values.get(problem.path)
            trail.printed[problem.path] = str(printed)
            trail.note(
                f"{queries.cell_name(problem.path, edition)}：{problem.message}，"
                f"模型无法表示，按 0 计入校验（原文“{str(printed)[:60]}”）",
                trail.sources.get(problem.path),
                "warning",
            )
            values[problem.path] = Decimal(0) if cell.type in ("money", "yuan") else 0
    raise InvalidValueError("tables", "表格数值无法构成模型")  # pragma: no cover - values are fixed


def interpret(extracted: Extracted, deadline: Deadline | None = None) -> PublishedReport:
    """The report in ``extracted``; raises :class:`UnreadableError` when it cannot be found.

    ``deadline`` (the reading's time budget) is checked between the stages and in their loops.
    """
    filename = extracted.filename
    tick = deadline.check if deadline is not None else _no_deadline
    trail = Trail(notes=[ReadNote(n, None, "info") for n in extracted.notes])
    blocks, published, cleaning = clean_blocks(extracted)
    tick()
    trail.add(cleaning)
    if not blocks:
        raise UnreadableError(filename, "文件中没有文字")
    titled = title_in_text(blocks)
    start = titled[2] + titled[3] if titled is not None else 0
    opening_blocks, sections, found = split_sections(blocks[start:], tick)
    headless = all(s.heading is None for s in sections)
    if headless:  # the tables may still be there: read them, say the text was not
        rows, texts, rows_trail = table_rows([Section("", None, tuple(opening_blocks))], tick)
        opening_blocks = []
        found = Trail()
        found.note(
            f"未找到报告的任何一个部分标题（如“{section_heading('overview')}”）："
            "只读入了表格，正文未读入",
            level="warning",
        )
    else:
        rows, texts, rows_trail = table_rows(sections, tick)
    tick()
    by_labels, evidence = edition_by_labels(rows)
    who, front_trail = front(
        blocks, titled, extracted, published, 2019 if by_labels == "2019" else 2021
    )
    trail.add(front_trail)
    trail.add(found)
    trail.add(rows_trail)
    edition = by_labels or edition_by_year(who.year)
    message = evidence_message(edition, evidence, who.year)
    trail.note(message, level="info")

    opening: list[str] = []
    title_text = squeeze(
        "".join(b.text for b in blocks[max(start - 3, 0) : start] if isinstance(b, TextBlock))
    )
    for block in opening_blocks:
        if not isinstance(block, TextBlock):
            continue
        if not who.titled and len(squeeze(block.text)) < 15 and not block.text.endswith("。"):
            continue  # site navigation before an untitled report
        if title_text and squeeze(block.text) in title_text:
            continue  # the title printed again
        trail.sources[f"opening.{len(opening)}"] = block.source
        opening.append(block.text)

    values: dict[str, object] = {}
    missing: list[str] = []
    readers: tuple[Callable[[], tuple[dict[str, object], Trail]], ...] = (
        lambda: proactive(rows, edition, filename),
        lambda: applications(rows, edition, filename),
        lambda: review_litigation(rows, filename),
    )
    for read_table in readers:
        try:
            table_values, table_trail = read_table()
        except TableMissing as exc:  # the other tables may still be there
            missing.append(exc.reason)
            continue
        values.update(table_values)
        trail.add(table_trail)
    if len(missing) == 3:
        reasons = "；".join(missing)
        if headless:
            raise UnreadableError(
                filename,
                f"既未找到报告的部分标题（如“{section_heading('overview')}”），也未找到表格"
                f"（{reasons}），不像是政府信息公开工作年度报告",
            )
        raise UnreadableError(filename, f"未找到报告的表格（{reasons}）")
    for reason in missing:
        trail.note(
            f"{reason}：该表各格按 0 读入（请核对原文，表格可能印成了图片）", level="warning"
        )
    tick()
    by_attr = {s.attr: s for s in sections}
    parts: dict[str, Any] = {}
    for attr, cls in (
        ("overview", Overview),
        ("problems", Problems),
        ("other_matters", OtherMatters),
    ):
        parts[attr], part_trail = narrative(by_attr[attr], cls)
        trail.add(part_trail)
    fees, fee_trail = fee_values(parts["other_matters"], trail.sources)
    values.update(fees)
    trail.add(fee_trail)
    try:
        tables = _structure(edition, values, texts, trail)
        assert tables.proactive and tables.applications and tables.review_litigation and tables.fee
        meta = ReportMeta(
            agency=who.agency,
            year=who.year,
            edition=edition,
            kind=who.kind,
            kind_basis=who.kind_basis,
            published=who.published,
            website=website(opening, parts["other_matters"]),
        )
        report = AnnualReport(
            meta=meta,
            opening=tuple(opening),
            overview=parts["overview"],
            proactive=tables.proactive,
            applications=tables.applications,
            review_litigation=tables.review_litigation,
            problems=parts["problems"],
            other_matters=attrs.evolve(parts["other_matters"], fee=tables.fee),
        )
    except InvalidValueError as exc:
        raise UnreadableError(filename, f"读出的内容超出本软件的限制：{exc.message}") from exc
    return PublishedReport(
        report=report,
        sources=dict(trail.sources),
        filename=filename,
        format=extracted.format,
        edition_evidence=message,
        notes=tuple(trail.notes),
        printed=dict(trail.printed),
    )


__all__ = ["PublishedReport", "ReadNote", "interpret"]
