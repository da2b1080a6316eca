"""Reference factors: emission factors and standard-coal coefficients, and the lookup that picks one.

The library holds three kinds of rows:

* **secondary-energy emission factors** (electricity, heat) by series, region and year, e.g. Shanghai's
  default 4.2 tCO2/10^4 kWh or the MEE/NBS grid averages;
* **fuel properties**, from which the emission factor is *computed* as NCV x carbon content x oxidation
  rate x 44/12 (IPCC 2006 Vol. 2 eq. 1.1, as adopted by the provincial inventory guideline);
* **standard-coal coefficients** (GB/T 2589) on the calorific-equivalent (当量值) and equal-value (等价值)
  bases.

This module is pure: it never reads files. :mod:`carbonpeak.io.reference` reads the packaged CSV tables,
validates them against :mod:`carbonpeak.specs.reference` and builds a :class:`FactorLibrary`.

References
----------
.. [1] 沪环气〔2022〕34号, 上海市生态环境局, 2022-02-11: purchased electricity 4.2 tCO2/10^4 kWh,
   purchased heat 0.06 tCO2/GJ.
.. [2] IPCC 2006 Guidelines for National GHG Inventories, Vol. 2, ch. 1, eq. 1.1.
.. [3] GB/T 2589-2020 综合能耗计算通则, appendix A (standard-coal coefficients).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from carbonpeak.core.errors import FactorLookupError, FactorValueUnknownError, UnitError
from carbonpeak.core.flags import DataIssue, Evidence
from carbonpeak.core.units import CO2_PER_CARBON, convert, quantity


class FactorKind(StrEnum):
    """What a looked-up factor converts a quantity of energy carrier into."""

    EMISSION = "emission"
    """tCO2 per physical unit of the carrier."""
    STANDARD_COAL = "standard_coal"
    """kgce per physical unit of the carrier (折标系数)."""


class CoalBasis(StrEnum):
    """Basis of a standard-coal coefficient (GB/T 2589-2020, clause 3)."""

    CALORIFIC_EQUIVALENT = "calorific_equivalent"
    """当量值: the carrier's own heat content."""
    EQUAL_VALUE = "equal_value"
    """等价值: primary energy used to supply one unit (for electricity, the year's coal rate)."""
    BOTH = "both"
    """A primary fuel, for which the two bases coincide."""


