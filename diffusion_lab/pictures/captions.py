"""Captions: the sentences that describe a procedural picture, in English and in French.

Every picture comes with its attributes, {"category": "car", "colour": "red", "background": "yellow", ...}. A caption
turns them into words, like a child describing the picture: "a small red car",
"une petite voiture rouge sur fond jaune".
Several templates and synonyms per language, and attributes mentioned only some of the time, make the captions
varied, so that the model learns what each *word* means rather than a handful of fixed sentences.

French needs a little grammar: adjectives agree with the noun's gender (un arbre vert, une fleur verte), size goes
before the noun and colour after it (une petite voiture rouge), and "de un" becomes "d'un" (elision).

parse_prompt() goes the other way, from a prompt to the attributes it asks for, so that a meter can check the picture.
HELD_OUT_COMBINATIONS and HELD_OUT_PARAPHRASES are kept out of training, to test what the model understood.
"""
import re

import numpy as np

from .categories import COLOUR_OF_FUR, plain

# ---------------------------------------------------------------------------------------------
# The words. French adjectives are (masculine, feminine) pairs; a single string does not change.
# ---------------------------------------------------------------------------------------------
NOUNS = {  # category -> English synonyms, French synonyms, and the gender of the French nouns
    "cat": {"en": ["cat", "kitty"], "fr": ["chat", "minou"], "gender": "m"},
    "tree": {"en": ["tree"], "fr": ["arbre"], "gender": "m"},
    "car": {"en": ["car"], "fr": ["voiture", "auto"], "gender": "f"},
    "house": {"en": ["house"], "fr": ["maison"], "gender": "f"},
    "fish": {"en": ["fish"], "fr": ["poisson"], "gender": "m"},
    "flower": {"en": ["flower"], "fr": ["fleur"], "gender": "f"},
    "boat": {"en": ["boat"], "fr": ["bateau"], "gender": "m"},
}
KINDS = {  # a "kind" has a noun of its own, said instead of the category's: "a red tulip", "un voilier blanc"
    "tree": {"leafy": {"en": ["leafy tree"], "fr": ["arbre feuillu"], "gender": "m"},
             "pine": {"en": ["pine tree", "fir tree"], "fr": ["sapin"], "gender": "m"},
             "fruit": {"en": ["fruit tree"], "fr": ["arbre fruitier"], "gender": "m"}},
    "car": {"sedan": {"en": ["sedan"], "fr": ["berline"], "gender": "f"},
            "van": {"en": ["van"], "fr": ["camionnette"], "gender": "f"},
            "beetle": {"en": ["beetle car"], "fr": ["coccinelle"], "gender": "f"}},
    "flower": {"daisy": {"en": ["daisy"], "fr": ["marguerite"], "gender": "f"},
               "tulip": {"en": ["tulip"], "fr": ["tulipe"], "gender": "f"}},
    "boat": {"sailboat": {"en": ["sailboat", "sailing boat"], "fr": ["voilier"], "gender": "m"},
             "motorboat": {"en": ["motorboat"], "fr": ["bateau à moteur"], "gender": "m"}},
}
COLOUR_WORDS = {
    "red": {"en": ["red"], "fr": ["rouge"]},
    "orange": {"en": ["orange"], "fr": ["orange"]},  # "orange" is a fruit in French: it never agrees
    "yellow": {"en": ["yellow"], "fr": ["jaune"]},
    "green": {"en": ["green"], "fr": [("vert", "verte")]},
    "blue": {"en": ["blue"], "fr": [("bleu", "bleue")]},
    "purple": {"en": ["purple"], "fr": [("violet", "violette")]},
    "pink": {"en": ["pink"], "fr": ["rose"]},
    "brown": {"en": ["brown"], "fr": ["marron", ("brun", "brune")]},  # "marron" (a chestnut) never agrees either
    "black": {"en": ["black"], "fr": [("noir", "noire")]},
    "white": {"en": ["white"], "fr": [("blanc", "blanche")]},
    "grey": {"en": ["grey", "gray"], "fr": [("gris", "grise")]},
}
FUR_WORDS = {  # a cat's coat replaces its colour word: "a ginger cat", "un chat roux"
    "ginger": {"en": ["ginger", "orange"], "fr": [("roux", "rousse")]},
    "black": {"en": ["black"], "fr": [("noir", "noire")]},
    "white": {"en": ["white"], "fr": [("blanc", "blanche")]},
    "grey": {"en": ["grey", "gray"], "fr": [("gris", "grise")]},
    "tabby": {"en": ["tabby", "brown tabby"], "fr": [("tigré", "tigrée")]},
    "calico": {"en": ["calico"], "fr": ["tricolore"]},
    "siamese": {"en": ["Siamese"], "fr": [("siamois", "siamoise")]},
    "black and white": {"en": ["black and white"], "fr": [("noir et blanc", "noire et blanche")]},
}
BACKGROUND_WORDS = {  # "fond" is masculine, so one form is enough: "sur fond bleu clair"
    "blue": {"en": ["blue"], "fr": ["bleu"]},
    "light blue": {"en": ["light blue", "pale blue"], "fr": ["bleu clair", "bleu ciel"]},
    "dark blue": {"en": ["dark blue", "navy blue"], "fr": ["bleu foncé", "bleu marine"]},
    "yellow": {"en": ["yellow"], "fr": ["jaune"]},
    "pink": {"en": ["pink"], "fr": ["rose"]},
    "green": {"en": ["green"], "fr": ["vert"]},
    "purple": {"en": ["purple"], "fr": ["violet"]},
    "orange": {"en": ["orange"], "fr": ["orange"]},
    "light grey": {"en": ["light grey", "light gray"], "fr": ["gris clair"]},
    "red": {"en": ["red"], "fr": ["rouge"]},
}
SIZE_WORDS = {  # these go before the noun in both languages
    "small": {"en": ["small", "little"], "fr": [("petit", "petite")]},
    "big": {"en": ["big", "large"], "fr": [("grand", "grande"), ("gros", "grosse")]},
}
DETAIL_WORDS = {  # the other attributes, said after the noun and its colour: "un poisson jaune à rayures"
    "eye_colour": {
        "green": {"en": ["with green eyes"], "fr": ["aux yeux verts"]},  # yeux is plural: verts, bleus
        "yellow": {"en": ["with yellow eyes"], "fr": ["aux yeux jaunes"]},
        "blue": {"en": ["with blue eyes"], "fr": ["aux yeux bleus"]},
        "orange": {"en": ["with orange eyes"], "fr": ["aux yeux orange"]},
    },
    "ears": {
        "pointy": {"en": ["with pointy ears"], "fr": ["aux oreilles pointues"]},
        "rounded": {"en": ["with rounded ears", "with round ears"], "fr": ["aux oreilles rondes"]},
        "folded": {"en": ["with folded ears"], "fr": ["aux oreilles pliées"]},
    },
    "pose": {
        "face": {"en": ["seen from the front", "in close-up"], "fr": [("vu de face", "vue de face"), "en gros plan"]},
        "sitting": {"en": ["sitting"], "fr": [("assis", "assise")]},
        "lying": {"en": ["lying down"], "fr": [("couché", "couchée")]},
        "standing": {"en": ["standing"], "fr": ["debout"]},
    },
    "pattern": {
        "plain": {"en": ["with no pattern"], "fr": [("uni", "unie")]},
        "stripes": {"en": ["with stripes"], "fr": ["à rayures"]},
        "spots": {"en": ["with spots"], "fr": ["à pois", "à taches"]},
    },
    "facing": {
        "left": {"en": ["facing left", "going left"], "fr": [("tourné vers la gauche", "tournée vers la gauche")]},
        "right": {"en": ["facing right", "going right"], "fr": [("tourné vers la droite", "tournée vers la droite")]},
    },
    "roof": {  # "toit" is masculine: "une maison blanche au toit rouge"
        "red": {"en": ["with a red roof"], "fr": ["au toit rouge"]},
        "brown": {"en": ["with a brown roof"], "fr": ["au toit marron", "au toit brun"]},
        "grey": {"en": ["with a grey roof", "with a gray roof"], "fr": ["au toit gris"]},
        "black": {"en": ["with a black roof"], "fr": ["au toit noir"]},
        "blue": {"en": ["with a blue roof"], "fr": ["au toit bleu"]},
    },
}
TEMPLATES = {  # {} is the noun phrase: "a small red car on a yellow background"
    "en": ["{}", "{}", "a picture of {}", "a drawing of {}"],
    "fr": ["{}", "{}", "une image de {}", "un dessin de {}"],
}
BACKGROUND_TEMPLATES = {
    "en": ["on a {} background", "against a {} background"],
    "fr": ["sur fond {}", "sur un fond {}"],
}
ARTICLES = {"en": {"m": "a", "f": "a"}, "fr": {"m": "un", "f": "une"}}
# How often each attribute is named. The category always is; the others often, so that every word is learnt.
P_COLOUR, P_BACKGROUND, P_SIZE, P_DETAIL = 0.85, 0.5, 0.3, 0.4


