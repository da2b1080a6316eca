"""Life-cycle carbon inputs: the LCA factor tables, bills of materials (CSV/Excel) and IFC models.

* :func:`lca_tables` reads the packaged (or another directory's) LCA tables into core
  :class:`~carbonpeak.core.lca.FactorTables`, densities joined to their materials.
* :func:`read_bom` reads ``material, quantity, unit`` + ``transport_km, transport_mode, stage,
  density_t_per_m3``; a material is named by its code or by the standard's Chinese name (or an alias); an
  unknown name is an error naming the row and the closest known names.
* :func:`read_ifc` reads an IFC model's quantity sets (``NetVolume``, ``NetArea``, ``NetWeight``) through
  ``ifcopenshell`` (the optional extra ``carbonpeak[ifc]``) and maps each element's material to a factor row;
  unmapped materials are listed.
"""

from __future__ import annotations

import difflib
import math
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from carbonpeak.core.errors import FactorLookupError, ReferenceDataError
from carbonpeak.core.factors import FactorLibrary
from carbonpeak.core.flags import DataIssue, Evidence
from carbonpeak.core.lca import (
    BomItem,
    EnergyFactor,
    EnergyUse,
    FactorTables,
    MachineryFactor,
    MaterialFactor,
    TransportMode,
)
from carbonpeak.core.lca.model import BOM_STAGES
from carbonpeak.core.units import convert
from carbonpeak.io.reference import read_csv_table, read_manifest
from carbonpeak.io.tabular import RowError, check_header, read_tables, table_rows
from carbonpeak.specs.reference import (
    LCA_KINDS,
    LcaDensityRow,
    LcaMachineryRow,
    LcaMaterialRow,
    LcaTransportRow,
)

BOM_REQUIRED = ("material", "quantity", "unit")
BOM_OPTIONAL = ("transport_km", "transport_mode", "stage", "density_t_per_m3", "note")

ENERGY_CARRIERS = {
    "electricity": ("electricity", "电", "电力", "用电"),
    "diesel": ("diesel", "柴油"),
    "gasoline": ("gasoline", "汽油"),
    "natural_gas": ("natural_gas", "natural gas", "天然气"),
}
"""Energy carriers a construction or demolition line may name, with their names."""

_UNITS = {
    "t": "t",
    "吨": "t",
    "tonne": "t",
    "kg": "kg",
    "千克": "kg",
    "公斤": "kg",
    "m3": "m3",
    "m³": "m3",
    "立方米": "m3",
    "方": "m3",
    "m2": "m2",
    "m²": "m2",
    "平方米": "m2",
    "kwh": "kWh",
    "度": "kWh",
    "nm3": "Nm3",
}
_STAGES = {"": "materials", "materials": "materials", "建材": "materials", "建材生产": "materials"}
_STAGES |= {"construction": "construction", "施工": "construction", "建造": "construction"}
_STAGES |= {"demolition": "demolition", "拆除": "demolition"}


def normalise_name(name: str) -> str:
    """A name as compared: NFKC (full-width to half-width), no spaces, lower case."""
    return "".join(unicodedata.normalize("NFKC", name).split()).lower()


def _split(aliases: str) -> tuple[str, ...]:
    return tuple(a.strip() for a in aliases.split(";") if a.strip())


def tables_from_rows(
    materials: Iterable[LcaMaterialRow],
    densities: Iterable[LcaDensityRow],
    transport: Iterable[LcaTransportRow],
    machinery: Iterable[LcaMachineryRow] = (),
    version: str = "",
) -> FactorTables:
    """Core factor tables from validated rows; each density is joined to its material."""
    density = {d.material_id: d for d in densities}
    return FactorTables(
        materials=tuple(
            MaterialFactor(
                code=m.material_id,
                name_zh=m.name_zh,
                name_en=m.name_en,
                category=m.category,
                factor_kgco2e=m.value,
                basis=m.unit.split("/")[1],  # type: ignore[arg-type]
                density_t_per_m3=density[m.material_id].value if m.material_id in density else None,
                evidence=m.evidence,
                source=m.source,
                aliases=_split(m.aliases),
                density_evidence=(
                    density[m.material_id].evidence if m.material_id in density else Evidence.NOT_FOUND
                ),
            )
            for m in materials
        ),
        transport_modes=tuple(
            TransportMode(t.mode_id, t.name_zh, t.name_en, t.value, t.evidence, t.source, _split(t.aliases))
            for t in transport
        ),
        machinery=tuple(
            MachineryFactor(
                k.machine_id, k.name_zh, k.name_en, k.carrier, k.value, k.unit, k.evidence, k.source
            )
            for k in machinery
        ),
        version=version,
    )