SECONDARY_CARRIERS: frozenset[str] = frozenset({"electricity", "heat"})
"""Carriers whose emission factor is a direct factor by series (not computed from fuel properties)."""


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a reference number comes from.

    Parameters
    ----------
    source : str
        Title of the source document.
    document_no : str
        Document number (文号) or standard number; empty when it has none.
    published : str
        Publication date (ISO ``YYYY-MM-DD`` or ``YYYY``); empty when unknown.
    evidence : Evidence
        Evidence tag, see :class:`carbonpeak.core.flags.Evidence`.
    note : str
        Free text: caveats, field-level evidence, the range a value was picked from.
    """

    source: str
    document_no: str
    published: str
    evidence: Evidence
    note: str = ""


@dataclass(frozen=True, slots=True)
class Validity:
    """Inclusive range of accounting years a row applies to; ``None`` leaves that end open."""

    year_from: int | None
    year_to: int | None

    def contains(self, year: int) -> bool:
        """Return whether ``year`` [a] falls inside the range."""
        return (self.year_from is None or year >= self.year_from) and (
            self.year_to is None or year <= self.year_to
        )

    def overlaps(self, other: Validity) -> bool:
        """Return whether two ranges share at least one year."""
        low = max(self.year_from or -(10**9), other.year_from or -(10**9))
        high = min(self.year_to or 10**9, other.year_to or 10**9)
        return low <= high

    def __str__(self) -> str:
        start = str(self.year_from) if self.year_from is not None else "…"
        end = str(self.year_to) if self.year_to is not None else "…"
        return f"{start}–{end}"


@dataclass(frozen=True, slots=True)
class SecondaryEnergyFactor:
    """Emission factor of purchased electricity or heat.

    Parameters
    ----------
    factor_id : str
        Stable key of the row.
    carrier : str
        ``electricity`` or ``heat``.
    series : str
        Factor series, e.g. ``shanghai`` or ``mee_nbs_average``.
    region : str
        Region code, e.g. ``CN``, ``CN-EAST``, ``CN-ZJ``.
    validity : Validity
        Accounting years the factor applies to.
    value : float or None
        Factor in ``unit``; ``None`` when unknown (evidence ``X``).
    unit : str
        Unit, e.g. ``tCO2/MWh`` or ``kgCO2/kWh``.
    superseded_by : str
        ``factor_id`` of the row that replaced this one; empty while in force.
    provenance : Provenance
        Source and evidence.
    """

    factor_id: str
    carrier: str
    series: str
    region: str
    validity: Validity
    value: float | None
    unit: str
    superseded_by: str
    provenance: Provenance


@dataclass(frozen=True, slots=True)
class FuelProperties:
    """Properties of a fuel from which its CO2 emission factor is computed.

    Parameters
    ----------
    factor_id : str
        Stable key of the row.
    carrier : str
        Fuel code, e.g. ``natural_gas``, ``diesel``.
    guideline : str
        Series: the accounting guideline the defaults come from, e.g. ``provincial_guideline``.
    region : str
        Region code the defaults apply to (``CN`` for national guidelines).
    validity : Validity
        Accounting years.
    ncv : float
        Net calorific value [``ncv_unit``], e.g. 43.070 GJ/t.
    ncv_unit : str
        Energy per physical unit of fuel, e.g. ``GJ/t`` or ``GJ/万Nm3``.
    carbon_content_tc_per_tj : float
        Carbon content per unit of energy [tC/TJ].
    oxidation_rate : float
        Fraction of carbon oxidised [-], between 0 and 1.
    published_ef : float or None
        The emission factor as printed by the source [``published_ef_unit``], used as a cross-check.
    published_ef_unit : str
        Unit of ``published_ef``.
    superseded_by : str
        ``factor_id`` of the replacing row; empty while in force.
    provenance : Provenance
        Source and evidence.
    """

    factor_id: str
    carrier: str
    guideline: str
    region: str
    validity: Validity
    ncv: float
    ncv_unit: str
    carbon_content_tc_per_tj: float
    oxidation_rate: float
    published_ef: float | None
    published_ef_unit: str
    superseded_by: str
    provenance: Provenance

    @property
    def physical_unit(self) -> str:
        """Physical unit of fuel the NCV is expressed per, e.g. ``t`` for ``GJ/t``."""
        return self.ncv_unit.split("/", 1)[1].strip()

    def emission_factor(self) -> tuple[float, str]:
        """Compute the CO2 emission factor of the fuel.

        Returns
        -------
        tuple of (float, str)
            The factor and its unit, ``tCO2/<physical unit>``.

        Notes
        -----
        .. math:: EF = NCV \\times CC \\times OF \\times 44/12

        with NCV converted to TJ per physical unit.

        References
        ----------
        .. [1] IPCC 2006 Guidelines, Vol. 2, ch. 1, eq. 1.1; 省级温室气体清单编制指南（试行）, 2011, ch. 1.
        """
        unit = self.physical_unit
        ncv_tj = convert(self.ncv, self.ncv_unit, f"TJ/{unit}")
        value = ncv_tj * self.carbon_content_tc_per_tj * self.oxidation_rate * CO2_PER_CARBON
        return value, f"tCO2/{unit}"


@dataclass(frozen=True, slots=True)
class CoalCoefficient:
    """Standard-coal coefficient (折标系数) of a carrier.

    Parameters
    ----------
    factor_id : str
        Stable key of the row.
    carrier : str
        Carrier code.
    basis : CoalBasis
        Calorific-equivalent, equal-value, or both (primary fuels).
    validity : Validity
        Accounting years.
    value : float or None
        Coefficient [``unit``]; ``None`` when unknown (evidence ``X``).
    unit : str
        e.g. ``kgce/kg``, ``kgce/m3``, ``kgce/kWh``, ``kgce/MJ``.
    superseded_by : str
        ``factor_id`` of the replacing row; empty while in force.
    provenance : Provenance
        Source and evidence.
    """

    factor_id: str
    carrier: str
    basis: CoalBasis
    validity: Validity
    value: float | None
    unit: str
    superseded_by: str
    provenance: Provenance


@dataclass(frozen=True, slots=True)
class Region:
    """A region code and its parent (a province sits in a regional grid, which sits in the country)."""

    code: str
    name_zh: str
    name_en: str
    parent: str


@dataclass(frozen=True, slots=True)
class Factor:
    """A factor picked by :meth:`FactorLibrary.get_factor`, with everything needed to trace it.

    Parameters
    ----------
    kind : FactorKind
        Emission factor or standard-coal coefficient.
    carrier : str
        Carrier code.
    value : float
        The factor [``unit``].
    unit : str
        Its unit, e.g. ``tCO2/MWh``.
    factor_id : str
        Key of the row used.
    table : str
        Name of the reference table the row comes from.
    table_version : str
        Version of that table.
    series : str
        Series, guideline or basis the row belongs to.
    region : str
        Region of the row used.
    requested_region : str
        Region that was asked for; differs from ``region`` when a parent region's row was used.
    validity : Validity
        Years the row applies to.
    provenance : Provenance
        Source and evidence.
    components : Mapping[str, float]
        For computed factors, the inputs (``ncv``, ``carbon_content_tc_per_tj``, ``oxidation_rate``).
    """

    kind: FactorKind
    carrier: str
    value: float
    unit: str
    factor_id: str
    table: str
    table_version: str
    series: str
    region: str
    requested_region: str
    validity: Validity
    provenance: Provenance
    components: Mapping[str, float] = field(default_factory=dict)

    @property
    def region_fallback(self) -> bool:
        """Whether a parent region's row stood in for the requested region (a quality flag)."""
        return self.region != self.requested_region

    def quantity(self) -> Any:
        """Return the factor as a pint quantity in the platform's registry."""
        return quantity(self.value, self.unit)


