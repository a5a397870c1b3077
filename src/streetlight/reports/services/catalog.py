"""Load a city's categories, support services and areas from its data files."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from streetlight.audit import services as audit
from streetlight.toolkit.geo import AreaIndex, validate_lat_lon

from ..catalog_cache import catalog_changed
from ..enums import Need
from ..geo import areas_changed
from ..models import Area, Category, CategoryText, SupportService, SupportServiceText


def _service_needs_and_place(item: dict[str, Any]) -> dict[str, Any]:
    """The needs a service answers (enums.Need codes) and where it is, checked: a bad file names the
    service and the value rather than loading half a catalog."""
    needs = list(item.get("needs") or [])
    if unknown := [need for need in needs if need not in Need.values]:
        known = ", ".join(Need.values)
        raise ValueError(f"support service {item['code']}: unknown need {unknown[0]!r} (one of {known})")
    lat, lon = item.get("lat"), item.get("lon")
    if lat is None and lon is None:
        return {"needs": needs, "lat": None, "lon": None}
    if lat is None or lon is None:
        raise ValueError(f"support service {item['code']}: give both lat and lon, or neither")
    try:
        validate_lat_lon(lat, lon)
    except ValueError as exc:
        raise ValueError(f"support service {item['code']}: {exc}") from None
    return {"needs": needs, "lat": float(lat), "lon": float(lon)}


@transaction.atomic
def support_services_load(*, services: list[dict[str, Any]]) -> int:
    for order, item in enumerate(services):
        service, _created = SupportService.objects.update_or_create(
            code=item["code"],
            defaults={
                "phone": item.get("phone", ""),
                "url": item.get("url", ""),
                "always_open": bool(item.get("always_open")),
                "hours": item.get("hours") or {},
                "order": order,
                **_service_needs_and_place(item),
            },
        )
        for language, text in item["i18n"].items():
            SupportServiceText.objects.update_or_create(
                service=service,
                language=language,
                defaults={"name": text["name"], "description": text.get("description", "")},
            )
    audit.record(actor=None, action="catalog.support_services_loaded", data={"count": len(services)})
    transaction.on_commit(catalog_changed)
    return len(services)


def _load_category(item: dict[str, Any], parent: Category | None, order: int) -> int:
    kind = item.get("kind") or (parent.kind if parent else "incident")
    category, _created = Category.objects.update_or_create(
        code=item["code"],
        defaults={
            "parent": parent,
            "kind": kind,
            "sensitive": bool(item.get("sensitive", parent.sensitive if parent else False)),
            "public_open311": bool(item.get("open311", False)),
            "order": item.get("order", order),
        },
    )
    for language, text in item["i18n"].items():
        CategoryText.objects.update_or_create(
            category=category,
            language=language,
            defaults={
                "name": text["name"],
                "help": text.get("help", ""),
                "guidance_now": "\n".join(text.get("guidance_now", [])),
                "rights": text.get("rights", ""),
                "keywords": ", ".join(text.get("keywords", [])),
            },
        )
    codes = item.get("support") or []
    category.support_services.set(SupportService.objects.filter(code__in=codes))
    count = 1
    for child_order, child in enumerate(item.get("children", [])):
        count += _load_category(child, category, child_order)
    return count


@transaction.atomic
def categories_load(*, tree: list[dict[str, Any]]) -> int:
    """Create or update the category tree (main categories with their children)."""
    count = sum(_load_category(item, None, order * 10) for order, item in enumerate(tree))
    audit.record(actor=None, action="catalog.categories_loaded", data={"count": count})
    transaction.on_commit(catalog_changed)
    return count


@transaction.atomic
def areas_load(*, geojson: dict[str, Any], level: str = "district") -> int:
    """Load areas from a GeoJSON FeatureCollection; the toolkit checks the geometry first."""
    index = AreaIndex.from_geojson(geojson)  # raises GeoDataError with the bad feature's number
    for feature in geojson["features"]:
        props = dict(feature["properties"])
        code = str(props.pop("code"))
        Area.objects.update_or_create(
            code=code,
            defaults={
                "name": props.pop("name"),
                "level": props.pop("level", level),
                "geometry": feature["geometry"],
                "properties": props,
            },
        )
    audit.record(actor=None, action="catalog.areas_loaded", data={"count": len(index.codes)})
    transaction.on_commit(areas_changed)
    return len(index.codes)
