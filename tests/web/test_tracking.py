"""Target tracking in the database: versioned values, evidence checks, statuses end to end, the
calendar and reminders, the dashboard and the ``carbonpeak indicators status`` command."""

from __future__ import annotations

import json
import re
import zipfile
from datetime import date
from io import BytesIO

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from carbonpeak.cli import main
from carbonpeak.web.tracking import registry, selectors, services
from carbonpeak.web.tracking.models import AuditEntry, ReportedValue, ReportingCalendar
from tests.web.tracking_fixtures import PDF, PNG, evidence_dir, example_plan, users, xlsx_bytes  # noqa: F401

pytestmark = pytest.mark.django_db
TARGET = "public_building_retrofit_14th"  # cumulative addition of 5 万m2 over 2021-2025, lead unit drc,
# an indicator reported by hand (no provider computes it)
AS_OF = date(2023, 6, 30)


@pytest.fixture
def reporter(example_plan, users, evidence_dir):  # noqa: F811
    return services.Actor.for_user(users.drc_reporter)


@pytest.fixture
def office(users):  # noqa: F811
    return services.Actor.for_user(users.office)


def report(actor, year, value, *, submit=True, evidence=True, note=""):
    upload = services.Evidence("stats.pdf", PDF) if evidence else None
    return services.reported_value_save(
        actor=actor, target_code=TARGET, year=year, value=value, evidence=upload, submit=submit, note=note
    )


def status_of(code: str = TARGET, as_of: date = AS_OF):
    return next(r for r in selectors.target_rows(as_of=as_of) if r.code == code)


def test_every_change_is_a_new_version_and_nothing_is_overwritten(reporter, office):
    report(reporter, 2021, 0.3, submit=False, note="first draft")
    report(reporter, 2021, 0.35, submit=False, evidence=False)  # keeps the first evidence
    services.reported_value_submit(actor=reporter, target_code=TARGET, year=2021)
    with pytest.raises(services.TrackingInputError, match="awaits the office's decision"):
        report(reporter, 2021, 9.9)
    with pytest.raises(services.TrackingInputError, match="say why"):
        services.reported_value_review(actor=office, target_code=TARGET, year=2021, approve=False)
    services.reported_value_review(
        actor=office, target_code=TARGET, year=2021, approve=False, reason="attach the acceptance list"
    )
    report(reporter, 2021, 0.4)
    services.reported_value_review(actor=office, target_code=TARGET, year=2021, approve=True)
    rows = list(ReportedValue.objects.filter(target_code=TARGET).order_by("version"))
    assert [(r.version, r.state, r.value) for r in rows] == [
        (1, "draft", 0.3),
        (2, "draft", 0.35),
        (3, "submitted", 0.35),
        (4, "returned", 0.35),
        (5, "submitted", 0.4),
        (6, "approved", 0.4),
    ]
    assert rows[0].note == "first draft"
    assert rows[1].evidence_sha256 == rows[0].evidence_sha256 != ""
    assert rows[3].reason == "attach the acceptance list"
    assert rows[3].created_by.username == "office-user"
    assert rows[4].created_by.username == "drc-reporter"
    published = selectors.approved_values(plan_code="example-district-2023")[TARGET]
    assert [(r.version, r.value) for r in published] == [(6, 0.4)]
    actions = list(AuditEntry.objects.order_by("at", "id").values_list("action", flat=True))
    assert actions == [
        "value.save",
        "value.save",
        "value.submit",
        "value.return",
        "value.submit",
        "value.approve",
    ]
    audit = AuditEntry.objects.get(action="value.return")
    assert audit.before["state"] == "submitted"
    assert audit.after == {
        "version": 4,
        "state": "returned",
        "value": 0.35,
        "period_end": "2021-12-31",
        "evidence": "stats.pdf",
        "reason": "attach the acceptance list",
    }


