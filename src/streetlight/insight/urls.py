from django.urls import path

from . import views
from .forecasting import views as calendar_views

app_name = "insight"

urlpatterns = [
    path("transparency/", views.transparency, name="transparency"),
    path("open-data/", views.open_data_page, name="open_data"),
    path("open-data/research.zip", views.research_zip, name="research_zip"),
    path("insight/", views.insight, name="dashboard"),
    path("insight/cells.geojson", views.cells, name="cells"),
    path("insight/hotspots.geojson", views.hotspots, name="hotspots"),
    path("insight/density.geojson", views.density, name="density"),
    path("insight/flashpoints.geojson", views.flashpoints, name="flashpoints"),
    path("insight/trend.svg", views.trend, {"fmt": "svg"}, name="trend_svg"),
    path("insight/trend.png", views.trend, {"fmt": "png"}, name="trend_png"),
    path("insight/trend.csv", views.trend, {"fmt": "csv"}, name="trend_csv"),
    path("insight/areas.csv", views.areas_csv, name="areas_csv"),
    path("insight/areas.geojson", views.areas_geojson, name="areas_geojson"),
    path("insight/categories.svg", views.categories, {"fmt": "svg"}, name="categories_svg"),
    path("insight/categories.png", views.categories, {"fmt": "png"}, name="categories_png"),
    path("insight/categories.csv", views.categories, {"fmt": "csv"}, name="categories_csv"),
    path("insight/calendar/", calendar_views.calendar_page, name="calendar"),
    path("insight/calendar/rules/", calendar_views.rules_edit, name="calendar_rules"),
    path("insight/calendar/import/", calendar_views.calendar_import, name="calendar_import"),
    path("insight/calendar/events/new/", calendar_views.entry_edit, {"kind": "events"}, name="calendar_events_add"),
    path(
        "insight/calendar/events/<int:entry_id>/",
        calendar_views.entry_edit,
        {"kind": "events"},
        name="calendar_events_edit",
    ),
    path(
        "insight/calendar/events/<int:entry_id>/delete/",
        calendar_views.entry_delete,
        {"kind": "events"},
        name="calendar_events_delete",
    ),
    path("insight/calendar/venues/new/", calendar_views.entry_edit, {"kind": "venues"}, name="calendar_venues_add"),
    path(
        "insight/calendar/venues/<int:entry_id>/",
        calendar_views.entry_edit,
        {"kind": "venues"},
        name="calendar_venues_edit",
    ),
    path(
        "insight/calendar/venues/<int:entry_id>/delete/",
        calendar_views.entry_delete,
        {"kind": "venues"},
        name="calendar_venues_delete",
    ),
    path("insight/report/", views.policy_html, name="policy"),
    path("insight/report.pdf", views.policy_pdf, name="policy_pdf"),
]
