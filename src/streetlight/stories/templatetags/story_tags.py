"""The story section of the reporter's follow-up page, included there in one line."""

from __future__ import annotations

from typing import Any

from django import template

from streetlight.reports.models import Report

from .. import selectors

register = template.Library()


@register.inclusion_tag("stories/_followup.html", takes_context=True)
def story_section(context: dict[str, Any], report: Report) -> dict[str, Any]:
    """On the follow-up page (opened by its token): the link to share a story, or where it stands."""
    request = context["request"]
    return {
        "story": selectors.story_of(report=report),
        "token": request.resolver_match.kwargs.get("token", ""),
    }
