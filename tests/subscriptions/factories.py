"""Alerts through the lead's service (as operators issue them), subscribers through ours."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from django.core import mail
from django.test import Client
from django.utils import timezone

from streetlight.alerts.models import Alert
from streetlight.alerts.services import AlertDraft, AreaDraft, InfoDraft, alert_issue
from streetlight.core.crypto import blind_index
from streetlight.subscriptions.models import Subscription
from streetlight.subscriptions.services import Choices, subscription_confirm, subscription_request

SENSITIVE_DESCRIPTION = "Homophobic slurs shouted at people outside the Blue Door bar on Via Sarta 12."


def issue(
    *,
    area: str = "D01",
    topics: tuple[str, ...] = ("theft",),
    status: str = "Actual",
    scope: str = "Public",
    description: str = "Several bikes were stolen near the station.",
    kind: str = "warning",
    **extra: Any,
) -> Alert:
    infos = (
        InfoDraft(
            language="en",
            event="Bike thefts",
            headline=f"Bike thefts in {area}",
            description=description,
            instruction="Lock your bike to a fixed rack.",
        ),
        InfoDraft(
            language="fr",
            event="Vols de vélos",
            headline=f"Vols de vélos à {area}",
            description="Plusieurs vélos volés près de la gare.",
            instruction="Attachez votre vélo.",
        ),
    )
    draft = AlertDraft(
        infos=infos,
        area=AreaDraft(area_code=area),
        expires=timezone.now() + timedelta(hours=6),
        kind=kind,
        status=status,
        scope=scope,
        topics=topics,
        **extra,
    )
    return alert_issue(draft=draft, by=None)


def sensitive_alert(area: str = "D02") -> Alert:
    return issue(area=area, topics=("hate",), description=SENSITIVE_DESCRIPTION)


def subscriber(
    email: str,
    *,
    language: str = "en",
    areas: tuple[str, ...] = (),
    topics: tuple[str, ...] = (),
    include_exercises: bool = False,
) -> Subscription:
    """An active e-mail subscriber, through both opt-in steps; the confirmation mail is dropped."""
    before = len(mail.outbox)
    subscription_request(
        email=email,
        choices=Choices(language=language, areas=areas, topics=topics, include_exercises=include_exercises),
    )
    del mail.outbox[before:]
    return subscription_confirm(sub=Subscription.objects.get(email_hash=blind_index(email)))


def link_in(body: object, kind: str) -> str:
    """The path of the confirm or unsubscribe link in an e-mail body."""
    match = re.search(rf"https?://[^/\s]+(/alerts/subscriptions/{kind}/[^/\s]+/)", str(body))
    assert match, f"no {kind} link in:\n{body}"
    return match.group(1)


def subscribe_by_form(client: Client, email: str, **fields: Any) -> Any:
    data = {"email": email, "language": "en", **fields}
    return client.post("/alerts/subscriptions/", data)


def html_of(message: mail.EmailMessage) -> str:
    """The HTML alternative of a message sent by the subscriptions app."""
    assert isinstance(message, mail.EmailMultiAlternatives)
    content, _mime = message.alternatives[0]
    assert isinstance(content, str)
    return content
