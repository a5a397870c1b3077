"""Photos through the multipart API: images only, size-limited, re-encoded without EXIF/GPS."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from streetlight.reports.models import Photo, Report

from .helpers import jpeg_with_gps

pytestmark = pytest.mark.django_db

URL = "/api/v1/reports/with-photos"


def post(client: Client, report: dict[str, Any], *files: SimpleUploadedFile) -> Any:
    return client.post(URL, data={"report": json.dumps(report), "photos": list(files)})


def test_photo_is_stored_without_exif_or_gps(
    client: Client, report_json: dict[str, Any], tmp_path: Any, settings: Any
) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    original = jpeg_with_gps()
    with Image.open(__import__("io").BytesIO(original)) as img:
        assert img.getexif().get(0x8825)  # the fixture really carries GPS
    resp = post(client, report_json, SimpleUploadedFile("bike.jpg", original, content_type="image/jpeg"))
    assert resp.status_code == 201, resp.content
    photo = Photo.objects.get(report__reference=resp.json()["reference"])
    with photo.image.open("rb") as fh, Image.open(fh) as stored:
        assert stored.format == "JPEG"
        assert not stored.getexif()
        assert "exif" not in stored.info
        assert (stored.width, stored.height) == (64, 48)


def test_non_image_upload_is_refused(client: Client, report_json: dict[str, Any]) -> None:
    resp = post(
        client,
        report_json,
        SimpleUploadedFile("evil.jpg", b"%PDF-1.7 not an image", content_type="image/jpeg"),
    )
    assert resp.status_code == 422
    assert resp.json()["errors"][0]["field"] == "photos"
    assert "evil.jpg" in resp.json()["errors"][0]["detail"]
    assert Report.objects.count() == 0


def test_oversized_upload_is_refused(client: Client, report_json: dict[str, Any], settings: Any) -> None:
    settings.STREETLIGHT = {**settings.STREETLIGHT, "MAX_PHOTO_BYTES": 1000}
    resp = post(client, report_json, SimpleUploadedFile("big.jpg", jpeg_with_gps(400, 400), content_type="image/jpeg"))
    assert resp.status_code == 422
    assert resp.json()["errors"][0]["field"] == "photos"
    assert Report.objects.count() == 0


def test_too_many_photos_are_refused(client: Client, report_json: dict[str, Any], settings: Any) -> None:
    settings.STREETLIGHT = {**settings.STREETLIGHT, "MAX_PHOTOS": 1}
    files = [SimpleUploadedFile(f"p{i}.jpg", jpeg_with_gps(), content_type="image/jpeg") for i in range(2)]
    resp = post(client, report_json, *files)
    assert resp.status_code == 422
    assert Report.objects.count() == 0


def test_bad_json_in_the_report_part_names_the_field(client: Client) -> None:
    resp = client.post(URL, data={"report": "{not json"})
    assert resp.status_code == 422
    assert resp.json()["errors"][0]["field"].startswith("report")


def test_missing_consent_in_the_report_part_is_named(client: Client, report_json: dict[str, Any]) -> None:
    body = {k: v for k, v in report_json.items() if k != "consent"}
    resp = post(client, body)
    assert resp.status_code == 422
    assert "report.consent" in {e["field"] for e in resp.json()["errors"]}
