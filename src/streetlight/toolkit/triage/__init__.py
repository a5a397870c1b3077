"""Triage of report texts: categories (multi-label) with their evaluation, language, urgency cues,
personal-data redaction and near-duplicates.

Pure Python on numpy, scipy and scikit-learn (never Django), so the web app, a notebook and the
command line classify the same way.
"""

from .dedupe import DedupeItem, DuplicatePair, find_duplicates, similar_to
from .language import SUPPORTED_LANGUAGES, LanguageCode, LanguageGuess, detect_language, detect_languages
from .metrics import CalibrationBin, Evaluation, LabelScores, evaluate
from .model import MAX_TEXT_CHARS, CategoryClassifier, ModelFileError, Suggestion
from .redact import Redaction, Span, SpanKind, redact, redact_many
from .urgency import Cue, CueKind, Urgency, UrgencyLevel, assess_urgency

__all__ = [
    "MAX_TEXT_CHARS",
    "SUPPORTED_LANGUAGES",
    "CalibrationBin",
    "CategoryClassifier",
    "Cue",
    "CueKind",
    "DedupeItem",
    "DuplicatePair",
    "Evaluation",
    "LabelScores",
    "LanguageCode",
    "LanguageGuess",
    "ModelFileError",
    "Redaction",
    "Span",
    "SpanKind",
    "Suggestion",
    "Urgency",
    "UrgencyLevel",
    "assess_urgency",
    "detect_language",
    "detect_languages",
    "evaluate",
    "find_duplicates",
    "redact",
    "redact_many",
    "similar_to",
]
