"""The official edition as DOCX, and LibreOffice's DOCX → PDF as the baseline for our PDF."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.run import HAIDIAN, line, process, timed


def run() -> None:
    import hdgovreport as hg
    from hdgovreport.document import build_document
    from hdgovreport.render.docx import render_docx
    from hdgovreport.render.pdf import render_pdf

    report = hg.load_report(HAIDIAN)
    document = build_document(report, hg.check(report))

    docx_time = timed(lambda: render_docx(document))
    line("DOCX, warm, in-process", docx_time, target=0.2)
    data = render_docx(document)
    print(f"{'DOCX size':<44} {len(data) / 1024:8.0f} KB")

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        cli = [sys.executable, "-m", "hdgovreport", "build", str(HAIDIAN), "--allow-errors"]
        line(
            "CLI process: build --to docx",
            process([*cli, "--to", "docx", "--out", str(work / "cli")]),
        )

        soffice = shutil.which("soffice") or shutil.which("libreoffice")
        if soffice is None:
            print("LibreOffice 未安装：跳过基线（scripts/setup.sh --test 会安装）")
            return
        source = work / "report.docx"
        source.write_bytes(data)
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
        baseline = process(convert)
        line("baseline: LibreOffice DOCX → PDF (process)", baseline)
        pdf_time = timed(lambda: render_pdf(document))
        line(
            "our PDF, warm, in-process",
            pdf_time,
            baseline=("LibreOffice", baseline),
        )
        line(
            "our CLI process: build --to pdf",
            process([*cli, "--to", "pdf", "--out", str(work / "cli")]),
            baseline=("LibreOffice", baseline),
        )
