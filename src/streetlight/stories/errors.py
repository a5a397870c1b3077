from __future__ import annotations

from django.utils.translation import gettext as _


class StoryRefused(Exception):
    """A story step that cannot be done; `status` is the HTTP answer (400, 404, 409, 410) and
    `field` the form field at fault, if any."""

    def __init__(self, message: str, *, status: int = 409, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.field = field


def withdrawn_refusal() -> StoryRefused:
    return StoryRefused(
        _("You withdrew your story from this report: it was erased and cannot be sent or withdrawn again."),
        status=410,
    )


def published_refusal() -> StoryRefused:
    return StoryRefused(_("Your story is published and can no longer be changed. You can withdraw it."))
