"""Template filters of the retrofit pages."""

from __future__ import annotations

import math
from typing import Any

from django import template

register = template.Library()


@register.filter
def grouped(value: Any, digits: int = 0) -> str:
    """A number with thousands separators in every language (``12,000``); ``—`` when missing."""
    if value is None or value == "":
        return "—"
    number = float(value)
    if not math.isfinite(number):
        return "—"
    return f"{number:,.{int(digits)}f}"


@register.filter
def flag_code(flag: str) -> str:
    """The code of a result flag (the part before its colon)."""
    return str(flag).split(":", 1)[0].strip()
