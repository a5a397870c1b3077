"""Personal data out of a report's free text: e-mails, phone numbers, IBANs, plates, home addresses.

Residents write their own phone number, a neighbour's address or a harasser's plate into the
description; the text is then shown to agencies the reporter consented to and, anonymised, in
public statistics. Redaction is pattern-based and leans towards hiding: a date or an order number
lost to "[phone]" costs an operator a question, a leaked phone number cannot be taken back.

Every detector runs on the original text and the spans are merged afterwards, so one replacement
never creates or hides another match, and redacting twice changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Final, Literal

SpanKind = Literal["email", "url", "phone", "number", "iban", "plate", "address"]

#: When spans of different kinds overlap, the longest wins; on a tie, the first in this order.
_PRIORITY: Final[tuple[SpanKind, ...]] = ("email", "url", "iban", "phone", "number", "address", "plate")


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of the ORIGINAL text, what it was taken for, and the token that replaced it."""

    kind: SpanKind
    start: int
    end: int
    replacement: str


@dataclass(frozen=True, slots=True)
class Redaction:
    """The redacted text and, in order, the spans of the original text that were replaced."""

    text: str
    spans: tuple[Span, ...]


# --- e-mail -------------------------------------------------------------------------------------
# RFC 5322 "atext" plus dots, anchored at the start of its run (the look-behind), so a long run
# with no "@" is scanned once, not once per character. The top-level domain is letters (or xn--
# punycode) so that "a@b.com0612345678" leaves the phone number whole for the phone detector.
_ATEXT = r"\w!#$%&'*+/=?^`{|}~.\-"
_EMAIL = re.compile(rf"(?<![{_ATEXT}])[{_ATEXT}]+@(?:[\w-]+\.)+(?:xn--[^\W_]+|[^\W\d_]+)", re.IGNORECASE)
_MAIL_PROVIDERS = (
    r"gmail|googlemail|hotmail|outlook|live|msn|yahoo|icloud|me|aol|proton(?:mail)?|gmx|web|t-online|orange"
    r"|free|wanadoo|laposte|sfr|telenet|skynet|proximus|ziggo|kpn|planet|xs4all|libero|virgilio|tiscali|alice"
    r"|telefonica|movistar|btinternet|sky|mail"
)
_TLDS = r"com|net|org|eu|info|io|fr|nl|be|it|es|de|uk|co\.uk|ch|at|lu"
_AT_BRACKETED = r"\s*(?:\[\s*(?:at|@|arobase)\s*\]|\(\s*(?:at|@|arobase)\s*\)|\{\s*(?:at|@)\s*\}|<\s*at\s*>)\s*"
_AT_SPELLED = r"\s+(?:at|arobase|chiocciola|arroba|apenstaartje|klammeraffe)\s+"
_DOT_WORD = r"(?:dot|point|punt|punto|punkt)"
_DOT_SPELLED = rf"\s*(?:\[\s*{_DOT_WORD}\s*\]|\(\s*{_DOT_WORD}\s*\))\s*|\s+{_DOT_WORD}\s+"
_OBFUSCATED_EMAIL = re.compile(
    rf"(?<![\w.+-])[\w.+-]+(?:"
    # name [at] domain . com / name (at) domain (dot) com
    rf"{_AT_BRACKETED}[\w-]+(?:(?:{_DOT_SPELLED}|\.)[\w-]+)*(?:{_DOT_SPELLED}|\.)(?:{_TLDS})"
    # name at domain dot com: a spelled "at" needs a spelled "dot", or "at" alone is too common
    rf"|{_AT_SPELLED}[\w-]+(?:(?:{_DOT_SPELLED})[\w-]+)*(?:{_DOT_SPELLED})(?:{_TLDS})"
    # name at gmail.com
    rf"|{_AT_SPELLED}(?:{_MAIL_PROVIDERS})\.(?:{_TLDS})"
    rf")(?![\w-])",
    re.IGNORECASE,
)

