"""The office uploads a PV file and sees the installation on the offline map (a real browser and server)."""

import pytest

pytestmark = pytest.mark.browser


def login(page, server):
    page.goto(f"{server.url}/accounts/login/")
    page.fill("#id_username", server.username)
    page.fill("#id_password", server.password)
    page.click("button.primary")
    page.wait_for_url(f"{server.url}/")


def test_uploaded_pv_shows_on_the_map_and_progress(server, page, tmp_path):
    page.goto(f"{server.url}/renewables/")
    assert "/accounts/login/" in page.url
    login(page, server)
    page.goto(f"{server.url}/renewables/import/")
    path = tmp_path / "pv.csv"
    path.write_text(
        "id,building_id,capacity_kwp,kind,commissioned\nE2E-PV,YP0001,290,rooftop,2024-05-01\n",
        encoding="utf-8",
    )
    page.select_option("select[name=kind]", "pv")
    page.set_input_files("input[name=file]", str(path))
    page.click("#import-form button")
    page.wait_for_url(f"{server.url}/renewables/import/")
    page.goto(f"{server.url}/renewables/")
    page.wait_for_selector("#renewables-map[data-rendered]")
    assert int(page.locator("#renewables-map").get_attribute("data-rendered")) >= 1
    assert page.locator("#renewables-map canvas").count() == 1
    assert page.locator("[data-pv='E2E-PV']").count() == 1
    assert page.locator("[data-indicator='pv_capacity_added'] progress").count() == 1
