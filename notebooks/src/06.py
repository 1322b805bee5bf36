"""Lesson 6: limits and biases of the text-to-image model. Rebuild the notebooks with `python notebooks/build.py`."""
from build import COLAB, FAST, LANGUAGE, SETTINGS, code, md

NAMES = {"en": "06_limits_and_biases", "fr": "06_limites_et_biais"}

CELLS = [
    md("""
    # 6 · Limits and biases
    *Going further, lesson 6: what a text-to-image model cannot do, and why.*

    In lesson 5 the model drew what our sentences described. Now we push it to its limits, and each time we look for
    the reason **in its data**: what it saw, and what it never saw.

    **Goals**
    - measure the **bias of languages**: our sentence encoder learnt 16 languages, not all of them;
    - check with a meter whether the model can draw **combinations it never saw**, such as a blue car;
    - try **unknown words and objects**: a turquoise car, an elephant;
    - try odd sentences: empty, very long, with emoji;
    - see why "a black cat on a yellow background" and "a yellow cat on a black background" are almost the same
      sentence vector, and yet different pictures.

    ⏱ Loading the sentence encoder takes about a second. The meter in section 2 takes about a minute; the rest runs
    within seconds.
    """, """
    # 6 · Limites et biais
    *Pour aller plus loin, séance 6 : ce qu'un modèle texte-image ne sait pas faire, et pourquoi.*

    À la séance 5, le modèle a dessiné ce que décrivaient nos phrases. Poussons-le maintenant dans ses limites, et
    cherchons à chaque fois la raison **dans ses données** : ce qu'il a vu, et ce qu'il n'a jamais vu.

    **Objectifs**
    - mesurer le **biais des langues** : notre encodeur de phrases a appris 16 langues, pas toutes ;
    - vérifier avec un instrument de mesure si le modèle sait dessiner des **associations jamais vues**, comme une
      voiture bleue ;
    - essayer des **mots et des objets inconnus** : une voiture turquoise, un éléphant ;
    - essayer des phrases étranges : vide, très longue, avec des émojis ;
    - comprendre pourquoi « un chat noir sur fond jaune » et « un chat jaune sur fond noir » ont presque le même
      plongement, et donnent pourtant des images différentes.

    ⏱ Le chargement de l'encodeur de phrases prend environ une seconde. L'instrument de mesure de la partie 2 prend
    environ une minute ; le reste s'exécute en quelques secondes.
    """),
    COLAB,
    code(f"""
    import os
    from collections import Counter
    from pathlib import Path

    import matplotlib.pyplot as plt
    from IPython.display import display

    from diffusion_lab import explain_missing_names, load_model, sample, set_language, shipped_checkpoint
    from diffusion_lab.evaluate import alignment, load_classifier, read
    from diffusion_lab.messages import decimal, message
    from diffusion_lab.pictures.captions import BACKGROUND_WORDS, COLOUR_WORDS, is_held_out, parse_prompt
    from diffusion_lab.pictures.categories import label_of, name_of
    from diffusion_lab.text import encoder_for, prompt_condition
    from diffusion_lab.viz import grid, label
    {LANGUAGE}"""),
    SETTINGS,
    code(f"""
    {FAST}
    CHECKPOINT = shipped_checkpoint("text")   # the shipped text-to-image denoiser, data/text.pt
    SEED = 0                                  # which random pixels we start from: any whole number
    N = 2 if FAST else 8                      # pictures per sentence
    STEPS = 2 if FAST else 25                 # DDIM steps per picture
    # classifier-free guidance w (0: ignore the sentence); 3 is the shipped default
    GUIDANCE = 3.0
    # sentences for the meter; blue cars, grey cats, yellow boats: never in training
    CHECKED = ["a red car", "une voiture rouge", "a blue car", "une voiture bleue",
               "a grey cat", "un chat gris", "a yellow boat", "un bateau jaune"]
    CHECKED = CHECKED[1:3] if FAST else CHECKED
    METER_N = 2 if FAST else 16               # pictures per sentence for the meter
    METER_STEPS = 4 if FAST else 20           # DDIM steps for the meter's pictures
    """),
    code("""
    model, schedule = load_model(CHECKPOINT, kind="text")   # a clear message if it is missing or is not a text model
    encoder = encoder_for(model.settings)                   # the frozen sentence encoder the denoiser was trained with
    classifier = load_classifier()                          # the meter's judge (section 2), data/classifier.pt
    print(message("nb06_loaded", seconds=encoder.load_seconds))
    """),
    code("""
    def cosine(a, b):
        \"\"\"The cosine similarity of two sentences: near 1 for the same meaning, near 0 for unrelated ones.\"\"\"
        u, v = encoder.encode([a, b])   # two vectors of length 1, (512,) each
        return float(u @ v)

    def in_words(attribute, value):
        \"\"\"A value the classifier reads ("car", "blue"), in the notebook's language.\"\"\"
        if attribute == "category":
            return name_of(label_of(value), LANGUAGE)
        word = (BACKGROUND_WORDS if attribute == "background" else COLOUR_WORDS)[value][LANGUAGE][0]
        return word if isinstance(word, str) else word[0]   # a French adjective: its masculine form
    """),
    md("""
    ## 1. The bias of languages
    On the map of lesson 5, each French sentence sat beside its English translation. Let us measure it: the cosine
    between a sentence and its translation, then between two French sentences.
    """, """
    ## 1. Le biais des langues
    Sur la carte de la séance 5, chaque phrase française se trouvait à côté de sa traduction anglaise. Mesurons-le : le
    cosinus entre une phrase et sa traduction, puis entre deux phrases en français.
    """),
    code("""
    for a, b in [("a red car", "une voiture rouge"), ("a ginger cat", "un chat roux"),
                 ("une voiture rouge", "une voiture bleue"), ("une voiture rouge", "un arbre vert")]:
        print(message("nb_cosine", value=decimal(cosine(a, b)), a=a, b=b))
    """),
    md("""
    "A red car" and "une voiture rouge" are very close (about 0.9): closer than a red car and a blue car in French,
    and far closer than a French car and a French tree. For this encoder the meaning counts, not the language. Some
    translations are less close ("a ginger cat" and "un chat roux"), yet each stays closer to the other than to any
    other sentence. A heat map shows every pair at once: bright squares are close sentences.
    """, """
    *A red car* et « une voiture rouge » sont très proches (environ 0,9) : plus proches qu'une voiture rouge et une
    voiture bleue en français, et bien plus qu'une voiture et un arbre en français. Pour cet encodeur, c'est le sens
    qui compte, pas la langue. Certaines traductions sont moins proches (*a ginger cat* et « un chat roux »), mais
    chacune reste plus proche de l'autre que de toute autre phrase. Une carte de chaleur montre toutes les paires d'un
    coup : les cases claires sont des phrases proches.
    """),
    code("""
    six = ["a red car", "a small red car", "a blue car", "a ginger cat", "une voiture rouge", "un chat roux"]
    similarity = encoder.encode(six) @ encoder.encode(six).T   # (6, 6): every cosine at once
    plt.figure(figsize=(7, 6))
    plt.imshow(similarity, vmin=0, vmax=1)
    plt.xticks(range(6), six, rotation=45, ha="right")
    plt.yticks(range(6), six)
    for i in range(6):
        for j in range(6):
            plt.text(j, i, decimal(similarity[i, j].item()), ha="center", va="center",
                     color="white" if similarity[i, j] < 0.6 else "black")
    plt.title(message("nb06_heat_map_title"))
    plt.colorbar()
    plt.show()
    """),
    md("""
    Is the bias of languages gone, then? The encoder learnt **16 languages** from translations: French, English,
    Spanish, German, Arabic, Chinese... but not Catalan, Basque, Breton or Swahili. Here is "a black cat" in eight
    languages: the first four were learnt, the last four were not.
    """, """
    Le biais des langues a-t-il donc disparu ? L'encodeur a appris **16 langues** sur des traductions : le français,
    l'anglais, l'espagnol, l'allemand, l'arabe, le chinois… mais pas le catalan, le basque, le breton ni le swahili.
    Voici « un chat noir » en huit langues : les quatre premières ont été apprises, les quatre dernières non.
    """),
    code("""
    BLACK_CAT = ["un chat noir", "un gato negro", "eine schwarze Katze", "قطة سوداء",  # French, Spanish, German, Arabic
                 "un gat negre", "katu beltz bat", "ur c'hazh du", "paka mweusi"]  # Catalan, Basque, Breton, Swahili
    for sentence in BLACK_CAT:
        print(message("nb_cosine", value=decimal(cosine("a black cat", sentence)), a="a black cat", b=sentence))
    print(encoder.pieces("paka mweusi"))   # how the encoder cuts a language it never learnt
    """),
    md("""
    The four languages it learnt land close to "a black cat" (0.7 to 0.9); the four others much less close (0.5 and
    below), and their words are cut into pieces that mean little to the encoder: "paka mweusi" becomes "▁pak", "a",
    "▁m", "we", "us", "i". A sentence in Breton or in Swahili lands far from every caption the denoiser learnt from,
    so the picture has little reason to match it. This is the bias of lesson 4 again, this time in the encoder's
    data: **a language that is not in the data is not understood.** Our denoiser, for its part, learnt from captions
    half in English and half in French.
    """, """
    Les quatre langues apprises tombent près de *a black cat* (de 0,7 à 0,9) ; les quatre autres bien moins près (0,5
    et moins), et leurs mots sont découpés en morceaux qui ne disent pas grand-chose à l'encodeur : « paka mweusi »
    devient « ▁pak », « a », « ▁m », « we », « us », « i ». Une phrase en breton ou en swahili tombe loin de toutes les
    légendes sur lesquelles le débruiteur a appris : l'image n'a guère de raison de lui correspondre. On retrouve le
    biais de la séance 4, cette fois dans les données de l'encodeur : **une langue absente des données n'est pas
    comprise.** Notre débruiteur, lui, a appris sur des légendes pour moitié en anglais, pour moitié en français.
    """),
    md("""
    ## 2. Combinations the model never saw
    Our eyes can be fooled, so we measure. For each sentence the package finds the words it knows (`parse_prompt`:
    category, colour, background...), the sampler draws `METER_N` pictures, and the classifier of lesson 4, which also
    reads the main colour and the background colour, gives the share of pictures in which it recognises what was
    asked.

    Six of these sentences are special: **no blue car, no grey cat and no yellow boat was ever in the training
    pictures**. The model saw blue things (fish, flowers, houses) and cars of other colours, never both together.
    """, """
    ## 2. Des associations que le modèle n'a jamais vues
    Nos yeux peuvent se tromper, alors on mesure. Pour chaque phrase, le programme repère les mots qu'il connaît
    (`parse_prompt` : catégorie, couleur, fond…), l'échantillonneur dessine `METER_N` images, et le classifieur de la
    séance 4, qui lit aussi la couleur principale et la couleur du fond, indique la proportion d'images où il
    reconnaît ce qui était demandé.

    Six de ces phrases sont spéciales : **aucune voiture bleue, aucun chat gris et aucun bateau jaune ne figurait
    dans les images d'entraînement**. Le modèle a vu des choses bleues (poissons, fleurs, maisons) et des voitures
    d'autres couleurs, jamais les deux ensemble.
    """),
    code('''
    def check(prompt):
        """METER_N pictures for a prompt, and the share of them in which the classifier reads what it asked for."""
        asked = parse_prompt(prompt)                 # the words the package recognises: {"category": "car", ...}
        cond = prompt_condition(prompt, model.settings)
        pictures = sample(model, schedule, METER_N, METER_STEPS, seed=SEED, cond=cond, guidance=GUIDANCE)
        scores = alignment(classifier, pictures, [asked] * METER_N)   # {"category": 1.0, "colour": 0.75, ...}
        shares = [message("nb06_share", attribute=message(f"nb06_{name}"), percent=100 * share)
                  for name, share in scores.items()]
        print(f"{prompt:<20}", "   ".join(shares), message("nb06_never_seen") if is_held_out(asked) else "")
        return pictures

    checked = {prompt: check(prompt) for prompt in CHECKED}
    '''),
    code("""
    for prompt, pictures in checked.items():
        display(label(grid(pictures[:8], nrow=8, scale=3), prompt))
    """),
    md("""
    The blue cars and the yellow boats usually come out all the same, nearly as well as the red cars. The model never
    memorised "blue car" as one thing: it learnt what "car" does to a picture and what "blue" does, and it
    **combines** them. This is called **composition**, and it is why a generator can draw "an astronaut riding a
    horse" without ever having seen one.

    The grey cats are the hardest: they come out grey, but rough, blocky striped shapes with two ears rather than
    clean cats. Cars come in nine colours in the training pictures, so the model learnt that a car can be any colour.
    A cat's colour is a **coat**, and real coats come in few colours. So that colour words also work on cats, a
    quarter of the training cats wear a picture-book coat (red, yellow, green, blue, purple or pink), and their
    captions say so: "a pink cat" is something the model has already seen (try it!). A grey coat never appears: the
    model paints the colour on a cat shape it has learnt less well, a little less often in French ("un chat gris")
    than in English.

    Now try pairs that never appear in the data, such as "a grey tree" or "a blue boat": they often fail, while
    "a purple house" works, because houses come in many colours and trees and boats in few. **A model can only
    combine what its data lets it take apart.**
    """, """
    En général, les voitures bleues et les bateaux jaunes sont réussis quand même, presque aussi bien que les voitures
    rouges. Le modèle n'a jamais appris « voiture bleue » par cœur comme un tout : il a appris ce que « voiture » fait
    à une image et ce que « bleu » fait, et il les **combine**. C'est la **composition**, et c'est pour cela qu'un
    générateur peut dessiner « un astronaute à cheval » sans en avoir jamais vu.

    Les chats gris sont les plus difficiles : ils sortent bien gris, mais grossiers, des formes rayées et anguleuses
    avec deux oreilles plutôt que des chats nets. Les voitures ont neuf couleurs dans les images d'entraînement : le
    modèle a appris qu'une voiture peut être de n'importe quelle couleur. La couleur d'un chat est un **pelage**, et
    les vrais pelages ont peu de couleurs. Pour que les mots de couleur fonctionnent aussi sur les chats, un quart des
    chats d'entraînement portent un pelage de livre d'images (rouge, jaune, vert, bleu, violet ou rose), et leurs
    légendes le disent : « un chat rose » est donc une chose que le modèle a déjà vue (essayez-la !). Un pelage gris
    n'apparaît jamais : le modèle pose la couleur sur une forme de chat qu'il a moins bien apprise, un peu moins
    souvent en français (« un chat gris ») qu'en anglais.

    Essayez maintenant des associations qui n'ont jamais figuré dans les données, comme « un arbre gris » ou « un
    bateau bleu » : elles échouent souvent, alors que « une maison violette » est réussie, car les maisons ont
    beaucoup de couleurs, les arbres et les bateaux peu. **Un modèle ne peut combiner que ce que ses données lui
    permettent de séparer.**
    """),
    md("""
    ## 3. Unknown words and objects
    What happens when we leave what the model knows? Each time: the pictures, what the meter reads in them, and which
    known sentences the new one is closest to.
    """, """
    ## 3. Des mots et des objets inconnus
    Que se passe-t-il quand on sort de ce que le modèle connaît ? À chaque fois : les images, ce que l'instrument de
    mesure y lit, et les phrases connues dont la nouvelle est la plus proche.
    """),
    code("""
    def draw(prompt):
        \"\"\"N pictures for a prompt, and the two answers the classifier gives most often for each attribute.\"\"\"
        cond = prompt_condition(prompt, model.settings)
        pictures = sample(model, schedule, N, STEPS, seed=SEED, cond=cond, guidance=GUIDANCE)
        display(label(grid(pictures, nrow=N, scale=3), prompt[:60] or "« »"))
        answers = [message("nb06_reads_one", attribute=message(f"nb06_{name}"), values=", ".join(
                       f"{in_words(name, value)} {count}/{len(seen)}" for value, count in Counter(seen).most_common(2)))
                   for name, seen in read(classifier, pictures).items()]   # seen: ["car", "car", "house", ...]
        print(message("nb06_meter_reads"), " · ".join(answers))

    def nearest(prompt, candidates):
        \"\"\"Print the cosine between a prompt and each candidate sentence, closest first.\"\"\"
        similarity = (encoder.encode([prompt]) @ encoder.encode(candidates).T)[0]   # (len(candidates),)
        for value, candidate in sorted(zip(similarity.tolist(), candidates), reverse=True):
            print(message("nb_cosine", value=decimal(value), a=prompt, b=candidate))
    """),
    md("""
    **An unknown colour.** "Turquoise" never appears in the captions. But the encoder has read the word in the
    sentences it learnt from, and knows it is a blue-green: the sentence lands closest to "a green car" and "a blue
    car".
    """, """
    **Une couleur inconnue.** « Turquoise » n'apparaît jamais dans les légendes. Mais l'encodeur a lu ce mot dans les
    phrases sur lesquelles il a appris, et sait que c'est un bleu-vert : la phrase tombe au plus près de *a green car*
    et de *a blue car*.
    """),
    code("""
    nearest("a turquoise car", ["a blue car", "a green car", "a red car", "a yellow car", "a blue fish"])
    draw("a turquoise car")
    """),
    md("""
    Expect a car in a blue or green, the nearest colours it knows: the model cannot invent a colour it never painted,
    it can only go to the nearest place it learnt. In French ("une voiture turquoise") the sentence lands in the same
    place, between "une voiture verte" and "une voiture bleue".

    **An unknown object.** No elephant was ever in the pictures. The sentence lands far from all seven known things,
    a little closer to the animals (the cat, the fish).
    """, """
    Attendez-vous à une voiture bleue ou verte, les couleurs connues les plus proches : le modèle ne peut pas inventer
    une couleur qu'il n'a jamais peinte, il ne peut qu'aller à l'endroit appris le plus proche. En français (« une
    voiture turquoise »), la phrase tombe au même endroit, entre « une voiture verte » et « une voiture bleue ».

    **Un objet inconnu.** Aucun éléphant ne figurait dans les images. La phrase tombe loin des sept choses connues, un
    peu plus près des animaux (le chat, le poisson).
    """),
    code("""
    unknown = "an elephant"
    nearest(unknown, ["a cat", "a tree", "a car", "a house", "a fish", "a flower", "a boat"])
    draw(unknown)
    """),
    md("""
    You get a mix or one of the known things, often a blurry one: the network is asked about a point where it never
    learnt anything, and it answers with what it knows. It can combine known words into a new picture (section 2),
    but **a model cannot draw an object of which it never saw a single picture**. A big generator draws an elephant
    only because it saw thousands of them.
    """, """
    On obtient un mélange ou l'une des choses connues, souvent floue : on interroge le réseau en un point où il n'a
    jamais rien appris, et il répond avec ce qu'il sait. Il sait combiner des mots connus en une image nouvelle
    (partie 2), mais **un modèle ne peut pas dessiner un objet dont il n'a jamais vu aucune image**. Un grand
    générateur ne dessine un éléphant que parce qu'il en a vu des milliers.
    """),
    md("""
    ## 4. Odd sentences
    **The empty sentence.** No words, nothing to encode: the package uses the null condition (all zeros) and says so.
    The model draws a picture of any kind from what it learnt, as with `w = 0`.
    """, """
    ## 4. Des phrases étranges
    **La phrase vide.** Pas de mots, rien à encoder : le programme utilise la condition nulle (que des zéros) et le
    dit. Le modèle dessine une image quelconque parmi ce qu'il a appris, comme avec `w = 0`.
    """),
    code("""
    draw("")
    """),
    md("""
    **A very long sentence.** The encoder reads at most `encoder.max_tokens` **tokens** (pieces of words). Beyond that
    the end of the sentence is cut off, and the package says so. Proof: changing the end does not change the vector
    at all.
    """, """
    **Une phrase très longue.** L'encodeur lit au plus `encoder.max_tokens` **tokens** (des morceaux de mots).
    Au-delà, la fin de la phrase est coupée, et le programme le dit. La preuve : changer la fin ne change pas du tout
    le vecteur.
    """),
    code("""
    long_prompt = ", ".join(["a red car"] * 70) + ", and a green tree at the very end"
    print(message("nb06_other_ending",
                  value=decimal(cosine(long_prompt, long_prompt.replace("green tree", "yellow fish")))))
    draw(long_prompt)
    """),
    md("""
    **Emoji and mixed languages.** Nothing crashes: the encoder cuts any text into tokens, and a symbol it does not
    know becomes the token `<unk>` ("unknown"); the package says which ones. Look at how it cuts the words: each is a
    piece of its own, `▁cat`, `▁noir`, `▁jaune` (`▁` starts a word), in French as in English, so mixing the two
    languages is no problem. Whether the picture matches the sentence depends on the words the model recognises.
    """, """
    **Des émojis et des langues mélangées.** Rien ne plante : l'encodeur découpe n'importe quel texte en tokens, et un
    symbole qu'il ne connaît pas devient le token `<unk>` (*unknown*, « inconnu ») ; le programme dit lesquels.
    Regardez aussi comment il découpe les mots : chacun forme un morceau à lui seul, `▁cat`, `▁noir`, `▁jaune` (`▁`
    marque le début d'un mot), en français comme en anglais ; mélanger les deux langues ne le gêne donc pas. Que
    l'image corresponde ou non à la phrase dépend des mots que le modèle reconnaît.
    """),
    code("""
    print(encoder.pieces("🐱 a cat noir sur fond jaune 🌻"))   # the pieces the encoder reads
    draw("🐱 a cat noir sur fond jaune 🌻")
    draw("une red voiture, très très belle!!")
    """),
    md("""
    ## 5. Who is black, who is yellow?
    Two sentences with the same words in another order: "a black cat on a yellow background" and "a yellow cat on a
    black background". For us they are opposite pictures. For the encoder's sentence vectors...
    """, """
    ## 5. Qui est noir, qui est jaune ?
    Deux phrases avec les mêmes mots dans un autre ordre : « un chat noir sur fond jaune » et « un chat jaune sur fond
    noir ». Pour nous, ce sont deux images opposées. Pour les plongements des phrases…
    """),
    code("""
    for a, b in [("a black cat on a yellow background", "a yellow cat on a black background"),
                 ("un chat noir sur fond jaune", "un chat jaune sur fond noir")]:
        print(message("nb_cosine", value=decimal(cosine(a, b)), a=a, b=b))
    draw("a black cat on a yellow background")
    draw("a yellow cat on a black background")
    """),
    md("""
    About 0.98: the two sentence vectors are very close, though not the same point. The encoder reads each word with
    its neighbours, then **adds up** all the pieces into one vector, and the sum **blurs** which colour goes with
    which thing. That is why our denoiser reads the words, not the sentence vector (lesson 5, section 5): "black"
    next to "cat" and "yellow" next to "background" are other vectors than "yellow" next to "cat".

    It can be measured. The reader of lesson 5 reads only the sentence vector. In English captions that name no
    background, it finds the thing's colour almost every time (99.8%); in captions that also name a background
    colour, 92% of the time, and nearly all its mistakes then give the background's colour. Compare the two rows of
    pictures above: reading the words, the denoiser can tell the two sentences apart. Big generators still mix up
    colours sometimes: try "a red cube on a blue sphere" in one of them!
    """, """
    Environ 0,98 : les deux plongements sont très proches, sans être le même point. L'encodeur lit chaque mot avec
    ses voisins, puis **additionne** tous les morceaux en un seul vecteur, et la somme **brouille** quelle couleur va
    avec quelle chose. C'est pour cela que notre débruiteur lit les mots, pas le vecteur de la phrase (séance 5,
    partie 5) : « noir » à côté de « chat » et « jaune » à côté de « fond » sont d'autres vecteurs que « jaune » à
    côté de « chat ».

    Cela se mesure. Le lecteur de la séance 5 ne lit que le vecteur de la phrase. Dans les légendes en anglais qui ne
    nomment pas de fond, il trouve la couleur de la chose presque à chaque fois (99,8 %) ; dans celles qui nomment
    aussi la couleur du fond, 92 % du temps, et presque toutes ses erreurs donnent alors la couleur du fond. Comparez
    les deux rangées d'images ci-dessus : en lisant les mots, le débruiteur peut distinguer les deux phrases. Les
    grands générateurs mélangent encore parfois les couleurs : essayez « un cube rouge sur une sphère bleue » dans
    l'un d'eux !
    """),
    md("""
    ## Summary
    - Our encoder learnt 16 languages from translations: a sentence and its French translation land close together.
      A language it never learnt (Breton, Swahili) lands far away: the bias of languages comes from its data.
    - The model **combines** words: a blue car, never seen in training, still comes out (composition). It can only
      combine what its data lets it take apart: grey trees and blue boats often fail, and grey cats come out rough.
    - An unknown colour goes to the nearest known one; an object of which the model never saw a picture cannot come
      out.
    - An empty sentence gives the null condition (a picture of any kind); a very long one is cut; unknown symbols
      become `<unk>`.
    - The sentence vector blurs which colour goes with which thing; the words keep it, and the denoiser reads the
      words.

    ## Exercises
    1. Use `check` on a held-out pair that is not in `CHECKED`, for example `check("a yellow tree")` and
       `check("un arbre jaune")`. Does composition work?

    <details><summary>Answer</summary>

    Usually yes: no yellow tree was in training, but trees come in autumn colours (orange, red) and yellow is common
    on other things, so the model combines "tree" and "yellow". Compare the English and French rows: they are close,
    because the encoder puts both sentences in the same place and the denoiser learnt both languages from its
    captions.
    </details>

    2. `check("a scarlet ship at sea")`: what does the meter print, and why? Look at the pictures too.

    <details><summary>Answer</summary>

    `parse_prompt` knows neither "ship" nor "scarlet", so it finds nothing to check and the meter prints no score: it
    only checks the words it knows. The pictures often show red boats all the same: the encoder has read that a ship
    is a boat and that scarlet is a red.
    </details>

    3. Lesson 4 ended with a bias in the data (90% cats). Which bias did you meet in this lesson, and where does it come
       from?

    <details><summary>Answer</summary>

    The bias of languages: the sentence encoder learnt 16 languages from translations, so French and English land
    together, but a sentence in a language it never learnt (Breton, Swahili) lands far from its translation, cut into
    meaningless pieces. The cure is in the data too: an encoder trained on more languages, and captions in those
    languages for the denoiser.
    </details>
    """, """
    ## À retenir
    - Notre encodeur a appris 16 langues sur des traductions : une phrase et sa traduction en français tombent près
      l'une de l'autre. Une langue qu'il n'a jamais apprise (le breton, le swahili) tombe loin : le biais des langues
      vient de ses données.
    - Le modèle **combine** les mots : une voiture bleue, jamais vue à l'entraînement, est réussie quand même (la
      composition). Il ne peut combiner que ce que ses données lui permettent de séparer : les arbres gris et les
      bateaux bleus échouent souvent, et les chats gris sortent grossiers.
    - Une couleur inconnue va vers la couleur connue la plus proche ; un objet dont le modèle n'a jamais vu aucune
      image ne peut pas apparaître.
    - Une phrase vide donne la condition nulle (une image quelconque) ; une phrase très longue est coupée ; les
      symboles inconnus deviennent `<unk>`.
    - Le vecteur de la phrase brouille « quelle couleur va avec quel objet » ; les vecteurs des mots le gardent, et le
      débruiteur lit les mots.

    ## Exercices
    1. Utilisez `check` sur une association jamais vue qui n'est pas dans `CHECKED`, par exemple
       `check("un arbre jaune")` et `check("a yellow tree")`. La composition fonctionne-t-elle ?

    <details><summary>Réponse</summary>

    En général, oui : aucun arbre jaune ne figurait dans l'entraînement, mais les arbres ont des couleurs d'automne
    (orange, rouge) et le jaune est courant sur d'autres choses, donc le modèle combine « arbre » et « jaune ».
    Comparez les lignes en français et en anglais : elles sont proches, car l'encodeur place les deux phrases au même
    endroit, et le débruiteur a appris les deux langues dans ses légendes.
    </details>

    2. `check("a scarlet ship at sea")` : qu'affiche l'instrument de mesure, et pourquoi ? Regardez aussi les images.

    <details><summary>Réponse</summary>

    `parse_prompt` ne connaît ni *ship* (navire) ni *scarlet* (écarlate) : il ne trouve rien à vérifier, et
    l'instrument n'affiche aucun score, car il ne vérifie que les mots qu'il connaît. Les images montrent pourtant
    souvent des bateaux rouges : l'encodeur a lu qu'un *ship* est un bateau et que *scarlet* est un rouge.
    </details>

    3. La séance 4 se terminait sur un biais des données (90 % de chats). Quel biais avez-vous rencontré dans cette
       séance, et d'où vient-il ?

    <details><summary>Réponse</summary>

    Le biais des langues : l'encodeur de phrases a appris 16 langues sur des traductions ; le français et l'anglais
    tombent donc ensemble, mais une phrase dans une langue qu'il n'a jamais apprise (le breton, le swahili) tombe loin
    de sa traduction, découpée en morceaux sans signification. Le remède est lui aussi dans les données : un encodeur
    entraîné sur davantage de langues, et des légendes dans ces langues pour le débruiteur.
    </details>
    """),
]
