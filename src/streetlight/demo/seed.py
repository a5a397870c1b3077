"""Seed the demo city into the database (Django side of the demo; the generator is pure Python)."""

from __future__ import annotations

import json
import secrets
from datetime import date, datetime, timedelta
from importlib import resources
from typing import Any

from django.db import transaction
from django.utils import timezone

from streetlight.audit import services as audit
from streetlight.core import crypto
from streetlight.reports import services as report_services
from streetlight.reports.models import Area, Category, FollowupToken, Report, ReportContact, StatusChange
from streetlight.reports.services.processing import public_location
from streetlight.reports.services.submit import hash_token, new_reference
from streetlight.routing.catalog import routing_load
from streetlight.routing.services import reports_route_history
from streetlight.stories.demo import seed_stories
from streetlight.stories.services import peer_groups_load

STATUS_PATH = {
    "received": ["received"],
    "in_progress": ["received", "in_progress"],
    "resolved": ["received", "in_progress", "resolved"],
    "closed": ["received", "in_progress", "resolved", "closed"],
}


def load_data(name: str) -> Any:
    return json.loads(resources.files("streetlight.demo").joinpath("data", name).read_text(encoding="utf-8"))


def seed_catalog() -> dict[str, int]:
    """Areas, support services, categories with guidance in five languages, agencies and their rules."""
    counts = {
        "areas": report_services.areas_load(geojson=load_data("districts.geojson")),
        "support_services": report_services.support_services_load(services=load_data("support_services.json")),
        "categories": report_services.categories_load(tree=load_data("categories.json")),
    }
    counts |= routing_load(document=load_data("agencies.json"))
    counts["peer_support_groups"] = peer_groups_load(groups=load_data("peer_support_groups.json"))
    return counts


DEMO_ROLES = ("operator", "case_worker", "supervisor", "analyst", "agency_admin")


