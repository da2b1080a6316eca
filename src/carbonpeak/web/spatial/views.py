"""Spatial pages: the map (一张图) with the indicator cards, and the layer and vehicle imports."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from carbonpeak.core.spatial.features import LayerKind
from carbonpeak.web.portal.uploads import upload_page
from carbonpeak.web.spatial import selectors, services
from carbonpeak.web.spatial.cards import indicator_cards, life_circle_card

VEHICLES = "vehicles"
IMPORT_PERMISSIONS = {
    **{k.value: "spatial.add_mapfeature" for k in LayerKind},
    VEHICLES: "spatial.add_vehicle",
}


def _map_labels() -> dict[str, str]:
    return {
        "served": _("served"),
        "unserved": _("not served"),
        "nearest": _("Nearest bus stops"),
        "stop": _("Bus stop"),
        "distance": _("Distance (m)"),
        "none": _("No bus stops"),
        "opened": _("opened"),
        "parks": _("Parks and green spaces"),
        "residential": _("Residential land"),
        "holes": _("Outside park service radius"),
        "greenways": _("Greenways"),
        "vertical": _("Vertical greening"),
        "stations": _("Rail stations"),
        "stops": _("Bus stops"),
        "boundary": _("Sub-area boundaries"),
        "paths": _("Walking paths"),
    }


@login_required
@require_GET
def map_page(request: HttpRequest) -> HttpResponse:
    """The district map: every layer, the park coverage holes, the stations with their nearest stops, and
    each spatial and fleet target's computed value against its target."""
    radius = selectors.bus_radius_m()
    data = selectors.map_data(bus_radius_m=radius)
    context: dict[str, Any] = {
        "map": asdict(data),
        "synthetic": data.synthetic,
        "cards": indicator_cards(),
        "life_circle": life_circle_card(),
        "layers": selectors.layer_counts(),
        "crs": selectors.district_crs(),
        "bus_radius_m": radius,
        "labels": _map_labels(),
    }
    return render(request, "spatial/map.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def import_files(request: HttpRequest) -> HttpResponse:
    """Upload a map layer (GeoJSON, CSV points, GeoPackage, zipped Shapefile) or a vehicle registry
    (.csv/.xlsx): all features or rows, or none."""

    def run(kind: str, filename: str, content: bytes) -> tuple[list[str], str]:
        if kind == VEHICLES:
            vehicles = services.vehicle_file_import(filename=filename, content=content)
            done = _("%(file)s: %(created)s created, %(updated)s updated, %(unchanged)s unchanged") % {
                "file": filename,
                "created": vehicles.created,
                "updated": vehicles.updated,
                "unchanged": vehicles.unchanged,
            }
            return vehicles.errors, done
        layer = services.layer_file_import(kind=kind, filename=filename, content=content)
        done = _("%(file)s: %(created)s features imported, %(replaced)s replaced") % {
            "file": filename,
            "created": layer.created,
            "replaced": layer.replaced,
        }
        return layer.errors, done

    return upload_page(
        request,
        permissions=IMPORT_PERMISSIONS,
        template="spatial/import.html",
        choose_kind=_("Choose what the file holds."),
        run=run,
        done_url="spatial:import",
    )
