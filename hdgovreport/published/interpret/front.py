"""Front matter: what is report text, the title, and who reports for which year.

A report is never refused for its title.  The agency and the year come from the
best evidence the file gives, in this order: the title in the text (one to
three lines: ``淮安市人民政府`` / ``2024 年政府信息公开工作年度报告``, year first or
after the agency, ``2023年度``), the title the container declares (``<title>``,
the document properties), the opening sentences (``…由某某局编制``,
``2024年，某某局…``), the statistics period (``自2024年1月1日至2024年12月31日``),
the file name.  A note says which was used; an agency or year found nowhere is a
warning, and the report is still read.

The agency kind (government level, 31 March; or department, 31 January) is
taken from the strongest evidence: the body's own statement of its deadline,
its name (人民政府, 管委会, 综合实验区…), the words 本级政府.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections import Counter
from collections.abc import Sequence

import attrs

from hdgovreport.form.layout import wording
from hdgovreport.model.report import FIRST_YEAR, LAST_YEAR, AgencyKind, kind_evidence
from hdgovreport.published.extract.stream import (
    Block,
    Extracted,
    TableBlock,
    TextBlock,
    clean_text,
    is_page_number,
    squeeze,
)
from hdgovreport.published.interpret.result import Trail
from hdgovreport.published.interpret.vocabulary import title_core

#: Agency name used when the file names none (a warning says so).
UNKNOWN_AGENCY = "（未能识别的机关）"
_CHROME = re.compile(
    r"^(?:发布(?:时间|日期)|来源|信息来源|浏览次数|点击数|字号|【字体)[:：]?.{0,80}(?:来源|浏览|点击|字号|作者|【)"
)
_DATE_LINE = re.compile(
    r"^(?:发布|发文|成文|公开|公布)(?:时间|日期)[:：]?((?:19|20)\d{2})[-/年.](\d{1,2})[-/月.](\d{1,2})"
)
_LONE_CHROME = re.compile(r"^(?:来源|信息来源|作者|责任编辑|浏览次数|点击数|字号)[:：]")
_YEAR = r"((?:19|20)\d{2})"
_PERIOD = re.compile(_YEAR + r"年0?1月0?1日(?:起)?(?:至|到|—|-|－|~)" + _YEAR + r"年12月31日")
_AGENCY_END = (
    r"(?:人民政府|政府|管理委员会|管委会|委员会|办公室|办公厅|综合实验区|新区|开发区|高新区"
    r"|局|厅|委|办|院|署|中心|处|所|站|馆|会|部|队|行|社|集团|公司|学校|大学)"
)
_BY = re.compile(
    r"由([^，。；、“”《》]{2,40}?" + _AGENCY_END + r")(?:负责)?(?:编制|编写|制作|起草|撰写)"
)
_LEAD = re.compile(
    r"^" + _YEAR + r"年度?(?:以来)?[，,]\s*([^，。；、“”《》]{2,30}?" + _AGENCY_END + r")"
    r"(?=[^，。；]{0,4}(?:深入|认真|坚持|全面|始终|紧紧|严格|扎实|持续|积极|按照|围绕|以|在|把|进一步))"
)
_VERBS = re.compile(r"^(?:现将|现|特|予以|正式)?(?:公布|发布|印发|编制|形成|报送|公开)?(?:了)?")
_DEADLINE = re.compile(
    r"(?:于|在)?(?:每年)?(0?[13])月31日(?:前|之前|以前)(?:向社会)?(?:公布|公开|发布)"
)


@attrs.frozen
class Front:
    """Who reports for which year, from what evidence, and where the report text starts."""

    agency: str
    year: int
    start: int  # index of the first block after the title
    titled: bool  # whether the title was found in the text
    kind: AgencyKind
    kind_basis: str  # what the kind was guessed from ("" when the name says it plainly)
    published: _dt.date | None


def clean_blocks(extracted: Extracted) -> tuple[list[Block], _dt.date | None, Trail]:
    """The blocks that are report text (page numbers, site chrome, our banner left out)."""
    trail = Trail()
    out: list[Block] = []
    w = wording()
    banner_title = squeeze(w.unverified_title)
    banner_text = squeeze(w.unverified_text.split("{rules}", 1)[0])
    dropped_pages = 0
    published = extracted.published
    for block in extracted.blocks:
        if isinstance(block, TableBlock):
            if any(c.text.strip() for row in block.rows for c in row):
                out.append(block)
            continue
        text = clean_text(block.text)
        if not text:
            continue
        if is_page_number(text):
            dropped_pages += 1
            continue
        sq = squeeze(text)
        date = _DATE_LINE.match(sq)
        if date and len(sq) <= 60:
            try:
                found = _dt.date(int(date.group(1)), int(date.group(2)), int(date.group(3)))
            except ValueError:
                found = None
            if published is None and found is not None:
                published = found
                trail.note(f"发布日期取自页面上的“{text[:40]}”", block.source, "info")
            else:
                trail.note(f"略去网页上的发布信息“{text[:40]}”", block.source, "info")
            continue
        if _CHROME.search(sq) or (_LONE_CHROME.match(sq) and len(sq) <= 40):
            trail.note(f"略去网页上的发布信息“{text[:40]}”", block.source, "info")
            continue
        if sq.startswith(banner_title):
            sq = sq[len(banner_title) :]
        if not sq or (banner_text and sq.startswith(banner_text)):
            continue  # our own "unverified" banner and watermark
        out.append(attrs.evolve(block, text=text))
    if dropped_pages:
        trail.note(f"略去页码 {dropped_pages} 处", level="info")
    return out, published, trail


def parse_title(text: str) -> tuple[str, int | None] | None:
    """``(agency, year)`` of a title, ``None`` when ``text`` is not a report title.

    Year first (``2019年某某政府信息公开工作年度报告``), after the agency
    (``某某2023年度政府…``) or after the fixed words (``某某政府信息公开工作2023年度报告``);
    the agency may be empty (a title line under the agency's own line).
    """
    core = squeeze(title_core())
    text = re.sub(r"[《》<>【】\[\]“”\"]", "", squeeze(text))
    if core in text:
        text = re.split(r"[_|｜—–-]{1,2}(?=[^_|｜]*$)", text)[0]
    position = text.find(core)
    if position < 0:
        m = re.search(
            r"政府信息公开(?:工作)?(?:年度报告|年报)|政府信息公开(?:工作)?" + _YEAR + r"年度报告",
            text,
        )
        if m is None:
            return None
        position = m.start()
    head = text[:position]
    year: int | None = None
    m = re.search(_YEAR + r"年度?$", head)
    if m is not None:
        head, year = head[: m.start()], int(m.group(1))
    first = re.match(r"^" + _YEAR + r"年度?", head)
    if first is not None:
        head, year = head[first.end() :], int(first.group(1))
    if year is None:
        after = re.search(_YEAR + r"年度?", text[position:])
        year = int(after.group(1)) if after else None
    # 某某办公室关于印发某某区人民政府2024年…的通知: the report is the subject after 关于
    agency = re.sub(r"^.*关于(?:印发|公布|发布)?", "", head).strip("：: ")
    if len(agency) > 40 or re.search(r"[，。；：,;:、]", agency):
        return None
    if year is not None and not FIRST_YEAR <= year <= LAST_YEAR:
        return None
    if not agency and year is None:
        return None
    return agency, year


def _agency_like(text: str) -> bool:
    sq = squeeze(text)
    return (
        2 <= len(sq) <= 40
        and bool(re.search(_AGENCY_END + r"$", sq))
        and not re.search(r"[，。；：,;:]", sq)
    )


Titled = tuple[str, int | None, int, int]


def title_in_text(blocks: Sequence[Block]) -> Titled | None:
    """(agency, year, first block, blocks used) of the title printed in the text."""
    window = blocks[:150]
    for width in (1, 2, 3):
        for i in range(len(window) - width + 1):
            parts = window[i : i + width]
            if not all(isinstance(b, TextBlock) and len(squeeze(b.text)) <= 80 for b in parts):
                continue
            joined = "".join(squeeze(b.text) for b in parts if isinstance(b, TextBlock))
            if "年度报告" not in joined and "信息公开" not in joined:
                continue
            found = parse_title(joined)
            if found is None:
                continue
            agency, year = found
            if not agency:  # the agency on the line above (or below) the title
                before = window[i - 1] if i > 0 else None
                after = window[i + width] if i + width < len(window) else None
                for side, shift in ((before, -1), (after, 0)):
                    if isinstance(side, TextBlock) and _agency_like(side.text):
                        agency = squeeze(side.text)
                        if shift < 0:
                            i -= 1
                        width += 1
                        break
            if agency or year is not None:
                return agency, year, i, width
    return None


def _file_stem(filename: str) -> str:
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[0]


def _sentences(blocks: Sequence[Block], limit: int = 60) -> list[TextBlock]:
    return [b for b in blocks[:limit] if isinstance(b, TextBlock)]


def _agency_from_sentences(blocks: Sequence[TextBlock]) -> tuple[str, str] | None:
    """(agency, the sentence) from the opening: ``由某某局编制``, ``2024年，某某局…``, a title."""
    for block in blocks:
        sq = squeeze(block.text)
        for pattern in (_BY, _LEAD):
            m = pattern.search(sq)
            if m:
                return m.group(m.lastindex or 1), block.text
        m = re.search(
            r"([^，。；、“”《》\s]{2,40}?)" + _YEAR + r"年度?政府信息公开(?:工作)?年度报告", sq
        )
        if m:
            agency = _VERBS.sub("", m.group(1))
            if _agency_like(agency):
                return agency, block.text
    return None


def _year_from_period(blocks: Sequence[TextBlock]) -> tuple[int, str] | None:
    for block in blocks:
        m = _PERIOD.search(squeeze(block.text))
        if m and m.group(1) == m.group(2):
            return int(m.group(1)), block.text
    return None


def _year_from_mentions(blocks: Sequence[TextBlock]) -> int | None:
    years = Counter(
        int(y)
        for b in blocks
        for y in re.findall(_YEAR + r"年", squeeze(b.text))
        if FIRST_YEAR <= int(y) <= LAST_YEAR
    )
    return years.most_common(1)[0][0] if years else None


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:40] + "…"


def front(
    blocks: Sequence[Block],
    titled: Titled | None,
    extracted: Extracted,
    published: _dt.date | None,
    edition_year: int,
) -> tuple[Front, Trail]:
    """Agency, year and kind from the best evidence.

    ``titled`` is what :func:`title_in_text` found; ``edition_year`` is the last resort
    for the year (the first year of the edition the tables are printed in).
    """
    trail = Trail()
    agency: str = ""
    year: int | None = None
    start = 0
    if titled is not None:
        agency, year, first, width = titled
        start = first + width
        head = blocks[first]
        assert isinstance(head, TextBlock)
        if agency:
            trail.sources["meta.agency"] = head.source
        if year is not None:
            trail.sources["meta.year"] = head.source
        if width > 1:
            trail.note("标题分在多行，已合并", head.source, "info")
    texts = _sentences(blocks[start:])
    if not agency or year is None:
        sources: list[tuple[str, str]] = []
        if extracted.title:
            sources.append(("网页或文档属性中的标题", extracted.title))
        sources.append(("文件名", _file_stem(extracted.filename)))
        for where, candidate in sources:
            found = parse_title(candidate)
            if found is None:
                continue
            took = []
            if not agency and found[0]:
                agency = found[0]
                took.append("机关名称")
            if year is None and found[1] is not None:
                year = found[1]
                took.append("年度")
            if took:
                what = "和".join(took)
                trail.note(
                    f"正文中未找到带{what}的报告标题，{what}取自{where}“{_short(candidate)}”"
                )
    if not agency:
        from_text = _agency_from_sentences(texts)
        if from_text is not None:
            agency = from_text[0]
            trail.note(f"未找到报告标题，机关名称取自正文“{_short(from_text[1])}”（请核对）")
    if year is None:
        period = _year_from_period(texts) or _year_from_period(_sentences(blocks, 400))
        if period is not None:
            year = period[0]
            trail.note(f"未找到报告标题，年度取自统计期限“{_short(period[1])}”", level="notice")
    if year is None:
        mentioned = _year_from_mentions(texts)
        if mentioned is not None:
            year = mentioned
            trail.note(
                f"未找到报告年度，按正文中最常出现的年份 {year} 年读入（请核对）", level="warning"
            )
        elif published is not None and FIRST_YEAR < published.year <= LAST_YEAR + 1:
            year = published.year - 1
            trail.note(
                f"未找到报告年度，按发布日期 {published} 推断为 {year} 年（请核对）",
                level="warning",
            )
        else:
            year = edition_year
            trail.note(f"未找到报告年度，按表格的格式版本读作 {year} 年（请核对）", level="warning")
    if not agency:
        agency = UNKNOWN_AGENCY
        trail.note(
            "未能识别报告的机关名称（标题、正文开头和文件名中都没有），请核对", level="warning"
        )
    kind, basis = _kind(agency, blocks)
    if basis:
        trail.note(
            f"机关类别按{basis}读作{'本级政府' if kind == 'government' else '政府部门'}",
            level="info",
        )
    return Front(agency, year, start, titled is not None, kind, basis, published), trail


def _kind(agency: str, blocks: Sequence[Block]) -> tuple[AgencyKind, str]:
    """The agency kind and, when it is a guess beyond a plain 人民政府, what it rests on."""
    text = "".join(squeeze(b.text) for b in blocks if isinstance(b, TextBlock))
    stated = _DEADLINE.search(text)
    if stated:
        month = int(stated.group(1))
        kind: AgencyKind = "government" if month == 3 else "department"
        return kind, f"报告自己写明的公布期限（{month}月31日前）"
    by_name, part = kind_evidence(agency)
    if part == "人民政府" or (part and by_name == "department"):
        return by_name, ""
    if part:
        return by_name, f"机关名称中的“{part}”"
    if "本级政府" in text:
        return "government", "正文中的“本级政府”"
    if _agency_like(agency):
        return by_name, ""  # a department's name (某某局, 某某委员会, 某某办公室)
    return by_name, "机关名称（未能判断是否为本级政府）"


__all__ = [
    "UNKNOWN_AGENCY",
    "Front",
    "Titled",
    "clean_blocks",
    "front",
    "parse_title",
    "title_in_text",
]