# --- URLs whose query string carries personal data ----------------------------------------------
_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"'\]\[]+", re.IGNORECASE)
_PERSONAL_QUERY_KEY = re.compile(
    r"[?&#;](?:e-?mail|mail|phone|tel|telephone|mobile|gsm|name|firstname|first_name|lastname|last_name|surname"
    r"|user|username|user_?id|uid|token|auth|access_token|session|sid|key|password|pwd|address|addr|iban|dob"
    r"|birth_?date|nom|prenom|naam|adres|nome|cognome|nombre|apellido)=",
    re.IGNORECASE,
)
_URL_USERINFO = re.compile(r"^(?:https?://)[^/@\s]+@", re.IGNORECASE)

# --- phone numbers ------------------------------------------------------------------------------
_SEP = r"[\s.\-/]{0,3}"
_PHONE = re.compile(
    rf"(?<!\d)"
    rf"(?:(?:\+|00)\s?[1-9]\d{{0,2}}(?:{_SEP}\(0\))?{_SEP}|\(0?\d{{1,4}}\){_SEP})?"  # +33 (0) / 0049 / (020)
    rf"\d(?:{_SEP}\d){{6,}}"  # every repetition eats a digit: linear time
    rf"(?!\d)"
)
_MIN_PHONE_DIGITS: Final = 8
_MAX_PHONE_DIGITS: Final = 15  # E.164; longer runs are card or account numbers: still redacted
_NOT_A_PHONE = re.compile(
    r"\d{1,2}([./-])\d{1,2}\1\d{2,4}"  # 12.03.2024, 12/03/24
    r"|\d{4}([./-])\d{1,2}\2\d{1,2}"  # 2024-03-12
    r"|(?:19|20)\d\d\s*[-/]\s*(?:19|20)\d\d"  # 2019-2024
    r"|\d{1,2}[.:]\d{2}\s*-\s*\d{1,2}[.:]\d{2}"  # 12.30 - 14.30
)

# --- IBAN ---------------------------------------------------------------------------------------
_IBAN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}[ -]?(?:[A-Za-z0-9]{4}[ -]?){2,7}[A-Za-z0-9]{1,4}(?![A-Za-z0-9])")
_IBAN_LENGTHS: Final = {
    "AD": 24, "AT": 20, "BA": 20, "BE": 16, "BG": 22, "CH": 21, "CY": 28, "CZ": 24, "DE": 22, "DK": 18,
    "EE": 20, "ES": 24, "FI": 18, "FR": 27, "GB": 22, "GI": 23, "GR": 27, "HR": 21, "HU": 28, "IE": 22,
    "IS": 26, "IT": 27, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27, "MT": 31, "NL": 18, "NO": 15,
    "PL": 28, "PT": 25, "RO": 24, "RS": 22, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "TR": 26, "VA": 22,
    "XK": 20, "AL": 28, "MA": 28, "TN": 24, "DZ": 26, "UA": 29,
}  # fmt: skip

