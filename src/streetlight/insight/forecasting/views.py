"""Screens of the context calendar under /insight/calendar/: thin, as every view (forms check the
input, `calendar` reads and writes). Anyone who may analyse reads it; analysts and city
administrators change it."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

from django.contrib.auth.decorators import login_required
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from streetlight.accounts.decorators import staff_user

from .. import selectors
from . import calendar
from .forms import CalendarImportForm, CalendarRulesForm, ContextEventForm, NightlifeVenueForm

View = Callable[..., HttpResponse]
FORMS: dict[str, type[ModelForm[Any]]] = {"events": ContextEventForm, "venues": NightlifeVenueForm}


def _guarded(*, edit: bool) -> Callable[[View], View]:
    def decorate(view: View) -> View:
        @login_required
        @require_http_methods(["GET", "POST"] if edit else ["GET"])
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not selectors.may_analyse(user=request.user):
                return render(request, "insight/forbidden.html", status=403)
            if edit and not calendar.may_edit_calendar(user=request.user):
                return render(request, "insight/calendar_forbidden.html", status=403)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def _form_page(request: HttpRequest, form: Any, title: str, **extra: Any) -> HttpResponse:
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "insight/calendar_form.html", {"form": form, "title": title, **extra}, status=status)


def _back() -> HttpResponse:
    return redirect(reverse("insight:calendar"))


@_guarded(edit=False)
def calendar_page(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "insight/calendar.html",
        {
            "events": calendar.calendar_events(),
            "venues": calendar.calendar_venues(),
            "rules": calendar.calendar_rules(),
            "may_edit": calendar.may_edit_calendar(user=request.user),
        },
    )


@_guarded(edit=True)
def entry_edit(request: HttpRequest, kind: str, entry_id: int | None = None) -> HttpResponse:
    entry = calendar.calendar_entry_get(kind=kind, entry_id=entry_id) if entry_id is not None else None
    form = FORMS[kind](request.POST if request.method == "POST" else None, instance=entry)
    if form.is_bound and form.is_valid():
        calendar.calendar_entry_save(entry=form.save(commit=False), actor=staff_user(request))
        return _back()
    titles = {
        ("events", False): _("Add a public event"),
        ("events", True): _("Change a public event"),
        ("venues", False): _("Add a nightlife venue"),
        ("venues", True): _("Change a nightlife venue"),
    }
    delete = reverse(f"insight:calendar_{kind}_delete", args=[entry_id]) if entry_id is not None else ""
    return _form_page(request, form, titles[(kind, entry is not None)], delete_url=delete)


@_guarded(edit=True)
def entry_delete(request: HttpRequest, kind: str, entry_id: int) -> HttpResponse:
    entry = calendar.calendar_entry_get(kind=kind, entry_id=entry_id)
    if request.method == "POST":
        calendar.calendar_entry_delete(entry=entry, actor=staff_user(request))
        return _back()
    return render(request, "insight/calendar_delete.html", {"entry": entry})


@_guarded(edit=True)
def rules_edit(request: HttpRequest) -> HttpResponse:
    rules = calendar.calendar_rules()
    initial = {"paydays": rules.paydays, "holidays_name": rules.holidays_name, "holidays": "\n".join(rules.holidays)}
    form = CalendarRulesForm(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_bound and form.is_valid():
        calendar.calendar_rules_save(**form.cleaned_data, actor=staff_user(request))
        return _back()
    return _form_page(request, form, _("Paydays and public holidays"))


@_guarded(edit=True)
def calendar_import(request: HttpRequest) -> HttpResponse:
    posted = request.method == "POST"
    form = CalendarImportForm(request.POST if posted else None, request.FILES if posted else None)
    if form.is_bound and form.is_valid():
        upload = form.cleaned_data["file"]
        with tempfile.TemporaryDirectory() as folder:
            # The toolkit's reader tells CSV from ICS by the name's ending.
            path = Path(folder) / ("upload" + Path(upload.name).suffix.lower())
            with path.open("wb") as fh:
                for chunk in upload.chunks():
                    fh.write(chunk)
            try:
                calendar.calendar_import(
                    path=str(path),
                    filename=Path(upload.name).name,
                    what=form.cleaned_data["what"],
                    kind=form.cleaned_data["kind"],
                    actor=staff_user(request),
                )
            except calendar.CalendarImportError as exc:
                form.add_error("file", str(exc))
            else:
                return _back()
    return _form_page(request, form, _("Import events or venues from a file"), multipart=True, submit=_("Import"))
