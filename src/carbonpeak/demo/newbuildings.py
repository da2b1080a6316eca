"""SYNTHETIC new-building projects and two bills of materials (prefab against cast in place).

Every project is labelled synthetic; the names say so too. Quantities are invented for the demo; the
carbon factors are the packaged reference tables' (GB/T 51366-2019 appendix D and E).
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

SUB_AREAS = (
    ("riverside_south", "滨江南段"),
    ("riverside_middle_north", "滨江中北段"),
    ("xinjiangwan", "新江湾"),
    ("wujiaochang", "五角场"),
    ("other", "其他区域"),
)
"""Sub-areas (code, name) of the SYNTHETIC projects."""
_USES = (
    ("residential", 0.45),
    ("commercial_office", 0.15),
    ("government_office", 0.1),
    ("school_university", 0.1),
    ("hospital", 0.05),
    ("shopping_mall", 0.05),
    ("hotel", 0.05),
    ("industrial", 0.05),
)
_RATINGS = ("basic", "one_star", "two_star", "three_star")
_RENEWABLES = ("pv", "solar_thermal", "ground_source", "air_source", "waste_heat")

CAST_IN_PLACE_BOM = (
    "material,quantity,unit,transport_km,transport_mode,stage,density_t_per_m3,note\n"
    "C30混凝土,3000,m3,40,heavy-diesel-truck-30t,,2.4,SYNTHETIC demo: cast in place\n"
    "热轧带肋钢筋,300,t,,heavy-diesel-truck-30t,,,SYNTHETIC demo\n"
    "平板玻璃,40,t,,heavy-diesel-truck-18t,,,SYNTHETIC demo\n"
    "岩棉板,25,t,,heavy-diesel-truck-18t,,,SYNTHETIC demo\n"
    "柴油,20,t,,,construction,,SYNTHETIC demo: site machinery\n"
)
"""A SYNTHETIC cast-in-place bill of materials."""
PREFAB_BOM = (
    "material,quantity,unit,transport_km,transport_mode,stage,density_t_per_m3,note\n"
    "C30混凝土,2800,m3,80,heavy-diesel-truck-30t,,2.4,SYNTHETIC demo: precast components\n"
    "热轧带肋钢筋,310,t,,heavy-diesel-truck-30t,,,SYNTHETIC demo\n"
    "热轧H型钢,20,t,,heavy-diesel-truck-30t,,,SYNTHETIC demo: connections\n"
    "平板玻璃,40,t,,heavy-diesel-truck-18t,,,SYNTHETIC demo\n"
    "岩棉板,25,t,,heavy-diesel-truck-18t,,,SYNTHETIC demo\n"
    "柴油,12,t,,,construction,,SYNTHETIC demo: site machinery\n"
)
"""A SYNTHETIC prefab bill of materials for the same building."""


def _pick(rng: random.Random, weighted: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([w[0] for w in weighted], weights=[w[1] for w in weighted])[0]


def demo_projects(*, seed: int, count: int = 40) -> list[dict[str, Any]]:
    """Rows for :func:`carbonpeak.web.newbuildings.services.projects_import`, completed 2021-2026."""
    rng = random.Random(seed)  # noqa: S311 - synthetic demo data, not security
    rows: list[dict[str, Any]] = []
    for k in range(count):
        use = _pick(rng, _USES)
        public = use not in ("residential", "industrial")
        area = rng.choice(SUB_AREAS)
        completion = date(2021, 3, 1) + timedelta(days=rng.randrange(0, 6 * 365))
        permit = completion - timedelta(days=rng.randrange(500, 900))
        rating = "none" if use == "industrial" and rng.random() < 0.5 else rng.choice(_RATINGS)
        if rng.random() < 0.05:
            rating = "none"
        standard = rng.choices(["none", "ultra_low", "near_zero"], weights=[0.55, 0.35, 0.1])[0]
        types = rng.sample(_RENEWABLES, rng.choice((0, 1, 1, 2, 2, 3)))
        rows.append(
            {
                "row": k + 2,
                "id": f"SYN-NB-{k + 1:03d}",
                "name": f"SYNTHETIC project {k + 1}",
                "sub_area": area[0],
                "sub_area_name": area[1],
                "use": use,
                "floor_area_m2": float(rng.randrange(3, 120) * 1000),
                "building_id": "",
                "large_public": public and rng.random() < 0.4,
                "land_grant_date": permit - timedelta(days=rng.randrange(100, 400)),
                "permit_date": permit,
                "completion_date": completion,
                "green_rating": rating,
                "certificate_kind": "" if rating == "none" else rng.choice(("design", "operation")),
                "certificate_date": None if rating == "none" else permit,
                "certificate_evidence": "",
                "energy_standard": standard,
                "prefab_rate_pct": float(rng.randrange(0, 80)) if use != "industrial" else None,
                "prefab_method": "",
                "fully_fitted": use == "residential" and rng.random() < 0.7,
                "renewables": sorted(types, key=_RENEWABLES.index),
                "bim_file": "",
                "synthetic": True,
            }
        )
    return rows
