from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    """Look a key up in a dict from a template (the agency's colleagues)."""
    return mapping.get(key, [])
