"""Building life-cycle carbon after GB/T 51366-2019 建筑碳排放计算标准.

* materials production (ch. 6, eq. 6.2.1): ``C_sc = Σ M_i·F_i``;
* transport (eq. 6.3.1): ``C_ys = Σ M_i·D_i·T_i``, ``M_i`` in t, ``D_i`` in km, ``T_i`` in kgCO2e/(t·km);
  where no distance is given, the standard's defaults: 40 km for concrete, 500 km for other materials;
* construction and demolition (ch. 5): ``C = Σ E_i·EF_i`` of the energy used on site;
* operation (ch. 4, eq. 4.1.1): ``C_M = (Σ E_i·EF_i − C_p)·y / A``, from an energy model or metered data;
* the mass rules (6.1): the materials counted cover at least 95 % of the mass; a material under 0.1 % of
  the mass may be left out.

:func:`gbt51366` is the published method; :func:`life_cycle_carbon` dispatches on the method's name.
:func:`operation_energy_model` and :func:`operation_metered` are the two operation methods behind
:func:`operation_emissions`. :func:`compare_variants` gives the difference of two variants.

References
----------
.. [1] GB/T 51366-2019 建筑碳排放计算标准, 住房和城乡建设部, 2019 (in force 2019-12-01): 4.1.1, 5.2, 5.3,
   6.1, 6.2.1, 6.3.1; appendix D (material factors) and E (transport factors).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from statistics import fmean
from typing import Any

from carbonpeak.core.errors import CarbonpeakError
from carbonpeak.core.flags import Evidence
from carbonpeak.core.lca.model import (
    BOM_STAGES,
    STAGES,
    BomItem,
    EnergyFactor,
    EnergyUse,
    FactorTables,
    LcaFlag,
    LcaResult,
    MassCoverage,
    MaterialDifference,
    MaterialFactor,
    MaterialLine,
    OperationResult,
    StageTotals,
    VariantComparison,
)

# GB/T 51366-2019 6.3 default transport distances (FACTS.md §4, evidence R: recalled, to be confirmed).
DEFAULT_CONCRETE_KM = 40.0
DEFAULT_OTHER_KM = 500.0
# GB/T 51366-2019 6.1: mass share of the materials counted, and the share under which one may be left out.
MIN_MASS_COVERAGE_PCT = 95.0
NEGLIGIBLE_MASS_PCT = 0.1


class LcaInputError(CarbonpeakError, ValueError):
    """A bill of materials, an energy use or a parameter is invalid (names the line and field)."""


class LcaInsufficientDataError(CarbonpeakError, ValueError):
    """The data do not satisfy the standard's rules; ``flags`` lists why. Pass ``allow_incomplete=True``
    to compute anyway, with the flags in the result."""

    def __init__(self, message: str, flags: Sequence[LcaFlag]) -> None:
        super().__init__(message)
        self.flags = tuple(flags)


def default_distance_km(material: MaterialFactor) -> float:
    """The standard's default transport distance of a material [km]: 40 for concrete, 500 otherwise."""
    return DEFAULT_CONCRETE_KM if material.category == "concrete" else DEFAULT_OTHER_KM


def _finite(value: float, what: str, *, positive: bool = False) -> float:
    if not math.isfinite(value) or value < 0 or (positive and value == 0):
        kind = "positive" if positive else "zero or more"
        raise LcaInputError(f"{what}: {value} must be a finite number, {kind}")
    return value


def _where(item: BomItem) -> str:
    return item.label or item.material


def _mass_t(item: BomItem, material: MaterialFactor) -> float | None:
    if item.unit == "t":
        return item.quantity
    if item.unit == "kg":
        return item.quantity / 1000.0
    if item.unit == "m3":
        density = item.density_t_per_m3 if item.density_t_per_m3 is not None else material.density_t_per_m3
        return None if density is None else item.quantity * density
    return None


