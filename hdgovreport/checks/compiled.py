"""Straight-line functions made once per layout for the checker's hottest loops.

The checker reads every table cell of every report and tests the printed sums of
Tables 3 and 4 on each.  Done with loops, ``operator.attrgetter`` or
``operator.itemgetter``, each value costs a generic C-level look-up; the same reads and
sums written out as plain Python (``report.applications.granted.total``, ``v[3] + v[4]``)
are specialised by the interpreter into its cheapest instructions.  So the few functions
here write that code, from the layout's field paths and cell positions, and compile it
once: what they compute is exactly what the loops did.

Only identifiers taken from the layout (checked with :meth:`str.isidentifier`) and
integer positions ever go into the compiled source.
"""

from __future__ import annotations

import keyword
from collections.abc import Callable, Sequence
from typing import Any

#: A test on the values of every cell, by position in the layout's order.
CellTest = Callable[[Sequence[Any]], bool]


def _compile(name: str, lines: Sequence[str]) -> Callable[..., Any]:
    """The function ``name`` defined by the source ``lines`` (its ``def`` line first)."""
    namespace: dict[str, Any] = {}
    exec(
        compile("\n".join(lines) + "\n", f"<hdgovreport.checks.compiled.{name}>", "exec"), namespace
    )
    function: Callable[..., Any] = namespace[name]
    return function


def _field_name(name: str) -> str:
    if not name.isidentifier() or keyword.iskeyword(name):
        raise ValueError(f"not a field name: {name!r}")
    return name


def attribute_reader(paths: Sequence[str]) -> Callable[[object], list[object]]:
    """A function of an object giving the values at the dotted attribute ``paths``, in order.

    Each enclosing object is looked up once, when first needed (``a.b`` once for both
    ``a.b.c`` and ``a.b.d``), as the paths of one parent come together in a layout.
    """
    lines = ["def read(obj):"]
    local_of: dict[str, str] = {"": "obj"}  # enclosing path → the local variable holding it
    items: list[str] = []
    for path in paths:
        parent, _, leaf = path.rpartition(".")
        if parent not in local_of:
            enclosing = ""
            for part in parent.split("."):
                here = f"{enclosing}.{part}" if enclosing else part
                if here not in local_of:
                    local_of[here] = f"p{len(local_of)}"
                    lines.append(
                        f"    {local_of[here]} = {local_of[enclosing]}.{_field_name(part)}"
                    )
                enclosing = here
        items.append(f"{local_of[parent]}.{_field_name(leaf)}")
    lines.append(f"    return [{', '.join(items)}]")
    return _compile("read", lines)


def item_getter(positions: Sequence[int]) -> Callable[[Sequence[Any]], tuple[Any, ...]]:
    """A function of a sequence giving the tuple of its items at ``positions``, in order.

    A run of consecutive positions is taken as one slice (copied in C), not item by item.
    """
    runs: list[list[int]] = []  # [first, last] of each run of consecutive positions
    for i in map(int, positions):
        if runs and i == runs[-1][1] + 1:
            runs[-1][1] = i
        else:
            runs.append([i, i])
    items = "".join(
        f"v[{first}], " if first == last else f"*v[{first}:{last + 1}], " for first, last in runs
    )
    return _compile("get", ["def get(v):", f"    return ({items})"])


def equations(sides: Sequence[tuple[Sequence[int], Sequence[int]]]) -> CellTest:
    """A test of a sequence of numbers: for every ``(left, right)`` of ``sides``, the sum of
    the items at the positions ``left`` equals the sum of those at ``right``.

    True when every equation holds (the sums are those of ``sum``: exact for ``int``).
    """

    def total(positions: Sequence[int]) -> str:
        return " + ".join(f"v[{int(i)}]" for i in positions) or "0"

    tests = [f"{total(left)} == {total(right)}" for left, right in sides] or ["True"]
    return _compile("holds", ["def holds(v):", f"    return {' and '.join(tests)}"])
