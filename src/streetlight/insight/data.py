"""Reports as numpy arrays for the analysis screens: the one place that decides which reports may be
counted (the reporter allowed statistics; merged duplicates count once) and which fields leave the
database — never a description, never contact details."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import numpy as np
import numpy.typing as npt
from django.utils import timezone
from django.utils.translation import gettext as _

from streetlight.reports.models import Report

MAX_DAYS = 3 * 366


class BadFilter(ValueError):
    """A query parameter that cannot be used; `errors` maps the field to the reason."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


@dataclass(frozen=True)
class Filters:
    since: date
    until: date  # inclusive
    category: str = ""  # a main category code, or "" for all
    day_night: str = ""  # "", "day" or "night"

    @classmethod
    def from_query(cls, query: Any, *, today: date | None = None) -> Filters:
        today = today or timezone.localdate()
        errors: dict[str, str] = {}

        def day(name: str, default: date) -> date:
            raw = (query.get(name) or "").strip()
            if not raw:
                return default
            try:
                return date.fromisoformat(raw if len(raw) > 7 else raw + "-01")
            except ValueError:
                errors[name] = _("Use a date like 2026-05-31 or a month like 2026-05.")
                return default

        until = day("to", today)
        since = day("from", until - timedelta(days=364))
        day_night = (query.get("daynight") or "").strip()
        if day_night not in ("", "day", "night"):
            errors["daynight"] = _("Choose day, night or both.")
        if since > until:
            errors["from"] = _("The start must be before the end.")
        elif (until - since).days > MAX_DAYS:
            errors["from"] = _("Choose at most three years at a time.")
        if errors:
            raise BadFilter(errors)
        return cls(since=since, until=until, category=(query.get("category") or "").strip()[:64], day_night=day_night)

    @property
    def start(self) -> datetime:
        return datetime.combine(self.since, time.min, tzinfo=timezone.get_current_timezone())

    @property
    def end(self) -> datetime:
        return datetime.combine(self.until + timedelta(days=1), time.min, tzinfo=timezone.get_current_timezone())


@dataclass(frozen=True)
class ReportArrays:
    lat: npt.NDArray[np.float64]  # NaN when the report has no point
    lon: npt.NDArray[np.float64]
    when: npt.NDArray[np.datetime64]  # UTC
    main: npt.NDArray[Any]  # main category code
    leaf: npt.NDArray[Any]
    kind: npt.NDArray[Any]
    sensitive: npt.NDArray[np.bool_]
    area: npt.NDArray[Any]  # area code, "" when none
    safety: npt.NDArray[np.float64]  # feeling score 1–5, NaN when none
    police: npt.NDArray[np.bool_]  # the reporter chose to inform the police
    handed_over: npt.NDArray[np.bool_]  # the police recorded it formally (complaints: a police reference)

    def __len__(self) -> int:
        return int(self.lat.size)

    def where(self, mask: npt.NDArray[np.bool_]) -> ReportArrays:
        return ReportArrays(**{name: getattr(self, name)[mask] for name in self.__dataclass_fields__})


def countable() -> Any:
    """Reports statistics may count: the reporter did not opt out, and a merged duplicate is
    counted once, in the report it was merged into."""
    return Report.objects.filter(public_statistics=True).exclude(status="merged")


def report_arrays(filters: Filters, *, by_received: bool = False) -> ReportArrays:
    """The countable reports of the period, by the date of the event — or, `by_received`, by the date
    Streetlight received them, merged duplicates included: a period already past then never changes,
    which open data needs (two releases that differ by one report would reveal it)."""
    if by_received:
        qs = Report.objects.filter(public_statistics=True, created_at__gte=filters.start, created_at__lt=filters.end)
    else:
        qs = countable().filter(occurred_from__gte=filters.start, occurred_from__lt=filters.end)
    if filters.category:
        qs = qs.filter(category__parent__code=filters.category)
    rows = list(
        qs.values_list(
            "lat",
            "lon",
            "created_at" if by_received else "occurred_from",
            "category__parent__code",
            "category__code",
            "kind",
            "category__parent__sensitive",
            "area__code",
            "safety_score",
            "share_police",
            "complaint__recorded_at",
        )
    )
    n = len(rows)
    columns: list[Any] = list(zip(*rows, strict=True)) if rows else [() for _ in range(11)]

    def floats(values: Any) -> npt.NDArray[np.float64]:
        return np.array([np.nan if v is None else float(v) for v in values], dtype=float)

    arrays = ReportArrays(
        lat=floats(columns[0]),
        lon=floats(columns[1]),
        when=np.array([v.astimezone(UTC).replace(tzinfo=None) for v in columns[2]], dtype="datetime64[s]").reshape(n),
        main=np.array(columns[3], dtype=object).reshape(n),
        leaf=np.array(columns[4], dtype=object).reshape(n),
        kind=np.array(columns[5], dtype=object).reshape(n),
        sensitive=np.array(columns[6], dtype=bool).reshape(n),
        area=np.array([v or "" for v in columns[7]], dtype=object).reshape(n),
        safety=floats(columns[8]),
        police=np.array(columns[9], dtype=bool).reshape(n),
        handed_over=np.array([v is not None for v in columns[10]], dtype=bool).reshape(n),
    )
    if filters.day_night and n:
        from streetlight.toolkit.geo.aggregate import night_mask

        night = night_mask(arrays.when, arrays.lat, arrays.lon)
        arrays = arrays.where(night == (1 if filters.day_night == "night" else 0))
    return arrays
