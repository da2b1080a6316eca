"""Carbon credits (碳普惠): idempotent imports, refusals with reasons, approvals, the append-only ledger,
the partner and citizen API, the CLI and the pages. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest

from carbonpeak.cli import main
from carbonpeak.core.credits.methodology import ActivityClaim
from carbonpeak.web.credits import selectors, services
from carbonpeak.web.credits.models import (
    Activity,
    AppendOnlyError,
    CitizenAccount,
    LedgerEntry,
    LedgerTransaction,
    MethodologyApproval,
)

pytestmark = pytest.mark.django_db

HEADER = "activity_id,account,methodology,quantity,unit,occurred_at,claimed_elsewhere\n"


@pytest.fixture
def partner(reference_loaded):
    p, token = services.partner_create(
        code="metro-app", name="Metro app", methodologies=["metro_trip_pkm", "bus_trip_pkm"]
    )
    p.token = token
    return p


@pytest.fixture
def other_partner(reference_loaded):
    p, token = services.partner_create(
        code="charger-co", name="Charging operator", methodologies=["ev_charging_community"]
    )
    p.token = token
    return p


@pytest.fixture
def approved(reference_loaded):
    services.methodology_approve(code="metro_trip_pkm", label="office test")
    services.methodology_approve(code="bus_trip_pkm", label="office test")


def write(tmp_path: Path, rows: list[str], name: str = "activities.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


ROWS = [
    "a1,alice,metro_trip_pkm,10,pkm,2026-11-03 08:15,",
    "a2,alice,bus_trip_pkm,5,pkm,2026-11-04,",
    "a3,bob,metro_trip_pkm,20,pkm,2026-11-05T18:00:00+08:00,",
    "a4,bob,metro_trip_pkm,8,pkm,2026-11-06,CCER",
]


def citizens_total() -> int:
    return sum(
        LedgerEntry.objects.filter(account__startswith="citizen:").values_list("amount_gco2e", flat=True)
    )


def test_same_file_three_times_changes_no_balance_after_the_first(partner, approved, tmp_path):
    path = write(tmp_path, ROWS)
    first = services.activity_file_import(partner=partner, path=path)
    assert first.ok
    assert (first.credited, first.refused, first.duplicates) == (3, 1, 0)
    # hand-worked: alice 10 pkm metro x 0.097 + 5 pkm bus x 0.066 = 0.970 + 0.330 = 1.300 kg
    after_first = {a: selectors.balance_gco2e(f"citizen:{a}") for a in ("alice", "bob")}
    assert after_first == {"alice": 1300, "bob": 1940}
    entries = LedgerEntry.objects.count()
    for _ in range(2):
        again = services.activity_file_import(partner=partner, path=path)
        assert (again.credited, again.duplicates, again.conflicts) == (0, 4, 0)
        assert {a: selectors.balance_gco2e(f"citizen:{a}") for a in ("alice", "bob")} == after_first
    assert LedgerEntry.objects.count() == entries
    assert Activity.objects.count() == 4


def test_ccer_claimed_activity_earns_nothing_and_is_listed_with_its_reason(partner, approved, tmp_path):
    outcome = services.activity_file_import(partner=partner, path=write(tmp_path, ROWS))
    assert ("a4", "claimed_elsewhere") in [(a, r) for a, r, _ in outcome.refusals]
    listed = {a.activity_id: a for a in selectors.refused_activities()}
    assert listed["a4"].credit_gco2e == 0
    assert listed["a4"].refusal == "claimed_elsewhere"
    assert "CCER" in listed["a4"].reason
    assert not LedgerEntry.objects.filter(activity=listed["a4"]).exists()


def test_changed_resend_is_a_conflict_and_not_recredited(partner, approved, tmp_path):
    services.activity_file_import(partner=partner, path=write(tmp_path, ROWS[:1]))
    again = services.activity_file_import(
        partner=partner, path=write(tmp_path, ["a1,alice,metro_trip_pkm,99,pkm,2026-11-03 08:15,"])
    )
    assert (again.credited, again.conflicts, again.conflicting) == (0, 1, ["a1"])
    assert selectors.balance_gco2e("citizen:alice") == 970


def test_bad_rows_are_named_and_nothing_is_imported(partner, tmp_path):
    rows = [
        "a1,alice,metro_trip_pkm,ten,pkm,2026-11-03,",
        "a2,al ice,metro_trip_pkm,1,pkm,2026-13-03,",
        "a3,bob,metro_trip_pkm,inf,pkm,2026-11-03,maybe",
        "a3,bob,metro_trip_pkm,1,pkm,2026-11-03,",
    ]
    outcome = services.activity_file_import(partner=partner, path=write(tmp_path, rows, "bad.csv"))
    text = [str(e) for e in outcome.errors]
    assert text[0] == "bad.csv, row 2: field quantity: 'ten' is not a number"
    assert "bad.csv, row 3: field account:" in text[1]
    assert "field occurred_at:" in text[1]
    assert "field quantity: inf must be a finite number" in text[2]
    assert "field claimed_elsewhere:" in text[2]
    assert text[3] == "bad.csv, row 5: field activity_id: 'a3' repeats row 4"
    assert Activity.objects.count() == 0


def test_missing_column_is_named(partner, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("activity_id,account,methodology,quantity,unit\na,b,c,1,pkm\n", encoding="utf-8")
    outcome = services.activity_file_import(partner=partner, path=path)
    assert str(outcome.errors[0]) == "x.csv, row 1: field occurred_at: required column is missing"


def test_unconfirmed_methodology_holds_until_the_office_approves(partner, tmp_path):
    outcome = services.activity_file_import(partner=partner, path=write(tmp_path, ROWS[:3]))
    assert (outcome.credited, outcome.held) == (0, 3)
    assert citizens_total() == 0
    credited = services.methodology_approve(code="metro_trip_pkm", label="张三 (office)")
    assert credited == 2
    approval = MethodologyApproval.objects.get(code="metro_trip_pkm")
    assert approval.approved_by_label == "张三 (office)"
    assert approval.approved_at is not None
    assert selectors.balance_gco2e("citizen:alice") == 970
    assert Activity.objects.get(activity_id="a2").status == Activity.HELD
    with pytest.raises(services.CreditsError, match="already approved"):
        services.methodology_approve(code="metro_trip_pkm")


def test_methodology_with_unknown_factors_cannot_be_approved(reference_loaded):
    with pytest.raises(services.CreditsError, match="evidence X"):
        services.methodology_approve(code="ev_charging_community")
    assert not MethodologyApproval.objects.exists()


def test_partner_cannot_claim_another_partners_methodology(partner, other_partner, approved):
    claim = ActivityClaim("charger-co", "c1", "carol", "metro_trip_pkm", 10, "pkm", datetime(2026, 11, 3))
    outcome = services.activities_import(partner=other_partner, claims=[claim], label="api")
    assert outcome.refusals[0][1] == "not_assigned"
    assert citizens_total() == 0


def test_exclusion_list_refuses_with_reason(partner, approved):
    services.exclusion_add(scheme="ETS", reason="fleet covered by the Shanghai ETS", account="alice")
    claim = ActivityClaim("metro-app", "e1", "alice", "metro_trip_pkm", 10, "pkm", datetime(2026, 11, 3))
    outcome = services.activities_import(partner=partner, claims=[claim], label="api")
    assert outcome.refusals[0][1] == "excluded"
    assert "Shanghai ETS" in outcome.refusals[0][2]


def test_ledger_rows_are_append_only(partner, approved, tmp_path):
    services.activity_file_import(partner=partner, path=write(tmp_path, ROWS))
    entry = LedgerEntry.objects.first()
    assert entry is not None
    with pytest.raises(AppendOnlyError):
        LedgerEntry.objects.filter(pk=entry.pk).update(amount_gco2e=1)
    with pytest.raises(AppendOnlyError):
        LedgerEntry.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    entry.amount_gco2e = 5
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        LedgerTransaction.objects.all().delete()


def test_operations_keep_every_transaction_balanced_and_totals_consistent(partner, approved, tmp_path):
    services.activity_file_import(partner=partner, path=write(tmp_path, ROWS))
    day = date(2026, 12, 1)
    services.credits_transfer(source="alice", target="bob", amount_gco2e=300, on=day)
    services.credits_redeem(pseudonym="bob", partner=partner, amount_gco2e=1000, on=day)
    a3 = Activity.objects.get(activity_id="a3")
    with pytest.raises(services.LedgerError, match="fewer than"):
        services.activity_credit_reverse(activity=a3, on=day)  # part of bob's credit was redeemed
    redeem = LedgerTransaction.objects.get(operation="redeem")
    services.transaction_reverse(transaction_id=redeem.pk, on=day)
    with pytest.raises(services.LedgerError, match="already reversed"):
        services.transaction_reverse(transaction_id=redeem.pk, on=day)
    a1 = Activity.objects.get(activity_id="a1")
    with pytest.raises(services.LedgerError, match="fewer than the 970 g"):
        services.activity_credit_reverse(activity=a1, on=day)  # 300 g of a1's lot went to bob (oldest first)
    services.activity_credit_reverse(activity=Activity.objects.get(activity_id="a2"), on=day)
    expiry = services.credits_expire(on=date(2027, 11, 4), period_months=12)
    assert expiry is not None
    for tx in LedgerTransaction.objects.all():
        assert sum(tx.entries.values_list("amount_gco2e", flat=True)) == 0
    t = selectors.totals()
    assert citizens_total() == t.issued_gco2e - t.redeemed_gco2e - t.expired_gco2e
    # a2 reversed: issued = a1 970 + a3 1940; the redemption was reversed; lots of 3 and 4 Nov expire
    assert (t.issued_gco2e, t.redeemed_gco2e, t.expired_gco2e) == (2910, 0, 970)
    assert Activity.objects.get(activity_id="a2").status == Activity.REVERSED
    assert selectors.balance_gco2e("citizen:alice") == 0
    assert selectors.balance_gco2e("citizen:bob") == 1940


def test_reports_by_methodology_and_month_and_top_scenarios(partner, approved, tmp_path):
    services.activity_file_import(partner=partner, path=write(tmp_path, ROWS))
    services.credits_redeem(pseudonym="bob", partner=partner, amount_gco2e=500, on=date(2026, 12, 2))
    rows = {(r.methodology, r.month.month): r for r in selectors.monthly_by_methodology()}
    issued_metro = sum(r.issued_gco2e for (m, _), r in rows.items() if m == "metro_trip_pkm")
    assert issued_metro == 970 + 1940
    assert sum(r.redeemed_gco2e for r in rows.values()) == 500
    top = selectors.top_scenarios()
    assert (top[0].partner, top[0].methodology, top[0].activities, top[0].issued_gco2e) == (
        "metro-app",
        "metro_trip_pkm",
        2,
        2910,
    )


# --- API -------------------------------------------------------------------------------------------------


def post(client, token, activities):
    return client.post(
        "/api/credits/activities",
        data=json.dumps({"activities": activities}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )


ITEM = {
    "activity_id": "x1",
    "account": "dave",
    "methodology": "metro_trip_pkm",
    "quantity": 10,
    "unit": "pkm",
    "occurred_at": "2026-11-03 08:00",
}


def test_api_needs_a_partner_token_and_recognises_resends(client, partner, approved):
    assert post(client, "wrong", [ITEM]).status_code == 401
    first = post(client, partner.token, [ITEM]).json()
    assert first["credited"] == 1
    assert first["credited_kgco2e"] == pytest.approx(0.97)
    second = post(client, partner.token, [ITEM]).json()
    assert (second["credited"], second["duplicates"]) == (0, 1)
    assert selectors.balance_gco2e("citizen:dave") == 970


def test_api_bad_item_is_named(client, partner):
    response = post(client, partner.token, [{**ITEM, "quantity": "nan"}])
    assert response.status_code == 400
    assert response.json()["errors"] == [
        "request, row 1: field quantity: nan must be a finite number above zero"
    ]


def test_api_partner_cannot_post_for_another_partners_methodology(client, partner, other_partner, approved):
    body = post(client, other_partner.token, [ITEM]).json()
    assert body["refusals"][0]["refusal"] == "not_assigned"


def test_citizen_reads_only_its_own_balance(client, partner, other_partner, approved):
    post(client, partner.token, [ITEM, {**ITEM, "activity_id": "x2", "account": "erin"}])
    assert client.get("/api/credits/balance").status_code == 401
    denied = client.post(
        "/api/credits/citizens/dave/token", headers={"Authorization": f"Bearer {other_partner.token}"}
    )
    assert denied.status_code == 404  # a partner only gets tokens for its own users
    token = client.post(
        "/api/credits/citizens/dave/token", headers={"Authorization": f"Bearer {partner.token}"}
    ).json()["token"]
    mine = client.get("/api/credits/balance", headers={"Authorization": f"Bearer {token}"}).json()
    assert mine["account"] == "dave"
    assert mine["balance_kgco2e"] == pytest.approx(0.97)
    assert [e["activity_id"] for e in mine["entries"]] == ["x1"]
    assert (
        client.get("/api/credits/balance", headers={"Authorization": f"Bearer {partner.token}"}).status_code
        == 401
    )
    assert CitizenAccount.objects.get(pseudonym="dave").token_sha256 != token


def test_public_totals_need_no_login(client, partner, approved):
    post(client, partner.token, [ITEM])
    body = client.get("/api/credits/totals").json()
    assert body["issued_kgco2e"] == pytest.approx(0.97)
    assert body["citizens"] == 1


# --- CLI -------------------------------------------------------------------------------------------------


def test_cli_import_balance_methodologies_approve(partner, tmp_path, capsys):
    path = write(tmp_path, ROWS)
    assert main(["credits", "methodologies", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    metro = next(m for m in listed if m["code"] == "metro_trip_pkm")
    assert metro == {
        "code": "metro_trip_pkm",
        "behaviour": "metro_trip",
        "unit": "pkm",
        "credit_kgco2e_per_unit": pytest.approx(0.097),
        "status": "unconfirmed",
    }
    assert next(m for m in listed if m["code"] == "ev_charging_community")["credit_kgco2e_per_unit"] is None
    assert main(["credits", "approve", "metro_trip_pkm"]) == 0
    capsys.readouterr()
    assert main(["credits", "import", str(path), "--partner", "metro-app"]) == 0
    assert "2 credited" in capsys.readouterr().out
    assert main(["credits", "balance", "--account", "alice", "--format", "json"]) == 0
    balance = json.loads(capsys.readouterr().out)
    assert set(balance) == {"account", "balance_kgco2e", "entries"}
    assert balance["balance_kgco2e"] == pytest.approx(0.97)
    assert main(["credits", "import", str(path), "--partner", "metro-app"]) == 0
    assert main(["credits", "balance", "--account", "alice", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out.split("\n", 1)[1])["balance_kgco2e"] == pytest.approx(0.97)


def test_cli_errors_name_row_and_field(partner, tmp_path, capsys):
    path = write(tmp_path, ["a1,alice,metro_trip_pkm,-1,pkm,2026-11-03,"])
    assert main(["credits", "import", str(path), "--partner", "metro-app"]) == 1
    assert "activities.csv, row 2: field quantity" in capsys.readouterr().err
    assert main(["credits", "import", str(path), "--partner", "nobody"]) == 1
    assert main(["credits", "approve", "nope"]) == 1


def test_cli_partner_create_prints_token(reference_loaded, capsys):
    assert (
        main(["credits", "partner-create", "p2", "--methodologies", "bus_trip_pkm", "--format", "json"]) == 0
    )
    out = json.loads(capsys.readouterr().out)
    assert len(out["token"]) > 30
    assert selectors.partner_by_token(services.token_hash(out["token"])).code == "p2"


# --- pages -----------------------------------------------------------------------------------------------


def test_public_page_without_login(client, partner, approved):
    post(client, partner.token, [ITEM])
    response = client.get("/credits/")
    assert response.status_code == 200
    assert b"credit-totals" in response.content


def test_office_pages_need_the_office(client, partner, django_user_model, office_admin, tmp_path):
    for url in ("/credits/methodologies/", "/credits/activities/"):
        assert "/accounts/login/" in client.get(url)["Location"]
    client.force_login(django_user_model.objects.create_user("someone", password="x" * 12))
    assert client.get("/credits/methodologies/").status_code == 403
    assert client.post("/credits/methodologies/metro_trip_pkm/approve/").status_code == 403
    client.force_login(office_admin)
    page = client.get("/credits/methodologies/").content.decode()
    assert 'data-approve="metro_trip_pkm"' in page
    assert 'data-approve="ev_charging_community"' not in page
    response = client.post("/credits/methodologies/metro_trip_pkm/approve/")
    assert response.status_code == 302
    assert MethodologyApproval.objects.get(code="metro_trip_pkm").approved_by == office_admin


def test_office_upload_and_refused_list(client, partner, approved, office_admin):
    client.force_login(office_admin)
    content = (HEADER + "\n".join(ROWS) + "\n").encode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("month.csv", content, content_type="text/csv")
    response = client.post("/credits/activities/", {"partner": "metro-app", "file": upload})
    assert response.status_code == 302
    page = client.get("/credits/activities/").content.decode()
    assert 'data-activity="a4" data-refusal="claimed_elsewhere"' in page


def test_demo_is_synthetic_and_idempotent(reference_loaded):
    first = services.demo_credits_load(seed=3)
    assert first.startswith("SYNTHETIC")
    assert Activity.objects.filter(synthetic=False).count() == 0
    n = Activity.objects.count()
    assert "0 held" in services.demo_credits_load(seed=3)
    assert Activity.objects.count() == n
    assert Activity.objects.filter(refusal="claimed_elsewhere").exists()
