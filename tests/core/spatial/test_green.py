"""Additions in a sub-area, per-capita park green area, sinks, CRS and the life circle."""

from __future__ import annotations

from datetime import date

import pytest
from shapely.geometry import LineString, Point, box

from carbonpeak.core.spatial import SpatialInputError
from carbonpeak.core.spatial.additions import Additions, additions_in_subarea
from carbonpeak.core.spatial.crs import Projector, projected_crs
from carbonpeak.core.spatial.features import (
    Greenway,
    LayerKind,
    Park,
    Period,
    Residential,
    Station,
    SubAreaBoundary,
    VerticalGreening,
    check_geometry,
)
from carbonpeak.core.spatial.green import (
    SinkRate,
    green_space_sink,
    park_area_by_vegetation,
    park_green_area_per_capita,
)
from carbonpeak.core.spatial.life_circle import life_circle_coverage

PERIOD = Period(date(2021, 1, 1), date(2025, 12, 31))
AREA = SubAreaBoundary("riverside_south", box(0, 0, 1_000, 1_000))


def test_additions_clip_to_the_boundary_and_period() -> None:
    parks = [
        Park("in", box(0, 0, 200, 100), opened=date(2022, 5, 1)),  # 2 ha
        Park("half", box(900, 0, 1_100, 100), opened=date(2023, 5, 1)),  # 2 ha, half inside
        Park("old", box(0, 500, 100, 600), opened=date(2019, 1, 1)),
        Park("undated", box(0, 700, 100, 800)),
    ]
    ways = [Greenway("w", LineString([(500, -500), (500, 1_500)]), opened=date(2024, 1, 1))]
    vertical = [
        VerticalGreening("v1", Point(10, 10), area_m2=5_000, opened=date(2025, 1, 1)),
        VerticalGreening("v2", Point(5_000, 10), area_m2=5_000, opened=date(2025, 1, 1)),
    ]
    result = additions_in_subarea(AREA, PERIOD, parks=parks, greenways=ways, vertical=vertical)
    assert result.green_space_ha == pytest.approx(3.0)
    assert result.greenway_km == pytest.approx(1.0)
    assert result.vertical_greening_ha == pytest.approx(0.5)
    assert [y.year for y in result.by_year] == [2022, 2023, 2024, 2025]
    assert result.undated == ("undated",)
    assert Additions.from_dict(result.to_dict()) == result


def test_per_capita_counts_parks_open_on_the_date() -> None:
    parks = [
        Park("a", box(0, 0, 100, 100), opened=date(2020, 1, 1)),
        Park("b", box(0, 0, 100, 100), green_area_m2=30_000, opened=date(2024, 1, 1)),
    ]
    assert park_green_area_per_capita(parks, 10_000, as_of=date(2022, 12, 31)).per_capita_m2 == 1.0
    assert park_green_area_per_capita(parks, 10_000, as_of=date(2024, 12, 31)).per_capita_m2 == 4.0
    with pytest.raises(SpatialInputError, match="population"):
        park_green_area_per_capita(parks, 0, as_of=date(2024, 12, 31))


def test_sink_is_area_times_rate_and_unknown_rates_are_flagged() -> None:
    rates = [SinkRate("urban_arbor", 8.99, "生态学报 2024", "V"), SinkRate("shrub", None, "", "X")]
    result = green_space_sink({"urban_arbor": 10.0, "shrub": 2.0, "": 1.0}, rates)
    assert result.removal_tco2_a == pytest.approx(89.9)
    assert result.rated_area_ha == 10.0
    assert result.unrated_area_ha == 3.0
    assert result.rate_tco2_per_ha_a == pytest.approx(8.99)
    assert len(result.flags) == 2
    parks = [Park("a", box(0, 0, 100, 100), vegetation="urban_arbor"), Park("b", box(0, 0, 100, 200))]
    assert park_area_by_vegetation(parks) == {"urban_arbor": 1.0, "": 2.0}


def test_wujiaochang_maps_to_the_facts_check_point() -> None:
    # FACTS.md section 11: Wujiaochang (121.514 E, 31.300 N) -> (644146.6, 3465225.5) in EPSG:4549.
    point = Projector("EPSG:4549").to_metres(Point(121.514, 31.300))
    assert point.x == pytest.approx(644146.6, abs=0.1)
    assert point.y == pytest.approx(3465225.5, abs=0.1)
    back = Projector("EPSG:4549").to_lonlat(point)
    assert back.x == pytest.approx(121.514, abs=1e-9)


def test_geographic_and_unknown_crs_are_refused() -> None:
    with pytest.raises(SpatialInputError, match="not projected"):
        projected_crs("EPSG:4326")
    with pytest.raises(SpatialInputError, match="unknown"):
        projected_crs("EPSG:999999")


def test_invalid_geometry_is_named() -> None:
    bowtie = LineString([(0, 0), (1, 1), (1, 0), (0, 1), (0, 0)]).convex_hull  # valid hull
    check_geometry(bowtie, LayerKind.PARKS, "p1")
    from shapely.geometry import Polygon

    with pytest.raises(SpatialInputError, match=r"feature p2: invalid geometry \(Self-intersection"):
        check_geometry(Polygon([(0, 0), (1, 1), (1, 0), (0, 1)]), LayerKind.PARKS, "p2")
    with pytest.raises(SpatialInputError, match="feature s1: Polygon is not allowed in bus_stops"):
        check_geometry(box(0, 0, 1, 1), LayerKind.BUS_STOPS, "s1")


def test_life_circle_share_over_the_network() -> None:
    # One station at the west end of a 2 km path; 15 min at 60 m/min = 900 m; 5 m access leg.
    station = [Station("st", Point(0, 0))]
    homes = [Residential("h1", box(100, -5, 300, 5)), Residential("h2", box(1_500, -5, 1_700, 5))]
    result = life_circle_coverage(
        station,
        homes,
        paths=[LineString([(0, 0), (2_000, 0)])],
        minutes=15,
        walk_speed_m_per_min=60,
        access_m=5,
    )
    assert result.coverage == pytest.approx(0.5)
    with pytest.raises(SpatialInputError, match="walk_speed"):
        life_circle_coverage(station, homes, paths=[], minutes=15, walk_speed_m_per_min=0, access_m=5)


def test_sink_feeds_the_inventory_row_and_the_projection_lever() -> None:
    from carbonpeak.core.projection.levers import GreenSpaceSink
    from carbonpeak.core.spatial.green import sink_activity_record, sink_lever

    rates = [SinkRate("urban_arbor", 8.99, "", "V"), SinkRate("wetland", 0.6, "", "V")]
    result = green_space_sink({"urban_arbor": 10.0, "wetland": 10.0, "shrub": 5.0}, rates)
    record = sink_activity_record(result, year=2024, area="district", source="park layer")
    assert (record.sector, record.carrier, record.unit) == ("sinks", "co2e", "tCO2e")
    assert record.quantity == pytest.approx(95.9)
    assert "5.00 ha without a known rate" in record.note
    lever = sink_lever(GreenSpaceSink(), result, added_ha={2021: 4.0, 2022: 2.25})
    assert lever.sink_t_per_ha == pytest.approx(4.795)
    assert lever.added_ha[2021] == 4.0
    assert lever.added_ha[2025] == GreenSpaceSink().added_ha[2025]
    with pytest.raises(SpatialInputError, match="no green area"):
        sink_lever(GreenSpaceSink(), green_space_sink({"shrub": 1.0}, rates), added_ha={})
