"""Writes geotag_posts.jsonl: labelled posts about Portavera in five languages, for the geotagging
precision/recall test and benchmark. Deterministic (fixed seed); run once, commit the output:

    .venv/bin/python tests/toolkit/data/make_geotag_posts.py

Each language gets 36 posts naming one or two places (the Italian name, or the place's alias in that
language, sometimes in lower case or without accents, sometimes a common phrase such as "la gare")
and 9 posts naming none, several of them near misses ("Romantic", "via email", "in Europa"). About
a third of the streets and squares are written the hard way: a street type of the writer's language
("rue Roma", "Gelsistraat"), the bare name ("Tigli"), all lower case, or with a typo.
"""

from __future__ import annotations

import csv
import json
import random
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
GAZETTEER = HERE.parents[2] / "src" / "streetlight" / "demo" / "data" / "gazetteer.csv"
OUT = HERE / "geotag_posts.jsonl"
NAMES: set[str] = set()

ONE = {
    "en": [
        "Someone was harassing girls near {p} tonight",
        "Bike stolen outside {p} this morning, lock cut",
        "Group of guys shouting at people around {p}, felt really unsafe",
        "Street lights out again at {p}, it's pitch dark",
        "Police cars everywhere around {p}, anyone know what happened?",
        "Fight broke out at {p} around 2am",
        "Avoid {p} tonight, a man is following women",
        "Drug dealing in broad daylight at {p} again",
    ],
    "fr": [
        "Agression hier soir près de {p}, restez prudents",
        "Des jeunes qui cassent des voitures vers {p}",
        "Je ne me sens plus en sécurité le soir du côté de {p}",
        "Vol à l'arraché ce matin près de {p}",
        "Bagarre devant {p} vers minuit",
        "Attention, un homme suit les femmes autour de {p}",
        "Deal de drogue en plein jour à côté de {p}",
        "Encore un vol de vélo, {p} cette fois",
    ],
    "nl": [
        "Weer een fiets gestolen bij {p}",
        "Vanavond werd een meisje lastiggevallen in de buurt van {p}",
        "Groep jongeren die mensen uitschelden bij {p}",
        "De straatverlichting bij {p} doet het al een week niet",
        "Vechtpartij bij {p} rond middernacht",
        "Ik voel me 's avonds niet veilig rond {p}",
        "Politie overal rond {p}, weet iemand wat er gebeurd is?",
        "Er wordt openlijk gedeald bij {p}",
    ],
    "it": [
        "Ieri sera hanno scippato una signora vicino a {p}",
        "Rissa davanti a {p} verso mezzanotte",
        "Lampioni spenti a {p} da una settimana",
        "Spaccio alla luce del sole vicino a {p}",
        "Non mi sento sicura la sera dalle parti di {p}",
        "Macchine della polizia ovunque intorno a {p}, qualcuno sa cosa è successo?",
        "Mi hanno rubato la bici a {p} stamattina",
        "Un uomo segue le ragazze vicino a {p}, attenzione",
    ],
    "es": [
        "Otra bici robada cerca de {p}",
        "Anoche acosaron a una chica cerca de {p}",
        "Pelea en {p} a medianoche",
        "Las farolas de {p} llevan una semana apagadas",
        "No me siento segura de noche por {p}",
        "Coches de policía por todo {p}, ¿alguien sabe qué pasó?",
        "Venta de droga a plena luz del día junto a {p}",
        "Un hombre sigue a las mujeres por {p}, cuidado",
    ],
}
TWO = {
    "en": "Walked from {p} to {q} and felt followed the whole way",
    "fr": "Suivie de {p} jusqu'à {q}, j'ai eu très peur",
    "nl": "Van {p} naar {q} gelopen en de hele tijd gevolgd",
    "it": "Da {p} a {q} mi hanno seguita tutto il tempo",
    "es": "Me siguieron desde {p} hasta {q}",
}
NONE = {
    "en": [
        "Romantic dinner ruined by a loud argument next door",
        "Sent the report via email to the council",
        "Feeling unsafe walking home at night lately",
        "The market was packed today, lovely atmosphere",
        "Anyone else hear sirens a few minutes ago?",
        "Great place to stay, friendly neighbours",
        "Roman ruins exhibition opens next week",
        "My phone was stolen on the bus",
        "Nice little square with a fountain, shame about the litter",
    ],
    "fr": [
        "Quelle belle journée au marché ce matin",
        "La rue était sombre et vide, pas rassurée",
        "Envoyé par courriel à la mairie",
        "Un vrai roman policier, ce quartier",
        "Il y a eu des sirènes toute la nuit",
        "On m'a volé mon portefeuille dans le bus",
        "Une place de parking libre, enfin !",
        "Les prix en Europe augmentent encore",
        "Le parc était fermé à cause du vent",
    ],
    "nl": [
        "Wat een drukte op de markt vandaag",
        "Romantisch etentje verpest door luide buren",
        "Mijn telefoon is gestolen in de bus",
        "Via de app gemeld bij de gemeente",
        "Ik hoorde sirenes vannacht",
        "De straat was donker en leeg",
        "Rome is mooi in de lente",
        "Het plein was vol met toeristen",
        "Nieuwe fietsenstalling geopend, eindelijk",
    ],
    "it": [
        "Che bella giornata al mercato stamattina",
        "Una piazza piena di gente per il concerto",
        "Ho mandato la segnalazione via email al comune",
        "La romantica passeggiata è finita male",
        "Sirene per tutta la notte, che succede?",
        "Mi hanno rubato il portafoglio sull'autobus",
        "In Europa queste cose non dovrebbero succedere",
        "La collina è bellissima al tramonto",
        "Il parco era chiuso per il vento",
    ],
    "es": [
        "Qué bonito estaba el mercado hoy",
        "Cena romántica arruinada por los vecinos",
        "Me robaron la cartera en el autobús",
        "La calle estaba oscura y vacía",
        "Enviado vía correo al ayuntamiento",
        "Roma es preciosa en primavera",
        "Se oyeron sirenas toda la noche",
        "La plaza estaba llena de turistas",
        "El parque cerró por el viento",
    ],
}
_FR = (
    "rue ",
    "place ",
    "placette ",
    "avenue ",
    "cours ",
    "quai ",
    "parc ",
    "jardin ",
    "gare ",
    "pont ",
    "île ",
    "église ",
    "chapelle ",
    "école ",
    "tour ",
    "ruelle ",
    "belvédère ",
    "montée ",
    "marché ",
    "vieille ",
    "ancienne ",
    "cathédrale ",
    "centre commercial",
    "arrêt ",
    "stade ",
    "quartier ",
    "passage ",
    "piscine ",
    "embarcadère",
    "l'",
    "la gare",
    "le ",
    "les ",
    "vieux ",
    "nouveau ",
    "saint-",
)
_ES = (
    "calle ",
    "plaza ",
    "avenida ",
    "paseo ",
    "parque ",
    "jardín",
    "puente ",
    "isla ",
    "iglesia ",
    "ermita ",
    "escuela ",
    "estación",
    "mercado ",
    "muelle ",
    "mirador ",
    "camino ",
    "cuesta ",
    "centro comercial",
    "casco ",
    "barrio ",
    "puerto ",
    "antigua ",
    "dársena ",
    "campo deportivo",
    "parada ",
    "catedral ",
    "torre del",
    "el ",
    "los ",
    "las ",
    "la estación",
    "la catedral",
    "la colina",
    "embarcadero",
)
_NL = (
    "straat",
    "plein",
    "laan",
    "weg",
    "kade",
    "steeg",
    "park",
    "tuin",
    "brug",
    "eiland",
    "kerk",
    "kapel",
    "school",
    "markt",
    "buurt",
    "toren",
    "haven",
    "dok",
    "station",
    "uitkijk",
    "wacht",
    "steiger",
    "fabriek",
    "centrum",
    "zwembad",
)


