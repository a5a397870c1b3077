from django.urls import path

from . import views

app_name = "companion"

urlpatterns = [
    path("", views.start, name="start"),
    path("privacy/", views.privacy, name="privacy"),
    path("watch/<str:token>/", views.watch, name="watch"),
    path("watch/<str:token>/state", views.watch_state, name="watch_state"),
    path("<str:token>/", views.walk_page, name="walk"),
    path("<str:token>/position", views.position, name="position"),
    path("<str:token>/extend", views.extend, name="extend"),
    path("<str:token>/arrived", views.arrived, name="arrived"),
    path("<str:token>/end", views.end, name="end"),
    path("<str:token>/alert", views.alert, name="alert"),
]
