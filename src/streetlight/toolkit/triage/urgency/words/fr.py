"""French urgency words: cue patterns per kind, homographs, negators and negation breakers.

Patterns follow the rules in `words/__init__.py`: accent-folded lowercase text, a literal space for any
run of whitespace, matched as whole words.
"""

from __future__ import annotations

from typing import Final

from ..cues import CueKind

#: Cue patterns per kind, always looked for (reports mix languages).
CUES: Final[dict[CueKind, tuple[str, ...]]] = {
    "danger_now": (
        r"(?:il|elle|ils|elles|on|homme|type|mec|gars|agresseur|individus?|hommes|types|mecs|quelqu'un|ex)"
        r" (?:est|sont|reste|restent) (?:encore|toujours) (?:ici|la-bas|devant|dehors|en bas|derriere"
        r"|dans l'immeuble|dans le hall|la(?=\s*(?:[.,;:!?]|$|et\b)))",
        r"(?:me|nous) (?:suit|suivent|poursuit|poursuivent|traque|traquent)",
        r"en train de (?:me |nous |la |le |les )?(?:suivre|frapper|taper|battre|tabasser|casser|forcer|defoncer"
        r"|poursuivre|agresser|menacer|se battre|entrer)",
        r"(?:essaie|essaye|essaient|tente|tentent) d'(?:entrer|ouvrir|forcer|rentrer)",
        r"(?:frappe|tape|cogne|frappent|tapent|cognent) (?:a|contre) (?:ma|la|notre) porte",
        r"(?:est|sont|attend|attendent|reste|restent) devant (?:ma|notre|la) porte",
        r"(?:il|elle|ils|elles) (?:est|sont) (?:revenue?s?|de retour)",
        r"au secours",
        r"a l'aide",
        r"aidez-?(?:moi|nous)",
        r"(?:venez|faites) vite",
        r"vite(?=\s*!)",
        r"(?:appelez|envoyez) (?:la police|les secours|les flics)",
        r"je (?:suis|me suis) (?:cachee?|enfermee?|barricadee?)",
        r"je me cache",
    ),
    "ongoing": (
        r"en ce moment",
        r"actuellement",
        r"a l'instant",
        r"en cours",
        r"la maintenant",
        r"maintenant meme",
        r"se passe maintenant",
    ),
    "weapon": (
        r"couteaux?",
        r"cutter",
        r"machette",
        r"armes?(?: a feu| blanche)?",
        r"armee?s?",
        r"pistolet",
        r"revolver",
        r"fusil",
        r"carabine",
        r"flingue",
        r"poignard(?:e|ee|es|er)?",
        r"batte",
        r"barre de fer",
        r"hache",
        r"bombe lacrymogene",
        r"gazeuse",
        r"taser",
        r"coups? de feu",
        r"fusillade",
        r"(?:a|ont) tire (?:sur|des|dans|en l'air|un coup)",
    ),
    "injury": (
        r"blesse(?:e|s|es)?",
        r"blessures?",
        r"saign(?:e|ent|ait|ement)",
        r"ensanglante(?:e|s|es)?",
        r"inconscient(?:e|s|es)?",
        r"evanoui(?:e|s|es)?",
        r"ne respire plus",
        r"inanime(?:e|s|es)?",
        r"fracture",
        r"ambulance",
        r"samu",
        r"crise cardiaque",
        r"overdose",
        r"poignarde(?:e|s|es)?",
        r"(?:a ete|s'est fait) tire dessus",
    ),
    "violence": (
        r"frapp(?:e|ee|es|ees|er|ait|aient|ent)(?!\s+(?:a|contre)\s+(?:la|ma|notre)\s+porte)",
        r"tabass(?:e|ee|es|ees|er)",
        r"roue de coups",
        r"passe a tabac",
        r"agress(?:e|ee|es|ees|er|ion|ions)",
        r"battue?s?",
        r"battre",
        r"coups? de (?:poing|pied|tete|boule)",
        r"des coups",
        r"gifl(?:e|ee|er)",
        r"etrangl(?:e|ee|er)",
        r"bagarres?",
        r"se battent",
        r"rixe",
    ),
    "sexual_violence": (
        r"viol",
        r"viol(?:e|ee|es|ees|er|eur|eurs)",
        r"agression sexuelle",
        r"agressee? sexuellement",
        r"attouchements?",
        r"tripot(?:e|ee|er)",
        r"pelot(?:e|ee|er)",
        r"mains? aux fesses",
        r"touche (?:les|mes|ses) (?:fesses|seins|parties)",
        r"m'a touchee?",
        r"exhibitionnistes?",
        r"s'est exhibe",
        r"s'est masturbe",
        r"harcelement sexuel",
        r"drogue (?:mon|son|notre) verre",
    ),
    "threat_to_life": (
        r"(?:me|te|la|le|nous|vous|les) tuer",
        r"je (?:te|vous) tue",
        r"menaces? de mort",
        r"menacee? de mort",
        r"suicid(?:e|aire|er)",
        r"se suicider",
        r"mettre fin a (?:ses|mes|ses) jours",
        r"en finir avec la vie",
        r"sauter du pont",
        r"egorger",
        r"(?:te|vous) crever",
    ),
    "child": (
        r"enfants?",
        r"gamin(?:e|s|es)?",
        r"gosses?",
        r"bebes?",
        r"nourrissons?",
        r"(?:un|une|des|les|deux|trois|plusieurs) mineur(?:e|s|es)?",
        r"fillettes?",
        r"petit(?:e|s|es)? (?:fille|garcon)s?",
        r"ados?",
        r"adolescent(?:e|s|es)?",
        r"ecolier(?:e|s|es)?",
        r"collegien(?:ne|s|nes)?",
        r"agee?s? de (?:[1-9]|1[0-7]) ans",
    ),
    "repeat_victim": (
        r"a nouveau",
        r"de nouveau",
        r"encore une fois",
        r"une (?:nouvelle|enieme|autre) fois",
        r"(?:deuxieme|troisieme|quatrieme|enieme|nieme|\d+e) fois",
        r"tous les (?:jours|soirs|matins|week-ends)",
        r"toutes les (?:nuits|semaines)",
        r"chaque (?:jour|soir|nuit|semaine|fois)",
        r"depuis des (?:semaines|mois|annees)",
        r"plusieurs fois",
        r"recommencen?t?",
        r"regulierement",
        r"sans arret",
        r"(?:a|ai|as|ont|avons|avez) encore",
        r"pas la premiere fois",
    ),
}
#: Cues that are ordinary words in another language: only used when the text is known to be French.
HOMOGRAPHS: Final[dict[CueKind, tuple[str, ...]]] = {
    "weapon": (r"lame",),
    "injury": (r"sang",),
    "violence": (r"bat",),
}
#: Words that negate a cue they precede within its clause.
NEGATORS: Final = frozenset(
    {
        "pas", "n", "sans", "aucun", "aucune", "jamais", "ni", "rien", "nul", "nulle",
    }
)  # fmt: skip
#: Negators that are ordinary words in another language: only counted when the text is known to be French.
NEGATOR_HOMOGRAPHS: Final = frozenset({"ne"})
#: Verbs of stopping: a negation before them is of the stopping, not of the cue.
NEGATION_BREAKERS: Final = frozenset(
    {
        "arrete", "arretent", "arretait", "arreter", "cesse", "cessent", "cesser",
    }
)  # fmt: skip