# --- licence plates -----------------------------------------------------------------------------
# "Strong" shapes mix letters and digits around dashes and are taken in any case; "weak" shapes
# (spaces only) must be upper case and are skipped when the whole text is shouted, where "HIT ME 12"
# is words.
_PLATE_STRONG = re.compile(
    r"(?<![\w-])(?:"
    r"[A-Z]{2}-\d{3}-[A-Z]{2}"  # FR (SIV) and IT with dashes: AB-123-CD
    r"|[1-9]-[A-Z]{3}-\d{3}"  # BE: 1-ABC-123
    # NL side codes: always two dashes
    r"|[A-Z]{2}-\d{2}-\d{2}|\d{2}-\d{2}-[A-Z]{2}|\d{2}-[A-Z]{2}-\d{2}|[A-Z]{2}-\d{2}-[A-Z]{2}|[A-Z]{2}-[A-Z]{2}-\d{2}"
    r"|\d{2}-[A-Z]{2}-[A-Z]{2}|\d{2}-[A-Z]{3}-\d|\d-[A-Z]{3}-\d{2}|[A-Z]{2}-\d{3}-[A-Z]|[A-Z]-\d{3}-[A-Z]{2}"
    r"|[A-Z]{3}-\d{2}-[A-Z]|[A-Z]-\d{2}-[A-Z]{3}|\d-[A-Z]{2}-\d{3}|\d{3}-[A-Z]{2}-\d"
    r"|[A-Z]{1,2}-\d{4}-[A-Z]{1,3}"  # ES, before 2000: M-1234-AB
    r"|(?-i:[A-ZÄÖÜ]{1,3}-[A-Z]{1,2}[ -]?\d{1,4}[EH]?)"  # DE: B-MX 1234, upper case only
    r")(?![\w-])",
    re.IGNORECASE,
)
_PLATE_WEAK = re.compile(
    r"(?<![\w-])(?:"
    r"[A-Z]{2} ?\d{3} ?[A-Z]{2}"  # FR/IT without dashes: AB 123 CD, AB123CD
    r"|[1-9][A-Z]{3}\d{3}"  # BE without dashes
    r"|\d{4} ?[BCDFGHJKLMNPRSTVWXYZ]{3}"  # ES: 1234 BCD (no vowels)
    r"|[A-Z]{2}\d{2} ?[A-Z]{3}"  # UK: AB12 CDE
    r"|(?P<de1>[A-ZÄÖÜ]{1,3}) (?P<de2>[A-Z]{1,2}) \d{2,4}[EH]?"  # DE without the dash: B MX 1234
    r")(?![\w-])"
)
# Upper-case words that make "I AM 25" or "AT MY 40" look like a German plate.
_NOT_DISTRICTS: Final = frozenset(
    ["I", "A", "AM", "AN", "AT", "BY", "IN", "IS", "IT", "ME", "MY", "NO", "OF", "ON", "OR", "SO", "TO", "UP",
     "US", "WE", "HE", "DE", "LA", "LE", "EN", "ET", "UN", "IL", "EL", "Y", "O", "E"]
)  # fmt: skip
_TOKENS = re.compile(r"\[(?:email|url|phone|number|iban|plate|address)\]")

