"""The agency's website, when the report names it (section 6 or the opening)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from hdgovreport.model import OtherMatters

_URL = re.compile(
    r"(?:网址|网站|网页)[^。；;\s]{0,20}?[:：]?\s*((?:https?://)?(?:www\.)?[A-Za-z0-9.-]+\.(?:gov\.cn|cn|com|org|net)(?:/[\x21-\x7e]*)?)"
)


def website(opening: Sequence[str], other: OtherMatters) -> str | None:
    """The website section 6 (or the opening) names (``网站网址:http://…``), or ``None``."""
    for text in [
        *other.intro,
        *(b.text for s in other.subsections for b in s.content),
        *opening,
    ]:
        m = _URL.search(text)
        if m:
            return m.group(1).rstrip(".,，。)）")
    return None


__all__ = ["website"]
