from typing import Any

from django import template
from django.utils import formats

register = template.Library()


@register.filter
def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    """Look a key up in a dict from a template (the agency's colleagues)."""
    return mapping.get(key, [])


@register.filter
def percent(value: float | None) -> str:
    """0.873 → "87 %" in the active language's number format."""
    if value is None:
        return "—"
    return f"{formats.number_format(round(float(value) * 100))} %"
