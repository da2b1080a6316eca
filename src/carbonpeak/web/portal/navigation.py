"""The platform's navigation: one entry per module, in the order of the plan's journeys.

A module that has not landed yet shows as *planned* (greyed, not a link), so the layout already has its
place. When a module lands it sets ``url_name`` for its entry.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    """One navigation entry."""

    key: str
    label: str | Promise
    url_name: str | None
    """Django URL name, or ``None`` while the module is planned."""
    public: bool = False
    """Whether anonymous visitors see the entry."""


NAVIGATION: tuple[NavItem, ...] = (
    NavItem("home", _("Dashboard"), "portal:home", public=True),
    NavItem("plan", _("Plan"), "plan:browse", public=True),
    NavItem("tracking", _("Targets"), "tracking:list", public=True),
    NavItem("inventory", _("GHG inventory"), "inventory:index", public=True),
    NavItem("areas", _("Sub-areas"), "areas:list"),
    NavItem("buildings", _("Buildings"), "buildings:list"),
    NavItem("disclosure", _("Energy disclosure"), "buildings:disclosure", public=True),
    NavItem("renewables", _("PV and charging"), "renewables:overview"),
    NavItem("waste", _("Waste sorting"), "waste:streets"),
    NavItem("spatial", _("Green space and transport map"), "spatial:map"),
    NavItem("flex", _("Demand response"), "flex:vpp"),
    NavItem("newbuildings", _("New buildings"), "newbuildings:district"),
    NavItem("retrofits", _("Retrofits (M&V)"), "retrofits:district"),
    NavItem("projection", _("Peak outlook"), "projection:index"),
    NavItem("credits", _("Carbon credits"), "credits:public", public=True),
    NavItem("reference", _("Reference data"), "reference:index", public=True),
)
