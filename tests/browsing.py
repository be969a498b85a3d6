"""What the browser tests share: finding Chromium (skip without it, unless TLC_REQUIRE_BROWSER is set,
as in CI), driving it through Playwright, and keeping screenshots for docs/.

Screenshots are written to the test's temporary directory; with ``TLC_SCREENSHOTS=DIR`` they are also
copied there (``TLC_SCREENSHOTS=docs/screenshots make test`` refreshes the ones the docs show).
"""
from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def require_chromium() -> str:
    """The Chromium to test with; the module is skipped without one, unless CI requires it."""
    if CHROMIUM is None:
        if os.environ.get("TLC_REQUIRE_BROWSER"):
            raise RuntimeError("TLC_REQUIRE_BROWSER is set but no chromium is installed")
        pytest.skip("chromium is not installed", allow_module_level=True)
    return CHROMIUM


def keep_screenshot(path: Path, name: str) -> None:
    """Copy a screenshot to ``$TLC_SCREENSHOTS/name`` when that is set."""
    target = os.environ.get("TLC_SCREENSHOTS")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, Path(target) / name)


@contextmanager
def browser_page(width: int = 1280, height: int = 900, mobile: bool = False):
    """A Playwright page in the system's Chromium (no browser download), offline apart from 127.0.0.1;
    ``mobile`` emulates a phone (touch, mobile viewport)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=require_chromium(), args=["--no-sandbox"])
        try:
            context = browser.new_context(viewport={"width": width, "height": height}, accept_downloads=True,
                                          is_mobile=mobile, has_touch=mobile)
            context.route("**/*", lambda route: route.continue_() if _local(route.request.url) else route.abort())
            yield context.new_page()
        finally:
            browser.close()


def _local(url: str) -> bool:
    return url.startswith(("file://", "data:", "blob:", "http://127.0.0.1", "about:"))
