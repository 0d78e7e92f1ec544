"""Rules on the narrative sections and the report's metadata."""

from __future__ import annotations

import bisect
import datetime as _dt
import itertools
import re
from collections.abc import Iterable, Iterator
from decimal import Decimal

from hdgovreport.checks.findings import Finding, Location
from hdgovreport.checks.registry import Context, Rule, rule
from hdgovreport.form import queries
from hdgovreport.form.layout import layout, section_heading
from hdgovreport.form.numbering import HAND_NUMBERING, hand_numbering
from hdgovreport.form.sentences import figure_sentences
from hdgovreport.model import AnnualReport, Narrative, Point

NARRATIVE_SECTIONS = ("overview", "problems", "other_matters")

#: 监督保障 topics a government's own report covers (Article 50 item 4): topic → accepted words.
OVERSIGHT_TOPICS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("工作考核", ("考核",)),
    ("社会评议", ("社会评议", "评议")),
    ("责任追究", ("责任追究", "追责", "问责")),
)


def _narratives(report: AnnualReport) -> Iterator[tuple[str, Narrative]]:
    for attr in NARRATIVE_SECTIONS:
        yield attr, getattr(report, attr)


def _texts(report: AnnualReport) -> Iterator[tuple[str, str, str]]:
    """(section attribute, field path, text) for every paragraph, title and point."""
    for i, text in enumerate(report.opening):
        yield "overview", f"opening.{i}", text
    for attr in ("proactive", "applications", "review_litigation"):
        section = getattr(report, attr)
        for part in ("intro", "notes"):
            for i, text in enumerate(getattr(section, part)):
                yield attr, f"{attr}.{part}.{i}", text
    for attr, narrative in _narratives(report):
        for i, text in enumerate(narrative.intro):
            yield attr, f"{attr}.intro.{i}", text
        for s, sub in enumerate(narrative.subsections):
            yield attr, f"{attr}.subsections.{s}.title", sub.title
            for b, block in enumerate(sub.content):
                yield attr, f"{attr}.subsections.{s}.content.{b}", block.text


def _text_list(report: AnnualReport) -> list[str]:
    """The texts of :func:`_texts`, in the same order, without their paths."""
    out = list(report.opening)
    for section in (report.proactive, report.applications, report.review_litigation):
        out += section.intro
        out += section.notes
    for attr in NARRATIVE_SECTIONS:
        narrative: Narrative = getattr(report, attr)
        out += narrative.intro
        for sub in narrative.subsections:
            out.append(sub.title)
            out += [block.text for block in sub.content]
    return out


def _figure_label(report: AnnualReport, path: str) -> str:
    cell = queries.cell_at(path, report.edition)
    if cell is None:
        raise KeyError(path)
    if cell.table == layout().fee.name:
        return f"第六部分{cell.row}"
    where = f"“{cell.row}”" if cell.row else ""
    return f"{cell.table}{where}{cell.column}"


def _snippet(text: str, match: re.Match[str]) -> str:
    start = max(0, match.start() - 6)
    end = min(len(text), match.end() + 2)
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


#: What every quoted figure has: a digit right before its unit (a cheap test that lets
#: the paragraphs quoting no figure skip the patterns).
_FIGURE_HINT = re.compile(r"\d[件个条起份次元]")


def _hinted(texts: list[str]) -> list[int]:
    """Indices of the texts in which :data:`_FIGURE_HINT` occurs, found in one string.

    The texts are joined with line breaks, which the hint cannot match, so a match lies
    within one text; after each, the search goes on from the next text.
    """
    joined = "\n".join(texts)
    search = _FIGURE_HINT.search
    match = search(joined)
    if match is None:
        return []
    starts = list(itertools.accumulate(len(t) + 1 for t in texts))  # of each next text
    found = []
    while match is not None:
        i = bisect.bisect_right(starts, match.start())
        found.append(i)
        match = search(joined, starts[i])
    return found


@rule("NARR-figures", "warning", "正文中引用的数字与表格一致")
def narrative_figures(ctx: Context, r: Rule) -> Iterator[Finding]:
    report = ctx.report
    texts = _text_list(report)
    located: list[tuple[str, str, str]] | None = None
    bad = ctx.bad_cells  # cells that are not numbers (none, mostly: nothing to ask then)
    for i in _hinted(texts):
        text = texts[i]
        for pattern, figure_path, words in figure_sentences():
            for word in words:
                if word in text:
                    break
            else:
                if words:
                    continue  # none of the pattern's words: it cannot match, no scan
            if bad and not ctx.numbers(figure_path):
                continue
            for match in pattern.finditer(text):
                quoted_text = match.group(1)
                table_value = ctx.values[figure_path]
                assert isinstance(table_value, (int, Decimal))
                if quoted_text == str(table_value):
                    continue  # the common case: the very numeral, without a Decimal
                quoted = Decimal(quoted_text.replace(",", "").replace("，", ""))
                if quoted == table_value:
                    continue
                if located is None:
                    located = list(_texts(report))
                attr, path, _text = located[i]
                label = _figure_label(report, figure_path)
                yield r.finding(
                    f"正文写“{_snippet(text, match)}”，但{label}为 {table_value}。",
                    Location(
                        section=section_heading(attr),
                        field=path,
                        cells=(figure_path,),
                    ),
                    expected=table_value,
                    actual=quoted,
                )


