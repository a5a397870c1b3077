from django.urls import path

from . import control_views

app_name = "feeds_control"

urlpatterns = [
    path("", control_views.signal_list, name="list"),
    path("open", control_views.signal_list_open, name="open"),
    path("<int:signal_id>/dismiss", control_views.signal_dismiss, name="dismiss"),
    path("<int:signal_id>/promote", control_views.signal_promote, name="promote"),
]
