"""Italian urgency words: cue patterns per kind, homographs, negators and negation breakers.

Patterns follow the rules in `words/__init__.py`: accent-folded lowercase text, a literal space for any
run of whitespace, matched as whole words.
"""

from __future__ import annotations

from typing import Final

from ..cues import CueKind

#: Cue patterns per kind, always looked for (reports mix languages).
CUES: Final[dict[CueKind, tuple[str, ...]]] = {
    "danger_now": (
        r"(?:mi|ci|la|lo) (?:sta|stanno) (?:seguendo|inseguendo|picchiando|aggredendo|minacciando|colpendo)",
        r"(?:mi|ci) (?:segue|seguono|insegue|inseguono|pedina|pedinano)",
        r"(?:e|sono) ancora (?:qui|li|fuori|davanti|sotto casa|sotto|dentro|la(?=\s*(?:[.,;:!?]|$)))",
        r"(?:sta|stanno) cercando di (?:entrare|sfondare|aprire)",
        r"(?:bussa|bussano|picchia|picchiano|prende a calci|prendono a calci) (?:alla|la) (?:mia |nostra )?porta",
        r"(?:e|sono|aspetta|aspettano) (?:davanti|fuori) (?:alla|dalla) (?:mia|nostra) porta",
        r"(?:e|sono) tornat[oaie]",
        r"aiut(?:o|atemi|ateci|ami)(?=\s*(?:[!.,;]|$))",
        r"aiutatemi",
        r"venite (?:subito|presto)",
        r"(?:chiamate|mandate) (?:la polizia|i carabinieri|aiuto)",
        r"mi sono (?:nascost|chius|barricat)[oa]",
        r"mi sto nascondendo",
    ),
    "ongoing": (r"in questo momento", r"proprio (?:ora|adesso)", r"adesso", r"sta succedendo", r"in corso"),
    "weapon": (
        r"coltell[oi]",
        r"coltellino",
        r"coltellate",
        r"pistol[ae]",
        r"rivoltella",
        r"fucile",
        r"arm[ai]",
        r"armat[oaie]",
        r"machete",
        r"mannaia",
        r"ascia",
        r"mazza da baseball",
        r"spranga",
        r"tirapugni",
        r"spray al peperoncino",
        r"accoltellat[oaie]",
        r"pugnalat[oaie]",
        r"spari",
        r"sparato",
        r"sparatoria",
        r"colp[oi] di pistola",
    ),
    "injury": (
        r"ferit[oaie]",
        r"feriment[oi]",
        r"sanguin(?:a|ano|ante)",
        r"sangue",
        r"svenut[oa]",
        r"priv[oa] di sensi",
        r"incosciente",
        r"non respira",
        r"frattura",
        r"ambulanza",
        r"infarto",
        r"overdose",
        r"(?:stes[oa]|e) a terra",
        r"accoltellat[oaie]",
        r"pugnalat[oaie]",
    ),
    "violence": (
        r"picchiat[oaie]",
        r"picchia(?:re|no)?(?!\s+(?:alla|la)\s+(?:mia\s+|nostra\s+)?porta)",
        r"colpit[oaie]",
        r"aggredit[oaie]",
        r"aggression[ei]",
        r"aggredire",
        r"pugni",
        r"pugno",
        r"(?:pres[oa] )?a calci",
        r"calci e pugni",
        r"schiaff(?:o|i|eggiat[oaie])",
        r"strangolat[oaie]",
        r"riss[ae]",
        r"botte",
        r"pestat[oaie]",
        r"pestaggio",
        r"spintonat[oaie]",
    ),
    "sexual_violence": (
        r"stupr(?:o|ata|ato|are)",
        r"violentat[oa]",
        r"violenz[ae] sessual[ei]",
        r"abusat[oa]",
        r"abus[oi] sessual[ei]",
        r"molestat[oaie]",
        r"molesti[ae]",
        r"palpeggiat[oaie]",
        r"palpeggiamento",
        r"mi ha toccat[oa]",
        r"esibizionista",
        r"si e masturbato",
        r"drogato il (?:mio|suo) (?:drink|bicchiere)",
    ),
    "threat_to_life": (
        r"(?:ti|mi|la|lo|vi|ci|li|le) ammazz\w*",
        r"ammazzar(?:e|ti|mi|la|lo)",
        r"uccid\w*",
        r"uccis[oa]",
        r"minacc(?:ia|e) di morte",
        r"minacciat[oa] di morte",
        r"suicid\w*",
        r"togliersi la vita",
        r"farla finita",
        r"buttarsi dal ponte",
    ),
    "child": (
        r"bambin[oaie]",
        r"bimb[oaie]",
        r"ragazzin[oaie]",
        r"minorenn[ei]",
        r"neonat[oaie]",
        r"adolescent[ei]",
        r"scolar[oie]",
    ),
    "repeat_victim": (
        r"di nuovo",
        r"ancora una volta",
        r"un'altra volta",
        r"(?:seconda|terza|quarta|ennesima) volta",
        r"ogni (?:giorno|sera|notte|settimana|mattina|volta)",
        r"tutti i giorni",
        r"tutte le (?:sere|notti|settimane|mattine)",
        r"da (?:settimane|mesi|anni)",
        r"piu volte",
        r"ripetutamente",
        r"continuamente",
        r"non e la prima volta",
    ),
}
#: Cues that are ordinary words in another language: only used when the text is known to be Italian.
HOMOGRAPHS: Final[dict[CueKind, tuple[str, ...]]] = {
    "weapon": (r"lama",),
    "child": (r"di (?:[1-9]|1[0-7]) anni",),
    "repeat_victim": (r"ancora(?!\s+(?:qui|li|la|fuori|davanti|sotto|dentro)\b)",),
}
#: Words that negate a cue they precede within its clause.
NEGATORS: Final = frozenset(
    {
        "non", "nessun", "nessuno", "nessuna", "senza", "niente", "nulla",
    }
)  # fmt: skip
#: Negators that are ordinary words in another language: only counted when the text is known to be Italian.
NEGATOR_HOMOGRAPHS: Final = frozenset({"mai"})
#: Verbs of stopping: a negation before them is of the stopping, not of the cue.
NEGATION_BREAKERS: Final = frozenset(
    {
        "smette", "smettono", "smetteva", "smettere", "finisce",
    }
)  # fmt: skip
