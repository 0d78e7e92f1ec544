"""Awkward published shapes, written for these tests (``fixtures/published/make.py``).

Each fixture's truth is a data file beside it; reading the published shape must give
exactly that report, and say what it tolerated.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT

from hdgovreport import load_report
from hdgovreport.published import read_published

FIXTURES = ROOT / "tests" / "fixtures" / "published"


def _messages(read: object) -> list[str]:
    return [n.message for n in read.notes]  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", ["word-2023.docx", "word-2023.pdf"])
def test_word_style_report_and_its_libreoffice_pdf(name: str) -> None:
    read = read_published(FIXTURES / name)
    expected = load_report(FIXTURES / "word-2023.expected.yaml")
    assert read.report == expected
    messages = _messages(read)
    # near-misses are read, and said
    assert any("“规范性文件”按“行政规范性文件”读入" in m for m in messages)
    assert any("其他法律行政止公开" in m and "近似匹配" in m for m in messages)
    assert "2021" in read.edition_evidence


def test_word_fixture_cells_point_at_tables_rows_and_columns() -> None:
    read = read_published(FIXTURES / "word-2023.docx")
    source = read.sources["review_litigation.litigation_after_review.pending"]
    assert source.detail == "第4个表格第4行第14格"
    source = read.sources["applications.unavailable_not_held.total"]
    assert "第2个表格" in source.detail or "第3个表格" in source.detail


def test_libreoffice_pdf_cells_have_pages() -> None:
    read = read_published(FIXTURES / "word-2023.pdf")
    assert all(s.page for p, s in read.sources.items() if p.startswith("applications."))


def test_scanned_pdf_without_text_is_unreadable(tmp_path: Path) -> None:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument.new()
    doc.new_page(595, 842)
    path = tmp_path / "scan.pdf"
    doc.save(str(path))
    from hdgovreport.published import UnreadableError

    with pytest.raises(UnreadableError, match="没有文字层"):
        read_published(path)


@pytest.mark.parametrize(
    ("name", "truth"),
    [
        ("site-2020.html", "site-2020.expected.yaml"),
        ("extract-2022.txt", "extract-2022.expected.yaml"),
        ("copy-2021.txt", "copy-2021.expected.yaml"),
    ],
)
def test_awkward_shapes_read_to_their_truth(name: str, truth: str) -> None:
    read = read_published(FIXTURES / name)
    assert read.report == load_report(FIXTURES / truth)


def test_government_site_page_in_the_2019_edition() -> None:
    read = read_published(FIXTURES / "site-2020.html")
    assert read.report.edition == "2019"
    assert "2019 试行版" in read.edition_evidence
    assert read.report.applications.other_handling is not None  # the single row （六）其他处理
    assert str(read.report.meta.published) == "2021-01-29"  # from the page's PubDate
    messages = _messages(read)
    assert any("页脚" in m for m in messages)
    assert any("发布信息" in m for m in messages)


def test_extractor_text_split_cell_gets_a_merge_hint_not_a_correction() -> None:
    from hdgovreport import check
    from hdgovreport.published import merge_hints

    read = read_published(FIXTURES / "extract-2022.txt")
    row = read.report.applications.withheld_third_party
    assert (row.natural_person, row.commercial, row.total) == (1, 2, 12)  # kept as printed
    result = merge_hints(check(read.report).located(read.sources), read.report)
    (t3_row,) = [f for f in result.errors if f.code == "T3-row"]
    assert t3_row.hint is not None and "12" in t3_row.hint and "没有改动" in t3_row.hint
    assert t3_row.location.source is not None and t3_row.location.source.line == 38
    # the wrapped label （二）部分公开… over two lines, the spaced vertical label, page numbers
    assert read.report.applications.partially_granted.total == 4
    assert any("页码" in m for m in _messages(read))


def test_copied_page_with_single_other_row_and_blank_total_column() -> None:
    read = read_published(FIXTURES / "copy-2021.txt")
    messages = _messages(read)
    assert any("只印了一行" in m for m in messages)
    assert any("整列为空" in m for m in messages)
    assert any("“3、”" in m for m in messages)
    assert read.report.applications.other_misc.total == 3  # type: ignore[union-attr]


# ---------------------------------------------------------------- hostile files


def _docx_with(document_xml: bytes, tmp_path: Path, name: str = "x.docx") -> Path:
    import zipfile

    path = tmp_path / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", document_xml)
    return path


def test_docx_with_entities_is_refused(tmp_path: Path) -> None:
    from hdgovreport.published import UnreadableError

    xxe = (
        b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">'
        b'<!ENTITY x SYSTEM "file:///etc/passwd">]><w:document xmlns:w="http://schemas.openxml'
        b'formats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&b;&x;</w:t></w:r></w:p>'
        b"</w:body></w:document>"
    )
    with pytest.raises(UnreadableError, match="DTD"):
        read_published(_docx_with(xxe, tmp_path))


def test_docx_zip_bomb_is_refused(tmp_path: Path) -> None:
    from hdgovreport.published import UnreadableError

    bomb = b"<w:document>" + b" " * (20 * 1024 * 1024) + b"</w:document>"  # 20 MB → 20 KB
    with pytest.raises(UnreadableError, match="压缩比异常"):
        read_published(_docx_with(bomb, tmp_path))
    huge = b"<w:document>" + b" " * (40 * 1024 * 1024) + b"</w:document>"
    with pytest.raises(UnreadableError, match="过大"):
        read_published(_docx_with(huge, tmp_path, "huge.docx"))


def test_corrupt_docx_and_pdf_are_unreadable(tmp_path: Path) -> None:
    from hdgovreport.published import UnreadableError

    docx = tmp_path / "bad.docx"
    docx.write_bytes((FIXTURES / "word-2023.docx").read_bytes()[:3000])
    pdf = tmp_path / "bad.pdf"
    pdf.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 50)
    for path in (docx, pdf):
        with pytest.raises(UnreadableError):
            read_published(path)


@pytest.mark.parametrize("declared", [True, False])
def test_gbk_web_page_with_or_without_a_declared_charset(tmp_path: Path, declared: bool) -> None:
    text = (FIXTURES / "site-2020.html").read_text("utf-8")
    meta = '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
    text = text.replace(meta, meta.replace("utf-8", "gb2312") if declared else "")
    path = tmp_path / "gbk.html"
    path.write_bytes(text.encode("gb18030"))
    assert read_published(path).report == load_report(FIXTURES / "site-2020.expected.yaml")


def test_word_automatic_numbering_is_printed_before_headings_and_points(tmp_path: Path) -> None:
    """Word users number headings with automatic numbering: the numbers are not in the text."""
    import io

    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    from hdgovreport.published import read_published_bytes

    source = (FIXTURES / "word-2023.docx").read_bytes()
    d = docx.Document(io.BytesIO(source))
    numbering = d.part.numbering_part.element
    numbering.append(
        parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">'
            '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
            '<w:lvlText w:val="%1、"/></w:lvl>'
            '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
            '<w:lvlText w:val="（%2）"/></w:lvl></w:abstractNum>'
        )
    )
    numbering.append(
        parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>')
    )
    for p in d.paragraphs:
        text = p.text
        level = None
        if text[:2] in ("一、", "二、", "三、", "四、", "五、", "六、"):
            level = 0
        elif text.startswith("（") and text[2:3] == "）":
            level = 1
        if level is None:
            continue
        cut = 2 if level == 0 else 3
        for run in p.runs:
            run.text = ""
        p.runs[0].text = text[cut:] if p.runs else ""
        p._p.get_or_add_pPr().append(
            parse_xml(
                f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>'
            )
        )
    out = io.BytesIO()
    d.save(out)
    read = read_published_bytes(out.getvalue(), "auto.docx")
    assert "一、" not in docx.Document(io.BytesIO(out.getvalue())).paragraphs[2].text
    assert read.report == load_report(FIXTURES / "word-2023.expected.yaml")
