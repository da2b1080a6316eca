"""Take the README screenshots of a running carbonpeak (``carbonpeak serve``) with Debian's chromium.

Usage: python scripts/screenshot.py URL USERNAME PASSWORD OUT_DIR
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


def main(url: str, username: str, password: str, out_dir: str) -> None:
    """Log in and save the home page in Chinese and the reference data page."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 760})
        page.goto(f"{url}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("button.primary")
        page.wait_for_selector("#electricity-chart[data-rendered='true']")
        page.wait_for_timeout(1200)  # let the chart's entry animation finish
        page.screenshot(path=str(out / "home-zh.png"))
        page.goto(f"{url}/reference/electricity_emission_factors/")
        page.screenshot(path=str(out / "reference-zh.png"))
        browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:5])
