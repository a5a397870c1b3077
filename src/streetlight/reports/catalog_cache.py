"""A version number for the catalog (categories, guidance, support services), kept in the shared
cache: bumping it makes every process drop its cached guidance, category tree and category lookup
at once. Saving or deleting a catalog row bumps it (signals.py), so does the admin and the loaders."""

from __future__ import annotations

from django.db.models import Prefetch

from streetlight.core import versions

from .models import Category

_KEY = "streetlight:catalog:version"


def catalog_version() -> str:
    return versions.current(_KEY)


def catalog_changed() -> None:
    versions.bump(_KEY)


def _active_categories() -> dict[str, Category]:
    return {c.code: c for c in Category.objects.select_related("parent").filter(active=True)}


def _category_tree() -> list[tuple[Category, list[Category]]]:
    children = Category.objects.filter(active=True).prefetch_related("texts").order_by("order", "code")
    mains = (
        Category.objects.filter(active=True, parent__isnull=True)
        .prefetch_related("texts", Prefetch("children", queryset=children, to_attr="active_children"))
        .order_by("order", "code")
    )
    return [(main, list(main.active_children)) for main in mains]


# Shared, read-only objects: callers must not modify them.
active_categories = versions.ProcessMemo(_KEY, _active_categories)
category_tree = versions.ProcessMemo(_KEY, _category_tree)
