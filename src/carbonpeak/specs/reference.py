"""Schemas of the packaged reference tables (``src/carbonpeak/data``) and their manifest.

Every row of every table carries its unit, source document, validity period and evidence tag. A value
tagged ``X`` (not found) must be empty; any other tag requires a value. Rows are validated one by one so
that an error names the row and field it is in.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from carbonpeak.core.credits.methodology import Methodology, ReferenceStatus
from carbonpeak.core.errors import UnitError
from carbonpeak.core.factors import (
    CoalBasis,
    CoalCoefficient,
    FuelProperties,
    Provenance,
    Region,
    SecondaryEnergyFactor,
    Validity,
)
from carbonpeak.core.flags import Evidence
from carbonpeak.core.units import dimension_name, parse_unit
from carbonpeak.specs.flex import DrBaselineRuleRow, DrSettlementRuleRow, TouTariffRow

_ID = r"^[a-z0-9][a-z0-9_.-]*$"
_PUBLISHED = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
Year = Annotated[int, Field(ge=1990, le=2100)]


def _blank_to_none(value: Any) -> Any:
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _check_unit(value: str, *, numerator: str | None = None) -> str:
    try:
        parse_unit(value)
    except UnitError as exc:
        raise ValueError(str(exc)) from None
    if numerator is not None:
        head = value.split("/", 1)[0]
        if "/" not in value or dimension_name(head) != numerator:
            raise ValueError(f"'{value}' must be {numerator} per unit of carrier")
    return value


class _Row(BaseModel):
    """Columns every reference row has: source, document number, publication date, evidence, note."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)

    source: str = Field(min_length=1, description="Title of the source document")
    document_no: str = ""
    published: str = ""
    evidence: Evidence
    note: str = ""

    @field_validator("published")
    @classmethod
    def _published_format(cls, value: str) -> str:
        if value and not _PUBLISHED.match(value):
            raise ValueError("must be YYYY, YYYY-MM or YYYY-MM-DD")
        return value

    def provenance(self) -> Provenance:
        """Return the row's source and evidence as a core :class:`Provenance`."""
        return Provenance(self.source, self.document_no, self.published, self.evidence, self.note)


class _ValuedRow(_Row):
    """A row with an optional value whose presence must agree with its evidence tag."""

    value: float | None = None
    year_from: Year | None = None
    year_to: Year | None = None
    superseded_by: str = ""

    _blank = field_validator("value", "year_from", "year_to", mode="before")(_blank_to_none)

    @model_validator(mode="after")
    def _value_matches_evidence(self) -> _ValuedRow:
        if self.evidence is Evidence.NOT_FOUND and self.value is not None:
            raise ValueError("value: evidence X (not found) requires an empty value; never invent a number")
        if self.evidence is not Evidence.NOT_FOUND and self.value is None:
            raise ValueError("value: is empty; an unknown value must be tagged evidence X")
        if self.value is not None and self.value <= 0:
            raise ValueError("value: must be positive")
        if self.year_from is not None and self.year_to is not None and self.year_from > self.year_to:
            raise ValueError("year_to: is before year_from")
        return self

    def validity(self) -> Validity:
        """Return the validity period as a core :class:`Validity`."""
        return Validity(self.year_from, self.year_to)


class SecondaryEnergyFactorRow(_ValuedRow):
    """Schema of ``factors/electricity.csv`` and ``factors/heat.csv``."""

    factor_id: str = Field(pattern=_ID)
    carrier: Literal["electricity", "heat"]
    series: str = Field(pattern=_ID)
    region: str = Field(min_length=2)
    unit: str

    @field_validator("unit")
    @classmethod
    def _unit(cls, value: str) -> str:
        return _check_unit(value, numerator="CO2 mass")

    def to_record(self) -> SecondaryEnergyFactor:
        """Return the core record."""
        return SecondaryEnergyFactor(
            self.factor_id,
            self.carrier,
            self.series,
            self.region,
            self.validity(),
            self.value,
            self.unit,
            self.superseded_by,
            self.provenance(),
        )


