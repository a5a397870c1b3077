"""Photo intake: accept only real images, and re-encode them so no EXIF or GPS data survives."""

from __future__ import annotations

import io
import uuid
import warnings
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from ..drafts import PhotoUpload
from ..errors import ReportInvalid
from ..models import Photo, Report

ACCEPTED_FORMATS = frozenset({"JPEG", "PNG", "WEBP", "GIF", "MPO"})
MAX_PIXELS = 40_000_000


@dataclass(frozen=True)
class CleanPhoto:
    content: bytes
    width: int
    height: int
    content_type: str = "image/jpeg"


def check_photos(photos: tuple[PhotoUpload, ...]) -> None:
    """Cheap checks before any decoding: count and size."""
    max_photos, max_bytes = (
        int(settings.STREETLIGHT["MAX_PHOTOS"]),
        int(settings.STREETLIGHT["MAX_PHOTO_BYTES"]),
    )
    if len(photos) > max_photos:
        raise ReportInvalid({"photos": _("You can add at most %(n)d photos.") % {"n": max_photos}})
    for photo in photos:
        if len(photo.content) > max_bytes:
            mb = max(1, max_bytes // (1024 * 1024))
            raise ReportInvalid(
                {
                    "photos": _("The photo “%(name)s” is too large: the limit is %(mb)d MB.")
                    % {"name": photo.name, "mb": mb}
                }
            )
        if not photo.content:
            raise ReportInvalid({"photos": _("The photo “%(name)s” is empty.") % {"name": photo.name}})


def clean_photo(photo: PhotoUpload) -> CleanPhoto:
    """Decode, apply the phone's rotation, shrink and re-encode as JPEG without metadata."""
    not_image = _("The file “%(name)s” is not a photo we can read (use JPEG, PNG or WebP).") % {"name": photo.name}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(photo.content)) as probe:
                if probe.format not in ACCEPTED_FORMATS:
                    raise ReportInvalid({"photos": not_image})
                if probe.width * probe.height > MAX_PIXELS:
                    raise ReportInvalid({"photos": not_image})
                probe.verify()
            with Image.open(io.BytesIO(photo.content)) as image:
                image.load()
                upright = ImageOps.exif_transpose(image)
                rgb = upright.convert("RGB")
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ) as exc:
        raise ReportInvalid({"photos": not_image}) from exc
    side = int(settings.STREETLIGHT["PHOTO_MAX_SIDE"])
    rgb.thumbnail((side, side))
    out = io.BytesIO()
    rgb.save(out, format="JPEG", quality=85, optimize=True)  # no exif= argument: metadata dropped
    return CleanPhoto(content=out.getvalue(), width=rgb.width, height=rgb.height)


def photos_store(*, report: Report, photos: list[CleanPhoto], at: datetime) -> None:
    """Save cleaned photos under random names (inside the caller's transaction)."""
    for photo in photos:
        Photo.objects.create(
            report=report,
            image=ContentFile(photo.content, name=f"{uuid.uuid4().hex}.jpg"),
            content_type=photo.content_type,
            width=photo.width,
            height=photo.height,
            size=len(photo.content),
            added_at=at,
        )