def agree(word, gender: str) -> str:
    """The French form of an adjective for a noun of this gender: ("vert", "verte") -> "verte" for "une fleur"."""
    return word if isinstance(word, str) else word[gender == "f"]


def elide(text: str) -> str:
    """Spelling rules that join words: "a orange car" -> "an orange car", "de un arbre" -> "d'un arbre"."""
    text = re.sub(r"\b([Aa]) (?=[aeiouAEIOU])", r"\1n ", text)
    return re.sub(r"\b([dD])e (?=[aeiouyéèêàâîô])", r"\1'", text)  # (no "h": some French h forbid elision)


def describe(attrs: dict, language: str = "en", rng=None) -> tuple[str, dict]:
    """One caption for a picture with these attributes, and the attributes it names (the rest it leaves out)."""
    if language not in ("en", "fr"):
        raise ValueError(f"language must be 'en' or 'fr', got {language!r}")
    rng = np.random.default_rng(rng)
    pick = lambda words: words[rng.integers(len(words))]  # one synonym, at random
    category = attrs["category"]
    named = {"category": category}
    # 1. decide what to name: the category always, the other attributes some of the time
    if rng.random() < P_COLOUR:
        named["colour"] = attrs["colour"]
        if category == "cat" and attrs.get("fur") in FUR_WORDS:
            named["fur"] = attrs["fur"]  # a cat's colour is said with a word for its coat
    if rng.random() < P_SIZE and "size" in attrs:
        named["size"] = attrs["size"]
    details = [key for key in attrs if key in DETAIL_WORDS or (key == "kind" and category in KINDS)]  # e.g. eyes, roof
    if details and rng.random() < P_DETAIL:
        key = pick(details)
        named[key] = attrs[key]
    if rng.random() < P_BACKGROUND:
        named["background"] = attrs["background"]
    # 2. find words for them, in the order the language wants them
    noun = KINDS[category][named["kind"]] if "kind" in named else NOUNS[category]
    gender = noun["gender"] if language == "fr" else "m"  # English adjectives never agree
    words = [ARTICLES[language][gender]]
    if "size" in named:
        words.append(agree(pick(SIZE_WORDS[named["size"]][language]), gender))
    colour_words = FUR_WORDS[named["fur"]] if "fur" in named else COLOUR_WORDS[attrs["colour"]]
    if "colour" in named and language == "en":  # English: colour before the noun
        words.append(pick(colour_words["en"]))
    words.append(pick(noun[language]))
    if "colour" in named and language == "fr":  # French: colour after the noun
        words.append(agree(pick(colour_words["fr"]), gender))
    for key in DETAIL_WORDS:
        if key in named:
            words.append(agree(pick(DETAIL_WORDS[key][named[key]][language]), gender))
    if "background" in named:
        words.append(pick(BACKGROUND_TEMPLATES[language]).format(pick(BACKGROUND_WORDS[named["background"]][language])))
    # 3. put the noun phrase in a template, and apply the spelling rules
    return elide(pick(TEMPLATES[language]).format(" ".join(words))), named


