"""The police's side, mounted at control/reports/<report_id>/complaint/."""

from django.urls import path

from . import views

app_name = "complaints"

urlpatterns = [
    path("complaint.pdf", views.complaint_pdf, name="pdf"),
    path("complaint.json", views.complaint_json, name="json"),
    path("reference/", views.reference_record, name="reference"),
]
