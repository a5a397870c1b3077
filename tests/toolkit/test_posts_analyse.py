"""PostAnalyser: relevance, alert type, language, urgency, insecurity and sentiment of public posts.

The sentences below were written for these tests; none is in the seed corpus or the everyday posts the
default relevance model is trained on.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from streetlight.toolkit.posts.analyse import MAX_POST_CHARS, PostAnalyser, PostAnalysis
from streetlight.toolkit.posts.lexicon import score_text
from streetlight.toolkit.posts.relevance import (
    RelevanceModel,
    default_relevance_model,
    everyday_posts,
    seed_corpus,
)
from streetlight.toolkit.triage import CategoryClassifier, ModelFileError

SECURITY = {
    "en": [
        "Two lads on a scooter grabbed a woman's handbag outside the pharmacy and sped off",
        "Somebody keyed every car parked on Linden Road last night",
        "A guy exposed himself to schoolgirls at the bus stop this morning",
    ],
    "fr": [
        "Deux types ont arraché le sac d'une dame devant la pharmacie avant de filer en scooter",
        "Quelqu'un a rayé toutes les voitures garées rue des Tilleuls cette nuit",
        "Un homme s'est exhibé devant des collégiennes à l'arrêt de bus ce matin",
    ],
    "nl": [
        "Twee jongens op een scooter rukten de tas van een vrouw weg bij de apotheek",
        "Iemand heeft vannacht alle auto's in de Lindenweg bekrast",
        "Een man liep met een mes te zwaaien bij het station en bedreigde mensen",
    ],
    "it": [
        "Due ragazzi in motorino hanno strappato la borsa a una signora davanti alla farmacia",
        "Qualcuno stanotte ha rigato tutte le auto parcheggiate in via dei Tigli",
        "Un uomo si è masturbato davanti alle ragazze alla fermata dell'autobus",
    ],
    "es": [
        "Dos chavales en moto le arrancaron el bolso a una señora delante de la farmacia",
        "Alguien rayó anoche todos los coches aparcados en la calle de los Tilos",
        "Un hombre con una navaja amenazó a la gente en la parada del autobús",
    ],
}
EVERYDAY = {
    "en": [
        "Our street's apple tree gave so much fruit we're handing out bags for free",
        "The new outdoor gym by the river is open, the pull-up bars are great",
        "Heavy showers expected tomorrow afternoon, take an umbrella to the match",
    ],
    "fr": [
        "Notre pommier a tellement donné qu'on distribue des sacs de pommes gratuitement",
        "La nouvelle salle de sport en plein air au bord de la rivière est ouverte",
        "Grosses averses prévues demain après-midi, prenez un parapluie pour le match",
    ],
    "nl": [
        "Onze appelboom heeft zoveel vruchten dat we gratis zakken uitdelen",
        "Het nieuwe buitenfitnesspark aan de rivier is open, de optrekstangen zijn top",
        "Morgenmiddag flinke buien verwacht, neem een paraplu mee naar de wedstrijd",
    ],
    "it": [
        "Il nostro melo ha fatto così tante mele che le regaliamo ai vicini",
        "La nuova palestra all'aperto lungo il fiume è aperta, le sbarre sono ottime",
        "Domani pomeriggio previsti forti acquazzoni, portate l'ombrello alla partita",
    ],
    "es": [
        "Nuestro manzano ha dado tanta fruta que regalamos bolsas a los vecinos",
        "Ya está abierto el gimnasio al aire libre junto al río, las barras están genial",
        "Mañana por la tarde se esperan chubascos fuertes, llevad paraguas al partido",
    ],
}
HARD_NEGATIVES = [
    "Honestly that penalty shoot-out was daylight robbery",
    "This new burger joint is a killer, go before the queues start",
    "Le concert d'hier soir, une tuerie absolue",
    "De file op de A10 was moordend vanochtend",
    "Quella traversa all'ultimo minuto ci ha ucciso, che partita",
    "Los precios de la frutería nueva son un robo de lo baratos que son",
]


@pytest.fixture(scope="module")
def analyser() -> PostAnalyser:
    return PostAnalyser()


@pytest.mark.parametrize("lang", sorted(SECURITY))
def test_relevance_ranks_security_posts_above_everyday_posts(analyser: PostAnalyser, lang: str) -> None:
    security = analyser.analyse_many(SECURITY[lang])
    everyday = analyser.analyse_many(EVERYDAY[lang])
    assert min(r.relevance for r in security) > max(r.relevance for r in everyday)


def test_relevance_decision_on_held_out_sentences(analyser: PostAnalyser) -> None:
    """At the default threshold, 28 of these 30 were right when written (two everyday posts about
    neighbours and bags, or rain at a match, came out at 0.52): at most 10 % wrong."""
    security = analyser.analyse_many([t for texts in SECURITY.values() for t in texts])
    everyday = analyser.analyse_many([t for texts in EVERYDAY.values() for t in texts])
    right = sum(r.relevant for r in security) + sum(not r.relevant for r in everyday)
    assert all(r.relevant for r in security)
    assert right >= 0.9 * (len(security) + len(everyday))


def test_hard_negatives_that_borrow_crime_words_are_not_relevant(analyser: PostAnalyser) -> None:
    results = analyser.analyse_many(HARD_NEGATIVES)
    assert [r.relevant for r in results] == [False] * len(HARD_NEGATIVES), [r.relevance for r in results]


@pytest.mark.parametrize(
    ("negated", "afraid", "lang"),
    [
        ("I'm not scared at all", "I'm scared to walk here at night", "en"),
        ("Je n'ai pas peur ici", "J'ai peur ici", "fr"),
        ("Ik ben niet bang hier", "Ik ben bang hier", "nl"),
        ("Non ho paura qui", "Ho paura qui", "it"),
        ("No tengo miedo aquí", "Tengo miedo aquí", "es"),
    ],
)
def test_negation_lowers_insecurity(analyser: PostAnalyser, negated: str, afraid: str, lang: str) -> None:
    low, high = analyser.analyse_many([negated, afraid], languages=[lang, lang])
    assert low.insecurity < high.insecurity
    assert low.insecurity == 0.0


@pytest.mark.parametrize(
    ("day", "night", "lang"),
    [
        ("I'm scared to walk here", "I'm scared to walk here at night", "en"),
        ("J'ai peur dans cette rue", "J'ai peur dans cette rue le soir", "fr"),
        ("Ik ben bang in dit park", "Ik ben 's nachts bang in dit park", "nl"),
        ("Ho paura in questa strada", "Ho paura in questa strada di notte", "it"),
        ("Tengo miedo en esta calle", "Tengo miedo en esta calle de noche", "es"),
    ],
)
def test_night_cues_raise_insecurity_and_are_shown(day: str, night: str, lang: str) -> None:
    plain, dark = score_text(day, lang), score_text(night, lang)
    assert dark.insecurity > plain.insecurity > 0
    assert len(dark.cues) == len(plain.cues) + 1


def test_fear_with_a_threat_or_night_cue_makes_a_post_relevant(analyser: PostAnalyser) -> None:
    afraid, spiders = analyser.analyse_many(
        ["Ho paura a tornare a casa la sera, la via è buia", "Il ragno in cantina mi fa paura"]
    )
    assert afraid.relevant and afraid.insecurity > 0.7
    assert spiders.insecurity > 0


def test_french_ne_pas_is_one_negation() -> None:
    assert score_text("Je ne me sens pas en sécurité dans ce quartier", "fr").insecurity > 0.5
    assert score_text("Je n'ai pas peur", "fr").insecurity == 0.0


def test_night_alone_is_not_insecurity() -> None:
    assert score_text("Great jazz concert in the park tonight").insecurity == 0.0


def test_negated_reassurance_and_dare_verbs_count_as_fear() -> None:
    for text, lang in [
        ("I don't feel safe on this street", "en"),
        ("Pas rassurée du tout dans ce passage", "fr"),
        ("Ik durf 's avonds niet meer door het park", "nl"),
        ("Non mi sento sicura sotto il ponte", "it"),
        ("No me atrevo a cruzar el parque", "es"),
    ]:
        result = score_text(text, lang)
        assert result.insecurity > 0.5, text
        assert result.cues, text
    assert score_text("I feel safe here").insecurity == 0.0


def test_homographs_only_count_in_their_language() -> None:
    assert score_text("We heard a big bang at the fireworks", "en").insecurity == 0.0
    assert score_text("Ik ben bang op straat", "nl").insecurity > 0.5


def test_intensifier_raises_insecurity() -> None:
    assert score_text("I'm very scared").insecurity > score_text("I'm scared").insecurity


@pytest.mark.parametrize(
    ("positive", "negative"),
    [
        ("Lovely clean park, thanks to the volunteers", "The square is filthy and noisy, I'm fed up"),
        ("Super marché, tout est propre et calme", "Rue sale et bruyante, j'en ai marre"),
        ("Mooi en rustig park, bedankt", "Vieze en lawaaierige straat, ik ben het beu"),
        ("Parco bellissimo e pulito, grazie", "Piazza sporca e rumorosa, sono stufo"),
        ("Parque precioso y limpio, gracias", "Plaza sucia y ruidosa, estoy harto"),
    ],
)
def test_sentiment_sign(analyser: PostAnalyser, positive: str, negative: str) -> None:
    good, bad = analyser.analyse_many([positive, negative])
    assert good.sentiment > 0 > bad.sentiment
    assert bad.sentiment >= -1.0 and good.sentiment <= 1.0


def test_negation_flips_sentiment() -> None:
    assert score_text("the park is good").sentiment > 0 > score_text("the park is not good").sentiment


def test_unknown_or_unsupported_language_gives_none_and_still_an_analysis(analyser: PostAnalyser) -> None:
    # Another script; a Latin-script language outside the six may be taken for one of them (the
    # triage detector only chooses among the six), which is that detector's documented limit.
    russian, mash, emoji = analyser.analyse_many(
        ["Вчера вечером у меня украли велосипед у вокзала", "asdkjh zxmcnv qwpoi", "🙂🙂🙂"]
    )
    for result in (russian, mash, emoji):
        assert isinstance(result, PostAnalysis)
        assert result.language is None
        assert result.urgency in ("immediate", "high", "normal")
    assert not emoji.relevant and emoji.relevance == 0.0


def test_language_hint_used_when_supported(analyser: PostAnalyser) -> None:
    hinted, unsupported, detected = analyser.analyse_many(
        ["ok merci", "Mijn fiets is gestolen bij het station", "Mijn fiets is gestolen bij het station"],
        languages=["FR-be", "pl", None],
    )
    assert hinted.language == "fr"
    assert unsupported.language == detected.language == "nl"


def test_urgency_and_its_words_are_reported(analyser: PostAnalyser) -> None:
    result = analyser.analyse("A man with a knife is still here outside the bakery, help!")
    assert result.urgency == "immediate"
    assert any("knife" in cue for cue in result.cues)


def _tiny_classifier() -> CategoryClassifier:
    texts = [
        "my bike was stolen at the station",
        "someone stole my bicycle from the rack",
        "bike theft near the school again",
        "they took my bike, the lock was cut",
        "graffiti sprayed on the church wall",
        "vandals smashed the bus shelter glass",
        "the playground benches were vandalised",
        "someone broke the windows of the community centre",
    ]
    labels = [["theft-bike"]] * 4 + [["nuisance-vandalism"]] * 4
    return CategoryClassifier(min_df=1, calibration_folds=2).fit(texts, labels)


def test_alert_type_only_for_relevant_posts_above_the_threshold() -> None:
    classifier = _tiny_classifier()
    texts = ["Somebody stole my bike from the rack at the station last night", "Lovely sunny day at the beach"]
    open_door = PostAnalyser(classifier, type_threshold=0.0).analyse_many(texts)
    assert open_door[0].relevant and open_door[0].alert_type == "theft-bike"
    assert 0.0 < open_door[0].alert_confidence <= 1.0
    assert not open_door[1].relevant and open_door[1].alert_type is None and open_door[1].alert_confidence == 0.0
    strict = PostAnalyser(classifier, type_threshold=1.0).analyse(texts[0])
    assert strict.alert_type is None and strict.alert_confidence == open_door[0].alert_confidence
    assert PostAnalyser().analyse(texts[0]).alert_type is None  # no classifier, no type


def test_bad_arguments_are_refused(analyser: PostAnalyser) -> None:
    with pytest.raises(ValueError, match="single string"):
        analyser.analyse_many("one post")
    with pytest.raises(ValueError, match="language hints"):
        analyser.analyse_many(["a", "b"], languages=["en"])
    with pytest.raises(ValueError, match="relevance_threshold"):
        PostAnalyser(relevance_threshold=1.5)
    assert analyser.analyse_many([]) == []


def test_huge_and_odd_input_is_cut_not_refused(analyser: PostAnalyser) -> None:
    huge = "I am scared at night. " * 50_000  # about 1 MB
    odd = ["", "   ", "\x00\x01\ud800", "a" * 100_000, huge]
    results = analyser.analyse_many(odd)
    assert len(results) == len(odd)
    assert results[-1].insecurity > 0.5
    assert MAX_POST_CHARS == 5000


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.text(max_size=300), min_size=1, max_size=5))
def test_arbitrary_text_never_raises(analyser: PostAnalyser, texts: list[str]) -> None:
    results = analyser.analyse_many(texts)
    assert len(results) == len(texts)
    for r in results:
        assert 0.0 <= r.relevance <= 1.0 and 0.0 <= r.insecurity <= 1.0 and -1.0 <= r.sentiment <= 1.0


def test_relevance_model_round_trip(tmp_path: Path) -> None:
    model = default_relevance_model()
    texts = SECURITY["en"] + EVERYDAY["fr"]
    path = tmp_path / "relevance.model"
    model.save(path)
    loaded = RelevanceModel.load(path)
    assert np.allclose(loaded.predict_proba(texts), model.predict_proba(texts))
    assert (loaded.classes_, loaded.positive, loaded.shift, loaded.threshold) == (
        model.classes_,
        model.positive,
        model.shift,
        model.threshold,
    )
    assert loaded.explain(texts) == model.explain(texts)


def test_a_triage_model_file_is_not_a_relevance_model() -> None:
    buffer = io.BytesIO()
    _tiny_classifier().save(buffer)
    buffer.seek(0)
    with pytest.raises(ModelFileError, match="not a posts relevance model"):
        RelevanceModel.load(buffer)


def test_multiclass_model_gives_one_probability_per_class() -> None:
    texts = ["flood water in the street", "river flooding homes", "fire in the forest", "wildfire smoke everywhere"]
    texts += ["send donations please", "volunteers needed to help"]
    labels = ["flood", "flood", "fire", "fire", "help", "help"]
    model = RelevanceModel.train(texts * 3, labels * 3, min_df=1, calibration_folds=2)
    assert not model.binary and model.classes_ == ["fire", "flood", "help"]
    proba = model.predict_proba(["the flood reached our street", "forest fire"])
    assert proba.shape == (2, 3) and np.allclose(proba.sum(axis=1), 1.0)
    assert model.predict(["the river is flooding"]) == ["flood"]


def test_prior_rebases_binary_probabilities() -> None:
    texts = ["stolen bike", "bike thief", "my bike was stolen", "nice weather", "sunny beach", "good pizza"] * 3
    labels = ["relevant"] * 3 + ["other"] * 3
    plain = RelevanceModel.train(texts, labels * 3, min_df=1, calibration_folds=2)
    rare = RelevanceModel.train(texts, labels * 3, min_df=1, calibration_folds=2, prior=0.1)
    assert rare.predict_proba(["bike"])[0] < plain.predict_proba(["bike"])[0]


def test_shipped_training_texts() -> None:
    posts = everyday_posts()
    langs = [lang for lang, _ in posts]
    assert len(posts) >= 300
    assert {lang: langs.count(lang) >= 60 for lang in ("en", "fr", "nl", "it", "es")} == dict.fromkeys(
        ("en", "fr", "nl", "it", "es"), True
    )
    assert len(seed_corpus()) > 2000


@pytest.mark.parametrize(
    "text",
    [
        "My bike was stolen at Via Roma this morning",
        "On m'a volé mon vélo rue du Marché",
        "Mijn fiets is gestolen bij het station",
        "Mi hanno rubato la bici in via Roma",
        "Me han robado la bici en la calle del Mercado",
    ],
)
def test_a_plain_incident_is_relevant_in_every_language(text: str) -> None:
    """Incident words are evidence on their own, even when the rest of the post is everyday words."""
    analysis = PostAnalyser().analyse(text)
    assert analysis.relevant, analysis


def test_figurative_uses_are_not_incidents() -> None:
    assert not PostAnalyser().analyse("The new exhibition steals the show").relevant
