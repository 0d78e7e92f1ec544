"""Reading published reports: text, HTML, DOCX and PDF of the Haidian example, and an audit of 200.

Targets (issue 6): ≤ 50 ms per text or HTML report, ≤ 300 ms per PDF, an audit of 200
reports ≤ 20 s on 2 cores.  The renderings read are our own editions of the Haidian
example, the project's seed text, the LibreOffice PDF of a Word-style fixture, and the
shapes real agencies publish (issue 9): a WPS-style export, a PDF at font size 1 under
scaling matrices with a page turned by /Rotate, one glyph per text object, and a 2019
government page whose title is only in <title>.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

from bench.run import HAIDIAN, ROOT, line, process, timed

FIXTURES = ROOT / "tests" / "fixtures" / "published"


def run() -> None:
    import hdgovreport as hg
    from hdgovreport.document import build_document
    from hdgovreport.published import read_published_bytes
    from hdgovreport.render.docx import render_docx
    from hdgovreport.render.html import render_html
    from hdgovreport.render.pdf import render_pdf

    report = hg.load_report(HAIDIAN)
    document = build_document(report, hg.check(report))
    shapes = {
        "text (the Haidian seed)": ((FIXTURES / "haidian-2022.txt").read_bytes(), "r.txt", 0.05),
        "HTML (our page)": (render_html(document).encode(), "r.html", 0.05),
        "HTML (a government site page)": (
            (FIXTURES / "site-2020.html").read_bytes(),
            "s.html",
            0.05,
        ),
        "DOCX (our edition)": (render_docx(document), "r.docx", None),
        "DOCX (Word-style)": ((FIXTURES / "word-2023.docx").read_bytes(), "w.docx", None),
        "PDF (our edition, WeasyPrint, 6 pages)": (render_pdf(document), "r.pdf", 0.3),
        "PDF (LibreOffice from Word-style DOCX)": (
            (FIXTURES / "word-2023.pdf").read_bytes(),
            "w.pdf",
            0.3,
        ),
        "PDF (WPS-style: scaled page, 259/439-unit text, 4 pages)": (
            (FIXTURES / "wps-2024.pdf").read_bytes(),
            "wps.pdf",
            0.3,
        ),
        "PDF (size 1 under matrices, a turned page, 4 pages)": (
            (FIXTURES / "unit-2023.pdf").read_bytes(),
            "unit.pdf",
            0.3,
        ),
        "PDF (one glyph per text object, 4 pages)": (
            (FIXTURES / "glyph-2023.pdf").read_bytes(),
            "glyph.pdf",
            0.3,
        ),
        "HTML (2019 page, title only in <title>)": (
            (FIXTURES / "site-2019.html").read_bytes(),
            "s19.html",
            0.05,
        ),
    }
    for name, (data, filename, target) in shapes.items():
        seconds = timed(lambda d=data, f=filename: read_published_bytes(d, f), repeat=7)
        line(f"read + interpret: {name}", seconds, target=target)
    check_seconds = timed(lambda: hg.check(report))
    line("check (for comparison)", check_seconds)

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "reports"
        folder.mkdir()
        files = [(data, Path(filename).suffix) for data, filename, _t in shapes.values()]
        for i in range(200):
            data, suffix = files[i % len(files)]
            (folder / f"report-{i:03d}{suffix}").write_bytes(data)
        cli = [sys.executable, "-m", "hdgovreport", "audit", str(folder), "--format", "json"]
        whole = process(cli, repeat=1)
        cores = os.cpu_count()
        line(f"CLI process: audit of 200 mixed reports ({cores} cores)", whole, target=20.0)
        shutil.rmtree(folder)
