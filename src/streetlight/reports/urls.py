from django.urls import path

from . import rights_views, views

app_name = "reports"

urlpatterns = [
    path("", views.home, name="home"),
    path("report/", views.report_new, name="new"),
    path("unsafe/", views.unsafe_new, name="unsafe"),
    path("report/done/", views.report_done, name="done"),
    path("followup/", views.followup_lookup, name="followup_lookup"),
    path("f/<str:token>/", views.followup, name="followup"),
    path("f/<str:token>/rate/", views.followup_rate, name="followup_rate"),
    path("f/<str:token>/reopen/", views.followup_reopen, name="followup_reopen"),
    path("f/<str:token>/download/", rights_views.followup_download, name="followup_download"),
    path("f/<str:token>/erase/", rights_views.followup_erase, name="followup_erase"),
    path("followup/erased/", rights_views.followup_erased, name="followup_erased"),
]