def lca_tables(data_dir: Path | None = None) -> FactorTables:
    """Read and validate the LCA tables listed in ``data_dir``'s manifest (default: the packaged data).

    Raises
    ------
    ReferenceDataError
        With every problem found (file, row, field), when a table is missing or invalid.
    """
    if data_dir is None:
        return packaged_lca_tables()
    manifest, issues = read_manifest(data_dir)
    records: dict[str, list[Any]] = {}
    versions: list[str] = []
    if manifest is not None:
        for entry in manifest.tables:
            if entry.kind not in LCA_KINDS:
                continue
            path = data_dir / entry.file
            if not path.is_file():
                issues.append(
                    DataIssue(entry.file, None, None, "is listed in the manifest but does not exist")
                )
                continue
            table, table_issues = read_csv_table(path, entry, entry.file)
            issues += table_issues
            records[entry.kind] = table.records
            versions.append(f"{entry.name} {entry.version}")
    for kind in ("lca_materials", "lca_densities", "lca_transport"):
        if manifest is not None and kind not in records:
            issues.append(DataIssue("manifest.yaml", None, "tables", f"has no table of kind '{kind}'"))
    if issues:
        raise ReferenceDataError(f"LCA reference data in {data_dir} is invalid: {issues[0]}", list(issues))
    return tables_from_rows(
        records["lca_materials"],
        records["lca_densities"],
        records["lca_transport"],
        records.get("lca_machinery", []),
        "; ".join(versions),
    )


@lru_cache(maxsize=1)
def packaged_lca_tables() -> FactorTables:
    """The packaged LCA tables (read once per process)."""
    from carbonpeak.data import DATA_DIR

    return lca_tables(DATA_DIR)


def material_names(tables: FactorTables) -> dict[str, str]:
    """Every accepted name (normalised) → material code: codes, Chinese and English names, aliases."""
    names: dict[str, str] = {}
    for m in tables.materials:
        for name in (m.code, m.name_zh, m.name_en, *m.aliases):
            names.setdefault(normalise_name(name), m.code)
    return names


def transport_names(tables: FactorTables) -> dict[str, str]:
    """Every accepted name (normalised) → transport mode code."""
    names: dict[str, str] = {}
    for t in tables.transport_modes:
        for name in (t.code, t.name_zh, t.name_en, *t.aliases):
            names.setdefault(normalise_name(name), t.code)
    return names


def _display_names(tables: FactorTables) -> list[str]:
    return [n for m in tables.materials for n in (m.code, m.name_zh, *m.aliases)]


def closest_materials(name: str, tables: FactorTables, n: int = 3) -> list[str]:
    """The known material names closest to ``name`` (difflib), best first."""
    display = _display_names(tables)
    by_norm = {normalise_name(d): d for d in display}
    close = difflib.get_close_matches(normalise_name(name), list(by_norm), n=n, cutoff=0.3)
    return [by_norm[c] for c in close]


def resolve_material(name: str, tables: FactorTables) -> str | None:
    """The material code ``name`` denotes (code, Chinese name, English name or alias), or ``None``."""
    return material_names(tables).get(normalise_name(name))


def _carrier(name: str) -> str | None:
    key = normalise_name(name)
    for carrier, names in ENERGY_CARRIERS.items():
        if key in {normalise_name(n) for n in names}:
            return carrier
    return None


def _number(raw: str, name: str, problems: list[tuple[str, str]], *, required: bool = False) -> float | None:
    text = raw.replace(",", "").strip()
    if not text:
        if required:
            problems.append((name, "is missing"))
        return None
    try:
        value = float(text)
    except ValueError:
        problems.append((name, f"'{raw}' is not a number"))
        return None
    if not math.isfinite(value) or value < 0:
        problems.append((name, f"{raw} must be a finite number, zero or more"))
        return None
    return value


