"""Choices shared by the report models, forms and API."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    CRIME = "crime", _("Crime")
    INCIDENT = "incident", _("Incident")
    FEELING = "feeling", _("Feeling of insecurity")
    CYBER = "cyber", _("Cyber")


class Source(models.TextChoices):
    WEB = "web", _("Web form")
    API = "api", _("API")
    OPEN311 = "open311", _("Open311")
    IMPORT = "import", _("Import")
    DEMO = "demo", _("Demo data")
    WALK = "walk-me-home", _("Walk me home alert")
    CHAT = "chat", _("Chat assistant")
    FEED = "feed", _("Public post signal")


class WhenKind(models.TextChoices):
    NOW = "now", _("Now")
    AT = "at", _("At a moment")
    RANGE = "range", _("Between two moments")


class LocationKind(models.TextChoices):
    POINT = "point", _("Exact point")
    AREA = "area", _("An area")
    NONE = "none", _("Not given")


class DayNight(models.TextChoices):
    DAY = "day", _("Day")
    NIGHT = "night", _("Night")


class UnsafeReason(models.TextChoices):
    LIGHTING = "lighting", _("Poor lighting")
    DESERTED = "deserted", _("Deserted place")
    GROUPS = "groups", _("Groups hanging around")
    HARASSMENT = "harassment", _("Harassment")
    TRAFFIC = "traffic", _("Unsafe traffic")
    OTHER = "other", _("Something else")


class Recipient(models.TextChoices):
    """Who a reporter may share a report with; each maps to a consent flag on Report."""

    POLICE = "police", _("Police")
    VICTIM_SUPPORT = "victim_support", _("Victim support")
    SOCIAL_SERVICES = "social_services", _("Social services")
    CITY = "city", _("The city")


class Anonymisation(models.TextChoices):
    """Why a report's personal content was removed."""

    RETENTION = "retention", _("Retention period over")
    REPORTER = "reporter", _("Erased by the reporter")
    REQUEST = "request", _("Erased on request to the city")


class Need(models.TextChoices):
    """Help a person may ask for when reporting (the needs assessment). Optional, and each answer goes
    only where the report goes: to the agencies the person chose."""

    IN_DANGER_NOW = "in_danger_now", _("In danger now")
    MEDICAL = "medical", _("Medical help")
    SOMEONE_TO_TALK_TO = "someone_to_talk_to", _("Someone to talk to")
    LEGAL_ADVICE = "legal_advice", _("Legal advice")
    SAFE_PLACE = "safe_place", _("A safe place to stay")
    INTERPRETER = "interpreter", _("An interpreter")
    ACCESSIBILITY = "accessibility", _("Accessibility support")
    FORMAL_COMPLAINT = "formal_complaint", _("Help with a formal complaint")


# Needs that put the emergency number before everything else and are highlighted for staff.
URGENT_NEEDS = frozenset({Need.IN_DANGER_NOW.value})
INTERPRETER_LANGUAGE_MAX = 60
