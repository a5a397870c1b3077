"""Issuing, updating and cancelling warnings: every message is valid CAP, or nothing is stored."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from streetlight.alerts import selectors
from streetlight.alerts.models import Alert
from streetlight.alerts.services import (
    AlertConflict,
    AlertInvalid,
    AreaDraft,
    InfoDraft,
    alert_cancel,
    alert_issue,
    alert_update,
)
from streetlight.audit.models import AuditEntry
from streetlight.toolkit.formats.cap import read_cap

from .factories import circle_draft, draft, later, schema_errors

pytestmark = pytest.mark.django_db


def test_a_warning_is_stored_as_the_valid_cap_document_it_published() -> None:
    alert = alert_issue(draft=draft(), by=None)
    assert schema_errors(alert.document) == []
    cap = read_cap(alert.document.encode())
    assert cap.identifier == alert.identifier and cap.msg_type == "Alert" and cap.status == "Actual"
    assert [info.language for info in cap.infos] == ["en", "fr"]  # one info block per language
    assert cap.infos[0].areas[0].geocodes == (("streetlight:area", "D01"),)
    ring = cap.infos[0].areas[0].polygons[0]
    assert ring[0] == ring[-1] and len(ring) >= 4
    assert cap.sent.utcoffset() is not None and cap.sent.microsecond == 0
    assert AuditEntry.objects.filter(action="alert.alert", target_id=str(alert.pk)).exists()


def test_a_circle_warning_is_valid_cap_and_touches_the_areas_it_overlaps(city_point: tuple[float, float]) -> None:
    lat, lon = city_point
    alert = alert_issue(draft=circle_draft(lat, lon, 0.3), by=None)
    assert schema_errors(alert.document) == []
    assert read_cap(alert.document.encode()).infos[0].areas[0].circles == ((lat, lon, 0.3),)
    codes = selectors.alert_area_codes(alert)
    assert codes and codes <= selectors.area_code_set()


def test_an_exercise_says_so_in_the_cap_status() -> None:
    alert = alert_issue(draft=draft(status="Exercise"), by=None)
    assert read_cap(alert.document.encode()).status == "Exercise"
    assert alert not in selectors.alert_list_public()
    assert alert in selectors.alert_list_public(include_exercises=True)


def test_an_update_references_the_message_it_replaces_and_keeps_the_thread() -> None:
    first = alert_issue(draft=draft(), by=None)
    second = alert_update(original=first, draft=draft(severity="Severe"), by=None)
    third = alert_update(original=first, draft=draft(severity="Extreme"), by=None)
    cap = read_cap(third.document.encode())
    assert cap.msg_type == "Update"
    assert [r.identifier for r in cap.references] == [second.identifier]
    assert cap.incidents == (first.identifier,)
    assert schema_errors(third.document) == []
    assert selectors.alert_current(first) == third
    assert [a.pk for a in selectors.alert_list_public()] == [third.pk]


def test_a_cancellation_ends_the_warning_in_every_language() -> None:
    first = alert_issue(draft=draft(), by=None)
    cancel = alert_cancel(original=first, note="The thieves were arrested.", by=None)
    cap = read_cap(cancel.document.encode())
    assert cap.msg_type == "Cancel" and cap.references[0].identifier == first.identifier
    assert {i.language for i in cap.infos} == {"en", "fr"}
    assert (cap.infos[1].headline or "").startswith("Annulé")
    assert schema_errors(cancel.document) == []
    assert selectors.alert_list_public() == []
    with pytest.raises(AlertConflict):
        alert_cancel(original=first, note="", by=None)
    with pytest.raises(AlertConflict):
        alert_update(original=first, draft=draft(), by=None)


def test_expired_warnings_leave_the_public_list() -> None:
    alert = alert_issue(draft=draft(expires=later(1)), by=None)
    assert selectors.alert_list_public() == [alert]
    assert selectors.alert_list_public(now=timezone.now() + timedelta(hours=2)) == []


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"expires": later(-1)}, "expires"),
        ({"onset": later(5), "expires": later(4)}, "expires"),
        ({"infos": ()}, "infos"),
        ({"infos": (InfoDraft(language="xx", event="e", headline="h", description="d"),)}, "infos[0].language"),
        ({"infos": (InfoDraft(language="en", event="e", headline="", description="d"),)}, "infos[0].headline"),
        ({"area": AreaDraft(area_code="NOPE")}, "area"),
        ({"area": AreaDraft()}, "area"),
        ({"area": AreaDraft(polygon=((45.0, 7.0), (45.1, 7.0), (45.1, 7.1)))}, "area"),
        ({"area": AreaDraft(polygon=((45.0, 7.0), (45.1, 7.1), (45.0, 7.1), (45.1, 7.0), (45.0, 7.0)))}, "area"),
        ({"area": AreaDraft(polygon=((45.0, 7.0), (45.1, 7.0), (45.1, 7.1), (45.0, 7.1)))}, "area"),
        ({"area": AreaDraft(circle=(45.0, 7.0, 0))}, "area"),
        ({"scope": "Restricted"}, "restriction"),
        ({"severity": "Apocalyptic"}, "severity"),
        ({"topics": ("no-such-topic",)}, "topics"),
        ({"cap_categories": ("Weather",)}, "cap_categories"),
    ],
)
def test_bad_drafts_are_refused_field_by_field_and_nothing_is_stored(changes: dict, field: str) -> None:
    with pytest.raises(AlertInvalid) as caught:
        alert_issue(draft=draft(**changes), by=None)
    assert field in caught.value.errors, caught.value.errors
    assert not Alert.objects.exists()


def test_a_self_intersecting_polygon_is_named_as_such() -> None:
    bow_tie = ((45.0, 7.0), (45.1, 7.1), (45.0, 7.1), (45.1, 7.0), (45.0, 7.0))
    with pytest.raises(AlertInvalid) as caught:
        alert_issue(draft=draft(area=AreaDraft(polygon=bow_tie)), by=None)
    assert "crosses itself" in " ".join(caught.value.errors["area"])


def test_a_valid_polygon_is_published_as_given(city_point: tuple[float, float]) -> None:
    lat, lon = city_point
    ring = ((lat, lon), (lat + 0.004, lon), (lat + 0.004, lon + 0.004), (lat, lon + 0.004), (lat, lon))
    alert = alert_issue(draft=draft(area=AreaDraft(polygon=ring, description="Market square")), by=None)
    assert read_cap(alert.document.encode()).infos[0].areas[0].polygons == (ring,)
    assert schema_errors(alert.document) == []


def test_sensitive_topics_stay_out_of_the_published_codes_and_mark_the_alert_sensitive() -> None:
    alert = alert_issue(draft=draft(topics=("harassment-following", "theft")), by=None)
    codes = read_cap(alert.document.encode()).infos[0].event_codes
    assert codes == (("streetlight:topic", "theft"),)
    assert selectors.alert_is_sensitive(alert)
    assert not selectors.alert_is_sensitive(alert_issue(draft=draft(), by=None))


def test_two_updates_of_the_same_message_cannot_both_win() -> None:
    first = alert_issue(draft=draft(), by=None)
    alert_update(original=first, draft=draft(), by=None)
    stale = Alert.objects.get(pk=first.pk)  # an operator still looking at the first message
    second = alert_update(original=stale, draft=draft(severity="Minor"), by=None)
    assert selectors.alert_current(first) == second  # the update went onto the newest message
    assert Alert.objects.filter(replaces=first).count() == 1
