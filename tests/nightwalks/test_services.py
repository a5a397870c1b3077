"""Walks and audits through their services: every wrong field named, photos without EXIF, the walk's
join code kept only as a hash, and every write in the audit log."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.utils import timezone
from PIL import Image

from streetlight.audit.models import AuditEntry
from streetlight.nightwalks import selectors, services
from streetlight.nightwalks.drafts import WalkClosed, WalkDraft, WalkInvalid, WalkNotFound
from streetlight.nightwalks.models import AuditPhoto, AuditPoint, WalkAudit, WalkStatus
from streetlight.nightwalks.parameters import feeling_to_safety_score
from streetlight.routing.models import Agency
from streetlight.toolkit.geo import is_night
from tests import staff

from .conftest import audit, photo_upload, point, ratings

pytestmark = pytest.mark.django_db


def errors_of(draft: Any, walk: Any = None) -> dict[str, str]:
    with pytest.raises(WalkInvalid) as caught:
        services.audit_submit(draft=draft, walk=walk)
    return caught.value.errors


def test_an_audit_is_stored_with_its_points_area_and_night_flag(city_point: tuple[float, float]) -> None:
    lat, lon = city_point
    draft = audit(
        point(lat, lon, ratings=ratings(0, lighting=0, people=1), comment="Dark corner"),
        point(lat + 0.0003, lon, ratings=ratings(3, lighting=3)),
        comment="Walked home from the bus",
    )
    stored = services.audit_submit(draft=draft)
    first, second = stored.points.all()
    assert (first.order, first.feeling, first.lighting, first.people, first.openness) == (1, 0, 0, 1, None)
    assert first.comment == "Dark corner" and first.area is not None
    assert second.feeling == 3 and stored.walk is None and stored.comment == "Walked home from the bus"
    assert stored.is_night == is_night(stored.submitted_at, lat + 0.00015, lon)
    entry = AuditEntry.objects.get(action="safety_walk.audit_submitted")
    assert entry.target_id == str(stored.pk) and entry.data["points"] == 2


def test_feeling_is_required_and_ratings_stay_between_0_and_3(city_point: tuple[float, float]) -> None:
    lat, lon = city_point
    errors = errors_of(
        audit(point(lat, lon, ratings=ratings(None)), point(lat, lon, ratings=ratings(4, lighting=-1, people=True)))
    )
    assert set(errors) == {"points.0.feeling", "points.1.feeling", "points.1.lighting", "points.1.people"}
    assert "0 (very unsafe) to 3 (safe)" in errors["points.0.feeling"]
    assert "Lighting" in errors["points.1.lighting"]
    assert WalkAudit.objects.count() == 0


def test_a_place_outside_the_city_or_off_the_globe_is_refused(city_point: tuple[float, float]) -> None:
    lat, lon = city_point
    errors = errors_of(audit(point(0.0, 0.0), point(91.0, lon), point(lat, 200.0), point(float("nan"), lon)))
    assert "outside Portavera" in errors["points.0.lat"]
    assert "between -90 and 90" in errors["points.1.lat"]
    assert "between -180 and 180" in errors["points.2.lon"]
    assert "between -90 and 90" in errors["points.3.lat"]
    assert "pin on the map" in errors_of(audit(point(None, lon)))["points.0.lat"]  # type: ignore[arg-type]


def test_an_audit_needs_a_point_and_short_clean_text(city_point: tuple[float, float]) -> None:
    assert "at least one point" in errors_of(audit())["points"]
    lat, lon = city_point
    errors = errors_of(audit(point(lat, lon, comment="x" * 1001), comment="bad\x00text", language="xx"))
    assert set(errors) == {"points.0.comment", "comment", "language"}


def test_photos_are_re_encoded_without_exif(city_point: tuple[float, float]) -> None:
    raw = photo_upload()
    with Image.open(io.BytesIO(raw.content)) as original:
        assert original.getexif().get_ifd(0x8825), "the test photo carries GPS data"
    stored = services.audit_submit(draft=audit(point(*city_point, photos=(raw,))))
    photo = AuditPhoto.objects.get(point__audit=stored)
    with photo.image.open("rb") as fh:
        data = fh.read()
    name = str(photo.image.name)
    assert name.startswith("nightwalks/") and "street" not in name
    with Image.open(io.BytesIO(data)) as cleaned:
        assert cleaned.format == "JPEG" and (cleaned.width, cleaned.height) == (320, 200)
        assert not cleaned.getexif() and "exif" not in cleaned.info
    assert b"PhoneMaker" not in data


def test_too_many_or_unreadable_photos_are_named(city_point: tuple[float, float], settings: Any) -> None:
    from streetlight.reports.drafts import PhotoUpload

    settings.STREETLIGHT = {**settings.STREETLIGHT, "MAX_PHOTOS": 1}
    errors = errors_of(
        audit(
            point(*city_point, photos=(photo_upload(), photo_upload())),
            point(*city_point, photos=(PhotoUpload(name="notes.txt", content=b"not an image"),)),
        )
    )
    assert "at most 1 photos" in errors["points.0.photos"]
    assert "notes.txt" in errors["points.1.photos"]


def test_a_retry_with_the_same_key_gives_the_first_audit(city_point: tuple[float, float]) -> None:
    draft = audit(point(*city_point), idempotency_key="k-1")
    assert services.audit_submit(draft=draft).pk == services.audit_submit(draft=draft).pk
    assert WalkAudit.objects.count() == 1


def test_the_join_code_is_stored_only_as_a_hash_and_finds_the_walk(walk: services.CreatedWalk) -> None:
    code = walk.code
    assert code not in walk.walk.code_hash and code.replace("-", "") not in walk.walk.code_hash
    assert selectors.walk_by_code(code=code.lower().replace("-", " ")).pk == walk.walk.pk
    assert selectors.walk_by_code(code=f"https://city.example/safety-walks/w/{code}/").pk == walk.walk.pk
    with pytest.raises(WalkNotFound):
        selectors.walk_by_code(code="ZZZZ-ZZZZ")


def test_the_first_audit_opens_a_walk_and_closing_stops_audits(
    walk: services.CreatedWalk, organiser: Any, city_point: tuple[float, float]
) -> None:
    assert walk.walk.status == WalkStatus.PLANNED
    services.audit_submit(draft=audit(point(*city_point)), walk=walk.walk)
    walk.walk.refresh_from_db()
    assert walk.walk.status == WalkStatus.OPEN
    closed = services.walk_close(organiser=organiser, walk=walk.walk)
    assert closed.status == WalkStatus.CLOSED and closed.closed_at is not None
    assert "closed" in errors_of(audit(point(*city_point)), walk=walk.walk)["walk"]
    with pytest.raises(WalkClosed):
        selectors.walk_by_code(code=walk.code)
    assert AuditEntry.objects.filter(action="safety_walk.closed").count() == 1


def test_a_new_code_replaces_the_old_one(walk: services.CreatedWalk, organiser: Any) -> None:
    new = services.walk_new_code(organiser=organiser, walk=walk.walk)
    assert selectors.walk_by_code(code=new).pk == walk.walk.pk
    with pytest.raises(WalkNotFound):
        selectors.walk_by_code(code=walk.code)


def test_a_walk_names_every_wrong_field(organiser: Any) -> None:
    other = Agency.objects.exclude(code="police").first()
    assert other is not None
    draft = WalkDraft(
        title=" ",
        agency_id=other.pk,
        starts_at=timezone.now().replace(tzinfo=None),
        area_code="atlantis",
        route={"type": "LineString", "coordinates": [[7.6, 45.0]]},
    )
    with pytest.raises(WalkInvalid) as caught:
        services.walk_create(organiser=organiser, draft=draft)
    assert set(caught.value.errors) == {"title", "agency", "starts_at", "area", "route"}


def test_a_route_must_stay_in_the_city(organiser: Any, city_point: tuple[float, float]) -> None:
    lat, lon = city_point
    draft = WalkDraft(
        title="Long walk",
        agency_id=Agency.objects.get(code="police").pk,
        starts_at=timezone.now(),
        route={"type": "LineString", "coordinates": [[lon, lat], [0.0, 0.0]]},
    )
    with pytest.raises(WalkInvalid) as caught:
        services.walk_create(organiser=organiser, draft=draft)
    assert "leaves Portavera" in caught.value.errors["route"]
    ok = services.walk_create(
        organiser=organiser,
        draft=WalkDraft(
            **{**draft.__dict__, "route": {"type": "LineString", "coordinates": [[lon, lat], [lon + 0.001, lat]]}}
        ),
    )
    assert ok.walk.route is not None and ok.walk.route["coordinates"][1] == [lon + 0.001, lat]


def test_only_organiser_roles_organise() -> None:
    for role in ("operator", "supervisor", "agency_admin"):
        assert selectors.may_organise(user=staff.member("police", role))
    assert selectors.may_organise(user=staff.member("city-safety", "city_admin"))
    for role in ("analyst", "case_worker"):
        assert not selectors.may_organise(user=staff.member("police", role))


def test_the_database_refuses_a_rating_out_of_range(city_point: tuple[float, float]) -> None:
    from django.db import IntegrityError, transaction

    stored = services.audit_submit(draft=audit(point(*city_point)))
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditPoint.objects.filter(audit=stored).update(lighting=4)


def test_feeling_maps_linearly_onto_the_safety_scale() -> None:
    assert [feeling_to_safety_score(f) for f in (0, 1.5, 3)] == [1.0, 3.0, 5.0]
    with pytest.raises(ValueError):
        feeling_to_safety_score(4)
