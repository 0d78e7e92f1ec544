"""Screenshots of the fill-in workbook as LibreOffice Calc prints it, for docs/datafile.md.

    .venv/bin/python scripts/workbook_screenshots.py      # writes docs/img/workbook-*.png

The Haidian example goes into a workbook, LibreOffice converts it to PDF headless (one page per
sheet), poppler renders each page, and the page is cropped to what is printed on it.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

#: File names of the pages, in sheet order (each sheet prints on one page).
NAMES = (
    "meta",
    "overview",
    "table2",
    "table3",
    "table4",
    "problems",
    "other",
    "highlights",
    "graphic",
    "guide",
)


def main() -> None:
    from PIL import Image, ImageOps

    import hdgovreport as hg

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        sys.exit("LibreOffice (soffice) is needed: scripts/setup.sh --test")
    out = ROOT / "docs" / "img"
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        book = work / "haidian.xlsx"
        hg.dump(hg.load_report(ROOT / "examples" / "haidian-2022" / "report.yaml"), book)
        subprocess.run(
            [
                soffice,
                "--headless",
                "--norestore",
                f"-env:UserInstallation={(work / 'profile').as_uri()}",
                "--convert-to",
                "pdf",
                "--outdir",
                str(work),
                str(book),
            ],
            check=True,
            capture_output=True,
        )
        subprocess.run(
            ["pdftoppm", "-r", "110", "-png", str(work / "haidian.pdf"), str(work / "page")],
            check=True,
        )
        pages = sorted(work.glob("page-*.png"))
        if len(pages) != len(NAMES):
            sys.exit(f"expected {len(NAMES)} pages (one per sheet), got {len(pages)}")
        for page, name in zip(pages, NAMES, strict=True):
            image = Image.open(page).convert("RGB")
            box = ImageOps.invert(image).getbbox()
            if box is not None:
                left, top, right, bottom = box
                image = image.crop((max(left - 12, 0), max(top - 12, 0), right + 12, bottom + 12))
            image = image.quantize(colors=64)
            target = out / f"workbook-{NAMES.index(name) + 1}-{name}.png"
            image.save(target, optimize=True)
            print(target.relative_to(ROOT), image.size)


if __name__ == "__main__":
    main()
