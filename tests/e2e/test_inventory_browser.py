"""The inventory page in a real browser: charts render and a number opens the rows and factors behind it."""

import pytest

pytestmark = pytest.mark.browser


def test_inventory_charts_and_drill_down(server, page):
    page.goto(f"{server.url}/inventory/")
    assert page.locator("h1").inner_text() == "全区能源与温室气体清单"
    assert "合成数据" in page.locator(".lead").inner_text()
    page.wait_for_selector("#inventory-stacked[data-rendered='true']")
    assert page.locator("#inventory-stacked canvas").count() == 1
    assert page.locator("#inventory-intensity canvas").count() == 1
    page.click('[data-cell="2023-commercial"]')
    page.wait_for_selector("#cell-rows")
    detail = page.locator("#cell-detail").inner_text()
    assert "sh-elec-2022" in detail
    assert "4.2 tCO2/万kWh" in detail
    assert "fuel-natural-gas" in detail
