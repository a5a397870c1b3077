"""Behind uvicorn, Django's middleware chain and the view run as one synchronous call on the
request's own thread, and pages, forms, API writes and errors answer as they do under WSGI."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from inspect import iscoroutinefunction
from typing import Any

import httpx
import pytest
from django.core.signals import request_finished, request_started
from django.db.models.signals import pre_save

from tests import servers

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def base(settings: Any, seeded_city: None) -> Iterator[str]:
    from streetlight.asgi import application

    settings.ALLOWED_HOSTS = ["*"]
    with servers.asgi_server(application) as url:
        yield url


def test_the_middleware_chain_is_synchronous() -> None:
    from streetlight.asgi import django_application

    assert not iscoroutinefunction(django_application._middleware_chain)


def test_a_report_is_stored_on_the_thread_that_began_and_ended_the_request(
    base: str, report_json: dict[str, Any]
) -> None:
    from streetlight.reports.models import Report

    seen: dict[str, int] = {}
    finished = threading.Event()

    def started(**kwargs: Any) -> None:
        seen["started"] = threading.get_ident()

    def saving(sender: Any, **kwargs: Any) -> None:
        seen["saved"] = threading.get_ident()

    def ended(**kwargs: Any) -> None:
        seen["finished"] = threading.get_ident()
        finished.set()

    request_started.connect(started, weak=False)
    pre_save.connect(saving, sender=Report, weak=False)
    request_finished.connect(ended, weak=False)
    try:
        response = httpx.post(
            base + "/api/v1/reports", content=json.dumps(report_json), headers={"Content-Type": "application/json"}
        )
        assert finished.wait(10)
    finally:
        request_started.disconnect(started)
        pre_save.disconnect(saving, sender=Report)
        request_finished.disconnect(ended)
    assert response.status_code == 201
    assert Report.objects.filter(reference=response.json()["reference"]).exists()
    assert seen["started"] == seen["saved"] == seen["finished"]
    assert seen["saved"] != threading.get_ident()


def test_reports_filed_at_the_same_moment_from_several_connections_are_all_stored(
    base: str, report_json: dict[str, Any]
) -> None:
    """Phones file and read at once: each request thread writes on a connection of its own, and a
    writer waits for the one before it rather than failing (SQLite in WAL mode with a busy timeout;
    the in-memory shared-cache database Django tests with by default refuses at once with "database
    table is locked")."""
    from streetlight.reports.models import Report

    before = Report.objects.count()
    body = json.dumps(report_json)

    def phone(_: int) -> list[int]:
        with httpx.Client(base_url=base, timeout=30) as client:
            answers = []
            for _ in range(4):
                answers.append(
                    client.post(
                        "/api/v1/reports", content=body, headers={"Content-Type": "application/json"}
                    ).status_code
                )
                answers.append(client.get("/report/").status_code)
            return answers

    with ThreadPoolExecutor(4) as phones:
        answers = [status for answered in phones.map(phone, range(4)) for status in answered]
    assert sorted(answers) == [200] * 16 + [201] * 16
    assert Report.objects.count() == before + 16


def test_pages_forms_and_errors_answer_as_under_wsgi(base: str) -> None:
    with httpx.Client(base_url=base) as client:
        page = client.get("/report/")
        assert page.status_code == 200
        assert "default-src" in page.headers["content-security-policy"]
        assert page.headers["x-frame-options"] == "DENY"
        refused = client.post("/report/", data={"category": "theft-bike"})  # no CSRF token
        assert refused.status_code == 403
        invalid = client.post("/api/v1/reports", content=b"{}", headers={"Content-Type": "application/json"})
        assert invalid.status_code == 422
        assert "category" in invalid.text
        assert client.get("/no-such-page/").status_code == 404


def test_request_threads_serve_one_request_at_a_time_and_are_kept_for_the_next(base: str) -> None:
    """Sequential requests are served by kept threads, not a new thread each (the kernel's thread ids
    are not reused this soon); requests at the same time each get their own."""
    threads: list[int] = []
    lock = threading.Lock()
    inside = threading.Barrier(3, timeout=10)

    def started(**kwargs: Any) -> None:
        with lock:
            threads.append(threading.get_native_id())

    request_started.connect(started, weak=False)
    try:
        with httpx.Client(base_url=base) as client:
            for _ in range(10):
                assert client.get("/healthz").status_code == 200
        sequential = list(threads)
        threads.clear()

        def at_once(**kwargs: Any) -> None:
            inside.wait()  # three requests inside Django at the same moment

        request_started.connect(at_once, weak=False)
        try:
            answers: list[int] = []
            callers = [
                threading.Thread(target=lambda: answers.append(httpx.get(base + "/healthz", timeout=10).status_code))
                for _ in range(3)
            ]
            for caller in callers:
                caller.start()
            for caller in callers:
                caller.join(10)
        finally:
            request_started.disconnect(at_once)
    finally:
        request_started.disconnect(started)
    # The next request may arrive while the previous ones' threads are still ending them (request_finished
    # runs after the answer is sent), so a few threads take turns; a thread per request would be ten.
    assert len(sequential) == 10 and len(set(sequential)) <= 5
    assert answers == [200, 200, 200]
    assert len(set(threads)) == 3
    assert set(sequential) & set(threads)  # kept threads served again
