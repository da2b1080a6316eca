"""SYNTHETIC Yangpu-like map layers, fleet and population for the spatial demo.

Everything here is invented and labelled synthetic: a grid of residential blocks around Wujiaochang, parks
of many sizes (some opened in 2021-2025 in the southern riverside section), riverside greenways, vertical
greening, rail stations with bus stops (one new station without a stop within 50 m), a walking-path grid,
the 杨浦滨江南段 boundary and a rough district outline. No OpenStreetMap data is used (ODbL share-alike,
FACTS.md section 11). Geometry is laid out in metres in EPSG:4549 and shipped in WGS 84 lon/lat.
Deterministic for a seed.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
from shapely.geometry import LineString, MultiPoint, Point, Polygon, box
from shapely.geometry.base import BaseGeometry

from carbonpeak.core.spatial.crs import Projector
from carbonpeak.core.spatial.features import LayerKind
from carbonpeak.io.spatial import RawFeature

DEMO_CRS = "EPSG:4549"
ORIGIN = (641_000.0, 3_460_500.0)
"""South-west corner of the synthetic grid [m, EPSG:4549], a little south-west of Wujiaochang."""
COLS, ROWS, PITCH, BLOCK = 12, 16, 500.0, 400.0
RIVERSIDE_SUB_AREA = "yangpu_riverside_south"
"""Code of the 杨浦滨江南段 sub-area in the demo (the plan's targets name it in ``rule.sub_areas``)."""
POPULATION = (2020, 1_242_548.0, "第七次全国人口普查 2020 (FACTS.md section 6, evidence S)")


def _ll(geometry: BaseGeometry) -> BaseGeometry:
    return Projector(DEMO_CRS).to_lonlat(geometry)


def _f(fid: str, geometry: BaseGeometry, **props: Any) -> RawFeature:
    return RawFeature(fid, _ll(geometry), {"synthetic": True, **props})


def _cell(col: int, row: int, size: float = BLOCK) -> Polygon:
    x0 = ORIGIN[0] + col * PITCH + (BLOCK - size) / 2
    y0 = ORIGIN[1] + row * PITCH + (BLOCK - size) / 2
    return box(x0, y0, x0 + size, y0 + size)


def demo_layers(*, seed: int) -> dict[LayerKind, list[RawFeature]]:
    """Every demo layer, in WGS 84, each feature with ``synthetic: true``."""
    rng = np.random.default_rng(seed)
    # parks: (col, row, side [m], opened, vegetation); riverside ones (row 0-1) opened 2021-2025
    park_specs = [
        (2, 13, 400, date(1996, 5, 1), "urban_arbor"),
        (7, 11, 400, date(2005, 10, 1), "urban_arbor"),
        (4, 8, 300, date(2001, 6, 1), "lawn_mixed"),
        (9, 6, 400, date(2010, 9, 1), "urban_arbor"),
        (1, 5, 250, date(2012, 4, 1), "lawn_mixed"),
        (6, 4, 200, date(2015, 7, 1), "urban_arbor"),
        (10, 13, 300, date(2008, 3, 1), "urban_arbor"),
        (5, 14, 150, date(2018, 5, 1), "shrub"),
        (0, 10, 60, date(2019, 9, 1), ""),
        (11, 9, 60, date(2020, 6, 1), "lawn_mixed"),
        (2, 1, 200, date(2021, 9, 1), "urban_arbor"),
        (4, 0, 150, date(2022, 6, 1), "urban_arbor"),
        (6, 1, 120, date(2023, 10, 1), "wetland"),
        (8, 0, 180, date(2024, 5, 1), "urban_arbor"),
        (3, 3, 55, date(2024, 9, 1), "lawn_mixed"),
        (8, 9, 50, date(2025, 3, 1), "lawn_mixed"),
    ]
    taken = {(c, r) for c, r, *_ in park_specs}
    for k, (c, r) in enumerate((c, r) for r in (3, 5, 7, 9, 11, 13, 15) for c in (0, 2, 4, 6, 8, 10)):
        if (c, r) not in taken and (c, r + 1) not in taken:
            park_specs.append(
                (c, r, 110, date(1990 + k % 30, 4, 1), "urban_arbor" if k % 3 else "lawn_mixed")
            )
    park_cells = {(c, r) for c, r, *_ in park_specs}
    parks = [
        _f(
            f"park-{i + 1:02d}",
            _cell(c, r, side),
            name=f"示例公园 {i + 1:02d}",
            park_type="综合公园" if side >= 300 else "社区公园" if side >= 100 else "口袋公园",
            opened=opened.isoformat(),
            vegetation=veg,
        )
        for i, (c, r, side, opened, veg) in enumerate(park_specs)
    ]
    residential = []
    for row in range(ROWS):
        for col in range(COLS):
            if (col, row) in park_cells and next(
                s for c, r, s, *_ in park_specs if (c, r) == (col, row)
            ) >= 300:
                continue
            if row == 0 or (row == 1 and col % 3 == 0):
                continue  # riverside industry and open land
            geometry: BaseGeometry = _cell(col, row)
            if (col, row) in park_cells:
                side = next(s for c, r, s, *_ in park_specs if (c, r) == (col, row))
                geometry = geometry.difference(_cell(col, row, side))
            population = int(rng.integers(2_500, 9_500))
            props: dict[str, Any] = {"name": f"示例居住街坊 {row:02d}-{col:02d}"}
            if rng.random() > 0.05:
                props["population"] = population
            residential.append(_f(f"res-{row:02d}-{col:02d}", geometry, **props))
    x0, y0 = ORIGIN
    riverside = Polygon(
        [(x0 - 200, y0 - 300), (x0 + 4_800, y0 - 300), (x0 + 4_800, y0 + 950), (x0 - 200, y0 + 950)]
    )
    outline = Polygon(
        [
            (x0 - 300, y0 - 400),
            (x0 + COLS * PITCH + 200, y0 - 100),
            (x0 + COLS * PITCH + 300, y0 + ROWS * PITCH + 200),
            (x0 + 1_500, y0 + ROWS * PITCH + 400),
            (x0 - 400, y0 + ROWS * PITCH - 500),
        ]
    )
    boundaries = [
        _f(
            RIVERSIDE_SUB_AREA,
            riverside,
            code=RIVERSIDE_SUB_AREA,
            name="杨浦滨江南段 (示例)",
            name_en="Southern riverside section (synthetic)",
        ),
        _f("yangpu_outline", outline, code="yangpu_outline", name="杨浦区 示例轮廓", kind="district"),
    ]
    greenways = [
        _f(
            "gw-01",
            LineString([(x0 - 150, y0 - 150), (x0 + 2_400, y0 - 150)]),
            name="滨江示例绿道 一期",
            opened="2021-10-01",
        ),
        _f(
            "gw-02",
            LineString([(x0 + 2_400, y0 - 150), (x0 + 4_700, y0 - 120)]),
            name="滨江示例绿道 二期",
            opened="2022-09-30",
        ),
        _f(
            "gw-03",
            LineString([(x0 + 1_000, y0 - 100), (x0 + 1_000, y0 + 900)]),
            name="示例支线绿道 甲",
            opened="2023-06-01",
        ),
        _f(
            "gw-04",
            LineString([(x0 + 3_000, y0 - 100), (x0 + 3_000, y0 + 900), (x0 + 3_900, y0 + 900)]),
            name="示例支线绿道 乙",
            opened="2024-04-01",
        ),
        _f(
            "gw-05",
            LineString([(x0 + 500, y0 + 4_000), (x0 + 5_500, y0 + 4_000)]),
            name="示例城区绿道",
            opened="2019-05-01",
        ),
    ]
    vertical = []
    for i in range(14):
        col, row = int(rng.integers(0, 9)), int(rng.integers(0, 2))
        area = float(rng.integers(1_500, 8_000))
        opened = date(2021 + i % 5, 1 + i % 12, 15)
        point = Point(x0 + col * PITCH + 420, y0 + row * PITCH + 450)
        vertical.append(
            _f(
                f"vg-{i + 1:02d}",
                point,
                area_m2=area,
                address=f"示例路 {100 + i} 号",
                opened=opened.isoformat(),
            )
        )
    station_specs = [
        ("st-01", "示例站 五角场", 6, 12, date(2003, 12, 28), [(0, 30), (25, -20)]),
        ("st-02", "示例站 江浦路", 2, 4, date(2007, 12, 29), [(10, 20)]),
        ("st-03", "示例站 黄兴公园", 8, 10, date(2007, 12, 29), [(35, 0)]),
        ("st-04", "示例站 新江湾", 5, 15, date(2010, 4, 10), [(15, 15)]),
        ("st-05", "示例站 滨江一号", 3, 1, date(2021, 12, 30), [(20, 10)]),
        ("st-06", "示例站 滨江二号", 7, 1, date(2023, 12, 30), [(40, 10)]),
        ("st-07", "示例站 杨树浦", 10, 2, date(2024, 12, 28), [(80, 0)]),
        ("st-08", "示例站 军工路", 11, 7, date(2025, 6, 28), [(30, -30)]),
    ]
    stations, stops = [], []
    for sid, name, col, row, opened, stop_offsets in station_specs:
        cx, cy = x0 + col * PITCH + 450, y0 + row * PITCH + 450
        entrances = MultiPoint([(cx - 15, cy), (cx + 15, cy)])
        stations.append(_f(sid, entrances, name=name, opened=opened.isoformat()))
        for k, (dx, dy) in enumerate(stop_offsets):
            stops.append(_f(f"{sid}-bus-{k + 1}", Point(cx + 15 + dx, cy + dy), name=f"{name}(公交)"))
    for i in range(40):
        stops.append(
            _f(
                f"bus-{i + 1:03d}",
                Point(x0 + float(rng.uniform(0, COLS * PITCH)), y0 + float(rng.uniform(500, ROWS * PITCH))),
                name=f"示例公交站 {i + 1:03d}",
            )
        )
    paths = []
    for col in range(COLS + 1):
        x = x0 - 50 + col * PITCH
        paths.append(_f(f"path-ns-{col:02d}", LineString([(x, y0 - 200), (x, y0 + ROWS * PITCH)])))
    for row in range(ROWS + 1):
        y = y0 - 50 + row * PITCH
        paths.append(_f(f"path-ew-{row:02d}", LineString([(x0 - 200, y), (x0 + COLS * PITCH, y)])))
    return {
        LayerKind.PARKS: parks,
        LayerKind.RESIDENTIAL: residential,
        LayerKind.SUBAREA_BOUNDARY: boundaries,
        LayerKind.GREENWAYS: greenways,
        LayerKind.VERTICAL_GREENING: vertical,
        LayerKind.RAIL_STATIONS: stations,
        LayerKind.BUS_STOPS: stops,
        LayerKind.PATHS: paths,
    }


def demo_vehicles(*, seed: int) -> list[dict[str, Any]]:
    """SYNTHETIC vehicle registry rows: buses, taxis, public-sector, sanitation and logistics vehicles
    entering service 2018-2025, new-energy more often from 2021."""
    rng = np.random.default_rng(seed + 18)
    operators = {
        "bus": "示例公交公司",
        "cruising_taxi": "示例出租车公司",
        "public_sector": "示例区机关事务管理局",
        "sanitation": "示例环卫公司",
        "logistics": "示例物流公司",
    }
    per_year = {"bus": 30, "cruising_taxi": 40, "public_sector": 12, "sanitation": 10, "logistics": 25}
    rows = []
    for year in range(2018, 2026):
        for category, count in per_year.items():
            nev_p = (0.97 if category != "logistics" else 0.5) if year >= 2021 else 0.45
            for k in range(count):
                fuel = (
                    "ICE" if rng.random() > nev_p else str(rng.choice(["BEV", "BEV", "BEV", "PHEV", "FCEV"]))
                )
                if category == "cruising_taxi" and fuel == "FCEV":
                    fuel = "BEV"
                rows.append(
                    {
                        "id": f"demo-{category}-{year}-{k + 1:03d}",
                        "operator": operators[category],
                        "category": category,
                        "fuel": fuel,
                        "in_service": date(year, 1 + k % 12, 1 + k % 28),
                        "out_of_service": None,
                    }
                )
    return rows


def demo_population() -> tuple[int, float, str]:
    """The population used by the demo: the 2020 census figure (a real statistic, evidence S)."""
    return POPULATION