def _basis_quantity(item: BomItem, material: MaterialFactor, mass_t: float | None) -> float | None:
    """The quantity in the factor's declared unit, or ``None`` when it cannot be converted."""
    if material.basis == "m2":
        return item.quantity if item.unit == "m2" else None
    if material.basis == "t":
        return mass_t
    if item.unit == "m3":
        return item.quantity
    if mass_t is not None:
        density = item.density_t_per_m3 if item.density_t_per_m3 is not None else material.density_t_per_m3
        return None if density is None else mass_t / density
    return None


def _check_item(item: BomItem) -> None:
    _finite(item.quantity, f"{_where(item)}, field quantity")
    if item.transport_km is not None:
        _finite(item.transport_km, f"{_where(item)}, field transport_km")
    if item.density_t_per_m3 is not None:
        _finite(item.density_t_per_m3, f"{_where(item)}, field density_t_per_m3", positive=True)
    if item.stage not in BOM_STAGES:
        raise LcaInputError(
            f"{_where(item)}, field stage: '{item.stage}' is not one of {', '.join(BOM_STAGES)}"
        )


def _energy_line(item: BomItem, factor: EnergyFactor) -> MaterialLine:
    if item.unit != factor.unit:
        raise LcaInputError(
            f"{_where(item)}, field unit: '{item.unit}' does not match the {factor.carrier} factor's unit "
            f"'{factor.unit}'"
        )
    emissions = item.quantity * factor.factor_kgco2e
    return MaterialLine(
        material=item.material,
        name_zh=item.material,
        stage=item.stage,
        quantity=item.quantity,
        unit=item.unit,
        mass_t=None,
        factor_kgco2e=factor.factor_kgco2e,
        factor_unit=factor.unit,
        factor_evidence=factor.evidence.value,
        construction_kgco2e=emissions if item.stage == "construction" else 0.0,
        demolition_kgco2e=emissions if item.stage == "demolition" else 0.0,
    )


def _material_line(
    item: BomItem, material: MaterialFactor, tables: FactorTables, default_mode: str | None
) -> tuple[MaterialLine, list[LcaFlag]]:
    flags: list[LcaFlag] = []
    if item.unit not in ("t", "kg", "m3", "m2"):
        raise LcaInputError(f"{_where(item)}, field unit: '{item.unit}' is not one of t, kg, m3, m2")
    if item.unit == "m2" and material.basis != "m2":
        raise LcaInputError(
            f"{_where(item)}, field unit: {material.code} is counted per {material.basis}, not per m2"
        )
    mass = _mass_t(item, material)
    basis_qty = _basis_quantity(item, material, mass)
    counted = material.factor_kgco2e is not None and basis_qty is not None
    produced = (material.factor_kgco2e or 0.0) * (basis_qty or 0.0) if counted else 0.0
    if material.factor_kgco2e is None:
        flags.append(
            LcaFlag(
                "factor_unknown",
                "warning",
                f"{_where(item)}: no factor for {material.code} (evidence X); the line is not counted",
                (material.code,),
            )
        )
    elif basis_qty is None:
        flags.append(
            LcaFlag(
                "quantity_not_convertible",
                "error",
                f"{_where(item)}: {item.quantity} {item.unit} of {material.code} cannot be converted to "
                f"{material.basis} without a density",
                (material.code,),
            )
        )
    transport = tkm = 0.0
    defaulted = False
    on_site = item.stage != "materials"
    if not on_site:
        distance = item.transport_km
        if distance is None:
            distance, defaulted = default_distance_km(material), True
        mode_code = item.transport_mode or default_mode
        if distance > 0 and mass is None:
            flags.append(
                LcaFlag(
                    "transport_mass_unknown",
                    "error",
                    f"{_where(item)}: the transport of {material.code} needs its mass: give density_t_per_m3",
                    (material.code,),
                )
            )
        elif distance > 0 and mass is not None:
            if mode_code is None:
                raise LcaInputError(
                    f"{_where(item)}, field transport_mode: is empty and no default mode is given"
                )
            try:
                mode = tables.transport_mode(mode_code)
            except KeyError:
                known = ", ".join(m.code for m in tables.transport_modes)
                raise LcaInputError(
                    f"{_where(item)}, field transport_mode: '{mode_code}' is not a transport mode ({known})"
                ) from None
            if mode.factor_kgco2e_per_tkm is None:
                raise LcaInputError(
                    f"{_where(item)}, field transport_mode: {mode.code} has no factor (evidence X)"
                )
            tkm = mass * distance
            transport = tkm * mode.factor_kgco2e_per_tkm
    line = MaterialLine(
        material=material.code,
        name_zh=material.name_zh,
        stage=item.stage,
        quantity=item.quantity,
        unit=item.unit,
        mass_t=mass,
        factor_kgco2e=material.factor_kgco2e,
        factor_unit=material.basis,
        factor_evidence=material.evidence.value,
        materials_kgco2e=produced if not on_site else 0.0,
        transport_kgco2e=transport,
        construction_kgco2e=produced if item.stage == "construction" else 0.0,
        demolition_kgco2e=produced if item.stage == "demolition" else 0.0,
        tkm=tkm,
        default_distance=defaulted,
        counted=counted,
    )
    return line, flags


