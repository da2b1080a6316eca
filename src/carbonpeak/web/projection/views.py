"""Projection pages: the scenario page with lever sliders, and saving a scenario from the sliders."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from carbonpeak.core.errors import CarbonpeakError
from carbonpeak.core.inventory.model import SECTORS
from carbonpeak.core.projection import DEFAULT_DRAWS, DEFAULT_PEAK_TEST, LEVER_ORDER, lever_class
from carbonpeak.core.projection import Scenario as CoreScenario
from carbonpeak.web.projection import selectors, services
from carbonpeak.web.projection.forms import ScenarioSaveForm
from carbonpeak.web.projection.levers import SLIDER_MAX_PCT, SLIDER_MIN_PCT, SLIDER_STEP_PCT
from carbonpeak.web.projection.models import Scenario
from carbonpeak.web.projection.text import EFFECT_LABELS, LEVER_LABELS, PEAK_TEST_LABELS

SEED = 0


SAVE_GROUPS = ("office", "analyst")
"""Groups that may save scenarios (the office and analysts, as in ``docs/tracking.md``)."""


def can_save(user: Any) -> bool:
    """Who may save scenarios: the office or an analyst (a superuser, a staff user, or a member of the
    ``office`` or ``analyst`` group). Unit reporters and viewers may only read."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or user.is_staff:
        return True
    return bool(user.groups.filter(name__in=SAVE_GROUPS).exists())


def _int(value: str | None) -> int | None:
    return int(value) if value and value.lstrip("-").isdigit() else None


def _scenario_assumptions(scenario: CoreScenario, record: Scenario | None) -> list[dict[str, Any]]:
    """The scenario's own inputs (driver growth, intensity change, grid pathway) with where they come from."""
    source = record.note if record is not None and record.note else _("core default")
    rows: list[dict[str, Any]] = []
    for kind, unit, values in (
        ("driver_growth", "1/a", scenario.driver_growth),
        ("intensity_change", "1/a", scenario.intensity_change),
    ):
        for item, rate in values.items():
            text = (
                f"{rate:+.4f}"
                if isinstance(rate, int | float)
                else ", ".join(f"{y}: {v:+.4f}" for y, v in sorted(rate.items()))
            )
            rows.append({"item": f"{kind}:{item}", "value": text, "unit": unit, "source": source})
    if scenario.grid_t_per_mwh:
        text = ", ".join(f"{y}: {v:.3f}" for y, v in sorted(scenario.grid_t_per_mwh.items()))
        rows.append({"item": "grid_t_per_mwh", "value": text, "unit": "tCO2/MWh", "source": source})
    return rows


