"""Public pages about what Streetlight does with reports, and the analysts' dashboard. Thin: parse,
call a selector, render."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_page
from django.views.decorators.http import require_GET

from streetlight.feeds.selectors import public_sources
from streetlight.toolkit.formats import write_rows
from streetlight.toolkit.geo import h3_polygon

from . import dashboard, forecasting, open_data, policy, private_release, research, selectors
from .data import BadFilter, Filters, report_arrays
from .models import Forecast


@cache_page(300)  # counts for the public: a few minutes old is fine, and the page stays cheap
def transparency(request: HttpRequest) -> HttpResponse:
    return render(request, "insight/transparency.html", {"t": selectors.transparency(), "feeds": public_sources()})


View = Callable[..., HttpResponse]


def analysts_only(view: View) -> View:
    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not selectors.may_analyse(user=request.user):
            return render(request, "insight/forbidden.html", status=403)
        try:
            return view(request, *args, **kwargs)
        except BadFilter as exc:
            if request.path.endswith("/"):  # a page: shown again with the errors
                return render(request, "insight/dashboard.html", _page(request, None, exc.errors), status=400)
            return JsonResponse({"errors": exc.errors}, status=400)

    return wrapped


def _page(request: HttpRequest, filters: Filters | None, errors: dict[str, str] | None = None) -> dict[str, Any]:
    arrays = report_arrays(filters) if filters else None
    return {
        "filters": filters,
        "errors": errors or {},
        "query": request.GET.urlencode(),
        "categories": dashboard.main_category_names(),
        "areas": dashboard.area_rows(arrays, filters) if arrays is not None else [],
        "dark": dashboard.dark_number(arrays, filters) if arrays is not None and filters else None,
        "forecasts": forecasting.forecasts_shown(),
        "research": [(q, *open_data.quarter_bounds(q)) for q in open_data.quarters_available()],
        "total": len(arrays) if arrays is not None else 0,
        "resolutions": dashboard.CELL_RESOLUTIONS,
        "min_count": dashboard.INTERNAL_MIN,
    }


@analysts_only
def insight(request: HttpRequest) -> HttpResponse:
    filters = Filters.from_query(request.GET)
    return render(request, "insight/dashboard.html", _page(request, filters))


def _resolution(request: HttpRequest) -> int:
    raw = request.GET.get("res", "8")
    if not raw.isdigit() or int(raw) not in dashboard.CELL_RESOLUTIONS:
        raise BadFilter({"res": _("Choose a cell size of 7, 8 or 9.")})
    return int(raw)


@analysts_only
def cells(request: HttpRequest) -> HttpResponse:
    filters = Filters.from_query(request.GET)
    layer = dashboard.cell_layer(report_arrays(filters), resolution=_resolution(request))
    return JsonResponse(layer, content_type="application/geo+json")


def _csv(rows: list[dict[str, Any]], filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    write_rows(rows, response, "csv")  # type: ignore[arg-type]
    return response


@analysts_only
def trend(request: HttpRequest, fmt: str) -> HttpResponse:
    filters = Filters.from_query(request.GET)
    result = dashboard.trend(report_arrays(filters), filters)
    if fmt == "csv":
        return _csv(result.rows(), "reports-per-month.csv")
    from . import charts  # matplotlib loads with the first chart, not with every web process

    image = charts.trend_chart(
        result,
        title=_("Reports per month and main category"),
        ylabel=_("reports"),
        fmt="svg" if fmt == "svg" else "png",
    )
    response = HttpResponse(image, content_type="image/svg+xml" if fmt == "svg" else "image/png")
    if request.GET.get("download"):
        response["Content-Disposition"] = f'attachment; filename="reports-per-month.{fmt}"'
    return response


@analysts_only
def areas_csv(request: HttpRequest) -> HttpResponse:
    filters = Filters.from_query(request.GET)
    rows = dashboard.area_rows(report_arrays(filters), filters)
    return _csv([row.__dict__ for row in rows], "areas.csv")


def _report(request: HttpRequest) -> policy.PolicyReport:
    filters = Filters.from_query(request.GET)
    return policy.policy_report(area_code=request.GET.get("area", ""), since=filters.since, until=filters.until)


@analysts_only
def policy_html(request: HttpRequest) -> HttpResponse:
    report = _report(request)
    pdf_url = reverse("insight:policy_pdf") + "?" + request.GET.urlencode()
    return HttpResponse(policy.render_html(report, context={"pdf_url": pdf_url}, request=request))


@analysts_only
def policy_pdf(request: HttpRequest) -> HttpResponse:
    pdf = policy.render_pdf(policy.render_html(_report(request)))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="safety-report.pdf"'
    return response


@cache_page(300)
def open_data_page(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "insight/open_data.html",
        {
            "quarters": open_data.quarters_available(),
            "research": [(q, *open_data.quarter_bounds(q)) for q in open_data.quarters_available()],
            "min_count": selectors.min_count(),
            "privacy": private_release.ledger(),
        },
    )


@require_GET
def research_zip(request: HttpRequest) -> HttpResponse:
    """The research data package of one finished quarter (?from=first day&to=last day). Public: its
    tables are suppressed together and against the open data (research.package). Anyone may have the
    quarters the open-data page lists; analysts any finished quarter. Built once per quarter and
    version of its data (research.cache), so no request can make the server work for a period of
    its choosing. 400 naming the parameter; 404 when the quarter has no report."""
    public = not selectors.may_analyse(user=request.user)
    try:
        since, until = research.quarter_window(request.GET.get("from", ""), request.GET.get("to", ""), public=public)
        filename, data = research.cached_zip(since=since, until=until)
    except research.NoData as exc:
        return JsonResponse({"errors": exc.errors}, status=404)
    except BadFilter as exc:
        return JsonResponse({"errors": exc.errors}, status=400)
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "max-age=3600"
    return response


@analysts_only
def hotspots(request: HttpRequest) -> HttpResponse:
    filters = Filters.from_query(request.GET)
    layer = dashboard.hotspot_layer(report_arrays(filters), resolution=_resolution(request))
    return JsonResponse(layer, content_type="application/geo+json")


def _bandwidth(request: HttpRequest) -> float | None:
    """The density layer's kernel bandwidth in metres; None (Scott's rule) when not given."""
    raw = request.GET.get("bandwidth", "").strip()
    if not raw:
        return None
    low, high = dashboard.BANDWIDTH_RANGE_M
    try:
        value = float(raw)
    except ValueError:
        value = float("nan")
    if not low <= value <= high:  # NaN and infinity fail too
        raise BadFilter(
            {"bandwidth": _("Choose a bandwidth of %(low)d to %(high)d metres.") % {"low": low, "high": high}}
        )
    return value


@analysts_only
def density(request: HttpRequest) -> HttpResponse:
    filters = Filters.from_query(request.GET)
    layer = dashboard.density_layer(
        report_arrays(filters), resolution=_resolution(request), bandwidth_m=_bandwidth(request)
    )
    return JsonResponse(layer, content_type="application/geo+json")


@analysts_only
def flashpoints(request: HttpRequest) -> HttpResponse:
    horizon = request.GET.get("window", Forecast.Horizon.DAY)
    if horizon not in Forecast.Horizon.values:
        raise BadFilter({"window": _("Choose the forecast for tomorrow (day) or the next weekend (weekend).")})
    forecast = forecasting.forecasts_shown().get(horizon)
    features = []
    if forecast is not None:
        features = [
            {"type": "Feature", "geometry": h3_polygon(c["cell"]), "properties": {"cell": c["cell"], "risk": c["risk"]}}
            for c in forecast.cells
        ]
    layer = {
        "type": "FeatureCollection",
        "features": features,
        "properties": {
            "window": horizon,
            "window_start": forecast.window_start.isoformat() if forecast else None,
            "window_end": forecast.window_end.isoformat() if forecast else None,
        },
    }
    return JsonResponse(layer, content_type="application/geo+json")


@analysts_only
def areas_geojson(request: HttpRequest) -> HttpResponse:
    filters = Filters.from_query(request.GET)
    return JsonResponse(dashboard.area_layer(report_arrays(filters), filters), content_type="application/geo+json")


@analysts_only
def categories(request: HttpRequest, fmt: str) -> HttpResponse:
    counts = dashboard.category_counts(report_arrays(Filters.from_query(request.GET)))
    if fmt == "csv":
        return _csv([{"category": name, "reports": n} for name, n in counts.items()], "reports-per-category.csv")
    from . import charts

    image = charts.bar_chart(
        counts, title=_("Reports per main category"), xlabel=_("reports"), fmt="svg" if fmt == "svg" else "png"
    )
    response = HttpResponse(image, content_type="image/svg+xml" if fmt == "svg" else "image/png")
    if request.GET.get("download"):
        response["Content-Disposition"] = f'attachment; filename="reports-per-category.{fmt}"'
    return response
