#!/usr/bin/env bash
# Set up hdgovreport on a fresh Debian/Ubuntu machine.
#
#   scripts/setup.sh          system fonts + a virtual environment (.venv) with hdgovreport
#   scripts/setup.sh --test   also the test tools: pytest, ruff, mypy, poppler, LibreOffice, Chromium
#   scripts/setup.sh --dev    like --test, but installs hdgovreport in editable mode
#
# System packages (apt, needs root or sudo):
#   fonts-noto-cjk, fonts-arphic-ukai  free CJK faces (Song/Hei and Kai) for the PDF and graphic editions
#   fonts-lxgw-wenkai                  a Kai face that balances with the body (the 楷体 headings); +52 MB,
#                                      ~7 s on a fresh install (fonts-noto-cjk already has the bold Song
#                                      the title needs; fonts-noto-cjk-extra, 134 MB, adds nothing we use)
#   libharfbuzz-subset0                lets WeasyPrint subset the 20 MB CJK fonts in ~0.2 s instead of ~9 s
#   libpango-1.0-0, libpangoft2-1.0-0  WeasyPrint's text layout
#   (--test) poppler-utils             pdftotext / pdffonts / pdftoppm for checking PDFs
#   (--test) libreoffice-writer-nogui  converts our DOCX to PDF to prove it opens and renders
#   (--test) libreoffice-calc-nogui    opens the fill-in workbook: recalculates, prints, saves it back
#   (--test) chromium                  headless browser for the graphic edition's layout tests
set -euo pipefail
cd "$(dirname "$0")/.."

mode=run
case "${1:-}" in
  --test) mode=test ;;
  --dev) mode=dev ;;
  "") ;;
  *) echo "用法：scripts/setup.sh [--test|--dev]" >&2; exit 2 ;;
esac

packages=(fonts-noto-cjk fonts-arphic-ukai fonts-lxgw-wenkai libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0)
if [ "$mode" != run ]; then
  packages+=(poppler-utils libreoffice-writer-nogui libreoffice-calc-nogui chromium)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then sudo=(); elif command -v sudo >/dev/null; then sudo=(sudo); else
    echo "需要安装系统软件包：${missing[*]}（请用 root 运行，或先安装 sudo）" >&2; exit 1
  fi
  echo "安装系统软件包：${missing[*]}"
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
case "$mode" in
  run) .venv/bin/python -m pip install -q . ;;
  test) .venv/bin/python -m pip install -q ".[test]" ;;
  dev) .venv/bin/python -m pip install -q -e ".[test]" ;;
esac
if [ "$mode" != run ]; then
  # axe-core 4.12 (bundled in this PyPI package) for the accessibility test of the official page
  .venv/bin/python -m pip install -q "axe-playwright-python==0.1.8"
fi
echo "hdgovreport 已安装：$(.venv/bin/hdgovreport --version)"
