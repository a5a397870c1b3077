"""Synthetic reports for Portavera, the fictional demo city.

Why this exists: the demo, the control-room screens, the insight maps, the forecasts and the
benchmarks all need a year of believable reports, and none of them may ever touch a real
person's report. The generator draws them from patterns that the criminology of urban
insecurity documents well enough to make the demo recognisable to a city's analysts:

- night-time economy offences (violence, noise, drunken disorder, street harassment) peak on
  Friday and Saturday nights, 22:00-03:00 local time, in the districts with most nightlife;
- burglaries happen by day on weekdays, when homes are empty;
- cyber fraud against small businesses is noticed during office hours on weekdays;
- feelings of insecurity are reported mostly after dark, so more in winter, when it gets dark
  early (darkness is computed from the sun's elevation over the city, not from a fixed hour);
- theft peaks mildly in summer (bikes, tourists' pockets);
- sensitive reports (hate, harassment, violence against women) arrive later and are shared
  with the police far less often; victim support is chosen instead.

Pure Python and numpy (shapely is used for point-in-polygon when installed, with a numpy
fallback): it never imports Django, so it works in a notebook, the CLI and the test suite
alike. Output is deterministic for a given seed.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Final
from zoneinfo import ZoneInfo

import numpy as np
from numpy.typing import NDArray

try:
    import shapely
    from shapely.geometry import shape as _shapely_shape

    HAS_SHAPELY = True
except ImportError:  # pragma: no cover - shapely is a dependency; the fallback serves bare notebooks
    HAS_SHAPELY = False

__all__ = [
    "CITY_TZ",
    "DATA_DIR",
    "LANGUAGES",
    "UNSAFE_REASONS",
    "generate_reports",
    "load_categories",
    "load_districts",
    "load_support_services",
    "points_in_geometry",
]

DATA_DIR: Final[Path] = Path(__file__).resolve().parent / "data"
CITY_TZ: Final[ZoneInfo] = ZoneInfo("Europe/Rome")
CITY_LAT: Final[float] = 45.070
CITY_LON: Final[float] = 7.680

LANGUAGES: Final[tuple[str, ...]] = ("en", "it", "fr", "nl", "es")
_LANGUAGE_WEIGHTS: Final[tuple[float, ...]] = (0.40, 0.27, 0.14, 0.11, 0.08)
STATUSES: Final[tuple[str, ...]] = ("received", "in_progress", "resolved", "closed")
UNSAFE_REASONS: Final[tuple[str, ...]] = ("lighting", "deserted", "groups", "harassment", "traffic", "other")
_SHARE_KEYS: Final[tuple[str, ...]] = ("police", "victim_support", "social_services", "city")
_PRECISIONS_M: Final[tuple[int, ...]] = (5, 10, 25, 50, 100, 250, 500)

_HOUR_S: Final[int] = 3600
_DAY_S: Final[int] = 86_400
_M_PER_DEG_LAT: Final[float] = 111_132.954 - 559.822 * math.cos(2 * math.radians(CITY_LAT))
_M_PER_DEG_LON: Final[float] = 111_412.84 * math.cos(math.radians(CITY_LAT))
_HOTSPOTS_PER_DISTRICT: Final[int] = 3
_HOTSPOT_SIGMA_M: Final[float] = 180.0
_CIVIL_TWILIGHT_DEG: Final[float] = -6.0

Report = dict[str, Any]
FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]


# --------------------------------------------------------------------------------------------
# Loading the shipped demo data
# --------------------------------------------------------------------------------------------


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


# --------------------------------------------------------------------------------------------
# Patterns: when, where and how often
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Profile:
    """Relative intensity over the hours of a week and the days of a year (local time).

    `evening_weekday` attributes the small hours to the evening before, so Saturday 01:00
    counts as part of Friday night."""

    hourly: tuple[float, ...]
    weekday: tuple[float, ...] = (1.0,) * 7
    evening_weekday: bool = False
    season_amplitude: float = 0.0
    season_peak_doy: int = 1
    dark_factor: float = 1.0


# fmt: off
_PROFILES: Final[dict[str, _Profile]] = {
    "nightlife": _Profile(
        hourly=(9, 8, 6.5, 4, 2, 0.8, 0.4, 0.4, 0.5, 0.6, 0.7, 0.8,
                1, 1, 1, 1.1, 1.3, 1.6, 2, 2.5, 3.2, 4.5, 6.5, 8.5),
        weekday=(0.55, 0.55, 0.7, 1.0, 2.0, 2.3, 0.8),
        evening_weekday=True,
        season_amplitude=0.12,
        season_peak_doy=195,
    ),
    "street": _Profile(
        hourly=(0.6, 0.4, 0.3, 0.2, 0.2, 0.3, 0.8, 1.8, 2.6, 2.0, 1.8, 2.0,
                2.3, 2.2, 2.0, 2.2, 2.8, 3.2, 3.2, 2.8, 2.2, 1.8, 1.4, 1.0),
        weekday=(1.0, 1.0, 1.0, 1.0, 1.15, 1.3, 0.9),
    ),
    "evening": _Profile(
        hourly=(1.6, 1.2, 0.8, 0.5, 0.3, 0.3, 0.4, 0.7, 0.9, 0.9, 0.9, 1.0,
                1.1, 1.1, 1.1, 1.2, 1.5, 1.9, 2.3, 2.6, 2.7, 2.6, 2.3, 2.0),
        weekday=(0.9, 0.9, 0.95, 1.0, 1.2, 1.3, 1.0),
        evening_weekday=True,
        dark_factor=1.3,
    ),
    "burglary": _Profile(
        hourly=(0.4, 0.3, 0.3, 0.3, 0.3, 0.3, 0.4, 0.7, 1.4, 2.0, 2.3, 2.3,
                2.0, 1.9, 2.0, 2.1, 2.3, 2.6, 2.6, 1.8, 1.0, 0.7, 0.5, 0.4),
        weekday=(1.2, 1.2, 1.2, 1.2, 1.1, 0.65, 0.55),
        season_amplitude=0.15,
        season_peak_doy=355,
    ),
    "office": _Profile(
        hourly=(0.1, 0.05, 0.05, 0.05, 0.05, 0.1, 0.2, 0.6, 2.2, 3.0, 3.0, 2.8,
                1.8, 2.2, 2.6, 2.5, 2.2, 1.6, 0.8, 0.5, 0.4, 0.3, 0.2, 0.15),
        weekday=(1.2, 1.1, 1.05, 1.05, 1.0, 0.15, 0.08),
    ),
    "dark": _Profile(
        hourly=(1.6, 1.0, 0.6, 0.4, 0.3, 0.4, 0.8, 1.2, 1.0, 0.7, 0.6, 0.6,
                0.7, 0.7, 0.8, 1.0, 1.4, 2.2, 2.8, 3.0, 3.0, 2.8, 2.4, 2.0),
        weekday=(1.0, 1.0, 1.0, 1.0, 1.1, 1.15, 0.9),
        season_amplitude=0.25,
        season_peak_doy=15,
        dark_factor=2.5,
    ),
    "bike": _Profile(
        hourly=(0.3, 0.3, 0.2, 0.2, 0.2, 0.3, 0.6, 1.2, 1.8, 1.6, 1.4, 1.5,
                1.7, 1.7, 1.6, 1.7, 2.0, 2.3, 2.3, 2.0, 1.6, 1.2, 0.8, 0.5),
        season_amplitude=0.35,
        season_peak_doy=200,
    ),
    "crowd": _Profile(
        hourly=(0.4, 0.3, 0.2, 0.1, 0.1, 0.2, 0.5, 1.5, 2.2, 1.8, 1.8, 2.2,
                2.6, 2.5, 2.3, 2.4, 2.8, 3.0, 2.8, 2.3, 1.8, 1.3, 0.9, 0.6),
        weekday=(0.9, 0.9, 0.95, 1.0, 1.15, 1.4, 1.0),
        season_amplitude=0.2,
        season_peak_doy=205,
    ),
    "shop": _Profile(
        hourly=(0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.1, 0.4, 1.0, 1.8, 2.2, 2.4,
                2.2, 1.8, 2.0, 2.4, 2.8, 3.0, 2.8, 2.0, 0.8, 0.2, 0.1, 0.05),
        weekday=(1.0, 1.0, 1.0, 1.0, 1.1, 1.4, 0.2),
        season_amplitude=0.12,
        season_peak_doy=350,
    ),
    "vehicle": _Profile(
        hourly=(2.2, 2.4, 2.4, 2.2, 1.8, 1.2, 0.8, 0.7, 0.7, 0.6, 0.6, 0.6,
                0.6, 0.6, 0.6, 0.7, 0.8, 0.9, 1.0, 1.2, 1.4, 1.6, 1.8, 2.0),
        season_amplitude=0.1,
        season_peak_doy=200,
    ),
    "domestic": _Profile(
        hourly=(1.8, 1.5, 1.1, 0.8, 0.5, 0.4, 0.5, 0.7, 0.8, 0.8, 0.8, 0.9,
                1.0, 1.0, 1.0, 1.1, 1.3, 1.6, 2.0, 2.4, 2.6, 2.6, 2.4, 2.1),
        weekday=(0.9, 0.9, 0.9, 0.9, 1.0, 1.3, 1.35),
        evening_weekday=True,
        season_amplitude=0.1,
        season_peak_doy=360,
    ),
    "day": _Profile(
        hourly=(0.2, 0.1, 0.1, 0.1, 0.1, 0.2, 0.6, 1.5, 2.2, 2.4, 2.3, 2.2,
                1.9, 1.9, 2.1, 2.1, 2.0, 1.9, 1.6, 1.2, 0.9, 0.6, 0.4, 0.3),
        weekday=(1.1, 1.05, 1.0, 1.0, 1.0, 0.85, 0.7),
    ),
    "online": _Profile(
        hourly=(0.9, 0.6, 0.4, 0.3, 0.2, 0.2, 0.4, 0.8, 1.1, 1.1, 1.1, 1.1,
                1.2, 1.2, 1.1, 1.1, 1.2, 1.4, 1.6, 1.8, 2.0, 2.1, 1.9, 1.4),
    ),
    "lamp": _Profile(
        hourly=(0.8, 0.4, 0.2, 0.1, 0.1, 0.3, 1.0, 1.2, 1.0, 0.8, 0.7, 0.7,
                0.7, 0.7, 0.8, 1.0, 1.4, 2.2, 2.8, 3.0, 2.8, 2.4, 1.8, 1.2),
        dark_factor=4.0,
    ),
}
# fmt: on

_PROFILE_NAMES: Final[tuple[str, ...]] = tuple(_PROFILES)


@dataclass(frozen=True)
class _Main:
    """Per main category: how common, how quickly reported, who it is shared with."""

    weight: float
    delay_median_min: float
    stats_only: float
    share: tuple[float, float, float, float]  # police, victim_support, social_services, city
    anonymous: float
    extras: str


_MAINS: Final[dict[str, _Main]] = {
    "hate": _Main(0.06, 1440, 0.15, (0.30, 0.80, 0.10, 0.30), 0.68, "personal"),
    "harassment": _Main(0.09, 600, 0.15, (0.28, 0.78, 0.08, 0.35), 0.68, "personal"),
    "gender-violence": _Main(0.06, 4320, 0.15, (0.28, 0.85, 0.30, 0.05), 0.68, "personal"),
    "violence": _Main(0.08, 180, 0.25, (0.80, 0.50, 0.06, 0.15), 0.62, "personal"),
    "theft": _Main(0.21, 240, 0.32, (0.85, 0.15, 0.02, 0.12), 0.62, "theft"),
    "cyber-business": _Main(0.06, 600, 0.25, (0.60, 0.05, 0.0, 0.75), 0.35, "business"),
    "nuisance": _Main(0.17, 25, 0.42, (0.55, 0.02, 0.15, 0.75), 0.62, "nuisance"),
    "unsafe": _Main(0.16, 180, 0.75, (0.35, 0.05, 0.10, 0.85), 0.62, "feeling"),
    "public-space": _Main(0.11, 90, 0.03, (0.04, 0.0, 0.01, 0.98), 0.45, "public"),
}
_DEFAULT_MAIN: Final[_Main] = _Main(0.05, 240, 0.3, (0.5, 0.2, 0.05, 0.5), 0.6, "personal")


@dataclass(frozen=True)
class _Leaf:
    """Per sub-category: share within its main category, timing, place and setting.

    `night_profile`, when set, is the night-time economy variant the report follows with a
    probability that grows with the district's nightlife; `nightlife_affinity` tilts the
    choice of district towards (positive) or away from (negative) nightlife districts."""

    weight: float
    profile: str
    night_profile: str | None = None
    nightlife_affinity: float = 0.4
    hotspot_share: float = 0.3
    setting: str = "street"


_NIGHT: Final[dict[str, Any]] = {
    "night_profile": "nightlife",
    "nightlife_affinity": 2.2,
    "hotspot_share": 0.55,
}
_LEAVES: Final[dict[str, _Leaf]] = {
    "hate-verbal": _Leaf(0.45, "street", **_NIGHT),
    "hate-physical": _Leaf(0.15, "evening", **_NIGHT),
    "hate-graffiti": _Leaf(0.20, "day"),
    "hate-online": _Leaf(0.20, "online", nightlife_affinity=0.0, hotspot_share=0.0, setting="online"),
    "harassment-comments": _Leaf(0.45, "street", **_NIGHT),
    "harassment-following": _Leaf(0.20, "evening", **_NIGHT),
    "harassment-exposure": _Leaf(0.10, "day", hotspot_share=0.2),
    "harassment-touching": _Leaf(0.25, "street", **_NIGHT),
    "gender-violence-domestic": _Leaf(
        0.55, "domestic", nightlife_affinity=0.0, hotspot_share=0.05, setting="home"
    ),
    "gender-violence-sexual": _Leaf(0.20, "evening", **_NIGHT),
    "gender-violence-stalking": _Leaf(
        0.25, "day", nightlife_affinity=0.0, hotspot_share=0.05, setting="none"
    ),
    "violence-assault": _Leaf(0.45, "evening", **_NIGHT),
    "violence-threats": _Leaf(0.30, "evening"),
    "violence-robbery": _Leaf(0.25, "evening", **_NIGHT),
    "theft-bike": _Leaf(0.30, "bike", nightlife_affinity=0.8),
    "theft-pickpocket": _Leaf(0.25, "crowd", nightlife_affinity=1.6, hotspot_share=0.6),
    "theft-burglary": _Leaf(0.20, "burglary", nightlife_affinity=-1.2, hotspot_share=0.1, setting="none"),
    "theft-vehicle": _Leaf(0.15, "vehicle", nightlife_affinity=0.0, hotspot_share=0.15),
    "theft-shoplifting": _Leaf(0.10, "shop", nightlife_affinity=1.2, hotspot_share=0.5, setting="business"),
    "cyber-business-phishing": _Leaf(0.40, "office", nightlife_affinity=1.0, setting="none"),
    "cyber-business-ransomware": _Leaf(0.10, "office", nightlife_affinity=1.0, setting="none"),
    "cyber-business-invoice": _Leaf(0.20, "office", nightlife_affinity=1.0, setting="none"),
    "cyber-business-fake-orders": _Leaf(0.18, "office", nightlife_affinity=1.0, setting="none"),
    "cyber-business-data-leak": _Leaf(0.12, "office", nightlife_affinity=1.0, setting="none"),
    "nuisance-drugs": _Leaf(0.20, "evening", **_NIGHT),
    "nuisance-vandalism": _Leaf(0.20, "evening", **_NIGHT),
    "nuisance-noise": _Leaf(0.30, "evening", **_NIGHT),
    "nuisance-drunk": _Leaf(0.15, "evening", **_NIGHT),
    "nuisance-dumping": _Leaf(0.15, "day", nightlife_affinity=-0.3, hotspot_share=0.2),
    "unsafe-lighting": _Leaf(0.25, "dark", nightlife_affinity=0.0),
    "unsafe-deserted": _Leaf(0.20, "dark", nightlife_affinity=-0.5),
    "unsafe-groups": _Leaf(0.20, "dark", nightlife_affinity=1.0, hotspot_share=0.45),
    "unsafe-harassment": _Leaf(0.15, "dark", nightlife_affinity=1.2, hotspot_share=0.45),
    "unsafe-traffic": _Leaf(0.12, "day", nightlife_affinity=0.3),
    "unsafe-other": _Leaf(0.08, "dark"),
    "public-space-streetlight": _Leaf(0.35, "lamp", nightlife_affinity=0.0, hotspot_share=0.1),
    "public-space-pavement": _Leaf(0.45, "day", nightlife_affinity=0.0, hotspot_share=0.1),
    "public-space-vehicle": _Leaf(0.20, "day", nightlife_affinity=-0.3, hotspot_share=0.1),
}
_DEFAULT_PROFILE_BY_KIND: Final[dict[str, str]] = {
    "crime": "street",
    "incident": "day",
    "feeling": "dark",
    "cyber": "office",
}

# Age of a report (days before `end`) -> probabilities of received/in_progress/resolved/closed.
_STATUS_AGE_EDGES_D: Final[tuple[float, ...]] = (1.0, 7.0, 30.0, 90.0)
_STATUS_P: Final[tuple[tuple[float, float, float, float], ...]] = (
    (0.65, 0.30, 0.04, 0.01),
    (0.25, 0.45, 0.20, 0.10),
    (0.06, 0.30, 0.40, 0.24),
    (0.02, 0.12, 0.48, 0.38),
    (0.01, 0.04, 0.50, 0.45),
)
_PRECISION_P: Final[dict[str, tuple[float, ...]]] = {
    "default": (0.10, 0.25, 0.25, 0.20, 0.12, 0.06, 0.02),
    "sensitive": (0.03, 0.10, 0.15, 0.17, 0.20, 0.20, 0.15),
    "business": (0.15, 0.35, 0.30, 0.15, 0.05, 0.0, 0.0),
}
_UNSAFE_SCORE_P: Final[dict[bool, tuple[float, ...]]] = {  # keyed by "after dark"; scores 1..5
    True: (0.30, 0.35, 0.25, 0.08, 0.02),
    False: (0.12, 0.28, 0.35, 0.18, 0.07),
}


# --------------------------------------------------------------------------------------------
# Words: short descriptions in the reporter's language
# --------------------------------------------------------------------------------------------

_PLACES: Final[dict[str, dict[str, tuple[str, ...]]]] = {
    "street": {
        "en": (
            "near the station",
            "in the park",
            "outside a bar",
            "at the tram stop",
            "in my street",
            "on the main square",
            "by the river",
            "in the underpass",
            "near the market",
            "in the car park",
        ),
        "fr": (
            "près de la gare",
            "dans le parc",
            "devant un bar",
            "à l'arrêt de tram",
            "dans ma rue",
            "sur la grand-place",
            "au bord du fleuve",
            "dans le passage souterrain",
            "près du marché",
            "sur le parking",
        ),
        "nl": (
            "bij het station",
            "in het park",
            "bij een café",
            "bij de tramhalte",
            "in mijn straat",
            "op het plein",
            "langs de rivier",
            "in de onderdoorgang",
            "bij de markt",
            "op de parkeerplaats",
        ),
        "it": (
            "vicino alla stazione",
            "nel parco",
            "davanti a un bar",
            "alla fermata del tram",
            "nella mia via",
            "in piazza",
            "lungo il fiume",
            "nel sottopassaggio",
            "vicino al mercato",
            "nel parcheggio",
        ),
        "es": (
            "cerca de la estación",
            "en el parque",
            "delante de un bar",
            "en la parada del tranvía",
            "en mi calle",
            "en la plaza",
            "junto al río",
            "en el paso subterráneo",
            "cerca del mercado",
            "en el aparcamiento",
        ),
    },
    "home": {
        "en": ("at home", "in our building", "in the stairwell", "at my flat"),
        "fr": ("à la maison", "dans notre immeuble", "dans la cage d'escalier", "chez moi"),
        "nl": ("thuis", "in ons gebouw", "in het trappenhuis", "bij mij thuis"),
        "it": ("a casa", "nel nostro palazzo", "sulle scale del palazzo", "a casa mia"),
        "es": ("en casa", "en nuestro edificio", "en la escalera", "en mi piso"),
    },
    "business": {
        "en": ("at our shop", "in our office", "at the bakery", "at our restaurant"),
        "fr": ("dans notre boutique", "dans nos bureaux", "à la boulangerie", "dans notre restaurant"),
        "nl": ("in onze winkel", "op ons kantoor", "bij de bakkerij", "in ons restaurant"),
        "it": ("nel nostro negozio", "nel nostro ufficio", "in panetteria", "nel nostro ristorante"),
        "es": ("en nuestra tienda", "en la oficina", "en la panadería", "en nuestro restaurante"),
    },
    "online": {
        "en": ("on Instagram", "in a group chat", "under a post about our neighbourhood", "on TikTok"),
        "fr": (
            "sur Instagram",
            "dans un groupe de discussion",
            "sous une publication sur notre quartier",
            "sur TikTok",
        ),
        "nl": ("op Instagram", "in een groepsapp", "onder een bericht over onze buurt", "op TikTok"),
        "it": ("su Instagram", "in una chat di gruppo", "sotto un post sul nostro quartiere", "su TikTok"),
        "es": (
            "en Instagram",
            "en un chat de grupo",
            "debajo de una publicación sobre nuestro barrio",
            "en TikTok",
        ),
    },
    "none": dict.fromkeys(LANGUAGES, ("",)),
}

# Local hour -> part of day: 0 morning (06-11), 1 afternoon (12-17), 2 evening (18-21), 3 night.
_PART_OF_DAY: Final[tuple[int, ...]] = (3,) * 6 + (0,) * 6 + (1,) * 6 + (2,) * 4 + (3,) * 2
_WHEN: Final[dict[str, tuple[str, str, str, str]]] = {
    "en": ("in the morning", "in the afternoon", "in the evening", "at night"),
    "fr": ("le matin", "l'après-midi", "en soirée", "en pleine nuit"),
    "nl": ("'s ochtends", "'s middags", "'s avonds", "'s nachts"),
    "it": ("di mattina", "nel pomeriggio", "di sera", "di notte"),
    "es": ("por la mañana", "por la tarde", "a última hora de la tarde", "por la noche"),
}


def _around(lang: str, hour: int) -> str:
    """'Around 23:00' in each language, with the words each uses for midnight and one o'clock."""
    if lang == "en":
        return "around midnight" if hour == 0 else f"around {hour}:00"
    if lang == "fr":
        return "vers minuit" if hour == 0 else f"vers {hour} h"
    if lang == "nl":
        return "rond middernacht" if hour == 0 else f"rond {hour} uur"
    if lang == "it":
        return {0: "verso mezzanotte", 1: "verso l'una"}.get(hour, f"verso le {hour}")
    return {0: "hacia medianoche", 1: "sobre la una"}.get(hour, f"sobre las {hour}")


