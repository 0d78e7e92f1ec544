"""The official edition: HTML and PDF of the Haidian example, in-process and as a whole CLI run.

Baselines in the same run: plain WeasyPrint over the same HTML with the system's
fonts (``pdf_vs_plain``), and LibreOffice converting our DOCX to PDF as a whole
process (``process_vs_libreoffice``: our ``build --to html,pdf,docx`` process over it).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench.run import HAIDIAN, line, process, timed


def run() -> dict[str, Any]:
    import weasyprint

    import hdgovreport as hg
    from hdgovreport.document import build_document
    from hdgovreport.render import fonts
    from hdgovreport.render.docx import render_docx
    from hdgovreport.render.html import render_html
    from hdgovreport.render.pdf import render_pdf

    report = hg.load_report(HAIDIAN)
    document = build_document(report, hg.check(report))
    fontset = fonts.resolve()
    html = render_html(document, font_mode="pdf", fontset=fontset)

    # Baseline: plain WeasyPrint over the same HTML (our CSS, system fonts by name,
    # WeasyPrint's own line breaking), in the same process.
    plain = re.sub(r"@font-face[^}]*}", "", html)
    base = timed(lambda: weasyprint.HTML(string=plain).write_pdf())
    line("baseline: plain WeasyPrint, system fonts", base)

    line("document tree", timed(lambda: build_document(report, hg.check(report))))
    line("HTML page", timed(lambda: render_html(document)), target=0.05)
    pdf_time = timed(lambda: render_pdf(document))
    line(
        "PDF, warm, in-process (grid, subset faces)", pdf_time, target=0.3, baseline=("plain", base)
    )
    size = len(render_pdf(document))
    print(
        f"{'PDF size':<44} {size / 1024:8.0f} KB  target ≤ 195 KB {'ok' if size <= 200_000 else 'MISSED'}"
    )
    out: dict[str, Any] = {
        "pdf_warm_s": round(pdf_time, 4),
        "plain_weasyprint_s": round(base, 4),
        "pdf_vs_plain": round(pdf_time / base, 3),
        "pdf_bytes": size,
    }

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        cli = [sys.executable, "-m", "hdgovreport", "build", str(HAIDIAN), "--allow-errors"]
        whole = process([*cli, "--to", "html,pdf,docx", "--out", str(work / "cli")])
        line("CLI process: build --to html,pdf,docx", whole)
        out["process_s"] = round(whole, 4)
        soffice = shutil.which("soffice") or shutil.which("libreoffice")
        if soffice is None:
            print("LibreOffice 未安装：跳过基线（scripts/setup.sh --test 会安装）")
            return out
        source = work / "report.docx"
        source.write_bytes(render_docx(document))
        convert = [
            soffice,
            "--headless",
            "--norestore",
            f"-env:UserInstallation={(work / 'lo-profile').as_uri()}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work / "lo"),
            str(source),
        ]
        subprocess.run(convert, check=False, capture_output=True)  # first run creates the profile
        office = process(convert)
        line("baseline: LibreOffice DOCX → PDF (process)", office)
        line("  ours over LibreOffice", whole, baseline=("LibreOffice", office))
        out["libreoffice_s"] = round(office, 4)
        out["process_vs_libreoffice"] = round(whole / office, 3)
    return out
