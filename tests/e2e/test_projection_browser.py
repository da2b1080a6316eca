"""The projection page in a real browser: moving a lever slider recomputes and redraws the charts."""

import json

import pytest

pytestmark = pytest.mark.browser


def login(page, server):
    page.goto(f"{server.url}/accounts/login/")
    page.fill("#id_username", server.username)
    page.fill("#id_password", server.password)
    page.click("button.primary")
    page.wait_for_url(f"{server.url}/")


def _set_slider(page, code, value):
    page.eval_on_selector(
        f"#lever-{code}",
        "(el, v) => { el.value = v; el.dispatchEvent(new Event('input', { bubbles: true })); }",
        str(value),
    )


def test_moving_a_slider_changes_the_fan_chart(server, page):
    login(page, server)
    page.goto(f"{server.url}/projection/")
    page.wait_for_selector("#fan-chart[data-rendered='true']")
    assert page.locator("#fan-chart canvas").count() == 1
    assert page.locator("#wedge-chart canvas").count() == 1
    assert page.locator("#peak-hist canvas").count() == 1
    assert "合成数据" in page.locator("#projection-lead").inner_text()
    assert page.locator("#assumptions td.evidence-assumption").count() > 0
    before = json.loads(page.locator("#fan-chart").get_attribute("data-p50"))
    before_2030 = page.locator("#p50-2030").inner_text()
    version = page.locator("#fan-chart").get_attribute("data-version")

    for code in ("public_building_retrofit", "ultra_low_energy_buildings", "nev_share"):
        _set_slider(page, code, 0)
    page.wait_for_function(
        "v => document.getElementById('fan-chart').dataset.version !== v", arg=version, timeout=30_000
    )
    after = json.loads(page.locator("#fan-chart").get_attribute("data-p50"))
    assert page.locator("#lever-public_building_retrofit-pct").inner_text() == "0"
    assert page.locator("#lever-public_building_retrofit-summary").inner_text() == "0 m²/a"
    assert after[:5] == before[:5]  # history is the inventory whatever the levers
    assert after[-1] > before[-1]  # fewer levers, more CO2 in 2035
    assert page.locator("#p50-2030").inner_text() != before_2030
    chart_p50 = page.evaluate(
        "() => echarts.getInstanceByDom(document.getElementById('fan-chart'))"
        ".getOption().series.find(s => s.name === 'P50').data"
    )
    assert chart_p50 == pytest.approx(after)