# Dutch keeps the time at the end: fronting it would need verb-second inversion of the clause.
_TEMPLATES: Final[dict[str, tuple[str, ...]]] = {
    "en": (
        "{what} {place} {when}.",
        "{When}, {what} {place}.",
        "{what} {place}.",
        "{what} {place} {when}. {extra}",
        "{what} {place}. {extra}",
    ),
    "fr": (
        "{what} {place}, {when}.",
        "{When}, {what} {place}.",
        "{what} {place}.",
        "{what} {place}, {when}. {extra}",
        "{what} {place}. {extra}",
    ),
    "nl": (
        "{what} {place}, {when}.",
        "{what} {place}.",
        "{what} {place}, {when}. {extra}",
        "{what} {place}. {extra}",
    ),
    "it": (
        "{what} {place} {when}.",
        "{When} {what} {place}.",
        "{what} {place}.",
        "{what} {place} {when}. {extra}",
        "{what} {place}. {extra}",
    ),
    "es": (
        "{what} {place} {when}.",
        "{When}, {what} {place}.",
        "{what} {place}.",
        "{what} {place} {when}. {extra}",
        "{what} {place}. {extra}",
    ),
}

_EXTRAS: Final[dict[str, dict[str, tuple[str, ...]]]] = {
    "personal": {
        "en": ("I am still shaken.", "It is not the first time.", "I don't know what to do."),
        "fr": (
            "Je suis encore sous le choc.",
            "Ce n'est pas la première fois.",
            "Je ne sais pas quoi faire.",
        ),
        "nl": (
            "Ik ben er nog steeds van geschrokken.",
            "Het is niet de eerste keer.",
            "Ik weet niet wat ik moet doen.",
        ),
        "it": ("Sono ancora sotto shock.", "Non è la prima volta.", "Non so cosa fare."),
        "es": ("Todavía estoy en shock.", "No es la primera vez.", "No sé qué hacer."),
    },
    "theft": {
        "en": ("I have the serial number.", "It is not the first time here.", "My insurer needs a report."),
        "fr": (
            "J'ai le numéro de série.",
            "Ce n'est pas la première fois ici.",
            "Mon assurance demande une plainte.",
        ),
        "nl": (
            "Ik heb het serienummer.",
            "Het is hier niet de eerste keer.",
            "Mijn verzekering vraagt om aangifte.",
        ),
        "it": (
            "Ho il numero di serie.",
            "Non è la prima volta qui.",
            "L'assicurazione mi chiede la denuncia.",
        ),
        "es": ("Tengo el número de serie.", "No es la primera vez aquí.", "El seguro me pide la denuncia."),
    },
    "business": {
        "en": (
            "We are a small shop and need help.",
            "Our bank has been informed.",
            "We don't know what to do.",
        ),
        "fr": (
            "Nous sommes un petit commerce et avons besoin d'aide.",
            "Notre banque est prévenue.",
            "Nous ne savons pas quoi faire.",
        ),
        "nl": (
            "We zijn een kleine winkel en hebben hulp nodig.",
            "Onze bank is op de hoogte.",
            "We weten niet wat we moeten doen.",
        ),
        "it": (
            "Siamo un piccolo negozio e ci serve aiuto.",
            "La banca è stata avvisata.",
            "Non sappiamo cosa fare.",
        ),
        "es": (
            "Somos una tienda pequeña y necesitamos ayuda.",
            "Ya hemos avisado al banco.",
            "No sabemos qué hacer.",
        ),
    },
    "nuisance": {
        "en": (
            "It happens almost every weekend.",
            "The neighbours are fed up.",
            "It has been going on for months.",
        ),
        "fr": (
            "Ça arrive presque tous les week-ends.",
            "Les voisins en ont assez.",
            "Ça dure depuis des mois.",
        ),
        "nl": ("Het gebeurt bijna elk weekend.", "De buren zijn het zat.", "Het speelt al maanden."),
        "it": (
            "Succede quasi ogni fine settimana.",
            "I vicini sono esasperati.",
            "Va avanti da mesi.",
        ),
        "es": (
            "Pasa casi todos los fines de semana.",
            "Los vecinos están hartos.",
            "Lleva meses pasando.",
        ),
    },
    "feeling": {
        "en": ("I avoid this route now.", "Many neighbours feel the same.", "It is worse in winter."),
        "fr": (
            "J'évite ce trajet maintenant.",
            "Beaucoup de voisins ressentent la même chose.",
            "C'est pire en hiver.",
        ),
        "nl": ("Ik vermijd deze route nu.", "Veel buren voelen het ook zo.", "In de winter is het erger."),
        "it": ("Ora evito questo percorso.", "Molti vicini la pensano come me.", "D'inverno è peggio."),
        "es": ("Ahora evito este camino.", "Muchos vecinos sienten lo mismo.", "En invierno es peor."),
    },
    "public": {
        "en": (
            "It has been like this for weeks.",
            "Please fix it soon.",
            "I have reported it before.",
        ),
        "fr": (
            "C'est comme ça depuis des semaines.",
            "Merci d'intervenir rapidement.",
            "Je l'ai déjà signalé.",
        ),
        "nl": (
            "Het is al weken zo.",
            "Graag snel oplossen.",
            "Ik heb het al eerder gemeld.",
        ),
        "it": ("È così da settimane.", "Per favore intervenite presto.", "L'ho già segnalato."),
        "es": ("Lleva semanas así.", "Por favor, que lo arreglen pronto.", "Ya lo avisé antes."),
    },
}

