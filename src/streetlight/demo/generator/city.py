"""The demo city itself: where Portavera is, its time zone, and the shipped data files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Final
from zoneinfo import ZoneInfo

import numpy as np
from numpy.typing import NDArray

DATA_DIR: Final[Path] = Path(__file__).resolve().parent.parent / "data"
CITY_TZ: Final[ZoneInfo] = ZoneInfo("Europe/Rome")
CITY_LAT: Final[float] = 45.070
CITY_LON: Final[float] = 7.680

HOUR_S: Final[int] = 3600
DAY_S: Final[int] = 86_400

Report = dict[str, Any]
FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]


def load_districts() -> dict[str, Any]:
    """The eight Portavera districts as a GeoJSON FeatureCollection."""
    with (DATA_DIR / "districts.geojson").open(encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


def load_categories() -> list[dict[str, Any]]:
    """The category tree (main categories with their `children`)."""
    with (DATA_DIR / "categories.json").open(encoding="utf-8") as fh:
        data: list[dict[str, Any]] = json.load(fh)
    return data


def load_support_services() -> list[dict[str, Any]]:
    """The victim-support and help services the categories point to."""
    with (DATA_DIR / "support_services.json").open(encoding="utf-8") as fh:
        data: list[dict[str, Any]] = json.load(fh)
    return data
