"""`generate_reports`: draws what, where, when, who may see it and how it stands, then words it."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import numpy as np

from .city import DAY_S, HOUR_S, FloatArray, IntArray, Report
from .clock import hour_grid, is_dark, sample_times, utc_offsets
from .profiles import (
    DEFAULT_MAIN,
    LANGUAGE_WEIGHTS,
    LANGUAGES,
    MAINS,
    PRECISION_P,
    PRECISIONS_M,
    PROFILE_NAMES,
    STATUS_AGE_EDGES_D,
    STATUS_P,
    STATUSES,
    UNSAFE_REASONS,
    UNSAFE_SCORE_P,
    flatten,
)
from .space import parse_districts, sample_locations
from .text import describe


def _rows_choice(rng: np.random.Generator, probabilities: FloatArray) -> IntArray:
    """One index per row of a (n, k) matrix of (unnormalised) probabilities."""
    cum = np.cumsum(probabilities, axis=1)
    u = rng.random((probabilities.shape[0], 1)) * cum[:, -1:]
    chosen: IntArray = np.minimum((cum <= u).sum(axis=1), probabilities.shape[1] - 1).astype(np.int64)
    return chosen


def _to_datetime(ts: int) -> datetime:
    return datetime.fromtimestamp(ts, UTC)


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
    areas = parse_districts(districts)
    leaves = flatten(categories)
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

    profile_index = {name: i for i, name in enumerate(PROFILE_NAMES)}
    base_profile = np.array([profile_index[leaf.spec.profile] for leaf in leaves])
    night_profile = np.array([profile_index[leaf.spec.night_profile or leaf.spec.profile] for leaf in leaves])
    has_night = np.array([leaf.spec.night_profile is not None for leaf in leaves])
    p_night = np.where(has_night[leaf_idx], np.clip(0.25 + 0.65 * nightlife[district], 0.0, 1.0), 0.0)
    profile_idx = np.where(rng.random(n) < p_night, night_profile[leaf_idx], base_profile[leaf_idx])

    # When it happened, and when it was reported: log-normal delays, longer and with a
    # heavier tail for sensitive reports, which people often file days later.
    grid = hour_grid(t0, t1)
    occurred = sample_times(rng, grid, profile_idx)
    sensitive = np.array([leaf.sensitive for leaf in leaves])[leaf_idx]
    mains = [MAINS.get(leaf.main, DEFAULT_MAIN) for leaf in leaves]
    median_min = np.array([m.delay_median_min for m in mains])[leaf_idx]
    sigma = np.where(sensitive, 1.6, 1.1)
    delay_s = np.clip(median_min * 60 * np.exp(sigma * rng.standard_normal(n)), 120, 60 * DAY_S)
    created = occurred + delay_s.astype(np.int64)
    late = created > t1
    created[late] = occurred[late] + (rng.random(int(late.sum())) * (t1 - occurred[late])).astype(np.int64)

    # Where exactly.
    hotspot = np.array([leaf.spec.hotspot_share for leaf in leaves])[leaf_idx]
    lon, lat = sample_locations(rng, areas, district, hotspot)
    precision_family = np.where(
        sensitive,
        "sensitive",
        np.where(np.array([lf.kind == "cyber" for lf in leaves])[leaf_idx], "business", "default"),
    )
    precision = np.empty(n, dtype=np.int64)
    for family, p in PRECISION_P.items():
        rows = np.flatnonzero(precision_family == family)
        precision[rows] = rng.choice(PRECISIONS_M, size=rows.size, p=p)

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
    age_days = (t1 - created) / DAY_S
    status_p = np.asarray(STATUS_P)[np.searchsorted(STATUS_AGE_EDGES_D, age_days, side="right")]
    status = _rows_choice(rng, status_p)

    # The reporter's language, and feelings-of-insecurity details.
    language = rng.choice(len(LANGUAGES), size=n, p=np.asarray(LANGUAGE_WEIGHTS))
    dark_at = is_dark(occurred.astype("datetime64[s]"))
    score_p = np.where(dark_at[:, None], np.asarray(UNSAFE_SCORE_P[True]), np.asarray(UNSAFE_SCORE_P[False]))
    safety_score = _rows_choice(rng, score_p) + 1
    reason_p = np.full((n, len(UNSAFE_REASONS)), 0.15)
    reason_p[:, 0] = np.where(dark_at, 0.45, 0.1)  # lighting
    reason_p[:, 1] = np.where(dark_at, 0.3, 0.15)  # deserted
    extra_reasons = rng.random((n, len(UNSAFE_REASONS))) < reason_p
    local_hour = ((occurred + utc_offsets(occurred)) % DAY_S) // HOUR_S

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
                "description": describe(rng, leaf, lang, int(local_hour[i]), mains[int(leaf_idx[i])].extras),
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
