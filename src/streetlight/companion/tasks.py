"""Background work of walk me home, run by `streetlight worker`."""

from __future__ import annotations

from django.tasks import task

from .services import walk_overdue_check


@task()
def walk_overdue_timer(*, walk_id: int) -> None:
    """Fires at the walk's expected arrival plus the grace; quiet if the resident checked in or extended."""
    walk_overdue_check(walk_id=walk_id)
