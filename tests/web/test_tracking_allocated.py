"""A target the plan leaves to a higher level (确保完成本市下达指标) gets the value the office enters."""

from __future__ import annotations

from datetime import date

import pytest

from carbonpeak.web.tracking import selectors
from carbonpeak.web.tracking.models import AllocatedTargetValue, AuditEntry

pytestmark = pytest.mark.django_db

TARGET = "carbon_intensity_reduction_2025"  # the reference plan states no value: the city allocates it
URL = f"/tracking/targets/{TARGET}/allocate/"


def _row():
    return next(r for r in selectors.target_rows(as_of=date(2026, 6, 30)) if r.code == TARGET)


def test_only_the_office_enters_an_allocated_value(client, reference_plan, office_admin, unit_user):
    form = {"value": "18", "source_document": "市下达各区“十四五”碳强度目标 (SYNTHETIC test)"}
    assert client.post(URL, form).status_code == 302  # anonymous: to the login page
    assert AllocatedTargetValue.objects.count() == 0
    client.force_login(unit_user)
    assert client.post(URL, form).status_code == 403
    assert AllocatedTargetValue.objects.count() == 0
    assert _row().info.value is None

    client.force_login(office_admin)
    assert 'id="allocate"' in client.get(f"/tracking/targets/{TARGET}/").content.decode()
    assert client.post(URL, form).status_code == 302
    row = _row()
    assert row.info.value == 18.0
    assert row.info.allocated_source == form["source_document"]
    assert "allocated-source" in client.get(f"/tracking/targets/{TARGET}/").content.decode()
    entry = AuditEntry.objects.get(action="allocate")
    assert entry.after == {"value": 18.0, "source": form["source_document"]}

    # a correction is a new version; the latest counts and the first is kept
    assert client.post(URL, {**form, "value": "19.5"}).status_code == 302
    assert list(AllocatedTargetValue.objects.values_list("version", "value")) == [(1, 18.0), (2, 19.5)]
    assert _row().info.value == 19.5


def test_implausible_or_unsourced_values_are_refused(client, reference_plan, office_admin):
    client.force_login(office_admin)
    client.post(URL, {"value": "150", "source_document": "doc"})  # a % above 100
    client.post(URL, {"value": "10", "source_document": "  "})
    assert AllocatedTargetValue.objects.count() == 0
    # a target that states its own value takes no allocated one
    client.post(
        "/tracking/targets/energy_intensity_reduction_2025/allocate/", {"value": "5", "source_document": "x"}
    )
    assert AllocatedTargetValue.objects.count() == 0
