"""User-visible labels of the sub-area pages (translated; codes stay in English)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from carbonpeak.core.inventory.model import DISTRICT_AREA
from carbonpeak.web.areas.models import SubArea

QUANTITY_LABELS: dict[str, str | Promise] = {
    "energy_tce": _("Energy use (tce)"),
    "co2_t": _("CO2 emissions (tCO2)"),
    "floor_area_m2": _("Building floor area (m²)"),
}


def area_label(
    code: str, area: SubArea | None, language: str | None, district: tuple[str, str] | None = None
) -> str:
    """An area's name in the page's language: the district (its plan name ``(zh, en)`` when given), a
    sub-area's registry name, or the code."""
    if code == DISTRICT_AREA:
        if district is not None:
            return district[1] if language == "en" else district[0]
        return str(_("Whole district"))
    if area is None:
        return code
    return area.name_en if language == "en" else area.name_zh