# What happened, as a reporter would start the sentence (lower case; a place may follow).
_CLAUSES: Final[dict[str, dict[str, tuple[str, ...]]]] = {
    "hate-verbal": {
        "en": ("someone shouted racist insults at me", "a man shouted a homophobic slur at my friend"),
        "fr": (
            "quelqu'un m'a crié des insultes racistes",
            "un homme a lancé une insulte homophobe à mon ami",
        ),
        "nl": (
            "iemand schreeuwde racistische scheldwoorden naar me",
            "een man riep een homofoob scheldwoord",
        ),
        "it": (
            "qualcuno mi ha urlato insulti razzisti",
            "un uomo ha rivolto un insulto omofobo al mio amico",
        ),
        "es": ("alguien me gritó insultos racistas", "un hombre le soltó un insulto homófobo a mi amigo"),
    },
    "hate-physical": {
        "en": ("I was pushed and spat at because of my headscarf", "two men attacked us for holding hands"),
        "fr": (
            "on m'a bousculée et crachée dessus à cause de mon foulard",
            "deux hommes nous ont agressés parce que nous nous tenions la main",
        ),
        "nl": (
            "ik werd geduwd en bespuugd vanwege mijn hoofddoek",
            "twee mannen vielen ons aan omdat we hand in hand liepen",
        ),
        "it": (
            "mi hanno spinta e sputato addosso per il mio velo",
            "due uomini ci hanno aggrediti",
            "perché ci tenevamo per mano",
        ),
        "es": (
            "me empujaron y me escupieron por llevar pañuelo",
            "dos hombres nos agredieron por ir de la mano",
        ),
    },
    "hate-graffiti": {
        "en": ("there is a swastika sprayed on the wall", "someone put up racist stickers"),
        "fr": ("il y a une croix gammée taguée sur le mur", "quelqu'un a collé des autocollants racistes"),
        "nl": ("er is een hakenkruis op de muur gespoten", "iemand heeft racistische stickers geplakt"),
        "it": ("c'è una svastica disegnata sul muro", "qualcuno ha attaccato adesivi razzisti"),
        "es": ("hay una esvástica pintada en la pared", "alguien ha pegado pegatinas racistas"),
    },
    "hate-online": {
        "en": (
            "people are posting hateful comments about our mosque",
            "someone keeps sending me transphobic messages",
        ),
        "fr": (
            "des gens publient des commentaires haineux sur notre mosquée",
            "quelqu'un m'envoie sans arrêt des messages transphobes",
        ),
        "nl": (
            "mensen plaatsen haatreacties over onze moskee",
            "iemand blijft me transfobe berichten sturen",
        ),
        "it": (
            "alcune persone pubblicano commenti d'odio sulla nostra moschea",
            "qualcuno continua a mandarmi messaggi transfobici",
        ),
        "es": (
            "hay gente publicando comentarios de odio sobre nuestra mezquita",
            "alguien no para de mandarme mensajes tránsfobos",
        ),
    },
    "harassment-comments": {
        "en": ("a group of men made sexual comments at me", "a guy kept whistling and calling after me"),
        "fr": ("un groupe d'hommes m'a fait des remarques sexuelles", "un type n'arrêtait pas de me siffler"),
        "nl": ("een groep mannen maakte seksuele opmerkingen naar me", "een jongen bleef me nafluiten"),
        "it": (
            "un gruppo di uomini mi ha fatto commenti sessuali",
            "un tizio continuava a fischiarmi dietro",
        ),
        "es": ("un grupo de hombres me hizo comentarios sexuales", "un tío no paraba de silbarme"),
    },
    "harassment-following": {
        "en": ("a man followed me for several streets", "a car slowed down and followed me"),
        "fr": ("un homme m'a suivie sur plusieurs rues", "une voiture a ralenti et m'a suivie"),
        "nl": ("een man volgde me een paar straten lang", "een auto ging langzamer rijden en volgde me"),
        "it": ("un uomo mi ha seguita per diverse strade", "una macchina ha rallentato e mi ha seguita"),
        "es": ("un hombre me siguió varias calles", "un coche redujo la velocidad y me siguió"),
    },
    "harassment-exposure": {
        "en": ("a man exposed himself to me", "someone was masturbating in front of passers-by"),
        "fr": ("un homme s'est exhibé devant moi", "quelqu'un se masturbait devant les passants"),
        "nl": ("een man ontblootte zich voor me", "iemand masturbeerde in het bijzijn van voorbijgangers"),
        "it": ("un uomo si è esibito davanti a me", "qualcuno si masturbava davanti ai passanti"),
        "es": ("un hombre se exhibió delante de mí", "alguien se estaba masturbando delante de la gente"),
    },
    "harassment-touching": {
        "en": ("someone groped me in the crowd", "a man rubbed himself against me"),
        "fr": ("quelqu'un m'a touché les fesses dans la foule", "un homme s'est frotté contre moi"),
        "nl": ("iemand betastte me in de drukte", "een man schuurde tegen me aan"),
        "it": ("qualcuno mi ha palpeggiata tra la folla", "un uomo mi si è strusciato addosso"),
        "es": ("alguien me tocó el culo entre la gente", "un hombre se me restregó"),
    },
    "gender-violence-domestic": {
        "en": ("my partner hit me again", "my ex keeps threatening me"),
        "fr": ("mon conjoint m'a encore frappée", "mon ex continue de me menacer"),
        "nl": ("mijn partner heeft me weer geslagen", "mijn ex blijft me bedreigen"),
        "it": ("il mio compagno mi ha picchiata di nuovo", "il mio ex continua a minacciarmi"),
        "es": ("mi pareja me ha vuelto a pegar", "mi ex sigue amenazándome"),
    },
    "gender-violence-sexual": {
        "en": ("I was sexually assaulted", "someone put something in my drink and I think I was assaulted"),
        "fr": (
            "j'ai subi une agression sexuelle",
            "quelqu'un a mis quelque chose dans mon verre et je pense avoir été agressée",
        ),
        "nl": (
            "ik ben seksueel aangerand",
            "iemand deed iets in mijn drankje en ik denk dat ik ben aangerand",
        ),
        "it": (
            "ho subito una violenza sessuale",
            "qualcuno mi ha messo qualcosa nel bicchiere e penso di aver subito una violenza",
        ),
        "es": (
            "he sufrido una agresión sexual",
            "alguien me echó algo en la bebida y creo que me agredieron",
        ),
    },
    "gender-violence-stalking": {
        "en": (
            "my ex waits for me outside my work every day",
            "a man I don't know keeps turning up where I am",
        ),
        "fr": (
            "mon ex m'attend tous les jours à la sortie du travail",
            "un inconnu apparaît sans cesse là où je suis",
        ),
        "nl": ("mijn ex wacht elke dag op me bij mijn werk", "een onbekende man duikt steeds op waar ik ben"),
        "it": (
            "il mio ex mi aspetta ogni giorno fuori dal lavoro",
            "uno sconosciuto continua a comparire dove sono",
        ),
        "es": (
            "mi ex me espera todos los días a la salida del trabajo",
            "un desconocido aparece una y otra vez donde estoy",
        ),
    },
    "cyber-business-phishing": {
        "en": (
            "we received an email pretending to be our bank",
            "a text message asked us to confirm our card details",
        ),
        "fr": (
            "nous avons reçu un e-mail qui se faisait passer pour notre banque",
            "un SMS nous demandait de confirmer nos données de carte",
        ),
        "nl": (
            "we kregen een e-mail die zich voordeed als onze bank",
            "een sms vroeg ons om onze kaartgegevens te bevestigen",
        ),
        "it": (
            "abbiamo ricevuto un'email che fingeva di essere la nostra banca",
            "un SMS ci chiedeva di confermare i dati della carta",
        ),
        "es": (
            "recibimos un correo que se hacía pasar por nuestro banco",
            "un SMS nos pedía confirmar los datos de la tarjeta",
        ),
    },
    "cyber-business-ransomware": {
        "en": (
            "all the files on our shop computer are encrypted",
            "a ransom message appeared on our till system",
        ),
        "fr": (
            "tous les fichiers de l'ordinateur de la boutique sont chiffrés",
            "un message de rançon est apparu sur notre caisse",
        ),
        "nl": (
            "alle bestanden op de winkelcomputer zijn versleuteld",
            "er verscheen een losgeldmelding op ons kassasysteem",
        ),
        "it": (
            "tutti i file del computer del negozio sono criptati",
            "è comparso un messaggio di riscatto sul sistema di cassa",
        ),
        "es": (
            "todos los archivos del ordenador de la tienda están cifrados",
            "apareció un mensaje de rescate en nuestro sistema de caja",
        ),
    },
    "cyber-business-invoice": {
        "en": (
            "we paid a supplier invoice to a fake bank account",
            "someone posing as our director asked for an urgent transfer",
        ),
        "fr": (
            "nous avons payé une facture fournisseur sur un faux compte",
            "quelqu'un se faisant passer pour notre directeur a demandé un virement urgent",
        ),
        "nl": (
            "we hebben een leveranciersfactuur naar een vals rekeningnummer betaald",
            "iemand die zich voordeed als onze directeur vroeg om een spoedbetaling",
        ),
        "it": (
            "abbiamo pagato una fattura di un fornitore su un conto falso",
            "qualcuno che si spacciava per il nostro direttore ha chiesto un bonifico urgente",
        ),
        "es": (
            "pagamos una factura de un proveedor a una cuenta falsa",
            "alguien que se hacía pasar por nuestro director pidió una transferencia urgente",
        ),
    },
    "cyber-business-fake-orders": {
        "en": (
            "we shipped three orders paid with stolen cards",
            "a customer ordered goods and the payment bounced",
        ),
        "fr": (
            "nous avons expédié trois commandes payées avec des cartes volées",
            "un client a commandé et le paiement a été rejeté",
        ),
        "nl": (
            "we hebben drie bestellingen verstuurd die met gestolen kaarten waren betaald",
            "een klant bestelde iets en de betaling werd teruggedraaid",
        ),
        "it": (
            "abbiamo spedito tre ordini pagati con carte rubate",
            "un cliente ha ordinato merce e il pagamento è stato respinto",
        ),
        "es": (
            "enviamos tres pedidos pagados con tarjetas robadas",
            "un cliente hizo un pedido y el pago fue rechazado",
        ),
    },
    "cyber-business-data-leak": {
        "en": ("our customer list was posted online", "an employee's laptop with client data was stolen"),
        "fr": (
            "notre fichier clients a été publié en ligne",
            "l'ordinateur portable d'un salarié avec des données clients a été volé",
        ),
        "nl": (
            "onze klantenlijst is online gezet",
            "de laptop van een medewerker met klantgegevens is gestolen",
        ),
        "it": (
            "la nostra lista clienti è stata pubblicata online",
            "è stato rubato il portatile di un dipendente con i dati dei clienti",
        ),
        "es": (
            "nuestra lista de clientes se ha publicado en internet",
            "robaron el portátil de un empleado con datos de clientes",
        ),
    },
    "theft-bike": {
        "en": ("my bike was stolen even though it was locked", "someone cut the lock and took my e-bike"),
        "fr": (
            "mon vélo a été volé alors qu'il était attaché",
            "quelqu'un a coupé l'antivol et pris mon vélo électrique",
        ),
        "nl": (
            "mijn fiets is gestolen terwijl hij op slot stond",
            "iemand knipte het slot door en nam mijn e-bike mee",
        ),
        "it": (
            "mi hanno rubato la bici anche se era legata",
            "qualcuno ha tagliato il lucchetto e si è preso la mia bici elettrica",
        ),
        "es": (
            "me robaron la bici aunque estaba atada",
            "alguien cortó el candado y se llevó mi bici eléctrica",
        ),
    },
    "theft-pickpocket": {
        "en": ("my wallet was taken from my bag", "someone stole my phone from my back pocket"),
        "fr": (
            "on m'a pris mon portefeuille dans mon sac",
            "quelqu'un m'a volé mon téléphone dans la poche arrière",
        ),
        "nl": (
            "mijn portemonnee is uit mijn tas gepakt",
            "iemand heeft mijn telefoon uit mijn achterzak gestolen",
        ),
        "it": (
            "mi hanno preso il portafoglio dalla borsa",
            "qualcuno mi ha rubato il telefono dalla tasca posteriore",
        ),
        "es": ("me quitaron la cartera del bolso", "alguien me robó el móvil del bolsillo de atrás"),
    },
    "theft-burglary": {
        "en": ("our flat was broken into while we were at work", "someone forced the door of our cellar"),
        "fr": (
            "notre appartement a été cambriolé pendant que nous étions au travail",
            "quelqu'un a forcé la porte de notre cave",
        ),
        "nl": (
            "er is ingebroken in onze flat terwijl we aan het werk waren",
            "iemand heeft de deur van onze berging geforceerd",
        ),
        "it": (
            "sono entrati in casa nostra mentre eravamo al lavoro",
            "qualcuno ha forzato la porta della cantina",
        ),
        "es": (
            "entraron a robar en nuestro piso mientras trabajábamos",
            "alguien forzó la puerta de nuestro trastero",
        ),
    },
    "theft-vehicle": {
        "en": ("my car window was smashed and my bag taken", "my scooter was stolen"),
        "fr": ("la vitre de ma voiture a été brisée et mon sac volé", "mon scooter a été volé"),
        "nl": ("de ruit van mijn auto is ingeslagen en mijn tas is weg", "mijn scooter is gestolen"),
        "it": ("mi hanno rotto il finestrino dell'auto e preso la borsa", "mi hanno rubato lo scooter"),
        "es": ("me rompieron la ventanilla del coche y se llevaron el bolso", "me robaron la moto"),
    },
    "theft-shoplifting": {
        "en": ("a man filled his bag with goods and walked out", "two people distracted us and took items"),
        "fr": (
            "un homme a rempli son sac de marchandises et il est sorti sans payer",
            "deux personnes ont détourné notre attention et pris des articles",
        ),
        "nl": (
            "een man deed spullen in zijn tas en liep zonder te betalen naar buiten",
            "twee mensen leidden ons af en namen spullen mee",
        ),
        "it": (
            "un uomo ha riempito la borsa di merce ed è uscito senza pagare",
            "due persone ci hanno distratto e hanno preso degli articoli",
        ),
        "es": (
            "un hombre llenó la bolsa de productos y se fue sin pagar",
            "dos personas nos distrajeron y se llevaron artículos",
        ),
    },
    "violence-assault": {
        "en": ("I was punched by a stranger", "a fight broke out and someone was hurt"),
        "fr": ("un inconnu m'a donné un coup de poing", "une bagarre a éclaté et quelqu'un a été blessé"),
        "nl": ("een onbekende sloeg me", "er brak een vechtpartij uit en iemand raakte gewond"),
        "it": ("uno sconosciuto mi ha dato un pugno", "è scoppiata una rissa e qualcuno si è fatto male"),
        "es": ("un desconocido me dio un puñetazo", "empezó una pelea y alguien resultó herido"),
    },
    "violence-threats": {
        "en": ("a neighbour threatened to hurt me", "a man threatened me with a knife"),
        "fr": ("un voisin a menacé de me faire du mal", "un homme m'a menacé avec un couteau"),
        "nl": ("een buurman dreigde me iets aan te doen", "een man bedreigde me met een mes"),
        "it": ("un vicino ha minacciato di farmi del male", "un uomo mi ha minacciato con un coltello"),
        "es": ("un vecino amenazó con hacerme daño", "un hombre me amenazó con una navaja"),
    },
    "violence-robbery": {
        "en": ("two young men took my phone by force", "someone grabbed my bag and ran off"),
        "fr": (
            "deux jeunes m'ont pris mon téléphone de force",
            "quelqu'un m'a arraché mon sac et s'est enfui",
        ),
        "nl": ("twee jongens pakten met geweld mijn telefoon af", "iemand griste mijn tas weg en rende weg"),
        "it": (
            "due ragazzi mi hanno preso il telefono con la forza",
            "qualcuno mi ha strappato la borsa ed è scappato",
        ),
        "es": (
            "dos chicos me quitaron el móvil a la fuerza",
            "alguien me dio un tirón del bolso y salió corriendo",
        ),
    },
    "nuisance-drugs": {
        "en": ("people are dealing drugs openly", "there is dealing every day"),
        "fr": ("des gens dealent ouvertement", "il y a du trafic tous les jours"),
        "nl": ("er wordt openlijk gedeald", "er wordt elke dag gedeald"),
        "it": ("si spaccia apertamente", "c'è spaccio tutti i giorni"),
        "es": ("hay gente vendiendo droga a la vista", "hay trapicheo a diario"),
    },
    "nuisance-vandalism": {
        "en": ("the bus shelter glass was smashed", "several cars were scratched"),
        "fr": ("la vitre de l'abribus a été brisée", "plusieurs voitures ont été rayées"),
        "nl": ("het glas van het bushokje is ingegooid", "er zijn meerdere auto's bekrast"),
        "it": ("hanno rotto il vetro della pensilina", "diverse auto sono state rigate"),
        "es": ("han roto el cristal de la marquesina", "han rayado varios coches"),
    },
    "nuisance-noise": {
        "en": (
            "loud music and shouting kept the whole street awake",
            "people were shouting and singing for hours",
        ),
        "fr": (
            "la musique forte et les cris ont empêché toute la rue de dormir",
            "des gens ont crié et chanté pendant des heures",
        ),
        "nl": (
            "harde muziek en geschreeuw hielden de hele straat wakker",
            "mensen schreeuwden en zongen urenlang",
        ),
        "it": (
            "musica alta e urla hanno tenuto sveglia tutta la via",
            "la gente ha urlato e cantato per ore",
        ),
        "es": (
            "la música alta y los gritos no dejaron dormir a toda la calle",
            "la gente estuvo gritando y cantando durante horas",
        ),
    },
    "nuisance-drunk": {
        "en": ("a drunk group was fighting and throwing bottles", "drunk people were kicking bins over"),
        "fr": (
            "un groupe ivre se battait et lançait des bouteilles",
            "des personnes ivres renversaient les poubelles",
        ),
        "nl": (
            "een dronken groep was aan het vechten en gooide met flessen",
            "dronken mensen schopten vuilnisbakken om",
        ),
        "it": (
            "un gruppo di ubriachi litigava e lanciava bottiglie",
            "alcuni ubriachi rovesciavano i cassonetti",
        ),
        "es": (
            "un grupo de borrachos se peleaba y tiraba botellas",
            "unos borrachos volcaban los contenedores",
        ),
    },
    "nuisance-dumping": {
        "en": (
            "someone dumped a mattress and building waste",
            "bags of rubbish have been left on the pavement",
        ),
        "fr": (
            "quelqu'un a déposé un matelas et des gravats",
            "des sacs d'ordures ont été laissés sur le trottoir",
        ),
        "nl": (
            "iemand heeft een matras en bouwafval gedumpt",
            "er zijn vuilniszakken op de stoep achtergelaten",
        ),
        "it": (
            "qualcuno ha abbandonato un materasso e calcinacci",
            "hanno lasciato sacchi di spazzatura sul marciapiede",
        ),
        "es": ("alguien ha tirado un colchón y escombros", "han dejado bolsas de basura en la acera"),
    },
    "unsafe-lighting": {
        "en": ("the path is completely dark", "half of the street lights don't work"),
        "fr": ("le chemin est complètement dans le noir", "la moitié des lampadaires ne marche pas"),
        "nl": ("het pad is helemaal donker", "de helft van de lantaarnpalen doet het niet"),
        "it": ("il vialetto è completamente al buio", "metà dei lampioni non funziona"),
        "es": ("el camino está completamente a oscuras", "la mitad de las farolas no funciona"),
    },
    "unsafe-deserted": {
        "en": (
            "there is nobody around and I don't feel safe walking",
            "it is empty and nobody would hear you",
        ),
        "fr": (
            "il n'y a personne et je ne me sens pas en sécurité",
            "c'est désert et personne ne vous entendrait",
        ),
        "nl": ("er is niemand en ik voel me er niet veilig", "het is er verlaten en niemand zou je horen"),
        "it": ("non c'è nessuno e non mi sento al sicuro", "è deserto e nessuno ti sentirebbe"),
        "es": ("no hay nadie y no me siento a salvo", "está vacío y nadie te oiría"),
    },
    "unsafe-groups": {
        "en": ("groups gather and block the way", "people hang around the entrance and make remarks"),
        "fr": (
            "des groupes se rassemblent et bloquent le passage",
            "des gens traînent devant l'entrée et font des remarques",
        ),
        "nl": (
            "er verzamelen zich groepen die de doorgang blokkeren",
            "mensen hangen bij de ingang rond en roepen dingen",
        ),
        "it": (
            "si radunano gruppi che bloccano il passaggio",
            "alcune persone stazionano all'ingresso e fanno commenti",
        ),
        "es": ("se juntan grupos que bloquean el paso", "hay gente en la entrada que suelta comentarios"),
    },
    "unsafe-harassment": {
        "en": ("women are often harassed", "I get stared at and followed"),
        "fr": ("les femmes se font souvent harceler", "on me dévisage et on me suit"),
        "nl": ("vrouwen worden vaak lastiggevallen", "ik word aangestaard en gevolgd"),
        "it": ("le donne vengono spesso molestate", "mi fissano e mi seguono"),
        "es": ("a menudo acosan a las mujeres", "me miran fijamente y me siguen"),
    },
    "unsafe-traffic": {
        "en": ("cars drive far too fast", "there is no safe place to cross"),
        "fr": ("les voitures roulent beaucoup trop vite", "il n'y a aucun endroit sûr pour traverser"),
        "nl": ("auto's rijden veel te hard", "er is geen veilige plek om over te steken"),
        "it": ("le auto vanno troppo veloci", "non c'è un punto sicuro per attraversare"),
        "es": ("los coches van demasiado rápido", "no hay ningún sitio seguro para cruzar"),
    },
    "unsafe-other": {
        "en": ("I don't feel safe", "something about this place scares me"),
        "fr": ("je ne me sens pas en sécurité", "quelque chose dans cet endroit me fait peur"),
        "nl": ("ik voel me niet veilig", "iets aan deze plek maakt me bang"),
        "it": ("non mi sento al sicuro", "qualcosa di questo posto mi fa paura"),
        "es": ("no me siento a salvo", "algo de este sitio me da miedo"),
    },
    "public-space-streetlight": {
        "en": ("the street light is out", "a lamp post keeps flickering"),
        "fr": ("le lampadaire est éteint", "un lampadaire clignote sans arrêt"),
        "nl": ("de lantaarnpaal is uit", "een lantaarnpaal blijft knipperen"),
        "it": ("il lampione è spento", "un lampione continua a lampeggiare"),
        "es": ("la farola está apagada", "una farola no para de parpadear"),
    },
    "public-space-pavement": {
        "en": ("there is a deep hole in the pavement", "loose paving stones are a trip hazard"),
        "fr": ("il y a un trou profond dans le trottoir", "des dalles descellées font trébucher"),
        "nl": ("er zit een diep gat in de stoep", "losse stoeptegels zijn een struikelgevaar"),
        "it": ("c'è una buca profonda nel marciapiede", "le piastrelle sconnesse fanno inciampare"),
        "es": ("hay un agujero profundo en la acera", "hay baldosas sueltas con las que se tropieza"),
    },
    "public-space-vehicle": {
        "en": ("a car without plates has been parked for weeks", "a burnt-out scooter has been left"),
        "fr": ("une voiture sans plaques est garée depuis des semaines", "un scooter brûlé a été abandonné"),
        "nl": ("er staat al weken een auto zonder kenteken", "er is een uitgebrande scooter achtergelaten"),
        "it": ("un'auto senza targa è parcheggiata da settimane", "è stato abbandonato uno scooter bruciato"),
        "es": ("un coche sin matrícula lleva semanas aparcado", "han abandonado una moto quemada"),
    },
}


