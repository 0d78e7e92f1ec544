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

import functools
import re
import unicodedata
from collections.abc import Callable
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


#: Control characters (Unicode category Cc, but Tab), surrogates, non-characters and the
#: invisible line separators.
_BAD_CHARACTER = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")


def check_characters(text: str) -> tuple[str, list[Problem]]:
    """Control characters and line separators (U+2028…): a problem for each line that has
    them, and the text without them, so the rest of the file is still read."""
    if _BAD_CHARACTER.search(text.replace("\n", "")) is None:
        return text, []
    problems: list[Problem] = []
    lines = text.split("\n")
    for index, line_text in enumerate(lines):
        first = _BAD_CHARACTER.search(line_text)
        if first is None:
            continue
        ch = first[0]
        if ch in _LINE_SEPARATORS:
            message = f"含有{_LINE_SEPARATORS[ch]} U+{ord(ch):04X}（看不见的换行），请删除；段落中不能换行"
        else:
            message = f"含有控制字符 U+{ord(ch):04X}，请删除"
        problems.append(Problem(message, line=index + 1, column=first.start() + 1))
        lines[index] = _BAD_CHARACTER.sub("", line_text)
    return "\n".join(lines), problems


_BRACKET = re.compile(r"[\[\]{}]")


def check_flow_depth(text: str) -> Problem | None:
    depth = 0
    for match in _BRACKET.finditer(text):
        if match[0] in "[{":
            depth += 1
            if depth > MAX_FLOW_DEPTH:
                index = match.start()
                line = text.count("\n", 0, index) + 1
                column = index - (text.rfind("\n", 0, index) + 1) + 1
                return Problem(
                    f"嵌套层次过深（方括号、花括号最多嵌套 {MAX_FLOW_DEPTH} 层）",
                    line=line,
                    column=column,
                )
        elif depth:
            depth -= 1
    return None


# ---------------------------------------------------------------- colons typed the Chinese way

_KEY = r"[^\s#'\"\[\]{},，:：&*!|>%@`]+?"
_BLOCK_KEY = re.compile(
    rf"^(?P<lead>[ ]*(?:-[ ]+)*)(?P<key>{_KEY})[ \u3000]*(?P<colon>：|:(?=[^\s]))"
)
_FLOW_KEY = re.compile(rf"(?P<lead>[{{,，][ \u3000]*)(?P<key>{_KEY})[ \u3000]*(?P<colon>：|:)")
_FLOW_LINE = re.compile(r"^[ ]*(?:-[ ]+)*[^\s#'\"{}]+?[ \u3000]*(?::[ ]|：)[ \u3000]*\{.*\}[ ]*$")

#: A line that may need mending: a full-width colon or comma, or a colon with no space after.
_SUSPECT = re.compile(r"[：，]|:(?![ \t]|$)")

COLON_ADVICE = "请把全角冒号“：”改为半角冒号加空格"
SPACE_ADVICE = "冒号后面要有一个空格"
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
        if not stripped or stripped.startswith("#") or not _SUSPECT.search(line):
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
                    f"{COLON_ADVICE if colon == '：' else SPACE_ADVICE}（写成“{key}: 值”）",
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


class Node:
    """A node of the data file's tree: its tag (``str``, ``null``… or as written), where it
    starts, and whether it was refused (a foreign tag, an alias: already reported)."""

    __slots__ = ("refused", "start_mark", "tag", "value")

    def __init__(self, tag: str, value: Any, start_mark: Any, refused: bool = False) -> None:
        self.tag, self.value, self.start_mark, self.refused = tag, value, start_mark, refused


class ScalarNode(Node):
    """A scalar: ``value`` is its text exactly as written (nothing is converted);
    ``quoted`` when it was written in quotes (YAML text, whatever it spells)."""

    __slots__ = ("quoted",)

    def __init__(
        self, tag: str, value: Any, start_mark: Any, refused: bool = False, quoted: bool = False
    ) -> None:
        super().__init__(tag, value, start_mark, refused)
        self.quoted = quoted


