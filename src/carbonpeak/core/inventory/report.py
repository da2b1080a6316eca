"""Inventory results as plain data: the JSON document, the GPC table, frozen-versus-recomputed differences.

References
----------
.. [1] GPC v1.1, table 4.2 (reporting by sector and scope) and section 2.3 (notation keys NO, NE, IE, C).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict
from typing import Any

from carbonpeak.core.inventory.compute import InventoryResult, SectorTotals, YearTotals
from carbonpeak.core.inventory.intensity import IntensityYear
from carbonpeak.core.inventory.model import SECTORS


def _round(value: float | None, digits: int = 6) -> float | None:
    return None if value is None else round(value, digits)


def _sector_entry(s: SectorTotals) -> dict[str, Any]:
    numeric = s.rows > 0  # a sector reported only with notation keys has no numbers, not zeros
    return {
        "sector": s.sector,
        "energy_tce": _round(s.energy_tce) if numeric else None,
        "energy_tce_equal_value": _round(s.energy_tce_equal_value) if numeric else None,
        "co2_t": _round(s.co2_t) if numeric else None,
        "scope1_t": _round(s.scope1_t) if numeric else None,
        "scope2_t": _round(s.scope2_t) if numeric else None,
        "notation": "+".join(sorted(s.notations)) or None,
    }


def inventory_document(result: InventoryResult, intensities: Iterable[IntensityYear] = ()) -> dict[str, Any]:
    """The inventory as the CLI's and API's JSON document.

    ``{"years": [{"year", "area", "energy_tce", "energy_tce_equal_value", "co2_t", "non_fossil_share",
    "by_sector": [{"sector", "energy_tce", "energy_tce_equal_value", "co2_t", "scope1_t", "scope2_t"}]}],
    "factors_used": [...], "flags": [...]}``; years with GDP also carry ``gdp_10k_yuan``,
    ``energy_intensity_tce_per_10k_yuan`` and ``co2_intensity_t_per_10k_yuan`` and the target progress.
    Values that cannot be computed are ``null``.
    """
    by_key = {(i.area, i.year): i for i in intensities}
    years = []
    for total in result.years:
        entry: dict[str, Any] = {
            "year": total.year,
            "area": total.area,
            "energy_tce": _round(total.energy_tce),
            "energy_tce_equal_value": _round(total.energy_tce_equal_value),
            "co2_t": _round(total.co2_t),
            "non_fossil_share": _round(total.non_fossil_share),
            "by_sector": [_sector_entry(s) for s in total.by_sector.values()],
        }
        intensity = by_key.get((total.area, total.year))
        if intensity is not None and intensity.gdp_10k_yuan is not None:
            entry.update(
                {
                    "gdp_10k_yuan": _round(intensity.gdp_10k_yuan, 2),
                    "energy_intensity_tce_per_10k_yuan": _round(
                        intensity.energy_intensity_tce_per_10k_yuan, 8
                    ),
                    "co2_intensity_t_per_10k_yuan": _round(intensity.co2_intensity_t_per_10k_yuan, 8),
                    "energy_intensity_change_pct": _round(intensity.energy_intensity_change_pct, 4),
                    "target_progress": _round(intensity.target_progress, 4),
                    "required_annual_rate_pct": _round(intensity.required_annual_rate_pct, 4),
                }
            )
        years.append(entry)
    return {
        "electricity_series": result.electricity_series,
        "region": result.region,
        "years": years,
        "factors_used": [asdict(f) for f in result.factors_used],
        "flags": result.flags(),
    }


def gpc_table(total: YearTotals) -> list[dict[str, Any]]:
    """One year's emissions by sector and scope, GPC style, with notation keys where there is no number.

    A sector without rows is ``NE`` (not estimated); a sector whose rows are all notation keys shows them;
    scope 2 of a sector that cannot purchase energy (processes, waste, sinks) is ``NO``; an energy sector
    with no purchased-energy row is ``NE`` in scope 2.
    """
    rows = []
    for code, sector in SECTORS.items():
        found = total.by_sector.get(code)
        cells: dict[int, float | str | None] = {}
        for scope, value in ((1, found.scope1_t if found else None), (2, found.scope2_t if found else None)):
            if scope == 2 and not sector.energy:
                cells[scope] = "NO"  # processes, waste and sinks purchase no energy
            elif found is None:
                cells[scope] = "NE"
            elif found.scope_rows.get(scope):
                cells[scope] = _round(value, 3)
            else:
                cells[scope] = "+".join(sorted(found.notations)) or "NE"
        scope1, scope2 = cells[1], cells[2]
        numbers = [v for v in (scope1, scope2) if isinstance(v, float)]
        rows.append(
            {
                "sector": code,
                "name_zh": sector.name_zh,
                "gpc": sector.gpc_sector,
                "scope1_t": scope1,
                "scope2_t": scope2,
                "total_t": _round(sum(numbers), 3) if numbers else None,
            }
        )
    return rows


def compare_documents(frozen: dict[str, Any], current: dict[str, Any]) -> list[dict[str, Any]]:
    """Differences between a frozen inventory and the same data recomputed (by area, year and sector).

    Returns one row per (area, year, sector) whose energy or CO2 differs, with both values and the change.
    """

    def index(doc: dict[str, Any]) -> dict[tuple[str, int, str], dict[str, Any]]:
        return {(y["area"], y["year"], s["sector"]): s for y in doc["years"] for s in y["by_sector"]}

    old, new = index(frozen), index(current)
    changes = []
    for key in sorted(set(old) | set(new)):
        a, b = old.get(key, {}), new.get(key, {})
        for field in ("co2_t", "energy_tce", "energy_tce_equal_value"):
            before, after = a.get(field), b.get(field)
            if before != after:
                delta = None if before is None or after is None else round(after - before, 6)
                changes.append(
                    {
                        "area": key[0],
                        "year": key[1],
                        "sector": key[2],
                        "field": field,
                        "frozen": before,
                        "recomputed": after,
                        "change": delta,
                    }
                )
    frozen_factors = {f["factor_id"]: f for f in frozen.get("factors_used", [])}
    for ref in current.get("factors_used", []):
        old_ref = frozen_factors.get(ref["factor_id"])
        if old_ref is not None and (old_ref["value"], old_ref["table_version"]) != (
            ref["value"],
            ref["table_version"],
        ):
            changes.append(
                {
                    "area": "",
                    "year": 0,
                    "sector": "",
                    "field": f"factor {ref['factor_id']}",
                    "frozen": old_ref["value"],
                    "recomputed": ref["value"],
                    "change": None,
                }
            )
    return changes
