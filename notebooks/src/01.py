"""Lesson 1: noising cats (the forward process). Rebuild the notebooks with `python notebooks/build.py`."""
from build import COLAB, FAST, LANGUAGE, code, md

NAMES = {"en": "01_noising_cats", "fr": "01_bruiter_des_chats"}

CELLS = [
    md("""
    # 1 · Noising cats
    *Going further, lesson 1: the forward process.* Notebook 00 showed the three steps of an image generator in one
    hour; this lesson takes the first one, noising, in detail.

    Image generators such as Stable Diffusion learn to **remove noise**. Before any learning there is the easy half of
    the job: **adding noise**, one small step at a time, until nothing is left of the picture but random pixels.

    **Goals**
    - noise a real photo (Chelsea the cat) and some cats drawn by the computer, step by step;
    - find the formula that jumps straight to any step `t`, and compare it with the `diffusion_lab` library's;
    - compare two noise schedules, linear and cosine, and say how much cat is left at each `t`.

    Run the cells in order with **Shift + Enter**.
    """, """
    # 1 · Bruiter des chats
    *Pour aller plus loin, séance 1 : le processus direct.* Le notebook 00 a montré en une heure les trois étapes d'un
    générateur d'images. Cette séance reprend la première en détail : bruiter.

    Les générateurs d'images comme Stable Diffusion apprennent à **enlever du bruit**. Avant tout apprentissage, il y a
    la moitié facile du travail : **ajouter du bruit**, par petites touches, jusqu'à ce qu'il ne reste de l'image que
    des pixels au hasard.

    **Objectifs**
    - bruiter une vraie photo de chat (Chelsea) et des chats de synthèse, étape par étape ;
    - trouver la formule qui permet de sauter directement à n'importe quelle étape `t`, et la comparer à celle de la
      bibliothèque `diffusion_lab` ;
    - comparer deux programmes de bruitage (*noise schedules*), linéaire et cosinus, et dire combien il reste de chat à
      chaque `t`.

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

    from diffusion_lab import NoiseSchedule, explain_missing_names, set_language, to_model_range
    from diffusion_lab.data import chelsea, procedural_cats
    from diffusion_lab.messages import decimal, message
    from diffusion_lab.sample import make_generator
    from diffusion_lab.viz import grid, noise_strip
    from diffusion_lab.widgets import noise_slider
    {LANGUAGE}"""),
    md("""
    ## Settings
    Every knob of this notebook is here. Change one, then run the cells below it again.
    """, """
    ## Réglages
    Tous les réglages de ce notebook sont ici. Changez-en un, puis relancez les cellules qui suivent.
    """),
    code(f"""
    {FAST}
    SEED = 0                  # which noise eps we draw: any whole number
    T = 1000                  # number of noise steps, t = 0 .. T-1
    SCHEDULE = "cosine"       # "cosine" (Nichol & Dhariwal 2021) or "linear" (Ho et al. 2020)
    PHOTO_SIZE = 32 if FAST else 96          # Chelsea's width in pixels
    N_CATS = 4                               # cats drawn by the computer, to noise
    T_SHOWN = [0, 100, 250, 500, 750, 999]   # the steps pictured in the strips
    T_CHECK = 500                            # the step at which we check the formula
    """),
    md("""
    ## 1. The pictures
    For the computer a picture is an array of numbers with three dimensions: colour channels, height, width. Diffusion
    models work with pixel values between −1 and 1; the picture without noise is called `x0`.
    """, """
    ## 1. Les images
    Pour l'ordinateur, une image est un tableau de nombres à trois dimensions : canaux de couleur, hauteur, largeur.
    Les modèles de diffusion travaillent avec des valeurs de pixels entre −1 et 1 ; l'image nette, sans bruit,
    s'appelle `x0`.
    """),
    code("""
    x0_photo = to_model_range(chelsea(PHOTO_SIZE))   # (3, PHOTO_SIZE, PHOTO_SIZE), values in [-1, 1]
    x0_cats = to_model_range(procedural_cats(N_CATS, 32)[0])   # (N_CATS, 3, 32, 32)
    low, high = x0_photo.min().item(), x0_photo.max().item()
    print(message("nb01_pixels", shape=tuple(x0_photo.shape), low=decimal(low), high=decimal(high)))
    display(grid(x0_photo[None], scale=3), grid(x0_cats, nrow=N_CATS, scale=6))
    """),
    md("""
    ## 2. One small step of noise
    At each step `t` we dim the picture a little (every pixel is multiplied by `sqrt(alpha[t])`, a number just below 1)
    and add a little Gaussian noise `eps`:

    $$x_t = \\sqrt{\\alpha_t}\\, x_{t-1} + \\sqrt{\\beta_t}\\, \\varepsilon, \\qquad \\alpha_t = 1 - \\beta_t$$

    In the code: `xt = alpha[t].sqrt() * x + beta[t].sqrt() * eps`. The **schedule** chooses every `beta[t]`: tiny at
    first, larger at the end.
    """, """
    ## 2. Un petit pas de bruit
    À chaque étape `t`, on atténue un peu l'image (on multiplie chaque pixel par `sqrt(alpha[t])`, un nombre un peu
    plus petit que 1), puis on ajoute un peu de bruit gaussien `eps` :

    $$x_t = \\sqrt{\\alpha_t}\\, x_{t-1} + \\sqrt{\\beta_t}\\, \\varepsilon, \\qquad \\alpha_t = 1 - \\beta_t$$

    Dans le code : `xt = alpha[t].sqrt() * x + beta[t].sqrt() * eps`. Le **programme de bruitage** (*schedule*) fixe
    chaque `beta[t]` : minuscule au début, plus grand à la fin.
    """),
    code("""
    schedule = NoiseSchedule(T, SCHEDULE)
    print(message("nb01_schedule", kind=message("nb01_" + schedule.kind), T=T, last=T - 1))
    first, last = decimal(schedule.beta[0].item(), 6), decimal(schedule.beta[-1].item(), 6)
    print(message("nb01_beta_range", first=first, last=last, end=T - 1))
    t = T // 2   # what one small step does to the picture, in the middle of the schedule
    print(message("nb01_attenuate", t=t, factor=decimal(schedule.alpha[t].sqrt().item(), 4)))
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
    Small Gaussian steps add up to one Gaussian step. Multiplying the dimming factors together,
    `alpha_bar[t] = alpha[0] * alpha[1] * ... * alpha[t]`, gives the formula that jumps from `x0` to `x_t` in one go
    (Ho et al. 2020, eq. 4):

    $$x_t = \\sqrt{\\bar\\alpha_t}\\, x_0 + \\sqrt{1 - \\bar\\alpha_t}\\, \\varepsilon$$

    Let us compute `alpha_bar` ourselves, then compare both results with the library's.
    """, """
    ## 3. Sauter directement à l'étape t
    Plusieurs petits pas gaussiens font un seul pas gaussien. En multipliant les facteurs d'atténuation,
    `alpha_bar[t] = alpha[0] * alpha[1] * ... * alpha[t]`, on obtient la formule qui saute de `x0` à `x_t` d'un coup
    (Ho et al. 2020, éq. 4) :

    $$x_t = \\sqrt{\\bar\\alpha_t}\\, x_0 + \\sqrt{1 - \\bar\\alpha_t}\\, \\varepsilon$$

    Calculons `alpha_bar` nous-mêmes, puis comparons nos deux résultats à ceux de la bibliothèque.
    """),
    code("""
    alpha_bar = torch.cumprod(schedule.alpha.double(), dim=0)   # alpha[0] * alpha[1] * ... * alpha[t]
    assert torch.allclose(alpha_bar.float(), schedule.alpha_bar, rtol=1e-3, atol=1e-9)
    print(message("nb01_alpha_bar", t=t_check, value=decimal(alpha_bar[t_check].item(), 4)))
    """),
    code("""
    eps = torch.randn(x0_photo.shape, generator=make_generator(SEED))
    mine = (alpha_bar[t_check].sqrt() * x0_photo + (1 - alpha_bar[t_check]).sqrt() * eps).float()
    theirs = schedule.add_noise(x0_photo[None], t_check, eps[None])[0]   # the library works on batches (B, C, H, W)
    assert torch.allclose(mine, theirs, atol=1e-5)
    print(inspect.getsource(NoiseSchedule.add_noise))
    """),
    md("""
    The step-by-step picture and the jumped one used different draws of noise, so their pixels differ. Take away the
    cat that is left, `sqrt(alpha_bar[t]) * x0`: what remains is noise whose spread (standard deviation) is the one the
    formula predicts.
    """, """
    L'image obtenue pas à pas et celle obtenue d'un saut n'ont pas utilisé les mêmes tirages de bruit : leurs pixels
    diffèrent. Retirons la part de chat restante, `sqrt(alpha_bar[t]) * x0` : il reste un bruit dont l'amplitude
    (l'écart-type) est celle que prévoit la formule.
    """),
    code("""
    leftover = x_step_by_step - alpha_bar[t_check].sqrt() * x0_photo   # should be pure noise
    print(message("nb01_std_steps", value=decimal(leftover.std().item(), 3)))
    print(message("nb01_std_formula", value=decimal((1 - alpha_bar[t_check]).sqrt().item(), 3)))
    """),
    md("""
    ## 4. Watch the cat disappear
    From now on we use the library's `add_noise`. Within each strip, the **same** noise `eps` serves for every `t`.
    """, """
    ## 4. Regarder le chat disparaître
    Désormais, on utilise `add_noise`, la fonction de la bibliothèque. Dans chaque bande, le **même** bruit `eps` sert
    pour tous les `t`.
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
    The sum of their squares is always 1. The signal-to-noise ratio `snr(t) = alpha_bar[t] / (1 - alpha_bar[t])` says
    the same thing in one number.
    """, """
    ## 5. Combien reste-t-il de chat ?
    Dans $x_t = \\sqrt{\\bar\\alpha_t}\\, x_0 + \\sqrt{1 - \\bar\\alpha_t}\\, \\varepsilon$, l'image est multipliée par
    `sqrt(alpha_bar[t])` : c'est **ce qu'il reste du chat**, et `sqrt(1 - alpha_bar[t])` est la part du bruit. La
    somme de leurs carrés vaut toujours 1. Le rapport signal sur bruit `snr(t) = alpha_bar[t] / (1 - alpha_bar[t])` dit
    la même chose en un seul nombre.
    """),
    code("""
    for t in schedule.check_t(T_SHOWN).tolist():
        cat, noise = schedule.alpha_bar[t].sqrt().item(), (1 - schedule.alpha_bar[t]).sqrt().item()   # shares, 0 to 1
        cat, noise, snr = decimal(100 * cat, 1), decimal(100 * noise, 1), decimal(schedule.snr(t).item())
        print(message("nb01_shares", t=t, cat=cat, noise=noise, snr=snr))
    """),
    md("""
    Now move the slider yourself: Chelsea (reduced to 32 × 32 pixels) and the computer-drawn cats, all noised to the
    same `t`.
    """, """
    À vous de bouger le curseur : la photo de Chelsea (réduite à 32 × 32 pixels) et les chats de synthèse, tous bruités
    au même `t`.
    """),
    code("""
    x0_all = torch.cat([to_model_range(chelsea(32))[None], x0_cats])   # (1 + N_CATS, 3, 32, 32)
    noise_slider(x0_all, schedule, seed=SEED)
    """),
    md("""
    ## 6. Two schedules: linear and cosine
    - **linear** (Ho et al. 2020): `beta[t]` grows in a straight line from 0.0001 to 0.02;
    - **cosine** (Nichol & Dhariwal 2021): `sqrt(alpha_bar[t])`, the cat that is left, follows a quarter period of a
      cosine (so `alpha_bar[t]` is a cosine squared), and the picture fades gently.
    """, """
    ## 6. Deux programmes de bruitage : linéaire et cosinus
    - **linéaire** (Ho et al. 2020) : `beta[t]` croît linéairement de 0,0001 à 0,02 ;
    - **cosinus** (Nichol & Dhariwal 2021) : `sqrt(alpha_bar[t])`, ce qu'il reste du chat, suit un quart de période de
      cosinus (`alpha_bar[t]` est donc un cosinus au carré), et l'image s'efface en douceur.
    """),
    code("""
    schedules = {kind: NoiseSchedule(T, kind) for kind in ("linear", "cosine")}
    figure, (left, right) = plt.subplots(1, 2, figsize=(11, 3.8))
    for kind, s in schedules.items():
        left.plot(100 * s.alpha_bar.sqrt(), label=message("nb01_" + kind), linewidth=3)
        right.plot(s.snr(torch.arange(T)), label=message("nb01_" + kind), linewidth=3)
    left.set(xlabel=message("nb01_axis_t"), ylabel=message("nb01_axis_cat"))
    right.set(xlabel=message("nb01_axis_t"), ylabel=message("nb01_axis_snr"), yscale="log")
    left.legend()
    plt.show()
    """),
    code("""
    for kind, s in schedules.items():
        print(message("nb01_" + kind))
        display(noise_strip(x0_cats[0], s, T_SHOWN, seed=SEED, scale=4))
    """),
    md("""
    With `T = 1000`, the linear schedule leaves only 28 % of the cat at `t = 500` and 6 % at `t = 750`: the last
    quarter of the steps is almost pure noise, so a network trained on it would learn little there. The cosine schedule
    still leaves 70 % at `t = 500` and 38 % at `t = 750`. On small pictures like our 32 × 32 cats, this more gradual
    fade gives the best results.
    """, """
    Avec `T = 1000`, le programme linéaire ne laisse que 28 % du chat à `t = 500` et 6 % à `t = 750` : le dernier
    quart des étapes est presque du bruit pur, et un réseau entraîné dessus n'y apprendrait pas grand-chose. Le
    programme cosinus laisse encore 70 % à `t = 500` et 38 % à `t = 750`. Sur de petites images comme nos chats de
    32 × 32 pixels, c'est cet effacement plus progressif qui donne les meilleurs résultats.
    """),
    md("""
    ## Summary
    - The **forward process** adds a little Gaussian noise at each step:
      `x_t = sqrt(alpha[t]) * x_{t-1} + sqrt(beta[t]) * eps`.
    - All those steps together make one: `x_t = sqrt(alpha_bar[t]) * x0 + sqrt(1 - alpha_bar[t]) * eps` (eq. 4),
      which `schedule.add_noise` computes. Training will use it to make noisy pictures instantly.
    - `sqrt(alpha_bar[t])` is how much cat is left: almost all at `t = 0`, nothing at `t = T - 1`.
    - The **schedule** decides how fast the cat fades; the cosine one is more gradual.

    **Next lesson:** teach a neural network to undo this noise.

    ## Exercises
    1. Set `T_CHECK = 1000` in the settings and run the notebook again. What happens, and why?

    <details><summary>Answer</summary>

    The library stops with the message *"t must be a whole number between 0 and 999 (T = 1000)"*. The steps are
    numbered 0 to T − 1, as in most programs (Ho et al.'s paper counts 1 to T).
    </details>

    2. At which step is exactly half of the cat left, for each schedule?

    <details><summary>Answer</summary>

    ```python
    for kind, s in schedules.items():
        print(message("nb01_" + kind), int((s.alpha_bar.sqrt() - 0.5).abs().argmin()))
    ```
    About `t = 664` with the cosine schedule and `t = 368` with the linear one.
    </details>

    3. Change `SEED`. What changes in the strips, and does "how much cat is left" change?

    <details><summary>Answer</summary>

    The grain of the noise changes, not its amount: `sqrt(alpha_bar[t])` depends only on `t` and the schedule.
    </details>

    4. Why make the squares of the two shares add up to 1, rather than just adding noise?

    <details><summary>Answer</summary>

    The pixel values keep about the same spread at every step, so at `t = T - 1` the picture becomes noise with mean 0
    and variance 1, exactly the random pixels the generator will start from in lesson 3.
    </details>
    """, """
    ## À retenir
    - Le **processus direct** ajoute un peu de bruit gaussien à chaque étape :
      `x_t = sqrt(alpha[t]) * x_{t-1} + sqrt(beta[t]) * eps`.
    - Toutes ces étapes n'en font qu'une : `x_t = sqrt(alpha_bar[t]) * x0 + sqrt(1 - alpha_bar[t]) * eps` (éq. 4),
      que calcule `schedule.add_noise`. L'entraînement s'en servira pour fabriquer des images bruitées instantanément.
    - `sqrt(alpha_bar[t])` est ce qu'il reste du chat : presque tout à `t = 0`, plus rien à `t = T - 1`.
    - Le **programme de bruitage** décide de la vitesse à laquelle le chat s'efface ; le cosinus est plus progressif.

    **Séance suivante :** apprendre à un réseau de neurones à défaire ce bruit.

    ## Exercices
    1. Mettez `T_CHECK = 1000` dans les réglages et relancez le notebook. Que se passe-t-il, et pourquoi ?

    <details><summary>Réponse</summary>

    La bibliothèque s'arrête avec le message *« t doit être un entier entre 0 et 999 (T = 1000) »*. Les étapes sont
    numérotées de 0 à T − 1, comme dans la plupart des programmes (l'article de Ho et al. compte de 1 à T).
    </details>

    2. À quelle étape reste-t-il exactement la moitié du chat, pour chaque programme de bruitage ?

    <details><summary>Réponse</summary>

    ```python
    for kind, s in schedules.items():
        print(message("nb01_" + kind), int((s.alpha_bar.sqrt() - 0.5).abs().argmin()))
    ```
    Vers `t = 664` avec le cosinus, et `t = 368` avec le linéaire.
    </details>

    3. Changez `SEED`. Qu'est-ce qui change dans les bandes ? « Ce qu'il reste du chat » change-t-il ?

    <details><summary>Réponse</summary>

    Le grain du bruit change, pas sa quantité : `sqrt(alpha_bar[t])` ne dépend que de `t` et du programme de bruitage.
    </details>

    4. Pourquoi faire en sorte que la somme des carrés des deux parts vaille 1, au lieu d'ajouter simplement du bruit ?

    <details><summary>Réponse</summary>

    Les valeurs des pixels gardent à peu près la même dispersion à chaque étape : à `t = T - 1`, l'image devient un
    bruit de moyenne 0 et de variance 1, exactement les pixels au hasard dont partira le générateur à la séance 3.
    </details>
    """),
]
