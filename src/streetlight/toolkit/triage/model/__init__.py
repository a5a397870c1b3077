"""Report categories from free text: TF-IDF word and character n-grams, one linear model per label.

Why this family: reports are short, written in any of the shipped languages (often several at once)
and must be triaged in well under a millisecond on a small server. A linear model on sparse n-grams
is fast, needs no GPU and explains itself (its weights can be read); its measured quality and speed
on public labelled sets are in docs/benchmarks.md.

Multi-label: a report may belong to none, one or several categories, so every label has its own
binary model (one-vs-rest) and its own decision threshold.

Limits, by design:

- Texts are classified on their first `MAX_TEXT_CHARS` characters; longer texts are truncated and
  `suggest` sends them to a person.
- Case, accents and punctuation are ignored (`normalize_text`); words are runs of Unicode letters and
  digits, so scripts without spaces between words (Chinese, Japanese, Thai) only get character
  n-grams of whole runs and will classify poorly.
- Emoji, symbols and control characters carry no features: such a text gets the probabilities of an
  empty text and `suggest` flags it for a person.
- Probabilities are Platt-calibrated on cross-validated training scores: they hold on text like the
  training data and drift on text that is not (new events, new phrasing); re-tune thresholds then.

Layout: `features` (text to TF-IDF features), `classifier` (`CategoryClassifier`, `Suggestion`) and
`fileformat` (the model file: header, checksum, zip of JSON and numpy arrays).
"""

from .classifier import CategoryClassifier, FloatArray, Suggestion
from .features import MAX_TEXT_CHARS, normalize_text, tokenize
from .fileformat import FORMAT_VERSION, MAGIC, MODEL_KIND, ModelFileError

__all__ = [
    "FORMAT_VERSION",
    "MAGIC",
    "MAX_TEXT_CHARS",
    "MODEL_KIND",
    "CategoryClassifier",
    "FloatArray",
    "ModelFileError",
    "Suggestion",
    "normalize_text",
    "tokenize",
]
