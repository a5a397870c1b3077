"""Triage writes: triaging a report, an operator's correction becoming a label, training a new model
version from the labels, and choosing which version is active."""

from __future__ import annotations

import hashlib
import json
import logging
from importlib import resources
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from streetlight.accounts.models import User
from streetlight.audit import services as audit
from streetlight.reports.errors import ReportInvalid
from streetlight.reports.models import Category, Report

from . import engine
from .models import ModelSource, ModelStatus, ReportTriage, TriageLabel, TriageModel

logger = logging.getLogger("streetlight.triage")
HOLDOUT_SHARE = 0.2
MIN_LABELS_ALONE = 20
SPLIT_SEED = 20261124


class TriageRefused(Exception):
    """A training or activation request that cannot be carried out; the message says why."""


def seed_texts() -> list[dict[str, Any]]:
    """The texts written for Streetlight to bootstrap a city's first model (see seed_corpus.md)."""
    raw = resources.files("streetlight.triage").joinpath("data", "seed_corpus.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in raw.splitlines() if line.strip()]


def active_model() -> TriageModel | None:
    return TriageModel.objects.filter(active=True).first()


def report_triage(*, report_id: int) -> ReportTriage | None:
    """Triage a report and store the result (idempotent: a retried task overwrites it). Triage only
    suggests, so it must never stop a report from being routed: a broken model is logged and the
    report is triaged without category suggestions."""
    report = Report.objects.filter(pk=report_id).first()
    if report is None:
        return None
    model = active_model()
    classifier = None
    if model is not None:
        try:
            classifier = engine.cached_classifier(model.checksum, bytes(model.payload))
        except Exception:
            logger.exception("triage model %s cannot be read; triaging without category suggestions", model.pk)
            model = None
    result = engine.triage_text(report.description, classifier)
    triage, _created = ReportTriage.objects.update_or_create(
        report=report,
        defaults={
            "model": model,
            "triaged_at": timezone.now(),
            "language": result.language,
            "language_confidence": result.language_confidence,
            "urgency": result.urgency,
            "urgency_score": result.urgency_score,
            "cues": result.cues,
            "suggestions": result.suggestions,
            "needs_human": result.needs_human,
            "redacted_description": result.redacted,
            "redactions": result.redactions,
        },
    )
    return triage


def _leaf_categories(codes: list[str]) -> list[Category]:
    found = {c.code: c for c in Category.objects.filter(code__in=codes, active=True, parent__isnull=False)}
    missing = [code for code in codes if code not in found]
    if not codes or missing:
        raise ReportInvalid({"categories": _("Choose one or two categories from the list.")})
    return [found[code] for code in codes]


def report_label(*, actor: User, report: Report, categories: list[str]) -> TriageLabel:
    """An operator confirms or corrects a report's categories (call it inside the caller's
    transaction, on a locked report the actor may see). The first becomes the report's category; all
    of them, with the text stripped of personal data, become a training label. The assignments stay as
    they are: sending the report to another agency is a separate, consent-checked step."""
    chosen = _leaf_categories(list(dict.fromkeys(code for code in categories if code))[:2])
    before = report.category.code
    triage = ReportTriage.objects.filter(report=report).first() or report_triage(report_id=report.pk)
    assert triage is not None
    if chosen[0].pk != report.category_id:
        report.category, report.kind = chosen[0], chosen[0].kind
        report.updated_at = timezone.now()
        report.save(update_fields=["category", "kind", "updated_at"])
    label, _created = TriageLabel.objects.update_or_create(
        report=report,
        defaults={
            "text": triage.redacted_description,
            "language": triage.language,
            "categories": [c.code for c in chosen],
            "suggested": [s["category"] for s in triage.suggestions],
            "labelled_by": actor,
            "labelled_at": timezone.now(),
        },
    )
    audit.record(
        actor=actor,
        action="report.categorised",
        target=report,
        data={"from": before, "to": label.categories, "suggested": label.suggested},
    )
    return label


@transaction.atomic
def triage_model_request(*, actor: User | None, with_seed_texts: bool = True, queue: bool = True) -> TriageModel:
    """Record a training request; the worker trains it (training takes seconds to minutes), unless the
    caller trains it itself (`queue=False`, the command line)."""
    from .tasks import train_model

    if TriageModel.objects.filter(status=ModelStatus.TRAINING).exists():
        raise TriageRefused(_("A model is already being trained. Wait until it is ready."))
    if not with_seed_texts and TriageLabel.objects.count() < MIN_LABELS_ALONE:
        raise TriageRefused(
            _("At least %(n)d labelled reports are needed to train on the operators' labels alone.")
            % {"n": MIN_LABELS_ALONE}
        )
    model = TriageModel.objects.create(
        created_at=timezone.now(),
        created_by=actor,
        source=ModelSource.LABELS,
    )
    audit.record(actor=actor, action="triage.model_requested", target=model, data={"seed_texts": with_seed_texts})
    if queue:
        transaction.on_commit(lambda: train_model.enqueue(model_id=model.pk, with_seed_texts=with_seed_texts))
    return model


def _label_rows(categories: set[str]) -> list[dict[str, Any]]:
    rows = []
    for label in TriageLabel.objects.order_by("pk"):
        codes = [code for code in label.categories if code in categories]
        if codes and label.text.strip():
            rows.append({"text": label.text, "labels": codes})
    return rows


def triage_model_train(*, model_id: int, with_seed_texts: bool = True) -> TriageModel:
    """Train a requested version: fit on most of the labels (and the seed texts), evaluate on the
    operators' labels held out — or on held-out seed texts while there are too few labels — and store
    the file with its evaluation. The model is not activated: a person decides after reading the
    evaluation."""
    model = TriageModel.objects.get(pk=model_id)
    categories = set(Category.objects.filter(active=True, parent__isnull=False).values_list("code", flat=True))
    labelled = _label_rows(categories)
    seeds = [row for row in seed_texts() if set(row["labels"]) <= categories] if with_seed_texts else []
    try:
        trained = engine.train(labelled=labelled, seeds=seeds, holdout=HOLDOUT_SHARE, seed=SPLIT_SEED)
    except Exception as exc:  # a failed run must not stay "training" and block the next request
        if not isinstance(exc, ValueError):
            logger.exception("training triage model %s failed", model.pk)
        model.status, model.error = ModelStatus.FAILED, str(exc) or type(exc).__name__
        model.save(update_fields=["status", "error"])
        return model
    payload = engine.classifier_to_bytes(trained.classifier)
    model.payload = payload
    model.checksum = hashlib.sha256(payload).hexdigest()
    model.labels = list(trained.classifier.labels_)
    model.trained_on, model.held_out = trained.trained_on, trained.held_out
    model.evaluation = trained.evaluation
    model.status = ModelStatus.READY
    model.source = ModelSource.LABELS if labelled else ModelSource.SEED
    model.save()
    return model


@transaction.atomic
def triage_model_activate(*, actor: User | None, model_id: int) -> TriageModel:
    """Make a version the one that triages new reports; the one before stays for rollback."""
    model = TriageModel.objects.select_for_update().filter(pk=model_id).first()
    if model is None or model.status != ModelStatus.READY:
        raise TriageRefused(_("Only a model that finished training can be activated."))
    TriageModel.objects.filter(active=True).exclude(pk=model.pk).update(active=False)
    model.active, model.activated_at = True, timezone.now()
    model.save(update_fields=["active", "activated_at"])
    audit.record(actor=actor, action="triage.model_activated", target=model, data={"checksum": model.checksum})
    return model


def triage_seed_model() -> TriageModel | None:
    """A city with no model gets one trained on the shipped seed texts, active at once."""
    if TriageModel.objects.exists():
        return None
    with transaction.atomic():
        model = TriageModel.objects.create(created_at=timezone.now(), source=ModelSource.SEED)
    model = triage_model_train(model_id=model.pk, with_seed_texts=True)
    if model.status != ModelStatus.READY:
        return model
    return triage_model_activate(actor=None, model_id=model.pk)
