"""One workbook cell as a value: text, or a number for the structuring step, or the problem.

Also the checks an ``.xlsx`` passes before openpyxl opens it (legacy ``.xls``, text, a zip
bomb) and the opening itself.  Messages are Chinese and name what was meant where it is clear.
"""

from __future__ import annotations

import ast
import datetime as _dt
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any
from xml.etree import ElementTree

import attrs

from hdgovreport.errors import DataFileError, Problem
from hdgovreport.form.layout import ValueType
from hdgovreport.model import values as V

#: Largest workbook accepted, in bytes (ours is about 35 KB), and largest it may unpack to.
MAX_WORKBOOK_BYTES = 10 * 1024 * 1024
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
#: Excel's error values and what each means.
ERRORS = {
    "#REF!": "公式引用的单元格已被删除",
    "#VALUE!": "公式中的值类型不对",
    "#DIV/0!": "公式除以了 0",
    "#NAME?": "公式中有无法识别的名称",
    "#N/A": "公式找不到所需的值",
    "#NUM!": "公式中的数值无效",
    "#NULL!": "公式中的区域不相交",
}
_WORDS = {"count": "非负整数", "signed": "整数", "money": "金额", "yuan": "金额"}

#: A cell whose problem was already said (the structuring step does not see it).
BAD: Any = object()


def cell_text(cell: Any, what: str) -> tuple[str | None, str | None]:
    """A text cell as ``(text, None)`` (``None`` when empty), or ``(None, problem)``.

    A number or date typed into a text cell is taken as its text (``2022``, ``2023-01-31``).
    """
    value = cell.value
    if value is None:
        return None, None
    if cell.data_type == "f" or not isinstance(value, (str, int, float, _dt.date, Decimal)):
        return None, f"{what}是公式，请直接填写文字"
    if cell.data_type == "e":
        return None, f"{what}是错误值 {value}，请直接填写文字"
    if isinstance(value, bool):
        text = "TRUE" if value else "FALSE"
    elif isinstance(value, float):
        text = format(float_decimal(value), "f")
    elif isinstance(value, _dt.datetime):
        text = value.date().isoformat() if value.time() == _dt.time() else value.isoformat(" ")
    elif isinstance(value, _dt.date):
        text = value.isoformat()
    else:
        text = str(value)
    return V.clean_text(text) or None, None


def cell_number(
    cell: CellData, kind: ValueType, cached: Callable[[], Any]
) -> tuple[Any, str | None]:
    """A table cell as ``(raw value, None)`` for the structuring step (``None`` when empty), or
    ``(BAD, problem)``.  ``cached`` gives the value an office program last computed for a
    formula (to suggest it)."""
    value = cell.value
    word = _WORDS[kind]
    if cell.merged_into is not None:
        return BAD, f"这个单元格被合并进了 {cell.merged_into}，请取消合并后填写"
    if value is None:
        return None, None
    formula = str(getattr(value, "text", value))
    if cell.data_type == "f" and formula.lstrip("=").strip() in ERRORS:
        value = formula.lstrip("=").strip()  # an error value typed in, saved as ``=#REF!``
    elif cell.data_type == "f" or (isinstance(value, str) and value.startswith("=")):
        return BAD, formula_message(formula, kind, cached)
    if cell.data_type == "e" or (isinstance(value, str) and value in ERRORS):
        meaning = ERRORS.get(str(value), "")
        said = f"（{meaning}）" if meaning else ""
        return BAD, f"是错误值 {value}{said}，请直接填写{word}（没有就填 0）"
    if isinstance(value, bool):
        return BAD, f"是逻辑值 {'TRUE' if value else 'FALSE'}，应为{word}"
    if isinstance(value, (_dt.date, _dt.time, _dt.timedelta)):
        if isinstance(value, _dt.datetime) and value.time() == _dt.time():
            value = value.date()
        return BAD, (
            f"被识别成了日期或时间（{value}），应为{word}；请把单元格格式改为“常规”后重新填写"
        )
    if isinstance(value, str):
        parsed, problem = V.parse_number_text(kind, value)
        if problem is not None:
            return BAD, problem.message
        return BAD, (
            f"数字存成了文本“{value.strip()}”，应为数值 {parsed}"
            "（请把单元格格式设为“常规”后重新输入）"
        )
    if isinstance(value, float):
        if not _finite(value):
            return BAD, f"应为{word}，实际为 {value}"
        number = float_decimal(value)
        if kind in ("count", "signed") and number == number.to_integral_value():
            return int(number), None
        if kind in ("money", "yuan"):
            return with_places(number, cell.number_format), None
        return number, None
    if isinstance(value, int):
        if kind in ("money", "yuan"):
            return with_places(Decimal(value), cell.number_format), None
        return value, None
    return BAD, f"应为{word}，实际为{V.describe(value)}"


