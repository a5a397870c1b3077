"""From a `RawPost` to a `Post` row: analysed (relevance, type, language, urgency, feeling), geotagged
with the city's gazetteer, the author pseudonymised, and an irrelevant post cut down to a stub."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

from streetlight.reports.geo import area_index
from streetlight.toolkit.posts import Gazetteer, RawPost, pseudonymise

from . import conf
from .models import FeedSource, Post

if TYPE_CHECKING:
    from streetlight.toolkit.posts import PostAnalyser, PostAnalysis

logger = logging.getLogger("streetlight.feeds")
COORDINATE_CONFIDENCE = 0.9  # the source's own coordinates: precise, but a post may be about elsewhere
_lock = threading.Lock()
_analysers: dict[str, PostAnalyser] = {}


@dataclass(frozen=True)
class Understood:
    post: Post | None  # None: skipped, not even a stub (cannot be stored at all)
    skipped: str = ""  # why the post was not analysed, when it was not


def analyser() -> PostAnalyser:
    """One analyser per active triage model (the city's categories), kept for the process; without
    a readable model, posts get no alert type but are still read."""
    from streetlight.toolkit.posts import PostAnalyser  # scikit-learn: loaded by the first post analysed
    from streetlight.triage import engine
    from streetlight.triage.services import active_model

    model = active_model()
    key = model.checksum if model is not None else ""
    with _lock:
        if key not in _analysers:
            classifier = None
            if model is not None:
                try:
                    classifier = engine.cached_classifier(model.checksum, bytes(model.payload))
                except Exception:
                    logger.exception("feeds: triage model %s cannot be read; posts get no alert type", model.pk)
            _analysers.clear()
            _analysers[key] = PostAnalyser(classifier)
        return _analysers[key]


@lru_cache(maxsize=2)
def _gazetteer_at(path: str) -> Gazetteer:
    return Gazetteer.from_csv(path)


def gazetteer() -> Gazetteer:
    return _gazetteer_at(str(conf.gazetteer_path()))


def analyse(posts: Sequence[RawPost], *, default_language: str) -> list[PostAnalysis | str]:
    """The analysis of each post, or the reason it could not be analysed. One batch call; if it
    fails, post by post, so one poisonous text costs only itself."""
    hints = [p.language or default_language or None for p in posts]
    engine = analyser()
    try:
        return list(engine.analyse_many([p.text for p in posts], languages=hints))
    except Exception:
        logger.warning("feeds: batch analysis failed; analysing post by post", exc_info=True)
    out: list[PostAnalysis | str] = []
    for post, hint in zip(posts, hints, strict=True):
        try:
            out.append(engine.analyse(post.text, language=hint))
        except Exception as exc:
            out.append(f"analysis failed: {type(exc).__name__}")
    return out


def _place(post: Post, raw: RawPost, language: str | None) -> None:
    match = gazetteer().best(raw.text, language)
    if match is not None:
        place = match.place
        post.place, post.lat, post.lon = place.name[:200], place.lat, place.lon
        post.area_code = (place.area or "")[:32]
        post.geo_confidence = round(float(match.confidence), 3)
        return
    if raw.lat is not None and raw.lon is not None:
        post.lat, post.lon = raw.lat, raw.lon
        index = area_index()
        post.area_code = (index.locate(raw.lat, raw.lon) or "") if index is not None else ""
        post.geo_confidence = COORDINATE_CONFIDENCE


def understand(raws: Sequence[RawPost], *, source: FeedSource, now: datetime) -> list[Understood]:
    """Rows ready to insert, in order. Relevant posts keep their (encrypted) text, URL, pseudonym and
    place; others become stubs (id, time, language, scores) kept for de-duplication and counts."""
    expires = now + timedelta(days=source.retention_days)
    key = conf.pseudonym_key()
    out: list[Understood] = []
    for raw, analysis in zip(raws, analyse(raws, default_language=source.language), strict=True):
        published = raw.published if raw.published is not None and raw.published <= now else now
        post = Post(source=source, item_id=raw.item_id, published_at=published, fetched_at=now, expires_at=expires)
        if isinstance(analysis, str):
            post.skipped_reason = analysis
            out.append(Understood(post, analysis))
            continue
        post.language = analysis.language or ""
        post.relevance = analysis.relevance
        post.insecurity = analysis.insecurity
        post.sentiment = analysis.sentiment
        if analysis.language is None:
            reason = f"language not recognised or not supported (hint {raw.language or source.language or 'none'!r})"
            post.skipped_reason = reason[:200]
            out.append(Understood(post, reason))
            continue
        if analysis.relevant:
            post.relevant = True
            post.text = raw.text
            post.url = raw.url or ""
            post.author_pseudonym = pseudonymise(raw.author, key=key, source=str(source.pk))
            post.alert_type = analysis.alert_type or ""
            post.alert_confidence = analysis.alert_confidence
            post.urgency = analysis.urgency
            post.cues = list(analysis.cues)
            _place(post, raw, analysis.language)
        out.append(Understood(post))
    return out
