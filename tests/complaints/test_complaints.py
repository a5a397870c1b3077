"""Hand-over to a formal complaint: the reporter's consent by token, the police's PDF and JSON in
two languages, the refusals, and the police reference in the dark-number table."""

from __future__ import annotations

import io
import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from streetlight.accounts.models import User
from streetlight.audit.models import AuditEntry
from streetlight.complaints.models import Complaint
from streetlight.insight.services import police_statistics_import
from streetlight.reports.models import Report
from streetlight.routing.services import report_route
from tests.insight.test_dark_number import police_csv, this_month
from tests.staff import member, signed_in

pytestmark = pytest.mark.django_db

SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "docs" / "complaint.schema.json").read_text())


@pytest.fixture
def submitted(client: Client, report_json: dict[str, Any]) -> tuple[Report, str]:
    """A bike theft shared with the police and the city (so the city safety team works it too),
    with contact details; and its follow-up token."""
    body = {
        **report_json,
        "consent": {**report_json["consent"], "city": True, "contact": True},
        "contact": {"name": "Alex Martin", "email": "alex@example.org"},
    }
    resp = client.post("/api/v1/reports", data=json.dumps(body), content_type="application/json")
    assert resp.status_code == 201
    report = Report.objects.select_related("category__parent", "area").get(reference=resp.json()["reference"])
    report_route(report=report)
    return report, resp.json()["followup_token"]


@pytest.fixture
def officer() -> User:
    return member("police", "case_worker")


def consent(client: Client, token: str) -> Any:
    return client.post(f"/f/{token}/complaint/consent/", {"consent": "yes"})


