"""How long a closed report keeps its personal data: the defaults from settings, a stricter profile
for sensitive categories, and per-category overrides.

One place decides it, read by the retention run, its dry-run and the public transparency page, so
what the city promises is what the timer does. Every period counts from the day a report was closed
(resolved, closed, declined, or merged into a report that was); open reports keep everything."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Category

YEAR = 365


@dataclass(frozen=True)
class Policy:
    """Days after closure: contact details wiped, report anonymised, report deleted (0: never)."""

    contact_days: int
    anonymise_days: int
    delete_days: int

    def clamped(self) -> Policy:
        """Anonymising removes the contact too, and only an anonymised report may wait for deletion,
        so the periods can only grow in that order whatever an override says."""
        anonymise = max(self.anonymise_days, 1)
        contact = min(self.contact_days, anonymise)
        delete = max(self.delete_days, anonymise) if self.delete_days else 0
        return Policy(contact_days=contact, anonymise_days=anonymise, delete_days=delete)


@dataclass(frozen=True)
class PolicyRow:
    """One line of the public statement: whom it applies to and its periods in words."""

    label: str
    policy: Policy

    @property
    def contact(self) -> str:
        return duration_text(self.policy.contact_days)

    @property
    def anonymise(self) -> str:
        return duration_text(self.policy.anonymise_days)

    @property
    def delete(self) -> str:
        return duration_text(self.policy.delete_days) if self.policy.delete_days else _("never")


def default_policy(*, sensitive: bool) -> Policy:
    config = settings.STREETLIGHT["RETENTION"]
    prefix = "SENSITIVE_" if sensitive else ""
    return Policy(
        contact_days=int(config[f"{prefix}CONTACT_DAYS"]),
        anonymise_days=int(config[f"{prefix}ANONYMISE_DAYS"]),
        delete_days=int(config[f"{prefix}DELETE_DAYS"]),
    ).clamped()


def batch_size() -> int:
    """How many reports one run changes at most, so a timer tick stays short; the rest waits."""
    return int(settings.STREETLIGHT["RETENTION"]["BATCH"])


def is_sensitive(category: Category) -> bool:
    return category.sensitive or (category.parent is not None and category.parent.sensitive)


def policy_for(category: Category) -> Policy:
    """The category's own override, else its parent's, else the (sensitive) default; needs `parent`."""
    base = default_policy(sensitive=is_sensitive(category))
    chain = [category, *([category.parent] if category.parent is not None else [])]

    def pick(field: str, default: int) -> int:
        return next((v for c in chain if (v := getattr(c, field)) is not None), default)

    return Policy(
        contact_days=pick("retention_contact_days", base.contact_days),
        anonymise_days=pick("retention_anonymise_days", base.anonymise_days),
        delete_days=pick("retention_delete_days", base.delete_days),
    ).clamped()


def category_policies() -> list[tuple[Category, Policy]]:
    """Every category with the policy that applies to it, parents first."""
    categories = (
        Category.objects.select_related("parent")
        .prefetch_related("texts")
        .order_by("parent__order", "parent__code", "order", "code")
    )
    return [(category, policy_for(category)) for category in categories]


def policy_rows() -> list[PolicyRow]:
    """The defaults, then each category whose periods differ from its default, by name."""
    rows = [
        PolicyRow(_("Most reports"), default_policy(sensitive=False)),
        PolicyRow(
            _("Sensitive reports: hate, harassment, sexual or domestic violence"), default_policy(sensitive=True)
        ),
    ]
    for category, policy in category_policies():
        if policy != default_policy(sensitive=is_sensitive(category)):
            rows.append(PolicyRow(category.name(), policy))
    return rows


def duration_text(days: int) -> str:
    """Whole years read better than a count of days on a public page."""
    if days >= YEAR and days % YEAR == 0:
        years = days // YEAR
        return ngettext("%(n)d year", "%(n)d years", years) % {"n": years}
    return ngettext("%(n)d day", "%(n)d days", days) % {"n": days}
