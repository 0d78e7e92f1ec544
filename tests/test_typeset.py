"""The official edition typeset to the 公文 standard: the grid, table labels, long figures, axe."""

from __future__ import annotations

import io
import itertools
import math
import re
from pathlib import Path
from typing import Any

import pytest
from helpers import replace_at

from hdgovreport import AnnualReport, check
from hdgovreport.document import Paragraph, build_document
from hdgovreport.document.sizing import words
from hdgovreport.form.layout import cells, layout
from hdgovreport.published.reader import read_published_bytes
from hdgovreport.render import fonts, typeset
from hdgovreport.render.embed import family_for
from hdgovreport.render.html import render_html
from hdgovreport.render.pdf import render_pdf

MM = 72 / 25.4
LEFT, RIGHT = 28 * MM, (210 - 26) * MM
PITCH = typeset.BLOCK_WIDTH_PT / 28


@pytest.fixture(scope="module")
def haidian_pdf(haidian: AnnualReport) -> bytes:
    return render_pdf(build_document(haidian, check(haidian)))


def _lines(pdf: bytes, fontname: str, size: float) -> list[list[dict[str, Any]]]:
    import pdfplumber

    out = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            rows: dict[int, list[dict[str, Any]]] = {}
            for c in page.chars:
                if fontname in c["fontname"] and round(c["size"]) == size:
                    rows.setdefault(round(c["top"]), []).append(c)
            out += [sorted(rows[top], key=lambda c: c["x0"]) for top in sorted(rows)]
    return out


def _cells(line: list[dict[str, Any]]) -> int:
    """Grid cells a line's characters take: a full-width character one, a Latin run whole cells."""
    count, run = 0, 0.0
    for c in line:
        if typeset.is_wide(c["text"]):
            count += math.ceil(run / PITCH - 0.05) if run else 0
            run = 0.0
            count += 1
        else:
            run += c["width"]
    return count + (math.ceil(run / PITCH - 0.05) if run else 0)


def test_body_lines_carry_28_characters_flush_on_both_sides(
    haidian: AnnualReport, haidian_pdf: bytes
) -> None:
    """≥ 95 % of the lines that are not a paragraph's last carry 28 characters (26 after the
    indent) and end within 1 mm of the text block's right edge; a closing mark pushed into a
    full line (Word's hanging punctuation, kept inside the block) is not counted."""
    body = family_for(fonts.resolve().face("body")).replace(" ", "-")  # type: ignore[arg-type]
    lines = _lines(haidian_pdf, body, 16)
    document = build_document(haidian, check(haidian))
    paragraphs = [
        b.full_text
        for b in document.blocks()
        if isinstance(b, Paragraph) and b.role != "table-note"
    ]
    i = total = good = 0
    for text in paragraphs:
        got, first = "", True
        while got != text:
            line = lines[i]
            i += 1
            got += "".join(c["text"] for c in line)
            assert text.startswith(got)  # copied text is the paragraph, nothing inserted
            if got != text:
                total += 1
                expected = 26 if first else 28
                count = _cells(line)
                if count == expected + 1 and line[-1]["text"] in typeset.NO_START:
                    count = expected
                good += count == expected and abs(line[-1]["x1"] - RIGHT) <= 1 * MM
            assert min(c["x0"] for c in line) >= LEFT - 0.5 and line[-1]["x1"] <= RIGHT + 0.5
            first = False
    assert total >= 40 and good / total >= 0.95, (good, total)


def test_title_is_set_in_a_bold_face(haidian_pdf: bytes) -> None:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(haidian_pdf)) as doc:
        title = [c for c in doc.pages[0].chars if round(c["size"]) == 22]
    assert title and all("Bold" in c["fontname"] or "700" in c["fontname"] for c in title)
    assert fonts.resolve().choices["title"].weight >= 600


def test_line_setter_keeps_closing_marks_off_a_line_start_and_inserts_nothing() -> None:
    text = "一是" + "政府信息公开" * 4 + "，“核酸采样点”一键导航，浏览量已破3万。" + "率。"

    def advance(s: str) -> list[float]:
        return [16.0 if typeset.is_wide(c) else 8.9 for c in s]

    lines = typeset.set_lines(text, advance, size_pt=16, indent_cells=2)
    assert "".join(line.text for line in lines) == text
    for line in lines[1:]:
        assert line.text[0] not in typeset.NO_START
    for line in lines[:-1]:
        assert line.text[-1] not in typeset.NO_END
    assert len(lines[-1].text.rstrip("。")) >= 2  # no one-character last line


def test_every_label_is_covered_by_the_word_list() -> None:
    """A label breaks only between words: every one of tables.yaml is cut into known words."""
    from hdgovreport.document.sizing import vocabulary

    vocab = set(vocabulary())
    t = layout()
    labels = {t.applications.corner_note or ""}
    stack = [*t.applications.rows, *t.applications.columns, *t.review_litigation.columns]
    for blocks in t.proactive.blocks_by_edition.values():
        for block in blocks:
            labels.add(block.title)
            stack += [*block.columns, *block.rows]
    while stack:
        node = stack.pop()
        labels.add(node.label)
        stack.extend(node.children)
    for label in labels:
        for word in words(label):
            core = re.sub(r"[（）“”，、：；/.\d一二三四五六七八九十]", "", word)
            assert len(core) <= 1 or any(w in word for w in vocab), (label, word)


