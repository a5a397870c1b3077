"""Browser fixtures: one headless Debian Chromium per session, a fresh phone-sized context per page,
the demo catalog re-seeded for every test, and nothing fetched from outside the live server.

`live_server` needs transactional tests, which flush the database after each test: the catalog that
tests/conftest.py seeds once per session is gone by then, so `site` seeds it again.

The control room needs Server-Sent Events, which the WSGI `live_server` cannot stream: `asgi_site`
runs the real ASGI app under uvicorn in a thread, and `open_desk` opens wide-screen pages on it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Playwright,
    Route,
    sync_playwright,
)

from tests import servers

from .helpers import OpenPage, PageLog, Site

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
PHONE = "Pixel 7"
DESK = {"viewport": {"width": 1366, "height": 900}, "locale": "en-GB"}


@pytest.fixture(scope="package")
def playwright_instance() -> Iterator[Playwright]:
    """Playwright's sync API runs an event loop in this thread while it is alive, and Django refuses
    ORM calls from a thread with a running loop. The tests' ORM calls are plain synchronous code
    between two page actions, so allow them for as long as Playwright runs. Package scope: the loop
    stops after the browser tests, so later tests may call asyncio.run() again."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as pw:
            yield pw


@pytest.fixture(scope="package")
def chromium(playwright_instance: Playwright) -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"Browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium).")
    browser = playwright_instance.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
    yield browser
    browser.close()


@pytest.fixture(scope="package")
def phone(playwright_instance: Playwright) -> dict[str, Any]:
    """The phone's device descriptor, as new_context() takes it."""
    return {k: v for k, v in playwright_instance.devices[PHONE].items() if k != "default_browser_type"}


@pytest.fixture
def site(live_server: Any, transactional_db: None, settings: Any) -> Site:
    from streetlight.demo.seed import seed_catalog
    from streetlight.reports.geo import area_index

    settings.TILE_URL = ""  # the map draws only the districts: no tile server is contacted
    seed_catalog()
    index = area_index()
    assert index is not None, "the demo city has no areas"
    return Site(url=live_server.url, city_point=index.centroid(index.codes[0]))


@pytest.fixture
def page_log() -> PageLog:
    return PageLog()


def _watched_page(chromium: Browser, page_log: PageLog, contexts: list[BrowserContext], **options: Any) -> Page:
    """A page in a new context that records external requests (and blocks them), script errors and
    content security policy violations in `page_log`."""

    def block_external(route: Route) -> None:
        host = urlsplit(route.request.url).hostname or ""
        if host in LOCAL_HOSTS:
            route.fallback()
        else:
            page_log.external_requests.append(route.request.url)
            route.abort("blockedbyclient")

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            page_log.csp_violations.append(message.text)

    context = chromium.new_context(**options)
    context.set_default_timeout(10_000)
    context.route("**/*", block_external)
    contexts.append(context)
    page = context.new_page()
    page.on("pageerror", lambda exc: page_log.page_errors.append(str(exc)))
    page.on("console", on_console)
    return page


def _close_and_check(contexts: list[BrowserContext], page_log: PageLog) -> None:
    for context in contexts:
        context.close()
    assert not page_log.external_requests, f"requests left the machine: {page_log.external_requests}"
    assert not page_log.page_errors, f"uncaught script errors: {page_log.page_errors}"
    assert not page_log.csp_violations, f"content security policy violations: {page_log.csp_violations}"


@pytest.fixture
def open_page(chromium: Browser, phone: dict[str, Any], site: Site, page_log: PageLog) -> Iterator[OpenPage]:
    """Open a page in a new phone context. At teardown: no request left the machine, no script
    failed and the content security policy was never violated."""
    contexts: list[BrowserContext] = []

    def make(
        *,
        locale: str = "en-GB",
        accept_language: str | None = None,
        javascript: bool = True,
        geolocation: tuple[float, float] | None = None,
    ) -> Page:
        lat, lon = geolocation or site.city_point
        return _watched_page(
            chromium,
            page_log,
            contexts,
            **phone,
            locale=locale,
            java_script_enabled=javascript,
            geolocation={"latitude": lat, "longitude": lon, "accuracy": 12},
            permissions=["geolocation"],
            base_url=site.url,
            extra_http_headers={"Accept-Language": accept_language} if accept_language else None,
        )

    yield make
    _close_and_check(contexts, page_log)


@pytest.fixture
def asgi_site(transactional_db: None, settings: Any) -> Iterator[Site]:
    """The real ASGI app (static files from the finders, like `live_server`) under uvicorn in a
    thread, with the demo catalog loaded."""
    from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler

    from streetlight.asgi import application
    from streetlight.demo.seed import seed_catalog
    from streetlight.reports.geo import area_index

    settings.ALLOWED_HOSTS = ["*"]
    settings.TILE_URL = ""  # the map draws only the districts: no tile server is contacted
    seed_catalog()
    index = area_index()
    assert index is not None, "the demo city has no areas"
    with servers.asgi_server(ASGIStaticFilesHandler(application)) as url:
        yield Site(url=url, city_point=index.centroid(index.codes[0]))


@pytest.fixture
def open_desk(chromium: Browser, asgi_site: Site, page_log: PageLog) -> Iterator[Callable[[], Page]]:
    """Open a page in a new wide-screen context on `asgi_site`, checked like `open_page`. Closed
    before the server stops, so no event stream is left open."""
    contexts: list[BrowserContext] = []
    yield lambda: _watched_page(chromium, page_log, contexts, **DESK, base_url=asgi_site.url)
    _close_and_check(contexts, page_log)