def caption(attrs: dict, language: str = "en", rng=None) -> str:
    """One caption for a picture: caption({"category": "car", "colour": "red", ...}, "fr") -> "une voiture rouge"."""
    return describe(attrs, language, rng)[0]


def captions(attrs: dict, k: int, seed=0) -> list[str]:
    """k different captions for one picture, half in English and half in French, the same for the same seed.
    Give each picture its own seed, such as seed=[run_seed, i] for picture i: one seed for all would name the
    same attributes with the same template in every picture."""
    rng = np.random.default_rng(seed)
    first = int(rng.integers(2))  # with an odd k, either language may get the extra caption
    found = []
    for i in range(k):
        language = ("en", "fr")[(first + i) % 2]
        for _ in range(50):  # try for a caption not given yet; a picture with few words may run out
            text = caption(attrs, language, rng)
            if text not in found:
                break
        found.append(text)
    return found


# ---------------------------------------------------------------------------------------------
# Reading a prompt back: which attributes does it ask for?
# ---------------------------------------------------------------------------------------------
def wordings(table: dict, languages=("en", "fr")) -> list[tuple[str, str]]:
    """Every wording in a word table, made plain (lower case, no accents), with the value it means:
    [("bleu clair", "light blue"), ...], longest first so that "light blue" is tried before "blue"."""
    found = set()
    for value, words in table.items():
        for language in languages:
            for word in words[language]:
                found.update((plain(form), value) for form in ([word] if isinstance(word, str) else word))
    return sorted(found, key=lambda pair: -len(pair[0]))