def test_table_labels_break_between_words_only(haidian: AnnualReport) -> None:
    document = build_document(haidian, check(haidian))
    lines = {
        c.text: c.lines for t in document.tables() for row in t.rows() for c in row.cells if c.lines
    }
    assert lines["（三）不予公开"] == ("（三）", "不予公开")
    assert lines["结果维持"] == ("结果", "维持")
    assert lines["自然人"] == ("自然人",)
    assert lines["商业企业"] == ("商业", "企业")
    assert lines["三、本年度办理结果"][0] == "三、"  # set vertically, the prefix whole
    for text, parts in lines.items():
        assert "".join(parts) == text
        for part in parts[1:]:
            assert part[0] not in "、，。）”"


def _pdf_words(pdf: bytes) -> list[str]:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return [
            w["text"]
            for page in doc.pages
            for w in page.extract_words(keep_blank_chars=False, use_text_flow=True)
        ]


def test_pdf_table_labels_are_not_broken_inside_a_word(haidian_pdf: bytes) -> None:
    text = "\n".join(_pdf_words(haidian_pdf))
    for broken in ("不予公\n开", "无法提\n供", "自然\n人", "商业企\n业", "结果维\n持"):
        assert broken not in text


@pytest.fixture(scope="module")
def nine_digits(clean: AnnualReport) -> AnnualReport:
    report = clean
    for cell in cells(report.edition):
        if cell.type == "count":
            report = replace_at(report, cell.path, 999_999_999)
    return report


def test_nine_digit_counts_fit_and_read_back_exactly_from_the_pdf(
    nine_digits: AnnualReport,
) -> None:
    import pdfplumber

    document = build_document(nine_digits, check(nine_digits))
    pdf = render_pdf(document)
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            verticals = [e for e in page.edges if e["orientation"] == "v"]
            for word in page.extract_words():
                if word["text"] != "999999999":
                    continue
                # no rule crosses a figure: its cell's rules lie on either side
                crossing = [
                    e
                    for e in verticals
                    if word["x0"] + 0.2 < e["x0"] < word["x1"] - 0.2
                    and e["top"] < word["bottom"]
                    and e["bottom"] > word["top"]
                ]
                assert not crossing, word
    for table in document.tables():
        assert table.value_size_pt >= 5.0
    read = read_published_bytes(pdf, "big.pdf")  # the published-PDF reader (another engineer's)
    for cell in cells(nine_digits.edition):
        if cell.type == "count" and cell.table != "信息处理费":  # that one is in the text
            from hdgovreport.model import value_at

            assert value_at(read.report, cell.path) == 999_999_999, cell.path


@pytest.mark.parametrize("width", [375, 1280])
def test_html_page_labels_never_break_inside_a_word_and_axe_finds_nothing(
    haidian: AnnualReport, tmp_path: Path, width: int, browser: Any
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page_file = tmp_path / "report.html"
    page_file.write_text(render_html(build_document(haidian, check(haidian))), "utf-8")
    page = browser.new_page(viewport={"width": width, "height": 900})
    try:
        page.goto(page_file.as_uri())
        # each word span stays on one line: its box is one line high
        tall = page.evaluate(
            """[...document.querySelectorAll('th .w, td.corner .w')].filter(w => {
                 const r = w.getClientRects(); return r.length > 1; }).map(w => w.textContent)"""
        )
        assert tall == []
        results = Axe().run(
            page,
            options={
                "runOnly": {
                    "type": "tag",
                    "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
                }
            },
        )
        violations = [(v["id"], len(v["nodes"])) for v in results.response["violations"]]
        assert violations == []
    finally:
        page.close()


def test_browser_print_keeps_the_banner_off_the_content(
    haidian: AnnualReport, tmp_path: Path, browser: Any
) -> None:
    """Chromium's print of the page: A4, and the notice never covers text."""
    import pdfplumber

    page_file = tmp_path / "report.html"
    page_file.write_text(render_html(build_document(haidian, check(haidian))), "utf-8")
    page = browser.new_page()
    try:
        page.goto(page_file.as_uri())
        pdf = page.pdf(prefer_css_page_size=True)
    finally:
        page.close()
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        assert doc.pages
        assert "校验未通过" in doc.pages[0].extract_text()
        for p in doc.pages:
            assert (round(p.width / MM), round(p.height / MM)) == (210, 297)
            small = [c for c in p.chars if c["size"] < 40]  # the watermark is 60 pt, behind
            boxes = sorted(small, key=lambda c: c["top"])
            for a, b in itertools.pairwise(boxes):  # no two lines of text on top of each other
                if abs(a["top"] - b["top"]) > 2 and b["top"] < a["bottom"] - 2:
                    assert b["x0"] >= a["x1"] - 0.5 or b["x1"] <= a["x0"] + 0.5, (a, b)