def language_of(alias: str) -> str:
    """Which of the five languages an alias of the demo gazetteer is written in (good enough for it)."""
    low = alias.lower()
    if low.startswith(
        (
            "de ",
            "het ",
            "oude ",
            "nieuwe ",
            "sint-",
            "halte ",
            "winkelcentrum ",
            "overdekte ",
            "sportpark ",
            "kathedraal ",
            "park villa",
            "station fornaci",
        )
    ):
        return "nl"
    if low.startswith(_ES):
        return "es"
    if low.startswith(_FR):
        return "fr"
    if low.endswith(_NL) and " " not in low.strip():
        return "nl"
    if low.startswith(("la stazione", "il ")):
        return "it"
    return "en"


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


_IT_TYPES = {
    "via": "street",
    "viale": "street",
    "corso": "street",
    "vicolo": "street",
    "salita": "street",
    "strada": "street",
    "lungofiume": "street",
    "piazza": "square",
    "piazzetta": "square",
    "largo": "square",
    "piazzale": "square",
}
_TYPES = {
    "en": {"street": "{core} Street", "square": "{core} Square"},
    "fr": {"street": "rue {core}", "square": "place {core}"},
    "nl": {"street": "{core}straat", "square": "{core}plein"},
    "es": {"street": "calle {core}", "square": "plaza {core}"},
    "it": {"street": "via {core}", "square": "piazza {core}"},
}