def take(text: str, table, pattern: str = "{}", plural: bool = False):
    """Find the leftmost wording of the table in text. Returns (its value, the text with those words blanked out),
    or (None, text). Blanking out stops "green" in "with green eyes" from being read as the main colour later."""
    best = None
    for phrase, value in table:
        ending = "(?:s|x)?" if plural else ""  # cats, bateaux
        match = re.search(r"\b" + re.escape(pattern.format(phrase)) + ending + r"\b", text)
        if match and (best is None or match.start() < best[0].start()):
            best = (match, value)
    if best is None:
        return None, text
    match, value = best
    return value, text[:match.start()] + " " * len(match.group()) + text[match.end():]


def parse_prompt(prompt: str) -> dict:
    """Best effort: the attributes a prompt asks for, found with the captions' words in English and French.
    parse_prompt("un petit chat noir sur fond jaune") -> {"category": "cat", "colour": "black", "fur": "black",
    "background": "yellow", "size": "small"}. Only what it finds: an unknown word is simply not there."""
    text = plain(prompt).replace("'", " ").replace("\u2019", " ")  # "d'un" -> "d un"
    found = {}
    # 1. the background and the details first: their words ("green eyes", "toit rouge") are not the main colour
    background, text = take(text, wordings(BACKGROUND_WORDS, ["en"]), "{} background")
    if background is None:
        background, text = take(text, wordings(BACKGROUND_WORDS, ["fr"]), "fond {}")
    for key in DETAIL_WORDS:
        found[key], text = take(text, wordings(DETAIL_WORDS[key]))
    # 2. the thing: a kind's own noun ("sapin") tells the category too
    kinds = {(category, kind): words for category in KINDS for kind, words in KINDS[category].items()}
    category_kind, text = take(text, wordings(kinds), plural=True)
    if category_kind:
        found["category"], found["kind"] = category_kind
    else:
        found["category"], text = take(text, wordings(NOUNS), plural=True)
    # 3. its colour (a cat's coat has its own words) and its size
    if found["category"] == "cat":
        found["fur"], text = take(text, wordings(FUR_WORDS))
        if found["fur"]:
            found["colour"] = COLOUR_OF_FUR[found["fur"]]
    if not found.get("colour"):
        found["colour"], text = take(text, wordings(COLOUR_WORDS))
    found["size"], text = take(text, wordings(SIZE_WORDS))
    found["background"] = background
    return {key: value for key, value in found.items() if value is not None}


