"""A version number for the catalog (categories, guidance, support services), kept in the shared
cache: bumping it makes every process drop its cached guidance at once."""

from __future__ import annotations

from streetlight.core import versions

_KEY = "streetlight:catalog:version"


def catalog_version() -> str:
    return versions.current(_KEY)


def catalog_changed() -> None:
    versions.bump(_KEY)
