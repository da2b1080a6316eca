"""Synthetic sub-areas of the Yangpu demo: the registry and a small activity data set for each key area.

The sub-areas are the plan's own (创智天地, 长阳创谷 and 杨浦滨江 inventories; 滨江南段 and 新江湾 as target
scopes, 杨府发〔2022〕13号 三(三)2 and 三(七)3); their codes, the nesting of 滨江南段 in 杨浦滨江, and every
quantity here are invented for the demo and labelled synthetic. No boundary is given: no real boundary is
known to the project, and an invented one would look like a fact on a map.

Each sub-area's activity is a fixed share of the synthetic district's commercial electricity and natural gas
(:func:`carbonpeak.demo.inventory.reference_district`), with a little noise from the seed, so the sub-areas
stay well inside the district and the sum check has nothing to report.
"""

from __future__ import annotations

import random
from typing import Any

from carbonpeak.demo.inventory import reference_district

SOURCE = "carbonpeak 合成重点区域数据 (synthetic sub-areas)"

SUB_AREAS: list[dict[str, Any]] = [
    {"code": "chuangzhi_tiandi", "name_zh": "创智天地", "name_en": "KIC (Chuangzhi Tiandi)", "parent": None},
    {"code": "changyang_valley", "name_zh": "长阳创谷", "name_en": "Changyang Valley", "parent": None},
    {"code": "yangpu_riverside", "name_zh": "杨浦滨江", "name_en": "Yangpu Riverside", "parent": None},
    {
        "code": "riverside_south",
        "name_zh": "滨江南段",
        "name_en": "Riverside South",
        "parent": "yangpu_riverside",
    },
    {"code": "xinjiangwan", "name_zh": "新江湾", "name_en": "Xinjiangwan", "parent": None},
]
"""The demo's sub-area registry rows (codes invented; names as the plan writes them)."""

_SHARES: dict[str, float] = {
    "chuangzhi_tiandi": 0.03,
    "changyang_valley": 0.04,
    "yangpu_riverside": 0.06,
    "riverside_south": 0.025,
}
"""Invented share of the district's commercial electricity and gas in each sub-area (synthetic)."""


def reference_sub_areas(seed: int = 20221231) -> list[dict[str, Any]]:
    """Synthetic activity rows (column name to value) of the sub-areas with an inventory, 2020-2024.

    Parameters
    ----------
    seed : int
        Seed of the ±2 % noise; the same seed always gives the same rows.
    """
    rng = random.Random(seed)  # noqa: S311 - reproducible synthetic noise, not a secret
    activity, _ = reference_district(seed)
    rows: list[dict[str, Any]] = []
    base = [
        r
        for r in activity
        if r["year"] >= 2020
        and r["sector"] == "commercial"
        and r["carrier"] in ("electricity", "natural_gas")
    ]
    for code, share in _SHARES.items():
        for r in base:
            rows.append(
                {
                    **r,
                    "area": code,
                    "quantity": round(float(r["quantity"]) * share * (1 + rng.uniform(-0.02, 0.02)), 1),
                    "source": SOURCE,
                    "quality": "synthetic",
                    "note": "合成数据 synthetic",
                }
            )
    return rows
