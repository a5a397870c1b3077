"""Staff sign-in screens: password, then a code (or setting up the authenticator), and the
confirmation asked before sensitive reads. Thin: the rules live in `signin`."""

from __future__ import annotations

import segno
from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from . import oidc, signin
from .models import User


class CodeForm(forms.Form):
    code = forms.CharField(label=_lazy("Code"), max_length=16, strip=True)


class ConfirmForm(forms.Form):
    password = forms.CharField(label=_lazy("Password"), strip=False, widget=forms.PasswordInput)
    code = forms.CharField(label=_lazy("Code"), max_length=16, strip=True)


def _safe_next(request: HttpRequest, candidate: str) -> str:
    ok = url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return candidate if candidate and ok else settings.LOGIN_REDIRECT_URL


@sensitive_post_parameters("password")
@never_cache
def sign_in(request: HttpRequest) -> HttpResponse:
    """Step one: user name and password. Failures count towards the lockout (django-axes)."""
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next", ""))
    if request.user.is_authenticated:
        return redirect(next_url)
    form = AuthenticationForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.get_user()
        assert isinstance(user, User)
        signin.pending_start(request, user=user, next_url=next_url)
        return redirect("accounts:setup" if signin.needs_enrolment(user) else "accounts:code")
    context = {
        "form": form,
        "next": next_url,
        "sso_name": oidc.provider_name() if oidc.enabled() else "",
        "sso_failed": request.GET.get("sso") == "failed",
    }
    return render(request, "registration/login.html", context, status=400 if form.errors else 200)


@sensitive_post_parameters("code")
@never_cache
def sign_in_code(request: HttpRequest) -> HttpResponse:
    """Step two: the code from the authenticator app, or a backup code."""
    pending = signin.pending_get(request)
    if pending is None:
        return redirect("accounts:login")
    if signin.needs_enrolment(pending.user):
        return redirect("accounts:setup")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if signin.code_verify(request, pending, form.cleaned_data["code"]):
            return redirect(_safe_next(request, pending.next_url))
        form.add_error("code", _("That code did not work. Type the 6 digits your app shows now, or a backup code."))
    return render(request, "accounts/code.html", {"form": form}, status=400 if form.errors else 200)


@sensitive_post_parameters("code")
@never_cache
def sign_in_setup(request: HttpRequest) -> HttpResponse:
    """First sign-in: every staff role must set up an authenticator app before going on."""
    pending = signin.pending_get(request)
    if pending is None:
        return redirect("accounts:login")
    if not signin.needs_enrolment(pending.user):
        return redirect("accounts:code")
    device = signin.enrolment_device(pending.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = signin.enrolment_confirm(request, pending, form.cleaned_data["code"])
        if codes is not None:
            request.session["streetlight_backup_codes"] = codes
            request.session["streetlight_after_codes"] = _safe_next(request, pending.next_url)
            return redirect("accounts:backup_codes")
        form.add_error("code", _("That code did not work. Check the key you typed and the time on your phone."))
    context = {
        "form": form,
        "qr": segno.make(device.config_url, error="m").svg_data_uri(scale=4, dark="#000", light="#fff"),
        "secret": signin.secret_for_typing(device),
    }
    return render(request, "accounts/setup.html", context, status=400 if form.errors else 200)


@never_cache
def backup_codes(request: HttpRequest) -> HttpResponse:
    """The backup codes, shown once right after setting up the authenticator."""
    codes = request.session.pop("streetlight_backup_codes", None)
    after = request.session.pop("streetlight_after_codes", settings.LOGIN_REDIRECT_URL)
    if not codes or not request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    return render(request, "accounts/backup_codes.html", {"codes": codes, "after": after})


@sensitive_post_parameters("password", "code")
@never_cache
def confirm(request: HttpRequest) -> HttpResponse:
    """Password and code again before contact details or an export."""
    if not request.user.is_authenticated:
        return redirect(reverse("accounts:login") + "?next=" + request.get_full_path())
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next", ""))
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if signin.reauthenticate(request, password=form.cleaned_data["password"], token=form.cleaned_data["code"]):
            return redirect(next_url)
        form.add_error(None, _("The password or the code did not match. Please try again."))
    assert isinstance(request.user, User)
    context = {
        "form": form,
        "next": next_url,
        "sso_name": oidc.provider_name() if oidc.enabled() and not request.user.has_usable_password() else "",
    }
    return render(request, "accounts/confirm.html", context, status=400 if form.errors else 200)


def locked_out(request: HttpRequest, *_: object) -> HttpResponse:
    """django-axes calls this instead of the sign-in when the pause is on (429, never which part was wrong)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "accounts/locked_out.html", {"lockout_minutes": minutes}, status=429)
