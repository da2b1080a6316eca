"""Write services for inventories: import activity files atomically, compute and freeze runs."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from carbonpeak.core.inventory import compute_inventory
from carbonpeak.core.inventory.intensity import (
    IntensityTarget,
    StatisticRecord,
    coal_rates,
    compute_intensities,
    first_deflator_year,
    plan_intensity_target,
)
from carbonpeak.core.inventory.model import ActivityRecord
from carbonpeak.core.inventory.report import gpc_table, inventory_document
from carbonpeak.io.inventory import read_activity_file
from carbonpeak.io.tabular import RowError
from carbonpeak.web.inventory.models import ActivityDataset, ActivityRow, InventoryRun, StatisticRow
from carbonpeak.web.inventory.selectors import dataset_records
from carbonpeak.web.portal.uploads import tabular_upload_check
from carbonpeak.web.reference.selectors import factor_library, latest_versions, stored_defaults


@dataclass
class ImportResult:
    """The stored data set, or the errors (one per bad row) that rejected the file."""

    dataset: ActivityDataset | None
    errors: list[RowError]
    created: bool = False


def activity_dataset_import(
    *, name: str, filename: str, content: bytes, imported_by: User | None = None, synthetic: bool = False
) -> ImportResult:
    """Validate an activity file and store it whole, or store nothing and return every bad row.

    Re-importing the same content (the same rows, whatever the file's bytes) returns the stored data set.

    Raises
    ------
    UploadRejectedError
        If the file is not .csv/.xlsx or is larger than ``CARBONPEAK_MAX_UPLOAD_MB``.
    """
    tabular_upload_check(filename=filename, content=content)
    read = read_activity_file(Path(filename), content)
    if not read.ok:
        return ImportResult(None, read.errors)
    synthetic = synthetic or any(r.quality == "synthetic" for r in read.records)
    return _dataset_store(name or filename, filename, read.records, read.statistics, imported_by, synthetic)


def _dataset_store(
    name: str,
    filename: str,
    records: Sequence[ActivityRecord],
    statistics: Sequence[StatisticRecord],
    imported_by: User | None,
    synthetic: bool,
) -> ImportResult:
    # Identity is the parsed content, not the bytes: Excel stamps a save time into every file.
    canonical = json.dumps(
        [[asdict(r) for r in records], [asdict(s) for s in statistics]],
        ensure_ascii=False,
        sort_keys=True,
    )
    sha = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    existing = ActivityDataset.objects.filter(sha256=sha).first()
    if existing is not None:
        return ImportResult(existing, [], created=False)
    with transaction.atomic():
        dataset = ActivityDataset.objects.create(
            name=name,
            source_file=filename,
            sha256=sha,
            synthetic=synthetic,
            imported_at=timezone.now(),
            imported_by=imported_by,
        )
        ActivityRow.objects.bulk_create(
            ActivityRow(
                dataset=dataset,
                row_number=r.row,
                year=r.year,
                area=r.area,
                sector=r.sector,
                subsector=r.subsector,
                carrier=r.carrier,
                quantity=r.quantity,
                unit=r.unit,
                notation=r.notation,
                source=r.source,
                quality=r.quality,
                note=r.note,
            )
            for r in records
        )
        StatisticRow.objects.bulk_create(
            StatisticRow(
                dataset=dataset,
                row_number=s.row,
                year=s.year,
                area=s.area,
                indicator=s.indicator,
                value=s.value,
                unit=s.unit,
                source=s.source,
                quality=s.quality,
                note=s.note,
            )
            for s in statistics
        )
    return ImportResult(dataset, [], created=True)


def activity_dataset_derive(
    *,
    base: ActivityDataset,
    sector: str,
    records: Sequence[ActivityRecord],
    name: str,
    imported_by: User | None = None,
    synthetic: bool = False,
) -> ImportResult:
    """A new data set: ``base``'s rows with the ``sector`` rows of every (area, year) that ``records``
    cover replaced by ``records``, and ``base``'s statistics. A module that computes a sector's emissions
    (e.g. the waste app) feeds them to the inventory this way; ``base`` is never changed, and the same
    content gives back the same data set. The new rows are numbered after ``base``'s last row."""
    old, statistics = dataset_records(dataset=base)
    covered = {(r.area, r.year) for r in records}
    kept = [r for r in old if not (r.sector == sector and (r.area, r.year) in covered)]
    start = max((r.row for r in old), default=1) + 1
    added = [replace(r, row=start + i) for i, r in enumerate(records)]
    return _dataset_store(name, base.source_file, kept + added, statistics, imported_by, synthetic)


def _compute(
    dataset: ActivityDataset,
    series: str | None,
    region: str,
    versions: dict[str, str] | None,
    defaults: dict[str, str] | None,
    goal: IntensityGoal,
) -> tuple[dict[str, Any], list[dict[str, Any]], str]:
    library = factor_library(versions=versions, defaults=defaults)
    records, statistics = dataset_records(dataset=dataset)
    result = compute_inventory(
        records, library, region=region, electricity_series=series, coal_rates=coal_rates(statistics)
    )
    price_base_year = goal.price_base_year or first_deflator_year(statistics)
    intensities = (
        compute_intensities(result.years, statistics, price_base_year=price_base_year, target=goal.target)
        if price_base_year is not None
        else []
    )
    document = inventory_document(result, intensities)
    document["intensity_goal"] = goal.to_dict()
    document["gpc"] = [{"area": y.area, "year": y.year, "rows": gpc_table(y)} for y in result.years]
    rows = [
        {
            "row": r.record.row,
            "area": r.record.area,
            "year": r.record.year,
            "sector": r.record.sector,
            "carrier": r.record.carrier,
            "energy_tce": r.energy_tce,
            "energy_tce_equal_value": r.energy_tce_equal_value,
            "co2_t": r.co2_t,
            "scope": r.scope,
            "factor_ids": [f.factor_id for f in r.factors],
            "flags": list(r.flags),
        }
        for r in result.records
    ]
    return document, rows, result.electricity_series


@dataclass(frozen=True)
class IntensityGoal:
    """The plan's energy-intensity goal a run is computed against, frozen with the run's document."""

    price_base_year: int | None
    target: IntensityTarget | None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (stored in the run's document)."""
        return {
            "price_base_year": self.price_base_year,
            "target": asdict(self.target) if self.target else None,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> IntensityGoal:
        """Inverse of :meth:`to_dict`; a run stored before goals were recorded has none."""
        if not data:
            return cls(None, None)
        target = data.get("target")
        return cls(data.get("price_base_year"), IntensityTarget(**target) if target else None)


def plan_intensity_goal() -> IntensityGoal:
    """The current plan's energy-intensity goal (indicator ``energy_intensity``), if it states one."""
    from carbonpeak.web.plan.selectors import current_plan

    plan = current_plan()
    target = plan_intensity_target(plan) if plan is not None else None
    return IntensityGoal(target.baseline_year if target else None, target)


def inventory_run_create(
    *,
    dataset: ActivityDataset,
    electricity_series: str | None = None,
    region: str | None = None,
    created_by: User | None = None,
) -> InventoryRun:
    """Compute the data set's inventory with current reference data; freeze it with its factor versions.

    The region (which selects the factors) and the intensity goal come from the current plan unless
    ``region`` is given; with no plan loaded this raises :class:`~carbonpeak.web.plan.selectors.NoPlanError`.
    """
    from carbonpeak.data import packaged_library
    from carbonpeak.web.plan.selectors import current_region

    region = region or current_region()
    versions = {t.name: t.version for t in latest_versions()}
    defaults = stored_defaults() or dict(packaged_library().defaults)
    goal = plan_intensity_goal()
    document, rows, series = _compute(dataset, electricity_series, region, versions, defaults, goal)
    return InventoryRun.objects.create(
        dataset=dataset,
        electricity_series=series,
        region=region,
        table_versions=versions,
        defaults=defaults,
        document=document,
        row_results=rows,
        created_at=timezone.now(),
        created_by=created_by,
    )


def inventory_run_reproduce(*, run: InventoryRun) -> dict[str, Any]:
    """Recompute a run with exactly the factor versions it was frozen with (the document must match)."""
    goal = IntensityGoal.from_dict(run.document.get("intensity_goal"))
    document, _, _ = _compute(
        run.dataset, run.electricity_series, run.region, run.table_versions, run.defaults, goal
    )
    return document


def inventory_run_recompute(*, run: InventoryRun, electricity_series: str | None = None) -> dict[str, Any]:
    """Recompute a run's data with the current factors (optionally another electricity series); not stored."""
    goal = IntensityGoal.from_dict(run.document.get("intensity_goal"))
    series = electricity_series or run.electricity_series
    document, _, _ = _compute(run.dataset, series, run.region, None, None, goal)
    return document
