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


def area_run_get(*, area: str) -> InventoryRun | None:
    """The latest run whose data set has rows of ``area`` (``district``, see
    :data:`carbonpeak.core.inventory.model.DISTRICT_AREA`, or a sub-area code), else ``None``.

    A district file and a sub-area file are separate data sets: the latest run overall may hold only the
    sub-area, so each area reads its own latest run.
    """
    datasets = ActivityRow.objects.filter(area=area).values("dataset")
    qs = InventoryRun.objects.select_related("dataset").filter(dataset__in=datasets)
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
