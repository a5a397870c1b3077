"""CategoryClassifier on a tiny hand-written corpus in English, French, Dutch, Italian and Spanish."""

from __future__ import annotations

import io
import json
import random
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.base import clone
from sklearn.feature_extraction.text import TfidfTransformer

from streetlight.toolkit.triage import MAX_TEXT_CHARS, CategoryClassifier, ModelFileError, Suggestion, evaluate
from streetlight.toolkit.triage.model import MAGIC, normalize_text, tokenize

THEFT = [
    "Someone stole my bike from the rack at the station",
    "My wallet was stolen on the tram",
    "Thieves stole the bag from my car",
    "On m'a volé mon vélo devant la gare",
    "Mon portefeuille a été volé dans le tram",
    "Mijn fiets is gestolen bij het station",
    "Mijn portemonnee is gestolen in de tram",
    "Mi hanno rubato la bici alla stazione",
    "Mi hanno rubato il portafoglio sul tram",
    "Me robaron la bicicleta en la estación",
    "Me robaron la cartera en el tranvía",
]
HARASSMENT = [
    "A man kept following me and shouting insults at me",
    "Men were whistling and shouting insults at women",
    "Un homme m'a suivie en criant des insultes",
    "Des hommes sifflaient et insultaient les femmes",
    "Een man volgde mij en riep beledigingen",
    "Mannen floten en riepen beledigingen naar vrouwen",
    "Un uomo mi ha seguita gridando insulti",
    "Uomini fischiavano e gridavano insulti alle donne",
    "Un hombre me siguió gritando insultos",
    "Unos hombres silbaban y gritaban insultos a las mujeres",
]
VANDALISM = [
    "Graffiti sprayed on the school wall and windows smashed",
    "The bus shelter glass was smashed again",
    "Des graffitis sur le mur de l'école et des vitres cassées",
    "La vitre de l'abribus a encore été cassée",
    "Graffiti op de muur van de school en ramen ingegooid",
    "Het glas van het bushokje is weer ingegooid",
    "Graffiti sul muro della scuola e finestre rotte",
    "Il vetro della pensilina è stato rotto di nuovo",
    "Grafitis en la pared de la escuela y ventanas rotas",
    "El cristal de la parada de autobús fue roto otra vez",
]
BOTH = [  # theft and harassment in one report
    "He shouted insults at me and stole my wallet",
    "Il m'a insultée et a volé mon portefeuille",
    "Hij riep beledigingen en heeft mijn portemonnee gestolen",
    "Mi ha insultata e ha rubato il portafoglio",
    "Me gritó insultos y me robó la cartera",
]
NOTHING = [  # no category at all
    "The street light on the corner is broken",
    "Le lampadaire du coin ne marche plus",
    "De lantaarnpaal op de hoek is kapot",
    "Il lampione all'angolo è spento",
    "La farola de la esquina no funciona",
]
TEXTS = THEFT + HARASSMENT + VANDALISM + BOTH + NOTHING
LABELS = (
    [["theft"]] * len(THEFT)
    + [["harassment"]] * len(HARASSMENT)
    + [["vandalism"]] * len(VANDALISM)
    + [["harassment", "theft"]] * len(BOTH)
    + [[]] * len(NOTHING)
)


def make_model(**params: object) -> CategoryClassifier:
    params = {"min_df": 1, "C": 1.0, "calibration_folds": 3, **params}
    return CategoryClassifier(**params).fit(TEXTS, LABELS)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def model() -> CategoryClassifier:
    """Fitted once: fitting is deterministic and no test changes the shared model."""
    return make_model()


@pytest.fixture
def model_file(model: CategoryClassifier, tmp_path: Path) -> Path:
    path = tmp_path / "categories.model"
    model.save(path)
    return path


# ---------------------------------------------------------------- fit and predict


def test_labels_are_the_sorted_classes(model: CategoryClassifier) -> None:
    assert model.labels_ == ["harassment", "theft", "vandalism"]


