"""Records and results of the building life-cycle carbon calculation (GB/T 51366-2019).

Factor records (:class:`MaterialFactor`, :class:`TransportMode`, :class:`MachineryFactor`) are built by
:mod:`carbonpeak.io.lca` from the packaged reference tables; inputs (:class:`BomItem`, :class:`EnergyUse`)
come from a bill of materials, an IFC model or an energy model; results are frozen dataclasses with
``to_dict``/``from_dict`` for JSON columns, the API and the CLI.

References
----------
.. [1] GB/T 51366-2019 建筑碳排放计算标准 (Standard for building carbon emission calculation), 住房和城乡
   建设部, published 2019-04-09, in force 2019-12-01: ch. 4 operation, ch. 5 construction and demolition,
   ch. 6 building materials production and transport; appendix D material factors, appendix E transport.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from carbonpeak.core.flags import Evidence

STAGES = ("materials", "transport", "construction", "operation", "demolition")
"""Life-cycle stages, in the order the standard's chapters treat them in a report."""

BomStage = Literal["materials", "construction", "demolition"]
"""Stage a bill-of-materials line belongs to: building materials (production and transport), or energy
and consumables used on site during construction or demolition."""

BOM_STAGES: tuple[BomStage, ...] = ("materials", "construction", "demolition")

FactorBasis = Literal["t", "m3", "m2"]
"""Declared unit a material factor is given per (kgCO2e per t, per m3 or per m2)."""

QUANTITY_UNITS = ("t", "kg", "m3", "m2")
"""Units a bill-of-materials quantity may be in."""

FlagLevel = Literal["error", "warning", "info"]


