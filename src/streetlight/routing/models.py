"""Agencies, their members, the routing rules and deadlines, and the assignments they create.

An assignment exists only where the reporter's consent allows it: that is the one rule of this
app, enforced in services.report_route and checked again by a database-level test suite."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from streetlight.reports.models import Area, Category, Report

from .enums import AgencyKind, AssignmentStatus, ConsentScope, DeadlineUnit, Role, Sensitivity


class Agency(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=AgencyKind.choices)
    consent_scope = models.CharField(
        _("consent that allows it"),
        max_length=32,
        choices=ConsentScope.choices,
        help_text=_("The reporter's choice that must be ticked for this agency to receive a report."),
    )
    receives_unrouted = models.BooleanField(
        _("receives reports no rule routes"),
        default=False,
        help_text=_("When a reporter chose this kind of recipient and no rule sends the report to one, it goes here."),
    )
    email = models.EmailField(_("e-mail for notifications"), blank=True)
    language = models.CharField(_("language of e-mails"), max_length=8, choices=settings.LANGUAGES, default="en")
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "agency", "role"], name="uniq_membership_role")]
        verbose_name = _("membership")

    def __str__(self) -> str:
        return f"{self.user} · {self.agency} · {self.role}"


class RoutingRule(models.Model):
    """Category × area × time of day × sensitivity → agencies. Every matching rule applies, so a
    report can go to several agencies at once; consent then removes what the reporter did not allow."""

    name = models.CharField(_("name"), max_length=200)
    active = models.BooleanField(_("active"), default=True)
    categories = models.ManyToManyField(
        Category, blank=True, help_text=_("Empty: every category. A main category includes its sub-categories.")
    )
    areas = models.ManyToManyField(Area, blank=True, help_text=_("Empty: everywhere, and reports without a place."))
    time_from = models.TimeField(_("from (local time)"), null=True, blank=True)
    time_to = models.TimeField(_("until (local time)"), null=True, blank=True)
    sensitivity = models.CharField(_("sensitivity"), max_length=16, choices=Sensitivity.choices, default="any")
    agencies = models.ManyToManyField(Agency, related_name="rules")

    class Meta:
        ordering = ["name"]
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        constraints = [
            models.CheckConstraint(
                condition=(Q(time_from__isnull=True) & Q(time_to__isnull=True))
                | (Q(time_from__isnull=False) & Q(time_to__isnull=False)),
                name="rule_time_window_complete",
            )
        ]

    def __str__(self) -> str:
        return self.name


class DeadlinePolicy(models.Model):
    """How long an agency has to act on a report of a category (the category's own policy, else its
    main category's, else the default one with no category)."""

    category = models.OneToOneField(Category, null=True, blank=True, on_delete=models.CASCADE)
    amount = models.PositiveIntegerField(_("amount"))
    unit = models.CharField(_("unit"), max_length=8, choices=DeadlineUnit.choices)
    working_time = models.BooleanField(
        _("working time"),
        default=True,
        help_text=_("Count only working hours (Monday–Friday) instead of calendar time."),
    )

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        constraints = [
            models.UniqueConstraint(
                fields=["category"], condition=Q(category__isnull=True), name="one_default_deadline"
            ),
            models.CheckConstraint(condition=Q(amount__gte=1), name="deadline_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.category or 'default'}: {self.amount} {self.unit}"


class Assignment(models.Model):
    """A report in one agency's queue, with its own status and deadline."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="assignments")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="assignments")
    status = models.CharField(_("status"), max_length=16, choices=AssignmentStatus.choices, default="new")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    consent_scope = models.CharField(max_length=32, choices=ConsentScope.choices)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    deadline_at = models.DateTimeField(db_index=True)
    late_after = models.DateTimeField(help_text=_("3× the allowed time"))
    escalated_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["deadline_at"]
        constraints = [models.UniqueConstraint(fields=["report", "agency"], name="one_assignment_per_agency")]
        verbose_name = _("assignment")

    def __str__(self) -> str:
        return f"{self.report} → {self.agency}"