def variant(rng: random.Random, name: str, language: str) -> str | None:
    """A harder way to write a street or square: its type in the writer's language ("rue Roma",
    "Tiglistraat"), the core alone ("Tigli"), all lower case, or a typo (which should not match)."""
    first, _, rest = name.partition(" ")
    if first.lower() not in _IT_TYPES or not rest:
        return None
    roll = rng.random()
    if roll < 0.15:
        return name.lower()
    if roll < 0.25:
        i = rng.randrange(1, len(name) - 1)
        return name[:i] + name[i + 1 :]  # a typo: counted as a miss, honestly
    connector, _, core = rest.partition(" ")
    if not core or connector.lower() not in ("dei", "del", "della", "delle", "degli", "di"):
        connector, core = "", rest
    if roll < 0.45:
        return None if core in NAMES else core  # "San Lorenzo" alone is the neighbourhood, not the square
    if language == "nl" and " " not in core:
        return _TYPES["nl"][_IT_TYPES[first.lower()]].format(core=core)
    if language == "nl":
        return None
    return _TYPES[language][_IT_TYPES[first.lower()]].format(core=f"{connector} {core}".strip())


def surface(rng: random.Random, place: dict[str, str], language: str) -> str:
    """How a resident writing in `language` would name the place."""
    if rng.random() < 0.3 and (harder := variant(rng, place["name"], language)):
        return harder
    own = [a for a in place["aliases"].split("|") if a and language_of(a) == language]
    proper = [a for a in own if a != a.lower()]
    common = [a for a in own if a == a.lower()]
    roll = rng.random()
    if language == "it":
        name = place["name"]
        if roll < 0.35:
            return name[0].lower() + name[1:]  # "in via Roma", "a piazza dei Tigli"
        if roll < 0.45 and common:
            return rng.choice(common)
        return name
    if roll < 0.12 and common:
        return rng.choice(common)
    if roll < 0.70 and proper:
        chosen = rng.choice(proper)
        return strip_accents(chosen) if language in ("fr", "es") and rng.random() < 0.25 else chosen
    return place["name"]


def main() -> None:
    rng = random.Random(9)
    with GAZETTEER.open(encoding="utf-8") as fh:
        places = list(csv.DictReader(fh))
    NAMES.update(place["name"] for place in places)
    rows = []
    for language in ("en", "fr", "nl", "it", "es"):
        order = places[:]
        rng.shuffle(order)
        picks = iter(order * 2)
        posts: list[tuple[str, list[str]]] = []
        for n in range(36):
            if n % 9 == 8:
                a, b = next(picks), next(picks)
                text = TWO[language].format(p=surface(rng, a, language), q=surface(rng, b, language))
                posts.append((text, [a["name"], b["name"]]))
            else:
                place = next(picks)
                text = ONE[language][n % len(ONE[language])].format(p=surface(rng, place, language))
                posts.append((text, [place["name"]]))
        posts += [(text, []) for text in NONE[language]]
        rng.shuffle(posts)
        rows += [
            {"id": f"{language}-{i:03d}", "language": language, "text": text, "places": labels}
            for i, (text, labels) in enumerate(posts, start=1)
        ]
    with OUT.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(rows)} posts written to {OUT.name}")


if __name__ == "__main__":
    main()