def _merge(lines: list[MaterialLine]) -> list[MaterialLine]:
    """One line per (material, stage, unit), summed; largest total first."""
    merged: dict[tuple[str, str, str], MaterialLine] = {}
    for line in lines:
        key = (line.material, line.stage, line.unit)
        old = merged.get(key)
        if old is None:
            merged[key] = line
            continue
        mass = None if old.mass_t is None or line.mass_t is None else old.mass_t + line.mass_t
        merged[key] = MaterialLine(
            material=old.material,
            name_zh=old.name_zh,
            stage=old.stage,
            quantity=old.quantity + line.quantity,
            unit=old.unit,
            mass_t=mass,
            factor_kgco2e=old.factor_kgco2e,
            factor_unit=old.factor_unit,
            factor_evidence=old.factor_evidence,
            materials_kgco2e=old.materials_kgco2e + line.materials_kgco2e,
            transport_kgco2e=old.transport_kgco2e + line.transport_kgco2e,
            construction_kgco2e=old.construction_kgco2e + line.construction_kgco2e,
            demolition_kgco2e=old.demolition_kgco2e + line.demolition_kgco2e,
            tkm=old.tkm + line.tkm,
            default_distance=old.default_distance or line.default_distance,
            counted=old.counted and line.counted,
        )
    return sorted(merged.values(), key=lambda m: (-m.total_kgco2e, m.material))


def mass_coverage(lines: Sequence[MaterialLine]) -> MassCoverage:
    """Check the standard's mass rules on the materials lines (GB/T 51366-2019 6.1).

    Parameters
    ----------
    lines : sequence of MaterialLine
        Result lines; only ``materials``-stage lines count.

    Returns
    -------
    MassCoverage
        Counted share of the known mass [%], and the materials omitted, negligible (< 0.1 %) and of
        unknown mass.

    References
    ----------
    .. [1] GB/T 51366-2019, 6.1.
    """
    materials = [m for m in lines if m.stage == "materials"]
    known = [m for m in materials if m.mass_t is not None]
    total = sum(m.mass_t or 0.0 for m in known)
    counted = sum(m.mass_t or 0.0 for m in known if m.counted)
    share = None if total <= 0 else 100.0 * counted / total
    omitted = tuple(m.material for m in materials if not m.counted)
    negligible = tuple(
        m.material for m in known if total > 0 and 100.0 * (m.mass_t or 0.0) / total < NEGLIGIBLE_MASS_PCT
    )
    over = tuple(m for m in omitted if m not in negligible)
    return MassCoverage(
        total_mass_t=total,
        counted_mass_t=counted,
        share_pct=share,
        meets_95_pct=share is not None and share >= MIN_MASS_COVERAGE_PCT,
        omitted=omitted,
        omitted_over_0_1_pct=over,
        negligible=negligible,
        mass_unknown=tuple(m.material for m in materials if m.mass_t is None),
    )


