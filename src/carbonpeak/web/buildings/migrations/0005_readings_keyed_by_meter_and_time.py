"""Readings and rollups keyed by their natural key: one index each instead of two (issue 5, bulk ingest).

``Reading`` loses its surrogate ``id``: the (meter, ts) key becomes the primary key, and ``flag`` is NULL
unless a correction was made. ``MeterRollup`` is keyed by (meter, period, start). On SQLite both tables are
rebuilt ``WITHOUT ROWID``, clustered on that key. Every stored row is kept; an empty flag becomes NULL.

Django's autodetector cannot turn a single-field primary key into a composite one in place, so the state
changes are Django's and the database changes are written here for each backend.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations, models

_SQLITE_FORWARD = [
    'CREATE TABLE "new__buildings_reading" ("meter_id" bigint NOT NULL, "ts" datetime NOT NULL, '
    '"raw" real NOT NULL, "consumption" real NOT NULL, "flag" varchar(120) NULL, '
    'PRIMARY KEY ("meter_id", "ts")) WITHOUT ROWID',
    'INSERT INTO "new__buildings_reading" ("meter_id", "ts", "raw", "consumption", "flag") '
    'SELECT "meter_id", "ts", "raw", "consumption", NULLIF("flag", \'\') FROM "buildings_reading"',
    'DROP TABLE "buildings_reading"',
    'ALTER TABLE "new__buildings_reading" RENAME TO "buildings_reading"',
    'CREATE TABLE "new__buildings_meterrollup" ("meter_id" bigint NOT NULL, "period" varchar(5) NOT NULL, '
    '"start" datetime NOT NULL, "consumption" real NOT NULL, '
    '"readings" integer unsigned NOT NULL CHECK ("readings" >= 0), '
    'PRIMARY KEY ("meter_id", "period", "start")) WITHOUT ROWID',
    'INSERT INTO "new__buildings_meterrollup" ("meter_id", "period", "start", "consumption", "readings") '
    'SELECT "meter_id", "period", "start", "consumption", "readings" FROM "buildings_meterrollup"',
    'DROP TABLE "buildings_meterrollup"',
    'ALTER TABLE "new__buildings_meterrollup" RENAME TO "buildings_meterrollup"',
    'CREATE INDEX "rollup_month_start" ON "buildings_meterrollup" ("start" DESC) WHERE "period" = \'month\'',
]

_POSTGRESQL_FORWARD = [
    'ALTER TABLE "buildings_reading" DROP CONSTRAINT "reading_meter_ts_unique"',
    'ALTER TABLE "buildings_reading" DROP COLUMN "id"',
    'ALTER TABLE "buildings_reading" ADD CONSTRAINT "buildings_reading_pkey" PRIMARY KEY ("meter_id", "ts")',
    'ALTER TABLE "buildings_reading" ALTER COLUMN "flag" DROP NOT NULL',
    'UPDATE "buildings_reading" SET "flag" = NULL WHERE "flag" = \'\'',
    'ALTER TABLE "buildings_meterrollup" DROP CONSTRAINT "rollup_unique"',
    'ALTER TABLE "buildings_meterrollup" DROP COLUMN "id"',
    'ALTER TABLE "buildings_meterrollup" ADD CONSTRAINT "buildings_meterrollup_pkey" '
    'PRIMARY KEY ("meter_id", "period", "start")',
]


def _forward(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": _SQLITE_FORWARD, "postgresql": _POSTGRESQL_FORWARD}.get(vendor)
    if statements is None:
        raise RuntimeError(f"migration buildings 0005 supports SQLite and PostgreSQL, not {vendor}")
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("buildings", "0004_rollup_month_index"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveConstraint(model_name="meterrollup", name="rollup_unique"),
                migrations.RemoveConstraint(model_name="reading", name="reading_meter_ts_unique"),
                migrations.RemoveField(model_name="meterrollup", name="id"),
                migrations.RemoveField(model_name="reading", name="id"),
                migrations.AddField(
                    model_name="meterrollup",
                    name="pk",
                    field=models.CompositePrimaryKey(
                        "meter",
                        "period",
                        "start",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                migrations.AddField(
                    model_name="reading",
                    name="pk",
                    field=models.CompositePrimaryKey(
                        "meter", "ts", blank=True, editable=False, primary_key=True, serialize=False
                    ),
                ),
                migrations.AlterField(
                    model_name="reading",
                    name="flag",
                    field=models.CharField(blank=True, max_length=120, null=True),
                ),
            ],
            database_operations=[migrations.RunPython(_forward, migrations.RunPython.noop, elidable=False)],
        ),
    ]
