"""The official edition typeset to the 公文 standard: the grid, table labels, long figures, axe."""

from __future__ import annotations

import io
import itertools
import math
import re
import unicodedata
from pathlib import Path
from typing import Any

import attrs
import pytest
from helpers import replace_at

from hdgovreport import AnnualReport, check
from hdgovreport.document import Heading, Paragraph, build_document
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


def test_the_web_page_draws_each_kind_of_text_in_one_face(
    haidian: AnnualReport, tmp_path: Path, browser: Any
) -> None:
    """The reader's browser takes each glyph from the first listed face that has it: a face
    covering only part of GB 2312 (cwTeX 仿宋體, drawn for traditional characters) ahead of a
    complete one would mix two faces in one line. Whatever is installed here, every body
    paragraph, heading and table label comes out in a single face (Chromium's own account)."""
    page_file = tmp_path / "report.html"
    page_file.write_text(render_html(build_document(haidian, check(haidian))), "utf-8")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(page_file.as_uri())
        cdp = page.context.new_cdp_session(page)
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument")["root"]["nodeId"]
        for selector in ("p.point", "p.opening", "h2", "h3", "th.row-header"):
            nodes = cdp.send(
                "DOM.querySelectorAll", {"nodeId": root, "selector": f".hdgov-report {selector}"}
            )["nodeIds"]
            assert nodes, selector
            used: set[str] = set()
            for node in nodes:
                fonts_used = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
                used |= {f["familyName"] for f in fonts_used if f["glyphCount"]}
            assert len(used) == 1, (selector, used)
    finally:
        page.close()


def test_browser_print_keeps_the_banner_off_the_content(
    haidian: AnnualReport, tmp_path: Path, browser: Any
) -> None:
    """Chromium's print of the page: A4, the notice never covers text, no heading at a page's
    foot (the printed caption once made Chromium break between 二、 and Table 2)."""
    import pdfplumber

    page_file = tmp_path / "report.html"
    document = build_document(haidian, check(haidian))
    headings = {b.full_text for b in document.blocks() if isinstance(b, Heading)}
    page_file.write_text(render_html(document), "utf-8")
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
        feet = []
        for p in doc.pages[:-1]:
            rows: dict[int, str] = {}
            for c in sorted(p.chars, key=lambda c: c["x0"]):
                if c["size"] < 40 and c["text"].strip():
                    rows[round(c["top"])] = rows.get(round(c["top"]), "") + c["text"]
            lines = [t for _, t in sorted(rows.items()) if not re.fullmatch(r"—\d+—", t)]
            feet.append(lines[-1])
        assert len(feet) >= 3

        def is_heading(line: str) -> bool:
            # Chromium's text layer maps some glyphs to Kangxi radicals (⼆) and drops others
            line = unicodedata.normalize("NFKC", line)
            return any(
                len(h) - 2 <= len(line) <= len(h) and _subsequence(line, h) for h in headings
            )

        assert not [line for line in feet if is_heading(line)], feet


def _subsequence(short: str, long: str) -> bool:
    chars = iter(long)
    return all(c in chars for c in short)


# ------------------------------------------------------------------ page breaks


def _lengthened(report: AnnualReport, lines: int) -> AnnualReport:
    """``report`` with ``lines`` one-line paragraphs more in its opening section: every later
    page break moves, Table 2 and Table 3 break in other places."""
    overview = report.overview
    extra = tuple(f"补充说明第{n + 1}项。" for n in range(lines))
    return replace_at(report, "overview.intro", tuple(overview.intro) + extra)


@attrs.frozen
class _PdfLine:
    text: str
    top: float
    x0: float
    x1: float
    size: float


def _page_lines(page: Any) -> list[_PdfLine]:
    """The text block's lines (characters of one size sharing a baseline), top to bottom."""
    rows: dict[tuple[int, float], list[dict[str, Any]]] = {}
    for c in page.chars:
        if 37 * MM - 1 <= c["top"] < (297 - 35) * MM and c["text"].strip():
            rows.setdefault((round(c["top"]), round(c["size"], 1)), []).append(c)
    lines = []
    for (top, size), chars in sorted(rows.items()):
        chars.sort(key=lambda c: c["x0"])
        text = "".join(c["text"] for c in chars)
        lines.append(_PdfLine(text, top, chars[0]["x0"], chars[-1]["x1"], size))
    return lines


