"""Published files at and past the limits: a clear unreadable reason or a reading note, never an
internal error, a hang or unbounded memory (issue 14's items for published files)."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT

from hdgovreport.published import UnreadableError, read_any, read_published, read_published_bytes
from hdgovreport.published import limits as L

FIXTURES = ROOT / "tests" / "fixtures" / "published"
SEED = FIXTURES / "haidian-2022.txt"
LONG = "9" * 5000  # more digits than Python converts (4,300) and than any cell may have


def _long_number_note(result: object, path: str) -> None:
    notes = [n for n in result.notes if n.level == "warning" and "5000 位的数" in n.message]  # type: ignore[attr-defined]
    assert notes, [n.message for n in result.notes]  # type: ignore[attr-defined]
    assert result.printed[path] == LONG  # type: ignore[attr-defined]


def test_a_count_of_5000_digits_in_a_text_cell(tmp_path: Path) -> None:
    lines = SEED.read_text("utf-8").split("\n")
    assert lines[113] == "\t1448"  # 一、本年新收 · 自然人
    lines[113] = "\t" + LONG
    path = tmp_path / "long.txt"
    path.write_text("\n".join(lines), "utf-8")
    result = read_published(path)
    assert result.report.applications.new_received.natural_person == 0
    _long_number_note(result, "applications.new_received.natural_person")


def test_a_count_of_5000_digits_in_a_web_page_and_a_word_cell(tmp_path: Path) -> None:
    page = (FIXTURES / "site-2020.html").read_text("utf-8")
    cell = '<span style="font-size:12pt">1630</span>'  # 行政许可 · 处理决定数量
    assert cell in page
    result = read_published_bytes(page.replace(cell, cell.replace("1630", LONG)).encode(), "x.html")
    _long_number_note(result, "proactive.licensing.decisions")

    import docx

    document = docx.Document(str(FIXTURES / "word-2023.docx"))
    hits = [c for t in document.tables for r in t.rows for c in r.cells if c.text == "4021"]
    for cell_ in hits:
        cell_.paragraphs[0].runs[0].text = LONG
    out = io.BytesIO()
    document.save(out)
    result = read_published_bytes(out.getvalue(), "x.docx")
    _long_number_note(result, "proactive.licensing")


def test_a_section_of_101_subsections_and_points(tmp_path: Path) -> None:
    from hdgovreport.form.numbering import chinese_numeral

    text = SEED.read_text("utf-8")
    head = "五、存在的主要问题及改进情况\n"
    start = text.index(head) + len(head)
    end = text.index("六、其他需要报告的事项")
    subs = "".join(
        f"（{chinese_numeral(i)}）第{i}项工作\n{chinese_numeral(1)}是做好第{i}项工作。\n"
        for i in range(1, 102)
    )
    points = "".join(f"{chinese_numeral(i)}是第{i}个要点。\n" for i in range(1, 105))
    path = tmp_path / "many.txt"
    path.write_text(text[:start] + subs + "（一百零二）要点很多\n" + points + text[end:], "utf-8")
    result = read_published(path)
    problems = result.report.problems
    assert len(problems.subsections) == 102
    assert problems.subsections[100].title == "第101项工作"
    assert len(problems.subsections[101].content) == 104
    assert not any(
        "编号" in n.message
        for n in result.notes
        if n.source and n.source.line and n.source.line > 430
    )


def _docx_with(document_xml: bytes, path: Path, level: int = 6) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", document_xml)
    return path


def _body(size: int) -> bytes:
    """A document.xml of about ``size`` bytes that compresses like real text (ratio ≈ 5)."""
    import random

    rng = random.Random(14)
    words = ["政务", "公开", "申请", "答复", "条例", "报告", "信息", "办理", "年度", "工作", "依法"]
    chunk = "".join(
        f"<w:p><w:r><w:t>{''.join(rng.choice(words) for _ in range(30))}{rng.randrange(10**6)}</w:t></w:r></w:p>"
        for _ in range(2500)
    ).encode()
    head = (
        b'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats'
        b'.org/wordprocessingml/2006/main"><w:body>'
    )
    return head + chunk * max(1, size // len(chunk)) + b"</w:body></w:document>"


def test_a_60_mb_document_xml_is_refused_with_the_limit_named(tmp_path: Path) -> None:
    path = _docx_with(_body(60 * L.MB), tmp_path / "big.docx", level=1)
    assert path.stat().st_size < L.MAX_BYTES["docx"]  # small enough as a file
    with pytest.raises(UnreadableError) as info:
        read_published(path)
    assert (
        f"上限 {L.size_text(L.MAX_PART)}" in info.value.reason
        and "document.xml" in info.value.reason
    )


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="peak memory from /proc")
def test_a_large_accepted_document_is_parsed_incrementally(tmp_path: Path) -> None:
    """Memory is bounded by one paragraph or table, not by the part (measured in a child)."""
    path = _docx_with(_body(4 * L.MB), tmp_path / "mid.docx")
    # VmHWM is this process's own peak (ru_maxrss would carry over the forking pytest's)
    code = (
        "import sys\n"
        "from hdgovreport.published import read_published, UnreadableError\n"
        "try:\n    read_published(sys.argv[1])\nexcept UnreadableError as e:\n    print(e.reason)\n"
        "peak = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0]\n"
        "print(int(peak.split()[1]) // 1024)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    *_reason, peak = out.stdout.strip().split("\n")
    assert int(peak) < 300, out.stdout  # megabytes


def test_a_forged_member_size_does_not_inflate_past_the_limit(tmp_path: Path) -> None:
    path = _docx_with(
        b"<w:document>" + b"x" * (L.MAX_PART + 4096) + b"</w:document>", tmp_path / "f.docx"
    )
    data = bytearray(path.read_bytes())
    # write a small uncompressed size into both headers of document.xml
    real = (L.MAX_PART + 4096 + 25).to_bytes(4, "little")
    for m in re.finditer(re.escape(real), bytes(data)):
        data[m.start() : m.end()] = (1000).to_bytes(4, "little")
    with pytest.raises(UnreadableError) as info:
        read_published_bytes(bytes(data), "forged.docx")
    assert (
        "document.xml" in info.value.reason
        or "压缩" in info.value.reason
        or "损坏" in info.value.reason
    )


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_a_doctype_in_another_encoding_is_refused(tmp_path: Path, encoding: str) -> None:
    xml = (
        f'<?xml version="1.0" encoding="{encoding.upper()}"?><!DOCTYPE w [<!ENTITY a "aaaa">]>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>&a;</w:t></w:r></w:p></w:body></w:document>"
    )
    path = _docx_with(xml.encode(encoding), tmp_path / "u.docx")
    with pytest.raises(UnreadableError, match="DTD"):
        read_published(path)


def test_an_over_long_paragraph_is_the_limit_error_naming_the_file_and_line(tmp_path: Path) -> None:
    lines = SEED.read_text("utf-8").split("\n")
    lines[9] = "长" * (L.MAX_PARAGRAPH + 1)
    path = tmp_path / "long-paragraph.txt"
    path.write_text("\n".join(lines), "utf-8")
    with pytest.raises(UnreadableError) as info:
        read_published(path)
    message = str(info.value)
    assert str(path) in message and ":10" in message
    assert f"上限为 {L.MAX_PARAGRAPH} 字" in message
    assert "notes[" not in message and "intro" not in message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_fifo_is_refused_before_it_is_opened(tmp_path: Path) -> None:
    fifo = tmp_path / "report.txt"
    os.mkfifo(fifo)
    for reader in (read_published, read_any):
        with pytest.raises(UnreadableError, match="命名管道"):
            reader(fifo)


def test_a_file_over_its_shapes_limit_names_that_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    with path.open("wb") as handle:
        handle.truncate(L.MAX_BYTES["text"] + 1)
    with pytest.raises(UnreadableError) as info:
        read_published(path)
    assert f"文本文件的上限为 {L.size_text(L.MAX_BYTES['text'])}" in info.value.reason


def test_the_documented_limits_are_the_limits() -> None:
    doc = (ROOT / "docs" / "reading.md").read_text("utf-8")
    sizes = {"text": "文本", "html": "网页", "docx": "Word", "pdf": "PDF"}
    for fmt, name in sizes.items():
        assert f"{name} {L.size_text(L.MAX_BYTES[fmt])}" in doc, fmt
    for number in (
        f"{L.TIME_LIMIT:g} 秒",
        f"{L.MAX_PAGES} 页",
        f"{L.MAX_PARAGRAPH} 字",
        f"{L.MAX_NUMBER_DIGITS} 位",
        f"{L.size_text(L.MAX_PART)}",
        f"{L.MAX_MEMBERS} 个",
    ):
        assert number in doc, number
