"""Drafts of warnings for tests, valid unless told otherwise."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from lxml import etree

from streetlight.alerts.drafts import AlertDraft, AreaDraft, InfoDraft

CAP_XSD = Path(__file__).resolve().parents[2].parent / "shared" / "standards" / "cap" / "CAP-v1.2.xsd"
_schema: list[etree.XMLSchema] = []


def draft(**changes: Any) -> AlertDraft:
    now = timezone.now()
    base = AlertDraft(
        infos=(
            InfoDraft(
                language="en",
                event="Bike thefts",
                headline="Bike thefts around the station",
                description="Several bikes were stolen near the station this week.",
                instruction="Use two locks and report anything you see.",
            ),
            InfoDraft(
                language="fr",
                event="Vols de vélos",
                headline="Vols de vélos autour de la gare",
                description="Plusieurs vélos ont été volés près de la gare cette semaine.",
            ),
        ),
        area=AreaDraft(area_code="D01"),
        expires=now + timedelta(hours=6),
        topics=("theft",),
    )
    return replace(base, **changes)


def circle_draft(lat: float, lon: float, radius_km: float = 0.5, **changes: Any) -> AlertDraft:
    return draft(area=AreaDraft(circle=(lat, lon, radius_km), description="Around the station"), **changes)


def schema_errors(document: str | bytes) -> list[str]:
    """Validation against the OASIS CAP 1.2 schema of the shared standards folder."""
    if not CAP_XSD.is_file():
        pytest.skip("shared data not present: ../shared/standards/cap")
    if not _schema:
        _schema.append(etree.XMLSchema(etree.parse(str(CAP_XSD))))
    data = document.encode() if isinstance(document, str) else document
    schema = _schema[0]
    ok = schema.validate(etree.fromstring(data))
    return [] if ok else [str(e) for e in schema.error_log]


def later(hours: float) -> datetime:
    return timezone.now() + timedelta(hours=hours)