def test_fits_its_training_corpus(model: CategoryClassifier) -> None:
    scores = evaluate(LABELS, model.predict(TEXTS), labels=model.labels_)
    assert scores.mean_label_accuracy >= 0.9


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("somebody stole my bike", "theft"),
        ("on a volé mon vélo", "theft"),
        ("mijn fiets is gestolen", "theft"),
        ("hanno rubato la mia bici", "theft"),
        ("robaron mi bicicleta", "theft"),
        ("a man shouting insults followed me", "harassment"),
        ("graffiti on the wall, windows smashed", "vandalism"),
    ],
)
def test_predicts_unseen_sentences_in_five_languages(model: CategoryClassifier, text: str, label: str) -> None:
    assert model.predict([text]) == [[label]]


def test_a_text_can_get_several_labels(model: CategoryClassifier) -> None:
    (labels,) = model.predict(["he shouted insults at me and then stole my bike"])
    assert labels == ["harassment", "theft"]


def test_a_text_can_get_no_label(model: CategoryClassifier) -> None:
    assert model.predict(["the street light is broken"]) == [[]]


def test_predict_proba_has_one_column_per_label(model: CategoryClassifier) -> None:
    proba = model.predict_proba(["bike stolen", "insults", "graffiti", ""])
    assert proba.shape == (4, 3)
    assert ((proba >= 0) & (proba <= 1)).all()
    assert proba[0].argmax() == model.labels_.index("theft")


def test_predict_is_proba_over_thresholds(model: CategoryClassifier) -> None:
    proba = model.predict_proba(TEXTS)
    expected = [[model.labels_[j] for j in np.flatnonzero(row >= model.thresholds_)] for row in proba]
    assert model.predict(TEXTS) == expected


def test_a_text_scores_the_same_alone_and_in_a_batch(model: CategoryClassifier) -> None:
    batch = model.predict_proba(TEXTS)
    alone = np.vstack([model.predict_proba([t]) for t in TEXTS])
    np.testing.assert_allclose(batch, alone, rtol=1e-12, atol=1e-12)


def test_batches_larger_than_one_chunk_keep_their_order(model: CategoryClassifier) -> None:
    texts = [TEXTS[i % len(TEXTS)] for i in range(5000)]
    np.testing.assert_allclose(model.predict_proba(texts), model.predict_proba(TEXTS)[np.arange(5000) % len(TEXTS)])


def test_case_and_accents_do_not_matter(model: CategoryClassifier) -> None:
    assert normalize_text("Élève STRASSE Straße Ñandú") == "eleve strasse strasse nandu"
    np.testing.assert_array_equal(model.predict_proba(["vélo volé"]), model.predict_proba(["VELO VOLE"]))


def test_tokens_are_unicode_words() -> None:
    assert tokenize("Wij zijn d'accord: 3 fietsen!") == ["wij", "zijn", "d", "accord", "3", "fietsen"]


def test_word_tfidf_matches_scikit_learn() -> None:
    """The fast predict path computes TF-IDF itself; it must be scikit-learn's arithmetic."""
    model = make_model(char_ngrams=None)
    docs = [tokenize(t) for t in TEXTS]
    counts = model._vec.counts(docs)
    ours = model._vec.tfidf(counts)
    theirs = TfidfTransformer(sublinear_tf=True).fit(counts).transform(counts)
    np.testing.assert_allclose(ours.toarray(), theirs.toarray(), rtol=1e-6, atol=1e-7)


def test_fitting_is_deterministic(model: CategoryClassifier) -> None:
    np.testing.assert_array_equal(make_model().predict_proba(TEXTS), model.predict_proba(TEXTS))


def test_clone_gives_an_unfitted_copy_with_the_same_params(model: CategoryClassifier) -> None:
    copy = clone(model)
    assert copy.get_params() == model.get_params()
    with pytest.raises(ValueError, match="not fitted"):
        copy.predict(["bike"])


def test_works_without_character_ngrams() -> None:
    assert make_model(char_ngrams=None).predict(["somebody stole my bike"]) == [["theft"]]


# ------------------------------------------------------------ thresholds and the floor


def test_threshold_zero_gives_every_label() -> None:
    model = make_model(threshold=0.0)
    assert model.predict(["the street light is broken"]) == [["harassment", "theft", "vandalism"]]


