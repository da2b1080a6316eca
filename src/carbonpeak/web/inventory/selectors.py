"""Read-only queries for inventories."""

from __future__ import annotations

from typing import Any

from carbonpeak.core.inventory import ActivityRecord, StatisticRecord
from carbonpeak.web.inventory.models import ActivityDataset, ActivityRow, InventoryRun, StatisticRow


def dataset_records(*, dataset: ActivityDataset) -> tuple[list[ActivityRecord], list[StatisticRecord]]:
    """The data set's activity rows and statistics as core records."""
    records = [
        ActivityRecord(
            r.year,
            r.area,
            r.sector,
            r.carrier,
            r.quantity,
            r.unit,
            r.subsector,
            r.source,
            r.quality,
            r.note,
            r.notation,
            r.row_number,
        )
        for r in ActivityRow.objects.filter(dataset=dataset).order_by("row_number")
    ]
    statistics = [
        StatisticRecord(
            s.year, s.area, s.indicator, s.value, s.unit, s.source, s.quality, s.note, s.row_number
        )
        for s in StatisticRow.objects.filter(dataset=dataset).order_by("row_number")
    ]
    return records, statistics


def run_get(*, run_id: int | None = None) -> InventoryRun | None:
    """A run by id, else the latest."""
    qs = InventoryRun.objects.select_related("dataset")
    if run_id is not None:
        return qs.filter(pk=run_id).first()
    return qs.order_by("-created_at", "-id").first()


def runs_list() -> list[InventoryRun]:
    """Every run, newest first."""
    return list(InventoryRun.objects.select_related("dataset").order_by("-created_at", "-id"))


def cell_detail(*, run: InventoryRun, area: str, year: int, sector: str) -> dict[str, Any]:
    """The activity rows and factors behind one number of a run (area, year, sector)."""
    results = [r for r in run.row_results if (r["area"], r["year"], r["sector"]) == (area, year, sector)]
    by_row = {
        r.row_number: r
        for r in ActivityRow.objects.filter(dataset=run.dataset, row_number__in=[r["row"] for r in results])
    }
    factors = {f["factor_id"]: f for f in run.document["factors_used"]}
    lines = []
    for result in results:
        row = by_row.get(result["row"])
        lines.append(
            {
                "row": row,
                "result": result,
                "factors": [factors[f] for f in result["factor_ids"] if f in factors],
            }
        )
    return {"area": area, "year": year, "sector": sector, "lines": lines}


def computed_indicator_values() -> dict[str, list[dict[str, Any]]]:
    """Values the latest inventory computes for plan indicators, by indicator code, oldest year first.

    ``energy_intensity`` [tce/万元], ``carbon_intensity`` [tCO2/万元] and ``district_co2_emissions`` [tCO2].
    """
    run = run_get()
    if run is None:
        return {}
    out: dict[str, list[dict[str, Any]]] = {
        "energy_intensity": [],
        "carbon_intensity": [],
        "district_co2_emissions": [],
    }
    for year in run.document["years"]:
        base = {"year": year["year"], "area": year["area"], "run": run.pk, "synthetic": run.dataset.synthetic}
        if year.get("energy_intensity_tce_per_10k_yuan") is not None:
            out["energy_intensity"].append(
                {
                    **base,
                    "value": year["energy_intensity_tce_per_10k_yuan"],
                    "unit": "tce/万元",
                    "change_pct": year.get("energy_intensity_change_pct"),
                }
            )
        if year.get("co2_intensity_t_per_10k_yuan") is not None:
            out["carbon_intensity"].append(
                {**base, "value": year["co2_intensity_t_per_10k_yuan"], "unit": "tCO2/万元"}
            )
        if year.get("co2_t") is not None:
            out["district_co2_emissions"].append({**base, "value": year["co2_t"], "unit": "tCO2"})
    return {k: v for k, v in out.items() if v}
