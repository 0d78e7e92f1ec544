"""Hypothesis strategies: whole, realistic reports in both format editions.

Texts are Chinese sentences from a vocabulary of common characters, digits
and Chinese punctuation.  What a printed report cannot tell apart is kept
out, so that a round trip through a rendering can be asked to be exact:

- a paragraph never starts with numbering (``一是``, ``（一）``, ``1.``): once
  printed, it would be a point or a heading (NARR-numbering warns about it);
- no character sequence ``X是`` with X a numeral (``二是`` inside a lone
  ``一是…`` paragraph is how a paragraph of run-in points is told apart);
- no ASCII spaces or letters in paragraphs (a PDF's text layer does not say
  whether a line broke at a space);
- sub-section titles are short and have no full stop (a heading, not a sentence);
- the fee figures are printed in section 6 in the standard sentence, or are all 0
  with no sentence (a rendering prints no other trace of them);
- metadata a rendering does not print (website, contact) is absent; the
  publication date only where the format carries it (tests compare accordingly).
"""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from hdgovreport.builders import fee_sentence
from hdgovreport.form import queries
from hdgovreport.model import (
    NO_FEES,
    AnnualReport,
    ApplicantCounts,
    Applications,
    CaseOutcomes,
    DocumentCounts,
    DocumentCounts2019,
    FeeFigures,
    FeeItems2019,
    ItemCounts2019,
    OtherMatters,
    Overview,
    Paragraph,
    Point,
    ProactiveDisclosure,
    ProactiveDisclosure2019,
    Problems,
    Procurement2019,
    ReportMeta,
    ReviewLitigation,
    Subsection,
)

# Common characters of these reports, without numerals and without 是.
_WORDS = (
    "政务公开工作要点落实制度规范管理平台建设服务企业群众政策解读发布信息网站专栏"
    "办理申请答复依法合规流程渠道培训考核评议监督保障重点领域决策预算财政教育卫生"
    "住房交通环境保护应急安全市场监管审批许可处罚强制收费标准目录清单机制完善提升"
    "加强推进组织开展持续优化健全强化统筹协调全面深化质量效率水平能力意识基层社区"
    "街道乡镇部门单位机关人员办法意见通知方案报告年度季度月份全年累计数量比例情况"
)
_DIGITS = "0123456789"
_INNER_PUNCT = "，、；：“”《》（）"

_word = st.sampled_from(_WORDS)


@st.composite
def sentence(draw: Any, min_size: int = 2, max_size: int = 60) -> str:
    """A sentence: starts with a word character, ends with 。, digits and punctuation inside."""
    n = draw(st.integers(min_size, max_size))
    out = [draw(_word)]
    for _ in range(n - 1):
        kind = draw(st.integers(0, 20))
        if kind == 0:
            out.append(draw(st.sampled_from(_INNER_PUNCT)))
        elif kind == 1:
            out.append(str(draw(st.integers(0, 99999))))
        else:
            out.append(draw(_word))
    text = "".join(out)
    return text + "。"


@st.composite
def paragraph_text(draw: Any) -> str:
    return "".join(draw(st.lists(sentence(), min_size=1, max_size=3)))


@st.composite
def title(draw: Any) -> str:
    return "".join(draw(st.lists(_word, min_size=2, max_size=14)))


@st.composite
def subsection(draw: Any) -> Subsection:
    style = draw(st.sampled_from(["一是", "1.", "（1）"]))
    content: list[Any] = draw(
        st.lists(
            st.one_of(
                paragraph_text().map(Point),
                paragraph_text().map(Paragraph),
            ),
            max_size=4,
        )
    )
    has_points = any(isinstance(b, Point) for b in content)
    return Subsection(
        title=draw(title()), content=tuple(content), point_style=style if has_points else "一是"
    )


@st.composite
def narrative(draw: Any, cls: type[Any], **extra: Any) -> Any:
    intro = draw(st.lists(paragraph_text(), max_size=2))
    subs = draw(st.lists(subsection(), max_size=3))
    return cls(intro=tuple(intro), subsections=tuple(subs), **extra)


_count = st.integers(0, 99999)


@st.composite
def counts_row(draw: Any) -> ApplicantCounts:
    parts = draw(st.lists(st.integers(0, 3000), min_size=6, max_size=6))
    total = sum(parts) + draw(st.sampled_from([0, 0, 0, 1, -1, 10]))
    return ApplicantCounts(
        natural_person=parts[0],
        commercial=parts[1],
        research=parts[2],
        public_interest=parts[3],
        legal_services=parts[4],
        other=parts[5],
        total=max(total, 0),
    )


