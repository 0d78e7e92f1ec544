"""Validators and converters for model fields: every value is checked where it is stored."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import attrs

from hdgovreport.errors import InvalidValueError
from hdgovreport.model import values

Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]


def _validator(check: Callable[[Any], str | None]) -> Validator:
    def validate(_instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        problem = check(value)
        if problem is not None:
            raise InvalidValueError(attribute.name, problem)

    return validate


#: A non-negative integer cell.
count = _validator(values.problem_count)
#: A signed integer cell (2019 edition ``本年增/减``).
signed = _validator(values.problem_signed)
#: An amount in 万元 with at most 6 decimals (one fen).
money = _validator(values.problem_money)
#: An amount in 元 with at most 2 decimals.
yuan = _validator(values.problem_yuan)
#: One line of user text.
text = _validator(values.problem_text)


def clean(value: Any) -> Any:
    """Converter: strip layout whitespace around text (other values pass through)."""
    return values.clean_text(value) if isinstance(value, str) else value


def clean_optional(value: Any) -> Any:
    """Converter for optional text: blank means absent."""
    value = clean(value)
    return None if value == "" else value


def paragraphs(value: Iterable[Any]) -> tuple[Any, ...]:
    """Converter: any iterable of paragraphs to a tuple of stripped strings."""
    if isinstance(value, str):  # a lone string is one paragraph, not its characters
        value = (value,)
    return tuple(clean(v) for v in value)


def each_paragraph(_instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    for i, item in enumerate(value):
        problem = values.problem_text(item, what="段落")
        if problem is not None:
            raise InvalidValueError(f"{attribute.name}[{i}]", problem)


def instance_of(*kinds: type[Any]) -> Validator:
    """Validator: the value is one of ``kinds`` (named in the Chinese message)."""

    def validate(_instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, kinds):
            names = " 或 ".join(k.__name__ for k in kinds)
            raise InvalidValueError(attribute.name, f"应为 {names}，实际为{values.describe(value)}")

    return validate


def each_instance_of(*kinds: type[Any]) -> Validator:
    """Validator: every item of a tuple is one of ``kinds``."""
    single = instance_of(*kinds)

    def validate(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        for i, item in enumerate(value):
            try:
                single(instance, attribute, item)
            except InvalidValueError as exc:
                raise InvalidValueError(f"{attribute.name}[{i}]", exc.message) from None

    return validate
