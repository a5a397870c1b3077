"""Helpers for the safety-walk tests: drafts at a point inside the demo city, and organisers."""

from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import Image

from streetlight.nightwalks.drafts import AuditDraft, PointDraft, WalkDraft
from streetlight.nightwalks.services import CreatedWalk, walk_create
from streetlight.reports.drafts import PhotoUpload
from streetlight.routing.models import Agency
from tests import staff


def ratings(feeling: int | None = 1, **others: int | None) -> dict[str, int | None]:
    return {"feeling": feeling, **others}


def point(lat: float, lon: float, **kwargs: Any) -> PointDraft:
    return PointDraft(
        lat=lat,
        lon=lon,
        ratings=kwargs.pop("ratings", ratings()),
        comment=kwargs.pop("comment", ""),
        photos=kwargs.pop("photos", ()),
    )


def audit(*points: PointDraft, **kwargs: Any) -> AuditDraft:
    return AuditDraft(points=points, **kwargs)


def jpeg_with_gps() -> bytes:
    """A JPEG whose EXIF says where and with what it was taken."""
    image = Image.new("RGB", (320, 200), (200, 40, 40))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (45.0, 4.0, 12.0), "E", (7.0, 40.0, 30.0)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def photo_upload() -> PhotoUpload:
    return PhotoUpload(name="street.jpg", content=jpeg_with_gps())


@pytest.fixture
def organiser() -> Any:
    return staff.member("police", "operator", username="walk-organiser")


@pytest.fixture
def walk(organiser: Any) -> CreatedWalk:
    from django.utils import timezone

    draft = WalkDraft(
        title="Station underpass at night",
        agency_id=Agency.objects.get(code="police").pk,
        starts_at=timezone.now(),
        meeting_point="Station, main entrance",
    )
    return walk_create(organiser=organiser, draft=draft)
