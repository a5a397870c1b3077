"""The download's packages, kept on disk (DATA_DIR/research/) so every web process serves the same
file and the joint suppression runs once per quarter and version of its data.

The key is the quarter and a digest of what the package is made from — the counted reports' values
(never which report has which), k and the generator's version — so a finished quarter's package is
rebuilt only when reports of it were erased or anonymised. Reading the records is cheap; the
suppression and its audit are what is saved.
"""

from __future__ import annotations

import logging
import os
import tempfile
from datetime import date
from pathlib import Path

from django.conf import settings

from ..selectors import min_count
from .files import package_zip
from .package import build, require, version
from .records import catalogue, load_records
from .window import check_window

logger = logging.getLogger(__name__)


def directory() -> Path:
    return Path(settings.DATA_DIR) / "research"


def cached_zip(*, since: date, until: date) -> tuple[str, bytes]:
    """(file name, zip bytes) of the package for a window `check_window` accepts; NoData when empty."""
    check_window(since, until)
    cat = catalogue()
    records = load_records(since, until, cat.districts)
    require(records)
    k = min_count()
    name = f"streetlight-research-{since:%Y%m%d}-{until:%Y%m%d}"
    digest = records.digest(k, version(), sorted(cat.districts.items()), sorted(cat.category_kinds))[:20]
    root = directory()
    path = root / f"{name}-{digest}.zip"
    if path.is_file():
        return f"{name}.zip", path.read_bytes()
    data = package_zip(build(since, until, k, cat, records))
    try:
        _store(root, path, data)
    except OSError:  # a read-only or full disk: serve what was built, build again next time
        logger.exception("could not keep the research package %s", path)
    return f"{name}.zip", data


def _store(root: Path, path: Path, data: bytes) -> None:
    root.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(dir=root, prefix=".tmp-", suffix=".zip")
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    Path(tmp).replace(path)  # atomic: a concurrent reader sees the old file or the new one, whole
    stem = path.name.rsplit("-", 1)[0]
    for stale in root.glob(f"{stem}-*.zip"):
        if stale != path:
            stale.unlink(missing_ok=True)
