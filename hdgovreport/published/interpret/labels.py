"""Tolerant matching of published labels against the official ones.

Every official label comes from :mod:`hdgovreport.form.layout`; this module only
knows how published labels go wrong: spaces inside (``三 、本 年 度``), other
brackets and punctuation, other numbering (``1、`` for ``1.``, ``（4）`` for
``（四）``), line breaks, typos and abbreviations (near-misses).  A match says
how it was made, so a reader can report when it was not exact.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections.abc import Iterable
from typing import Generic, TypeVar

import attrs

from hdgovreport.published.extract.stream import squeeze

T = TypeVar("T")

#: Numbering a label or heading may start with, in any of the styles seen in published reports.
NUMBERING = re.compile(
    r"^(?:"
    r"第[一二三四五六七八九十百零〇]+部分[、.．:：]?"
    r"|[一二三四五六七八九十百零〇]+[、.．，,]"
    r"|[（(][一二三四五六七八九十百零〇\d]+[）)][、.．]?"
    r"|\d+[、.．，,)）]"
    r"|[①②③④⑤⑥⑦⑧⑨⑩]"
    r")"
)
_PUNCT = re.compile(r"[、，,。.．：:；;“”\"‘’'「」『』·•\-—–－_/／]")


def strip_any_numbering(text: str) -> str:
    """``2、 收到…`` → ``收到…``; ``（4）持续…`` → ``持续…`` (spaces squeezed first)."""
    text = squeeze(text)
    return NUMBERING.sub("", text, count=1)


@functools.lru_cache(maxsize=8192)
def normalise(label: str) -> str:
    """The comparable core of a label: no spaces, numbering, brackets kind or punctuation."""
    text = strip_any_numbering(label)
    text = text.replace("(", "（").replace(")", "）").replace("[", "（").replace("]", "）")
    return _PUNCT.sub("", unicodedata.normalize("NFKC", text).replace("(", "（").replace(")", "）"))


@attrs.frozen
class Match(Generic[T]):
    """A published label matched to an official one; ``exact`` is false for a near-miss."""

    value: T
    official: str
    exact: bool


class Matcher(Generic[T]):
    """Match published labels against a set of official labels (each mapped to a value)."""

    def __init__(self, entries: Iterable[tuple[str, T]], *, cutoff: float = 0.8) -> None:
        self._exact: dict[str, tuple[str, T]] = {}
        self._ambiguous: set[str] = set()
        for label, value in entries:
            key = normalise(label)
            if key in self._exact and self._exact[key][1] != value:
                self._ambiguous.add(key)
            self._exact.setdefault(key, (label, value))
        self._keys = [k for k in self._exact if k not in self._ambiguous]
        self.cutoff = cutoff

    def exact(self, printed: str) -> Match[T] | None:
        key = normalise(printed)
        if key in self._exact and key not in self._ambiguous:
            label, value = self._exact[key]
            return Match(value, label, True)
        return None

    def match(self, printed: str, *, fuzzy: bool = True) -> Match[T] | None:
        """The official label ``printed`` stands for, or ``None``.

        Near-misses: a typo (similarity ≥ ``cutoff``, one best candidate), or a
        printed label that is a long enough part of exactly one official label
        (``规范性文件`` for ``行政规范性文件``, a label cut by a page break).
        """
        found = self.exact(printed)
        if found is not None or not fuzzy:
            return found
        key = normalise(printed)
        if len(key) < 3:
            return None
        close = difflib.get_close_matches(key, self._keys, n=2, cutoff=self.cutoff)
        if close:
            best = close[0]
            ratio = difflib.SequenceMatcher(None, key, best).ratio()
            if len(close) == 1 or ratio > difflib.SequenceMatcher(None, key, close[1]).ratio():
                label, value = self._exact[best]
                return Match(value, label, False)
        if len(key) >= 4:
            containing = [k for k in self._keys if key in k]
            if len(containing) == 1 and len(key) >= len(containing[0]) * 0.5:
                label, value = self._exact[containing[0]]
                return Match(value, label, False)
        return None

    def __contains__(self, printed: str) -> bool:
        return self.exact(printed) is not None
