"""Hand-worked park service coverage (issue 18, "Done when")."""

from __future__ import annotations

import math

import pytest
import shapely
from shapely.geometry import LineString, box

from carbonpeak.core.spatial import SpatialInputError
from carbonpeak.core.spatial.coverage import (
    CoverageResult,
    PathNetwork,
    RadiusBand,
    RadiusTable,
    park_service_coverage,
)
from carbonpeak.core.spatial.features import Park, Residential

BLOCK = [Residential("block", box(0, 0, 1000, 1000), population=10_000)]
CENTRE_PARK = [Park("park", box(450, 450, 550, 550))]


def test_boundary_radius_500_gives_0_9167() -> None:
    # Uncovered: four corners, each int_{a}^{450} (450 - sqrt(500^2 - u^2)) du with a = sqrt(500^2 - 450^2)
    # = 20,835 m2, so 1 - 4 x 20,835 / 1e6 = 0.91666.
    result = park_service_coverage("euclidean_boundary", CENTRE_PARK, BLOCK, radius_m=500)
    assert result.coverage == pytest.approx(0.9167, abs=1e-4)
    assert result.residential_area_m2 == pytest.approx(1e6)
    assert [p.id for p in result.uncovered] == ["block"]


def test_boundary_without_park_footprint_gives_0_9158() -> None:
    result = park_service_coverage(
        "euclidean_boundary", CENTRE_PARK, BLOCK, radius_m=500, exclude_park_footprint=True
    )
    assert result.residential_area_m2 == pytest.approx(990_000)
    assert result.coverage == pytest.approx(0.9158, abs=1e-4)


def test_centroid_radius_500_gives_pi_over_4() -> None:
    result = park_service_coverage("euclidean_centroid", CENTRE_PARK, BLOCK, radius_m=500)
    assert result.coverage == pytest.approx(math.pi / 4, abs=1e-4)


def _two_blocks() -> list[Residential]:
    return [
        Residential("a", box(0, 0, 400, 400), population=8_000),
        Residential("b", box(2_000, 0, 2_400, 400), population=2_000),
    ]


def test_two_blocks_by_area_and_population() -> None:
    parks = [Park("p", box(150, 150, 250, 250))]
    by_area = park_service_coverage("euclidean_boundary", parks, _two_blocks(), radius_m=500, weight="area")
    by_pop = park_service_coverage(
        "euclidean_boundary", parks, _two_blocks(), radius_m=500, weight="population"
    )
    assert by_area.coverage == pytest.approx(0.5)
    assert by_pop.coverage == pytest.approx(0.8)
    assert by_pop.covered_population == pytest.approx(8_000)
    assert [p.id for p in by_area.uncovered] == ["b"]


def test_population_weighting_refuses_missing_population_unless_allowed() -> None:
    blocks = [*_two_blocks(), Residential("c", box(0, 1_000, 100, 1_100))]
    parks = [Park("p", box(150, 150, 250, 250))]
    with pytest.raises(SpatialInputError, match="no population"):
        park_service_coverage("euclidean_boundary", parks, blocks, radius_m=500, weight="population")
    result = park_service_coverage(
        "euclidean_boundary", parks, blocks, radius_m=500, weight="population", allow_missing_population=True
    )
    assert result.coverage == pytest.approx(0.8)
    assert any("without population" in f for f in result.flags)


TABLE = RadiusTable(
    "test",
    (
        RadiusBand(5_000, None, 500, "GB/T 50563-2010", "R"),
        RadiusBand(2_000, 5_000, 300, "GB/T 50563-2010", "R"),
    ),
)


def test_radius_table_by_park_size() -> None:
    assert TABLE.radius_for(10_000) == 500
    assert TABLE.radius_for(5_000) == 500
    assert TABLE.radius_for(4_999) == 300
    assert TABLE.radius_for(1_999) is None
    # a 50 m x 50 m pocket park (2,500 m2) serves 300 m: the block's coverage is its 300 m buffer's share
    small = [Park("pocket", box(475, 475, 525, 525))]
    result = park_service_coverage("euclidean_boundary", small, BLOCK, radii=TABLE)
    expected = 50 * 50 + 4 * 50 * 300 + math.pi * 300**2
    assert result.coverage == pytest.approx(expected / 1e6, abs=1e-4)
    tiny = [Park("tiny", box(0, 0, 10, 10))]
    result = park_service_coverage("euclidean_boundary", tiny, BLOCK, radii=TABLE)
    assert result.coverage == 0
    assert result.parks_without_radius == ("tiny",)


def test_unknown_method_and_weight_are_refused() -> None:
    with pytest.raises(SpatialInputError, match="unknown coverage method 'buffer'"):
        park_service_coverage("buffer", CENTRE_PARK, BLOCK, radius_m=500)
    with pytest.raises(SpatialInputError, match="unknown weight"):
        park_service_coverage("euclidean_boundary", CENTRE_PARK, BLOCK, radius_m=500, weight="households")
    with pytest.raises(SpatialInputError, match="radius"):
        park_service_coverage("euclidean_boundary", CENTRE_PARK, BLOCK)


def test_network_along_a_straight_path() -> None:
    # Park [0,100]^2; a path leaves its east edge at (100, 50); homes on a 10 m strip along it. With a
    # 5 m off-network leg the walk reaches 495 m along the path, buffered by 5 m (a 5 m round end):
    # 495 x 10 + pi 5^2 / 2 = 4,989.27 m2 of the 10,000 m2 strip; straight-line distance gives 0.5.
    park = [Park("p", box(0, 0, 100, 100))]
    strip = [Residential("strip", box(100, 45, 1100, 55))]
    paths = [LineString([(100, 50), (600, 50)]), LineString([(600, 50), (1100, 50)])]
    net = park_service_coverage("network", park, strip, radius_m=500, paths=paths, access_m=5)
    assert net.covered_area_m2 == pytest.approx(4950 + math.pi * 25 / 2, rel=1e-3)
    assert net.coverage == pytest.approx(0.4989, abs=1e-4)
    euclid = park_service_coverage("euclidean_boundary", park, strip, radius_m=500)
    assert euclid.coverage == pytest.approx(0.5, abs=1e-4)


def test_network_detour_is_longer_than_straight_line() -> None:
    # Homes 300 m east of the park but the only path goes 300 m north, 300 m east and 300 m south:
    # 900 m on foot, out of a 500 m reach; straight-line distance covers them.
    park = [Park("p", box(0, 0, 100, 100))]
    homes = [Residential("h", box(390, 40, 410, 60))]
    paths = [LineString([(100, 50), (100, 350), (400, 350), (400, 50)])]
    net = park_service_coverage("network", park, homes, radius_m=500, paths=paths, access_m=20)
    assert net.coverage == 0
    assert park_service_coverage("euclidean_boundary", park, homes, radius_m=500).coverage == 1


def test_network_crossing_lines_are_noded() -> None:
    graph = PathNetwork.from_lines([LineString([(0, 0), (10, 0)]), LineString([(5, -5), (5, 5)])])
    assert len(graph.nodes) == 5
    assert len(graph.edges) == 4


def test_result_round_trips_through_dict() -> None:
    result = park_service_coverage("euclidean_boundary", CENTRE_PARK, BLOCK, radius_m=500)
    again = CoverageResult.from_dict(result.to_dict())
    assert again.coverage == result.coverage
    assert shapely.equals_exact(again.holes, result.holes, tolerance=1e-6)
