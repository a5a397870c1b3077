"""Who may write to Streetlight through the Open311 API.

Only a SHA-256 of each API key is stored: a leaked database does not leak working keys, and the
keys are long random strings, so a plain hash (no salt, no stretching) is enough and can be looked
up directly."""

from __future__ import annotations

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
