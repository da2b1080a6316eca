"""Derived waste indicators, each a named method behind :func:`waste_indicator`.

=========================== ==========================================================================
method                      definition
=========================== ==========================================================================
``resource_recovery_rate``  Σ utilised t of recyclables and wet waste ÷ Σ collected t of all four
                            streams (the total domestic waste) × 100 [%]. The *separated* (collected)
                            recyclables and wet waste are never the numerator: rejects that end up
                            incinerated or landfilled are not recovered.
``sorting_compliance_rate`` Σ compliant ÷ Σ assessed inspections × 100 [%], over residential areas,
                            units, or both (``kind``).
``per_capita_generation``   Σ collected t of all streams ÷ resident population [kg/(person·a)] and
                            [kg/(person·d)]; needs a population series and a whole year.
``district_rollup``         Every street's figures and the district's, summed from the streets' tonnes
                            and counts (never an average of rates), with each street's rank.
``quality_flags``           Every data-quality finding of the year.
=========================== ==========================================================================

Periods: for each street and year the records used are the year record if there is one; otherwise the
quarters, plus the months not inside a reported quarter. Overlapping finer records are ignored and
flagged (``period_overlap``); months not covered are flagged (``partial_year``). Rates are ratios and are
computed on a partial year (flagged); per-capita generation, an annual quantity, is refused on a partial
year unless ``allow_partial_year=True``.

References
----------
.. [1] 杨府发〔2022〕13号 三(五)2 (targets: compliance ≥ 95 %, recovery ≥ 45 % by 2025).
.. [2] FACTS.md §12: 回收利用率 = utilised recyclables and wet waste (not incinerated or landfilled) / total
   domestic waste [S]; Shanghai 2020: separated share 52.8 % against an official rate of about 43 %.
   分类达标率: the official scoring rules were not found [X]; compliant / assessed is the working
   definition.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from carbonpeak.core.waste.model import (
    RECOVERED_STREAMS,
    STREAMS,
    FlagCode,
    InspectionKind,
    InspectionRecord,
    Period,
    Stream,
    StreamRecord,
    WasteData,
    WasteFlag,
    WasteInputError,
)

ComplianceKind = Literal["both", "residential", "unit"]
COMPLIANCE_KINDS: tuple[str, ...] = ("both", "residential", "unit")
_TOLERANCE = 1e-9
_ROUNDING_T = 0.01
"""Absolute slack [t] of the mass-balance checks: statistics are reported to 0.01 t, so sums of rounded
figures may exceed the collected tonnes by a rounding step without being wrong."""


def _pct(numerator: float, denominator: float) -> float | None:
    return None if denominator <= 0 else 100.0 * numerator / denominator


def select_periods(
    codes: Iterable[str], year: int, street: str = ""
) -> tuple[frozenset[str], list[WasteFlag]]:
    """The period codes of one street and year to use, and the period flags (see the module docstring).

    Parameters
    ----------
    codes : iterable of str
        Period codes the street reported (any year; other years are ignored).
    year : int
        Calendar year [a].
    street : str
        Street name, for the flags.
    """
    periods = sorted({Period(c) for c in codes if Period(c).year == year}, key=lambda p: p.code)
    flags: list[WasteFlag] = []
    if not periods:
        return frozenset(), [WasteFlag(FlagCode.NO_DATA, street, str(year))]
    years = [p for p in periods if p.kind == "year"]
    if years:
        chosen = [years[0]]
        ignored = [p for p in periods if p.kind != "year"]
    else:
        quarters = [p for p in periods if p.kind == "quarter"]
        in_quarters = frozenset().union(*(q.months for q in quarters)) if quarters else frozenset()
        months = [p for p in periods if p.kind == "month"]
        chosen = quarters + [m for m in months if not m.months & in_quarters]
        ignored = [m for m in months if m.months & in_quarters]
    for p in ignored:
        flags.append(
            WasteFlag(FlagCode.PERIOD_OVERLAP, street, p.code, f"covered by {_covering(p, chosen)}; ignored")
        )
    covered = frozenset().union(*(p.months for p in chosen))
    if len(covered) < 12:
        missing = ", ".join(calendar.month_abbr[m] for m in range(1, 13) if m not in covered)
        flags.append(WasteFlag(FlagCode.PARTIAL_YEAR, street, str(year), f"months not covered: {missing}"))
    return frozenset(p.code for p in chosen), flags


def _covering(period: Period, chosen: list[Period]) -> str:
    return next((c.code for c in chosen if period.months <= c.months), chosen[0].code if chosen else "")


@dataclass(frozen=True, slots=True)
class StreamTotals:
    """Tonnes of one stream summed over the periods used [t]."""

    stream: Stream
    collected_t: float = 0.0
    utilised_t: float = 0.0
    incinerated_t: float = 0.0
    landfilled_t: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dictionary."""
        return {**asdict(self), "stream": str(self.stream)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> StreamTotals:
        """Build from :meth:`to_dict`'s form."""
        return cls(
            Stream(data["stream"]),
            *(float(data[k]) for k in ("collected_t", "utilised_t", "incinerated_t", "landfilled_t")),
        )


@dataclass(frozen=True, slots=True)
class RecoveryRate:
    """Resource recovery rate of a street (``street=""``: the district) in a year.

    ``rate_pct`` is ``None`` when it cannot be computed (no tonnes, or a stream missing and not allowed);
    ``separated_share_pct`` is the naive share of recyclables and wet waste *collected*, shown for
    comparison only: it is not the recovery rate.
    """

    street: str
    year: int
    rate_pct: float | None
    utilised_recovered_t: float
    total_t: float
    separated_share_pct: float | None
    periods: tuple[str, ...] = ()
    flags: tuple[WasteFlag, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dictionary."""
        return {**_plain(self), "periods": list(self.periods), "flags": [f.to_dict() for f in self.flags]}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RecoveryRate:
        """Build from :meth:`to_dict`'s form."""
        return cls(
            data["street"],
            int(data["year"]),
            data["rate_pct"],
            float(data["utilised_recovered_t"]),
            float(data["total_t"]),
            data["separated_share_pct"],
            tuple(data["periods"]),
            tuple(WasteFlag.from_dict(f) for f in data["flags"]),
        )


@dataclass(frozen=True, slots=True)
class ComplianceRate:
    """Sorting compliance rate of a street (``""``: the district) in a year, over ``kind`` inspections."""

    street: str
    year: int
    kind: str
    rate_pct: float | None
    assessed_count: int
    compliant_count: int
    periods: tuple[str, ...] = ()
    flags: tuple[WasteFlag, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dictionary."""
        return {**_plain(self), "periods": list(self.periods), "flags": [f.to_dict() for f in self.flags]}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ComplianceRate:
        """Build from :meth:`to_dict`'s form."""
        return cls(
            data["street"],
            int(data["year"]),
            data["kind"],
            data["rate_pct"],
            int(data["assessed_count"]),
            int(data["compliant_count"]),
            tuple(data["periods"]),
            tuple(WasteFlag.from_dict(f) for f in data["flags"]),
        )


@dataclass(frozen=True, slots=True)
class PerCapitaGeneration:
    """Household waste generated per resident of a street (``""``: the district) in a year."""

    street: str
    year: int
    generation_t: float
    population_persons: float | None
    generation_kg_per_capita_a: float | None
    generation_kg_per_capita_d: float | None
    flags: tuple[WasteFlag, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dictionary."""
        return {**_plain(self), "flags": [f.to_dict() for f in self.flags]}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PerCapitaGeneration:
        """Build from :meth:`to_dict`'s form."""
        return cls(
            data["street"],
            int(data["year"]),
            float(data["generation_t"]),
            data["population_persons"],
            data["generation_kg_per_capita_a"],
            data["generation_kg_per_capita_d"],
            tuple(WasteFlag.from_dict(f) for f in data["flags"]),
        )


def _plain(obj: Any) -> dict[str, Any]:
    return {k: getattr(obj, k) for k in obj.__dataclass_fields__ if k not in ("periods", "flags")}


def _street_streams(data: WasteData, year: int, street: str) -> tuple[list[StreamRecord], list[WasteFlag]]:
    own = [r for r in data.streams if r.street == street]
    codes, flags = select_periods((r.period for r in own), year, street)
    return [r for r in own if r.period in codes], flags


def _street_inspections(
    data: WasteData, year: int, street: str
) -> tuple[list[InspectionRecord], list[WasteFlag]]:
    own = [r for r in data.inspections if r.street == street]
    codes, flags = select_periods((r.period for r in own), year, street)
    return [r for r in own if r.period in codes], flags


def _stream_flags(records: list[StreamRecord]) -> list[WasteFlag]:
    flags = []
    for r in records:
        if r.utilised_t > r.collected_t * (1 + _TOLERANCE) + _ROUNDING_T:
            flags.append(
                WasteFlag(
                    FlagCode.UTILISED_EXCEEDS_COLLECTED,
                    r.street,
                    r.period,
                    f"{r.stream}: utilised {r.utilised_t:g} t > collected {r.collected_t:g} t",
                )
            )
        disposed = r.utilised_t + r.incinerated_t + r.landfilled_t
        over = r.collected_t * (1 + _TOLERANCE) + _ROUNDING_T
        if disposed > over and r.utilised_t <= over:
            flags.append(
                WasteFlag(
                    FlagCode.DISPOSAL_EXCEEDS_COLLECTED,
                    r.street,
                    r.period,
                    f"{r.stream}: utilised + incinerated + landfilled {disposed:g} t > collected "
                    f"{r.collected_t:g} t",
                )
            )
    by_period: dict[str, set[Stream]] = {}
    for r in records:
        by_period.setdefault(r.period, set()).add(r.stream)
    street = records[0].street if records else ""
    for period, present in sorted(by_period.items()):
        for stream in STREAMS:
            if stream not in present:
                flags.append(WasteFlag(FlagCode.STREAM_MISSING, street, period, str(stream)))
    return flags


def _streets(data: WasteData, street: str | None) -> tuple[str, ...]:
    return data.streets if street is None else (street,)


def resource_recovery_rate(
    data: WasteData, *, year: int, street: str | None = None, allow_incomplete: bool = False
) -> RecoveryRate:
    """Resource recovery rate (生活垃圾资源回收利用率) of a street, or of the district (``street=None``).

    Parameters
    ----------
    data : WasteData
        Stream records.
    year : int
        Calendar year [a].
    street : str, optional
        One street; ``None`` sums every street's tonnes (the district).
    allow_incomplete : bool
        Compute even when a period lacks a stream (the denominator is then understated; flagged).

    Returns
    -------
    RecoveryRate
        ``rate_pct`` [%] = Σ utilised recyclables and wet waste [t] ÷ Σ collected, all streams [t] × 100.

    References
    ----------
    .. [1] FACTS.md §12 (Shanghai 回收利用率 definition) [S].
    """
    records: list[StreamRecord] = []
    flags: list[WasteFlag] = []
    for s in _streets(data, street):
        own, period_flags = _street_streams(data, year, s)
        records += own
        flags += period_flags + _stream_flags(own)
    total = sum(r.collected_t for r in records)
    recovered = sum(r.utilised_t for r in records if r.stream in RECOVERED_STREAMS)
    separated = sum(r.collected_t for r in records if r.stream in RECOVERED_STREAMS)
    missing = any(f.code is FlagCode.STREAM_MISSING for f in flags)
    rate = _pct(recovered, total)
    if missing and rate is not None:
        if allow_incomplete:
            flags.append(WasteFlag(FlagCode.INCOMPLETE_STREAMS, street or "", str(year)))
        else:
            rate = None
    return RecoveryRate(
        street or "",
        year,
        rate,
        recovered,
        total,
        _pct(separated, total),
        tuple(sorted({r.period for r in records})),
        tuple(flags),
    )


def sorting_compliance_rate(
    data: WasteData, *, year: int, street: str | None = None, kind: str = "both"
) -> ComplianceRate:
    """Sorting compliance rate (生活垃圾分类达标率) of a street or the district, by inspection kind.

    Parameters
    ----------
    data : WasteData
        Inspection records.
    year : int
        Calendar year [a].
    street : str, optional
        One street; ``None``: every street (the district).
    kind : {"both", "residential", "unit"}
        Which inspections count.

    Returns
    -------
    ComplianceRate
        ``rate_pct`` [%] = Σ compliant ÷ Σ assessed × 100 (``None`` when nothing was assessed).

    References
    ----------
    .. [1] FACTS.md §12: the official scoring rules were not found [X]; compliant / assessed is the working
       definition.
    """
    if kind not in COMPLIANCE_KINDS:
        raise WasteInputError(
            f"unknown inspection kind '{kind}'; choose one of: {', '.join(COMPLIANCE_KINDS)}"
        )
    kinds = tuple(InspectionKind) if kind == "both" else (InspectionKind(kind),)
    records: list[InspectionRecord] = []
    flags: list[WasteFlag] = []
    for s in _streets(data, street):
        own, period_flags = _street_inspections(data, year, s)
        records += [r for r in own if r.kind in kinds]
        flags += period_flags
    assessed = sum(r.assessed_count for r in records)
    compliant = sum(r.compliant_count for r in records)
    if assessed == 0:
        flags.append(WasteFlag(FlagCode.NO_INSPECTIONS, street or "", str(year), kind))
    return ComplianceRate(
        street or "",
        year,
        kind,
        _pct(compliant, assessed),
        assessed,
        compliant,
        tuple(sorted({r.period for r in records})),
        tuple(flags),
    )


def _population(data: WasteData, year: int, street: str | None) -> float | None:
    if street is not None:
        return next(
            (p.population_persons for p in data.population if p.street == street and p.year == year), None
        )
    district = next(
        (p.population_persons for p in data.population if p.street == "" and p.year == year), None
    )
    if district is not None:
        return district
    values = [_population(data, year, s) for s in data.streets]
    return None if not values or any(v is None for v in values) else sum(v for v in values if v is not None)


def per_capita_generation(
    data: WasteData, *, year: int, street: str | None = None, allow_partial_year: bool = False
) -> PerCapitaGeneration:
    """Household waste generated per resident (人均生活垃圾产生量) of a street or the district.

    Parameters
    ----------
    data : WasteData
        Stream records and a population series (:class:`PopulationRecord`; ``street=""`` for the
        district, otherwise the sum of every street's).
    year : int
        Calendar year [a].
    street : str, optional
        One street; ``None``: the district.
    allow_partial_year : bool
        Compute on periods that do not cover the year (the value is then not annual; flagged).

    Returns
    -------
    PerCapitaGeneration
        ``generation_kg_per_capita_a`` [kg/(person·a)] = Σ collected [t] × 1000 ÷ population [persons];
        ``..._d`` divides by the days of the year. ``None`` when the population is missing (flagged
        ``population_missing``) or the year is partial and not allowed.

    References
    ----------
    .. [1] The platform's definition (no official per-capita definition is in FACTS.md): generation is the
       collected total of the four streams, the recovery rate's denominator.
    """
    records: list[StreamRecord] = []
    flags: list[WasteFlag] = []
    for s in _streets(data, street):
        own, period_flags = _street_streams(data, year, s)
        records += own
        flags += period_flags
    generation = sum(r.collected_t for r in records)
    population = _population(data, year, street)
    if population is None:
        flags.append(WasteFlag(FlagCode.POPULATION_MISSING, street or "", str(year)))
    partial = any(f.code in (FlagCode.PARTIAL_YEAR, FlagCode.NO_DATA) for f in flags)
    per_year = per_day = None
    if population is not None and records and (allow_partial_year or not partial):
        per_year = generation * 1000.0 / population
        per_day = per_year / (366 if calendar.isleap(year) else 365)
    return PerCapitaGeneration(street or "", year, generation, population, per_year, per_day, tuple(flags))


@dataclass(frozen=True, slots=True)
class StreetFigures:
    """A street's (``street=""``: the district's) figures of one year, with its rank among the streets."""

    street: str
    year: int
    recovery: RecoveryRate
    compliance: ComplianceRate
    compliance_residential: ComplianceRate
    compliance_unit: ComplianceRate
    per_capita: PerCapitaGeneration
    by_stream: tuple[StreamTotals, ...]
    recovery_rank: int | None = None
    compliance_rank: int | None = None

    @property
    def flags(self) -> tuple[WasteFlag, ...]:
        """Every distinct flag of the street's figures, in order."""
        seen: dict[WasteFlag, None] = {}
        for part in (self.recovery, self.compliance, self.per_capita):
            for f in part.flags:
                seen.setdefault(f, None)
        return tuple(seen)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dictionary."""
        return {
            "street": self.street,
            "year": self.year,
            "recovery": self.recovery.to_dict(),
            "compliance": self.compliance.to_dict(),
            "compliance_residential": self.compliance_residential.to_dict(),
            "compliance_unit": self.compliance_unit.to_dict(),
            "per_capita": self.per_capita.to_dict(),
            "by_stream": [s.to_dict() for s in self.by_stream],
            "recovery_rank": self.recovery_rank,
            "compliance_rank": self.compliance_rank,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> StreetFigures:
        """Build from :meth:`to_dict`'s form."""
        return cls(
            data["street"],
            int(data["year"]),
            RecoveryRate.from_dict(data["recovery"]),
            ComplianceRate.from_dict(data["compliance"]),
            ComplianceRate.from_dict(data["compliance_residential"]),
            ComplianceRate.from_dict(data["compliance_unit"]),
            PerCapitaGeneration.from_dict(data["per_capita"]),
            tuple(StreamTotals.from_dict(s) for s in data["by_stream"]),
            data["recovery_rank"],
            data["compliance_rank"],
        )


@dataclass(frozen=True, slots=True)
class DistrictRollup:
    """The district's figures of a year, summed from its streets, and every street's figures."""

    year: int
    district: StreetFigures
    streets: tuple[StreetFigures, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dictionary."""
        return {
            "year": self.year,
            "district": self.district.to_dict(),
            "streets": [s.to_dict() for s in self.streets],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> DistrictRollup:
        """Build from :meth:`to_dict`'s form."""
        return cls(
            int(data["year"]),
            StreetFigures.from_dict(data["district"]),
            tuple(StreetFigures.from_dict(s) for s in data["streets"]),
        )


def _by_stream(data: WasteData, year: int, street: str | None) -> tuple[StreamTotals, ...]:
    records: list[StreamRecord] = []
    for s in _streets(data, street):
        records += _street_streams(data, year, s)[0]
    out = []
    for stream in STREAMS:
        own = [r for r in records if r.stream is stream]
        out.append(
            StreamTotals(
                stream,
                sum(r.collected_t for r in own),
                sum(r.utilised_t for r in own),
                sum(r.incinerated_t for r in own),
                sum(r.landfilled_t for r in own),
            )
        )
    return tuple(out)


def street_figures(data: WasteData, *, year: int, street: str | None = None) -> StreetFigures:
    """Every figure of one street (``None``: the district) in a year (ranks are set by the roll-up)."""
    return StreetFigures(
        street or "",
        year,
        resource_recovery_rate(data, year=year, street=street),
        sorting_compliance_rate(data, year=year, street=street),
        sorting_compliance_rate(data, year=year, street=street, kind="residential"),
        sorting_compliance_rate(data, year=year, street=street, kind="unit"),
        per_capita_generation(data, year=year, street=street),
        _by_stream(data, year, street),
    )


def _ranks(values: list[float | None]) -> list[int | None]:
    """Competition ranks, highest first (1, 2, 2, 4); ``None`` values are not ranked."""
    ranked = sorted((v for v in values if v is not None), reverse=True)
    return [None if v is None else 1 + sum(1 for w in ranked if w > v) for v in values]


def district_rollup(data: WasteData, *, year: int, street: str | None = None) -> DistrictRollup:
    """The district roll-up: each street's figures with its rank, and the district's figures.

    The district's rates are recomputed from the summed tonnes and counts of every street, never
    averaged from the streets' rates. ``street`` is accepted for the dispatcher's uniform signature and
    must be ``None``.

    Returns
    -------
    DistrictRollup
        Streets sorted by name; ``recovery_rank`` and ``compliance_rank`` are 1 for the highest rate.
    """
    if street is not None:
        raise WasteInputError("district_rollup covers every street: do not name one")
    streets = [street_figures(data, year=year, street=s) for s in data.streets]
    recovery = _ranks([s.recovery.rate_pct for s in streets])
    compliance = _ranks([s.compliance.rate_pct for s in streets])
    ranked = tuple(
        StreetFigures(
            s.street,
            s.year,
            s.recovery,
            s.compliance,
            s.compliance_residential,
            s.compliance_unit,
            s.per_capita,
            s.by_stream,
            r,
            c,
        )
        for s, r, c in zip(streets, recovery, compliance, strict=True)
    )
    return DistrictRollup(year, street_figures(data, year=year), ranked)


def quality_flags(data: WasteData, *, year: int, street: str | None = None) -> tuple[WasteFlag, ...]:
    """Every data-quality finding of a street (``None``: all streets) in a year, without repeats."""
    seen: dict[WasteFlag, None] = {}
    for s in _streets(data, street):
        for f in street_figures(data, year=year, street=s).flags:
            seen.setdefault(f, None)
    return tuple(seen)


WASTE_METHODS: dict[str, Callable[..., Any]] = {
    "resource_recovery_rate": resource_recovery_rate,
    "sorting_compliance_rate": sorting_compliance_rate,
    "per_capita_generation": per_capita_generation,
    "district_rollup": district_rollup,
    "quality_flags": quality_flags,
}
"""Published waste methods by name."""


def waste_indicator(
    method: str, data: WasteData, *, year: int, street: str | None = None, **options: Any
) -> Any:
    """Compute a named waste method (see :data:`WASTE_METHODS`) on ``data`` for a year.

    Raises
    ------
    WasteInputError
        If the method name is unknown.
    """
    try:
        function = WASTE_METHODS[method]
    except KeyError:
        raise WasteInputError(
            f"unknown waste method '{method}'; choose one of: {', '.join(WASTE_METHODS)}"
        ) from None
    return function(data, year=year, street=street, **options)


def years_of(data: WasteData) -> tuple[int, ...]:
    """Calendar years with any stream or inspection record, sorted."""
    periods = [r.period for r in data.streams] + [r.period for r in data.inspections]
    return tuple(sorted({Period(p).year for p in periods}))