# --------------------------------------------------------------------------------------------
# Geometry
# --------------------------------------------------------------------------------------------


def _rings(geometry: Mapping[str, Any]) -> list[FloatArray]:
    """Every ring (exteriors and holes) of a GeoJSON Polygon or MultiPolygon as (k, 2) arrays."""
    if geometry["type"] == "Polygon":
        polygons = [geometry["coordinates"]]
    elif geometry["type"] == "MultiPolygon":
        polygons = geometry["coordinates"]
    else:
        raise ValueError(f"District geometry must be a Polygon or MultiPolygon, not {geometry['type']}.")
    return [np.asarray(ring, dtype=np.float64)[:, :2] for polygon in polygons for ring in polygon]


def points_in_geometry(geometry: Mapping[str, Any], lon: FloatArray, lat: FloatArray) -> BoolArray:
    """Whether each (lon, lat) lies inside a GeoJSON Polygon/MultiPolygon, with numpy only.

    Even-odd ray casting over all rings at once, so holes and multipolygons need no special
    case. Points exactly on an edge may fall either way; callers that must be sure (the
    generator) test the rounded coordinates they publish."""
    lon = np.asarray(lon, dtype=np.float64)
    lat = np.asarray(lat, dtype=np.float64)
    inside = np.zeros(lon.shape, dtype=bool)
    for ring in _rings(geometry):
        x1, y1 = ring[:-1, 0], ring[:-1, 1]
        x2, y2 = ring[1:, 0], ring[1:, 1]
        py = lat[:, None]
        crosses = (y1 > py) != (y2 > py)
        with np.errstate(divide="ignore", invalid="ignore"):
            x_at = x1 + (py - y1) * (x2 - x1) / (y2 - y1)
        inside ^= (np.count_nonzero(crosses & (lon[:, None] < x_at), axis=1) % 2).astype(bool)
    return inside


