from django.urls import path

from . import views

app_name = "alerts"

urlpatterns = [
    path("", views.alert_list, name="list"),
    path("feed.atom", views.alert_feed, name="feed"),
    path("<str:identifier>.xml", views.alert_cap, name="cap"),
    path("<str:identifier>/", views.alert_detail, name="detail"),
]
