"""Sub-area API: the registry, each sub-area's own inventory, intensity and buildings, and the sum check.

Every read needs a signed-in session (the building registry is not public data); there are no writes here
(files are imported with ``carbonpeak areas import FILE``).
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router
from ninja.security import django_auth

from carbonpeak.web.areas import selectors
from carbonpeak.web.areas.models import SubArea

router = Router(tags=["areas"])


def _area(area: SubArea) -> dict[str, Any]:
    return {
        "code": area.code,
        "name_zh": area.name_zh,
        "name_en": area.name_en,
        "parent": area.parent.code if area.parent else None,
        "has_boundary": area.boundary is not None,
        "synthetic": area.synthetic,
    }


@router.get("/", response=dict[str, Any], auth=django_auth, summary="Sub-areas and the sum check")
def areas(request: HttpRequest) -> dict[str, Any]:
    """Every sub-area (parents first), the district's ``area`` code, the sum-check warnings and the area
    codes of activity rows that are neither the district nor a registered sub-area."""
    return {
        "district_area": selectors.district_area(),
        "sub_areas": [_area(a) for a in selectors.sub_areas_list()],
        "warnings": [w.to_dict() for w in selectors.sum_check()],
        "unregistered_areas": selectors.unregistered_areas(),
    }


@router.get("/check", response=list[dict[str, Any]], auth=django_auth, summary="The sum check")
def check(request: HttpRequest) -> list[dict[str, Any]]:
    """Where sub-areas add up to more than the area they lie in (energy, CO2 by year; floor area)."""
    return [w.to_dict() for w in selectors.sum_check()]


@router.get("/{code}", response=dict[str, Any], auth=django_auth, summary="One sub-area")
def area(request: HttpRequest, code: str) -> dict[str, Any]:
    """A sub-area with its boundary, its own inventory and intensity by year, its buildings (with those of
    the sub-areas below it) and the sum-check warnings that concern it."""
    found = selectors.sub_area_get(code=code)
    if found is None:
        raise Http404(f"no sub-area '{code}'")
    buildings = selectors.area_buildings(code=code)
    return {
        **_area(found),
        "boundary": found.boundary,
        "inventory": selectors.area_inventory(area=code).as_dict(),
        "buildings": [
            {
                "id": b.code,
                "name": b.name,
                "sub_area": b.sub_area.code if b.sub_area else None,
                "floor_area_m2": b.floor_area_m2,
                "year_built": b.year_built,
                "synthetic": b.synthetic,
            }
            for b in buildings
        ],
        "floor_area_m2": selectors.floor_area_m2(code=code),
        "warnings": [w.to_dict() for w in selectors.sum_check() if w.area == code or code in w.parts],
    }
