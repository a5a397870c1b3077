"""Staff sign-in screens: password, then a code (or setting up the authenticator), and the
confirmation asked before sensitive reads. Thin: the rules live in `signin`."""

from __future__ import annotations

from typing import Any

import segno
from django import forms
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from streetlight.audit import services as audit

from . import oidc, signin
from .decorators import recent_authentication_required
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


@method_decorator(recent_authentication_required, name="dispatch")
class PasswordChange(auth_views.PasswordChangeView):
    """Change one's password: password and code given in the last few minutes, the current password
    again, and a new one that passes the validators. Django then ends every other session of the
    account (their session hash no longer matches) and keeps this one."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_changed")

    @transaction.atomic
    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        audit.record(actor=self.request.user, action="account.password_changed", target=form.user)
        return response


class PasswordChanged(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_changed.html"


class SignOut(auth_views.LogoutView):
    """End the session on the server, record it, and ask the browser to drop what it cached or stored
    for this site (Clear-Site-Data), so nothing of a staff page stays on a shared computer."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user if isinstance(request.user, User) else None
        response = super().post(request, *args, **kwargs)
        if user is not None:
            audit.record(actor=user, action="account.signed_out", target=user)
        response["Clear-Site-Data"] = '"cache", "storage"'
        return response
