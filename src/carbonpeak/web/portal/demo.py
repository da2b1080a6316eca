"""The demo district's synthetic data, loaded through the platform's own services (``carbonpeak demo``).

Every step is idempotent and labelled SYNTHETIC. The CLI only prints what these return.
"""

from __future__ import annotations

from carbonpeak.core.errors import CarbonpeakError


def demo_inventory_load() -> str:
    """Import the reference district's synthetic activity data (idempotent) and compute its inventory once."""
    import io

    from carbonpeak.demo.inventory import (
        INVENTORY_DATASET_NAME,
        INVENTORY_FILE_NAME,
        INVENTORY_LABEL,
        reference_district,
    )
    from carbonpeak.io.inventory import write_activity_workbook
    from carbonpeak.web.inventory.models import InventoryRun
    from carbonpeak.web.inventory.services import activity_dataset_import, inventory_run_create

    activity, statistics = reference_district()
    buffer = io.BytesIO()
    write_activity_workbook(activity, statistics, buffer)
    result = activity_dataset_import(
        name=INVENTORY_DATASET_NAME,
        filename=INVENTORY_FILE_NAME,
        content=buffer.getvalue(),
        synthetic=True,
    )
    if result.dataset is None:
        raise CarbonpeakError(f"synthetic inventory data rejected: {result.errors[0]}")
    run = InventoryRun.objects.filter(dataset=result.dataset).first()
    if run is None:
        run = inventory_run_create(dataset=result.dataset)
        return f"{INVENTORY_LABEL} imported, run {run.pk} computed"
    return f"{INVENTORY_LABEL} already present (run {run.pk})"


def demo_buildings_load(*, count: int, seed: int) -> str:
    """Generate the synthetic buildings and feed their readings through the normal ingest path."""
    import time

    import numpy as np
    import pandas as pd

    from carbonpeak.demo.buildings import reference_buildings, reference_degree_days
    from carbonpeak.io.readings import ReadingColumns
    from carbonpeak.web.buildings.models import Building
    from carbonpeak.web.buildings.services import (
        buildings_import,
        degree_days_import,
        meters_import,
        readings_ingest,
    )

    weather = degree_days_import(rows=reference_degree_days(seed=seed), label="demo weather", synthetic=True)
    if weather.errors:
        raise CarbonpeakError(f"synthetic weather rejected: {weather.errors[0]}")
    if Building.objects.filter(synthetic=True).count() >= count:
        return f"{count} synthetic buildings already present"
    started = time.perf_counter()
    buildings, meters = reference_buildings(count, seed=seed)
    buildings_import(rows=buildings, synthetic=True)
    outcome = meters_import(
        rows=[
            {
                **m.row,
                "row": i,
                "multiplier": 1.0,
                "register_max": m.row.get("register_max"),
                "it_load": m.row.get("it_load", False),
                "virtual": [],
            }
            for i, m in enumerate(meters, start=2)
        ],
        label="demo meters",
    )
    if outcome.errors:
        raise CarbonpeakError(f"synthetic meters rejected: {outcome.errors[0]}")
    accepted = quarantined = 0
    for meter in meters:
        columns = ReadingColumns.from_meter_ids(
            [meter.row["id"]] * len(meter.values),
            pd.DatetimeIndex(meter.stamps).as_unit("ns").asi8,
            np.asarray(meter.values, dtype=float),
        )
        result = readings_ingest(readings=columns, source="demo")
        accepted += result.accepted
        quarantined += result.quarantined
    seconds = time.perf_counter() - started
    return (
        f"{len(buildings)} synthetic buildings, {len(meters)} meters, {accepted:,} readings accepted, "
        f"{quarantined} quarantined ({seconds:.0f} s, {accepted / seconds:,.0f} readings/s)"
    )


def demo_projection_load() -> str:
    """Import the synthetic driver series (idempotent) and store the default BAU and Plan scenarios."""
    from carbonpeak.demo.projection import DRIVERS_DATASET_NAME, DRIVERS_FILE_NAME, reference_drivers
    from carbonpeak.io.projection import write_drivers_csv
    from carbonpeak.web.projection.services import driver_set_import, scenario_defaults_ensure

    result = driver_set_import(
        name=DRIVERS_DATASET_NAME,
        filename=DRIVERS_FILE_NAME,
        content=write_drivers_csv(reference_drivers()),
        synthetic=True,
    )
    if result.driver_set is None:
        raise CarbonpeakError(f"synthetic drivers rejected: {result.errors[0]}")
    created = scenario_defaults_ensure(driver_set=result.driver_set)
    state = "imported" if result.created else "already present"
    set_id = result.driver_set.pk
    return f"synthetic drivers 2015-2024 {state} (set {set_id}); {len(created)} default scenarios stored"


def demo_district_load(*, buildings: int, seed: int) -> list[tuple[str, str]]:
    """Load the demo district's synthetic data (after ``setup`` with the reference plan).

    Returns
    -------
    list of (label, summary)
        One line per module, in load order.
    """
    from carbonpeak.web.renewables.services import renewables_demo_load

    out = [("inventory", demo_inventory_load()), ("projection", demo_projection_load())]
    if buildings:
        out.append(("buildings", demo_buildings_load(count=buildings, seed=seed)))
    out.append(("PV and charging", renewables_demo_load(seed=seed)))
    from carbonpeak.web.areas.services import demo_areas_load
    from carbonpeak.web.credits.services import demo_credits_load
    from carbonpeak.web.flex.services import demo_flex_load
    from carbonpeak.web.newbuildings.services import demo_newbuildings_load
    from carbonpeak.web.retrofits.services import demo_retrofits_load
    from carbonpeak.web.spatial.services import demo_spatial_load
    from carbonpeak.web.waste.services import demo_waste_load

    out.append(("sub-areas", demo_areas_load(seed=seed)))
    out.append(("waste", demo_waste_load(seed=seed)))
    out.append(("carbon credits", demo_credits_load(seed=seed)))
    out.append(("green space and transport", demo_spatial_load(seed=seed)))
    out.append(("new buildings", demo_newbuildings_load(seed=seed)))
    if buildings:  # these sit on the demo buildings' meters
        out.append(("retrofits", demo_retrofits_load(seed=seed)))
        out.append(("flexibility", demo_flex_load(seed=seed)))
    return out
