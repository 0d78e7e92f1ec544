"""The official edition: HTML page and PDF, checked for content, structure and layout."""

from __future__ import annotations

import io
import itertools
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import attrs
import pytest
from conftest import HAIDIAN, ROOT
from helpers import HAIDIAN_TABLE4, replace_at
from test_labels import SECTIONS, TABLE3_ROWS_2021

from hdgovreport import AnnualReport, check
from hdgovreport.document import build_document
from hdgovreport.errors import FontError
from hdgovreport.form.layout import cells
from hdgovreport.model import value_at
from hdgovreport.render import fonts
from hdgovreport.render.build import FORMATS, BuildRefused, build, render
from hdgovreport.render.html import render_html
from hdgovreport.render.pdf import DenyAllFetcher, html_to_pdf, render_pdf

MM = 72 / 25.4  # points per millimetre


# ------------------------------------------------------------------ helpers


class Tree(HTMLParser):
    """A tiny HTML walker: tags with attributes and the text inside each element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[dict[str, Any]] = []
        self.stack: list[dict[str, Any]] = []

    def handle_starttag(self, tag: str, attrs_: list[tuple[str, str | None]]) -> None:
        element = {"tag": tag, "attrs": dict(attrs_), "text": ""}
        self.elements.append(element)
        if tag not in ("meta", "col", "br", "img", "link"):
            self.stack.append(element)

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop()["tag"] == tag:
                break

    def handle_data(self, data: str) -> None:
        for element in self.stack:
            element["text"] += data

    def find(self, tag: str, **attrs_: str) -> list[dict[str, Any]]:
        return [
            e
            for e in self.elements
            if e["tag"] == tag and all(e["attrs"].get(k) == v for k, v in attrs_.items())
        ]


def parse(html: str) -> Tree:
    tree = Tree()
    tree.feed(html)
    return tree


def pdftotext(pdf: bytes, tmp_path: Path, *args: str) -> str:
    path = tmp_path / "t.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", *args, str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture(scope="module")
def clean_pdf(clean: AnnualReport) -> bytes:
    return render_pdf(build_document(clean, check(clean)))


@pytest.fixture(scope="module")
def haidian_outputs(haidian: AnnualReport) -> dict[str, bytes]:
    data, _ = render(haidian, ("html", "html-fragment", "pdf"), allow_errors=True)
    return data


# ------------------------------------------------------------------ HTML


def test_html_is_a_standalone_utf8_page_without_external_requests(
    haidian_outputs: dict[str, bytes],
) -> None:
    html = haidian_outputs["html"].decode("utf-8")
    assert html.startswith('<!DOCTYPE html>\n<html lang="zh-CN">')
    assert '<meta charset="utf-8">' in html
    assert not re.search(r"\b(src|href)=|@import|url\(", html)
    tree = parse(html)
    assert tree.find("title")[0]["text"] == "北京市海淀区人民政府2022年政府信息公开工作年度报告"
    assert tree.find("meta", name="author")[0]["attrs"]["content"] == "北京市海淀区人民政府"


def test_html_headings_are_semantic_and_numbered(
    haidian: AnnualReport, haidian_outputs: dict[str, bytes]
) -> None:
    tree = parse(haidian_outputs["html"].decode("utf-8"))
    assert [h["text"] for h in tree.find("h1")] == [haidian.title]
    assert [h["text"] for h in tree.find("h2")] == SECTIONS
    h3 = [h["text"] for h in tree.find("h3")]
    assert h3[:4] == [
        "（一）持续完善体系建设",
        "（二）持续优化政策服务",
        "（三）持续提升依申请公开办理质量",
        "（四）持续强化平台建设",
    ]
    assert h3[4:] == ["（一）存在的主要问题", "（二）改进情况"]
    points = [
        p["text"] for p in tree.elements if p["tag"] == "p" and p["attrs"].get("class") == "point"
    ]
    assert points[0].startswith("一是完善组织架构和工作流程。")
    assert points[3].startswith("四是开展社会评议工作。")
    assert points[4].startswith("一是开设惠企政策专栏")


def _html_grid(table: dict[str, Any], tree: Tree) -> list[list[str]]:
    """Expand a <table>'s rows into a grid of cell texts using colspan/rowspan."""
    start = tree.elements.index(table)
    end = next(
        (i for i in range(start + 1, len(tree.elements)) if tree.elements[i]["tag"] == "table"),
        len(tree.elements),
    )
    rows: list[list[dict[str, Any]]] = []
    for element in tree.elements[start:end]:
        if element["tag"] == "tr":
            rows.append([])
        elif element["tag"] in ("td", "th") and rows:
            rows[-1].append(element)
    width = sum(int(c["attrs"].get("colspan", 1)) for c in rows[0]) + 0
    grid: list[list[str | None]] = [[None] * 20 for _ in range(len(rows))]
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            while grid[r][c] is not None:
                c += 1
            for dr in range(int(cell["attrs"].get("rowspan", 1))):
                for dc in range(int(cell["attrs"].get("colspan", 1))):
                    grid[r + dr][c + dc] = cell["text"]
            c += int(cell["attrs"].get("colspan", 1))
    width = max(len([x for x in g if x is not None]) for g in grid)
    return [[x or "" for x in g[:width]] for g in grid]


