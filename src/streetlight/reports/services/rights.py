"""Erasure on request: by the reporter through their follow-up token, or by a city administrator
answering a person's request. The personal content goes at once, whatever the report's status; the
anonymous statistic stays. Agencies working the report see that it was erased (live stream, webhook,
and the banner on its page)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from streetlight.accounts.models import User
from streetlight.audit import services as audit
from streetlight.live.services import event_publish
from streetlight.notify.services import report_changed_notify

from ..enums import Anonymisation
from ..models import Report
from ..rights_selectors import check_reason, reports_for_email, require_city_admin
from .erasure import personal_content_remove


def _erase(report: Report, *, by: Anonymisation, actor: User | None, reason: str) -> None:
    locked = Report.objects.select_for_update(of=("self",)).select_related("category", "area").get(pk=report.pk)
    removed = personal_content_remove(report=locked, now=timezone.now(), by=by)
    audit.record(
        actor=actor,
        action="report.erased",
        target=locked,
        data={"by": by.value, "reason": reason, "removed": removed},
        actor_label="reporter" if actor is None else "",
    )
    event_publish(kind="report.erased", report_id=locked.pk)
    report_changed_notify(report=locked, event="report.erased")


@transaction.atomic
def report_erase_by_reporter(*, report: Report) -> list[str]:
    """The reporter erases their report and the reports staff split from it (they carry the same
    place); the follow-up link stops working. Returns the references erased."""
    reports = [report, *Report.objects.filter(split_from=report, anonymised_at__isnull=True)]
    for each in reports:
        _erase(each, by=Anonymisation.REPORTER, actor=None, reason="")
    return [r.reference for r in reports]


@transaction.atomic
def access_request_erase(*, actor: User, email: str, reason: str, report_ids: list[int]) -> list[str]:
    """Erase the chosen reports of an e-mail address for a person's request; only reports that
    address leads to can be chosen. Returns the references erased."""
    require_city_admin(actor)
    why = check_reason(reason)
    wanted = set(report_ids)
    reports = [r for r in reports_for_email(email=email) if r.pk in wanted]
    for report in reports:
        _erase(report, by=Anonymisation.REQUEST, actor=actor, reason=why)
    return [r.reference for r in reports]
