"""The city's areas as a spatial index, built once per process and rebuilt when areas change.

Reports are placed in areas of one level (STREETLIGHT_AREA_LEVEL, districts by default), whose
union is also the city's outline for the "outside the city" check."""

from __future__ import annotations

from django.conf import settings

from streetlight.core import versions
from streetlight.toolkit.geo import AreaIndex

from .models import Area

_VERSION_KEY = "streetlight:areas:version"


def areas_changed() -> None:
    """Tell every process (through the shared cache) that the area index must be rebuilt."""
    versions.bump(_VERSION_KEY)
    _index.forget()
    areas_by_code.forget()


def _build_index() -> AreaIndex | None:
    features = [
        {
            "type": "Feature",
            "geometry": geometry,
            "properties": {"code": code, "name": name},
        }
        for code, name, geometry in Area.objects.filter(level=settings.STREETLIGHT["AREA_LEVEL"]).values_list(
            "code", "name", "geometry"
        )
    ]
    return AreaIndex.from_geojson({"type": "FeatureCollection", "features": features}) if features else None


_index = versions.ProcessMemo(_VERSION_KEY, _build_index)


def area_index() -> AreaIndex | None:
    """The current index, or None when the city has loaded no areas yet."""
    return _index.get()


def _areas_by_code() -> dict[str, Area]:
    return {area.code: area for area in Area.objects.defer("geometry")}


# Every area by its code, without geometry (read-only objects: the intake only links to them).
areas_by_code = versions.ProcessMemo(_VERSION_KEY, _areas_by_code)
