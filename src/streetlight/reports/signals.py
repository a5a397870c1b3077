"""Any saved or deleted catalog or area row bumps the shared version stamps, so no process keeps a
stale category lookup, category tree, guidance or area index — whichever code made the change."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from .catalog_cache import catalog_changed
from .geo import areas_changed
from .models import Area, Category, CategoryText, SupportService, SupportServiceText


def _catalog(**_kwargs: Any) -> None:
    # Now, and again at commit: a process that recomputed in between read the old rows.
    catalog_changed()
    transaction.on_commit(catalog_changed)


def _areas(**_kwargs: Any) -> None:
    areas_changed()
    transaction.on_commit(areas_changed)


def connect() -> None:
    for model in (Category, CategoryText, SupportService, SupportServiceText):
        post_save.connect(_catalog, sender=model, dispatch_uid=f"catalog-save-{model.__name__}")
        post_delete.connect(_catalog, sender=model, dispatch_uid=f"catalog-delete-{model.__name__}")
    m2m_changed.connect(_catalog, sender=Category.support_services.through, dispatch_uid="catalog-services")
    post_save.connect(_areas, sender=Area, dispatch_uid="areas-save")
    post_delete.connect(_areas, sender=Area, dispatch_uid="areas-delete")
