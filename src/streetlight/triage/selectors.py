"""Triage reads for the control room and the city administrator."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from streetlight.accounts.models import User
from streetlight.reports.models import Category, Report
from streetlight.routing.enums import Role
from streetlight.routing.models import Membership

from .models import ReportTriage, TriageLabel, TriageModel


@dataclass(frozen=True)
class Segment:
    """A piece of the description, marked when an urgency cue fired on it."""

    text: str
    cue: str = ""


@dataclass(frozen=True)
class SuggestionView:
    category: Category
    confidence: float


@dataclass(frozen=True)
class TriageView:
    triage: ReportTriage
    suggestions: list[SuggestionView]
    segments: list[Segment]
    cue_kinds: list[str]
    label: TriageLabel | None
    leaves: list[tuple[Category, list[Category]]] = field(default_factory=list)


def highlighted(text: str, cues: list[dict[str, Any]]) -> list[Segment]:
    """Split the text at the cues' spans so a template can mark them without writing HTML."""
    spans = sorted(
        (int(start), int(end), str(cue["kind"]))
        for cue in cues
        for start, end in cue.get("spans", [])
        if 0 <= int(start) < int(end) <= len(text)
    )
    segments, at = [], 0
    for start, end, kind in spans:
        if start < at:
            continue  # overlapping cues: the first one marks the words
        if start > at:
            segments.append(Segment(text[at:start]))
        segments.append(Segment(text[start:end], kind))
        at = end
    if at < len(text):
        segments.append(Segment(text[at:]))
    return segments


def leaf_choices() -> list[tuple[Category, list[Category]]]:
    """The categories an operator may choose, grouped under their main category."""
    leaves = Category.objects.filter(active=True, parent__isnull=False).select_related("parent").order_by("order")
    groups: dict[int, tuple[Category, list[Category]]] = {}
    for leaf in leaves:
        assert leaf.parent is not None
        groups.setdefault(leaf.parent_id or 0, (leaf.parent, []))[1].append(leaf)
    return sorted(groups.values(), key=lambda group: (group[0].order, group[0].pk))


def report_triage_view(*, report: Report) -> TriageView | None:
    """The triage of a report the caller may already see (the control room authorises first)."""
    triage = ReportTriage.objects.filter(report=report).first()
    if triage is None:
        return None
    codes = [s["category"] for s in triage.suggestions]
    categories = {c.code: c for c in Category.objects.filter(code__in=codes)}
    return TriageView(
        triage=triage,
        suggestions=[
            SuggestionView(category=categories[s["category"]], confidence=float(s["confidence"]))
            for s in triage.suggestions
            if s["category"] in categories
        ],
        segments=highlighted(report.description, triage.cues),
        cue_kinds=sorted({str(cue["kind"]) for cue in triage.cues}),
        label=TriageLabel.objects.filter(report=report).first(),
        leaves=leaf_choices(),
    )


def urgency_of(*, report_ids: list[int]) -> dict[int, str]:
    return dict(ReportTriage.objects.filter(report_id__in=report_ids).values_list("report_id", "urgency"))


def is_city_admin(*, user: User | AnonymousUser) -> bool:
    """City administrators manage triage models; Django superusers may too."""
    if not user.is_authenticated or not user.is_active:
        return False
    return bool(user.is_superuser) or Membership.objects.filter(user=user, role=Role.CITY_ADMIN).exists()


def model_list() -> QuerySet[TriageModel]:
    return TriageModel.objects.defer("payload").select_related("created_by")


def label_count() -> int:
    return TriageLabel.objects.count()


def model_get(*, model_id: int) -> TriageModel | None:
    return model_list().filter(pk=model_id).first()


@dataclass(frozen=True)
class EvaluationRow:
    category: str
    precision: float
    recall: float
    f1: float
    support: int


def evaluation_rows(*, model: TriageModel) -> list[EvaluationRow]:
    """The per-category figures of a model's held-out evaluation, named in the reader's language."""
    per_label = model.evaluation.get("per_label") or []
    categories = Category.objects.filter(code__in=[row["label"] for row in per_label]).prefetch_related("texts")
    names = {c.code: c.name() for c in categories}
    return sorted(
        (
            EvaluationRow(
                category=names.get(row["label"], row["label"]),
                precision=float(row["precision"]),
                recall=float(row["recall"]),
                f1=float(row["f1"]),
                support=int(row["support"]),
            )
            for row in per_label
        ),
        key=lambda row: row.category,
    )


def as_user(user: User | AnonymousUser) -> User:
    assert isinstance(user, User)
    return user
