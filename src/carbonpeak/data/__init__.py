"""Packaged reference data: dated, versioned CSV tables with unit, source and evidence columns.

``manifest.yaml`` lists the tables; ``SOURCES.md`` describes where every number comes from.
:func:`packaged_library` reads and validates them once per process.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from carbonpeak.core.factors import Factor, FactorKind, FactorLibrary
from carbonpeak.io.reference import load_factor_library

DATA_DIR = Path(__file__).resolve().parent
"""Directory of the packaged reference data."""

REFERENCE_PLAN = DATA_DIR / "plans" / "yangpu-2022.yaml"
"""The reference district's plan file (杨府发〔2022〕13号)."""


@lru_cache(maxsize=1)
def packaged_library() -> FactorLibrary:
    """Return the packaged factor library (validated; raises ``ReferenceDataError`` if it is not)."""
    return load_factor_library(DATA_DIR)


def get_factor(
    kind: FactorKind | str, carrier: str, region: str, year: int, *, series: str | None = None
) -> Factor:
    """Look up a factor in the packaged library; see :meth:`FactorLibrary.get_factor`."""
    return packaged_library().get_factor(kind, carrier, region, year, series=series)
