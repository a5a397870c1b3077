"""Urgency cues: what each language's words raise, what negations and homographs must not, the
level rule, and spans an operator screen can highlight."""

from __future__ import annotations

import pytest

from streetlight.toolkit.triage.urgency import MAX_CHARS, Cue, Urgency, assess_urgency


def cue_words(result: Urgency) -> set[tuple[str, str]]:
    return {(c.kind, word) for c in result.cues for word in c.words}


@pytest.mark.parametrize(
    ("lang", "text", "level", "cues"),
    [
        # danger now
        ("en", "He is still here, please help!", "immediate", {("danger_now", "He is still here")}),
        ("en", "There's a man following me right now", "immediate", {("danger_now", "following me")}),
        ("fr", "Il est encore là, j'ai peur", "immediate", {("danger_now", "Il est encore là")}),
        ("fr", "Un homme me suit depuis la gare", "immediate", {("danger_now", "me suit")}),
        ("nl", "Hij staat nog voor de deur!", "immediate", {("danger_now", "Hij staat nog voor")}),
        ("nl", "Een man volgt mij sinds het station", "immediate", {("danger_now", "volgt mij")}),
        ("it", "Mi sta seguendo, aiuto!", "immediate", {("danger_now", "Mi sta seguendo"), ("danger_now", "aiuto")}),
        ("es", "Me está siguiendo, socorro", "immediate", {("danger_now", "Me está siguiendo")}),
        ("de", "Er steht noch vor der Tür, Hilfe!", "immediate", {("danger_now", "Er steht noch vor")}),
        # weapon and injury together
        ("en", "He has a knife and my friend is bleeding", "immediate", {("weapon", "knife"), ("injury", "bleeding")}),
        ("fr", "Il a un couteau et elle est blessée", "immediate", {("weapon", "couteau"), ("injury", "blessée")}),
        ("nl", "Hij had een pistool, mijn broer is gewond", "immediate", {("weapon", "pistool"), ("injury", "gewond")}),
        ("it", "Ha un coltello, mio fratello è ferito", "immediate", {("weapon", "coltello"), ("injury", "ferito")}),
        ("es", "Tiene un cuchillo y está herido", "immediate", {("weapon", "cuchillo"), ("injury", "herido")}),
        ("de", "Er hat ein Messer und sie blutet", "immediate", {("weapon", "Messer"), ("injury", "blutet")}),
        # harm alone
        ("en", "A man grabbed me and groped me on the bus", "high", {("sexual_violence", "groped")}),
        ("fr", "Mon voisin m'a frappée hier soir", "high", {("violence", "frappée")}),
        ("nl", "Ik ben gisteren aangerand in het park", "high", {("sexual_violence", "aangerand")}),
        ("it", "Mi ha detto che mi ammazza", "high", {("threat_to_life", "mi ammazza")}),
        ("es", "Mi ex me amenaza de muerte por WhatsApp", "high", {("threat_to_life", "amenaza de muerte")}),
        ("de", "Ich wurde gestern geschlagen", "high", {("violence", "geschlagen")}),
        # harm happening now
        ("en", "They are fighting in the square right now", "immediate",
         {("violence", "fighting"), ("ongoing", "right now")}),
        ("fr", "Bagarre en ce moment devant le bar", "immediate",
         {("violence", "Bagarre"), ("ongoing", "en ce moment")}),
        # nothing urgent
        ("en", "The street light is broken again", "normal", {("repeat_victim", "again")}),
        ("fr", "Des enfants jouent au ballon tous les soirs", "normal",
         {("child", "enfants"), ("repeat_victim", "tous les soirs")}),
        ("nl", "De lantaarnpaal is alweer kapot", "normal", {("repeat_victim", "alweer")}),
        ("it", "Di nuovo rifiuti abbandonati davanti al portone", "normal", {("repeat_victim", "Di nuovo")}),
        ("es", "Otra vez hay basura en la calle", "normal", {("repeat_victim", "Otra vez")}),
    ],
)  # fmt: skip
def test_cues_and_level_in_each_language(lang: str, text: str, level: str, cues: set[tuple[str, str]]) -> None:
    result = assess_urgency(text, lang)
    assert result.level == level
    assert cues <= cue_words(result)


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "No weapon, nobody was hurt"),
        ("en", "He did not have a knife and there were no injuries"),
        ("en", "Weapon: none"),
        ("fr", "Il n'y avait pas d'arme, il n'est pas blessé"),
        ("fr", "Sans arme, aucun blessé"),
        ("nl", "Geen wapen gezien, niemand gewond"),
        ("it", "Nessuna arma, non è ferito"),
        ("es", "No había armas, nadie herido"),
        ("de", "Keine Waffe, niemand verletzt"),
    ],
)
def test_negated_cues_do_not_fire(lang: str, text: str) -> None:
    result = assess_urgency(text, lang)
    assert result.level == "normal"
    assert not result.kinds & {"weapon", "injury"}


