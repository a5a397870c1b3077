from django.urls import path

from . import views

app_name = "insight"

urlpatterns = [
    path("transparency/", views.transparency, name="transparency"),
    path("open-data/", views.open_data_page, name="open_data"),
    path("insight/", views.insight, name="dashboard"),
    path("insight/cells.geojson", views.cells, name="cells"),
    path("insight/hotspots.geojson", views.hotspots, name="hotspots"),
    path("insight/flashpoints.geojson", views.flashpoints, name="flashpoints"),
    path("insight/trend.svg", views.trend, {"fmt": "svg"}, name="trend_svg"),
    path("insight/trend.png", views.trend, {"fmt": "png"}, name="trend_png"),
    path("insight/trend.csv", views.trend, {"fmt": "csv"}, name="trend_csv"),
    path("insight/areas.csv", views.areas_csv, name="areas_csv"),
    path("insight/areas.geojson", views.areas_geojson, name="areas_geojson"),
    path("insight/categories.svg", views.categories, {"fmt": "svg"}, name="categories_svg"),
    path("insight/categories.png", views.categories, {"fmt": "png"}, name="categories_png"),
    path("insight/categories.csv", views.categories, {"fmt": "csv"}, name="categories_csv"),
    path("insight/report/", views.policy_html, name="policy"),
    path("insight/report.pdf", views.policy_pdf, name="policy_pdf"),
]
