"""Registry of computed indicators: indicator code → provider of its values from module data.

A provider reads stored module data (an inventory run, building metrics, ...) and returns the indicator's
values as plain :class:`ComputedValue` rows, oldest first, each with its source. The status rules in
:mod:`carbonpeak.core.tracking` then judge them like any other values. A module plugs in its own
indicators with :func:`register`::

    @register("pv_capacity_added")
    def _pv_added() -> list[ComputedValue]: ...

An indicator with no provider is reported by its target's lead unit (see ``docs/tracking.md``).

One indicator can carry several targets with different scopes (e.g. the 50 % and 30 % roof-area rules of
``pv_roof_area_share_new_buildings``). A value with a ``target`` code applies to that target only; a value
without one applies to every target of its indicator (:func:`values_for_target`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from carbonpeak.core.errors import ReferenceDataError
from carbonpeak.core.inventory.model import DISTRICT_AREA
from carbonpeak.core.tracking import Observation
from carbonpeak.web.inventory.selectors import area_run_get
from carbonpeak.web.plan.selectors import NoPlanError


@dataclass(frozen=True)
class ComputedValue:
    """One computed value of an indicator for a calendar year, with where it comes from."""

    year: int
    value: float
    unit: str
    source: str
    """What computed it, e.g. ``inventory run 3``."""
    synthetic: bool
    run: int | None = None
    """The inventory run, when the value comes from one."""
    area: str = ""
    change_pct: float | None = None
    """Change against the baseline year [%], when the module computes it."""
    target: str | None = None
    """Code of the one target the value is judged against; ``None``: every target of the indicator."""

    @property
    def period_end(self) -> date:
        """End of the value's period (31 December of its year)."""
        return date(self.year, 12, 31)

    def observation(self) -> Observation:
        """The value as a core observation."""
        return Observation.for_year(self.year, self.value)

    def as_dict(self) -> dict[str, Any]:
        """Plain dictionary (for templates and JSON)."""
        return asdict(self)

    def applies_to(self, target_code: str) -> bool:
        """Whether the value is judged against ``target_code`` (its own target, or any when it has none)."""
        return self.target is None or self.target == target_code


def values_for_target(values: list[ComputedValue], target_code: str) -> list[ComputedValue]:
    """The values of an indicator that apply to one of its targets (see :attr:`ComputedValue.target`)."""
    return [v for v in values if v.applies_to(target_code)]


logger = logging.getLogger(__name__)

Provider = Callable[[], list[ComputedValue]]
PROVIDERS: dict[str, Provider] = {}
"""Indicator code → provider."""


def register(indicator_code: str) -> Callable[[Provider], Provider]:
    """Register ``provider`` as the calculation of ``indicator_code`` (one provider per indicator)."""

    def decorate(provider: Provider) -> Provider:
        if indicator_code in PROVIDERS and PROVIDERS[indicator_code] is not provider:
            raise ValueError(f"indicator {indicator_code} already has a provider")
        PROVIDERS[indicator_code] = provider
        return provider

    return decorate


def provider_name(indicator_code: str) -> str | None:
    """The registered calculation of ``indicator_code`` as ``module.function``, or ``None``."""
    provider = PROVIDERS.get(indicator_code)
    return None if provider is None else f"{provider.__module__}.{provider.__qualname__}"


def is_computed(indicator_code: str) -> bool:
    """Whether the platform computes the indicator (a provider is registered)."""
    return indicator_code in PROVIDERS


def computed_values(indicator_codes: list[str] | None = None) -> dict[str, list[ComputedValue]]:
    """Values of the registered indicators (of ``indicator_codes`` only, if given), oldest first.

    Indicators for which no value can be computed yet (e.g. no inventory run) are left out.
    """
    out: dict[str, list[ComputedValue]] = {}
    for code, provider in PROVIDERS.items():
        if indicator_codes is not None and code not in indicator_codes:
            continue
        try:
            values = sorted(provider(), key=lambda v: v.year)
        except (ReferenceDataError, NoPlanError) as exc:  # nothing to compute with yet: no values
            logger.info("indicator %s not computed: %s", code, exc)
            continue
        if values:
            out[code] = values
    return out


def computed_indicator_values() -> dict[str, list[dict[str, Any]]]:
    """:func:`computed_values` as plain dictionaries, by indicator code (the plan browser and API)."""
    return {code: [v.as_dict() for v in values] for code, values in computed_values().items()}


# --- providers bound to the inventory (the latest stored inventory run) -------------------------------


def _inventory_values(field: str, unit: str, change_field: str | None = None) -> list[ComputedValue]:
    """One value per year of the district's own rows (area :data:`DISTRICT_AREA`), never a sub-area's."""
    run = area_run_get(area=DISTRICT_AREA)
    if run is None:
        return []
    out = []
    for year in run.document["years"]:
        if year["area"] != DISTRICT_AREA:
            continue
        value = year.get(field)
        if value is None:
            continue
        out.append(
            ComputedValue(
                year=year["year"],
                value=float(value),
                unit=unit,
                source=f"inventory run {run.pk}",
                synthetic=run.dataset.synthetic,
                run=run.pk,
                area=year["area"],
                change_pct=year.get(change_field) if change_field else None,
            )
        )
    return out


@register("energy_intensity")
def energy_intensity() -> list[ComputedValue]:
    """Energy per unit of GDP [tce/万元] from the latest inventory run."""
    return _inventory_values(
        "energy_intensity_tce_per_10k_yuan", "tce/万元", change_field="energy_intensity_change_pct"
    )


@register("carbon_intensity")
def carbon_intensity() -> list[ComputedValue]:
    """CO2 per unit of GDP [tCO2/万元] from the latest inventory run."""
    return _inventory_values("co2_intensity_t_per_10k_yuan", "tCO2/万元")


@register("district_co2_emissions")
def district_co2_emissions() -> list[ComputedValue]:
    """District CO2 emissions [tCO2] from the latest inventory run."""
    return _inventory_values("co2_t", "tCO2")