def test_negation_stops_at_the_clause_and_at_stop_verbs() -> None:
    assert ("weapon", "gun") in cue_words(assess_urgency("He had no knife, but he had a gun"))
    assert ("violence", "hitting") in cue_words(assess_urgency("He did not stop hitting me"))
    assert ("violence", "frapper") in cue_words(assess_urgency("il n'arrête pas de me frapper", "fr"))


def test_homographs_count_only_in_their_language() -> None:
    # Dutch "mes" is a knife, French "mes" is "my".
    assert ("weapon", "mes") in cue_words(assess_urgency("Hij heeft een mes", "nl"))
    assert assess_urgency("Hij heeft een mes").cues == ()
    assert assess_urgency("mes enfants ont peur de mes voisins", "fr").kinds == {"child"}


@pytest.mark.parametrize(
    "text",
    [
        "The car is still there",
        "De fiets staat nog bij het station",
        "Het weer is slecht",
        "C'est toujours la même chose",
        "Il y a un colis devant ma porte depuis hier",
    ],
)
def test_things_still_there_and_weather_are_not_danger(text: str) -> None:
    assert assess_urgency(text).level == "normal"


def test_child_and_repeat_add_to_the_score_but_not_the_level() -> None:
    plain = assess_urgency("A man hit me", "en")
    with_child = assess_urgency("A man hit me and my child", "en")
    again = assess_urgency("A man hit me again and my child", "en")
    assert plain.level == with_child.level == again.level == "high"
    assert plain.score < with_child.score < again.score


def test_spans_point_into_the_original_text_even_when_folding_changes_its_length() -> None:
    # "ß" folds to two letters and "É" to one plus an accent: offsets must still match the original.
    text = "Draußen, Straße 3: ÉNORME bagarre, er hat ein Messer und blutet. Il est blessé."
    result = assess_urgency(text)
    assert result.cues
    for cue in result.cues:
        assert len(cue.words) == len(cue.spans)
        assert [text[start:end] for start, end in cue.spans] == list(cue.words)
    assert ("weapon", "Messer") in cue_words(result)
    assert ("injury", "blessé") in cue_words(result)


def test_one_cue_per_kind_with_its_words_in_text_order_each_stretch_once() -> None:
    # "arme" inside "arme à feu" is the same word; the second "arme" is another one.
    result = assess_urgency("Il a une arme à feu et il saigne, puis une arme", "fr")
    assert result.cues == (
        Cue("weapon", ("arme à feu", "arme"), ((9, 19), (43, 47))),
        Cue("injury", ("saigne",), ((26, 32),)),
    )


def test_mixed_language_report_raises_cues_of_both_languages() -> None:
    result = assess_urgency("Sono alla stazione, he has a knife! Aiuto!", "it")
    assert {("weapon", "knife"), ("danger_now", "Aiuto")} <= cue_words(result)
    assert result.level == "immediate"


@pytest.mark.parametrize("text", ["", "   ", "😡🚨🔪" * 100, "\x00\x01\x02\xff\xfe\ud800", "12345 678 90"])
def test_empty_emoji_binary_and_numbers_are_normal(text: str) -> None:
    assert assess_urgency(text) == Urgency("normal", 0.0, ())


def test_only_the_head_of_a_huge_text_is_read() -> None:
    filler = "Des jeunes font du bruit sous mes fenêtres. " * 3000  # ~130 kB
    text = "Il a un couteau. " + filler + "Il est encore là !"
    result = assess_urgency(text, "fr")
    assert len(text) > 100_000 > MAX_CHARS
    assert cue_words(result) == {("weapon", "couteau")}
    assert result.level == "high"


def test_unknown_language_codes_behave_as_unknown() -> None:
    assert assess_urgency("Hij heeft een mes", "other") == assess_urgency("Hij heeft een mes", None)


def test_non_text_is_refused() -> None:
    with pytest.raises(TypeError):
        assess_urgency(None)  # type: ignore[arg-type]
