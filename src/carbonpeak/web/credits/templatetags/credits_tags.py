"""Template filters of the credits pages: amounts in kg and t with thousands separators, and labels."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

from carbonpeak.web.credits import labels

register = template.Library()


@register.filter
def kg(grams: int | None) -> str:
    """Grams CO2e shown as kg with thousands separators and one decimal."""
    if grams is None:
        return "–"
    return f"{grams / 1000:,.1f}"


@register.filter
def tonnes(grams: int | None) -> str:
    """Grams CO2e shown as t with thousands separators and three decimals."""
    if grams is None:
        return "–"
    return f"{grams / 1_000_000:,.3f}"


@register.filter
def count(value: int | None) -> str:
    """A whole number with thousands separators."""
    return "–" if value is None else f"{value:,}"


@register.filter
def factor(value: float | None) -> str:
    """An emission factor, or a dash when not found."""
    return "–" if value is None else f"{value:.4g}"


def _label(table: dict[str, object], code: str) -> str:
    return str(table.get(code, code))


@register.filter
def behaviour_label(code: str) -> str:
    """Name of a behaviour."""
    return _label(labels.BEHAVIOURS, code)  # type: ignore[arg-type]


@register.filter
def refusal_label(code: str) -> str:
    """Name of a refusal reason."""
    return _label(labels.REFUSALS, code)  # type: ignore[arg-type]


@register.filter
def status_label(code: str) -> str:
    """Name of a methodology status."""
    return _label(labels.STATUSES, code)  # type: ignore[arg-type]


@register.filter
def evidence_label(code: str) -> str:
    """Name of an evidence tag."""
    return _label(labels.EVIDENCE, code)  # type: ignore[arg-type]


@register.filter
def unit_label(code: str) -> str:
    """Name of an activity unit."""
    return _label(labels.UNITS, code)  # type: ignore[arg-type]


@register.filter
def methodology_title(m: object) -> str:
    """A methodology's title in the page language."""
    zh = (get_language() or "").startswith("zh")
    return str(getattr(m, "title_zh" if zh else "title_en", "") or getattr(m, "code", ""))
