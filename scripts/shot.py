"""Take a screenshot of a running app page in headless Chromium: python -m scripts.shot URL OUT.png"""
from __future__ import annotations

import sys

from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def shot(url: str, out: str, wait_text: str | None = None, width: int = 1400, height: int = 1000) -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": width, "height": height})
        page.goto(url)
        page.wait_for_selector("[data-testid='stAppViewContainer']", timeout=30000)
        if wait_text:
            page.get_by_text(wait_text).first.wait_for(timeout=30000)
        page.wait_for_timeout(2500)
        page.screenshot(path=out, full_page=True)
        browser.close()


if __name__ == "__main__":
    shot(sys.argv[1], sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else None)
