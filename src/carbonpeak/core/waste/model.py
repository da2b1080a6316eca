"""Household waste statistics: record types per street (街道) and period, periods, data-quality flags.

A street reports, per period (a year ``2024``, a quarter ``2024Q3`` or a month ``2024-07``):

* for each stream (可回收物 recyclable, 湿垃圾 wet, 干垃圾 dry, 有害垃圾 hazardous) the tonnes collected
  (分类收运量), the tonnes actually recycled or utilised net of rejects (资源化利用量), and the tonnes
  incinerated and landfilled;
* the inspection results of residential areas (居住区) and units (单位): assessed and compliant.

References
----------
.. [1] The reference plan, 杨府发〔2022〕13号, 三(五)2 (sorting compliance and recovery rate targets; their
   values are in the plan file).
.. [2] FACTS.md §12: Shanghai's 回收利用率 counts the recyclables and wet waste utilised (not incinerated or
   landfilled) over the total domestic waste of the period [S, press conference 2023-11-15].
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any

from carbonpeak.core.errors import CarbonpeakError


class WasteInputError(CarbonpeakError, ValueError):
    """Waste statistics that cannot be used (a malformed period, a negative tonnage, an unknown method)."""


class Stream(StrEnum):
    """Household waste streams of the Shanghai four-way sorting (上海市生活垃圾管理条例, 2019)."""

    RECYCLABLE = "recyclable"
    """可回收物"""
    WET = "wet"
    """湿垃圾 (厨余垃圾)"""
    DRY = "dry"
    """干垃圾 (其他垃圾)"""
    HAZARDOUS = "hazardous"
    """有害垃圾"""


STREAMS: tuple[Stream, ...] = tuple(Stream)
RECOVERED_STREAMS: tuple[Stream, ...] = (Stream.RECYCLABLE, Stream.WET)
"""Streams whose utilised tonnes are the recovery rate's numerator (FACTS.md §12)."""


class InspectionKind(StrEnum):
    """What a sorting inspection assessed."""

    RESIDENTIAL = "residential"
    """居住区 (residential areas and communities)"""
    UNIT = "unit"
    """单位 (institutions, companies and other units)"""


INSPECTION_KINDS: tuple[InspectionKind, ...] = tuple(InspectionKind)

_PERIOD = re.compile(r"^(?P<year>\d{4})(?:Q(?P<quarter>[1-4])|-(?P<month>0[1-9]|1[0-2]))?$")


@dataclass(frozen=True, slots=True)
class Period:
    """A reporting period: a calendar year, a quarter or a month.

    Parameters
    ----------
    code : str
        ``2024``, ``2024Q3`` or ``2024-07``.
    """

    code: str

    def __post_init__(self) -> None:
        if not _PERIOD.match(self.code):
            raise WasteInputError(
                f"'{self.code}' is not a period: use a year (2024), a quarter (2024Q3) or a month (2024-07)"
            )

    @property
    def year(self) -> int:
        """Calendar year [a]."""
        return int(self.code[:4])

    @property
    def kind(self) -> str:
        """``year``, ``quarter`` or ``month``."""
        if "Q" in self.code:
            return "quarter"
        return "month" if "-" in self.code else "year"

    @property
    def months(self) -> frozenset[int]:
        """Months of the year the period covers (1-12)."""
        match = _PERIOD.match(self.code)
        assert match is not None
        if match["quarter"]:
            first = 3 * (int(match["quarter"]) - 1) + 1
            return frozenset(range(first, first + 3))
        if match["month"]:
            return frozenset({int(match["month"])})
        return frozenset(range(1, 13))


def parse_period(text: str) -> Period:
    """Parse a period code (``2024``, ``2024Q3`` or ``2024-07``); raises :class:`WasteInputError`."""
    return Period(text.strip().upper())


def _tonnes(value: float, name: str) -> float:
    if not math.isfinite(value) or value < 0:
        raise WasteInputError(f"{name} must be a finite number of tonnes, zero or more (got {value})")
    return value


@dataclass(frozen=True, slots=True)
class StreamRecord:
    """One street's tonnes of one stream in one period.

    Parameters
    ----------
    street : str
        Street (街道) name as reported.
    period : str
        Period code (see :class:`Period`).
    stream : Stream
        Waste stream.
    collected_t : float
        Tonnes collected separately (分类收运量) [t].
    utilised_t : float
        Tonnes actually recycled or utilised, net of rejects (资源化利用量) [t].
    incinerated_t : float
        Tonnes incinerated (including rejects sent to incineration) [t].
    landfilled_t : float
        Tonnes landfilled [t].
    """

    street: str
    period: str
    stream: Stream
    collected_t: float
    utilised_t: float
    incinerated_t: float
    landfilled_t: float

    def __post_init__(self) -> None:
        Period(self.period)
        for name in ("collected_t", "utilised_t", "incinerated_t", "landfilled_t"):
            _tonnes(getattr(self, name), name)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dictionary."""
        return {**asdict(self), "stream": str(self.stream)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> StreamRecord:
        """Build from :meth:`to_dict`'s form."""
        return cls(
            str(data["street"]),
            str(data["period"]),
            Stream(data["stream"]),
            float(data["collected_t"]),
            float(data["utilised_t"]),
            float(data["incinerated_t"]),
            float(data["landfilled_t"]),
        )


