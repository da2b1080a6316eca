"""``carbonpeak areas``: import the sub-area registry and list it."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from carbonpeak.cli.base import fail, group_help, requires_database


@requires_database
def cmd_areas_import(args: argparse.Namespace) -> int:
    """Import a sub-area file (.csv, .xlsx, .geojson or .json): all rows or none."""
    from carbonpeak.web.areas.services import sub_areas_file_import

    path = Path(args.file)
    if not path.is_file():
        return fail(f"{path}: no such file")
    result = sub_areas_file_import(filename=path.name, content=path.read_bytes(), synthetic=args.synthetic)
    if result.errors:
        for error in result.errors:
            print(f"carbonpeak: error: {error}", file=sys.stderr)
        return 1
    assert result.outcome is not None
    label = " (synthetic)" if args.synthetic else ""
    print(
        f"sub-areas: {result.outcome.created} created, {result.outcome.updated} updated{label} ({path.name})"
    )
    return 0


def _rows() -> list[dict[str, Any]]:
    from carbonpeak.web.areas import selectors

    out = []
    for area in selectors.sub_areas_list():
        inventory = selectors.area_inventory(area=area.code)
        latest = inventory.years[-1] if inventory.years else {}
        out.append(
            {
                "code": area.code,
                "name_zh": area.name_zh,
                "name_en": area.name_en,
                "parent": area.parent.code if area.parent else None,
                "has_boundary": area.boundary is not None,
                "synthetic": area.synthetic or inventory.synthetic,
                "buildings": len(selectors.area_buildings(code=area.code)),
                "floor_area_m2": selectors.floor_area_m2(code=area.code),
                "latest_year": latest.get("year"),
                "energy_tce": latest.get("energy_tce"),
                "co2_t": latest.get("co2_t"),
            }
        )
    return out


@requires_database
def cmd_areas_list(args: argparse.Namespace) -> int:
    """Print the sub-areas with their latest inventory year, buildings and the sum-check warnings."""
    from carbonpeak.web.areas import selectors

    rows = _rows()
    warnings = [w.to_dict() for w in selectors.sum_check()]
    unregistered = selectors.unregistered_areas()
    if args.format == "json":
        document = {
            "district_area": selectors.district_area(),
            "sub_areas": rows,
            "warnings": warnings,
            "unregistered_areas": unregistered,
        }
        print(json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False))
        return 0
    if not rows:
        print("no sub-areas: import a file with 'carbonpeak areas import FILE'")
    else:
        print(
            f"{'code':<24}{'name':<16}{'parent':<20}{'year':>6}{'CO2 t':>16}{'buildings':>11}{'floor m2':>14}"
        )
    for r in rows:
        co2 = f"{r['co2_t']:,.0f}" if r["co2_t"] is not None else "-"
        floor = f"{r['floor_area_m2']:,.0f}" if r["floor_area_m2"] is not None else "-"
        name = r["name_zh"] + (" (synthetic)" if r["synthetic"] else "")
        print(
            f"{r['code']:<24}{name:<16}{r['parent'] or '-':<20}{r['latest_year'] or '-':>6}{co2:>16}"
            f"{r['buildings']:>11}{floor:>14}"
        )
    for w in warnings:
        year = f" {w['year']}" if w["year"] is not None else ""
        print(
            f"warning: {w['area']}{year} {w['quantity']}: sub-areas {', '.join(w['parts'])} add up to "
            f"{w['parts_total']:,.0f} {w['unit']}, more than {w['whole']:,.0f} {w['unit']}"
        )
    if unregistered:
        print(f"warning: activity rows name unregistered areas: {', '.join(unregistered)}")
    return 0


def register(subparsers: Any) -> None:
    """Add ``carbonpeak areas import|list``."""
    areas = subparsers.add_parser("areas", help="sub-areas: import the registry, list it")
    actions = areas.add_subparsers(dest="action", metavar="ACTION")
    areas.set_defaults(func=group_help(areas))
    a_import = actions.add_parser("import", help="import sub-areas (.csv/.xlsx table or GeoJSON)")
    a_import.add_argument("file", help="code, name_zh, name_en[, parent, boundary_geojson, quality]")
    a_import.add_argument("--synthetic", action="store_true", help="label every imported sub-area synthetic")
    a_import.set_defaults(func=cmd_areas_import)
    a_list = actions.add_parser("list", help="list the sub-areas and the sum-check warnings")
    a_list.add_argument("--format", choices=["json", "table"], default="table")
    a_list.set_defaults(func=cmd_areas_list)
