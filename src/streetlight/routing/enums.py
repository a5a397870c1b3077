"""Choices for agencies, roles and assignments."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AgencyKind(models.TextChoices):
    POLICE = "police", _("Police")
    VICTIM_SUPPORT = "victim_support", _("Victim support")
    SOCIAL_SERVICES = "social_services", _("Social services")
    CITY_DEPARTMENT = "city_department", _("City department")
    NIGHT_ECONOMY = "night_economy", _("Night-time economy")
    BUSINESS_ASSOCIATION = "business_association", _("Business association")
    OTHER = "other", _("Other")


class ConsentScope(models.TextChoices):
    """Which of the reporter's four consent choices lets an agency receive a report."""

    POLICE = "police", _("Police")
    VICTIM_SUPPORT = "victim_support", _("Victim support")
    SOCIAL_SERVICES = "social_services", _("Social services")
    CITY = "city", _("The city")


class Role(models.TextChoices):
    OPERATOR = "operator", _("Operator")
    CASE_WORKER = "case_worker", _("Case worker")
    SUPERVISOR = "supervisor", _("Supervisor")
    ANALYST = "analyst", _("Analyst")
    AGENCY_ADMIN = "agency_admin", _("Agency administrator")
    CITY_ADMIN = "city_admin", _("City administrator")


# Roles that work individual reports; analysts see aggregates only.
CASE_ROLES = frozenset({Role.OPERATOR, Role.CASE_WORKER, Role.SUPERVISOR, Role.AGENCY_ADMIN})
# Roles that speak for their agency to the public: issue warnings, organise safety walks, coordinate
# a business community.
DESK_ROLES = frozenset({Role.OPERATOR, Role.SUPERVISOR, Role.AGENCY_ADMIN, Role.CITY_ADMIN})


class AssignmentStatus(models.TextChoices):
    NEW = "new", _("New")
    ACCEPTED = "accepted", _("Accepted")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DECLINED = "declined", _("Declined")


class Sensitivity(models.TextChoices):
    ANY = "any", _("Any report")
    SENSITIVE = "sensitive", _("Only sensitive categories")
    NOT_SENSITIVE = "not_sensitive", _("Only non-sensitive categories")


class DeadlineUnit(models.TextChoices):
    HOURS = "hours", _("hours")
    DAYS = "days", _("days")
