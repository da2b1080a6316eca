"""Write services for the projection: import driver files atomically, save scenario versions."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from carbonpeak.core.projection import SCENARIOS, Distribution, ProjectionError
from carbonpeak.core.projection import Scenario as CoreScenario
from carbonpeak.io.projection import read_drivers_file
from carbonpeak.io.tabular import RowError
from carbonpeak.web.portal.uploads import tabular_upload_check
from carbonpeak.web.projection import selectors
from carbonpeak.web.projection.levers import apply_sliders
from carbonpeak.web.projection.models import DriverSet, DriverValue, Scenario

NAME_MAX = 100


@dataclass
class DriversImportResult:
    """The stored driver set, or the errors (one per bad row) that rejected the file."""

    driver_set: DriverSet | None
    errors: list[RowError]
    created: bool = False


def driver_set_import(
    *, name: str, filename: str, content: bytes, imported_by: User | None = None, synthetic: bool = False
) -> DriversImportResult:
    """Validate a driver file and store it whole, or store nothing and return every bad row.

    Re-importing the same rows returns the stored set. A file with any ``synthetic`` evidence is a
    synthetic set.

    Raises
    ------
    UploadRejectedError
        If the file is not .csv/.xlsx or is larger than ``CARBONPEAK_MAX_UPLOAD_MB``.
    """
    tabular_upload_check(filename=filename, content=content)
    read = read_drivers_file(Path(filename), content)
    if not read.ok:
        return DriversImportResult(None, read.errors)
    canonical = json.dumps([asdict(r) | {"row": 0} for r in read.rows], ensure_ascii=False, sort_keys=True)
    sha = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    existing = DriverSet.objects.filter(sha256=sha).first()
    if existing is not None:
        return DriversImportResult(existing, [], created=False)
    synthetic = synthetic or any(r.evidence == "synthetic" for r in read.rows)
    with transaction.atomic():
        driver_set = DriverSet.objects.create(
            name=name or filename,
            source_file=filename,
            sha256=sha,
            synthetic=synthetic,
            imported_at=timezone.now(),
            imported_by=imported_by,
        )
        DriverValue.objects.bulk_create(
            DriverValue(
                driver_set=driver_set,
                row_number=r.row,
                driver=r.driver,
                year=r.year,
                value=r.value,
                unit=r.unit,
                source=r.source,
                evidence=r.evidence,
                note=r.note,
            )
            for r in read.rows
        )
    return DriversImportResult(driver_set, [], created=True)


def _check_name(name: str) -> str:
    clean = name.strip()
    if not clean or len(clean) > NAME_MAX or any(ch in clean for ch in "/\\?#&"):
        raise ProjectionError(f"scenario name '{name}' must be 1-{NAME_MAX} characters without / \\ ? # &")
    return clean


def scenario_save(
    *,
    name: str,
    document: Mapping[str, Any],
    lever_settings: Mapping[str, float] | None = None,
    note: str = "",
    created_by: User | None = None,
) -> Scenario:
    """Store a new version of a named scenario (versions are numbered 1, 2, ...; nothing is overwritten).

    Parameters
    ----------
    name : str
        Scenario name; the document's own name is replaced by it.
    document : mapping
        A core ``Scenario.to_dict()`` document; it is validated by ``Scenario.from_dict``.
    lever_settings : mapping of str to float, optional
        The slider positions [% of the plan] it was made from (kept for display).

    Raises
    ------
    ProjectionError
        A bad name or an invalid document (the message names the key).
    """
    clean = _check_name(name)
    model = CoreScenario.from_dict({**dict(document), "name": clean})
    for _attempt in range(3):  # two concurrent saves of one name: the unique key decides, then retry
        try:
            with transaction.atomic():
                latest = Scenario.objects.filter(name=clean).aggregate(v=Max("version"))["v"] or 0
                return Scenario.objects.create(
                    name=clean,
                    version=latest + 1,
                    document=model.to_dict(),
                    lever_settings=dict(lever_settings or {}),
                    note=note,
                    created_at=timezone.now(),
                    created_by=created_by,
                )
        except IntegrityError:
            continue
    raise ProjectionError(f"could not save scenario '{clean}': concurrent saves, try again")


def scenario_from_sliders_save(
    *,
    name: str,
    base: CoreScenario,
    lever_settings: Mapping[str, float],
    uncertainty: Sequence[Mapping[str, Any]] | None = None,
    note: str = "",
    created_by: User | None = None,
) -> Scenario:
    """Save a user scenario: ``base`` (the plan) with its levers at the slider settings [% of the plan].

    ``uncertainty`` (a list of ``{"name", "dist", "params", "note"}``) replaces the base's Monte Carlo
    specification when given.
    """
    if name.strip().lower() in SCENARIOS:
        raise ProjectionError(f"'{name}' is a built-in scenario name: choose another")
    scenario = apply_sliders(base, lever_settings, name=_check_name(name))
    if uncertainty is not None:
        scenario = replace(scenario, uncertainty=tuple(Distribution.from_dict(d) for d in uncertainty))
    return scenario_save(
        name=scenario.name,
        document=scenario.to_dict(),
        lever_settings={k: float(v) for k, v in lever_settings.items()},
        note=note,
        created_by=created_by,
    )


TREND_YEARS = 5
"""Years of history whose mean growth is the default scenarios' central driver growth (an assumption)."""


def driver_trend(series: Mapping[str, Mapping[int, float]], *, years: int = TREND_YEARS) -> dict[str, float]:
    """Mean annual growth of each driver over its last ``years`` years [1/a] (compound, rounded to 1e-4).

    This is trend extrapolation, a modelling **assumption**, not an outlook of any authority.
    """
    out: dict[str, float] = {}
    for driver, values in series.items():
        ordered = sorted(values)
        if len(ordered) < 2:
            continue
        first = ordered[max(0, len(ordered) - 1 - years)]
        last = ordered[-1]
        if values[first] > 0 and last > first:
            out[driver] = round((values[last] / values[first]) ** (1 / (last - first)) - 1, 4)
    return out


def scenario_defaults_ensure(*, driver_set: DriverSet | None = None) -> list[Scenario]:
    """Store version 1 of BAU and Plan (the core's ``bau_scenario``/``plan_scenario``) if they are missing.

    With a driver set, both take the same central driver growth: each driver's mean growth over its last
    :data:`TREND_YEARS` years (:func:`driver_trend`, an assumption written in the version's note). Without
    one they keep the core's default of no growth.
    """
    growth: dict[str, float] = {}
    note = "default (carbonpeak.core.projection): no driver growth (assumption)"
    if driver_set is not None:
        series: dict[str, dict[int, float]] = {}
        for driver, year, value in driver_set.values.values_list("driver", "year", "value"):
            series.setdefault(driver, {})[int(year)] = float(value)
        growth = driver_trend(series)
        synthetic = " SYNTHETIC" if driver_set.synthetic else ""
        note = (
            f"default (carbonpeak.core.projection); driver growth = mean growth of the last {TREND_YEARS} "
            f"years of{synthetic} driver set {driver_set.pk} (assumption: trend extrapolation)"
        )
    created = []
    for code in SCENARIOS:
        if not Scenario.objects.filter(name=code).exists():
            created.append(
                scenario_save(
                    name=code,
                    document=selectors.default_scenario(code, driver_growth=growth).to_dict(),
                    note=note,
                )
            )
    return created
