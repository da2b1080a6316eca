"""Read-only queries for reference data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max

from carbonpeak.core.errors import UnitError
from carbonpeak.core.factors import FactorLibrary
from carbonpeak.core.units import convert
from carbonpeak.io.reference import library_from_rows
from carbonpeak.web.reference.models import ReferenceRow, ReferenceTableVersion


def latest_versions() -> list[ReferenceTableVersion]:
    """Return the most recently loaded version of each table, ordered by name."""
    latest: dict[str, ReferenceTableVersion] = {}
    for version in ReferenceTableVersion.objects.order_by("name", "-loaded_at", "-id"):
        latest.setdefault(version.name, version)
    return list(latest.values())


def table_versions(*, name: str) -> list[ReferenceTableVersion]:
    """Return every loaded version of a table, newest first."""
    return list(ReferenceTableVersion.objects.filter(name=name).order_by("-loaded_at", "-id"))


def table_rows(*, table_version: ReferenceTableVersion) -> list[ReferenceRow]:
    """Return the rows of a table version in file order."""
    return list(table_version.rows.order_by("row_number"))


@dataclass(frozen=True)
class LibrarySummary:
    """What the home page says about the reference data library."""

    tables: list[ReferenceTableVersion]
    row_count: int
    evidence_counts: dict[str, int]
    loaded_at: Any


def library_summary() -> LibrarySummary:
    """Summarise the latest loaded version of every table."""
    tables = latest_versions()
    counts = {tag: 0 for tag in "VSRX"}
    aggregates = (
        ReferenceRow.objects.filter(table_version__in=tables).values("evidence").annotate(n=Count("id"))
    )
    for item in aggregates:
        counts[item["evidence"]] = counts.get(item["evidence"], 0) + item["n"]
    loaded = ReferenceTableVersion.objects.filter(id__in=[t.id for t in tables]).aggregate(m=Max("loaded_at"))
    return LibrarySummary(tables, sum(t.row_count for t in tables), counts, loaded["m"])


def electricity_factor_chart(*, unit: str = "kgCO2/kWh") -> dict[str, Any]:
    """Compare the electricity factor series by year, for the home-page chart.

    The series drawn are the loaded data's default series (the district's own, e.g. a province's notice)
    and the MEE/NBS averages. Each series is one (series, region) of rows in force with a single-year
    validity; a row valid for all years (a provincial default) is drawn as a flat line over the same
    years. Values are converted to ``unit``. Each series carries its region's names from the regions
    table and whether it is the default, so the page names no region of its own.
    """
    version = next((t for t in latest_versions() if t.kind == "electricity"), None)
    if version is None:
        return {"unit": unit, "years": [], "series": []}
    default = (stored_defaults() or {}).get("electricity", "")
    regions_version = next((t for t in latest_versions() if t.kind == "regions"), None)
    regions = {
        r.data["code"]: r.data for r in (table_rows(table_version=regions_version) if regions_version else [])
    }
    rows = [
        r.data
        for r in table_rows(table_version=version)
        if r.data.get("value") and not r.data.get("superseded_by")
    ]
    years = sorted({int(r["year_from"]) for r in rows if r["year_from"] and r["year_from"] == r["year_to"]})
    grouped: dict[tuple[str, str], dict[int | None, float]] = {}
    documents: dict[tuple[str, str], str] = {}
    for row in rows:
        if row["series"] not in {default, "mee_nbs_average"}:
            continue
        try:
            value = convert(float(row["value"]), row["unit"], unit)
        except (UnitError, ValueError):
            continue
        year = int(row["year_from"]) if row["year_from"] and row["year_from"] == row["year_to"] else None
        grouped.setdefault((row["series"], row["region"]), {})[year] = round(value, 4)
        documents[(row["series"], row["region"])] = row.get("document_no", "")
    series = []
    for (name, region), values in sorted(grouped.items()):
        data = [values.get(year, values.get(None)) for year in years]
        place = regions.get(region, {})
        series.append(
            {
                "series": name,
                "region": region,
                "region_zh": place.get("name_zh", region),
                "region_en": place.get("name_en", region),
                "document_no": documents[(name, region)],
                "default": name == default,
                "data": data,
            }
        )
    return {"unit": unit, "years": years, "series": series}


def stored_defaults() -> dict[str, str] | None:
    """The default series of the loaded reference data (the latest load's manifest), if any is stored."""
    from carbonpeak.web.reference.models import ReferenceDefaults

    latest = ReferenceDefaults.objects.order_by("-loaded_at", "-id").first()
    return None if latest is None else dict(latest.defaults)


def factor_library(
    *, versions: dict[str, str] | None = None, defaults: dict[str, str] | None = None
) -> FactorLibrary:
    """The factor library built from stored table versions: the given ``{table: version}``, else the latest.

    This is what makes a frozen inventory reproducible: the rows of the exact versions it used are kept.
    """
    from carbonpeak.data import packaged_library

    chosen = latest_versions()
    if versions is not None:
        chosen = [
            ReferenceTableVersion.objects.get(name=name, version=version)
            for name, version in versions.items()
        ]
    defaults = defaults or stored_defaults() or dict(packaged_library().defaults)
    # Stored table versions never change (a revision is a new version), so a library built from the same
    # versions and defaults is the same library: build it once per process.
    key = (tuple(sorted(t.pk for t in chosen)), tuple(sorted(defaults.items())))
    library = _LIBRARIES.get(key)
    if library is None:
        tables = [(t.name, t.kind, t.version, [r.data for r in table_rows(table_version=t)]) for t in chosen]
        library = library_from_rows(tables, defaults)
        if len(_LIBRARIES) >= 16:
            _LIBRARIES.pop(next(iter(_LIBRARIES)))
        _LIBRARIES[key] = library
    return library


_LIBRARIES: dict[tuple[tuple[int, ...], tuple[tuple[str, str], ...]], FactorLibrary] = {}
"""Factor libraries by (table version ids, defaults); see :func:`factor_library`."""
