"""The reporter's rights through the follow-up token: download the report (their contact included,
the read audited as their own) and erase it (a confirmation step, then a POST with CSRF). A wrong
token gets the usual 404 and reveals nothing."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from streetlight.audit.models import AuditEntry
from streetlight.insight.data import countable
from streetlight.notify.models import Delivery, Webhook
from streetlight.reports.models import FollowupToken, Report, ReportContact
from streetlight.routing.models import Agency
from tests.staff import member, signed_in

from .conftest import EMAIL, FileReport

pytestmark = pytest.mark.django_db

FORGED = "x" * 32


def test_the_followup_page_offers_download_and_erase(client: Client, file_report: FileReport) -> None:
    filed = file_report()
    page = client.get(f"/f/{filed.token}/").content.decode()
    assert f'action="/f/{filed.token}/download/"' in page and f'href="/f/{filed.token}/erase/"' in page


def test_download_holds_the_report_and_the_contact_and_is_audited(client: Client, file_report: FileReport) -> None:
    filed = file_report()
    resp = client.post(f"/f/{filed.token}/download/")
    assert resp.status_code == 200 and resp["Cache-Control"] == "no-store"
    assert resp["Content-Disposition"] == f'attachment; filename="{filed.report.reference}.json"'
    body = json.loads(resp.content)
    assert body["description"] == filed.report.description
    assert body["contact"] == {"name": "Alex Rossi", "email": EMAIL, "phone": "+39 333 1234567"}
    assert body["consent"]["police"] is True and [h["status"] for h in body["history"]] == ["received"]
    reads = AuditEntry.objects.filter(
        target_id=str(filed.report.pk), action__in=["report.exported", "report.contact_read"]
    )
    assert sorted(reads.values_list("action", "actor_label")) == [
        ("report.contact_read", "reporter"),
        ("report.exported", "reporter"),
    ]


def test_download_needs_a_post(client: Client, file_report: FileReport) -> None:
    assert client.get(f"/f/{file_report().token}/download/").status_code == 405


def test_erase_asks_first_then_erases_and_keeps_the_statistic(client: Client, file_report: FileReport) -> None:
    filed = file_report()
    Webhook.objects.create(agency=Agency.objects.get(code="police"), url="https://police.example.org/hook", secret="s")
    confirm = client.get(f"/f/{filed.token}/erase/")
    assert confirm.status_code == 200 and 'id="erase-confirm"' in confirm.content.decode()
    assert Report.objects.get(pk=filed.report.pk).description  # asking erases nothing

    done = client.post(f"/f/{filed.token}/erase/", follow=True)
    assert done.status_code == 200 and filed.report.reference in done.content.decode()
    report = filed.refresh()
    assert report.description == "" and report.anonymised_by == "reporter"
    assert not ReportContact.objects.filter(report=report).exists()
    assert not FollowupToken.objects.filter(report=report).exists()
    assert countable().filter(pk=report.pk).exists()
    assert client.get(f"/f/{filed.token}/").status_code == 404
    [entry] = AuditEntry.objects.filter(action="report.erased")
    assert entry.actor_label == "reporter" and entry.target_id == str(report.pk)
    assert entry.data["by"] == "reporter" and "description" in entry.data["removed"]
    assert Delivery.objects.filter(event="report.erased", payload__report__reference=report.reference).exists()


def test_agencies_see_that_the_reporter_erased_it(client: Client, file_report: FileReport) -> None:
    filed = file_report()
    client.post(f"/f/{filed.token}/erase/")
    page = signed_in(member("police", "case_worker")).get(f"/control/reports/{filed.report.pk}/")
    assert page.status_code == 200 and 'id="anonymised"' in page.content.decode()
    assert "Erased by the reporter" in page.content.decode()


def test_erase_needs_the_csrf_token(file_report: FileReport) -> None:
    filed = file_report()
    resp = Client(enforce_csrf_checks=True).post(f"/f/{filed.token}/erase/")
    assert resp.status_code == 403
    assert filed.refresh().description


@pytest.mark.parametrize(("method", "path"), [("post", "download/"), ("get", "erase/"), ("post", "erase/")])
def test_a_wrong_token_gets_404_and_reveals_nothing(
    client: Client, file_report: FileReport, method: str, path: str
) -> None:
    filed = file_report()
    before = AuditEntry.objects.count()
    resp = getattr(client, method)(f"/f/{FORGED}/{path}")
    assert resp.status_code == 404
    assert filed.report.reference not in resp.content.decode() and EMAIL not in resp.content.decode()
    assert AuditEntry.objects.count() == before and filed.refresh().description


def test_the_api_mirrors_download_and_erase(client: Client, file_report: FileReport) -> None:
    filed = file_report()
    auth = {"Authorization": f"Bearer {filed.token}"}
    export = client.get("/api/v1/followup/export", headers=auth)
    assert export.status_code == 200 and export.json()["contact"]["email"] == EMAIL

    def erase(body: dict[str, bool]) -> int:
        url = "/api/v1/followup/erase"
        return client.post(url, data=json.dumps(body), content_type="application/json", headers=auth).status_code

    assert erase({}) == 422
    assert erase({"confirm": True}) == 204
    assert filed.refresh().anonymised_by == "reporter"
    assert client.get("/api/v1/followup/export", headers=auth).status_code == 401


def test_the_api_refuses_a_forged_token(client: Client, file_report: FileReport) -> None:
    file_report()
    resp = client.get("/api/v1/followup/export", headers={"Authorization": f"Bearer {FORGED}"})
    assert resp.status_code == 401 and EMAIL not in resp.content.decode()
