"""Lesson 5: from words to images (text conditioning). Rebuild the notebooks with `python notebooks/build.py`."""
from build import COLAB, FAST, LANGUAGE, SETTINGS, code, md

NAMES = {"en": "05_from_words_to_images", "fr": "05_des_mots_aux_images"}

CELLS = [
    md("""
    # 5 · From words to images
    *Going further, lesson 5: type a sentence, get a picture.*

    In lesson 4 a label told the denoiser which category to draw. Now a **sentence** does, in English or in French:
    "a small red car", "un chat noir sur fond jaune". Three steps, as in the video:
    1. every sentence is "embedded" in a mathematical space: a network, the **sentence encoder**, turns it into 512
       numbers, its **embedding**;
    2. the denoiser is trained on pictures together with the embeddings of their captions;
    3. it then draws the picture that a new sentence describes.

    Real generators work the same way with bigger parts: their text encoder is CLIP's (trained on pictures and their
    captions) or a large language model (T5). Ours is a smaller encoder that learnt from questions with their answers
    and from translations, in 16 languages: a fair stand-in that fits on a laptop, and understands French and English.

    **Goals**
    - turn sentences into embeddings and see them on a map;
    - measure how close two sentences are (the **cosine similarity**);
    - check that a reader trained on English sentences only can read French ones;
    - look at training pictures with their captions;
    - see where the sentence enters the U-Net: word by word, through **cross-attention**, as in Stable Diffusion;
    - type a sentence and get pictures.

    Lesson 6 explores the limits: languages, combinations never seen, unknown words.

    ⏱ Loading the sentence encoder takes about a second. The rest runs within seconds.
    """, """
    # 5 · Des mots aux images
    *Pour aller plus loin, séance 5 : j'écris une phrase, j'obtiens une image.*

    À la séance 4, une étiquette disait au débruiteur quelle catégorie dessiner. Maintenant, c'est une **phrase**, en
    français ou en anglais : « une petite voiture rouge », *a black cat on a yellow background*. Trois étapes, comme
    dans la vidéo :
    1. chaque phrase est « plongée » dans un espace mathématique : un réseau, l'**encodeur de phrases**, la transforme
       en 512 nombres, son **plongement** ;
    2. le débruiteur s'entraîne sur des images accompagnées des plongements de leurs légendes ;
    3. il dessine ensuite l'image que décrit une phrase nouvelle.

    Les vrais générateurs fonctionnent ainsi, avec de plus grosses pièces : leur encodeur de texte est celui de CLIP
    (entraîné sur des images et leurs légendes) ou un grand modèle de langage (T5). Le nôtre est un encodeur plus
    petit, qui a appris sur des questions et leurs réponses et sur des traductions, dans 16 langues : il joue le même
    rôle, tient sur un ordinateur portable et comprend le français comme l'anglais.

    **Objectifs**
    - transformer des phrases en plongements et les voir sur une carte ;
    - mesurer à quel point deux phrases sont proches (la **similarité cosinus**) ;
    - vérifier qu'un lecteur entraîné sur des phrases en anglais seulement sait lire le français ;
    - regarder des images d'entraînement avec leurs légendes ;
    - voir par où la phrase entre dans le U-Net : mot par mot, par l'**attention croisée**,
      comme dans Stable Diffusion ;
    - écrire une phrase et obtenir des images.

    La séance 6 explore les limites : les langues, les associations jamais vues, les mots inconnus.

    ⏱ Le chargement de l'encodeur de phrases prend environ une seconde. Le reste s'exécute en quelques secondes.
    """),
    COLAB,
    code(f"""
    import os
    from pathlib import Path

    import matplotlib.pyplot as plt
    import torch
    from IPython.display import display

    from diffusion_lab import denoise, explain_missing_names, load_model, set_language, shipped_checkpoint
    from diffusion_lab.data import procedural_categories
    from diffusion_lab.messages import decimal, message
    from diffusion_lab.pictures.captions import captions
    from diffusion_lab.pictures.categories import label_of, name_of
    from diffusion_lab.text import encoder_for, prompt_condition, reader_across_languages, where_words_look
    from diffusion_lab.unet import CrossAttention
    from diffusion_lab.viz import to_pil
    from diffusion_lab.widgets import denoise_player, guided_sampler
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
    PROMPT = "un chat noir sur fond jaune" if LANGUAGE == "fr" else "a black cat on a yellow background"
    READER_PICTURES = 200 if FAST else 2000   # pictures whose captions the reader of section 3 learns and reads
    READER_STEPS = 30 if FAST else 300        # the reader's training steps
    SHOWN = 4 if FAST else 8                  # training pictures shown with their captions
    ANIMATION_STEPS = 4 if FAST else 50       # DDIM steps in the denoising animation
    """),
    code("""
    model, schedule = load_model(CHECKPOINT, kind="text")   # a clear message if it is missing or is not a text model
    encoder = encoder_for(model.settings)                   # the frozen sentence encoder the denoiser was trained with
    print(message("nb05_loaded", millions=decimal(model.num_parameters() / 1e6), name=encoder.name, dim=encoder.dim,
                  most=encoder.max_tokens, seconds=encoder.load_seconds))
    """),
    md("""
    ## 1. A sentence becomes 512 numbers
    The sentence encoder is a network that others trained on huge collections of sentences (questions with their
    answers, translations), so that two sentences that mean the same thing get nearly the same numbers, whatever their
    language. We use it as it is: it is **frozen**, we never change it. Ours is Google's multilingual *Universal
    Sentence Encoder* (Yang et al. 2020); it knows 16 languages, French and English among them. It reads a sentence in
    small letters and returns its embedding: **512 numbers**, a vector of length 1.
    """, """
    ## 1. Une phrase devient 512 nombres
    L'encodeur de phrases est un réseau que d'autres ont entraîné sur d'immenses collections de phrases (des questions
    et leurs réponses, des traductions), pour que deux phrases qui veulent dire la même chose reçoivent presque les
    mêmes nombres, quelle que soit leur langue. On l'utilise tel quel : il est **gelé**, on ne le modifie jamais. Le
    nôtre est l'*Universal Sentence Encoder* multilingue de Google (Yang et al., 2020) ; il connaît 16 langues, dont le
    français et l'anglais. Il lit une phrase en minuscules et renvoie son plongement : **512 nombres**, un vecteur de
    longueur 1.
    """),
    code("""
    vectors = encoder.encode(["a red car", "a small red car", "a green tree"])   # (3, 512)
    print(vectors.shape)
    print(vectors[0, :8])                                  # the first 8 of the 512 numbers of "a red car"
    print(vectors.norm(dim=1))                             # every vector has length 1
    """),
    md("""
    ## 2. A map of the embeddings
    512 dimensions cannot be drawn. We flatten them to 2 with a **principal component analysis** (PCA): find the
    two directions in which the points spread the most, and read each point's position along them. Flattening can
    only bring points closer: two close sentences stay close on the map, but two distant ones may look close.

    Below, sentences about cats, cars and trees, in English and in French: each French sentence translates an English
    one. Add your own to the list!
    """, """
    ## 2. La carte des plongements
    On ne peut pas dessiner 512 dimensions. On les aplatit en 2 avec une **analyse en composantes principales**
    (ACP) : on cherche les deux directions dans lesquelles les points s'étalent le plus, et on lit la position de
    chaque point le long de ces deux directions. Aplatir ne peut que rapprocher les points : deux phrases proches
    restent proches sur la carte, mais deux phrases éloignées peuvent y sembler proches.

    Ci-dessous, des phrases sur des chats, des voitures et des arbres, en anglais et en français : chaque phrase
    française traduit une phrase anglaise. Ajoutez les vôtres à la liste !
    """),
    code("""
    SENTENCES = {  # what each is about: ([English sentences], [their French translations, in order]). Add yours!
        "cat": (["a black cat", "a small ginger cat", "a white kitty with green eyes"],
                ["un chat noir", "un petit chat roux", "un minou blanc aux yeux verts"]),
        "car": (["a red car", "a small blue car", "a yellow van"],
                ["une voiture rouge", "une petite voiture bleue", "une camionnette jaune"]),
        "tree": (["a green tree", "a tall pine tree", "a fruit tree on a blue background"],
                 ["un arbre vert", "un grand sapin", "un arbre fruitier sur fond bleu"]),
    }
    points = [(text, category, language) for category, both in SENTENCES.items()
              for language, texts in zip(("en", "fr"), both) for text in texts]
    print(message("nb05_sentences", n=len(points)))
    """),
    code("""
    vectors = encoder.encode([text for text, _, _ in points])   # (18, 512)
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
        plt.annotate(text, (x, y), xytext=(5, 4 if language == "en" else -11), textcoords="offset points", fontsize=9)
    for name, colour in COLOURS.items():
        plt.scatter([], [], color=colour, label=name_of(label_of(name), LANGUAGE))   # legend entries only
    for language, marker in MARKERS.items():
        plt.scatter([], [], color="grey", marker=marker, label=message(f"nb05_in_{language}"))
    plt.title(message("nb05_map_title"))
    plt.legend()
    plt.show()
    """),
    md("""
    Look at the dots (●, English) first: the cats sit together, the cars together, the trees together, whatever the
    words ("kitty" or "cat", "van" or "car"). **The position of a sentence depends on its meaning**: this is the
    picture of the lesson.

    Now the triangles (▲, French): each one lies beside its English twin, "un chat noir" next to "a black cat". The
    encoder learnt from translations, so a sentence lands where its meaning is, **whatever its language**. Let us
    check it with numbers (section 3 explains them): how close each French sentence is to its translation, and to
    the other French sentences.
    """, """
    Regardez d'abord les ronds (●, anglais) : les chats sont ensemble, les voitures ensemble, les arbres ensemble,
    quels que soient les mots (*kitty* ou *cat*, *van* ou *car*). **La position d'une phrase dépend de son sens** :
    c'est l'image de la séance.

    Regardez maintenant les triangles (▲, français) : chacun se trouve à côté de son jumeau anglais, « un chat noir »
    près de *a black cat*. L'encodeur a appris sur des traductions : une phrase tombe là où est son sens, **quelle que
    soit sa langue**. Vérifions-le avec des nombres (la partie 3 les explique) : à quel point chaque phrase française
    est proche de sa traduction, et des autres phrases françaises.
    """),
    code("""
    is_french = torch.tensor([language == "fr" for _, _, language in points])
    english, french = vectors[~is_french], vectors[is_french]   # (9, 512) each: french[i] translates english[i]
    across = french @ english.T                                  # (9, 9): the cosine of French i and English j
    within = french @ french.T                                   # (9, 9): the cosine of French i and French j
    others = ~torch.eye(len(french), dtype=torch.bool)           # every pair but a sentence with itself
    print(message("nb05_translations", translation=decimal(float(across.diag().mean())),
                  other=decimal(float(within[others].mean())), n=len(french),
                  nearest=int((across.argmax(1) == torch.arange(len(french))).sum())))
    """),
    md("""
    ## 3. How close are two sentences?
    The **cosine similarity** of two vectors measures how much they point in the same direction: 1 for the same
    direction, about 0 for unrelated directions. Our vectors have length 1, so the cosine is simply the sum of the
    products of their numbers (the **dot product**, `@` in Python). Change the sentences and run the cell again!
    """, """
    ## 3. À quel point deux phrases sont-elles proches ?
    La **similarité cosinus** de deux vecteurs mesure à quel point ils pointent dans la même direction : 1 pour la
    même direction, environ 0 pour des directions sans rapport. Nos vecteurs ont une longueur de 1 : le cosinus est
    donc simplement la somme des produits de leurs nombres (le **produit scalaire**, `@` en Python). Changez les
    phrases et relancez la cellule !
    """),
    code("""
    def cosine(a, b):
        \"\"\"The cosine similarity of two sentences: near 1 for the same meaning, near 0 for unrelated ones.\"\"\"
        u, v = encoder.encode([a, b])   # two vectors of length 1, (512,) each
        return float(u @ v)

    for a, b in [("a red car", "a small red car"), ("a red car", "a crimson automobile"), ("a red car", "a blue car"),
                 ("a red car", "a green tree"), ("a red car", "une voiture rouge")]:
        print(message("nb_cosine", value=decimal(cosine(a, b)), a=a, b=b))
    """),
    md("""
    "A crimson automobile" shares no word with "a red car", yet it lands close: the encoder compares meanings, not
    spellings. "A blue car" is close too: only the colour changes. And "une voiture rouge", the translation, lands
    closest of all, as close as "a small red car".

    **A reader trained only on English reads French.** Here is a test of the shared space. A tiny network, a
    **reader** (`reader_across_languages`, in `diffusion_lab/text.py`: for each colour, a weighted sum of the 512
    numbers), learns to find the colour of the thing in the embeddings of **English** captions only: "a small red
    car", red. Then it reads the captions of other pictures, in English and in French, a language it never saw. If
    a French caption lands where its English twin does, the reader can read it.
    """, """
    *A crimson automobile* (« une automobile cramoisie ») n'a aucun mot commun avec *a red car*, et pourtant elle
    tombe tout près : l'encodeur compare des sens, pas des orthographes. *A blue car* est proche aussi : seule la
    couleur change. Et « une voiture rouge », la traduction, tombe plus près encore, autant que *a small red car*.

    **Un lecteur entraîné sur de l'anglais seulement lit le français.** Voici une épreuve pour l'espace commun. Un
    tout petit réseau, un **lecteur** (`reader_across_languages`, dans `diffusion_lab/text.py` : pour chaque couleur,
    une somme pondérée des 512 nombres), apprend à trouver la couleur de la chose dans les plongements de légendes
    **en anglais** seulement : *a small red car*, rouge. Puis il lit les légendes d'autres images, en anglais et en
    français, une langue qu'il n'a jamais vue. Si une légende française tombe là où tombe sa jumelle anglaise, le
    lecteur sait la lire.
    """),
    code("""
    # the reader learns from the English captions of half the pictures, then reads the captions of the other half
    _, _, described = procedural_categories(READER_PICTURES, seed=SEED)   # only their attributes are used
    scores = reader_across_languages(encoder, described, steps=READER_STEPS)
    print(message("nb05_reader", en=100 * scores["en"], fr=100 * scores["fr"], colours=scores["colours"]))
    ENGLISH_ONLY = {"en": 0.99, "fr": 0.26}   # the same reader on all-MiniLM-L6-v2: measured once (data/text.md)
    print(message("nb05_reader_english_only", en=100 * ENGLISH_ONLY["en"], fr=100 * ENGLISH_ONLY["fr"]))
    """),
    md("""
    The reader never saw a word of French, yet it finds most French colours: for our encoder a French caption lands
    beside its English twin, so what is learnt in one language serves in the other. This is what the **plongement**
    brings: one space of meanings for both languages. With an encoder trained on English only, the same reader finds
    about one French colour in four: there a French caption lands somewhere else.

    Most of its French mistakes give the colour of the background ("un poisson rose sur fond jaune": yellow): one
    vector for a whole sentence blurs which colour goes with which thing. Lesson 6 comes back to this.

    ## 4. Pictures and their captions
    The denoiser learnt from 21,000 pictures drawn by the program, each with six captions, half in English and half
    in French. Here are pictures drawn the same way, each with two of its captions. A caption does not name
    everything: sometimes the colour, sometimes the background, sometimes a detail.
    """, """
    Le lecteur n'a jamais vu un mot de français, et pourtant il trouve la plupart des couleurs françaises : pour notre
    encodeur, une légende française tombe à côté de sa jumelle anglaise, si bien que ce qui est appris dans une langue
    sert dans l'autre. Voilà ce qu'apporte le **plongement** : un seul espace des sens pour les deux langues. Avec un
    encodeur entraîné sur de l'anglais seulement, le même lecteur ne trouve qu'environ une couleur française sur
    quatre : là, une légende française tombe ailleurs.

    La plupart de ses erreurs en français donnent la couleur du fond (« un poisson rose sur fond jaune » : jaune) : un
    seul vecteur pour toute une phrase brouille quelle couleur va avec quelle chose. La séance 6 y revient.

    ## 4. Des images et leurs légendes
    Le débruiteur a appris sur 21 000 images dessinées par le programme, chacune avec six légendes, moitié en anglais,
    moitié en français. Voici des images dessinées de la même façon, chacune avec deux de ses légendes. Une légende
    ne dit pas tout : tantôt la couleur, tantôt le fond, tantôt un détail.
    """),
    code("""
    # uint8 (SHOWN, 3, 32, 32)
    images, _, attributes = procedural_categories(SHOWN, seed=SEED, toy_coats=model.settings.toy_coats)
    figure, axes = plt.subplots(1, SHOWN, figsize=(2.2 * SHOWN, 3))
    for i, (ax, image, attrs) in enumerate(zip(axes, images, attributes)):
        ax.imshow(image.permute(1, 2, 0))                                       # (32, 32, 3) for matplotlib
        ax.set_title("\\n".join(captions(attrs, 2, seed=[SEED, i])), fontsize=8, wrap=True)   # one English, one French
        ax.axis("off")
    plt.show()
    """),
    md("""
    At every training step the network gets a noisy picture and one of its captions, turned into embeddings, and
    learns to remove the noise. Over thousands of steps it learns what each word changes in the picture: "car" the
    shape, "red" the colour of the thing, "sur fond bleu" the background.
    """, """
    À chaque pas d'entraînement, le réseau reçoit une image bruitée et l'une de ses légendes, transformée en
    plongements, et apprend à enlever le bruit. Au fil de milliers de pas, il apprend ce que chaque mot change dans
    l'image : « voiture » la forme, « rouge » la couleur de la chose, « sur fond bleu » le fond.
    """),
    md("""
    ## 5. Where the sentence enters the U-Net
    The simple version, the one in the video: the sentence's embedding takes the label's place of lesson 4, one
    vector for the whole picture. Stable Diffusion, and our denoiser, do better: they read **every word**.
    - Before it sums up a sentence, the encoder has one vector per word (per piece of word, in fact), each knowing
      its neighbours.
    - At the U-Net's two lowest resolutions (4×4 and 8×8), **cross-attention** layers let every place of the picture
      *look at* the words: each place asks a question (a vector), each word holds an answer, and the place takes a
      mix of the answers, mostly from the words that fit its question best.

    So the car can look at "blue" and the background at "orange".
    """, """
    ## 5. Par où la phrase entre dans le U-Net
    La version simple, celle de la vidéo : le plongement de la phrase prend la place de l'étiquette de la séance 4,
    un seul vecteur pour toute l'image. Stable Diffusion, et notre débruiteur, font mieux : ils lisent **chaque mot**.
    - Avant de résumer la phrase, l'encodeur a un vecteur par mot (par morceau de mot, en fait), qui tient compte de
      ses voisins.
    - Aux deux plus basses résolutions du U-Net (4×4 et 8×8), des couches d'**attention croisée** permettent à chaque
      endroit de l'image de *regarder* les mots : chaque endroit pose une question (un vecteur), chaque mot détient
      une réponse, et l'endroit prend un mélange des réponses, surtout celles des mots qui vont le mieux avec sa
      question.

    Ainsi, la voiture peut regarder « bleue » et le fond « orange ».
    """),
    code("""
    # (1, 1 + pieces, 512): the sentence's own vector, then each piece's
    condition = prompt_condition(PROMPT, model.settings)
    words = condition[:, 1:]
    print(encoder.pieces(PROMPT), "->", tuple(words.shape))   # the pieces the encoder reads, <s> and </s> included
    layers = [name for name, layer in model.named_modules() if isinstance(layer, CrossAttention)]
    print(message("nb05_cross_attention", layers=", ".join(layers)))
    """),
    md("""
    Where does each place of the picture look? We draw one picture for `PROMPT` and record, at every step and in
    every cross-attention layer, how much each place (shown on an 8×8 grid) looked at each word. Bright means
    "looked a lot". "(no word)" is a learnt empty word that a place can look at when no word helps.
    """, """
    Où regarde chaque endroit de l'image ? On dessine une image pour `PROMPT` et on note, à chaque pas et dans chaque
    couche d'attention croisée, combien chaque endroit (montré sur une grille 8×8) a regardé chaque mot. Clair veut
    dire « a beaucoup regardé ». « (aucun mot) » est un mot vide appris, qu'un endroit peut regarder quand aucun mot
    ne l'aide.
    """),
    code("""
    # (1 + words, 8, 8)
    picture, looks = where_words_look(model, schedule, condition, steps=STEPS, seed=SEED, guidance=GUIDANCE)
    names = [message("widget_no_word")] + encoder.pieces(PROMPT)   # one map per piece, after the learnt "no word"
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
    `<s>` and `</s>` are the encoder's start and end markers, and `▁` marks the start of a word. Guidance works as in
    lesson 4: in training the sentence is replaced by the null condition (all zeros) 10% of the time (**caption
    dropout**), so the network also learns to draw a picture of any kind, and at each step the sampler moves `w` times
    further from "any picture" towards "what the sentence says". The empty sentence gives the null condition too:
    """, """
    `<s>` et `</s>` sont les marques de début et de fin de l'encodeur, et `▁` marque le début d'un mot. Le guidage
    fonctionne comme à la séance 4 : à l'entraînement, la phrase est remplacée par la condition nulle (que des zéros)
    10 % du temps (l'**abandon de légende**), si bien que le réseau apprend aussi à dessiner une image quelconque ; à
    chaque pas, l'échantillonneur s'éloigne `w` fois plus d'« une image quelconque », en direction de « ce que dit la
    phrase ». La phrase vide donne elle aussi la condition nulle :
    """),
    code("""
    print(message("nb05_dropout", percent=100 * model.settings.cond_dropout, guidance=model.settings.guidance))
    null = prompt_condition("", model.settings)   # the empty sentence: the null condition, and the package says so
    print(tuple(null.shape), float(null.abs().sum()))   # (1, 1, 512), all zeros
    """),
    md("""
    ## 6. ▶ Type a sentence
    Write a sentence in the box and press Enter; move the guidance slider. Every picture starts from **the same
    noise**, so only your words and `w` change what you see. The model knows seven things (cat, tree, car, house,
    fish, flower, boat), their colours, the background colour and a few details (eyes, ears, roofs, stripes...).
    Ideas: "un poisson jaune à rayures sur fond violet", "a white house with a red roof", "un voilier".
    """, """
    ## 6. ▶ Écrire une phrase
    Écrivez une phrase dans la case et appuyez sur Entrée ; déplacez le curseur de guidage. Chaque image part **du
    même bruit** : seuls vos mots et `w` changent ce que vous voyez. Le modèle connaît sept choses (chat, arbre,
    voiture, maison, poisson, fleur, bateau), leurs couleurs, la couleur du fond et quelques détails (yeux, oreilles,
    toits, rayures…). Des idées : « un poisson jaune à rayures sur fond violet », « une maison blanche au toit
    rouge », « un voilier ».
    """),
    code("""
    from ipywidgets import Layout, Text

    box = Text(value=PROMPT, continuous_update=False, layout=Layout(width="640px"))   # redraws on Enter
    guided_sampler(model, schedule, box, lambda prompt: prompt_condition(prompt, model.settings),
                   n=N, steps=STEPS, seed=SEED, guidance=GUIDANCE)
    """),
    md("""
    Watch one picture appear, step by step, for `PROMPT` (change it in the settings): the noisy picture `x_t`, the
    noise the network sees `eps_pred`, and its guess of the final picture `x0_pred`. Press ▶:
    """, """
    Regardez une image apparaître, pas à pas, pour `PROMPT` (changez-la dans les réglages) : l'image bruitée `x_t`,
    le bruit que voit le réseau `eps_pred`, et sa prédiction de l'image finale `x0_pred`. Appuyez sur ▶ :
    """),
    code("""
    steps = list(denoise(model, schedule, n=1, steps=ANIMATION_STEPS, seed=SEED, cond=condition, guidance=GUIDANCE))
    denoise_player(steps, schedule)
    """),
    md("""
    ## Summary
    - A frozen sentence encoder turns every sentence into its **embedding**, 512 numbers: sentences that mean the same
      thing land close together, and the cosine similarity measures how close.
    - Our encoder learnt from translations: on the map, each French sentence lies beside its English translation. A
      reader trained on English captions only reads the French ones: one space of meanings for both languages.
    - The denoiser learnt from pictures and their captions. It reads the sentence's **words**, one vector each,
      through cross-attention: every place of the picture looks at the words it needs.
    - Caption dropout and classifier-free guidance work as in lesson 4.

    ## Exercises
    1. Add a group "fish" to `SENTENCES` (3 English and 3 French sentences) and draw the map again. Where do they go?

    <details><summary>Answer</summary>

    The fish make a new group of their own, away from the cars and trees and a little nearer the cats (both are
    animals). Each French fish lands beside its English twin, as the other sentences do.
    </details>

    2. Find two English sentences with **no word in common** whose cosine is above 0.5, and two that differ by
       **one letter** with a cosine below 0.5.

    <details><summary>Answer</summary>

    For example "a red car" and "a crimson automobile" (about 0.6): same meaning, different words. And "a car" and
    "a cat" (about 0.45), while "a car" and "a vehicle" are near 0.85: the encoder compares meanings, not spellings.
    </details>

    3. In the text box, type "a red boat" and move the guidance slider from 0 to 10. What do you see at 0? At 10?

    <details><summary>Answer</summary>

    At 0 the sentence is ignored: pictures of any kind, the same whatever you type. From about 2 to 3, red boats.
    At 10 the colours become flat and over-saturated, and the pictures look alike: too much guidance, as in
    lesson 4.
    </details>

    4. Set `PROMPT = "a blue car going left against an orange background"` and run section 5 again. Which places
       look at "car"? At "orange"?

    <details><summary>Answer</summary>

    The places of the car look mostly at "car"; the places around it look at "orange" and "background". Each word
    is read where it is needed.
    </details>
    """, """
    ## À retenir
    - Un encodeur de phrases gelé transforme chaque phrase en son **plongement**, 512 nombres : les phrases qui
      veulent dire la même chose tombent près les unes des autres, et la similarité cosinus mesure cette proximité.
    - Notre encodeur a appris sur des traductions : sur la carte, chaque phrase française se trouve à côté de sa
      traduction anglaise. Un lecteur entraîné sur des légendes en anglais seulement lit les légendes françaises : un
      seul espace des sens pour les deux langues.
    - Le débruiteur a appris sur des images et leurs légendes. Il lit les **mots** de la phrase, un vecteur chacun,
      par l'attention croisée : chaque endroit de l'image regarde les mots dont il a besoin.
    - L'abandon de légende et le guidage sans classifieur fonctionnent comme à la séance 4.

    ## Exercices
    1. Ajoutez un groupe « fish » à `SENTENCES` (3 phrases en anglais et 3 en français) et redessinez la carte. Où
       vont-elles ?

    <details><summary>Réponse</summary>

    Les poissons forment un nouveau groupe, loin des voitures et des arbres, un peu plus près des chats (ce sont tous
    deux des animaux). Chaque poisson en français tombe à côté de son jumeau anglais, comme les autres phrases.
    </details>

    2. Trouvez deux phrases en anglais **sans aucun mot commun** dont le cosinus dépasse 0,5, et deux phrases qui ne
       diffèrent que d'**une lettre** avec un cosinus inférieur à 0,5.

    <details><summary>Réponse</summary>

    Par exemple *a red car* et *a crimson automobile* (environ 0,6) : même sens, mots différents. Et *a car* et
    *a cat* (une voiture, un chat : environ 0,45), alors que *a car* et *a vehicle* (un véhicule) sont vers 0,85 :
    l'encodeur compare des sens, pas des orthographes.
    </details>

    3. Dans la case de texte, écrivez « un bateau rouge » et déplacez le curseur de guidage de 0 à 10. Que voyez-vous
       à 0 ? À 10 ?

    <details><summary>Réponse</summary>

    À 0, la phrase est ignorée : des images quelconques, les mêmes quoi que vous écriviez. Vers 2 ou 3, des bateaux
    rouges. À 10, les couleurs deviennent plates et trop saturées, et les images se ressemblent : trop de guidage,
    comme à la séance 4.
    </details>

    4. Écrivez `PROMPT = "une voiture bleue tournée vers la gauche sur un fond orange"` et relancez la partie 5.
       Quels endroits regardent « voiture » ? Et « orange » ?

    <details><summary>Réponse</summary>

    Les endroits de la voiture regardent surtout « voiture » ; les endroits autour regardent « orange » et « fond ».
    Chaque mot est lu là où il sert.
    </details>
    """),
]
