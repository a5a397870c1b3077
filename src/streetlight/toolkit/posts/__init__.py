"""Open posts (RSS/Atom, Mastodon, neighbour-group exports): parse them into plain `RawPost`s,
pseudonymise their authors, geotag them with the city's gazetteer, and spot bursts of posts about
one place. Pure Python: usable from a notebook, `streetlight posts …` and the feeds app alike."""

from typing import TYPE_CHECKING

from streetlight.toolkit.lazy import lazy_attributes

# -- parsing, pseudonyms, gazetteer, bursts ------------------------------------------------------
from .bursts import Burst, BurstDetector, detect_bursts
from .gazetteer import Gazetteer, GazetteerError, Place, PlaceMatch
from .model import MAX_FEED_BYTES, MAX_POST_CHARS, FeedError, ParseResult, RawPost, Skipped, html_to_text
from .parse import DEFAULT_MAPPING, parse_csv, parse_jsonl, parse_mastodon, parse_rss
from .pseudonym import pseudonymise

if TYPE_CHECKING:
    from .analyse import PostAnalyser, PostAnalysis, RelevanceModel, default_relevance_model

# -- analysis (relevance, alert type, insecurity, sentiment): see analyse.py ----------------------
# Loaded on first use: the analysers pull in scikit-learn through the triage models, which a web
# process that only receives pushed posts does not need.
_LAZY = {
    "PostAnalyser": "analyse",
    "PostAnalysis": "analyse",
    "RelevanceModel": "analyse",
    "default_relevance_model": "analyse",
}

__getattr__ = lazy_attributes(__name__, _LAZY, globals())


__all__ = [
    "DEFAULT_MAPPING",
    "MAX_FEED_BYTES",
    "MAX_POST_CHARS",
    "Burst",
    "BurstDetector",
    "FeedError",
    "Gazetteer",
    "GazetteerError",
    "ParseResult",
    "Place",
    "PlaceMatch",
    "PostAnalyser",
    "PostAnalysis",
    "RawPost",
    "RelevanceModel",
    "Skipped",
    "default_relevance_model",
    "detect_bursts",
    "html_to_text",
    "parse_csv",
    "parse_jsonl",
    "parse_mastodon",
    "parse_rss",
    "pseudonymise",
]
