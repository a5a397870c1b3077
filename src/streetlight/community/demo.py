"""The demo city's business community: the port businesses, coordinated by the cyber desk."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils import timezone

from streetlight.reports.models import Area
from streetlight.routing.models import Agency

from .models import Business, Community
from .selectors import hash_token

DEMO_BUSINESSES = (
    ("Molo 7 Ship Chandlers", "logistics", "small", "it"),
    ("Harbour Café Portavera", "hospitality", "micro", "en"),
    ("Quayside Freight Forwarding", "logistics", "medium", "fr"),
    ("Dock Lane Pharmacy", "health", "micro", "es"),
)


@transaction.atomic
def seed_community() -> int:
    """Create the demo community and a few active businesses once; returns businesses created.
    Fictional addresses under .invalid, so no demo e-mail can reach anyone."""
    agency = Agency.objects.filter(code="cyber-desk").first()
    if agency is None:
        return 0
    community, _created = Community.objects.get_or_create(
        code="portavera-port",
        defaults={
            "name": "Portavera port businesses",
            "description": "Shops, freight firms and cafés around the port of Portavera.",
            "agency": agency,
        },
    )
    area = Area.objects.order_by("code").first()
    if area is not None and not community.areas.exists():
        community.areas.add(area)
    created = 0
    now = timezone.now()
    for name, sector, size, language in DEMO_BUSINESSES:
        if Business.objects.filter(community=community, name=name).exists():
            continue
        token = secrets.token_urlsafe(24)
        Business.objects.create(
            community=community,
            name=name,
            sector=sector,
            size=size,
            area=area,
            contact_name="Demo contact",
            contact_email=f"{name.lower().replace(' ', '-')}@demo.invalid",
            language=language,
            status=Business.Status.ACTIVE,
            page_token=token,
            page_token_hash=hash_token(token),
            registered_at=now,
            confirmed_at=now,
            approved_at=now,
        )
        created += 1
    return created
