"""The webhook a push source posts to: signed like our own outgoing webhooks (docs/webhooks.md),
size-capped before anything is parsed, and stored through the same path as a fetch. Never a 500
for bad input: 400 with the reason, logged. Thin: no ORM here."""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from streetlight.core.problems import problem
from streetlight.notify import signing
from streetlight.toolkit.posts import MAX_FEED_BYTES

from . import selectors
from .ingest import PushRefused, feed_push

logger = logging.getLogger("streetlight.feeds")
SIGNATURE_HEADER = "Streetlight-Signature"


def _too_large() -> HttpResponse:
    return problem(status=413, title="The request is too large.", detail=f"Send at most {MAX_FEED_BYTES} bytes.")


@csrf_exempt  # authenticated by its signature, not by a session
@require_POST
def push(request: HttpRequest, source_id: int) -> HttpResponse:
    source = selectors.push_source(source_id=source_id)
    if source is None or not source.webhook_secret:
        return problem(status=404, title="No such push source.")
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > MAX_FEED_BYTES:
        logger.info("feeds: push to source %s refused: %d bytes announced", source.pk, declared)
        return _too_large()
    body = request.read(MAX_FEED_BYTES + 1)  # not request.body: its own cap is the forms' 2 MB
    if len(body) > MAX_FEED_BYTES:
        logger.info("feeds: push to source %s refused: more than %d bytes", source.pk, MAX_FEED_BYTES)
        return _too_large()
    if not signing.verify(source.webhook_secret, body, request.headers.get(SIGNATURE_HEADER, "")):
        logger.info("feeds: push to source %s with a missing, wrong or old signature", source.pk)
        return problem(status=401, title="The signature is missing, wrong or too old.")
    try:
        run = feed_push(source=source, body=body)
    except PushRefused as exc:
        logger.info("feeds: push to source %s refused: %s", source.pk, exc)
        return problem(status=400, title="The body is not usable.", detail=str(exc)[:300])
    answer = {
        "run": run.pk,
        "outcome": run.outcome,
        "received": run.fetched,
        "new": run.new,
        "duplicates": run.duplicates,
        "skipped": run.skipped,
        "skipped_reasons": run.skipped_reasons[:10],
        "error": run.error,
    }
    failed = run.outcome == run.Outcome.FAILED  # our fault (the database), not the body's: retry later
    response = JsonResponse(answer, status=503 if failed else 202)
    response["Cache-Control"] = "no-store"
    if failed:
        response["Retry-After"] = "60"
    return response