@st.composite
def outcomes(draw: Any) -> CaseOutcomes:
    parts = draw(st.lists(st.integers(0, 500), min_size=4, max_size=4))
    total = sum(parts) + draw(st.sampled_from([0, 0, 3]))
    return CaseOutcomes(
        upheld=parts[0], corrected=parts[1], other=parts[2], pending=parts[3], total=total
    )


_money = st.decimals(
    min_value=Decimal(0), max_value=Decimal("99999999"), places=4, allow_nan=False
).map(lambda d: d.normalize() if d == d.to_integral_value() else d)
_yuan = st.decimals(min_value=Decimal(0), max_value=Decimal("999999"), places=2).map(
    lambda d: d.quantize(Decimal(1)) if d == d.to_integral_value() else d
)


@st.composite
def table_texts(draw: Any, notes: int = 2) -> dict[str, tuple[str, ...]]:
    return {
        "intro": tuple(draw(st.lists(paragraph_text(), max_size=1))),
        "notes": tuple(draw(st.lists(paragraph_text().map(lambda t: "注：" + t), max_size=notes))),
    }


@st.composite
def proactive(draw: Any, edition: str, notes: int) -> Any:
    if edition == "2021":

        def doc() -> DocumentCounts:
            return DocumentCounts(issued=draw(_count), repealed=draw(_count), in_force=draw(_count))

        return ProactiveDisclosure(
            regulations=doc(),
            normative_documents=doc(),
            licensing=draw(_count),
            penalties=draw(_count),
            enforcement=draw(_count),
            fees=draw(_money),
            **draw(table_texts(notes)),
        )

    def doc19() -> DocumentCounts2019:
        return DocumentCounts2019(
            made=draw(_count), published=draw(_count), total_published=draw(_count)
        )

    def items() -> ItemCounts2019:
        return ItemCounts2019(
            previous_items=draw(_count),
            change=draw(st.integers(-999, 999)),
            decisions=draw(_count),
        )

    return ProactiveDisclosure2019(
        regulations=doc19(),
        normative_documents=doc19(),
        licensing=items(),
        other_services=items(),
        penalties=items(),
        enforcement=items(),
        fees=FeeItems2019(previous_items=draw(_count), change=draw(st.integers(-99, 99))),
        procurement=Procurement2019(items=draw(_count), amount=draw(_money)),
        **draw(table_texts(notes)),
    )


@st.composite
def applications(draw: Any, edition: str, notes: int) -> Applications:
    rows = {
        name: draw(counts_row()) for name in ("new_received", "carried_over", "carried_forward")
    }
    for name in queries.result_rows(edition):
        rows[name] = draw(counts_row()) if draw(st.integers(0, 3)) == 0 else ApplicantCounts.of()
    rows["total_handled"] = draw(counts_row())
    return Applications(**rows, **draw(table_texts(notes)))


_AGENCIES = (
    "某市某区人民政府",
    "某省某市教育局",
    "某县财政局",
    "某市某区卫生健康委员会",
    "某自治区某市住房和城乡建设局",
    "某市某区某某街道办事处",
)


@st.composite
def reports(draw: Any, *, published: bool = False, notes: int = 2) -> AnnualReport:
    """A whole report; ``published`` adds a publication date (for formats that carry one).

    ``notes``: most notes under a table (each printed as its own indented paragraph).
    """
    edition = draw(st.sampled_from(["2021", "2021", "2019"]))
    year = draw(st.integers(2019, 2020) if edition == "2019" else st.integers(2021, 2025))
    agency = draw(st.sampled_from(_AGENCIES))
    date = None
    if published:
        date = draw(st.dates(_dt.date(year + 1, 1, 1), _dt.date(year + 1, 3, 31)))
    fee = draw(
        st.one_of(
            st.just(NO_FEES),
            st.builds(
                FeeFigures, notices=st.integers(0, 50), notified_yuan=_yuan, collected_yuan=_yuan
            ),
        )
    )
    other = draw(narrative(OtherMatters, fee=fee))
    if fee != NO_FEES:
        other = OtherMatters(
            intro=(*other.intro, fee_sentence(fee, year)), subsections=other.subsections, fee=fee
        )
    return AnnualReport(
        meta=ReportMeta(agency=agency, year=year, edition=edition, published=date),  # type: ignore[arg-type]
        opening=tuple(draw(st.lists(paragraph_text(), max_size=2))),
        overview=draw(narrative(Overview)),
        proactive=draw(proactive(edition, notes)),
        applications=draw(applications(edition, notes)),
        review_litigation=ReviewLitigation(
            reconsideration=draw(outcomes()),
            litigation_direct=draw(outcomes()),
            litigation_after_review=draw(outcomes()),
            **draw(table_texts(notes)),
        ),
        problems=draw(narrative(Problems)),
        other_matters=other,
    )
