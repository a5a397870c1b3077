"""Behind uvicorn, Django's middleware chain and the view run as one synchronous call on the
request's own thread, and pages, forms, API writes and errors answer as they do under WSGI."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
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
