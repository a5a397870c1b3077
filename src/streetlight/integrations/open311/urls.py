"""Open311 GeoReport v2 under /open311/v2/: every resource ends in .json or .xml."""

from django.urls import URLPattern, re_path

from . import http, views

app_name = "open311"

FMT = r"\.(?P<fmt>[A-Za-z0-9]{1,10})$"

urlpatterns: list[URLPattern] = [
    re_path(rf"^discovery{FMT}", views.discovery, name="discovery"),
    re_path(rf"^services{FMT}", views.service_list, name="services"),
    re_path(rf"^services/(?P<service_code>[^/]+?){FMT}", views.service_definition, name="service"),
    re_path(rf"^requests{FMT}", views.requests, name="requests"),
    re_path(rf"^requests/(?P<service_request_id>[^/]+?){FMT}", views.request_detail, name="request"),
    re_path(rf"^tokens/(?P<token>[^/]+?){FMT}", views.token, name="token"),
    re_path(rf"^servicerequestupdates{FMT}", views.service_request_updates, name="updates"),
    re_path(r"^(?P<path>(?s:.*))$", http.not_found),  # (?s): a path with a newline is ours too
]
