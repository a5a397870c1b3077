"""A drill: scheduled, started (an Exercise CAP message and e-mails marked as an exercise),
acknowledged by two of three businesses, summarised with exact figures, then closed."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone, translation
from django.utils.translation import gettext

from streetlight.community import selectors, services
from streetlight.community.drafts import DrillText
from streetlight.community.errors import CommunityConflict
from streetlight.community.models import Community, Delivery, Drill, DrillAcknowledgement
from tests.staff import signed_in

from .conftest import make_business
from .test_warning import run_worker, validate_cap

CHECKLIST_EN = "Check who answers the phone\nFind the backup\nCall the IT provider\nWrite down the times"


def drill_form(**changes: str) -> dict[str, str]:
    when = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    data = {
        "title_en": "Ransomware on a Monday morning",
        "scenario_en": "The till computer shows a ransom note.",
        "checklist_en": CHECKLIST_EN,
        "title_it": "Ransomware di lunedì mattina",
        "scenario_it": "Il computer della cassa mostra una richiesta di riscatto.",
        "checklist_it": "Chi risponde al telefono\nTrova il backup\nChiama il tecnico\nAnnota gli orari",
        "scheduled_for": when,
    }
    return {**data, **changes}


def acknowledge(token: str, drill: Drill, items: list[int], comment: str = "") -> Any:
    return Client().post(f"/business/b/{token}/drills/{drill.pk}/", {"done_items": items, "comment": comment})


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("seeded_city")
def test_a_drill_with_acknowledgements(community: Community, coordinator: Any) -> None:
    staff = signed_in(coordinator)
    base = f"/control/community/{community.pk}"
    first, t1 = make_business(community, "Harbour Cafe", language="en")
    second, t2 = make_business(community, "Molo Sette", language="it")
    _third, _t3 = make_business(community, "Quai Fret", language="fr")  # no Fr texts: gets English
    make_business(community, "Pending Shop", status="pending")

    resp = staff.post(f"{base}/drills/new/", drill_form())
    assert resp.status_code == 302, resp.content.decode()[:3000]
    drill = Drill.objects.get()
    assert drill.status == "scheduled" and drill.alert is None
    assert not Delivery.objects.exists() and mail.outbox == []

    assert staff.post(f"{base}/drills/{drill.pk}/start/").status_code == 302
    drill.refresh_from_db()
    assert drill.status == "running" and drill.started_at is not None
    assert drill.alert is not None and drill.alert.status == "Exercise"
    assert drill.alert.scope == "Restricted" and drill.alert.restriction == "Members of Port businesses"
    validate_cap(drill.alert.document)
    assert "<status>Exercise</status>" in drill.alert.document
    assert staff.post(f"{base}/drills/{drill.pk}/start/").status_code == 409  # only once

    run_worker()
    assert len(mail.outbox) == 3
    languages = {first.contact_email: "en", second.contact_email: "it", _third.contact_email: "fr"}
    for message in mail.outbox:
        with translation.override(languages.get(message.to[0], "en")):
            marker = gettext("EXERCISE — this is a drill")  # in the business's language
        assert message.subject.startswith(marker)
        assert message.body.count(marker) == 2
    italian = next(m for m in mail.outbox if m.to == [second.contact_email])
    assert "Ransomware di lunedì mattina" in italian.subject and "Trova il backup" in italian.body
    french = next(m for m in mail.outbox if m.to == ["quai-fret@example.org"])
    assert "Find the backup" in french.body and f"/drills/{drill.pk}/" in french.body

    assert acknowledge(t1, drill, [0, 1, 2], "Went well").status_code == 302
    assert acknowledge(t2, drill, [0]).status_code == 302
    first_ack = DrillAcknowledgement.objects.get(business=first)
    # Re-acknowledging updates the answer, keeps the first time, and never duplicates.
    assert acknowledge(t2, drill, [0, 1, 3], "Backup was found later").status_code == 302
    assert DrillAcknowledgement.objects.count() == 2
    second_ack = DrillAcknowledgement.objects.get(business=second)
    assert second_ack.done_items == [0, 1, 3] and second_ack.comment == "Backup was found later"
    assert second_ack.updated_at > second_ack.acknowledged_at

    summary = selectors.drill_summary(drill=drill, language="en")
    assert (summary.invited, summary.acknowledged, summary.non_responders) == (3, 2, 1)
    assert summary.acknowledged_percent == 66.7
    assert [(i.done, i.percent) for i in summary.items] == [(2, 100.0), (2, 100.0), (1, 50.0), (1, 50.0)]
    seconds = sorted((a.acknowledged_at - drill.started_at).total_seconds() for a in (first_ack, second_ack))
    assert summary.median_time_to_ack == timedelta(seconds=round(sum(seconds) / 2))

    page = staff.get(f"{base}/drills/{drill.pk}/").content.decode()
    assert '<dd id="invited">3</dd>' in page and '<dd id="non-responders">1</dd>' in page
    assert "2 (66.7 %)" in page

    export = staff.get(f"{base}/drills/{drill.pk}/summary.csv")
    assert export.status_code == 200 and export["Content-Type"].startswith("text/csv")
    text = export.content.decode()
    rows = {(r["measure"], r["item"]): r["value"] for r in csv.DictReader(io.StringIO(text))}
    assert rows[("invited", "")] == "3" and rows[("acknowledged", "")] == "2"
    assert rows[("non_responders", "")] == "1"
    assert rows[("item_done_percent", "3. Call the IT provider")] == "50.0"
    for secret in ("@example.org", "Harbour Cafe", "Molo Sette", "Went well", t1):
        assert secret not in text

    assert staff.post(f"{base}/drills/{drill.pk}/close/").status_code == 302
    closed = acknowledge(t1, drill, [3], "too late")
    assert closed.status_code == 409
    assert "This drill is closed" in closed.content.decode()
    assert DrillAcknowledgement.objects.get(business=first).done_items == [0, 1, 2]
    assert staff.post(f"{base}/drills/{drill.pk}/close/").status_code == 409


@pytest.mark.django_db
def test_median_time_to_acknowledge_is_exact(community: Community, coordinator: Any) -> None:
    businesses = [make_business(community, name)[0] for name in ("A", "B", "C", "D")]
    start = timezone.now().replace(microsecond=0)
    texts = {"en": DrillText(title="Phishing test", scenario="A fake bank e-mail.", checklist=("Report", "Delete"))}
    drill = services.drill_schedule(community=community, texts=texts, scheduled_for=start, by=coordinator, now=start)
    drill = services.drill_start(drill=drill, by=coordinator, now=start)
    for business, minutes, items in zip(businesses, (10, 30, 50), ([0], [0, 1], []), strict=False):
        services.drill_acknowledge(
            business=business, drill=drill, done_items=items, comment="", now=start + timedelta(minutes=minutes)
        )
    summary = selectors.drill_summary(drill=drill, language="en")
    assert (summary.invited, summary.acknowledged, summary.non_responders) == (4, 3, 1)
    assert summary.median_time_to_ack == timedelta(minutes=30)
    assert [(i.done, i.percent) for i in summary.items] == [(2, 66.7), (1, 33.3)]


@pytest.mark.django_db
def test_a_business_that_joined_later_was_not_invited(community: Community, coordinator: Any) -> None:
    now = timezone.now()
    texts = {"en": DrillText(title="T", scenario="S", checklist=("One",))}
    drill = services.drill_schedule(community=community, texts=texts, scheduled_for=now, by=coordinator)
    drill = services.drill_start(drill=drill, by=coordinator)
    _late, token = make_business(community, "Latecomer")
    assert acknowledge(token, drill, [0]).status_code == 404
    assert not DrillAcknowledgement.objects.exists()


@pytest.mark.django_db
def test_a_drill_not_started_cannot_be_acknowledged_or_closed(community: Community, coordinator: Any) -> None:
    business, _token = make_business(community, "A")
    texts = {"en": DrillText(title="T", scenario="S", checklist=("One",))}
    drill = services.drill_schedule(community=community, texts=texts, scheduled_for=timezone.now(), by=coordinator)
    with pytest.raises(CommunityConflict):
        services.drill_acknowledge(business=business, drill=drill, done_items=[0], comment="")
    resp = signed_in(coordinator).post(f"/control/community/{community.pk}/drills/{drill.pk}/close/")
    assert resp.status_code == 409 and "has not started" in resp.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title_en": ""}, "Title (English)", "Fill this in too"),
        ({"checklist_it": "Solo uno"}, "Checklist, one item per line (Italiano)", "same 4 items"),
        ({"scheduled_for": "tomorrow-ish"}, "Date and time", "Enter a valid date/time"),
        ({"scheduled_for": "2001-01-01T10:00"}, "Date and time", "Choose a time in the future"),
        ({"scenario_en": "x" * 3001}, "Scenario (English)", "at most 3000 characters"),
        ({"checklist_en": "\n".join(f"item {i}" for i in range(21))}, "Checklist", "At most 20 items"),
    ],
)
def test_bad_drill_names_the_field(
    community: Community, coordinator: Any, changes: dict[str, str], field: str, message: str
) -> None:
    resp = signed_in(coordinator).post(f"/control/community/{community.pk}/drills/new/", drill_form(**changes))
    assert resp.status_code == 422
    html = resp.content.decode()
    assert field in html and message in html
    assert not Drill.objects.exists()


@pytest.mark.django_db
def test_acknowledgement_with_bad_input_names_the_field(community: Community, coordinator: Any) -> None:
    _business, token = make_business(community, "A")
    texts = {"en": DrillText(title="T", scenario="S", checklist=("One", "Two"))}
    drill = services.drill_schedule(community=community, texts=texts, scheduled_for=timezone.now(), by=coordinator)
    drill = services.drill_start(drill=drill, by=coordinator)
    bad_item = acknowledge(token, drill, [7])
    assert bad_item.status_code == 422 and "What did you do?" in bad_item.content.decode()
    long_comment = acknowledge(token, drill, [0], "x" * 1001)
    assert long_comment.status_code == 422 and "Comment" in long_comment.content.decode()
    assert not DrillAcknowledgement.objects.exists()
