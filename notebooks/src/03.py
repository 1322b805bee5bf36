"""Lesson 3: hallucinating cats (sampling). Rebuild the notebooks with `python notebooks/build.py`."""
from build import COLAB, FAST, LANGUAGE, SETTINGS, code, md

NAMES = {"en": "03_hallucinating_cats", "fr": "03_halluciner_des_chats"}

CELLS = [
    md("""
    # 3 · Hallucinating cats
    *Going further, lesson 3: generating pictures from pure noise.*

    Our denoiser has only ever learnt to clean up noisy cats. Give it **pure random pixels**, pretend they are a very
    noisy cat, and let it clean them up step by step: a cat appears that was never in the training set.

    **Goals**
    - start from random pixels and watch the denoising, step by step;
    - compare two samplers: DDPM (all 1000 steps) and DDIM (a few big steps), with measured times;
    - see that different seeds give different cats;
    - check that **this cat does not exist**: the model does not copy its training pictures;
    - export the animation as a GIF for a presentation.
    """, """
    # 3 · Halluciner des chats
    *Pour aller plus loin, séance 3 : générer des images à partir de bruit pur.*

    Notre débruiteur n'a appris qu'à nettoyer des chats bruités. Donnons-lui des **pixels purement aléatoires**,
    faisons comme si c'était un chat très bruité, et laissons-le nettoyer pas à pas : un chat apparaît, qui n'a jamais
    fait partie des images d'entraînement.

    **Objectifs**
    - partir de pixels au hasard et suivre le débruitage, étape par étape ;
    - comparer deux échantillonneurs : DDPM (les 1000 étapes) et DDIM (quelques grands pas), chronomètre en main ;
    - voir que des graines différentes donnent des chats différents ;
    - vérifier que **ce chat n'existe pas** : le modèle ne recopie pas ses images d'entraînement ;
    - exporter l'animation en GIF pour un exposé.
    """),
    COLAB,
    code(f"""
    import inspect
    import os
    from pathlib import Path

    import torch
    from IPython.display import display

    from diffusion_lab import (denoise, explain_missing_names, load_model, sample, set_language, shipped_checkpoint,
                               to_model_range)
    from diffusion_lab.data import nearest_neighbours, procedural_cats
    from diffusion_lab.messages import decimal, message
    from diffusion_lab.sample import ddim_sampler, make_generator, timed_sample
    from diffusion_lab.viz import denoising_frames, grid, save_gif, side_by_side
    from diffusion_lab.widgets import denoise_player, gif_html
    {LANGUAGE}"""),
    SETTINGS,
    code(f"""
    {FAST}
    CHECKPOINT = shipped_checkpoint()   # the shipped denoiser; yours from lesson 2: "runs/my_cats.pt"
    SEED = 0                            # which random pixels we start from: any whole number
    N = 4 if FAST else 16               # cats per grid
    DDIM_STEPS = 4 if FAST else 50      # DDIM: a few big steps
    DDPM_STEPS = 10 if FAST else 1000   # DDPM: every one of the T steps
    TIMED_N = 2 if FAST else 8          # cats drawn by each sampler when the two are timed (DDPM is slow)
    SEEDS = [0, 1, 2, 3]                # one row of cats per seed
    N_NEIGHBOURS = 3                    # training cats shown beside each new cat
    N_TRAINING = 256 if FAST else None  # training cats searched (None: the whole set the denoiser learnt from)
    GIF_PATH = "runs/denoising.gif"     # the animation, for a presentation
    """),
    code("""
    model, schedule = load_model(CHECKPOINT)   # a clear message if the file is missing or is not a checkpoint
    c = model.config
    print(message("nb02_unet", size=c.size, millions=decimal(model.num_parameters() / 1e6), prediction=c.prediction))
    print(message("nb01_schedule", kind=message("nb01_" + schedule.kind), T=schedule.T, last=schedule.T - 1))
    """),
    md("""
    ## 1. Start from random pixels
    Pure noise: every pixel is drawn at random from a normal (Gaussian) distribution, mean 0 and standard deviation 1.
    That is exactly what a cat looks like at the last step of lesson 1, `t = T - 1 = 999`.
    """, """
    ## 1. Partir de pixels au hasard
    Du bruit pur : chaque pixel est tiré au hasard selon une loi normale (gaussienne), de moyenne 0 et d'écart-type 1.
    C'est exactement ce à quoi ressemble un chat à la dernière étape de la séance 1, `t = T - 1 = 999`.
    """),
    code("""
    x = torch.randn((N, c.channels, c.size, c.size), generator=make_generator(SEED))   # (N, 3, 32, 32)
    display(grid(x, nrow=N, scale=4))
    """),
    md("""
    ## 2. Denoise, step by step
    At each step the network guesses the cat without noise, `x0_pred`. The sampler then moves to a slightly less noisy
    picture: it keeps the guess, plus the right amount of the noise it saw. This is DDIM (Song et al. 2021, eq. 12).
    The steps are numbered as in the library's code below:
    - **1, 2.** `predict` gives the noise `eps_pred` and the guess `x0_pred`;
    - **3.** step to the next, less noisy `t`: keep `x0_pred`, and point towards the same noise;
    - **4.** add fresh noise only if `eta > 0` (never at the last step).
    """, """
    ## 2. Débruiter, pas à pas
    À chaque étape, le réseau devine le chat sans bruit, `x0_pred`. L'échantillonneur passe alors à une image un peu
    moins bruitée : il garde la prédiction, plus la bonne dose du bruit qu'il a vu. C'est DDIM (Song et al. 2021,
    éq. 12). Les étapes sont numérotées comme dans le code de la bibliothèque, ci-dessous :
    - **1, 2.** `predict` donne le bruit `eps_pred` et la prédiction `x0_pred` ;
    - **3.** passer au `t` suivant, moins bruité : garder `x0_pred` et repartir dans la direction du même bruit ;
    - **4.** ajouter un bruit neuf seulement si `eta > 0` (jamais au dernier pas).
    """),
    code("""
    print(inspect.getsource(ddim_sampler))
    """),
    code("""
    steps = list(denoise(model, schedule, n=1, steps=DDIM_STEPS, sampler="ddim", seed=SEED))
    print(message("nb03_visited", n=len(steps), ts=[step.t for step in steps]))
    picked = steps[:: max(1, len(steps) // 6)] + steps[-1:]
    display(grid(torch.cat([s.xt for s in picked] + [s.x0_pred for s in picked]), nrow=len(picked), scale=4))
    """),
    md("""
    Top row: the picture `x_t` as the sampler goes. Bottom row: the network's guess `x0_pred` at the same moment.
    The guess is blurry at first (lesson 2) and sharpens as the noise goes. Press ▶ to play it:
    """, """
    En haut : l'image `x_t` au fil de l'échantillonnage. En bas : la prédiction du réseau, `x0_pred`, au même moment.
    Elle est floue au début (séance 2) et se précise à mesure que le bruit s'en va. Appuyez sur ▶ pour la lecture :
    """),
    code("""
    denoise_player(steps, schedule)
    """),
    md("""
    The middle panel, `eps_pred`, is the noise that the guess implies,
    `(x_t - sqrt(alpha_bar) x0_pred) / sqrt(1 - alpha_bar)`. On the last steps it turns into bright confetti: almost no
    noise is left, so a tiny difference is divided by a tiny number and every small error is magnified. The picture does
    not suffer: our network predicts `x0`, and the sampler takes its step from that.
    """, """
    Le panneau du milieu, `eps_pred`, est le bruit qu'implique la prédiction,
    `(x_t - sqrt(alpha_bar) x0_pred) / sqrt(1 - alpha_bar)`. Aux dernières étapes, il devient des confettis vifs : il ne
    reste presque plus de bruit, on divise donc une toute petite différence par un tout petit nombre, et chaque petite
    erreur est amplifiée. L'image n'en souffre pas : notre réseau prédit `x0`, et l'échantillonneur fait son pas à
    partir de là.
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
        cats, seconds = timed_sample(model, schedule, TIMED_N, n_steps, sampler, seed=SEED)
        print(message("nb03_timed", sampler=sampler.upper(), steps=n_steps, seconds=decimal(seconds, 1), n=TIMED_N))
        display(grid(cats, nrow=TIMED_N, scale=4))
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
    Le réseau a-t-il simplement appris ses chats par cœur ? Pour chaque nouveau chat, on cherche les images
    d'entraînement les plus proches (distance entre les valeurs des pixels). Une copie aurait une voisine à une
    distance d'environ 0.
    """),
    code("""
    settings = model.settings                                           # what the denoiser was trained on
    training_set, _ = procedural_cats(N_TRAINING or settings.n_images, settings.model.size)
    new_cats = rows[0]
    distances, indices = nearest_neighbours(new_cats, training_set, k=N_NEIGHBOURS)
    for i in range(min(N, 4)):
        neighbours = to_model_range(training_set[indices[i]])          # (N_NEIGHBOURS, 3, 32, 32)
        titles = [message("nb03_new")] + [message("nb03_distance", d=decimal(d, 1)) for d in distances[i].tolist()]
        display(side_by_side([new_cats[i], *neighbours], titles, scale=4))
    """),
    md("""
    How far is "far"? Compare with the distance from a training cat to the training cat closest to it (other than
    itself):
    """, """
    Que veut dire « loin » ? Comparons avec la distance entre un chat d'entraînement et le chat d'entraînement le plus
    proche de lui (autre que lui-même) :
    """),
    code("""
    # the 1st is itself
    training_distances, _ = nearest_neighbours(to_model_range(training_set[:N]), training_set, k=2)
    print(message("nb03_new_to_training", d=decimal(distances[:, 0].mean().item(), 1)))
    print(message("nb03_training_to_training", d=decimal(training_distances[:, 1].mean().item(), 1)))
    """),
    md("""
    Our cats are drawn by the computer from a few choices: 8 coats, 4 eye colours, 3 ear shapes, 4 poses,
    10 backgrounds. A "new" cat is therefore almost always a combination the network has already seen, in a new
    position. The test shows that the network does not copy one picture; it does not show that it invents a new kind
    of cat.

    ## 6. A GIF for a presentation
    """, """
    Nos chats sont dessinés par l'ordinateur à partir de quelques choix : 8 pelages, 4 couleurs d'yeux, 3 formes
    d'oreilles, 4 poses, 10 fonds. Un « nouveau » chat est donc presque toujours une combinaison que le réseau a déjà
    vue, dans une position nouvelle. Le test montre que le réseau ne recopie pas une image ; il ne montre pas qu'il
    invente un chat d'un genre nouveau.

    ## 6. Un GIF pour un exposé
    """),
    code("""
    frames = denoising_frames(steps, scale=6, show_noise=True)   # x_t | eps_pred | x0_pred, one frame per step
    Path(GIF_PATH).parent.mkdir(parents=True, exist_ok=True)
    print(message("wrote", path=save_gif(frames, GIF_PATH)))
    display(gif_html(frames, seconds_per_frame=0.1))
    """),
    md("""
    ## Summary
    - Generating is denoising pure noise: at each step the network guesses the picture without noise and the sampler
      takes a step towards it.
    - DDPM uses all `T` steps and fresh noise; DDIM reaches similar cats in a few dozen deterministic steps, many times
      faster.
    - The seed chooses the starting noise, hence the cat.
    - The new cats are not copies of training pictures: their nearest training cats are about as far as training cats
      are from each other. But they are made of the same few coats, poses and backgrounds, often in a combination
      already seen.

    ## Exercises
    1. Try `DDIM_STEPS = 5`, `10` and `20`. From how many steps do the cats look right?

    <details><summary>Answer</summary>

    With very few steps the cats are blurry (each step rests on one guess made from heavy noise, as in lesson 2); from
    about 10 to 20 steps they are hard to tell apart from 50.
    </details>

    2. Run DDPM twice with the same seed. Same cats? Why, when DDPM adds fresh noise at every step?

    <details><summary>Answer</summary>

    Yes: the fresh noise comes from a random generator seeded with `SEED`, so it is the same noise each time. Change
    the seed and every intermediate noise changes too.
    </details>

    3. Set `CHECKPOINT = "runs/my_cats.pt"` after training your own network in lesson 2 (with
       `TRAIN_FROM_SCRATCH = True`). How do its cats compare?

    <details><summary>Answer</summary>

    Rougher shapes and muddier colours: three minutes of training is far less than the shipped denoiser had.
    </details>

    4. What would the nearest-neighbour distance be for a network that copied its training cats?

    <details><summary>Answer</summary>

    About 0: the copy and the original would have the same pixels. Our cats sit much further away, at roughly the
    distance between two different training cats.
    </details>
    """, """
    ## À retenir
    - Générer, c'est débruiter du bruit pur : à chaque étape, le réseau devine l'image sans bruit et l'échantillonneur
      fait un pas vers elle.
    - DDPM utilise les `T` étapes et du bruit neuf ; DDIM obtient des chats semblables en quelques dizaines de pas
      déterministes, bien plus vite.
    - La graine choisit le bruit de départ, donc le chat.
    - Les nouveaux chats ne sont pas des copies d'images d'entraînement : leurs plus proches voisins sont à peu près
      aussi loin que deux chats d'entraînement entre eux. Ils reprennent pourtant les mêmes pelages, poses et fonds,
      souvent dans une combinaison déjà vue.

    ## Exercices
    1. Essayez `DDIM_STEPS = 5`, `10` et `20`. À partir de combien de pas les chats sont-ils réussis ?

    <details><summary>Réponse</summary>

    Avec très peu de pas, les chats sont flous (chaque pas repose sur une seule prédiction faite à partir de beaucoup
    de bruit, comme à la séance 2) ; vers 10 à 20 pas, on les distingue mal de ceux à 50 pas.
    </details>

    2. Lancez DDPM deux fois avec la même graine. Mêmes chats ? Pourquoi, alors que DDPM ajoute un bruit neuf à chaque
       étape ?

    <details><summary>Réponse</summary>

    Oui : le bruit neuf vient d'un générateur aléatoire initialisé avec `SEED`, c'est donc le même bruit à chaque fois.
    Changez la graine, et tous les bruits intermédiaires changent aussi.
    </details>

    3. Mettez `CHECKPOINT = "runs/my_cats.pt"` après avoir entraîné votre réseau à la séance 2 (avec
       `TRAIN_FROM_SCRATCH = True`). Que donnent ses chats ?

    <details><summary>Réponse</summary>

    Des formes plus grossières et des couleurs plus ternes : trois minutes d'entraînement, c'est bien moins que ce qu'a
    eu le débruiteur fourni.
    </details>

    4. Quelle serait la distance au plus proche voisin pour un réseau qui recopierait ses chats d'entraînement ?

    <details><summary>Réponse</summary>

    Environ 0 : la copie et l'original auraient les mêmes pixels. Nos chats sont bien plus loin, à peu près à la
    distance qui sépare deux chats d'entraînement différents.
    </details>
    """),
]
