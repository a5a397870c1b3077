"""The patterns: how often each category is reported, at which hours, days and seasons, how
quickly, with whom it is shared, and what becomes of it.

Relative weights from the criminology of urban insecurity (see the package docstring); each
sub-category of the shipped tree has a `Leaf`, each main category a `Main`, and a category the
tables do not know falls back to a default by its kind, so any city's tree can be used.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

LANGUAGES: Final[tuple[str, ...]] = ("en", "it", "fr", "nl", "es")
LANGUAGE_WEIGHTS: Final[tuple[float, ...]] = (0.40, 0.27, 0.14, 0.11, 0.08)
STATUSES: Final[tuple[str, ...]] = ("received", "in_progress", "resolved", "closed")
UNSAFE_REASONS: Final[tuple[str, ...]] = ("lighting", "deserted", "groups", "harassment", "traffic", "other")
SHARE_KEYS: Final[tuple[str, ...]] = ("police", "victim_support", "social_services", "city")  # Main.share
PRECISIONS_M: Final[tuple[int, ...]] = (5, 10, 25, 50, 100, 250, 500)


@dataclass(frozen=True)
class Profile:
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
PROFILES: Final[dict[str, Profile]] = {
    "nightlife": Profile(
        hourly=(9, 8, 6.5, 4, 2, 0.8, 0.4, 0.4, 0.5, 0.6, 0.7, 0.8,
                1, 1, 1, 1.1, 1.3, 1.6, 2, 2.5, 3.2, 4.5, 6.5, 8.5),
        weekday=(0.55, 0.55, 0.7, 1.0, 2.0, 2.3, 0.8),
        evening_weekday=True,
        season_amplitude=0.12,
        season_peak_doy=195,
    ),
    "street": Profile(
        hourly=(0.6, 0.4, 0.3, 0.2, 0.2, 0.3, 0.8, 1.8, 2.6, 2.0, 1.8, 2.0,
                2.3, 2.2, 2.0, 2.2, 2.8, 3.2, 3.2, 2.8, 2.2, 1.8, 1.4, 1.0),
        weekday=(1.0, 1.0, 1.0, 1.0, 1.15, 1.3, 0.9),
    ),
    "evening": Profile(
        hourly=(1.6, 1.2, 0.8, 0.5, 0.3, 0.3, 0.4, 0.7, 0.9, 0.9, 0.9, 1.0,
                1.1, 1.1, 1.1, 1.2, 1.5, 1.9, 2.3, 2.6, 2.7, 2.6, 2.3, 2.0),
        weekday=(0.9, 0.9, 0.95, 1.0, 1.2, 1.3, 1.0),
        evening_weekday=True,
        dark_factor=1.3,
    ),
    "burglary": Profile(
        hourly=(0.4, 0.3, 0.3, 0.3, 0.3, 0.3, 0.4, 0.7, 1.4, 2.0, 2.3, 2.3,
                2.0, 1.9, 2.0, 2.1, 2.3, 2.6, 2.6, 1.8, 1.0, 0.7, 0.5, 0.4),
        weekday=(1.2, 1.2, 1.2, 1.2, 1.1, 0.65, 0.55),
        season_amplitude=0.15,
        season_peak_doy=355,
    ),
    "office": Profile(
        hourly=(0.1, 0.05, 0.05, 0.05, 0.05, 0.1, 0.2, 0.6, 2.2, 3.0, 3.0, 2.8,
                1.8, 2.2, 2.6, 2.5, 2.2, 1.6, 0.8, 0.5, 0.4, 0.3, 0.2, 0.15),
        weekday=(1.2, 1.1, 1.05, 1.05, 1.0, 0.15, 0.08),
    ),
    "dark": Profile(
        hourly=(1.6, 1.0, 0.6, 0.4, 0.3, 0.4, 0.8, 1.2, 1.0, 0.7, 0.6, 0.6,
                0.7, 0.7, 0.8, 1.0, 1.4, 2.2, 2.8, 3.0, 3.0, 2.8, 2.4, 2.0),
        weekday=(1.0, 1.0, 1.0, 1.0, 1.1, 1.15, 0.9),
        season_amplitude=0.25,
        season_peak_doy=15,
        dark_factor=2.5,
    ),
    "bike": Profile(
        hourly=(0.3, 0.3, 0.2, 0.2, 0.2, 0.3, 0.6, 1.2, 1.8, 1.6, 1.4, 1.5,
                1.7, 1.7, 1.6, 1.7, 2.0, 2.3, 2.3, 2.0, 1.6, 1.2, 0.8, 0.5),
        season_amplitude=0.35,
        season_peak_doy=200,
    ),
    "crowd": Profile(
        hourly=(0.4, 0.3, 0.2, 0.1, 0.1, 0.2, 0.5, 1.5, 2.2, 1.8, 1.8, 2.2,
                2.6, 2.5, 2.3, 2.4, 2.8, 3.0, 2.8, 2.3, 1.8, 1.3, 0.9, 0.6),
        weekday=(0.9, 0.9, 0.95, 1.0, 1.15, 1.4, 1.0),
        season_amplitude=0.2,
        season_peak_doy=205,
    ),
    "shop": Profile(
        hourly=(0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.1, 0.4, 1.0, 1.8, 2.2, 2.4,
                2.2, 1.8, 2.0, 2.4, 2.8, 3.0, 2.8, 2.0, 0.8, 0.2, 0.1, 0.05),
        weekday=(1.0, 1.0, 1.0, 1.0, 1.1, 1.4, 0.2),
        season_amplitude=0.12,
        season_peak_doy=350,
    ),
    "vehicle": Profile(
        hourly=(2.2, 2.4, 2.4, 2.2, 1.8, 1.2, 0.8, 0.7, 0.7, 0.6, 0.6, 0.6,
                0.6, 0.6, 0.6, 0.7, 0.8, 0.9, 1.0, 1.2, 1.4, 1.6, 1.8, 2.0),
        season_amplitude=0.1,
        season_peak_doy=200,
    ),
    "domestic": Profile(
        hourly=(1.8, 1.5, 1.1, 0.8, 0.5, 0.4, 0.5, 0.7, 0.8, 0.8, 0.8, 0.9,
                1.0, 1.0, 1.0, 1.1, 1.3, 1.6, 2.0, 2.4, 2.6, 2.6, 2.4, 2.1),
        weekday=(0.9, 0.9, 0.9, 0.9, 1.0, 1.3, 1.35),
        evening_weekday=True,
        season_amplitude=0.1,
        season_peak_doy=360,
    ),
    "day": Profile(
        hourly=(0.2, 0.1, 0.1, 0.1, 0.1, 0.2, 0.6, 1.5, 2.2, 2.4, 2.3, 2.2,
                1.9, 1.9, 2.1, 2.1, 2.0, 1.9, 1.6, 1.2, 0.9, 0.6, 0.4, 0.3),
        weekday=(1.1, 1.05, 1.0, 1.0, 1.0, 0.85, 0.7),
    ),
    "online": Profile(
        hourly=(0.9, 0.6, 0.4, 0.3, 0.2, 0.2, 0.4, 0.8, 1.1, 1.1, 1.1, 1.1,
                1.2, 1.2, 1.1, 1.1, 1.2, 1.4, 1.6, 1.8, 2.0, 2.1, 1.9, 1.4),
    ),
    "lamp": Profile(
        hourly=(0.8, 0.4, 0.2, 0.1, 0.1, 0.3, 1.0, 1.2, 1.0, 0.8, 0.7, 0.7,
                0.7, 0.7, 0.8, 1.0, 1.4, 2.2, 2.8, 3.0, 2.8, 2.4, 1.8, 1.2),
        dark_factor=4.0,
    ),
}
# fmt: on

PROFILE_NAMES: Final[tuple[str, ...]] = tuple(PROFILES)


@dataclass(frozen=True)
class Main:
    """Per main category: how common, how quickly reported, who it is shared with."""

    weight: float
    delay_median_min: float
    stats_only: float
    share: tuple[float, float, float, float]  # police, victim_support, social_services, city
    anonymous: float
    extras: str


MAINS: Final[dict[str, Main]] = {
    "hate": Main(0.06, 1440, 0.15, (0.30, 0.80, 0.10, 0.30), 0.68, "personal"),
    "harassment": Main(0.09, 600, 0.15, (0.28, 0.78, 0.08, 0.35), 0.68, "personal"),
    "gender-violence": Main(0.06, 4320, 0.15, (0.28, 0.85, 0.30, 0.05), 0.68, "personal"),
    "violence": Main(0.08, 180, 0.25, (0.80, 0.50, 0.06, 0.15), 0.62, "personal"),
    "theft": Main(0.21, 240, 0.32, (0.85, 0.15, 0.02, 0.12), 0.62, "theft"),
    "cyber-business": Main(0.06, 600, 0.25, (0.60, 0.05, 0.0, 0.75), 0.35, "business"),
    "nuisance": Main(0.17, 25, 0.42, (0.55, 0.02, 0.15, 0.75), 0.62, "nuisance"),
    "unsafe": Main(0.16, 180, 0.75, (0.35, 0.05, 0.10, 0.85), 0.62, "feeling"),
    "public-space": Main(0.11, 90, 0.03, (0.04, 0.0, 0.01, 0.98), 0.45, "public"),
}
DEFAULT_MAIN: Final[Main] = Main(0.05, 240, 0.3, (0.5, 0.2, 0.05, 0.5), 0.6, "personal")


@dataclass(frozen=True)
class Leaf:
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


_NIGHTLIFE_LEAF: Final[dict[str, Any]] = {
    "night_profile": "nightlife",
    "nightlife_affinity": 2.2,
    "hotspot_share": 0.55,
}
LEAVES: Final[dict[str, Leaf]] = {
    "hate-verbal": Leaf(0.45, "street", **_NIGHTLIFE_LEAF),
    "hate-physical": Leaf(0.15, "evening", **_NIGHTLIFE_LEAF),
    "hate-graffiti": Leaf(0.20, "day"),
    "hate-online": Leaf(0.20, "online", nightlife_affinity=0.0, hotspot_share=0.0, setting="online"),
    "harassment-comments": Leaf(0.45, "street", **_NIGHTLIFE_LEAF),
    "harassment-following": Leaf(0.20, "evening", **_NIGHTLIFE_LEAF),
    "harassment-exposure": Leaf(0.10, "day", hotspot_share=0.2),
    "harassment-touching": Leaf(0.25, "street", **_NIGHTLIFE_LEAF),
    "gender-violence-domestic": Leaf(0.55, "domestic", nightlife_affinity=0.0, hotspot_share=0.05, setting="home"),
    "gender-violence-sexual": Leaf(0.20, "evening", **_NIGHTLIFE_LEAF),
    "gender-violence-stalking": Leaf(0.25, "day", nightlife_affinity=0.0, hotspot_share=0.05, setting="none"),
    "violence-assault": Leaf(0.45, "evening", **_NIGHTLIFE_LEAF),
    "violence-threats": Leaf(0.30, "evening"),
    "violence-robbery": Leaf(0.25, "evening", **_NIGHTLIFE_LEAF),
    "theft-bike": Leaf(0.30, "bike", nightlife_affinity=0.8),
    "theft-pickpocket": Leaf(0.25, "crowd", nightlife_affinity=1.6, hotspot_share=0.6),
    "theft-burglary": Leaf(0.20, "burglary", nightlife_affinity=-1.2, hotspot_share=0.1, setting="none"),
    "theft-vehicle": Leaf(0.15, "vehicle", nightlife_affinity=0.0, hotspot_share=0.15),
    "theft-shoplifting": Leaf(0.10, "shop", nightlife_affinity=1.2, hotspot_share=0.5, setting="business"),
    "cyber-business-phishing": Leaf(0.40, "office", nightlife_affinity=1.0, setting="none"),
    "cyber-business-ransomware": Leaf(0.10, "office", nightlife_affinity=1.0, setting="none"),
    "cyber-business-invoice": Leaf(0.20, "office", nightlife_affinity=1.0, setting="none"),
    "cyber-business-fake-orders": Leaf(0.18, "office", nightlife_affinity=1.0, setting="none"),
    "cyber-business-data-leak": Leaf(0.12, "office", nightlife_affinity=1.0, setting="none"),
    "nuisance-drugs": Leaf(0.20, "evening", **_NIGHTLIFE_LEAF),
    "nuisance-vandalism": Leaf(0.20, "evening", **_NIGHTLIFE_LEAF),
    "nuisance-noise": Leaf(0.30, "evening", **_NIGHTLIFE_LEAF),
    "nuisance-drunk": Leaf(0.15, "evening", **_NIGHTLIFE_LEAF),
    "nuisance-dumping": Leaf(0.15, "day", nightlife_affinity=-0.3, hotspot_share=0.2),
    "unsafe-lighting": Leaf(0.25, "dark", nightlife_affinity=0.0),
    "unsafe-deserted": Leaf(0.20, "dark", nightlife_affinity=-0.5),
    "unsafe-groups": Leaf(0.20, "dark", nightlife_affinity=1.0, hotspot_share=0.45),
    "unsafe-harassment": Leaf(0.15, "dark", nightlife_affinity=1.2, hotspot_share=0.45),
    "unsafe-traffic": Leaf(0.12, "day", nightlife_affinity=0.3),
    "unsafe-other": Leaf(0.08, "dark"),
    "public-space-streetlight": Leaf(0.35, "lamp", nightlife_affinity=0.0, hotspot_share=0.1),
    "public-space-pavement": Leaf(0.45, "day", nightlife_affinity=0.0, hotspot_share=0.1),
    "public-space-vehicle": Leaf(0.20, "day", nightlife_affinity=-0.3, hotspot_share=0.1),
}
DEFAULT_PROFILE_BY_KIND: Final[dict[str, str]] = {
    "crime": "street",
    "incident": "day",
    "feeling": "dark",
    "cyber": "office",
}

# Age of a report (days before `end`) -> probabilities of received/in_progress/resolved/closed.
STATUS_AGE_EDGES_D: Final[tuple[float, ...]] = (1.0, 7.0, 30.0, 90.0)
STATUS_P: Final[tuple[tuple[float, float, float, float], ...]] = (
    (0.65, 0.30, 0.04, 0.01),
    (0.25, 0.45, 0.20, 0.10),
    (0.06, 0.30, 0.40, 0.24),
    (0.02, 0.12, 0.48, 0.38),
    (0.01, 0.04, 0.50, 0.45),
)
PRECISION_P: Final[dict[str, tuple[float, ...]]] = {
    "default": (0.10, 0.25, 0.25, 0.20, 0.12, 0.06, 0.02),
    "sensitive": (0.03, 0.10, 0.15, 0.17, 0.20, 0.20, 0.15),
    "business": (0.15, 0.35, 0.30, 0.15, 0.05, 0.0, 0.0),
}
UNSAFE_SCORE_P: Final[dict[bool, tuple[float, ...]]] = {  # keyed by "after dark"; scores 1..5
    True: (0.30, 0.35, 0.25, 0.08, 0.02),
    False: (0.12, 0.28, 0.35, 0.18, 0.07),
}


# --------------------------------------------------------------------------------------------
# A city's category tree, flattened to the sub-categories reports are filed under
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CategoryLeaf:
    code: str
    main: str
    kind: str
    sensitive: bool
    weight: float
    spec: Leaf
    names: Mapping[str, str]


def flatten(categories: Sequence[Mapping[str, Any]]) -> list[CategoryLeaf]:
    """The sub-categories reports are filed under, with kind and sensitivity inherited from
    their main category unless set, and their share of all reports."""
    leaves: list[CategoryLeaf] = []
    for main in categories:
        main_code = str(main["code"])
        main_spec = MAINS.get(main_code, DEFAULT_MAIN)
        main_kind = str(main.get("kind", "incident"))
        main_sensitive = bool(main.get("sensitive", False))
        children = list(main.get("children") or []) or [main]
        specs = [
            LEAVES.get(
                str(c["code"]),
                Leaf(1.0, DEFAULT_PROFILE_BY_KIND.get(str(c.get("kind", main_kind)), "day")),
            )
            for c in children
        ]
        total = sum(s.weight for s in specs)
        for child, spec in zip(children, specs, strict=True):
            i18n = child.get("i18n") or {}
            leaves.append(
                CategoryLeaf(
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
