"""Every write of the companion goes through one of these functions."""

from .alerts import (
    AlertOutcome,
    OverdueSummary,
    last_position,
    walk_alert,
    walk_overdue_check,
    walk_timer_set,
    walks_overdue_alert,
)
from .purge import PurgeSummary, walks_purge
from .validation import Fix, fix_check
from .walks import Started, walk_extend, walk_finish, walk_position_add, walk_start

__all__ = [
    "AlertOutcome",
    "Fix",
    "OverdueSummary",
    "PurgeSummary",
    "Started",
    "fix_check",
    "last_position",
    "walk_alert",
    "walk_extend",
    "walk_finish",
    "walk_overdue_check",
    "walk_position_add",
    "walk_start",
    "walk_timer_set",
    "walks_overdue_alert",
    "walks_purge",
]