def test_html_table3_has_the_official_spans(haidian_outputs: dict[str, bytes]) -> None:
    tree = parse(haidian_outputs["html"].decode("utf-8"))
    (table,) = tree.find("table", id="table-applications")
    start = tree.elements.index(table)
    head = [e for e in tree.elements[start:] if e["tag"] in ("th", "td")][:10]
    spans = [
        (e["text"], e["attrs"].get("colspan"), e["attrs"].get("rowspan"), e["attrs"].get("scope"))
        for e in head[:5]
    ]
    assert spans == [
        ("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "3", "3", None),
        ("申请人情况", "7", None, "colgroup"),
        ("自然人", None, "2", "col"),
        ("法人或其他组织", "5", None, "colgroup"),
        ("总计", None, "2", "col"),
    ]
    grid = _html_grid(table, tree)
    assert len(grid) == 3 + 25 and all(len(row) == 10 for row in grid)
    assert grid[2][3:9] == [
        "自然人",
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
    ]
    assert [row[0] for row in grid[5:27]] == ["三、本年度办理结果"] * 22
    assert [row[1] for row in grid[7:15]] == ["（三）不予公开"] * 8
    assert grid[3][:3] == ["一、本年新收政府信息公开申请数量"] * 3
    assert grid[3][3:] == ["1448", "60", "2", "2", "1", "8", "1521"]
    labels = []
    for row in grid[3:]:
        group = row[1] if row[1] != row[2] and row[1].startswith("（") else ""
        label = row[2]
        labels.append(f"{group}/{label}" if group else label)
    assert labels == TABLE3_ROWS_2021
    assert table["attrs"].get("class") == "official"
    assert tree.find("caption", id="table-applications-caption")


def test_html_table4_has_the_official_spans(haidian_outputs: dict[str, bytes]) -> None:
    tree = parse(haidian_outputs["html"].decode("utf-8"))
    (table,) = tree.find("table", id="table-review-litigation")
    grid = _html_grid(table, tree)
    assert grid[0] == ["行政复议"] * 5 + ["行政诉讼"] * 10
    assert grid[1][:5] == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    assert grid[1][5:] == ["未经复议直接起诉"] * 5 + ["复议后起诉"] * 5
    assert grid[2][:5] == grid[1][:5]  # the five 行政复议 labels span rows 2-3
    assert grid[2][5:10] == grid[2][10:] == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    assert grid[3] == HAIDIAN_TABLE4


def test_html_value_cells_carry_every_model_figure(
    haidian: AnnualReport, haidian_outputs: dict[str, bytes]
) -> None:
    tree = parse(haidian_outputs["html"].decode("utf-8"))
    shown = {
        td["attrs"]["data-field"]: td["text"]
        for td in tree.find("td")
        if "data-field" in td["attrs"]
    }
    expected = {
        c.path: str(value_at(haidian, c.path)) for c in cells("2021") if c.table != "信息处理费"
    }
    assert shown == expected


def test_html_every_th_has_a_scope_and_tables_have_thead(haidian_outputs: dict[str, bytes]) -> None:
    tree = parse(haidian_outputs["html"].decode("utf-8"))
    assert all(
        th["attrs"].get("scope") in ("col", "colgroup", "row", "rowgroup") for th in tree.find("th")
    )
    assert len(tree.find("thead")) == 3 and len(tree.find("caption")) == 3


def test_html_fragment_has_no_document_wrapper(haidian_outputs: dict[str, bytes]) -> None:
    fragment = haidian_outputs["html-fragment"].decode("utf-8")
    assert not re.search(r"<(html|head|body)[\s>]", fragment)
    assert fragment.startswith("<style>")
    assert '<article class="hdgov-report" lang="zh-CN"' in fragment
    css = fragment[: fragment.index("</style>")]
    selectors = [s.strip() for s in re.findall(r"(?m)^([^{}\n]*)\{", css)]
    rules = [s for s in selectors if not s.startswith("@")]
    assert rules and all(
        part.strip().startswith(".hdgov-report") for s in rules for part in s.split(",")
    )


def test_html_and_pdf_are_deterministic(haidian: AnnualReport) -> None:
    first, _ = render(haidian, ("html", "pdf"), allow_errors=True)
    second, _ = render(haidian, ("html", "pdf"), allow_errors=True)
    assert first["html"] == second["html"]
    assert first["pdf"] == second["pdf"]


def test_unverified_build_carries_the_notice(
    haidian_outputs: dict[str, bytes], tmp_path: Path
) -> None:
    tree = parse(haidian_outputs["html"].decode("utf-8"))
    (alert,) = [e for e in tree.elements if e["attrs"].get("role") == "alert"]
    message = "复议后起诉：总计填报为 42，但结果维持、结果纠正、其他结果、尚未审结之和为 45"
    # the banner says what failed in words; the rule code stays out of the text
    assert "校验未通过" in alert["text"] and message in alert["text"]
    assert "T4-sum" not in alert["text"] and alert["attrs"]["data-rules"] == "T4-sum"
    text = pdftotext(haidian_outputs["pdf"], tmp_path)
    pages = text.split("\f")[:-1]
    assert len(pages) >= 4
    for page in pages:
        squashed = re.sub(r"\s+", "", page)
        assert "校验未通过" in page and re.sub(r"\s+", "", message) in squashed
        assert "T4-sum" not in page


def test_unverified_pdf_lays_the_watermark_under_every_page_as_outlines(
    haidian_outputs: dict[str, bytes], clean_pdf: bytes
) -> None:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(haidian_outputs["pdf"])) as pdf:
        for page in pdf.pages:
            # the same glyph outlines on every page, about the middle of the page
            shapes = [c for c in page.curves if c["fill"]]
            assert len(shapes) >= 15, page.page_number
            middle = sum((c["x0"] + c["x1"]) / 2 for c in shapes) / len(shapes)
            assert abs(middle - page.width / 2) < 30 * MM
            # and nothing paints over it: no filled box as large as the text block
            assert not [
                r for r in page.rects if r["fill"] and r["width"] * r["height"] > 150 * 200 * MM**2
            ]
            # … never text: 校验未通过 is written only where the notice sentence follows it
            # (the notice at the page top, the note under a table)
            text = re.sub(r"\s", "", page.extract_text())
            assert text.count("校验未通过") == text.count("校验未通过本报告未通过") >= 1
    with pdfplumber.open(io.BytesIO(clean_pdf)) as pdf:
        assert all(not page.curves for page in pdf.pages)


