"""Reads: the current waste statistics as core records, the method parameters, the plan's waste targets,
who sees which street, and the rates document of a year."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from carbonpeak.core.plan.model import Comparator, Target
from carbonpeak.core.waste import (
    InspectionKind,
    InspectionRecord,
    PopulationRecord,
    Stream,
    StreamRecord,
    WasteData,
    WasteParameter,
    district_rollup,
    waste_emissions,
)
from carbonpeak.core.waste.rates import DistrictRollup, StreetFigures, years_of
from carbonpeak.core.waste.streets import StreetUnit, district_units, street_units, visible_streets
from carbonpeak.web.plan.selectors import current_plan, current_targets
from carbonpeak.web.reference.selectors import latest_versions, table_rows
from carbonpeak.web.tracking.roles import Roles
from carbonpeak.web.waste.models import StreetInspection, StreetPopulation, StreetStreamRecord, WasteDataset

RECOVERY_INDICATOR = "household_waste_recovery_rate"
COMPLIANCE_INDICATOR = "waste_sorting_compliance_rate"
INDICATORS = (RECOVERY_INDICATOR, COMPLIANCE_INDICATOR)
PARAMETER_TABLE_KIND = "waste_parameters"


def _newest_first(qs: Any) -> Any:
    return qs.order_by("dataset__imported_at", "dataset_id", "row_number")


def waste_data() -> WasteData:
    """The current waste statistics: for each key, the value of the newest data set that carries it."""
    streams: dict[tuple[str, str, str], StreamRecord] = {}
    for r in _newest_first(StreetStreamRecord.objects.all()):
        streams[(r.street, r.period, r.stream)] = StreamRecord(
            r.street, r.period, Stream(r.stream), r.collected_t, r.utilised_t, r.incinerated_t, r.landfilled_t
        )
    inspections: dict[tuple[str, str, str], InspectionRecord] = {}
    for i in _newest_first(StreetInspection.objects.all()):
        inspections[(i.street, i.period, i.kind)] = InspectionRecord(
            i.street, i.period, InspectionKind(i.kind), i.assessed, i.compliant
        )
    population: dict[tuple[str, int], PopulationRecord] = {}
    for p in _newest_first(StreetPopulation.objects.all()):
        population[(p.street, p.year)] = PopulationRecord(p.street, p.year, p.population)
    return WasteData(tuple(streams.values()), tuple(inspections.values()), tuple(population.values()))


def waste_years() -> list[int]:
    """Years with any stream or inspection record, newest first."""
    return sorted(years_of(waste_data()), reverse=True)


def waste_synthetic() -> bool:
    """Whether any stored waste data set is synthetic."""
    return WasteDataset.objects.filter(synthetic=True).exists()


def waste_datasets() -> list[WasteDataset]:
    """Every imported data set, newest first."""
    return list(WasteDataset.objects.order_by("-imported_at", "-id"))


def waste_parameters() -> list[WasteParameter]:
    """The waste method parameters of the latest loaded ``waste_parameters`` reference table (empty when
    the table was never loaded: every emission is then unknown, flagged)."""
    version = next((t for t in latest_versions() if t.kind == PARAMETER_TABLE_KIND), None)
    if version is None:
        return []
    out = []
    for row in table_rows(table_version=version):
        d = row.data
        out.append(
            WasteParameter(
                d["param_id"],
                d["method"],
                d["parameter"],
                d.get("stream", "") or "",
                float(d["value"]) if d.get("value") not in (None, "") else None,
                d.get("unit", ""),
                d.get("evidence", ""),
                int(d["year_from"]) if d.get("year_from") else None,
                int(d["year_to"]) if d.get("year_to") else None,
                d.get("source", ""),
            )
        )
    return out


def parameter_table_version() -> str | None:
    """Version of the loaded waste parameter table, or ``None``."""
    version = next((t for t in latest_versions() if t.kind == PARAMETER_TABLE_KIND), None)
    return None if version is None else version.version


def waste_target(indicator: str) -> Target | None:
    """The current plan's first valued target of an indicator (e.g. ≥ 45 % by 2025), or ``None``."""
    return next((t for t in current_targets(indicator) if t.value is not None), None)


