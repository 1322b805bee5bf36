"""Lesson 5: from words to images (text conditioning). Rebuild the notebooks with `python notebooks/build.py`."""
from build import COLAB, FAST, LANGUAGE, SETTINGS, code, md

NAMES = {"en": "05_from_words_to_images", "fr": "05_des_mots_aux_images"}

CELLS = [
    md("""
    # 5 · From words to images
    *Diffusion models, lesson 5: type a sentence, get a picture.*

    In lesson 4 we told the denoiser *which category* to draw with a label. Now we tell it with a **sentence**, in
    English or in French: "a small red car", "un chat noir sur fond jaune". This is how real image generators work,
    in miniature:
    1. every sentence is turned into a list of numbers, a point in a **space of meanings**, by a sentence encoder;
    2. the denoiser is trained on pictures together with the points of their descriptions;
    3. it then draws the picture that a new sentence describes.

    **Goals**
    - turn sentences into vectors and **see the space of meanings**: sentences that mean the same thing sit together;
    - measure how close two sentences are (the **cosine similarity**) and play with it;
    - see where the sentence enters the U-Net: not through the label's door of lesson 4, but word by word, through
      **cross-attention**, as in Stable Diffusion;
    - type a sentence and get pictures, with a guidance slider, and watch one of them appear;
    - check the pictures with a meter, and try sentences the model never saw: a turquoise car, an elephant, an empty
      sentence, a very long one, emoji... and understand what happens.

    ⏱ Loading the sentence encoder takes 5 to 20 seconds (once). The meter in section 6 takes about a minute; the
    rest answers within seconds.
    """, """
    # 5 · Des mots aux images
    *Modèles de diffusion, séance 5 : j'écris une phrase, j'obtiens une image.*

    À la séance 4, on disait au débruiteur *quelle catégorie* dessiner avec une étiquette. Maintenant, on le lui dit
    avec une **phrase**, en français ou en anglais : « une petite voiture rouge », « a black cat on a yellow
    background ». C'est ainsi que fonctionnent les vrais générateurs d'images, en miniature :
    1. chaque phrase est transformée en une liste de nombres, un point dans un **espace des sens**, par un encodeur
       de phrases ;
    2. le débruiteur apprend sur des images accompagnées des points de leurs descriptions ;
    3. il dessine ensuite l'image que décrit une phrase nouvelle.

    **Objectifs**
    - transformer des phrases en vecteurs et **voir l'espace des sens** : les phrases qui veulent dire la même chose
      se regroupent ;
    - mesurer à quel point deux phrases sont proches (la **similarité cosinus**) et jouer avec ;
    - voir par où la phrase entre dans le U-Net : pas par la porte de l'étiquette de la séance 4, mais mot par mot,
      par l'**attention croisée**, comme dans Stable Diffusion ;
    - écrire une phrase et obtenir des images, avec un curseur de guidage, et regarder l'une d'elles apparaître ;
    - vérifier les images avec un instrument de mesure, et essayer des phrases que le modèle n'a jamais vues : une
      voiture turquoise, un éléphant, une phrase vide, une phrase très longue, des émojis… et comprendre ce qui se
      passe.

    ⏱ Le chargement de l'encodeur de phrases prend de 5 à 20 secondes (une seule fois). L'instrument de mesure de
    la partie 6 prend environ une minute ; le reste répond en quelques secondes.
    """),
    COLAB,
    code(f"""
    import inspect
    import os
    from collections import Counter
    from pathlib import Path

    import matplotlib.pyplot as plt
    import torch
    from IPython.display import display
    from ipywidgets import Layout, Text

    from diffusion_lab import UNet, denoise, load_model, messages, sample, set_language
    from diffusion_lab.captions import is_held_out, parse_prompt
    from diffusion_lab.cli import default_checkpoint
    from diffusion_lab.evaluate import alignment, load_classifier, read
    from diffusion_lab.text import encoder_for, prompt_condition, where_words_look
    from diffusion_lab.viz import grid, label, to_pil
    from diffusion_lab.widgets import denoise_player, guided_sampler
    {LANGUAGE}"""),
    SETTINGS,
    code(f"""
    {FAST}
    CHECKPOINT = default_checkpoint("text")   # the shipped text-to-image denoiser, data/text.pt
    SEED = 0                                  # which random pixels we start from: any whole number
    N = 2 if FAST else 8                      # pictures per sentence
    STEPS = 2 if FAST else 25                 # DDIM steps per picture
    GUIDANCE = 3.0                            # classifier-free guidance w (0: ignore the sentence); 3 is the shipped default
    PROMPT = "un chat noir sur fond jaune" if LANGUAGE == "fr" else "a black cat on a yellow background"
    ANIMATION_STEPS = 4 if FAST else 50       # DDIM steps in the denoising animation
    CHECKED = ["a red car", "une voiture rouge", "a blue car", "une voiture bleue",   # sentences for the meter; blue cars,
               "a grey cat", "un chat gris", "a yellow boat", "un bateau jaune"]     # grey cats, yellow boats: never in training
    CHECKED = CHECKED[:2] if FAST else CHECKED
    METER_N = 2 if FAST else 16               # pictures per sentence for the meter
    METER_STEPS = 4 if FAST else 50           # DDIM steps for the meter's pictures
    """),
    code("""
    model, schedule = load_model(CHECKPOINT, kind="text")   # a clear message if it is missing or is not a text model
    encoder = encoder_for(model.settings)                   # the frozen sentence encoder the denoiser was trained with
    classifier = load_classifier()                          # the meter's judge (section 6), data/classifier.pt
    print(model)
    print(encoder)
    print(f"encoder loaded in {encoder.load_seconds:.0f} s")
    """),
    md("""
    ## 1. A sentence becomes 384 numbers
    The **sentence encoder** is a network that others trained on a billion pairs of sentences, so that two sentences
    that mean the same thing get nearly the same numbers. We use it as it is: it is **frozen**, we never change it.
    Ours is *all-MiniLM-L6-v2* (Sentence-BERT, Reimers & Gurevych 2019): it reads a sentence and returns **384
    numbers**, a vector of length 1.
    """, """
    ## 1. Une phrase devient 384 nombres
    L'**encodeur de phrases** est un réseau que d'autres ont entraîné sur un milliard de paires de phrases, pour que
    deux phrases qui veulent dire la même chose reçoivent presque les mêmes nombres. On l'utilise tel quel : il est
    **gelé**, on ne le modifie jamais. Le nôtre s'appelle *all-MiniLM-L6-v2* (Sentence-BERT, Reimers et Gurevych,
    2019) : il lit une phrase et renvoie **384 nombres**, un vecteur de longueur 1.
    """),
    code("""
    vectors = encoder.encode(["a red car", "a small red car", "a green tree"])   # (3, 384)
    print(vectors.shape)
    print(vectors[0, :8])                                  # the first 8 of the 384 numbers of "a red car"
    print(vectors.norm(dim=1))                             # every vector has length 1
    """),
    md("""
    ## 2. The space of meanings
    384 dimensions cannot be drawn. We flatten them to 2 with a **principal component analysis** (PCA): find the
    two directions in which the points spread the most, and read each point's position along them. Some distances
    are squashed, but groups that are far apart stay apart.

    Below, sentences about cats, cars and trees, in English and in French. Add your own to the list!
    """, """
    ## 2. L'espace des sens
    On ne peut pas dessiner 384 dimensions. On les aplatit en 2 avec une **analyse en composantes principales**
    (ACP, *PCA* en anglais) : on cherche les deux directions dans lesquelles les points s'étalent le plus, et on lit
    la position de chaque point le long de ces deux directions. Certaines distances sont écrasées, mais des groupes
    éloignés restent éloignés.

    Ci-dessous, des phrases sur des chats, des voitures et des arbres, en anglais et en français. Ajoutez les vôtres
    à la liste !
    """),
    code("""
    SENTENCES = {  # what each sentence is about: ([English sentences], [French sentences]). Add your own!
        "cat": (["a black cat", "a small ginger cat", "a white kitty with green eyes"],
                ["un chat noir", "un petit chat roux", "un minou blanc aux yeux verts"]),
        "car": (["a red car", "a small blue car", "a yellow van"],
                ["une voiture rouge", "une petite voiture bleue", "une camionnette jaune"]),
        "tree": (["a green tree", "a tall pine tree", "a fruit tree on a blue background"],
                 ["un arbre vert", "un grand sapin", "un arbre fruitier sur fond bleu"]),
    }
    points = [(text, category, language) for category, both in SENTENCES.items()
              for language, texts in zip(("en", "fr"), both) for text in texts]
    print(len(points), "sentences")
    """),
    code("""
    vectors = encoder.encode([text for text, _, _ in points])   # (18, 384)
    centred = vectors - vectors.mean(0)                          # PCA: put the middle of the cloud at 0,
    _, _, directions = torch.linalg.svd(centred, full_matrices=False)   # find the directions where it spreads most,
    xy = centred @ directions[:2].T                              # and read each point along the first two: (18, 2)
    """),
    code("""
    COLOURS = {"cat": "tab:orange", "car": "tab:red", "tree": "tab:green"}
    MARKERS = {"en": "o", "fr": "^"}
    plt.figure(figsize=(10, 7))
    for (text, category, language), (x, y) in zip(points, xy.tolist()):
        plt.scatter(x, y, s=90, color=COLOURS[category], marker=MARKERS[language])
        plt.annotate(text, (x, y), xytext=(5, 4), textcoords="offset points", fontsize=9)
    for name, colour in COLOURS.items():
        plt.scatter([], [], color=colour, label=name)                      # legend entries only
    for name, marker in MARKERS.items():
        plt.scatter([], [], color="grey", marker=marker, label=name)
    plt.legend()
    plt.show()
    """),
    md("""
    Look at the dots (●, English) first: the cats sit together, the cars together, the trees together, whatever the
    words ("kitty" or "cat", "van" or "car"). **The position of a sentence is its meaning**: this is the picture of
    the lesson.

    Now the triangles (▲, French): they do not join their English twins, they make a group of their own. Our
    encoder was trained on **English** sentences. It still cuts French into pieces and gives them numbers, but it
    understands them poorly: to it, "une voiture rouge" looks more like other French sentences than like "a red car".
    We measure this in the next section.
    """, """
    Regardez d'abord les ronds (●, anglais) : les chats sont ensemble, les voitures ensemble, les arbres ensemble,
    quels que soient les mots (*kitty* ou *cat*, *van* ou *car*). **La position d'une phrase, c'est son sens** :
    c'est l'image de la séance.

    Regardez maintenant les triangles (▲, français) : ils ne rejoignent pas leurs jumeaux anglais, ils forment un
    groupe à part. Notre encodeur a été entraîné sur des phrases **en anglais**. Il découpe quand même le français en
    morceaux et leur donne des nombres, mais il le comprend mal : pour lui, « une voiture rouge » ressemble davantage
    aux autres phrases françaises qu'à *a red car*. On le mesure dans la partie suivante.
    """),
    md("""
    ## 3. How close are two sentences?
    The **cosine similarity** of two vectors measures whether they point in the same direction: 1 for the same
    direction, about 0 for unrelated directions. Our vectors have length 1, so the cosine is simply the sum of the
    products of their numbers (the **dot product**, `@` in Python). Change the sentences and run the cell again!
    """, """
    ## 3. À quel point deux phrases sont-elles proches ?
    La **similarité cosinus** de deux vecteurs mesure s'ils pointent dans la même direction : 1 pour la même
    direction, environ 0 pour des directions sans rapport. Nos vecteurs ont une longueur de 1, donc le cosinus est
    simplement la somme des produits de leurs nombres (le **produit scalaire**, `@` en Python). Changez les phrases
    et relancez la cellule !
    """),
    code("""
    def cosine(a, b):
        \"\"\"The cosine similarity of two sentences: near 1 for the same meaning, near 0 for unrelated ones.\"\"\"
        u, v = encoder.encode([a, b])   # two vectors of length 1, (384,) each
        return float(u @ v)

    print(f"{cosine('a red car', 'a small red car'):.2f}   a red car / a small red car")
    print(f"{cosine('a red car', 'a crimson automobile'):.2f}   a red car / a crimson automobile")
    print(f"{cosine('a red car', 'a blue car'):.2f}   a red car / a blue car")
    print(f"{cosine('a red car', 'a green tree'):.2f}   a red car / a green tree")
    """),
    md("""
    A heat map shows every pair at once: bright squares are close sentences.
    """, """
    Une carte de chaleur montre toutes les paires d'un coup : les cases claires sont des phrases proches.
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
            plt.text(j, i, f"{similarity[i, j]:.2f}", ha="center", va="center", color="white" if similarity[i, j] < 0.6 else "black")
    plt.colorbar()
    plt.show()
    """),
    md("""
    The honest truth about French: the cosine between "a red car" and "une voiture rouge" is low, between 0.1 and
    0.3, about as low as between a car and a tree. So how can French sentences work at all? Because **half of our
    training captions are in French**. The denoiser has seen "une voiture rouge" next to red cars thousands of times,
    so it learnt what the French corner of the space means. And inside that corner the vectors still differ: "une
    voiture rouge" and "une voiture bleue" are not the same point.
    """, """
    La vérité sur le français : le cosinus entre *a red car* et « une voiture rouge » est faible, entre 0,1 et 0,3,
    à peu près aussi faible qu'entre une voiture et un arbre. Alors comment les phrases en français peuvent-elles
    marcher ? Parce que **la moitié de nos légendes d'entraînement sont en français**. Le débruiteur a vu « une
    voiture rouge » à côté de voitures rouges des milliers de fois : il a appris ce que veut dire le coin français de
    l'espace. Et dans ce coin, les vecteurs restent différents : « une voiture rouge » et « une voiture bleue » ne sont
    pas le même point.
    """),
    code("""
    print(f"{cosine('a red car', 'une voiture rouge'):.2f}   a red car / une voiture rouge")
    print(f"{cosine('a ginger cat', 'un chat roux'):.2f}   a ginger cat / un chat roux")
    print(f"{cosine('une voiture rouge', 'une voiture bleue'):.2f}   une voiture rouge / une voiture bleue")
    print(f"{cosine('une voiture rouge', 'un arbre vert'):.2f}   une voiture rouge / un arbre vert")
    """),
    md("""
    A multilingual encoder would put "a red car" and "une voiture rouge" at the same place; it is about five times
    bigger, so we keep the small English one, and French captions in training.
    """, """
    Un encodeur multilingue placerait *a red car* et « une voiture rouge » au même endroit ; il est environ cinq fois
    plus gros, donc on garde le petit encodeur anglais, et des légendes en français à l'entraînement.
    """),
    md("""
    ## 4. Where the sentence enters the U-Net
    In lesson 4 the label's 7 numbers went through the layer `cond_proj` and were **added** to the time embedding:
    one vector for the whole picture. A sentence could take the same door, as its one vector of 384 numbers. But
    section 8 shows the catch: that vector is an **average** of the words, and the average forgets which colour goes
    with which thing. So our denoiser reads the **words** themselves, as Stable Diffusion does:
    - before averaging, the encoder has one vector per word (per piece of word, in fact), each knowing its neighbours;
    - at the U-Net's two lowest resolutions (4×4 and 8×8), **cross-attention** layers let every place of the picture
      *look at* the words and take what it needs: each place asks a question (a vector), each word holds an answer,
      and the place takes a mix of the answers, most from the words that fit its question best.

    So the car can listen to "blue" and the background to "orange".
    """, """
    ## 4. Par où la phrase entre dans le U-Net
    À la séance 4, les 7 nombres de l'étiquette passaient par la couche `cond_proj` et étaient **ajoutés** au
    plongement du temps : un seul vecteur pour toute l'image. Une phrase pourrait passer par la même porte, sous la
    forme de son vecteur de 384 nombres. Mais la section 8 montre le piège : ce vecteur est une **moyenne** des mots,
    et la moyenne oublie quelle couleur va avec quelle chose. Notre débruiteur lit donc **les mots eux-mêmes**, comme
    Stable Diffusion :
    - avant de faire la moyenne, l'encodeur a un vecteur par mot (par morceau de mot, en fait), qui connaît ses voisins ;
    - aux deux plus basses résolutions du U-Net (4×4 et 8×8), des couches d'**attention croisée** laissent chaque
      endroit de l'image *regarder* les mots et y prendre ce dont il a besoin : chaque endroit pose une question (un
      vecteur), chaque mot détient une réponse, et l'endroit prend un mélange des réponses, surtout celles des mots
      qui vont le mieux avec sa question.

    Ainsi la voiture peut écouter « bleue » et le fond « orange ».
    """),
    code("""
    condition = prompt_condition(PROMPT, model.settings)   # (1, 1 + words, 384): the sentence's own vector, then each word's
    words = condition[:, 1:]
    print(encoder.model.tokenizer.tokenize(PROMPT), "+ a start and an end marker ->", tuple(words.shape))
    print("layers that read the words:", [name for name, layer in model.named_modules() if type(layer).__name__ == "CrossAttention"])
    print("the sentence's own vector also added to the time embedding:", model.cond_proj is not None)
    """),
    code("""
    print([line.strip() for line in inspect.getsource(UNet.forward).splitlines() if "words" in line])
    print("caption dropout in training:", model.settings["cond_dropout"], "· default guidance:", model.settings["guidance"])
    """),
    md("""
    Where does each place of the picture look? We draw one picture for `PROMPT` and record, at every step and in
    every cross-attention layer, how much each place (on the 4×4 and 8×8 grids, shown at 8×8) looked at each word.
    Bright means "looked a lot". "(no word)" is a learnt empty word that a place can look at when no word helps.
    """, """
    Où regarde chaque endroit de l'image ? On dessine une image pour `PROMPT` et on note, à chaque pas et dans chaque
    couche d'attention croisée, combien chaque endroit (sur les grilles 4×4 et 8×8, montrées en 8×8) a regardé chaque
    mot. Clair veut dire « a beaucoup regardé ». « (aucun mot) » est un mot vide appris, qu'un endroit peut regarder
    quand aucun mot ne l'aide.
    """),
    code("""
    picture, looks = where_words_look(model, schedule, condition, steps=STEPS, seed=SEED, guidance=GUIDANCE)   # (1 + words, 8, 8)
    names = [messages.message("widget_no_word")] + encoder.model.tokenizer.convert_ids_to_tokens(encoder.model.tokenizer(PROMPT)["input_ids"])
    figure, axes = plt.subplots(1, len(names) + 1, figsize=(1.5 * (len(names) + 1), 2))
    axes[0].imshow(to_pil(picture))
    for ax, name, look in zip(axes[1:], names, looks):
        ax.imshow(look, cmap="magma", vmin=0, vmax=looks.max())
        ax.set_title(name, fontsize=9)
    for ax in axes:
        ax.axis("off")
    plt.show()
    """),
    md("""
    Guidance works as in lesson 4: during training the sentence is replaced by the null condition (all zeros) 10% of
    the time (**caption dropout**), so the network also learns to draw "anything", and the sampler pushes each step
    `w` times further from "anything" towards "what the sentence says".
    """, """
    Le guidage marche comme à la séance 4 : pendant l'entraînement, la phrase est remplacée par la condition nulle
    (que des zéros) 10 % du temps (l'**abandon de légende**, *caption dropout*), si bien que le réseau apprend aussi
    à dessiner « n'importe quoi », et l'échantillonneur pousse chaque pas `w` fois plus loin de « n'importe quoi »,
    vers « ce que dit la phrase ».
    """),
    md("""
    ## 5. ▶ Type a sentence
    Write a sentence in the box and press Enter; move the guidance slider. Every picture starts from **the same
    noise**, so only your words and `w` change what you see. The model knows seven things (cat, tree, car, house,
    fish, flower, boat), their colours, the background colour, and a few details (eyes, ears, roofs, stripes...).
    Ideas: "un poisson jaune à rayures sur fond violet", "a white house with a red roof", "un voilier".
    """, """
    ## 5. ▶ Écrire une phrase
    Écrivez une phrase dans la case et appuyez sur Entrée ; déplacez le curseur de guidage. Chaque image part **du
    même bruit** : seuls vos mots et `w` changent ce que vous voyez. Le modèle connaît sept choses (chat, arbre,
    voiture, maison, poisson, fleur, bateau), leurs couleurs, la couleur du fond et quelques détails (yeux, oreilles,
    toits, rayures…). Des idées : « un poisson jaune à rayures sur fond violet », *a white house with a red roof*,
    « un voilier ».
    """),
    code("""
    box = Text(value=PROMPT, continuous_update=False, layout=Layout(width="640px"))   # redraws on Enter
    guided_sampler(model, schedule, box, lambda prompt: prompt_condition(prompt, model.settings),
                   n=N, steps=STEPS, seed=SEED, guidance=GUIDANCE)
    """),
    md("""
    Watch one picture appear, step by step, for `PROMPT` (change it in the settings): the noisy picture `x_t`, the
    noise the network sees `eps_pred`, and its guess of the final picture `x0_pred`. Press ▶:
    """, """
    Regardez une image apparaître, pas à pas, pour `PROMPT` (changez-la dans les réglages) : l'image bruitée `x_t`,
    le bruit que voit le réseau `eps_pred`, et sa réponse pour l'image finale `x0_pred`. Appuyez sur ▶ :
    """),
    code("""
    steps = list(denoise(model, schedule, n=1, steps=ANIMATION_STEPS, seed=SEED, cond=condition, guidance=GUIDANCE))
    denoise_player(steps, schedule)
    """),
    md("""
    ## 6. Check with the meter
    Our eyes can be fooled, so we measure. For each sentence, the package finds the words it knows
    (`parse_prompt`: category, colour, background...), the sampler draws `METER_N` pictures, and the classifier of
    lesson 4, which also reads the main colour and the background colour, says in what share of the pictures it
    sees what was asked.

    Six of these sentences are special: **no blue car, no grey cat and no yellow boat was ever in the training
    pictures**. The model has seen blue things (fish, flowers, houses) and cars of other colours, never both together.
    """, """
    ## 6. Vérifier avec l'instrument de mesure
    Nos yeux peuvent se tromper, alors on mesure. Pour chaque phrase, le paquet repère les mots qu'il connaît
    (`parse_prompt` : catégorie, couleur, fond…), l'échantillonneur dessine `METER_N` images, et le classifieur de la
    séance 4, qui lit aussi la couleur principale et la couleur du fond, dit dans quelle part des images il voit ce
    qui était demandé.

    Six de ces phrases sont spéciales : **aucune voiture bleue, aucun chat gris et aucun bateau jaune ne figurait
    dans les images d'entraînement**. Le modèle a vu des choses bleues (poissons, fleurs, maisons) et des voitures
    d'autres couleurs, jamais les deux ensemble.
    """),
    code("""
    def check(prompt):
        \"\"\"METER_N pictures for a prompt, and the share of them in which the classifier reads what it asked for.\"\"\"
        asked = parse_prompt(prompt)                 # the words the package recognises: {"category": "car", ...}
        cond = prompt_condition(prompt, model.settings)
        pictures = sample(model, schedule, METER_N, METER_STEPS, seed=SEED, cond=cond, guidance=GUIDANCE)
        scores = alignment(classifier, pictures, [asked] * METER_N)
        never_seen = "  (never in training)" if is_held_out(asked) else ""
        print(f"{prompt:<20}", "  ".join(f"{name} {share:4.0%}" for name, share in scores.items()), never_seen)
        return pictures

    checked = {prompt: check(prompt) for prompt in CHECKED}
    """),
    code("""
    for prompt, pictures in checked.items():
        display(label(grid(pictures[:8], nrow=8, scale=3), prompt))
    """),
    md("""
    The blue cars and the yellow boats usually come out all the same, nearly as well as the red cars. The model never
    memorised "blue car" as one thing: it learnt what "car" does to a picture and what "blue" does, and it
    **combines** them. This is called **composition**, and it is why a generator can draw "an astronaut riding a
    horse" without ever having seen one. Compare the English and French rows too: they are close, because the
    denoiser learnt both languages from its captions.

    The grey cats are the exception: the model often draws tabby, calico or ginger cats instead. Composition has
    limits. Cars came in nine colours in training, so "any colour on a car" was learnt; a cat's colour is a **coat**,
    and real coats come in few colours. So a quarter of the cats in this model's pictures wear a **picture-book
    coat**, red, yellow, green, blue, purple or pink, and their captions say so: "a blue cat" is something it saw.
    Grey never was: with those coats, more English grey cats come out grey than before, but French ones almost
    never. Try "a pink cat", then a few pairs the data never had, such as "a grey tree" or "a blue boat": they often
    fail, while "a purple house" works. A model can only combine what its data lets it take apart.

    French has one more trap. In the training captions, "gris" only ever described a roof or a background ("au toit
    gris", "sur fond gris clair"); a grey car was "une voiture grise". So the model never learnt that "gris" can be the
    colour of the thing itself.
    """, """
    En général, les voitures bleues et les bateaux jaunes sortent quand même, presque aussi bien que les voitures
    rouges.
    Le modèle n'a jamais appris « voiture bleue » par cœur comme un tout : il a appris ce que « voiture » fait à une
    image et ce que « bleu » fait, et il les **combine**. C'est la **composition**, et c'est pour cela qu'un
    générateur peut dessiner « un astronaute à cheval » sans en avoir jamais vu. Comparez aussi les lignes en
    français et en anglais : elles sont proches, car le débruiteur a appris les deux langues dans ses légendes.

    Les chats gris sont l'exception : le modèle dessine souvent à la place des chats tigrés, tricolores ou roux. La
    composition a ses limites. Les voitures avaient neuf couleurs à l'entraînement, donc « n'importe quelle couleur
    sur une voiture » a été appris ; la couleur d'un chat est un **pelage**, et les vrais pelages ont peu de
    couleurs. Alors un quart des chats des images de ce modèle portent un **pelage de livre d'images**, rouge, jaune,
    vert, bleu, violet ou rose, et leurs légendes le disent : « un chat bleu », il en a vu. Jamais de gris : avec ces
    pelages, plus de chats gris sortent gris qu'avant en anglais, mais presque jamais en français. Essayez « un chat
    rose », puis d'autres paires que les données n'ont jamais eues, comme « un arbre gris » ou « un bateau bleu » :
    elles échouent souvent, alors que « une maison violette » marche. Un modèle ne peut combiner que ce que ses
    données lui permettent de séparer.

    Le français a un piège de plus. Dans les légendes d'entraînement, « gris » ne décrivait jamais qu'un toit ou un
    fond (« au toit gris », « sur fond gris clair ») ; une voiture, elle, était « grise ». Le modèle n'a donc jamais
    appris que « gris » peut être la couleur de la chose elle-même.
    """),
    md("""
    ## 7. Sentences the model never saw
    What happens when we leave what the model knows? Each time: the pictures, what the meter reads in them, and
    where the sentence lands in the space of meanings.
    """, """
    ## 7. Des phrases que le modèle n'a jamais vues
    Que se passe-t-il quand on sort de ce que le modèle connaît ? À chaque fois : les images, ce que l'instrument de
    mesure y lit, et l'endroit où la phrase tombe dans l'espace des sens.
    """),
    code("""
    def draw(prompt):
        \"\"\"N pictures for a prompt, and the two answers the classifier gives most often for each attribute.\"\"\"
        pictures = sample(model, schedule, N, STEPS, seed=SEED, cond=prompt_condition(prompt, model.settings), guidance=GUIDANCE)
        display(label(grid(pictures, nrow=N, scale=3), prompt[:60] or "« »"))
        print("the meter reads:", {name: Counter(seen).most_common(2) for name, seen in read(classifier, pictures).items()})

    def nearest(prompt, candidates):
        \"\"\"Print the cosine between a prompt and each candidate sentence, closest first.\"\"\"
        similarity = (encoder.encode([prompt]) @ encoder.encode(candidates).T)[0]   # (len(candidates),)
        for value, candidate in sorted(zip(similarity.tolist(), candidates), reverse=True):
            print(f"  {value:.2f}  {candidate}")
    """),
    md("""
    **An unknown colour.** "Turquoise" was never in the captions. But the encoder has read the word in its billion
    sentences and knows it is a blue-green: the sentence lands near "a blue car" and "a green car".
    """, """
    **Une couleur inconnue.** « Turquoise » n'a jamais figuré dans les légendes. Mais l'encodeur a lu ce mot dans son
    milliard de phrases et sait que c'est un bleu-vert : la phrase tombe près de *a blue car* et *a green car*.
    """),
    code("""
    nearest("a turquoise car", ["a blue car", "a green car", "a red car", "a yellow car", "a blue fish"])
    draw("a turquoise car")
    """),
    md("""
    Expect a car in a blue or green, the nearest colours it knows: the model cannot invent a colour it never
    painted, it can only go to the nearest place it learnt. In French the trick works less well ("une voiture
    turquoise"): the encoder knows the word mostly from English.

    **An unknown object.** An elephant was never in the pictures, and no picture of one can come out: the model only
    knows how to paint its seven things. The sentence lands far from all of them, a little closer to some.
    """, """
    Attendez-vous à une voiture bleue ou verte, les couleurs connues les plus proches : le modèle ne peut pas
    inventer une couleur qu'il n'a jamais peinte, il ne peut qu'aller à l'endroit appris le plus proche. En français
    (« une voiture turquoise »), l'astuce marche moins bien : l'encodeur connaît surtout ce mot en anglais.

    **Un objet inconnu.** Aucun éléphant ne figurait dans les images, et aucune image d'éléphant ne peut sortir : le
    modèle ne sait peindre que ses sept choses. La phrase tombe loin de toutes, un peu plus près de certaines.
    """),
    code("""
    nearest("an elephant", ["a cat", "a tree", "a car", "a house", "a fish", "a flower", "a boat"])
    draw("an elephant")
    """),
    md("""
    You get a mix or one of the known things, often a blurry one: the network is asked about a point where it never
    learnt anything, and it answers with what it knows. A big generator would draw an elephant only because it saw
    thousands of them. **A model cannot draw what was never in its data.**

    **The empty sentence.** No words, nothing to encode: the package uses the null condition (all zeros) and says
    so. The model draws "anything" from its training pictures, as with `w = 0`.
    """, """
    On obtient un mélange ou l'une des choses connues, souvent floue : on interroge le réseau en un point où il n'a
    jamais rien appris, et il répond avec ce qu'il sait. Un grand générateur ne dessine un éléphant que parce qu'il en
    a vu des milliers. **Un modèle ne peut pas dessiner ce qui n'a jamais été dans ses données.**

    **La phrase vide.** Pas de mots, rien à encoder : le paquet utilise la condition nulle (que des zéros) et le dit.
    Le modèle dessine « n'importe quoi » parmi ses images d'entraînement, comme avec `w = 0`.
    """),
    code("""
    draw("")
    """),
    md("""
    **A very long sentence.** The encoder reads at most `encoder.max_tokens` **tokens** (pieces of words). Beyond
    that the end of the sentence is cut off, and the package says so. Proof: changing the end does not change the
    vector at all.
    """, """
    **Une phrase très longue.** L'encodeur lit au plus `encoder.max_tokens` **tokens** (des morceaux de mots).
    Au-delà, la fin de la phrase est coupée, et le paquet le dit. La preuve : changer la fin ne change pas du tout le
    vecteur.
    """),
    code("""
    long_prompt = ", ".join(["a red car"] * 70) + ", and a green tree at the very end"
    print(encoder.tokens(long_prompt), "tokens; the encoder reads", encoder.max_tokens)
    print(f"cosine with a different ending: {cosine(long_prompt, long_prompt.replace('green tree', 'yellow fish')):.2f}")
    draw(long_prompt)
    """),
    md("""
    **Emoji and mixed languages.** Nothing crashes: the encoder cuts any text into tokens, and a symbol it does not
    know becomes the token `[UNK]` ("unknown"). Look at how it cuts French words too: "jaune" becomes "ja" + "##une",
    pieces of English words. Whether the picture matches depends on the words the model recognises.
    """, """
    **Des émojis et des langues mélangées.** Rien ne plante : l'encodeur découpe n'importe quel texte en tokens, et
    un symbole qu'il ne connaît pas devient le token `[UNK]` (*unknown*, « inconnu »). Regardez aussi comment il
    découpe les mots français : « jaune » devient « ja » + « ##une », des morceaux de mots anglais. Que l'image
    corresponde dépend des mots que le modèle reconnaît.
    """),
    code("""
    print(encoder.model.tokenizer.tokenize("🐱 a cat noir sur fond jaune 🌻"))   # the pieces the encoder reads
    draw("🐱 a cat noir sur fond jaune 🌻")
    draw("une red voiture, très très belle!!")
    """),
    md("""
    ## 8. Who is black, who is yellow?
    Two sentences with the same words in another order: "a black cat on a yellow background" and "a yellow cat on a
    black background". For us they are opposite pictures. For our encoder...
    """, """
    ## 8. Qui est noir, qui est jaune ?
    Deux phrases avec les mêmes mots dans un autre ordre : « un chat noir sur fond jaune » et « un chat jaune sur
    fond noir ». Pour nous, ce sont deux images opposées. Pour notre encodeur…
    """),
    code("""
    print(f"{cosine('a black cat on a yellow background', 'a yellow cat on a black background'):.2f}   (English)")
    print(f"{cosine('un chat noir sur fond jaune', 'un chat jaune sur fond noir'):.2f}   (French)")
    draw("a black cat on a yellow background")
    draw("a yellow cat on a black background")
    """),
    md("""
    About 0.99: for the sentence vectors, almost the same point. The encoder reads each word in its context, but then
    **averages** all the words into one vector, and the average forgets which colour went with which thing. That is
    why our denoiser does not read the average but the words (section 4): "noir" next to "chat" and "jaune" next to
    "fond" are different vectors from "jaune" next to "chat". The first version of this model read only the average:
    for pairs it never saw, it got the colour right about half the time; reading the words, more than 80%
    (`data/text.md`). Big generators still mix up colours sometimes: try "a red cube on a blue sphere" in one of them!
    """, """
    Environ 0,99 : pour les vecteurs des phrases, presque le même point. L'encodeur lit chaque mot dans son contexte,
    mais il fait ensuite la **moyenne** de tous les mots en un seul vecteur, et la moyenne oublie quelle couleur
    allait avec quelle chose. C'est pour cela que notre débruiteur ne lit pas la moyenne mais les mots (section 4) :
    « noir » à côté de « chat » et « jaune » à côté de « fond » sont d'autres vecteurs que « jaune » à côté de « chat ».
    La première version de ce modèle ne lisait que la moyenne : pour des paires jamais vues, elle
    avait la bonne couleur environ une fois sur deux ; en lisant les mots, plus de 80 % (`data/text.md`). Les grands
    générateurs mélangent encore parfois les couleurs : essayez « un cube rouge sur une sphère bleue » dans l'un d'eux !
    """),
    md("""
    ## Summary
    - A frozen sentence encoder turns every sentence into 384 numbers, a point in a space of meanings: sentences that
      mean the same thing land close together; the cosine similarity measures how close.
    - Our encoder was trained on English: French sentences form a group of their own, far from their English
      twins. The denoiser still understands French because half of its training captions are French.
    - The denoiser reads the sentence's **words**, one vector each, through cross-attention: every place of the
      picture looks at the words it needs. The average of the words would forget which colour goes with which thing.
      Caption dropout and classifier-free guidance work exactly as before.
    - The model **combines** words: a blue car, never seen in training, still comes out (composition).
    - It cannot draw what was never in its data (an elephant); an unknown colour goes to the nearest known one; an
      empty sentence means "anything"; a very long one is cut; the words keep who is what, the average does not.

    ## Exercises
    1. Add a group "fish" to `SENTENCES` (3 English and 3 French sentences) and draw the map again. Where do they go?
    <details><summary>Solution</summary>

    The English fish make a new group of their own, away from the cats, cars and trees. The French fish join the
    French corner, where they sit a little apart from the other French sentences: the encoder does read some French
    words, but much less clearly.
    </details>

    2. Find two English sentences with **no word in common** whose cosine is above 0.5, and two that differ by
       **one letter** with a cosine below 0.5.
    <details><summary>Solution</summary>

    For example `cosine("a red car", "a crimson automobile")` is about 0.6: same meaning, different words. And
    `cosine("a car", "a cat")` is about 0.35, while `cosine("a car", "a vehicle")` is about 0.85: the encoder
    compares meanings, not spellings.
    </details>

    3. In the text box, type "a blue car" and move the guidance slider from 0 to 10. From which `w` are the cars
       blue? What happens at 10?
    <details><summary>Solution</summary>

    At 0 the sentence is ignored (any picture). From about 2 to 3 most cars are blue, although no blue car was
    ever in training. At 10 the colours become flat and over-saturated, and the pictures look alike: too much
    guidance, as in lesson 4.
    </details>

    4. Use `check` on two sentences the meter can read but the model never saw in those words, for example
       `check("a scarlet ship at sea")` and `check("une barque écarlate")`. How does the meter score them?
    <details><summary>Solution</summary>

    `parse_prompt` does not know "ship", "scarlet", "barque" or "écarlate", so it finds nothing to check: the
    meter prints no score at all. That is honest: it only checks the words it knows. Look at the pictures
    instead: the English sentence often gives red boats, because the encoder knows that a ship is a boat and
    scarlet is a red; the French one is a lottery, because the encoder understands little French beyond the words
    of our captions.
    </details>
    """, """
    ## À retenir
    - Un encodeur de phrases gelé transforme chaque phrase en 384 nombres, un point dans un espace des sens : les
      phrases qui veulent dire la même chose tombent près les unes des autres ; la similarité cosinus mesure cette
      proximité.
    - Notre encodeur a été entraîné sur de l'anglais : les phrases en français forment un groupe à part, loin de
      leurs jumelles anglaises. Le débruiteur comprend quand même le français, parce que la moitié de ses légendes
      d'entraînement sont en français.
    - Le débruiteur lit les **mots** de la phrase, un vecteur chacun, par l'attention croisée : chaque endroit de
      l'image regarde les mots dont il a besoin. La moyenne des mots oublierait quelle couleur va avec quelle chose.
      L'abandon de légende et le guidage sans classifieur marchent exactement comme avant.
    - Le modèle **combine** les mots : une voiture bleue, jamais vue à l'entraînement, sort quand même (la
      composition).
    - Il ne peut pas dessiner ce qui n'a jamais été dans ses données (un éléphant) ; une couleur inconnue va vers la
      couleur connue la plus proche ; une phrase vide veut dire « n'importe quoi » ; une phrase très longue est
      coupée ; les mots gardent qui est quoi, la moyenne non.

    ## Exercices
    1. Ajoutez un groupe « fish » à `SENTENCES` (3 phrases en anglais et 3 en français) et redessinez la carte. Où
       vont-elles ?
    <details><summary>Solution</summary>

    Les poissons en anglais forment un nouveau groupe, loin des chats, des voitures et des arbres. Les poissons en
    français rejoignent le coin français, où ils se tiennent un peu à l'écart des autres phrases françaises :
    l'encodeur lit bien quelques mots français, mais beaucoup moins nettement.
    </details>

    2. Trouvez deux phrases en anglais **sans aucun mot commun** dont le cosinus dépasse 0,5, et deux phrases qui
       ne diffèrent que d'**une lettre** avec un cosinus inférieur à 0,5.
    <details><summary>Solution</summary>

    Par exemple, `cosine("a red car", "a crimson automobile")` (« une voiture rouge » / « une automobile
    écarlate ») vaut environ 0,6 : même sens, mots différents. Et `cosine("a car", "a cat")` (une voiture / un
    chat) vaut environ 0,35, alors que `cosine("a car", "a vehicle")` (une voiture / un véhicule) vaut environ
    0,85 : l'encodeur compare des sens, pas des orthographes.
    </details>

    3. Dans la case de texte, écrivez « une voiture bleue » et déplacez le curseur de guidage de 0 à 10. À partir de
       quel `w` les voitures sont-elles bleues ? Que se passe-t-il à 10 ?
    <details><summary>Solution</summary>

    À 0, la phrase est ignorée (n'importe quelle image). Vers 2 ou 3, la plupart des voitures sont bleues, alors
    qu'aucune voiture bleue n'a jamais figuré dans l'entraînement. À 10, les couleurs deviennent plates et trop
    saturées, et les images se ressemblent : trop de guidage, comme à la séance 4.
    </details>

    4. Utilisez `check` sur deux phrases que le modèle n'a jamais vues avec ces mots-là, par exemple
       `check("une barque écarlate")` et `check("a scarlet ship at sea")`. Quel score donne l'instrument de mesure ?
    <details><summary>Solution</summary>

    `parse_prompt` ne connaît ni « barque », ni « écarlate », ni *ship*, ni *scarlet* : il ne trouve rien à
    vérifier, et l'instrument n'affiche aucun score. C'est honnête : il ne vérifie que les mots
    qu'il connaît. Regardez plutôt les images : la phrase anglaise donne souvent des bateaux rouges, car l'encodeur
    sait qu'un *ship* est un bateau et que *scarlet* est un rouge ; la phrase française est une loterie, car
    l'encodeur comprend peu le français en dehors des mots de nos légendes.
    </details>
    """),
]
