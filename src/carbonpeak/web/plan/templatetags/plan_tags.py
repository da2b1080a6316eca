"""Template helpers for the plan browser: the language's field, comparator and deadline labels."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def local(obj: Any, field: str) -> Any:
    """``obj.<field>_en`` when the page is in English (and it is set), else ``obj.<field>_zh``."""
    if (get_language() or "").startswith("en"):
        value = getattr(obj, f"{field}_en", "")
        if value:
            return value
    return getattr(obj, f"{field}_zh", "")


def _number(value: float) -> str:
    return f"{value:g}"


@register.filter
def target_value(target: Any) -> str:
    """The target's requirement in a few symbols: ``≥ 50 %``, ``−12 % vs 2021``, ``+650 个``."""
    unit = "" if target.unit in ("", "dimensionless") else f" {target.unit}"
    value = None if target.value is None else _number(target.value)
    comparator = target.comparator
    if comparator == "qualitative":
        return _("qualitative")
    if comparator == "peak_by":
        return _("peak by %(year)s") % {"year": target.deadline_last_year}
    if value is None:
        return _("value not stated")
    if comparator == "at_least":
        return f"≥ {value}{unit}"
    if comparator == "at_most":
        return f"≤ {value}{unit}"
    if comparator == "reduction_pct":
        return _("−%(value)s %% vs %(year)s") % {"value": value, "year": target.baseline_year}
    if comparator == "cumulative_addition":
        return f"+{value}{unit}"
    return f"{value}{unit}"


@register.filter
def deadline_label(target: Any) -> str:
    """The deadline as the plan says it: ``2025``, ``十四五 (2021–2025)``, ``from 2022``, ``ongoing``."""
    kind = target.deadline_kind
    if kind == "year":
        return str(target.deadline)
    if kind == "ongoing":
        return _("ongoing")
    if kind == "from":
        return _("from %(year)s") % {"year": target.deadline_first_year}
    return f"{target.deadline} ({target.deadline_first_year}–{target.deadline_last_year})"


@register.filter
def unit_kind_label(kind: str) -> str:
    """A readable name of a unit kind."""
    labels = {
        "commission": _("commission"),
        "bureau": _("bureau"),
        "street_office": _("street office"),
        "state_company": _("state company"),
        "other": _("other"),
    }
    return labels.get(kind, kind)


@register.filter
def computed_value(target: Any, computed: dict[str, list[dict[str, Any]]] | None) -> dict[str, Any] | None:
    """The latest value the platform computes for the target's indicator that applies to the target, if any
    (a value computed for another target of the same indicator is not shown)."""
    values = [
        v for v in (computed or {}).get(target.indicator.code, []) if v.get("target") in (None, target.code)
    ]
    return values[-1] if values else None
