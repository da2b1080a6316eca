"""The plan browser in a real browser: filter by unit without a page reload, open a unit, switch language."""

import re

import pytest

pytestmark = pytest.mark.browser


def test_browse_filter_and_open_a_unit(server, page):
    page.goto(f"{server.url}/plan/")
    assert page.locator("h1").inner_text() == "杨浦区碳达峰实施方案"
    assert page.locator("[data-action]").count() == 9  # eight green actions and the safeguards
    assert page.locator("[data-task]").count() == 32
    assert page.locator("[data-target].qualitative").count() > 0

    # Filtering swaps only the results (htmx): the marker set on the page survives.
    page.evaluate("window.__notReloaded = true")
    with page.expect_response(lambda r: "unit=government_offices_administration" in r.url):
        page.select_option("select[name=unit]", label="区机管局")
    page.wait_for_function("document.querySelectorAll('[data-task]').length < 32")
    assert page.evaluate("window.__notReloaded") is True
    assert "unit=government_offices_administration" in page.url  # the filter is in the address (hx-push-url)
    shown = page.locator("[data-task]").count()
    assert 0 < shown < 32
    for units in page.locator(".plan-task .units").all_inner_texts():
        assert "区机管局" in units

    with page.expect_response(lambda r: "unit=&" in r.url):
        page.select_option("select[name=unit]", value="")
    page.wait_for_function("document.querySelectorAll('[data-task]').length === 32")
    with page.expect_response(lambda r: "kind=quantitative" in r.url):
        page.select_option("select[name=kind]", value="quantitative")
    page.wait_for_function("document.querySelectorAll('[data-target].qualitative').length === 0")
    assert page.locator("[data-target].quantitative").count() == 43

    page.goto(f"{server.url}/plan/units/")
    page.click("text=区建设管理委")
    assert page.locator("h1").inner_text() == "区建设管理委"
    leads = page.locator("#leads li").all_inner_texts()
    assert any("大力推进建筑光伏发展" in item for item in leads)
    assert re.fullmatch(r"配合的任务 \(\d+\)", page.locator("#co-leads h2").inner_text())


def test_plan_in_english(server, page):
    page.goto(f"{server.url}/plan/")
    page.click('button[data-lang="en"]')
    page.wait_for_selector("html[lang='en']")
    assert page.locator("h1").inner_text() == "Yangpu District Carbon Peak Implementation Plan"
    assert "Lead unit" in page.locator(".plan-task .units").first.inner_text()