@dataclass
class _Area:
    code: str
    population: float
    nightlife: float
    geometry: Mapping[str, Any]
    bbox: tuple[float, float, float, float]
    fill: float  # share of the bounding box the area covers, to size rejection batches
    prepared: Any = None  # shapely geometry when shapely is installed

    def contains(self, lon: FloatArray, lat: FloatArray) -> BoolArray:
        if self.prepared is not None:
            return np.asarray(shapely.contains_xy(self.prepared, lon, lat), dtype=bool)
        return points_in_geometry(self.geometry, lon, lat)


def _parse_districts(districts: Mapping[str, Any]) -> list[_Area]:
    features = districts.get("features") or []
    if not features:
        raise ValueError("districts must be a GeoJSON FeatureCollection with at least one feature.")
    areas: list[_Area] = []
    for feature in features:
        props = feature.get("properties") or {}
        geometry = feature["geometry"]
        rings = _rings(geometry)
        stacked = np.vstack(rings)
        bbox = (
            float(stacked[:, 0].min()),
            float(stacked[:, 1].min()),
            float(stacked[:, 0].max()),
            float(stacked[:, 1].max()),
        )
        bbox_area = (bbox[2] - bbox[0]) * (bbox[3] - bbox[1])
        prepared = None
        if HAS_SHAPELY:
            prepared = _shapely_shape(geometry)
            shapely.prepare(prepared)
            area = float(prepared.area)
        else:  # shoelace over exterior minus holes is overkill here; the bbox share is only a hint
            area = bbox_area / 2
        code = str(props.get("code") or feature.get("id") or f"D{len(areas) + 1:02d}")
        areas.append(
            _Area(
                code=code,
                population=float(props.get("population") or 1.0),
                nightlife=float(np.clip(props.get("nightlife", 0.3), 0.0, 1.0)),
                geometry=geometry,
                bbox=bbox,
                fill=max(area / bbox_area, 0.05) if bbox_area > 0 else 1.0,
                prepared=prepared,
            )
        )
    return areas


