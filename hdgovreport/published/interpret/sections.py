"""The six sections of a report, found by their headings.

A heading is recognised by the official wording (``wording.yaml``) in any
numbering (``一、``, ``1、``, ``（一）``, ``一.``, ``第一部分``, none), with the
variants agencies print: a longer wording around the official one
(``五、政府信息公开工作存在的主要问题及改进情况``), a near-miss (``六、其他需要报告事项``),
or an older wording in the place where the numbering says the section is
(``四、因政府信息公开工作被申请行政复议、提起行政诉讼情况``).  A heading run into its
first sentence (``六、其他需要报告的事项：本年度未收取信息处理费。``) is split.  Sections
may be missing or out of numbering; each such case is said in a note.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Sequence

import attrs

from hdgovreport.form.layout import section_order, wording
from hdgovreport.form.numbering import chinese_numeral, parse_chinese_numeral
from hdgovreport.published.extract.stream import Block, TextBlock, squeeze
from hdgovreport.published.interpret.labels import NUMBERING, normalise
from hdgovreport.published.interpret.result import Trail
from hdgovreport.published.interpret.vocabulary import section_matcher

#: The longest heading (without its numbering), in characters.
MAX_HEADING = 40
FOOTER = re.compile(
    r"版权所有|ICP备|网站标识码|公网安备|主办单位|承办单位|网站地图|打印本页|关闭窗口|【打印】|【关闭】"
    r"|上一篇|下一篇|扫一扫|Copyright",
    re.IGNORECASE,
)
_RUN_IN = re.compile(r"^(?P<head>[^。：:；;]{2,60}?)[。：:．](?P<rest>.+)$")


@attrs.frozen
class Section:
    attr: str
    heading: TextBlock | None
    blocks: tuple[Block, ...]


@attrs.frozen
class Heading:
    """A level-1 heading: its section, whether it is the official wording, its numbering."""

    attr: str
    exact: bool
    numbering: str
    number: int | None  # the number its numbering gives, if any
    rest: str = ""  # the text run in after the heading


def numbering_value(printed: str) -> int | None:
    """``三、`` → 3, ``（4）`` → 4, ``5.`` → 5, ``第二部分`` → 2; ``None`` without a number."""
    digits = re.sub(r"[^\d一二三四五六七八九十百零〇]", "", printed.replace("部分", ""))
    if not digits:
        return None
    if digits.isdigit():
        return int(digits) if len(digits) < 5 else None
    return parse_chinese_numeral(digits)


def _match(core: str, printed: str, expected: int | None) -> tuple[str, bool] | None:
    found = section_matcher().match(core)
    if found is not None:
        if printed.startswith(("（", "(")) and not found.exact:
            return None
        return found.value, found.exact
    key = normalise(core)
    order = section_order()
    headings = wording().sections
    # a longer wording around the official one: 政府信息公开工作存在的主要问题及改进情况
    for attr in order:
        official = normalise(headings[attr])
        if official in key and len(key) <= len(official) + 12:
            return attr, False
    # an older or looser wording, where the numbering says the next section is
    number = numbering_value(printed)
    if expected is None or number != expected or not 1 <= number <= len(order):
        return None
    ratios = {a: difflib.SequenceMatcher(None, key, normalise(headings[a])).ratio() for a in order}
    best = max(ratios, key=lambda a: ratios[a])
    long_enough = len(key) >= 0.6 * len(normalise(headings[best]))
    if best == order[number - 1] and ratios[best] >= 0.45 and long_enough:
        return best, False
    return None


def heading(text: str, expected: int | None = None) -> Heading | None:
    """The level-1 heading ``text`` is (or starts with), or ``None``.

    ``expected`` is the number the next section would have; a looser wording is taken
    only when its numbering gives that number.
    """
    sq = squeeze(text)
    m = NUMBERING.match(sq)
    printed = m.group(0) if m else ""
    body = sq[len(printed) :]
    candidates = [(body.rstrip("：:。．"), "")]
    run_in = _RUN_IN.match(body) if printed else None
    if run_in and len(run_in.group("rest").strip()) > 1:
        candidates.append((run_in.group("head"), run_in.group("rest")))
    for core, rest in candidates:
        if not core or len(core) > MAX_HEADING:
            continue
        found = _match(core, printed, expected)
        if found is not None:
            attr, exact = found
            if rest:
                rest = run_in_rest(text, printed + core)
            return Heading(attr, exact, printed, numbering_value(printed), rest)
    return None


def run_in_rest(text: str, head: str) -> str:
    """The original text after a run-in heading whose squeezed form is ``head``."""
    for i, ch in enumerate(text):
        if ch in "。：:．." and squeeze(text[:i]) == head:
            return text[i + 1 :].strip()
    return text


def split_sections(
    blocks: Sequence[Block], tick: Callable[[], None] = lambda: None
) -> tuple[list[Block], list[Section], Trail]:
    """(blocks before the first heading, the six sections in order, notes)."""
    trail = Trail()
    order = section_order()
    opening: list[Block] = []
    current = -1
    parts: dict[int, tuple[TextBlock | None, list[Block]]] = {}
    for i, block in enumerate(blocks):
        if i % 256 == 255:
            tick()
        if isinstance(block, TextBlock):
            if FOOTER.search(block.text) and current >= 0:
                trail.note("正文之后的网站页脚等内容未读入", block.source, "info")
                break
            found = heading(block.text, expected=current + 2)
            if found is not None:
                index = order.index(found.attr)
                if index == current and not found.rest:
                    continue  # a caption or a repeated heading
                if index > current:
                    _heading_notes(trail, found, index, block)
                    for skipped in range(current + 1, index):
                        parts.setdefault(skipped, (None, []))
                    content: list[Block] = []
                    if found.rest:
                        content.append(attrs.evolve(block, text=found.rest, hint=""))
                    parts[index] = (block, content)
                    current = index
                    continue
        if current < 0:
            opening.append(block)
        else:
            parts[current][1].append(block)
    sections: list[Section] = []
    for index, attr in enumerate(order):
        head, content = parts.get(index, (None, []))
        if head is None:
            trail.note(
                f"未找到第{chinese_numeral(index + 1)}部分“{wording().sections[attr]}”的标题"
            )
        else:
            trail.sources[attr] = head.source
        sections.append(Section(attr, head, tuple(content)))
    return opening, sections, trail


def _heading_notes(trail: Trail, found: Heading, index: int, block: TextBlock) -> None:
    expected = f"{chinese_numeral(index + 1)}、"
    if found.numbering != expected:
        shown = f"“{found.numbering}”" if found.numbering else "没有编号"
        trail.note(
            f"第{chinese_numeral(index + 1)}部分标题编号{shown}，应为“{expected}”", block.source
        )
    official = wording().sections[found.attr]
    if not found.exact:
        printed = block.text if not found.rest else block.text[: len(block.text) - len(found.rest)]
        trail.note(
            f"部分标题“{printed.strip()}”与“{official}”不完全一致，按近似匹配读入", block.source
        )
    if found.rest:
        trail.note(
            f"第{chinese_numeral(index + 1)}部分标题与正文连写在一段中，已分开",
            block.source,
            "info",
        )


__all__ = ["FOOTER", "Heading", "Section", "heading", "numbering_value", "split_sections"]
