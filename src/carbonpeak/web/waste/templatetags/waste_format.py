"""Number formatting for the waste pages: thousands separators in every language (zh-Hans has none by
default), so no tonnage shows as 159746 or 1e+06."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def grouped(value: float | int | None, digits: int = 0) -> str:
    """``159746.2`` → ``159,746`` (``digits`` decimals); ``None`` → ``—``."""
    if value is None:
        return "—"
    return f"{float(value):,.{int(digits)}f}"
