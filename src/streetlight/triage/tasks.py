"""Background work for triage, run by `streetlight worker`."""

from __future__ import annotations

from django.tasks import task

from .services import triage_model_train


@task()
def train_model(*, model_id: int, with_seed_texts: bool = True) -> None:
    triage_model_train(model_id=model_id, with_seed_texts=with_seed_texts)
