"""Ten thousand malformed data files: each is read or refused with a clear message, never an
internal error.  Fixed seed, in-process; ``HDGOV_QUICK=1`` runs a twentieth of them."""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Callable

from conftest import HAIDIAN
from helpers import examples

from hdgovreport.checks import check
from hdgovreport.datafile import dumps, loads, template
from hdgovreport.datafile.yamltext import decode
from hdgovreport.errors import DataFileError

COUNT = examples(10_000)
SEED = 20_261_201

EXAMPLE = HAIDIAN.read_text("utf-8")


def _cut(text: str, start: str | None, end: str | None) -> str:
    head = text[: text.index("总体情况:")]
    body = text[text.index(start) if start else len(head) : text.index(end) if end else None]
    return head + body


#: Whole reports (the example, the blank templates of both editions), and the partial files
#: an officer has while filling one in (truncation is the commonest malformation).
BASES = [
    EXAMPLE,
    EXAMPLE,
    template("某区某局", 2023),
    template("某县人民政府", 2020, "2019"),
    _cut(EXAMPLE, None, "主动公开政府信息情况:"),
    _cut(EXAMPLE, "主动公开政府信息情况:", "收到和处理政府信息公开申请情况:"),
    _cut(EXAMPLE, "收到和处理政府信息公开申请情况:", "存在的主要问题及改进情况:"),
    _cut(EXAMPLE, "存在的主要问题及改进情况:", None),
    EXAMPLE[: EXAMPLE.index("总体情况:")],
]

#: Values a hostile or careless file puts where a number or a text goes.
HOSTILE = [
    "",
    "~",
    "-1",
    "9" * 5000,
    "1" + "0" * 4400 + ".5",
    "1e400",
    ".inf",
    ".nan",
    "!!binary aGk=",
    "!!set {a: null}",
    "!!python/object/apply:os.system ['ls']",
    "!custom 5",
    "*nowhere",
    "&a 1",
    "[",
    "{",
    "]]",
    "'",
    '"\\q"',
    '"\\u2028"',
    "１２",
    "十二",
    "一百零一",
    "1,520",
    "1，520",
    "1 520",
    "true",
    "2023-13-45",
    "[1, 2]",
    "{a: 1}",
    "\u2028",
    "\x07",
    "\ufeff",
    "<<: {a: 1}",
    "|\n  text",
    ">-",
    "0x1F",
    "0o17",
    "1_000",
    "+5",
    "99999999999",
    "0.0000001",
    "-0.0",
    "𝟙𝟚",
    "١٢",
    "Ⅻ",
    "null",
    "? a",
    "- - -",
    "%YAML 1.1",
    "--- \n...",
    "字" * 25_000,
    "@x",
    "`x`",
]
PIECES = [*"[]{}:：,，-'\"#&*!|>%@`\t ", "\n", "\r", "\u3000", "\x00", "\x1b", "\u2029", "\ud800"]


def _lines(text: str) -> list[str]:
    return text.split("\n")


def delete_line(r: random.Random, text: str) -> str:
    lines = _lines(text)
    del lines[r.randrange(len(lines))]
    return "\n".join(lines)


def duplicate_line(r: random.Random, text: str) -> str:
    lines = _lines(text)
    i = r.randrange(len(lines))
    lines.insert(i, lines[i])
    return "\n".join(lines)


def swap_lines(r: random.Random, text: str) -> str:
    lines = _lines(text)
    i, j = r.randrange(len(lines)), r.randrange(len(lines))
    lines[i], lines[j] = lines[j], lines[i]
    return "\n".join(lines)


def reindent(r: random.Random, text: str) -> str:
    lines = _lines(text)
    i = r.randrange(len(lines))
    lines[i] = r.choice(["", " ", "  ", "\t", "   "]) + lines[i].lstrip(" ")[: r.randrange(200)]
    return "\n".join(lines)


def truncate(r: random.Random, text: str) -> str:
    return text[: r.randrange(len(text) + 1)]


def hostile_value(r: random.Random, text: str) -> str:
    lines = _lines(text)
    candidates = [i for i, line in enumerate(lines) if ": " in line]
    if not candidates:
        return text + f"\n键: {r.choice(HOSTILE)}"
    i = r.choice(candidates)
    head, _sep, tail = lines[i].partition(": ")
    if tail.startswith("{") and r.random() < 0.7:  # one cell of a flow row
        cells = tail.strip("{}").split(", ")
        k = r.randrange(len(cells))
        key, _s, _v = cells[k].partition(": ")
        cells[k] = f"{key}: {r.choice(HOSTILE)}"
        lines[i] = f"{head}: {{{', '.join(cells)}}}"
    else:
        lines[i] = f"{head}: {r.choice(HOSTILE)}"
    return "\n".join(lines)