# ------------------------------------------------------------------ safety

HOSTILE = [
    '<img src="file:///etc/passwd">',
    "详见 http://127.0.0.1:9/leak.png 与 https://example.com/x",
    '<style>@import url("http://127.0.0.1:9/x.css");</style>',
    "<script>alert(1)</script><a href='file:///etc/hostname'>链接</a>",
]


def test_user_text_is_escaped_and_nothing_is_fetched(clean: AnnualReport, tmp_path: Path) -> None:
    report = replace_at(clean, "overview.intro", tuple(HOSTILE))
    document = build_document(report, check(report))
    html = render_html(document)
    for text in HOSTILE:
        if "<" in text:
            assert text not in html  # never as markup
    assert "&lt;img src=&#34;file:///etc/passwd&#34;&gt;" in html
    assert "<script>" not in html and "<img" not in html and "<a " not in html
    assert (
        ">详见 http://127.0.0.1:9/leak.png 与 https://example.com/x</p>" in html
    )  # a URL is just text
    fetcher = DenyAllFetcher()
    pdf = html_to_pdf(render_html(document, font_mode="pdf"), fetcher=fetcher)
    assert fetcher.refused == []  # nothing was even attempted
    text = pdftotext(pdf, tmp_path, "-raw")
    squashed = re.sub(r"\s+", "", text)
    assert re.sub(r"\s+", "", '<img src="file:///etc/passwd">') in squashed  # printed as text
    assert "root:x:0:0" not in text