@dataclass
class BomFile:
    """A bill of materials as read: its items, or the errors that reject it."""

    path: Path
    items: list[BomItem] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether the file can be computed."""
        return not self.errors and bool(self.items)


def parse_bom_row(row: dict[str, str], number: int, label: str, tables: FactorTables) -> BomItem | RowError:
    """One bill-of-materials row (see :func:`read_bom`)."""
    p: list[tuple[str, str]] = []
    stage_raw = row.get("stage", "").strip()
    stage = _STAGES.get(normalise_name(stage_raw))
    if stage is None:
        p.append(("stage", f"'{stage_raw}' must be one of: {', '.join(BOM_STAGES)}"))
    name = row.get("material", "").strip()
    code: str | None = None
    if not name:
        p.append(("material", "is missing"))
    else:
        code = resolve_material(name, tables)
        if code is None and stage in ("construction", "demolition"):
            code = _carrier(name)
        if code is None:
            close = closest_materials(name, tables)
            hint = f"; closest known names: {', '.join(close)}" if close else ""
            p.append(("material", f"'{name}' is not a known material{hint}"))
    quantity = _number(row.get("quantity", ""), "quantity", p, required=True)
    unit_raw = row.get("unit", "").strip()
    unit = _UNITS.get(unit_raw.lower(), _UNITS.get(unit_raw))
    if unit is None:
        p.append(("unit", f"'{unit_raw}' must be one of: t, kg, m3, m2 (or kWh, Nm3 for energy)"))
    km = _number(row.get("transport_km", ""), "transport_km", p)
    mode_raw = row.get("transport_mode", "").strip()
    mode = None
    if mode_raw:
        mode = transport_names(tables).get(normalise_name(mode_raw))
        if mode is None:
            known = ", ".join(t.code for t in tables.transport_modes)
            p.append(("transport_mode", f"'{mode_raw}' is not a transport mode ({known})"))
    density = _number(row.get("density_t_per_m3", ""), "density_t_per_m3", p)
    if density == 0:
        p.append(("density_t_per_m3", "must be positive"))
    if p:
        return RowError(label, number, tuple(p))
    if code is None or quantity is None or unit is None or stage is None:  # pragma: no cover - p is set
        raise AssertionError(label)
    return BomItem(
        material=code,
        quantity=quantity,
        unit=unit,
        transport_km=km,
        transport_mode=mode,
        stage=stage,  # type: ignore[arg-type]
        density_t_per_m3=density,
        label=f"{label} row {number}",
    )


def read_bom(path: Path, content: bytes | None = None, tables: FactorTables | None = None) -> BomFile:
    """Read a bill of materials (CSV UTF-8 or Excel .xlsx, first sheet); all rows or none.

    Columns: ``material, quantity, unit`` and optionally ``transport_km`` [km], ``transport_mode`` (a mode
    code or name), ``stage`` (``materials``, ``construction``, ``demolition``; default materials),
    ``density_t_per_m3`` [t/m3] and ``note``. Units: ``t, kg, m3, m2`` (and ``kWh``, ``t`` or ``Nm3`` for
    energy on construction/demolition lines); 吨, 立方米, 平方米 are accepted.

    Parameters
    ----------
    path : Path
        The file (its name is used in errors).
    content : bytes, optional
        The file's bytes, when already read (an upload).
    tables : FactorTables, optional
        Factor tables names are resolved against; default: the packaged tables.
    """
    tables = tables or packaged_lca_tables()
    result = BomFile(path)
    found, problem = read_tables(path, content)
    if problem is not None:
        result.errors.append(problem)
        return result
    header, rows = table_rows(next(iter(found.values()), []))
    header_error = check_header(header, BOM_REQUIRED, BOM_OPTIONAL, path.name)
    if header_error is not None:
        result.errors.append(header_error)
        return result
    for number, row in rows:
        parsed = parse_bom_row(row, number, path.name, tables)
        if isinstance(parsed, RowError):
            result.errors.append(parsed)
        else:
            result.items.append(parsed)
    if result.errors:
        result.items.clear()
    elif not result.items:
        result.errors.append(RowError(path.name, None, (("", "has no data rows"),)))
    return result


# --- IFC --------------------------------------------------------------------------------------------


class IfcUnavailableError(RuntimeError):
    """``ifcopenshell`` is not installed: install the extra ``carbonpeak[ifc]``."""


@dataclass
class IfcTakeoff:
    """What an IFC model gives: one item per element with a mapped material and a quantity.

    Attributes
    ----------
    items : list of BomItem
        Items labelled with the element's class and GlobalId.
    unmapped : dict of str to list of str
        Material names with no factor row → GlobalIds of their elements.
    without_quantity : list of str
        Elements with a mapped material but no usable NetVolume/NetArea/NetWeight.
    """

    path: Path
    items: list[BomItem] = field(default_factory=list)
    unmapped: dict[str, list[str]] = field(default_factory=dict)
    without_quantity: list[str] = field(default_factory=list)


def _ifc_materials(element: Any) -> list[str]:
    import ifcopenshell.util.element as util

    material: Any = util.get_material(element, should_skip_usage=True)
    if material is None:
        return []
    if material.is_a("IfcMaterial"):
        return [material.Name or ""]
    if material.is_a("IfcMaterialLayerSet"):
        return [layer.Material.Name or "" for layer in material.MaterialLayers if layer.Material]
    if material.is_a("IfcMaterialList"):
        return [m.Name or "" for m in material.Materials]
    if material.is_a("IfcMaterialConstituentSet"):
        return [c.Material.Name or "" for c in material.MaterialConstituents or () if c.Material]
    return [getattr(material, "Name", "") or ""]


def _quantities(element: Any) -> dict[str, float]:
    import ifcopenshell.util.element as util

    out: dict[str, float] = {}
    for values in util.get_psets(element, qtos_only=True).values():
        for key in ("NetVolume", "NetArea", "NetWeight"):
            value = values.get(key)
            if isinstance(value, (int, float)) and math.isfinite(value) and key not in out:
                out[key] = float(value)
    return out


def read_ifc(
    path: Path, tables: FactorTables | None = None, aliases: dict[str, str] | None = None
) -> IfcTakeoff:
    """Take off the materials of an IFC model from its quantity sets.

    Each element (``IfcElement``) with one material is mapped to a factor row by the material's name (a
    code, the standard's name or an alias, or ``aliases``: IFC material name → material code). Its
    quantity is ``NetVolume`` [m3] for a factor per m3, ``NetArea`` [m2] for one per m2, and
    ``NetWeight`` [kg] (or, failing that, ``NetVolume`` with the table's density) for one per t. The
    model's length unit is assumed to be metres (quantity sets carry SI values).

    Raises
    ------
    IfcUnavailableError
        When ``ifcopenshell`` is not installed.
    ValueError
        When the file cannot be read as IFC.
    """
    try:
        import ifcopenshell
    except ImportError as exc:  # pragma: no cover - exercised only without the extra
        raise IfcUnavailableError("reading IFC needs ifcopenshell: pip install 'carbonpeak[ifc]'") from exc
    tables = tables or packaged_lca_tables()
    try:
        model = ifcopenshell.open(str(path))
    except Exception as exc:  # ifcopenshell raises several kinds on a bad file
        raise ValueError(f"{path.name}: cannot be read as IFC ({exc})") from None
    names = material_names(tables)
    extra = {normalise_name(k): v for k, v in (aliases or {}).items()}
    takeoff = IfcTakeoff(path)
    elements: list[Any] = list(model.by_type("IfcElement"))
    for element in elements:
        label = f"{element.is_a()} {element.GlobalId}"
        materials = _ifc_materials(element)
        if not materials:
            continue
        if len(materials) > 1:
            takeoff.unmapped.setdefault(" + ".join(materials), []).append(element.GlobalId)
            continue
        key = normalise_name(materials[0])
        code = extra.get(key) or names.get(key)
        if code is None:
            takeoff.unmapped.setdefault(materials[0], []).append(element.GlobalId)
            continue
        material = tables.material(code)
        qty = _quantities(element)
        item: BomItem | None = None
        if material.basis == "m3" and "NetVolume" in qty:
            item = BomItem(code, qty["NetVolume"], "m3", label=label)
        elif material.basis == "m2" and "NetArea" in qty:
            item = BomItem(code, qty["NetArea"], "m2", label=label)
        elif material.basis == "t" and "NetWeight" in qty:
            item = BomItem(code, qty["NetWeight"], "kg", label=label)
        elif material.basis == "t" and "NetVolume" in qty:
            item = BomItem(code, qty["NetVolume"], "m3", label=label)
        if item is None:
            takeoff.without_quantity.append(label)
        else:
            takeoff.items.append(item)
    return takeoff


ENERGY_UNITS = {"electricity": "kWh", "diesel": "t", "gasoline": "t", "natural_gas": "Nm3"}
"""Unit each energy carrier is counted in on construction, demolition and operation lines."""


def energy_factors(library: FactorLibrary, *, region: str, year: int) -> dict[str, EnergyFactor]:
    """Emission factors of the energy carriers [kgCO2e per carrier unit] from the factor library.

    Each carrier's factor is the library's default series valid for ``region`` and ``year``, converted
    to kgCO2e per :data:`ENERGY_UNITS` unit; a carrier with no valid factor is left out.
    """
    out: dict[str, EnergyFactor] = {}
    for carrier, unit in ENERGY_UNITS.items():
        try:
            factor = library.get_factor("emission", carrier, region, year)
        except FactorLookupError:
            continue
        head, per = factor.unit.split("/", 1)
        value = convert(factor.value, head, "kgCO2") / convert(1.0, per, unit)
        source = f"{factor.table} {factor.table_version}: {factor.factor_id}"
        out[carrier] = EnergyFactor(carrier, value, unit, factor.provenance.evidence, source)
    return out


ENERGY_REQUIRED = ("carrier", "quantity", "unit")
ENERGY_OPTIONAL = ("year", "note")


@dataclass
class EnergyFile:
    """Annual energy use (an energy model's, or metered by year) as read, or the errors that reject it."""

    path: Path
    uses: list[EnergyUse] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def read_energy_uses(path: Path, content: bytes | None = None) -> EnergyFile:
    """Read annual energy use: ``carrier, quantity, unit`` [+ ``year``] (CSV or .xlsx); all rows or none.

    ``carrier`` is one of :data:`ENERGY_CARRIERS` (by code or Chinese name), ``quantity`` the energy per
    year in ``unit`` (which must be the carrier's :data:`ENERGY_UNITS` unit), ``year`` the metered year.
    """
    result = EnergyFile(path)
    found, problem = read_tables(path, content)
    if problem is not None:
        result.errors.append(problem)
        return result
    header, rows = table_rows(next(iter(found.values()), []))
    header_error = check_header(header, ENERGY_REQUIRED, ENERGY_OPTIONAL, path.name)
    if header_error is not None:
        result.errors.append(header_error)
        return result
    for number, row in rows:
        p: list[tuple[str, str]] = []
        carrier = _carrier(row.get("carrier", ""))
        if carrier is None:
            p.append(("carrier", f"'{row.get('carrier', '')}' must be one of: {', '.join(ENERGY_CARRIERS)}"))
        quantity = _number(row.get("quantity", ""), "quantity", p, required=True)
        unit = _UNITS.get(row.get("unit", "").strip().lower(), row.get("unit", "").strip())
        if carrier is not None and unit != ENERGY_UNITS[carrier]:
            p.append(("unit", f"'{row.get('unit', '')}' must be {ENERGY_UNITS[carrier]} for {carrier}"))
        year_value = _number(row.get("year", ""), "year", p)
        if year_value is not None and not (1990 <= year_value <= 2100 and year_value.is_integer()):
            p.append(("year", f"{row.get('year')} is not a year"))
        if p:
            result.errors.append(RowError(path.name, number, tuple(p)))
            continue
        if carrier is None or quantity is None:  # pragma: no cover - p is set
            raise AssertionError(path.name)
        year = int(year_value) if year_value is not None else None
        result.uses.append(EnergyUse(carrier, quantity, unit, year))
    if result.errors:
        result.uses.clear()
    elif not result.uses:
        result.errors.append(RowError(path.name, None, (("", "has no data rows"),)))
    return result
