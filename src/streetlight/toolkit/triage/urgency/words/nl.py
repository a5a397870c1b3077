"""Dutch urgency words: cue patterns per kind, homographs, negators and negation breakers.

Patterns follow the rules in `words/__init__.py`: accent-folded lowercase text, a literal space for any
run of whitespace, matched as whole words.
"""

from __future__ import annotations

from typing import Final

from ..cues import CueKind

#: Cue patterns per kind, always looked for (reports mix languages).
CUES: Final[dict[CueKind, tuple[str, ...]]] = {
    "danger_now": (
        r"(?:hij|zij|ze|iemand|man|vent|gast|dader|mannen|jongens) (?:staat|staan|zit|zitten|loopt|lopen|wacht"
        r"|wachten|is|zijn) (?:er |hier |daar )?nog (?:steeds |altijd )?(?:voor|bij|buiten|hier|daar|achter"
        r"|beneden|in de|in het|op de)",
        r"(?:staat|zit|loopt|wacht|is|zijn|staan) (?:hij|zij|ze) (?:er |hier |daar )?nog(?: steeds| altijd)?",
        r"(?:hij|zij|ze) (?:is|zijn) (?:er |hier )?nog(?: steeds| altijd)?(?=\s*(?:[.,;:!?]|$))",
        r"(?:volgt|achtervolgt|volgen|achtervolgen) (?:mij|me|ons)",
        r"(?:probeert|proberen) (?:binnen te komen|in te breken|de deur open te (?:breken|maken))",
        r"(?:is|zijn) aan het inbreken",
        r"(?:breekt|breken) (?:nu )?in",
        r"(?:bonkt|bonken|trapt|trappen|slaat|slaan|beukt|beuken) (?:op|tegen) (?:de|mijn|onze) deur",
        r"(?:hij|zij|ze) is terug",
        r"help(?: mij| me| ons)?(?= ?!)",
        r"kom (?:snel|alsjeblieft|nu)",
        r"(?:bel|stuur) (?:de )?politie",
        r"ik (?:heb me|zit) (?:verstopt|opgesloten)",
        r"ik verstop me",
    ),
    "ongoing": (r"op dit (?:moment|ogenblik)", r"momenteel", r"nu bezig", r"(?:nu )?aan de gang", r"op het moment"),
    "weapon": (
        r"messen",
        r"steekwapens?",
        r"wapens?",
        r"vuurwapens?",
        r"pistool",
        r"revolver",
        r"(?:jacht)?geweer",
        r"machete",
        r"bijl",
        r"(?:honkbal)?knuppel",
        r"boksbeugel",
        r"pepperspray",
        r"gewapend",
        r"neergestoken",
        r"schoten?",
        r"geschoten",
        r"schietpartij",
        r"beschoten",
        r"neergeschoten",
    ),
    "injury": (
        r"gewond(?:e|en)?",
        r"verwond(?:ing|ingen)?",
        r"bloed(?:t|en|end|ende)?",
        r"bewusteloos",
        r"buiten bewustzijn",
        r"ademt niet(?: meer)?",
        r"flauwgevallen",
        r"gebroken (?:arm|been|neus|ribben|rib|kaak)",
        r"hersenschudding",
        r"ambulance",
        r"ziekenwagen",
        r"overdosis",
        r"hartaanval",
        r"ligt op de grond",
        r"neergestoken",
        r"neergeschoten",
    ),
    "violence": (
        r"geslagen",
        r"sloeg(?:en)?",
        r"slaat(?!\s+(?:op|tegen)\s+(?:de|mijn|onze)\s+deur)",
        r"in elkaar (?:geslagen|getrapt|geschopt)",
        r"geschopt",
        r"schopt(?:e|en)?",
        r"getrapt",
        r"mishandel(?:d|t|ing)",
        r"aangevallen",
        r"(?:valt|vallen) (?:me |mij |ons |hem |haar )?aan",
        r"gewurgd",
        r"wurgde",
        r"vechtpartij",
        r"gevecht",
        r"vechten",
        r"geduwd",
        r"beroofd",
        r"overval(?:len)?",
    ),
    "sexual_violence": (
        r"verkracht(?:ing|er|en)?",
        r"aangerand",
        r"aanrand(?:ing|en)",
        r"betast(?:te)?",
        r"(?:zat|zaten|heeft|hebben) aan (?:mijn|haar|m'n) (?:billen|borsten|kont|lichaam)",
        r"seksueel (?:misbruik|misbruikt|geweld|intimidatie|lastiggevallen)",
        r"exhibitionist",
        r"potloodventer",
        r"ontblootte zich",
        r"(?:drugs|iets) in (?:mijn|haar|m'n) drankje",
    ),
    "threat_to_life": (
        r"vermoord(?:en)?",
        r"(?:maak|maakt|maken) (?:je|jou|haar|hem|mij|me|ons) (?:dood|af)",
        r"dood(?:maken|schieten|steken|slaan)",
        r"doodsbedreiging(?:en)?",
        r"met de dood bedreigd",
        r"bedreigd met de dood",
        r"zelfmoord",
        r"suicidaal",
        r"een eind aan (?:zijn|haar|mijn) leven",
        r"van de brug springen",
    ),
    "child": (
        r"kinder(?:en)?",
        r"kindjes?",
        r"peuters?",
        r"kleuters?",
        r"baby'?s?",
        r"minderjarigen?",
        r"tieners?",
        r"klein(?:e)? (?:meisje|jongen)",
        r"jongetjes?",
        r"meisjes?",
        r"schoolkind(?:eren)?",
        r"(?:[1-9]|1[0-7])-?jarige?",
    ),
    "repeat_victim": (
        r"(?<!het\s)(?<!mooi\s)(?<!slecht\s)weer",
        r"alweer",
        r"opnieuw",
        r"nogmaals",
        r"(?:elke|iedere) (?:dag|avond|nacht|week|ochtend|keer)",
        r"dagelijks",
        r"steeds (?:weer|opnieuw)",
        r"(?:tweede|derde|vierde|zoveelste) keer",
        r"al (?:weken|maanden|jaren)",
        r"meerdere keren",
        r"herhaaldelijk",
        r"telkens",
        r"niet de eerste keer",
    ),
}
#: Cues that are ordinary words in another language: only used when the text is known to be Dutch.
HOMOGRAPHS: Final[dict[CueKind, tuple[str, ...]]] = {
    "weapon": (r"mes",),
    "child": (r"kind",),
}
#: Words that negate a cue they precede within its clause.
NEGATORS: Final = frozenset(
    {
        "geen", "niet", "nooit", "zonder", "niemand", "noch", "niets", "nergens",
    }
)  # fmt: skip
#: Negators that are ordinary words in another language: only counted when the text is known to be Dutch.
NEGATOR_HOMOGRAPHS: Final[frozenset[str]] = frozenset()
#: Verbs of stopping: a negation before them is of the stopping, not of the cue.
NEGATION_BREAKERS: Final = frozenset(
    {
        "ophouden", "houdt", "hield", "stoppen", "stopt", "stopte",
    }
)  # fmt: skip
