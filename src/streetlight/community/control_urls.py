"""Coordinator screens of the business community, mounted at /control/community/."""

from django.urls import path

from .views import control

app_name = "community_control"

urlpatterns = [
    path("", control.index, name="index"),
    path("<int:community_id>/", control.community, name="community"),
    path("<int:community_id>/businesses/<int:business_id>/approve/", control.business_approve, name="approve"),
    path("<int:community_id>/businesses/<int:business_id>/remove/", control.business_remove, name="remove"),
    path("<int:community_id>/warnings/new/", control.warning_new, name="warning_new"),
    path("<int:community_id>/warnings/<int:warning_id>/", control.warning, name="warning"),
    path("<int:community_id>/drills/new/", control.drill_new, name="drill_new"),
    path("<int:community_id>/drills/<int:drill_id>/", control.drill, name="drill"),
    path("<int:community_id>/drills/<int:drill_id>/start/", control.drill_start, name="drill_start"),
    path("<int:community_id>/drills/<int:drill_id>/close/", control.drill_close, name="drill_close"),
    path("<int:community_id>/drills/<int:drill_id>/summary.csv", control.drill_csv, name="drill_csv"),
]
