"""The city administrator's triage page: model versions, their held-out evaluation, training a new
version from the operators' labels, and choosing the active one (or rolling back)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from . import selectors, services


def _forbidden(request: HttpRequest) -> HttpResponse:
    return render(request, "triage/forbidden.html", status=403)


def _page(request: HttpRequest, error: str = "", status: int = 200) -> HttpResponse:
    context = {
        "models": selectors.model_list(),
        "label_count": selectors.label_count(),
        "min_labels": services.MIN_LABELS_ALONE,
        "error": error,
    }
    return render(request, "triage/models.html", context, status=status)


@login_required
def models(request: HttpRequest) -> HttpResponse:
    if not selectors.is_city_admin(user=request.user):
        return _forbidden(request)
    return _page(request)


@login_required
def model_detail(request: HttpRequest, model_id: int) -> HttpResponse:
    if not selectors.is_city_admin(user=request.user):
        return _forbidden(request)
    model = selectors.model_get(model_id=model_id)
    if model is None:
        return render(request, "control/not_found.html", status=404)
    return render(request, "triage/model.html", {"model": model, "rows": selectors.evaluation_rows(model=model)})


@login_required
@require_POST
def train(request: HttpRequest) -> HttpResponse:
    if not selectors.is_city_admin(user=request.user):
        return _forbidden(request)
    try:
        services.triage_model_request(
            actor=selectors.as_user(request.user), with_seed_texts=request.POST.get("seed_texts") == "on"
        )
    except services.TriageRefused as exc:
        return _page(request, error=str(exc), status=409)
    return redirect("triage:models")


@login_required
@require_POST
def activate(request: HttpRequest, model_id: int) -> HttpResponse:
    if not selectors.is_city_admin(user=request.user):
        return _forbidden(request)
    try:
        services.triage_model_activate(actor=selectors.as_user(request.user), model_id=model_id)
    except services.TriageRefused as exc:
        return _page(request, error=str(exc), status=400)
    return redirect("triage:models")
