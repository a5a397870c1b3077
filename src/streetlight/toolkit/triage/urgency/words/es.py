"""Spanish urgency words: cue patterns per kind, homographs, negators and negation breakers.

Patterns follow the rules in `words/__init__.py`: accent-folded lowercase text, a literal space for any
run of whitespace, matched as whole words.
"""

from __future__ import annotations

from typing import Final

from ..cues import CueKind

#: Cue patterns per kind, always looked for (reports mix languages).
CUES: Final[dict[CueKind, tuple[str, ...]]] = {
    "danger_now": (
        r"(?:me|nos) (?:esta|estan) (?:siguiendo|persiguiendo|pegando|golpeando|amenazando|acosando|vigilando)",
        r"(?:me|nos) (?:sigue|siguen|persigue|persiguen)",
        r"(?:todavia|aun) (?:esta|estan) (?:aqui|ahi|alli|fuera|afuera|abajo|en la puerta|delante)",
        r"(?:esta|estan) (?:todavia|aun) (?:aqui|ahi|alli|fuera|afuera|abajo)",
        r"(?:sigue|siguen) (?:aqui|ahi|alli|fuera|afuera|abajo|en la puerta|delante)",
        r"(?:intenta|intentan|esta intentando|estan intentando) (?:entrar|abrir la puerta|forzar la puerta)",
        r"(?:golpea|golpean|aporrea|aporrean) (?:la|mi|nuestra) puerta",
        r"(?:esta|estan) (?:en|delante de) (?:mi|nuestra) puerta",
        r"(?:ha|han) vuelto",
        r"socorro",
        r"auxilio",
        r"ayuda(?=\s*!)",
        r"ayud(?:enme|adme|ame|ennos)",
        r"vengan (?:rapido|ya|pronto)",
        r"(?:llamen|manden) a la policia",
        r"(?:estoy|estamos) (?:escondid|encerrad)[oa]s?",
        r"me he (?:escondido|encerrado)",
    ),
    "ongoing": (r"ahora mismo", r"en (?:este|estos) moment[oa]s?", r"esta (?:pasando|ocurriendo)", r"en curso"),
    "weapon": (
        r"cuchill[oa]s?",
        r"navajas?",
        r"navajazo",
        r"armas?(?: blanca| de fuego)?",
        r"armad[oa]s?",
        r"pistolas?",
        r"revolver",
        r"escopeta",
        r"rifle",
        r"fusil",
        r"machete",
        r"hacha",
        r"bate(?: de beisbol)?",
        r"barra de hierro",
        r"puno americano",
        r"spray de pimienta",
        r"apunalad[oa]s?",
        r"acuchillad[oa]s?",
        r"disparos?",
        r"dispararon",
        r"disparando",
        r"tiroteo",
        r"balazos?",
        r"balead[oa]",
    ),
    "injury": (
        r"herid[oa]s?",
        r"lesionad[oa]s?",
        r"lesiones",
        r"sangr(?:a|an|ando)",
        r"sangre",
        r"ensangrentad[oa]s?",
        r"inconsciente",
        r"desmayad[oa]",
        r"no respira",
        r"fractura",
        r"ambulancia",
        r"sobredosis",
        r"infarto",
        r"ataque (?:al corazon|cardiaco)",
        r"tirad[oa] en el suelo",
        r"apunalad[oa]s?",
        r"acuchillad[oa]s?",
        r"balead[oa]",
    ),
    "violence": (
        r"golpead[oa]s?",
        r"golpes?",
        r"golpear",
        r"golpe(?:a|an|o)(?!\s+(?:la|mi|nuestra)\s+puerta)",
        r"(?:me|le|la|nos|les) (?:ha |han )?(?:pega|pegan|pego|pegaron|pegado)",
        r"agredid[oa]s?",
        r"agresion(?:es)?",
        r"agredi(?:r|o|eron)",
        r"patadas?",
        r"punetazos?",
        r"bofetadas?",
        r"peleas?",
        r"paliza",
        r"estrangul\w*",
        r"empujon",
        r"atracad[oa]",
        r"atraco",
    ),
    "sexual_violence": (
        r"violacion(?:es)?",
        r"violad[oa]",
        r"violar",
        r"violador",
        r"agresion sexual",
        r"abuso sexual",
        r"abusad[oa]",
        r"abusaron",
        r"manose(?:o|ad[oa]|ar)",
        r"toquete(?:o|ad[oa])",
        r"(?:me|le) toco",
        r"tocamientos",
        r"exhibicionista",
        r"se masturbo",
        r"acoso sexual",
        r"me drogaron",
    ),
    "threat_to_life": (
        r"(?:te|me|la|lo|nos|os|los|las) (?:voy a |va a |van a |vamos a )?matar",
        r"matar(?:te|me|la|lo|nos)",
        r"te mato",
        r"amenaza(?:s|do|da|ron)? de muerte",
        r"suicid\w*",
        r"quitarse la vida",
        r"tirarse del puente",
    ),
    "child": (
        r"nin[oa]s?",
        r"cri[oa]s?",
        r"nen[ea]s?",
        r"bebes?",
        r"menor(?:es)? de edad",
        r"(?:un|una|los|las|unos|unas|dos|tres|varios) menor(?:es)?",
        r"chaval(?:a|es|as)?",
        r"adolescentes?",
        r"colegial(?:a|es|as)?",
        r"chiquill[oa]s?",
    ),
    "repeat_victim": (
        r"otra vez",
        r"de nuevo",
        r"nuevamente",
        r"una vez mas",
        r"(?:segunda|tercera|cuarta|enesima) vez",
        r"todos los dias",
        r"todas las (?:noches|semanas|tardes|mananas)",
        r"cada (?:dia|noche|semana|vez)",
        r"desde hace (?:semanas|meses|anos)",
        r"varias veces",
        r"repetidamente",
        r"(?:vuelve|volvio|volvieron) a",
        r"no es la primera vez",
    ),
}
#: Cues that are ordinary words in another language: only used when the text is known to be Spanish.
HOMOGRAPHS: Final[dict[CueKind, tuple[str, ...]]] = {}
#: Words that negate a cue they precede within its clause.
NEGATORS: Final = frozenset(
    {
        "sin", "ningun", "ninguno", "ninguna", "nadie", "nunca", "nada", "tampoco",
    }
)  # fmt: skip
#: Negators that are ordinary words in another language: only counted when the text is known to be Spanish.
NEGATOR_HOMOGRAPHS: Final[frozenset[str]] = frozenset()
#: Verbs of stopping: a negation before them is of the stopping, not of the cue.
NEGATION_BREAKERS: Final = frozenset(
    {
        "para", "paran", "paraba", "parar", "deja", "dejan", "dejaba", "dejar",
    }
)  # fmt: skip