@dataclass(frozen=True, slots=True)
class MaterialFactor:
    """A building material's production carbon factor (GB/T 51366-2019 appendix D).

    Parameters
    ----------
    code : str
        Stable id, e.g. ``concrete-c30``.
    name_zh, name_en : str
        The standard's Chinese name (e.g. ``C30混凝土``) and an English name.
    category : str
        ``concrete``, ``steel``, ... ; ``concrete`` takes the 40 km default transport distance.
    factor_kgco2e : float or None
        Factor [kgCO2e per ``basis``]; ``None`` when not found (evidence X).
    basis : {"t", "m3", "m2"}
        Declared unit of the factor.
    density_t_per_m3 : float or None
        Density [t/m3] for converting volume to mass; ``None`` when no source gives it.
    evidence : Evidence
        Evidence tag of the factor.
    source : str
        Source document of the factor.
    aliases : tuple of str
        Other names a quantity survey uses (e.g. the standard's name, 工程量清单 names).
    density_evidence : Evidence
        Evidence tag of the density.
    """

    code: str
    name_zh: str
    name_en: str
    category: str
    factor_kgco2e: float | None
    basis: FactorBasis
    density_t_per_m3: float | None
    evidence: Evidence
    source: str
    aliases: tuple[str, ...] = ()
    density_evidence: Evidence = Evidence.NOT_FOUND

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-compatible dictionary."""
        return {
            "code": self.code,
            "name_zh": self.name_zh,
            "name_en": self.name_en,
            "category": self.category,
            "factor_kgco2e": self.factor_kgco2e,
            "basis": self.basis,
            "density_t_per_m3": self.density_t_per_m3,
            "evidence": self.evidence.value,
            "source": self.source,
            "aliases": list(self.aliases),
            "density_evidence": self.density_evidence.value,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> MaterialFactor:
        """Inverse of :meth:`to_dict`."""
        return cls(
            code=data["code"],
            name_zh=data["name_zh"],
            name_en=data["name_en"],
            category=data["category"],
            factor_kgco2e=data["factor_kgco2e"],
            basis=data["basis"],
            density_t_per_m3=data["density_t_per_m3"],
            evidence=Evidence(data["evidence"]),
            source=data["source"],
            aliases=tuple(data.get("aliases", ())),
            density_evidence=Evidence(data.get("density_evidence", "X")),
        )


@dataclass(frozen=True, slots=True)
class TransportMode:
    """A transport mode's carbon factor (GB/T 51366-2019 appendix E).

    Parameters
    ----------
    code : str
        Stable id, e.g. ``heavy-diesel-truck-30t``.
    name_zh, name_en : str
        Names.
    factor_kgco2e_per_tkm : float or None
        Factor [kgCO2e/(t·km)]; ``None`` when not found (evidence X).
    evidence : Evidence
        Evidence tag.
    source : str
        Source document.
    aliases : tuple of str
        Other names.
    """

    code: str
    name_zh: str
    name_en: str
    factor_kgco2e_per_tkm: float | None
    evidence: Evidence
    source: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class MachineryFactor:
    """Energy use of one shift (台班) of a construction machine (GB/T 51366-2019 ch. 5, appendix C).

    Parameters
    ----------
    code : str
        Stable id.
    name_zh, name_en : str
        Names.
    carrier : str
        Energy carrier it uses (``diesel``, ``electricity``, ...).
    energy_per_shift : float or None
        Energy per shift [``unit``]; ``None`` when not found (evidence X).
    unit : str
        Unit of ``energy_per_shift``, e.g. ``kg`` of diesel or ``kWh``.
    evidence : Evidence
        Evidence tag.
    source : str
        Source document.
    """

    code: str
    name_zh: str
    name_en: str
    carrier: str
    energy_per_shift: float | None
    unit: str
    evidence: Evidence
    source: str


@dataclass(frozen=True, slots=True)
class FactorTables:
    """The LCA factor tables one calculation uses, with their versions."""

    materials: tuple[MaterialFactor, ...]
    transport_modes: tuple[TransportMode, ...]
    machinery: tuple[MachineryFactor, ...] = ()
    version: str = ""
    """Versions of the tables, e.g. ``lca_materials 2026-12-03; lca_transport 2026-12-03``."""

    def material(self, code: str) -> MaterialFactor:
        """The material with ``code``; ``KeyError`` when there is none."""
        for row in self.materials:
            if row.code == code:
                return row
        raise KeyError(code)

    def transport_mode(self, code: str) -> TransportMode:
        """The transport mode with ``code``; ``KeyError`` when there is none."""
        for row in self.transport_modes:
            if row.code == code:
                return row
        raise KeyError(code)


@dataclass(frozen=True, slots=True)
class BomItem:
    """One line of a bill of materials.

    Parameters
    ----------
    material : str
        Material code (a :class:`MaterialFactor` code) or, for a construction or demolition line, an
        energy carrier of the ``energy_factors`` given to the calculation (e.g. ``diesel``).
    quantity : float
        Quantity [``unit``], finite and zero or more.
    unit : {"t", "kg", "m3", "m2"} or an energy carrier's unit
        Unit of ``quantity``.
    transport_km : float or None
        Transport distance [km]; ``None``: the standard's default (40 km concrete, 500 km others).
    transport_mode : str or None
        Transport mode code; ``None``: the calculation's default mode.
    stage : {"materials", "construction", "demolition"}
        Stage the line belongs to.
    density_t_per_m3 : float or None
        Density [t/m3] overriding the table's, for a volume.
    label : str
        Where the line came from (e.g. ``bom.csv row 3`` or an IFC element), for flags.
    """

    material: str
    quantity: float
    unit: str
    transport_km: float | None = None
    transport_mode: str | None = None
    stage: BomStage = "materials"
    density_t_per_m3: float | None = None
    label: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-compatible dictionary."""
        return {
            "material": self.material,
            "quantity": self.quantity,
            "unit": self.unit,
            "transport_km": self.transport_km,
            "transport_mode": self.transport_mode,
            "stage": self.stage,
            "density_t_per_m3": self.density_t_per_m3,
            "label": self.label,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> BomItem:
        """Inverse of :meth:`to_dict`."""
        return cls(
            material=data["material"],
            quantity=float(data["quantity"]),
            unit=data["unit"],
            transport_km=data.get("transport_km"),
            transport_mode=data.get("transport_mode"),
            stage=data.get("stage", "materials"),
            density_t_per_m3=data.get("density_t_per_m3"),
            label=data.get("label", ""),
        )


@dataclass(frozen=True, slots=True)
class EnergyFactor:
    """Emission factor of an energy carrier for the construction, demolition and operation stages.

    Parameters
    ----------
    carrier : str
        e.g. ``electricity``, ``diesel``, ``natural_gas``.
    factor_kgco2e : float
        Factor [kgCO2e per ``unit``].
    unit : str
        The carrier's unit, e.g. ``kWh``, ``t``.
    evidence : Evidence
        Evidence tag of the factor.
    source : str
        Where it comes from (e.g. the factor library's row id).
    """

    carrier: str
    factor_kgco2e: float
    unit: str
    evidence: Evidence
    source: str


@dataclass(frozen=True, slots=True)
class EnergyUse:
    """Energy used per year (operation) or in total (construction, demolition) of one carrier.

    Parameters
    ----------
    carrier : str
        Energy carrier, a key of the energy factors.
    quantity : float
        Energy [``unit``], finite and zero or more.
    unit : str
        Must equal the factor's unit.
    year : int or None
        Calendar year of a metered value (operation from metered data).
    """

    carrier: str
    quantity: float
    unit: str
    year: int | None = None


@dataclass(frozen=True, slots=True)
class LcaFlag:
    """A data-quality result of the calculation (never only logged).

    ``error`` flags make :func:`carbonpeak.core.lca.gbt51366` refuse to compute unless told
    (``allow_incomplete=True``); ``warning`` and ``info`` flags travel with the result.
    """

    code: str
    level: FlagLevel
    message: str
    materials: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-compatible dictionary."""
        return {
            "code": self.code,
            "level": self.level,
            "message": self.message,
            "materials": list(self.materials),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LcaFlag:
        """Inverse of :meth:`to_dict`."""
        return cls(data["code"], data["level"], data["message"], tuple(data.get("materials", ())))


@dataclass(frozen=True, slots=True)
class StageTotals:
    """Emissions by life-cycle stage [kgCO2e]."""

    materials_kgco2e: float = 0.0
    transport_kgco2e: float = 0.0
    construction_kgco2e: float = 0.0
    operation_kgco2e: float = 0.0
    demolition_kgco2e: float = 0.0

    @property
    def total_kgco2e(self) -> float:
        """Sum of the stages [kgCO2e]."""
        return (
            self.materials_kgco2e
            + self.transport_kgco2e
            + self.construction_kgco2e
            + self.operation_kgco2e
            + self.demolition_kgco2e
        )

    def get(self, stage: str) -> float:
        """The value of one stage by name (``materials``, ``transport``, ...)."""
        value: float = getattr(self, f"{stage}_kgco2e")
        return value

    def to_dict(self) -> dict[str, float]:
        """``{"materials_kgco2e": ..., ...}``."""
        return {f"{s}_kgco2e": self.get(s) for s in STAGES}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> StageTotals:
        """Inverse of :meth:`to_dict`."""
        return cls(**{f"{s}_kgco2e": float(data.get(f"{s}_kgco2e", 0.0)) for s in STAGES})


@dataclass(frozen=True, slots=True)
class MaterialLine:
    """The result for one material (bill-of-materials lines of one material and stage, summed).

    Attributes
    ----------
    material : str
        Material code or energy carrier.
    name_zh : str
        Its Chinese name.
    stage : str
        Bill-of-materials stage.
    quantity : float
        Quantity [``unit``].
    unit : str
        Unit of ``quantity``.
    mass_t : float or None
        Mass [t]; ``None`` when it cannot be converted (no density).
    factor_kgco2e : float or None
        Factor used [kgCO2e per ``factor_unit``]; ``None`` when unknown (X): the line is not counted.
    factor_unit : str
        ``t``, ``m3``, ``m2`` or the carrier's unit.
    factor_evidence : str
        Evidence tag of the factor.
    materials_kgco2e, transport_kgco2e, construction_kgco2e, demolition_kgco2e : float
        Emissions of the line by stage [kgCO2e].
    tkm : float
        Transport work [t·km].
    default_distance : bool
        Whether a line used the standard's default distance.
    counted : bool
        Whether the line's emissions are counted.
    """

    material: str
    name_zh: str
    stage: str
    quantity: float
    unit: str
    mass_t: float | None
    factor_kgco2e: float | None
    factor_unit: str
    factor_evidence: str
    materials_kgco2e: float = 0.0
    transport_kgco2e: float = 0.0
    construction_kgco2e: float = 0.0
    demolition_kgco2e: float = 0.0
    tkm: float = 0.0
    default_distance: bool = False
    counted: bool = True

    @property
    def total_kgco2e(self) -> float:
        """All stages of the line [kgCO2e]."""
        return (
            self.materials_kgco2e + self.transport_kgco2e + self.construction_kgco2e + self.demolition_kgco2e
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-compatible dictionary (with ``total_kgco2e``)."""
        return {
            "material": self.material,
            "name_zh": self.name_zh,
            "stage": self.stage,
            "quantity": self.quantity,
            "unit": self.unit,
            "mass_t": self.mass_t,
            "factor_kgco2e": self.factor_kgco2e,
            "factor_unit": self.factor_unit,
            "factor_evidence": self.factor_evidence,
            "materials_kgco2e": self.materials_kgco2e,
            "transport_kgco2e": self.transport_kgco2e,
            "construction_kgco2e": self.construction_kgco2e,
            "demolition_kgco2e": self.demolition_kgco2e,
            "total_kgco2e": self.total_kgco2e,
            "tkm": self.tkm,
            "default_distance": self.default_distance,
            "counted": self.counted,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> MaterialLine:
        """Inverse of :meth:`to_dict`."""
        fields = {k: v for k, v in data.items() if k != "total_kgco2e"}
        return cls(**fields)


@dataclass(frozen=True, slots=True)
class MassCoverage:
    """The standard's mass rules (GB/T 51366-2019 6.1): the materials counted must cover at least 95 % of
    the mass; a material under 0.1 % of the mass may be left out.

    Attributes
    ----------
    total_mass_t : float
        Mass of every materials line whose mass is known [t].
    counted_mass_t : float
        Mass of the lines counted (known factor) [t].
    share_pct : float or None
        ``counted / total`` [%]; ``None`` when no mass is known.
    meets_95_pct : bool
        Whether ``share_pct`` is at least 95 %.
    omitted : tuple of str
        Materials left out (no factor).
    omitted_over_0_1_pct : tuple of str
        Omitted materials of 0.1 % of the mass or more (the standard does not let them be left out).
    negligible : tuple of str
        Materials under 0.1 % of the mass (may be left out).
    mass_unknown : tuple of str
        Materials whose mass is unknown (no density): the shares are over the known masses only.
    """

    total_mass_t: float
    counted_mass_t: float
    share_pct: float | None
    meets_95_pct: bool
    omitted: tuple[str, ...] = ()
    omitted_over_0_1_pct: tuple[str, ...] = ()
    negligible: tuple[str, ...] = ()
    mass_unknown: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-compatible dictionary."""
        return {
            "total_mass_t": self.total_mass_t,
            "counted_mass_t": self.counted_mass_t,
            "share_pct": self.share_pct,
            "meets_95_pct": self.meets_95_pct,
            "omitted": list(self.omitted),
            "omitted_over_0_1_pct": list(self.omitted_over_0_1_pct),
            "negligible": list(self.negligible),
            "mass_unknown": list(self.mass_unknown),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> MassCoverage:
        """Inverse of :meth:`to_dict`."""
        return cls(
            total_mass_t=data["total_mass_t"],
            counted_mass_t=data["counted_mass_t"],
            share_pct=data["share_pct"],
            meets_95_pct=data["meets_95_pct"],
            omitted=tuple(data.get("omitted", ())),
            omitted_over_0_1_pct=tuple(data.get("omitted_over_0_1_pct", ())),
            negligible=tuple(data.get("negligible", ())),
            mass_unknown=tuple(data.get("mass_unknown", ())),
        )


@dataclass(frozen=True, slots=True)
class OperationResult:
    """Operation-stage emissions C_M (GB/T 51366-2019 eq. 4.1.1).

    Attributes
    ----------
    method : str
        ``energy_model`` or ``metered``.
    annual_kgco2e : float
        ``Σ E_i·EF_i`` per year, before renewables [kgCO2e/a].
    renewables_kgco2e_per_year : float
        ``C_p``, the renewables' reduction per year [kgCO2e/a].
    service_life_years : float
        ``y`` [a].
    total_kgco2e : float
        ``(Σ E_i·EF_i − C_p)·y`` [kgCO2e].
    per_m2_kgco2e : float
        ``C_M`` [kgCO2e/m2].
    years : tuple of int
        Metered years used (empty for an energy model).
    """

    method: str
    annual_kgco2e: float
    renewables_kgco2e_per_year: float
    service_life_years: float
    total_kgco2e: float
    per_m2_kgco2e: float
    years: tuple[int, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-compatible dictionary."""
        return {
            "method": self.method,
            "annual_kgco2e": self.annual_kgco2e,
            "renewables_kgco2e_per_year": self.renewables_kgco2e_per_year,
            "service_life_years": self.service_life_years,
            "total_kgco2e": self.total_kgco2e,
            "per_m2_kgco2e": self.per_m2_kgco2e,
            "years": list(self.years),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> OperationResult:
        """Inverse of :meth:`to_dict`."""
        return cls(**{**data, "years": tuple(data.get("years", ()))})


@dataclass(frozen=True, slots=True)
class LcaResult:
    """Life-cycle carbon of one building (one variant), by stage and by material.

    Attributes
    ----------
    floor_area_m2 : float
        Floor area A [m2].
    service_life_years : float
        Design service life y [a].
    stages : StageTotals
        Emissions by stage [kgCO2e].
    by_material : tuple of MaterialLine
        One line per material and stage, largest first.
    coverage : MassCoverage
        The 95 % / 0.1 % mass check.
    flags : tuple of LcaFlag
        Data-quality results.
    operation : OperationResult or None
        Operation-stage detail when it was computed.
    factor_tables : str
        Versions of the factor tables used.
    method : str
        The published method (``gbt51366``).
    """

    floor_area_m2: float
    service_life_years: float
    stages: StageTotals
    by_material: tuple[MaterialLine, ...]
    coverage: MassCoverage
    flags: tuple[LcaFlag, ...] = ()
    operation: OperationResult | None = None
    factor_tables: str = ""
    method: str = "gbt51366"

    @property
    def total_kgco2e(self) -> float:
        """Sum of every stage [kgCO2e]."""
        return self.stages.total_kgco2e

    @property
    def per_m2_kgco2e(self) -> float:
        """Total per m2 of floor area [kgCO2e/m2]."""
        return self.total_kgco2e / self.floor_area_m2

    def to_dict(self) -> dict[str, Any]:
        """Everything, for storage: the CLI's keys (:meth:`to_cli_dict`) plus floor area, service life,
        flags, operation detail, table versions and method."""
        return {
            "stages": self.stages.to_dict(),
            "total_kgco2e": self.total_kgco2e,
            "per_m2_kgco2e": self.per_m2_kgco2e,
            "by_material": [line.to_dict() for line in self.by_material],
            "coverage_by_mass": self.coverage.to_dict(),
            "floor_area_m2": self.floor_area_m2,
            "service_life_years": self.service_life_years,
            "flags": [f.to_dict() for f in self.flags],
            "operation": self.operation.to_dict() if self.operation else None,
            "factor_tables": self.factor_tables,
            "method": self.method,
        }

    def to_cli_dict(self) -> dict[str, Any]:
        """Exactly the CLI's documented shape: ``stages``, ``total_kgco2e``, ``per_m2_kgco2e``,
        ``by_material`` and ``coverage_by_mass`` (whose object carries the flags and table versions)."""
        coverage = self.coverage.to_dict()
        coverage["flags"] = [f.to_dict() for f in self.flags]
        coverage["factor_tables"] = self.factor_tables
        return {
            "stages": self.stages.to_dict(),
            "total_kgco2e": self.total_kgco2e,
            "per_m2_kgco2e": self.per_m2_kgco2e,
            "by_material": [line.to_dict() for line in self.by_material],
            "coverage_by_mass": coverage,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LcaResult:
        """Inverse of :meth:`to_dict`."""
        operation = data.get("operation")
        return cls(
            floor_area_m2=float(data["floor_area_m2"]),
            service_life_years=float(data["service_life_years"]),
            stages=StageTotals.from_dict(data["stages"]),
            by_material=tuple(MaterialLine.from_dict(m) for m in data["by_material"]),
            coverage=MassCoverage.from_dict(data["coverage_by_mass"]),
            flags=tuple(LcaFlag.from_dict(f) for f in data.get("flags", ())),
            operation=OperationResult.from_dict(operation) if operation else None,
            factor_tables=data.get("factor_tables", ""),
            method=data.get("method", "gbt51366"),
        )


@dataclass(frozen=True, slots=True)
class MaterialDifference:
    """One material's emissions in two variants and the difference ``b − a`` [kgCO2e]."""

    material: str
    name_zh: str
    a_kgco2e: float
    b_kgco2e: float

    @property
    def difference_kgco2e(self) -> float:
        """``b − a`` [kgCO2e]."""
        return self.b_kgco2e - self.a_kgco2e

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-compatible dictionary."""
        return {
            "material": self.material,
            "name_zh": self.name_zh,
            "a_kgco2e": self.a_kgco2e,
            "b_kgco2e": self.b_kgco2e,
            "difference_kgco2e": self.difference_kgco2e,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> MaterialDifference:
        """Inverse of :meth:`to_dict`."""
        return cls(data["material"], data["name_zh"], data["a_kgco2e"], data["b_kgco2e"])


@dataclass(frozen=True, slots=True)
class VariantComparison:
    """Two variants of one project (e.g. prefab against cast-in-place) and their difference ``b − a``."""

    a: LcaResult
    b: LcaResult
    by_material: tuple[MaterialDifference, ...] = field(default=())

    @property
    def stage_difference(self) -> StageTotals:
        """``b − a`` by stage [kgCO2e]."""
        return StageTotals(**{f"{s}_kgco2e": self.b.stages.get(s) - self.a.stages.get(s) for s in STAGES})

    @property
    def total_difference_kgco2e(self) -> float:
        """``b − a`` in total [kgCO2e]."""
        return self.b.total_kgco2e - self.a.total_kgco2e

    @property
    def per_m2_difference_kgco2e(self) -> float:
        """``b − a`` per m2 [kgCO2e/m2]."""
        return self.b.per_m2_kgco2e - self.a.per_m2_kgco2e

    def to_dict(self) -> dict[str, Any]:
        """``{"a", "b", "difference": {"stages", "total_kgco2e", "per_m2_kgco2e", "by_material"}}``."""
        return {
            "a": self.a.to_dict(),
            "b": self.b.to_dict(),
            "difference": {
                "stages": self.stage_difference.to_dict(),
                "total_kgco2e": self.total_difference_kgco2e,
                "per_m2_kgco2e": self.per_m2_difference_kgco2e,
                "by_material": [d.to_dict() for d in self.by_material],
            },
        }

    def to_cli_dict(self) -> dict[str, Any]:
        """As :meth:`to_dict`, with each variant in the CLI's compute shape."""
        out = self.to_dict()
        out["a"], out["b"] = self.a.to_cli_dict(), self.b.to_cli_dict()
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> VariantComparison:
        """Inverse of :meth:`to_dict`."""
        return cls(
            LcaResult.from_dict(data["a"]),
            LcaResult.from_dict(data["b"]),
            tuple(MaterialDifference.from_dict(d) for d in data["difference"]["by_material"]),
        )
