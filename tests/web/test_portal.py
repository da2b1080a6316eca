"""Health check, home page, navigation, language and login."""

from unittest import mock

import pytest
from django.db import OperationalError, connection

pytestmark = pytest.mark.django_db


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == {"ok": True, "vendor": connection.vendor, "migrated": True, "error": ""}


def test_healthz_is_503_when_the_database_fails(client):
    with mock.patch.object(
        connection, "cursor", side_effect=OperationalError("server closed the connection")
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"]["ok"] is False
    assert "server closed the connection" in response.json()["database"]["error"]


def test_home_is_public_and_offers_login(client, reference_loaded):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="/accounts/login/?next=/"' in html
    assert "您正在浏览公开页面" in html


def test_home_without_a_plan_names_no_district_and_says_what_to_run(client, reference_loaded):
    html = client.get("/").content.decode()
    assert "区级碳达峰管理平台" in html
    assert "carbonpeak setup --plan" in html
    assert "杨浦" not in html


def test_home_in_chinese_by_default_even_for_an_english_browser(
    client, office_admin, reference_loaded, reference_plan
):
    client.force_login(office_admin)
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-Hans">' in html
    assert "杨浦区碳达峰实施方案" in html
    assert "参考数据" in html
    assert "规划中" in html
    assert "已加载 17 张数据表" in html
    assert response["Content-Language"] == "zh-hans"


def test_language_switch_to_english_and_back(client, office_admin, reference_loaded, reference_plan):
    client.force_login(office_admin)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "Yangpu District Carbon Peak Implementation Plan" in html  # the plan's own English title
    assert "Yangpu District carbon-peak platform" in html
    assert "17 tables loaded" in html
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert "杨浦区碳达峰实施方案" in client.get("/").content.decode()


def test_unknown_language_cookie_falls_back_to_chinese(client):
    client.cookies["django_language"] = "fr"
    assert "登录" in client.get("/accounts/login/").content.decode()


def test_navigation_hides_internal_modules_from_anonymous_visitors(client, reference_loaded):
    html = client.get("/reference/").content.decode()
    assert 'data-nav="reference"' in html
    assert 'data-nav="plan"' in html
    assert 'data-nav="home"' in html
    assert 'data-nav="inventory"' in html
    assert 'data-nav="tracking"' in html  # published statuses are public
    assert 'data-nav="buildings"' not in html


def test_assets_are_served_locally(client, office_admin, reference_loaded):
    client.force_login(office_admin)
    html = client.get("/").content.decode()
    assert "/static/vendor/echarts.min.js" in html
    assert "/static/vendor/htmx.min.js" in html
    assert "http://" not in html.replace("http://www.w3.org", "")
    assert "https://" not in html


def test_login_and_logout(client, office_admin):
    page = client.get("/accounts/login/").content.decode()
    assert "登录" in page
    assert "用户名" in page
    response = client.post("/accounts/login/", {"username": "office", "password": "office-pass-2026"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200
    assert "office" in client.get("/").content.decode()
    client.post("/accounts/logout/")
    assert "您正在浏览公开页面" in client.get("/").content.decode()


def test_wrong_password_is_refused_in_chinese(client, office_admin):
    response = client.post("/accounts/login/", {"username": "office", "password": "wrong"})
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()


def test_csrf_is_enforced_on_login(office_admin):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/accounts/login/", {"username": "office", "password": "office-pass-2026"})
    assert response.status_code == 403


def test_admin_requires_staff(client, unit_user, office_admin):
    assert client.get("/admin/").status_code == 302
    client.force_login(unit_user)
    assert client.get("/admin/").status_code == 302
    client.force_login(office_admin)
    assert client.get("/admin/").status_code == 200


def test_reference_data_is_read_only_in_admin(client, office_admin, reference_loaded):
    client.force_login(office_admin)
    assert client.get("/admin/reference/referencetableversion/").status_code == 200
    assert client.get("/admin/reference/referencetableversion/add/").status_code == 403
    from carbonpeak.web.reference.models import ReferenceTableVersion

    version = ReferenceTableVersion.objects.first()
    response = client.post(f"/admin/reference/referencetableversion/{version.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert ReferenceTableVersion.objects.filter(pk=version.pk).exists()
