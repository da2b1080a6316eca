"""PV and charging pages: the plan's progress and rules, the district map, the registries, the upload."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from carbonpeak.web.portal.uploads import upload_page
from carbonpeak.web.renewables import selectors, services
from carbonpeak.web.renewables.models import ChargingSite, PvInstallation

IMPORT_PERMISSIONS = {
    "pv": "renewables.add_pvinstallation",
    "chargers": "renewables.add_chargingsite",
}


@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    """Progress against the plan's targets, non-compliant new buildings and sites, map and registries."""
    context = selectors.renewables_summary()
    context["points"] = selectors.map_points()
    context["installations"] = PvInstallation.objects.select_related("building")
    context["sites"] = ChargingSite.objects.select_related("building")
    context["potentials"] = selectors.building_potentials()
    return render(request, "renewables/overview.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def import_files(request: HttpRequest) -> HttpResponse:
    """Upload a PV installation or charging site file (.csv or .xlsx): all rows or none."""

    def run(kind: str, filename: str, content: bytes) -> tuple[list[str], str]:
        outcome = services.renewables_file_import(kind=kind, filename=filename, content=content)
        done = _("%(file)s: %(created)s created, %(updated)s updated, %(unchanged)s unchanged") % {
            "file": filename,
            "created": outcome.created,
            "updated": outcome.updated,
            "unchanged": outcome.unchanged,
        }
        return [str(e) for e in outcome.errors], done

    return upload_page(
        request,
        permissions=IMPORT_PERMISSIONS,
        template="renewables/import.html",
        choose_kind=_("Choose what the file holds: PV installations or charging sites."),
        run=run,
        done_url="renewables:import",
    )