# --- addresses ----------------------------------------------------------------------------------
# A street name is kept when it has no house number: it locates the incident, which routing needs.
_PARTICLES = (
    r"de|du|des|la|le|les|l'|d'|del|della|delle|dei|degli|dello|di|da|el|las|los|van|von|der|den|dem|het|of|the"
)
_STOP = (
    r"et|ou|mais|pour|avec|dans|depuis|hier|il|elle|je|j|nous|on|qui|que|est|sont|a|à|au|aux|près|pres|vers|en|sur"
    r"|sous|quand|puis|car|donc|ce|cette|mon|ma|ses|sa|son|un|une|e|ed|o|per|con|che|ieri|oggi|io|lui|lei|è|sono|ho"
    r"|ha|vicino|verso|dove|alle|alla|al|allo|nel|nella|dalle|dalla|y|pero|para|ayer|hoy|yo|él|ella|es|son|he|cerca"
    r"|hacia|donde|cuando|and|or|but|at|in|on|near|by|is|was|en|bij|op|naar|und|oder|bei|am|im|nach"
)
_NAME_TOKEN = rf"(?:(?:{_PARTICLES})\b|(?!(?:{_STOP})\b)[^\W\d_][\w'’-]*)"
_NAME = rf"{_NAME_TOKEN}(?:\s+{_NAME_TOKEN}){{0,3}}"
_HOUSE_NUMBER = r"\d{1,4}(?!\d)(?:[a-zA-Z](?![\w]))?(?:\s?(?:bis|ter|quater)\b|[-/]\w{1,3}(?![\w]))?"
# A number followed by a unit is a count, not a house: "via WhatsApp 3 times", "calle 2 veces".
_NOT_A_COUNT = (
    r"(?!\s*(?:times?|fois|keer|volte|veces|mal|minutes?|mins?|hours?|hrs?|h\b|heures?|uur|ore|horas?|uhr|days?"
    r"|jours?|dagen|giorni|d[ií]as|tage|weeks?|semaines?|weken|settimane|semanas|wochen|years?|ans|jaar|anni|años"
    r"|anos|jahre|euros?|eur|€|km|m\b|am\b|pm\b|%|people|personnes|mensen|persone|personas|leute))"
)
_TYPE_FR = (
    r"rue|avenue|av\.|bd|boulevard|place|chemin|allée|allee|impasse|quai|route|cours|passage|square|chaussée"
    r"|chaussee|faubourg|sentier|promenade|rond-point|parvis|esplanade"
)
_TYPE_BEFORE = (
    _TYPE_FR
    # it
    + r"|via|viale|v\.le|piazza|p\.zza|piazzale|corso|c\.so|largo|vicolo|strada|lungomare|lungotevere|borgo|contrada"
    r"|salita|vico"
    # es
    r"|calle|c/|avenida|avda\.?|plaza|pza\.|paseo|ronda|camino|carretera|ctra\.|travesía|travesia|glorieta"
    r"|callejón|callejon|rambla|carrer|passeig"
)
_ADDRESS_TYPE_FIRST = re.compile(
    rf"(?<![\w/])(?:{_TYPE_BEFORE})\s+{_NAME},?\s+(?:n[º°o]\.?\s*|num(?:ero|\.)?\s*|número\s*|nr\.?\s*)?"
    rf"{_HOUSE_NUMBER}{_NOT_A_COUNT}",
    re.IGNORECASE,
)
_ADDRESS_NUMBER_FIRST_FR = re.compile(
    rf"(?<![\w,.])\d{{1,4}}(?:[a-zA-Z](?![\w]))?(?:\s?(?:bis|ter|quater)\b)?,?\s+(?:{_TYPE_FR})\s+{_NAME}",
    re.IGNORECASE,
)
_EN_TYPES = (
    r"street|st\.?|road|rd\.?|avenue|ave\.?|lane|ln\.?|drive|dr\.?|close|crescent|place|way|court|square|terrace"
    r"|gardens|grove|hill|mews|boulevard|blvd\.?|parade"
)
_ADDRESS_EN = re.compile(
    rf"(?<![\w,.])\d{{1,4}}[a-zA-Z]?,?\s+(?:(?-i:[A-Z])[\w'’-]*\s+){{1,3}}(?:{_EN_TYPES})(?![\w])",
    re.IGNORECASE,
)
_SUFFIX_STRONG = (
    r"straat|laan|gracht|plein|kade|singel|dijk|steeg|dreef|steenweg|straße|strasse|str\.|gasse|allee|platz"
    r"|chaussee|boulevard"
)
_SUFFIX_WEAK = r"weg|hof|markt|park|ring|damm|ufer|wal|burgwal|lei|baan|pad"  # too common: need a capital
_ADDRESS_SUFFIX = re.compile(
    rf"(?<![\w-])(?:[^\W\d_][\w'-]{{2,}}?(?:{_SUFFIX_STRONG})|(?-i:[A-ZÄÖÜ])[\w'-]{{2,}}?(?:{_SUFFIX_WEAK}))"
    rf"\s+(?:nr\.?\s*)?{_HOUSE_NUMBER}{_NOT_A_COUNT}",
    re.IGNORECASE,
)


def _emails(text: str) -> Iterator[tuple[SpanKind, int, int]]:
    for pattern in (_EMAIL, _OBFUSCATED_EMAIL):
        for m in pattern.finditer(text):
            yield "email", m.start(), m.end()


def _urls(text: str) -> Iterator[tuple[SpanKind, int, int]]:
    for m in _URL.finditer(text):
        url = m.group().rstrip(".,;:!?)")
        if _PERSONAL_QUERY_KEY.search(url) or _URL_USERINFO.match(url):
            yield "url", m.start(), m.start() + len(url)


def _phones(text: str) -> Iterator[tuple[SpanKind, int, int]]:
    for m in _PHONE.finditer(text):
        candidate = m.group()
        digits = sum(c.isdigit() for c in candidate)
        if digits > _MAX_PHONE_DIGITS:
            yield "number", m.start(), m.end()
        elif digits >= _MIN_PHONE_DIGITS and not _NOT_A_PHONE.fullmatch(candidate.strip()):
            yield "phone", m.start(), m.end()


