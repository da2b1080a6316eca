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
