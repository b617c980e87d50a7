"""A real Chromium (Debian's, never a downloaded one) driven by Playwright's sync API
against pytest-django's live server: one browser per session, a fresh context per test.

Without /usr/bin/chromium the browser tests skip, unless AMITY_REQUIRE_BROWSER=1 (CI),
where they fail."""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse
# the ORM calls that tests make between browser steps.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def pytest_configure(config):
    # Registered by pytest-xdist, which a plain `pytest -p no:xdist` run does not load;
    # --strict-markers would then reject the mark.
    config.addinivalue_line("markers", "xdist_group(name): run the group on one worker")


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        reason = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("AMITY_REQUIRE_BROWSER") == "1":
            pytest.fail(reason + "; AMITY_REQUIRE_BROWSER=1 requires the browser tests")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser, live_server):
    """Open pages in fresh contexts (viewport, English browser) on the live server;
    fail the test on a script error or a Content-Security-Policy violation."""
    contexts, problems = [], []
    in_flight = set()

    def open_page(viewport: dict = DESKTOP):
        context = browser.new_context(base_url=live_server.url, viewport=viewport,
                                      locale="en-US")
        context.set_default_timeout(10_000)
        context.on("request", lambda request: in_flight.add(request))
        context.on("requestfinished", lambda request: in_flight.discard(request))
        context.on("requestfailed", lambda request: in_flight.discard(request))
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda exc: problems.append(f"script error: {exc}"))
        page.on("console", lambda msg: problems.append(f"console: {msg.text}")
                if "Content Security Policy" in msg.text else None)
        return page

    yield open_page
    # On SQLite the live server shares the test's in-memory connection: a request still
    # being served (a panel refreshing after the last step) would write into the flush
    # that ends the test. Let the browser's requests finish before closing.
    pages = [p for context in contexts for p in context.pages]
    for _ in range(100):
        if not in_flight or not pages:
            break
        pages[0].wait_for_timeout(50)
    for context in contexts:
        context.close()
    assert not problems, problems


@pytest.fixture
def page(new_page):
    return new_page()


def sign_in(page, user, *, password: str | None = None) -> None:
    """Sign in through the login form, as a person would, and wait for the home page."""
    page.goto("/auth/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(password or f"pw-{user.username}")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("/")


@pytest.fixture
def shots_dir() -> Path:
    """Where screenshots for a human to look at go; only taken when AMITY_SHOTS_DIR is set
    (e.g. AMITY_SHOTS_DIR=/tmp/amity-shots), never into the repository."""
    if not os.environ.get("AMITY_SHOTS_DIR"):
        pytest.skip("screenshots are taken only when AMITY_SHOTS_DIR is set")
    path = Path(os.environ["AMITY_SHOTS_DIR"])
    path.mkdir(parents=True, exist_ok=True)
    return path
