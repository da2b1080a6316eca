"""Permission matrix of target tracking: roles × endpoints, through the pages and the API.

Runs on SQLite and on PostgreSQL (``DATABASE_URL=postgresql://...``). A unit can never write another
unit's values or read its drafts; anonymous visitors see published data only.
"""

from __future__ import annotations

import pytest
from django.test import Client

from carbonpeak.web.tracking import services
from carbonpeak.web.tracking.models import AuditEntry, ReportedValue
from tests.web.tracking_fixtures import PASSWORD, PDF, evidence_dir, example_plan, users  # noqa: F401

pytestmark = pytest.mark.django_db
ROLES = ["anonymous", "nobody", "analyst", "drc_viewer", "drc_reporter", "transport_reporter", "office"]
DRC_TARGET = "public_building_retrofit_14th"  # lead unit drc, reported by hand
TRANSPORT_TARGET = "charging_in_new_parking"  # lead unit transport
DRAFT_NOTE = "DRAFT-NOTE-NOT-PUBLIC"
LOGIN = 302  # anonymous writes and internal pages redirect to the login page


@pytest.fixture
def world(example_plan, users, evidence_dir):  # noqa: F811
    """A drc draft for 2021 (with evidence) and a drc submission for 2022 awaiting the office."""
    reporter = services.Actor.for_user(users.drc_reporter)
    draft = services.reported_value_save(
        actor=reporter,
        target_code=DRC_TARGET,
        year=2021,
        value=0.3,
        note=DRAFT_NOTE,
        evidence=services.Evidence("stats.pdf", PDF),
    )
    services.reported_value_save(
        actor=reporter,
        target_code=DRC_TARGET,
        year=2022,
        value=1.9,
        evidence=services.Evidence("stats.pdf", PDF),
        submit=True,
    )
    return users, draft


def client_for(role: str, users) -> Client:  # noqa: F811
    client = Client()
    if role != "anonymous":
        assert client.login(username=getattr(users, role).username, password=PASSWORD)
    return client


def expect(role: str, allowed: set[str], ok: int, denied: int = 403) -> int:
    if role in allowed:
        return ok
    return LOGIN if role == "anonymous" else denied


READERS = set(ROLES)
DRC_MEMBERS = {"office", "drc_viewer", "drc_reporter"}


@pytest.mark.parametrize("role", ROLES)
def test_pages_read_matrix(role, world):
    people, draft = world
    client = client_for(role, people)
    assert client.get("/tracking/").status_code == 200
    detail = client.get(f"/tracking/targets/{DRC_TARGET}/")
    assert detail.status_code == 200
    assert (DRAFT_NOTE in detail.content.decode()) == (role in DRC_MEMBERS)
    assert client.get("/tracking/queue/").status_code == expect(role, {"office"}, 200)
    internal = set(ROLES) - {"anonymous", "nobody"}
    assert client.get("/tracking/overdue/").status_code == expect(role, internal, 200)
    assert client.get("/tracking/audit/").status_code == expect(role, {"office"}, 200)
    download = client.get(f"/tracking/evidence/{draft.pk}/")
    assert download.status_code == expect(role, DRC_MEMBERS, 200)
    if download.status_code == 200:
        assert b"".join(download.streaming_content) == PDF  # consuming it closes the file
    assert client.get("/").status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_pages_write_matrix(role, world):
    people, _ = world
    client = client_for(role, people)
    before = ReportedValue.objects.count()
    audited = set(AuditEntry.objects.values_list("pk", flat=True))
    own = client.post(f"/tracking/targets/{DRC_TARGET}/report/", {"year": 2021, "value": 0.4, "submit": "0"})
    assert own.status_code == expect(role, {"drc_reporter", "office"}, 302)
    other = client.post(
        f"/tracking/targets/{TRANSPORT_TARGET}/report/", {"year": 2023, "value": 90, "submit": "0"}
    )
    assert other.status_code == expect(role, {"transport_reporter", "office"}, 302)
    review = client.post(f"/tracking/targets/{DRC_TARGET}/review/", {"year": 2022, "decision": "approve"})
    assert review.status_code == expect(role, {"office"}, 302)
    written = ReportedValue.objects.count() - before
    expected = {"drc_reporter": 1, "transport_reporter": 1, "office": 3}.get(role, 0)
    assert written == expected
    approved = ReportedValue.objects.filter(state=ReportedValue.APPROVED).exists()
    assert approved == (role == "office")
    # Every write is in the audit log under the writer's name.
    new_entries = AuditEntry.objects.exclude(pk__in=audited)
    assert new_entries.count() == expected
    if expected:
        assert set(new_entries.values_list("actor", flat=True)) == {getattr(people, role).username}


@pytest.mark.parametrize("role", ROLES)
def test_api_matrix(role, world):
    people, _ = world
    client = client_for(role, people)
    targets = client.get("/api/tracking/targets")
    assert targets.status_code == 200
    assert {r["code"] for r in targets.json()} >= {DRC_TARGET, TRANSPORT_TARGET}
    values = client.get(f"/api/tracking/targets/{DRC_TARGET}/values")
    assert values.status_code == 200
    states = {v["state"] for v in values.json()}
    assert ("draft" in states) == (role in DRC_MEMBERS)
    review = client.post(
        f"/api/tracking/values/{DRC_TARGET}/2022/review",
        {"approve": False, "reason": "table 3 is missing"},
        content_type="application/json",
    )
    assert review.status_code == {"anonymous": 401, "office": 200}.get(role, 403)
    assert ReportedValue.objects.filter(state=ReportedValue.RETURNED).exists() == (role == "office")
    # Session users cannot post values through the token endpoint.
    post = client.post("/api/tracking/values", {"target": DRC_TARGET, "year": 2023, "value": 2})
    assert post.status_code == 401


