"""Lesson 4: several categories (class conditioning and guidance).
Rebuild the notebooks with `python notebooks/build.py`."""
from build import COLAB, FAST, LANGUAGE, SETTINGS, code, md

NAMES = {"en": "04_several_categories", "fr": "04_plusieurs_categories"}

CELLS = [
    md("""
    # 4 · Several categories
    *Going further, lesson 4: one denoiser for cats, trees, cars and more, that draws the one you ask for.*

    Our cat denoiser only knew cats. This one has learnt **seven categories** (cat, tree, car, house, fish, flower,
    boat), and you can tell it which one to draw.

    **Goals**
    - meet the seven categories the network was trained on;
    - see how a label ("car") becomes a vector the network can read;
    - understand the **null condition** and **classifier-free guidance**, in a formula and in words;
    - choose a category and a guidance with a menu and a slider;
    - run the **bias experiment**: a model trained on 90% cats.

    ⏱ One to two minutes of computing in all (more on a laptop without bf16).
    The live version of the bias experiment (`BIAS_LIVE = True`) adds 2 minutes.
    """, """
    # 4 · Plusieurs catégories
    *Pour aller plus loin, séance 4 : un seul débruiteur pour des chats, des arbres, des voitures et d'autres encore,
    qui dessine ce qu'on lui demande.*

    Notre débruiteur de chats ne connaissait que les chats. Celui-ci a appris **sept catégories** (chat, arbre,
    voiture, maison, poisson, fleur, bateau), et on peut lui dire laquelle dessiner.

    **Objectifs**
    - découvrir les sept catégories sur lesquelles le réseau a été entraîné ;
    - voir comment une étiquette (« voiture ») devient un vecteur que le réseau sait lire ;
    - comprendre la **condition nulle** et le **guidage sans classifieur**, en formule et en mots ;
    - choisir une catégorie et un guidage avec un menu et un curseur ;
    - mener l'**expérience du biais** : un modèle entraîné sur 90 % de chats.

    ⏱ Une à deux minutes de calcul en tout (davantage sur un portable sans bf16). La version en direct de l'expérience
    du biais (`BIAS_LIVE = True`) ajoute 2 minutes.
    """),
    COLAB,
    code(f"""
    import inspect
    import os
    from pathlib import Path

    import matplotlib.pyplot as plt
    import torch
    from IPython.display import display

    from diffusion_lab import UNet, explain_missing_names, load_model, load_run, sample, set_language, train
    from diffusion_lab.conditioning import drop, guide, one_hot
    from diffusion_lab.data import data_dir, load_image, procedural_categories, to_model_range
    from diffusion_lab.evaluate import load_classifier, look, measure
    from diffusion_lab.messages import decimal, message
    from diffusion_lab.pictures.categories import label_of, name_of
    from diffusion_lab.viz import grid, label
    from diffusion_lab.widgets import guided_sampler
    {LANGUAGE}"""),
    SETTINGS,
    code(f"""
    {FAST}
    CHECKPOINT = data_dir() / "categories.pt"   # the shipped denoiser for the seven categories
    SEED = 0                              # which random pixels we start from: any whole number
    N = 2 if FAST else 8                  # pictures per category in each grid
    STEPS = 2 if FAST else 25             # DDIM steps per picture
    GUIDANCE = 3.0                        # classifier-free guidance w (0: ignore the label); 3 is the shipped default
    GUIDANCES = [0, 1, 3, 6]              # the values of w compared in section 6 and by the meter
    SHOWN = "car"                         # the category shown at each w (English or French: "voiture" works too)
    BIAS_WEIGHTS = [0.9] + [0.1 / 6] * 6  # the lopsided mix, in label order: 90% cats, the six others share 10%
    BIAS_IMAGES = 64 if FAST else 2000    # pictures in that lopsided training set
    BIAS_N = 14 if FAST else 70           # pictures drawn with no label, before and after, to count them
    BIAS_LIVE = False                     # True: train on the lopsided mix here (2 minutes); False: the shipped result
    # the shipped result: 70 pictures drawn with no label after 800 steps on the mix
    BIAS_RESULT = data_dir() / "bias.png"
    # live only: extra training steps on the lopsided mix (the shipped result: 800)
    BIAS_STEPS = 2 if FAST else 800
    BIAS_MINUTES = 3                      # live only: stop earlier if the training takes longer than this
    METER_N = 2 if FAST else 8            # pictures per category for the meter ("Going further")
    METER_STEPS = 4 if FAST else 15       # DDIM steps for the meter's pictures
    """),
    code("""
    model, schedule = load_model(CHECKPOINT, kind="class")   # a clear message if it is missing or is a cats-only model
    classifier = load_classifier()                           # the judge of section 7, data/classifier.pt
    classes = model.settings.classes                      # the label order: cat is 0, tree is 1, ...
    names = [name_of(k, LANGUAGE) for k in range(len(classes))]
    print(dict(enumerate(names)))
    """),
    md("""
    ## 1. Seven categories
    As for the cats, every picture is drawn by the program from simple shapes, with random colours, sizes, positions
    and backgrounds. Each picture comes with its **label**, a whole number: `0` for cat, `1` for tree, and so on.
    """, """
    ## 1. Sept catégories
    Comme pour les chats, chaque image est dessinée par le programme à partir de formes simples, avec des couleurs,
    des tailles, des positions et des fonds au hasard. Chaque image est livrée avec son **étiquette**, un nombre
    entier : `0` pour chat, `1` pour arbre, et ainsi de suite.
    """),
    code("""
    images, labels, _ = procedural_categories(7 * N, seed=SEED)            # uint8 (7N, 3, 32, 32), labels (7N,)
    for k, name in enumerate(names):
        row = to_model_range(images[labels == k])                          # category k's N pictures, 0..255 -> [-1, 1]
        display(label(grid(row, nrow=N, scale=3), f"{k} · {name}"))
    """),
    md("""
    ## 2. A label becomes a vector
    The network cannot read the word "car". We give it a **one-hot** vector: seven numbers, a 1 in the position of
    the label and 0 everywhere else. One layer turns these 7 numbers into a vector that is **added** to the vector
    telling the U-Net how noisy the picture is. From then on, every block of the U-Net knows both *how much noise*
    there is and *what to draw*.
    """, """
    ## 2. Une étiquette devient un vecteur
    Le réseau ne sait pas lire le mot « voiture ». On lui donne un vecteur **one-hot** (« un seul 1 ») : sept
    nombres, un 1 à la position de l'étiquette et des 0 partout ailleurs. Une couche transforme ces 7 nombres en un
    vecteur qu'on **ajoute** au vecteur qui dit au U-Net à quel point l'image est bruitée. Dès lors, chaque bloc du
    U-Net sait à la fois *combien de bruit* il y a et *quoi dessiner*.
    """),
    code("""
    # French and English names both work
    cond = one_hot(torch.tensor([label_of("voiture"), label_of("cat")]), len(classes))
    print(cond)                                                                       # (2, 7): a car, a cat
    """),
    md("""
    ## 3. The null condition
    The **null condition** is the vector of zeros: no label at all, "draw any picture". During training, the label of
    each picture is replaced by the null condition now and then (here 10% of the time: **label dropout**). So one
    single network learns two things:
    - with a label: what a picture *of that category* looks like;
    - with the null condition: what a picture of *any* category looks like.

    Guidance, next section, needs both answers.
    """, """
    ## 3. La condition nulle
    La **condition nulle** est le vecteur de zéros : pas d'étiquette du tout, « dessine une image au hasard ». Pendant
    l'entraînement, l'étiquette de chaque image est de temps en temps remplacée par la condition nulle (ici 10 % du
    temps : c'est l'**abandon d'étiquette**). Un seul et même réseau apprend ainsi deux choses :
    - avec une étiquette : à quoi ressemble une image *de cette catégorie* ;
    - avec la condition nulle : à quoi ressemble une image de *n'importe quelle* catégorie.

    Le guidage, dans la partie suivante, a besoin des deux réponses.
    """),
    md("""
    ## 4. Classifier-free guidance
    At every denoising step the network answers twice: once with the label, `guess_cond`, once with the null
    condition, `guess_null` (Ho & Salimans 2022). The sampler mixes them with a number `w`, the **guidance**:

    $$\\text{guess} = \\text{guess\\_null} + w \\cdot (\\text{guess\\_cond} - \\text{guess\\_null})$$

    In words: `guess_cond - guess_null` is *what changes when you say "car"*. Start from "any picture" and move `w`
    times that gap towards "car".
    - `w = 0`: the label is ignored, the network draws a picture of any category;
    - `w = 1`: the plain answer with the label;
    - `w > 1`: we go **further** than the network itself would, exaggerating what makes a car a car.
    """, """
    ## 4. Le guidage sans classifieur
    À chaque étape de débruitage, le réseau répond deux fois : une fois avec l'étiquette, `guess_cond`, une fois avec
    la condition nulle, `guess_null` (Ho et Salimans, 2022). L'échantillonneur mélange les deux avec un nombre `w`, le
    **guidage** :

    $$\\text{guess} = \\text{guess\\_null} + w \\cdot (\\text{guess\\_cond} - \\text{guess\\_null})$$

    En mots : `guess_cond - guess_null`, c'est *ce qui change quand on dit « voiture »*. On part d'« une image au
    hasard » et on avance de `w` fois cet écart en direction de « voiture ».
    - `w = 0` : l'étiquette est ignorée, le réseau dessine une image quelconque, de n'importe quelle catégorie ;
    - `w = 1` : la réponse normale avec l'étiquette ;
    - `w > 1` : on va **plus loin** que le réseau lui-même, en exagérant ce qui fait qu'une voiture est une voiture.
    """),
    code("""
    print(inspect.getsource(guide))
    guess_cond, guess_null = torch.tensor([0.8]), torch.tensor([0.2])   # two made-up guesses for one pixel
    for w in GUIDANCES:
        print(message("nb04_guided_pixel", w=w, value=decimal(guide(guess_cond, guess_null, w).item(), 1)))
    """),
    md("""
    With `w = 3` the pixel goes to 2.0, past the guess with the label (0.8). Check that `w = 0` really is the model
    without a label: the same seed with no condition at all gives the same pictures.
    """, """
    Avec `w = 3`, le pixel va jusqu'à 2,0, au-delà de la réponse avec étiquette (0,8). Vérifions que `w = 0` est bien
    le modèle sans étiquette : la même graine sans aucune condition donne les mêmes images.
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
    noise**, so only the label and `w` change what you see. Below, one row per category at `w = GUIDANCE`.
    """, """
    ## 5. ▶ Choisir une catégorie
    Choisissez une catégorie dans le menu et déplacez le curseur de guidage : chaque changement dessine de nouvelles
    images à partir du **même bruit**, si bien que seuls l'étiquette et `w` changent ce que vous voyez. En dessous, une
    rangée par catégorie à `w = GUIDANCE`.
    """),
    code("""
    from ipywidgets import Dropdown

    def to_cond(name):
        return one_hot(torch.tensor([label_of(name)]), len(classes))   # (1, 7)

    menu = Dropdown(options=names, value=names[label_of("car")], description="")
    guided_sampler(model, schedule, menu, to_cond, n=N, steps=STEPS, seed=SEED, guidance=GUIDANCE)
    """),
    code("""
    for k, name in enumerate(names):
        row = sample(model, schedule, N, STEPS, seed=SEED, cond=to_cond(name), guidance=GUIDANCE)
        display(label(grid(row, nrow=N, scale=3), f"{name} · w = {GUIDANCE:g}"))
    """),
    md("""
    ## 6. What guidance buys, and what it costs
    The same category, from the same noise, at `w = 0, 1, 3, 6`:
    """, """
    ## 6. Ce que le guidage apporte, et ce qu'il coûte
    La même catégorie, à partir du même bruit, à `w = 0, 1, 3, 6` :
    """),
    code("""
    for w in GUIDANCES:
        row = sample(model, schedule, N, STEPS, seed=SEED, cond=to_cond(SHOWN), guidance=w)
        display(label(grid(row, nrow=N, scale=3), f"{name_of(label_of(SHOWN), LANGUAGE)} · w = {w:g}"))
    """),
    md("""
    - At `w = 0` the label is ignored: a mix of every category.
    - As `w` grows, the pictures match their label: this is **fidelity**.
    - But they also look more and more alike, with bright, saturated colours: guidance pushes every picture towards
      the most "typical" car, and **variety** is lost.

    Many image generators make exactly this trade-off: Stable Diffusion's default guidance is 7.5. The "Going
    further" part at the end measures it.
    """, """
    - À `w = 0`, l'étiquette est ignorée : un mélange de toutes les catégories.
    - Quand `w` augmente, les images correspondent à leur étiquette : c'est la **fidélité**.
    - Mais elles se ressemblent aussi de plus en plus, aux couleurs vives et saturées : le guidage pousse chaque image
      vers la voiture la plus « typique », et la **variété** se perd.

    Beaucoup de générateurs d'images font exactement ce compromis : le guidage par défaut de Stable Diffusion vaut
    7,5. La partie « Pour aller plus loin », à la fin, le mesure.
    """),
    md("""
    ## 7. The bias experiment
    A model learns from its data, **including its imbalances**. We take the shipped denoiser and train it some more
    on a lopsided mix: 90% cats, 10% for the six other categories together. Before and after, we ask for pictures
    **with no label** (the null condition: "draw any picture") and let a classifier (a network trained to name the
    category of a picture) count what comes out.
    """, """
    ## 7. L'expérience du biais
    Un modèle apprend de ses données, **y compris de leurs déséquilibres**. On prend le débruiteur fourni et on
    l'entraîne encore un peu sur un mélange déséquilibré : 90 % de chats, 10 % pour les six autres catégories réunies.
    Avant et après, on demande des images **sans étiquette** (la condition nulle : « dessine une image au hasard »)
    et on laisse un classifieur (un réseau entraîné à nommer la catégorie d'une image) compter ce qu'il dessine.
    """),
    code("""
    lopsided, lopsided_labels, _ = procedural_categories(BIAS_IMAGES, seed=2, weights=BIAS_WEIGHTS)
    data_mix = torch.bincount(lopsided_labels, minlength=len(classes)) / len(lopsided_labels)
    print({name: f"{share:.0%}" for name, share in zip(names, data_mix.tolist())})

    def census(pictures):
        \"\"\"The share of each category among the pictures, as the classifier sees them.\"\"\"
        _, predicted = look(classifier, pictures)
        return torch.bincount(predicted, minlength=len(classes)) / len(pictures)
    """),
    code("""
    before_pictures = sample(model, schedule, BIAS_N, STEPS, seed=SEED)   # no condition: "draw any picture"
    before = census(before_pictures)
    display(grid(before_pictures, nrow=14, scale=3))
    """),
    md("""
    Now the model after the extra training on the lopsided mix. By default it was run ahead of time, with the same
    code, and its pictures are shipped; set `BIAS_LIVE = True` to run it here (2 minutes; the ■ button stops it early
    and keeps what was learnt).
    """, """
    Voici maintenant le modèle après l'entraînement supplémentaire sur le mélange déséquilibré. Par défaut, il a été
    lancé à l'avance, avec le même code, et ses images sont fournies ; mettez `BIAS_LIVE = True` pour le lancer ici
    (2 minutes ; le bouton ■ l'arrête plus tôt et garde ce qui a été appris).
    """),
    code('''
    def shipped_pictures(path):
        """Pictures saved side by side in one image (rows of 14 pictures of 32x32), as (n, 3, 32, 32) in [-1, 1]."""
        strip = load_image(path)                                              # uint8 (3, 32 * rows, 32 * 14)
        tiles = strip.reshape(3, -1, 32, 14, 32).permute(1, 3, 0, 2, 4)       # (rows, 14, 3, 32, 32)
        return to_model_range(tiles.reshape(-1, 3, 32, 32))

    if BIAS_LIVE:   # the shipped weights, trained BIAS_STEPS more steps on the lopsided mix
        torch.manual_seed(SEED)
        run = load_run(CHECKPOINT)
        train(run, lopsided, steps=BIAS_STEPS, minutes=BIAS_MINUTES, conds=one_hot(lopsided_labels, len(classes)))
        # its weights now (not their average, run.ema)
        after_pictures = sample(run.model, schedule, BIAS_N, STEPS, seed=SEED)
    else:
        after_pictures = shipped_pictures(BIAS_RESULT)
    after = census(after_pictures)
    display(grid(after_pictures, nrow=14, scale=3))
    '''),
    code("""
    x = torch.arange(len(classes))
    plt.figure(figsize=(9, 3.5))
    for shift, shares, key in ((-0.27, data_mix, "nb04_data"), (0, before, "nb04_before"), (0.27, after, "nb04_after")):
        plt.bar(x + shift, shares, 0.27, label=message(key))
    plt.xticks(x, names)
    plt.ylabel(message("nb04_share_of_pictures"))
    plt.title(message("nb04_bias_title"))
    plt.legend()
    plt.show()
    """),
    md("""
    Before the extra training, with no label, the model draws all seven categories. After a couple of minutes on 90%
    cats, "draw any picture" has come to mean "draw a cat", just like the data. Nobody told the model to prefer
    cats: **it copied the imbalance of its data**.

    This is not just a classroom curiosity. The photos and captions that real image generators learn from are
    collected on the internet, and the internet does not show the world fairly: some countries, jobs, skin colours or
    ways of life appear far more often than others. Ask such a model for "a doctor" or "a house" without more detail,
    and it tends to draw the most frequent case in its data. Their makers try to measure and correct such biases,
    but it is hard and never finished: whenever a model shows you something, ask **what was in the data**.
    """, """
    Avant l'entraînement supplémentaire, sans étiquette, le modèle dessine les sept catégories. Après quelques minutes
    sur 90 % de chats, « dessine une image au hasard » est devenu « dessine un chat », comme dans les données.
    Personne n'a demandé au modèle de préférer les chats : **il a recopié le déséquilibre de ses données**.

    Ce n'est pas une simple curiosité de salle de classe. Les photos et les légendes à partir desquelles apprennent
    les vrais générateurs d'images sont collectées sur Internet, et Internet ne montre pas le monde équitablement :
    certains pays, métiers, couleurs de peau ou modes de vie y apparaissent bien plus souvent que d'autres. Demandez à
    un tel modèle « un médecin » ou « une maison » sans plus de précision, et il aura tendance à dessiner le cas le
    plus fréquent dans ses données. Ceux qui les construisent cherchent à mesurer et à corriger ces biais, mais c'est
    difficile et jamais fini : devant ce que montre un modèle, demandez-vous **ce qu'il y avait dans les données**.
    """),
    md("""
    ## Summary
    - One network draws several categories: the label becomes a one-hot vector, added (after one layer) to what the
      network knows about the noise level.
    - Label dropout teaches it to draw without a label too: the null condition, all zeros.
    - Guidance: `guess_null + w * (guess_cond - guess_null)`. `w = 0` ignores the label, `w > 1` exaggerates it.
      It buys fidelity and costs variety.
    - A model copies the mix of its data: trained on 90% cats, "draw any picture" means "draw a cat".

    ## Exercises
    1. In section 5, choose "fish" and move the slider from 0 to 10. What do you see at 0? At 10?

    <details><summary>Answer</summary>

    At 0 the label is ignored: pictures of any category, the same whatever the menu says. From about 1 to 3, fish.
    At 10 the fish get brighter, more saturated and more alike, and some pictures "burn" into flat colours: the
    sampler goes much further than anything the network saw in training.
    </details>

    2. Set `BIAS_LIVE = True` and `BIAS_WEIGHTS = [1 / 7] * 7` (a balanced mix), and rerun section 7. What changes?

    <details><summary>Answer</summary>

    The "after" bars stay spread over the seven categories, like "before". So the bias did not come from training
    some more: it came from the lopsided data.
    </details>

    3. Why does guidance need label dropout? Imagine a model trained **without** it (the null condition never
       seen in training).

    <details><summary>Answer</summary>

    `guess_null` would be the answer to an input the network never met: meaningless. The direction
    `guess_cond - guess_null` would then point nowhere useful, and guidance would exaggerate noise rather than what
    makes a car a car. With label dropout, `guess_null` is a real "any picture" answer.
    </details>
    """, """
    ## À retenir
    - Un seul réseau dessine plusieurs catégories : l'étiquette devient un vecteur one-hot, ajouté (après une couche)
      à ce que le réseau sait du niveau de bruit.
    - L'abandon d'étiquette lui apprend aussi à dessiner sans étiquette : la condition nulle, que des zéros.
    - Le guidage : `guess_null + w * (guess_cond - guess_null)`. `w = 0` ignore l'étiquette, `w > 1` l'exagère. Il
      apporte la fidélité et coûte de la variété.
    - Un modèle recopie le mélange de ses données : entraîné sur 90 % de chats, « dessine une image au hasard »
      devient « dessine un chat ».

    ## Exercices
    1. Dans la partie 5, choisissez « poisson » et déplacez le curseur de 0 à 10. Que voyez-vous à 0 ? À 10 ?

    <details><summary>Réponse</summary>

    À 0, l'étiquette est ignorée : des images de n'importe quelle catégorie, les mêmes quel que soit le choix du
    menu. De 1 à 3 environ, des poissons. À 10, les poissons deviennent plus vifs, plus saturés et plus semblables, et
    certaines images « brûlent » en aplats de couleur : l'échantillonneur va bien plus loin que tout ce que le réseau
    a vu à l'entraînement.
    </details>

    2. Mettez `BIAS_LIVE = True` et `BIAS_WEIGHTS = [1 / 7] * 7` (un mélange équilibré), puis relancez la partie 7.
       Qu'est-ce qui change ?

    <details><summary>Réponse</summary>

    Les barres « après » restent réparties sur les sept catégories, comme « avant ». Le biais ne venait donc pas du
    fait d'entraîner davantage : il venait des données déséquilibrées.
    </details>

    3. Pourquoi le guidage a-t-il besoin de l'abandon d'étiquette ? Imaginez un modèle entraîné **sans** (la
       condition nulle n'a jamais été vue à l'entraînement).

    <details><summary>Réponse</summary>

    `guess_null` serait la réponse à une entrée que le réseau n'a jamais rencontrée : elle ne voudrait rien dire. La
    direction `guess_cond - guess_null` ne mènerait alors nulle part d'utile, et le guidage exagérerait du bruit
    plutôt que ce qui fait qu'une voiture est une voiture. Avec l'abandon d'étiquette, `guess_null` est une vraie
    réponse « une image au hasard ».
    </details>
    """),
    md("""
    ## Going further
    **Inside the network.** The layer that reads the label is `cond_proj`; the vector that tells how noisy the picture
    is, the **time embedding**, comes from `time_mlp`. Both have 192 numbers, and they are added. Find the line
    `emb = emb + self.cond_proj(...)` in the real `forward` of our U-Net: everything after it is the U-Net of lessons
    2 and 3.
    """, """
    ## Pour aller plus loin
    **À l'intérieur du réseau.** La couche qui lit l'étiquette s'appelle `cond_proj` ; le vecteur qui dit à quel
    point l'image est bruitée, le **plongement du temps**, vient de `time_mlp`. Tous deux ont 192 nombres, et on les
    additionne. Repérez la ligne `emb = emb + self.cond_proj(...)` dans le vrai `forward` de notre U-Net : tout ce qui
    suit est le U-Net des séances 2 et 3.
    """),
    code("""
    from diffusion_lab.unet import timestep_embedding   # the sine waves that encode t, inside the U-Net

    t = torch.tensor([500, 500])
    with torch.no_grad():
        time_emb = model.time_mlp(timestep_embedding(t, model.config.base))   # (2, 192): how noisy
        class_emb = model.cond_proj(cond)                                     # (2, 192): what to draw
    print(tuple(cond.shape), "->", tuple(class_emb.shape), "+", tuple(time_emb.shape), "=",
          tuple((time_emb + class_emb).shape))
    print(inspect.getsource(UNet.forward))
    """),
    md("""
    **The null condition, in code.** Label -1 gives the vector of zeros, and `drop` replaces each row by it with
    probability `p` (here 0.5, to see it happen):
    """, """
    **La condition nulle, en code.** L'étiquette -1 donne le vecteur de zéros, et `drop` remplace chaque ligne par lui
    avec une probabilité `p` (ici 0,5, pour le voir arriver) :
    """),
    code("""
    print(one_hot(torch.tensor([-1]), len(classes)))                          # label -1: all zeros
    print(message("nb04_dropout", percent=100 * model.settings.cond_dropout))
    print(inspect.getsource(drop))
    torch.manual_seed(SEED)
    print(drop(one_hot(torch.arange(len(classes)), len(classes)), p=0.5))     # about half the rows become zeros
    """),
    md("""
    **Measuring guidance.** The meter draws `METER_N` pictures of every category at each `w` (about a minute on a
    laptop) and asks the classifier to judge them:
    - **accuracy**: the share of the pictures asked as cars that the classifier recognises as cars (fidelity);
    - **Fréchet distance**: how far the generated pictures are from real ones, seen through the classifier's eyes
      (the idea of the FID score); two sets of real pictures give the floor;
    - **diversity**: the mean distance between the pixels of two pictures of the same category.
    """, """
    **Mesurer le guidage.** L'instrument de mesure dessine `METER_N` images de chaque catégorie pour chaque `w`
    (environ une minute sur un portable) et demande au classifieur de les juger :
    - l'**exactitude** : la proportion des images demandées comme voitures que le classifieur reconnaît comme des
      voitures (la fidélité) ;
    - la **distance de Fréchet** : à quelle distance des vraies images se trouvent les images générées, vues par les
      yeux du classifieur (l'idée du score FID) ; deux lots de vraies images donnent le plancher ;
    - la **diversité** : la distance moyenne entre les pixels de deux images d'une même catégorie.
    """),
    code("""
    readings = [measure(model, schedule, classifier, METER_N, guidance=w, steps=METER_STEPS, seed=SEED)
                for w in GUIDANCES]
    panels = (("nb04_accuracy", "mean_accuracy", None), ("nb04_frechet", "frechet", "floor"),
              ("nb04_diversity", "diversity", "real_diversity"))
    figure, axes = plt.subplots(1, 3, figsize=(13, 3.5))
    for ax, (title, key, real_key) in zip(axes, panels):
        ax.plot(GUIDANCES, [r[key] for r in readings], "o-", label=message("nb04_generated"))
        if real_key:
            ax.plot(GUIDANCES, [r[real_key] for r in readings], "--", color="grey", label=message("nb04_real"))
        ax.set_title(message(title))
        ax.set_xlabel(message("nb04_guidance_w"))
        ax.legend()
    plt.show()
    """),
    md("""
    At `w = 0` the accuracy is about that of a random guess (1 in 7, 14%). It climbs towards 100% as `w` grows, while
    the diversity falls below the real pictures'. Too much guidance also moves the pictures away from real ones: the
    Fréchet distance rises again.
    """, """
    À `w = 0`, l'exactitude vaut à peu près celle d'un tirage au hasard (1 sur 7, 14 %). Elle monte vers 100 % quand
    `w` augmente, tandis que la diversité passe sous celle des vraies images. Trop de guidage éloigne aussi les images
    des vraies : la distance de Fréchet remonte.
    """),
]
