"""Read and validate the reference data library (manifest plus CSV tables).

:func:`read_reference_data` returns every problem it finds, each naming file, row and field, rather than
stopping at the first; :func:`load_factor_library` raises when the library is invalid.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from carbonpeak.core.errors import ReferenceDataError
from carbonpeak.core.factors import FactorLibrary, TableInfo
from carbonpeak.core.flags import DataIssue, Severity
from carbonpeak.specs.reference import FACTOR_KINDS, KEY_COLUMNS, ROW_SCHEMAS, Manifest, TableEntry

MANIFEST_NAME = "manifest.yaml"


@dataclass
class LoadedTable:
    """One reference table as read from disk.

    Attributes
    ----------
    entry : TableEntry
        Its manifest entry (name, kind, file, version).
    path : Path
        File it was read from.
    sha256 : str
        Hash of the file's bytes, to tell a changed table from a re-load of the same one.
    rows : list of dict
        Raw rows (column name to text), in file order.
    records : list
        Typed rows for the rows that validated.
    """

    entry: TableEntry
    path: Path
    sha256: str
    rows: list[dict[str, str]] = field(default_factory=list)
    records: list[Any] = field(default_factory=list)


@dataclass
class ReferenceData:
    """The whole library as read: manifest, tables, issues and (when valid) the factor library."""

    data_dir: Path
    manifest: Manifest | None
    tables: list[LoadedTable]
    issues: list[DataIssue]
    library: FactorLibrary | None

    @property
    def ok(self) -> bool:
        """Whether no issue is an error."""
        return not any(i.severity is Severity.ERROR for i in self.issues)


def _pydantic_issues(file: str, row: int, exc: ValidationError) -> list[DataIssue]:
    issues = []
    for error in exc.errors():
        message = str(error["msg"]).removeprefix("Value error, ")
        loc = [str(part) for part in error["loc"]]
        name = loc[0] if loc else None
        if name is None and ": " in message:
            name, message = message.split(": ", 1)
        if error["type"] == "missing":
            message = "is required"
        issues.append(DataIssue(file, row, name, message))
    return issues


def read_csv_table(path: Path, entry: TableEntry, label: str) -> tuple[LoadedTable, list[DataIssue]]:
    """Read one CSV table and validate every row against its schema.

    Parameters
    ----------
    path : Path
        The CSV file (UTF-8, optionally with a BOM as Excel writes it).
    entry : TableEntry
        Its manifest entry; ``entry.kind`` selects the row schema.
    label : str
        How errors name the file (its path relative to the data directory).

    Returns
    -------
    tuple of (LoadedTable, list of DataIssue)
        The table with the rows that validated, and one issue per problem.
    """
    raw = path.read_bytes()
    table = LoadedTable(entry=entry, path=path, sha256=hashlib.sha256(raw).hexdigest())
    schema: type[BaseModel] = ROW_SCHEMAS[entry.kind]
    issues: list[DataIssue] = []
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return table, [DataIssue(label, None, None, f"is not UTF-8 text ({exc.reason} at byte {exc.start})")]
    reader = csv.DictReader(text.splitlines())
    header = reader.fieldnames or []
    known = set(schema.model_fields)
    required = {name for name, info in schema.model_fields.items() if info.is_required()}
    for column in header:
        if column not in known:
            issues.append(DataIssue(label, 1, column, "unknown column"))
    for column in sorted(required - set(header)):
        issues.append(DataIssue(label, 1, column, "required column is missing"))
    if issues:
        return table, issues
    keys = KEY_COLUMNS[entry.kind]
    seen: dict[tuple[str, ...], int] = {}
    for number, row in enumerate(reader, start=2):
        if None in row:
            issues.append(DataIssue(label, number, None, "has more cells than the header has columns"))
            continue
        values = {k: (v if v is not None else "") for k, v in row.items()}
        table.rows.append(values)
        key = tuple(values.get(k, "") for k in keys)
        if key in seen:
            issues.append(
                DataIssue(
                    label, number, keys[0], f"duplicate key '{'/'.join(key)}' (first at row {seen[key]})"
                )
            )
            continue
        seen[key] = number
        try:
            model = schema.model_validate(values)
        except ValidationError as exc:
            issues += _pydantic_issues(label, number, exc)
            continue
        table.records.append(model.to_record())  # type: ignore[attr-defined]
    if not table.rows:
        issues.append(DataIssue(label, None, None, "has no data rows"))
    return table, issues


def read_manifest(data_dir: Path) -> tuple[Manifest | None, list[DataIssue]]:
    """Read and validate ``manifest.yaml`` in ``data_dir``."""
    path = data_dir / MANIFEST_NAME
    if not path.is_file():
        return None, [DataIssue(MANIFEST_NAME, None, None, f"not found in {data_dir}")]
    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        return None, [DataIssue(MANIFEST_NAME, None, None, f"is not valid YAML: {exc}")]
    try:
        return Manifest.model_validate(content), []
    except ValidationError as exc:
        return None, [
            DataIssue(
                MANIFEST_NAME,
                None,
                ".".join(str(p) for p in e["loc"]) or None,
                str(e["msg"]).removeprefix("Value error, "),
            )
            for e in exc.errors()
        ]


def read_reference_data(data_dir: Path) -> ReferenceData:
    """Read the manifest and every table, validate them, and build the factor library if all is well.

    Parameters
    ----------
    data_dir : Path
        Directory holding ``manifest.yaml`` and the tables it lists.

    Returns
    -------
    ReferenceData
        Tables, every issue found (file, row, field, message) and, when there are no errors, the
        :class:`~carbonpeak.core.factors.FactorLibrary`.
    """
    manifest, issues = read_manifest(data_dir)
    tables: list[LoadedTable] = []
    if manifest is None:
        return ReferenceData(data_dir, None, tables, issues, None)
    for entry in manifest.tables:
        path = data_dir / entry.file
        if not path.is_file():
            issues.append(DataIssue(entry.file, None, None, "is listed in the manifest but does not exist"))
            continue
        table, table_issues = read_csv_table(path, entry, entry.file)
        tables.append(table)
        issues += table_issues
    listed = {(data_dir / t.file).resolve() for t in manifest.tables}
    for stray in sorted(data_dir.rglob("*.csv")):
        if stray.resolve() not in listed:
            issues.append(
                DataIssue(
                    str(stray.relative_to(data_dir)),
                    None,
                    None,
                    "is not listed in the manifest, so nothing validates or loads it",
                )
            )
    if issues:
        return ReferenceData(data_dir, manifest, tables, issues, None)
    by_kind = {t.entry.kind: t for t in tables}
    library = FactorLibrary(
        electricity=tuple(by_kind["electricity"].records),
        heat=tuple(by_kind["heat"].records),
        fuels=tuple(by_kind["fuels"].records),
        coal_coefficients=tuple(by_kind["coal_coefficients"].records),
        regions=tuple(by_kind["regions"].records),
        tables={k: TableInfo(t.entry.name, t.entry.version, k) for k, t in by_kind.items()},
        defaults=manifest.defaults.model_dump(),
    )
    quota_keys: dict[str, int] = {}
    for table in tables:
        if table.entry.kind != "building_quotas":
            continue
        for number, row in enumerate(table.rows, start=2):
            use = row.get("primary_use", "")
            if use and use in quota_keys:
                issues.append(
                    DataIssue(
                        table.entry.file,
                        number,
                        "primary_use",
                        f"'{use}' already defaults to the quota at row {quota_keys[use]}",
                    )
                )
            elif use:
                quota_keys[use] = number
    file_of = {t.entry.name: t.entry.file for t in tables}
    file_of["manifest"] = MANIFEST_NAME
    row_of = {
        (t.entry.name, row.get("factor_id") or row.get("code")): number
        for t in tables
        for number, row in enumerate(t.rows, start=2)
    }
    for issue in library.check():
        located = row_of.get((issue.file, issue.key), issue.row)
        message = f"row {issue.key}: {issue.message}" if issue.key and located is None else issue.message
        issues.append(
            DataIssue(
                file_of.get(issue.file, issue.file), located, issue.field, message, issue.severity, issue.key
            )
        )
    return ReferenceData(data_dir, manifest, tables, issues, None if issues else library)


def load_factor_library(data_dir: Path) -> FactorLibrary:
    """Read the library and return it, or raise if any table is invalid.

    Raises
    ------
    ReferenceDataError
        With every issue found, the first in the message.
    """
    data = read_reference_data(data_dir)
    if data.library is None:
        first = data.issues[0] if data.issues else "unknown problem"
        raise ReferenceDataError(f"reference data in {data_dir} is invalid: {first}", list(data.issues))
    return data.library


def library_from_rows(
    tables: list[tuple[str, str, str, list[dict[str, str]]]], defaults: dict[str, str]
) -> FactorLibrary:
    """Build a factor library from stored rows, e.g. the exact table versions a frozen inventory used.

    Parameters
    ----------
    tables : list of (name, kind, version, rows)
        One entry per table, with its rows as column-to-text mappings (as loaded from the CSV).
    defaults : dict
        Default series (``electricity``, ``heat``, ``fuel``, ``standard_coal``).

    Raises
    ------
    ReferenceDataError
        If a row no longer validates or a table kind is missing.
    """
    records: dict[str, list[Any]] = {}
    infos: dict[str, TableInfo] = {}
    issues: list[DataIssue] = []
    for name, kind, version, rows in tables:
        if kind not in FACTOR_KINDS:
            continue
        schema: type[BaseModel] = ROW_SCHEMAS[kind]
        infos[kind] = TableInfo(name, version, kind)
        bucket = records.setdefault(kind, [])
        for number, row in enumerate(rows, start=2):
            try:
                bucket.append(schema.model_validate(row).to_record())  # type: ignore[attr-defined]
            except ValidationError as exc:
                issues += _pydantic_issues(name, number, exc)
    missing = [kind for kind in FACTOR_KINDS if kind not in records]
    if not records and not issues:
        raise ReferenceDataError(
            "no reference data is loaded; run 'carbonpeak data load' (or 'carbonpeak setup --plan FILE')", []
        )
    if issues or missing:
        first = issues[0] if issues else f"missing tables: {', '.join(missing)}"
        raise ReferenceDataError(
            f"stored reference data is invalid: {first}; load the tables with 'carbonpeak data load'",
            list(issues),
        )
    return FactorLibrary(
        electricity=tuple(records["electricity"]),
        heat=tuple(records["heat"]),
        fuels=tuple(records["fuels"]),
        coal_coefficients=tuple(records["coal_coefficients"]),
        regions=tuple(records["regions"]),
        tables=infos,
        defaults=dict(defaults),
    )