def pdf_text(content: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_follow_up_page_explains_and_takes_and_withdraws_consent(
    client: Client, submitted: tuple[Report, str]
) -> None:
    report, token = submitted
    page = client.get(f"/f/{token}/").content.decode()
    assert 'id="complaint"' in page and "sign it at a police station" in page and 'name="consent"' in page
    missing = client.post(f"/f/{token}/complaint/consent/", {})
    assert missing.status_code == 400 and "consent" in missing.content.decode()
    assert not Complaint.objects.filter(report=report, consented_at__isnull=False).exists()
    resp = consent(client, token)
    assert resp.status_code == 302 and resp["Location"].endswith(f"/f/{token}/#complaint")
    complaint = Complaint.objects.get(report=report)
    assert complaint.consent_active and complaint.consented_at is not None
    assert "Withdraw my consent" in client.get(f"/f/{token}/").content.decode()
    assert client.post(f"/f/{token}/complaint/withdraw/").status_code == 302
    complaint.refresh_from_db()
    assert not complaint.consent_active and complaint.withdrawn_at is not None
    assert client.post(f"/f/{token}/complaint/withdraw/").status_code == 409  # nothing left to withdraw
    actions = list(AuditEntry.objects.filter(action__startswith="complaint.").values_list("action", flat=True))
    assert actions == ["complaint.consent_given", "complaint.consent_withdrawn"]
    assert client.post("/f/not-a-token/complaint/consent/", {"consent": "yes"}).status_code == 404


def test_police_prepare_the_complaint_in_english_and_french(
    client: Client, submitted: tuple[Report, str], officer: User
) -> None:
    report, token = submitted
    consent(client, token)
    police = signed_in(officer)
    page = police.get(f"/control/reports/{report.pk}/").content.decode()
    assert "Prepare the complaint (PDF)" in page
    english = police.get(f"/control/reports/{report.pk}/complaint/complaint.pdf")
    assert english.status_code == 200 and english["Content-Type"] == "application/pdf"
    text = pdf_text(english.content)
    assert "Formal complaint" in text and report.reference in text and "alex@example.org" in text
    french = police.get(f"/control/reports/{report.pk}/complaint/complaint.pdf", {"language": "fr"})
    text = pdf_text(french.content)
    assert "Plainte formelle" in text and report.reference in text and "Personne plaignante" in text
    assert "Formal complaint" not in text
    data = police.get(f"/control/reports/{report.pk}/complaint/complaint.json", {"language": "fr"})
    assert data.status_code == 200
    body = data.json()
    jsonschema.validate(body, SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    assert body["report"]["reference"] == report.reference and body["language"] == "fr"
    assert body["complainant"]["name"] == "Alex Martin" and body["police_reference"] is None
    prepared = AuditEntry.objects.filter(action="complaint.prepared")
    assert [e.data["format"] for e in prepared.order_by("pk")] == ["pdf", "pdf", "json"]
    assert AuditEntry.objects.filter(action="report.contact_read", data__purpose="formal complaint").count() == 3
    complaint = Complaint.objects.get(report=report)
    assert complaint.prepared_by == officer and complaint.language == "fr"
    assert police.get(f"/control/reports/{report.pk}/complaint/complaint.pdf", {"language": "de"}).status_code == 400


def test_the_schema_is_a_valid_draft_2020_12_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_preparing_needs_a_recent_re_authentication(
    client: Client, submitted: tuple[Report, str], officer: User
) -> None:
    report, token = submitted
    consent(client, token)
    resp = signed_in(officer, recently_confirmed=False).get(f"/control/reports/{report.pk}/complaint/complaint.pdf")
    assert resp.status_code == 302 and "/accounts/" in resp["Location"]
    assert not AuditEntry.objects.filter(action="complaint.prepared").exists()


@pytest.mark.parametrize("fmt", ["complaint.pdf", "complaint.json"])
def test_without_consent_nothing_is_prepared(submitted: tuple[Report, str], officer: User, fmt: str) -> None:
    report, _token = submitted
    resp = signed_in(officer).get(f"/control/reports/{report.pk}/complaint/{fmt}")
    assert resp.status_code == 409
    assert "has not agreed" in resp.content.decode() and resp["Content-Type"].startswith("text/html")
    assert not AuditEntry.objects.filter(action__in=["complaint.prepared", "report.contact_read"]).exists()
    assert "has not agreed" in signed_in(officer).get(f"/control/reports/{report.pk}/").content.decode()


def test_withdrawn_consent_is_refused(client: Client, submitted: tuple[Report, str], officer: User) -> None:
    report, token = submitted
    consent(client, token)
    client.post(f"/f/{token}/complaint/withdraw/")
    police = signed_in(officer)
    assert police.get(f"/control/reports/{report.pk}/complaint/complaint.json").status_code == 409
    assert (
        police.post(f"/control/reports/{report.pk}/complaint/reference/", {"police_reference": "P-1"}).status_code
        == 409
    )
    assert not AuditEntry.objects.filter(action="complaint.prepared").exists()


def test_other_agencies_get_404_and_non_police_agencies_403(client: Client, submitted: tuple[Report, str]) -> None:
    report, token = submitted
    consent(client, token)
    outsider = signed_in(member("victim-support", "case_worker"))  # not on this report
    city = signed_in(member("city-safety", "case_worker"))  # works it, but is not the police
    analyst = signed_in(member("police", "analyst"))  # the police, but no case role
    for path in ("complaint.pdf", "complaint.json"):
        assert outsider.get(f"/control/reports/{report.pk}/complaint/{path}").status_code == 404
        assert analyst.get(f"/control/reports/{report.pk}/complaint/{path}").status_code == 404
        refused = city.get(f"/control/reports/{report.pk}/complaint/{path}")
        assert refused.status_code == 403 and "Only the police" in refused.content.decode()
    ref = {"police_reference": "P-1"}
    assert outsider.post(f"/control/reports/{report.pk}/complaint/reference/", ref).status_code == 404
    assert city.post(f"/control/reports/{report.pk}/complaint/reference/", ref).status_code == 403
    assert "Formal complaint" not in city.get(f"/control/reports/{report.pk}/").content.decode()
    assert not AuditEntry.objects.filter(action__in=["complaint.prepared", "complaint.recorded"]).exists()


@pytest.mark.parametrize("bad", ["", "   ", "x" * 65, "P-1\x00", "line\nbreak"])
def test_a_bad_reference_is_a_400_naming_the_field(
    client: Client, submitted: tuple[Report, str], officer: User, bad: str
) -> None:
    report, token = submitted
    consent(client, token)
    resp = signed_in(officer).post(f"/control/reports/{report.pk}/complaint/reference/", {"police_reference": bad})
    assert resp.status_code == 400 and "police_reference" in resp.content.decode()
    assert not Complaint.objects.get(report=report).recorded


def test_the_reference_is_recorded_once_and_ends_withdrawal(
    client: Client, submitted: tuple[Report, str], officer: User
) -> None:
    report, token = submitted
    consent(client, token)
    police = signed_in(officer)
    url = f"/control/reports/{report.pk}/complaint/reference/"
    assert police.post(url, {"police_reference": " PV/2026/00123 "}).status_code == 302
    complaint = Complaint.objects.get(report=report)
    assert complaint.police_reference == "PV/2026/00123" and complaint.recorded_by == officer
    assert police.post(url, {"police_reference": "PV/2026/00999"}).status_code == 409
    complaint.refresh_from_db()
    assert complaint.police_reference == "PV/2026/00123"
    assert client.post(f"/f/{token}/complaint/withdraw/").status_code == 409
    assert "PV/2026/00123" in client.get(f"/f/{token}/").content.decode()
    assert "PV/2026/00123" in police.get(f"/control/reports/{report.pk}/").content.decode()
    data = police.get(f"/control/reports/{report.pk}/complaint/complaint.json").json()
    assert data["police_reference"] == "PV/2026/00123"
    assert AuditEntry.objects.get(action="complaint.recorded").data == {"police_reference": "PV/2026/00123"}


def test_recording_a_police_reference_changes_the_dark_number_table(
    tmp_path: Path,
    city_point: tuple[float, float],
    client: Client,
    submitted: tuple[Report, str],
    officer: User,
) -> None:
    report, token = submitted
    police_statistics_import(
        paths=[str(police_csv(tmp_path / "m.csv", this_month(), city_point, ["Bicycle theft"] * 2))]
    )
    today = timezone.localdate()
    query = {"from": f"{today.replace(day=1):%Y-%m-%d}", "to": f"{today + timedelta(days=0):%Y-%m-%d}"}
    analyst = signed_in(member("police", "analyst", username="analyst"))

    def bike_row() -> str:
        cache.clear()
        page = analyst.get("/insight/", query).content.decode()
        table = page.split('id="dark-number"', 1)[1].split("</table>", 1)[0]
        return table.split("Bicycle theft</th>", 1)[1].split("</tr>", 1)[0]

    before = bike_row()
    assert '<td class="n formal">0</td>' in before
    consent(client, token)
    signed_in(officer).post(f"/control/reports/{report.pk}/complaint/reference/", {"police_reference": "PV-7"})
    after = bike_row()
    assert '<td class="n formal">1</td>' in after and after != before


def test_a_report_not_shared_with_the_police_cannot_be_consented(client: Client, report_json: dict[str, Any]) -> None:
    body = {**report_json, "consent": {**report_json["consent"], "police": False, "city": True}}
    submitted = client.post("/api/v1/reports", data=json.dumps(body), content_type="application/json").json()
    token = submitted["followup_token"]
    assert 'id="complaint"' not in client.get(f"/f/{token}/").content.decode()
    resp = consent(client, token)
    assert resp.status_code == 409 and "not shared with the police" in resp.content.decode()
    assert not Complaint.objects.exists()
