"""Demand-response pages: the VPP overview, resources, events (lifecycle, dispatch, settlement, Excel),
the resource upload, and the PV-storage configuration comparison."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import numpy as np
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from carbonpeak.core.errors import CarbonpeakError
from carbonpeak.web.flex import selectors, services
from carbonpeak.web.flex.models import Aggregator, DrEvent
from carbonpeak.web.portal.uploads import upload_page
from carbonpeak.web.tracking.services import Actor

MANAGE = "flex.change_drevent"

TRANSITIONS = {
    "notify": services.event_notify,
    "activate": services.event_activate,
    "complete": services.event_complete,
    "settle": services.event_settle,
}


@login_required
@require_GET
def vpp(request: HttpRequest) -> HttpResponse:
    """The virtual power plant: district totals, the plan's qualitative tasks, pilots and recent events."""
    return render(request, "flex/vpp.html", selectors.vpp_summary())


@login_required
@require_GET
def resources(request: HttpRequest) -> HttpResponse:
    """The resource registry and the aggregators."""
    items = selectors.resources()
    return render(
        request,
        "flex/resources.html",
        {
            "resources": items,
            "aggregators": selectors.aggregators(),
            "synthetic": any(r.synthetic for r in items),
        },
    )


def _float(request: HttpRequest, name: str) -> float:
    raw = request.POST.get(name, "").strip()
    try:
        value = float(raw)
    except ValueError:
        raise CarbonpeakError(
            _("%(field)s: '%(value)s' is not a number") % {"field": name, "value": raw}
        ) from None
    if not np.isfinite(value):
        raise CarbonpeakError(_("%(field)s: must be finite") % {"field": name})
    return value


def _when(request: HttpRequest, name: str) -> datetime:
    raw = request.POST.get(name, "").strip()
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        raise CarbonpeakError(
            _("%(field)s: '%(value)s' is not a date and time") % {"field": name, "value": raw}
        ) from None
    return value if value.tzinfo else value.replace(tzinfo=services.TZ)


@login_required
@require_http_methods(["GET", "POST"])
def events(request: HttpRequest) -> HttpResponse:
    """Events; the office creates a draft event here (with its settlement band from the notice)."""
    errors: list[str] = []
    if request.method == "POST":
        if not request.user.has_perm(MANAGE):
            raise PermissionDenied
        try:
            lower, upper = _float(request, "lower_rate"), _float(request, "upper_rate")
            rule = {
                "rule_id": "event",
                "lower_rate": lower / 100,
                "upper_rate": upper / 100,
                "below_lower": "no_payment",
                "penalty_factor": None,
                "above_upper": "pay_to_upper",
                "source": request.POST.get("rule_source", "").strip() or "event notice",
                "evidence": "V",
            }
            event = services.event_create(
                actor=Actor.for_user(request.user),  # type: ignore[arg-type]
                code=request.POST.get("code", "").strip(),
                event_type=request.POST.get("event_type", ""),
                start=_when(request, "start"),
                end=_when(request, "end"),
                requested_kw=_float(request, "requested_kw"),
                price=_float(request, "price"),
                price_basis=request.POST.get("price_basis", ""),
                settlement_rule=rule,
            )
            return redirect("flex:event", code=event.code)
        except (CarbonpeakError, ValueError) as exc:
            errors = [str(exc)]
    return render(
        request,
        "flex/events.html",
        {"events": selectors.events(), "errors": errors, "types": DrEvent.TYPES, "bases": DrEvent.BASES},
        status=400 if errors else 200,
    )


@login_required
@require_GET
def event(request: HttpRequest, code: str) -> HttpResponse:
    """One event: participations, answers, dispatch, measured results and statements."""
    item = get_object_or_404(DrEvent, code=code)
    context = selectors.event_detail(item)
    context["aggregators"] = Aggregator.objects.order_by("code")
    return render(request, "flex/event.html", context)


@login_required
@require_POST
def event_action(request: HttpRequest, code: str) -> HttpResponse:
    """A lifecycle step, a dispatch, or an answer recorded on an aggregator's behalf."""
    if not request.user.has_perm(MANAGE):
        raise PermissionDenied
    item = get_object_or_404(DrEvent, code=code)
    actor = Actor.for_user(request.user)  # type: ignore[arg-type]
    action = request.POST.get("action", "")
    try:
        if action in TRANSITIONS:
            TRANSITIONS[action](actor=actor, event=item)
        elif action == "dispatch":
            services.event_dispatch(actor=actor, event=item)
        elif action in ("opt_in", "opt_out"):
            agg = get_object_or_404(Aggregator, code=request.POST.get("aggregator", ""))
            services.event_answer(
                actor=actor, event=item, aggregator=agg, opt_in=action == "opt_in", via="web"
            )
        else:
            messages.error(request, _("Unknown action."))
            return redirect("flex:event", code=code)
        messages.success(request, _("Done."))
    except (CarbonpeakError, ValueError) as exc:
        messages.error(request, str(exc))
    return redirect("flex:event", code=code)