def _coverage_flags(coverage: MassCoverage) -> list[LcaFlag]:
    flags = []
    if coverage.share_pct is None:
        flags.append(
            LcaFlag("no_mass", "error", "no material has a known mass: the 95 % rule cannot be checked")
        )
    elif not coverage.meets_95_pct:
        flags.append(
            LcaFlag(
                "coverage_below_95_pct",
                "error",
                f"the materials counted cover {coverage.share_pct:.1f} % of the mass, under the "
                "standard's 95 %",
                coverage.omitted,
            )
        )
    if coverage.omitted_over_0_1_pct:
        flags.append(
            LcaFlag(
                "omitted_over_0_1_pct",
                "warning",
                "materials of 0.1 % of the mass or more are left out (no factor); the standard lets only "
                "those under 0.1 % be left out",
                coverage.omitted_over_0_1_pct,
            )
        )
    if coverage.mass_unknown:
        flags.append(
            LcaFlag(
                "mass_unknown",
                "warning",
                "the mass of some materials is unknown (no density): the mass shares cover the others only",
                coverage.mass_unknown,
            )
        )
    return flags


def _evidence_flags(lines: Sequence[MaterialLine]) -> list[LcaFlag]:
    flags = []
    for tag, word in ((Evidence.SECONDARY, "secondary (S)"), (Evidence.RECALLED, "recalled (R)")):
        codes = tuple(sorted({m.material for m in lines if m.counted and m.factor_evidence == tag.value}))
        if codes:
            flags.append(
                LcaFlag(
                    f"factor_evidence_{tag.value.lower()}",
                    "info",
                    f"factors of evidence {word}: not an official value; confirm before publishing",
                    codes,
                )
            )
    defaulted = tuple(sorted({m.material for m in lines if m.default_distance}))
    if defaulted:
        flags.append(
            LcaFlag(
                "default_transport_distance",
                "info",
                "the standard's default transport distance was used (40 km concrete, 500 km others; "
                "evidence R)",
                defaulted,
            )
        )
    return flags


def gbt51366(
    items: Sequence[BomItem],
    tables: FactorTables,
    *,
    floor_area_m2: float,
    service_life_years: float = 50.0,
    default_transport_mode: str | None = None,
    energy_factors: Mapping[str, EnergyFactor] | None = None,
    operation: OperationResult | None = None,
    allow_incomplete: bool = False,
) -> LcaResult:
    """Life-cycle carbon of a building from its bill of materials, after GB/T 51366-2019.

    Parameters
    ----------
    items : sequence of BomItem
        Bill of materials; ``construction``/``demolition`` lines name an energy carrier of
        ``energy_factors`` or a material consumed on site.
    tables : FactorTables
        Material, transport and machinery factor tables.
    floor_area_m2 : float
        Floor area A [m2], positive.
    service_life_years : float, default 50
        Design service life y [a], positive.
    default_transport_mode : str, optional
        Transport mode code for lines that name none.
    energy_factors : mapping of str to EnergyFactor, optional
        Factors of the energy carriers of construction and demolition lines.
    operation : OperationResult, optional
        Operation stage from :func:`operation_emissions`; zero when not given.
    allow_incomplete : bool, default False
        Compute even when an error flag is raised (coverage under 95 %, unconvertible quantities).

    Returns
    -------
    LcaResult
        Emissions by stage [kgCO2e], per m2 [kgCO2e/m2], by material, with the mass check and flags.

    Raises
    ------
    LcaInputError
        An unknown material, unit, mode or a non-finite quantity, naming the line and field.
    LcaInsufficientDataError
        When an error flag is raised and ``allow_incomplete`` is false.

    References
    ----------
    .. [1] GB/T 51366-2019, 5.2, 5.3, 6.1, 6.2.1, 6.3.1.
    """
    _finite(floor_area_m2, "floor_area_m2", positive=True)
    _finite(service_life_years, "service_life_years", positive=True)
    energy = dict(energy_factors or {})
    codes = {m.code: m for m in tables.materials}
    lines: list[MaterialLine] = []
    flags: list[LcaFlag] = []
    for item in items:
        _check_item(item)
        if item.stage != "materials" and item.material in energy:
            lines.append(_energy_line(item, energy[item.material]))
            continue
        material = codes.get(item.material)
        if material is None:
            raise LcaInputError(f"{_where(item)}, field material: '{item.material}' is not a known material")
        line, line_flags = _material_line(item, material, tables, default_transport_mode)
        lines.append(line)
        flags += line_flags
    merged = _merge(lines)
    coverage = mass_coverage(merged)
    flags += _coverage_flags(coverage) + _evidence_flags(merged)
    errors = [f for f in flags if f.level == "error"]
    if errors and not allow_incomplete:
        raise LcaInsufficientDataError("; ".join(f.message for f in errors), flags)
    stages = StageTotals(
        materials_kgco2e=sum(m.materials_kgco2e for m in merged),
        transport_kgco2e=sum(m.transport_kgco2e for m in merged),
        construction_kgco2e=sum(m.construction_kgco2e for m in merged),
        operation_kgco2e=operation.total_kgco2e if operation else 0.0,
        demolition_kgco2e=sum(m.demolition_kgco2e for m in merged),
    )
    return LcaResult(
        floor_area_m2=floor_area_m2,
        service_life_years=service_life_years,
        stages=stages,
        by_material=tuple(merged),
        coverage=coverage,
        flags=tuple(flags),
        operation=operation,
        factor_tables=tables.version,
    )


