"""How a resident's reply is read: small keyword sets per language, option numbers and labels.

Plain rules on purpose (no external AI service): a reply is folded (lower case, no accents, no
punctuation) and compared with whole phrases, so "a person followed me" never reads as "a person,
please" and "no" inside a sentence never reads as a refusal."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

YES = {
    "en": {"yes", "y", "yeah", "yep", "ok", "okay", "correct", "right", "sure", "that's right", "yes please"},
    "fr": {"oui", "ouais", "d'accord", "ok", "exact", "c'est ca", "oui merci", "tout a fait", "bien sur"},
    "nl": {"ja", "jawel", "klopt", "ok", "goed", "ja hoor", "dat klopt", "prima"},
    "it": {"si", "certo", "esatto", "ok", "va bene", "giusto", "si grazie"},
    "es": {"si", "claro", "vale", "correcto", "ok", "de acuerdo", "si gracias", "exacto"},
}
NO = {
    "en": {"no", "n", "nope", "not really", "wrong", "no thanks", "incorrect"},
    "fr": {"non", "non merci", "pas du tout", "faux"},
    "nl": {"nee", "neen", "nee dank je", "niet", "klopt niet"},
    "it": {"no", "no grazie", "non", "sbagliato"},
    "es": {"no", "no gracias", "incorrecto"},
}
BACK = {"back", "go back", "retour", "revenir", "precedent", "terug", "vorige", "indietro", "atras", "volver"}
RESTART = {
    "restart",
    "start over",
    "start again",
    "recommencer",
    "reprendre a zero",
    "opnieuw",
    "opnieuw beginnen",
    "ricomincia",
    "ricominciare",
    "reiniciar",
    "empezar de nuevo",
    "volver a empezar",
}
SKIP = {
    "skip",
    "pass",
    "rather not say",
    "i'd rather not say",
    "passer",
    "je prefere ne pas dire",
    "aucun",
    "overslaan",
    "liever niet",
    "zeg ik liever niet",
    "salta",
    "saltare",
    "preferisco non dirlo",
    "saltar",
    "omitir",
    "prefiero no decirlo",
    "-",
}
NOW = {"now", "right now", "maintenant", "en ce moment", "nu", "op dit moment", "ora", "adesso", "ahora"}
# Whole words that ask for a person, and the polite words around them that may be ignored.
HUMAN = {
    "human",
    "operator",
    "person",
    "agent",
    "someone",
    "humain",
    "operateur",
    "operatrice",
    "personne",
    "quelqu",
    "mens",
    "medewerker",
    "iemand",
    "operatore",
    "persona",
    "qualcuno",
    "umano",
    "humano",
    "operador",
    "alguien",
    "real person",
    "a real person",
}
FILLER = {
    "i",
    "want",
    "to",
    "talk",
    "speak",
    "with",
    "a",
    "an",
    "please",
    "can",
    "could",
    "need",
    "real",
    "me",
    "je",
    "veux",
    "voudrais",
    "parler",
    "avec",
    "un",
    "une",
    "una",
    "uno",
    "s'il",
    "vous",
    "plait",
    "svp",
    "ik",
    "wil",
    "graag",
    "een",
    "met",
    "spreken",
    "praten",
    "alstublieft",
    "aub",
    "voglio",
    "vorrei",
    "parlare",
    "con",
    "per",
    "favore",
    "quiero",
    "hablar",
    "por",
    "favor",
    "necesito",
    "de",
    "la",
    "el",
    "il",
    "lo",
    "vrai",
    "vero",
    "echte",
    "echt",
    "s",
    "l",
    "d",
    "j",
    "qu",
}
LEAVE_QUEUE = {"continue", "bot", "assistant", "continuer", "doorgaan", "continua", "continuar"}

_PUNCT = re.compile(r"[^\w\s'@.+:/-]")
_WORD = re.compile(r"[^\W_]+")
_NUMBER = re.compile(r"^\s*(\d{1,2})\s*[.)]?\s*$")


def fold(text: str) -> str:
    """Lower case, accents off, typographic apostrophes straightened, punctuation and extra spaces gone."""
    text = text.replace("’", "'").replace("‘", "'").strip().lower()
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = _PUNCT.sub(" ", text)
    return " ".join(text.strip(" .!?,;").split())


def _all(table: dict[str, set[str]]) -> set[str]:
    return set().union(*table.values())


def is_yes(text: str) -> bool:
    folded = fold(text)
    return folded in _all(YES) and folded not in _all(NO)


def is_no(text: str) -> bool:
    return fold(text) in _all(NO)


def is_back(text: str) -> bool:
    return fold(text) in BACK


def is_restart(text: str) -> bool:
    return fold(text) in RESTART


def is_skip(text: str) -> bool:
    return fold(text) in SKIP


def is_now(text: str) -> bool:
    return fold(text) in NOW


def is_leave_queue(text: str) -> bool:
    return fold(text) in LEAVE_QUEUE


def asks_for_human(text: str) -> bool:
    """True for "human", "un humain", "I want to talk to a person please"; false for sentences that
    merely mention a person."""
    folded = fold(text)
    if not folded or len(folded) > 60:
        return False
    if folded in HUMAN:
        return True
    words = _WORD.findall(folded)
    meaningful = [w for w in words if w not in FILLER]
    return bool(meaningful) and all(w in HUMAN for w in meaningful)


def pick_option(text: str, options: Iterable[dict[str, str]]) -> str | None:
    """The option a reply names: by its number ("2", "2."), its label or its value."""
    listed = list(options)
    if match := _NUMBER.match(text):
        index = int(match.group(1)) - 1
        return listed[index]["value"] if 0 <= index < len(listed) else None
    folded = fold(text)
    for option in listed:
        if folded in {fold(option["label"]), fold(option["value"])}:
            return option["value"]
    return None