def test_the_pdf_engine_refuses_every_url_even_in_raw_markup() -> None:
    fetcher = DenyAllFetcher()
    html_to_pdf(
        '<html><head><style>@import url("http://127.0.0.1:9/a.css");</style>'
        '<link rel="stylesheet" href="file:///etc/hostname"></head>'
        '<body><p>正文</p><img src="file:///etc/passwd"><img src="http://127.0.0.1:9/b.png"></body></html>',
        fetcher=fetcher,
    )
    assert set(fetcher.refused) == {
        "http://127.0.0.1:9/a.css",
        "file:///etc/hostname",
        "file:///etc/passwd",
        "http://127.0.0.1:9/b.png",
    }


# ------------------------------------------------------------------ PDF


def test_pdf_text_holds_headings_row_labels_and_figures_in_order(
    haidian: AnnualReport, haidian_outputs: dict[str, bytes], tmp_path: Path
) -> None:
    text = re.sub(r"\s+", "", pdftotext(haidian_outputs["pdf"], tmp_path, "-raw"))
    position = 0
    expected = [haidian.title.replace("年政府信息公开", "年政府信息公开"), *SECTIONS[:2]]
    for needle in expected:
        found = text.find(needle, position)
        assert found >= 0, needle
        position = found
    t3 = text.find(SECTIONS[2])
    assert t3 > position
    position = t3
    for label in TABLE3_ROWS_2021:
        leaf = label.rpartition("/")[2]
        found = text.find(leaf, position)
        assert found >= 0, leaf
        position = found
    for section in SECTIONS[3:]:
        found = text.find(section, position)
        assert found >= 0, section
        position = found
    figures = " ".join(pdftotext(haidian_outputs["pdf"], tmp_path, "-layout").split())
    for seq in (
        "1448 60 2 2 1 8 1521",
        "817 38 0 0 2 1 858",
        "1448 59 2 2 2 8 1521",
        "66739",
        "21898",
        "19656.3836",
    ):
        assert seq in figures, seq
    assert "67 15 7 36 125 39 1 13 32 85 26 0 0 19 42" in figures


def test_pdf_fonts_are_embedded_cjk_faces_only(clean_pdf: bytes, tmp_path: Path) -> None:
    path = tmp_path / "f.pdf"
    path.write_bytes(clean_pdf)
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = out.splitlines()[2:]
    assert rows
    chosen = {fonts.resolve().family(role).replace(" ", "-") for role in fonts.PREFERENCES}
    for row in rows:
        name, emb = row.split()[0], row.split()[-5]
        assert emb == "yes", row
        assert any(face in name for face in chosen), row
        assert "DejaVu" not in name


