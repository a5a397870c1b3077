"""Small builders shared by report tests."""

from __future__ import annotations

import io
from typing import Any

from PIL import Image


def jpeg_with_gps(width: int = 64, height: int = 48) -> bytes:
    """A real JPEG carrying EXIF with a GPS block, as phones write them."""
    image = Image.new("RGB", (width, height), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    gps = {1: "N", 2: (45.0, 4.0, 12.0), 3: "E", 4: (7.0, 40.0, 48.0)}
    exif[0x8825] = gps  # GPSInfo
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def with_(base: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A deep copy of `base` with `path` ("a.b.c") set to `value`, or removed when value is ...."""
    import copy

    data = copy.deepcopy(base)
    node = data
    *parents, last = path.split(".")
    for key in parents:
        node = node[key]
    if value is ...:
        node.pop(last, None)
    else:
        node[last] = value
    return data
