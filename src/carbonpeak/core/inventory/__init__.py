"""District energy and GHG inventory under Chinese accounting rules (pure computation)."""

from carbonpeak.core.inventory.compute import (
    FactorRef,
    InventoryResult,
    RecordResult,
    SectorTotals,
    YearTotals,
    compute_inventory,
)
from carbonpeak.core.inventory.intensity import IntensityYear, StatisticRecord, compute_intensities
from carbonpeak.core.inventory.model import CARRIERS, NOTATION_KEYS, SECTORS, ActivityRecord, Carrier, Sector

__all__ = [
    "CARRIERS",
    "NOTATION_KEYS",
    "SECTORS",
    "ActivityRecord",
    "Carrier",
    "FactorRef",
    "IntensityYear",
    "InventoryResult",
    "RecordResult",
    "Sector",
    "SectorTotals",
    "StatisticRecord",
    "YearTotals",
    "compute_intensities",
    "compute_inventory",
]
