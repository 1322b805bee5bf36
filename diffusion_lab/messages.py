"""Every sentence a student or teacher may read, in English and French.

The language comes from set_language(), else the DIFFUSION_LAB_LANG variable, else the system locale (LANG).
"""
import os
import re

_language = None

NARROW_NBSP = "\u202f"  # the narrow no-break space of French typography
# Left as they are: code blocks and spans, formulas, HTML tags, web addresses, link targets, format fields like {x:.2f}.
UNTOUCHED = re.compile(r"```.*?```|`[^`\n]*`|\$[^$\n]*\$|<[^>\n]*>|https?://[^\s)]+|\]\([^)\s]*\)|\{[^{}\n]*\}", re.S)

MESSAGES = {
    # checkpoints
    "checkpoint_missing": ("No checkpoint at {path}. Train one with `diffusion-lab train --out {path}`, or leave the "
                           "path out to use the shipped one.",
                           "Aucun fichier de poids (checkpoint) à {path}. Entraînez-en un avec `diffusion-lab train "
                           "--out {path}`, ou omettez le chemin pour utiliser celui fourni."),
    "shipped_missing": ("The shipped weights {path} are missing. Get the repository's data/ folder (git clone), or "
                        "train your own with "
                        "`diffusion-lab train --minutes 3 --out runs/cats.pt` and pass --checkpoint runs/cats.pt.",
                        "Les poids fournis {path} sont absents. Récupérez le dossier data/ du dépôt (git clone), ou "
                        "entraînez les vôtres avec "
                        "`diffusion-lab train --minutes 3 --out runs/cats.pt` puis passez --checkpoint runs/cats.pt."),
    "checkpoint_unreadable": ("{path} is not a readable checkpoint (corrupt, truncated or not a PyTorch file): "
                              "{reason}",
                              "{path} n'est pas un checkpoint lisible (corrompu, tronqué, ou pas un fichier PyTorch) : "
                              "{reason}"),
    "checkpoint_unsafe": ("{path} was refused: it contains Python objects that could run code when loaded, and "
                          "diffusion-lab only loads plain weights (weights_only=True).",
                          "{path} est refusé : il contient des objets Python qui pourraient exécuter du code au "
                          "chargement ; diffusion-lab ne charge que des poids (weights_only=True)."),
    "autoencoder_missing": ("No autoencoder at {path}: a latent model needs it to draw its pictures. Get the "
                            "repository's data/ folder (git clone), or train one with `diffusion-lab train --preset "
                            "autoencoder --out {path}`.",
                            "Aucun autoencodeur à {path} : un modèle latent en a besoin pour dessiner ses images. "
                            "Récupérez le dossier data/ du dépôt (git clone), ou entraînez-en un avec `diffusion-lab "
                            "train --preset autoencoder --out {path}`."),
    "autoencoder_foreign": ("{path} is not a diffusion-lab autoencoder (made with `diffusion-lab train --preset "
                            "autoencoder`).",
                            "{path} n'est pas un autoencodeur diffusion-lab (fait avec `diffusion-lab train --preset "
                            "autoencoder`)."),
    "autoencoder_not_denoiser": ("{path} is an autoencoder, not a denoiser: give it as the autoencoder of a latent "
                                 "model, or load a denoiser such as data/cats.pt.",
                                 "{path} est un autoencodeur, pas un débruiteur : donnez-le comme autoencodeur d'un "
                                 "modèle latent, ou chargez un débruiteur comme data/cats.pt."),
    "latent_mismatch": ("The autoencoder {path} makes latents of shape {latent}, but this denoiser works on {shape}: "
                        "they were not trained together.",
                        "L'autoencodeur {path} fait des latents de forme {latent}, mais ce débruiteur travaille sur "
                        "{shape} : ils n'ont pas été entraînés ensemble."),
    "not_latent": ("{path} denoises pixels, not latents: it has no autoencoder to decode with. Use it without one.",
                   "{path} débruite des pixels, pas des latents : il n'a pas d'autoencodeur pour décoder. "
                   "Utilisez-le sans."),
    "checkpoint_foreign": ("{path} is a PyTorch file but not a diffusion-lab checkpoint (missing: {missing}).",
                           "{path} est un fichier PyTorch mais pas un checkpoint diffusion-lab (il manque : "
                           "{missing})."),
    "checkpoint_mismatch": ("{path} does not fit this U-Net (another architecture or size?): {reason}",
                            "{path} ne correspond pas à ce U-Net (autre architecture ou taille ?) : {reason}"),
    "checkpoint_settings": ("{path} holds settings this version cannot use: {reason}",
                            "{path} contient des réglages inutilisables par cette version : {reason}"),
    "reconstructions": ("The meter on pictures squeezed and redrawn, Fréchet distance to real ones: {frechet} (real "
                        "vs real: {floor:.1f} at most); mean error per pixel at most {error:.3f}.",
                        "Le compteur sur des images compressées puis redessinées, distance de Fréchet aux vraies : "
                        "{frechet} (vraies contre vraies : {floor:.1f} au plus) ; erreur moyenne par pixel au plus "
                        "{error:.3f}."),
    "checkpoint_saved": ("Checkpoint saved to {path} (step {step}).",
                         "Checkpoint enregistré dans {path} (étape {step})."),
    "interrupted": ("Training interrupted at step {step}. Nothing is lost: the checkpoint is in {path}. Continue with "
                    "--resume {path}.",
                    "Entraînement interrompu à l'étape {step}. Rien n'est perdu : le checkpoint est dans {path}. "
                    "Reprenez avec --resume {path}."),
    "diverged": ("The loss became {value} at step {step}, so training stopped (the last good weights are in {path}). "
                 "Try a lower learning rate "
                 "(e.g. --lr {lr_hint}), precision fp32 instead of bf16, or check that the images are in [-1, 1].",
                 "La perte (loss) vaut {value} à l'étape {step} : l'entraînement s'arrête (les derniers bons poids "
                 "sont dans {path}). Essayez un taux "
                 "d'apprentissage plus petit (par ex. --lr {lr_hint}), la précision fp32 au lieu de bf16, ou vérifiez "
                 "que les images sont dans [-1, 1]."),
    "training_done": ("Trained {steps} steps in {seconds:.0f} s ({rate:.0f} images/s), final loss {loss:.4f}.",
                      "{steps} étapes d'entraînement en {seconds:.0f} s ({rate:.0f} images/s), perte finale "
                      "{loss:.4f}."),
    "need_budget": ("Give a number of steps or a time budget in minutes (or both).",
                    "Donnez un nombre d'étapes ou une durée en minutes (ou les deux)."),
    # settings (presets.py, unet.UNetConfig) and command-line values: every value is checked once, where it enters
    "bad_option": ("{text!r} is not {expected}.", "« {text} » n'est pas {expected}."),
    "bad_setting": ("{name} must be {expected}, got {value!r}.",
                    "{name} doit être {expected} ; valeur reçue : {value!r}."),
    "unknown_setting": ("Unknown setting(s) {names}: the settings are {choices}.",
                        "Réglage(s) inconnu(s) {names} : les réglages sont {choices}."),
    "option_not_for_autoencoder": ("{option} does not apply to the autoencoder: it always learns from the pictures of "
                                   "all seven categories, which it draws itself, and starts afresh (give it more "
                                   "--minutes instead).",
                                   "{option} ne s'applique pas à l'autoencodeur : il apprend toujours sur les images "
                                   "des sept catégories, qu'il dessine lui-même, et repart de zéro (donnez-lui plutôt "
                                   "plus de --minutes)."),
    "option_not_for_preset": ("{option} does not apply to the {preset} preset: it learns from pictures with their "
                              "labels or captions, "
                              "which it draws itself. Leave {option} out, or use --preset cats.",
                              "{option} ne s'applique pas au préréglage {preset} : il apprend sur des images avec "
                              "leurs étiquettes "
                              "ou leurs légendes, qu'il dessine lui-même. Retirez {option}, ou utilisez --preset "
                              "cats."),
    "saved_after_error": ("Training stopped by an error at step {step}; what was trained is saved in {path}.",
                          "L'entraînement s'est arrêté sur une erreur à l'étape {step} ; ce qui a été appris est "
                          "enregistré dans {path}."),
    "out_exists": ("{path} already holds a trained model (step {step}). Continue it with --resume {path}, choose "
                   "another --out, "
                   "or add --overwrite to replace it.",
                   "{path} contient déjà un modèle entraîné (étape {step}). Continuez-le avec --resume {path}, "
                   "choisissez un autre "
                   "--out, ou ajoutez --overwrite pour le remplacer."),
    "steps_zero_needs_resume": ("--steps 0 trains nothing: it only makes sense with --resume (e.g. to write a small "
                                "--half copy).",
                                "--steps 0 n'entraîne rien : cela n'a de sens qu'avec --resume (par ex. pour écrire "
                                "une petite copie --half)."),
    "preset_disagrees": ("{path} holds a {kind} model, but --preset {preset} was given. Leave --preset out to continue "
                         "it.",
                         "{path} contient un modèle {kind}, mais --preset {preset} a été donné. Retirez --preset pour "
                         "le continuer."),
    "option_not_for_model": ("This model has no condition (kind: {kind}), so {option} has no effect. Leave it out.",
                             "Ce modèle n'a pas de condition (type : {kind}) : {option} n'a donc aucun effet. "
                             "Retirez-le."),
    # schedule and sampling
    "bad_t": ("t must be a whole number between 0 and {last} (T = {T}), got {t}.",
              "t doit être un entier entre 0 et {last} (T = {T}) ; valeur reçue : {t}."),
    "bad_steps": ("The number of sampling steps must be a whole number between 1 and T = {T}, got {steps}. Use --steps "
                  "{T} or fewer.",
                  "Le nombre d'étapes d'échantillonnage doit être un entier entre 1 et T = {T} ; valeur reçue : "
                  "{steps}. Utilisez --steps {T} ou moins."),
    "bad_seed": ("The seed must be a whole number from 0 to 2**63 - 1 (like 0 or 42), got {seed!r}.",
                 "La graine (seed) doit être un entier de 0 à 2**63 - 1 (comme 0 ou 42) ; valeur reçue : "
                              "{seed!r}."),
    "bad_guidance": ("The guidance scale must be a number from 0 to {most:g} (0: ignore the condition, 1: plain, 3: a "
                     "good default), got {value!r}.",
                     "L'échelle de guidage (guidance) doit être un nombre entre 0 et {most:g} (0 : ignorer la "
                     "condition, 1 : simple, 3 : un bon choix) ; valeur reçue : {value!r}."),
    "not_conditional": ("This model was trained without a condition (kind: {kind}); it cannot take a class or a "
                        "prompt. Use a {wanted} checkpoint.",
                        "Ce modèle a été entraîné sans condition (type : {kind}) ; il ne peut pas recevoir de classe "
                        "ni de phrase. Utilisez un checkpoint {wanted}."),
    "wrong_kind": ("{path} is a '{kind}' model, but a '{wanted}' model is needed here (unconditional: cats; class: "
                   "categories; text: prompts).",
                   "{path} est un modèle « {kind} », mais il faut ici un modèle « {wanted} » (unconditional : chats ; "
                   "class : catégories ; text : phrases)."),
    "bad_cond": ("The condition must have {expected} numbers per image (this model's cond_dim), got shape {shape}.",
                 "La condition doit avoir {expected} nombres par image (le cond_dim de ce modèle) ; forme reçue : "
                 "{shape}."),
    "need_conds": ("This model is conditional: give each training image its condition (conds=, e.g. class labels as "
                   "one-hot vectors).",
                   "Ce modèle est conditionnel : donnez à chaque image d'entraînement sa condition (conds=, par ex. "
                   "les classes en vecteurs one-hot)."),
    "classifier_accuracy": ("The meter's classifier recognises {n} real pictures it never saw: {accuracy}.",
                            "Le classifieur du compteur reconnaît {n} images réelles jamais vues : {accuracy}."),
    "meter": ("Meter, {n} samples at guidance {guidance:g}: recognised as the class asked for: {accuracy} (mean "
              "{mean:.1f}%). "
              "Frechet distance to real pictures {frechet:.2f} (two sets of real pictures: {floor:.2f}).",
              "Compteur, {n} images à guidage {guidance:g} : reconnues comme la classe demandée : {accuracy} (moyenne "
              "{mean:.1f} %). "
              "Distance de Fréchet aux images réelles {frechet:.2f} (deux lots d'images réelles : {floor:.2f})."),
    "widget_guided": ("{value} · guidance {guidance:g}", "{value} · guidage {guidance:g}"),
    "wrong_condition": ("This is a '{kind}' model: tell it what to draw with {option}.",
                        "C'est un modèle « {kind} » : dites-lui quoi dessiner avec {option}."),
    "classifier_colours": ("It reads the main colour and the background colour of those pictures: {accuracy}.",
                           "Il lit la couleur principale et la couleur du fond de ces images : {accuracy}."),
    "widget_guidance": ("guidance", "guidage"),
    "widget_no_word": ("(no word)", "(aucun mot)"),
    "bad_sampler": ("Unknown sampler {name!r}: choose 'ddpm' or 'ddim'.",
                    "Échantillonneur inconnu {name!r} : choisissez 'ddpm' ou 'ddim'."),
    "bad_eta": ("eta must be between 0 (deterministic DDIM) and 1 (as random as DDPM), got {eta}.",
                "eta doit être entre 0 (DDIM déterministe) et 1 (aussi aléatoire que DDPM) ; valeur reçue : {eta}."),
    "bad_size": ("This U-Net was built for {expected}x{expected} images, got {got}. Resize the images or build a U-Net "
                 "with size={got_size}.",
                 "Ce U-Net a été construit pour des images {expected}x{expected} ; taille reçue : {got}. "
                 "Redimensionnez les images ou construisez un U-Net avec size={got_size}."),
    "bad_unet_size": ("This U-Net halves the image {halvings} times, so the image size must be a multiple of {factor} "
                      "(at least {factor}); got {size}. Use 32 or 64.",
                      "Ce U-Net divise l'image par deux {halvings} fois : la taille doit être un multiple de {factor} "
                      "(au moins {factor}) ; taille reçue : {size}. Utilisez 32 ou 64."),
    # data
    "folder_missing": ("The image folder {path} does not exist.", "Le dossier d'images {path} n'existe pas."),
    "folder_empty": ("No images found in {path} (looked for {extensions}).",
                     "Aucune image trouvée dans {path} (extensions cherchées : {extensions})."),
    "folder_unreadable": ("None of the {count} image files in {path} could be opened (for example {example}).",
                          "Aucun des {count} fichiers image de {path} n'a pu être ouvert (par exemple {example})."),
    "folder_skipped": ("Skipped {count} file(s) that are not readable images, for example {example}.",
                       "{count} fichier(s) ignoré(s) car illisibles comme images, par exemple {example}."),
    "folder_converted": ("Converted {count} image(s) to RGB (grayscale, transparent or palette images).",
                         "{count} image(s) converties en RVB (niveaux de gris, transparence ou palette)."),
    "folder_resized": ("Resized and centre-cropped {count} image(s) of another size to {size}x{size}.",
                       "{count} image(s) d'une autre taille redimensionnée(s) et recadrée(s) au centre en "
                       "{size}x{size}."),
    "cifar_offline": ("Could not download CIFAR-10 ({reason}). It needs the internet; offline, use the procedural cats "
                      "(--dataset cats) or your own folder (--images DIR).",
                      "Impossible de télécharger CIFAR-10 ({reason}). Il faut Internet ; hors ligne, utilisez les "
                      "chats procéduraux (--dataset cats) ou votre dossier (--images DOSSIER)."),
    "image_unreadable": ("Cannot read the image {path}: {reason}", "Impossible de lire l'image {path} : {reason}"),
    "unknown_preset": ("Unknown preset {name!r}: choose one of {choices}.",
                       "Préréglage (preset) inconnu {name!r} : choisissez parmi {choices}."),
    "unknown_dataset": ("Unknown dataset {name!r}: choose one of {choices}.",
                        "Jeu de données inconnu {name!r} : choisissez parmi {choices}."),
    "unknown_category": ("Unknown category {name!r}: choose among {choices} (English or French names).",
                         "Catégorie inconnue {name!r} : choisissez parmi {choices} (noms en anglais ou en français)."),
    "bad_weights": ("weights needs one number per category ({count} here), none negative and not all zero; got "
                    "{weights}.",
                    "weights demande un nombre par catégorie ({count} ici), aucun négatif et pas tous nuls ; valeur "
                    "reçue : {weights}."),
    # hardware
    "no_cuda": ("CUDA was requested but this machine has no usable NVIDIA GPU. Use --device cpu, or --device auto to "
                "take the best available.",
                "CUDA a été demandé mais cette machine n'a pas de GPU NVIDIA utilisable. Utilisez --device cpu, ou "
                "--device auto pour prendre le meilleur disponible."),
    "no_mps": ("MPS was requested but this machine has no Apple GPU. Use --device cpu or --device auto.",
               "MPS a été demandé mais cette machine n'a pas de GPU Apple. Utilisez --device cpu ou --device auto."),
    "bad_device": ("Unknown device {name!r}: choose auto, cpu, cuda or mps.",
                   "Appareil inconnu {name!r} : choisissez auto, cpu, cuda ou mps."),
    "bad_precision": ("Unknown precision {name!r}: choose auto, fp32, bf16 or fp16.",
                      "Précision inconnue {name!r} : choisissez auto, fp32, bf16 ou fp16."),
    "no_gpu_slow": ("No GPU found, so the '{preset}' preset trains on the CPU: it is sized for a GPU and will be very "
                    "slow here.",
                    "Aucun GPU trouvé : le préréglage « {preset} » s'entraîne donc sur le CPU ; il est prévu pour un "
                    "GPU et sera très lent ici."),
    # several processes (torchrun, distributed.py)
    "too_many_ranks": ("torchrun started {world} processes, but there are only {images} image(s) and {batch} per "
                       "batch: each process needs "
                       "at least one image and one place in the batch. Use --nproc_per_node {most} or fewer, or more "
                       "images or a bigger --batch-size.",
                       "torchrun a lancé {world} processus, mais il n'y a que {images} image(s) et {batch} par lot "
                       "(batch) : chaque processus a besoin "
                       "d'au moins une image et d'une place dans le lot. Utilisez --nproc_per_node {most} ou moins, ou "
                       "plus d'images, ou un --batch-size plus grand."),
    "distributed": ("{world} processes (DistributedDataParallel, {backend}): each trains on {shard} images, {per_rank} "
                    "per step ({batch} per step in all).",
                    "{world} processus (DistributedDataParallel, {backend}) : chacun s'entraîne sur {shard} images, "
                    "{per_rank} par étape ({batch} par étape en tout)."),
    # command line
    "wrote": ("Wrote {path}", "Fichier écrit : {path}"),
    "sampled": ("Sampled {n} images with {sampler} in {steps} steps in {seconds:.2f} s.",
                "{n} images générées avec {sampler} en {steps} étapes en {seconds:.2f} s."),
    "precision": ("Training on {device} with {precision} ({threads} threads).",
                  "Entraînement sur {device} en {precision} ({threads} threads)."),
    "resumed": ("Resumed from {path} at step {step}.", "Reprise depuis {path} à l'étape {step}."),
    # widgets (diffusion_lab/widgets.py): labels big enough to read on a projector
    "widget_noise": ("t = {t}   ·   x_t = {signal} × the picture + {noise} × the noise",
                     "t = {t}   ·   x_t = {signal} × l'image + {noise} × le bruit"),
    "widget_signal_row": ("what is left of the cat: sqrt(alpha_bar_t) · x0",
                          "ce qui reste du chat : sqrt(alpha_bar_t) · x0"),
    "widget_noise_row": ("the noise added: sqrt(1 - alpha_bar_t) · eps",
                         "le bruit ajouté : sqrt(1 - alpha_bar_t) · eps"),
    "widget_sum_row": ("their sum, the noisy picture x_t", "leur somme, l'image bruitée x_t"),
    "widget_step": ("step {i} of {n}   ·   t = {t}   ·   noise left: {percent:.0f}%",
                    "étape {i} sur {n}   ·   t = {t}   ·   bruit restant : {percent:.0f} %"),
    "widget_step_label": ("step", "étape"),
    "widget_xt": ("noisy x_t", "bruitée x_t"),
    "widget_eps_pred": ("noise eps_pred", "bruit eps_pred"),
    "widget_x0_pred": ("guess x0_pred", "devinée x0_pred"),
    "widget_panels": ("noisy image x_t   |   predicted noise eps_pred   |   predicted clean image x0_pred",
                      "image bruitée x_t   |   bruit prédit eps_pred   |   image nette prédite x0_pred"),
    "widget_still": ("A still picture: run the notebook to move the slider.",
                     "Image fixe : exécutez le notebook pour bouger le curseur."),
    "widget_loss": ("loss", "perte"),
    "widget_training_step": ("training step", "étape d'entraînement"),
    "widget_after": ("after {step} steps", "après {step} étapes"),
    "widget_timelapse": ("The same noise, denoised by the network as it learns:",
                         "Le même bruit, débruité par le réseau au fil de l'apprentissage :"),
    # text prompts (diffusion_lab/text.py)
    "text_extra_missing": ("Text prompts need the text extra ({missing} is missing): pip install "
                           "\"diffusion-lab[text]\"",
                           "Les phrases (prompts) demandent l'extra text ({missing} est absent) : pip install "
                           "\"diffusion-lab[text]\""),
    "empty_prompt": ("The prompt is empty, so the model draws without a condition (the null condition: anything it "
                     "learnt).",
                     "La phrase est vide : le modèle dessine donc sans condition (la condition nulle : n'importe "
                     "laquelle des images qu'il a apprises)."),
    "prompt_truncated": ("The prompt is too long: the encoder reads only its first {most} tokens of {tokens}, up to "
                         "\"…{last}\"; the rest is ignored.",
                         "La phrase est trop longue : l'encodeur ne lit que ses {most} premiers tokens sur {tokens}, "
                         "jusqu'à « …{last} » ; la suite est ignorée."),
    "prompt_unknown": ("The encoder knows none of the characters of this prompt ({characters}: emoji, or an alphabet "
                       "it never learnt), so the model draws without a condition (the null condition: anything it "
                       "learnt).",
                       "L'encodeur ne connaît aucun des caractères de cette phrase ({characters} : des émojis, ou un "
                       "alphabet qu'il n'a jamais appris) : le modèle dessine donc sans condition (la condition "
                       "nulle : n'importe laquelle des images qu'il a apprises)."),
    "prompt_partly_unknown": ("The encoder does not know these characters and reads each one as an unknown token, "
                              "<unk>: {characters}. It reads the rest of the prompt.",
                              "L'encodeur ne connaît pas ces caractères et lit chacun comme un token inconnu, <unk> : "
                              "{characters}. Il lit le reste de la phrase."),
    "encoder_unknown": ("{name!r} is not a sentence encoder diffusion-lab knows: it reads sentences with {encoder} "
                        "only.",
                        "« {name} » n'est pas un encodeur de phrases connu de diffusion-lab : il lit les phrases "
                        "avec {encoder} seulement."),
    "text_model_other_encoder": ("This text model needs the sentence encoder {name} ({dim} numbers per token), which "
                                 "diffusion-lab no longer uses: it now reads prompts with {encoder} ({ours} numbers, "
                                 "French and English alike). Train a text model for it: `diffusion-lab train "
                                 "--preset text --out runs/text.pt`.",
                                 "Ce modèle de texte a besoin de l'encodeur de phrases {name} ({dim} nombres par "
                                 "token), que diffusion-lab n'utilise plus : il lit maintenant les phrases avec "
                                 "{encoder} ({ours} nombres, en français comme en anglais). Entraînez un modèle de "
                                 "texte pour lui : `diffusion-lab train --preset text --out runs/text.pt`."),
    # what notebook 00 prints
    "cell_too_early": ("`{name}` does not exist yet: this cell needs the cells above it. Run them first, in order, "
                       "from the top "
                       "(menu Run › Run All Above Selected Cell), then this one again.",
                       "« {name} » n'existe pas encore : cette cellule a besoin des cellules au-dessus d'elle. "
                       "Exécutez-les "
                       "d'abord, dans l'ordre, depuis le haut (menu Run › Run All Above Selected Cell), puis celle-ci "
                       "à nouveau."),
    "video_offline": ("This computer is offline, so the video is not shown here. The teacher projects it, or open it "
                      "later:",
                      "Cet ordinateur n'est pas connecté à Internet : la vidéo ne s'affiche pas ici. Le professeur la "
                      "projette, "
                      "ou ouvrez-la plus tard :"),
    "video_from": ("from {start}", "à partir de {start}"),
    "nb00_trained": ("{steps} training steps in {seconds:.0f} s ({images} pictures seen). Mean loss of the last 50 "
                     "steps: {loss}.",
                     "{steps} étapes d'entraînement en {seconds:.0f} s ({images} images vues). Perte moyenne des 50 "
                     "dernières étapes : {loss}."),
    "nb00_shipped": ("The model trained for you: {steps} steps ({minutes:.0f} minutes on 2 cores), {images} cats, "
                     "{millions} million parameters.",
                     "Le modèle entraîné pour vous : {steps} étapes ({minutes:.0f} minutes sur 2 cœurs), {images} "
                     "chats, {millions} million de paramètres."),
    "nb00_new": ("new", "nouveau"),
    "nb00_nearest": ("nearest, d = {d}", "plus proche, d = {d}"),
    "nb00_distances": ("Distance from a new cat to its nearest training cat: {new} on average. Between two different "
                       "training cats: {real}.",
                       "Distance d'un nouveau chat au chat d'entraînement le plus proche : {new} en moyenne. Entre "
                       "deux chats d'entraînement différents : {real}."),
    "nb00_in_en": ("in English", "en anglais"),
    "nb00_in_fr": ("in French", "en français"),
    "nb00_map_title": ("The embedding of each sentence, seen from above (its 512 numbers squeezed to 2)",
                       "Le plongement de chaque phrase, vu d'en haut (ses 512 nombres réduits à 2)"),
    "nb00_map_cosines": ("How close (cosine, 1 for the same direction): a French sentence and its English "
                         "translation {translation} on average; a French sentence and the English of another "
                         "sentence {other}.",
                         "Proximité (cosinus, 1 pour la même direction) : une phrase française et sa traduction "
                         "anglaise, {translation} en moyenne ; une phrase française et l'anglais d'une autre phrase, "
                         "{other}."),
    "nb00_ours": ("{name}: {millions} million parameters, trained on {images} pictures for {minutes:.0f} minutes on a "
                  "2-core processor.",
                  "{name} : {millions} million de paramètres, entraîné sur {images} images pendant {minutes:.0f} "
                  "minutes sur un processeur à 2 cœurs."),
    # (end of notebook 00)
    # what notebooks 01-03 print
    "nb01_linear": ("linear", "linéaire"),
    "nb01_cosine": ("cosine", "cosinus"),
    "nb01_schedule": ("Noise schedule: {kind}, T = {T} steps, numbered t = 0 to {last}.",
                    "Programme de bruitage : {kind}, T = {T} étapes, numérotées de t = 0 à {last}."),
    "nb02_unet": ("The network: a U-Net for {size}×{size} colour pictures, with {millions} million parameters "
                  "(weights); it predicts {prediction}.",
                "Le réseau : un U-Net pour des images en couleur de {size}×{size} pixels, avec {millions} million de "
                "paramètres (poids) ; il prédit {prediction}."),
    "nb01_pixels": ("shape {shape}, pixel values from {low} to {high}",
                    "forme {shape}, valeurs des pixels de {low} à {high}"),
    "nb01_beta_range": ("beta goes from {first} at t = 0 to {last} at t = {end}",
                        "beta va de {first} à t = 0 jusqu'à {last} à t = {end}"),
    "nb01_attenuate": ("at step t = {t}, every pixel is multiplied by sqrt(alpha[t]) = {factor}, then a little noise "
                       "is added",
                       "à l'étape t = {t}, chaque pixel est multiplié par sqrt(alpha[t]) = {factor}, puis on ajoute un "
                       "peu de bruit"),
    "nb01_alpha_bar": ("alpha_bar at t = {t}: {value}", "alpha_bar à t = {t} : {value}"),
    "nb01_std_steps": ("standard deviation of the noise left, step by step:  {value}",
                       "écart-type du bruit restant, pas à pas :               {value}"),
    "nb01_std_formula": ("standard deviation the formula predicts, sqrt(1 - alpha_bar): {value}",
                         "écart-type prévu par la formule, sqrt(1 - alpha_bar) : {value}"),
    "nb01_shares": ("t = {t:4d}   cat left: {cat:>5}%   noise: {noise:>5}%   signal-to-noise ratio: {snr:>9}",
                    "t = {t:4d}   reste du chat : {cat:>5} %   bruit : {noise:>5} %   rapport signal sur bruit : "
                    "{snr:>9}"),
    "nb01_axis_t": ("step t", "étape t"),
    "nb01_axis_cat": ("cat left in %: 100 × sqrt(alpha_bar[t])", "reste du chat en % : 100 × sqrt(alpha_bar[t])"),
    "nb01_axis_snr": ("signal-to-noise ratio snr(t), log scale", "rapport signal sur bruit snr(t), échelle log"),
    "nb02_predicts": ("our network predicts: {prediction}", "notre réseau prédit : {prediction}"),
    "nb02_loss_untrained": ("untrained network: loss {loss}", "réseau non entraîné : perte {loss}"),
    "nb02_loss_grey": ("a network that always returns a grey picture (every pixel 0): loss {loss}",
                       "un réseau qui renverrait toujours une image grise (tous les pixels à 0) : perte {loss}"),
    "nb02_trained": ("{steps} training steps in {seconds:.0f} s; mean loss over the last {last}: {loss}",
                     "{steps} étapes d'entraînement en {seconds:.0f} s ; perte moyenne sur les {last} dernières : "
                     "{loss}"),
    "nb02_picture": ("the picture", "l'image"),
    "nb02_latent": ("its latent", "son latent"),
    "nb02_redrawn": ("redrawn", "redessinée"),
    "nb02_numbers": ("the picture: {picture} numbers; its latent: {latent} numbers ({ratio} times fewer)",
                     "l'image : {picture} nombres ; son latent : {latent} nombres ({ratio} fois moins)"),
    "nb02_gif_step": ("step {step}", "étape {step}"),
    "nb02_shipped": ("the shipped denoiser trained for {steps} steps ({minutes:.0f} minutes)",
                     "le débruiteur fourni s'est entraîné pendant {steps} étapes ({minutes:.0f} minutes)"),
    "nb02_legend_shipped": ("the shipped denoiser", "le débruiteur fourni"),
    "nb02_legend_mine": ("trained in this notebook", "entraîné dans ce notebook"),
    "nb02_axis_step": ("training step", "étape d'entraînement"),
    "nb02_axis_loss": ("loss (log scale)", "perte (échelle log)"),
    "nb03_visited": ("{n} steps, visiting t = {ts}", "{n} étapes, qui passent par t = {ts}"),
    "nb03_timed": ("{sampler}, {steps} steps: {seconds} s for {n} cats",
                   "{sampler}, {steps} étapes : {seconds} s pour {n} chats"),
    "nb03_new": ("new", "nouveau"),
    "nb03_distance": ("d = {d}", "d = {d}"),
    "nb03_new_to_training": ("new cat -> nearest training cat:            {d} on average",
                             "nouveau chat -> chat d'entraînement le plus proche :              {d} en moyenne"),
    "nb03_training_to_training": ("training cat -> nearest other training cat: {d} on average",
                                  "chat d'entraînement -> autre chat d'entraînement le plus proche : {d} en moyenne"),
    # (end of notebooks 01-03)
    # what notebooks 04-06 print
    "nb04_guided_pixel": ("w = {w}: the pixel becomes {value}", "w = {w} : le pixel devient {value}"),
    "nb04_data": ("in the lopsided data", "dans les données déséquilibrées"),
    "nb04_before": ("drawn before", "dessinées avant"),
    "nb04_after": ("drawn after", "dessinées après"),
    "nb04_share_of_pictures": ("share of the pictures", "part des images"),
    "nb04_bias_title": ("Which categories, with no label? (counted by the classifier)",
                        "Quelles catégories, sans étiquette ? (comptées par le classifieur)"),
    "nb04_dropout": ("Label dropout in training: {percent:.0f}% of the time.",
                     "Abandon d'étiquette à l'entraînement : {percent:.0f} % du temps."),
    "nb04_accuracy": ("accuracy (share recognised)", "exactitude (part reconnue)"),
    "nb04_frechet": ("Fréchet distance to real pictures", "distance de Fréchet aux vraies images"),
    "nb04_diversity": ("diversity", "diversité"),
    "nb04_generated": ("generated pictures", "images générées"),
    "nb04_real": ("real pictures", "vraies images"),
    "nb04_guidance_w": ("guidance w", "guidage w"),
    "nb_cosine": ("{value}   {a} / {b}", "{value}   {a} / {b}"),
    "nb05_loaded": ("Denoiser: {millions} million parameters. Sentence encoder: {name}, {dim} numbers per sentence, "
                    "at most {most} tokens, frozen, loaded in {seconds:.0f} s.",
                    "Débruiteur : {millions} millions de paramètres. Encodeur de phrases : {name}, {dim} nombres par "
                    "phrase, "
                    "au plus {most} tokens, gelé, chargé en {seconds:.0f} s."),
    "nb05_sentences": ("{n} sentences", "{n} phrases"),
    "nb05_in_en": ("in English", "en anglais"),
    "nb05_in_fr": ("in French", "en français"),
    "nb05_map_title": ("The sentences' embeddings, flattened from 512 numbers to 2 (PCA)",
                       "Les plongements des phrases, aplatis de 512 nombres à 2 (ACP)"),
    "nb05_translations": ("A French sentence and its English translation: cosine {translation} on average. A French "
                          "sentence and another French sentence: {other}. For {nearest} French sentences of {n}, the "
                          "nearest English sentence is the translation.",
                          "Une phrase française et sa traduction anglaise : cosinus de {translation} en moyenne. Une "
                          "phrase française et une autre phrase française : {other}. Pour {nearest} phrases "
                          "françaises sur {n}, la phrase anglaise la plus proche est la traduction."),
    "nb05_reader": ("A reader trained on English captions only finds the thing's colour in the captions of other "
                    "pictures: {en:.0f}% in English, {fr:.0f}% in French, a language it never read (a blind guess "
                    "among {colours} colours: 1 in {colours}).",
                    "Un lecteur entraîné sur des légendes en anglais seulement trouve la couleur de la chose dans les "
                    "légendes d'autres images : {en:.0f} % en anglais, {fr:.0f} % en français, une langue qu'il n'a "
                    "jamais lue (au hasard, parmi {colours} couleurs : 1 sur {colours})."),
    "nb05_reader_english_only": ("The same reader with all-MiniLM-L6-v2, an encoder trained on English only "
                                 "(measured once on the same pictures, data/text.md): {en:.0f}% in English, "
                                 "{fr:.0f}% in French.",
                                 "Le même lecteur avec all-MiniLM-L6-v2, un encodeur entraîné sur de l'anglais "
                                 "seulement (mesuré une fois sur les mêmes images, data/text.md) : {en:.0f} % en "
                                 "anglais, {fr:.0f} % en français."),
    "nb05_cross_attention": ("Layers that read the words (cross-attention): {layers}",
                             "Couches qui lisent les mots (attention croisée) : {layers}"),
    "nb05_dropout": ("Caption dropout in training: {percent:.0f}% of the time. Default guidance: w = {guidance:g}.",
                     "Abandon de légende à l'entraînement : {percent:.0f} % du temps. Guidage par défaut : w = "
                     "{guidance:g}."),
    "nb06_loaded": ("Sentence encoder loaded in {seconds:.0f} s.", "Encodeur de phrases chargé en {seconds:.0f} s."),
    "nb06_heat_map_title": ("Cosine similarity of every pair of sentences",
                            "Similarité cosinus de chaque paire de phrases"),
    "nb06_category": ("category", "catégorie"),
    "nb06_colour": ("colour", "couleur"),
    "nb06_background": ("background", "fond"),
    "nb06_share": ("{attribute} {percent:.0f}%", "{attribute} {percent:.0f} %"),
    "nb06_never_seen": ("(never in training)", "(jamais vu à l'entraînement)"),
    "nb06_meter_reads": ("The meter reads:", "L'instrument de mesure lit :"),
    "nb06_reads_one": ("{attribute} {values}", "{attribute} {values}"),
    "nb06_other_ending": ("Cosine with a different ending: {value}", "Cosinus avec une fin différente : {value}"),
    # (end of notebooks 04-06)
    # writing files, reading images and prompts, widget arguments
    "bad_extension": ("{path}: the file name must end in {extensions} (the ending says which kind of file to write).",
                      "{path} : le nom du fichier doit se terminer par {extensions} (la fin du nom dit quel type de "
                      "fichier écrire)."),
    "output_is_folder": ("{path} is a folder: give the name of a file to write in it, not the folder itself.",
                         "{path} est un dossier : donnez le nom d'un fichier à écrire dedans, pas le dossier "
                         "lui-même."),
    "output_special": ("{path} is not an ordinary file (a device such as /dev/null, a socket or a pipe): diffusion-lab "
                       "does not replace it. "
                       "Choose another file name.",
                       "{path} n'est pas un fichier ordinaire (un périphérique comme /dev/null, une socket ou un "
                       "tube) : diffusion-lab "
                       "ne le remplace pas. Choisissez un autre nom de fichier."),
    "output_unwritable": ("Cannot write {path}: {reason}. Choose another place; nothing has been computed yet.",
                          "Impossible d'écrire {path} : {reason}. Choisissez un autre endroit ; rien n'a encore été "
                          "calculé."),
    "cannot_write": ("Could not write {path}: {reason}. Nothing was replaced: the file that was there, if any, is "
                     "unchanged.",
                     "Impossible d'écrire {path} : {reason}. Rien n'a été remplacé : le fichier qui s'y trouvait, s'il "
                     "y en avait un, est intact."),
    "reason_disk_full": ("the disk is full", "le disque est plein"),
    "reason_read_only": ("the disk is read-only", "le disque est en lecture seule"),
    "reason_no_permission": ("you are not allowed to write in this folder",
                             "vous n'avez pas le droit d'écrire dans ce dossier"),
    "reason_not_a_folder": ("a part of the path is a file, not a folder",
                            "une partie du chemin est un fichier, pas un dossier"),
    "image_too_big": ("The image {path} is too big to open safely (more than {most} million pixels): use a smaller "
                      "copy of it; "
                      "a few hundred pixels wide is plenty here.",
                      "L'image {path} est trop grande pour être ouverte sans risque (plus de {most} millions de "
                      "pixels) : utilisez-en "
                      "une copie plus petite ; quelques centaines de pixels de large suffisent ici."),
    "image_huge": ("The image {path} is very large ({megapixels} million pixels): reading it takes a lot of memory and "
                   "time. "
                   "A smaller copy gives the same result here.",
                   "L'image {path} est très grande ({megapixels} millions de pixels) : la lire demande beaucoup de "
                   "mémoire et de temps. "
                   "Une copie plus petite donne ici le même résultat."),
    "folder_huge": ("{count} very large image(s) (more than {most} million pixels), for example {example}: reading "
                    "them takes a lot "
                    "of memory and time; smaller copies give the same result.",
                    "{count} image(s) très grande(s) (plus de {most} millions de pixels), par exemple {example} : les "
                    "lire demande "
                    "beaucoup de mémoire et de temps ; des copies plus petites donnent le même résultat."),
    "prompt_repaired": ("The prompt had letters that are not UTF-8 (a terminal set to another encoding?); it was read "
                        "as {prompt!r}.",
                        "La phrase contenait des lettres hors UTF-8 (un terminal réglé sur un autre encodage ?) ; elle "
                        "a été lue ainsi : « {prompt} »."),
    "prompt_unreadable": ("The text encoder cannot read this prompt ({reason}). Type it again with ordinary letters.",
                          "L'encodeur de texte ne peut pas lire cette phrase ({reason}). Retapez-la avec des lettres "
                          "ordinaires."),
    "no_images": ("There is no picture to show: the images have shape {shape}. Give one picture (C, H, W) or a batch "
                  "(B, C, H, W) "
                  "of at least one.",
                  "Il n'y a aucune image à montrer : les images ont la forme {shape}. Donnez une image (C, H, W) ou un "
                  "lot (B, C, H, W) "
                  "d'au moins une image."),
    "no_steps": ("There are no sampler steps to show. Give the Steps of denoise(...), as a list or the generator "
                 "itself; "
                 "a generator can be read only once, so call denoise(...) again.",
                 "Il n'y a aucune étape à montrer. Donnez les étapes (Steps) de denoise(...), en liste ou le "
                 "générateur lui-même ; "
                 "un générateur ne se lit qu'une fois : rappelez denoise(...)."),
    "bad_monitor_steps": ("The monitor's steps (the DDIM steps of each snapshot) must be a whole number from 1 to T (8 "
                          "is plenty), got {steps!r}.",
                          "steps, les étapes DDIM de chaque instantané du moniteur, doit être un entier de 1 à T (8 "
                          "suffisent) ; valeur reçue : {steps!r}."),
}


