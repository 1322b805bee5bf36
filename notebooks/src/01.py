"""Lesson 1: noising cats (the forward process). Rebuild the notebooks with `python notebooks/build.py`."""
from build import COLAB, FAST, LANGUAGE, code, md

NAMES = {"en": "01_noising_cats", "fr": "01_bruiter_des_chats"}

CELLS = [
    md("""
    # 1 · Noising cats
    *Diffusion models, lesson 1 of 3: the forward process.*

    Image generators such as Stable Diffusion learn to **remove noise**. Before any learning there is the easy half of
    the job: **adding noise**, one small step at a time, until nothing is left of the picture but random pixels.

    **Goals**
    - noise a real photo (Chelsea the cat) and some procedural cats, step by step;
    - find the one-line formula that jumps straight to any step `t`, and check it against the package;
    - compare two noise schedules, linear and cosine, and say how much cat is left at each `t`.

    Run the cells in order with **Shift + Enter**.
    """, """
    # 1 · Bruiter des chats
    *Modèles de diffusion, séance 1 sur 3 : le processus direct.*

    Les générateurs d'images comme Stable Diffusion apprennent à **enlever du bruit**. Avant tout apprentissage, il y a
    la moitié facile du travail : **ajouter du bruit**, par petites touches, jusqu'à ce qu'il ne reste de l'image que des
    pixels au hasard.

    **Objectifs**
    - bruiter une vraie photo de chat (Chelsea) et des chats procéduraux, étape par étape ;
    - trouver la formule d'une ligne qui saute directement à n'importe quelle étape `t`, et la vérifier avec le paquet ;
    - comparer deux calendriers de bruit (*noise schedules*), linéaire et cosinus, et dire combien il reste de chat à chaque `t`.

    Exécutez les cellules dans l'ordre avec **Maj + Entrée**.
    """),
    COLAB,
    code(f"""
    import inspect
    import os
    from pathlib import Path

    import matplotlib.pyplot as plt
    import torch
    from IPython.display import display

    from diffusion_lab import NoiseSchedule, set_language
    from diffusion_lab.data import chelsea, procedural_cats
    from diffusion_lab.sample import make_generator
    from diffusion_lab.train import to_model_range
    from diffusion_lab.viz import grid, noise_strip
    from diffusion_lab.widgets import noise_slider
    {LANGUAGE}"""),
    md("""
    ## Settings
    Every knob of this notebook is here. Change one, then re-run the cells below it.
    """, """
    ## Réglages
    Tous les réglages de ce notebook sont ici. Changez-en un, puis ré-exécutez les cellules qui suivent.
    """),
    code(f"""
    {FAST}
    SEED = 0                  # which noise eps we draw: any whole number
    T = 1000                  # number of noise steps, t = 0 .. T-1
    SCHEDULE = "cosine"       # "cosine" (Nichol & Dhariwal 2021) or "linear" (Ho et al. 2020)
    PHOTO_SIZE = 32 if FAST else 96          # Chelsea's width in pixels
    N_CATS = 4                               # procedural cats to noise
    T_SHOWN = [0, 100, 250, 500, 750, 999]   # the steps pictured in the strips
    T_CHECK = 500                            # the step at which we check the formula
    """),
    md("""
    ## 1. The pictures
    For the computer a picture is a tensor of numbers of shape `(channels, height, width)`. Diffusion models work with
    pixel values between −1 and 1; the clean picture is called `x0`.
    """, """
    ## 1. Les images
    Pour l'ordinateur, une image est un tenseur de nombres de forme `(canaux, hauteur, largeur)`. Les modèles de
    diffusion travaillent avec des valeurs de pixels entre −1 et 1 ; l'image propre s'appelle `x0`.
    """),
    code("""
    x0_photo = to_model_range(chelsea(PHOTO_SIZE))   # (3, PHOTO_SIZE, PHOTO_SIZE), values in [-1, 1]
    cats, attributes = procedural_cats(N_CATS, 32)
    x0_cats = to_model_range(cats)                   # (N_CATS, 3, 32, 32)
    print(tuple(x0_photo.shape), f"min {x0_photo.min():.2f}, max {x0_photo.max():.2f}")
    print(attributes[0])
    display(grid(x0_photo[None], scale=3), grid(x0_cats, nrow=N_CATS, scale=6))
    """),
    md("""
    ## 2. One small step of noise
    At each step `t` we shrink the picture a little and add a little Gaussian noise `eps`:

    $$x_t = \\sqrt{\\alpha_t}\\, x_{t-1} + \\sqrt{\\beta_t}\\, \\varepsilon, \\qquad \\alpha_t = 1 - \\beta_t$$

    In the code: `xt = alpha[t].sqrt() * x + beta[t].sqrt() * eps`. The **schedule** chooses every `beta[t]`: tiny at first,
    larger at the end.
    """, """
    ## 2. Un petit pas de bruit
    À chaque étape `t`, on rétrécit un peu l'image et on ajoute un peu de bruit gaussien `eps` :

    $$x_t = \\sqrt{\\alpha_t}\\, x_{t-1} + \\sqrt{\\beta_t}\\, \\varepsilon, \\qquad \\alpha_t = 1 - \\beta_t$$

    Dans le code : `xt = alpha[t].sqrt() * x + beta[t].sqrt() * eps`. Le **calendrier** (*schedule*) fixe chaque
    `beta[t]` : minuscule au début, plus grand à la fin.
    """),
    code("""
    schedule = NoiseSchedule(T, SCHEDULE)
    print(schedule)
    print("first beta:", schedule.beta[:3].tolist())
    print("last beta: ", schedule.beta[-3:].tolist())
    """),
    code("""
    generator = make_generator(SEED)           # a SEED that is not a whole number stops here, with a clear message
    t_check = int(schedule.check_t(T_CHECK))   # and so does a step outside [0, T-1]
    x = x0_photo
    for t in range(t_check + 1):               # t_check + 1 small steps: x0 -> x_t
        eps = torch.randn(x.shape, generator=generator)
        x = schedule.alpha[t].sqrt() * x + schedule.beta[t].sqrt() * eps
    x_step_by_step = x
    display(grid(torch.stack([x0_photo, x_step_by_step]), scale=3))
    """),
    md("""
    ## 3. Jump straight to step t
    Small Gaussian steps add up to one Gaussian step. Multiplying the shrinking factors together,
    `alpha_bar[t] = alpha[0] * alpha[1] * ... * alpha[t]`, gives the formula that jumps from `x0` to `x_t` in one go
    (Ho et al. 2020, eq. 4):

    $$x_t = \\sqrt{\\bar\\alpha_t}\\, x_0 + \\sqrt{1 - \\bar\\alpha_t}\\, \\varepsilon$$

    Let us compute `alpha_bar` ourselves, then check both against the package.
    """, """
    ## 3. Sauter directement à l'étape t
    Plusieurs petits pas gaussiens font un seul pas gaussien. En multipliant les facteurs de rétrécissement,
    `alpha_bar[t] = alpha[0] * alpha[1] * ... * alpha[t]`, on obtient la formule qui saute de `x0` à `x_t` d'un coup
    (Ho et al. 2020, éq. 4) :

    $$x_t = \\sqrt{\\bar\\alpha_t}\\, x_0 + \\sqrt{1 - \\bar\\alpha_t}\\, \\varepsilon$$

    Calculons `alpha_bar` nous-mêmes, puis vérifions les deux avec le paquet.
    """),
    code("""
    alpha_bar = torch.cumprod(schedule.alpha.double(), dim=0)   # alpha[0] * alpha[1] * ... * alpha[t]
    assert torch.allclose(alpha_bar.float(), schedule.alpha_bar, rtol=1e-3, atol=1e-9)
    print(f"alpha_bar at t = {t_check}: {alpha_bar[t_check]:.4f}")
    """),
    code("""
    eps = torch.randn(x0_photo.shape, generator=make_generator(SEED))
    mine = (alpha_bar[t_check].sqrt() * x0_photo + (1 - alpha_bar[t_check]).sqrt() * eps).float()
    theirs = schedule.add_noise(x0_photo[None], t_check, eps[None])[0]   # the package works on batches (B, C, H, W)
    assert torch.allclose(mine, theirs, atol=1e-5)
    print(inspect.getsource(NoiseSchedule.add_noise))
    """),
    md("""
    The step-by-step picture and the jumped one used different draws of noise, so their pixels differ. But take away
    the cat that is left, `sqrt(alpha_bar[t]) * x0`: what remains is noise of the size the formula predicts.
    """, """
    L'image obtenue pas à pas et celle obtenue d'un saut n'ont pas utilisé les mêmes tirages de bruit : leurs pixels
    diffèrent. Mais retirons le chat qui reste, `sqrt(alpha_bar[t]) * x0` : ce qui reste est un bruit de la taille
    prévue par la formule.
    """),
    code("""
    leftover = x_step_by_step - alpha_bar[t_check].sqrt() * x0_photo   # should be pure noise
    print(f"noise std, step by step:              {leftover.std():.3f}")
    print(f"noise std, formula sqrt(1 - alpha_bar): {(1 - alpha_bar[t_check]).sqrt():.3f}")
    """),
    md("""
    ## 4. Watch the cat disappear
    From now on we use the package's `add_noise`. Each strip uses the **same** noise `eps` at every `t`.
    """, """
    ## 4. Regarder le chat disparaître
    Désormais, on utilise `add_noise` du paquet. Chaque bande utilise le **même** bruit `eps` à chaque `t`.
    """),
    code("""
    schedule.check_t(T_SHOWN)   # a clear message if a step is outside [0, T-1]
    make_generator(SEED)        # ... or if SEED is not a whole number
    display(noise_strip(x0_photo, schedule, T_SHOWN, seed=SEED, scale=2))
    display(noise_strip(x0_cats[0], schedule, T_SHOWN, seed=SEED, scale=4))
    """),
    md("""
    ## 5. How much cat is left?
    In $x_t = \\sqrt{\\bar\\alpha_t}\\, x_0 + \\sqrt{1 - \\bar\\alpha_t}\\, \\varepsilon$ the picture is multiplied by
    `sqrt(alpha_bar[t])`: that is **how much cat is left**, and `sqrt(1 - alpha_bar[t])` is how much noise there is.
    Their squares always add up to 1. The signal-to-noise ratio `snr(t) = alpha_bar[t] / (1 - alpha_bar[t])` says the
    same thing in one number.
    """, """
    ## 5. Combien reste-t-il de chat ?
    Dans $x_t = \\sqrt{\\bar\\alpha_t}\\, x_0 + \\sqrt{1 - \\bar\\alpha_t}\\, \\varepsilon$, l'image est multipliée par
    `sqrt(alpha_bar[t])` : c'est **ce qu'il reste du chat**, et `sqrt(1 - alpha_bar[t])` est la part du bruit. Leurs
    carrés font toujours 1 à eux deux. Le rapport signal sur bruit `snr(t) = alpha_bar[t] / (1 - alpha_bar[t])` dit la
    même chose en un seul nombre.
    """),
    code("""
    for t in schedule.check_t(T_SHOWN).tolist():
        signal, noise = schedule.alpha_bar[t].sqrt(), (1 - schedule.alpha_bar[t]).sqrt()
        print(f"t = {t:4d}   cat: {signal:6.1%}   noise: {noise:6.1%}   snr: {schedule.snr(t):10.4f}")
    """),
    md("""
    Now move the slider yourself: Chelsea (shrunk to 32 × 32) and the procedural cats, all noised to the same `t`.
    """, """
    À vous de bouger le curseur : la photo de Chelsea (réduite à 32 × 32) et les chats procéduraux, tous bruités au même `t`.
    """),
    code("""
    x0_all = torch.cat([to_model_range(chelsea(32))[None], x0_cats])   # (1 + N_CATS, 3, 32, 32)
    noise_slider(x0_all, schedule, seed=SEED)
    """),
    md("""
    ## 6. Two schedules: linear and cosine
    - **linear** (Ho et al. 2020): `beta[t]` grows in a straight line from 0.0001 to 0.02;
    - **cosine** (Nichol & Dhariwal 2021): `alpha_bar[t]` follows a quarter of a cosine, so the picture fades gently.
    """, """
    ## 6. Deux calendriers : linéaire et cosinus
    - **linéaire** (Ho et al. 2020) : `beta[t]` croît en ligne droite de 0,0001 à 0,02 ;
    - **cosinus** (Nichol & Dhariwal 2021) : `alpha_bar[t]` suit un quart de cosinus, et l'image s'efface en douceur.
    """),
    code("""
    schedules = {kind: NoiseSchedule(T, kind) for kind in ("linear", "cosine")}
    figure, (left, right) = plt.subplots(1, 2, figsize=(11, 3.8))
    for kind, s in schedules.items():
        left.plot(s.alpha_bar.sqrt(), label=kind, linewidth=3)
        right.plot(s.snr(torch.arange(T)), label=kind, linewidth=3)
    left.set(xlabel="t", ylabel="sqrt(alpha_bar[t])")
    right.set(xlabel="t", ylabel="snr(t)", yscale="log")
    left.legend()
    plt.show()
    """),
    code("""
    for kind, s in schedules.items():
        print(kind)
        display(noise_strip(x0_cats[0], s, T_SHOWN, seed=SEED, scale=4))
    """),
    md("""
    With `T = 1000`, the linear schedule leaves only 28 % of the cat at `t = 500` and 6 % at `t = 750`: the last
    quarter of the steps is almost pure noise, so a network trained on it would learn little there. The cosine schedule
    still leaves 70 % at `t = 500` and 38 % at `t = 750`. On small pictures like our 32 × 32 cats, that gentler fade is
    what works best.
    """, """
    Avec `T = 1000`, le calendrier linéaire ne laisse que 28 % du chat à `t = 500` et 6 % à `t = 750` : le dernier
    quart des étapes est presque du bruit pur, et un réseau entraîné dessus n'y apprendrait pas grand-chose. Le
    calendrier cosinus laisse encore 70 % à `t = 500` et 38 % à `t = 750`. Sur de petites images comme nos chats de
    32 × 32 pixels, cet effacement plus doux est ce qui marche le mieux.
    """),
    md("""
    ## Summary
    - The **forward process** adds a little Gaussian noise at each step: `x_t = sqrt(alpha[t]) * x_{t-1} + sqrt(beta[t]) * eps`.
    - All those steps together make one: `x_t = sqrt(alpha_bar[t]) * x0 + sqrt(1 - alpha_bar[t]) * eps` (eq. 4),
      which `schedule.add_noise` computes. Training will use it to make noisy pictures instantly.
    - `sqrt(alpha_bar[t])` is how much cat is left: almost all at `t = 0`, nothing at `t = T - 1`.
    - The **schedule** decides how fast the cat fades; the cosine one is gentler.

    **Next lesson:** teach a neural network to undo this noise.

    ## Exercises
    1. Set `T_CHECK = 1000` in the settings and re-run. What happens, and why?
    <details><summary>Solution</summary>

    The package stops with *"t must be a whole number between 0 and 999 (T = 1000)"*. The steps are numbered
    0 to T − 1, as in most code (the paper counts 1 to T).
    </details>

    2. At which step is exactly half of the cat left, for each schedule?
    <details><summary>Solution</summary>

    ```python
    for kind, s in schedules.items():
        print(kind, int((s.alpha_bar.sqrt() - 0.5).abs().argmin()))
    ```
    About `t = 664` with the cosine schedule and `t = 368` with the linear one.
    </details>

    3. Change `SEED`. What changes in the strips, and does "how much cat is left" change?
    <details><summary>Solution</summary>

    The grain of the noise changes, not its amount: `sqrt(alpha_bar[t])` depends only on `t` and the schedule.
    </details>

    4. Why make the two shares' squares add up to 1, rather than just adding noise?
    <details><summary>Solution</summary>

    The pixel values keep about the same spread at every step, so at `t = T - 1` the picture becomes noise with mean 0
    and variance 1, exactly the random pixels the generator will start from in lesson 3.
    </details>
    """, """
    ## À retenir
    - Le **processus direct** ajoute un peu de bruit gaussien à chaque étape : `x_t = sqrt(alpha[t]) * x_{t-1} + sqrt(beta[t]) * eps`.
    - Toutes ces étapes n'en font qu'une : `x_t = sqrt(alpha_bar[t]) * x0 + sqrt(1 - alpha_bar[t]) * eps` (éq. 4),
      que calcule `schedule.add_noise`. L'entraînement s'en servira pour fabriquer des images bruitées instantanément.
    - `sqrt(alpha_bar[t])` est ce qu'il reste du chat : presque tout à `t = 0`, plus rien à `t = T - 1`.
    - Le **calendrier** décide de la vitesse à laquelle le chat s'efface ; le cosinus est plus doux.

    **Séance suivante :** apprendre à un réseau de neurones à défaire ce bruit.

    ## Exercices
    1. Mettez `T_CHECK = 1000` dans les réglages et ré-exécutez. Que se passe-t-il, et pourquoi ?
    <details><summary>Solution</summary>

    Le paquet s'arrête avec *« t doit être un entier entre 0 et 999 (T = 1000) »*. Les étapes sont numérotées de 0 à
    T − 1, comme dans la plupart des codes (l'article compte de 1 à T).
    </details>

    2. À quelle étape reste-t-il exactement la moitié du chat, pour chaque calendrier ?
    <details><summary>Solution</summary>

    ```python
    for kind, s in schedules.items():
        print(kind, int((s.alpha_bar.sqrt() - 0.5).abs().argmin()))
    ```
    Vers `t = 664` avec le cosinus, et `t = 368` avec le linéaire.
    </details>

    3. Changez `SEED`. Qu'est-ce qui change dans les bandes ? « Ce qu'il reste du chat » change-t-il ?
    <details><summary>Solution</summary>

    Le grain du bruit change, pas sa quantité : `sqrt(alpha_bar[t])` ne dépend que de `t` et du calendrier.
    </details>

    4. Pourquoi faire en sorte que les carrés des deux parts fassent 1, au lieu d'ajouter simplement du bruit ?
    <details><summary>Solution</summary>

    Les valeurs des pixels gardent à peu près la même dispersion à chaque étape : à `t = T - 1`, l'image devient un
    bruit de moyenne 0 et de variance 1, exactement les pixels au hasard dont partira le générateur à la séance 3.
    </details>
    """),
]
