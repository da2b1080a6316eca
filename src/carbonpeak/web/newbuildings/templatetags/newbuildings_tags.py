"""Template filters of the new-buildings pages."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def grouped(value: float | None, digits: int = 0) -> str:
    """A number with thousands separators and ``digits`` decimals (trailing zeros dropped when
    ``digits`` is negative), or a dash."""
    if value is None:
        return "—"
    if digits < 0:
        text = f"{value:,.{-digits}f}".rstrip("0").rstrip(".")
        return "0" if text in ("-0", "") else text
    text = f"{value:,.{digits}f}"
    return text[1:] if text.startswith("-") and not text.strip("-0.,") else text
