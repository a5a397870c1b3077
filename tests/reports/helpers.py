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


def web_form(city_point: tuple[float, float], **fields: Any) -> dict[str, Any]:
    """The report form's fields as a browser posts them: a harassment report at `city_point`, shared
    with victim support and the city, with `fields` put in or replacing the defaults."""
    lat, lon = city_point
    return {
        "category": "harassment-comments",
        "location_kind": "point",
        "lat": f"{lat:.6f}",
        "lon": f"{lon:.6f}",
        "when": "now",
        "description": "A man followed me and shouted at me near the bus stop.",
        "recipients": ["victim_support", "city"],
        "public_statistics": "on",
        "idempotency_key": "web-form-key-0001",
        **fields,
    }