# ---------------------------------------------------------------------------------------------
# What training never sees, to test what the model understood rather than what it memorised.
# ---------------------------------------------------------------------------------------------
# One (category, colour) pair per category is left out of training. Each colour word is still learnt from other
# things (grey cars, blue fish), so a model that combines words can draw the pair all the same.
HELD_OUT_COMBINATIONS = (("cat", "grey"), ("tree", "yellow"), ("car", "blue"), ("house", "pink"),
                         ("fish", "red"), ("flower", "orange"), ("boat", "yellow"))


# A control for the benchmarks: one pair per category that training does see.
SEEN_COMBINATIONS = (("cat", "black"), ("tree", "green"), ("car", "red"), ("house", "white"), ("fish", "orange"),
                     ("flower", "red"), ("boat", "red"))


def is_held_out(attrs: dict) -> bool:
    """True for a picture whose (category, colour) pair is kept out of training for the benchmark."""
    return (attrs.get("category"), attrs.get("colour")) in HELD_OUT_COMBINATIONS


# Wordings the templates never produce, each with the attributes it asks for. They are pairs the model has seen
# (no held-out combination), so they measure only how the encoder copes with words it was not trained on.
HELD_OUT_PARAPHRASES = {
    "en": [
        ("a picture of a crimson automobile", {"category": "car", "colour": "red"}),
        ("a pink hatchback in front of a grass-green "
         "backdrop", {"category": "car", "colour": "pink", "background": "green"}),
        ("a kitten as black as coal", {"category": "cat", "colour": "black"}),
        ("a snow-white tomcat on a navy backdrop", {"category": "cat", "colour": "white", "background": "dark blue"}),
        ("a tall oak, emerald coloured", {"category": "tree", "colour": "green"}),
        ("a cosy cottage painted lemon yellow", {"category": "house", "colour": "yellow"}),
        ("a goldfish swimming", {"category": "fish", "colour": "orange"}),
        ("a violet blossom", {"category": "flower", "colour": "purple"}),
        ("a scarlet ship at sea", {"category": "boat", "colour": "red"}),
        ("a chocolate-coloured dinghy", {"category": "boat", "colour": "brown"}),
    ],
    "fr": [
        ("une petite bagnole rouge", {"category": "car", "colour": "red", "size": "small"}),
        ("une automobile vert pomme", {"category": "car", "colour": "green"}),
        ("photo d'un matou noir", {"category": "cat", "colour": "black"}),
        ("un minet blanc comme neige devant un mur bleu "
         "nuit", {"category": "cat", "colour": "white", "background": "dark blue"}),
        ("un chêne vert émeraude", {"category": "tree", "colour": "green"}),
        ("une bâtisse jaune citron", {"category": "house", "colour": "yellow"}),
        ("un petit poisson couleur citron", {"category": "fish", "colour": "yellow", "size": "small"}),
        ("une jolie fleurette mauve", {"category": "flower", "colour": "purple"}),
        ("une barque écarlate", {"category": "boat", "colour": "red"}),
        ("un chaton couleur charbon devant un mur "
         "jaune", {"category": "cat", "colour": "black", "background": "yellow"}),
    ],
}
