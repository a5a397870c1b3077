"""Which agencies a report would go to: rules first, then the reporter's consent.

Read-only, so the admin's preview and the real routing share exactly one implementation."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time
from zoneinfo import ZoneInfo

from django.conf import settings

from streetlight.core import versions
from streetlight.reports.models import Report

from .models import Agency, RoutingRule

CONSENT_FLAGS = {
    "police": "share_police",
    "victim_support": "share_victim_support",
    "social_services": "share_social_services",
    "city": "share_city",
}


def consented_scopes(report: Report) -> frozenset[str]:
    """The recipients the reporter ticked; empty for "statistics only"."""
    return frozenset(scope for scope, flag in CONSENT_FLAGS.items() if getattr(report, flag))


def _in_window(moment: time, start: time, end: time) -> bool:
    if start <= end:
        return start <= moment < end
    return moment >= start or moment < end  # a window across midnight, e.g. 22:00–06:00


@dataclass(frozen=True)
class CompiledRule:
    """A rule as plain data, so routing a report costs no query per rule."""

    name: str
    codes: frozenset[str]
    areas: frozenset[int]
    time_from: time | None
    time_to: time | None
    sensitivity: str
    agencies: tuple[Agency, ...]


ROUTING_VERSION_KEY = "streetlight:routing:version"


def routing_changed() -> None:
    """Rules or agencies changed: every process recompiles on its next report."""
    versions.bump(ROUTING_VERSION_KEY)
    _compiled.forget()  # this process at once, even without a shared cache


def _compile() -> tuple[list[CompiledRule], list[Agency]]:
    rules = RoutingRule.objects.filter(active=True).prefetch_related("categories", "areas", "agencies")
    compiled = [
        CompiledRule(
            name=rule.name,
            codes=frozenset(c.code for c in rule.categories.all()),
            areas=frozenset(a.pk for a in rule.areas.all()),
            time_from=rule.time_from,
            time_to=rule.time_to,
            sensitivity=rule.sensitivity,
            agencies=tuple(a for a in rule.agencies.all() if a.active),
        )
        for rule in rules
    ]
    return compiled, list(Agency.objects.filter(active=True, receives_unrouted=True))


_compiled = versions.ProcessMemo(ROUTING_VERSION_KEY, _compile)


def compiled_rules() -> tuple[list[CompiledRule], list[Agency]]:
    return _compiled.get()


def rule_matches(rule: CompiledRule, report: Report) -> bool:
    category = report.category
    if rule.sensitivity == "sensitive" and not category.sensitive:
        return False
    if rule.sensitivity == "not_sensitive" and category.sensitive:
        return False
    codes = rule.codes
    if codes and category.code not in codes and not (category.parent and category.parent.code in codes):
        return False
    if rule.areas and report.area_id not in rule.areas:
        return False
    if rule.time_from is not None and rule.time_to is not None:
        local = report.occurred_from.astimezone(ZoneInfo(settings.TIME_ZONE)).time()
        if not _in_window(local, rule.time_from, rule.time_to):
            return False
    return True


@dataclass
class Candidate:
    agency: Agency
    rules: list[str] = field(default_factory=list)
    allowed: bool = False
    fallback: bool = False


def candidates(report: Report) -> list[Candidate]:
    """Every agency a rule names (or the fallback for a ticked recipient no rule served), each marked
    allowed or not by the reporter's consent."""
    scopes = consented_scopes(report)
    found: dict[int, Candidate] = {}
    rules, fallbacks = compiled_rules()
    for rule in rules:
        if not rule_matches(rule, report):
            continue
        for agency in rule.agencies:
            candidate = found.setdefault(agency.pk, Candidate(agency=agency))
            candidate.rules.append(rule.name)
            candidate.allowed = agency.consent_scope in scopes
    served = {c.agency.consent_scope for c in found.values() if c.allowed}
    for agency in (a for a in fallbacks if a.consent_scope in scopes - served):
        found.setdefault(agency.pk, Candidate(agency=agency, allowed=True, fallback=True))
    return sorted(found.values(), key=lambda c: (not c.allowed, c.agency.name))
