"""Production set-up: ``carbonpeak setup``, ``data load``, ``plan use`` and ``plan list``.

``setup`` is what a district runs on its own server: it migrates, loads the reference data, loads the
district's plan and makes it current, and optionally creates the office administrator. It loads no
synthetic data, and running it twice changes nothing. ``carbonpeak demo`` is ``setup`` with the reference
district's plan plus the synthetic data.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from pathlib import Path

from carbonpeak.cli.base import _django, _fail, _require_migrated
from carbonpeak.core.errors import CarbonpeakError

ADMIN_PASSWORD_VARIABLE = "CARBONPEAK_ADMIN_PASSWORD"  # noqa: S105 (the variable's name, not a password)


def _data_dir(raw: str | None) -> Path:
    from carbonpeak.data import DATA_DIR

    data_dir = Path(raw) if raw else DATA_DIR
    if not (data_dir / "manifest.yaml").is_file():
        raise CarbonpeakError(f"{data_dir}: no manifest.yaml (a reference data directory has one)")
    return data_dir


def reference_load_lines(data_dir: Path) -> list[str]:
    """Load the reference tables of ``data_dir`` (new versions only) and describe what changed."""
    from carbonpeak.io.reference import read_reference_data
    from carbonpeak.web.reference.selectors import table_versions
    from carbonpeak.web.reference.services import reference_data_load

    reference = read_reference_data(data_dir)
    before = {t.entry.name: [v.version for v in table_versions(name=t.entry.name)] for t in reference.tables}
    result = reference_data_load(reference=reference)
    lines = [
        f"reference data: {len(result.created)} table versions loaded, "
        f"{len(result.unchanged)} already present ({data_dir})"
    ]
    for table in reference.tables:
        label = f"{table.entry.name} {table.entry.version}"
        if label not in result.created:
            continue
        earlier = before.get(table.entry.name) or []
        if earlier:
            lines.append(
                f"  {table.entry.name}: new version {table.entry.version} ({len(table.rows)} rows); "
                f"earlier versions kept: {', '.join(earlier)}"
            )
        else:
            lines.append(f"  {table.entry.name}: version {table.entry.version} ({len(table.rows)} rows)")
    return lines


def _region_check(region: str) -> None:
    """Refuse a plan whose region has no row in the stored regions table (no silent fallback)."""
    from carbonpeak.web.reference.selectors import factor_library

    library = factor_library()
    known = sorted(r.code for r in library.regions)
    if region not in known:
        raise CarbonpeakError(
            f"the plan's region {region} has no entry in the reference data's regions table "
            f"(known: {', '.join(known)}); add it and its factor rows, then run 'carbonpeak data load "
            "--data-dir DIR' (docs/data-sources.md)"
        )


def _admin_password() -> str:
    password = os.environ.get(ADMIN_PASSWORD_VARIABLE, "")
    if password:
        return password
    if not sys.stdin.isatty():
        raise CarbonpeakError(
            f"no password for the office administrator: set {ADMIN_PASSWORD_VARIABLE} "
            "or run setup in a terminal"
        )
    first = getpass.getpass("password for the office administrator: ")
    if first != getpass.getpass("again: "):
        raise CarbonpeakError("the two passwords differ; nothing was created")
    if len(first) < 10:
        raise CarbonpeakError("the password is shorter than 10 characters; nothing was created")
    return first


def setup_district(*, plan_file: Path, data_dir: Path, admin: str | None) -> list[str]:
    """Migrate, load reference data and the plan (made current), and ensure the admin; return the report."""
    from django.conf import settings
    from django.core.management import call_command

    from carbonpeak.cli import _read_plan
    from carbonpeak.core.plan import Plan
    from carbonpeak.web.plan.services import plan_load

    plan = _read_plan(plan_file)
    assert isinstance(plan, Plan)
    password = _admin_password() if admin else None
    call_command("migrate", interactive=False, verbosity=0)
    database = settings.DATABASES["default"]
    lines = [f"database: {database['ENGINE'].rsplit('.', 1)[-1]} {database['NAME']} (migrated)"]
    lines += reference_load_lines(data_dir)
    _region_check(plan.plan.region)
    loaded = plan_load(plan=plan, source_file=plan_file.name, make_current=True)
    state = "loaded as new version" if loaded.created else "already loaded, unchanged:"
    version = loaded.version
    lines.append(f"plan: {version.plan_code} {state} {version.version} ({plan_file.name}); current plan")
    if admin:
        from carbonpeak.web.portal.services import office_admin_ensure

        account = office_admin_ensure(username=admin, password=password)
        lines.append(f"office administrator {admin}: {'created' if account.created else 'exists, unchanged'}")
    return lines


def cmd_setup(args: argparse.Namespace) -> int:
    """Production set-up of one district (no synthetic data; idempotent)."""
    plan_file = Path(args.plan)
    if not plan_file.is_file():
        return _fail(f"{plan_file}: no such file")
    data_dir = _data_dir(args.data_dir)
    _django()
    for line in setup_district(plan_file=plan_file, data_dir=data_dir, admin=args.admin):
        print(line)
    print("no synthetic data was loaded; next: import your data (docs/install.md), then carbonpeak serve")
    return 0


def cmd_data_load(args: argparse.Namespace) -> int:
    """Load new reference-table versions into the database, keeping the old ones."""
    data_dir = _data_dir(args.data_dir)
    _django()
    _require_migrated()
    for line in reference_load_lines(data_dir):
        print(line)
    return 0


def cmd_plan_use(args: argparse.Namespace) -> int:
    """Make a stored plan the current plan."""
    _django()
    _require_migrated()
    from carbonpeak.web.plan.services import plan_use

    chosen = plan_use(plan_code=args.plan_id, version=args.version)
    print(f"current plan: {chosen.plan_code} version {chosen.version} ({chosen.title_zh})")
    return 0


def cmd_plan_list(args: argparse.Namespace) -> int:
    """List the stored plans and versions, marking the current one."""
    _django()
    _require_migrated()
    from carbonpeak.web.plan.selectors import plan_list

    rows = plan_list()
    if args.format == "json":
        items = [
            {
                "plan": r.plan_code,
                "version": r.version,
                "title_zh": r.title_zh,
                "title_en": r.title_en,
                "district_zh": r.district_zh,
                "loaded_at": r.loaded_at.isoformat(),
                "synthetic": r.synthetic,
                "current": r.current,
            }
            for r in rows
        ]
        print(json.dumps(items, ensure_ascii=False, indent=2, allow_nan=False))
        return 0
    if not rows:
        print("no plan is stored; load one with 'carbonpeak setup --plan FILE' or 'carbonpeak plan load'")
        return 0
    for r in rows:
        mark = "*" if r.current else " "
        label = " (synthetic)" if r.synthetic else ""
        print(f"{mark} {r.plan_code} v{r.version}  {r.title_zh}{label}  loaded {r.loaded_at:%Y-%m-%d %H:%M}")
    print("* current plan")
    return 0


def register_setup(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``carbonpeak setup``."""
    setup = commands.add_parser("setup", help="production set-up: migrate, reference data, plan, admin")
    setup.add_argument("--plan", required=True, help="the district's plan file (YAML or JSON)")
    setup.add_argument("--data-dir", help="reference data directory (default: the packaged data)")
    setup.add_argument(
        "--admin",
        metavar="USER",
        help=f"create the office administrator USER (password from {ADMIN_PASSWORD_VARIABLE} or a prompt)",
    )
    setup.set_defaults(func=cmd_setup)


def register_data_load(data_commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``carbonpeak data load``."""
    load = data_commands.add_parser("load", help="load new reference-table versions (old ones are kept)")
    load.add_argument("--data-dir", help="directory with manifest.yaml (default: the packaged data)")
    load.set_defaults(func=cmd_data_load)


def register_plan_choice(plan_commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``carbonpeak plan use`` and ``carbonpeak plan list``."""
    use = plan_commands.add_parser("use", help="make a stored plan the current plan")
    use.add_argument("plan_id")
    use.add_argument("--version", type=int, help="version number (default: the latest)")
    use.set_defaults(func=cmd_plan_use)
    listing = plan_commands.add_parser("list", help="list stored plans, marking the current one")
    listing.add_argument("--format", choices=["text", "json"], default="text")
    listing.set_defaults(func=cmd_plan_list)
