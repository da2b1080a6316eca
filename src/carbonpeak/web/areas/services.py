"""Write services of the sub-area registry: import a file (all rows or none), and the synthetic demo areas."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from carbonpeak.core.areas import parent_cycle
from carbonpeak.io.areas import read_areas_file
from carbonpeak.io.tabular import RowError
from carbonpeak.web.areas.models import SubArea
from carbonpeak.web.portal.uploads import tabular_upload_check


@dataclass
class AreasImport:
    """Sub-areas created and updated, or every error that rejected the file (then nothing changed)."""

    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)


def sub_areas_import(*, rows: Sequence[dict[str, Any]], label: str, synthetic: bool = False) -> AreasImport:
    """Create or update sub-areas from validated rows (:func:`carbonpeak.io.areas.read_areas_file`).

    A ``parent`` must be a sub-area of the file or of the registry, and the parents must not form a cycle
    (with the stored sub-areas included). Any error rejects the whole file and names its row and field.
    """
    outcome = AreasImport()
    stored: dict[str, str | None] = {
        code: parent for code, parent in SubArea.objects.values_list("code", "parent__code")
    }
    parents = {**stored, **{r["code"]: r["parent"] for r in rows}}
    for row in rows:
        parent = row["parent"]
        if parent is not None and parent not in parents:
            outcome.errors.append(RowError(label, row["row"], (("parent", f"unknown sub-area '{parent}'"),)))
    if not outcome.errors:
        cycle = parent_cycle(parents)
        if cycle is not None:
            where = next((r["row"] for r in rows if r["code"] in cycle), None)
            outcome.errors.append(
                RowError(label, where, (("parent", f"the parents form a cycle: {' → '.join(cycle)}"),))
            )
    if outcome.errors:
        return outcome
    with transaction.atomic():
        by_code: dict[str, SubArea] = {a.code: a for a in SubArea.objects.all()}
        for row in rows:
            values = {
                "name_zh": row["name_zh"],
                "name_en": row["name_en"],
                "boundary": row["boundary"],
                "synthetic": synthetic or bool(row["synthetic"]),
            }
            area = by_code.get(row["code"])
            if area is None:
                by_code[row["code"]] = SubArea.objects.create(code=row["code"], **values)
                outcome.created += 1
            else:
                for name, value in values.items():
                    setattr(area, name, value)
                area.save()
                outcome.updated += 1
        for row in rows:  # parents once every row exists
            area = by_code[row["code"]]
            parent = by_code[row["parent"]] if row["parent"] else None
            if area.parent_id != (parent.pk if parent else None):
                area.parent = parent
                area.save(update_fields=["parent"])
    return outcome


@dataclass
class AreasFileImport:
    """What an uploaded or named sub-area file did."""

    filename: str
    outcome: AreasImport | None = None
    errors: list[str] = field(default_factory=list)


GEOJSON_MAX_BYTES = 10 * 1024 * 1024
"""Largest GeoJSON file accepted [bytes] (boundaries of a few key areas are far smaller)."""


def sub_areas_file_import(*, filename: str, content: bytes, synthetic: bool = False) -> AreasFileImport:
    """Read a sub-area file (.csv, .xlsx, .geojson or .json) and import it, all rows or none.

    Raises
    ------
    UploadRejectedError
        A table file that is not .csv/.xlsx, too large, or an .xlsx that is not a zip container.
    """
    result = AreasFileImport(filename)
    path = Path(filename)
    if path.suffix.lower() in (".geojson", ".json"):
        if len(content) > GEOJSON_MAX_BYTES:
            result.errors = [f"{filename}: is larger than {GEOJSON_MAX_BYTES // (1024 * 1024)} MB"]
            return result
    else:
        tabular_upload_check(filename=filename, content=content)
    parsed = read_areas_file(path, content)
    if parsed.errors:
        result.errors = [str(e) for e in parsed.errors]
        return result
    outcome = sub_areas_import(rows=parsed.rows, label=filename, synthetic=synthetic)
    result.outcome = outcome
    result.errors = [str(e) for e in outcome.errors]
    return result


def demo_areas_load(*, seed: int) -> str:
    """Load the synthetic demo sub-areas and their synthetic inventory (idempotent); say what was done.

    The registry rows of :data:`carbonpeak.demo.areas.SUB_AREAS` are imported labelled synthetic, their
    activity rows (:func:`carbonpeak.demo.areas.reference_sub_areas`) become one synthetic data set with its
    inventory run, and synthetic buildings without a sub-area are spread over the sub-areas in turn.
    """
    import io

    from carbonpeak.demo.areas import SUB_AREAS, reference_sub_areas
    from carbonpeak.io.inventory import write_activity_workbook
    from carbonpeak.web.buildings.models import Building
    from carbonpeak.web.inventory.models import InventoryRun
    from carbonpeak.web.inventory.services import activity_dataset_import, inventory_run_create

    rows = [
        {**area, "id": area["code"], "row": n, "boundary": None, "synthetic": True}
        for n, area in enumerate(SUB_AREAS, start=2)
    ]
    outcome = sub_areas_import(rows=rows, label="demo sub-areas", synthetic=True)
    if outcome.errors:
        raise ValueError(f"synthetic sub-areas rejected: {outcome.errors[0]}")
    buffer = io.BytesIO()
    write_activity_workbook(reference_sub_areas(seed), [], buffer)
    result = activity_dataset_import(
        name="重点区域合成数据 2020–2024 (SYNTHETIC)",
        filename="sub-areas-synthetic-2020-2024.xlsx",
        content=buffer.getvalue(),
        synthetic=True,
    )
    if result.dataset is None:
        raise ValueError(f"synthetic sub-area activity rejected: {result.errors[0]}")
    run = InventoryRun.objects.filter(dataset=result.dataset).first()
    state = "already present"
    if run is None:
        run = inventory_run_create(dataset=result.dataset)
        state = "imported"
    codes = [a["code"] for a in SUB_AREAS if a["code"] != "xinjiangwan"]
    areas = {a.code: a for a in SubArea.objects.filter(code__in=codes)}
    placed = 0
    for n, building in enumerate(Building.objects.filter(synthetic=True, sub_area=None).order_by("code")):
        if n % 2 == 0:  # every other synthetic building stays outside the key areas
            continue
        building.sub_area = areas[codes[(n // 2) % len(codes)]]
        building.save(update_fields=["sub_area"])
        placed += 1
    return (
        f"{len(SUB_AREAS)} synthetic sub-areas ({outcome.created} created, {outcome.updated} updated); "
        f"synthetic sub-area inventory 2020-2024 {state} (run {run.pk}); {placed} synthetic buildings placed"
    )
