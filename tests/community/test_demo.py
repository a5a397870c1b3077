"""The demo city's port community is seeded once, with active businesses, coordinated by the cyber desk."""

from __future__ import annotations

import pytest

from streetlight.community.demo import seed_community
from streetlight.community.models import Business, Community

pytestmark = pytest.mark.django_db


def test_demo_community_is_seeded_once() -> None:
    assert seed_community() == 4
    assert seed_community() == 0
    community = Community.objects.get(code="portavera-port")
    assert community.name == "Portavera port businesses" and community.agency.code == "cyber-desk"
    assert set(Business.objects.values_list("status", flat=True)) == {"active"}
    assert all(b.contact_email.endswith("@demo.invalid") for b in Business.objects.all())
