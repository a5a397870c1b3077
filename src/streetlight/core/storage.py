"""Static files storage: hashed, compressed names (whitenoise), without rewriting JavaScript source
map comments, because the vendored Leaflet plugins reference maps they do not ship."""

from __future__ import annotations

from django.contrib.staticfiles.storage import HashedFilesMixin
from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    patterns = tuple((ext, pats) for ext, pats in HashedFilesMixin.patterns if ext == "*.css")
