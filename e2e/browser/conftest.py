"""Fixtures shared by the browser tests: the console's server (one per session), Debian's chromium
through playwright, and contexts whose pages are watched for CSP violations, uncaught errors and
state-changing calls without the CSRF header. Helpers live in rwkit.py."""
import os
import shutil

import pytest
from playwright.sync_api import sync_playwright

from rwkit import WINDOWD, Server, chromium_args, watched_context


@pytest.fixture(scope="session")
def server(request):
    if not os.access(WINDOWD, os.X_OK):
        pytest.exit(f"{WINDOWD} is not built: run `swift build` first", returncode=2)
    server = Server()
    server.start()
    try:
        server.setup()
        yield server
    finally:
        server.stop()
        if request.session.testsfailed:
            print(f"\n--- windowd log (last lines) ---\n{server.tail()}")
        server.remove()


@pytest.fixture(scope="session")
def playwright_instance():
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def chromium_path():
    executable = shutil.which("chromium")
    if not executable:
        pytest.exit("chromium is not installed: run ./scripts/setup browser", returncode=2)
    return executable


@pytest.fixture(scope="session")
def browser(playwright_instance, chromium_path):
    browser = playwright_instance.chromium.launch(executable_path=chromium_path, headless=True, args=chromium_args())
    yield browser
    browser.close()


@pytest.fixture
def context(browser):
    context = watched_context(browser)
    yield context
    problems = context.problems()
    context.close()
    assert not problems, "\n".join(problems)


@pytest.fixture
def page(context):
    return context.open_page()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keeps each phase's report on the test item, so fixtures can tell whether the test failed."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def pytest_configure(config):
    config.addinivalue_line("markers", "document_camera: screen B's browser has two cameras (the second is the 高拍仪)")
