from django.urls import path

from . import views

app_name = "feeds"

urlpatterns = [
    path("<int:source_id>/push", views.push, name="push"),
]
