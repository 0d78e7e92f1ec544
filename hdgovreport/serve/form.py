"""The web form's state — a plain JSON object of what was typed — and the report model.

The page keeps every field as the text the officer typed (a cell may hold ``十二`` for a
moment).  :func:`report_from_form` turns that text into the model along the paths every
input shares: table cells through :func:`~hdgovreport.model.structure.structure_tables`
(and so :func:`~hdgovreport.model.values.parse_number_text`), paragraphs and titles
through the model's own text rules.  Every problem comes back with the model path of
its form field (``applications.granted.research``, ``overview.subsections.0.content.2``),
the same path the checker's findings carry, so the page puts both at the same input.
:func:`form_from_report` is the inverse; the two round-trip exactly, which is what lets
a save write the bytes :func:`hdgovreport.datafile.dumps` writes.

The state object::

    {"meta": {"edition", "agency", "kind", "year", "published", "website", "contact"},
     "opening": [text, …],
     "narratives": {"overview" | "problems" | "other_matters":
                    {"intro": [text, …],
                     "subsections": [{"title", "point_style",
                                      "content": [{"kind": "point" | "paragraph", "text"}],
                                      "highlights": [{"figure", "unit", "label"}]}]}},
     "texts": {"applications.intro": [text, …], …},
     "cells": {cell path: text},
     "graphic": {"source": text, "rates": [纠正率, …]}}   # the 图解 settings, kept as they are

Every leaf is a string.  A total left empty is computed from its parts.
"""

from __future__ import annotations

import datetime as _dt
import functools
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from hdgovreport.datafile import keys as K
from hdgovreport.document.build import format_value
from hdgovreport.errors import InvalidValueError
from hdgovreport.form import queries
from hdgovreport.form.layout import EDITIONS, Edition
from hdgovreport.model import (
    POINT_STYLES,
    AnnualReport,
    Block,
    GraphicSettings,
    Highlight,
    Narrative,
    OtherMatters,
    Overview,
    Paragraph,
    Point,
    Problems,
    ReportMeta,
    Subsection,
    value_at,
)
from hdgovreport.model import values as V
from hdgovreport.model.report import FIRST_YEAR, LAST_YEAR
from hdgovreport.model.structure import StructuredTables, structure_tables

#: The narrative sections the form edits as lists, by model attribute.
NARRATIVES: Mapping[str, type[Narrative]] = {
    "overview": Overview,
    "problems": Problems,
    "other_matters": OtherMatters,
}
#: The sections whose table has paragraphs before (``intro``) and after (``notes``) it.
TABLE_SECTIONS = ("proactive", "applications", "review_litigation")
#: Block kinds of a sub-section's content, and the data-file word that names each.
BLOCK_KINDS: Mapping[str, str] = {"point": K.POINT, "paragraph": K.PARAGRAPH}

META_FIELDS = ("edition", "agency", "kind", "year", "published", "website", "contact")


class FormShapeError(ValueError):
    """The posted state is not a form state at all (a programming error, not a typing one)."""


@attrs.frozen
class FormProblem:
    """What is wrong with one form field: its model path, the message, a suggested value."""

    path: str
    message: str
    suggestion: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "message": self.message, "suggestion": self.suggestion}


@attrs.frozen
class FormReport:
    """The report a form state describes, or the problems that keep it from being one.

    ``computed`` holds every total as its parts add up (``None`` where a part cannot be read).
    """

    report: AnnualReport | None
    problems: tuple[FormProblem, ...]
    computed: Mapping[str, str | None]


# ---------------------------------------------------------------- shape