def test_tuned_thresholds_are_per_label_probabilities(model: CategoryClassifier) -> None:
    tuned = make_model().tune_thresholds(TEXTS, LABELS, metric="f1")
    assert tuned.thresholds_.shape == (3,)
    assert ((tuned.thresholds_ > 0) & (tuned.thresholds_ < 1)).all()
    assert evaluate(LABELS, tuned.predict(TEXTS), labels=tuned.labels_).macro_f1 >= 0.9
    assert tuned.metadata_["thresholds_tuned_on"] == {"n": len(TEXTS), "metric": "f1"}


def test_tuning_for_accuracy_reaches_at_least_the_default_accuracy_on_its_set() -> None:
    default = make_model()
    tuned = make_model().tune_thresholds(TEXTS, LABELS, metric="accuracy")
    before = evaluate(LABELS, default.predict(TEXTS), labels=default.labels_).mean_label_accuracy
    after = evaluate(LABELS, tuned.predict(TEXTS), labels=tuned.labels_).mean_label_accuracy
    assert after >= before


def test_tuning_refuses_an_unknown_metric(model: CategoryClassifier) -> None:
    with pytest.raises(ValueError, match="metric"):
        clone(model).fit(TEXTS, LABELS).tune_thresholds(TEXTS, LABELS, metric="auc")


def test_suggest_ranks_every_label_and_chooses_those_over_threshold(model: CategoryClassifier) -> None:
    suggestion = model.suggest("someone stole my bike at the station")
    assert isinstance(suggestion, Suggestion)
    probabilities = [p for _, p in suggestion.labels]
    assert probabilities == sorted(probabilities, reverse=True)
    assert {label for label, _ in suggestion.labels} == set(model.labels_)
    assert suggestion.best is not None and suggestion.best[0] == "theft"
    assert suggestion.chosen == ("theft",)


def test_confident_suggestion_needs_no_human() -> None:
    suggestion = make_model(confidence_floor=0.0).suggest("someone stole my bike at the station")
    assert not suggestion.needs_human
    assert suggestion.reason == ""


def test_best_probability_under_the_floor_needs_a_human() -> None:
    suggestion = make_model(confidence_floor=0.999).suggest("someone stole my bike at the station")
    assert suggestion.needs_human
    assert "confidence floor" in suggestion.reason


# ---------------------------------------------------------------- bad input


def test_empty_text_needs_a_human(model: CategoryClassifier) -> None:
    for text in ("", "   \n\t"):
        suggestion = model.suggest(text)
        assert suggestion.needs_human
        assert suggestion.reason == "empty text"
    assert model.predict(["", " "]) == [[], []]


def test_emoji_only_text_needs_a_human(model: CategoryClassifier) -> None:
    suggestion = model.suggest("😡😡🚲💨 !!! ???")
    assert suggestion.needs_human
    assert "knows" in suggestion.reason