LCA_METHODS: dict[str, Callable[..., LcaResult]] = {"gbt51366": gbt51366}
"""Published life-cycle methods by name."""


def life_cycle_carbon(method: str, *args: Any, **kwargs: Any) -> LcaResult:
    """Dispatch to a published life-cycle method by name (``gbt51366``); an unknown name is refused.

    Raises
    ------
    LcaInputError
        For a method not in :data:`LCA_METHODS`.
    """
    if method not in LCA_METHODS:
        raise LcaInputError(f"unknown life-cycle method '{method}'; choose one of: {', '.join(LCA_METHODS)}")
    return LCA_METHODS[method](*args, **kwargs)


def _annual_kgco2e(uses: Sequence[EnergyUse], factors: Mapping[str, EnergyFactor]) -> float:
    total = 0.0
    for use in uses:
        _finite(use.quantity, f"energy use {use.carrier}, field quantity")
        factor = factors.get(use.carrier)
        if factor is None:
            raise LcaInputError(f"energy use {use.carrier}: no emission factor for this carrier")
        if factor.unit != use.unit:
            raise LcaInputError(
                f"energy use {use.carrier}, field unit: '{use.unit}' does not match the factor's "
                f"'{factor.unit}'"
            )
        total += use.quantity * factor.factor_kgco2e
    return total


def _operation(
    method: str,
    annual: float,
    renewables_kgco2e_per_year: float,
    service_life_years: float,
    floor_area_m2: float,
    years: tuple[int, ...] = (),
) -> OperationResult:
    _finite(renewables_kgco2e_per_year, "renewables_kgco2e_per_year")
    _finite(service_life_years, "service_life_years", positive=True)
    _finite(floor_area_m2, "floor_area_m2", positive=True)
    total = (annual - renewables_kgco2e_per_year) * service_life_years
    return OperationResult(
        method=method,
        annual_kgco2e=annual,
        renewables_kgco2e_per_year=renewables_kgco2e_per_year,
        service_life_years=service_life_years,
        total_kgco2e=total,
        per_m2_kgco2e=total / floor_area_m2,
        years=years,
    )


def operation_energy_model(
    annual_energy: Sequence[EnergyUse],
    factors: Mapping[str, EnergyFactor],
    *,
    floor_area_m2: float,
    service_life_years: float = 50.0,
    renewables_kgco2e_per_year: float = 0.0,
) -> OperationResult:
    """Operation emissions from an energy model's annual energy use (GB/T 51366-2019 eq. 4.1.1).

    ``C_M = (Σ E_i·EF_i − C_p)·y / A``.

    Parameters
    ----------
    annual_energy : sequence of EnergyUse
        Modelled energy use per year by carrier [carrier unit/a].
    factors : mapping of str to EnergyFactor
        Emission factor of each carrier [kgCO2e per unit].
    floor_area_m2 : float
        A [m2].
    service_life_years : float, default 50
        y [a].
    renewables_kgco2e_per_year : float, default 0
        C_p, the reduction by on-site renewables [kgCO2e/a].

    Returns
    -------
    OperationResult

    References
    ----------
    .. [1] GB/T 51366-2019, 4.1.1.
    """
    annual = _annual_kgco2e(annual_energy, factors)
    return _operation("energy_model", annual, renewables_kgco2e_per_year, service_life_years, floor_area_m2)


