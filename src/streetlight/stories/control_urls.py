"""The moderation queue, mounted at control/stories/."""

from django.urls import path

from . import control_views

app_name = "stories_control"

urlpatterns = [
    path("", control_views.queue, name="queue"),
    path("<int:pk>/", control_views.detail, name="detail"),
    path("<int:pk>/edit/", control_views.edit, name="edit"),
    path("<int:pk>/approve/", control_views.approve, name="approve"),
    path("<int:pk>/reject/", control_views.reject, name="reject"),
]