@require_GET
@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Lever sliders, fan chart, wedges, peak-year histogram, LMDI table, comparison and assumptions."""
    try:
        inputs = selectors.inputs_get()
    except selectors.ProjectionUnavailableError as exc:
        return render(request, "projection/empty.html", {"problem": str(exc)})
    names = selectors.scenario_names()
    name = request.GET.get("scenario") or "plan"
    compare = request.GET.get("compare") or ("bau" if name != "bau" else "plan")
    version = _int(request.GET.get("version"))
    peak_test = request.GET.get("peak_test") or DEFAULT_PEAK_TEST
    peak = selectors.plan_peak()
    try:
        scenario = selectors.scenario_model(name=name, version=version)
        other = selectors.scenario_model(name=compare)
        positions = selectors.slider_positions(name=name, version=version)
        years = list(range(scenario.base_year, scenario.horizon + 1))
        year_from = _int(request.GET.get("year_from")) or years[0]
        year_to = _int(request.GET.get("year_to")) or inputs.calibration.last_history_year + 6
        if year_from not in years or year_to not in years:
            year_from, year_to = years[0], years[-1]
        first = selectors.outlook(
            inputs,
            scenario,
            draws=DEFAULT_DRAWS,
            seed=SEED,
            year_from=year_from,
            year_to=year_to,
            peak_test=peak_test,
        )
        second = selectors.outlook(inputs, other, draws=DEFAULT_DRAWS, seed=SEED, peak_test=peak_test)
    except CarbonpeakError as exc:
        return render(request, "projection/empty.html", {"problem": str(exc)}, status=400)
    plan = selectors.scenario_model(name="plan")
    planned = {p.lever.code: p for p in selectors.planned_levers()}
    levers = [
        {
            "code": code,
            "label": LEVER_LABELS[code],
            "clause": planned[code].clause,
            "task": lever_class(code).task,
            "value": int(positions[code]),
        }
        for code in LEVER_ORDER
        if code in planned
    ]
    record = selectors.scenario_record(name=name, version=version)
    context = {
        "inputs": inputs,
        "names": names,
        "name": name,
        "compare": compare,
        "peak_test": peak_test,
        "peak_tests": [(code, PEAK_TEST_LABELS[code]) for code in selectors.peak_tests()],
        "peak": peak,
        "no_plan_peak": _(
            "No plan with a peak year is loaded: load the plan to see P(peak by the plan's year)."
        ),
        "record": record,
        "versions": selectors.scenario_versions(name=name),
        "levers": levers,
        "slider": {"min": SLIDER_MIN_PCT, "max": SLIDER_MAX_PCT, "step": SLIDER_STEP_PCT},
        "years": years,
        "year_from": year_from,
        "year_to": year_to,
        "first": first,
        "second": second,
        "assumptions": [
            planned[lever.code].describe() if lever.code in planned else lever.describe()
            for lever in plan.ordered_levers()
        ],
        "uncertainty": [spec.to_dict() for spec in scenario.uncertainty],
        "scenario_assumptions": _scenario_assumptions(scenario, record),
        "drivers": selectors.driver_sources(driver_set=inputs.driver_set),
        "effect_labels": EFFECT_LABELS,
        "lever_labels": {code: str(label) for code, label in LEVER_LABELS.items()},
        "can_save": can_save(request.user),
        "draws": DEFAULT_DRAWS,
        "seed": SEED,
        "config": {
            "scenario": name,
            "version": record.version if record else None,
            "draws": DEFAULT_DRAWS,
            "seed": SEED,
            "peak_test": peak_test,
            "api": "/api/projection/compute",
            "effects": {code: str(label) for code, label in EFFECT_LABELS.items()},
            "sectors": {
                code: (s.name_en if get_language() == "en" else s.name_zh) for code, s in SECTORS.items()
            },
            "labels": {
                "central": _("Central"),
                "bau": _("BAU (no levers)"),
                "scenario": _("Scenario"),
                "p_peak": (
                    _("P(peak ≤ %(year)s)") % {"year": peak.year} if peak is not None else _("P(peak)")
                ),
                "peak_year": _("Peak year (median)"),
                "peak_value": _("Peak value (median), tCO2"),
                "co2_2030": _("CO2 in 2030 (median), tCO2"),
                "no_plan_peak": _("no plan peak year"),
                "co2_2035": _("CO2 in 2035 (median), tCO2"),
                "wedge_2030": _("Lever reductions in 2030, tCO2"),
                "total": _("Total"),
                "error": _("Recompute failed"),
            },
        },
    }
    return render(request, "projection/index.html", context)


@require_POST
@login_required
def save(request: HttpRequest) -> HttpResponse:
    """Save the sliders as a new version of a named scenario (office and analysts)."""
    if not can_save(request.user):
        raise PermissionDenied("only the office and analysts may save scenarios")
    form = ScenarioSaveForm(request.POST, codes=[p.lever.code for p in selectors.planned_levers()])
    errors: list[str] = []
    if form.is_valid():
        user = request.user if isinstance(request.user, User) else None
        base_name = request.POST.get("base") or "plan"
        try:
            base = selectors.scenario_model(name=base_name)
            plan = selectors.scenario_model(name="plan")
            record = services.scenario_from_sliders_save(
                name=form.cleaned_data["name"],
                base=replace(base, levers=plan.ordered_levers()),
                lever_settings=form.lever_settings(),
                note=form.cleaned_data["note"],
                created_by=user,
            )
        except CarbonpeakError as exc:
            errors = [str(exc)]
        else:
            messages.success(
                request, _("Saved scenario %(n)s version %(v)s.") % {"n": record.name, "v": record.version}
            )
            return redirect(f"/projection/?{urlencode({'scenario': record.name})}")
    else:
        errors = [f"{field}: {'; '.join(str(m) for m in msgs)}" for field, msgs in form.errors.items()]
    return render(request, "projection/save_error.html", {"errors": errors}, status=400)
