"""Bus coverage of rail stations (issue 18, "Done when": 49 m served, 51 m not)."""

from __future__ import annotations

from datetime import date

import pytest
from shapely.geometry import MultiPoint, Point

from carbonpeak.core.spatial import SpatialInputError
from carbonpeak.core.spatial.features import BusStop, Period, Station
from carbonpeak.core.spatial.transit import TransitCoverage, station_bus_coverage


def test_49_m_is_served_51_m_is_not() -> None:
    stations = [Station("near", Point(0, 0)), Station("far", Point(1_000, 0))]
    stops = [BusStop("s1", Point(49, 0)), BusStop("s2", Point(1_051, 0))]
    result = station_bus_coverage(stations, stops, radius_m=50)
    served = {s.id: s.served for s in result.stations}
    assert served == {"near": True, "far": False}
    assert result.coverage == 0.5
    far = result.stations[1]
    assert far.nearest_stop == "s2"
    assert far.distance_m == pytest.approx(51)


def test_entrances_count_not_the_station_point() -> None:
    # Station point 100 m from the stop, but one entrance 30 m from it.
    station = Station("x", MultiPoint([(0, 0), (70, 0)]))
    result = station_bus_coverage([station], [BusStop("s", Point(100, 0))], radius_m=50)
    assert result.stations[0].served
    assert result.stations[0].distance_m == pytest.approx(30)


def test_only_stations_opened_in_the_period() -> None:
    stations = [
        Station("old", Point(0, 0), opened=date(2010, 1, 1)),
        Station("new", Point(500, 0), opened=date(2023, 6, 1)),
        Station("undated", Point(900, 0)),
    ]
    result = station_bus_coverage(
        stations,
        [BusStop("s", Point(0, 10))],
        radius_m=50,
        period=Period(date(2021, 1, 1), date(2025, 12, 31)),
    )
    assert [s.id for s in result.stations] == ["new"]
    assert result.coverage == 0
    assert any("without an opening date" in f for f in result.flags)
    assert TransitCoverage.from_dict(result.to_dict()) == result


def test_bad_radius_and_duplicate_ids_are_refused() -> None:
    with pytest.raises(SpatialInputError, match="radius_m"):
        station_bus_coverage([], [], radius_m=float("nan"))
    with pytest.raises(SpatialInputError, match="appears twice"):
        station_bus_coverage([Station("a", Point(0, 0)), Station("a", Point(1, 1))], [], radius_m=50)
