from django.urls import path

from . import views

app_name = "nightwalks"

urlpatterns = [
    path("", views.home, name="home"),
    path("audit/", views.audit_new, name="audit"),
    path("join/", views.join, name="join"),
    path("w/<str:code>/", views.walk_audit, name="walk_audit"),
    path("thanks/", views.thanks, name="thanks"),
    path("map/", views.night_map, name="map"),
    path("map.geojson", views.night_map_geojson, name="map_geojson"),
    path("organise/", views.organise, name="organise"),
    path("organise/<int:walk_id>/", views.walk_summary, name="walk_summary"),
    path("organise/<int:walk_id>/close/", views.walk_close, name="walk_close"),
    path("organise/<int:walk_id>/code/", views.walk_new_code, name="walk_new_code"),
    path("organise/<int:walk_id>/photos/<int:photo_id>/", views.walk_photo, name="walk_photo"),
]
