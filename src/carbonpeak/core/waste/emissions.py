"""Waste emissions: landfill CH4 and incineration fossil CO2, per the provincial inventory guideline.

Two named methods, each behind its own dispatcher (:func:`landfill_ch4`, :func:`incineration_co2`), and
:func:`waste_emissions` that applies both to a street's or the district's tonnes of a year.

``mass_balance`` (landfill CH4; the provincial guideline recommends the IPCC mass-balance method, not
first-order decay — the recommendation is recalled [R], confirm it against the guideline's text)::

    CH4 [t] = Σ_stream landfilled [t] × MCF × DOC × DOC_F × F × 16/12 × (1 − R) × (1 − OX)
    CO2e [t] = CH4 × GWP_CH4

``fossil_carbon`` (incineration fossil CO2)::

    CO2 [t] = Σ_stream incinerated [t] × CCW × FCF × EF × 44/12

MCF methane correction factor, DOC degradable organic carbon, DOC_F its dissimilated fraction, F the CH4
fraction of landfill gas, R the recovered share of the CH4 generated (a simplification of the guideline's
recovered mass), OX the oxidation factor, CCW the carbon content of the wet waste, FCF the fossil share of
that carbon, EF the incinerator's burn-out efficiency. 16/12 and 44/12 are molecular-mass ratios.

Every parameter comes from the versioned reference table ``data/factors/waste_parameters.csv``. A
parameter with an empty value (evidence X) makes the emission **unknown** (``None``) and flagged
``parameter_unknown``, never zero. A quantity of zero tonnes emits zero whatever the parameters.

References
----------
.. [1] 省级温室气体清单编制指南（试行）, 国家发展改革委办公厅, 2011, 第五章 废弃物处理: 固体废弃物填埋处理
   甲烷排放 and 废弃物焚烧处理二氧化碳排放.
.. [2] IPCC (1996), Revised 1996 IPCC Guidelines for National Greenhouse Gas Inventories, Reference
   Manual, ch. 6 (the default mass-balance method for solid waste disposal sites).
.. [3] IPCC (2006), Guidelines for National Greenhouse Gas Inventories, vol. 5 ch. 5 eq. 5.1 (incineration
   CO2 from fossil carbon).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from carbonpeak.core.waste.model import STREAMS, FlagCode, Stream, WasteData, WasteFlag, WasteInputError
from carbonpeak.core.waste.rates import StreamTotals, _by_stream

CH4_PER_C = 16.0 / 12.0
"""Mass ratio CH4/C [-] (molecular masses)."""
CO2_PER_C = 44.0 / 12.0
"""Mass ratio CO2/C [-] (molecular masses)."""

LANDFILL_PARAMETERS: tuple[str, ...] = ("mcf", "doc", "doc_f", "f", "recovery_fraction", "ox", "gwp_ch4")
"""Parameters of the ``mass_balance`` landfill method (``gwp_ch4`` converts CH4 to CO2e)."""
INCINERATION_PARAMETERS: tuple[str, ...] = (
    "carbon_content",
    "fossil_carbon_fraction",
    "combustion_efficiency",
)
"""Parameters of the ``fossil_carbon`` incineration method."""


@dataclass(frozen=True, slots=True)
class WasteParameter:
    """One row of the waste method parameter table.

    Parameters
    ----------
    param_id : str
        Row id.
    method : str
        ``landfill_ch4_mass_balance`` or ``incineration_fossil_co2``.
    parameter : str
        One of :data:`LANDFILL_PARAMETERS` or :data:`INCINERATION_PARAMETERS`.
    stream : str
        The stream it applies to; ``""``: every stream (a stream's own row wins).
    value : float or None
        The value [``unit``]; ``None`` when unknown (evidence X).
    unit : str
        Unit (``-`` for a fraction).
    evidence : str
        V, S, R or X.
    year_from, year_to : int or None
        Validity (inclusive); ``None`` is open.
    source : str
        Source document.
    """

    param_id: str
    method: str
    parameter: str
    stream: str
    value: float | None
    unit: str
    evidence: str
    year_from: int | None = None
    year_to: int | None = None
    source: str = ""

    def valid_in(self, year: int) -> bool:
        """Whether the row applies to ``year``."""
        return (self.year_from is None or self.year_from <= year) and (
            self.year_to is None or year <= self.year_to
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dictionary."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> WasteParameter:
        """Build from :meth:`to_dict`'s form."""
        return cls(**{k: data[k] for k in cls.__dataclass_fields__})


LANDFILL_METHOD_ID = "landfill_ch4_mass_balance"
INCINERATION_METHOD_ID = "incineration_fossil_co2"


def _lookup(
    parameters: Iterable[WasteParameter], method: str, name: str, stream: Stream, year: int
) -> WasteParameter | None:
    rows = [p for p in parameters if p.method == method and p.parameter == name and p.valid_in(year)]
    own = [p for p in rows if p.stream == str(stream)]
    general = [p for p in rows if p.stream == ""]
    found = own or general
    return found[0] if found else None


@dataclass(frozen=True, slots=True)
class MethodResult:
    """One method's emission: the gas mass, ``None`` when a needed parameter is unknown."""

    method: str
    quantity_t: float
    """Tonnes the method applies to (landfilled or incinerated) [t]."""
    emission_t: float | None
    """CH4 [t] for the landfill method, fossil CO2 [t] for incineration."""
    co2e_t: float | None
    """The emission in CO2 equivalent [tCO2e]."""
    parameter_ids: tuple[str, ...]
    missing: tuple[str, ...]
    """Parameters (``parameter`` or ``parameter:stream``) that are unknown."""

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dictionary."""
        return {**asdict(self), "parameter_ids": list(self.parameter_ids), "missing": list(self.missing)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> MethodResult:
        """Build from :meth:`to_dict`'s form."""
        return cls(
            data["method"],
            float(data["quantity_t"]),
            data["emission_t"],
            data["co2e_t"],
            tuple(data["parameter_ids"]),
            tuple(data["missing"]),
        )


def _apply(
    method_id: str,
    names: tuple[str, ...],
    tonnes: Mapping[Stream, float],
    parameters: Iterable[WasteParameter],
    year: int,
    per_stream: Callable[[float, Mapping[str, float]], float],
) -> tuple[float | None, tuple[str, ...], tuple[str, ...]]:
    params = tuple(parameters)
    total = 0.0
    used: list[str] = []
    missing: list[str] = []
    for stream in STREAMS:
        quantity = tonnes.get(stream, 0.0)
        if quantity == 0:
            continue  # nothing disposed this way: zero emission, whatever the parameters
        values: dict[str, float] = {}
        for name in names:
            row = _lookup(params, method_id, name, stream, year)
            if row is None or row.value is None:
                missing.append(f"{name}:{stream}")
                continue
            used.append(row.param_id)
            values[name] = row.value
        if len(values) == len(names):
            total += per_stream(quantity, values)
    emission = None if missing else total
    return emission, tuple(dict.fromkeys(used)), tuple(missing)


def landfill_ch4_mass_balance(
    landfilled_t: Mapping[Stream, float], parameters: Iterable[WasteParameter], *, year: int
) -> MethodResult:
    """Landfill CH4 by the mass-balance method (see the module docstring for the formula).

    Parameters
    ----------
    landfilled_t : mapping of Stream to float
        Tonnes landfilled by stream [t].
    parameters : iterable of WasteParameter
        The parameter table (rows of method ``landfill_ch4_mass_balance``).
    year : int
        Inventory year [a], for the parameters' validity.

    Returns
    -------
    MethodResult
        CH4 [t] and CO2e [t] (× ``gwp_ch4``), ``None`` when any needed parameter is unknown.

    References
    ----------
    .. [1] 省级温室气体清单编制指南（试行） (2011), 第五章; IPCC 1996 Reference Manual ch. 6.
    """

    def one(quantity: float, p: Mapping[str, float]) -> float:
        l0 = p["mcf"] * p["doc"] * p["doc_f"] * p["f"] * CH4_PER_C
        return quantity * l0 * (1.0 - p["recovery_fraction"]) * (1.0 - p["ox"])

    ch4_names = tuple(n for n in LANDFILL_PARAMETERS if n != "gwp_ch4")
    ch4, used, missing = _apply(LANDFILL_METHOD_ID, ch4_names, landfilled_t, parameters, year, one)
    params = tuple(parameters)
    co2e: float | None = None
    if sum(landfilled_t.values()) == 0:
        co2e = 0.0
    else:
        gwp = _lookup(params, LANDFILL_METHOD_ID, "gwp_ch4", Stream.DRY, year)
        if gwp is None or gwp.value is None:
            missing += ("gwp_ch4",)
        else:
            used += (gwp.param_id,)
            co2e = None if ch4 is None else ch4 * gwp.value
    return MethodResult("mass_balance", sum(landfilled_t.values()), ch4, co2e, used, missing)


def incineration_fossil_co2(
    incinerated_t: Mapping[Stream, float], parameters: Iterable[WasteParameter], *, year: int
) -> MethodResult:
    """Fossil CO2 of incineration by the fossil-carbon method (formula in the module docstring).

    Parameters
    ----------
    incinerated_t : mapping of Stream to float
        Tonnes incinerated by stream (wet weight) [t].
    parameters : iterable of WasteParameter
        The parameter table (rows of method ``incineration_fossil_co2``).
    year : int
        Inventory year [a].

    Returns
    -------
    MethodResult
        Fossil CO2 [t] (= CO2e), ``None`` when any needed parameter is unknown.

    References
    ----------
    .. [1] 省级温室气体清单编制指南（试行） (2011), 第五章; IPCC 2006 vol. 5 eq. 5.1.
    """

    def one(quantity: float, p: Mapping[str, float]) -> float:
        return (
            quantity
            * p["carbon_content"]
            * p["fossil_carbon_fraction"]
            * p["combustion_efficiency"]
            * CO2_PER_C
        )

    co2, used, missing = _apply(
        INCINERATION_METHOD_ID, INCINERATION_PARAMETERS, incinerated_t, parameters, year, one
    )
    return MethodResult("fossil_carbon", sum(incinerated_t.values()), co2, co2, used, missing)


LANDFILL_METHODS: dict[str, Callable[..., MethodResult]] = {"mass_balance": landfill_ch4_mass_balance}
"""Landfill CH4 methods by name."""
INCINERATION_METHODS: dict[str, Callable[..., MethodResult]] = {"fossil_carbon": incineration_fossil_co2}
"""Incineration CO2 methods by name."""


def _dispatch(
    methods: Mapping[str, Callable[..., MethodResult]], method: str, what: str
) -> Callable[..., MethodResult]:
    try:
        return methods[method]
    except KeyError:
        raise WasteInputError(
            f"unknown {what} method '{method}'; choose one of: {', '.join(methods)}"
        ) from None


def landfill_ch4(
    method: str, landfilled_t: Mapping[Stream, float], parameters: Iterable[WasteParameter], *, year: int
) -> MethodResult:
    """Landfill CH4 by a named method (:data:`LANDFILL_METHODS`)."""
    return _dispatch(LANDFILL_METHODS, method, "landfill CH4")(landfilled_t, parameters, year=year)


def incineration_co2(
    method: str, incinerated_t: Mapping[Stream, float], parameters: Iterable[WasteParameter], *, year: int
) -> MethodResult:
    """Incineration fossil CO2 by a named method (:data:`INCINERATION_METHODS`)."""
    return _dispatch(INCINERATION_METHODS, method, "incineration CO2")(incinerated_t, parameters, year=year)


@dataclass(frozen=True, slots=True)
class WasteEmissions:
    """Waste emissions of a street (``""``: the district) in a year [t]; ``None`` means unknown, flagged."""

    street: str
    year: int
    landfill: MethodResult
    incineration: MethodResult
    flags: tuple[WasteFlag, ...] = ()

    @property
    def total_co2e_t(self) -> float | None:
        """Landfill CO2e plus incineration fossil CO2 [tCO2e]; ``None`` when either is unknown."""
        if self.landfill.co2e_t is None or self.incineration.co2e_t is None:
            return None
        return self.landfill.co2e_t + self.incineration.co2e_t

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dictionary."""
        return {
            "street": self.street,
            "year": self.year,
            "landfill": self.landfill.to_dict(),
            "incineration": self.incineration.to_dict(),
            "total_co2e_t": self.total_co2e_t,
            "flags": [f.to_dict() for f in self.flags],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> WasteEmissions:
        """Build from :meth:`to_dict`'s form."""
        return cls(
            data["street"],
            int(data["year"]),
            MethodResult.from_dict(data["landfill"]),
            MethodResult.from_dict(data["incineration"]),
            tuple(WasteFlag.from_dict(f) for f in data["flags"]),
        )


def waste_emissions(
    data: WasteData,
    parameters: Iterable[WasteParameter],
    *,
    year: int,
    street: str | None = None,
    landfill_method: str = "mass_balance",
    incineration_method: str = "fossil_carbon",
) -> WasteEmissions:
    """Landfill CH4 and incineration fossil CO2 of a street's (``None``: the district's) tonnes in a year.

    Returns
    -------
    WasteEmissions
        Each method's result; a ``parameter_unknown`` flag names every unknown parameter.
    """
    params = tuple(parameters)
    totals: tuple[StreamTotals, ...] = _by_stream(data, year, street)
    landfill = landfill_ch4(landfill_method, {t.stream: t.landfilled_t for t in totals}, params, year=year)
    incineration = incineration_co2(
        incineration_method, {t.stream: t.incinerated_t for t in totals}, params, year=year
    )
    flags = tuple(
        WasteFlag(FlagCode.PARAMETER_UNKNOWN, street or "", str(year), f"{r.method}: {', '.join(r.missing)}")
        for r in (landfill, incineration)
        if r.missing
    )
    return WasteEmissions(street or "", year, landfill, incineration, flags)
