"""Settings of the graphic edition (图解版) that an agency keeps in its data file.

They change what the graphic shows, never a figure of the report: the name of
the source the graphic cites, and which rates the graphic may compute from
the report's figures (none by default: the graphic shows what the report says).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal

import attrs

from hdgovreport.model import _fields as f

#: Rates the graphic can compute from the report's own figures, when the data file asks.
#: ``correction_rate`` (纠正率): 结果纠正 ÷ (结果维持 + 结果纠正 + 其他结果) of each Table 4 group.
DerivedRate = Literal["correction_rate"]
DERIVED_RATES: tuple[DerivedRate, ...] = ("correction_rate",)


def _source(value: object) -> object:
    """The report's name without the 《》 the source line adds; blank means the report's title."""
    value = f.clean_optional(value)
    if isinstance(value, str):
        value = f.clean_optional(value.removeprefix("《").removesuffix("》"))
    return value


def _rates(value: Iterable[str] | str) -> tuple[str, ...]:
    return tuple(dict.fromkeys((value,) if isinstance(value, str) else value))


def _known_rates(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    from hdgovreport.errors import InvalidValueError

    if not isinstance(value, tuple):
        raise InvalidValueError(attribute.name, f"应为比率名称的列表，实际为 {value!r}")
    unknown = [r for r in value if r not in DERIVED_RATES]
    if unknown:
        raise InvalidValueError(
            attribute.name, f"不支持的比率：{unknown!r}；可选：{', '.join(DERIVED_RATES)}"
        )


@attrs.frozen(kw_only=True)
class GraphicSettings:
    """The data file's ``图解`` settings.

    ``source`` names the report the graphic's source line cites
    (``数据来源：《…》``, stored without the 《》); ``None`` cites the report's own title.  ``rates`` are
    the derived rates the graphic shows, labelled as computed (``纠正率``);
    empty by default.
    """

    source: str | None = attrs.field(
        default=None, converter=_source, validator=attrs.validators.optional(f.text)
    )
    rates: tuple[DerivedRate, ...] = attrs.field(
        default=(), converter=_rates, validator=_known_rates
    )

    @property
    def is_default(self) -> bool:
        return self.source is None and not self.rates


#: The settings of a data file that has none.
NO_SETTINGS = GraphicSettings()
