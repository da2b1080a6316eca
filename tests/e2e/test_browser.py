"""A person logs in, sees the home page in Chinese, switches to English; nothing loads from outside."""

from urllib.parse import urlparse

import pytest

pytestmark = pytest.mark.browser


def test_login_home_in_chinese_then_english(server, page, tmp_path_factory):
    requested_hosts: set[str] = set()
    page.on("request", lambda request: requested_hosts.add(urlparse(request.url).netloc))

    page.goto(f"{server.url}/")
    assert page.locator("h1").inner_text() == "杨浦区碳达峰实施方案"
    page.click("a.button")  # 登录
    assert "/accounts/login/" in page.url
    assert page.locator("h1").inner_text() == "登录"
    page.fill("#id_username", server.username)
    page.fill("#id_password", server.password)
    page.click("button.primary")

    page.wait_for_url(f"{server.url}/")
    assert page.locator(".notice").count() == 0  # signed in: no "public pages" notice
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert page.locator("h1").inner_text() == "杨浦区碳达峰实施方案"
    assert page.locator('[data-nav="reference"]').inner_text() == "参考数据"
    assert "已加载 17 张数据表" in page.locator("main").inner_text()
    # ECharts and htmx came from our own server and ran.
    page.wait_for_selector("#electricity-chart[data-rendered='true']")
    assert page.evaluate("typeof window.htmx") == "object"
    assert page.locator("#electricity-chart canvas").count() == 1
    page.screenshot(path=str(tmp_path_factory.mktemp("shots") / "home-zh.png"), full_page=True)

    assert page.locator('button[data-lang="en"]').inner_text() == "English"  # each language in its own name
    page.click('button[data-lang="en"]')
    page.wait_for_selector("html[lang='en']")
    assert page.locator("h1").inner_text() == "Yangpu District Carbon Peak Implementation Plan"
    assert page.locator('[data-nav="reference"]').inner_text() == "Reference data"
    assert "17 tables loaded" in page.locator("main").inner_text()

    page.click('button[data-lang="zh-hans"]')
    page.wait_for_selector("html[lang='zh-Hans']")
    assert requested_hosts == {urlparse(server.url).netloc}


def test_wrong_password_stays_on_login(server, page):
    page.goto(f"{server.url}/accounts/login/")
    page.fill("#id_username", server.username)
    page.fill("#id_password", "not-the-password")
    page.click("button.primary")
    assert page.locator("[role=alert]").inner_text() == "用户名或密码不正确，请重试。"
    assert "/accounts/login/" in page.url


def test_public_reference_pages_without_login(server, page):
    page.goto(f"{server.url}/reference/")
    assert page.locator("h1").inner_text() == "参考数据"
    page.click("text=电力排放因子")
    assert page.locator("h1").inner_text() == "电力排放因子"
    assert page.locator("table.data tbody tr").count() == 20
    assert page.locator(".evidence.ev-X").count() == 1