def _strings(value: object, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise FormShapeError(f"{where} 应为文本列表")
    return value


def _mapping(value: object, where: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise FormShapeError(f"{where} 应为对象")
    return value


def _string(value: Mapping[str, Any], key: str, where: str) -> str:
    found = value.get(key, "")
    if not isinstance(found, str):
        raise FormShapeError(f"{where}.{key} 应为文本")
    return found


def _records(value: object, where: str, keys: Sequence[str]) -> list[dict[str, str]]:
    if not isinstance(value, list):
        raise FormShapeError(f"{where} 应为列表")
    return [
        {k: _string(_mapping(item, f"{where}.{i}"), k, f"{where}.{i}") for k in keys}
        for i, item in enumerate(value)
    ]


# ---------------------------------------------------------------- form → model


class _Collector:
    def __init__(self) -> None:
        self.problems: list[FormProblem] = []

    def add(self, path: str, message: str, suggestion: str | None = None) -> None:
        self.problems.append(FormProblem(path, message, suggestion))

    def text(self, raw: str, path: str, what: str = "文本") -> str | None:
        """One line of text under the data file's rules (the same messages)."""
        value = V.clean_text(raw)
        problem = V.problem_text(value, what=what)
        if problem is not None:
            self.add(path, problem)
            return None
        return value

    def optional(self, raw: str, path: str) -> str | None:
        return None if not V.clean_text(raw) else self.text(raw, path)

    def paragraphs(self, raw: object, path: str) -> tuple[str, ...]:
        texts = [self.text(t, f"{path}.{i}", "段落") for i, t in enumerate(_strings(raw, path))]
        return tuple(t for t in texts if t is not None)


def _meta(raw: Mapping[str, Any], c: _Collector) -> ReportMeta | None:
    fields = {k: _string(raw, k, "meta") for k in META_FIELDS}
    before = len(c.problems)
    edition = fields["edition"].strip()
    if edition not in EDITIONS:
        c.add("meta.edition", f"应为 2021 或 2019，实际为“{fields['edition']}”")
    agency = c.text(fields["agency"], "meta.agency")
    kind = K.KIND_FROM_WORD.get(fields["kind"].strip())
    if kind is None:
        words = "、".join(K.KIND_WORDS.values())
        c.add("meta.kind", f"应为{words}之一，实际为“{fields['kind']}”")
    year, problem = V.parse_number_text("count", fields["year"])
    if problem is not None:
        c.add("meta.year", problem.message, problem.suggestion)
    elif not FIRST_YEAR <= int(year or 0) <= LAST_YEAR:
        c.add("meta.year", f"报告年度应在 {FIRST_YEAR} 至 {LAST_YEAR} 之间，实际为 {year}")
    published = None
    if fields["published"].strip():
        try:
            published = _dt.date.fromisoformat(fields["published"].strip())
        except ValueError:
            c.add(
                "meta.published", f"应为日期，写成 2023-01-31 的形式，实际为“{fields['published']}”"
            )
    website = c.optional(fields["website"], "meta.website")
    contact = c.optional(fields["contact"], "meta.contact")
    if len(c.problems) > before:
        return None
    return ReportMeta(
        agency=str(agency),
        year=int(year or 0),
        edition=edition,  # type: ignore[arg-type]
        kind=kind,  # type: ignore[arg-type]
        published=published,
        website=website,
        contact=contact,
    )


def _highlight(raw: Mapping[str, str], path: str, c: _Collector) -> Highlight | None:
    label = c.text(raw["label"], f"{path}.label", K.LABEL)
    unit = "" if not V.clean_text(raw["unit"]) else c.text(raw["unit"], f"{path}.unit", K.UNIT)
    if label is None or unit is None:
        return None
    try:
        return Highlight(figure=V.clean_text(raw["figure"]), unit=unit, label=label)
    except InvalidValueError as exc:
        c.add(f"{path}.{exc.field if exc.field in ('unit', 'label') else 'figure'}", exc.message)
        return None


def _subsection(
    raw: Mapping[str, Any], path: str, c: _Collector, highlights: bool
) -> Subsection | None:
    before = len(c.problems)
    title = c.text(_string(raw, "title", path), f"{path}.title", K.TITLE)
    style = _string(raw, "point_style", path) or POINT_STYLES[0]
    if style not in POINT_STYLES:
        c.add(f"{path}.point_style", f"应为{'、'.join(POINT_STYLES)}之一，实际为“{style}”")
    content: list[Block] = []
    for b, block in enumerate(
        _records(raw.get("content", []), f"{path}.content", ("kind", "text"))
    ):
        kind = block["kind"]
        if kind not in BLOCK_KINDS:
            raise FormShapeError(f"{path}.content.{b}.kind 应为 point 或 paragraph")
        text = c.text(block["text"], f"{path}.content.{b}", BLOCK_KINDS[kind])
        if text is not None:
            content.append(Point(text) if kind == "point" else Paragraph(text))
    chosen: list[Highlight] = []
    items = _records(raw.get("highlights", []), f"{path}.highlights", ("figure", "unit", "label"))
    if items and not highlights:
        raise FormShapeError(f"{path}.highlights 只用于第一部分")
    for h, item in enumerate(items):
        one = _highlight(item, f"{path}.highlights.{h}", c)
        if one is not None:
            chosen.append(one)
    if len(c.problems) > before:
        return None
    return Subsection(
        title=str(title),
        content=tuple(content),
        point_style=style,  # type: ignore[arg-type]
        highlights=tuple(chosen),
    )


def _narrative(attr: str, raw: Mapping[str, Any], c: _Collector) -> dict[str, Any] | None:
    before = len(c.problems)
    intro = c.paragraphs(raw.get("intro", []), f"{attr}.intro")
    subs = raw.get("subsections", [])
    if not isinstance(subs, list):
        raise FormShapeError(f"{attr}.subsections 应为列表")
    subsections = [
        _subsection(
            _mapping(s, f"{attr}.subsections.{i}"), f"{attr}.subsections.{i}", c, attr == "overview"
        )
        for i, s in enumerate(subs)
    ]
    if len(c.problems) > before:
        return None
    return {"intro": intro, "subsections": tuple(s for s in subsections if s is not None)}


@functools.cache
def total_paths(edition: str) -> frozenset[str]:
    """The cell paths that are totals: the ones the structuring path computes when absent."""
    return structure_tables(edition, {}, missing="zero").computed  # type: ignore[arg-type]


def _cell_values(edition: Edition, raw: Mapping[str, Any]) -> dict[str, object]:
    """Typed text by cell path: an empty total is absent (computed), every other cell is text."""
    totals = total_paths(edition)
    values: dict[str, object] = {}
    for path, text in raw.items():
        if not isinstance(text, str):
            raise FormShapeError(f"cells.{path} 应为文本")
        values[path] = None if path in totals and not text.strip() else text
    return values


def computed_totals(edition: Edition, values: Mapping[str, object]) -> dict[str, str | None]:
    """Every total as its parts add up, whatever the reported totals say.

    The totals are computed by the structuring path itself (every total left out).  A part
    that cannot be read is tried as 0 and as 1: a total that comes out the same both times
    does not depend on it and is shown; one that differs is ``None``.
    """
    totals = total_paths(edition)
    parts = {p: v for p, v in values.items() if p not in totals}
    first = structure_tables(edition, parts, missing="zero")
    bad = {p.path for p in first.problems}

    def run(fill: int) -> StructuredTables:
        return structure_tables(edition, {**parts, **dict.fromkeys(bad, fill)}, missing="zero")

    zero = first if not bad else run(0)
    one = zero if not bad else run(1)
    if zero.problems or one.problems:  # a path outside the layout: nothing can be summed
        return dict.fromkeys(sorted(totals))
    out: dict[str, str | None] = {}
    for path in sorted(totals):
        a, b = value_at(zero, path), value_at(one, path)
        out[path] = format_value(a) if a == b else None
    return out


def report_from_form(state: object) -> FormReport:
    """The report a form state describes, or every problem that keeps it from being one.

    Raises :class:`FormShapeError` when ``state`` is not shaped like a form state.
    """
    root = _mapping(state, "表单")
    c = _Collector()
    meta_raw = _mapping(root.get("meta"), "meta")
    meta = _meta(meta_raw, c)
    typed = _string(meta_raw, "edition", "meta").strip()
    edition: Edition = typed if typed in EDITIONS else "2021"
    opening = c.paragraphs(root.get("opening", []), "opening")
    narratives_raw = _mapping(root.get("narratives", {}), "narratives")
    narratives = {
        attr: _narrative(attr, _mapping(narratives_raw.get(attr, {}), attr), c)
        for attr in NARRATIVES
    }
    texts_raw = _mapping(root.get("texts", {}), "texts")
    texts: dict[str, tuple[str, ...]] = {}
    for key, paragraphs in texts_raw.items():
        table, _dot, part = key.partition(".")
        if table not in TABLE_SECTIONS or part not in ("intro", "notes"):
            raise FormShapeError(f"texts.{key} 不是表格前后的文字")
        texts[key] = c.paragraphs(paragraphs, key)
    values = _cell_values(edition, _mapping(root.get("cells", {}), "cells"))
    graphic = _graphic(_mapping(root.get("graphic", {}), "graphic"))
    tables = structure_tables(edition, values, texts=texts)
    for problem in tables.problems:
        c.add(problem.path, problem.message, problem.suggestion)
    computed = computed_totals(edition, values)
    if c.problems or meta is None or any(n is None for n in narratives.values()):
        return FormReport(None, tuple(c.problems), computed)
    assert tables.proactive and tables.applications and tables.review_litigation and tables.fee
    try:
        report = AnnualReport(
            meta=meta,
            opening=opening,
            overview=Overview(**narratives["overview"]),  # type: ignore[arg-type]
            proactive=tables.proactive,
            applications=tables.applications,
            review_litigation=tables.review_litigation,
            problems=Problems(**narratives["problems"]),  # type: ignore[arg-type]
            other_matters=OtherMatters(**narratives["other_matters"], fee=tables.fee),  # type: ignore[arg-type]
            graphic=GraphicSettings(source=graphic[0], rates=graphic[1]),
        )
    except InvalidValueError as exc:  # consistency across sections the parts did not catch
        return FormReport(None, (FormProblem(exc.field, exc.message),), computed)
    return FormReport(report, (), computed)


# ---------------------------------------------------------------- model → form


def _narrative_form(attr: str, narrative: Narrative) -> dict[str, Any]:
    return {
        "intro": list(narrative.intro),
        "subsections": [
            {
                "title": sub.title,
                "point_style": sub.point_style,
                "content": [
                    {"kind": "point" if isinstance(b, Point) else "paragraph", "text": b.text}
                    for b in sub.content
                ],
                "highlights": [
                    {"figure": h.figure, "unit": h.unit, "label": h.label} for h in sub.highlights
                ],
            }
            for sub in narrative.subsections
        ],
    }


def _graphic(raw: Mapping[str, Any]) -> tuple[str | None, tuple[str, ...]]:
    """The 图解 settings the page keeps untouched: (source, rates)."""
    source = _string(raw, "source", "graphic").strip() or None
    words = _strings(raw.get("rates", []), "graphic.rates")
    unknown = [w for w in words if w not in K.RATE_FROM_WORD]
    if unknown:
        raise FormShapeError(f"graphic.rates 中的“{unknown[0]}”不是可显示的比率")
    return source, tuple(K.RATE_FROM_WORD[w] for w in words)


def form_from_report(report: AnnualReport) -> dict[str, Any]:
    """The form state of a report (every value as the text the form shows)."""
    meta = report.meta
    return {
        "meta": {
            "edition": meta.edition,
            "agency": meta.agency,
            "kind": K.KIND_WORDS[meta.kind],
            "year": str(meta.year),
            "published": meta.published.isoformat() if meta.published else "",
            "website": meta.website or "",
            "contact": meta.contact or "",
        },
        "opening": list(report.opening),
        "narratives": {attr: _narrative_form(attr, getattr(report, attr)) for attr in NARRATIVES},
        "texts": {
            f"{attr}.{part}": list(getattr(getattr(report, attr), part))
            for attr in TABLE_SECTIONS
            for part in ("intro", "notes")
        },
        "cells": {
            path: format_value(value_at(report, path))
            for path in queries.cell_paths(report.edition)
        },
        "graphic": {
            "source": report.graphic.source or "",
            "rates": [K.RATE_WORDS[r] for r in report.graphic.rates],
        },
    }


__all__ = [
    "FormProblem",
    "FormReport",
    "FormShapeError",
    "computed_totals",
    "form_from_report",
    "report_from_form",
    "total_paths",
]