def test_history_page_shows_every_version(client, reporter, office, users):  # noqa: F811
    report(reporter, 2021, 0.3)
    services.reported_value_review(actor=office, target_code=TARGET, year=2021, approve=False, reason="why?")
    report(reporter, 2021, 0.31)
    client.force_login(users.drc_viewer)
    html = client.get(f"/tracking/targets/{TARGET}/").content.decode()
    assert re.findall(r'data-version="2021-(\d)" data-state="(\w+)"', html) == [
        ("3", "submitted"),
        ("2", "returned"),
        ("1", "submitted"),
    ]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("stats.exe", PDF, "only PDF, XLSX, CSV, JPG and PNG"),
        ("stats.pdf", b"MZ\x90\x00 not a pdf", "not a PDF file"),
        ("photo.png", PDF, "not a PNG file"),
        ("photo.jpg", PNG, "not a JPEG file"),
        ("sheet.xlsx", PDF, "not a XLSX file"),
        ("table.csv", b"a,b\x00\x01\x02", "not a CSV file"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_evidence_is_checked_by_content_not_only_by_name(evidence_dir, name, content, message):  # noqa: F811
    with pytest.raises(services.TrackingInputError, match=message) as caught:
        services.evidence_check(evidence=services.Evidence(name, content))
    assert caught.value.field == "evidence"


def test_a_zip_that_is_not_a_workbook_is_refused(evidence_dir):  # noqa: F811
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(services.TrackingInputError, match="not a XLSX file"):
        services.evidence_check(evidence=services.Evidence("sheet.xlsx", buffer.getvalue()))


def test_good_evidence_is_accepted_and_stored_privately(reporter, evidence_dir):  # noqa: F811
    assert services.evidence_check(evidence=services.Evidence("s.xlsx", xlsx_bytes())) == "XLSX"
    assert (
        services.evidence_check(evidence=services.Evidence("s.csv", "年份,值\n2021,0.3\n".encode())) == "CSV"
    )
    assert services.evidence_check(evidence=services.Evidence("p.JPG", b"\xff\xd8\xff\xe0rest")) == "JPEG"
    row = report(reporter, 2021, 0.3)
    stored = evidence_dir / row.evidence_path
    assert stored.read_bytes() == PDF
    assert oct(stored.stat().st_mode & 0o777) == "0o600"


def test_evidence_size_limit(evidence_dir, settings):  # noqa: F811
    settings.TRACKING_EVIDENCE_MAX_MB = 1
    big = b"%PDF-" + b"0" * (1024 * 1024)
    with pytest.raises(services.TrackingInputError, match="over the 1 MB limit"):
        services.evidence_check(evidence=services.Evidence("big.pdf", big))


def test_bad_upload_through_the_page_writes_nothing(client, reporter, users):  # noqa: F811
    client.force_login(users.drc_reporter)
    fake = SimpleUploadedFile("stats.pdf", b"this is text, not a PDF")
    response = client.post(
        f"/tracking/targets/{TARGET}/report/",
        {"year": 2021, "value": 0.3, "evidence": fake, "submit": "1"},
        follow=True,
    )
    assert "stats.pdf: the content is not a PDF file" in response.content.decode()
    assert ReportedValue.objects.count() == 0
    no_file = client.post(
        f"/tracking/targets/{TARGET}/report/", {"year": 2021, "value": 0.3, "submit": "1"}, follow=True
    )
    assert "a submission needs an evidence file" in no_file.content.decode()
    assert ReportedValue.objects.count() == 0


def test_input_errors_name_the_field(reporter):
    with pytest.raises(services.TrackingInputError, match="outside 2020-2025") as caught:
        report(reporter, 2027, 1.0)
    assert caught.value.field == "period"
    with pytest.raises(services.TrackingInputError, match="not a finite number"):
        report(reporter, 2021, float("nan"))
    with pytest.raises(services.TrackingInputError, match="'nope' is not in plan"):
        services.reported_value_save(actor=reporter, target_code="nope", year=2021, value=1.0)
    with pytest.raises(services.NotAllowedError, match="charging_in_new_parking"):
        services.reported_value_save(
            actor=reporter, target_code="charging_in_new_parking", year=2021, value=1
        )


def test_status_end_to_end_for_a_hand_made_target(reporter, office):
    """5 万m2 to retrofit over 2021-2025, linear from 0 at the end of 2020 (see docs/status-rules.md).

    On 30 June 2023: 0.3 added in 2021 against 1.0 on the trajectory is (1.0 - 0.3)/5 = 14 % behind
    (at risk, between 10 % and 25 %). With 1.9 more in 2022 the sum 2.2 is ahead of 2.0: on track. The
    least-squares line through (2020, 0), (2021, 0.3), (2022, 2.2) has slope 1.1 and mean 0.8333 at
    2021, so the 2025 forecast is 0.8333 + 4 x 1.1 = 5.2333.
    """
    assert status_of().status == "no_data"
    report(reporter, 2021, 0.3)
    assert status_of().status == "no_data"  # a pending value does not count
    services.reported_value_review(actor=office, target_code=TARGET, year=2021, approve=True)
    first = status_of()
    assert first.status == "at_risk"
    assert first.result.gap == pytest.approx(0.14)
    report(reporter, 2022, 1.9)
    services.reported_value_review(actor=office, target_code=TARGET, year=2022, approve=True)
    second = status_of().as_dict()
    assert second["status"] == "on_track"
    assert second["latest_value"] == pytest.approx(2.2)
    assert second["period"] == "2022-12-31"
    assert second["target_value"] == 5.0
    assert second["deadline"] == 2025
    assert second["forecast"] == pytest.approx(0.8333333 + 4 * 1.1)
    assert second["lead_unit"] == "drc"


def test_cli_prints_the_status_of_every_target_as_json(reporter, office, capsys):
    report(reporter, 2021, 0.3)
    services.reported_value_review(actor=office, target_code=TARGET, year=2021, approve=True)
    assert main(["indicators", "status", "--format", "json", "--as-of", "2023-06-30"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["code"] for r in rows][:2] == ["carbon_intensity_2025", "carbon_peak"]
    assert len(rows) == 9
    for row in rows:
        assert list(row) == [
            "code",
            "status",
            "latest_value",
            "period",
            "target_value",
            "deadline",
            "forecast",
            "lead_unit",
            "value_source",
            "provider",
            "quantitative",
        ]
    mine = next(r for r in rows if r["code"] == TARGET)
    assert mine == {
        "code": TARGET,
        "status": "at_risk",
        "latest_value": 0.3,
        "period": "2021-12-31",
        "target_value": 5.0,
        "deadline": 2025,
        "forecast": None,  # two points (with the baseline) are too few for a forecast
        "lead_unit": "drc",
        "value_source": "reported",
        "provider": None,
        "quantitative": True,
    }
    computed = {r["code"]: r for r in rows if r["value_source"] == "computed"}
    assert all(r["provider"] and r["quantitative"] for r in computed.values())
    assert main(["indicators", "status", "--format", "table", "--as-of", "2023-06-30"]) == 0
    table = capsys.readouterr().out
    assert re.search(rf"^{TARGET}\s+at_risk\s+0\.3\s+2021-12-31\s+5\s+2025\s+-\s+drc$", table, re.M)
    with pytest.raises(SystemExit) as caught:
        main(["indicators", "status", "--as-of", "June"])
    assert caught.value.code == 2
    assert "--as-of 'June' is not a date" in capsys.readouterr().err


def test_calendar_overdue_list_and_reminders(reporter, users):  # noqa: F811
    due = {(o.target.code, o.year, o.state) for o in selectors.overdue_reports(as_of=AS_OF, unit="drc")}
    assert due == {
        (TARGET, 2021, "missing"),
        (TARGET, 2022, "missing"),
        ("pv_roof_coverage_government_2025", 2021, "missing"),
        ("pv_roof_coverage_government_2025", 2022, "missing"),
    }
    ReportingCalendar.objects.create(indicator_code="public_building_retrofit_area", due_month=6, due_day=30)
    report(reporter, 2021, 0.3, submit=False)
    due = {(o.target.code, o.year, o.state) for o in selectors.overdue_reports(as_of=AS_OF, unit="drc")}
    # 2021 is drafted but not submitted; 2022 is due on 30 June 2023, not yet late on that day.
    assert (TARGET, 2021, "draft") in due
    assert (TARGET, 2022, "missing") not in due
    services.reported_value_submit(actor=reporter, target_code=TARGET, year=2021)
    assert TARGET not in {o.target.code for o in selectors.overdue_reports(as_of=AS_OF, unit="drc")}
    assert selectors.due_date(indicator_code="anything", year=2024) == date(2025, 1, 31)

    sent = services.reminders_send(as_of=AS_OF)
    assert sent == {"drc": 2, "transport": 2}
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert set(by_recipient) == {"drc-reporter@example.invalid", "transport-reporter@example.invalid"}
    body = by_recipient["drc-reporter@example.invalid"].body
    assert "pv_roof_coverage_government_2025" in body
    assert "2021: due 2022-01-31, 515 days late" in body


def test_cli_notify_uses_the_email_backend(reporter, capsys):
    assert main(["indicators", "notify", "--as-of", "2023-06-30"]) == 0
    assert capsys.readouterr().out.strip() == "reminders: 2 units e-mailed about 6 overdue reports"
    assert len(mail.outbox) == 2


def test_dashboard_counts_change_when_a_value_is_approved(client, reporter, office):
    def buildings_counts() -> dict[str, int]:
        html = client.get("/").content.decode()
        row = re.search(r'<tr data-action="buildings">(.*?)</tr>', html, re.S)
        assert row
        return {s: int(n) for s, n in re.findall(r'data-status="(\w+)">(?:<a[^>]*>)?(\d+)', row.group(1))}

    before = buildings_counts()
    assert sum(before.values()) == 3
    report(reporter, 2025, 5.0)
    assert buildings_counts() == before  # pending values change nothing
    services.reported_value_review(actor=office, target_code=TARGET, year=2025, approve=True)
    after = buildings_counts()
    assert after["achieved"] == before["achieved"] + 1
    assert after["no_data"] == before["no_data"] - 1


def test_registry_refuses_a_second_provider_and_binds_the_inventory(db):
    assert {"energy_intensity", "carbon_intensity", "district_co2_emissions"} <= set(registry.PROVIDERS)
    with pytest.raises(ValueError, match="already has a provider"):
        registry.register("energy_intensity")(lambda: [])
    assert registry.computed_values() == {}  # no inventory run stored


def test_a_value_computed_for_one_target_is_not_judged_against_the_others(example_plan, monkeypatch):  # noqa: F811
    """A value with a target code applies to that target only; one without applies to every target."""
    code = "pv_roof_coverage_government_2025"
    values = [
        registry.ComputedValue(2022, 40.0, "%", "test", False),
        registry.ComputedValue(2022, 90.0, "%", "test", False, target="another_target"),
        registry.ComputedValue(2023, 55.0, "%", "test", False, target=code),
    ]
    monkeypatch.setitem(registry.PROVIDERS, "pv_roof_coverage_government", lambda: values)
    row = status_of(code, as_of=date(2024, 6, 30))
    assert row.info.kind == "computed"
    assert [(o.year, o.value) for o in row.observations] == [(2022, 40.0), (2023, 55.0)]
    assert registry.values_for_target(values, "another_target") == values[:2]


def test_targets_list_filters(client, example_plan):  # noqa: F811
    html = client.get("/tracking/", {"unit": "drc"}).content.decode()
    shown = re.findall(r'<tr data-target="([\w_]+)"', html)
    assert shown == ["pv_capacity_added_14th", "pv_roof_coverage_government_2025", TARGET, "task_force"]
    assert client.get("/tracking/", {"status": "bogus"}).status_code == 404


def test_demo_unit_accounts_are_synthetic_with_private_random_passwords(tmp_path, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from django.contrib.auth import authenticate

    from carbonpeak.web.tracking.roles import roles_for

    credentials = tmp_path / "demo-units.json"
    first = services.demo_unit_users_ensure(credentials_file=credentials)
    assert oct(credentials.stat().st_mode & 0o777) == "0o600"
    assert json.loads(credentials.read_text()) == first
    reporter = authenticate(
        username="demo-landscaping-reporter", password=first["demo-landscaping-reporter"]["password"]
    )
    assert reporter is not None
    assert "synthetic" in reporter.last_name
    assert roles_for(reporter).units == {"landscaping_city_appearance_bureau": "reporter"}
    analyst = authenticate(username="demo-analyst", password=first["demo-analyst"]["password"])
    assert roles_for(analyst).analyst
    assert not roles_for(analyst).office
    again = services.demo_unit_users_ensure(credentials_file=credentials)
    assert again == first  # idempotent: the same passwords
    credentials.unlink()
    renewed = services.demo_unit_users_ensure(credentials_file=credentials)
    assert renewed["demo-analyst"]["password"] != first["demo-analyst"]["password"]


def test_a_unit_member_gets_links_to_its_own_unit(client, example_plan, users):  # noqa: F811
    client.force_login(users.drc_viewer)
    html = client.get("/tracking/").content.decode()
    assert re.search(r'id="my-units">[^<]*<a href="/tracking/\?unit=drc">区发展改革委</a></p>', html)


def test_the_public_sees_approved_values_but_not_the_evidence(client, reporter, office):
    report(reporter, 2021, 0.3, note="published note")
    report_2022 = report(reporter, 2022, 1.1, note="pending note")
    services.reported_value_review(actor=office, target_code=TARGET, year=2021, approve=True)
    html = client.get(f"/tracking/targets/{TARGET}/").content.decode()
    assert "published note" in html
    assert "pending note" not in html
    assert "stats.pdf" not in html
    assert "/tracking/evidence/" not in html
    assert report_2022.state == "submitted"
    values = client.get(f"/api/tracking/targets/{TARGET}/values").json()
    assert [(v["year"], v["version"], v["state"]) for v in values] == [(2021, 2, "approved")]


def test_milestones_are_versioned_approved_and_decide_a_qualitative_status(reporter, office, users):  # noqa: F811
    """task_force (建立碳达峰工作专班, lead drc) is qualitative: its status comes from approved milestones.

    On 30 June 2023 a milestone due on 31 December 2022 and not done is 181 days overdue, more than the
    90 days of ``milestone_off_track_days``: off track. Once it is marked done (30 November 2022), all
    milestones are done: achieved.
    """
    code = "task_force"
    assert status_of(code).status == "no_data"
    first = services.milestone_save(actor=reporter, target_code=code, name="专班成立", due=date(2022, 12, 31))
    assert (first.number, first.version, first.state) == (1, 1, "submitted")
    assert status_of(code).status == "no_data"  # not approved yet
    with pytest.raises(services.NotAllowedError):
        services.milestone_review(actor=reporter, target_code=code, number=1, approve=True)
    services.milestone_review(actor=office, target_code=code, number=1, approve=True)
    late = status_of(code)
    assert late.status == "off_track"
    assert "181 days overdue" in late.result.reason
    services.milestone_save(
        actor=reporter,
        target_code=code,
        number=1,
        name="专班成立",
        due=date(2022, 12, 31),
        done=date(2022, 11, 30),
    )
    assert status_of(code).status == "off_track"  # the change awaits approval
    services.milestone_review(actor=office, target_code=code, number=1, approve=True)
    assert status_of(code).status == "achieved"
    rows = [
        (m.number, m.version, m.state, m.done)
        for m in selectors.milestone_rows(plan_code="example-district-2023")
    ]
    assert rows == [
        (1, 1, "submitted", None),
        (1, 2, "approved", None),
        (1, 3, "submitted", date(2022, 11, 30)),
        (1, 4, "approved", date(2022, 11, 30)),
    ]
    assert list(AuditEntry.objects.filter(object_type="milestone").values_list("action", flat=True)) == [
        "milestone.approve",
        "milestone.submit",
        "milestone.approve",
        "milestone.submit",
    ]  # newest first
    with pytest.raises(services.TrackingInputError, match="has no milestones"):
        services.milestone_save(actor=reporter, target_code=TARGET, name="x", due=date(2022, 1, 1))
    with pytest.raises(services.TrackingInputError, match="in the future"):
        services.milestone_save(
            actor=reporter, target_code=code, name="x", due=date(2022, 1, 1), done=date(2999, 1, 1)
        )
    transport = services.Actor.for_user(users.transport_reporter)
    with pytest.raises(services.NotAllowedError):
        services.milestone_save(actor=transport, target_code=code, name="x", due=date(2022, 1, 1))


def test_milestone_pages(client, reporter, users):  # noqa: F811
    client.force_login(users.drc_reporter)
    response = client.post(
        "/tracking/targets/task_force/milestones/", {"name": "方案印发", "due": "2023-03-31"}, follow=True
    )
    html = response.content.decode()
    assert 'data-milestone="1-1" data-state="submitted"' in html
    client.force_login(users.transport_reporter)
    denied = client.post("/tracking/targets/task_force/milestones/", {"name": "x", "due": "2023-03-31"})
    assert denied.status_code == 403
    assert "方案印发" not in client.get("/tracking/targets/task_force/").content.decode()  # not published
    client.force_login(users.office)
    assert "方案印发" in client.get("/tracking/queue/").content.decode()
    client.post("/tracking/targets/task_force/milestones/review/", {"number": 1, "decision": "approve"})
    client.logout()
    assert (
        'data-milestone="1-2" data-state="approved"'
        in client.get("/tracking/targets/task_force/").content.decode()
    )


def test_chart_series_of_a_target(client, reporter, office):
    """Running sums 0.3 and 2.2 against the linear path 0 → 5 over 2020-2025 (1 per year)."""
    for year, value in ((2021, 0.3), (2022, 1.9)):
        report(reporter, year, value)
        services.reported_value_review(actor=office, target_code=TARGET, year=year, approve=True)
    chart = selectors.target_chart(status_of())
    assert chart["years"] == [2020, 2021, 2022, 2023, 2024, 2025]
    assert chart["actual"] == [None, 0.3, pytest.approx(2.2), None, None, None]
    assert chart["trajectory"] == pytest.approx([0.0, 1.0, 2.0, 3.0, 4.0, 5.0])
    assert chart["target"] == [None] * 5 + [5.0]
    assert chart["forecast"][-1] == pytest.approx(0.8333333 + 4 * 1.1)
    assert chart["unit"] == "万m2"
    html = client.get(f"/tracking/targets/{TARGET}/").content.decode()
    assert 'id="target-chart"' in html
    assert 'id="target-chart-data"' in html


def test_cli_writes_the_annual_assessment_as_excel(reporter, office, capsys, tmp_path):
    from openpyxl import load_workbook

    report(reporter, 2021, 0.3)
    services.reported_value_review(actor=office, target_code=TARGET, year=2021, approve=True)
    out = tmp_path / "assessment.xlsx"
    assert main(["report", "annual", "--year", "2022", "--out", str(out), "--as-of", "2023-06-30"]) == 0
    printed = capsys.readouterr().out
    assert "2022 assessment as of 2023-06-30: 9 targets" in printed
    book = load_workbook(out, read_only=True)
    assert {"目标", "单位得分"} <= set(book.sheetnames)
    targets = [row for row in book["目标"].iter_rows(values_only=True) if TARGET in row]
    assert len(targets) == 1  # the target with its status row
    assert "存在风险" in targets[0]  # at_risk, as `indicators status` says on the same date
    assert main(["report", "annual", "--year", "2022", "--out", str(tmp_path / "a.doc")]) == 2
    assert "the report is written as .pdf or .xlsx" in capsys.readouterr().err
