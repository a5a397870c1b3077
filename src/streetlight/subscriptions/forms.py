"""The subscription form and the feed's query parameters. They check shape and the offered
choices; the service checks again, and its errors are put back on the right field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .services import Choices


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        error_messages={"required": _("Enter the e-mail address the warnings should go to.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    language = forms.ChoiceField(
        label=_("Language of the e-mails"),
        choices=settings.LANGUAGES,
        error_messages={"invalid_choice": _("Unknown language code: %(value)s.")},
    )
    areas = forms.MultipleChoiceField(
        label=_("Areas"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Unknown area: %(value)s.")},
    )
    topics = forms.MultipleChoiceField(
        label=_("Topics"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Unknown topic: %(value)s.")},
    )
    include_exercises = forms.BooleanField(
        label=_("Also send me exercises (drills), for example for my business's emergency plan"), required=False
    )

    def __init__(self, *args: Any, areas: list[tuple[str, str]], topics: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, choices in (("areas", areas), ("topics", topics)):
            field = self.fields[name]
            assert isinstance(field, forms.MultipleChoiceField)
            field.choices = choices

    def to_choices(self) -> Choices:
        data = self.cleaned_data
        return Choices(
            language=data["language"],
            areas=tuple(data["areas"]),
            topics=tuple(data["topics"]),
            include_exercises=bool(data["include_exercises"]),
        )


class FeedQuery(forms.Form):
    """`?area=<code>&topic=<code>&lang=<xx>&exercises=1`, all optional."""

    area = forms.ChoiceField(required=False, error_messages={"invalid_choice": _("unknown area %(value)s")})
    topic = forms.ChoiceField(required=False, error_messages={"invalid_choice": _("unknown topic %(value)s")})
    lang = forms.ChoiceField(
        required=False,
        choices=[("", ""), *settings.LANGUAGES],
        error_messages={"invalid_choice": _("unknown language code %(value)s")},
    )
    exercises = forms.BooleanField(required=False)

    def __init__(self, *args: Any, areas: list[tuple[str, str]], topics: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, choices in (("area", areas), ("topic", topics)):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [("", ""), *choices]

    def problems(self) -> str:
        """One line per bad parameter, naming it."""
        return "\n".join(f"{name}: {' '.join(str(e) for e in errors)}" for name, errors in self.errors.items())
