"""The demo city's warnings: one call for help in force and a standing rule, so `make run` shows
the warning pages, the CAP documents and the feed with something in them."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from .drafts import AlertDraft, AreaDraft, InfoDraft
from .models import Alert, AlertRule
from .services import alert_issue

TEXTS = (
    InfoDraft(
        language="en",
        event="Stolen cargo bike",
        headline="Have you seen a red cargo bike?",
        description="A red cargo bike with a child seat was stolen near the market this morning.",
        instruction="If you see it, do not approach anyone: report it with the form or call the police.",
    ),
    InfoDraft(
        language="fr",
        event="Vélo cargo volé",
        headline="Avez-vous vu un vélo cargo rouge ?",
        description="Un vélo cargo rouge avec un siège enfant a été volé près du marché ce matin.",
        instruction="Si vous le voyez, n'approchez personne : signalez-le avec le formulaire ou appelez la police.",
    ),
    InfoDraft(
        language="it",
        event="Bici cargo rubata",
        headline="Avete visto una bici cargo rossa?",
        description="Stamattina vicino al mercato è stata rubata una bici cargo rossa con seggiolino.",
        instruction="Se la vedete, non avvicinatevi a nessuno: segnalatela con il modulo o chiamate la polizia.",
    ),
)


def seed_warnings() -> int:
    """Idempotent: nothing is added once the city has any warning or rule."""
    if Alert.objects.exists() or AlertRule.objects.exists():
        return 0
    AlertRule.objects.create(name="Repeated bike thefts", categories=["theft-bike"], threshold=8, window_hours=24)
    draft = AlertDraft(
        infos=TEXTS,
        area=AreaDraft(area_code="D02"),
        expires=timezone.now() + timedelta(days=7),
        kind=Alert.Kind.CALL_FOR_HELP,
        cap_categories=("Security",),
        topics=("theft",),
        urgency=Alert.Urgency.EXPECTED,
        severity=Alert.Severity.MINOR,
        certainty=Alert.Certainty.OBSERVED,
        response_types=("Monitor",),
    )
    alert_issue(draft=draft, by=None)
    return 1