@rule("S1-oversight", "warning", "本级政府的报告在第一部分说明工作考核、社会评议和责任追究情况")
def overview_oversight(ctx: Context, r: Rule) -> Iterable[Finding]:
    # Like the other rules that mostly find nothing, a tuple rather than a generator (one
    # is costly to make and run): () when there is nothing to say.
    report = ctx.report
    if report.meta.kind != "government":
        return ()
    text = "".join(report.overview.texts())
    missing = [topic for topic, words in OVERSIGHT_TOPICS if not any(w in text for w in words)]
    if not missing:
        return ()
    return (
        r.finding(
            f"{section_heading('overview')}的监督保障内容没有提到{'、'.join(missing)}。《条例》第五十条要求政府的年度报告"
            "说明政府信息公开工作考核、社会评议和责任追究结果情况（没有发生的也应说明）。",
            Location(section=section_heading("overview"), field="overview"),
            expected="、".join(t for t, _ in OVERSIGHT_TOPICS),
            actual="缺少：" + "、".join(missing),
        ),
    )


@rule("NARR-empty", "warning", "叙述部分和小节不为空")
def narrative_empty(ctx: Context, r: Rule) -> Iterator[Finding]:
    for attr, narrative in _narratives(ctx.report):
        section = section_heading(attr)
        if narrative.is_empty:
            yield r.finding(f"{section}没有内容。", Location(section=section, field=attr))
            continue
        for s, sub in enumerate(narrative.subsections):
            if not sub.content:
                yield r.finding(
                    f"小节“{sub.title}”只有标题，没有内容。",
                    Location(section=section, field=f"{attr}.subsections.{s}"),
                )


@rule("NARR-numbering", "warning", "标题和要点不手写编号（编号自动生成）")
def narrative_numbering(ctx: Context, r: Rule) -> Iterator[Finding]:
    numbered = HAND_NUMBERING.match  # a match is what hand_numbering() reports
    for attr, narrative in _narratives(ctx.report):
        section = section_heading(attr)
        for s, sub in enumerate(narrative.subsections):
            if numbered(sub.title):
                typed = hand_numbering(sub.title)
                yield r.finding(
                    f"小节标题“{sub.title}”以手写编号“{typed}”开头；（一）（二）等编号会自动生成，请删去。",
                    Location(section=section, field=f"{attr}.subsections.{s}.title"),
                    actual=typed,
                )
            for b, block in enumerate(sub.content):
                if isinstance(block, Point) and numbered(block.text):
                    typed = hand_numbering(block.text)
                    yield r.finding(
                        f"要点“{block.text[:20]}…”以手写编号“{typed}”开头；一是、二是等编号会自动生成，请删去。",
                        Location(section=section, field=f"{attr}.subsections.{s}.content.{b}"),
                        actual=typed,
                    )


def deadline(report: AnnualReport) -> _dt.date:
    """Article 49: departments publish by 31 January, governments by 31 March of the next year."""
    month = 3 if report.meta.kind == "government" else 1
    day = 31
    return _dt.date(report.meta.year + 1, month, day)


@rule("META-date", "warning", "发布日期在统计期结束之后、《条例》第四十九条规定的期限之内")
def meta_date(ctx: Context, r: Rule) -> Iterator[Finding]:
    meta = ctx.report.meta
    if meta.published is None:
        return
    due = deadline(ctx.report)
    if meta.published <= _dt.date(meta.year, 12, 31):
        yield r.finding(
            f"发布日期 {meta.published} 早于统计期结束（{meta.year}-12-31）。",
            Location(section="报告基本信息", field="meta.published"),
            expected=f"> {meta.year}-12-31",
            actual=str(meta.published),
        )
    elif meta.published > due:
        kind = "本级政府" if meta.kind == "government" else "政府部门"
        guessed = (
            f"机关类别未写明，是根据{meta.kind_basis}推断为{kind}的；如不对，请写明机关类别。"
            if meta.kind_basis
            else ""
        )
        yield r.finding(
            f"发布日期 {meta.published} 晚于{kind}年度报告的公布期限 {due}（《条例》第四十九条）。{guessed}",
            Location(section="报告基本信息", field="meta.published"),
            expected=f"≤ {due}",
            actual=str(meta.published),
        )


@rule(
    "META-edition",
    "warning",
    "格式版本与报告年度相符（2019、2020 年度用试行格式，2021 年度起用 2021 版）",
)
def meta_edition(ctx: Context, r: Rule) -> Iterable[Finding]:
    meta = ctx.report.meta
    if meta.year < 2019:
        return ()  # no national table format before the 2019 trial edition
    expected = "2019" if meta.year <= 2020 else "2021"
    if meta.edition == expected:
        return ()
    return (
        r.finding(
            f"{meta.year} 年度报告应使用 {expected} 版格式，实际为 {meta.edition} 版。",
            Location(section="报告基本信息", field="meta.edition"),
            expected=expected,
            actual=meta.edition,
        ),
    )
