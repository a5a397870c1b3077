"""The policy report for a council meeting: key figures for an area (or the whole city) and a period,
what changed since the period before, a map, the monthly trend and the method notes — as printable
HTML, and as PDF through WeasyPrint."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np
from django.conf import settings
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from streetlight.reports.models import Area

from . import dashboard
from .data import BadFilter, Filters, ReportArrays, report_arrays


@dataclass(frozen=True)
class Change:
    category: str
    before: int
    now: int

    @property
    def difference(self) -> int:
        return self.now - self.before


@dataclass(frozen=True)
class PolicyReport:
    area: Area | None
    filters: Filters
    previous: Filters
    total: int
    previous_total: int
    crimes: int
    feelings: int
    not_told_police: float | None
    changes: list[Change]
    areas: list[dashboard.AreaRow]
    trend_svg: str  # data: URI, so the HTML file stands alone and prints the same
    map_svg: str
    dark: dashboard.DarkNumberView | None


def _previous(filters: Filters) -> Filters:
    length = (filters.until - filters.since).days + 1
    until = filters.since - timedelta(days=1)
    return Filters(since=until - timedelta(days=length - 1), until=until, category=filters.category)


def _in_area(arrays: ReportArrays, area: Area | None) -> ReportArrays:
    return arrays if area is None else arrays.where(arrays.area == area.code)


def _data_uri(svg: bytes) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode()


def policy_report(*, area_code: str, since: date, until: date) -> PolicyReport:
    """Raises BadFilter naming the field when the area is unknown or the period is not valid."""
    from . import charts  # matplotlib, loaded by the first policy report rather than by every web process

    area = None
    if area_code:
        area = Area.objects.filter(code=area_code).first()
        if area is None:
            raise BadFilter({"area": _("No area has the code %(code)s.") % {"code": area_code}})
    filters = Filters.from_query({"from": since.isoformat(), "to": until.isoformat()})
    previous = _previous(filters)
    everywhere = report_arrays(filters)
    now = _in_area(everywhere, area)
    before = _in_area(report_arrays(previous), area)
    now_counts, before_counts = dashboard.category_counts(now), dashboard.category_counts(before)
    changes = sorted(
        (Change(name, before_counts.get(name, 0), now_counts.get(name, 0)) for name in now_counts | before_counts),
        key=lambda c: (-abs(c.difference), c.category),
    )
    crimes = now.kind == "crime"
    trend = dashboard.trend(now, filters)
    rows = dashboard.area_rows(everywhere, filters)
    return PolicyReport(
        area=area,
        filters=filters,
        previous=previous,
        total=len(now),
        previous_total=len(before),
        crimes=int(crimes.sum()),
        feelings=int((~np.isnan(now.safety)).sum()),
        not_told_police=float((~now.police[crimes]).mean()) if crimes.sum() >= dashboard.INTERNAL_MIN else None,
        changes=changes,
        areas=rows,
        trend_svg=_data_uri(
            charts.trend_chart(trend, title=_("Reports per month and main category"), ylabel=_("reports"), fmt="svg")
        ),
        dark=dashboard.dark_number(now, filters),
        map_svg=_data_uri(
            charts.area_map(
                {a.code: a.geometry for a in Area.objects.all()},
                {row.code: row.reports for row in rows},
                highlight=area.code if area else None,
                title=_("Reports per area"),
            )
        ),
    )


def render_html(
    report: PolicyReport, *, context: dict[str, Any] | None = None, request: HttpRequest | None = None
) -> str:
    """A standalone page (styles and pictures inside); with a request, its CSP nonce is applied."""
    return render_to_string(
        "insight/policy_report.html",
        {"r": report, "city_name": settings.STREETLIGHT["CITY_NAME"], **(context or {})},
        request=request,
    )


def render_pdf(html: str) -> bytes:
    """WeasyPrint is imported here only: it is heavy, and only this needs it."""
    from weasyprint import HTML

    return bytes(HTML(string=html).write_pdf())
