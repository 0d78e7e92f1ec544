"""The graphic edition: HTML, PDF and the PNG long image of the Haidian example, in-process and as one CLI run."""

from __future__ import annotations

import sys
import tempfile

from bench.run import HAIDIAN, line, process, timed


def run() -> None:
    import hdgovreport as hg
    from hdgovreport.graphic.content import build_graphic
    from hdgovreport.graphic.render import pdf_to_png, render, render_html, render_pdf
    from hdgovreport.render.pdf import html_to_pdf

    report = hg.load_report(HAIDIAN)
    result = hg.check(report)
    graphic = build_graphic(report, result)
    html = render_html(graphic, font_mode="pdf")

    # Baseline: plain WeasyPrint write_pdf() over the same HTML (no tags, no trimming), same process.
    import weasyprint

    base = timed(lambda: weasyprint.HTML(string=html).write_pdf())
    line("baseline: plain WeasyPrint write_pdf, same HTML", base)

    line("graphic content from the model", timed(lambda: build_graphic(report, result)))
    line("HTML page", timed(lambda: render_html(graphic)), target=0.05)
    pdf_time = timed(lambda: render_pdf(graphic))
    line("PDF, one long page, warm", pdf_time, baseline=("plain WeasyPrint", base))
    line(
        "  of which WeasyPrint layout+write",
        timed(lambda: html_to_pdf(html, trim_to="graphic-end")),
    )
    pdf = render_pdf(graphic)
    line("PNG from the PDF (PDFium 1500 px + encode)", timed(lambda: pdf_to_png(pdf)))
    line(
        "all three in-process, warm",
        timed(lambda: render(report, ("html", "pdf", "png"), allow_errors=True, result=result)),
    )
    png = pdf_to_png(pdf)
    print(f"{'PDF size':<44} {len(pdf) / 1024:8.0f} KB")
    print(f"{'PNG size':<44} {len(png) / 1024:8.0f} KB")

    with tempfile.TemporaryDirectory() as out:
        cli = [
            sys.executable,
            "-m",
            "hdgovreport",
            "graphic",
            str(HAIDIAN),
            "--to",
            "html,pdf,png",
            "--allow-errors",
            "--out",
            out,
        ]
        whole = process(cli)
        line("CLI process: graphic --to html,pdf,png", whole, target=3.0)
        python = process([sys.executable, "-c", "pass"])
        line("  (python start-up alone)", python)
