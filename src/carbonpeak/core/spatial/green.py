"""Per-person park green area (人均公园绿地面积) and green-space carbon sinks (生态碳汇).

References
----------
.. [1] GB/T 50563-2010 城市园林绿化评价标准: per-person park green area = park green area / resident
   population (FACTS.md section 11, evidence S).
.. [2] 生态学报 2024, 44(20):9209, doi:10.20103/j.stxb.202308061681: urban arbor green space
   8.99 tCO2e/(ha a) (FACTS.md section 5, evidence V).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from carbonpeak.core.inventory.model import ActivityRecord
from carbonpeak.core.projection.levers import GreenSpaceSink
from carbonpeak.core.spatial import SpatialInputError
from carbonpeak.core.spatial.features import Park


@dataclass(frozen=True)
class PerCapitaGreen:
    """Park green area per resident at a date."""

    as_of: date
    park_green_area_m2: float
    population: float
    per_capita_m2: float
    parks_counted: int
    flags: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "park_green_area_m2": self.park_green_area_m2,
            "population": self.population,
            "per_capita_m2": self.per_capita_m2,
            "parks_counted": self.parks_counted,
            "flags": list(self.flags),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PerCapitaGreen:
        return cls(
            date.fromisoformat(data["as_of"]),
            data["park_green_area_m2"],
            data["population"],
            data["per_capita_m2"],
            data["parks_counted"],
            tuple(data.get("flags", ())),
        )


def park_green_area_per_capita(parks: Sequence[Park], population: float, *, as_of: date) -> PerCapitaGreen:
    """Park green area [m2] of the parks open on ``as_of``, per resident.

    Parameters
    ----------
    parks : sequence of Park
        The district's parks; a park without an opening date counts as open (flagged).
    population : float [persons]
        Resident population (a statistics series) for the same date.
    as_of : date

    Returns
    -------
    PerCapitaGreen
        ``per_capita_m2`` [m2/person].

    References
    ----------
    .. [1] GB/T 50563-2010 城市园林绿化评价标准, per-person park green area.
    """
    if not (math.isfinite(population) and population > 0):
        raise SpatialInputError(f"population: {population} is not a positive count of residents")
    open_parks = [p for p in parks if p.opened is None or p.opened <= as_of]
    undated = sum(p.opened is None for p in open_parks)
    flags = (f"{undated} park(s) without an opening date counted as open",) if undated else ()
    area = sum(p.area_m2 for p in open_parks)
    return PerCapitaGreen(as_of, area, population, area / population, len(open_parks), flags)


@dataclass(frozen=True)
class SinkRate:
    """Annual sequestration per hectare of one vegetation type; ``None`` when unknown (evidence X)."""

    vegetation: str
    rate_tco2_per_ha_a: float | None
    source: str = ""
    evidence: str = ""
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "vegetation": self.vegetation,
            "rate_tco2_per_ha_a": self.rate_tco2_per_ha_a,
            "source": self.source,
            "evidence": self.evidence,
            "note": self.note,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SinkRate:
        return cls(
            data["vegetation"],
            data.get("rate_tco2_per_ha_a"),
            data.get("source", ""),
            data.get("evidence", ""),
            data.get("note", ""),
        )


@dataclass(frozen=True)
class SinkLine:
    """The sink of one vegetation type; ``removal_tco2_a`` is ``None`` when its rate is unknown."""

    vegetation: str
    area_ha: float
    rate_tco2_per_ha_a: float | None
    removal_tco2_a: float | None
    evidence: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "vegetation": self.vegetation,
            "area_ha": self.area_ha,
            "rate_tco2_per_ha_a": self.rate_tco2_per_ha_a,
            "removal_tco2_a": self.removal_tco2_a,
            "evidence": self.evidence,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SinkLine:
        return cls(
            data["vegetation"],
            data["area_ha"],
            data.get("rate_tco2_per_ha_a"),
            data.get("removal_tco2_a"),
            data.get("evidence", ""),
        )


@dataclass(frozen=True)
class SinkResult:
    """Annual sequestration [tCO2/a] of the areas whose rate is known, and what is left out.

    ``unrated_area_ha`` is the area whose rate is unknown or whose vegetation type is not in the table: its
    sink is not estimated (and is not zero).
    """

    removal_tco2_a: float
    rated_area_ha: float
    unrated_area_ha: float
    lines: tuple[SinkLine, ...]
    flags: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "removal_tco2_a": self.removal_tco2_a,
            "rated_area_ha": self.rated_area_ha,
            "unrated_area_ha": self.unrated_area_ha,
            "lines": [line.to_dict() for line in self.lines],
            "flags": list(self.flags),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SinkResult:
        return cls(
            data["removal_tco2_a"],
            data["rated_area_ha"],
            data["unrated_area_ha"],
            tuple(SinkLine.from_dict(x) for x in data["lines"]),
            tuple(data.get("flags", ())),
        )

    @property
    def rate_tco2_per_ha_a(self) -> float | None:
        """Area-weighted rate of the rated area [tCO2/(ha a)] (what the projection's sink lever takes)."""
        return self.removal_tco2_a / self.rated_area_ha if self.rated_area_ha > 0 else None


def green_space_sink(areas_ha: Mapping[str, float], rates: Sequence[SinkRate]) -> SinkResult:
    """Annual sequestration = area x rate per hectare, by vegetation type.

    Parameters
    ----------
    areas_ha : mapping of str to float [ha]
        Area by vegetation type (``""`` for parks of unknown type).
    rates : sequence of SinkRate [tCO2/(ha a)]
        The reference table.

    Returns
    -------
    SinkResult
        An unknown rate, an unknown type or a type missing from the table leaves its area out, flagged.

    References
    ----------
    .. [1] 生态学报 2024, 44(20):9209, doi:10.20103/j.stxb.202308061681.
    .. [2] 地理学报 2023, 78(3): provincial averages (Guangdong 2018).
    """
    table = {r.vegetation: r for r in rates}
    lines: list[SinkLine] = []
    flags: list[str] = []
    for vegetation in sorted(areas_ha):
        area = areas_ha[vegetation]
        if not (math.isfinite(area) and area >= 0):
            raise SpatialInputError(f"area of {vegetation or 'unknown vegetation'}: {area} ha is not an area")
        rate = table.get(vegetation)
        if rate is None or rate.rate_tco2_per_ha_a is None:
            why = (
                "has no vegetation type"
                if not vegetation
                else ("is not in the sink-rate table" if rate is None else "has no known rate (evidence X)")
            )
            flags.append(f"{area:,.2f} ha {why}: its sink is not estimated")
            lines.append(SinkLine(vegetation, area, None, None, rate.evidence if rate else ""))
            continue
        lines.append(
            SinkLine(vegetation, area, rate.rate_tco2_per_ha_a, area * rate.rate_tco2_per_ha_a, rate.evidence)
        )
    rated = [line for line in lines if line.removal_tco2_a is not None]
    return SinkResult(
        sum(line.removal_tco2_a or 0.0 for line in rated),
        sum(line.area_ha for line in rated),
        sum(line.area_ha for line in lines if line.removal_tco2_a is None),
        tuple(lines),
        tuple(flags),
    )


def park_area_by_vegetation(parks: Sequence[Park], *, as_of: date | None = None) -> dict[str, float]:
    """Green area [ha] of the parks open on ``as_of`` (all when ``None``), by vegetation type."""
    out: dict[str, float] = {}
    for park in parks:
        if as_of is not None and park.opened is not None and park.opened > as_of:
            continue
        out[park.vegetation] = out.get(park.vegetation, 0.0) + park.area_m2 / 10_000
    return out


def sink_activity_record(result: SinkResult, *, year: int, area: str, source: str) -> ActivityRecord:
    """The sink as the inventory's land-use sink row (sector ``sinks``, carrier ``co2e``, a positive
    removal in tCO2e), ready for an activity file; unrated area is named in the note.

    References
    ----------
    .. [1] GPC v1.1, chapter 10 (AFOLU): removals reported as a separate land-use line.
    """
    note = f"{result.rated_area_ha:,.2f} ha rated"
    if result.unrated_area_ha:
        note += f"; {result.unrated_area_ha:,.2f} ha without a known rate not estimated"
    return ActivityRecord(
        year=year,
        area=area,
        sector="sinks",
        carrier="co2e",
        quantity=round(result.removal_tco2_a, 3),
        unit="tCO2e",
        subsector="green_space",
        source=source,
        quality="estimated",
        note=note,
    )


def sink_lever(base: GreenSpaceSink, result: SinkResult, *, added_ha: Mapping[int, float]) -> GreenSpaceSink:
    """The projection's green-space sink lever with the measured rate and the measured additions.

    The area-weighted rate of the rated area replaces ``sink_t_per_ha``; ``added_ha`` (e.g. the
    ``green_space_added`` values per year) replaces the lever's years it covers, later years keep the
    plan's assumption.

    Raises
    ------
    SpatialInputError
        If no area has a known rate.
    """
    rate = result.rate_tco2_per_ha_a
    if rate is None:
        raise SpatialInputError("no green area has a known sink rate: the lever keeps its own rate")
    merged = {**base.added_ha, **{int(y): float(v) for y, v in added_ha.items()}}
    return replace(base, sink_t_per_ha=rate, added_ha=dict(sorted(merged.items())))