def _uniform_in(area: _Area, k: int, rng: np.random.Generator) -> tuple[FloatArray, FloatArray]:
    """k points uniformly inside the area (rejection sampling in its bounding box), already
    rounded to the 6 decimals we publish and re-tested after rounding."""
    lon_out: list[FloatArray] = []
    lat_out: list[FloatArray] = []
    need = k
    for _ in range(1000):
        if need <= 0:
            break
        m = int(need / area.fill * 1.3) + 16
        lon = np.round(rng.uniform(area.bbox[0], area.bbox[2], m), 6)
        lat = np.round(rng.uniform(area.bbox[1], area.bbox[3], m), 6)
        ok = area.contains(lon, lat)
        lon_out.append(lon[ok][:need])
        lat_out.append(lat[ok][:need])
        need -= min(int(ok.sum()), need)
    else:  # pragma: no cover - only a degenerate (zero-area) polygon gets here
        raise ValueError(f"Could not place points inside district {area.code}; is its polygon empty?")
    return np.concatenate(lon_out), np.concatenate(lat_out)


def _sample_locations(
    rng: np.random.Generator,
    areas: Sequence[_Area],
    district: IntArray,
    hotspot_share: FloatArray,
) -> tuple[FloatArray, FloatArray]:
    """A point inside each report's district: some around a few hotspots per district (a
    square, a station exit), the rest spread uniformly, so hotspot maps have something to find."""
    n = district.size
    lon = np.empty(n)
    lat = np.empty(n)
    use_hotspot = rng.random(n) < hotspot_share
    sigma_lon = _HOTSPOT_SIGMA_M / _M_PER_DEG_LON
    sigma_lat = _HOTSPOT_SIGMA_M / _M_PER_DEG_LAT
    for d, area in enumerate(areas):
        centres_lon, centres_lat = _uniform_in(area, _HOTSPOTS_PER_DISTRICT, rng)
        idx = np.flatnonzero(district == d)
        hot = idx[use_hotspot[idx]]
        pick = rng.integers(0, _HOTSPOTS_PER_DISTRICT, hot.size)
        hot_lon = np.round(centres_lon[pick] + rng.normal(0.0, sigma_lon, hot.size), 6)
        hot_lat = np.round(centres_lat[pick] + rng.normal(0.0, sigma_lat, hot.size), 6)
        inside = area.contains(hot_lon, hot_lat)
        lon[hot[inside]] = hot_lon[inside]
        lat[hot[inside]] = hot_lat[inside]
        spread = np.concatenate([idx[~use_hotspot[idx]], hot[~inside]])
        spread.sort()
        lon[spread], lat[spread] = _uniform_in(area, spread.size, rng)
    return lon, lat


