"""Read-only queries for the portal."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import DatabaseError, connection


@dataclass(frozen=True)
class DatabaseStatus:
    """Result of a database round trip."""

    ok: bool
    vendor: str
    migrated: bool
    error: str = ""


def database_status() -> DatabaseStatus:
    """Check the database with a query and report whether migrations have been applied."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        migrated = "reference_referencetableversion" in connection.introspection.table_names()
    except DatabaseError as exc:
        return DatabaseStatus(ok=False, vendor=connection.vendor, migrated=False, error=str(exc).strip())
    return DatabaseStatus(ok=True, vendor=connection.vendor, migrated=migrated)
