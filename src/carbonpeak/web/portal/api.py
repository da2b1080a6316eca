"""Portal API: health and version."""

from __future__ import annotations

from ninja import Router, Schema
from ninja.responses import Status

from carbonpeak import __version__
from carbonpeak.web.portal.selectors import database_status

router = Router(tags=["platform"])


class DatabaseOut(Schema):
    ok: bool
    vendor: str
    migrated: bool
    error: str


class HealthOut(Schema):
    status: str
    version: str
    database: DatabaseOut


def health_payload() -> HealthOut:
    """Return the health document used by ``/healthz`` and ``/api/health``."""
    db = database_status()
    status = "ok" if db.ok and db.migrated else "error"
    return HealthOut(
        status=status,
        version=__version__,
        database=DatabaseOut(ok=db.ok, vendor=db.vendor, migrated=db.migrated, error=db.error),
    )


@router.get("/health", response={200: HealthOut, 503: HealthOut}, summary="Platform and database health")
def health(request: object) -> Status[HealthOut]:
    payload = health_payload()
    return Status(200 if payload.status == "ok" else 503, payload)
