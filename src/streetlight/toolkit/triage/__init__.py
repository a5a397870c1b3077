"""Triage of report texts: categories (multi-label) with their evaluation, language, urgency cues,
personal-data redaction and near-duplicates.

Pure Python on numpy, scipy and scikit-learn (never Django), so the web app, a notebook and the
command line classify the same way.
"""

from typing import TYPE_CHECKING

from streetlight.toolkit.lazy import lazy_attributes

# Plain Python, loaded at once (and `redact` must be bound to the function, not to its submodule).
from .redact import Redaction, Span, SpanKind, redact, redact_many
from .urgency import Cue, CueKind, Urgency, UrgencyLevel, assess_urgency

if TYPE_CHECKING:
    from .dedupe import DedupeItem, DuplicatePair, find_duplicates, similar_to
    from .language import SUPPORTED_LANGUAGES, LanguageCode, LanguageGuess, detect_language, detect_languages
    from .metrics import CalibrationBin, Evaluation, LabelScores, evaluate
    from .model import MAX_TEXT_CHARS, CategoryClassifier, ModelFileError, Suggestion

# Loaded on first use: the classifier, the metrics and the near-duplicate finder pull in
# scikit-learn and scipy, the language detector its models, which a web process rarely needs.
_LAZY = {
    "CalibrationBin": "metrics",
    "CategoryClassifier": "model",
    "DedupeItem": "dedupe",
    "DuplicatePair": "dedupe",
    "Evaluation": "metrics",
    "LabelScores": "metrics",
    "LanguageCode": "language",
    "LanguageGuess": "language",
    "MAX_TEXT_CHARS": "model",
    "ModelFileError": "model",
    "SUPPORTED_LANGUAGES": "language",
    "Suggestion": "model",
    "detect_language": "language",
    "detect_languages": "language",
    "evaluate": "metrics",
    "find_duplicates": "dedupe",
    "similar_to": "dedupe",
}

__getattr__ = lazy_attributes(__name__, _LAZY, globals())


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
