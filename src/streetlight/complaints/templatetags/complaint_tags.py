"""The complaint panels other apps' pages include in one line."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings

from streetlight.reports.models import Report

from .. import selectors

register = template.Library()


@register.inclusion_tag("complaints/_panel.html", takes_context=True)
def complaint_panel(context: dict[str, Any], report: Report) -> dict[str, Any]:
    """On the control room's report page: only for members of the police agency working it."""
    user = context["request"].user
    police = selectors.police_agency_for(user=user, report=report) is not None
    return {
        "police": police,
        "report": report,
        "complaint": selectors.complaint_of(report=report) if police else None,
        "languages": settings.LANGUAGES,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("complaints/_consent.html", takes_context=True)
def complaint_consent(context: dict[str, Any], report: Report) -> dict[str, Any]:
    """On the reporter's follow-up page (opened by its token)."""
    request = context["request"]
    return {
        "report": report,
        "complaint": selectors.complaint_of(report=report),
        "token": request.resolver_match.kwargs.get("token", ""),
        "csrf_token": context.get("csrf_token"),
    }