@dataclass(frozen=True, slots=True)
class TableInfo:
    """Name, version and kind of one reference table."""

    name: str
    version: str
    kind: str


@dataclass(frozen=True)
class FactorLibrary:
    """All reference factors, with the defaults a district uses when no series is named.

    Parameters
    ----------
    electricity, heat : tuple of SecondaryEnergyFactor
        Purchased-energy emission factors.
    fuels : tuple of FuelProperties
        Fuel properties.
    coal_coefficients : tuple of CoalCoefficient
        Standard-coal coefficients.
    regions : tuple of Region
        Region codes with their parents, used for fallback from a province to its grid and country.
    tables : Mapping[str, TableInfo]
        Keyed by kind (``electricity``, ``heat``, ``fuels``, ``coal_coefficients``, ``regions``).
    defaults : Mapping[str, str]
        Default series per carrier group: keys ``electricity``, ``heat``, ``fuel``, ``standard_coal``.
    """

    electricity: tuple[SecondaryEnergyFactor, ...]
    heat: tuple[SecondaryEnergyFactor, ...]
    fuels: tuple[FuelProperties, ...]
    coal_coefficients: tuple[CoalCoefficient, ...]
    regions: tuple[Region, ...]
    tables: Mapping[str, TableInfo]
    defaults: Mapping[str, str]

    # -- lookup -------------------------------------------------------------------------------------

    def region_chain(self, region: str) -> list[str]:
        """Return ``region`` followed by its ancestors, e.g. ``["CN-ZJ", "CN-EAST", "CN"]``.

        Raises
        ------
        FactorLookupError
            If the region code is not in the region table.
        """
        parents = {r.code: r.parent for r in self.regions}
        if region not in parents:
            known = ", ".join(sorted(parents))
            raise FactorLookupError(f"unknown region '{region}'; known regions: {known}")
        chain = [region]
        while parents.get(chain[-1]):
            chain.append(parents[chain[-1]])
        return chain

    def series_for(self, kind: FactorKind | str, carrier: str) -> list[str]:
        """Return the series (or bases) available for a kind and carrier, sorted."""
        kind = FactorKind(kind)
        if kind is FactorKind.STANDARD_COAL:
            return sorted({c.basis.value for c in self.coal_coefficients if c.carrier == carrier})
        if carrier in SECONDARY_CARRIERS:
            rows = self.electricity if carrier == "electricity" else self.heat
            return sorted({r.series for r in rows})
        return sorted({f.guideline for f in self.fuels if f.carrier == carrier})

    def get_factor(
        self,
        kind: FactorKind | str,
        carrier: str,
        region: str,
        year: int,
        *,
        series: str | None = None,
    ) -> Factor:
        """Pick the factor valid for a carrier, region and accounting year.

        Parameters
        ----------
        kind : {'emission', 'standard_coal'}
            ``emission`` gives tCO2 per physical unit; ``standard_coal`` gives kgce per physical unit.
        carrier : str
            Carrier code, e.g. ``electricity``, ``heat``, ``natural_gas``, ``diesel``.
        region : str
            Region code, e.g. ``CN-ZJ``. When the region has no row, its parent regions are tried in
            turn (``CN-ZJ`` -> ``CN-EAST`` -> ``CN``); the result's ``region_fallback`` says so.
        year : int
            Accounting year [a].
        series : str, optional
            For electricity and heat, the factor series (e.g. ``shanghai``, ``mee_nbs_average``); for
            fuels, the guideline; for ``standard_coal``, the basis (``calorific_equivalent`` or
            ``equal_value``). Defaults to the library's configured default.

        Returns
        -------
        Factor
            The row's value, unit and provenance.

        Raises
        ------
        FactorLookupError
            If no row is valid, naming what was asked and which series exist.
        FactorValueUnknownError
            If the valid row has no value (evidence ``X``).

        References
        ----------
        .. [1] 沪环气〔2022〕34号 (Shanghai default electricity and heat factors).
        .. [2] GB/T 2589-2020, appendix A.
        """
        try:
            kind = FactorKind(kind)
        except ValueError:
            options = ", ".join(k.value for k in FactorKind)
            raise FactorLookupError(f"unknown factor kind '{kind}'; choose one of: {options}") from None
        chain = self.region_chain(region)
        if kind is FactorKind.STANDARD_COAL:
            return self._coal(carrier, chain, year, series or self.defaults["standard_coal"])
        if carrier in SECONDARY_CARRIERS:
            return self._secondary(carrier, chain, year, series or self.defaults[carrier])
        return self._fuel(carrier, chain, year, series or self.defaults["fuel"])

    def _missing(self, kind: FactorKind, carrier: str, chain: list[str], year: int, series: str) -> str:
        available = self.series_for(kind, carrier)
        hint = f"available series: {', '.join(available)}" if available else f"no {kind.value} rows for it"
        return (
            f"no {kind.value} factor for carrier '{carrier}', series '{series}', region "
            f"{' / '.join(chain)}, year {year}; {hint}"
        )

    @staticmethod
    def _pick(rows: Iterable[Any], chain: list[str], year: int) -> Any | None:
        for code in chain:
            matches = [r for r in rows if getattr(r, "region", code) == code and r.validity.contains(year)]
            if matches:
                return matches[0]
        return None

    def _unknown(self, row: Any, what: str, year: int) -> FactorValueUnknownError:
        return FactorValueUnknownError(
            f"{what} for {year} is not known (row {row.factor_id}, evidence X: not found in any source); "
            f"supply the value from {row.provenance.source or 'the official source'}"
            + (f" ({row.provenance.note})" if row.provenance.note else "")
        )

    def _secondary(self, carrier: str, chain: list[str], year: int, series: str) -> Factor:
        rows = self.electricity if carrier == "electricity" else self.heat
        candidates = [r for r in rows if r.series == series and not r.superseded_by]
        row = self._pick(candidates, chain, year)
        if row is None:
            raise FactorLookupError(self._missing(FactorKind.EMISSION, carrier, chain, year, series))
        if row.value is None:
            raise self._unknown(row, f"{carrier} emission factor '{series}' in {row.region}", year)
        info = self.tables[carrier]
        return Factor(
            kind=FactorKind.EMISSION,
            carrier=carrier,
            value=row.value,
            unit=row.unit,
            factor_id=row.factor_id,
            table=info.name,
            table_version=info.version,
            series=series,
            region=row.region,
            requested_region=chain[0],
            validity=row.validity,
            provenance=row.provenance,
        )

    def _fuel(self, carrier: str, chain: list[str], year: int, guideline: str) -> Factor:
        candidates = [
            f for f in self.fuels if f.carrier == carrier and f.guideline == guideline and not f.superseded_by
        ]
        row = self._pick(candidates, chain, year)
        if row is None:
            raise FactorLookupError(self._missing(FactorKind.EMISSION, carrier, chain, year, guideline))
        value, unit = row.emission_factor()
        info = self.tables["fuels"]
        return Factor(
            kind=FactorKind.EMISSION,
            carrier=carrier,
            value=value,
            unit=unit,
            factor_id=row.factor_id,
            table=info.name,
            table_version=info.version,
            series=guideline,
            region=row.region,
            requested_region=chain[0],
            validity=row.validity,
            provenance=row.provenance,
            components={
                "ncv": row.ncv,
                "carbon_content_tc_per_tj": row.carbon_content_tc_per_tj,
                "oxidation_rate": row.oxidation_rate,
            },
        )

    def _coal(self, carrier: str, chain: list[str], year: int, basis: str) -> Factor:
        try:
            wanted = CoalBasis(basis)
        except ValueError:
            raise FactorLookupError(
                f"unknown standard-coal basis '{basis}'; choose calorific_equivalent or equal_value"
            ) from None
        candidates = [
            c
            for c in self.coal_coefficients
            if c.carrier == carrier and c.basis in (wanted, CoalBasis.BOTH) and not c.superseded_by
        ]
        row = self._pick(candidates, chain, year)
        if row is None:
            raise FactorLookupError(self._missing(FactorKind.STANDARD_COAL, carrier, chain, year, basis))
        if row.value is None:
            raise self._unknown(row, f"{carrier} standard-coal coefficient ({basis})", year)
        info = self.tables["coal_coefficients"]
        return Factor(
            kind=FactorKind.STANDARD_COAL,
            carrier=carrier,
            value=row.value,
            unit=row.unit,
            factor_id=row.factor_id,
            table=info.name,
            table_version=info.version,
            series=wanted.value,
            region=chain[-1],
            requested_region=chain[0],
            validity=row.validity,
            provenance=row.provenance,
        )

    # -- cross-table checks -------------------------------------------------------------------------

    def check(self, *, ef_tolerance: float = 0.002) -> list[DataIssue]:
        """Check the library as a whole and return every problem found.

        Checks that keys are unique across tables, that ``superseded_by`` names an existing row, that
        rows in force in the same series and region do not overlap in years (the lookup would be
        ambiguous), that region parents exist, that defaults name existing series, and that each
        fuel's computed factor agrees with the factor its source prints (relative difference at most
        ``ef_tolerance`` [-]).

        Parameters
        ----------
        ef_tolerance : float
            Allowed relative difference [-] between computed and published fuel factors.

        Returns
        -------
        list of DataIssue
            Empty when the library is consistent.
        """
        issues: list[DataIssue] = []
        issues += self._check_keys()
        issues += self._check_overlaps()
        issues += self._check_regions()
        issues += self._check_fuels(ef_tolerance)
        issues += self._check_defaults()
        return issues

    def _all_rows(self) -> list[tuple[str, Any]]:
        rows: list[tuple[str, Any]] = []
        for kind, group in (
            ("electricity", self.electricity),
            ("heat", self.heat),
            ("fuels", self.fuels),
            ("coal_coefficients", self.coal_coefficients),
        ):
            rows += [(kind, r) for r in group]
        return rows

    def _table(self, kind: str) -> str:
        info = self.tables.get(kind)
        return info.name if info else kind

    def _issue(self, kind: str, field: str, message: str, key: str | None) -> DataIssue:
        return DataIssue(self._table(kind), None, field, message, key=key)

    def _check_keys(self) -> list[DataIssue]:
        issues: list[DataIssue] = []
        seen: dict[str, str] = {}
        rows = self._all_rows()
        for kind, row in rows:
            if row.factor_id in seen:
                message = f"key '{row.factor_id}' is also used in {seen[row.factor_id]}"
                issues.append(self._issue(kind, "factor_id", message, None))
            seen[row.factor_id] = self._table(kind)
        for kind, row in rows:
            if row.superseded_by and row.superseded_by not in seen:
                message = f"superseded by '{row.superseded_by}', which does not exist"
                issues.append(self._issue(kind, "superseded_by", message, row.factor_id))
        return issues

    def _check_overlaps(self) -> list[DataIssue]:
        issues: list[DataIssue] = []
        groups: dict[tuple[str, ...], list[tuple[str, Any]]] = {}
        for kind, row in self._all_rows():
            if row.superseded_by:
                continue
            if isinstance(row, SecondaryEnergyFactor):
                key: tuple[str, ...] = (kind, row.series, row.region)
            elif isinstance(row, FuelProperties):
                key = (kind, row.carrier, row.guideline, row.region)
            else:
                key = (kind, row.carrier, row.basis.value)
            groups.setdefault(key, []).append((kind, row))
        for members in groups.values():
            for i, (kind, a) in enumerate(members):
                for _, b in members[i + 1 :]:
                    if a.validity.overlaps(b.validity):
                        message = (
                            f"rows {a.factor_id} ({a.validity}) and {b.factor_id} ({b.validity}) are both "
                            "in force for the same years; the lookup would be ambiguous"
                        )
                        issues.append(self._issue(kind, "year_from", message, b.factor_id))
        return issues

    def _check_regions(self) -> list[DataIssue]:
        codes = {r.code for r in self.regions}
        issues = [
            self._issue("regions", "parent", f"unknown parent region '{r.parent}'", r.code)
            for r in self.regions
            if r.parent and r.parent not in codes
        ]
        for kind, row in self._all_rows():
            region = getattr(row, "region", None)
            if region is not None and region not in codes:
                issues.append(self._issue(kind, "region", f"unknown region '{region}'", row.factor_id))
        return issues

    def _check_fuels(self, tolerance: float) -> list[DataIssue]:
        issues: list[DataIssue] = []
        for fuel in self.fuels:
            try:
                value, unit = fuel.emission_factor()
                published = (
                    convert(fuel.published_ef, fuel.published_ef_unit, unit)
                    if fuel.published_ef is not None
                    else None
                )
            except UnitError as exc:
                issues.append(self._issue("fuels", "published_ef_unit", str(exc), fuel.factor_id))
                continue
            if published is not None and abs(value - published) > tolerance * abs(published):
                message = (
                    f"NCV x carbon content x oxidation x 44/12 = {value:.4f} {unit}, "
                    f"but the source prints {published:.4f} {unit}"
                )
                issues.append(self._issue("fuels", "published_ef", message, fuel.factor_id))
        return issues

    def _check_defaults(self) -> list[DataIssue]:
        issues: list[DataIssue] = []
        expected = {
            "electricity": {r.series for r in self.electricity},
            "heat": {r.series for r in self.heat},
            "fuel": {f.guideline for f in self.fuels},
            "standard_coal": {CoalBasis.CALORIFIC_EQUIVALENT.value, CoalBasis.EQUAL_VALUE.value},
        }
        for group, options in expected.items():
            chosen = self.defaults.get(group)
            if chosen is None:
                issues.append(DataIssue("manifest", None, f"defaults.{group}", "no default series is set"))
            elif chosen not in options:
                issues.append(
                    DataIssue(
                        "manifest",
                        None,
                        f"defaults.{group}",
                        f"default '{chosen}' is not a series of this table",
                    )
                )
        return issues

    def evidence_counts(self) -> dict[str, int]:
        """Return how many rows carry each evidence tag, across all factor tables."""
        counts = {e.value: 0 for e in Evidence}
        for _, row in self._all_rows():
            counts[row.provenance.evidence.value] += 1
        return counts