def french_spacing(prose: str) -> str:
    """A narrow no-break space before ; : ! ? and %, inside « », and between groups of thousands (20 000)."""
    prose = re.sub(r"[ \u00a0]+(?=[;:?%]|!(?!\[))", NARROW_NBSP, prose)  # "![" starts a picture in markdown
    prose = re.sub(r"«[ \u00a0\u202f]*", "«" + NARROW_NBSP, prose)
    prose = re.sub(r"[ \u00a0\u202f]*»", NARROW_NBSP + "»", prose)
    return re.sub(r"(?<=\d)[ \u00a0](?=\d{3}(?!\d))", NARROW_NBSP, prose)


def french_typography(text: str) -> str:
    """French text with French spacing (french_spacing) everywhere but in code, formulas, HTML tags and addresses."""
    pieces, start = [], 0
    for kept in UNTOUCHED.finditer(text):
        pieces += [french_spacing(text[start:kept.start()]), kept.group()]
        start = kept.end()
    return "".join(pieces + [french_spacing(text[start:])])


def decimal(value: float, digits: int = 2) -> str:
    """A number as the current language writes it: 0.70 in English, 0,70 in French."""
    written = f"{value:.{digits}f}"
    return written.replace(".", ",") if get_language() == "fr" else written


def set_language(language: str):
    """Choose 'en' or 'fr' for every message from now on."""
    global _language
    if language not in ("en", "fr"):
        raise ValueError(f"language must be 'en' or 'fr', got {language!r}")
    _language = language