@transaction.atomic
def seed_staff(*, password: str) -> list[str]:
    """One account per role in the police and victim support, and a city administrator: for the demo
    only, all with the same documented password."""
    from streetlight.accounts.models import User
    from streetlight.routing.models import Agency, Membership

    names = []
    for agency in Agency.objects.filter(code__in=["police", "victim-support", "city-safety"]):
        for role in DEMO_ROLES:
            username = f"{agency.code}-{role}".replace("_", "-")
            user, created = User.objects.get_or_create(
                username=username, defaults={"email": f"{username}@demo.invalid"}
            )
            if created:
                user.set_password(password)
                user.save(update_fields=["password"])
            Membership.objects.get_or_create(user=user, agency=agency, role=role)
            names.append(username)
    admin, created = User.objects.get_or_create(
        username="city-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    if created:
        admin.set_password(password)
        admin.save(update_fields=["password"])
    Membership.objects.get_or_create(user=admin, agency=Agency.objects.get(code="city-safety"), role="city_admin")
    names.append("city-admin")
    from streetlight.community.demo import seed_community

    seed_community()  # the port businesses, coordinated by the cyber desk
    return names


def _report(row: dict[str, Any], categories: dict[str, Category], areas: dict[str, Area]) -> Report:
    consent = row["consent"]
    category = categories[row["category"]]
    return Report(
        reference=new_reference(),
        kind=category.kind,
        category=category,
        description=row["description"],
        language=row["language"],
        source="demo",
        status=row["status"],
        when_kind="at",
        occurred_from=row["occurred_at"],
        location_kind="point",
        lat=row["lat"],
        lon=row["lon"],
        precision_m=row.get("location_precision_m"),
        area=areas.get(row["district"]),
        share_police=consent["police"],
        share_victim_support=consent["victim_support"],
        share_social_services=consent["social_services"],
        share_city=consent["city"],
        may_contact=consent["contact"],
        public_statistics=consent["public_statistics"],
        safety_score=row.get("safety_score"),
        unsafe_reasons=row.get("reasons") or [],
        day_night=row.get("day_night") or "",
        created_at=row["created_at"],
        updated_at=row["created_at"],
        processed_at=row["created_at"],
    )


@transaction.atomic
def seed_reports(*, n: int = 2000, seed: int = 7, now: datetime | None = None) -> int:
    """A year of generated reports, written in bulk (the demo is not an intake benchmark)."""
    from .generator import generate_reports

    now = now or timezone.now()
    rows = generate_reports(
        districts=load_data("districts.geojson"),
        categories=load_data("categories.json"),
        n=n,
        start=now - timedelta(days=365),
        end=now - timedelta(hours=1),
        seed=seed,
    )
    categories = {c.code: c for c in Category.objects.select_related("parent")}
    areas = {a.code: a for a in Area.objects.all()}
    reports = [_report(row, categories, areas) for row in rows]
    for report in reports:
        report.public_lat, report.public_lon = public_location(report)
    Report.objects.bulk_create(reports, batch_size=500)
    saved = {
        r.reference: r
        for r in Report.objects.filter(reference__in=[r.reference for r in reports]).select_related(
            "category__parent", "area"
        )
    }
    changes, tokens, updated, contacts = [], [], [], []
    for row, report in zip(rows, reports, strict=True):
        stored = saved[report.reference]
        if row["consent"]["contact"]:  # made-up addresses on a reserved domain, encrypted like real ones
            email = f"reporter-{stored.pk}@demo.invalid"
            contacts.append(ReportContact(report=stored, email=email, email_index=crypto.blind_index(email)))
        path = STATUS_PATH.get(row["status"], ["received"])
        at = row["created_at"]
        for previous, status in zip(["", *path[:-1]], path, strict=True):
            changes.append(StatusChange(report=stored, from_status=previous, to_status=status, at=at))
            stored.updated_at = at
            at = min(at + timedelta(days=2), now)
        updated.append(stored)
        tokens.append(
            FollowupToken(report=stored, token_hash=hash_token(secrets.token_urlsafe(24)), created_at=row["created_at"])
        )
    StatusChange.objects.bulk_create(changes, batch_size=1000)
    ReportContact.objects.bulk_create(contacts, batch_size=1000)
    Report.objects.bulk_update(updated, ["updated_at"], batch_size=500)
    assigned = reports_route_history(reports=list(saved.values()))
    FollowupToken.objects.bulk_create(tokens, batch_size=1000)
    audit.record(actor=None, action="demo.reports_seeded", data={"count": len(reports), "assignments": assigned})
    seed_stories(entries=load_data("stories.json"))  # a few approved shared stories on these reports
    return len(reports)


@transaction.atomic
def seed_police_statistics(*, seed: int = 7) -> int:
    """Made-up police-recorded crime for the demo city, so the dark-number table has something to
    show: per month, area and crime type, about 1.4 times the demo reports the police were told of,
    with Poisson noise. Stored as an import named "demo (generated)"; never for a real city."""
    import numpy as np

    from streetlight.insight.models import PoliceImport, RecordedCrime
    from streetlight.toolkit.darknumber import CategoryMapping

    mapping = CategoryMapping.police_uk()
    rng = np.random.default_rng(seed)
    rows = Report.objects.filter(source="demo", share_police=True, area__isnull=False).values_list(
        "occurred_from", "area__code", "category__code"
    )
    crime_type = {code: police[0] for police, platform in mapping.groups.values() if police for code in platform}
    counts: dict[tuple[date, str, str], int] = {}
    for occurred, area, category in rows:
        if category in crime_type:
            key = (occurred.date().replace(day=1), area, crime_type[category])
            counts[key] = counts.get(key, 0) + 1
    if not counts:
        return 0
    RecordedCrime.objects.filter(month__in={key[0] for key in counts}).delete()
    batch = PoliceImport.objects.create(
        at=timezone.now(), source="demo (generated)", months=sorted({f"{k[0]:%Y-%m}" for k in counts})
    )
    records = [
        RecordedCrime(police_import=batch, month=m, area_code=a, crime_type=t, count=int(rng.poisson(1.4 * n)) + 1)
        for (m, a, t), n in counts.items()
    ]
    RecordedCrime.objects.bulk_create(records)
    batch.crimes = sum(r.count for r in records)
    batch.save(update_fields=["crimes"])
    return batch.crimes
