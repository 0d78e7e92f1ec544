"""The YAML layer of the data file: from bytes to a node tree, with every limit stated.

Before any YAML is parsed the text is decoded (UTF-8, or advice for a GBK file), checked
for control characters and line separators, for bracket depth, and mended where the
intent is plain — a full-width colon after a known key (``行政许可：1520``, the input
method's default) or a missing space after the colon — each mend reported as a problem at
its line, so the rest of the file is still read and every problem shows in one run.

Then the work is bounded: the parser's events are counted up to :data:`MAX_NODES` before
any node is built (a 2 MB file of tiny entries otherwise takes tens of seconds), and only
then is the node tree composed.  Nodes carry the tags as written; :func:`vet` refuses
any tag outside plain YAML (``!!binary``, ``!!set``, ``!custom``…) and any alias.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from typing import Any

from hdgovreport.errors import DataFileError, Problem

#: Largest data file accepted, in bytes (a full report is about 30 KB).
MAX_FILE_BYTES = 2 * 1024 * 1024
#: Most YAML nodes (keys, values, lists, mappings) in a data file; a full report has about
#: 700, one with 100 sub-sections of 20 points about 6,500.  Bounds the parser's work so
#: any accepted file loads in well under 2 seconds.
MAX_NODES = 20_000
#: Deepest nesting of [ ] and { } accepted (the data file needs 1; the YAML parser slows
#: down badly on thousands of open brackets).
MAX_FLOW_DEPTH = 32
#: Deepest nesting of blocks (indentation levels); the data file needs 6.
MAX_DEPTH = 64

#: Tags a node may carry: the ones plain YAML resolves on its own.
PLAIN_TAGS = frozenset({"str", "int", "float", "bool", "null", "map", "seq", "timestamp", "merge"})

_LINE_SEPARATORS = {"\u2028": "行分隔符", "\u2029": "段分隔符", "\u0085": "下一行符（NEL）"}


def too_big(size: int) -> str:
    return (
        f"文件过大（{size / 1024 / 1024:.1f} MB），"
        f"数据文件上限为 {MAX_FILE_BYTES // 1024 // 1024} MB"
    )


def shown(text: str, limit: int = 40) -> str:
    """User text quoted back in a message: invisible characters spelled out, long text cut."""
    out = "".join(
        f"\\u{ord(ch):04X}"
        if unicodedata.category(ch) in ("Cc", "Cs", "Zl", "Zp", "Cf") and ch != "\t"
        else ch
        for ch in text[: limit + 1]
    )
    return out if len(text) <= limit else out[:limit] + "…"


def decode(data: bytes, filename: str) -> str:
    """The text of a data file; UTF-8 (with or without BOM) only, with advice otherwise."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise DataFileError(
            filename,
            [Problem("文件是 UTF-16 编码，请用 UTF-8 编码另存后再试", line=1, column=1)],
        )
    if b"\x00" in data:
        offset = data.index(b"\x00")
        line = data[:offset].count(b"\n") + 1
        raise DataFileError(
            filename,
            [Problem("不是文本文件（含有 NUL 字节，可能是二进制文件或压缩包）", line=line)],
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        try:
            data.decode("gb18030")
            hint = "文件看起来是 GBK/GB18030 编码，请用 UTF-8 编码另存后再试"
        except UnicodeDecodeError:
            hint = "文件不是 UTF-8 编码的文本"
        raise DataFileError(
            filename, [Problem(f"{hint}（第一个无法解码的字节在此处）", line=line, column=column)]
        ) from None


def normalise_newlines(text: str) -> str:
    """``\\r\\n`` and a lone ``\\r`` become ``\\n``, so YAML's lines are the editor's lines."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def check_characters(text: str) -> tuple[str, list[Problem]]:
    """Control characters and line separators (U+2028…): a problem for each (at most one
    per line reported), and the text without them, so the rest of the file is still read."""
    problems: list[Problem] = []
    lines = text.split("\n")
    for index, line_text in enumerate(lines):
        bad = [
            (col, ch)
            for col, ch in enumerate(line_text, 1)
            if ch != "\t"
            and (
                ch in _LINE_SEPARATORS
                or unicodedata.category(ch) in ("Cc", "Cs")
                or ch in "\ufffe\uffff"
            )
        ]
        if not bad:
            continue
        col, ch = bad[0]
        if ch in _LINE_SEPARATORS:
            message = f"含有{_LINE_SEPARATORS[ch]} U+{ord(ch):04X}（看不见的换行），请删除；段落中不能换行"
        else:
            message = f"含有控制字符 U+{ord(ch):04X}，请删除"
        problems.append(Problem(message, line=index + 1, column=col))
        drop = {c for _col, c in bad}
        lines[index] = "".join(c for c in line_text if c not in drop)
    return "\n".join(lines), problems


def check_flow_depth(text: str) -> Problem | None:
    depth = 0
    for index, ch in enumerate(text):
        if ch in "[{":
            depth += 1
            if depth > MAX_FLOW_DEPTH:
                line = text.count("\n", 0, index) + 1
                column = index - (text.rfind("\n", 0, index) + 1) + 1
                return Problem(
                    f"嵌套层次过深（方括号、花括号最多嵌套 {MAX_FLOW_DEPTH} 层）",
                    line=line,
                    column=column,
                )
        elif ch in "]}" and depth:
            depth -= 1
    return None


# ---------------------------------------------------------------- colons typed the Chinese way

_KEY = r"[^\s#'\"\[\]{},，:：&*!|>%@`]+?"
_BLOCK_KEY = re.compile(
    rf"^(?P<lead>[ ]*(?:-[ ]+)*)(?P<key>{_KEY})[ \u3000]*(?P<colon>：|:(?=[^\s]))"
)
_FLOW_KEY = re.compile(rf"(?P<lead>[{{,，][ \u3000]*)(?P<key>{_KEY})[ \u3000]*(?P<colon>：|:)")
_FLOW_LINE = re.compile(r"^[ ]*(?:-[ ]+)*[^\s#'\"{}]+?[ \u3000]*(?::[ ]|：)[ \u3000]*\{.*\}[ ]*$")

COLON_ADVICE = "请把全角冒号“：”改为半角冒号加空格（如“行政许可: 1520”）"
SPACE_ADVICE = "冒号后面要有一个空格（如“行政许可: 1520”）"
COMMA_ADVICE = "请把全角逗号“，”改为半角逗号“,”"


def mend_colons(text: str, is_key: Callable[[str], bool]) -> tuple[str, list[Problem]]:
    """Mend ``键：值`` and ``键:值`` after a known key (and ``，`` between flow entries).

    Returns the mended text and one problem per mend, at the line and column of the colon.
    Only keys that ``is_key`` knows are touched, so a colon inside a paragraph stays as it is.
    """
    problems: list[Problem] = []
    lines = text.split("\n")
    for index, line in enumerate(lines):
        stripped = line.lstrip()
        if not stripped or stripped.startswith("#"):
            continue
        mended = _mend_line(line, index + 1, is_key, problems)
        if mended != line:
            lines[index] = mended
    return "\n".join(lines), problems


def _mend_line(line: str, lineno: int, is_key: Callable[[str], bool], out: list[Problem]) -> str:
    def fix(match: re.Match[str], flow: bool) -> str:
        """Mend one key's colon (and the full-width comma before it in a flow mapping)."""
        key, colon, lead = match["key"], match["colon"], match["lead"]
        following = match.string[match.end() : match.end() + 1]
        spaced = colon == ":" and following in ("", " ", "\t")
        comma = flow and "，" in lead
        if not is_key(key) or (spaced and not comma):
            return match[0]
        if comma:
            out.append(Problem(COMMA_ADVICE, line=lineno, column=match.start("lead") + 1))
            lead = lead.replace("，", ",")
        if not spaced:
            out.append(
                Problem(
                    COLON_ADVICE if colon == "：" else SPACE_ADVICE,
                    line=lineno,
                    column=match.start("colon") + 1,
                    field=key,
                )
            )
        return f"{lead}{key}:" + ("" if spaced else " ")

    mended = _BLOCK_KEY.sub(lambda m: fix(m, False), line, count=1)
    if _FLOW_LINE.match(mended):
        start = mended.index("{")
        mended = mended[:start] + _FLOW_KEY.sub(lambda m: fix(m, True), mended[start:])
    return mended


# ---------------------------------------------------------------- parsing, bounded


def _yaml() -> Any:
    from ruamel.yaml import YAML

    return YAML(typ="safe")  # the C parser (ruamel.yaml.clib) where installed


def compose(text: str, filename: str) -> tuple[Any, list[Problem]]:
    """The node tree of ``text`` (``None`` for an empty document), and a problem per alias.

    The parser's events are counted first, up to :data:`MAX_NODES`, so the slow part
    (building nodes) only runs on a file of bounded size.  YAML errors come in Chinese.
    """
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    aliases: list[Problem] = []
    try:
        events = 0
        depth = 0
        for event in _yaml().parse(text):
            name = type(event).__name__
            if name == "AliasEvent":
                mark = event.start_mark
                aliases.append(
                    Problem(
                        "不支持 YAML 锚点与别名（& 和 *），请把内容直接写出",
                        line=mark.line + 1,
                        column=mark.column + 1,
                    )
                )
            if name in ("ScalarEvent", "AliasEvent", "MappingStartEvent", "SequenceStartEvent"):
                events += 1
                if events > MAX_NODES:
                    mark = event.start_mark
                    raise DataFileError(
                        filename,
                        [
                            Problem(
                                f"内容过多：数据文件最多 {MAX_NODES} 项（键、值、列表项合计），"
                                "一份完整的报告约 700 项",
                                line=mark.line + 1 if mark else None,
                            )
                        ],
                    )
            if name in ("MappingStartEvent", "SequenceStartEvent"):
                depth += 1
                if depth > MAX_DEPTH:
                    mark = event.start_mark
                    raise DataFileError(
                        filename,
                        [
                            Problem(
                                f"嵌套层次过深（最多 {MAX_DEPTH} 层），不是有效的报告数据文件",
                                line=mark.line + 1 if mark else None,
                                column=mark.column + 1 if mark else None,
                            )
                        ],
                    )
            elif name in ("MappingEndEvent", "SequenceEndEvent"):
                depth -= 1
        return _yaml().compose(text), aliases
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        at_end = mark is not None and getattr(mark, "index", 0) >= len(text.rstrip())
        if at_end and exc.context_mark is not None:
            mark = exc.context_mark  # an unclosed bracket or quote: where it was opened
        raise DataFileError(
            filename,
            [
                Problem(
                    translate_yaml_error(str(exc.problem or exc.context or "")),
                    line=mark.line + 1 if mark else None,
                    column=mark.column + 1 if mark else None,
                )
            ],
        ) from None
    except YAMLError as exc:
        raise DataFileError(filename, [Problem(translate_yaml_error(str(exc)))]) from None
    except RecursionError:
        raise DataFileError(filename, [Problem("嵌套层次过深，不是有效的报告数据文件")]) from None


_YAML_MESSAGES: tuple[tuple[str, str], ...] = (
    ("found character '\\t'", "YAML 不能用 Tab 缩进或分隔，请改用空格"),
    ("tab character", "YAML 不能用 Tab 缩进或分隔，请改用空格"),
    ("could not find expected ':'", "缺少冒号“:”（键与值之间要有英文冒号和空格），或引号没有闭合"),
    (
        "mapping values are not allowed",
        "此处不能出现“键: 值”：可能缩进不对，或文字中含有“: ”，请给文字加引号",
    ),
    ("expected ',' or ']'", "方括号 [ ] 列表没有正确结束"),
    ("expected ',' or '}'", "花括号 { } 没有正确结束"),
    ("found unexpected end of stream", "文件意外结束：引号或括号没有闭合（文件是否被截断？）"),
    ("while scanning a quoted scalar", "引号没有闭合"),
    ("expected <block end>", "缩进不一致：同一层的键要对齐"),
    ("found undefined alias", "使用了未定义的别名（*）"),
    (
        "unknown escape character",
        "双引号中的反斜杠“\\”后面是不认识的转义字符；不需要转义时请用单引号",
    ),
    ("special characters are not allowed", "含有不允许的特殊字符"),
    ("while parsing a block collection", "列表格式不对：同一列表的各项要以“- ”开头并对齐"),
    ("did not find expected '-' indicator", "列表格式不对：同一列表的各项要以“- ”开头并对齐"),
    ("did not find expected key", "此处应为“键: 值”：可能缩进不对"),
    ("found unhashable key", "键不能是列表或映射"),
    (
        "found character that cannot start any token",
        "此处的字符不能开始一个值（Tab、@、` 等）：缩进请用空格，以这些字符开头的文字请加引号",
    ),
    ("found character", "此处的字符不能开始一个值：以 @、` 等开头的文字请加引号"),
    ("tag", "不支持的 YAML 标签写法"),
)


def translate_yaml_error(problem: str) -> str:
    for needle, chinese in _YAML_MESSAGES:
        if needle in problem:
            return f"YAML 格式错误：{chinese}"
    return f"YAML 格式错误（{shown(problem.strip(), 120)}）"


def tag_of(node: Any) -> str:
    """The tag of a node as written or resolved: ``int``, ``str``, ``null``… or ``!custom``."""
    tag = node.tag
    text = str(getattr(tag, "value", tag) or "")
    if text.startswith("tag:yaml.org,2002:"):
        return text.rpartition(":")[2]
    return text


def walk(root: Any) -> Iterator[tuple[Any, bool]]:
    """Every node of the tree once, with whether it was already seen (an alias), iteratively."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            yield node, True
            continue
        seen.add(id(node))
        yield node, False
        value = node.value
        if isinstance(value, list):
            for item in reversed(value):
                if isinstance(item, tuple):
                    stack.extend(reversed(item))
                else:
                    stack.append(item)


def vet(root: Any) -> tuple[list[Problem], set[int]]:
    """Problems of tags and aliases anywhere in the tree; and the ids of the refused nodes."""
    problems: list[Problem] = []
    refused: set[int] = set()
    for node, again in walk(root):
        if again:  # an alias: reported where it was written (see :func:`compose`)
            refused.add(id(node))
            continue
        mark = node.start_mark
        where = {"line": mark.line + 1, "column": mark.column + 1}
        tag = tag_of(node)
        if tag not in PLAIN_TAGS:
            written = "!!" + tag if "!" not in tag and ":" not in tag else tag
            problems.append(
                Problem(
                    f"不支持 YAML 标签“{shown(written)}”：数据文件只用普通的文字、数字和列表，"
                    "请删除标签",
                    **where,
                )
            )
            refused.add(id(node))
    return problems, refused
