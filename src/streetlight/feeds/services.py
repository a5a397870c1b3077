"""Writes on signals (dismiss, promote to a report) and the retention of posts. Ingestion lives in
ingest.py; every write here is audited in its own transaction."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from streetlight.accounts.models import User
from streetlight.audit import services as audit
from streetlight.reports.drafts import Consent, ReportDraft
from streetlight.reports.enums import LocationKind, Source, WhenKind
from streetlight.reports.errors import ReportInvalid
from streetlight.reports.models import Report
from streetlight.reports.services.submit import report_submit
from streetlight.toolkit.triage import redact

from .models import Post, Signal

FALLBACK_CATEGORY = "unsafe-other"
MAX_QUOTED = 10  # posts quoted in a promoted report's description
MAX_DESCRIPTION = 4800  # under the report's 5,000 characters


class SignalClosed(Exception):
    """The signal was already dismissed or promoted (by someone else, a moment ago)."""


def _locked_open(signal_id: int) -> Signal:
    signal = Signal.objects.select_for_update().filter(pk=signal_id).first()
    if signal is None or signal.status != Signal.Status.OPEN:
        raise SignalClosed(signal_id)
    return signal


def signal_dismiss(*, signal_id: int, by: User, now: datetime | None = None) -> Signal:
    now = now or timezone.now()
    with transaction.atomic():
        signal = _locked_open(signal_id)
        signal.status, signal.handled_by, signal.handled_at = Signal.Status.DISMISSED, by, now
        signal.save(update_fields=["status", "handled_by", "handled_at"])
        audit.record(actor=by, action="signal.dismissed", target=signal, data={"place": signal.place_key})
    return signal


def _category(posts: list[Post]) -> str:
    """The posts' most frequent alert type, or the catch-all "something else felt unsafe"."""
    counts = Counter(p.alert_type for p in posts if p.alert_type)
    return counts.most_common(1)[0][0] if counts else FALLBACK_CATEGORY


def _language(posts: list[Post]) -> str:
    known = {code for code, _name in settings.LANGUAGES}
    counts = Counter(p.language for p in posts if p.language in known)
    return counts.most_common(1)[0][0] if counts else settings.LANGUAGE_CODE.split("-")[0]


def _description(signal: Signal, posts: list[Post]) -> str:
    """A summary and the posts' texts with personal data redacted; no author, no link."""
    head = _("Signal from public posts: %(n)d posts about %(place)s between %(start)s and %(end)s UTC.") % {
        "n": signal.post_count,
        "place": signal.place or signal.area_code,
        "start": f"{signal.window_start:%Y-%m-%d %H:%M}",
        "end": f"{signal.window_end:%H:%M}",
    }
    lines = [head]
    for post in posts[:MAX_QUOTED]:
        lines.append(f"- {redact(post.text).text}")
    return "\n".join(lines)[:MAX_DESCRIPTION]


def _draft(signal: Signal, posts: list[Post], category: str) -> ReportDraft:
    """City and police only, no contact (there is no reporter to contact), and out of the public
    statistics: the posts already count in the perceived-insecurity layer."""
    point = signal.lat is not None and signal.lon is not None
    return ReportDraft(
        category=category,
        consent=Consent(
            police=True, victim_support=False, social_services=False, city=True, contact=False, public_statistics=False
        ),
        description=_description(signal, posts),
        language=_language(posts),
        when=WhenKind.RANGE,
        occurred_from=signal.window_start,
        occurred_to=signal.window_end,
        location=LocationKind.POINT if point else (LocationKind.AREA if signal.area_code else LocationKind.NONE),
        lat=signal.lat if point else None,
        lon=signal.lon if point else None,
        area=signal.area_code or None,
        address=signal.place,
        safety_score=_safety_score(posts),
    )


def _safety_score(posts: list[Post]) -> int:
    """The posts' mean insecurity (0–1) on the reports' 1 (very unsafe) … 5 (safe) scale, which a
    feeling-of-insecurity category requires: the index's (5 − s) / 4, inverted."""
    mean = sum(p.insecurity for p in posts) / len(posts) if posts else 0.5
    return max(1, min(5, round(5 - 4 * mean)))


def signal_promote(*, signal_id: int, by: User, now: datetime | None = None) -> Report:
    """Turn a signal into a report of source "feed", routed like any other. Raises SignalClosed, or
    the report's ReportInvalid (e.g. a category the catalogue lacks), changing nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        signal = _locked_open(signal_id)
        posts = list(signal.posts.order_by("published_at", "pk"))
        draft = _draft(signal, posts, _category(posts))
        try:
            submitted = report_submit(draft=draft, source=Source.FEED)
        except ReportInvalid:
            # A type the catalogue no longer has, or a gazetteer point outside the city's areas:
            # the catch-all category at the area still reaches the right desks.
            fallback = replace(
                draft,
                category=FALLBACK_CATEGORY,
                location=LocationKind.AREA if signal.area_code else LocationKind.NONE,
                lat=None,
                lon=None,
            )
            if fallback == draft:
                raise
            submitted = report_submit(draft=fallback, source=Source.FEED)
        signal.status, signal.handled_by, signal.handled_at = Signal.Status.PROMOTED, by, now
        signal.report = submitted.report
        signal.save(update_fields=["status", "handled_by", "handled_at", "report"])
        audit.record(
            actor=by,
            action="signal.promoted",
            target=signal,
            data={"place": signal.place_key, "report": submitted.report.reference, "posts": len(posts)},
        )
    return submitted.report


def posts_purge(now: datetime | None = None) -> int:
    """Delete posts past their source's retention (their links to signals go with them; a signal
    keeps its count and place). Returns how many posts were deleted."""
    now = now or timezone.now()
    with transaction.atomic():
        _total, per_model = Post.objects.filter(expires_at__lte=now).delete()
    return per_model.get(Post._meta.label, 0)