def formula_message(formula: str, kind: ValueType, cached: Callable[[], Any]) -> str:
    """What to say of a formula typed where a number belongs, with the value it gives."""
    shown = formula if len(formula) <= 40 else formula[:40] + "…"
    meant = evaluate(formula)
    if meant is None:
        value = cached()
        if isinstance(value, (int, float)) and not isinstance(value, bool) and _finite(value):
            meant = float_decimal(float(value)) if isinstance(value, float) else Decimal(value)
    if meant is not None:
        if meant == meant.to_integral_value():
            meant = Decimal(int(meant))
        return f"是公式“{shown}”，请直接填写数值 {format(meant, 'f')}（表格里只填数，不填公式）"
    return f"是公式“{shown}”，请直接填写{_WORDS[kind]}（表格里只填数，不填公式）"


def same_label(actual: Any, expected: str) -> bool:
    if not isinstance(actual, str):
        return False
    return actual.strip().replace("\r\n", "\n") == expected.strip()


def _finite(value: float) -> bool:
    return value == value and value not in (float("inf"), float("-inf"))


def float_decimal(value: float) -> Decimal:
    """The number a cell shows (the shortest decimal that is this double), as a Decimal."""
    if value == int(value) and abs(value) < 1e15:
        return Decimal(int(value))
    return Decimal(repr(value))


def with_places(value: Decimal, number_format: str) -> Decimal:
    """An amount with at least the decimal places its cell's number format shows (``0.00``)."""
    found = re.fullmatch(r"0\.(0+)#*", number_format or "")
    if not found:
        return value
    places = len(found.group(1))
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and -exponent < places:
        return value.quantize(Decimal(1).scaleb(-places))
    return value


def evaluate(formula: str) -> Decimal | None:
    """The value of a formula of plain numbers and + - * / (``=1+1``), else ``None``."""
    text = formula.lstrip("=").strip()
    if not text or len(text) > 100 or not re.fullmatch(r"[0-9.+\-*/() ]+", text):
        return None
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError:
        return None

    def value(node: ast.AST) -> Decimal:
        if isinstance(node, ast.Expression):
            return value(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            return Decimal(str(node.value))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.UAdd, ast.USub)):
            inner = value(node.operand)
            return -inner if isinstance(node.op, ast.USub) else inner
        if isinstance(node, ast.BinOp) and isinstance(
            node.op, (ast.Add, ast.Sub, ast.Mult, ast.Div)
        ):
            a, b = value(node.left), value(node.right)
            if isinstance(node.op, ast.Add):
                return a + b
            if isinstance(node.op, ast.Sub):
                return a - b
            if isinstance(node.op, ast.Mult):
                return a * b
            return a / b
        raise ValueError(node)

    try:
        return value(tree).normalize()
    except (ValueError, ArithmeticError):
        return None


@attrs.frozen
class CellData:
    """What the reader needs of one cell (openpyxl's read-only cells, kept by position)."""

    row: int
    column: int
    value: Any = None
    data_type: str = "n"
    number_format: str = "General"
    merged_into: str | None = None  # the merged range covering this cell (not its first cell)

    @property
    def coordinate(self) -> str:
        from openpyxl.utils import get_column_letter

        return f"{get_column_letter(self.column)}{self.row}"


class Sheet:
    """A worksheet's filled cells and merged ranges, read once (openpyxl's read-only mode is
    several times faster than the full one, which rebuilds every merged cell's borders)."""

    def __init__(self, title: str, cells: dict[tuple[int, int], CellData], merges: list[str]):
        from openpyxl.worksheet.cell_range import CellRange

        self.title = title
        self.cells = cells
        self.merges = tuple(merges)
        self.max_row = max((r for r, _c in cells), default=0)
        self._covered: dict[tuple[int, int], str] = {}
        for merged in merges:
            box = CellRange(merged)
            for r, c in box.cells:
                if (r, c) != (box.min_row, box.min_col):
                    self._covered[r, c] = merged

    def cell(self, row: int, column: int) -> CellData:
        found = self.cells.get((row, column))
        covered = self._covered.get((row, column))
        if found is None:
            return CellData(row, column, merged_into=covered)
        return attrs.evolve(found, merged_into=covered) if covered else found

    def __getitem__(self, coordinate: str) -> CellData:
        from openpyxl.utils.cell import coordinate_to_tuple

        row, column = coordinate_to_tuple(coordinate)
        return self.cell(row, column)

    def filled(
        self, min_row: int = 1, max_row: int | None = None, min_col: int = 1
    ) -> Iterator[CellData]:
        """The cells holding a value in the given rows and columns, row by row."""
        for (r, c), cell in sorted(self.cells.items()):
            if r >= min_row and (max_row is None or r <= max_row) and c >= min_col:
                yield cell