class FuelPropertiesRow(_Row):
    """Schema of ``factors/fuels.csv``: the inputs of EF = NCV x carbon content x oxidation x 44/12."""

    factor_id: str = Field(pattern=_ID)
    carrier: str = Field(pattern=_ID)
    guideline: str = Field(pattern=_ID)
    region: str = Field(min_length=2)
    year_from: Year | None = None
    year_to: Year | None = None
    ncv: float = Field(gt=0)
    ncv_unit: str
    carbon_content_tc_per_tj: float = Field(gt=0, lt=40)
    oxidation_rate: float = Field(gt=0, le=1)
    published_ef: float | None = Field(default=None, gt=0)
    published_ef_unit: str = ""
    superseded_by: str = ""

    _blank = field_validator("year_from", "year_to", "published_ef", mode="before")(_blank_to_none)

    @field_validator("ncv_unit")
    @classmethod
    def _ncv_unit(cls, value: str) -> str:
        return _check_unit(value, numerator="energy")

    @field_validator("published_ef_unit")
    @classmethod
    def _ef_unit(cls, value: str) -> str:
        return _check_unit(value, numerator="CO2 mass") if value else value

    @model_validator(mode="after")
    def _published_pair(self) -> FuelPropertiesRow:
        if (self.published_ef is None) != (not self.published_ef_unit):
            raise ValueError("published_ef_unit: give the published factor and its unit together")
        if self.year_from is not None and self.year_to is not None and self.year_from > self.year_to:
            raise ValueError("year_to: is before year_from")
        return self

    def to_record(self) -> FuelProperties:
        """Return the core record."""
        return FuelProperties(
            self.factor_id,
            self.carrier,
            self.guideline,
            self.region,
            Validity(self.year_from, self.year_to),
            self.ncv,
            self.ncv_unit,
            self.carbon_content_tc_per_tj,
            self.oxidation_rate,
            self.published_ef,
            self.published_ef_unit,
            self.superseded_by,
            self.provenance(),
        )


class CoalCoefficientRow(_ValuedRow):
    """Schema of ``factors/coal_coefficients.csv`` (GB/T 2589 折标系数)."""

    factor_id: str = Field(pattern=_ID)
    carrier: str = Field(pattern=_ID)
    basis: CoalBasis
    unit: str

    @field_validator("unit")
    @classmethod
    def _unit(cls, value: str) -> str:
        return _check_unit(value, numerator="energy")

    def to_record(self) -> CoalCoefficient:
        """Return the core record."""
        return CoalCoefficient(
            self.factor_id,
            self.carrier,
            self.basis,
            self.validity(),
            self.value,
            self.unit,
            self.superseded_by,
            self.provenance(),
        )


class RegionRow(_Row):
    """Schema of ``regions.csv``: region codes used by factor tables, with their parent region."""

    code: str = Field(min_length=2)
    name_zh: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    parent: str = ""

    def to_record(self) -> Region:
        """Return the core record."""
        return Region(self.code, self.name_zh, self.name_en, self.parent)


PRIMARY_USES = (
    "government_office",
    "commercial_office",
    "hotel",
    "shopping_mall",
    "supermarket",
    "hospital",
    "school_university",
    "data_centre",
    "industrial",
    "residential",
    "other",
)
"""Primary uses of buildings (the building registry's vocabulary)."""


class BuildingQuotaRow(_Row):
    """Schema of ``quotas/building_quotas.csv``: energy quotas (能耗限额) by standard and category."""

    quota_id: str = Field(pattern=_ID)
    standard: str = Field(min_length=1)
    category: str = Field(min_length=1)
    primary_use: str = ""
    constraint: float | None = Field(default=None, gt=0)
    benchmark: float | None = Field(default=None, gt=0)
    guide: float | None = Field(default=None, gt=0)
    unit: str
    electricity_basis: Literal["", "calorific_equivalent", "equal_value"] = ""
    electricity_kgce_per_kwh: float | None = Field(default=None, gt=0, lt=1)
    correction: Literal["", "gbt51161_operating_hours", "not_transcribed"] = Field(
        default="",
        description="Correction of the measured value: a method in carbonpeak.core.buildings.metrics."
        "QUOTA_CORRECTIONS, or not_transcribed when the standard's factors are not in the reference data",
    )

    _blank = field_validator("constraint", "benchmark", "guide", "electricity_kgce_per_kwh", mode="before")(
        _blank_to_none
    )

    @field_validator("unit")
    @classmethod
    def _unit(cls, value: str) -> str:
        return _check_unit(value)

    @field_validator("primary_use")
    @classmethod
    def _use(cls, value: str) -> str:
        if value and value not in PRIMARY_USES:
            raise ValueError(f"'{value}' is not a primary use ({', '.join(PRIMARY_USES)})")
        return value

    @model_validator(mode="after")
    def _values_match_evidence(self) -> BuildingQuotaRow:
        values = (self.constraint, self.benchmark, self.guide)
        if self.evidence is Evidence.NOT_FOUND and any(v is not None for v in values):
            raise ValueError(
                "constraint: evidence X (not found) requires empty values; never invent a number"
            )
        if self.evidence is not Evidence.NOT_FOUND and self.constraint is None:
            raise ValueError("constraint: is empty; an unknown quota must be tagged evidence X")
        if self.guide is not None and self.constraint is not None and self.guide > self.constraint:
            raise ValueError("guide: is above the constraint value")
        needs_coefficient = (
            self.unit.startswith("kgce") and self.constraint is not None and not self.correction
        )
        if needs_coefficient and self.electricity_kgce_per_kwh is None:
            raise ValueError(
                "electricity_kgce_per_kwh: a kgce quota needs the standard's electricity coefficient"
            )
        return self

    def to_record(self) -> BuildingQuotaRow:
        """Quotas have no core record type of their own yet: the validated row is the record."""
        return self