def _ibans(text: str) -> Iterator[tuple[SpanKind, int, int]]:
    """IBAN-shaped text: a country code, two check digits and a mostly numeric account part.

    The mod-97 check is deliberately not required: a mistyped IBAN fails it yet still points at
    one person's account, and what else has this shape (a product code) loses little by hiding.
    """
    for m in _IBAN.finditer(text):
        compact = re.sub(r"[ -]", "", m.group()).upper()
        expected = _IBAN_LENGTHS.get(compact[:2])
        bban = compact[4:]
        if expected is None and not 15 <= len(compact) <= 34:
            continue
        if expected is not None and abs(len(compact) - expected) > 1:  # one digit missing or extra
            continue
        if sum(c.isdigit() for c in bban) * 2 >= len(bban):
            yield "iban", m.start(), m.end()


def _shouted(text: str) -> bool:
    """No lower-case letter outside our own tokens. Judged on the whole text rather than around
    each match because redaction only ever removes letters: text shouted before redaction is
    still shouted after it, so a second pass skips what the first skipped (idempotence)."""
    return not any(c.islower() for c in _TOKENS.sub("", text))


def _plates(text: str) -> Iterator[tuple[SpanKind, int, int]]:
    for m in _PLATE_STRONG.finditer(text):
        if any(c.isdigit() for c in m.group()):
            yield "plate", m.start(), m.end()
    weak = list(_PLATE_WEAK.finditer(text))
    if not weak or _shouted(text):
        return
    for m in weak:
        if m.group("de1") and (m.group("de1") in _NOT_DISTRICTS or m.group("de2") in _NOT_DISTRICTS):
            continue
        yield "plate", m.start(), m.end()


def _addresses(text: str) -> Iterator[tuple[SpanKind, int, int]]:
    for pattern in (_ADDRESS_TYPE_FIRST, _ADDRESS_NUMBER_FIRST_FR, _ADDRESS_EN, _ADDRESS_SUFFIX):
        for m in pattern.finditer(text):
            yield "address", m.start(), m.end()


_DETECTORS: Final = (_emails, _urls, _phones, _ibans, _plates, _addresses)


def _merge(found: Iterable[tuple[SpanKind, int, int]]) -> list[tuple[SpanKind, int, int]]:
    """Overlapping spans become one; it is named after its longest part (ties: _PRIORITY order)."""
    rank = {kind: i for i, kind in enumerate(_PRIORITY)}
    merged: list[tuple[SpanKind, int, int]] = []
    best_len = 0
    for kind, start, end in sorted(found, key=lambda s: (s[1], -s[2])):
        if merged and start < merged[-1][2]:
            prev_kind, prev_start, prev_end = merged[-1]
            length = end - start
            better = length > best_len or (length == best_len and rank[kind] < rank[prev_kind])
            if better:
                best_len = length
            merged[-1] = (kind if better else prev_kind, prev_start, max(prev_end, end))
        else:
            merged.append((kind, start, end))
            best_len = end - start
    return merged


def redact(text: str) -> Redaction:
    """Replace personal data in `text` with "[email]", "[phone]", "[iban]", "[plate]", "[address]",
    "[url]" or "[number]" (runs of more than 15 digits: card and account numbers).

    The whole text is read, however long: a redactor that stops early leaks the rest. Spans are
    positions in the text passed in, in order and never overlapping; everything outside them is
    kept as it was. Redacting the result again changes nothing.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be str, not {type(text).__name__}")
    found = [span for detect in _DETECTORS for span in detect(text)]
    if not found:
        return Redaction(text, ())
    spans: list[Span] = []
    parts: list[str] = []
    pos = 0
    for kind, start, end in _merge(found):
        token = f"[{kind}]"
        spans.append(Span(kind, start, end, token))
        parts += [text[pos:start], token]
        pos = end
    parts.append(text[pos:])
    return Redaction("".join(parts), tuple(spans))


def redact_many(texts: Iterable[str]) -> list[Redaction]:
    """redact for each text, in order."""
    return [redact(t) for t in texts]