# --------------------------------------------------------------------------------------------
# Time
# --------------------------------------------------------------------------------------------


def _sun_elevation_deg(ts: FloatArray, lat: float = CITY_LAT, lon: float = CITY_LON) -> FloatArray:
    """Solar elevation (degrees) at UNIX times `ts`: the low-precision almanac formulas (about
    0.5 degree), plenty to tell day from night."""
    d = ts / _DAY_S - 10_957.5  # days since J2000.0
    g = np.radians(357.529 + 0.98560028 * d)
    q = 280.459 + 0.98564736 * d
    ecl_lon = np.radians(q + 1.915 * np.sin(g) + 0.020 * np.sin(2 * g))
    obliquity = np.radians(23.439 - 0.00000036 * d)
    right_ascension = np.degrees(np.arctan2(np.cos(obliquity) * np.sin(ecl_lon), np.cos(ecl_lon)))
    declination = np.arcsin(np.sin(obliquity) * np.sin(ecl_lon))
    gmst_deg = (18.697374558 + 24.06570982441908 * d) * 15.0
    hour_angle = np.radians(gmst_deg + lon - right_ascension)
    phi = math.radians(lat)
    sin_elev = math.sin(phi) * np.sin(declination) + math.cos(phi) * np.cos(declination) * np.cos(hour_angle)
    elevation: FloatArray = np.degrees(np.arcsin(np.clip(sin_elev, -1.0, 1.0)))
    return elevation


def _is_dark(ts: FloatArray) -> BoolArray:
    """After civil dusk and before civil dawn: when people say "it was dark"."""
    return _sun_elevation_deg(ts) < _CIVIL_TWILIGHT_DEG


def _utc_offsets(ts: IntArray) -> IntArray:
    """The city's UTC offset (seconds) at each UNIX time. Offsets only change a couple of times
    a year, so it asks the zone database once per day and hour-by-hour only on change days."""
    day0 = ts - ts % _DAY_S
    days = np.unique(day0)

    def offset(t: int) -> int:
        delta = datetime.fromtimestamp(t, CITY_TZ).utcoffset()
        return int(delta.total_seconds()) if delta is not None else 0

    at_start = np.array([offset(int(t)) for t in days], dtype=np.int64)
    at_end = np.array([offset(int(t) + _DAY_S - 1) for t in days], dtype=np.int64)
    out = at_start[np.searchsorted(days, day0)]
    for t, a, b in zip(days, at_start, at_end, strict=True):
        if a != b:
            on_day = np.flatnonzero(day0 == t)
            out[on_day] = [offset(int(x)) for x in ts[on_day]]
    return out


@dataclass(frozen=True)
class _HourGrid:
    """The window cut into UTC hours, each with its local calendar facts."""

    start: IntArray  # UNIX seconds, clipped to the window
    width: IntArray  # seconds of the hour inside the window
    hour: IntArray  # local hour 0..23
    weekday: IntArray  # local weekday, Monday = 0
    evening_weekday: IntArray  # weekday of the evening a small hour belongs to
    doy: IntArray  # local day of year, 1..366
    dark: BoolArray