class MappingNode(Node):
    """A mapping: ``value`` is the list of (key node, value node) pairs."""


class SequenceNode(Node):
    """A sequence: ``value`` is the list of item nodes."""


_NULL = frozenset({"", "~", "null", "Null", "NULL"})
_YAML_TAG = "tag:yaml.org,2002:"


@functools.cache
def _events() -> Any:
    from ruamel.yaml import events

    return events


def _parser() -> Any:
    from ruamel.yaml import YAML

    return YAML(typ="safe")  # the C parser (ruamel.yaml.clib) where installed


def _tag(event: Any, plain: bool, value: str | None) -> tuple[str, bool]:
    """(short tag, refused) of a node's event."""
    written = event.tag
    if written is None or written == "!":
        if value is None:
            return ("map" if isinstance(event, _events().MappingStartEvent) else "seq"), False
        if plain and value in _NULL:
            return "null", False
        if plain and value == "<<":
            return "merge", False
        return "str", False
    if written.startswith(_YAML_TAG):
        short = written[len(_YAML_TAG) :]
        return short, short not in PLAIN_TAGS
    return written, True


def compose(text: str, filename: str) -> tuple[Any, list[Problem]]:
    """The node tree of ``text`` (``None`` for an empty document), and the problems of tags
    and aliases anywhere in it.

    Built straight from the parser's events (the C parser of ruamel.yaml.clib where
    installed), counting nodes as it goes: at :data:`MAX_NODES` it stops and refuses the
    file, so the work is bounded before it is done.  Nothing is converted or executed: a
    scalar keeps its text, a foreign tag (``!!binary``, ``!custom``) or an alias (``*a``) is
    a problem at the line where it is written.  YAML errors come in Chinese.
    """
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    problems: list[Problem] = []
    stack: list[Node] = []
    keys: list[Node | None] = []  # for each open mapping, its pending key
    root: Node | None = None
    count = 0
    documents = 0

    def add(node: Node) -> None:
        nonlocal root
        if not stack:
            root = node
            return
        parent = stack[-1]
        if isinstance(parent, SequenceNode):
            parent.value.append(node)
        elif keys[-1] is None:
            keys[-1] = node
        else:
            parent.value.append((keys[-1], node))
            keys[-1] = None

    def refuse(message: str, mark: Any) -> None:
        problems.append(Problem(message, line=mark.line + 1, column=mark.column + 1))

    try:
        ev = _events()
        scalar, alias, mapping_start = ev.ScalarEvent, ev.AliasEvent, ev.MappingStartEvent
        collection_start = (ev.MappingStartEvent, ev.SequenceStartEvent)
        collection_end = (ev.MappingEndEvent, ev.SequenceEndEvent)
        for event in _parser().parse(text):
            kind = type(event)
            if kind is scalar:
                count += 1
                if count > MAX_NODES:
                    raise _too_many(filename, event)
                plain = not event.style and bool(event.implicit and event.implicit[0])
                if event.tag is None:
                    value = event.value
                    tag = (
                        "null"
                        if plain and value in _NULL
                        else "merge"
                        if plain and value == "<<"
                        else "str"
                    )
                    add(ScalarNode(tag, value, event.start_mark, quoted=bool(event.style)))
                    continue
                tag, refused = _tag(event, plain, event.value)
                if refused:
                    refuse(_foreign_tag(tag), event.start_mark)
                add(ScalarNode(tag, event.value, event.start_mark, refused))
                continue
            if kind in collection_end:
                done = stack.pop()
                keys.pop()
                add(done)
                continue
            if kind is ev.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise DataFileError(
                        filename,
                        [
                            Problem(
                                "一个数据文件只能有一份报告：请删除“---”和它后面的内容",
                                line=event.start_mark.line + 1,
                            )
                        ],
                    )
                continue
            if kind is alias:
                count += 1
                if count > MAX_NODES:
                    raise _too_many(filename, event)
                refuse("不支持 YAML 锚点与别名（& 和 *），请把内容直接写出", event.start_mark)
                add(ScalarNode("str", "", event.start_mark, refused=True))
                continue
            if kind not in collection_start:
                continue
            count += 1
            mark = event.start_mark
            if count > MAX_NODES:
                raise _too_many(filename, event)
            if len(stack) >= MAX_DEPTH:
                raise DataFileError(
                    filename,
                    [
                        Problem(
                            f"嵌套层次过深（最多 {MAX_DEPTH} 层），不是有效的报告数据文件",
                            line=mark.line + 1,
                            column=mark.column + 1,
                        )
                    ],
                )
            tag, refused = _tag(event, False, None)
            if refused:
                refuse(_foreign_tag(tag), mark)
            node: Node = (MappingNode if kind is mapping_start else SequenceNode)(
                tag, [], mark, refused
            )
            stack.append(node)
            keys.append(None)
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
    return root, problems


