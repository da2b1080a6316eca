"""Writes: import the new-building project registry; compute and store a project's life-cycle carbon."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from carbonpeak.core.errors import CarbonpeakError
from carbonpeak.core.lca import gbt51366
from carbonpeak.io.lca import energy_factors, packaged_lca_tables, read_bom
from carbonpeak.io.newbuildings import read_projects_file
from carbonpeak.io.tabular import RowError
from carbonpeak.web.buildings.models import Building
from carbonpeak.web.newbuildings.models import LcaVariant, NewBuildingProject
from carbonpeak.web.portal.uploads import UploadRejectedError, tabular_upload_check

FIELDS = (
    "name",
    "sub_area",
    "sub_area_name",
    "use",
    "floor_area_m2",
    "large_public",
    "land_grant_date",
    "permit_date",
    "completion_date",
    "green_rating",
    "certificate_kind",
    "certificate_date",
    "certificate_evidence",
    "energy_standard",
    "prefab_rate_pct",
    "prefab_method",
    "fully_fitted",
    "renewables",
    "bim_file",
)


@dataclass
class ImportOutcome:
    """Rows created, updated and unchanged, or the errors that rejected the file."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)


def projects_import(
    *, rows: Sequence[dict[str, Any]], label: str = "projects", synthetic: bool = False
) -> ImportOutcome:
    """Create or update projects by id from validated rows (:func:`carbonpeak.io.newbuildings.
    read_projects_file`), in one transaction; an unknown building rejects the file."""
    outcome = ImportOutcome()
    codes = {r["building_id"] for r in rows if r["building_id"]}
    buildings = {b.code: b for b in Building.objects.filter(code__in=codes)}
    for row in rows:
        if row["building_id"] and row["building_id"] not in buildings:
            outcome.errors.append(
                RowError(label, row["row"], (("building_id", f"unknown building '{row['building_id']}'"),))
            )
    if outcome.errors:
        return outcome
    with transaction.atomic():
        for row in rows:
            values = {f: row[f] for f in FIELDS}
            values["building"] = buildings.get(row["building_id"])
            values["synthetic"] = synthetic or row["synthetic"]
            current = NewBuildingProject.objects.filter(code=row["id"]).first()
            if current is None:
                NewBuildingProject.objects.create(code=row["id"], **values)
                outcome.created += 1
            elif all(getattr(current, k) == v for k, v in values.items()):
                outcome.unchanged += 1
            else:
                for key, value in values.items():
                    setattr(current, key, value)
                current.save()
                outcome.updated += 1
    return outcome


def projects_file_import(*, filename: str, content: bytes) -> ImportOutcome:
    """Check and import an uploaded project registry file (.csv/.xlsx): all rows or none.

    Raises
    ------
    UploadRejectedError
        If the file is not a .csv/.xlsx within the upload limit.
    """
    tabular_upload_check(filename=filename, content=content)
    parsed = read_projects_file(Path(filename), content)
    if parsed.errors:
        return ImportOutcome(errors=parsed.errors)
    return projects_import(rows=parsed.rows, label=Path(filename).name)


class LcaComputeError(CarbonpeakError, ValueError):
    """A bill of materials could not be computed; ``errors`` lists every problem."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__(errors[0] if errors else "cannot compute")
        self.errors = errors


def lca_variant_compute(
    *,
    project: NewBuildingProject,
    name: str,
    filename: str,
    content: bytes,
    region: str,
    year: int,
    service_life_years: float = 50.0,
    synthetic: bool = False,
) -> LcaVariant:
    """Compute one bill of materials of ``project`` after GB/T 51366-2019 and store it as variant ``name``
    (replacing a variant of that name). Energy lines use the factor library's factors for ``region`` and
    ``year``. Insufficient data (coverage under 95 %, a volume without density) is refused.

    Raises
    ------
    UploadRejectedError
        If the file is not a .csv/.xlsx within the upload limit.
    LcaComputeError
        With every row error, or the calculation's refusal.
    """
    from carbonpeak.data import packaged_library

    tabular_upload_check(filename=filename, content=content)
    if not name.strip():
        raise LcaComputeError(["variant: give the variant a name"])
    tables = packaged_lca_tables()
    bom = read_bom(Path(filename), content, tables)
    if bom.errors:
        raise LcaComputeError([str(e) for e in bom.errors])
    try:
        result = gbt51366(
            bom.items,
            tables,
            floor_area_m2=project.floor_area_m2,
            service_life_years=service_life_years,
            energy_factors=energy_factors(packaged_library(), region=region, year=year),
        )
    except CarbonpeakError as exc:
        raise LcaComputeError([str(exc)]) from None
    variant, _ = LcaVariant.objects.update_or_create(
        project=project,
        name=name.strip(),
        defaults={
            "source_file": Path(filename).name,
            "service_life_years": service_life_years,
            "bom": [i.to_dict() for i in bom.items],
            "result": result.to_dict(),
            "synthetic": synthetic or project.synthetic,
        },
    )
    return variant


def demo_newbuildings_load(*, seed: int) -> str:
    """Load SYNTHETIC new-building projects and, on the first residential one, two life-cycle variants
    (cast in place and prefab). Deterministic for a seed: running it again changes nothing."""
    from carbonpeak.demo.newbuildings import CAST_IN_PLACE_BOM, PREFAB_BOM, demo_projects
    from carbonpeak.web.newbuildings.selectors import energy_factor_setting

    rows = demo_projects(seed=seed)
    outcome = projects_import(rows=rows, label="demo new buildings", synthetic=True)
    if outcome.errors:  # the generator names no building: a failure here is a bug
        raise RuntimeError("; ".join(str(e) for e in outcome.errors))
    project = NewBuildingProject.objects.filter(synthetic=True, use="residential").order_by("code").first()
    variants = 0
    if project is not None:
        region, year = energy_factor_setting()
        for name, bom in (("cast-in-place", CAST_IN_PLACE_BOM), ("prefab", PREFAB_BOM)):
            lca_variant_compute(
                project=project,
                name=name,
                filename=f"{name}.csv",
                content=bom.encode("utf-8"),
                region=region,
                year=year,
                synthetic=True,
            )
            variants += 1
    return f"{len(rows)} new-building projects ({outcome.created} new), {variants} LCA variants, SYNTHETIC"


__all__ = [
    "ImportOutcome",
    "LcaComputeError",
    "UploadRejectedError",
    "demo_newbuildings_load",
    "lca_variant_compute",
    "projects_file_import",
    "projects_import",
]
