"""Number formatting of the sub-area pages: thousands separators in every language, a dash for unknown."""

from __future__ import annotations

import math

from django import template

register = template.Library()


@register.filter
def grouped(value: float | str | None, digits: int = 0) -> str:
    """``value`` with thousands separators and ``digits`` decimals (``126,000``), or ``—`` when unknown
    (``None``, a missing template variable, or not a finite number)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return "—"
    return f"{float(value):,.{int(digits)}f}"
