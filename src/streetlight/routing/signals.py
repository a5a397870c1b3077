"""Cache flushing only: when rules, agencies or deadline policies change, every process recompiles."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from .matching import routing_changed
from .models import Agency, DeadlinePolicy, RoutingRule


def _flush(**_kwargs: Any) -> None:
    routing_changed()
    transaction.on_commit(routing_changed)


def connect() -> None:
    for model in (Agency, RoutingRule, DeadlinePolicy):
        post_save.connect(_flush, sender=model, dispatch_uid=f"routing-flush-save-{model.__name__}")
        post_delete.connect(_flush, sender=model, dispatch_uid=f"routing-flush-delete-{model.__name__}")
    for through in (RoutingRule.categories.through, RoutingRule.areas.through, RoutingRule.agencies.through):
        m2m_changed.connect(_flush, sender=through, dispatch_uid=f"routing-flush-m2m-{through.__name__}")