@dataclass(frozen=True, slots=True)
class InspectionRecord:
    """One street's sorting inspections of one kind in one period.

    Parameters
    ----------
    street, period : str
        Street and period code.
    kind : InspectionKind
        Residential areas or units.
    assessed_count : int
        Residential areas or units assessed [-].
    compliant_count : int
        Of those, rated compliant (达标) [-].
    """

    street: str
    period: str
    kind: InspectionKind
    assessed_count: int
    compliant_count: int

    def __post_init__(self) -> None:
        Period(self.period)
        if self.assessed_count < 0 or self.compliant_count < 0:
            raise WasteInputError("assessed and compliant counts must be zero or more")
        if self.compliant_count > self.assessed_count:
            raise WasteInputError(
                f"compliant ({self.compliant_count}) cannot exceed assessed ({self.assessed_count})"
            )

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dictionary."""
        return {**asdict(self), "kind": str(self.kind)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> InspectionRecord:
        """Build from :meth:`to_dict`'s form."""
        return cls(
            str(data["street"]),
            str(data["period"]),
            InspectionKind(data["kind"]),
            int(data["assessed_count"]),
            int(data["compliant_count"]),
        )


@dataclass(frozen=True, slots=True)
class PopulationRecord:
    """Resident population of a street (or of the district, ``street=""``) in a year [persons]."""

    street: str
    year: int
    population_persons: float

    def __post_init__(self) -> None:
        if not math.isfinite(self.population_persons) or self.population_persons <= 0:
            raise WasteInputError("population must be a positive finite number of persons")


@dataclass(frozen=True, slots=True)
class WasteData:
    """Everything the waste methods compute on: stream tonnes, inspections, and (optionally) population."""

    streams: tuple[StreamRecord, ...] = ()
    inspections: tuple[InspectionRecord, ...] = ()
    population: tuple[PopulationRecord, ...] = ()

    @property
    def streets(self) -> tuple[str, ...]:
        """Streets that have any record, sorted."""
        return tuple(sorted({r.street for r in self.streams} | {r.street for r in self.inspections}))


class FlagCode(StrEnum):
    """Data-quality findings returned with a result (never only logged)."""

    UTILISED_EXCEEDS_COLLECTED = "utilised_exceeds_collected"
    """A stream's utilised tonnes exceed its collected tonnes."""
    DISPOSAL_EXCEEDS_COLLECTED = "disposal_exceeds_collected"
    """Utilised + incinerated + landfilled exceed the collected tonnes (rejects counted twice?)."""
    STREAM_MISSING = "stream_missing"
    """A stream has no record in a period that has other streams."""
    PARTIAL_YEAR = "partial_year"
    """The periods of the year do not cover all twelve months."""
    PERIOD_OVERLAP = "period_overlap"
    """Records of overlapping periods (e.g. a quarter and one of its months): the finer ones are ignored."""
    NO_DATA = "no_data"
    """No record for the year."""
    NO_INSPECTIONS = "no_inspections"
    """No inspection assessed anything."""
    POPULATION_MISSING = "population_missing"
    """No population for the street (or district) and year: per-capita generation cannot be computed."""
    PARAMETER_UNKNOWN = "parameter_unknown"
    """An emission method parameter is empty (evidence X): the emission is unknown, not zero."""
    INCOMPLETE_STREAMS = "incomplete_streams"
    """The rate is computed without every stream (the caller allowed it)."""


@dataclass(frozen=True, slots=True)
class WasteFlag:
    """One data-quality finding: a code, where it applies, and a plain detail."""

    code: FlagCode
    street: str = ""
    period: str = ""
    detail: str = ""

    def __str__(self) -> str:
        where = " ".join(x for x in (self.street, self.period) if x)
        return f"{self.code}" + (f" ({where})" if where else "") + (f": {self.detail}" if self.detail else "")

    def to_dict(self) -> dict[str, str]:
        """Plain JSON-ready dictionary."""
        return {"code": str(self.code), "street": self.street, "period": self.period, "detail": self.detail}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> WasteFlag:
        """Build from :meth:`to_dict`'s form."""
        return cls(FlagCode(data["code"]), data["street"], data["period"], data["detail"])