class WasteParameterRow(_ValuedRow):
    """Schema of ``factors/waste_parameters.csv``: parameters of the waste emission methods
    (:mod:`carbonpeak.core.waste.emissions`). An empty value (evidence X) makes the emission unknown."""

    param_id: str = Field(pattern=_ID)
    method: Literal["landfill_ch4_mass_balance", "incineration_fossil_co2"]
    parameter: Literal[
        "mcf",
        "doc",
        "doc_f",
        "f",
        "recovery_fraction",
        "ox",
        "gwp_ch4",
        "carbon_content",
        "fossil_carbon_fraction",
        "combustion_efficiency",
    ]
    stream: Literal["", "recyclable", "wet", "dry", "hazardous"] = ""
    unit: str = Field(min_length=1)

    def to_record(self) -> WasteParameterRow:
        """The waste app reads the stored rows: the validated row is the record."""
        return self


# --- building life-cycle carbon (GB/T 51366-2019), issue 20 -------------------------------------------

LCA_MATERIAL_UNITS = ("kgCO2e/t", "kgCO2e/m3", "kgCO2e/m2")
"""Declared units of the material factors (GB/T 51366-2019 appendix D)."""


def _aliases(value: str) -> str:
    names = [n.strip() for n in value.split(";")]
    if any(not n for n in names if value):
        raise ValueError("has an empty name: separate names with one ';'")
    return value


class LcaMaterialRow(_ValuedRow):
    """Schema of ``lca/materials.csv``: building-material production factors (GB/T 51366-2019 appendix D)."""

    material_id: str = Field(pattern=_ID)
    name_zh: str = Field(min_length=1, description="The standard's Chinese name, e.g. C30混凝土")
    name_en: str = Field(min_length=1)
    category: str = Field(pattern=_ID, description="concrete takes the 40 km default transport distance")
    unit: Literal["kgCO2e/t", "kgCO2e/m3", "kgCO2e/m2"]
    aliases: str = Field(default="", description="Other names, separated by ';'")

    _alias_check = field_validator("aliases")(_aliases)

    def to_record(self) -> LcaMaterialRow:
        """The validated row is the record (io.lca joins densities and builds the core records)."""
        return self


class LcaDensityRow(_ValuedRow):
    """Schema of ``lca/densities.csv``: densities for converting a material's volume to its mass."""

    material_id: str = Field(pattern=_ID)
    unit: Literal["t/m3"]

    def to_record(self) -> LcaDensityRow:
        """The validated row is the record."""
        return self


class LcaTransportRow(_ValuedRow):
    """Schema of ``lca/transport.csv``: transport-mode factors (GB/T 51366-2019 appendix E)."""

    mode_id: str = Field(pattern=_ID)
    name_zh: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    unit: Literal["kgCO2e/(t·km)"]
    aliases: str = ""

    _alias_check = field_validator("aliases")(_aliases)

    def to_record(self) -> LcaTransportRow:
        """The validated row is the record."""
        return self


class LcaMachineryRow(_ValuedRow):
    """Schema of ``lca/machinery.csv``: energy per shift (台班) of construction machinery (GB/T 51366-2019
    appendix C)."""

    machine_id: str = Field(pattern=_ID)
    name_zh: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    carrier: Literal["diesel", "gasoline", "electricity"]
    unit: Literal["kg/shift", "kWh/shift"]

    def to_record(self) -> LcaMachineryRow:
        """The validated row is the record."""
        return self


LCA_KINDS = ("lca_materials", "lca_densities", "lca_transport", "lca_machinery")
"""Table kinds of the life-cycle carbon factor tables (optional in a manifest, at most one each)."""

CREDIT_ACTIVITY_UNITS = ("pkm", "trip", "kWh", "kg", "item")
"""Units a carbon-credit methodology may measure its activity in (passenger-km, trips, kWh, kg, items)."""


