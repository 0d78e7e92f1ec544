"""``hdgovreport doctor``: what this machine offers the renderers, and what is missing."""

from __future__ import annotations

import argparse
import platform
import shutil
import sys
from typing import Any

from hdgovreport.cli import EXIT_INPUT, EXIT_OK


def register(sub: Any) -> None:
    p = sub.add_parser(
        "doctor",
        help="检查运行环境：各角色使用的字体、字体子集化库等",
        description="列出正式版各排版角色选用的字体，以及缺少的组件和安装方法。",
    )
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from hdgovreport import __version__
    from hdgovreport.render import fonts

    ok = True
    print(f"hdgovreport {__version__}，Python {platform.python_version()}，{platform.system()}")
    lines = fonts.report()
    for line in lines:
        print(line)
    try:
        fonts.resolve()
    except Exception:
        ok = False
    if fonts.harfbuzz_subset_available():
        print("字体子集化：HarfBuzz（libharfbuzz-subset）可用，PDF 生成快")
    else:
        print(
            "字体子集化：缺少 libharfbuzz-subset，WeasyPrint 将改用 fontTools，生成 PDF 会慢几十倍；"
            "Debian/Ubuntu 请运行 sudo apt install libharfbuzz-subset0"
        )
    try:
        import weasyprint

        print(f"WeasyPrint {weasyprint.__version__}")
    except Exception as exc:  # missing Pango and the like
        ok = False
        print(
            f"WeasyPrint 无法加载：{exc}（Debian/Ubuntu：sudo apt install libpango-1.0-0 libpangoft2-1.0-0）"
        )
    try:
        from importlib.metadata import version

        import pypdfium2  # noqa: F401  (loads the PDFium library)

        print(f"PDFium（pypdfium2 {version('pypdfium2')}）：可生成图解版 PNG 长图")
    except Exception as exc:
        ok = False
        print(f"pypdfium2 无法加载：{exc}（图解版的 PNG 长图需要它：pip install pypdfium2）")
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    print(f"LibreOffice：{soffice or '未安装（仅用于检查 DOCX，可选）'}")
    if not ok:
        print("环境不完整：请按上面的提示安装后重试。", file=sys.stderr)
    return EXIT_OK if ok else EXIT_INPUT
