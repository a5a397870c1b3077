from django.urls import path

from . import control_views

app_name = "alerts_control"

urlpatterns = [
    path("", control_views.alert_list, name="list"),
    path("new/", control_views.alert_new, name="new"),
    path("<int:pk>/", control_views.alert_detail, name="detail"),
    path("<int:pk>/update/", control_views.alert_update, name="update"),
    path("<int:pk>/cancel/", control_views.alert_cancel, name="cancel"),
    path("<int:pk>/edxl.xml", control_views.alert_edxl, name="edxl"),
]
