"""Projection API: recompute a scenario with slider settings, list scenarios, the peak outlook."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.errors import HttpError
from ninja.security import django_auth

from carbonpeak.core.errors import CarbonpeakError
from carbonpeak.core.projection import DEFAULT_DRAWS, DEFAULT_PEAK_TEST, LEVER_ORDER
from carbonpeak.web.projection import selectors

router = Router(tags=["projection"])


def _lever_settings(request: HttpRequest) -> dict[str, float]:
    settings: dict[str, float] = {}
    for code in LEVER_ORDER:
        raw = request.GET.get(f"lever.{code}")
        if raw is None or raw == "":
            continue
        try:
            settings[code] = float(raw)
        except ValueError:
            raise HttpError(422, f"lever.{code}: '{raw}' is not a number") from None
    return settings


@router.get(
    "/compute",
    response=dict[str, Any],
    auth=django_auth,
    summary="Recompute a scenario, optionally with lever sliders (lever.<code>=% of the plan)",
)
def compute(
    request: HttpRequest,
    scenario: str = "plan",
    version: int | None = None,
    draws: int = DEFAULT_DRAWS,
    seed: int = 0,
    year_from: int | None = None,
    year_to: int | None = None,
    peak_test: str = DEFAULT_PEAK_TEST,
) -> dict[str, Any]:
    """The projection document plus wedge series, LMDI table and lever summaries (see ``outlook``).

    Query parameters ``lever.<code>`` (0-200, % of the plan) put the plan's levers at those settings on top
    of the named scenario's other assumptions. ``peak_test`` (``argmax``, ``sustained_decline`` or ``c40``)
    names the test P(peak <= the plan's peak year) is computed under; the document's ``peak_test`` says
    which test and which year were used.
    """
    settings = _lever_settings(request)
    try:
        inputs = selectors.inputs_get()
        model = selectors.slider_scenario(name=scenario, version=version, lever_settings=settings)
        document = selectors.outlook(
            inputs,
            model,
            draws=draws,
            seed=seed,
            year_from=year_from,
            year_to=year_to,
            peak_test=peak_test,
        )
    except selectors.ProjectionUnavailableError as exc:
        raise HttpError(409, str(exc)) from None
    except CarbonpeakError as exc:
        raise HttpError(422, str(exc)) from None
    document["lever_settings"] = settings
    return document


@router.get("/scenarios", response=list[dict[str, Any]], auth=django_auth, summary="Scenarios and versions")
def scenarios(request: HttpRequest) -> list[dict[str, Any]]:
    out = []
    for name in selectors.scenario_names():
        versions = selectors.scenario_versions(name=name)
        out.append(
            {
                "name": name,
                "versions": [
                    {
                        "version": v.version,
                        "created_at": v.created_at.isoformat(),
                        "created_by": v.created_by.get_username() if v.created_by else None,
                        "lever_settings": v.lever_settings,
                        "note": v.note,
                    }
                    for v in versions
                ],
            }
        )
    return out


@router.get("/outlook", response=dict[str, Any] | None, auth=django_auth, summary="The peak outlook")
def outlook(request: HttpRequest, peak_test: str = DEFAULT_PEAK_TEST) -> dict[str, Any] | None:
    try:
        return selectors.peak_outlook(peak_test=peak_test)
    except CarbonpeakError as exc:
        raise HttpError(422, str(exc)) from None