def operation_metered(
    metered_energy: Sequence[EnergyUse],
    factors: Mapping[str, EnergyFactor],
    *,
    floor_area_m2: float,
    service_life_years: float = 50.0,
    renewables_kgco2e_per_year: float = 0.0,
) -> OperationResult:
    """Operation emissions of a completed building from its metered energy (GB/T 51366-2019 eq. 4.1.1).

    The annual ``Σ E_i·EF_i`` is the mean over the complete calendar years metered (each use carries its
    ``year``); then ``C_M = (Σ E_i·EF_i − C_p)·y / A``.

    Raises
    ------
    LcaInputError
        When a use has no year, or no year is given.

    References
    ----------
    .. [1] GB/T 51366-2019, 4.1.1.
    """
    by_year: dict[int, list[EnergyUse]] = {}
    for use in metered_energy:
        if use.year is None:
            raise LcaInputError(f"metered energy use {use.carrier}: has no year")
        by_year.setdefault(use.year, []).append(use)
    if not by_year:
        raise LcaInputError("metered energy: no year of metered data")
    annual = fmean(_annual_kgco2e(uses, factors) for uses in by_year.values())
    return _operation(
        "metered",
        annual,
        renewables_kgco2e_per_year,
        service_life_years,
        floor_area_m2,
        tuple(sorted(by_year)),
    )


OPERATION_METHODS: dict[str, Callable[..., OperationResult]] = {
    "energy_model": operation_energy_model,
    "metered": operation_metered,
}
"""Operation-stage methods by name."""


def operation_emissions(method: str, *args: Any, **kwargs: Any) -> OperationResult:
    """Dispatch to an operation method (``energy_model`` or ``metered``); an unknown name is refused."""
    if method not in OPERATION_METHODS:
        raise LcaInputError(
            f"unknown operation method '{method}'; choose one of: {', '.join(OPERATION_METHODS)}"
        )
    return OPERATION_METHODS[method](*args, **kwargs)


def compare_variants(a: LcaResult, b: LcaResult) -> VariantComparison:
    """Compare two variants of one project (e.g. cast-in-place ``a`` against prefab ``b``).

    Parameters
    ----------
    a, b : LcaResult
        The two variants, computed on the same floor area.

    Returns
    -------
    VariantComparison
        Both results and the difference ``b − a`` by stage and by material [kgCO2e].

    Raises
    ------
    LcaInputError
        When the floor areas differ.
    """
    if not math.isclose(a.floor_area_m2, b.floor_area_m2):
        raise LcaInputError(f"the variants' floor areas differ: {a.floor_area_m2} and {b.floor_area_m2} m2")
    totals_a: dict[str, float] = {}
    totals_b: dict[str, float] = {}
    names: dict[str, str] = {}
    for result, bucket in ((a, totals_a), (b, totals_b)):
        for line in result.by_material:
            bucket[line.material] = bucket.get(line.material, 0.0) + line.total_kgco2e
            names[line.material] = line.name_zh
    diffs = [
        MaterialDifference(code, names[code], totals_a.get(code, 0.0), totals_b.get(code, 0.0))
        for code in names
    ]
    diffs.sort(key=lambda d: (-abs(d.difference_kgco2e), d.material))
    return VariantComparison(a, b, tuple(diffs))


__all__ = [
    "DEFAULT_CONCRETE_KM",
    "DEFAULT_OTHER_KM",
    "LCA_METHODS",
    "MIN_MASS_COVERAGE_PCT",
    "NEGLIGIBLE_MASS_PCT",
    "OPERATION_METHODS",
    "STAGES",
    "LcaInputError",
    "LcaInsufficientDataError",
    "compare_variants",
    "default_distance_km",
    "gbt51366",
    "life_cycle_carbon",
    "mass_coverage",
    "operation_emissions",
    "operation_energy_model",
    "operation_metered",
]
