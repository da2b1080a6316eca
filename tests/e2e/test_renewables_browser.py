"""The office uploads PV and charging files and sees them on the PV and charging pages' offline maps (a real
browser and server)."""

import pytest

pytestmark = pytest.mark.browser


def login(page, server):
    page.goto(f"{server.url}/accounts/login/")
    page.fill("#id_username", server.username)
    page.fill("#id_password", server.password)
    page.click("button.primary")
    page.wait_for_url(f"{server.url}/")


def upload(page, server, tmp_path, kind, name, text):
    page.goto(f"{server.url}/renewables/import/")
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    page.select_option("select[name=kind]", kind)
    page.set_input_files("input[name=file]", str(path))
    page.click("#import-form button")
    page.wait_for_url(f"{server.url}/renewables/import/")


def test_uploaded_pv_and_charging_show_on_their_pages(server, page, tmp_path):
    page.goto(f"{server.url}/renewables/pv/")
    assert "/accounts/login/" in page.url
    login(page, server)
    upload(
        page,
        server,
        tmp_path,
        "pv",
        "pv.csv",
        "id,building_id,capacity_kwp,kind,commissioned\nE2E-PV,YP0001,290,rooftop,2024-05-01\n",
    )
    upload(
        page,
        server,
        tmp_path,
        "chargers",
        "homes.csv",
        "id,name,building_id,site_kind,access,commissioned,parking_spaces,slow_count,slow_kw,ready_spaces\n"
        "E2E-HOME,新小区 (test),YP0001,residential,dedicated,2024-05-01,100,10,7,40\n",
    )

    page.goto(f"{server.url}/renewables/")
    assert page.locator("[data-indicator='pv_capacity_added'] progress").count() == 1
    page.click("#to-pv")
    page.wait_for_url(f"{server.url}/renewables/pv/")
    page.wait_for_selector("#renewables-map[data-rendered]")
    assert int(page.locator("#renewables-map").get_attribute("data-rendered")) >= 1
    assert int(page.locator("#renewables-map").get_attribute("data-footprints")) >= 1  # GeoJSON outlines
    assert page.locator("#renewables-map canvas").count() == 1
    assert page.locator("[data-pv='E2E-PV']").count() == 1
    assert page.locator("[data-indicator='pv_capacity_added'] progress").count() == 1
    assert page.locator("#pv-potential, #substitution").count() >= 1

    page.click("#renewables-nav >> text=充电")
    page.wait_for_url(f"{server.url}/renewables/charging/")
    page.wait_for_selector("#renewables-map[data-rendered]")
    assert int(page.locator("#renewables-map").get_attribute("data-rendered")) >= 1
    assert page.locator("[data-home='E2E-HOME']").count() == 1  # 10 chargers + 40 ready of 100: not ready
    assert page.locator("[data-indicator='charging_ready_share_new_residential'] progress").count() == 1
