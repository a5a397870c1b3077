"""A version number for the catalog (categories, guidance, support services), kept in the shared
cache: bumping it makes every process drop its cached guidance at once."""

from __future__ import annotations

from django.core.cache import cache

_KEY = "streetlight:catalog:version"


def catalog_version() -> int:
    version = cache.get(_KEY)
    if version is None:
        cache.add(_KEY, 1, timeout=None)
        version = cache.get(_KEY, 1)
    return int(version)


def catalog_changed() -> None:
    try:
        cache.incr(_KEY)
    except ValueError:
        cache.set(_KEY, 2, timeout=None)
