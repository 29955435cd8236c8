"""What every browser test shares: one headless Chromium per session, the live server with the seed
data, and a page that fails its test on any console error, failed request or request that leaves
127.0.0.1.

Needs Debian's chromium (or CARSI_CHROMIUM pointing at one). Without it the browser tests skip with
a message, unless CARSI_BROWSER_TESTS=required (as in CI), when they fail.
"""

import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings

CHROMIUM = os.environ.get("CARSI_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
REQUIRED = os.environ.get("CARSI_BROWSER_TESTS") == "required"
SCREENSHOTS = Path(settings.BASE_DIR) / "artifacts" / "screenshots"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
# Chromium, as root in a container, needs --no-sandbox; the rest keep it off the network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        message = f"No Chromium at {CHROMIUM}: install Debian's chromium package to run the browser tests."
        if REQUIRED:
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread; the test's own
    # database calls (seeding) are still synchronous, which this tells Django.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, site):
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    problems = []
    page.on(
        "console",
        lambda message: message.type == "error" and problems.append(f"console on {page.url}: {message.text}"),
    )
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on(
        "request",
        lambda request: (
            urlsplit(request.url).hostname not in LOCAL_HOSTS
            and not request.url.startswith("data:")
            and problems.append(f"left 127.0.0.1: {request.url}")
        ),
    )
    page.on(
        "response",
        lambda response: response.status >= 400 and problems.append(f"{response.status}: {response.url}"),
    )
    page.site = site
    yield page
    context.close()
    assert problems == []


def screenshot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