@login_required
@require_GET
def statement_xlsx(request: HttpRequest, code: str) -> HttpResponse:
    """The settled event's statements per aggregator and resource, as an Excel workbook."""
    from carbonpeak.io.flex import write_settlement_xlsx

    item = get_object_or_404(DrEvent, code=code, state=DrEvent.SETTLED)
    data = write_settlement_xlsx(
        {
            "code": item.code,
            "start": item.start.astimezone(services.TZ).isoformat(),
            "end": item.end.astimezone(services.TZ).isoformat(),
            "price": item.price,
            "price_basis": item.price_basis,
            "synthetic": item.synthetic,
        },
        selectors.statements(item),
    )
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    suffix = "-SYNTHETIC" if item.synthetic else ""
    response["Content-Disposition"] = f'attachment; filename="settlement-{item.code}{suffix}.xlsx"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def import_resources(request: HttpRequest) -> HttpResponse:
    """Upload a resource registry file (.csv or .xlsx): all rows or none."""

    def run(kind: str, filename: str, content: bytes) -> tuple[list[str], str]:
        outcome = services.resources_file_import(
            actor=Actor.for_user(request.user),  # type: ignore[arg-type]
            filename=filename,
            content=content,
        )
        done = _("%(file)s: %(created)s created, %(updated)s updated, %(unchanged)s unchanged") % {
            "file": filename,
            "created": outcome.created,
            "updated": outcome.updated,
            "unchanged": outcome.unchanged,
        }
        return [str(e) for e in outcome.errors], done

    return upload_page(
        request,
        permissions={"resources": "flex.add_flexresource"},
        template="flex/import.html",
        choose_kind=_("Choose what the file holds."),
        run=run,
        done_url="flex:import",
    )


def _sizes(raw: str, default: list[float]) -> list[float]:
    if not raw.strip():
        return default
    values = [float(v) for v in raw.replace("，", ",").split(",") if v.strip()]
    if not values or any(not np.isfinite(v) or v < 0 for v in values) or len(values) > 6:
        raise ValueError(_("give up to six non-negative sizes separated by commas"))
    return values


@login_required
@require_GET
def compare(request: HttpRequest) -> HttpResponse:
    """Compare battery and PV sizes for a building over its latest four weeks of hourly load."""
    context: dict[str, Any] = {
        "buildings": list(_building_choices()),
        "code": request.GET.get("building", ""),
        "rows": [],
        "errors": [],
        "form": request.GET,
    }
    if context["code"]:
        try:
            context.update(_compare(request))
        except (CarbonpeakError, ValueError) as exc:
            context["errors"] = [str(exc)]
    return render(request, "flex/compare.html", context, status=400 if context["errors"] else 200)


def _building_choices() -> Any:
    from carbonpeak.web.buildings.models import Building

    return Building.objects.order_by("code").values_list("code", "name")


def _compare(request: HttpRequest) -> dict[str, Any]:
    from carbonpeak.core.flex.dispatch import Battery, simulate, tariff_prices
    from carbonpeak.core.pv.yield_ import hourly_yield_per_kwp
    from carbonpeak.io.flex import read_flex_reference
    from carbonpeak.web.buildings.models import Building
    from carbonpeak.web.renewables.selectors import default_weather_year

    building = get_object_or_404(Building, code=request.GET["building"])
    found = selectors.building_hourly(building)
    if found is None:
        raise CarbonpeakError(_("This building has no hourly electricity data."))
    load, hours = found
    if np.isnan(load).any():
        raise CarbonpeakError(
            _("%(n)s of the last 672 hours have no reading: the comparison needs complete data")
            % {"n": int(np.isnan(load).sum())}
        )
    peak_price = float(request.GET.get("peak_price", "") or "nan")
    flat_price = float(request.GET.get("flat_price", "") or "nan")
    valley_price = float(request.GET.get("valley_price", "") or "nan")
    if not all(np.isfinite(p) and p >= 0 for p in (peak_price, flat_price, valley_price)):
        raise CarbonpeakError(
            _(
                "Enter your tariff's peak, flat and valley prices: "
                "the packaged Shanghai tariff has no confirmed prices."
            )
        )
    periods = read_flex_reference().tariff("shanghai-general-commercial")
    priced = [
        type(p)(
            **{
                **p.to_dict(),
                "price_yuan_per_kwh": {"peak": peak_price, "flat": flat_price}.get(p.period, valley_price),
            }
        )
        for p in periods
    ]
    local = [h.astimezone(services.TZ) for h in hours]
    prices = tariff_prices(priced, local)
    registered = sum(p.capacity_kwp for p in building.pv_installations.all())
    pv_sizes = _sizes(request.GET.get("pv_kwp", ""), sorted({0.0, round(registered, 1)}))
    battery_sizes = _sizes(request.GET.get("battery_kwh", ""), [0.0, round(float(load.max()), 0)])
    weather = default_weather_year()
    per_kwp = hourly_yield_per_kwp(
        weather.data, weather.latitude_deg, weather.longitude_deg, weather.altitude_m, [20.0], [180.0]
    )[0]
    hour_of_year = np.array([(h.timetuple().tm_yday - 1) * 24 + h.hour for h in local]) % len(per_kwp)
    days = [h.date().toordinal() for h in local]
    rows = []
    for pv_kwp in pv_sizes:
        pv = per_kwp[hour_of_year] * pv_kwp
        for kwh in battery_sizes:
            battery = (
                Battery(kwh, kwh / 2, round_trip_efficiency=0.9, soc_min=0.1, soc_max=0.9) if kwh else None
            )
            result = simulate(load, pv, prices, battery=battery, day_of_interval=days)
            rows.append({"pv_kwp": pv_kwp, "battery_kwh": kwh, "r": result})
    return {"rows": rows, "building": building, "registered_kwp": registered, "synthetic": building.synthetic}
