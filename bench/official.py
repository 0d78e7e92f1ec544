"""The official edition: HTML and PDF of the Haidian example, in-process and as a whole CLI run."""

from __future__ import annotations

import sys
import tempfile

from bench.run import HAIDIAN, line, process, timed


def run() -> None:
    import hdgovreport as hg
    from hdgovreport.document import build_document
    from hdgovreport.render.html import render_html
    from hdgovreport.render.pdf import html_to_pdf, render_pdf

    report = hg.load_report(HAIDIAN)
    document = build_document(report, hg.check(report))
    html = render_html(document, font_mode="pdf")

    # Baseline: plain WeasyPrint over the same HTML with the system's default fonts
    # (font-family declarations stripped), in the same process.
    import re

    import weasyprint

    plain = re.sub(r"font-family:[^;]+;", "", html)
    base = timed(lambda: weasyprint.HTML(string=plain).write_pdf())
    line("baseline: plain WeasyPrint, default fonts", base)

    line("document tree", timed(lambda: build_document(report, hg.check(report))))
    line("HTML page", timed(lambda: render_html(document)), target=0.05)
    pdf_time = timed(lambda: render_pdf(document))
    line("PDF, warm, in-process", pdf_time, target=0.3, baseline=("plain WeasyPrint", base))
    line("  of which WeasyPrint layout+write", timed(lambda: html_to_pdf(html)))
    size = len(render_pdf(document))
    print(
        f"{'PDF size':<44} {size / 1024:8.0f} KB  target ≤ 400 KB {'ok' if size <= 400 * 1024 else 'MISSED'}"
    )

    with tempfile.TemporaryDirectory() as out:
        cli = [
            sys.executable,
            "-m",
            "hdgovreport",
            "build",
            str(HAIDIAN),
            "--to",
            "html,pdf",
            "--allow-errors",
            "--out",
            out,
        ]
        whole = process(cli)
        line("CLI process: build --to html,pdf", whole, target=1.5)
        python = process([sys.executable, "-c", "pass"])
        line("  (python start-up alone)", python)
