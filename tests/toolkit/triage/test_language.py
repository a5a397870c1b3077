"""Language of a report: the six languages residents write in, "other" for everything else."""

from __future__ import annotations

import pytest

from streetlight.toolkit.triage.language import (
    MAX_CHARS,
    SUPPORTED_LANGUAGES,
    LanguageGuess,
    detect_language,
    detect_languages,
)

REPORTS = [
    ("en", "A man followed me home from the station and shouted at me"),
    ("en", "Someone stole my bike"),
    ("en", "He is still here"),
    ("fr", "Il y a des seringues dans le parc à côté de l'école"),
    ("fr", "On m'a volé mon vélo"),
    ("fr", "Il est encore là"),
    ("nl", "Elke avond hangen er jongeren rond bij het winkelcentrum"),
    ("nl", "Mijn fiets is gestolen"),
    ("nl", "Hij staat nog voor de deur"),
    ("it", "Ogni sera ci sono ragazzi che urlano sotto casa"),
    ("it", "Mi hanno rubato la bici"),
    ("it", "Mi sta seguendo"),
    ("es", "Todas las noches hay jóvenes gritando en la plaza"),
    ("es", "Me robaron la bicicleta"),
    ("es", "Me está siguiendo"),
    ("de", "Jeden Abend grölen Jugendliche vor meinem Fenster"),
    ("de", "Mein Fahrrad wurde gestohlen"),
    ("de", "Ein Mann verfolgt mich"),
]


@pytest.mark.parametrize(("code", "text"), REPORTS)
def test_short_reports_in_each_language(code: str, text: str) -> None:
    guess = detect_language(text)
    assert guess.code == code
    assert 0.38 <= guess.confidence <= 1.0


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\t ",
        "😀😀😀 🔥🔥",
        "12345 678 90",
        "!!!???...",
        "ok",
        "lol",
        "asdkjh qwpoeiru zxmcnv",
        "jjjjjjjj",
        "hdhdhdhd jdjdj",
        "qqqq wwww eeee",
        "\x00\x01\x02\xff\xfe\x00garbage\x00\x07\x08",
        "Привет, у меня украли велосипед",
        "مرحبا سرقت دراجتي",
        "Dzień dobry, ktoś ukradł mój rower",
    ],
)
def test_no_language_or_another_script_is_other(text: str) -> None:
    assert detect_language(text) == LanguageGuess("other", 0.0)


@pytest.mark.parametrize(
    ("code", "text"),
    [
        ("en", "Ik sta bij het station, there is a man with a knife, he is shouting at people and running around"),
        ("fr", "Hello, je suis à la gare et un homme me suit depuis dix minutes, j'ai peur, please"),
        ("it", "Sono alla stazione, un uomo mi segue da dieci minuti e ho paura. Help!"),
    ],
)
def test_mixed_language_text_gets_its_dominant_language(code: str, text: str) -> None:
    assert detect_language(text).code == code


def test_one_accented_sentence_does_not_outweigh_pages_of_another_language() -> None:
    # Lingua alone calls this French: "ê" is all but impossible in English.
    text = "Des jeunes font du bruit tous les soirs sous mes fenêtres. " + "Someone stole my bike. " * 200
    assert detect_language(text).code == "en"


def test_only_the_head_of_a_huge_text_is_read() -> None:
    # French first, then 200 kB of English: the head decides, the English is never looked at.
    text = "Des jeunes font du bruit tous les soirs sous mes fenêtres. " * (MAX_CHARS // 50)
    text += "Someone stole my bike in front of the station. " * 4_000
    assert len(text) > 100_000
    assert detect_language(text).code == "fr"


def test_huge_words_and_pasted_blobs_are_answered() -> None:
    assert detect_language("a" * 200_000).code == "other"
    blob = "".join(chr(ord("A") + (i * 7919) % 58) for i in range(150_000))  # base64-like, no spaces
    assert detect_language("Mijn fiets is gestolen bij het station, wie heeft hem gezien? " + blob).code == "nl"


def test_bytes_are_decoded_and_broken_input_does_not_crash() -> None:
    assert detect_language(b"Mijn fiets is gestolen").code == "nl"
    assert detect_language(b"\xff\xfe\x00\x81").code == "other"
    assert detect_language("Il est encore là \ud800").code == "fr"  # lone surrogate from a bad JSON escape


def test_non_text_is_refused() -> None:
    with pytest.raises(TypeError):
        detect_language(None)  # type: ignore[arg-type]


def test_batch_gives_the_same_answers_in_order() -> None:
    texts = [t for _, t in REPORTS] + ["", "😀", "Dzień dobry, ktoś ukradł mój rower"]
    assert detect_languages(texts) == [detect_language(t) for t in texts]
    assert detect_languages([]) == []


def test_supported_codes() -> None:
    assert set(SUPPORTED_LANGUAGES) == {"en", "fr", "nl", "it", "es", "de"}