def test_unit_tokens_are_scoped_to_their_unit(world):
    _, token = services.unit_token_create(actor=services.Actor.cli(), name="drc-stats", unit_code="drc")
    client = Client()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    pdf = ("stats.pdf", PDF)

    def post(target: str, year: int, **extra):
        from django.core.files.uploadedfile import SimpleUploadedFile

        data = {"target": target, "year": year, "value": 1.5, "evidence": SimpleUploadedFile(*pdf), **extra}
        return client.post("/api/tracking/values", data, **auth)

    ok = post(DRC_TARGET, 2023)
    assert ok.status_code == 201, ok.content
    assert ok.json()["state"] == "submitted"
    assert ok.json()["created_by"] == "api:drc-stats"
    other = post(TRANSPORT_TARGET, 2023)
    assert other.status_code == 403
    assert "drc-stats" in other.json()["detail"]
    bad = client.post(
        "/api/tracking/values",
        {"target": DRC_TARGET, "year": 2023, "value": 1},
        HTTP_AUTHORIZATION="Bearer nope",
    )
    assert bad.status_code == 401
    assert not ReportedValue.objects.filter(target_code=TRANSPORT_TARGET).exists()
    assert AuditEntry.objects.filter(actor="token:drc-stats", action="value.submit").count() == 1


def test_openapi_lists_the_tracking_endpoints(client):
    schema = client.get("/api/openapi.json").json()
    assert "/api/tracking/targets" in schema["paths"]
    assert "post" in schema["paths"]["/api/tracking/values"]


def test_writes_need_the_csrf_token(world):
    people, _ = world
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(people.drc_reporter)
    before = ReportedValue.objects.count()
    response = strict.post(
        f"/tracking/targets/{DRC_TARGET}/report/", {"year": 2021, "value": 1, "submit": "0"}
    )
    assert response.status_code == 403
    assert ReportedValue.objects.count() == before


@pytest.mark.parametrize("role", ROLES)
def test_milestone_write_matrix(role, world):
    people, _ = world
    from datetime import date

    from carbonpeak.web.tracking.models import MilestoneVersion

    services.milestone_save(
        actor=services.Actor.for_user(people.drc_reporter),
        target_code="task_force",
        name="m",
        due=date(2023, 1, 1),
    )
    client = client_for(role, people)
    new = client.post("/tracking/targets/task_force/milestones/", {"name": "n", "due": "2024-01-01"})
    assert new.status_code == expect(role, {"drc_reporter", "office"}, 302)
    review = client.post(
        "/tracking/targets/task_force/milestones/review/", {"number": 1, "decision": "approve"}
    )
    assert review.status_code == expect(role, {"office"}, 302)
    states = list(MilestoneVersion.objects.order_by("number", "version").values_list("number", "state"))
    expected = {
        "drc_reporter": [(1, "submitted"), (2, "submitted")],
        "office": [(1, "submitted"), (1, "approved"), (2, "submitted")],
    }.get(role, [(1, "submitted")])
    assert states == expected
    page = client.get("/tracking/targets/task_force/").content.decode()
    assert ('data-milestone="1-1"' in page) == (role in DRC_MEMBERS)


def test_an_oversized_upload_is_refused_before_it_is_read(world, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.TRACKING_EVIDENCE_MAX_MB = 0
    _, token = services.unit_token_create(actor=services.Actor.cli(), name="drc-big", unit_code="drc")
    response = Client().post(
        "/api/tracking/values",
        {"target": DRC_TARGET, "year": 2023, "value": 1, "evidence": SimpleUploadedFile("big.pdf", PDF)},
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 400
    assert response.json() == {
        "detail": f"big.pdf: {len(PDF)} bytes is over the 0 MB limit",
        "field": "evidence",
    }


def test_only_the_office_assigns_unit_roles(world):
    people, _ = world
    office = services.Actor.for_user(people.office)
    services.unit_membership_set(actor=office, user=people.nobody, unit_code="transport", role="viewer")
    entry = AuditEntry.objects.get(action="membership.set")
    assert (entry.actor, entry.object_id, entry.after) == (
        "office-user",
        "nobody@transport",
        {"role": "viewer"},
    )
    with pytest.raises(services.NotAllowedError):
        services.unit_membership_set(
            actor=services.Actor.for_user(people.drc_reporter),
            user=people.nobody,
            unit_code="drc",
            role="reporter",
        )
    with pytest.raises(services.TrackingInputError, match="reporter or viewer"):
        services.unit_membership_set(actor=office, user=people.nobody, unit_code="drc", role="boss")


@pytest.mark.parametrize("role", ROLES)
def test_scorecards_and_annual_report_matrix(role, world):
    people, _ = world
    client = client_for(role, people)
    internal = set(ROLES) - {"anonymous", "nobody"}
    page = client.get("/tracking/scorecards/", {"year": 2022})
    assert page.status_code == expect(role, internal, 200)
    if page.status_code == 200:
        html = page.content.decode()
        # the office and analysts see every unit; unit members only their own
        assert ('data-unit="transport"' in html) == (role in {"office", "analyst", "transport_reporter"})
        assert ('data-unit="drc"' in html) == (role in {"office", "analyst", "drc_viewer", "drc_reporter"})
        assert ('id="report-xlsx"' in html) == (role in {"office", "analyst"})
    report = client.get("/tracking/report/2022.xlsx")
    assert report.status_code == expect(role, {"office", "analyst"}, 200)
    if report.status_code == 200:
        assert b"".join(report.streaming_content)[:4] == b"PK\x03\x04"  # an Excel workbook
    assert client.get("/tracking/report/2022.doc").status_code == expect(role, {"office", "analyst"}, 404)
