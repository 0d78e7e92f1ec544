"""Data-file vocabulary that is not an official table label.

Section headings and table labels come from ``templates/official``; the keys
here name the report's metadata and the parts of a narrative section.
"""

from __future__ import annotations

from hdgovreport.form.layout import Edition

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
