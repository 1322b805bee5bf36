"""Lesson 0: the activity in one class hour (the lesson's own plan).
Rebuild the notebooks with `python notebooks/build.py`."""
from build import COLAB, FAST, LANGUAGE, SETTINGS, code, md

NAMES = {"en": "00_the_activity_in_one_hour", "fr": "00_activite_en_une_heure"}

CELLS = [
    md("""
    # How does an AI invent pictures?
    *The activity in one hour: a video, three steps, then categories and sentences.*

    Image generators such as Stable Diffusion learn to **remove noise**. In this hour you watch how, then you do it
    yourself on a small model that runs on this computer, offline.

    Run the cells in order with Shift + Enter. Answer the numbered questions on your worksheet
    (`docs/student-worksheet.md`).
    """, """
    # Comment une IA invente-t-elle des images ?
    *L'activité en une heure : une vidéo, trois étapes, puis des catégories et des phrases.*

    Les générateurs d'images comme Stable Diffusion apprennent à **enlever du bruit**. Pendant cette heure, vous
    regardez comment, puis vous le faites vous-même avec un petit modèle qui tourne sur cet ordinateur, sans Internet.

    Exécutez les cellules dans l'ordre avec Maj + Entrée. Répondez aux questions numérotées sur votre fiche
    (`docs/fiche-eleve.md`).
    """),
    COLAB,
    code(f"""
    import os
    from pathlib import Path

    import matplotlib.pyplot as plt
    import torch
    from ipywidgets import Dropdown, Layout, Text

    from diffusion_lab import (data_dir, denoise, explain_missing_names, load_checkpoint, load_model, make_run, one_hot,
                               sample, set_language, to_model_range, train)
    from diffusion_lab.data import chelsea, load_dataset, nearest_neighbours, procedural_categories, procedural_cats
    from diffusion_lab.messages import decimal, message
    from diffusion_lab.pictures.captions import captions
    from diffusion_lab.pictures.categories import label_of, name_of
    from diffusion_lab.text import encoder_for, prompt_condition
    from diffusion_lab.viz import side_by_side
    from diffusion_lab.widgets import denoise_player, guided_sampler, noise_slider, training_monitor, video
    {LANGUAGE}"""),
    SETTINGS,
    code(f"""
    {FAST}
    SEED = 0                                # the random numbers we start from: any whole number
    TRAIN_SECONDS = 60                      # the class's own training run, in seconds
    MAX_STEPS = 3 if FAST else None         # stop after this many steps (None: only the time counts)
    N_IMAGES = 256 if FAST else 20000       # drawn cats to learn from (the shipped model learnt from 20 000)
    STEPS = 4 if FAST else 50               # denoising steps for each new picture
    N = 2 if FAST else 8                    # pictures per grid
    PROMPT = "un chat noir sur fond jaune" if LANGUAGE == "fr" else "a black cat on a yellow background"
    """),
    md("""
    ## 0. The video
    David Louapre (ScienceEtonnante) explains how these generators work. Watch from **15:20**, then answer:

    1. What are the three steps that teach a neural network to "draw" cats? One verb for each step.
    2. To make a cat that does not exist, what does the network start from?
    3. How can you ask the network for a picture described by a sentence, and not only for "a cat"?
    """, """
    ## 0. La vidéo
    David Louapre (ScienceEtonnante) explique comment fonctionnent ces générateurs. Regardez à partir de **15:20**,
    puis répondez :

    1. Quelles sont les trois étapes qui apprennent à un réseau de neurones à « dessiner » des chats ?
       Un verbe par étape.
    2. Pour créer un chat qui n'existe pas, de quoi le réseau part-il ?
    3. Comment peut-on demander au réseau une image décrite par une phrase, et pas seulement « un chat » ?
    """),
    code("""
    video("tdelUss-5hY", start=15 * 60 + 20, title="Comment ces IA inventent-elles des images ? (ScienceEtonnante)")
    """),
    md("""
    ## 1. Step 1: noise cat pictures
    A picture is a grid of numbers. To noise it, we keep a part of the picture and add random numbers. The slider
    chooses the step `t`, from 0 (the picture) to 999 (almost only noise). The three rows show what is left of the
    cat, the noise added, and their sum: the noisy picture. On the left, Chelsea, a real photo; on the right, a cat
    drawn by the program.

    4. Move the slider. From which `t` can you no longer recognise the cat?
    5. At `t = 999`, what is left of the picture? Can you still tell Chelsea from the drawn cat?
    """, """
    ## 1. Étape 1 : bruiter des images de chats
    Une image est un tableau de nombres. Pour la bruiter, on garde une part de l'image et on ajoute des nombres tirés
    au hasard. Le curseur choisit l'étape `t`, de 0 (l'image) à 999 (presque que du bruit). Les trois lignes montrent
    ce qui reste du chat, le bruit ajouté, et leur somme : l'image bruitée. À gauche, Chelsea, une vraie photo ; à
    droite, un chat dessiné par le programme.

    4. Déplacez le curseur. À partir de quel `t` ne reconnaissez-vous plus le chat ?
    5. À `t = 999`, que reste-t-il de l'image ? Pouvez-vous encore distinguer Chelsea du chat dessiné ?
    """),
    code("""
    cats, _ = procedural_cats(N_IMAGES, 32)                 # cats in four poses: uint8 (N_IMAGES, 3, 32, 32)
    run = make_run("cats")                                  # an untrained network, with its noise schedule
    noise_slider(torch.stack([chelsea(32), cats[0]]), run.schedule, seed=SEED, t=250)
    """),
    md("""
    ## 2. Step 2: train a network to denoise them
    The network sees a noisy cat and `t`, and guesses the clean cat. The **loss** measures how far its guess is
    from the real cat; after each guess, the network's numbers are corrected a little. The cell below trains a
    network from scratch for one minute, live. Every 50 steps it tries to draw 4 cats from the same noise.

    Two tricks make one minute enough. The network learns a **smaller world**: cat portraits only, one pose instead
    of four. And, as in Stable Diffusion, it denoises a **compressed** version of each picture, 256 numbers instead
    of 3 072; a decoder, trained beforehand, draws the picture back from them.

    6. During training, what does the loss curve do? What does the loss measure?
    """, """
    ## 2. Étape 2 : entraîner un réseau à les débruiter
    Le réseau voit un chat bruité et `t`, et devine le chat net. La **perte** mesure l'écart entre sa réponse et le
    vrai chat ; après chaque essai, les nombres du réseau sont un peu corrigés. La cellule ci-dessous entraîne un
    réseau à partir de rien pendant une minute, en direct. Toutes les 50 étapes, il essaie de dessiner 4 chats à
    partir du même bruit.

    Deux astuces suffisent à tenir en une minute. Le réseau apprend un **monde plus petit** : des portraits de chats
    seulement, une pose au lieu de quatre. Et, comme Stable Diffusion, il débruite une version **compressée** de
    chaque image, 256 nombres au lieu de 3 072 ; un décodeur, entraîné à l'avance, redessine l'image à partir d'eux.

    6. Pendant l'entraînement, que fait la courbe de la perte ? Que mesure la perte ?
    """),
    code("""
    faces = load_dataset("cat-faces", 32, N_IMAGES)         # cat portraits only: uint8 (N_IMAGES, 3, 32, 32)
    torch.manual_seed(SEED)     # the first weights and the batches are random: seeded, the run repeats
    run = make_run("latent-cats", dataset="cat-faces")      # a fresh network, for the compressed pictures
    monitor = training_monitor(n=4, steps=8, seed=SEED)
    train(run, faces, steps=MAX_STEPS, minutes=TRAIN_SECONDS / 60, on_step=monitor, every=1 if FAST else 50)
    last = run.losses[-50:]
    print(message("nb00_trained", steps=run.step, seconds=run.seconds, images=run.step * run.settings.batch_size,
                  loss=decimal(sum(last) / len(last), 3)))
    """),
    md("""
    In one minute on two cores, the network already draws **cat portraits**: blurry, but cats, with ears, eyes and
    the coat colours of the training pictures. Cats in every pose, sharp, take longer: the model trained for you
    learnt from 20 000 cats in four poses for about half an hour. We load it now.

    7. What does your network draw after one minute of training? Why do we then load a model that is already trained?
    """, """
    En une minute sur deux cœurs, le réseau dessine déjà des **portraits de chats** : flous, mais ce sont des chats,
    avec des oreilles, des yeux et les couleurs de pelage des images d'entraînement. Des chats nets, dans toutes les
    poses, demandent plus de temps : le modèle entraîné pour vous a appris sur 20 000 chats dans quatre poses pendant
    environ une demi-heure. Nous le chargeons maintenant.

    7. Que dessine votre réseau après une minute d'entraînement ?
       Pourquoi charge-t-on ensuite un modèle déjà entraîné ?
    """),
    code("""
    model, schedule = load_model(data_dir() / "cats.pt")     # a clear message if the file is missing
    shipped = load_checkpoint(data_dir() / "cats.pt")
    print(message("nb00_shipped", steps=shipped["step"], minutes=shipped["seconds"] / 60,
                  images=shipped["settings"]["n_images"], millions=decimal(model.num_parameters() / 1e6)))
    """),
    md("""
    ## 3. Step 3: give it pure noise, and it "hallucinates" a cat
    We give the trained network a picture of **random pixels** and pretend it is a very noisy cat. Step by step it
    removes the noise it sees, and a cat appears. Press ▶: on the left the noisy picture `x_t`, in the middle the
    noise the network sees, on the right its guess of the final picture.

    8. In the player, what do you see at the first step? At which step can you guess the cat's pose and background?
    """, """
    ## 3. Étape 3 : lui donner du bruit pur, il « hallucine » un chat
    On donne au réseau entraîné une image de **pixels tirés au hasard**, comme si c'était un chat très bruité. Pas à
    pas, il enlève le bruit qu'il voit, et un chat apparaît. Appuyez sur ▶ : à gauche l'image bruitée `x_t`, au
    milieu le bruit que le réseau voit, à droite ce qu'il devine de l'image finale.

    8. Dans le lecteur, que voit-on à la première étape ? À quelle étape devinez-vous la pose et le fond du chat ?
    """),
    code("""
    steps = list(denoise(model, schedule, n=1, steps=STEPS, seed=SEED))   # every step of the denoising
    denoise_player(steps, schedule)
    """),
    md("""
    **This cat does not exist.** Did the network just copy a training picture? For each new cat we look for the
    closest of the 20 000 training cats (`d` is the distance between two pictures, pixel by pixel).

    9. Compare the new cat with its nearest neighbour among the training pictures. Did the network copy a picture?
    """, """
    **Ce chat n'existe pas.** Le réseau a-t-il simplement recopié une image d'entraînement ? Pour chaque nouveau chat,
    on cherche le plus proche des 20 000 chats d'entraînement (`d` est la distance entre deux images, pixel par pixel).

    9. Comparez le nouveau chat à son plus proche voisin dans les images d'entraînement.
       Le réseau a-t-il recopié une image ?
    """),
    code("""
    new_cats = sample(model, schedule, n=4, steps=STEPS, seed=SEED + 1)   # (4, 3, 32, 32), in [-1, 1]
    distances, nearest = nearest_neighbours(new_cats, cats, k=1)
    pairs = [image for i in range(4) for image in (new_cats[i], to_model_range(cats[nearest[i, 0]]))]
    titles = [title for d in distances[:, 0].tolist()
              for title in (message("nb00_new"), message("nb00_nearest", d=decimal(d, 1)))]
    real, _ = nearest_neighbours(to_model_range(cats[:4]), cats, k=2)  # a training cat's nearest other cat
    print(message("nb00_distances", new=decimal(distances.mean(), 1), real=decimal(real[:, 1].mean(), 1)))
    side_by_side(pairs, titles, scale=3)
    """),
    md("""
    ## 4. These pictures do not exist
    Three websites show invented pictures: [faces](https://thispersondoesnotexist.com/),
    [cats](https://thesecatsdonotexist.com/) and [cars](https://www.thisautomobiledoesnotexist.com/). They do not
    use diffusion but an older method, the **GAN** (StyleGAN): two networks play against each other, one invents a
    picture in one go, the other tries to tell it from a real one.

    10. On one of these sites, find a detail that gives away an invented picture. Which one?
    11. These sites use GANs, not diffusion. What can our model do that they cannot?

    ## 5. Several categories
    The same network can learn **several categories** of pictures. It then also receives a label that says which
    one to draw. The **guidance** says how strongly it follows that label: at 0 it ignores it.

    12. Pick each category in the menu. Which one does the model draw best? Worst? Why, do you think?
    13. Set the guidance to 0, then 3, then 10. What does guidance change?
    """, """
    ## 4. Ces images n'existent pas
    Trois sites montrent des images inventées : des [visages](https://thispersondoesnotexist.com/), des
    [chats](https://thesecatsdonotexist.com/) et des [voitures](https://www.thisautomobiledoesnotexist.com/). Ils
    n'utilisent pas la diffusion mais une méthode plus ancienne, le **GAN** (StyleGAN) : deux réseaux jouent l'un
    contre l'autre, l'un invente une image d'un seul coup, l'autre essaie de la distinguer d'une vraie.

    10. Sur l'un de ces sites, trouvez un détail qui trahit une image inventée. Lequel ?
    11. Ces sites utilisent des GAN, pas la diffusion. Qu'est-ce que notre modèle sait faire et pas eux ?

    ## 5. Plusieurs catégories
    Le même réseau peut apprendre **plusieurs catégories** d'images. Il reçoit alors aussi une étiquette qui dit
    laquelle dessiner. Le **guidage** règle la force avec laquelle il suit cette étiquette : à 0, il l'ignore.

    12. Choisissez chaque catégorie dans le menu. Laquelle le modèle réussit-il le mieux ? le moins bien ?
        Pourquoi, à votre avis ?
    13. Mettez le guidage à 0, puis à 3, puis à 10. Que change le guidage ?
    """),
    code("""
    labelled, labelled_schedule = load_model(data_dir() / "categories.pt", kind="class")
    names = [name_of(k, LANGUAGE) for k in range(len(labelled.settings.classes))]
    menu = Dropdown(options=names, value=names[label_of("cat")], description="")
    guided_sampler(labelled, labelled_schedule, menu, lambda name: one_hot(torch.tensor([label_of(name)]), len(names)),
                   n=N, steps=STEPS // 2, seed=SEED, guidance=3.0)
    """),
    md("""
    ## 6. The «plongement» (embedding) of a sentence
    To draw what a sentence says, each sentence is first **embedded**: a program turns it into a list of 512
    numbers, a point in a mathematical space. Sentences with close meanings land close together. The map below shows
    these points seen from above: colour for the meaning, shape for the language, and a line joins each French
    sentence to its English translation.

    Our encoder learnt from translations, in 16 languages. So each French sentence lands right beside its English
    translation, and sentences of different meanings land apart: **a sentence lands where its meaning is**, whatever
    its language.

    14. On the map, which sentences are close? Is a French sentence close to its English translation? Copy the two
        cosines printed above the map.
    """, """
    ## 6. Le « plongement » d'une phrase
    Pour dessiner ce que dit une phrase, on commence par la **plonger** : un programme la transforme en une liste de
    512 nombres, un point dans un espace mathématique. Deux phrases de sens proche tombent près l'une de l'autre. La
    carte ci-dessous montre ces points vus d'en haut : la couleur pour le sens, la forme pour la langue, et un trait
    relie chaque phrase française à sa traduction anglaise.

    Notre encodeur a appris sur des traductions, dans 16 langues. Chaque phrase française tombe donc juste à côté de
    sa traduction anglaise, et les phrases de sens différents tombent loin l'une de l'autre : **une phrase tombe là où
    est son sens**, quelle que soit sa langue.

    14. Sur la carte, quelles phrases sont proches ? Une phrase française est-elle près de sa traduction anglaise ?
        Recopiez les deux cosinus affichés au-dessus de la carte.
    """),
    code("""
    texts, texts_schedule = load_model(data_dir() / "text.pt", kind="text")   # the denoiser that reads sentences
    encoder = encoder_for(texts.settings)                                      # its frozen sentence encoder
    pairs = [("a black cat", "un chat noir", "tab:orange"), ("a small ginger cat", "un petit chat roux", "tab:orange"),
             ("a red car", "une voiture rouge", "tab:red"), ("a blue van", "une camionnette bleue", "tab:red"),
             ("a tall green tree", "un grand arbre vert", "tab:green"),
             ("a boat on the sea", "un bateau sur la mer", "tab:blue")]
    vectors = encoder.encode([s for en, fr, _ in pairs for s in (en, fr)])     # (12, 512): one point per sentence
    centred = vectors - vectors.mean(0)                                        # the middle of the cloud at 0
    # (pair, language, x/y)
    xy = (centred @ torch.linalg.svd(centred, full_matrices=False)[2][:2].T).reshape(len(pairs), 2, 2)
    across = vectors[1::2] @ vectors[0::2].T                  # (6, 6): cosine of French sentence i and English j
    others = ~torch.eye(len(pairs), dtype=torch.bool)         # every pair but a sentence with its own translation
    print(message("nb00_map_cosines", translation=decimal(float(across.diag().mean())),
                  other=decimal(float(across[others].mean()))))
    """),
    code("""
    plt.figure(figsize=(9, 6))   # the two directions along which the 12 points spread most (a PCA)
    for (en, fr, colour), ((x_en, y_en), (x_fr, y_fr)) in zip(pairs, xy.tolist()):
        plt.plot([x_en, x_fr], [y_en, y_fr], color=colour, alpha=0.3)
        plt.scatter([x_en], [y_en], s=90, color=colour, marker="o")
        plt.scatter([x_fr], [y_fr], s=90, color=colour, marker="^")
        plt.annotate(en, (x_en, y_en), xytext=(5, 4), textcoords="offset points")
        plt.annotate(fr, (x_fr, y_fr), xytext=(5, -12), textcoords="offset points")   # below: it is next to its twin
    plt.scatter([], [], color="grey", marker="o", label=message("nb00_in_en"))
    plt.scatter([], [], color="grey", marker="^", label=message("nb00_in_fr"))
    plt.title(message("nb00_map_title"))
    plt.legend()
    plt.show()
    """),
    md("""
    The network is trained on pictures **with their descriptions**: here are a few of its training pictures, each
    with two of its captions. It learns which words go with which pictures. Then type your own sentence in the box
    (Enter to draw), in French or in English.

    15. Type a sentence in the box. Do the pictures match the sentence? And with "an elephant"?
    """, """
    Le réseau s'entraîne sur des images **accompagnées de leur description** : voici quelques-unes de ses images
    d'entraînement, chacune avec deux de ses légendes. Il apprend quels mots vont avec quelles images. Écrivez
    ensuite votre propre phrase dans la case (Entrée pour dessiner), en français ou en anglais.

    15. Écrivez une phrase dans la case. Les images respectent-elles la phrase ? Et avec « un éléphant » ?
    """),
    code("""
    from textwrap import fill                                                          # cuts long lines

    # uint8 (6, 3, 32, 32)
    shown, _, attributes = procedural_categories(6, seed=SEED, toy_coats=texts.settings.toy_coats)
    figure, axes = plt.subplots(2, 3, figsize=(12, 9))
    for i, (ax, image, attrs) in enumerate(zip(axes.flat, shown, attributes)):
        ax.imshow(image.permute(1, 2, 0))                                              # (32, 32, 3) for matplotlib
        two = captions(attrs, 2, seed=[SEED, i])                                       # one English, one French
        ax.set_title("\\n".join(fill(caption, 36) for caption in two), fontsize=10)
        ax.axis("off")
    plt.show()
    """),
    code("""
    box = Text(value=PROMPT, continuous_update=False, layout=Layout(width="640px"))   # draws again on Enter
    guided_sampler(texts, texts_schedule, box, lambda prompt: prompt_condition(prompt, texts.settings),
                   n=N, steps=STEPS // 2, seed=SEED, guidance=3.0)
    """),
    md("""
    ## 7. Real generators online
    - [Vittascience](https://fr.vittascience.com/ia/image-generate.php) shows the picture forming step by step, as our
      player does.
    - [Perchance](https://perchance.org/ai-text-to-image-generator) draws far better pictures. Perchance does not say
      which model it runs; models of this kind are the size of Stable Diffusion or bigger. Stable Diffusion 1 has
      about 860 million parameters in its denoiser plus 123 million in its text encoder. It learnt from about
      2 billion pictures with captions, found on the Internet, over about 150 000 hours of graphics cards. Compare
      with our three models, below: the recipe is the same, the scale is not.

    16. On Vittascience, watch the picture form. What do you recognise from our player of step 3?
    17. On Perchance, type the same sentence as in question 15. What does a real generator have that ours does not?
        Give a number.
    """, """
    ## 7. De vrais générateurs en ligne
    - [Vittascience](https://fr.vittascience.com/ia/image-generate.php) montre l'image qui se forme pas à pas, comme
      notre lecteur.
    - [Perchance](https://perchance.org/ai-text-to-image-generator) dessine de bien meilleures images. Perchance ne dit
      pas quel modèle il utilise ; les modèles de ce genre ont la taille de Stable Diffusion, ou plus. Stable
      Diffusion 1 compte environ 860 millions de paramètres dans son débruiteur, plus 123 millions dans son encodeur
      de texte. Il a appris sur environ 2 milliards d'images légendées, trouvées sur Internet, pendant environ
      150 000 heures de cartes graphiques. Comparez avec nos trois modèles, ci-dessous : la recette est la même,
      l'échelle, non.

    16. Sur Vittascience, regardez l'image se former. Qu'y retrouvez-vous de notre lecteur de l'étape 3 ?
    17. Sur Perchance, écrivez la même phrase qu'à la question 15. Qu'a un vrai générateur de plus que le nôtre ?
        Donnez un nombre.
    """),
    code("""
    for name, network in (("cats.pt", model), ("categories.pt", labelled), ("text.pt", texts)):
        state = load_checkpoint(data_dir() / name)
        print(message("nb00_ours", name=name, millions=decimal(network.num_parameters() / 1e6),
                      images=state["settings"]["n_images"], minutes=state["seconds"] / 60))
    """),
    md("""
    ## What to remember
    1. **Noise:** we mix pictures with more and more random numbers.
    2. **Train:** a network learns to guess the clean picture under the noise.
    3. **Hallucinate:** starting from pure noise, it removes noise step by step and invents a new picture.

    A label, or the embedding of a sentence, tells it what to draw. To go further, notebooks 01 to 06 take each step
    apart, one lesson each.
    """, """
    ## À retenir
    1. **Bruiter :** on mélange les images à des nombres tirés au hasard, de plus en plus.
    2. **Entraîner :** un réseau apprend à deviner l'image nette cachée sous le bruit.
    3. **Halluciner :** en partant de bruit pur, il enlève le bruit pas à pas et invente une image nouvelle.

    Une étiquette, ou le plongement d'une phrase, lui dit quoi dessiner. Pour aller plus loin, les notebooks 01 à 06
    reprennent chaque étape en détail, une séance chacun.
    """),
]
