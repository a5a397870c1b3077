"""Open sources and what comes of them: sources (configured by the city), posts (pseudonymous,
encrypted, kept only as long as the source says), ingest runs (the log) and signals (bursts of posts
about one place, for the control room). Nothing here describes a person: no author profile exists."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from streetlight.core.fields import EncryptedTextField


class SourceKind(models.TextChoices):
    RSS = "rss", _("RSS or Atom feed")
    MASTODON = "mastodon", _("Mastodon public or hashtag timeline")
    JSONL = "jsonl", _("JSON-lines export")
    CSV = "csv", _("CSV export")
    WEBHOOK = "webhook", _("Signed webhook (push)")


class Health(models.TextChoices):
    OK = "ok", _("OK")
    FAILING = "failing", _("Failing")
    PAUSED = "paused", _("Paused after repeated failures")


class FeedSource(models.Model):
    """One public source the city chose to read. Posts come only from these: no account is followed."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=SourceKind.choices)
    url = models.CharField(
        _("address"),
        max_length=2000,
        blank=True,
        help_text=_("http(s) address; for exports, file:name reads DATA_DIR/feeds/name. Empty for webhooks."),
    )
    mapping = models.JSONField(
        _("field mapping"),
        default=dict,
        blank=True,
        help_text=_('For JSON-lines, CSV and webhooks: our field → the export\'s key, e.g. {"text": "message"}.'),
    )
    language = models.CharField(_("default language"), max_length=16, blank=True)
    schedule_minutes = models.PositiveIntegerField(_("minutes between fetches"), default=15)
    min_interval_seconds = models.PositiveIntegerField(_("minimum seconds between two fetches"), default=60)
    max_posts_per_run = models.PositiveIntegerField(_("most posts per run"), default=500)
    retention_days = models.PositiveIntegerField(_("days posts are kept"), default=30)
    webhook_secret = EncryptedTextField(_("webhook signing secret"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    # State, written by the ingestion service only.
    cursor = models.JSONField(_("cursor"), default=dict, blank=True)
    health = models.CharField(_("health"), max_length=8, choices=Health.choices, default=Health.OK)
    failures = models.PositiveIntegerField(_("consecutive failures"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    last_fetch_at = models.DateTimeField(_("last fetch"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("last success"), null=True, blank=True)

    class Meta:
        verbose_name = _("feed source")
        verbose_name_plural = _("feed sources")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Post(models.Model):
    """One post. The author is only a keyed hash (per source); the text is encrypted and kept only
    for relevant posts; irrelevant ones stay as text-less stubs so a feed's items are never taken
    twice, until `expires_at`."""

    source = models.ForeignKey(FeedSource, on_delete=models.CASCADE, related_name="posts")
    item_id = models.CharField(max_length=255)
    author_pseudonym = models.CharField(max_length=64, blank=True)
    text = EncryptedTextField(blank=True)
    url = models.URLField(max_length=2000, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    fetched_at = models.DateTimeField()
    language = models.CharField(max_length=16, blank=True)
    relevant = models.BooleanField(default=False)
    relevance = models.FloatField(default=0.0)
    alert_type = models.CharField(max_length=64, blank=True)
    alert_confidence = models.FloatField(default=0.0)
    urgency = models.CharField(max_length=16, blank=True)
    insecurity = models.FloatField(default=0.0)
    sentiment = models.FloatField(default=0.0)
    cues = models.JSONField(default=list, blank=True)
    place = models.CharField(max_length=200, blank=True)
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    area_code = models.CharField(max_length=32, blank=True)
    geo_confidence = models.FloatField(default=0.0)
    skipped_reason = models.CharField(max_length=200, blank=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        constraints = [models.UniqueConstraint(fields=["source", "item_id"], name="feeds_post_unique_item")]
        indexes = [models.Index(fields=["relevant", "published_at"], name="feeds_post_relevant_idx")]

    def __str__(self) -> str:
        return f"{self.source_id}:{self.item_id}"

    @property
    def when(self) -> datetime:
        """When it was said: the published time, or when we read it if the source gave none."""
        return self.published_at or self.fetched_at


class IngestRun(models.Model):
    """One fetch or push of a source: what came, what was new, what was skipped and why."""

    class Outcome(models.TextChoices):
        OK = "ok", _("OK")
        NOT_MODIFIED = "not_modified", _("Not modified")
        FAILED = "failed", _("Failed")
        RATE_LIMITED = "rate_limited", _("Fetched too recently")
        PARTIAL = "partial", _("More posts left for the next run")

    source = models.ForeignKey(FeedSource, on_delete=models.CASCADE, related_name="runs")
    pushed = models.BooleanField(default=False)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, blank=True)
    fetched = models.PositiveIntegerField(default=0)
    new = models.PositiveIntegerField(default=0)
    duplicates = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    skipped_reasons = models.JSONField(default=list, blank=True)
    signals = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("ingest run")
        verbose_name_plural = _("ingest runs")
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.source_id} {self.started_at:%Y-%m-%d %H:%M} {self.outcome}"


class Signal(models.Model):
    """Several relevant posts about one place in a short time: a hint for operators, never a case."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DISMISSED = "dismissed", _("Dismissed")
        PROMOTED = "promoted", _("Promoted to a report")

    kind = models.CharField(max_length=16, default="burst")
    place_key = models.CharField(max_length=200)
    place = models.CharField(max_length=200, blank=True)
    area_code = models.CharField(max_length=32, blank=True)
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    window_start = models.DateTimeField()
    window_end = models.DateTimeField()
    post_count = models.PositiveIntegerField()
    score = models.FloatField()
    posts = models.ManyToManyField(Post, related_name="signals", blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField()
    report = models.ForeignKey("reports.Report", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("signal")
        verbose_name_plural = _("signals")
        ordering = ["-window_end", "-pk"]
        indexes = [models.Index(fields=["status", "place_key"], name="feeds_signal_status_idx")]

    def __str__(self) -> str:
        return f"{self.place or self.area_code} {self.window_start:%Y-%m-%d %H:%M} ({self.post_count})"
