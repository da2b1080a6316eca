"""The map page (一张图) in a real browser: the offline ECharts map draws the SYNTHETIC demo layers, and
clicking a station lists its nearest bus stops with distances. Screenshots go to ``$CARBONPEAK_SHOTS`` when
it is set."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

LOAD = (
    "import django; django.setup(); "
    "from carbonpeak.web.spatial.services import demo_spatial_load; print(demo_spatial_load(seed=1))"
)


@pytest.fixture(scope="module")
def spatial_demo(server):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["CARBONPEAK_DATA_DIR"] = str(server.data_dir)
    env["DJANGO_SETTINGS_MODULE"] = "carbonpeak.web.config.settings"
    done = subprocess.run([sys.executable, "-c", LOAD], env=env, check=True, capture_output=True, text=True)
    assert done.stdout.startswith("SYNTHETIC")
    return server


def login(page, server):
    page.goto(f"{server.url}/accounts/login/")
    page.fill("#id_username", server.username)
    page.fill("#id_password", server.password)
    page.click("button.primary")
    page.wait_for_url(f"{server.url}/")


def click_station(page, name: str) -> None:
    """Click the station called ``name`` on the map canvas (its pixel from ECharts' own projection)."""
    page.locator("#spatial-map").scroll_into_view_if_needed()
    page.wait_for_timeout(1_200)  # let the symbols' entry animation finish
    box = page.locator("#spatial-map").bounding_box()
    assert box is not None
    x, y = page.evaluate(
        """(name) => {
            const chart = echarts.getInstanceByDom(document.getElementById('spatial-map'));
            const series = chart.getOption().series.find(s => s.type === 'scatter' && s.symbol === 'rect');
            const item = series.data.find(d => d.name === name);
            return chart.convertToPixel({geoIndex: 0}, item.value);
        }""",
        name,
    )
    page.mouse.click(box["x"] + x, box["y"] + y)


def test_map_draws_layers_and_a_click_shows_the_nearest_stops(spatial_demo, page):
    page.goto(f"{spatial_demo.url}/spatial/")
    assert "/accounts/login/" in page.url
    login(page, spatial_demo)
    page.goto(f"{spatial_demo.url}/spatial/")
    page.wait_for_selector("#spatial-map[data-rendered]")
    assert int(page.locator("#spatial-map").get_attribute("data-stations")) == 8
    assert page.locator("#spatial-map canvas").count() >= 1
    assert page.locator("#synthetic-banner").count() == 1
    assert page.locator("[data-target='park_500m_coverage_2025'] .figure").count() == 1
    assert page.locator("[data-target='nev_new_buses_taxis'] .figure").count() == 1
    click_station(page, "示例站 杨树浦")
    page.wait_for_selector("#nearest-stops")
    assert page.locator("#station-detail").get_attribute("data-station") == "st-07"
    assert page.locator("#station-detail [data-served='false']").count() == 1
    first = page.locator("#nearest-stops tbody tr").first
    assert first.get_attribute("data-stop") == "st-07-bus-1"
    assert float(first.locator("td.num").inner_text().replace(",", "")) == pytest.approx(80, abs=0.5)
    shots = os.environ.get("CARBONPEAK_SHOTS")
    if shots:
        folder = Path(shots)
        folder.mkdir(parents=True, exist_ok=True)
        for lang in ("zh-hans", "en"):
            for width, height in ((1366, 768), (390, 844)):
                page.set_viewport_size({"width": width, "height": height})
                page.context.add_cookies(
                    [{"name": "django_language", "value": lang, "url": spatial_demo.url}]
                )
                for path, name in (("/spatial/", "map"), ("/spatial/import/", "import")):
                    page.goto(f"{spatial_demo.url}{path}")
                    if name == "map":
                        page.wait_for_selector("#spatial-map[data-rendered]")
                        if width > 800:
                            click_station(page, "示例站 杨树浦")
                            page.wait_for_selector("#nearest-stops")
                    page.screenshot(path=str(folder / f"{name}-{lang}-{width}x{height}.png"), full_page=True)
