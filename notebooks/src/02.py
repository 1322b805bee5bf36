"""Lesson 2: training a denoiser. Rebuild the notebooks with `python notebooks/build.py`."""
from build import COLAB, FAST, LANGUAGE, SETTINGS, code, md

NAMES = {"en": "02_training_a_denoiser", "fr": "02_entrainer_un_debruiteur"}

CELLS = [
    md("""
    # 2 · Training a denoiser
    *Going further, lesson 2: teaching a network to undo the noise.*

    In lesson 1 we noised cats with one formula. Now a neural network (a small **U-Net**) learns the way back: shown a
    noisy cat, it guesses the cat without noise.

    **Goals**
    - see exactly what the network is given, `(x_t, t)`, and what it must predict;
    - read the whole loss function, five lines long;
    - watch a real training run: the loss falls and cats appear in the same noise;
    - ask a fully trained denoiser for its guess at several noise levels;
    - see the two tricks that give cats in one minute: compressed pictures, as in Stable Diffusion, and a smaller world.

    ⏱ With the default settings this notebook needs about two minutes of computing: a one-minute live training run,
    then the **shipped** denoiser, already trained. Set `TRAIN_FROM_SCRATCH = True` to train the plain version yourself
    for 3 minutes instead.
    """, """
    # 2 · Entraîner un débruiteur
    *Pour aller plus loin, séance 2 : apprendre à un réseau à défaire le bruit.*

    À la séance 1, on a bruité des chats avec une seule formule. Maintenant, un réseau de neurones (un petit **U-Net**)
    apprend le chemin inverse : devant un chat bruité, il devine le chat sans bruit.

    **Objectifs**
    - voir exactement ce que reçoit le réseau, `(x_t, t)`, et ce qu'il doit prédire ;
    - lire la fonction de perte en entier : cinq lignes ;
    - suivre un vrai entraînement : la perte baisse et des chats apparaissent dans le même bruit ;
    - demander à un débruiteur bien entraîné ce qu'il devine, à plusieurs niveaux de bruit ;
    - découvrir les deux astuces qui donnent des chats en une minute : des images compressées, comme dans Stable
      Diffusion, et un monde plus petit.

    ⏱ Avec les réglages par défaut, ce notebook demande environ deux minutes de calcul : un entraînement en direct
    d'une minute, puis le débruiteur **fourni**, déjà entraîné. Mettez `TRAIN_FROM_SCRATCH = True` pour entraîner
    vous-même la version simple pendant 3 minutes à la place.
    """),
    COLAB,
    code(f"""
    import inspect
    import os
    from pathlib import Path

    import matplotlib.pyplot as plt
    import torch
    from IPython.display import display

    from diffusion_lab import (diffusion_loss, explain_missing_names, load_autoencoder, load_checkpoint, load_model,
                               make_run, set_language, shipped_checkpoint, train)
    from diffusion_lab.data import load_dataset, procedural_cats, random_batch, to_model_range
    from diffusion_lab.messages import decimal, message
    from diffusion_lab.sample import make_generator, predict
    from diffusion_lab.viz import grid, label, latent_channels, side_by_side
    from diffusion_lab.widgets import gif_html, training_monitor
    {LANGUAGE}"""),
    SETTINGS,
    code(f"""
    {FAST}
    SEED = 0                      # seeds the first weights, the batches and the noise: any whole number
    TRAIN_FROM_SCRATCH = False    # True: the plain version: a pixel denoiser on all cats for MINUTES, used below
    MINUTES = 3                   # length of that plain run (not counted in the 2-minute lesson)
    LIVE_SECONDS = 60             # otherwise: a one-minute live run in latent space, then the shipped denoiser
    LIVE_WORLD = "cat-faces"      # what the live run learns: cat portraits only ("cats": all four poses)
    MAX_STEPS = 3 if FAST else None          # stop after this many steps (None: only the time limit counts)
    N_IMAGES = 256 if FAST else 20000        # cats drawn by the computer, to learn from
    MONITOR_EVERY = 1 if FAST else 50        # redraw the loss curve and the time-lapse every ... steps
    CHECKPOINT = shipped_checkpoint()        # the shipped denoiser, data/cats.pt
    MY_CHECKPOINT = "runs/my_cats.pt"        # where your plain run is saved (lesson 3 can load it)
    T_SHOWN = [50, 250, 500, 750, 950]       # noise levels at which we ask for the denoiser's guess
    """),
    md("""
    ## 1. What the network sees
    The network receives a noisy picture `x_t` **and** the step `t` (so it knows how much noise to expect). Our network
    is a U-Net: it shrinks the picture to see the whole cat, then grows it back, with shortcuts that keep the details.
    """, """
    ## 1. Ce que voit le réseau
    Le réseau reçoit une image bruitée `x_t` **et** l'étape `t` (il sait ainsi combien de bruit attendre). Notre réseau
    est un U-Net : il réduit l'image pour voir le chat en entier, puis l'agrandit à nouveau, avec des raccourcis qui
    gardent les détails.
    """),
    code("""
    make_generator(SEED)      # a clear message if SEED is not a whole number
    torch.manual_seed(SEED)   # first weights and batches are random: seeded, the lesson repeats exactly
    run = make_run("cats")    # an untrained network, its schedule and its optimizer
    c = run.model.config
    print(message("nb02_unet", size=c.size, millions=decimal(run.model.num_parameters() / 1e6),
                  prediction=c.prediction))
    kind = message("nb01_" + run.schedule.kind)
    print(message("nb01_schedule", kind=kind, T=run.schedule.T, last=run.schedule.T - 1))
    """),
    code("""
    images, _ = procedural_cats(N_IMAGES, 32)        # the training set: uint8 (N_IMAGES, 3, 32, 32)
    x0 = random_batch(images, 8, flip=False)         # 8 random cats, in [-1, 1]
    generator = make_generator(SEED)
    t = torch.randint(0, run.schedule.T, (8,), generator=generator)   # a random step for each cat
    eps = torch.randn(x0.shape, generator=generator)                  # fresh Gaussian noise
    xt = run.schedule.add_noise(x0, t, eps)                           # lesson 1's formula (eq. 4)
    print("t =", t.tolist())
    display(grid(torch.cat([x0, eps / 3, xt]), nrow=8, scale=4))
    """),
    md("""
    Top row: the cats without noise, `x0`. Middle: the noise `eps` (divided by 3 to fit on screen). Bottom: `x_t`, what
    the network is given, along with `t`.

    **What must it predict?** In the DDPM paper the network predicts the noise `eps`; ours predicts the cat without
    noise, `x0`.
    Knowing `x_t` and `t`, the two are equivalent: eq. 4 turns one into the other,

    $$x_0 = \\frac{x_t - \\sqrt{1 - \\bar\\alpha_t}\\,\\varepsilon}{\\sqrt{\\bar\\alpha_t}}
    \\qquad\\qquad \\varepsilon = \\frac{x_t - \\sqrt{\\bar\\alpha_t}\\,x_0}{\\sqrt{1 - \\bar\\alpha_t}}$$

    On our cats, predicting `x0` gives recognisable pictures much earlier in training.
    """, """
    Rangée du haut : les chats sans bruit, `x0`. Au milieu : le bruit `eps` (divisé par 3 pour tenir à l'écran). En
    bas : `x_t`, ce que reçoit le réseau, avec `t`.

    **Que doit-il prédire ?** Dans l'article DDPM, le réseau prédit le bruit `eps` ; le nôtre prédit le chat sans
    bruit, `x0`. Connaissant `x_t` et `t`, les deux se valent : l'éq. 4 transforme l'un en l'autre,

    $$x_0 = \\frac{x_t - \\sqrt{1 - \\bar\\alpha_t}\\,\\varepsilon}{\\sqrt{\\bar\\alpha_t}}
    \\qquad\\qquad \\varepsilon = \\frac{x_t - \\sqrt{\\bar\\alpha_t}\\,x_0}{\\sqrt{1 - \\bar\\alpha_t}}$$

    Sur nos chats, prédire `x0` donne des images reconnaissables bien plus tôt dans l'entraînement.
    """),
    code("""
    print(message("nb02_predicts", prediction=run.model.config.prediction))
    assert torch.allclose(run.schedule.predict_eps(xt, t, x0), eps, atol=1e-3)
    # dividing by a tiny sqrt(alpha_bar) near t = T-1 magnifies rounding errors, hence the looser check
    assert torch.allclose(run.schedule.predict_x0(xt, t, eps), x0, atol=1e-2)
    """),
    md("""
    ## 2. The loss, in five lines
    Training repeats one recipe (Ho et al. 2020, Algorithm 1) on a batch of cats without noise, `x0`. Its steps are
    numbered as in the code below:
    1. pick a random `t` for each cat;
    2. draw fresh Gaussian noise `eps`;
    3. jump straight to `x_t` (eq. 4);
    4. ask the network for its guess;
    5. score the guess by its mean squared error.
    """, """
    ## 2. La perte, en cinq lignes
    L'entraînement répète une seule recette (Ho et al. 2020, algorithme 1) sur un lot de chats sans bruit, `x0`. Ses
    étapes sont numérotées comme dans le code ci-dessous :
    1. tirer un `t` au hasard pour chaque chat ;
    2. tirer un bruit gaussien neuf `eps` ;
    3. sauter directement à `x_t` (éq. 4) ;
    4. demander sa prédiction au réseau ;
    5. noter cette prédiction par son erreur quadratique moyenne.
    """),
    code("""
    print(inspect.getsource(diffusion_loss))
    """),
    code("""
    torch.manual_seed(SEED)
    loss = diffusion_loss(run.model, run.schedule, x0)
    print(message("nb02_loss_untrained", loss=decimal(loss.item(), 4)))
    print(message("nb02_loss_grey", loss=decimal(x0.pow(2).mean().item(), 4)))
    """),
    md("""
    ## 3. Training, live
    `train` computes the loss, corrects the weights a little, and starts again, many times per second. Every
    `MONITOR_EVERY` steps the monitor redraws the loss curve and denoises **the same noise** with the network as it is:
    watch cats emerge. The ■ (interrupt) button stops cleanly and keeps what was learnt.

    To get cats in one minute, this live run uses two tricks that section 6 explains: a **smaller world** (cat
    portraits only, one pose instead of four) and **compressed pictures**, as in Stable Diffusion (it denoises latents
    of 4 × 8 × 8 numbers, and a decoder draws the pictures). With `TRAIN_FROM_SCRATCH = True` you get the plain version
    instead: the network of section 1, on the pixels of all the cats, for `MINUTES` minutes.
    """, """
    ## 3. L'entraînement, en direct
    `train` calcule la perte, corrige un peu les poids, puis recommence, plusieurs fois par seconde. Toutes les
    `MONITOR_EVERY` étapes, le moniteur redessine la courbe de perte et débruite **le même bruit** avec le réseau tel
    qu'il est : on voit les chats apparaître. Le bouton ■ (interrompre) arrête proprement et garde ce qui a été appris.

    Pour obtenir des chats en une minute, cet entraînement utilise deux astuces, expliquées dans la partie 6 : un
    **monde plus petit** (des portraits de chats seulement, une pose au lieu de quatre) et des **images compressées**,
    comme dans Stable Diffusion (le réseau débruite des latents de 4 × 8 × 8 nombres, et un décodeur redessine les
    images). Avec `TRAIN_FROM_SCRATCH = True`, vous obtenez la version simple : le réseau de la partie 1, sur les pixels
    de tous les chats, pendant `MINUTES` minutes.
    """),
    code("""
    torch.manual_seed(SEED)  # a fresh network, the same every time this cell runs
    if TRAIN_FROM_SCRATCH:   # the plain version: pixels, all cats, saved for lesson 3
        run, pictures, seconds = make_run("cats"), images, MINUTES * 60
    else:                    # a smaller world, in latent space
        run = make_run("latent-cats", dataset=LIVE_WORLD)   # it records its world: the meter compares with that one
        pictures, seconds = load_dataset(LIVE_WORLD, 32, N_IMAGES), LIVE_SECONDS   # drawn and encoded once, then cached
    monitor = training_monitor(n=4, steps=8, seed=SEED)
    train(run, pictures, steps=MAX_STEPS, minutes=seconds / 60, on_step=monitor, every=MONITOR_EVERY,
          checkpoint=MY_CHECKPOINT if TRAIN_FROM_SCRATCH else None)
    recent = run.losses[-50:]
    mean_loss = decimal(sum(recent) / len(recent), 4)
    print(message("nb02_trained", steps=run.step, seconds=run.seconds, last=len(recent), loss=mean_loss))
    """),
    md("""
    On our 2-core test machine, one minute gives blurry cat portraits: about 12 in 16 are clearly cats. A laptop
    without bf16 (a shorter number format that recent processors compute faster) makes fewer steps in that minute:
    blurrier cats. The whole time-lapse as an animation (it stays in the saved notebook, ready for a presentation):
    """, """
    Sur notre machine de test à 2 cœurs, une minute donne des portraits de chats flous : environ 12 sur 16 sont
    nettement des chats. Un portable sans bf16 (un format de nombres plus court, que les processeurs récents calculent
    plus vite) fait moins d'étapes dans la même minute : ses chats sont plus flous. Tout le film accéléré, en animation
    (il reste dans le notebook enregistré, prêt pour un exposé) :
    """),
    code("""
    frames = [label(grid(cats, nrow=4, scale=4), message("nb02_gif_step", step=step))
              for step, cats in monitor.snapshots]
    display(gif_html(frames, seconds_per_frame=0.5))
    """),
    md("""
    ## 4. ▶ The shipped denoiser
    The rest of this lesson, and lesson 3, use the plain version: a denoiser on the pixels of cats in all four poses,
    the network of section 1. A few minutes of such training on a laptop gives rough cats. On our 2-core test machine:
    after 1 minute, blobs in fur colours on the right backgrounds; after 3 minutes, about a third are cats; after 6
    minutes, most are. **The next cell loads the denoiser we trained for you** (same network, same code, trained much
    longer), so the rest works even in a short lesson. With `TRAIN_FROM_SCRATCH = True` it keeps your own network
    instead, and the plot shows your loss curve beside ours.
    """, """
    ## 4. ▶ Le débruiteur fourni
    La suite de cette séance, et la séance 3, utilisent la version simple : un débruiteur qui travaille sur les pixels
    de chats dans les quatre poses, le réseau de la partie 1. Quelques minutes d'un tel entraînement sur un portable
    donnent des chats grossiers. Sur notre machine de test à 2 cœurs : après 1 minute, des taches couleur pelage sur
    les bons fonds ; après 3 minutes, environ un tiers sont des chats ; après 6 minutes, la plupart. **La cellule
    suivante charge le débruiteur que nous avons entraîné pour vous** (même réseau, même code, entraîné bien plus
    longtemps) : la suite fonctionne même si la séance est courte. Avec `TRAIN_FROM_SCRATCH = True`, elle garde votre
    réseau, et le graphique montre votre courbe de perte à côté de la nôtre.
    """),
    code("""
    # ▶▶ SHORT LESSON: this cell loads the shipped, fully trained denoiser (unless TRAIN_FROM_SCRATCH) ◀◀
    if TRAIN_FROM_SCRATCH:
        model, schedule = run.ema, run.schedule     # the network you trained (its averaged weights)
    else:
        model, schedule = load_model(CHECKPOINT)    # a clear message if the file is missing
    c = model.config
    print(message("nb02_unet", size=c.size, millions=decimal(model.num_parameters() / 1e6), prediction=c.prediction))
    """),
    code("""
    state = load_checkpoint(CHECKPOINT)
    print(message("nb02_shipped", steps=state["step"], minutes=state["seconds"] / 60))
    plt.figure(figsize=(8, 3))
    first = state["step"] - len(state["losses"])   # the checkpoint keeps the last losses only
    plt.plot(range(first, state["step"]), state["losses"], color="lightgray", label=message("nb02_legend_shipped"))
    if TRAIN_FROM_SCRATCH:   # a latent run's loss is measured on latents, not pixels: it would not compare
        plt.plot(run.losses, color="crimson", label=message("nb02_legend_mine"))
    plt.xlabel(message("nb02_axis_step"))
    plt.ylabel(message("nb02_axis_loss"))
    plt.yscale("log")
    plt.legend()
    plt.show()
    """),
    md("""
    ## 5. The denoiser's guess
    We noise a cat the network has **never seen** (drawn with another seed) to several levels `t`, and ask for its
    guess of the cat without noise. Top row: `x_t`. Bottom row: the guess `x0_pred`.
    """, """
    ## 5. Ce que devine le débruiteur
    On bruite un chat que le réseau n'a **jamais vu** (tiré avec une autre graine) à plusieurs niveaux `t`, et on lui
    demande de deviner le chat sans bruit. En haut : `x_t`. En bas : sa prédiction `x0_pred`.
    """),
    code("""
    ts = schedule.check_t(T_SHOWN)                        # a clear message if a step is outside [0, T-1]
    new_cat = to_model_range(procedural_cats(1, 32, seed=1)[0])         # (1, 3, 32, 32), not in the training set
    eps = torch.randn((len(ts), 3, 32, 32), generator=make_generator(SEED))
    xt = schedule.add_noise(new_cat.expand(len(ts), -1, -1, -1), ts, eps)   # (len(ts), 3, 32, 32)
    with torch.no_grad():
        x0_pred = torch.cat([predict(model, schedule, xt[i:i + 1], t)[1] for i, t in enumerate(ts.tolist())])
    print("t =", ts.tolist())
    display(grid(torch.cat([xt, x0_pred]), nrow=len(ts), scale=5))
    """),
    md("""
    With little noise the guess is almost perfect. With a lot, it is a blurry "average cat": many different cats could
    hide behind that noise, and the best guess in squared error is their average. That is why generating a picture
    takes many steps, each one only a little less noisy: the subject of lesson 3.
    """, """
    Avec peu de bruit, la prédiction est presque parfaite. Avec beaucoup, c'est un « chat moyen » flou : beaucoup de
    chats différents pourraient se cacher sous ce bruit, et la meilleure réponse au sens de l'erreur quadratique est
    leur moyenne. C'est pour cela que générer une image demande de nombreuses étapes, chacune un peu moins bruitée : le
    sujet de la séance 3.
    """),
    md("""
    ## 6. How Stable Diffusion goes fast
    The denoiser of sections 4 and 5 works on the pixels themselves: 3 × 32 × 32 = 3,072 numbers per picture.
    **Stable Diffusion does not.** A second network, the **autoencoder**, was trained once to squeeze each picture into
    a small **latent** (its *encoder*) and to draw the picture back from it (its *decoder*). The denoiser then learns
    and draws in the latent space, and the decoder turns its result into a picture. Ours squeezes a cat into
    4 × 8 × 8 = 256 numbers:
    """, """
    ## 6. Comment Stable Diffusion va vite
    Le débruiteur des parties 4 et 5 travaille sur les pixels eux-mêmes : 3 × 32 × 32 = 3 072 nombres par image.
    **Stable Diffusion, non.** Un second réseau, l'**autoencodeur**, a appris une fois pour toutes à comprimer chaque
    image en un petit **latent** (son *encodeur*) et à redessiner l'image à partir de lui (son *décodeur*). Le
    débruiteur apprend et dessine alors dans l'espace latent, et le décodeur transforme son résultat en image. Le
    nôtre comprime un chat en 4 × 8 × 8 = 256 nombres :
    """),
    code("""
    autoencoder = load_autoencoder()                  # data/autoencoder.pt, trained once on all seven categories
    cat = to_model_range(procedural_cats(1, 32, seed=1)[0])   # (1, 3, 32, 32), a cat it never saw
    with torch.no_grad():
        z = autoencoder.encode(cat)                   # (1, 4, 8, 8): the latent
        redrawn = autoencoder.decode(z)               # (1, 3, 32, 32): the picture drawn back from it
    display(side_by_side([cat[0], latent_channels(z[0]), redrawn[0]],
                         [message("nb02_picture"), message("nb02_latent"), message("nb02_redrawn")], scale=5))
    print(message("nb02_numbers", picture=cat.numel(), latent=z.numel(), ratio=cat.numel() // z.numel()))
    """),
    md("""
    The grey squares are the latent's 4 channels, each 8 × 8. They are not a small picture: they are numbers that only
    the decoder knows how to read. The redrawn cat is nearly the original, with 12 times fewer numbers. Stable
    Diffusion does the same at a larger scale: 512 × 512 × 3 = 786,432 numbers become a latent of
    64 × 64 × 4 = 16,384, 48 times fewer.

    **The run you watched in section 3 was a latent one** (with the default settings). What do the latents buy? Each
    layer of a denoiser does its work at every position: the latent one has 8 × 8 = 64 positions, the pixel one
    16 × 16 = 256 (it reads the picture in squares of 2 × 2 pixels). So the latent denoiser, although 1.5 times wider,
    costs about half the operations per picture, and on our 2-core test machine it sees about twice as many pictures
    per minute as the pixel one. And it no longer has to learn the edges and the eyes: the decoder draws them.
    """, """
    Les carrés gris sont les 4 canaux du latent, de 8 × 8 chacun. Ce n'est pas une petite image : ce sont des nombres
    que seul le décodeur sait lire. Le chat redessiné est presque l'original, avec 12 fois moins de nombres. Stable
    Diffusion fait la même chose en plus grand : 512 × 512 × 3 = 786 432 nombres deviennent un latent de
    64 × 64 × 4 = 16 384, 48 fois moins.

    **L'entraînement que vous avez regardé à la partie 3 était latent** (avec les réglages par défaut). Qu'y
    gagne-t-on ? Chaque couche d'un débruiteur travaille à chaque position : le débruiteur latent en a 8 × 8 = 64,
    celui qui travaille sur les pixels 16 × 16 = 256 (il lit l'image par carrés de 2 × 2 pixels). Le débruiteur
    latent, bien qu'une fois et demie plus large, demande donc environ deux fois moins d'opérations par image, et sur
    notre machine de test à 2 cœurs il voit environ deux fois plus d'images par minute que celui des pixels. Et il n'a
    plus à apprendre les contours ni les yeux : c'est le décodeur qui les dessine.
    """),
    md("""
    The second trick is ours, not Stable Diffusion's: a **smaller world**. Top row: the world of section 3, cat
    portraits only. Bottom row: the full world, cats in all four poses.
    """, """
    La seconde astuce est la nôtre, pas celle de Stable Diffusion : un **monde plus petit**. En haut, le monde de la
    partie 3 : des portraits de chats, rien d'autre. En bas, le monde complet : des chats dans les quatre poses.
    """),
    code("""
    portraits = load_dataset("cat-faces", 32, 8)         # uint8 (8, 3, 32, 32): the smaller world
    display(grid(to_model_range(torch.cat([portraits, images[:8]])), nrow=8, scale=4))
    """),
    md("""
    One pose instead of four is less to learn: in one minute the network draws recognisable portraits, while cats in
    all four poses need several minutes. **More variety needs more training.** Stable Diffusion cannot shrink its
    world, since it must draw anything you ask for: hence its billions of pictures and its weeks of computing on
    hundreds of graphics cards.
    """, """
    Une pose au lieu de quatre, c'est moins à apprendre : en une minute, le réseau dessine des portraits
    reconnaissables, alors que des chats dans les quatre poses demandent plusieurs minutes. **Plus le monde est varié,
    plus il faut d'entraînement.** Stable Diffusion ne peut pas réduire son monde, puisqu'il doit dessiner tout ce
    qu'on lui demande : d'où ses milliards d'images et ses semaines de calcul sur des centaines de cartes graphiques.
    """),
    md("""    ## Summary
    - The network gets `(x_t, t)` and predicts the picture without noise, `x0` (or, equivalently, the noise `eps`).
    - The loss is five lines: random `t`, fresh noise, one jump with eq. 4, mean squared error.
    - Training does this thousands of times, correcting the weights each time; the loss falls, and the same noise
      turns into cats.
    - A single guess from heavy noise is blurry: denoising must go step by step.
    - Two tricks give cats in one minute. Compressed pictures, as in Stable Diffusion: the denoiser works on latents
      with 12 times fewer numbers, and a decoder draws the picture. And a smaller world: more variety needs more
      training.

    ## Exercises
    1. Set `TRAIN_FROM_SCRATCH = True` and run the notebook again from the settings. Compare your 3-minute network's
       guesses with the shipped one's.

    <details><summary>Answer</summary>

    Your loss ends higher, and your guesses are blurrier, especially at large `t`: the shipped network trained far
    longer. Your network is saved in `runs/my_cats.pt`; lesson 3 can load it.
    </details>

    2. Set `CHECKPOINT = "missing.pt"`. What happens?

    <details><summary>Answer</summary>

    `load_model` stops with a one-sentence message: there is no weights file (*checkpoint*) at that path, and here
    is how to make one.
    </details>

    3. Why pick one random `t` per image rather than training on all `T` steps of every image?

    <details><summary>Answer</summary>

    The loss we want is an average over all `t`. A random `t` per image gives an estimate of that average that is
    right on average (unbiased), at a thousandth of the cost, and over thousands of steps every `t` gets its turn.
    </details>

    4. Train a network that predicts the noise instead: in the training cell, make the latent run with
       `make_run("latent-cats", dataset=LIVE_WORLD, model={"prediction": "eps"})`. Compare the time-lapses after the
       same minute.

    <details><summary>Answer</summary>

    With `eps`, fewer pictures are cats, and they are blotchier: to get `x0` the sampler divides by
    `sqrt(alpha_bar[t])`, which is tiny at large `t` and magnifies every mistake.
    </details>

    5. Set `LIVE_WORLD = "cats"`: the live run then learns all the cats, in four poses, instead of portraits only. Run
       the notebook again from the settings and compare its time-lapse with the portraits' one, after the same minute.

    <details><summary>Answer</summary>

    After the same minute, cat-coloured blobs with ears, not yet cats: the network made as many steps, but had four
    poses to learn instead of one. More variety needs more training. That is why the shipped denoiser, which draws
    every pose, trained for more than half an hour.
    </details>

    """, """    ## À retenir
    - Le réseau reçoit `(x_t, t)` et renvoie (prédit) l'image sans bruit `x0` (ou, ce qui revient au même, le bruit
      `eps`).
    - La perte tient en cinq lignes : `t` au hasard, bruit neuf, un saut avec l'éq. 4, erreur quadratique moyenne.
    - L'entraînement recommence des milliers de fois, en corrigeant les poids à chaque fois ; la perte baisse, et le
      même bruit devient des chats.
    - Une seule prédiction à partir de beaucoup de bruit est floue : il faut débruiter pas à pas.
    - Deux astuces donnent des chats en une minute. Des images compressées, comme dans Stable Diffusion : le
      débruiteur travaille sur des latents qui ont 12 fois moins de nombres, et un décodeur redessine l'image. Et un
      monde plus petit : plus le monde est varié, plus il faut d'entraînement.

    ## Exercices
    1. Mettez `TRAIN_FROM_SCRATCH = True` et relancez le notebook depuis les réglages. Comparez les prédictions de
       votre réseau (3 minutes) à celles du réseau fourni.

    <details><summary>Réponse</summary>

    Votre perte finit plus haut et vos prédictions sont plus floues, surtout pour les grands `t` : le réseau fourni
    s'est entraîné bien plus longtemps. Votre réseau est enregistré dans `runs/my_cats.pt` ; la séance 3 peut le
    charger.
    </details>

    2. Mettez `CHECKPOINT = "missing.pt"`. Que se passe-t-il ?

    <details><summary>Réponse</summary>

    `load_model` s'arrête avec une phrase claire : il n'y a pas de fichier de poids (*checkpoint*) à cet endroit, et
    voici comment en fabriquer un.
    </details>

    3. Pourquoi tirer un seul `t` au hasard par image, au lieu d'entraîner sur les `T` étapes de chaque image ?

    <details><summary>Réponse</summary>

    La perte visée est une moyenne sur tous les `t`. Un `t` au hasard par image en donne une estimation juste en
    moyenne (sans biais), pour un millième du coût, et sur des milliers d'étapes chaque `t` a son tour.
    </details>

    4. Entraînez un réseau qui prédit le bruit : dans la cellule d'entraînement, créez le réseau latent avec
       `make_run("latent-cats", dataset=LIVE_WORLD, model={"prediction": "eps"})`. Comparez les films accélérés après
       la même minute.

    <details><summary>Réponse</summary>

    Avec `eps`, moins d'images sont des chats, et elles sont plus barbouillées : pour obtenir `x0`, l'échantillonneur
    divise par `sqrt(alpha_bar[t])`, minuscule pour les grands `t`, ce qui amplifie chaque erreur.
    </details>

    5. Mettez `LIVE_WORLD = "cats"` : l'entraînement en direct apprend alors tous les chats, dans les quatre poses, et
       plus seulement des portraits. Relancez le notebook depuis les réglages et comparez son film accéléré à celui
       des portraits, après la même minute.

    <details><summary>Réponse</summary>

    Après la même minute, des taches couleur pelage avec des oreilles, pas encore des chats : le réseau a fait autant
    d'étapes, mais il avait quatre poses à apprendre au lieu d'une. Plus le monde est varié, plus il faut
    d'entraînement. C'est pour cela que le débruiteur fourni, qui dessine toutes les poses, s'est entraîné plus
    d'une demi-heure.
    </details>

    """),
]
