"""2,000 malformed published files (text, HTML, DOCX, PDF; fixed seed): no internal error.

Each file is a fixture damaged the way files arrive damaged or hostile: characters
replaced (control characters, full-width digits, line separators, 5,000-digit numbers,
over-long lines, unbalanced tags), slices deleted, duplicated or moved, truncation, other
encodings; Word files damaged inside their XML or as archives; PDFs damaged byte by byte.
Reading must give a report or :class:`UnreadableError` — nothing else.  ``HDGOV_QUICK=1``
runs a twentieth.
"""

from __future__ import annotations

import io
import random
import zipfile
from collections.abc import Callable

from conftest import ROOT
from helpers import examples

from hdgovreport.published import UnreadableError, read_published_bytes

FIXTURES = ROOT / "tests" / "fixtures" / "published"
SEED = 20241231
TOKENS = [
    "\x00",
    "\x07",
    "\u2028",
    "\ufeff",
    "\ufffd",
    "１２",
    "一百零一",
    "（一百零一）",
    "（七）总计",
    "第二十条第（九）项",
    "251000元",
    "万元",
    "5949.088667",
    "-3",
    "9" * 5000,
    "长" * 20_500,
    "\t\t\t",
    "\n\n",
    "<table><tr><td>",
    "</td></tr></table>",
    '<td colspan="99999" rowspan="-4">',
    "<!DOCTYPE x [<!ENTITY a 'b'>]>",
    "&#0;&#xD800;",
    "<p><span>（一）",
    "。",
    "一、总体情况",
    "六、其他需要报告的事项",
    "2024 年政府信息公开工作年度报告",
    "自2024年1月1日至2024年12月31日",
]
POOL = "0123456789。，、（）一二三四五六七八九十百元件\t\n \u3000<>/&;\"'="


def _mutate_text(rng: random.Random, text: str) -> str:
    for _ in range(rng.randint(1, 4)):
        if not text:
            break
        kind = rng.randrange(7)
        i = rng.randrange(len(text))
        j = min(len(text), i + rng.randint(1, 400))
        if kind == 0:  # characters replaced
            text = "".join(rng.choice(POOL) if rng.random() < 0.3 else c for c in text[i:j]).join(
                (text[:i], text[j:])
            )
        elif kind == 1:
            text = text[:i] + rng.choice(TOKENS) + text[i:]
        elif kind == 2:
            text = text[:i] + text[j:]
        elif kind == 3:
            text = text[:j] + text[i:j] * rng.randint(1, 5) + text[j:]
        elif kind == 4:
            lines = text.split("\n")
            rng.shuffle(lines[rng.randrange(len(lines)) :])
            text = "\n".join(lines)
        elif kind == 5:
            text = text[: rng.randrange(len(text))]
        else:
            k = rng.randrange(len(text))
            text = text[k:] + text[:k]
    return text


def _encode(rng: random.Random, text: str) -> bytes:
    encoding = rng.choice(["utf-8", "utf-8", "utf-8", "gb18030", "utf-16", "utf-8-sig"])
    return text.encode(encoding, errors="replace")


def _mutate_bytes(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    kind = rng.randrange(4)
    if kind == 0:
        for _ in range(rng.randint(1, 40)):
            out[rng.randrange(len(out))] = rng.randrange(256)
    elif kind == 1:
        del out[rng.randrange(len(out)) :]
    elif kind == 2:
        i = rng.randrange(len(out))
        j = min(len(out), i + rng.randint(1, 4096))
        out[i:i] = out[i:j]
    else:
        i = rng.randrange(len(out))
        del out[i : i + rng.randint(1, 4096)]
    return bytes(out)


def _mutate_docx(rng: random.Random, data: bytes) -> bytes:
    if rng.random() < 0.2:
        return _mutate_bytes(rng, data)
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            part = source.read(info)
            if info.filename == "word/document.xml" or (
                info.filename.endswith(".xml") and rng.random() < 0.1
            ):
                text = part.decode("utf-8")
                pieces = text.split("<w:t")
                if len(pieces) > 1 and rng.random() < 0.7:  # inside text nodes: still XML
                    for _ in range(rng.randint(1, 6)):
                        k = rng.randrange(1, len(pieces))
                        head, sep, rest = pieces[k].partition(">")
                        body, close, tail = rest.partition("</w:t>")
                        body = _mutate_text(rng, body).replace("<", "").replace("&", "")
                        pieces[k] = head + sep + body + close + tail
                    text = "<w:t".join(pieces)
                else:
                    text = _mutate_text(rng, text)
                part = text.encode("utf-8", errors="replace")
            target.writestr(info.filename, part)
    return out.getvalue()


def _fuzz(name: str, count: int, mutate: Callable[[random.Random, bytes], bytes]) -> None:
    data = (FIXTURES / name).read_bytes()
    rng = random.Random(f"{SEED}:{name}")
    internal: list[str] = []
    read = unreadable = 0
    for n in range(count):
        damaged = mutate(rng, data)
        try:
            read_published_bytes(damaged, f"{n}-{name}", time_limit=10)
            read += 1
        except UnreadableError as exc:
            assert exc.reason and "Traceback" not in exc.reason
            unreadable += 1
        except Exception as exc:  # the point of the test: nothing else may escape
            internal.append(f"{n}: {type(exc).__name__}: {str(exc)[:200]}")
    assert internal == [], internal[:5]
    assert read + unreadable == count
    if count >= 100:  # the damage is not always fatal: deeper code is reached too
        assert read >= count // 10, (read, unreadable)


def _text(rng: random.Random, data: bytes) -> bytes:
    return _encode(rng, _mutate_text(rng, data.decode("utf-8")))


def test_fuzz_text() -> None:
    _fuzz("copy-2021.txt", examples(1000), _text)


def test_fuzz_html() -> None:
    _fuzz("site-2020.html", examples(550), _text)


def test_fuzz_docx() -> None:
    _fuzz("word-2023.docx", examples(330), _mutate_docx)


def test_fuzz_pdf() -> None:
    _fuzz("small-2023.pdf", examples(120), _mutate_bytes)
