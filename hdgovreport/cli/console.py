"""The console, for every command: any encoding, no escape codes off a terminal, a progress bar.

An officer's console may be GBK (Windows, ``chcp 936``), output may go to a file
(``check x.yaml > 结果.txt``) or a pipe.  :func:`setup` makes standard output and error
never fail on a character the encoding lacks: UTF-8 and GB18030 streams take every
character; any other encoding gets a close stand-in (``›`` → ``>``) or ``?``.  JSON is
written with ``\\u`` escapes when the stream cannot hold every character, so it stays exact.
The progress bar (tqdm) is drawn only on a terminal, on standard error; files and pipes
get no control characters at all.  The batch commands (audit, the district build) share it.
"""

from __future__ import annotations

import codecs
import contextlib
import json
import sys
import unicodedata
from collections.abc import Callable, Iterator
from typing import IO, Any

#: Encodings that hold every character.
_UNICODE = frozenset(
    {"utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "gb18030"}
)
#: Stand-ins for characters our messages use that GBK and other legacy encodings lack.
_STAND_INS = {
    "›": ">",
    "‹": "<",
    "→": "->",
    "←": "<-",
    "✓": "√",
    "✗": "×",
    "█": "#",
    "░": "-",
    "\u00a0": " ",
    "\u2009": " ",
    "\u200b": "",
}
_HANDLER = "hdgovreport-console"


def _stand_in(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    out: list[str] = []
    for ch in error.object[error.start : error.end]:
        candidate = _STAND_INS.get(ch)
        if candidate is None:
            decomposed = unicodedata.normalize("NFKC", ch)
            candidate = decomposed if decomposed != ch else "?"
        try:
            candidate.encode(error.encoding)
        except (UnicodeEncodeError, LookupError):
            candidate = "?"
        out.append(candidate)
    return "".join(out), error.end


codecs.register_error(_HANDLER, _stand_in)


def holds_everything(stream: IO[str] | None) -> bool:
    """Whether ``stream`` can be given any character."""
    encoding = getattr(stream, "encoding", None) or "ascii"
    try:
        return codecs.lookup(encoding).name in _UNICODE
    except LookupError:
        return False


def setup() -> None:
    """Make standard output and error safe for any text (call once, at the start of a command)."""
    for stream in (sys.stdout, sys.stderr):
        if stream is None or holds_everything(stream):
            continue
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors=_HANDLER)


def json_text(data: Any, stream: IO[str] | None = None) -> str:
    """``data`` as indented JSON for ``stream`` (standard output by default): Chinese as is
    where the stream holds it, ``\\u`` escapes otherwise, so the JSON is exact either way."""
    target = sys.stdout if stream is None else stream
    return json.dumps(data, ensure_ascii=not holds_everything(target), indent=2)


def is_terminal(stream: IO[str] | None) -> bool:
    try:
        return bool(stream is not None and stream.isatty())
    except (ValueError, OSError):
        return False


@contextlib.contextmanager
def progress(total: int, what: str) -> Iterator[Callable[[int, int, str], None]]:
    """A progress callback ``(done, total, current name)`` drawing one bar on a terminal.

    Off a terminal it does nothing, so redirected output holds no control characters.
    """
    if not is_terminal(sys.stderr) or total <= 0:
        yield lambda _done, _total, _name: None
        return
    from tqdm import tqdm

    bar = tqdm(
        total=total,
        desc=what,
        unit="份",
        file=sys.stderr,
        leave=False,
        dynamic_ncols=True,
        ascii=None if holds_everything(sys.stderr) else True,
        bar_format="{desc} {bar} {n_fmt}/{total_fmt} {postfix}",
    )

    def update(done: int, total_now: int, name: str) -> None:
        bar.total = total_now
        bar.n = done
        bar.set_postfix_str(name[-40:], refresh=False)
        bar.refresh()

    try:
        yield update
    finally:
        bar.close()


__all__ = ["holds_everything", "is_terminal", "json_text", "progress", "setup"]
