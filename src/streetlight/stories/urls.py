"""The public wall at stories/, and the reporter's story by follow-up token at f/<token>/story/."""

from django.urls import path

from . import views

app_name = "stories"

urlpatterns = [
    path("stories/", views.wall, name="wall"),
    path("stories/feed.atom", views.feed, name="feed"),
    path("stories/stories.csv", views.export, {"fmt": "csv"}, name="export_csv"),
    path("stories/stories.json", views.export, {"fmt": "json"}, name="export_json"),
    path("stories/<str:public_id>/", views.detail, name="detail"),
    path("stories/<str:public_id>/me-too/", views.me_too, name="me_too"),
    path("f/<str:token>/story/", views.story_page, name="mine"),
    path("f/<str:token>/story/withdraw/", views.story_withdraw, name="withdraw"),
]
