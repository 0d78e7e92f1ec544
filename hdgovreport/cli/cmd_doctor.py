"""``hdgovreport doctor``: what this machine offers the renderers, and what is missing."""

from __future__ import annotations

import argparse
import platform
import shutil
import sys
from typing import Any

from hdgovreport.cli import EXIT_INPUT, EXIT_OK

#: What to install where WeasyPrint's runtime (Pango, GLib, HarfBuzz) is missing.
PANGO_ADVICE = {
    "Windows": "Windows 需要 GTK/Pango 运行库：安装 MSYS2 后运行 pacman -S mingw-w64-x86_64-pango，"
    "并把 C:\\msys64\\mingw64\\bin 加入 PATH（或设置 WEASYPRINT_DLL_DIRECTORIES），详见 docs/install.md",
    "Darwin": "macOS 请运行 brew install pango，详见 docs/install.md",
    "Linux": "Debian/Ubuntu、麒麟、统信 UOS：sudo apt install libpango-1.0-0 libpangoft2-1.0-0 "
    "libharfbuzz-subset0",
}
#: Where to get Chinese faces.
FONT_ADVICE = {
    "Windows": "Windows 自带宋体、仿宋、黑体、楷体（C:\\Windows\\Fonts）；请确认未被精简，"
    "方正小标宋简体需另行安装",
    "Darwin": "macOS 自带华文仿宋、华文楷体等；请在“字体册”中下载，或安装思源宋体、霞鹜文楷",
    "Linux": "sudo apt install fonts-noto-cjk fonts-lxgw-wenkai（麒麟、统信 UOS 同样适用）",
}


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
    from hdgovreport.render.fontscan import FontCache, cache_dir, font_dirs

    ok = True
    system = platform.system()
    print(f"hdgovreport {__version__}，Python {platform.python_version()}，{system}")
    print("字体目录：" + ("；".join(str(d) for d in font_dirs() if d.exists()) or "（无）"))
    cache = cache_dir()
    print(f"字体缓存：{cache / FontCache.FILE if cache is not None else '（不使用）'}")
    lines = fonts.report()
    for line in lines:
        print(line)
    try:
        fonts.resolve()
    except Exception:
        ok = False
        print(f"缺少中文字体：{FONT_ADVICE.get(system, FONT_ADVICE['Linux'])}")
    try:
        import uharfbuzz

        print(
            f"HarfBuzz（uharfbuzz {uharfbuzz.__version__}）：正文按 28 字网格排版，字体预先子集化"
        )
    except Exception as exc:
        ok = False
        print(f"uharfbuzz 无法加载：{exc}（请运行 pip install uharfbuzz）")
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
        print(f"WeasyPrint 无法加载：{exc}（{PANGO_ADVICE.get(system, PANGO_ADVICE['Linux'])}）")
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
