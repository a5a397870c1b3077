"""The moderation queue, mounted at control/stories/: only moderators (selectors.may_moderate) reach
it; they see a story's text, category, district, month and language — never the report behind it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from streetlight.accounts.decorators import staff_allowed, staff_user
from streetlight.accounts.models import User
from streetlight.triage.presenters import REDACTION_LABELS

from . import redaction, selectors, services
from .errors import StoryRefused
from .forms import ModerationForm, RejectForm
from .models import MAX_LENGTH, Story, StoryStatus

QUEUE_PAGE = 50
LISTS = (StoryStatus.SUBMITTED, StoryStatus.APPROVED, StoryStatus.REJECTED)


def _may_moderate(user: User | AnonymousUser) -> bool:
    return selectors.may_moderate(user=user)


# City administrators and supervisors of victim support and city departments; anyone else signed in
# gets a 403 page.
moderators_only = staff_allowed(_may_moderate, forbidden="stories/control/forbidden.html")


def _not_found(request: HttpRequest) -> HttpResponse:
    return render(request, "stories/control/not_found.html", status=404)


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


@moderators_only
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status") or StoryStatus.SUBMITTED
    if status not in LISTS:
        problem = {"parameter": "status", "message": _("Choose one of the lists offered.")}
        return render(request, "stories/control/bad_parameter.html", problem, status=400)
    page = Paginator(selectors.moderation_list(status=status), QUEUE_PAGE).get_page(request.GET.get("page"))
    counts = selectors.moderation_counts()
    context: dict[str, Any] = {
        "page": page,
        "status": status,
        "lists": [(value, StoryStatus(value).label, counts[value]) for value in LISTS],
    }
    return _no_store(render(request, "stories/control/queue.html", context))


def _detail_page(
    request: HttpRequest,
    story: Story,
    *,
    form: ModerationForm | None = None,
    reject_form: RejectForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "story": story,
        "segments": [
            (part.text, REDACTION_LABELS[part.kind] if part.kind else None)
            for part in redaction.segments(story.original_text)
        ],
        "found": [REDACTION_LABELS[kind] for kind in redaction.left_in(story.original_text)],
        "form": form or ModerationForm(initial={"text": story.final_text or story.suggested_text}),
        "reject_form": reject_form or RejectForm(),
        "max_length": number_format(MAX_LENGTH, force_grouping=True),
        "saved": request.GET.get("saved", ""),
    }
    return _no_store(render(request, "stories/control/detail.html", context, status=status))


@moderators_only
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        story = selectors.story_for_moderation(pk=pk)
    except StoryRefused:
        return _not_found(request)
    return _detail_page(request, story)


def _act(
    request: HttpRequest,
    pk: int,
    form_class: type[forms.Form],
    apply: Callable[[dict[str, Any]], Story],
    done: str,
) -> HttpResponse:
    """Moderation steps share one shape: find the story, check the form, call the service; show the
    page again with the message at the field on a refusal."""
    try:
        story = selectors.story_for_moderation(pk=pk)
    except StoryRefused:
        return _not_found(request)
    form = form_class(request.POST)
    status = 400
    if form.is_valid():
        try:
            apply(form.cleaned_data)
        except StoryRefused as exc:
            if exc.status == 404:
                return _not_found(request)
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            status = exc.status
        else:
            return redirect(reverse("stories_control:detail", args=[pk]) + f"?saved={done}")
    forms_ = {"reject_form": form} if isinstance(form, RejectForm) else {"form": form}
    return _detail_page(request, story, status=status, **forms_)


@moderators_only
@require_POST
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    return _act(request, pk, ModerationForm, lambda d: services.story_edit(actor=user, pk=pk, text=d["text"]), "edited")


@moderators_only
@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    return _act(
        request, pk, ModerationForm, lambda d: services.story_approve(actor=user, pk=pk, text=d["text"]), "approved"
    )


@moderators_only
@require_POST
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    return _act(
        request, pk, RejectForm, lambda d: services.story_reject(actor=user, pk=pk, reason=d["reason"]), "rejected"
    )
