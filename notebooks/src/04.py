"""Lesson 4: several categories (class conditioning and guidance). Rebuild the notebooks with `python notebooks/build.py`."""
from build import COLAB, FAST, LANGUAGE, SETTINGS, code, md

NAMES = {"en": "04_several_categories", "fr": "04_plusieurs_categories"}

CELLS = [
    md("""
    # 4 · Several categories
    *Diffusion models, lesson 4: one denoiser for cats, trees, cars and more, drawing the one you ask for.*

    Our cat denoiser only knew cats. This one has learnt **seven categories** (cat, tree, car, house, fish, flower,
    boat) and you can tell it which one to draw. That is a first step towards "type a sentence, get a picture".

    **Goals**
    - meet the seven categories the network learnt from;
    - see how a label ("car") becomes a vector that the network adds to what it knows about the noise level;
    - understand the **null class** and **classifier-free guidance**, in a formula and in words;
    - choose a category and a guidance with a dropdown and a slider;
    - measure what guidance buys (pictures that match the label) and what it costs (variety);
    - run the **bias experiment**: train on a mix with 90% cats and watch what comes out.

    ⏱ About 5 minutes of computing in all: the meter in section 7 (1 to 2 minutes) and the bias training in section 8
    (2 minutes). The rest answers within seconds.
    """, """
    # 4 · Plusieurs catégories
    *Modèles de diffusion, séance 4 : un seul débruiteur pour des chats, des arbres, des voitures et d'autres encore,
    qui dessine ce qu'on lui demande.*

    Notre débruiteur de chats ne connaissait que les chats. Celui-ci a appris **sept catégories** (chat, arbre,
    voiture, maison, poisson, fleur, bateau), et on peut lui dire laquelle dessiner. C'est un premier pas vers
    « j'écris une phrase, j'obtiens une image ».

    **Objectifs**
    - découvrir les sept catégories sur lesquelles le réseau a appris ;
    - voir comment une étiquette (« voiture ») devient un vecteur que le réseau ajoute à ce qu'il sait du niveau de
      bruit ;
    - comprendre la **classe nulle** et le **guidage sans classifieur**, en formule et en mots ;
    - choisir une catégorie et un guidage avec un menu et un curseur ;
    - mesurer ce que le guidage apporte (des images fidèles à l'étiquette) et ce qu'il coûte (de la variété) ;
    - mener l'**expérience du biais** : entraîner sur un mélange à 90 % de chats et regarder ce qui en sort.

    ⏱ Environ 5 minutes de calcul en tout : l'instrument de mesure de la partie 7 (1 à 2 minutes) et l'entraînement
    de la partie 8 (2 minutes). Le reste répond en quelques secondes.
    """),
    COLAB,
    code(f"""
    import inspect
    import os
    from pathlib import Path

    import matplotlib.pyplot as plt
    import torch
    from IPython.display import display
    from ipywidgets import Dropdown

    from diffusion_lab import UNet, load_model, load_run, sample, set_language, train
    from diffusion_lab.categories import label_of, name_of
    from diffusion_lab.cli import default_checkpoint
    from diffusion_lab.conditioning import drop, guide, one_hot
    from diffusion_lab.data import procedural_categories
    from diffusion_lab.evaluate import load_classifier, look, measure
    from diffusion_lab.viz import grid, label
    from diffusion_lab.widgets import guided_sampler
    {LANGUAGE}"""),
    SETTINGS,
    code(f"""
    {FAST}
    CHECKPOINT = default_checkpoint("categories")   # the shipped denoiser for the seven categories, data/categories.pt
    SEED = 0                              # which random pixels we start from: any whole number
    N = 2 if FAST else 8                  # pictures per category in each grid
    STEPS = 2 if FAST else 25             # DDIM steps per picture
    GUIDANCE = 3.0                        # classifier-free guidance w (0: ignore the label); 3 is the shipped default
    GUIDANCES = [0, 1, 3, 6]              # the values of w that the meter compares
    SHOWN = "car"                         # the category shown at each w (English or French: "voiture" works too)
    METER_N = 2 if FAST else 16           # pictures per category for the meter (7 x METER_N for each w)
    METER_STEPS = 4 if FAST else 50       # DDIM steps for the meter's pictures
    BIAS_WEIGHTS = [0.9] + [0.1 / 6] * 6  # the lopsided mix, in label order: 90% cats, the six others share 10%
    BIAS_IMAGES = 64 if FAST else 2000    # pictures in that lopsided training set
    BIAS_MINUTES = 2                      # extra training on the lopsided mix
    BIAS_STEPS = 2 if FAST else None      # stop after this many steps (None: only the time limit counts)
    BIAS_N = 14 if FAST else 70           # pictures drawn with no label, before and after, to count them
    """),
    code("""
    model, schedule = load_model(CHECKPOINT, kind="class")   # a clear message if it is missing or is a cats-only model
    classifier = load_classifier()                           # the meter's judge (section 7), data/classifier.pt
    classes = model.settings["classes"]                      # the label order: cat is 0, tree is 1, ...
    names = [name_of(k, LANGUAGE) for k in range(len(classes))]
    print(model)
    print(dict(enumerate(names)))
    """),
    md("""
    ## 1. Seven categories
    Like the cats, every picture is drawn by the package from simple shapes, with random colours, sizes, positions
    and backgrounds. Each picture comes with its **label**, a whole number: `0` for cat, `1` for tree, and so on.
    """, """
    ## 1. Sept catégories
    Comme les chats, chaque image est dessinée par le paquet à partir de formes simples, avec des couleurs, des
    tailles, des positions et des fonds au hasard. Chaque image est livrée avec son **étiquette**, un nombre entier :
    `0` pour chat, `1` pour arbre, et ainsi de suite.
    """),
    code("""
    images, labels, attributes = procedural_categories(7 * N, seed=SEED)   # uint8 (7N, 3, 32, 32), labels (7N,)
    for k, name in enumerate(names):
        row = images[labels == k].float() / 127.5 - 1                      # category k's N pictures, 0..255 -> [-1, 1]
        display(label(grid(row, nrow=N, scale=3), f"{k} · {name}"))
    print(attributes[2])   # what the drawing code chose for the first car
    """),
    md("""
    ## 2. A label becomes a vector
    The network cannot read the word "car". We give it a **one-hot** vector: seven numbers, a 1 in the position of
    the label and 0 everywhere else. One layer, `cond_proj`, turns these 7 numbers into a vector as long as the
    **time embedding** (the vector that tells every block of the U-Net how noisy the picture is), and the two are
    **added**. From then on every block knows both *how much noise* and *what to draw*.
    """, """
    ## 2. Une étiquette devient un vecteur
    Le réseau ne sait pas lire le mot « voiture ». On lui donne un vecteur **one-hot** (« un seul 1 ») : sept
    nombres, un 1 à la position de l'étiquette et des 0 partout ailleurs. Une couche, `cond_proj`, transforme ces
    7 nombres en un vecteur de la même longueur que le **plongement du temps** (le vecteur qui dit à chaque bloc du
    U-Net à quel point l'image est bruitée), et on **additionne** les deux. Dès lors, chaque bloc sait à la fois
    *combien de bruit* il y a et *quoi dessiner*.
    """),
    code("""
    from diffusion_lab.unet import timestep_embedding   # the sine waves that encode t, inside the U-Net

    cond = one_hot(torch.tensor([label_of("voiture"), label_of("cat")]), len(classes))   # French and English names both work
    print(cond)                                                                       # (2, 7)
    t = torch.tensor([500, 500])
    with torch.no_grad():
        time_emb = model.time_mlp(timestep_embedding(t, model.config.base))   # (2, 192): how noisy
        class_emb = model.cond_proj(cond)                                     # (2, 192): what to draw
    print("cond_proj:", model.cond_proj)
    print(tuple(cond.shape), "->", tuple(class_emb.shape), "+", tuple(time_emb.shape), "=", tuple((time_emb + class_emb).shape))
    """),
    md("""
    Here is the real `forward` of our U-Net: find the line `emb = emb + self.cond_proj(...)`. Everything after it is
    the U-Net of lessons 2 and 3, unchanged.
    """, """
    Voici le vrai `forward` de notre U-Net : repérez la ligne `emb = emb + self.cond_proj(...)`. Tout ce qui suit est
    le U-Net des séances 2 et 3, inchangé.
    """),
    code("""
    print(inspect.getsource(UNet.forward))
    """),
    md("""
    ## 3. The null class and label dropout
    The **null condition** is the vector of zeros: no label at all, "draw anything". During training the label of
    each picture is replaced by the null condition now and then (here 10% of the time: **label dropout**). So one
    single network learns two things:
    - with a label: what a picture *of that category* looks like;
    - with the null condition: what *any* picture of the training set looks like.

    Why bother? Guidance (next section) needs both answers.
    """, """
    ## 3. La classe nulle et l'abandon d'étiquette
    La **condition nulle** est le vecteur de zéros : pas d'étiquette du tout, « dessine n'importe quoi ». Pendant
    l'entraînement, l'étiquette de chaque image est de temps en temps remplacée par la condition nulle (ici 10 % du
    temps : c'est l'**abandon d'étiquette**, *label dropout* en anglais). Un seul et même réseau apprend ainsi deux
    choses :
    - avec une étiquette : à quoi ressemble une image *de cette catégorie* ;
    - avec la condition nulle : à quoi ressemble *n'importe quelle* image des données d'entraînement.

    Pourquoi se donner cette peine ? Le guidage (partie suivante) a besoin des deux réponses.
    """),
    code("""
    print("null condition:", one_hot(torch.tensor([-1]), len(classes)))   # label -1: all zeros
    print("label dropout used in training:", model.settings["cond_dropout"])
    print(inspect.getsource(drop))
    torch.manual_seed(SEED)
    print(drop(one_hot(torch.arange(len(classes)), len(classes)), p=0.5))   # about half the rows become zeros
    """),
    md("""
    ## 4. Classifier-free guidance
    At every denoising step the network answers twice: once with the label, `guess_cond`, once with the null
    condition, `guess_null` (Ho & Salimans 2022). The sampler then mixes them with a number `w`, the **guidance**:

    $$\\text{guess} = \\text{guess\\_null} + w \\cdot (\\text{guess\\_cond} - \\text{guess\\_null})$$

    In words: `guess_cond - guess_null` is *what changes when you say "car"*. Start from "any picture" and move `w`
    times that far in the direction of "car".
    - `w = 0`: the label is ignored, the network draws anything;
    - `w = 1`: the plain answer with the label;
    - `w > 1`: we go **further** than the network itself would, exaggerating what makes a car a car.
    """, """
    ## 4. Le guidage sans classifieur
    À chaque étape de débruitage, le réseau répond deux fois : une fois avec l'étiquette, `guess_cond`, une fois avec
    la condition nulle, `guess_null` (Ho et Salimans, 2022). L'échantillonneur les mélange ensuite avec un nombre
    `w`, le **guidage** :

    $$\\text{guess} = \\text{guess\\_null} + w \\cdot (\\text{guess\\_cond} - \\text{guess\\_null})$$

    En mots : `guess_cond - guess_null`, c'est *ce qui change quand on dit « voiture »*. On part de « n'importe
    quelle image » et on avance `w` fois cette distance dans la direction de « voiture ».
    - `w = 0` : l'étiquette est ignorée, le réseau dessine n'importe quoi ;
    - `w = 1` : la réponse normale avec l'étiquette ;
    - `w > 1` : on va **plus loin** que le réseau lui-même, en exagérant ce qui fait qu'une voiture est une voiture.
    """),
    code("""
    print(inspect.getsource(guide))
    guess_cond, guess_null = torch.tensor([0.8]), torch.tensor([0.2])   # two made-up guesses for one pixel
    for w in GUIDANCES:
        print(f"w = {w}: {guide(guess_cond, guess_null, w).item():.1f}")
    """),
    md("""
    With `w = 3` the pixel goes to 2.0, past the conditional guess (0.8). Check that `w = 0` really is the model
    without a label: the same seed with no condition at all gives the same pictures.
    """, """
    Avec `w = 3`, le pixel va jusqu'à 2,0, au-delà de la réponse avec étiquette (0,8). Vérifions que `w = 0` est
    bien le modèle sans étiquette : la même graine sans aucune condition donne les mêmes images.
    """),
    code("""
    car = one_hot(torch.tensor([label_of("car")]), len(classes))                   # (1, 7): one row for all pictures
    guided_at_0 = sample(model, schedule, N, STEPS, seed=SEED, cond=car, guidance=0)
    no_label = sample(model, schedule, N, STEPS, seed=SEED)                        # no condition: the null condition
    assert torch.allclose(guided_at_0, no_label, atol=1e-2)
    display(grid(torch.cat([guided_at_0, no_label]), nrow=N, scale=3))
    """),
    md("""
    ## 5. ▶ Choose a category
    Pick a category in the menu and move the guidance slider: each change draws new pictures from **the same
    noise**, so only the label and `w` change what you see.
    """, """
    ## 5. ▶ Choisir une catégorie
    Choisissez une catégorie dans le menu et déplacez le curseur de guidage : chaque changement dessine de nouvelles
    images à partir du **même bruit**, si bien que seuls l'étiquette et `w` changent ce que vous voyez.
    """),
    code("""
    def to_cond(name):
        return one_hot(torch.tensor([label_of(name)]), len(classes))   # (1, 7)

    menu = Dropdown(options=names, value=names[label_of("car")], description="")
    guided_sampler(model, schedule, menu, to_cond, n=N, steps=STEPS, seed=SEED, guidance=GUIDANCE)
    """),
    md("""
    ## 6. Every category
    One row per category, all at `w = GUIDANCE`, each row from the same starting noise.
    """, """
    ## 6. Toutes les catégories
    Une rangée par catégorie, toutes à `w = GUIDANCE`, chaque rangée à partir du même bruit de départ.
    """),
    code("""
    for k, name in enumerate(names):
        row = sample(model, schedule, N, STEPS, seed=SEED, cond=to_cond(name), guidance=GUIDANCE)
        display(label(grid(row, nrow=N, scale=3), f"{name} · w = {GUIDANCE:g}"))
    """),
    md("""
    ## 7. What guidance buys, and what it costs
    The meter generates `METER_N` pictures of every category at each `w`, then asks a small **classifier** (a
    network trained to name the category of a picture) to judge them:
    - `accuracy`: how often a picture asked to be a car is recognised as a car (**fidelity**);
    - `frechet`: how far the generated pictures are from real ones, seen through the classifier's eyes (the idea of
      the FID score); two sets of *real* pictures are not at 0 either, so compare with `floor`;
    - `diversity`: how different two pictures of the same category are (mean distance between their pixels);
      `real_diversity` is the same for real pictures.
    """, """
    ## 7. Ce que le guidage apporte, et ce qu'il coûte
    L'instrument de mesure génère `METER_N` images de chaque catégorie pour chaque `w`, puis demande à un petit
    **classifieur** (un réseau entraîné à nommer la catégorie d'une image) de les juger :
    - `accuracy` (exactitude) : combien de fois une image demandée comme voiture est reconnue comme une voiture
      (**fidélité**) ;
    - `frechet` : à quelle distance les images générées sont des vraies, vues par les yeux du classifieur (l'idée du
      score FID) ; deux lots de *vraies* images ne sont pas à 0 non plus, il faut donc comparer à `floor` (plancher) ;
    - `diversity` (diversité) : à quel point deux images d'une même catégorie diffèrent (distance moyenne entre leurs
      pixels) ; `real_diversity`, c'est la même chose pour de vraies images.
    """),
    code("""
    readings = {w: measure(model, schedule, classifier, METER_N, guidance=w, steps=METER_STEPS, seed=SEED) for w in GUIDANCES}
    print(f"{'w':>3} {'accuracy':>9} {'frechet':>8} {'floor':>6} {'diversity':>10} {'real_diversity':>15}")
    for w, r in readings.items():
        print(f"{w:>3g} {r['mean_accuracy']:>9.0%} {r['frechet']:>8.1f} {r['floor']:>6.1f} {r['diversity']:>10.1f} {r['real_diversity']:>15.1f}")
    """),
    code("""
    k = label_of(SHOWN)
    for w, r in readings.items():   # the pictures of one category, from the same noise at every w
        pictures = r["samples"][k * METER_N:(k + 1) * METER_N][:8]
        display(label(grid(pictures, nrow=len(pictures), scale=3), f"{name_of(k, LANGUAGE)} · w = {w:g}"))
    """),
    md("""
    Read the table from top to bottom:
    - at `w = 0` the label is ignored: the accuracy is about what a random guess gets (1 in 7, 14%), and the
      diversity is high because the pictures of a "category" are a mix of everything;
    - as `w` grows, the accuracy climbs towards 100%: the pictures match their label (**fidelity**);
    - but the diversity falls below the real pictures': guidance pushes every picture towards the most "typical"
      car, with bright, saturated colours (look at the rows above). Too much guidance also moves the pictures away
      from real ones, and `frechet` rises again.

    Image generators you know use exactly this trade-off: their guidance setting is often between 5 and 10.
    """, """
    Lisez le tableau de haut en bas :
    - à `w = 0`, l'étiquette est ignorée : l'exactitude vaut à peu près celle d'un tirage au hasard (1 sur 7, 14 %),
      et la diversité est élevée, car les images d'une « catégorie » sont un mélange de tout ;
    - quand `w` augmente, l'exactitude monte vers 100 % : les images correspondent à leur étiquette (**fidélité**) ;
    - mais la diversité passe sous celle des vraies images : le guidage pousse chaque image vers la voiture la plus
      « typique », aux couleurs vives et saturées (regardez les rangées ci-dessus). Trop de guidage éloigne aussi les
      images des vraies, et `frechet` remonte.

    Les générateurs d'images que vous connaissez font exactement ce compromis : leur réglage de guidage est souvent
    entre 5 et 10.
    """),
    md("""
    ## 8. The bias experiment
    A model learns from its data, **including its imbalances**. Let us check. We take the shipped denoiser and train it
    for `BIAS_MINUTES` more minutes on a lopsided mix: 90% cats, 10% for the six other categories together. Before
    and after, we ask for pictures **with no label** (the null condition: "draw anything") and let the classifier
    count what comes out.
    """, """
    ## 8. L'expérience du biais
    Un modèle apprend de ses données, **y compris de leurs déséquilibres**. Vérifions-le. On prend le débruiteur
    fourni et on l'entraîne `BIAS_MINUTES` minutes de plus sur un mélange déséquilibré : 90 % de chats, 10 % pour
    les six autres catégories réunies. Avant et après, on demande des images **sans étiquette** (la condition nulle :
    « dessine n'importe quoi ») et on laisse le classifieur compter ce qui sort.
    """),
    code("""
    lopsided, lopsided_labels, _ = procedural_categories(BIAS_IMAGES, seed=2, weights=BIAS_WEIGHTS)
    data_mix = torch.bincount(lopsided_labels, minlength=len(classes)) / len(lopsided_labels)
    print({name: f"{share:.0%}" for name, share in zip(names, data_mix.tolist())})
    """),
    code("""
    def census(network):
        \"\"\"Draw BIAS_N pictures with no label, and the share of each category among them (counted by the classifier).\"\"\"
        pictures = sample(network, schedule, BIAS_N, STEPS, seed=SEED)   # no condition: "draw anything"
        _, predicted = look(classifier, pictures)
        return pictures, torch.bincount(predicted, minlength=len(classes)) / BIAS_N

    before_pictures, before = census(model)
    display(grid(before_pictures, nrow=14, scale=3))
    """),
    md("""
    Now the extra training on the lopsided mix (the ■ button stops it early and keeps what was learnt):
    """, """
    Maintenant, l'entraînement supplémentaire sur le mélange déséquilibré (le bouton ■ l'arrête plus tôt et garde ce
    qui a été appris) :
    """),
    code("""
    torch.manual_seed(SEED)
    run = load_run(CHECKPOINT)   # the shipped weights, ready to train some more
    shipped_steps = run.step
    train(run, lopsided, steps=BIAS_STEPS, minutes=BIAS_MINUTES, conds=one_hot(lopsided_labels, len(classes)))
    print(f"{shipped_steps} steps on the balanced mix (shipped), then {run.step - shipped_steps} on the lopsided one")
    after_pictures, after = census(run.model)   # its weights now (run.ema, their average, follows more slowly)
    display(grid(after_pictures, nrow=14, scale=3))
    """),
    code("""
    x = torch.arange(len(classes))
    plt.figure(figsize=(9, 3.5))
    for shift, shares, name in ((-0.27, data_mix, "data"), (0, before, "before"), (0.27, after, "after")):
        plt.bar(x + shift, shares, 0.27, label=name)
    plt.xticks(x, names)
    plt.ylabel("share of the pictures")
    plt.legend()
    plt.show()
    """),
    md("""
    Orange (`before`): with no label the shipped model draws all seven categories. Green (`after`): after a couple of
    minutes on 90% cats, "draw anything" has come to mean "draw a cat", just like the blue bars of the data.
    Nobody told the model to prefer cats: **it copied the imbalance of its data**.

    This is not only a classroom trick. The photos and captions that real image generators learn from are
    collected on the internet, and the internet does not show the world fairly: some countries, jobs, skin
    colours or ways of life appear far more often than others. Ask such a model for "a doctor" or "a house" without
    more detail, and it tends to draw the most frequent case from its data. The people who build these systems
    try to measure and correct such biases (more balanced data, checks like our meter), but it is hard, and it is
    never finished: it is worth asking **what was in the data** whenever a model shows you something.
    """, """
    En orange (`before`, avant) : sans étiquette, le modèle fourni dessine les sept catégories. En vert (`after`,
    après) : après quelques minutes sur 90 % de chats, « dessine n'importe quoi » est devenu « dessine un chat »,
    comme les barres bleues des données (`data`). Personne n'a demandé au modèle de préférer les chats : **il a
    recopié le déséquilibre de ses données**.

    Ce n'est pas qu'une astuce de classe. Les photos et les légendes dont apprennent les vrais générateurs d'images
    sont récoltées sur Internet, et Internet ne montre pas le monde équitablement : certains pays, métiers, couleurs
    de peau ou modes de vie y apparaissent bien plus souvent que d'autres. Demandez à un tel modèle « un médecin » ou
    « une maison » sans plus de précision, et il aura tendance à dessiner le cas le plus fréquent dans ses données.
    Ceux qui construisent ces systèmes cherchent à mesurer et à corriger ces biais (des données plus équilibrées, des
    contrôles comme notre instrument de mesure), mais c'est difficile, et ce n'est jamais fini : devant ce que montre
    un modèle, il vaut toujours la peine de se demander **ce qu'il y avait dans les données**.
    """),
    md("""
    ## Summary
    - One network can draw several categories: the label becomes a one-hot vector, `cond_proj` turns it into a vector
      that is added to the time embedding.
    - Label dropout teaches the same network to draw without a label too (the null condition, all zeros).
    - Classifier-free guidance mixes the two answers: `guess_null + w * (guess_cond - guess_null)`. `w = 0` ignores
      the label, `w = 1` is the plain conditional model, `w > 1` exaggerates the label.
    - Guidance buys fidelity (the classifier recognises the category) and costs diversity (the pictures look alike).
    - A model reproduces the mix of its data: trained on 90% cats, "draw anything" means "draw a cat".

    ## Exercises
    1. In section 5, choose "fish" and move the slider from 0 to 10. What do you see at 0? At 10?
    <details><summary>Solution</summary>

    At 0 the label is ignored: you get any category (the same pictures whatever the menu says). From about 1 to 3,
    fish. At 10 the fish get brighter, more saturated and more alike, and some pictures "burn" into flat colours:
    the sampler goes much further than anything the network saw in training.
    </details>

    2. Set `BIAS_WEIGHTS = [1 / 7] * 7` (a balanced mix) and rerun section 8. What changes?
    <details><summary>Solution</summary>

    The `after` bars stay spread over the seven categories, like `before`. So the bias did not come from training
    some more: it came from the lopsided data.
    </details>

    3. After the bias experiment, is the model still able to draw a fish when you **ask** for one? Try
       `sample(run.model, schedule, 8, STEPS, seed=SEED, cond=to_cond("fish"), guidance=GUIDANCE)`.
    <details><summary>Solution</summary>

    Yes, mostly: the label still carries the information, and two minutes of training do not erase what the model
    knew about fish. The bias shows where nobody says what they want: in the "default" answer. For real image
    generators this default is what you get from a short prompt such as "a person".
    </details>

    4. Why does guidance need label dropout? Imagine a model trained **without** it (the null condition never
       seen in training).
    <details><summary>Solution</summary>

    `guess_null` would be the answer to an input the network never met: meaningless. The direction
    `guess_cond - guess_null` would then point nowhere useful, and guidance would exaggerate noise rather than what
    makes a car a car. With label dropout, `guess_null` is a real "any picture" answer.
    </details>
    """, """
    ## À retenir
    - Un seul réseau peut dessiner plusieurs catégories : l'étiquette devient un vecteur one-hot, que `cond_proj`
      transforme en un vecteur ajouté au plongement du temps.
    - L'abandon d'étiquette apprend au même réseau à dessiner aussi sans étiquette (la condition nulle, que des zéros).
    - Le guidage sans classifieur mélange les deux réponses : `guess_null + w * (guess_cond - guess_null)`. `w = 0`
      ignore l'étiquette, `w = 1` donne le modèle avec étiquette tel quel, `w > 1` exagère l'étiquette.
    - Le guidage apporte la fidélité (le classifieur reconnaît la catégorie) et coûte de la diversité (les images se
      ressemblent).
    - Un modèle reproduit le mélange de ses données : entraîné sur 90 % de chats, « dessine n'importe quoi » devient
      « dessine un chat ».

    ## Exercices
    1. Dans la partie 5, choisissez « poisson » et déplacez le curseur de 0 à 10. Que voyez-vous à 0 ? À 10 ?
    <details><summary>Solution</summary>

    À 0, l'étiquette est ignorée : on obtient n'importe quelle catégorie (les mêmes images, quel que soit le choix du
    menu). De 1 à 3 environ, des poissons. À 10, les poissons deviennent plus vifs, plus saturés et plus semblables,
    et certaines images « brûlent » en aplats de couleur : l'échantillonneur va bien plus loin que tout ce que le
    réseau a vu à l'entraînement.
    </details>

    2. Mettez `BIAS_WEIGHTS = [1 / 7] * 7` (un mélange équilibré) et relancez la partie 8. Qu'est-ce qui change ?
    <details><summary>Solution</summary>

    Les barres `after` restent réparties sur les sept catégories, comme `before`. Le biais ne venait donc pas du fait
    d'entraîner davantage : il venait des données déséquilibrées.
    </details>

    3. Après l'expérience du biais, le modèle sait-il encore dessiner un poisson quand on le lui **demande** ? Essayez
       `sample(run.model, schedule, 8, STEPS, seed=SEED, cond=to_cond("poisson"), guidance=GUIDANCE)`.
    <details><summary>Solution</summary>

    Oui, le plus souvent : l'étiquette porte toujours l'information, et deux minutes d'entraînement n'effacent pas ce
    que le modèle savait des poissons. Le biais se voit là où personne ne précise ce qu'il veut : dans la réponse
    « par défaut ». Pour les vrais générateurs d'images, ce défaut, c'est ce qu'on obtient avec une consigne courte
    comme « une personne ».
    </details>

    4. Pourquoi le guidage a-t-il besoin de l'abandon d'étiquette ? Imaginez un modèle entraîné **sans** (la
       condition nulle n'a jamais été vue à l'entraînement).
    <details><summary>Solution</summary>

    `guess_null` serait la réponse à une entrée que le réseau n'a jamais rencontrée : elle ne voudrait rien dire. La
    direction `guess_cond - guess_null` ne mènerait alors nulle part d'utile, et le guidage exagérerait du bruit
    plutôt que ce qui fait qu'une voiture est une voiture. Avec l'abandon d'étiquette, `guess_null` est une vraie
    réponse « n'importe quelle image ».
    </details>
    """),
]