def get_language() -> str:
    if _language:
        return _language
    env = os.environ.get("DIFFUSION_LAB_LANG") or os.environ.get("LC_ALL") or os.environ.get("LANG") or ""
    return "fr" if env.lower().startswith("fr") else "en"


def grouped(value: int) -> str:
    """A whole number as French writes it, its thousands apart: 20 000 (with a narrow no-break space)."""
    return f"{value:,}".replace(",", NARROW_NBSP)


def message(key: str, **values) -> str:
    """The sentence `key` in the current language, with its {placeholders} filled in."""
    english, french = MESSAGES[key]
    if get_language() == "en":
        return english.format(**values)
    large = {name: grouped(v) for name, v in values.items() if type(v) is int and abs(v) >= 10_000}  # not bools
    return french_typography(french).format(**{**values, **large})


class DiffusionLabError(ValueError):
    """An error whose message is meant for a student: one sentence that says what is wrong and what to do."""

    def __init__(self, key: str, **values):
        self.key = key
        super().__init__(message(key, **values))


def bad_value(name: str, value, english: str, french: str) -> DiffusionLabError:
    """The error for a setting or an option outside what it may be: `english` / `french` say what it must be."""
    return DiffusionLabError("bad_setting", name=name, value=value,
                             expected=french if get_language() == "fr" else english)


