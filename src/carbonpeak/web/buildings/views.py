"""Building pages (signed in), the district map, and the public disclosure ranking."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from carbonpeak.core.buildings.categories import CATEGORIES
from carbonpeak.core.buildings.metrics import year_over_year_pct
from carbonpeak.specs.reference import PRIMARY_USES
from carbonpeak.web.buildings import selectors, services
from carbonpeak.web.buildings.models import Building
from carbonpeak.web.portal.uploads import upload_page
from carbonpeak.web.reference.selectors import factor_library

SHANGHAI = ZoneInfo("Asia/Shanghai")
SORT_KEYS = (
    "id",
    "primary_use",
    "floor_area_m2",
    "eui_kwh_per_m2",
    "eui_kgce_per_m2",
    "co2_t",
    "quota_status",
    "coverage_pct",
    "peer_percentile",
)


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("year", "")
    if raw:
        if not raw.isdigit() or not 1990 <= int(raw) <= 2100:
            raise Http404("year")
        return int(raw)
    return selectors.latest_year_with_data() or date.today().year


@login_required
@require_GET
def building_list(request: HttpRequest) -> HttpResponse:
    """All buildings with their year's metrics; filter by use, street and quota status; sort by any column."""
    year = _year(request)
    rows = [
        m.values | {"name": m.building.name, "street": m.building.street}
        for m in selectors.metrics_for_year(year=year)
    ]
    use, street, status = (request.GET.get(k, "") for k in ("use", "street", "status"))
    rows = [
        r
        for r in rows
        if (not use or r["primary_use"] == use)
        and (not street or r["street"] == street)
        and (not status or r["quota_status"] == status)
    ]
    sort = request.GET.get("sort", "id")
    if sort.lstrip("-") not in SORT_KEYS:
        raise Http404("sort")
    key = sort.lstrip("-")
    rows.sort(
        key=lambda r: (r[key] is None, r[key] if r[key] is not None else 0), reverse=sort.startswith("-")
    )
    streets = sorted(set(Building.objects.exclude(street="").values_list("street", flat=True)))
    return render(
        request,
        "buildings/list.html",
        {
            "rows": rows,
            "year": year,
            "uses": PRIMARY_USES,
            "streets": streets,
            "sort": sort,
            "filters": {"use": use, "street": street, "status": status},
            "quarantine": selectors.quarantine_counts(),
        },
    )


