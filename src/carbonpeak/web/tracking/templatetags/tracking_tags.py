"""Template helpers for tracking pages: status and state labels in the page's language."""

from __future__ import annotations

from django import template
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

register = template.Library()

STATUS_LABELS: dict[str, Promise] = {
    "achieved": _("achieved"),
    "on_track": _("on track"),
    "at_risk": _("at risk"),
    "off_track": _("off track"),
    "no_data": _("no data"),
    "not_yet_due": _("not yet due"),
}
STATE_LABELS: dict[str, Promise] = {
    "draft": _("draft"),
    "submitted": _("pending approval"),
    "approved": _("approved"),
    "returned": _("returned"),
    "missing": _("not reported"),
}
KIND_LABELS: dict[str, Promise] = {
    "computed": _("computed"),
    "reported": _("reported by the unit"),
    "milestones": _("milestones"),
}


@register.filter
def status_label(status: str) -> str:
    """The status's name: 达成, 正常推进, ... (or English)."""
    return str(STATUS_LABELS.get(status, status))


@register.filter
def state_label(state: str) -> str:
    """The name of a reported value's state."""
    return str(STATE_LABELS.get(state, state))


@register.filter
def kind_label(kind: str) -> str:
    """How a target's values arrive."""
    return str(KIND_LABELS.get(kind, kind))


@register.filter
def number(value: float | None) -> str:
    """A value with up to 4 significant decimals, or a dash."""
    if value is None:
        return "–"
    return f"{value:,.4g}" if abs(value) < 1e4 else f"{value:,.0f}"


@register.filter
def get_item(mapping: dict[str, object], key: str) -> object:
    """``mapping[key]`` in a template (``None`` when missing)."""
    return mapping.get(key) if mapping else None
