"""NEV share of new or replacement vehicles."""

from __future__ import annotations

from datetime import date

import pytest

from carbonpeak.core.fleets import FleetInputError, Fuel, Vehicle, VehicleCategory, nev_share_new_vehicles


def _v(i: int, cat: VehicleCategory, fuel: Fuel, year: int) -> Vehicle:
    return Vehicle(f"v{i}", "op", cat, fuel, date(year, 3, 1))


def test_share_per_year_for_the_target_categories() -> None:
    fleet = [
        _v(1, VehicleCategory.BUS, Fuel.BEV, 2022),
        _v(2, VehicleCategory.BUS, Fuel.ICE, 2022),
        _v(3, VehicleCategory.CRUISING_TAXI, Fuel.PHEV, 2022),
        _v(4, VehicleCategory.CRUISING_TAXI, Fuel.FCEV, 2023),
        _v(5, VehicleCategory.PUBLIC_SECTOR, Fuel.ICE, 2023),
    ]
    shares = nev_share_new_vehicles(fleet, categories=["bus", "cruising_taxi"])
    assert [(s.year, s.nev, s.total) for s in shares] == [(2022, 2, 3), (2023, 1, 1)]
    assert shares[0].share_pct == pytest.approx(200 / 3)
    public = nev_share_new_vehicles(fleet, categories=["public_sector", "sanitation"])
    assert [(s.year, s.share_pct) for s in public] == [(2023, 0.0)]
    assert nev_share_new_vehicles(fleet, categories=["bus"], from_year=2023) == []


def test_bad_categories_and_dates_are_refused() -> None:
    with pytest.raises(FleetInputError, match="no vehicle categories"):
        nev_share_new_vehicles([], categories=[])
    with pytest.raises(FleetInputError, match="unknown vehicle categories"):
        nev_share_new_vehicles([], categories=["tram"])
    with pytest.raises(FleetInputError, match="left service"):
        Vehicle("x", "op", VehicleCategory.BUS, Fuel.BEV, date(2024, 1, 1), date(2023, 1, 1))
    v = _v(1, VehicleCategory.BUS, Fuel.BEV, 2022)
    assert Vehicle.from_dict(v.to_dict()) == v