@pytest.mark.parametrize(
    ("which", "extra_lines"), [("clean", 0), ("clean", 3), ("clean", 12), ("haidian", 0)]
)
def test_page_breaks_close_and_mark_tables_and_leave_no_heading_or_lone_line(
    clean: AnnualReport, haidian: AnnualReport, which: str, extra_lines: int
) -> None:
    """Four paginations: the repaired report as is and longer, and the published one (with
    its notice on every page): Table 2 and Table 3 break in different places."""
    import pdfplumber

    report = _lengthened(clean if which == "clean" else haidian, extra_lines)
    document = build_document(report, check(report))
    headings = {b.full_text for b in document.blocks() if isinstance(b, Heading)}
    table3 = document.table("表3")
    rows = table3.rows()
    kept = table3.kept_rows()
    # the innermost groups of Table 3: their item labels, which must share a page
    groups: list[list[str]] = []
    for r, row in enumerate(rows):
        if r in kept or (r - 1) in kept:
            item = [c for c in row.cells if c.kind == "row-header"][-1]
            if r - 1 not in kept:
                groups.append([])
            groups[-1].append((item.lines or (item.text,))[0][:6])
    assert len(groups) == 4
    pdf = render_pdf(document)
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        pages = list(doc.pages)
        texts = [re.sub(r"\s", "", page.extract_text()) for page in pages]
        breaks_in_tables = 0
        for n, page in enumerate(pages):
            lines = _page_lines(page)
            # one rule for one border: no two horizontal rules closer than 1.2 pt
            rules = sorted(
                (o["top"], o["x0"], o["x1"])
                for o in page.lines
                if abs(o["top"] - o["bottom"]) < 0.1
            )
            for (y1, a1, b1), (y2, a2, b2) in itertools.combinations(rules, 2):
                assert not (0 < abs(y2 - y1) < 1.2 and a1 < b2 and a2 < b1), (n + 1, y1, y2)
            # (the notice of an unverified report sits higher in the top margin)
            mark = "".join(c["text"] for c in page.chars if 29 * MM < c["top"] < 37 * MM - 1)
            starts_in_table = lines[0].size < 11 and n > 0 and lines[0].text not in headings
            ends_in_table = lines[-1].size < 11
            if n + 1 < len(pages):
                # a table going on over the page: closed by a rule across its whole width
                nxt = _page_lines(pages[n + 1])
                if ends_in_table and nxt[0].size < 11:
                    breaks_in_tables += 1
                    lowest = max(y for y, _, _ in rules)
                    assert min(a for y, a, _ in rules if abs(y - lowest) < 0.6) < LEFT + 1
                    assert max(b for y, _, b in rules if abs(y - lowest) < 0.6) > RIGHT - 1
                    # … right under its last row (no band of empty rows above the rule)
                    last_text = max(c["bottom"] for c in page.chars if c["top"] < lowest)
                    assert 0 < lowest - last_text < 8, (n + 1, lowest, last_text)
            # … and marked 续表 on the next page; no other page carries the mark
            assert mark == ("续表" if starts_in_table else ""), (n + 1, lines[0])
            # no heading at the foot of a page
            assert lines[-1].text not in headings, (n + 1, lines[-1].text)
            # no lone line of a paragraph: a page ends neither with a paragraph's first line
            # (indented, running on to the next page) …
            body = [line for line in lines if line.size == 16 and line.text not in headings]
            if body and body[-1] is lines[-1] and body[-1].x0 > LEFT + PITCH:
                assert body[-1].x1 < RIGHT - 1, (n + 1, body[-1].text)
            # … nor starts with its last line (not indented, short, then a new paragraph)
            if n and body and body[0] is lines[0] and body[0].x0 < LEFT + 1:
                following = body[1] if len(body) > 1 else None
                assert body[0].x1 > RIGHT - 1 or (following is not None and following.x0 < LEFT + 1)
        assert breaks_in_tables >= 1
        # the items of a merged label (（五）不予处理 …) and Table 2's blocks are never split
        for group in groups:
            assert any(all(item in text for item in group) for text in texts), group
        for body in document.table("表2").bodies:
            labels = [(c.lines or (c.text,))[0][:6] for row in body for c in row.cells if c.text]
            assert any(all(label in text for label in labels) for text in texts), labels
