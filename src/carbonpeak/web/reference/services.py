"""Write services for reference data."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from carbonpeak.core.errors import CarbonpeakError, ReferenceDataError
from carbonpeak.io.reference import ReferenceData
from carbonpeak.specs.reference import KEY_COLUMNS
from carbonpeak.web.reference.models import ReferenceDefaults, ReferenceRow, ReferenceTableVersion


class ReferenceVersionConflictError(CarbonpeakError):
    """A table's content changed but its version did not."""


@dataclass
class ReferenceLoadResult:
    """Which table versions a load created and which were already present."""

    created: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def reference_data_load(*, reference: ReferenceData, loaded_by: User | None = None) -> ReferenceLoadResult:
    """Store every table of a validated library, keeping all earlier versions.

    Loading is idempotent: a table version already stored with the same content is left alone. A new
    version is added next to the old ones. The whole load is one transaction: it stores everything or
    nothing.

    Parameters
    ----------
    reference : ReferenceData
        The library as read by :func:`carbonpeak.io.reference.read_reference_data`.
    loaded_by : User, optional
        Who loaded it (``None`` for the command line).

    Raises
    ------
    ReferenceDataError
        If the library has validation errors.
    ReferenceVersionConflictError
        If a stored version's content differs from the file's: the file changed without a version bump.
    """
    if not reference.ok or reference.library is None:
        first = reference.issues[0] if reference.issues else "no library"
        raise ReferenceDataError(
            f"reference data is invalid, nothing was loaded: {first}", list(reference.issues)
        )
    result = ReferenceLoadResult()
    now = timezone.now()
    with transaction.atomic():
        for table in reference.tables:
            entry = table.entry
            label = f"{entry.name} {entry.version}"
            existing = (
                ReferenceTableVersion.objects.select_for_update()
                .filter(name=entry.name, version=entry.version)
                .first()
            )
            if existing is not None:
                if existing.sha256 != table.sha256:
                    raise ReferenceVersionConflictError(
                        f"{entry.file}: table {entry.name} version {entry.version} is already loaded with "
                        "different content; bump its version in manifest.yaml to keep both"
                    )
                result.unchanged.append(label)
                continue
            version = ReferenceTableVersion.objects.create(
                name=entry.name,
                kind=entry.kind,
                version=entry.version,
                file=entry.file,
                title_zh=entry.title_zh,
                title_en=entry.title_en,
                sha256=table.sha256,
                row_count=len(table.rows),
                loaded_at=now,
                loaded_by=loaded_by,
            )
            key_column = KEY_COLUMNS[entry.kind][0]
            ReferenceRow.objects.bulk_create(
                ReferenceRow(
                    table_version=version,
                    row_number=number,
                    key=row[key_column],
                    evidence=row.get("evidence", ""),
                    data=row,
                )
                for number, row in enumerate(table.rows, start=2)
            )
            result.created.append(label)
        defaults = {k: v for k, v in reference.library.defaults.items() if v is not None}
        latest = ReferenceDefaults.objects.order_by("-loaded_at", "-id").first()
        if latest is None or latest.defaults != defaults:
            ReferenceDefaults.objects.create(defaults=defaults, loaded_at=now)
    return result
