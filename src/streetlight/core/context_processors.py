from typing import Any

from django.conf import settings
from django.http import HttpRequest


def city(request: HttpRequest) -> dict[str, Any]:
    """City-wide values every page shows: name, emergency number, map tiles."""
    return {
        "city_name": settings.STREETLIGHT["CITY_NAME"],
        "emergency_number": settings.STREETLIGHT["EMERGENCY_NUMBER"],
        "tile_url": settings.TILE_URL,
        "tile_attribution": settings.TILE_ATTRIBUTION,
    }