def test_huge_text_is_read_up_to_the_limit_and_sent_to_a_human(model: CategoryClassifier) -> None:
    text = "someone stole my bike " * (200_000 // 22)  # ~200 kB
    assert len(text) > MAX_TEXT_CHARS
    suggestion = model.suggest(text)
    assert suggestion.needs_human
    assert "100,000 characters" in suggestion.reason
    assert suggestion.best is not None and suggestion.best[0] == "theft"
    np.testing.assert_array_equal(model.predict_proba([text]), model.predict_proba([text[:MAX_TEXT_CHARS]]))


@pytest.mark.parametrize("encoding", ["utf-8", "latin-1", "cp1252"])
def test_binary_garbage_decoded_gets_an_answer(model: CategoryClassifier, encoding: str) -> None:
    garbage = random.Random(7).randbytes(4096).decode(encoding, "replace")
    proba = model.predict_proba([garbage, "bike stolen"])
    assert proba.shape == (2, 3)
    assert np.isfinite(proba).all()
    np.testing.assert_allclose(proba[1], model.predict_proba(["bike stolen"])[0])
    assert isinstance(model.suggest(garbage), Suggestion)


def test_nul_and_lone_surrogates_do_not_break_neighbouring_texts(model: CategoryClassifier) -> None:
    odd = "bike\x00stolen \udc80\udcff\x00\x00 graffiti"
    proba = model.predict_proba([odd, "insults", odd])
    np.testing.assert_allclose(proba[1], model.predict_proba(["insults"])[0])
    np.testing.assert_allclose(proba[0], proba[2])


def test_mixed_languages_in_one_text(model: CategoryClassifier) -> None:
    (labels,) = model.predict(["Mon vélo was stolen, mi hanno rubato la bici"])
    assert labels == ["theft"]


def test_bytes_are_refused_with_a_clear_error(model: CategoryClassifier) -> None:
    with pytest.raises(ValueError, match="text 1 is bytes, not str: decode it first"):
        model.predict(["fine", b"stolen bike"])  # type: ignore[list-item]


def test_a_single_string_is_refused(model: CategoryClassifier) -> None:
    with pytest.raises(ValueError, match="single string"):
        model.predict("stolen bike")


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gets_probabilities(model: CategoryClassifier, text: str) -> None:
    suggestion = model.suggest(text)
    assert len(suggestion.labels) == 3
    assert all(0.0 <= p <= 1.0 for _, p in suggestion.labels)


# ---------------------------------------------------------------- fit validation


def test_fit_refuses_mismatched_lengths() -> None:
    with pytest.raises(ValueError, match="2 texts but 1 label lists"):
        CategoryClassifier().fit(["a b", "c d"], [["x"]])


def test_fit_refuses_a_label_on_every_text() -> None:
    with pytest.raises(ValueError, match="on every text"):
        CategoryClassifier(min_df=1).fit(["bike stolen", "wallet stolen"], [["theft"], ["theft"]])


def test_fit_refuses_texts_without_labels() -> None:
    with pytest.raises(ValueError, match="no text has a label"):
        CategoryClassifier(min_df=1).fit(["bike stolen", "wallet stolen"], [[], []])


def test_fit_refuses_a_string_as_label_list() -> None:
    with pytest.raises(ValueError, match=r"labels\[0\] must be a list"):
        CategoryClassifier(min_df=1).fit(["bike stolen", "insults"], ["theft", []])


def test_fit_refuses_texts_without_words() -> None:
    with pytest.raises(ValueError, match="no words"):
        CategoryClassifier(min_df=1).fit(["😀", "!!!"], [["a"], []])


@pytest.mark.parametrize(
    ("params", "message"),
    [({"C": 0}, "C must be"), ({"threshold": 1.5}, "threshold"), ({"word_ngrams": (2, 1)}, "word_ngrams")],
)
def test_fit_refuses_bad_parameters(params: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        CategoryClassifier(**params).fit(TEXTS, LABELS)  # type: ignore[arg-type]


# ---------------------------------------------------------------- save and load


def test_round_trip_gives_identical_probabilities(model: CategoryClassifier, model_file: Path) -> None:
    loaded = CategoryClassifier.load(model_file)
    assert loaded.labels_ == model.labels_
    np.testing.assert_array_equal(loaded.thresholds_, model.thresholds_)
    np.testing.assert_array_equal(loaded.predict_proba(TEXTS), model.predict_proba(TEXTS))
    assert loaded.predict(TEXTS) == model.predict(TEXTS)
    assert loaded.get_params() == model.get_params()


def test_round_trip_keeps_tuned_thresholds_floor_and_metadata(tmp_path: Path) -> None:
    model = make_model(confidence_floor=0.7).tune_thresholds(TEXTS, LABELS)
    scores = evaluate(LABELS, model.predict(TEXTS), model.predict_proba(TEXTS), labels=model.labels_)
    model.save(tmp_path / "m", evaluation=scores.to_dict())
    loaded = CategoryClassifier.load(tmp_path / "m")
    np.testing.assert_array_equal(loaded.thresholds_, model.thresholds_)
    assert loaded.confidence_floor == 0.7
    meta = loaded.metadata_
    assert meta["format_version"] == 1
    assert meta["labels"] == ["harassment", "theft", "vandalism"]
    assert meta["n_train"] == len(TEXTS)
    assert meta["trained_at"] == model.metadata_["trained_at"]
    assert meta["evaluation"]["macro_f1"] == pytest.approx(scores.macro_f1)


def test_saves_to_and_loads_from_a_file_object(model: CategoryClassifier) -> None:
    buffer = io.BytesIO()
    model.save(buffer)
    buffer.seek(0)
    np.testing.assert_array_equal(CategoryClassifier.load(buffer).predict_proba(TEXTS), model.predict_proba(TEXTS))


def test_save_leaves_no_temporary_file(model_file: Path) -> None:
    assert [p.name for p in model_file.parent.iterdir()] == ["categories.model"]


def test_corrupt_file_is_refused(model_file: Path) -> None:
    blob = bytearray(model_file.read_bytes())
    blob[-100] ^= 0xFF
    model_file.write_bytes(bytes(blob))
    with pytest.raises(ModelFileError, match="corrupt"):
        CategoryClassifier.load(model_file)


def test_truncated_file_is_refused(model_file: Path) -> None:
    blob = model_file.read_bytes()
    model_file.write_bytes(blob[: len(blob) // 2])
    with pytest.raises(ModelFileError, match="truncated"):
        CategoryClassifier.load(model_file)


def test_file_with_bytes_appended_is_refused(model_file: Path) -> None:
    model_file.write_bytes(model_file.read_bytes() + b"extra")
    with pytest.raises(ModelFileError, match="corrupt"):
        CategoryClassifier.load(model_file)


def _rewrite_header(path: Path, **changes: object) -> None:
    blob = path.read_bytes()
    end = blob.index(b"\n", len(MAGIC))
    header = {**json.loads(blob[len(MAGIC) : end]), **changes}
    path.write_bytes(MAGIC + json.dumps(header).encode() + blob[end:])


def test_other_format_version_is_refused(model_file: Path) -> None:
    _rewrite_header(model_file, format_version=2)
    with pytest.raises(ModelFileError, match="format version 2, but this Streetlight reads version 1"):
        CategoryClassifier.load(model_file)


def test_other_kind_of_model_is_refused(model_file: Path) -> None:
    _rewrite_header(model_file, kind="streetlight.forecast.Something")
    with pytest.raises(ModelFileError, match=r"not a streetlight\.triage\.CategoryClassifier"):
        CategoryClassifier.load(model_file)


@pytest.mark.parametrize(
    "content", [b"", random.Random(3).randbytes(5000), b"PK\x03\x04 a zip?", b"\x80\x04\x95 a pickle?"]
)
def test_files_that_are_not_models_are_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "not-a-model"
    path.write_bytes(content)
    with pytest.raises(ModelFileError, match="not a Streetlight model"):
        CategoryClassifier.load(path)


def test_damaged_header_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "m"
    path.write_bytes(MAGIC + b"{not json\n" + b"payload")
    with pytest.raises(ModelFileError, match="damaged header"):
        CategoryClassifier.load(path)


def test_valid_checksum_over_a_bad_payload_is_refused(tmp_path: Path) -> None:
    """A payload that passes its checksum but is not a model (e.g. written by a buggy tool)."""
    import hashlib

    payload = b"definitely not a zip archive"
    header = {
        "kind": "streetlight.triage.CategoryClassifier",
        "format_version": 1,
        "payload_bytes": len(payload),
        "payload_sha256": hashlib.sha256(payload).hexdigest(),
    }
    path = tmp_path / "m"
    path.write_bytes(MAGIC + json.dumps(header).encode() + b"\n" + payload)
    with pytest.raises(ModelFileError, match="inconsistent content"):
        CategoryClassifier.load(path)


def test_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ModelFileError, match="cannot be read"):
        CategoryClassifier.load(tmp_path / "nowhere.model")


def test_saving_an_unfitted_model_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="not fitted"):
        CategoryClassifier().save(tmp_path / "m")


def test_tuning_for_two_class_macro_f1() -> None:
    """A yes/no task (one label): "absent" matters as much as "present"."""
    texts = THEFT + HARASSMENT + VANDALISM + NOTHING
    labels = [["theft"] if t in THEFT else [] for t in texts]
    model = CategoryClassifier(min_df=1, C=1.0, calibration_folds=3).fit(texts, labels)
    model.tune_thresholds(texts, labels, metric="macro_f1")
    assert model.labels_ == ["theft"]
    assert 0 < model.thresholds_[0] < 1
    assert model.predict(["somebody stole my bike", "graffiti on the wall"]) == [["theft"], []]