def whole_range(least: int, most: int) -> str:
    """'a whole number from 1 to 1,024', in the current language."""
    if get_language() == "fr":
        return f"un entier de {grouped(least)} à {grouped(most)}"
    return f"a whole number from {least:,} to {most:,}"


def number_range(least: float, most: float) -> str:
    """'a number from 0 to 20', in the current language."""
    if get_language() == "fr":
        return f"un nombre de {decimal_g(least)} à {decimal_g(most)}"
    return f"a number from {least:g} to {most:g}"


def whole_number(name: str, value, least: int, most: int) -> int:
    """`value` if it is a whole number from `least` to `most` (not a bool, not 2.5), else a clear error."""
    if type(value) is not int or not least <= value <= most:
        raise DiffusionLabError("bad_setting", name=name, value=value, expected=whole_range(least, most))
    return value


def real_number(name: str, value, least: float, most: float) -> float:
    """`value` as a float if it is a number from `least` to `most` (not NaN, not a bool), else a clear error."""
    # NaN fails every comparison
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not least <= value <= most:
        raise DiffusionLabError("bad_setting", name=name, value=value, expected=number_range(least, most))
    return float(value)


def one_of(name: str, value, choices):
    """`value` if it is one of `choices` (a list, or a typing.Literal), else a clear error that lists them."""
    allowed = getattr(choices, "__args__", choices)
    if value not in allowed:
        listed = ", ".join(repr(choice) for choice in allowed)
        raise bad_value(name, value, f"one of {listed}", f"l'un de {listed}")
    return value


def decimal_g(value: float) -> str:
    """A number in its shortest form, with a decimal comma in French: 0,999."""
    written = f"{value:g}"
    return written.replace(".", ",") if get_language() == "fr" else written
