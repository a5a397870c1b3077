"""Who may write to Streetlight through the Open311 API.

Only a SHA-256 of each API key is stored: a leaked database does not leak working keys, and the
keys are long random strings, so a plain hash (no salt, no stretching) is enough and can be looked
up directly."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Open311Client(models.Model):
    """An application (a city app, FixMyStreet, a partner's system) allowed to POST requests."""

    name = models.CharField(_("name"), max_length=120)
    key_hash = models.CharField(_("key hash (SHA-256)"), max_length=64, unique=True, editable=False)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), editable=False)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("Open311 client")
        verbose_name_plural = _("Open311 clients")

    def __str__(self) -> str:
        return self.name


class TokenScope(models.TextChoices):
    REPORTS_READ = "reports:read", _("Read the agency's reports")
    ASSIGNMENTS_WRITE = "assignments:write", _("Change the agency's assignments")


class AgencyToken(models.Model):
    """A partner system's key to the staff API for one agency (a police records system, a victim
    support case tool), with scopes and an end date. It acts through its own service account, a
    member of that agency who cannot sign in, so the same visibility rules and the same audit log
    apply to it as to a person. Only a SHA-256 of the key is stored."""

    agency = models.ForeignKey("routing.Agency", on_delete=models.PROTECT, related_name="api_tokens")
    account = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=120)
    scopes = models.JSONField(_("scopes"), default=list)
    key_hash = models.CharField(_("key hash (SHA-256)"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), editable=False)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        ordering = ["agency", "name", "pk"]
        verbose_name = _("agency API token")
        verbose_name_plural = _("agency API tokens")

    def __str__(self) -> str:
        return f"{self.agency} · {self.name}"
