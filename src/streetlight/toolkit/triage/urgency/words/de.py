"""German urgency words: cue patterns per kind, homographs, negators and negation breakers.

Patterns follow the rules in `words/__init__.py`: accent-folded lowercase text, a literal space for any
run of whitespace, matched as whole words.
"""

from __future__ import annotations

from typing import Final

from ..cues import CueKind

#: Cue patterns per kind, always looked for (reports mix languages).
CUES: Final[dict[CueKind, tuple[str, ...]]] = {
    "danger_now": (
        r"(?:er|sie|jemand|mann|typ|kerl|tater|manner|typen|leute) (?:ist|sind|steht|stehen|sitzt|sitzen|wartet"
        r"|warten) (?:immer )?noch (?:hier|da|draussen|vor|unten|im|in der|bei|hinter)",
        r"(?:ist|steht|sitzt|wartet|sind|stehen) (?:er|sie) (?:immer )?noch (?:hier|da|draussen|vor|unten)",
        r"(?:er|sie) (?:ist|sind) noch immer (?:hier|da|draussen)",
        r"(?:verfolgt|verfolgen) (?:mich|uns)",
        r"(?:geht|gehen|lauft|laufen) mir (?:hinterher|nach)",
        r"(?:versucht|versuchen) (?:reinzukommen|hereinzukommen|einzubrechen|die tur aufzubrechen)",
        r"bricht (?:gerade )?ein",
        r"(?:hammert|hammern|schlagt|schlagen|klopft|klopfen|tritt|treten) (?:gegen|an) (?:die|meine|unsere) tur",
        r"(?:steht|stehen|wartet|warten|ist|sind) vor (?:meiner|unserer|der) (?:tur|haustur|wohnung)",
        r"(?:er|sie) ist (?:wieder )?zuruck",
        r"hilfe(?=\s*(?:[!.,;]|$))",
        r"(?:helft|helfen sie) (?:mir|uns)",
        r"(?:kommen sie|kommt) schnell",
        r"(?:rufen sie|ruft|schicken sie) die polizei",
        r"ich habe mich (?:versteckt|eingeschlossen|eingesperrt)",
        r"ich verstecke mich",
    ),
    "ongoing": (r"gerade jetzt", r"jetzt gerade", r"in diesem moment", r"im moment", r"momentan", r"passiert gerade"),
    "weapon": (
        r"messer",
        r"klinge",
        r"waffen?",
        r"schusswaffen?",
        r"pistole",
        r"revolver",
        r"gewehr",
        r"schrotflinte",
        r"machete",
        r"axt",
        r"beil",
        r"baseballschlager",
        r"schlagstock",
        r"schlagring",
        r"pfefferspray",
        r"bewaffnet(?:e|er|en)?",
        r"niedergestochen",
        r"erstochen",
        r"messerstich(?:e)?",
        r"messerangriff",
        r"schusse",
        r"schuss",
        r"schiesserei",
        r"geschossen",
        r"angeschossen",
    ),
    "injury": (
        r"verletzt(?:e|er|en)?",
        r"verletzung(?:en)?",
        r"verwundet",
        r"blut(?:et|en|end|ig|ige)?",
        r"bewusstlos",
        r"ohnmachtig",
        r"atmet nicht(?: mehr)?",
        r"gebrochen(?:e|er|en)? (?:arm|bein|nase|rippe)",
        r"gehirnerschutterung",
        r"krankenwagen",
        r"notarzt",
        r"rettungswagen",
        r"herzinfarkt",
        r"uberdosis",
        r"liegt am boden",
        r"niedergestochen",
        r"erstochen",
        r"angeschossen",
    ),
    "violence": (
        r"geschlagen",
        r"zusammengeschlagen",
        r"schlagt(?!\s+(?:gegen|an)\s+(?:die|meine|unsere)\s+tur)",
        r"schlug(?:en)?",
        r"verprugel(?:t|n)",
        r"getreten",
        r"angegriffen",
        r"angriff",
        r"uberfallen",
        r"uberfall",
        r"korperverletzung",
        r"schlagerei",
        r"prugelei",
        r"gewurgt",
        r"ohrfeige",
        r"geohrfeigt",
        r"geschubst",
        r"gestossen",
    ),
    "sexual_violence": (
        r"vergewaltig(?:t|ung|er|en|te)",
        r"sexuell(?:e|en|er)? (?:ubergriff|belastigung|belastigt|notigung"
        r"|missbrauch|missbraucht)",
        r"begrapscht",
        r"betatscht",
        r"angegrapscht",
        r"unsittlich beruhrt",
        r"exhibitionist",
        r"entblosst",
        r"k\.?o\.?-tropfen",
    ),
    "threat_to_life": (
        r"(?:bringe|bringt|bringen|bring) (?:dich|mich|sie|ihn|uns|euch) um",
        r"umbringen",
        r"umzubringen",
        r"toten",
        r"ermord(?:en|et)",
        r"abstechen",
        r"todesdrohung(?:en)?",
        r"mit dem tod bedroht",
        r"selbstmord",
        r"suizid\w*",
        r"sich das leben nehmen",
        r"von der brucke springen",
        r"mach dich kalt",
        r"abknallen",
    ),
    "child": (
        r"kinder(?:n)?",
        r"kindes",
        r"kleinkind(?:er)?",
        r"babys?",
        r"saugling(?:e)?",
        r"jugendlicher?n?",
        r"minderjahrige[rn]?",
        r"madchen",
        r"klein(?:e|er|en) jungen?",
        r"schuler(?:in|innen)?",
        r"schulkind(?:er)?",
        r"(?:[1-9]|1[0-7])-?jahrige[rn]?",
    ),
    "repeat_victim": (
        r"(?:schon |immer )?wieder",
        r"erneut",
        r"nochmal",
        r"noch einmal",
        r"jeden (?:tag|abend|morgen)",
        r"jede (?:nacht|woche)",
        r"taglich",
        r"(?:zweite|dritte|vierte|x-te|zigste|\d+\.) mal",
        r"seit (?:wochen|monaten|jahren)",
        r"mehrmals",
        r"wiederholt",
        r"nicht das erste mal",
    ),
}
#: Cues that are ordinary words in another language: only used when the text is known to be German.
HOMOGRAPHS: Final[dict[CueKind, tuple[str, ...]]] = {
    "child": (r"kind",),
}
#: Words that negate a cue they precede within its clause.
NEGATORS: Final = frozenset(
    {
        "kein", "keine", "keinen", "keinem", "keiner", "keines", "nicht", "ohne", "niemals", "nie", "nichts",
    }
)  # fmt: skip
#: Negators that are ordinary words in another language: only counted when the text is known to be German.
NEGATOR_HOMOGRAPHS: Final[frozenset[str]] = frozenset()
#: Verbs of stopping: a negation before them is of the stopping, not of the cue.
NEGATION_BREAKERS: Final = frozenset(
    {
        "hort", "aufhoren", "horte",
    }
)  # fmt: skip