def meets(target: Target | None, value: float | None) -> bool | None:
    """Whether ``value`` meets the target's level (``None`` when either is missing or not a level)."""
    if target is None or value is None or target.value is None:
        return None
    if target.comparator is Comparator.AT_LEAST:
        return value >= target.value
    if target.comparator is Comparator.AT_MOST:
        return value <= target.value
    return None


def street_unit_map(streets: tuple[str, ...]) -> dict[str, StreetUnit]:
    """Each street's responsible unit in the current plan."""
    plan = current_plan()
    return street_units(streets, plan.units if plan is not None else [])


@dataclass(frozen=True)
class StreetAccess:
    """Which streets a user sees: every street (the office, analysts, the district's responsible units)
    or only the streets of its own street office(s)."""

    everything: bool
    streets: tuple[str, ...]


def street_access(roles: Roles, streets: tuple[str, ...]) -> StreetAccess:
    """The streets ``roles`` may see among ``streets``."""
    plan = current_plan()
    wide = set(district_units(plan, INDICATORS)) if plan is not None else set()
    everything = roles.office or roles.analyst or bool(wide & set(roles.units))
    mapping = street_unit_map(streets)
    return StreetAccess(everything, visible_streets(mapping, everything=everything, units=roles.units))


def rollup(*, year: int) -> DistrictRollup:
    """The district roll-up of a year (every street, ranked)."""
    return district_rollup(waste_data(), year=year)


def _rate(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _street_entry(s: StreetFigures, unit: StreetUnit | None) -> dict[str, Any]:
    return {
        "street": s.street,
        "unit": unit.unit_code if unit else None,
        "unit_matched": bool(unit and unit.matched),
        "recovery_rate": _rate(s.recovery.rate_pct),
        "separated_share": _rate(s.recovery.separated_share_pct),
        "sorting_compliance_rate": _rate(s.compliance.rate_pct),
        "sorting_compliance_rate_residential": _rate(s.compliance_residential.rate_pct),
        "sorting_compliance_rate_unit": _rate(s.compliance_unit.rate_pct),
        "generation_t": round(s.recovery.total_t, 3),
        "utilised_recovered_t": round(s.recovery.utilised_recovered_t, 3),
        "generation_kg_per_capita_a": _rate(s.per_capita.generation_kg_per_capita_a),
        "recovery_rank": s.recovery_rank,
        "compliance_rank": s.compliance_rank,
        "flags": [f.to_dict() for f in s.flags],
    }


def rates_document(*, year: int, streets: tuple[str, ...] | None = None) -> dict[str, Any]:
    """The CLI's and API's rates of a year: ``{"year", "synthetic", "targets", "district": {...},
    "streets": [...]}`` (rates in %, ``null`` when they cannot be computed; ``streets`` limits the street
    list, the district and the ranks always cover every street)."""
    data = waste_data()
    result = district_rollup(data, year=year)
    mapping = street_unit_map(data.streets)
    emissions = waste_emissions(data, waste_parameters(), year=year)
    targets = {}
    for code, key in (
        (RECOVERY_INDICATOR, "recovery_rate"),
        (COMPLIANCE_INDICATOR, "sorting_compliance_rate"),
    ):
        t = waste_target(code)
        targets[key] = (
            None if t is None else {"target": t.code, "value": t.value, "comparator": str(t.comparator)}
        )
    d = result.district
    return {
        "year": year,
        "synthetic": waste_synthetic(),
        "targets": targets,
        "district": {
            "recovery_rate": _rate(d.recovery.rate_pct),
            "sorting_compliance_rate": _rate(d.compliance.rate_pct),
            "sorting_compliance_rate_residential": _rate(d.compliance_residential.rate_pct),
            "sorting_compliance_rate_unit": _rate(d.compliance_unit.rate_pct),
            "separated_share": _rate(d.recovery.separated_share_pct),
            "generation_t": round(d.recovery.total_t, 3),
            "generation_kg_per_capita_a": _rate(d.per_capita.generation_kg_per_capita_a),
            "emissions": emissions.to_dict(),
            "flags": [f.to_dict() for f in d.flags],
        },
        "streets": [
            _street_entry(s, mapping.get(s.street))
            for s in result.streets
            if streets is None or s.street in streets
        ],
    }
