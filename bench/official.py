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
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.run import HAIDIAN, line, process, process_cpu, timed


def timed_cpu(func: Callable[[], object], repeat: int = 5) -> float:
    """Least CPU time of ``func`` (this process) over ``repeat`` runs, after one warm-up."""
    func()
    samples = []
    for _ in range(repeat):
        start = time.process_time()
        func()
        samples.append(time.process_time() - start)
    return min(samples)


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
    # WeasyPrint's own line breaking), in the same process, writing what we write: a
    # tagged PDF (pdf_vs_plain). Untagged, it does less work than our output needs
    # (pdf_vs_plain_untagged, for comparison).
    plain = re.sub(r"@font-face[^}]*}", "", html)
    base = timed(lambda: weasyprint.HTML(string=plain).write_pdf(pdf_tags=True))
    line("baseline: plain WeasyPrint, system fonts, tagged", base)
    untagged = timed(lambda: weasyprint.HTML(string=plain).write_pdf())
    line("baseline: the same, untagged", untagged)

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
    cpu = timed_cpu(lambda: render_pdf(document))
    cpu_base = timed_cpu(lambda: weasyprint.HTML(string=plain).write_pdf(pdf_tags=True))
    out: dict[str, Any] = {
        "pdf_warm_s": round(pdf_time, 4),
        "plain_weasyprint_s": round(base, 4),
        "pdf_vs_plain": round(pdf_time / base, 3),
        "pdf_vs_plain_untagged": round(pdf_time / untagged, 3),
        # CPU seconds (least of the runs): steadier than wall time on a shared machine
        "pdf_cpu_s": round(cpu, 4),
        "pdf_vs_plain_cpu": round(cpu / cpu_base, 3),
        "pdf_bytes": size,
    }

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        cli = [sys.executable, "-m", "hdgovreport", "build", str(HAIDIAN), "--allow-errors"]
        whole = process([*cli, "--to", "html,pdf,docx", "--out", str(work / "cli")])
        line("CLI process: build --to html,pdf,docx", whole)
        out["process_s"] = round(whole, 4)
        whole_cpu = process_cpu([*cli, "--to", "html,pdf,docx", "--out", str(work / "cli")])
        out["process_cpu_s"] = round(whole_cpu, 4)
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
        office_cpu = process_cpu(convert)
        out["libreoffice_cpu_s"] = round(office_cpu, 4)
        out["process_vs_libreoffice_cpu"] = round(whole_cpu / office_cpu, 3)
    return out
