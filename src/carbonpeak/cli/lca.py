"""``carbonpeak lca``: building life-cycle carbon after GB/T 51366-2019, from bills of materials or IFC.

``compute`` prints ``{"stages": {...}, "total_kgco2e", "per_m2_kgco2e", "by_material": [...],
"coverage_by_mass": {...}}``; ``compare`` prints both variants and ``difference`` (``b − a``) by stage and
material. See docs/lca.md.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from carbonpeak.cli.base import fail, group_help
from carbonpeak.core.errors import CarbonpeakError
from carbonpeak.core.lca import (
    BomItem,
    LcaInsufficientDataError,
    LcaResult,
    OperationResult,
    compare_variants,
    gbt51366,
    operation_emissions,
)


def _items(path: Path, tables: Any) -> list[BomItem]:
    from carbonpeak.io.lca import read_bom, read_ifc

    if not path.is_file():
        raise CarbonpeakError(f"{path}: no such file")
    if path.suffix.lower() == ".ifc":
        takeoff = read_ifc(path, tables)
        if takeoff.unmapped:
            names = ", ".join(f"{name} ({len(ids)} elements)" for name, ids in takeoff.unmapped.items())
            raise CarbonpeakError(f"{path.name}: materials with no factor row: {names}")
        return takeoff.items
    bom = read_bom(path, tables=tables)
    if bom.errors:
        raise CarbonpeakError("; ".join(str(e) for e in bom.errors))
    return bom.items


def _compute(args: argparse.Namespace, path: Path) -> LcaResult:
    from carbonpeak.data import packaged_library
    from carbonpeak.io.lca import energy_factors, packaged_lca_tables, read_energy_uses

    tables = packaged_lca_tables()
    items = _items(path, tables)
    needs_energy = any(
        i.stage != "materials" and i.material in ("electricity", "diesel", "gasoline", "natural_gas")
        for i in items
    )
    factors = {}
    if needs_energy or args.energy:
        if args.region is None or args.year is None:
            raise CarbonpeakError("energy lines need --region and --year to pick their emission factors")
        factors = energy_factors(packaged_library(), region=args.region, year=args.year)
    operation: OperationResult | None = None
    if args.energy:
        energy = read_energy_uses(Path(args.energy))
        if energy.errors:
            raise CarbonpeakError("; ".join(str(e) for e in energy.errors))
        operation = operation_emissions(
            args.operation_method,
            energy.uses,
            factors,
            floor_area_m2=args.floor_area_m2,
            service_life_years=args.service_life_years,
            renewables_kgco2e_per_year=args.renewables_kgco2e_per_year,
        )
    return gbt51366(
        items,
        tables,
        floor_area_m2=args.floor_area_m2,
        service_life_years=args.service_life_years,
        default_transport_mode=args.transport_mode,
        energy_factors=factors,
        operation=operation,
        allow_incomplete=args.allow_incomplete,
    )


def _table(result: LcaResult) -> str:
    lines = [f"{'stage':<14}{'kgCO2e':>16}"]
    for stage, value in result.stages.to_dict().items():
        lines.append(f"{stage.removesuffix('_kgco2e'):<14}{value:>16,.0f}")
    lines.append(f"{'total':<14}{result.total_kgco2e:>16,.0f}")
    lines.append(f"{'per m2':<14}{result.per_m2_kgco2e:>16,.1f}")
    share = result.coverage.share_pct
    lines.append(f"mass coverage: {'unknown' if share is None else f'{share:.1f} %'}")
    lines += [f"[{f.level}] {f.message}" for f in result.flags]
    return "\n".join(lines)


def cmd_lca_compute(args: argparse.Namespace) -> int:
    """Compute one bill of materials (or IFC model)."""
    try:
        result = _compute(args, Path(args.bom))
    except LcaInsufficientDataError as exc:
        return fail(f"{exc} (pass --allow-incomplete to compute anyway)")
    except (CarbonpeakError, ValueError) as exc:
        return fail(str(exc))
    if args.format == "json":
        print(json.dumps(result.to_cli_dict(), ensure_ascii=False, allow_nan=False, indent=2))
    else:
        print(_table(result))
    return 0


def cmd_lca_compare(args: argparse.Namespace) -> int:
    """Compare two variants (``b − a``) by stage and material."""
    try:
        a, b = _compute(args, Path(args.a)), _compute(args, Path(args.b))
        comparison = compare_variants(a, b)
    except LcaInsufficientDataError as exc:
        return fail(f"{exc} (pass --allow-incomplete to compute anyway)")
    except (CarbonpeakError, ValueError) as exc:
        return fail(str(exc))
    if args.format == "json":
        print(json.dumps(comparison.to_cli_dict(), ensure_ascii=False, allow_nan=False, indent=2))
    else:
        diff = comparison.stage_difference
        print(f"{'stage':<14}{'a':>14}{'b':>14}{'b - a':>14}")
        for stage in diff.to_dict():
            name = stage.removesuffix("_kgco2e")
            print(
                f"{name:<14}{a.stages.get(name):>14,.0f}{b.stages.get(name):>14,.0f}{diff.get(name):>14,.0f}"
            )
        print(
            f"{'total':<14}{a.total_kgco2e:>14,.0f}{b.total_kgco2e:>14,.0f}"
            f"{comparison.total_difference_kgco2e:>14,.0f}"
        )
    return 0


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"{text} must be a finite positive number")
    return value


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--floor-area-m2", type=_positive, required=True, help="floor area A [m2]")
    parser.add_argument("--service-life-years", type=_positive, default=50.0, help="design life y [a]")
    parser.add_argument("--transport-mode", help="transport mode code for lines that name none")
    parser.add_argument("--energy", help="annual energy use CSV/xlsx (carrier, quantity, unit[, year])")
    parser.add_argument("--operation-method", choices=("energy_model", "metered"), default="energy_model")
    parser.add_argument("--renewables-kgco2e-per-year", type=float, default=0.0, help="C_p [kgCO2e/a]")
    parser.add_argument("--region", help="region of the energy factors, e.g. CN-ZJ")
    parser.add_argument("--year", type=int, help="year of the energy factors")
    parser.add_argument("--allow-incomplete", action="store_true", help="compute despite error flags")
    parser.add_argument("--format", choices=("json", "table"), default="table")


def register(subparsers: Any) -> None:
    """Add ``carbonpeak lca compute`` and ``carbonpeak lca compare``."""
    group = subparsers.add_parser("lca", help="building life-cycle carbon (GB/T 51366-2019)")
    group.set_defaults(func=group_help(group))
    actions = group.add_subparsers(metavar="ACTION")
    compute = actions.add_parser("compute", help="one bill of materials (CSV/xlsx) or IFC model")
    compute.add_argument("--bom", required=True, help="bill of materials .csv/.xlsx or .ifc")
    _common(compute)
    compute.set_defaults(func=cmd_lca_compute)
    compare = actions.add_parser("compare", help="two variants: difference b - a by stage and material")
    compare.add_argument("--a", required=True, help="variant a (.csv/.xlsx/.ifc)")
    compare.add_argument("--b", required=True, help="variant b (.csv/.xlsx/.ifc)")
    _common(compare)
    compare.set_defaults(func=cmd_lca_compare)
