"""Fixtures shared by the tracking tests: the synthetic example plan, users in every role, evidence."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from openpyxl import Workbook

from carbonpeak.io.plan import read_plan_file
from carbonpeak.web.plan.services import plan_load
from carbonpeak.web.tracking.models import UnitMembership

EXAMPLE_PLAN = Path(__file__).parents[1] / "fixtures" / "plans" / "example-district.yaml"
PASSWORD = "tracking-pass-2026"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def xlsx_bytes() -> bytes:
    """A real (tiny) Excel workbook."""
    book = Workbook()
    book.active.append(["year", "value"])  # type: ignore[union-attr]
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@dataclass
class Users:
    office: User
    analyst: User
    drc_reporter: User
    drc_viewer: User
    transport_reporter: User
    nobody: User


@pytest.fixture
def example_plan(db):
    """The synthetic example district's plan (drc leads public_building_retrofit_14th, a cumulative
    addition reported by hand, and pv_capacity_added_14th, which the PV registry computes; transport leads
    charging)."""
    result = read_plan_file(EXAMPLE_PLAN)
    assert result.ok, result.errors()
    return plan_load(plan=result.plan, source_file=EXAMPLE_PLAN.name).version


@pytest.fixture
def evidence_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path


@pytest.fixture
def users(db, settings) -> Users:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast, tests only

    def make(name: str, **extra: object) -> User:
        return User.objects.create_user(name, password=PASSWORD, email=f"{name}@example.invalid", **extra)

    office = make("office-user")
    office.groups.add(Group.objects.get_or_create(name="office")[0])
    analyst = make("analyst-user")
    analyst.groups.add(Group.objects.get_or_create(name="analyst")[0])
    drc_reporter = make("drc-reporter")
    UnitMembership.objects.create(user=drc_reporter, unit_code="drc", role=UnitMembership.REPORTER)
    drc_viewer = make("drc-viewer")
    UnitMembership.objects.create(user=drc_viewer, unit_code="drc", role=UnitMembership.VIEWER)
    transport_reporter = make("transport-reporter")
    UnitMembership.objects.create(
        user=transport_reporter, unit_code="transport", role=UnitMembership.REPORTER
    )
    return Users(office, analyst, drc_reporter, drc_viewer, transport_reporter, make("nobody"))