def _hour_grid(t0: int, t1: int) -> _HourGrid:
    edges = np.arange(t0 - t0 % _HOUR_S, t1, _HOUR_S, dtype=np.int64)
    start = np.maximum(edges, t0)
    width = np.minimum(edges + _HOUR_S, t1) - start
    local = edges + _utc_offsets(edges)
    local_days = local // _DAY_S
    dates = local_days.astype("datetime64[D]")
    doy = (dates - dates.astype("datetime64[Y]")).astype(np.int64) + 1
    return _HourGrid(
        start=start,
        width=width,
        hour=(local % _DAY_S) // _HOUR_S,
        weekday=(local_days + 3) % 7,  # 1970-01-01 was a Thursday
        evening_weekday=((local - 6 * _HOUR_S) // _DAY_S + 3) % 7,
        doy=doy,
        dark=_is_dark((start + width / 2).astype(np.float64)),
    )


def _profile_weights(grid: _HourGrid, profile: _Profile) -> FloatArray:
    weekday = grid.evening_weekday if profile.evening_weekday else grid.weekday
    w = np.asarray(profile.hourly)[grid.hour] * np.asarray(profile.weekday)[weekday]
    if profile.season_amplitude:
        w = w * (
            1 + profile.season_amplitude * np.cos(2 * np.pi * (grid.doy - profile.season_peak_doy) / 365.25)
        )
    if profile.dark_factor != 1.0:
        w = w * np.where(grid.dark, profile.dark_factor, 1.0)
    weights: FloatArray = w * grid.width / _HOUR_S
    return weights


def _sample_times(rng: np.random.Generator, grid: _HourGrid, profile_idx: IntArray) -> IntArray:
    """UNIX seconds for each report, drawn hour by hour from its temporal profile."""
    out = np.empty(profile_idx.size, dtype=np.int64)
    for p, name in enumerate(_PROFILE_NAMES):
        rows = np.flatnonzero(profile_idx == p)
        if rows.size == 0:
            continue
        cum = np.cumsum(_profile_weights(grid, _PROFILES[name]))
        bins = np.searchsorted(cum, rng.random(rows.size) * cum[-1], side="right")
        bins = np.minimum(bins, cum.size - 1)
        out[rows] = grid.start[bins] + (rng.random(rows.size) * grid.width[bins]).astype(np.int64)
    return out


# --------------------------------------------------------------------------------------------
# Categories
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _CategoryLeaf:
    code: str
    main: str
    kind: str
    sensitive: bool
    weight: float
    spec: _Leaf
    names: Mapping[str, str]


def _flatten(categories: Sequence[Mapping[str, Any]]) -> list[_CategoryLeaf]:
    """The sub-categories reports are filed under, with kind and sensitivity inherited from
    their main category unless set, and their share of all reports."""
    leaves: list[_CategoryLeaf] = []
    for main in categories:
        main_code = str(main["code"])
        main_spec = _MAINS.get(main_code, _DEFAULT_MAIN)
        main_kind = str(main.get("kind", "incident"))
        main_sensitive = bool(main.get("sensitive", False))
        children = list(main.get("children") or []) or [main]
        specs = [
            _LEAVES.get(
                str(c["code"]),
                _Leaf(1.0, _DEFAULT_PROFILE_BY_KIND.get(str(c.get("kind", main_kind)), "day")),
            )
            for c in children
        ]
        total = sum(s.weight for s in specs)
        for child, spec in zip(children, specs, strict=True):
            i18n = child.get("i18n") or {}
            leaves.append(
                _CategoryLeaf(
                    code=str(child["code"]),
                    main=main_code,
                    kind=str(child.get("kind") or main_kind),
                    sensitive=bool(child.get("sensitive", False)) or main_sensitive,
                    weight=main_spec.weight * spec.weight / total,
                    spec=spec,
                    names={lang: str(v.get("name", "")) for lang, v in i18n.items()},
                )
            )
    if not leaves:
        raise ValueError("categories must contain at least one category.")
    return leaves


# --------------------------------------------------------------------------------------------
# The generator
# --------------------------------------------------------------------------------------------


def _rows_choice(rng: np.random.Generator, probabilities: FloatArray) -> IntArray:
    """One index per row of a (n, k) matrix of (unnormalised) probabilities."""
    cum = np.cumsum(probabilities, axis=1)
    u = rng.random((probabilities.shape[0], 1)) * cum[:, -1:]
    chosen: IntArray = np.minimum((cum <= u).sum(axis=1), probabilities.shape[1] - 1).astype(np.int64)
    return chosen


def _to_datetime(ts: int) -> datetime:
    return datetime.fromtimestamp(ts, UTC)


def _describe(
    rng: np.random.Generator,
    leaf: _CategoryLeaf,
    lang: str,
    local_hour: int,
    extras_family: str,
) -> str:
    clauses = _CLAUSES.get(leaf.code, {}).get(lang)
    if not clauses:  # a category the demo texts do not know: fall back to its own name
        clauses = ((leaf.names.get(lang) or leaf.names.get("en") or leaf.code).lower(),)
    setting = leaf.spec.setting
    places = _PLACES.get(setting, _PLACES["street"])[lang]
    templates = _TEMPLATES[lang]
    what = clauses[int(rng.integers(len(clauses)))]
    place = places[int(rng.integers(len(places)))]
    when = _around(lang, local_hour) if rng.random() < 0.3 else _WHEN[lang][_PART_OF_DAY[local_hour]]
    extras = _EXTRAS[extras_family][lang]
    extra = extras[int(rng.integers(len(extras)))]
    template = templates[int(rng.integers(len(templates)))]
    text = template.format(what=what, place=place, when=when, When=when[:1].upper() + when[1:], extra=extra)
    text = " ".join(text.split()).replace(" ,", ",").replace(" .", ".")
    return text[:1].upper() + text[1:]


def generate_reports(
    *,
    districts: Mapping[str, Any],
    categories: Sequence[Mapping[str, Any]],
    n: int = 2000,
    start: datetime,
    end: datetime,
    seed: int = 7,
) -> list[Report]:
    """`n` synthetic reports between `start` and `end` (both timezone-aware), as plain dicts
    sorted by `created_at`.

    `end` plays "now": no report is created after it, and a report's status depends on its
    age at `end`. Each dict holds: category (a sub-category code), kind, occurred_at and
    created_at (aware UTC datetimes, created_at >= occurred_at), lat, lon (inside the
    district, 6 decimals), district (its code), location_precision_m, description, language,
    consent (police, victim_support, social_services, city, contact, public_statistics),
    anonymous, status, and safety_score / reasons / day_night, which are set for "unsafe"
    (feeling) reports and None for the others.
    """
    if start.tzinfo is None or start.utcoffset() is None or end.tzinfo is None or end.utcoffset() is None:
        raise ValueError("start and end must be timezone-aware datetimes (for example with tzinfo=UTC).")
    if end <= start:
        raise ValueError("end must be later than start.")
    if n < 0:
        raise ValueError("n must be zero or more.")
    areas = _parse_districts(districts)
    leaves = _flatten(categories)
    if n == 0:
        return []
    rng = np.random.default_rng(seed)
    t0, t1 = math.ceil(start.timestamp()), math.floor(end.timestamp())
    if t1 <= t0:
        raise ValueError("The window between start and end must be at least one second long.")

    # What: the category, then where (district) and which temporal pattern it follows.
    leaf_p = np.array([leaf.weight for leaf in leaves])
    leaf_idx = rng.choice(len(leaves), size=n, p=leaf_p / leaf_p.sum())
    population = np.array([a.population for a in areas])
    nightlife = np.array([a.nightlife for a in areas])
    affinity = np.array([leaf.spec.nightlife_affinity for leaf in leaves])
    district_p = population[None, :] * np.exp(affinity[:, None] * nightlife[None, :])
    district = _rows_choice(rng, district_p[leaf_idx])

    profile_index = {name: i for i, name in enumerate(_PROFILE_NAMES)}
    base_profile = np.array([profile_index[leaf.spec.profile] for leaf in leaves])
    night_profile = np.array([profile_index[leaf.spec.night_profile or leaf.spec.profile] for leaf in leaves])
    has_night = np.array([leaf.spec.night_profile is not None for leaf in leaves])
    p_night = np.where(has_night[leaf_idx], np.clip(0.25 + 0.65 * nightlife[district], 0.0, 1.0), 0.0)
    profile_idx = np.where(rng.random(n) < p_night, night_profile[leaf_idx], base_profile[leaf_idx])

    # When it happened, and when it was reported: log-normal delays, longer and with a
    # heavier tail for sensitive reports, which people often file days later.
    grid = _hour_grid(t0, t1)
    occurred = _sample_times(rng, grid, profile_idx)
    sensitive = np.array([leaf.sensitive for leaf in leaves])[leaf_idx]
    mains = [_MAINS.get(leaf.main, _DEFAULT_MAIN) for leaf in leaves]
    median_min = np.array([m.delay_median_min for m in mains])[leaf_idx]
    sigma = np.where(sensitive, 1.6, 1.1)
    delay_s = np.clip(median_min * 60 * np.exp(sigma * rng.standard_normal(n)), 120, 60 * _DAY_S)
    created = occurred + delay_s.astype(np.int64)
    late = created > t1
    created[late] = occurred[late] + (rng.random(int(late.sum())) * (t1 - occurred[late])).astype(np.int64)

    # Where exactly.
    hotspot = np.array([leaf.spec.hotspot_share for leaf in leaves])[leaf_idx]
    lon, lat = _sample_locations(rng, areas, district, hotspot)
    precision_family = np.where(
        sensitive,
        "sensitive",
        np.where(np.array([lf.kind == "cyber" for lf in leaves])[leaf_idx], "business", "default"),
    )
    precision = np.empty(n, dtype=np.int64)
    for family, p in _PRECISION_P.items():
        rows = np.flatnonzero(precision_family == family)
        precision[rows] = rng.choice(_PRECISIONS_M, size=rows.size, p=p)

    # Who may see it: a third share with nobody but the statistics; sensitive reports go to
    # victim support far more often than to the police.
    anonymous = rng.random(n) < np.array([m.anonymous for m in mains])[leaf_idx]
    stats_only = rng.random(n) < np.array([m.stats_only for m in mains])[leaf_idx]
    share_p = np.array([m.share for m in mains])[leaf_idx]
    shares = (rng.random((n, 4)) < share_p) & ~stats_only[:, None]
    nobody = ~stats_only & ~shares.any(axis=1)
    shares[nobody, share_p[nobody].argmax(axis=1)] = True
    contact = ~stats_only & (rng.random(n) < np.where(anonymous, 0.3, 0.85))
    public_statistics = stats_only | (rng.random(n) < 0.93)

    # Where it stands now.
    age_days = (t1 - created) / _DAY_S
    status_p = np.asarray(_STATUS_P)[np.searchsorted(_STATUS_AGE_EDGES_D, age_days, side="right")]
    status = _rows_choice(rng, status_p)

    # The reporter's language, and feelings-of-insecurity details.
    language = rng.choice(len(LANGUAGES), size=n, p=np.asarray(_LANGUAGE_WEIGHTS))
    dark_at = _is_dark(occurred.astype(np.float64))
    score_p = np.where(
        dark_at[:, None], np.asarray(_UNSAFE_SCORE_P[True]), np.asarray(_UNSAFE_SCORE_P[False])
    )
    safety_score = _rows_choice(rng, score_p) + 1
    reason_p = np.full((n, len(UNSAFE_REASONS)), 0.15)
    reason_p[:, 0] = np.where(dark_at, 0.45, 0.1)  # lighting
    reason_p[:, 1] = np.where(dark_at, 0.3, 0.15)  # deserted
    extra_reasons = rng.random((n, len(UNSAFE_REASONS))) < reason_p
    local_hour = ((occurred + _utc_offsets(occurred)) % _DAY_S) // _HOUR_S

    reports: list[Report] = []
    for i in range(n):
        leaf = leaves[int(leaf_idx[i])]
        lang = LANGUAGES[int(language[i])]
        is_unsafe = leaf.kind == "feeling"
        reasons: list[str] | None = None
        if is_unsafe:
            own = leaf.code.removeprefix(f"{leaf.main}-")
            reasons = [r for j, r in enumerate(UNSAFE_REASONS) if r == own or extra_reasons[i, j]]
            if not reasons:
                reasons = ["other"]
        reports.append(
            {
                "category": leaf.code,
                "kind": leaf.kind,
                "occurred_at": _to_datetime(int(occurred[i])),
                "created_at": _to_datetime(int(created[i])),
                "lat": float(lat[i]),
                "lon": float(lon[i]),
                "district": areas[int(district[i])].code,
                "location_precision_m": int(precision[i]),
                "description": _describe(rng, leaf, lang, int(local_hour[i]), mains[int(leaf_idx[i])].extras),
                "language": lang,
                "consent": {
                    "police": bool(shares[i, 0]),
                    "victim_support": bool(shares[i, 1]),
                    "social_services": bool(shares[i, 2]),
                    "city": bool(shares[i, 3]),
                    "contact": bool(contact[i]),
                    "public_statistics": bool(public_statistics[i]),
                },
                "anonymous": bool(anonymous[i]),
                "status": STATUSES[int(status[i])],
                "safety_score": int(safety_score[i]) if is_unsafe else None,
                "reasons": reasons,
                "day_night": ("night" if dark_at[i] else "day") if is_unsafe else None,
            }
        )
    reports.sort(key=lambda r: (r["created_at"], r["occurred_at"], r["category"]))
    return reports


# --------------------------------------------------------------------------------------------
# Command line: JSON lines on stdout, so the verbs of the toolkit can be chained
# --------------------------------------------------------------------------------------------


def _json_default(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m streetlight.demo.generator -n 2000 --days 365 > reports.jsonl`"""
    parser = argparse.ArgumentParser(description="Write synthetic Portavera reports as JSON lines.")
    parser.add_argument("-n", type=int, default=2000, help="number of reports (default 2000)")
    parser.add_argument("--days", type=int, default=365, help="length of the window ending now (default 365)")
    parser.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    args = parser.parse_args(argv)
    end = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    reports = generate_reports(
        districts=load_districts(),
        categories=load_categories(),
        n=args.n,
        start=end - timedelta(days=args.days),
        end=end,
        seed=args.seed,
    )
    for report in reports:
        sys.stdout.write(json.dumps(report, ensure_ascii=False, default=_json_default) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