class CreditMethodologyRow(_Row):
    """Schema of ``credits/methodologies.csv``: citizens' carbon-credit (碳普惠) methodologies.

    ER = (EF_baseline - EF_project) x activity, factors in kgCO2e per activity unit. Evidence X requires
    both factors empty; ``published`` (usable without the office's approval) requires evidence V.
    """

    code: str = Field(pattern=_ID)
    behaviour: str = Field(pattern=_ID)
    title_zh: str = Field(min_length=1)
    title_en: str = Field(min_length=1)
    formula: Literal["baseline_minus_project"]
    activity_unit: Literal["pkm", "trip", "kWh", "kg", "item"]
    ef_baseline_kgco2e_per_unit: float | None = Field(default=None, ge=0, lt=1000)
    ef_project_kgco2e_per_unit: float | None = Field(default=None, ge=0, lt=1000)
    status: Literal["published", "unconfirmed"]
    valid_from: date | None = None
    valid_to: date | None = None

    _blank = field_validator(
        "ef_baseline_kgco2e_per_unit", "ef_project_kgco2e_per_unit", "valid_from", "valid_to", mode="before"
    )(_blank_to_none)

    @model_validator(mode="after")
    def _factors_match_evidence(self) -> CreditMethodologyRow:
        factors = (self.ef_baseline_kgco2e_per_unit, self.ef_project_kgco2e_per_unit)
        if self.evidence is Evidence.NOT_FOUND and any(f is not None for f in factors):
            raise ValueError(
                "ef_baseline_kgco2e_per_unit: evidence X (not found) requires empty factors; "
                "never invent a number"
            )
        if self.evidence is not Evidence.NOT_FOUND and any(f is None for f in factors):
            raise ValueError(
                "ef_baseline_kgco2e_per_unit: a factor is empty; an unknown factor must be tagged evidence X"
            )
        if self.status == "published" and self.evidence is not Evidence.VERIFIED:
            raise ValueError("status: only evidence V factors may be 'published'; use 'unconfirmed'")
        baseline, project = factors
        if baseline is not None and project is not None and project > baseline:
            raise ValueError("ef_project_kgco2e_per_unit: is above the baseline factor")
        if self.valid_from and self.valid_to and self.valid_from > self.valid_to:
            raise ValueError("valid_to: is before valid_from")
        return self

    def to_record(self) -> Methodology:
        """Return the core record (its ``version`` is the table's, set by the reader)."""
        return Methodology(
            code=self.code,
            version="",
            behaviour=self.behaviour,
            formula=self.formula,
            activity_unit=self.activity_unit,
            ef_baseline_kgco2e_per_unit=self.ef_baseline_kgco2e_per_unit,
            ef_project_kgco2e_per_unit=self.ef_project_kgco2e_per_unit,
            evidence=self.evidence,
            reference_status=ReferenceStatus(self.status),
            valid_from=self.valid_from,
            valid_to=self.valid_to,
            source=self.source,
            document_no=self.document_no,
            title_zh=self.title_zh,
            title_en=self.title_en,
        )


class ParkServiceRadiusRow(_Row):
    """Schema of ``spatial/park_service_radii.csv``: service radius by park size (GB/T 50563)."""

    band_id: str = Field(pattern=_ID)
    min_area_m2: float = Field(ge=0)
    max_area_m2: float | None = Field(default=None, gt=0)
    radius_m: float | None = Field(default=None, gt=0)

    _blank = field_validator("max_area_m2", "radius_m", mode="before")(_blank_to_none)

    @model_validator(mode="after")
    def _radius_matches_evidence(self) -> ParkServiceRadiusRow:
        if self.evidence is Evidence.NOT_FOUND and self.radius_m is not None:
            raise ValueError("radius_m: evidence X (not found) requires an empty value")
        if self.evidence is not Evidence.NOT_FOUND and self.radius_m is None:
            raise ValueError("radius_m: is empty; an unknown radius must be tagged evidence X")
        if self.max_area_m2 is not None and self.max_area_m2 <= self.min_area_m2:
            raise ValueError("max_area_m2: must be above min_area_m2")
        return self

    def to_record(self) -> ParkServiceRadiusRow:
        """The validated row is the record (the web layer builds the core radius table from it)."""
        return self


