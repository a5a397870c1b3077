from django.urls import path

from . import audit_log, data_requests, views

app_name = "control"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("rows/<int:report_id>/", views.row, name="row"),
    path("reports/<int:report_id>/", views.report_detail, name="report"),
    path("reports/<int:report_id>/status/", views.report_status, name="status"),
    path("reports/<int:report_id>/reply/", views.report_reply, name="reply"),
    path("reports/<int:report_id>/categories/", views.report_categories, name="categories"),
    path("reports/<int:report_id>/note/", views.report_note, name="note"),
    path("reports/<int:report_id>/contact/", views.report_contact, name="contact"),
    path("reports/<int:report_id>/merge/", views.report_merge, name="merge"),
    path("reports/<int:report_id>/assignment/", views.assignment_change, name="assignment"),
    path("reports/<int:report_id>/agency/", views.assign_agency, name="assign_agency"),
    path("bulk/", views.bulk, name="bulk"),
    path("export.csv", views.export_csv, name="export"),
    path("reports/<int:report_id>/split/", views.report_split, name="split"),
    path("cases/", views.case_create, name="case_create"),
    path("cases/<int:case_id>/", views.case_detail, name="case"),
    path("cases/<int:case_id>/note/", views.case_note, name="case_note"),
    path("data-requests/", data_requests.data_requests, name="data_requests"),
    path("data-requests/export/", data_requests.data_request_export, name="data_request_export"),
    path("data-requests/erase/", data_requests.data_request_erase, name="data_request_erase"),
    path("audit/", audit_log.audit_log, name="audit"),
]
