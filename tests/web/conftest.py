"""Web and database tests run on SQLite and again on PostgreSQL (``DATABASE_URL=postgresql://...``).

When ``DATABASE_URL`` points at a PostgreSQL server that cannot be reached, every test here is skipped
with the reason shown; with ``CI=true`` the run fails instead, because CI must test PostgreSQL.
"""

import os

import pytest
from django.conf import settings

from carbonpeak.data import DATA_DIR
from carbonpeak.io.reference import read_reference_data


def _postgres_problem() -> str | None:
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        return None
    import psycopg

    try:
        with psycopg.connect(
            host=db.get("HOST") or None,
            port=db.get("PORT") or None,
            user=db.get("USER") or None,
            password=db.get("PASSWORD") or None,
            dbname="postgres",
            connect_timeout=5,
        ):
            return None
    except psycopg.Error as exc:
        reason = str(exc).strip().splitlines()[0]
        return f"PostgreSQL at {db.get('HOST')}:{db.get('PORT')} is unreachable: {reason}"


def pytest_collection_modifyitems(config, items):
    problem = _postgres_problem()
    if problem is None:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.exit(f"CI=true and {problem}", returncode=1)
    marker = pytest.mark.skip(reason=problem)
    for item in items:
        item.add_marker(marker)


@pytest.fixture
def reference_loaded(db):
    """The packaged reference data loaded into the test database."""
    from carbonpeak.web.reference.services import reference_data_load

    return reference_data_load(reference=read_reference_data(DATA_DIR))


@pytest.fixture
def reference_plan(db):
    """The reference district's plan loaded and current (it names the region whose factors runs use)."""
    from carbonpeak.data import REFERENCE_PLAN
    from carbonpeak.io.plan import read_plan_file
    from carbonpeak.web.plan.services import plan_load

    return plan_load(plan=read_plan_file(REFERENCE_PLAN).plan).version


@pytest.fixture
def office_admin(django_user_model):
    return django_user_model.objects.create_user(
        "office", password="office-pass-2026", is_staff=True, is_superuser=True
    )


@pytest.fixture
def unit_user(django_user_model):
    return django_user_model.objects.create_user("unit-reporter", password="unit-pass-2026")


@pytest.fixture
def site(tmp_path, reference_loaded, reference_plan):
    """Two buildings and their meters (``tests/web/buildings_fixtures.py``) loaded through the services."""
    from carbonpeak.io.buildings import read_buildings_file, read_meters_file
    from carbonpeak.web.buildings import services
    from tests.web.buildings_fixtures import BUILDINGS, METERS

    for name, text, reader, service in (
        ("b.csv", BUILDINGS, read_buildings_file, services.buildings_import),
        ("m.csv", METERS, read_meters_file, services.meters_import),
    ):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        parsed = reader(path)
        assert parsed.ok, parsed.errors
        assert service(rows=parsed.rows).errors == []
    return tmp_path