def _merged_ranges(data: bytes) -> dict[str, list[str]]:
    """Merged ranges by sheet name, from the workbook's parts (read-only openpyxl omits them)."""
    rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    out: dict[str, list[str]] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        targets = {
            r.get("Id"): str(r.get("Target", ""))
            for r in ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
        }
        for sheet in ElementTree.fromstring(archive.read("xl/workbook.xml")).iter():
            if not sheet.tag.endswith("}sheet"):
                continue
            target = targets.get(sheet.get(rel), "")
            part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            if part not in archive.namelist():
                continue
            xml = archive.read(part)
            out[str(sheet.get("name"))] = [m.decode() for m in _MERGE_CELL.findall(xml)]
    return out


#: ``<mergeCell ref="A3:C5"/>`` (with or without a namespace prefix; ``ref`` is its only attribute).
_MERGE_CELL = re.compile(
    rb"<(?:[A-Za-z_][\w.-]*:)?mergeCell\s+ref\s*=\s*[\"']([A-Z]{1,3}[0-9]+:[A-Z]{1,3}[0-9]+)[\"']"
)


def read_sheets(data: bytes, filename: str, *, data_only: bool = False) -> dict[str, Sheet]:
    """Every worksheet of an ``.xlsx`` (checked by :func:`check_container` first), by name."""
    from openpyxl import load_workbook

    try:
        merges = _merged_ranges(data)
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=data_only, keep_links=False)
        sheets: dict[str, Sheet] = {}
        for ws in wb.worksheets:
            ws.reset_dimensions()  # a wrong <dimension> must not hide rows
            cells: dict[tuple[int, int], CellData] = {}
            for row in ws.iter_rows():
                for c in row:
                    if c.value is None or not hasattr(c, "row"):
                        continue
                    cells[c.row, c.column] = CellData(
                        row=c.row,
                        column=c.column,
                        value=c.value,
                        data_type=c.data_type,
                        number_format=c.number_format or "General",
                    )
            sheets[ws.title] = Sheet(ws.title, cells, merges.get(ws.title, []))
        wb.close()
        return sheets
    except Exception as exc:  # openpyxl failing on a damaged or hostile file
        raise DataFileError(
            filename,
            [
                Problem(
                    f"Excel 工作簿已损坏或结构异常，无法读取（{type(exc).__name__}: {str(exc)[:100]}）"
                )
            ],
        ) from None


def check_container(data: bytes, filename: str) -> None:
    """Refuse what is not an ``.xlsx`` before openpyxl sees it (legacy .xls, text, zip bombs)."""

    def refuse(message: str) -> None:
        raise DataFileError(filename, [Problem(message)])

    if data.startswith(b"\xd0\xcf\x11\xe0"):
        refuse(
            "这是旧版 Excel 97-2003 工作簿（.xls）或 WPS 的 .et 文件：请在 Excel 或 WPS 中“另存为” .xlsx 后再试"
        )
    if not data.startswith(b"PK\x03\x04"):
        head = data[:4096].decode("utf-8", errors="ignore")
        hint = (
            "（内容看起来是 YAML 数据文件，请把扩展名改为 .yaml）"
            if re.search(r"^(?:格式版本|机关名称|报告年度)\s*:", head, re.MULTILINE)
            else ""
        )
        refuse(f"不是 Excel 工作簿（.xlsx）{hint}")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        refuse("Excel 工作簿已损坏（不是完整的 .xlsx 压缩包，文件是否被截断？）")
        return
    names = {i.filename for i in infos}
    if "xl/workbook.xml" not in names:
        kind = "Word 文档" if "word/document.xml" in names else "压缩包"
        refuse(f"这是{kind}，不是 Excel 工作簿（.xlsx）")
    if len(infos) > 10_000 or sum(i.file_size for i in infos) > MAX_UNPACKED_BYTES:
        refuse(
            f"工作簿解压后过大（上限 {MAX_UNPACKED_BYTES // 1024 // 1024} MB），不是本软件的填报表"
        )