@login_required
@require_GET
def building_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One building: load profile by sub-category, monthly bars, EUI against quota, alerts, data quality."""
    building = get_object_or_404(Building.objects.prefetch_related("meters"), code=code)
    year = _year(request)
    library = factor_library()
    (metrics,) = selectors.metrics_for_year(year=year, buildings=[building], library=library)
    now = datetime.now(SHANGHAI)
    recent = selectors.coverage_pct(building, now - timedelta(days=30), now)
    alerts = []
    if metrics.values["quota_status"] == "over_constraint":
        alerts.append("over_constraint")
    if metrics.values.get("pue_status") == "over_limit":
        alerts.append("pue_over_limit")
    if metrics.values["coverage_pct"] is not None and metrics.values["coverage_pct"] < 90:
        alerts.append("low_coverage")
    quarantined = selectors.quarantined(building)
    totals = selectors.meter_year_totals(building, year)
    if quarantined:
        alerts.append("quarantine")
    (previous,) = selectors.metrics_for_year(year=year - 1, buildings=[building], library=library)
    now_eui, before_eui = metrics.values["eui_kgce_per_m2"], previous.values["eui_kgce_per_m2"]
    yoy = (
        round(year_over_year_pct(now_eui, before_eui), 1)
        if now_eui is not None
        and before_eui
        and metrics.values["energy_kwh"]
        and previous.values["energy_kwh"]
        else None
    )
    return render(
        request,
        "buildings/detail.html",
        {
            "building": building,
            "year": year,
            "m": metrics.values,
            "factors": metrics.factors,
            "flags": metrics.flags,
            "profile": selectors.hourly_profile(building),
            "monthly": selectors.monthly_bars(building, year),
            "alerts": alerts,
            "recent_coverage": recent,
            "quarantined": quarantined,
            "meters": [(m, CATEGORIES[m.category], totals.get(m.code)) for m in building.meters.all()],
            "yoy_pct": yoy,
            "base_load": selectors.base_load(building),
            "weather": selectors.weather_normalised(building, year, library),
            "public": selectors.public_institution(building, year, library),
            "audit": selectors.audit_status(building, now.date()),
        },
    )


@login_required
@require_GET
def district_map(request: HttpRequest) -> HttpResponse:
    """Every building with coordinates, coloured by its EUI against its quota (no tile server needed)."""
    year = _year(request)
    points = [
        {
            "id": m.building.code,
            "name": m.building.name,
            "lon": m.building.lon,
            "lat": m.building.lat,
            "status": m.values["quota_status"],
            "ratio": m.values["quota_value"] / m.values["quota_constraint"]
            if m.values["quota_value"] and m.values["quota_constraint"]
            else None,
            "eui": m.values["eui_kgce_per_m2"],
            "rings": _outer_rings(m.building.footprint),
        }
        for m in selectors.metrics_for_year(year=year)
        if m.building.lat is not None and m.building.lon is not None
    ]
    return render(request, "buildings/map.html", {"points": points, "year": year})


@login_required
@require_GET
def audit_list(request: HttpRequest) -> HttpResponse:
    """Public buildings over 10,000 m² that need energy audits (三(三)3), with last and next audit dates."""
    status = request.GET.get("status", "")
    rows = selectors.audit_list(today=datetime.now(SHANGHAI).date())
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["status"]] = counts.get(row["status"], 0) + 1
    if status:
        rows = [r for r in rows if r["status"] == status]
    return render(request, "buildings/audits.html", {"rows": rows, "counts": counts, "status": status})


def _outer_rings(footprint: Any) -> list[list[list[float]]]:
    """Outer rings ([[lon, lat], ...]) of a GeoJSON Polygon or MultiPolygon footprint (none otherwise)."""
    if not isinstance(footprint, dict):
        return []
    kind, coordinates = footprint.get("type"), footprint.get("coordinates") or []
    if kind == "Polygon" and coordinates:
        return [coordinates[0]]
    if kind == "MultiPolygon":
        return [polygon[0] for polygon in coordinates if polygon]
    return []


def _disclosure_rows(year: int) -> dict[str, list[dict[str, Any]]]:
    buildings = list(Building.objects.filter(publishable=True).prefetch_related("meters"))
    now = {m.building.pk: m.values for m in selectors.metrics_for_year(year=year, buildings=buildings)}
    before = {m.building.pk: m.values for m in selectors.metrics_for_year(year=year - 1, buildings=buildings)}
    grouped: dict[str, list[dict[str, Any]]] = {}
    for building in buildings:
        values = now[building.pk]
        if values["eui_kgce_per_m2"] is None or not values["energy_kwh"]:
            continue
        previous = before[building.pk]["eui_kgce_per_m2"]
        trend = round(year_over_year_pct(values["eui_kgce_per_m2"], previous), 1) if previous else None
        grouped.setdefault(building.primary_use, []).append(
            values | {"name": building.name, "trend_pct": trend}
        )
    for rows in grouped.values():
        rows.sort(key=lambda r: r["eui_kgce_per_m2"])
        for rank, row in enumerate(rows, start=1):
            row["rank"] = rank
    return dict(sorted(grouped.items()))


@require_GET
def disclosure(request: HttpRequest) -> HttpResponse:
    """Public ranking of publishable buildings by category (能效公示): EUI, quota status and trend."""
    year = _year(request)
    groups = _disclosure_rows(year)
    synthetic = any(r["synthetic"] for rows in groups.values() for r in rows)
    return render(
        request, "buildings/disclosure.html", {"groups": groups, "year": year, "synthetic": synthetic}
    )


@require_GET
def disclosure_export(request: HttpRequest) -> FileResponse:
    """The disclosure ranking as Excel."""
    from openpyxl import Workbook

    year = _year(request)
    groups = _disclosure_rows(year)
    book = Workbook()
    sheet = book.active
    sheet.title = f"disclosure-{year}"
    if any(r["synthetic"] for rows in groups.values() for r in rows):
        sheet.append(["合成数据 SYNTHETIC DATA — not official statistics"])
    sheet.append(
        [
            "primary_use",
            "rank",
            "id",
            "name",
            "floor_area_m2",
            "eui_kgce_per_m2",
            "eui_kwh_per_m2",
            "quota_id",
            "quota_constraint",
            "quota_status",
            "trend_pct",
            "year",
        ]
    )
    for use, rows in groups.items():
        for r in rows:
            sheet.append(
                [
                    use,
                    r["rank"],
                    r["id"],
                    r["name"],
                    r["floor_area_m2"],
                    r["eui_kgce_per_m2"],
                    r["eui_kwh_per_m2"],
                    r["quota_id"],
                    r["quota_constraint"],
                    r["quota_status"],
                    r["trend_pct"],
                    year,
                ]
            )
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return FileResponse(buffer, as_attachment=True, filename=f"carbonpeak-disclosure-{year}.xlsx")


IMPORT_PERMISSIONS = {
    "buildings": "buildings.add_building",
    "meters": "buildings.add_meter",
    "readings": "buildings.add_reading",
}


@login_required
@require_http_methods(["GET", "POST"])
def import_files(request: HttpRequest) -> HttpResponse:
    """Upload a building registry, meter or readings file (.csv or .xlsx), with the same checks as the CLI."""

    def run(kind: str, filename: str, content: bytes) -> tuple[list[str], str]:
        result = services.buildings_file_import(kind=kind, filename=filename, content=content)
        return result.errors, "" if result.errors else _summary(result)

    return upload_page(
        request,
        permissions=IMPORT_PERMISSIONS,
        template="buildings/import.html",
        choose_kind=_("Choose what the file holds: buildings, meters or readings."),
        run=run,
        done_url="buildings:import",
    )


def _summary(result: services.FileImport) -> str:
    if result.ingest is not None:
        r = result.ingest
        return _(
            "%(file)s: %(received)s received, %(accepted)s accepted, %(duplicates)s duplicates, "
            "%(conflicts)s conflicts, %(quarantined)s quarantined, %(corrected)s corrected"
        ) % {"file": result.filename, **r.__dict__}
    assert result.outcome is not None
    text = _("%(file)s: %(created)s created, %(updated)s updated") % {
        "file": result.filename,
        "created": result.outcome.created,
        "updated": result.outcome.updated,
    }
    if result.outcome.recomputed:
        text += " · " + _("recomputed: %(meters)s") % {"meters": ", ".join(result.outcome.recomputed)}
    return text
