from django.urls import path

from . import views

app_name = "insight"

urlpatterns = [
    path("transparency/", views.transparency, name="transparency"),
]
