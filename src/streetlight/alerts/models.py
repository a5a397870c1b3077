"""Area warnings and calls for help, each stored as the CAP 1.2 message we published.

A warning is a thread of CAP messages: the first `Alert`, then `Update`s and at most one `Cancel`,
each a new message that references the one it replaces (CAP never edits a published message). The
exact XML we validated and published is kept in `document`, so a reader who fetched it once can
always fetch the same bytes again.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from streetlight.reports.models import Area
from streetlight.routing.models import Agency

LANGUAGE_CHOICES = [(code, name) for code, name in settings.LANGUAGES]


class Alert(models.Model):
    class Kind(models.TextChoices):
        WARNING = "warning", _("Warning")
        CALL_FOR_HELP = "call_for_help", _("Call for help")

    class Status(models.TextChoices):
        ACTUAL = "Actual", _("Actual")
        EXERCISE = "Exercise", _("Exercise (drill)")
        TEST = "Test", _("Technical test")

    class MsgType(models.TextChoices):
        ALERT = "Alert", _("Alert")
        UPDATE = "Update", _("Update")
        CANCEL = "Cancel", _("Cancellation")

    class Scope(models.TextChoices):
        PUBLIC = "Public", _("Public")
        RESTRICTED = "Restricted", _("Restricted")
        PRIVATE = "Private", _("Private")

    class Urgency(models.TextChoices):
        IMMEDIATE = "Immediate", _("Immediate: act now")
        EXPECTED = "Expected", _("Expected: act within the next hour")
        FUTURE = "Future", _("Future: act in the near future")
        PAST = "Past", _("Past: no longer required")
        UNKNOWN = "Unknown", _("Unknown")

    class Severity(models.TextChoices):
        EXTREME = "Extreme", _("Extreme")
        SEVERE = "Severe", _("Severe")
        MODERATE = "Moderate", _("Moderate")
        MINOR = "Minor", _("Minor")
        UNKNOWN = "Unknown", _("Unknown")

    class Certainty(models.TextChoices):
        OBSERVED = "Observed", _("Observed")
        LIKELY = "Likely", _("Likely")
        POSSIBLE = "Possible", _("Possible")
        UNLIKELY = "Unlikely", _("Unlikely")
        UNKNOWN = "Unknown", _("Unknown")

    identifier = models.CharField(_("identifier"), max_length=120, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.WARNING)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTUAL)
    msg_type = models.CharField(_("message type"), max_length=8, choices=MsgType.choices, default=MsgType.ALERT)
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices, default=Scope.PUBLIC)
    restriction = models.CharField(_("restriction"), max_length=200, blank=True)
    addresses = models.JSONField(_("addresses"), default=list, blank=True)
    sent = models.DateTimeField(_("sent"), db_index=True)
    # The thread: the first message, and the message this one replaces (for updates and cancellations).
    original = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="thread_messages"
    )
    replaces = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by")
    cap_categories = models.JSONField(_("CAP categories"), default=list)
    topics = models.JSONField(_("topics"), default=list, blank=True, help_text=_("Report category codes."))
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    certainty = models.CharField(_("certainty"), max_length=10, choices=Certainty.choices)
    response_types = models.JSONField(_("response types"), default=list, blank=True)
    onset = models.DateTimeField(_("onset"), null=True, blank=True)
    expires = models.DateTimeField(_("expires"))
    area = models.ForeignKey(Area, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    area_description = models.CharField(_("area description"), max_length=200)
    # Rings of [lat, lon] pairs (CAP's order), closed; a circle is [lat, lon, radius_km].
    polygons = models.JSONField(_("polygons"), default=list, blank=True)
    circles = models.JSONField(_("circles"), default=list, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="alerts")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rule = models.ForeignKey("AlertRule", null=True, blank=True, on_delete=models.SET_NULL, related_name="alerts")
    document = models.TextField(_("CAP document"), editable=False)

    class Meta:
        ordering = ["-sent", "-id"]
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(msg_type="Alert", replaces__isnull=True)
                | (~models.Q(msg_type="Alert") & models.Q(replaces__isnull=False)),
                name="alert_updates_reference_the_replaced_message",
            ),
            models.CheckConstraint(
                condition=models.Q(onset__isnull=True) | models.Q(expires__gt=models.F("onset")),
                name="alert_expires_after_onset",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.identifier} ({self.msg_type})"


class AlertInfo(models.Model):
    """One language of a message: CAP has one `info` block per language."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="infos")
    language = models.CharField(_("language"), max_length=8, choices=LANGUAGE_CHOICES)
    event = models.CharField(_("event"), max_length=120)
    headline = models.CharField(_("headline"), max_length=160)
    description = models.TextField(_("description"), max_length=4000)
    instruction = models.TextField(_("instruction"), max_length=2000, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["alert", "language"], name="uniq_alert_info_language")]
        verbose_name = _("alert text")
        verbose_name_plural = _("alert texts")

    def __str__(self) -> str:
        return f"{self.alert_id} [{self.language}] {self.headline}"


class AlertRule(models.Model):
    """A standing instruction: when enough reports of these categories arrive in one area within a
    window, warn that area. The texts come from translated templates, never from report contents."""

    name = models.CharField(_("name"), max_length=120)
    categories = models.JSONField(_("categories"), help_text=_("Report category codes; a parent covers its children."))
    threshold = models.PositiveSmallIntegerField(_("reports needed"), default=5)
    window_hours = models.PositiveSmallIntegerField(_("within hours"), default=24)
    lifetime_hours = models.PositiveSmallIntegerField(_("warning lasts hours"), default=24)
    severity = models.CharField(
        _("severity"), max_length=10, choices=Alert.Severity.choices, default=Alert.Severity.MODERATE
    )
    status = models.CharField(_("status"), max_length=10, choices=Alert.Status.choices, default=Alert.Status.ACTUAL)
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("warning rule")
        verbose_name_plural = _("warning rules")
        constraints = [
            models.CheckConstraint(condition=models.Q(threshold__gte=1), name="alert_rule_threshold_positive"),
            models.CheckConstraint(condition=models.Q(window_hours__gte=1), name="alert_rule_window_positive"),
            models.CheckConstraint(condition=models.Q(lifetime_hours__gte=1), name="alert_rule_lifetime_positive"),
        ]

    def __str__(self) -> str:
        return self.name
