"""Data-file vocabulary that is not an official table label.

Section headings and table labels come from ``templates/official``; the keys
here name the report's metadata and the parts of a narrative section.
"""

from __future__ import annotations

import functools

from hdgovreport.form.layout import Edition, Node

EDITION = "格式版本"
AGENCY = "机关名称"
KIND = "机关类别"
YEAR = "报告年度"
PUBLISHED = "发布日期"
WEBSITE = "网站"
CONTACT = "联系方式"
OPENING = "开头"

INTRO = "导语"  # paragraphs before the sub-sections or before a table
NOTES = "说明"  # paragraphs after a table
SUBSECTIONS = "小节"
TITLE = "标题"
CONTENT = "内容"
POINT = "要点"
PARAGRAPH = "段落"
POINT_STYLE = "要点编号"
HIGHLIGHTS = "亮点"  # curated highlights of a section-1 sub-section (graphic edition)
FIGURE = "数字"
UNIT = "单位"
LABEL = "说明"

GRAPHIC = "图解"  # the graphic edition's settings (top level, optional)
SOURCE = "数据来源"  # the report the graphic's source line names
RATES = "计算比率"  # derived rates the graphic may show, labelled as computed

#: Data-file words for the derived rates (model.settings.DERIVED_RATES), and back.
RATE_WORDS = {"correction_rate": "纠正率"}
RATE_FROM_WORD = {v: k for k, v in RATE_WORDS.items()}

#: Data-file words for the agency kinds, and back.
KIND_WORDS = {"government": "本级政府", "department": "政府部门"}
KIND_FROM_WORD = {v: k for k, v in KIND_WORDS.items()}

#: Accepted spellings of the two editions.
EDITION_WORDS: dict[str, Edition] = {
    "2021": "2021",
    "2019": "2019",
}

META_KEYS = (EDITION, AGENCY, KIND, YEAR, PUBLISHED, WEBSITE, CONTACT, OPENING)


@functools.lru_cache(maxsize=4096)
def norm_key(key: str) -> str:
    """A key as matched: no spaces, half-width brackets to full-width, no numbering."""
    import unicodedata

    from hdgovreport.form.layout import strip_numbering

    key = unicodedata.normalize("NFKC", key).replace(" ", "").replace("\u3000", "")
    key = key.replace("(", "（").replace(")", "）")
    return strip_numbering(key)


def aliases(node: Node) -> set[str]:
    """The normalised spellings of a table row or column key: its key and its label."""
    return {norm_key(node.key), norm_key(node.label)}


def text_keys(*keys: str) -> dict[str, str]:
    """``{normalised: key}`` for plain data-file keys."""
    return {norm_key(k): k for k in keys}


@functools.cache
def known_keys() -> frozenset[str]:
    """Every key a data file may use anywhere (normalised): metadata, sections, labels."""
    from hdgovreport.form.layout import EDITIONS, layout, wording

    words = {
        *META_KEYS,
        *wording().sections.values(),
        INTRO,
        NOTES,
        SUBSECTIONS,
        TITLE,
        CONTENT,
        POINT,
        PARAGRAPH,
        POINT_STYLE,
        HIGHLIGHTS,
        FIGURE,
        UNIT,
        LABEL,
        GRAPHIC,
        SOURCE,
        RATES,
    }
    tables = layout()
    found: set[str] = {norm_key(w) for w in words}

    def add(nodes: tuple[Node, ...]) -> None:
        for node in nodes:
            found.update(aliases(node))
            add(node.children)

    for edition in EDITIONS:
        for block in tables.proactive.blocks(edition):
            add(block.rows)
            add(block.columns)
    add(tables.applications.rows)
    add(tables.applications.columns)
    add(tables.review_litigation.columns)
    found.add(norm_key(tables.fee.name))
    add(tables.fee.items)
    return frozenset(found)


def is_key(text: str) -> bool:
    return norm_key(text) in known_keys()
