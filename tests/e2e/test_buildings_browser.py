"""A building manager opens a building page and sees its load chart (a real browser, the real server)."""

import pytest

pytestmark = pytest.mark.browser


def login(page, server):
    page.goto(f"{server.url}/accounts/login/")
    page.fill("#id_username", server.username)
    page.fill("#id_password", server.password)
    page.click("button.primary")
    page.wait_for_url(f"{server.url}/")


def test_building_page_shows_its_load_chart(server, page):
    login(page, server)
    page.goto(f"{server.url}/buildings/")
    assert page.locator("[data-building]").count() == 3
    page.locator("[data-building] a").first.click()
    page.wait_for_selector("#load-chart[data-rendered]")
    assert int(page.locator("#load-chart").get_attribute("data-rendered")) >= 2  # sub-metering categories
    assert page.locator("#load-chart canvas").count() == 1
    assert page.locator("#monthly-chart canvas").count() == 1
    assert "合成数据" in page.locator(".lead").inner_text()


def test_disclosure_is_public_and_the_map_needs_a_login(server, page):
    page.goto(f"{server.url}/buildings/disclosure/")
    assert page.locator("h1").inner_text().startswith("公共建筑能效公示")
    page.goto(f"{server.url}/buildings/map/")
    assert "/accounts/login/" in page.url
    login(page, server)
    page.goto(f"{server.url}/buildings/map/")
    page.wait_for_selector("#map-chart[data-rendered='3']")
    assert page.locator("#map-chart").get_attribute("data-footprints") == "3"  # the demo's footprints


def test_an_office_user_uploads_a_readings_file(server, page, tmp_path):
    login(page, server)
    page.goto(f"{server.url}/buildings/import/")
    path = tmp_path / "late.csv"
    path.write_text("meter_id,timestamp,value\nNO-SUCH-METER,2025-06-01 00:00,5\n", encoding="utf-8")
    page.select_option("select[name=kind]", "readings")
    page.set_input_files("input[name=file]", str(path))
    page.click("#import-form button")
    page.wait_for_url(f"{server.url}/buildings/import/")
    assert "隔离 1 条" in page.locator("body").inner_text()  # 1 quarantined, in the Chinese-first interface
