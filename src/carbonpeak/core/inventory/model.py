"""Activity data, sectors and carriers of a district inventory.

Sectors follow the provincial inventory guideline (省级温室气体清单编制指南（试行）, 2011): energy activities
by sector, industrial processes, waste and land-use sinks. Each sector maps to a GPC sector. Fuel combustion
inside the district is scope 1; purchased electricity and heat are scope 2 (GPC v1.1, ch. 6).

References
----------
.. [1] 省级温室气体清单编制指南（试行）, 国家发展改革委办公厅, 2011.
.. [2] WRI, C40, ICLEI. Global Protocol for Community-Scale Greenhouse Gas Inventories (GPC), v1.1, 2021,
   tables 4.1 and 6.1; notation keys in section 2.3.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class CarrierKind(StrEnum):
    """How a carrier's emissions are accounted."""

    FOSSIL = "fossil"
    """Burnt in the district: scope 1, emission factor computed from the fuel's properties."""
    PURCHASED = "purchased"
    """Purchased electricity or heat: scope 2, factor by series."""
    RENEWABLE = "renewable"
    """On-site renewable energy used in the district (e.g. rooftop PV): energy counted, no emissions."""
    DIRECT = "direct"
    """An emission (or, for sinks, a removal) already estimated in tCO2e by a sector method."""


DISTRICT_AREA = "district"
"""The ``area`` code of the whole district's rows in activity data (the template's example row uses it).

Every other ``area`` code names a sub-area of the district's registry (e.g. ``changyang_valley`` for
长阳创谷); district indicators read the ``district`` rows only, never the sum of all areas.
"""


@dataclass(frozen=True, slots=True)
class Carrier:
    """An energy carrier (能源品种) or a direct-emission entry.

    Parameters
    ----------
    code : str
        Code used in activity files.
    name_zh, name_en : str
        Names.
    kind : CarrierKind
        Accounting treatment.
    dimension : str
        What its quantity must measure: ``energy``, ``mass``, ``volume`` or ``CO2 mass``.
    coal_carrier : str
        Carrier whose standard-coal coefficient applies (``solar_pv`` uses electricity's).
    """

    code: str
    name_zh: str
    name_en: str
    kind: CarrierKind
    dimension: str
    coal_carrier: str

    @property
    def non_fossil(self) -> bool:
        """Whether the carrier counts as non-fossil energy in the non-fossil share."""
        return self.kind is CarrierKind.RENEWABLE


def _carrier(
    code: str, zh: str, en: str, kind: CarrierKind, dimension: str, coal: str | None = None
) -> Carrier:
    return Carrier(code, zh, en, kind, dimension, coal or code)


CARRIERS: dict[str, Carrier] = {
    c.code: c
    for c in (
        _carrier("electricity", "电力", "Electricity (purchased)", CarrierKind.PURCHASED, "energy"),
        _carrier("heat", "热力", "Heat (purchased)", CarrierKind.PURCHASED, "energy"),
        _carrier("natural_gas", "天然气", "Natural gas", CarrierKind.FOSSIL, "volume"),
        _carrier("gasoline", "汽油", "Gasoline", CarrierKind.FOSSIL, "mass"),
        _carrier("diesel", "柴油", "Diesel", CarrierKind.FOSSIL, "mass"),
        _carrier("fuel_oil", "燃料油", "Fuel oil", CarrierKind.FOSSIL, "mass"),
        _carrier("lpg", "液化石油气", "LPG", CarrierKind.FOSSIL, "mass"),
        _carrier("lng", "液化天然气", "LNG", CarrierKind.FOSSIL, "mass"),
        _carrier("kerosene", "煤油", "Kerosene", CarrierKind.FOSSIL, "mass"),
        _carrier("raw_coal", "原煤", "Raw coal", CarrierKind.FOSSIL, "mass"),
        _carrier("crude_oil", "原油", "Crude oil", CarrierKind.FOSSIL, "mass"),
        _carrier(
            "solar_pv",
            "光伏发电(自发自用)",
            "On-site PV electricity",
            CarrierKind.RENEWABLE,
            "energy",
            "electricity",
        ),
        _carrier(
            "co2e", "直接排放/吸收量", "Direct emission or removal (tCO2e)", CarrierKind.DIRECT, "CO2 mass"
        ),
    )
}
"""Carriers accepted in activity data. ``solar_pv``, ``crude_oil`` and ``co2e`` extend the issue's list."""


@dataclass(frozen=True, slots=True)
class Sector:
    """An inventory sector and where it sits in the GPC."""

    code: str
    name_zh: str
    name_en: str
    gpc_sector: str
    """GPC sector reference, e.g. ``I.2``."""
    energy: bool
    """Energy-activity sector (fuel carriers) or not (``co2e`` only)."""
    removal: bool = False
    """Whether ``co2e`` quantities are removals (counted negative)."""


SECTORS: dict[str, Sector] = {
    s.code: s
    for s in (
        Sector("industry", "工业", "Industry", "I.3", True),
        Sector("construction", "建筑业", "Construction", "I.3", True),
        Sector("transport", "交通运输", "Transport", "II", True),
        Sector("commercial", "商业和公共服务", "Commercial and public services", "I.2", True),
        Sector("residential", "居民生活", "Residential", "I.1", True),
        Sector("process", "工业生产过程", "Industrial processes", "IV", False),
        Sector("waste", "废弃物处理", "Waste", "III", False),
        Sector("sinks", "土地利用碳汇", "Land-use sinks", "V", False, removal=True),
    )
}
"""Sectors of the provincial guideline, in reporting order."""

NOTATION_KEYS: dict[str, str] = {
    "NO": "not occurring",
    "NE": "not estimated",
    "IE": "included elsewhere",
    "C": "confidential",
}
"""GPC notation keys, written in the quantity column when there is no number (GPC v1.1, section 2.3)."""

QUALITY_TAGS: frozenset[str] = frozenset({"measured", "calculated", "estimated", "synthetic"})
"""Accepted quality tags of activity rows."""


@dataclass(frozen=True, slots=True)
class ActivityRecord:
    """One row of activity data (活动水平).

    Parameters
    ----------
    year : int
        Accounting year [a].
    area : str
        The district (:data:`DISTRICT_AREA`) or a sub-area code (e.g. ``changyang_valley``).
    sector : str
        Sector code (see :data:`SECTORS`).
    carrier : str
        Carrier code (see :data:`CARRIERS`).
    quantity : float or None
        Amount [``unit``]; ``None`` when ``notation`` is given instead.
    unit : str
        Unit of ``quantity``, any the unit registry knows.
    subsector, source, quality, note : str
        Optional detail.
    notation : str
        A GPC notation key (NO, NE, IE, C) standing for a missing number.
    row : int
        Row of the source file, so results trace back to it.
    """

    year: int
    area: str
    sector: str
    carrier: str
    quantity: float | None
    unit: str
    subsector: str = ""
    source: str = ""
    quality: str = ""
    note: str = ""
    notation: str = ""
    row: int = 0
