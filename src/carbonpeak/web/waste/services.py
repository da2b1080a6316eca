"""Writes: import waste statistics files (all rows or none, idempotent by content), feed the waste
emissions into an inventory data set, and load the SYNTHETIC demo streets."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from carbonpeak.core.errors import CarbonpeakError
from carbonpeak.core.inventory.model import ActivityRecord
from carbonpeak.core.waste import quality_flags, waste_emissions
from carbonpeak.core.waste.model import FlagCode
from carbonpeak.io.tabular import RowError
from carbonpeak.io.waste import WasteFile, read_waste_file
from carbonpeak.web.inventory.models import ActivityDataset
from carbonpeak.web.inventory.services import ImportResult, activity_dataset_derive
from carbonpeak.web.portal.uploads import tabular_upload_check
from carbonpeak.web.waste.models import StreetInspection, StreetPopulation, StreetStreamRecord, WasteDataset
from carbonpeak.web.waste.selectors import (
    street_unit_map,
    waste_data,
    waste_parameters,
    waste_synthetic,
    waste_years,
)


class WasteInventoryError(CarbonpeakError):
    """The inventory data set cannot take the waste emissions (several areas, no waste statistics)."""


@dataclass
class WasteImportResult:
    """The stored (or already stored) data set, or the errors (one per bad row) that rejected the file."""

    dataset: WasteDataset | None
    errors: list[RowError] = field(default_factory=list)
    created: bool = False


def _canonical(read: WasteFile) -> str:
    records = [r.to_dict() for r in read.streams] + [r.to_dict() for r in read.inspections]
    records += [
        {"street": p.street, "year": p.year, "population": p.population_persons} for p in read.population
    ]
    return json.dumps([read.layout, records], ensure_ascii=False, sort_keys=True)


def _street_errors(read: WasteFile, allowed_units: Collection[str]) -> list[RowError]:
    streets = [r.street for r in read.streams] + [r.street for r in read.inspections]
    streets += [p.street for p in read.population]
    mapping = street_unit_map(tuple(set(streets)))
    return [
        RowError(
            read.path.name, row, (("street", f"'{street or '(district)'}' is not a street of your unit"),)
        )
        for row, street in zip(read.rows, streets, strict=True)
        if not street or mapping[street].unit_code not in allowed_units
    ]


def waste_dataset_import(
    *,
    filename: str,
    content: bytes,
    name: str = "",
    imported_by: User | None = None,
    synthetic: bool = False,
    allowed_units: Collection[str] | None = None,
) -> WasteImportResult:
    """Validate a waste statistics file (any layout, recognised by its header) and store it whole, or
    store nothing and return every bad row.

    Re-importing the same content (the same records, whatever the file's bytes) returns the stored data
    set unchanged. With ``allowed_units`` (a street office's reporter), a row of a street that does not
    belong to one of those units is an error.

    Raises
    ------
    UploadRejectedError
        If the file is not .csv/.xlsx or is larger than ``CARBONPEAK_MAX_UPLOAD_MB``.
    """
    tabular_upload_check(filename=filename, content=content)
    read = read_waste_file(Path(filename), content)
    if not read.ok:
        return WasteImportResult(None, read.errors)
    if allowed_units is not None:
        errors = _street_errors(read, allowed_units)
        if errors:
            return WasteImportResult(None, errors)
    sha = hashlib.sha256(_canonical(read).encode("utf-8")).hexdigest()
    existing = WasteDataset.objects.filter(sha256=sha).first()
    if existing is not None:
        return WasteImportResult(existing, [], created=False)
    assert read.layout is not None
    with transaction.atomic():
        dataset = WasteDataset.objects.create(
            name=name or filename,
            source_file=filename,
            layout=read.layout,
            sha256=sha,
            row_count=len(read.rows),
            synthetic=synthetic or read.synthetic,
            imported_at=timezone.now(),
            imported_by=imported_by,
        )
        StreetStreamRecord.objects.bulk_create(
            StreetStreamRecord(
                dataset=dataset,
                row_number=row,
                street=r.street,
                period=r.period,
                year=int(r.period[:4]),
                stream=str(r.stream),
                collected_t=r.collected_t,
                utilised_t=r.utilised_t,
                incinerated_t=r.incinerated_t,
                landfilled_t=r.landfilled_t,
            )
            for row, r in zip(read.rows, read.streams, strict=False)
        )
        StreetInspection.objects.bulk_create(
            StreetInspection(
                dataset=dataset,
                row_number=row,
                street=r.street,
                period=r.period,
                year=int(r.period[:4]),
                kind=str(r.kind),
                assessed=r.assessed_count,
                compliant=r.compliant_count,
            )
            for row, r in zip(read.rows, read.inspections, strict=False)
        )
        StreetPopulation.objects.bulk_create(
            StreetPopulation(
                dataset=dataset, row_number=row, street=p.street, year=p.year, population=p.population_persons
            )
            for row, p in zip(read.rows, read.population, strict=False)
        )
    return WasteImportResult(dataset, [], created=True)


def waste_inventory_dataset_create(
    *, base: ActivityDataset, area: str | None = None, imported_by: User | None = None
) -> ImportResult:
    """A new inventory data set: ``base`` with the waste sector of every year that has waste statistics
    replaced by the computed waste emissions (one ``co2e`` row per year, scope 1).

    A year whose emission cannot be computed (a parameter is empty, evidence X) gets a ``NE`` row whose
    note names the unknown parameters: the inventory's waste row stays NE, with the reason. ``base`` is
    never changed; the derived data set is idempotent by content.

    Raises
    ------
    WasteInventoryError
        If the base data set covers several areas and none is named, or there are no waste statistics.
    """
    from carbonpeak.web.inventory.selectors import dataset_records

    records, _ = dataset_records(dataset=base)
    areas = sorted({r.area for r in records})
    if area is None:
        if len(areas) != 1:
            raise WasteInventoryError(
                f"the data set covers the areas {', '.join(areas) or '(none)'}: name the district's area"
            )
        area = areas[0]
    years = [y for y in waste_years() if y in {r.year for r in records if r.area == area}]
    if not years:
        raise WasteInventoryError("no year of the data set has waste statistics")
    data, parameters = waste_data(), waste_parameters()
    synthetic = waste_synthetic()
    rows = []
    for year in years:
        emissions = waste_emissions(data, parameters, year=year)
        source = f"waste statistics, {len(data.streets)} streets; waste_parameters table"
        quality = "synthetic" if synthetic else "calculated"
        total = emissions.total_co2e_t
        partial = any(f.code is FlagCode.PARTIAL_YEAR for f in quality_flags(data, year=year))
        if partial:
            note = "emission not estimated: the waste statistics do not cover the whole year"
            rows.append(
                ActivityRecord(year, area, "waste", "co2e", None, "tCO2e", "", source, quality, note, "NE")
            )
        elif total is not None:
            note = (
                f"landfill CH4 {emissions.landfill.emission_t:.3f} t (mass balance), incineration fossil CO2 "
                f"{emissions.incineration.emission_t:.3f} t"
            )
            rows.append(
                ActivityRecord(year, area, "waste", "co2e", total, "tCO2e", "", source, quality, note)
            )
        else:
            missing = {
                m.split(":")[0] for m in (*emissions.landfill.missing, *emissions.incineration.missing)
            }
            note = "emission unknown: waste method parameters not found (evidence X): " + ", ".join(
                sorted(missing)
            )
            rows.append(
                ActivityRecord(year, area, "waste", "co2e", None, "tCO2e", "", source, quality, note, "NE")
            )
    return activity_dataset_derive(
        base=base,
        sector="waste",
        records=rows,
        name=f"{base.name} + waste emissions",
        imported_by=imported_by,
        synthetic=base.synthetic or synthetic,
    )


def demo_waste_load(*, seed: int) -> str:
    """Load SYNTHETIC street waste statistics (quantities, inspections, population) for the demo district.

    The streets are the plan's street offices plus generic synthetic streets. Deterministic for a seed and
    the plan: running it again changes nothing (the data sets are identified by their content).
    """
    from carbonpeak.demo.waste import demo_waste_files
    from carbonpeak.web.plan.selectors import current_plan

    plan = current_plan()
    files = demo_waste_files(plan.units if plan is not None else (), seed=seed)
    created = 0
    for filename, content in files:
        result = waste_dataset_import(
            filename=filename, content=content, name=f"SYNTHETIC {filename}", synthetic=True
        )
        if result.errors:  # the generator writes valid files: a failure here is a bug
            raise RuntimeError("; ".join(str(e) for e in result.errors))
        created += result.created
    streets = len(waste_data().streets)
    return f"waste statistics of {streets} streets ({created} new data sets of {len(files)}), SYNTHETIC"