def test_pdf_is_tagged_a4_with_metadata(clean_pdf: bytes, tmp_path: Path) -> None:
    path = tmp_path / "m.pdf"
    path.write_bytes(clean_pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Title:\s+北京市海淀区人民政府2022年政府信息公开工作年度报告", info)
    assert re.search(r"Author:\s+北京市海淀区人民政府", info)
    assert re.search(r"Tagged:\s+yes", info)
    assert "595.276 x 841.89 pts (A4)" in info
    import io

    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser

    catalog = PDFDocument(PDFParser(io.BytesIO(clean_pdf))).catalog
    assert catalog["Lang"] == b"zh-CN"
    assert "Outlines" in catalog  # headings become bookmarks


def test_pdf_pages_keep_everything_inside_the_gbt9704_text_block(clean_pdf: bytes) -> None:
    import io

    import pdfplumber

    left, right = 28 * MM, (210 - 26) * MM
    top, bottom = 37 * MM, (297 - 35) * MM
    with pdfplumber.open(io.BytesIO(clean_pdf)) as pdf:
        assert len(pdf.pages) >= 4
        for number, page in enumerate(pdf.pages, 1):
            tol = 1.0
            body = [c for c in page.chars if top - tol <= c["top"] < bottom]
            footer = "".join(c["text"] for c in page.chars if c["top"] >= bottom)
            # the top margin holds nothing but 续表 over a table going on from the page before,
            # flush right just above the text block
            mark = [c for c in page.chars if c["top"] < top - tol]
            assert "".join(c["text"] for c in mark) in ("", "续表"), number
            if mark:
                assert abs(mark[-1]["x1"] - right) < tol and top - 6 * MM < mark[0]["top"]
            assert body
            assert min(c["x0"] for c in body) >= left - tol
            assert max(c["x1"] for c in body) <= right + tol
            for line in page.lines + page.rects:
                assert line["x0"] >= left - tol and line["x1"] <= right + tol
                assert line["top"] >= top - tol and line["bottom"] <= bottom + tol
            # page number "— N —", outer side, about 7 mm below the text block
            assert footer.replace(" ", "") == f"—{number}—"
            digits = [c for c in page.chars if c["top"] >= bottom and c["text"].isdigit()]
            if number % 2:
                assert digits[0]["x0"] > 105 * MM  # odd pages: right
            else:
                assert digits[-1]["x1"] < 105 * MM  # even pages: left
            assert bottom + 4 * MM < digits[0]["top"] < bottom + 14 * MM


def test_pdf_body_text_is_16pt_with_the_official_line_pitch(clean_pdf: bytes) -> None:
    import io

    import pdfplumber

    with pdfplumber.open(io.BytesIO(clean_pdf)) as pdf:
        page = pdf.pages[1]
        sizes = [round(c["size"]) for c in page.chars]
        assert max(set(sizes), key=sizes.count) == 16
        body_face = fonts.resolve().family("body").replace(" ", "-")
        tops = sorted(
            {
                round(c["top"], 1)
                for c in page.chars
                if round(c["size"]) == 16 and body_face in c["fontname"]
            }
        )
        gaps = [b - a for a, b in itertools.pairwise(tops) if 20 < b - a < 40]
        assert gaps and all(abs(g - 28.95) < 0.6 for g in gaps)
        title = [c for c in pdf.pages[0].chars if round(c["size"]) == 22]
        assert title  # 2号 title


# ------------------------------------------------------------------ build policy, atomic writes


def test_build_refuses_a_report_with_errors_and_writes_nothing(
    haidian: AnnualReport, tmp_path: Path
) -> None:
    with pytest.raises(BuildRefused) as info:
        build(haidian, ("html", "pdf"), tmp_path)
    assert info.value.result.failed_rules == ("T4-sum",)
    assert list(tmp_path.iterdir()) == []


def test_a_failed_build_leaves_the_previous_files_untouched(
    clean: AnnualReport, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = build(clean, ("html", "pdf"), tmp_path)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert set(before) == {"report.html", "report.pdf"}

    def broken(document: object) -> bytes:
        raise RuntimeError("磁盘已满")

    monkeypatch.setitem(FORMATS, "pdf", (".pdf", broken))
    changed = attrs.evolve(clean, opening=("改过的开头。",))
    with pytest.raises(RuntimeError):
        build(changed, ("html", "pdf"), tmp_path)
    after = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert after == before  # neither file replaced, no temporary file left
    assert built.outputs["html"].read_bytes() == before["report.html"]


def test_cli_build_policy(tmp_path: Path) -> None:
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [
                sys.executable,
                "-m",
                "hdgovreport",
                "build",
                str(HAIDIAN),
                "--out",
                str(tmp_path),
                *args,
            ],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=120,
        )

    refused = run()
    assert refused.returncode == 1
    assert "错误 T4-sum" in refused.stdout and "--allow-errors" in refused.stderr
    assert list(tmp_path.iterdir()) == []
    allowed = run("--allow-errors", "--to", "html,pdf,html-fragment")
    assert allowed.returncode == 0, allowed.stderr
    assert {p.name for p in tmp_path.iterdir()} == {
        "report.html",
        "report.pdf",
        "report.fragment.html",
    }
    assert "校验未通过" in allowed.stderr
    bad = run("--to", "html,odt")
    assert bad.returncode == 2 and "不支持的格式：odt" in bad.stderr


# ------------------------------------------------------------------ fonts


def _face(family: str, *names: str, weight: int = 400) -> Any:
    from hdgovreport.render.fontscan import Face

    return Face(
        family=family,
        names=frozenset({family, *names}),
        path=f"/fonts/{family}-{weight}.ttf",
        index=0,
        weight=weight,
        chinese=True,
    )


def test_fonts_prefer_official_faces_by_any_name_and_a_bold_title(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    faces = (
        _face("FangSong_GB2312", "仿宋_GB2312"),  # found by its Chinese name
        _face("Noto Serif CJK SC"),
        _face("Noto Serif CJK SC", "Noto Serif CJK SC Bold", weight=700),
        _face("STKaiti", "华文楷体"),
    )
    monkeypatch.setattr(fonts, "chinese_faces", lambda: faces)
    chosen = fonts.resolve()
    assert chosen.choices["body"].family == "仿宋_GB2312"
    assert chosen.choices["body"].tier == "official"
    assert (chosen.choices["heading2"].family, chosen.choices["heading2"].tier) == (
        "STKaiti",
        "macos",
    )
    # the title is the *bold* Song, never the regular weight
    title = chosen.choices["title"]
    assert (title.family, title.tier, title.weight) == ("Noto Serif CJK SC", "free", 700)
    assert chosen.choices["table"].weight == 400


def test_without_a_bold_song_the_title_never_takes_the_regular_weight(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    faces = (_face("Noto Serif CJK SC"), _face("Noto Sans CJK SC"))
    monkeypatch.setattr(fonts, "chinese_faces", lambda: faces)
    assert fonts.resolve().choices["title"].tier == "other"


def test_no_cjk_font_stops_with_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fonts, "chinese_faces", lambda: ())
    with pytest.raises(FontError, match="fonts-noto-cjk"):
        fonts.resolve()


def test_measured_free_faces_coverage_and_balance() -> None:
    """Free faces are measured: GB 2312 coverage for the body, ink and size for 楷体."""
    chosen = fonts.resolve()
    body = chosen.face("body")
    assert body is not None and fonts.coverage(body) > 0.99
    kai = chosen.choices["heading2"]
    if kai.tier == "free":  # Debian: LXGW WenKai (fonts-lxgw-wenkai) balances better than UKai
        ukai = [f for f in fonts.chinese_faces() if f.named("AR PL UKai CN")]
        assert kai.face is not None and body is not None
        for other in ukai:
            assert fonts.balance(kai.face, body) <= fonts.balance(other, body)


def test_font_scan_reads_names_in_every_language_from_a_folder(tmp_path: Path) -> None:
    from hdgovreport.render.fontscan import scan

    sources = sorted(Path("/usr/share/fonts").rglob("*.tt[cf]")) + sorted(
        Path("/usr/share/fonts").rglob("*.otf")
    )
    if not sources:
        pytest.skip("no system fonts to copy")
    nested = tmp_path / "Fonts" / "sub"
    nested.mkdir(parents=True)
    for i, source in enumerate(sources):
        (nested / f"{i}-{source.name}").symlink_to(source)
    (tmp_path / "Fonts" / "broken.ttf").write_bytes(b"not a font")
    faces = scan((tmp_path / "Fonts",))
    installed = {f.path for f in faces}
    assert len(installed) >= len(sources) - 1
    names = {n for f in faces for n in f.names}
    if any("wenkai" in s.name.lower() for s in sources):
        assert {"LXGW WenKai", "霞鹜文楷"} <= names
    if any("NotoSerifCJK-Bold" in s.name for s in sources):
        bold = [f for f in faces if f.named("Noto Serif CJK SC") and f.weight == 700]
        assert bold and bold[0].chinese


def test_font_scan_is_kept_across_processes_per_file_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hdgovreport.render import fontscan

    sources = sorted(Path("/usr/share/fonts").rglob("*.ttf"))[:3]
    if not sources:
        pytest.skip("no system fonts to copy")
    folder = tmp_path / "Fonts"
    folder.mkdir()
    for source in sources:
        (folder / source.name).write_bytes(source.read_bytes())
    monkeypatch.setenv("HDGOV_CACHE_DIR", str(tmp_path / "cache"))

    def fresh_process() -> tuple[fontscan.Face, ...]:
        fontscan.scan.cache_clear()
        fontscan.font_cache.cache_clear()
        return fontscan.scan((folder,))

    try:
        first = fresh_process()
        assert len(first) >= len(sources) and (tmp_path / "cache" / "fonts.json").is_file()
        read: list[Path] = []
        real = fontscan._faces_in
        monkeypatch.setattr(fontscan, "_faces_in", lambda path: read.append(path) or real(path))
        assert fresh_process() == first and read == []  # nothing opened: all from the cache
        changed = folder / sources[0].name
        os.utime(changed, ns=(1_000_000_000, 1_000_000_000))
        assert fresh_process() == first and read == [changed]  # a changed file is read again
        (tmp_path / "cache" / "fonts.json").write_text("{not json", "utf-8")
        assert fresh_process() == first  # a damaged cache is ignored (and rewritten)
        monkeypatch.setenv("HDGOV_CACHE_DIR", str(changed))  # a file, not a folder: unusable
        assert fresh_process() == first
    finally:  # the next test scans with its own settings
        fontscan.scan.cache_clear()
        fontscan.font_cache.cache_clear()


def test_doctor_finds_the_debian_faces_without_fc_list(tmp_path: Path) -> None:
    """No fontconfig tools on PATH (Windows, macOS, a bare Linux): the folders are scanned."""
    bare = tmp_path / "bin"
    bare.mkdir()
    env = {
        "PATH": str(bare),
        "HOME": str(tmp_path),
        "HDGOV_FONT_DIRS": "/usr/share/fonts",
        "PYTHONPATH": str(ROOT),
    }
    out = subprocess.run(
        [sys.executable, "-m", "hdgovreport", "doctor"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert shutil.which("fc-list", path=str(bare)) is None
    assert "标题：Noto Serif CJK SC，粗体" in out.stdout
    assert "正文：Noto Serif CJK SC" in out.stdout and "/usr/share/fonts/" in out.stdout


def test_cli_without_any_cjk_font_exits_2_with_advice(tmp_path: Path) -> None:
    env = {"HDGOV_FONT_DIRS": str(tmp_path), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "hdgovreport",
            "build",
            str(HAIDIAN),
            "--allow-errors",
            "--to",
            "pdf",
            "--out",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )
    assert out.returncode == 2
    assert "fonts-noto-cjk" in out.stderr and "Traceback" not in out.stderr
    doctor = subprocess.run(
        [sys.executable, "-m", "hdgovreport", "doctor"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
    )
    assert doctor.returncode == 2 and "fonts-noto-cjk" in doctor.stdout


def test_doctor_lists_each_role() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "hdgovreport", "doctor"], capture_output=True, text=True, cwd=ROOT
    )
    assert out.returncode == 0
    for role in ("标题", "正文", "一级标题", "二级标题", "表格与页码"):
        assert f"\n{role}：" in out.stdout
    assert "HarfBuzz" in out.stdout or "harfbuzz" in out.stdout


# ------------------------------------------------------------------ phone


@pytest.mark.parametrize("width", [375, 1280])
def test_html_page_fits_the_screen_and_tables_scroll_in_their_box(
    haidian_outputs: dict[str, bytes], tmp_path: Path, width: int, browser: Any
) -> None:
    page_file = tmp_path / "report.html"
    page_file.write_bytes(haidian_outputs["html"])
    page = browser.new_page(viewport={"width": width, "height": 900})
    try:
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(page_file.as_uri())
        scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert scroll <= inner
        wraps = page.evaluate(
            "[...document.querySelectorAll('.table-wrap')].map(w => [w.scrollWidth, w.clientWidth, getComputedStyle(w).overflowX])"
        )
        assert all(o == "auto" for _s, _c, o in wraps)
        if width == 375:
            assert any(s > c for s, c, _o in wraps)  # the wide tables scroll inside their own box
        page.screenshot(path=str(tmp_path / f"page-{width}.png"))
        assert errors == []
        assert requests == [page_file.as_uri()]
    finally:
        page.close()


def test_compiled_templates_are_cached_across_processes(tmp_path: Path) -> None:
    """A second process loads the compiled templates from the user cache; the page is the same,
    and a damaged, foreign or unusable cache only means compiling again."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "import hdgovreport as hg\n"
        "from hdgovreport.render.html import environment\n"
        "from hdgovreport.document import build_document\n"
        "from hdgovreport.render.html import render_html\n"
        "r = hg.load_report(sys.argv[1])\n"
        "sys.stdout.write(render_html(build_document(r, hg.check(r))))\n"
        "sys.stderr.write(repr(environment().bytecode_cache is not None))\n"
    )
    example = str(ROOT / "examples" / "haidian-2022" / "report.yaml")

    def page(cache: Path | str) -> tuple[str, str]:
        env = {**os.environ, "HDGOV_CACHE_DIR": str(cache)}
        done = subprocess.run(
            [sys.executable, "-c", script, example], capture_output=True, env=env, check=True
        )
        return done.stdout.decode("utf-8"), done.stderr.decode("utf-8")

    cache = tmp_path / "cache"
    first, used = page(cache)
    compiled = sorted((cache / "templates").glob("__jinja2_*.cache"))
    assert used == "True" and len(compiled) >= 2
    stamps = [p.stat().st_mtime_ns for p in compiled]
    assert page(cache) == (first, "True")
    assert [p.stat().st_mtime_ns for p in compiled] == stamps  # loaded, not written again
    for p in compiled:
        p.write_bytes(b"damaged")
    assert page(cache)[0] == first  # compiled again, same page
    assert page("")[0] == first  # no cache at all
    if os.name == "posix":
        shared = tmp_path / "shared"
        (shared / "templates").mkdir(parents=True)
        (shared / "templates").chmod(0o777)  # others could plant code there: not used
        assert page(shared) == (first, "False")
        assert not list((shared / "templates").iterdir())
