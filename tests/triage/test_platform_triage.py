"""Triage in the platform: every report is triaged in its background task, operators see the
suggestion with its reasons, their correction becomes a label, and a city administrator trains,
evaluates and activates a new model (keeping the old one for rollback)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django_tasks_db.models import DBTaskResult

from streetlight.audit.models import AuditEntry
from streetlight.reports.models import Report
from streetlight.reports.tasks import process_report, triage_report
from streetlight.triage import services
from streetlight.triage.models import ModelStatus, ReportTriage, TriageLabel, TriageModel
from streetlight.triage.tasks import train_model
from tests.staff import member, signed_in

pytestmark = pytest.mark.django_db

ITALIAN = (
    "Stamattina mi hanno rubato la bicicletta legata davanti alla stazione, hanno tagliato il lucchetto. "
    "Scrivetemi a mario.rossi@example.it o chiamate il 333 123 4567."
)


@pytest.fixture
def italian_report(client: Client, report_json: dict[str, Any]) -> Report:
    """Filed as vandalism: the text says it was a bike theft."""
    body = {**report_json, "category": "nuisance-vandalism", "description": ITALIAN, "language": "it"}
    body["consent"] = {**body["consent"], "police": False, "city": True}
    resp = client.post("/api/v1/reports", data=json.dumps(body), content_type="application/json")
    assert resp.status_code == 201, resp.content
    report = Report.objects.get(reference=resp.json()["reference"])
    process_report.call(report_id=report.pk)
    triage_report.call(report_id=report.pk)
    return report


def test_the_demo_city_has_an_active_model_trained_on_shipped_texts() -> None:
    model = TriageModel.objects.get(active=True)
    assert model.status == ModelStatus.READY
    assert model.source == "seed"
    assert "theft-bike" in model.labels
    assert model.evaluation["macro_f1"] > 0.5  # held-out seed texts; the real figure is in docs/benchmarks.md


def test_an_italian_report_is_triaged_shown_corrected_and_becomes_training_data(italian_report: Report) -> None:
    triage = ReportTriage.objects.get(report=italian_report)
    assert triage.language == "it"
    assert triage.suggestions[0]["category"] == "theft-bike"
    assert "mario.rossi@example.it" not in triage.redacted_description
    assert "4567" not in triage.redacted_description
    assert {r["kind"] for r in triage.redactions} >= {"email", "phone"}

    operator = member("city-safety", "operator")
    client = signed_in(operator)
    page = client.get(f"/control/reports/{italian_report.pk}/").content.decode()
    assert 'id="triage-suggestions"' in page
    assert "Bike theft" in page  # the suggestion, named for the operator
    assert "Italian" in page

    italian_report.refresh_from_db()
    resp = client.post(
        f"/control/reports/{italian_report.pk}/categories/",
        {"category": "theft-bike", "also": "", "seen_updated_at": italian_report.updated_at.isoformat()},
    )
    assert resp.status_code == 302
    italian_report.refresh_from_db()
    assert italian_report.category.code == "theft-bike"
    assert italian_report.kind == "crime"
    label = TriageLabel.objects.get(report=italian_report)
    assert label.categories == ["theft-bike"]
    assert label.labelled_by == operator
    assert label.language == "it"
    assert "example.it" not in label.text and "4567" not in label.text
    assert "bicicletta" in label.text
    entry = AuditEntry.objects.get(action="report.categorised", target_id=str(italian_report.pk))
    assert entry.data["from"] == "nuisance-vandalism" and entry.data["to"] == ["theft-bike"]


def test_a_stale_correction_is_refused_with_409(italian_report: Report) -> None:
    client = signed_in(member("city-safety", "operator"))
    resp = client.post(
        f"/control/reports/{italian_report.pk}/categories/",
        {"category": "theft-bike", "seen_updated_at": "2020-01-01T00:00:00+00:00"},
    )
    assert resp.status_code == 409
    assert not TriageLabel.objects.exists()


def test_an_unknown_or_main_category_is_refused_with_a_message(italian_report: Report) -> None:
    client = signed_in(member("city-safety", "operator"))
    for code in ("no-such-thing", "theft", ""):
        resp = client.post(f"/control/reports/{italian_report.pk}/categories/", {"category": code})
        assert resp.status_code == 400
        assert "Choose one or two categories" in resp.content.decode()
    assert not TriageLabel.objects.exists()


def test_another_agency_cannot_label_a_report_it_does_not_work(italian_report: Report) -> None:
    client = signed_in(member("police", "operator"))  # the reporter chose the city, not the police
    resp = client.post(f"/control/reports/{italian_report.pk}/categories/", {"category": "theft-bike"})
    assert resp.status_code == 404
    assert not TriageLabel.objects.exists()


def test_urgent_words_are_marked_and_the_queue_can_show_urgent_reports_only(
    client: Client, report_json: dict[str, Any]
) -> None:
    body = {
        **report_json,
        "category": "violence-threats",
        "description": "A man with a knife is threatening people at the tram stop right now.",
    }
    reference = client.post("/api/v1/reports", data=json.dumps(body), content_type="application/json").json()[
        "reference"
    ]
    report = Report.objects.get(reference=reference)
    process_report.call(report_id=report.pk)
    triage_report.call(report_id=report.pk)
    triage = ReportTriage.objects.get(report=report)
    assert triage.urgency == "immediate"
    officer = signed_in(member("police", "operator"))
    page = officer.get(f"/control/reports/{report.pk}/").content.decode()
    assert '<mark class="cue"' in page and "knife</mark>" in page
    assert reference in officer.get("/control/?urgency=immediate").content.decode()
    calm = officer.get("/control/?urgency=immediate&q=nothing-matches-this").content.decode()
    assert reference not in calm


def test_a_city_admin_trains_evaluates_activates_and_rolls_back(
    italian_report: Report, django_capture_on_commit_callbacks: Any
) -> None:
    first = TriageModel.objects.get(active=True)
    activations = AuditEntry.objects.filter(action="triage.model_activated").count()
    admin = member("city-safety", "city_admin", username="city-admin")
    client = signed_in(admin)
    assert client.get("/control/triage/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post("/control/triage/train/", {"seed_texts": "on"})
    assert resp.status_code == 302
    requested = TriageModel.objects.get(status=ModelStatus.TRAINING)
    task = DBTaskResult.objects.get(task_path="streetlight.triage.tasks.train_model")
    train_model.call(**task.args_kwargs["kwargs"])
    requested.refresh_from_db()
    assert requested.status == ModelStatus.READY, requested.error
    assert requested.held_out > 0 and "macro_f1" in requested.evaluation
    assert not requested.active  # a person activates it after reading the evaluation
    page = client.get(f"/control/triage/{requested.pk}/").content.decode()
    assert "Bike theft" in page

    assert client.post(f"/control/triage/{requested.pk}/activate/").status_code == 302
    assert TriageModel.objects.get(active=True) == requested
    assert client.post(f"/control/triage/{first.pk}/activate/").status_code == 302  # rollback
    assert TriageModel.objects.get(active=True) == first
    assert AuditEntry.objects.filter(action="triage.model_activated").count() == activations + 2


def test_training_on_labels_alone_needs_enough_labels() -> None:
    admin = member("city-safety", "city_admin", username="city-admin")
    resp = signed_in(admin).post("/control/triage/train/", {})
    assert resp.status_code == 409
    assert "At least 20 labelled reports" in resp.content.decode()
    assert not TriageModel.objects.filter(status=ModelStatus.TRAINING).exists()


def test_only_city_admins_manage_models() -> None:
    model = TriageModel.objects.get(active=True)
    client = signed_in(member("police", "supervisor"))
    assert client.get("/control/triage/").status_code == 403
    assert client.post("/control/triage/train/", {"seed_texts": "on"}).status_code == 403
    assert client.post(f"/control/triage/{model.pk}/activate/").status_code == 403
    assert not TriageModel.objects.filter(status=ModelStatus.TRAINING).exists()


def test_a_broken_active_model_never_stops_a_report(client: Client, report_json: dict[str, Any]) -> None:
    TriageModel.objects.filter(active=True).update(payload=b"not a model", checksum="0" * 64)
    reference = client.post("/api/v1/reports", data=json.dumps(report_json), content_type="application/json").json()[
        "reference"
    ]
    report = Report.objects.get(reference=reference)
    process_report.call(report_id=report.pk)
    triage_report.call(report_id=report.pk)
    triage = ReportTriage.objects.get(report=report)
    assert triage.suggestions == [] and triage.needs_human
    assert triage.model is None
    assert report.assignments.exists()  # routed all the same


def test_a_failed_training_is_recorded_and_does_not_block_the_next() -> None:
    model = TriageModel.objects.create(created_at=TriageModel.objects.get(active=True).created_at, source="labels")
    trained = services.triage_model_train(model_id=model.pk, with_seed_texts=False)
    assert trained.status == ModelStatus.FAILED
    assert "Too few labelled texts" in trained.error
    assert not TriageModel.objects.filter(status=ModelStatus.TRAINING).exists()