def _too_many(filename: str, event: Any) -> DataFileError:
    return DataFileError(
        filename,
        [
            Problem(
                f"内容过多：数据文件最多 {MAX_NODES} 项（键、值、列表项合计），"
                "一份完整的报告约 700 项",
                line=event.start_mark.line + 1,
            )
        ],
    )


def _foreign_tag(tag: str) -> str:
    written = "!!" + tag if not tag.startswith("!") and ":" not in tag else tag
    return f"不支持 YAML 标签“{shown(written)}”：数据文件只用普通的文字、数字和列表，请删除标签"


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
        "block sequence entries are not allowed",
        "此处不能开始列表（“- ”）：可能缩进不对，或“- ”应写在下一行",
    ),
    (
        "mapping keys are not allowed",
        "此处不能出现“键: 值”：可能缩进不对，或文字中含有“: ”，请给文字加引号",
    ),
    ("found unexpected ':'", "多了一个冒号“:”：文字中含有冒号时请给文字加引号"),
    (
        "did not find expected alphabetic or numeric character",
        "“&”“*”“!”后面应为字母或数字：文字以这些符号开头时请加引号",
    ),
    (
        "did not find expected whitespace or line break",
        "符号后面应有空格或换行：文字以“&”“*”“!”开头时请加引号",
    ),
    (
        "did not find expected node content",
        "此处缺少内容：可能有多余的“- ”或“,”，或括号没有闭合",
    ),
    ("expected the node content", "此处缺少内容：可能有多余的“- ”或“,”，或括号没有闭合"),
    ("found unknown escape", "双引号中的反斜杠“\\”后面是不认识的转义字符；不需要转义时请用单引号"),
    (
        "did not find expected comment or line break",
        "值的后面多了内容：文字中含有“#”“: ”等时请给文字加引号",
    ),
    ("found a tab", "YAML 不能用 Tab 缩进或分隔，请改用空格"),
    ("did not find expected <document start>", "文件中有多余的内容（“---”或“...”之后），请删除"),
    ("found incompatible YAML document", "不支持的 YAML 版本声明（%YAML），请删除这一行"),
    ("found duplicate", "重复的 YAML 指令（以 % 开头的行），请删除"),
    ("directive", "不支持 YAML 指令（以 % 开头的行），请删除这一行"),
    # a line that starts with % is read as a directive whose name is not a word: %w.bjhd.gov.cn/
    (
        "found unexpected non-alphabetical character",
        "以“%”开头的行会被当作 YAML 指令：文字以 % 开头时请加引号，或把它接在上一行",
    ),
    ("while parsing a block mapping", "缩进不一致：同一层的键要对齐"),
    ("while parsing a flow", "方括号或花括号中的内容格式不对"),
    ("while scanning a block scalar", "“|”或“>”开头的多行文字格式不对，请把每段写在一行里"),
    ("while scanning an anchor", "“&”后面应为锚点名；文字以 & 开头时请加引号"),
    ("while scanning an alias", "“*”后面应为别名；文字以 * 开头时请加引号"),
    ("while scanning a simple key", "缺少冒号“:”（键与值之间要有英文冒号和空格），或引号没有闭合"),
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
    """The short tag of a node: ``str``, ``null``, ``map``, ``seq``, ``merge``… or as written."""
    return str(node.tag)
