"""Number formatting for the flex pages: thousands separators and a dash for unknown values."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def grouped(value: float | str | None, digits: int = 0) -> str:
    """``value`` with thousands separators and ``digits`` decimals, or a dash when it is unknown."""
    if value is None or value == "":
        return "—"
    return f"{float(value):,.{int(digits)}f}"


@register.filter
def percent(value: float | None) -> str:
    """A fraction as a whole percentage, or a dash."""
    if value is None:
        return "—"
    return f"{float(value) * 100:,.0f} %"
