"""Small hand-worked histories for the projection tests.

Numbers are chosen so that results can be checked by hand: electricity at 0.42 tCO2/MWh and 0.1229 tce/MWh
(so 10,000 MWh = 1,229 tce and 4,200 tCO2), natural gas 2 tCO2/tce, gasoline 3 tCO2/tce.
"""

import pytest

from carbonpeak.core.inventory import compute_inventory
from carbonpeak.core.projection import Segment, calibrate, history_from_records
from carbonpeak.data import packaged_library
from carbonpeak.demo.inventory import reference_district
from carbonpeak.io.inventory import parse_activity_row

YEARS = (2018, 2019, 2020)
ELEC_TCE = 1229.0  # 10,000 MWh
ELEC_CO2 = 4200.0  # x 0.42 t/MWh

SEGMENTS = (
    Segment("public_buildings", "commercial", "floor_area_public_m2"),
    Segment("data_centres", "commercial", "data_centre_it_mwh", {"electricity": 0.25}),
    Segment("residential", "residential", "floor_area_residential_m2"),
    Segment("transport", "transport", "vehicle_km"),
    Segment("waste", "waste", "waste_t"),
    Segment("sinks", "sinks", "green_space_ha"),
)


def small_history(scale: float = 1.0):
    """Commercial electricity and gas, residential electricity, transport gasoline, waste: constant."""
    series = {
        ("commercial", "electricity"): (4 * ELEC_TCE, 4 * ELEC_CO2),
        ("commercial", "natural_gas"): (500.0, 1000.0),
        ("residential", "electricity"): (2 * ELEC_TCE, 2 * ELEC_CO2),
        ("transport", "gasoline"): (1000.0, 3000.0),
        ("transport", "electricity"): (ELEC_TCE, ELEC_CO2),
        ("waste", "co2e"): (0.0, 1000.0),
    }
    return {key: {y: (e * scale, c * scale) for y in YEARS} for key, (e, c) in series.items()}


def small_drivers(**overrides):
    drivers = {
        "floor_area_public_m2": {y: 1_000_000.0 for y in YEARS},
        "floor_area_residential_m2": {y: 1_000_000.0 for y in YEARS},
        "data_centre_it_mwh": {y: 10_000.0 for y in YEARS},
        "vehicle_km": {y: 1.0e8 for y in YEARS},
        "waste_t": {y: 50_000.0 for y in YEARS},
        "green_space_ha": {y: 100.0 for y in YEARS},
    }
    drivers.update(overrides)
    return drivers


@pytest.fixture
def small():
    return calibrate(small_history(), small_drivers(), segments=SEGMENTS)


def demo_inventory():
    activity, _ = reference_district()
    rows = [
        parse_activity_row({k: str(v) for k, v in r.items()}, i + 2, "demo") for i, r in enumerate(activity)
    ]
    return compute_inventory(rows, packaged_library())


DEMO_YEARS = range(2015, 2025)
DEMO_DRIVERS = {
    "gdp_secondary_10k_yuan": {y: 6.0e6 * 1.03 ** (y - 2015) for y in DEMO_YEARS},
    "floor_area_public_m2": {y: 1.2e7 * 1.01 ** (y - 2015) for y in DEMO_YEARS},
    "floor_area_residential_m2": {y: 3.0e7 * 1.005 ** (y - 2015) for y in DEMO_YEARS},
    "vehicle_km": {y: 5.0e9 * 0.99 ** (y - 2015) for y in DEMO_YEARS},
    "data_centre_it_mwh": {y: 1.0e5 * 1.05 ** (y - 2015) for y in DEMO_YEARS},
    "waste_t": {y: 4.0e5 for y in DEMO_YEARS},
    "green_space_ha": {y: 900.0 for y in DEMO_YEARS},
}
"""Synthetic drivers for the synthetic demo district (test data, not statistics)."""

DEMO_GROWTH = {
    "gdp_secondary_10k_yuan": 0.03,
    "floor_area_public_m2": 0.01,
    "floor_area_residential_m2": 0.005,
    "data_centre_it_mwh": 0.05,
}


@pytest.fixture(scope="session")
def demo():
    inventory = demo_inventory()
    return inventory, calibrate(history_from_records(inventory.records), DEMO_DRIVERS)
