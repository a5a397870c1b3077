"""English urgency words: cue patterns per kind, homographs, negators and negation breakers.

Patterns follow the rules in `words/__init__.py`: accent-folded lowercase text, a literal space for any
run of whitespace, matched as whole words.
"""

from __future__ import annotations

from typing import Final

from ..cues import CueKind

#: Cue patterns per kind, always looked for (reports mix languages).
CUES: Final[dict[CueKind, tuple[str, ...]]] = {
    "danger_now": (
        r"(?:he|she|they|someone|somebody|man|guy|men|guys|woman|group|person|people|attacker|stalker|ex"
        r"|boyfriend|husband)(?:'s|'re| is| are)? still (?:here|there|outside|around|inside|downstairs|upstairs"
        r"|behind me|next to me"
        r"|near me|at (?:the|my|our) (?:door|window|gate)|in (?:the|my|our) (?:building|house|flat|garden|street"
        r"|hall|stairwell))",
        r"(?<!was\s)(?<!were\s)(?:following|chasing|stalking|watching) (?:me|us)",
        r"(?:standing|waiting|banging|knocking|hammering|kicking|shouting) (?:on|at|outside|in front of) (?:my|our"
        r"|the) (?:door|window|house|flat|apartment|car)",
        r"trying to (?:get|break|come|force (?:his|their|her) way) in(?:to|side)?",
        r"(?:is|are) breaking in(?:to)?",
        r"(?:he|she|they)(?: is| are|'s|'re) back",
        r"help(?: me| us)?(?=\s*!)",
        r"please help",
        r"(?:call|send) (?:the )?police",
        r"(?:come|hurry) (?:quick(?:ly)?|fast|now|immediately|please)",
        r"i'?m (?:hiding|trapped|locked in)",
        r"(?:hiding|locked myself|locked ourselves|barricaded myself) in",
    ),
    "ongoing": (
        r"right now",
        r"at the moment",
        r"currently",
        r"as we speak",
        r"happening now",
        r"in progress",
        r"at this (?:very )?moment",
        r"still going on",
    ),
    "weapon": (
        r"knife",
        r"knives",
        r"blade",
        r"machete",
        r"(?:hand)?guns?",
        r"pistol",
        r"revolver",
        r"rifle",
        r"shotgun",
        r"firearms?",
        r"weapons?",
        r"armed",
        r"taser",
        r"pepper spray",
        r"baseball bat",
        r"crowbar",
        r"axe",
        r"broken bottle",
        r"stab(?:bed|bing|s)?",
        r"shots?(?: fired)?",
        r"shooting",
        r"shooter",
        r"brandish(?:ed|ing)?",
    ),
    "injury": (
        r"injur(?:ed|y|ies)",
        r"hurt(?:ing|s)?",
        r"wound(?:ed|s)?",
        r"bleed(?:ing|s)?",
        r"bled",
        r"blood",
        r"unconscious",
        r"passed out",
        r"(?:not|stopped) breathing",
        r"can'?t breathe",
        r"broken (?:arm|leg|nose|ribs?|jaw|bones?)",
        r"concussion",
        r"overdosed?",
        r"seizure",
        r"ambulance",
        r"lying on the (?:ground|floor|street|pavement)",
        r"collapsed",
        r"heart attack",
        r"stabbed",
        r"(?:was|got|been) shot",
    ),
    "violence": (
        r"hit(?:s|ting)?",
        r"beat(?:s|ing|en)?(?: up)?",
        r"punch(?:ed|es|ing)?",
        r"kick(?:ed|ing|s)?",
        r"slap(?:ped|ping|s)?",
        r"assault(?:ed|ing|s)?",
        r"(?<!heart\s)(?<!panic\s)attack(?:ed|ing|s)?",
        r"attacker",
        r"strangl(?:e|ed|ing)",
        r"chok(?:e|ed|ing) (?:me|her|him)",
        r"(?:pushed|shoved) (?:me|her|him)",
        r"fight(?:ing)?",
        r"brawl",
        r"mugg(?:ed|ing)",
        r"headbutt(?:ed)?",
    ),
    "sexual_violence": (
        r"rap(?:e|ed|es|ing|ist)",
        r"sexual(?:ly)? (?:assault(?:ed)?|abus(?:e|ed)|harass(?:ed|ment)|touch(?:ed|ing))",
        r"grop(?:e|ed|ing)",
        r"molest(?:ed|ing|er)?",
        r"touched (?:me|her|my|his) (?:up|inappropriately|breasts?|butt|bottom|crotch|privates?)",
        r"flashed (?:me|us|her)",
        r"flasher",
        r"exposed (?:himself|his)",
        r"indecent exposure",
        r"masturbat(?:ing|ed|e)",
        r"upskirt(?:ing)?",
        r"spiked (?:my|her|our) drinks?",
        r"drinks? (?:was )?spiked",
    ),
    "threat_to_life": (
        r"(?:kill|murder) (?:me|you|her|him|us|them|myself|himself|herself)",
        r"(?:going to|gonna|will) kill",
        r"wants? to kill",
        r"threat(?:en|ened|ening|ens) to kill",
        r"death threats?",
        r"threatened (?:me |her |him |us )?with death",
        r"suicid(?:e|al)",
        r"(?:end|take) (?:my|his|her) (?:own )?life",
        r"jump (?:off|from) (?:the|a) (?:bridge|roof|building)",
        r"i'?ll kill",
    ),
    "child": (
        r"child(?:ren)?",
        r"kids?",
        r"toddlers?",
        r"bab(?:y|ies)",
        r"infants?",
        r"a minor",
        r"minors",
        r"underage",
        r"(?:little|young|small) (?:boy|girl)s?",
        r"school(?:boy|girl|child|children|kids)s?",
        r"teen(?:ager)?s?",
        r"(?:[1-9]|1[0-7])[- ]years?[- ]old",
    ),
    "repeat_victim": (
        r"again",
        r"once more",
        r"every (?:single )?(?:day|night|evening|week|morning|weekend|time)",
        r"each (?:day|night|time|week)",
        r"daily",
        r"nightly",
        r"(?:second|third|fourth|fifth|nth|umpteenth|\d+(?:st|nd|rd|th)) time",
        r"for (?:weeks|months|years)",
        r"keeps? (?:coming back|happening|following|harassing|hitting|doing)",
        r"repeatedly",
        r"over and over",
        r"(?:several|many|multiple|countless) times",
        r"not the first time",
        r"still happening",
    ),
}
#: Cues that are ordinary words in another language: only used when the text is known to be English.
HOMOGRAPHS: Final[dict[CueKind, tuple[str, ...]]] = {}
#: Words that negate a cue they precede within its clause.
NEGATORS: Final = frozenset(
    {
        "no", "not", "never", "without", "nobody", "none", "neither", "nor", "nothing", "cannot",
        "dont", "didnt", "doesnt", "isnt", "wasnt", "arent", "werent", "hasnt", "havent", "hadnt", "cant",
        "couldnt", "wont", "wouldnt",
    }
)  # fmt: skip
#: Negators that are ordinary words in another language: only counted when the text is known to be English.
NEGATOR_HOMOGRAPHS: Final[frozenset[str]] = frozenset()
#: Verbs of stopping: a negation before them is of the stopping, not of the cue.
NEGATION_BREAKERS: Final = frozenset(
    {
        "stop", "stops", "stopped", "stopping", "quit", "cease",
    }
)  # fmt: skip
