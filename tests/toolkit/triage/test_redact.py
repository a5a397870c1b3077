"""Personal-data redaction: each kind in each country's formats, what must stay, and two properties
(no generated e-mail or phone number leaks; redaction is idempotent)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from streetlight.toolkit.triage.redact import Redaction, Span, redact, redact_many


def kinds(result: Redaction) -> list[str]:
    return [s.kind for s in result.spans]


# --- e-mails ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Écrivez-moi à jean.dupont+alerte@exemple.fr svp", "Écrivez-moi à [email] svp"),
        ("Mail: Piet_de.Vries@sub.ziggo.NL.", "Mail: [email]."),
        ("scrivimi a mario at gmail dot com grazie", "scrivimi a [email] grazie"),
        ("mijn mail is piet[at]ziggo[dot]nl", "mijn mail is [email]"),
        ("escríbeme: ana (at) correo (punto) es", "escríbeme: [email]"),
        ("contact: anna at hotmail.com", "contact: [email]"),
    ],
)
def test_emails_plain_and_obfuscated_are_replaced(text: str, expected: str) -> None:
    assert redact(text).text == expected


def test_the_word_at_before_a_domain_like_word_is_not_an_email() -> None:
    # "at home.it was" has a spelled "at" but a real dot and no mail provider: ordinary prose.
    text = "I was at home.it was late, he stood at the door. Then at noon"
    assert redact(text).text == text


# --- phone numbers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "phone",
    [
        # FR
        "06 12 34 56 78", "06.12.34.56.78", "+33 6 12 34 56 78", "+33 (0)1 23 45 67 89", "0033612345678",
        # BE
        "0470 12 34 56", "02 123 45 67", "+32 470 12 34 56",
        # NL
        "06-12345678", "020 123 4567", "+31 (0)20 123 4567", "0031 6 1234 5678",
        # IT
        "333 123 4567", "06 1234 5678", "+39 333 1234567",
        # ES
        "612 345 678", "91 123 45 67", "+34 612 34 56 78",
        # DE
        "0151 23456789", "030/12345678", "+49 (0)30 1234567", "0049 151 23456789",
        # UK
        "07700 900123", "(020) 7946 0018", "+44 20 7946 0018",
    ],
)  # fmt: skip
def test_phone_formats_of_each_country_are_replaced(phone: str) -> None:
    result = redact(f"Call me on {phone}, thanks")
    assert result.text == "Call me on [phone], thanks"
    assert result.spans == (Span("phone", 11, 11 + len(phone), "[phone]"),)


@pytest.mark.parametrize(
    "text",
    [
        "Le 12.03.2024 à 22h30",
        "on 2024-03-12 at 10:15",
        "entre 2019-2024",
        "van 12.30 - 14.30 uur",
        "postcode 75011, 3 personnes",
        "Hausnummer 12, Baujahr 1987",
    ],
)
def test_dates_years_and_short_numbers_are_kept(text: str) -> None:
    assert redact(text).text == text


def test_digit_runs_longer_than_a_phone_number_are_hidden_as_numbers() -> None:
    assert redact("Kaart 4111 1111 1111 1111 gestolen").text == "Kaart [number] gestolen"


# --- IBANs --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "iban",
    [
        "NL91 ABNA 0417 1643 00",
        "BE68 5390 0754 7034",
        "FR76 3000 6000 0112 3456 7890 189",
        "IT60X0542811101000000123456",
        "ES91 2100 0418 4502 0005 1332",
        "DE89370400440532013000",
        "GB29 NWBK 6016 1331 9268 19",
        "nl91abna0417164301",  # lower case, and a wrong check digit: still someone's account
    ],
)
def test_ibans_are_replaced_even_with_a_failing_checksum(iban: str) -> None:
    assert redact(f"IBAN: {iban}.").text == "IBAN: [iban]."


def test_iban_shaped_words_without_an_account_number_are_kept() -> None:
    text = "code de12 abcd efgh ijkl mnop"
    assert redact(text).text == text


# --- licence plates -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "plate",
    [
        "AB-123-CD",  # FR / IT
        "ab-123-cd",  # typed in lower case
        "AB 123 CD",  # IT
        "1-ABC-123",  # BE
        "12-ABC-3",  # NL side code 8
        "XX-99-99",  # NL side code 1
        "B-MX 1234",  # DE
        "HH AB 123",  # DE without the dash
        "1234 BCD",  # ES
        "AB12 CDE",  # UK
    ],
)
def test_plates_are_replaced(plate: str) -> None:
    assert redact(f"the car ({plate}) drove off").text == "the car ([plate]) drove off"


@pytest.mark.parametrize(
    "text",
    [
        "I AM 25 YEARS OLD AND HE HIT ME 12 TIMES",
        "In 2024 I was 18 years old",
        "covid-19 in 2020, t-shirt size 42",
        "Bus 12 to Place Flagey",
    ],
)
def test_ordinary_words_numbers_and_years_are_not_plates(text: str) -> None:
    assert redact(text).text == text


def test_a_weak_plate_in_shouted_text_is_left_but_a_dashed_one_is_not() -> None:
    assert redact("MY CAR AB-123-CD WAS HIT").text == "MY CAR [plate] WAS HIT"


# --- addresses ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("J'habite au 12 rue de la Paix, à Paris", "J'habite au [address], à Paris"),
        ("Il est devant le 12bis avenue Foch", "Il est devant le [address]"),
        ("Rue Neuve 123, Bruxelles", "[address], Bruxelles"),
        ("Abito in Via Roma 12 a Milano", "Abito in [address] a Milano"),
        ("abito in via Garibaldi, 7", "abito in [address]"),
        ("Vivo en Calle Mayor 5, Madrid", "Vivo en [address], Madrid"),
        ("en la calle de Alcalá, nº 23", "en la [address]"),
        ("Ik woon op de Keizersgracht 123-II", "Ik woon op de [address]"),
        ("wij wonen in de kalverstraat 12a", "wij wonen in de [address]"),
        ("Er wohnt in der Hauptstraße 7 in Berlin", "Er wohnt in der [address] in Berlin"),
        ("Karl-Marx-Allee 12", "[address]"),
        ("He lives at 221B Baker Street", "He lives at [address]"),
        ("outside 10 Downing Street.", "outside [address]."),
    ],
)
def test_street_and_house_number_are_replaced(text: str, expected: str) -> None:
    assert redact(text).text == expected


@pytest.mark.parametrize(
    "text",
    [
        "Fight on the Keizersgracht near the bridge",  # a street without a number locates, it is kept
        "Rassemblement place de la République",
        "Ce matin via Roma c'era una rissa",
        "op straat 3 mannen, bij de supermarkt 2 jongens",
        "I sent it 3 times via WhatsApp 2 times",
        "3 men on the street shouting",
        "la plaza 2 veces",
    ],
)
def test_street_without_house_number_and_counts_are_kept(text: str) -> None:
    assert redact(text).text == text


# --- URLs ---------------------------------------------------------------------------------------


def test_urls_carrying_personal_data_are_replaced_but_plain_links_kept() -> None:
    text = "see https://ex.org/track?email=x&uid=7 and https://news.example.com/a?id=5 and https://bob:pw@host.eu/x"
    assert redact(text).text == "see [url] and https://news.example.com/a?id=5 and [url]"


# --- merging and shape --------------------------------------------------------------------------


def test_overlapping_detections_become_one_span_named_after_the_longest() -> None:
    # The IBAN's account digits also look like a phone number: one [iban], not "[iban][phone]".
    result = redact("IBAN NL91 ABNA 0417 1643 00 ok")
    assert result.text == "IBAN [iban] ok"
    assert kinds(result) == ["iban"]


def test_spans_point_into_the_original_text_in_order() -> None:
    text = "Tel 06 12 34 56 78, mail a@b.fr, car AB-123-CD, Via Roma 12"
    result = redact(text)
    assert kinds(result) == ["phone", "email", "plate", "address"]
    assert [text[s.start : s.end] for s in result.spans] == ["06 12 34 56 78", "a@b.fr", "AB-123-CD", "Via Roma 12"]
    assert all(a.end <= b.start for a, b in zip(result.spans, result.spans[1:], strict=False))


def test_text_without_personal_data_comes_back_unchanged() -> None:
    text = "Drie jongens gooien stenen naar de tram, al voor de derde keer deze week."
    assert redact(text) == Redaction(text, ())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ""),
        ("😀🔥🙈" * 50, "😀🔥🙈" * 50),
        ("\x00\x01\x02\xff\xfe\ud800 binary 06 12 34 56 78", "\x00\x01\x02\xff\xfe\ud800 binary [phone]"),
        ("Mi sta seguendo! Il m'a dit: call me at 0612345678", "Mi sta seguendo! Il m'a dit: call me at [phone]"),
    ],
)
def test_empty_emoji_binary_and_mixed_inputs_are_answered(text: str, expected: str) -> None:
    assert redact(text).text == expected


def test_a_huge_text_is_redacted_to_its_end() -> None:
    filler = "Il y a du bruit tous les soirs devant le bar. " * 3000  # ~140 kB
    result = redact(filler + "Mon numéro: 06 12 34 56 78")
    assert result.text.endswith("Mon numéro: [phone]")
    assert len(result.spans) == 1


def test_redact_many_keeps_order() -> None:
    assert [r.text for r in redact_many(["a@b.fr", "rien", "0612345678"])] == ["[email]", "rien", "[phone]"]


# --- properties ---------------------------------------------------------------------------------

# (template, number of leading characters that are country code or trunk prefix, not the number)
PHONE_TEMPLATES = [
    ("0N ## ## ## ##", 1), ("0N.##.##.##.##", 1), ("0N-##-##-##-##", 1), ("0N########", 1),
    ("+33 N ## ## ## ##", 3), ("+33 (0)N ## ## ## ##", 3), ("0033 N ## ## ## ##", 4),  # FR
    ("04## ## ## ##", 1), ("0N ### ## ##", 1), ("+32 4## ## ## ##", 3),  # BE
    ("06-########", 1), ("0N#-#######", 1), ("+31 6 ########", 3), ("+31 (0)N# ### ####", 3),  # NL
    ("3## ### ####", 0), ("3#########", 0), ("0N ## ### ###", 0), ("+39 3## #######", 3),  # IT
    ("6## ### ###", 0), ("6## ## ## ##", 0), ("9N ### ## ##", 0), ("+34 6## ## ## ##", 3),  # ES
    ("01## ########", 1), ("0N#/#######", 1), ("+49 1## ########", 3), ("0049 (0)N# #######", 4),  # DE
    ("07### ######", 1), ("(0N#) #### ####", 2), ("+44 7### ######", 3), ("0044 20 #### ####", 4),  # UK
]  # fmt: skip


@st.composite
def phones(draw: st.DrawFn) -> tuple[str, str]:
    """A formatted phone number and its national digits (what must never reappear)."""
    template, prefix = draw(st.sampled_from(PHONE_TEMPLATES))
    out = []
    for ch in template:
        if ch == "#":
            out.append(str(draw(st.integers(0, 9))))
        elif ch == "N":
            out.append(str(draw(st.integers(1, 9))))
        else:
            out.append(ch)
    formatted = "".join(out)
    digits = re.sub(r"\D", "", formatted)
    national = re.sub(r"\D", "", formatted[prefix:]) if prefix else digits
    return formatted, national.removeprefix("0")


# Any text but decimal digits, so every digit in the output can only come from what was planted.
surroundings = st.text(st.characters(exclude_categories=("Nd", "Cs")), max_size=30)


@settings(max_examples=1000, deadline=None)
@given(
    before=surroundings,
    middle=surroundings,
    after=surroundings,
    email=st.emails(),
    phone=phones(),
    email_first=st.booleans(),
)
def test_no_generated_email_or_phone_leaks_and_redaction_is_idempotent(
    before: str, middle: str, after: str, email: str, phone: tuple[str, str], email_first: bool
) -> None:
    formatted, national = phone
    first, second = (email, formatted) if email_first else (formatted, email)
    text = before + first + middle + second + after

    result = redact(text)

    assert email not in result.text
    assert formatted not in result.text
    assert national not in re.sub(r"\D", "", result.text)
    # The surroundings hold no digit, so any digit left is a piece of the phone or the e-mail.
    assert not re.search(r"\d", result.text)
    assert redact(result.text).text == result.text
    assert all(0 <= s.start < s.end <= len(text) for s in result.spans)
    assert all(a.end <= b.start for a, b in zip(result.spans, result.spans[1:], strict=False))


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_any_text_is_redacted_idempotently_with_the_rest_intact(text: str) -> None:
    result = redact(text)
    assert redact(result.text).text == result.text
    rebuilt, pos = [], 0
    for span in result.spans:
        rebuilt += [text[pos : span.start], span.replacement]
        pos = span.end
    rebuilt.append(text[pos:])
    assert "".join(rebuilt) == result.text