class SinkRateRow(_Row):
    """Schema of ``spatial/sink_rates.csv``: annual sequestration per hectare by vegetation type."""

    vegetation: str = Field(pattern=_ID)
    name_zh: str = Field(min_length=1)
    value: float | None = None
    unit: str
    region: str = ""

    _blank = field_validator("value", mode="before")(_blank_to_none)

    @field_validator("unit")
    @classmethod
    def _unit(cls, value: str) -> str:
        if value != "tCO2/ha/a":
            raise ValueError(f"'{value}' must be tCO2/ha/a")
        return value

    @model_validator(mode="after")
    def _value_matches_evidence(self) -> SinkRateRow:
        if self.evidence is Evidence.NOT_FOUND and self.value is not None:
            raise ValueError("value: evidence X (not found) requires an empty value; never invent a number")
        if self.evidence is not Evidence.NOT_FOUND and self.value is None:
            raise ValueError("value: is empty; an unknown rate must be tagged evidence X")
        if self.value is not None and self.value <= 0:
            raise ValueError("value: must be positive")
        return self

    def to_record(self) -> SinkRateRow:
        """The validated row is the record (the web layer builds core sink rates from it)."""
        return self


TableKind = Literal[
    "electricity",
    "heat",
    "fuels",
    "coal_coefficients",
    "regions",
    "building_quotas",
    "waste_parameters",
    "credit_methodologies",
    "park_service_radii",
    "sink_rates",
    "dr_baseline_rules",  # flex (issue 21)
    "dr_settlement_rules",
    "tou_tariffs",
    "lca_materials",
    "lca_densities",
    "lca_transport",
    "lca_machinery",
]

ROW_SCHEMAS: dict[str, type[BaseModel]] = {
    "electricity": SecondaryEnergyFactorRow,
    "heat": SecondaryEnergyFactorRow,
    "fuels": FuelPropertiesRow,
    "coal_coefficients": CoalCoefficientRow,
    "regions": RegionRow,
    "building_quotas": BuildingQuotaRow,
    "waste_parameters": WasteParameterRow,
    "credit_methodologies": CreditMethodologyRow,
    "park_service_radii": ParkServiceRadiusRow,
    "sink_rates": SinkRateRow,
    "dr_baseline_rules": DrBaselineRuleRow,  # flex (issue 21)
    "dr_settlement_rules": DrSettlementRuleRow,
    "tou_tariffs": TouTariffRow,
    "lca_materials": LcaMaterialRow,
    "lca_densities": LcaDensityRow,
    "lca_transport": LcaTransportRow,
    "lca_machinery": LcaMachineryRow,
}
"""Row schema for each table kind."""

KEY_COLUMNS: dict[str, tuple[str, ...]] = {
    "electricity": ("factor_id",),
    "heat": ("factor_id",),
    "fuels": ("factor_id",),
    "coal_coefficients": ("factor_id",),
    "regions": ("code",),
    "building_quotas": ("quota_id",),
    "waste_parameters": ("param_id",),
    "credit_methodologies": ("code",),
    "park_service_radii": ("band_id",),
    "sink_rates": ("vegetation",),
    "dr_baseline_rules": ("rule_id",),  # flex (issue 21)
    "dr_settlement_rules": ("rule_id",),
    "tou_tariffs": ("period_id",),
    "lca_materials": ("material_id",),
    "lca_densities": ("material_id",),
    "lca_transport": ("mode_id",),
    "lca_machinery": ("machine_id",),
}

FACTOR_KINDS = ("electricity", "heat", "fuels", "coal_coefficients", "regions")
"""Table kinds the factor library is built from; each must appear exactly once."""
"""Primary-key columns for each table kind."""


class TableEntry(BaseModel):
    """One table in the manifest."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=_ID)
    kind: TableKind
    file: str = Field(pattern=r"^[\w./-]+\.csv$")
    version: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}(\.\d+)?$", description="Date-based version")
    title_zh: str = Field(min_length=1)
    title_en: str = Field(min_length=1)


class Defaults(BaseModel):
    """Default series used when a lookup names none."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    electricity: str
    heat: str
    fuel: str
    standard_coal: str
    region: str | None = None
    """Region the packaged series belong to, used by file-only commands (``inventory compute``) when no
    ``--region`` is given; the platform itself takes the region from the current plan."""


class Manifest(BaseModel):
    """Schema of ``data/manifest.yaml``: the list of reference tables and the default series."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    library: str
    defaults: Defaults
    tables: list[TableEntry] = Field(min_length=1)

    @model_validator(mode="after")
    def _one_table_per_kind(self) -> Manifest:
        kinds: list[str] = [t.kind for t in self.tables]
        for kind in ROW_SCHEMAS:
            if kinds.count(kind) != 1 and (kind in FACTOR_KINDS or kinds.count(kind) > 1):
                raise ValueError(
                    f"tables: need exactly one table of kind '{kind}', found {kinds.count(kind)}"
                )
        names = [t.name for t in self.tables]
        if len(set(names)) != len(names):
            raise ValueError("tables: table names must be unique")
        return self
