"""The audit log for supervisors and city administrators: who did what, when and from where,
filtered and paged, with the state of the hash chain on top. Thin: parse, call the audit selectors,
render.

Reading the log is deliberately not itself audited: every page view would append entries to the
very log being read, and the entries a supervisor filters for would drown in records of looking
at them. Access is limited by role instead, and the page's content is never cached."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from streetlight.audit.selectors import audit_chain_status, audit_entry_list_visible_to, may_view_audit

PAGE_SIZE = 50


class AuditFilterForm(forms.Form):
    action = forms.CharField(label=_("Action"), required=False, max_length=64, help_text=_("e.g. report. for all"))
    actor = forms.CharField(label=_("Who"), required=False, max_length=150, help_text=_("user name"))
    target = forms.CharField(label=_("About"), required=False, max_length=130, help_text=_("e.g. reports.report:12"))
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end date is before the start date."))
        return cleaned


@login_required
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    """Invalid filters give the form back with its errors and no entries, never an unfiltered list."""
    if not may_view_audit(user=request.user):
        raise PermissionDenied
    form = AuditFilterForm(request.GET)
    page = None
    if form.is_valid():
        entries = audit_entry_list_visible_to(
            user=request.user,
            action=form.cleaned_data["action"],
            actor=form.cleaned_data["actor"],
            target=form.cleaned_data["target"],
            since=form.cleaned_data["since"],
            until=form.cleaned_data["until"],
        )
        page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "status": audit_chain_status()}
    response = render(request, "control/audit_log.html", context, status=200 if page is not None else 400)
    response["Cache-Control"] = "no-store"
    return response
