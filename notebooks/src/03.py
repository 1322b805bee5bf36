"""Lesson 3: hallucinating cats (sampling). Rebuild the notebooks with `python notebooks/build.py`."""
from build import COLAB, FAST, LANGUAGE, SETTINGS, code, md

NAMES = {"en": "03_hallucinating_cats", "fr": "03_halluciner_des_chats"}

CELLS = [
    md("""
    # 3 · Hallucinating cats
    *Diffusion models, lesson 3 of 3: generating pictures from pure noise.*

    Our denoiser has only ever learnt to clean up noisy cats. Give it **pure random pixels**, pretend they are a very
    noisy cat, and let it clean them up step by step: a cat appears that was never in the training set.

    **Goals**
    - start from random pixels and watch the denoising, step by step;
    - compare two samplers: DDPM (all 1000 steps) and DDIM (a few big steps), with measured times;
    - see that different seeds give different cats;
    - check that **this cat does not exist**: the model invents, it does not copy;
    - export the animation as a GIF for your slides.
    """, """
    # 3 · Halluciner des chats
    *Modèles de diffusion, séance 3 sur 3 : générer des images à partir de bruit pur.*

    Notre débruiteur n'a appris qu'à nettoyer des chats bruités. Donnons-lui des **pixels purement aléatoires**,
    faisons comme si c'était un chat très bruité, et laissons-le nettoyer pas à pas : un chat apparaît, qui n'a jamais
    fait partie des images d'entraînement.

    **Objectifs**
    - partir de pixels au hasard et suivre le débruitage, étape par étape ;
    - comparer deux échantillonneurs : DDPM (les 1000 étapes) et DDIM (quelques grands pas), chronomètre en main ;
    - voir que des graines différentes donnent des chats différents ;
    - vérifier que **ce chat n'existe pas** : le modèle invente, il ne recopie pas ;
    - exporter l'animation en GIF pour vos diapositives.
    """),
    COLAB,
    code(f"""
    import inspect
    import os
    from pathlib import Path

    import torch
    from IPython.display import display

    from diffusion_lab import denoise, load_checkpoint, load_model, sample, set_language
    from diffusion_lab.cli import default_checkpoint
    from diffusion_lab.data import nearest_neighbours, procedural_cats
    from diffusion_lab.sample import ddim_sampler, make_generator, timed_sample
    from diffusion_lab.train import to_model_range
    from diffusion_lab.viz import denoising_frames, grid, save_gif, side_by_side
    from diffusion_lab.widgets import denoise_player, gif_html
    {LANGUAGE}"""),
    SETTINGS,
    code(f"""
    {FAST}
    CHECKPOINT = default_checkpoint()   # the shipped denoiser; yours from lesson 2: "runs/my_cats.pt"
    SEED = 0                            # which random pixels we start from: any whole number
    N = 4 if FAST else 16               # cats per grid
    DDIM_STEPS = 4 if FAST else 50      # DDIM: a few big steps
    DDPM_STEPS = 10 if FAST else 1000   # DDPM: every one of the T steps
    SEEDS = [0, 1, 2, 3]                # one row of cats per seed
    N_NEIGHBOURS = 3                    # training cats shown beside each new cat
    N_TRAINING = 256 if FAST else None  # training cats searched (None: the whole set the denoiser learnt from)
    GIF_PATH = "runs/denoising.gif"     # the animation for your slides
    """),
    code("""
    model, schedule = load_model(CHECKPOINT)   # a clear message if the file is missing or is not a checkpoint
    print(model)
    print(schedule)
    """),
    md("""
    ## 1. Start from random pixels
    Pure Gaussian noise, `x_T ~ N(0, I)`: exactly what a cat looks like at `t = T - 1` in lesson 1.
    """, """
    ## 1. Partir de pixels au hasard
    Du bruit gaussien pur, `x_T ~ N(0, I)` : exactement ce à quoi ressemble un chat à `t = T - 1` dans la séance 1.
    """),
    code("""
    c = model.config
    x = torch.randn((N, c.channels, c.size, c.size), generator=make_generator(SEED))   # (N, 3, 32, 32)
    display(grid(x, nrow=N, scale=4))
    """),
    md("""
    ## 2. Denoise, step by step
    At each step the network guesses the clean cat, `x0_pred`. The sampler then moves to a slightly less noisy picture:
    it keeps the guess, plus the right amount of the noise it saw. This is DDIM (Song et al. 2021, eq. 12); read the
    numbered steps in the package's code:
    """, """
    ## 2. Débruiter, pas à pas
    À chaque étape, le réseau devine le chat propre, `x0_pred`. L'échantillonneur passe alors à une image un peu moins
    bruitée : il garde la réponse, plus la bonne dose du bruit qu'il a vu. C'est DDIM (Song et al. 2021, éq. 12) ;
    lisez les étapes numérotées dans le code du paquet :
    """),
    code("""
    print(inspect.getsource(ddim_sampler))
    """),
    code("""
    steps = list(denoise(model, schedule, n=1, steps=DDIM_STEPS, sampler="ddim", seed=SEED))
    print(len(steps), "steps, visiting t =", [step.t for step in steps])
    picked = steps[:: max(1, len(steps) // 6)] + steps[-1:]
    display(grid(torch.cat([s.xt for s in picked] + [s.x0_pred for s in picked]), nrow=len(picked), scale=4))
    """),
    md("""
    Top row: the picture `x_t` as the sampler goes. Bottom row: the network's guess `x0_pred` at the same moment.
    The guess is blurry at first (lesson 2) and sharpens as the noise goes. Press ▶ to play it:
    """, """
    En haut : l'image `x_t` au fil de l'échantillonnage. En bas : la réponse du réseau `x0_pred` au même moment. La
    réponse est floue au début (séance 2) et se précise à mesure que le bruit s'en va. Appuyez sur ▶ pour la lecture :
    """),
    code("""
    denoise_player(steps, schedule)
    """),
    md("""
    The middle panel, `eps_pred`, is the noise that the guess implies, `(x_t - sqrt(alpha_bar) x0_pred) / sqrt(1 - alpha_bar)`.
    On the last steps it turns into bright confetti: almost no noise is left, so a tiny difference is divided by a tiny
    number and every small error is magnified. The picture does not suffer: our network answers `x0`, and the sampler
    takes its step from that.
    """, """
    Le panneau du milieu, `eps_pred`, est le bruit qu'implique la réponse, `(x_t - sqrt(alpha_bar) x0_pred) / sqrt(1 - alpha_bar)`.
    Aux dernières étapes, il devient des confettis vifs : il ne reste presque plus de bruit, on divise donc une toute
    petite différence par un tout petit nombre, et chaque petite erreur est amplifiée. L'image n'en souffre pas : notre
    réseau répond `x0`, et l'échantillonneur fait son pas à partir de là.
    """),
    md("""
    ## 3. DDPM or DDIM?
    - **DDPM** (Ho et al. 2020, Algorithm 2) visits all `T` steps and adds fresh noise at each one.
    - **DDIM** (Song et al. 2021) takes a few big, deterministic steps, reusing the noise the network saw.

    Same network, same starting noise: let us time them.
    """, """
    ## 3. DDPM ou DDIM ?
    - **DDPM** (Ho et al. 2020, algorithme 2) passe par les `T` étapes et ajoute un bruit neuf à chacune.
    - **DDIM** (Song et al. 2021) fait quelques grands pas, déterministes, en réutilisant le bruit vu par le réseau.

    Même réseau, même bruit de départ : chronométrons-les.
    """),
    code("""
    for sampler, n_steps in (("ddpm", DDPM_STEPS), ("ddim", DDIM_STEPS)):
        cats, seconds = timed_sample(model, schedule, N, n_steps, sampler, seed=SEED)
        print(f"{sampler.upper()}, {n_steps} steps: {seconds:.1f} s for {N} cats")
        display(grid(cats, nrow=N, scale=4))
    """),
    md("""
    ## 4. Different seeds, different cats
    The seed picks the starting noise. With DDIM the rest is deterministic: same seed, same cats.
    """, """
    ## 4. Graines différentes, chats différents
    La graine choisit le bruit de départ. Avec DDIM, tout le reste est déterministe : même graine, mêmes chats.
    """),
    code("""
    rows = [sample(model, schedule, N, DDIM_STEPS, "ddim", seed=seed) for seed in SEEDS]
    display(grid(torch.cat(rows), nrow=N, scale=4))
    again = sample(model, schedule, N, DDIM_STEPS, "ddim", seed=SEEDS[0])
    assert torch.allclose(rows[0], again, atol=1e-5)   # same seed, same cats
    """),
    md("""
    ## 5. This cat does not exist
    Has the network simply memorised its training cats? For each new cat we search the training set for the closest
    pictures (distance between pixel values). A copy would have a neighbour at distance about 0.
    """, """
    ## 5. Ce chat n'existe pas
    Le réseau a-t-il simplement appris ses chats par cœur ? Pour chaque nouveau chat, on cherche dans les images
    d'entraînement les plus proches (distance entre les valeurs des pixels). Une copie aurait une voisine à une
    distance d'environ 0.
    """),
    code("""
    settings = load_checkpoint(CHECKPOINT)["settings"]                  # what the denoiser was trained on
    training_set, _ = procedural_cats(N_TRAINING or settings["n_images"], settings["model"]["size"])
    new_cats = rows[0]
    distances, indices = nearest_neighbours(new_cats, training_set, k=N_NEIGHBOURS)
    for i in range(min(N, 4)):
        neighbours = to_model_range(training_set[indices[i]])          # (N_NEIGHBOURS, 3, 32, 32)
        titles = ["new"] + [f"d = {d:.1f}" for d in distances[i].tolist()]
        display(side_by_side([new_cats[i], *neighbours], titles, scale=4))
    """),
    md("""
    How far is "far"? Compare with the distance from a training cat to its nearest *other* training cat:
    """, """
    Que veut dire « loin » ? Comparons avec la distance entre un chat d'entraînement et son plus proche *autre* chat
    d'entraînement :
    """),
    code("""
    training_distances, _ = nearest_neighbours(to_model_range(training_set[:N]), training_set, k=2)   # the 1st is itself
    print(f"new cat -> nearest training cat:            {distances[:, 0].mean():.1f} on average")
    print(f"training cat -> nearest other training cat: {training_distances[:, 1].mean():.1f} on average")
    """),
    md("""
    ## 6. A GIF for your slides
    """, """
    ## 6. Un GIF pour vos diapositives
    """),
    code("""
    frames = denoising_frames(steps, scale=6, show_noise=True)   # x_t | eps_pred | x0_pred, one frame per step
    Path(GIF_PATH).parent.mkdir(parents=True, exist_ok=True)
    print(save_gif(frames, GIF_PATH))
    display(gif_html(frames, seconds_per_frame=0.1))
    """),
    md("""
    ## Summary
    - Generating is denoising pure noise: at each step the network guesses the clean picture and the sampler takes a
      step towards it.
    - DDPM uses all `T` steps and fresh noise; DDIM reaches similar cats in a few dozen deterministic steps, many times
      faster.
    - The seed chooses the starting noise, hence the cat.
    - The new cats are not copies: their nearest training cats are about as far as training cats are from each other.

    ## Exercises
    1. Try `DDIM_STEPS = 5`, `10` and `20`. From how many steps do the cats look right?
    <details><summary>Solution</summary>

    With very few steps the cats are blurry (each step is one guess from heavy noise, as in lesson 2); from about
    10 to 20 steps they are hard to tell apart from 50.
    </details>

    2. Run DDPM twice with the same seed. Same cats? Why, when DDPM adds fresh noise at every step?
    <details><summary>Solution</summary>

    Yes: the fresh noise comes from a random generator seeded with `SEED`, so it is the same noise each time. Change
    the seed and every intermediate noise changes too.
    </details>

    3. Set `CHECKPOINT = "runs/my_cats.pt"` after training your own network in lesson 2 (with
       `TRAIN_FROM_SCRATCH = True`). How do its cats compare?
    <details><summary>Solution</summary>

    Rougher shapes and muddier colours: three minutes of training is far less than the shipped denoiser had.
    </details>

    4. What would the nearest-neighbour distance be for a network that copied its training cats?
    <details><summary>Solution</summary>

    About 0: the copy and the original would have the same pixels. Our cats sit much further away, at roughly the
    distance between two different training cats.
    </details>
    """, """
    ## À retenir
    - Générer, c'est débruiter du bruit pur : à chaque étape le réseau devine l'image propre et l'échantillonneur fait
      un pas vers elle.
    - DDPM utilise les `T` étapes et du bruit neuf ; DDIM obtient des chats semblables en quelques dizaines de pas
      déterministes, bien plus vite.
    - La graine choisit le bruit de départ, donc le chat.
    - Les nouveaux chats ne sont pas des copies : leurs plus proches voisins sont à peu près aussi loin que deux chats
      d'entraînement entre eux.

    ## Exercices
    1. Essayez `DDIM_STEPS = 5`, `10` et `20`. À partir de combien de pas les chats sont-ils réussis ?
    <details><summary>Solution</summary>

    Avec très peu de pas, les chats sont flous (chaque pas est une seule réponse à partir de beaucoup de bruit, comme à
    la séance 2) ; vers 10 à 20 pas, on les distingue mal de ceux à 50 pas.
    </details>

    2. Lancez DDPM deux fois avec la même graine. Mêmes chats ? Pourquoi, alors que DDPM ajoute un bruit neuf à chaque
       étape ?
    <details><summary>Solution</summary>

    Oui : le bruit neuf vient d'un générateur aléatoire initialisé avec `SEED`, c'est donc le même bruit à chaque fois.
    Changez la graine, et tous les bruits intermédiaires changent aussi.
    </details>

    3. Mettez `CHECKPOINT = "runs/my_cats.pt"` après avoir entraîné votre réseau à la séance 2 (avec
       `TRAIN_FROM_SCRATCH = True`). Que donnent ses chats ?
    <details><summary>Solution</summary>

    Des formes plus grossières et des couleurs plus ternes : trois minutes d'entraînement, c'est bien moins que ce qu'a
    eu le débruiteur fourni.
    </details>

    4. Quelle serait la distance au plus proche voisin pour un réseau qui recopierait ses chats d'entraînement ?
    <details><summary>Solution</summary>

    Environ 0 : la copie et l'original auraient les mêmes pixels. Nos chats sont bien plus loin, à peu près à la
    distance qui sépare deux chats d'entraînement différents.
    </details>
    """),
]
