"""What every platform verb needs: Django set up from the environment's settings."""

from __future__ import annotations

import os


def django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "streetlight.settings")
    import django

    django.setup()


def manage(*args: str) -> None:
    from django.core.management import call_command

    call_command(*args)
