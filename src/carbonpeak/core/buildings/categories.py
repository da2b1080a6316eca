"""Sub-metering categories (分项计量) and energy classes of the MOHURD 2008 guideline, as a tree.

References
----------
.. [1] 住房和城乡建设部, 国家机关办公建筑和大型公共建筑能耗监测系统 分项能耗数据采集技术导则, 2008
   (evidence [S] in FACTS.md §8: transcribed from third-party tables).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Category:
    """A node of the sub-metering tree."""

    code: str
    name_zh: str
    name_en: str
    parent: str


CATEGORIES: dict[str, Category] = {
    c.code: c
    for c in (
        Category("lighting_sockets", "照明插座用电", "Lighting and sockets", ""),
        Category(
            "lighting_sockets.general", "照明与插座", "Lighting and sockets (rooms)", "lighting_sockets"
        ),
        Category(
            "lighting_sockets.corridor",
            "走廊与应急照明",
            "Corridor and emergency lighting",
            "lighting_sockets",
        ),
        Category(
            "lighting_sockets.outdoor", "室外景观照明", "Outdoor and landscape lighting", "lighting_sockets"
        ),
        Category("hvac", "空调用电", "HVAC", ""),
        Category("hvac.plant", "冷热站", "HVAC plant (chillers, boilers)", "hvac"),
        Category("hvac.terminal", "空调末端", "HVAC terminals", "hvac"),
        Category("power", "动力用电", "Power", ""),
        Category("power.lifts", "电梯", "Lifts", "power"),
        Category("power.pumps", "水泵", "Pumps", "power"),
        Category("power.fans", "通风机", "Fans", "power"),
        Category("special", "特殊用电", "Special", ""),
        Category("special.it", "信息中心", "IT / data centre", "special"),
        Category("special.laundry", "洗衣房", "Laundry", "special"),
        Category("special.kitchen", "厨房餐厅", "Kitchen and canteen", "special"),
        Category("special.pool", "游泳池", "Swimming pool", "special"),
        Category("special.gym", "健身房", "Gym", "special"),
        Category("special.other", "其他", "Other special", "special"),
        Category("total", "总用能", "Whole building (main meter)", ""),
        Category("generation", "可再生能源发电", "On-site renewable generation", ""),
        Category("generation.pv", "光伏发电", "PV generation", "generation"),
    )
}
"""The sub-metering tree: four first-level items, their sub-items, and ``total`` for main meters.

``generation`` is the project's extension, not part of the MOHURD guideline: meters of on-site generation
(e.g. a PV inverter's output). Their energy is produced, not used, so it is never summed as consumption; it is
the metered renewable yield of the renewable substitution rate."""

ENERGY_CLASSES: dict[str, tuple[str, str, str]] = {
    "electricity": ("电", "Electricity", "energy"),
    "water": ("水", "Water", "volume"),
    "gas": ("燃气", "Gas", "volume"),
    "district_heat": ("集中供热", "District heat", "energy"),
    "district_cooling": ("集中供冷", "District cooling", "energy"),
    "other": ("其他", "Other", "energy"),
}
"""Energy classes: (中文, English, dimension of the meter's unit)."""


def is_generation(code: str) -> bool:
    """Whether a category meters on-site generation rather than consumption."""
    return ancestors(code)[-1] == "generation"


def ancestors(code: str) -> list[str]:
    """The category and its parents, e.g. ``["hvac.plant", "hvac"]``."""
    chain = [code]
    while CATEGORIES[chain[-1]].parent:
        chain.append(CATEGORIES[chain[-1]].parent)
    return chain
