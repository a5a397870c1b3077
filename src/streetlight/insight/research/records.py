"""The reports a research package counts, read once, as plain arrays of what the tables need.

Same reports as open data (`data.report_arrays(by_received=True)` and `open_data.by_area`): the
authors allowed statistics, received in the window (city time; merged duplicates included, so a
finished period never changes), placed in an area. Never a description, a position or a time leaves
this module: only the district, month, main category, kind, day or night of the event, and whether
the author told the police.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, replace
from datetime import UTC, date
from typing import Any

import numpy as np
import numpy.typing as npt
from django.utils import timezone

from streetlight.reports.enums import Kind
from streetlight.reports.models import Area, Category, Report
from streetlight.toolkit.geo.aggregate import night_mask

from ..data import Filters

PLACES = ("day", "night", "none")  # "none": the report has no point, so no day or night of its own


@dataclass(frozen=True)
class Catalogue:
    """What anyone can know without the data: the areas, their districts, the main categories and
    the kinds each can have (the public catalogue)."""

    districts: dict[str, str]  # area code → its district's code
    mains: list[str]
    kinds: list[str]
    category_kinds: set[tuple[str, str]]

    @property
    def district_codes(self) -> list[str]:
        return sorted(set(self.districts.values()))

    def areas_of(self, district: str) -> set[str]:
        return {code for code, d in self.districts.items() if d == district}


@dataclass(frozen=True)
class Records:
    area: npt.NDArray[Any]  # the report's own area code
    district: npt.NDArray[Any]
    month: npt.NDArray[Any]  # "YYYY-MM", received, city time
    main: npt.NDArray[Any]
    kind: npt.NDArray[Any]
    place: npt.NDArray[Any]  # one of PLACES: day or night at the event's time and place
    police: npt.NDArray[np.bool_]  # the author chose to tell the police
    synthetic: int  # generated demo reports among them

    def __len__(self) -> int:
        return int(self.area.size)

    def where(self, mask: npt.NDArray[np.bool_]) -> Records:
        """The records where `mask` holds (`synthetic` stays the whole window's)."""
        names = ("area", "district", "month", "main", "kind", "place", "police")
        return replace(self, **{name: getattr(self, name)[mask] for name in names})

    def digest(self, *extra: Any) -> str:
        """Changes exactly when a published figure could: the records' values, counted (never which
        report has which), and whatever else is passed (k, the generator's version)."""
        combos = Counter(
            zip(
                *(a.tolist() for a in (self.area, self.month, self.main, self.kind, self.place, self.police)),
                strict=True,
            )
        )
        text = repr((sorted(combos.items(), key=repr), self.synthetic, extra))
        return hashlib.sha256(text.encode()).hexdigest()


def districts() -> dict[str, str]:
    """Each area's district: itself for a district, else its nearest ancestor that is one."""
    rows = {code: (level, parent) for code, level, parent in Area.objects.values_list("code", "level", "parent__code")}

    def district(code: str) -> str:
        seen: set[str] = set()
        while code in rows and rows[code][0] != "district" and rows[code][1] and code not in seen:
            seen.add(code)
            code = str(rows[code][1])
        return code

    return {code: district(code) for code in rows}


def catalogue() -> Catalogue:
    mains = sorted(Category.objects.filter(parent__isnull=True).values_list("code", flat=True))
    pairs = {(str(c), str(k)) for c, k in Category.objects.filter(parent__isnull=True).values_list("code", "kind")}
    pairs |= {
        (str(p), str(k)) for p, k in Category.objects.filter(parent__isnull=False).values_list("parent__code", "kind")
    }
    return Catalogue(districts(), mains, list(Kind.values), pairs)


def load_records(since: date, until: date, areas: dict[str, str]) -> Records:
    window = Filters(since=since, until=until)
    rows = list(
        Report.objects.filter(
            public_statistics=True, created_at__gte=window.start, created_at__lt=window.end, area__isnull=False,
            category__parent__isnull=False,
        ).values_list("created_at", "occurred_from", "lat", "lon", "category__parent__code", "kind", "area__code",
                      "share_police", "source")
    )  # fmt: skip
    n = len(rows)
    cols: list[Any] = list(zip(*rows, strict=True)) if rows else [() for _ in range(9)]
    lat = np.array([np.nan if v is None else float(v) for v in cols[2]], dtype=float)
    lon = np.array([np.nan if v is None else float(v) for v in cols[3]], dtype=float)
    event = np.array(
        [v.astimezone(UTC).replace(tzinfo=None) if v else np.datetime64("NaT") for v in cols[1]], dtype="datetime64[s]"
    ).reshape(n)
    has_point = ~np.isnan(lat) & ~np.isnan(lon) & ~np.isnat(event)
    night = np.full(n, -1, dtype=np.int8)
    if has_point.any():
        night[has_point] = night_mask(event[has_point], lat[has_point], lon[has_point])
    place = np.array(PLACES, dtype=object)[np.where(night < 0, 2, night)]
    area = np.array(cols[6], dtype=object).reshape(n)
    return Records(
        area=area,
        district=np.array([areas.get(a, a) for a in area.tolist()], dtype=object).reshape(n),
        month=np.array([f"{timezone.localtime(v):%Y-%m}" for v in cols[0]], dtype=object).reshape(n),
        main=np.array(cols[4], dtype=object).reshape(n),
        kind=np.array(cols[5], dtype=object).reshape(n),
        place=place.reshape(n),
        police=np.array(cols[7], dtype=bool).reshape(n),
        synthetic=sum(1 for s in cols[8] if s == "demo"),
    )