def mangle_key(r: random.Random, text: str) -> str:
    lines = _lines(text)
    candidates = [
        i for i, line in enumerate(lines) if ":" in line and not line.lstrip().startswith("#")
    ]
    if not candidates:
        return text.replace("\n", "：", 1)
    i = r.choice(candidates)
    line = lines[i]
    choice = r.randrange(5)
    if choice == 0:
        line = line.replace(": ", "：", 1)
    elif choice == 1:
        line = line.replace(": ", ":", 1)
    elif choice == 2:
        line = line.replace(", ", "，")
    elif choice == 3:
        key_end = line.find(":")
        start = len(line) - len(line.lstrip(" -"))
        line = (
            line[:start]
            + r.choice(["某", "行政许决", "七、附件", "<<", "?", "总计总计", "１"])
            + line[key_end:]
        )
    else:
        line = line.replace(":", "", 1)
    lines[i] = line
    return "\n".join(lines)


def insert_piece(r: random.Random, text: str) -> str:
    i = r.randrange(len(text) + 1)
    piece = "".join(r.choice(PIECES) for _ in range(r.randint(1, 4)))
    return text[:i] + piece + text[i:]


def nest(r: random.Random, text: str) -> str:
    i = r.randrange(len(text) + 1)
    depth = r.choice([10, 40, 300])
    return text[:i] + "[" * depth + text[i:]


def repeat(r: random.Random, text: str) -> str:
    lines = _lines(text)
    i = r.randrange(len(lines))
    times = 3000 if r.random() < 0.03 else r.choice([2, 50])  # 3000 rows: past MAX_NODES
    return "\n".join([*lines[: i + 1], *([lines[i]] * times), *lines[i + 1 :]])


def random_document(r: random.Random, _text: str) -> str:
    return "".join(
        r.choice(["a", "字", ": ", "- ", "\n", "  ", "[", "]", "{", "}", ",", "1", "'", "#"])
        for _ in range(r.randint(0, 200))
    )


MUTATIONS: list[Callable[[random.Random, str], str]] = [
    delete_line,
    duplicate_line,
    swap_lines,
    reindent,
    truncate,
    hostile_value,
    hostile_value,
    hostile_value,
    mangle_key,
    mangle_key,
    insert_piece,
    insert_piece,
    nest,
    repeat,
    random_document,
]


def _as_bytes(r: random.Random, text: str) -> bytes:
    """The bytes of the file as an editor might save it."""
    encoding = r.choice(["utf-8", "utf-8", "utf-8-sig", "gb18030", "utf-16", "latin-1"])
    data = text.encode(encoding, "replace" if encoding != "utf-16" else "surrogatepass")
    if r.random() < 0.2 and data:
        i = r.randrange(len(data))
        data = data[:i] + bytes([r.randrange(256)]) + data[i + 1 :]
    return data


def test_ten_thousand_malformed_data_files_give_no_internal_error() -> None:
    r = random.Random(SEED)
    outcomes: Counter[str] = Counter()
    for n in range(COUNT):
        text = r.choice(BASES)
        for _ in range(r.choice([1, 1, 2, 3])):
            text = r.choice(MUTATIONS)(r, text)
        try:
            if r.random() < 0.15:
                loaded = loads(decode(_as_bytes(r, text), "f.yaml"), "f.yaml")
            else:
                loaded = loads(text, "f.yaml")
        except DataFileError as exc:
            outcomes["refused"] += 1
            assert exc.problems, f"case {n}: refused without a problem"
            lines = len(re.split(r"\r\n|\r|\n", text)) + 1
            for problem in exc.problems:
                rendered = problem.render("f.yaml")
                assert problem.message and "Traceback" not in rendered, f"case {n}"
                assert len(rendered.splitlines()) == 1, f"case {n}: {rendered!r}"
                assert problem.line is None or 1 <= problem.line <= lines, f"case {n}: {rendered}"
                assert "YAML 格式错误（" not in rendered, f"case {n}: untranslated: {rendered}"
            continue
        except RecursionError:
            raise AssertionError(f"case {n}: recursion") from None
        outcomes["read"] += 1
        if outcomes["read"] % 5 == 1:  # whatever was accepted can be checked and written back
            assert check(loaded.report).subject
            assert loads(dumps(loaded.report)).report == loaded.report, f"case {n}"
    assert sum(outcomes.values()) == COUNT
    # the mutations are not all refused, nor all harmless: both paths were exercised
    assert outcomes["refused"] > COUNT // 4 and outcomes["read"] > COUNT // 50, outcomes
