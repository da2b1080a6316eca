"""Sub-area pages: the list with the sum check, and one page per sub-area (inventory, intensity, buildings).

Both need a signed-in user: they list buildings of the registry, which is not public data.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from carbonpeak.web.areas import selectors
from carbonpeak.web.areas.text import QUANTITY_LABELS, area_label


def _district() -> tuple[str, str] | None:
    """The current plan's district name (zh, en), or ``None`` with no plan loaded."""
    from carbonpeak.web.plan.selectors import current_plan_version

    version = current_plan_version()
    return None if version is None else (version.district_zh, version.district_en)


def _checks(language: str | None) -> list[dict[str, Any]]:
    names = {a.code: a for a in selectors.sub_areas_list()}
    district = _district()
    return [
        {
            **excess.to_dict(),
            "label": QUANTITY_LABELS[excess.quantity],
            "area_label": area_label(excess.area, names.get(excess.area), language, district),
            "part_labels": [area_label(p, names.get(p), language) for p in excess.parts],
        }
        for excess in selectors.sum_check()
    ]


@require_GET
@login_required
def area_list(request: HttpRequest) -> HttpResponse:
    """The district and its sub-areas with their latest inventory year, buildings, and the sum check."""
    language = get_language()
    rows = selectors.areas_overview()
    district = _district()
    for row in rows:
        row["label"] = area_label(row["code"], row["area"], language, district)
    return render(
        request,
        "areas/list.html",
        {
            "rows": rows,
            "checks": _checks(language),
            "unregistered": selectors.unregistered_areas(),
            "district_code": selectors.district_area(),
        },
    )


@require_GET
@login_required
def area_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One sub-area: its own inventory and intensity by year, its buildings, and its sum-check warnings."""
    area = selectors.sub_area_get(code=code)
    if area is None:
        raise Http404("no such sub-area")
    language = get_language()
    children = [a for a in selectors.sub_areas_list() if a.parent_id == area.pk]
    checks = [c for c in _checks(language) if c["area"] == code or code in c["parts"]]
    buildings = selectors.area_buildings(code=code)
    return render(
        request,
        "areas/detail.html",
        {
            "area": area,
            "label": area_label(code, area, language),
            "parent_label": area_label(area.parent.code, area.parent, language) if area.parent else None,
            "children": [(c, area_label(c.code, c, language)) for c in children],
            "inventory": selectors.area_inventory(area=code),
            "buildings": buildings,
            "floor_area_m2": selectors.floor_area_m2(code=code),
            "checks": checks,
        },
    )
