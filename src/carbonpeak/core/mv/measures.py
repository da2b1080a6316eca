"""The documented lists of retrofit measures and contract types (codes; labels live in the web app).

References
----------
.. [1] GB/T 51161-2016 and JGJ/T 177-2009 公共建筑节能检测标准 (the measure families of public-building
   energy retrofits); 合同能源管理 (EPC) per GB/T 24915-2020 合同能源管理技术通则.
"""

from __future__ import annotations

MEASURES: tuple[str, ...] = (
    "chiller",
    "heat_pump",
    "boiler",
    "pumps_fans_vfd",
    "lighting",
    "envelope",
    "windows",
    "bms",
    "hot_water",
    "lifts",
    "kitchen",
    "data_centre_cooling",
    "other",
)
"""Retrofit measures: chiller plant, heat pump, boiler, variable-speed pumps and fans, lighting, envelope
insulation, windows and glazing, building management system, domestic hot water, lifts, kitchen
equipment, data-centre cooling, other."""

CONTRACT_TYPES: tuple[str, ...] = ("epc", "own_funds")
"""``epc``: energy performance contract (合同能源管理); ``own_funds``: the owner's own funds."""
