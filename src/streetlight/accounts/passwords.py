"""Password rules beyond Django's own: no password built on the words anyone would try first here.

The list (docs/security/identity.md) is the product's name, the city's name and whatever the city
adds in `STREETLIGHT_PASSWORD_WORDS` (agency names, department names, project names…). Words
shorter than four letters are ignored: they would refuse too many good passphrases.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MIN_WORD = 4


def context_words() -> list[str]:
    words = {"streetlight", str(settings.STREETLIGHT["CITY_NAME"]), *settings.STREETLIGHT_PASSWORD_WORDS}
    return sorted({w.strip().lower() for w in words if len(w.strip()) >= MIN_WORD})


class ContextWordsValidator:
    """Refuse a password that contains one of the context words, in any case."""

    def validate(self, password: str, user: object = None) -> None:
        lowered = password.lower()
        found = next((word for word in context_words() if word in lowered), None)
        if found is not None:
            raise ValidationError(
                _("Choose a password without “%(word)s”: words tied to this service are the first ones tried."),
                code="password_context_word",
                params={"word": found},
            )

    def get_help_text(self) -> str:
        return _("Your password cannot contain the name of this service, of the city or of its agencies.")
