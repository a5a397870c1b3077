from django.urls import path

from . import views

app_name = "triage"

urlpatterns = [
    path("", views.models, name="models"),
    path("train/", views.train, name="train"),
    path("<int:model_id>/", views.model_detail, name="model"),
    path("<int:model_id>/activate/", views.activate, name="activate"),
]
