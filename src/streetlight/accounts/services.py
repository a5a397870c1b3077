"""Writes on staff accounts."""

from __future__ import annotations

from django.db import transaction

from streetlight.audit import services as audit

from .models import User


@transaction.atomic
def admin_create(*, username: str, email: str, password: str) -> User:
    """Create the city's administrator; audited like every other privileged change."""
    user = User.objects.create_superuser(username=username, email=email, password=password)
    audit.record(actor=None, action="account.admin_created", target=user, data={"username": username})
    return user
