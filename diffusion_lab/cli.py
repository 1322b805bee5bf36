"""The command line: `diffusion-lab noise | train | sample | animate`, one line per stage of the lesson."""
import argparse
import math
import os
import sys
import time
from pathlib import Path

import torch

from . import distributed, messages
from .autoencoder import AutoencoderSettings
from .checkpoint import load_checkpoint, load_model, load_run, save_autoencoder, shipped_checkpoint
from .conditioning import MAX_GUIDANCE, one_hot
from .data import load_image, procedural_categories, procedural_cats, to_model_range
from .files import check_output
from .hardware import get_device, keep_freed_memory, resolve_precision
from .messages import DiffusionLabError, message, number_range, whole_range
from .pictures.categories import BACKGROUNDS, CATEGORIES, COLOURS, label_of
from .presets import PRESETS, preset
from .sample import denoise, timed_sample
from .schedule import NoiseSchedule
from .train import make_autoencoder_run, make_run, train, train_autoencoder, training_data
from .viz import PICTURE_EXTENSIONS, denoising_frames, grid, noise_strip, save_gif, save_picture


def _(english: str, french: str) -> str:
    """Help text in the user's language."""
    return french if messages.get_language() == "fr" else english


# Every value typed on the command line is checked here, as argparse reads it: one sentence, before any work.
def whole(least: int, most: int):
    """An argparse type: a whole number from `least` to `most`."""
    def read(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or not least <= value <= most:
            raise argparse.ArgumentTypeError(message("bad_option", text=text, expected=whole_range(least, most)))
        return value
    return read


def number(least: float, most: float):
    """An argparse type: a number from `least` to `most` (nan and inf are refused)."""
    def read(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not least <= value <= most:
            raise argparse.ArgumentTypeError(message("bad_option", text=text, expected=number_range(least, most)))
        return value
    return read


SEED = whole(0, 2**63 - 1)  # what torch.Generator.manual_seed takes


class Parser(argparse.ArgumentParser):
    """argparse, but a mistake gets one line on stderr (not the usage block), and exit status 2."""

    def error(self, text: str):
        self.exit(2, f"diffusion-lab: {text}\n")


def model_for(args):
    """The model and schedule from --checkpoint, or the preset's shipped weights when it is omitted.
    An explicit --preset must match what the checkpoint holds (a categories model is not a cats model)."""
    path = Path(args.checkpoint) if args.checkpoint else shipped_checkpoint(args.preset or "cats")
    model, schedule = load_model(path, kind=preset(args.preset).condition if args.preset else None)
    return model.to(get_device(getattr(args, "device", "cpu"))), schedule


def condition_for(args, model, n: int):
    """The condition vectors for --class (or --prompt), and the guidance scale; (None, 1) for an unconditional model."""
    settings = model.settings
    if not settings.conditional:
        if args.class_name or args.prompt:
            raise DiffusionLabError("not_conditional", kind=settings.condition, wanted="categories or text")
        if args.guidance is not None:
            raise DiffusionLabError("option_not_for_model", kind=settings.condition, option="--guidance")
        return None, 1.0
    guidance = settings.guidance if args.guidance is None else args.guidance
    if (settings.condition == "class" and args.prompt) or (settings.condition == "text" and args.class_name):
        raise DiffusionLabError("wrong_condition", kind=settings.condition,
                                option="--class" if settings.condition == "class" else "--prompt")
    if settings.condition == "class":
        classes = settings.classes
        labels = [label_of(args.class_name)] * n if args.class_name else [i % len(classes) for i in range(n)]
        return one_hot(torch.tensor(labels), len(classes)), guidance
    from .text import prompt_condition
    return prompt_condition(args.prompt, settings), guidance


def noise_command(args):
    schedule = NoiseSchedule(args.T, args.schedule)
    for t in args.t:
        schedule.check_t(t)
    out = check_output(args.out, PICTURE_EXTENSIONS)  # before the work
    if args.image:
        x0 = load_image(args.image, args.size)
    else:
        x0 = procedural_cats(args.index + 1, args.size)[0][args.index]
    strip = noise_strip(to_model_range(x0), schedule, args.t, seed=args.seed)
    save_picture(strip, out)
    print(message("wrote", path=args.out))


def train_command(args):
    keep_freed_memory()
    if args.preset == "autoencoder":
        return train_autoencoder_command(args)
    # under torchrun every process builds the same starting weights (or reads the same checkpoint)
    torch.manual_seed(args.seed)
    if args.resume:
        run = load_run(args.resume, lr=args.lr)
        if args.preset and args.preset != run.settings.preset:
            raise DiffusionLabError("preset_disagrees", path=args.resume, kind=run.settings.preset, preset=args.preset)
        if args.batch_size is not None:
            run.settings = run.model.settings = run.ema.settings = run.settings.changed(batch_size=args.batch_size)
    else:
        if args.steps == 0:
            raise DiffusionLabError("steps_zero_needs_resume")
        changes = {key: value for key, value in (("lr", args.lr), ("batch_size", args.batch_size),
                                                 ("dataset", args.dataset)) if value is not None}
        run = make_run(args.preset or "cats", **changes)
    settings = run.settings
    args.out = args.out or f"runs/{settings.preset}.pt"
    out = check_output(args.out, {".pt"})  # before the work, not after it
    if out.is_file() and not args.overwrite and not (args.resume and out.samefile(args.resume)):
        raise DiffusionLabError("out_exists", path=args.out, step=_step_in(out))
    device = get_device(args.device or settings.device)  # the photos preset asks for "auto": a GPU if there is one
    device = distributed.setup(device)  # under torchrun: join the other processes, one GPU each
    main = distributed.is_main()
    if not main:  # only process 0 talks; the others train in silence
        sys.stdout = open(os.devnull, "w")
    torch.manual_seed(args.seed + distributed.rank())  # each process draws its own batches and noise
    try:
        if args.resume:
            print(message("resumed", path=args.resume, step=run.step))
        if device.type == "cpu" and settings.device == "auto":
            print(message("no_gpu_slow", preset=settings.preset))
        run.model.to(device)
        run.ema.to(device)
        # moves a resumed optimizer's moments next to the weights
        run.optimizer.load_state_dict(run.optimizer.state_dict())
        images, conds = training_data(settings, args.dataset, args.images)
        precision = resolve_precision(args.precision, device)
        print(message("precision", device=device, precision=precision, threads=torch.get_num_threads()))
        steps_before, start = run.step, time.perf_counter()
        train(run, images, steps=args.steps, minutes=args.minutes, checkpoint=out, precision=precision, half=args.half,
              conds=conds, save_every=args.save_every)
        if run.interrupted:
            sys.exit(130)
        done = run.step - steps_before
        # this session only: a resumed run's checkpoint also counts earlier sessions
        seconds = time.perf_counter() - start
        print(message("training_done", steps=done, seconds=seconds,
                      rate=done * settings.batch_size / max(seconds, 1e-9),
                      loss=sum(run.losses[-100:]) / max(1, len(run.losses[-100:]))))
        print(message("checkpoint_saved", path=args.out, step=run.step))
    except DiffusionLabError:
        if main:
            raise
        sys.exit(2)  # process 0 prints the same sentence: once is enough
    finally:
        distributed.cleanup()


def train_autoencoder_command(args):
    """diffusion-lab train --preset autoencoder: the frozen autoencoder of the latent presets, then its meter."""
    from .evaluate import load_classifier, measure_reconstructions
    for option, value in (("--resume", args.resume), ("--dataset", args.dataset), ("--images", args.images)):
        if value:
            raise DiffusionLabError("option_not_for_autoencoder", option=option)
    if args.steps == 0:
        raise DiffusionLabError("steps_zero_needs_resume")
    torch.manual_seed(args.seed)
    changes = {key: value for key, value in (("lr", args.lr), ("batch_size", args.batch_size)) if value is not None}
    run = make_autoencoder_run(AutoencoderSettings().changed(**changes))
    settings = run.settings
    args.out = args.out or "runs/autoencoder.pt"
    out = check_output(args.out, {".pt"})
    if out.is_file() and not args.overwrite:
        raise DiffusionLabError("out_exists", path=args.out, step="?")
    images, _, _ = procedural_categories(settings.n_images, settings.model.size, toy_coats=settings.toy_coats)
    precision = resolve_precision(args.precision, torch.device("cpu"))
    print(message("precision", device="cpu", precision=precision, threads=torch.get_num_threads()))
    start = time.perf_counter()
    train_autoencoder(run, images, steps=args.steps, minutes=args.minutes, checkpoint=out, precision=precision,
                      save_every=args.save_every)
    if run.interrupted:
        sys.exit(130)
    seconds = time.perf_counter() - start
    print(message("training_done", steps=run.step, seconds=seconds, rate=run.step * settings.batch_size / seconds,
                  loss=sum(run.losses[-100:]) / max(1, len(run.losses[-100:]))))
    reading = measure_reconstructions(run.ema, load_classifier())
    run.metrics = {"reconstructions": reading}
    save_autoencoder(run, out, half=args.half)
    print(message("reconstructions", frechet=", ".join(f"{name} {r['frechet']:.1f}" for name, r in reading.items()),
                  floor=max(r["floor"] for r in reading.values()),
                  error=max(r["error"] for r in reading.values())))
    print(message("checkpoint_saved", path=args.out, step=run.step))


def _step_in(path: Path):
    """The training step a checkpoint reached ('?' if it cannot be read)."""
    try:
        return load_checkpoint(path)["step"]
    except DiffusionLabError:
        return "?"


def sample_command(args):
    out = check_output(args.out, PICTURE_EXTENSIONS)
    model, schedule = model_for(args)
    cond, guidance = condition_for(args, model, args.n)
    images, seconds = timed_sample(model, schedule, args.n, args.steps, args.sampler, eta=args.eta, seed=args.seed,
                                   cond=cond, guidance=guidance)
    print(message("sampled", n=args.n, sampler=args.sampler.upper(), steps=args.steps, seconds=seconds))
    every_class = model.settings.condition == "class" and not args.class_name
    # a column a class
    save_picture(grid(images, nrow=len(model.settings.classes) if every_class else None, scale=args.scale), out)
    print(message("wrote", path=args.out))


def animate_command(args):
    out = check_output(args.out, {".gif"})
    model, schedule = model_for(args)
    cond, guidance = condition_for(args, model, 1)
    with torch.inference_mode():
        steps = denoise(model, schedule, 1, args.steps, args.sampler, seed=args.seed, cond=cond, guidance=guidance)
        frames = denoising_frames(steps, show_noise=args.show_noise)
    save_gif(frames, out)
    print(message("wrote", path=args.out))


def evaluate_command(args):
    from .evaluate import (
        alignment,
        attribute_targets,
        load_classifier,
        look,
        measure,
        per_class_accuracy,
        real_pictures,
        save_classifier,
        train_classifier,
    )
    torch.manual_seed(args.seed)
    if args.train_classifier:
        args.out = args.out or "runs/classifier.pt"
        out = check_output(args.out, {".pt"})
        images, labels, attributes = real_pictures(args.images, seed=0)
        vocabulary = {"colour": list(COLOURS), "background": list(BACKGROUNDS)}  # read colours too, for prompts
        classifier = train_classifier(images, labels, CATEGORIES, steps=args.classifier_steps, attributes=vocabulary,
                                      targets=attribute_targets(attributes, vocabulary))
        test_images, test_labels, test_attributes = real_pictures(args.images // 2, seed=1)  # pictures it never saw
        accuracy = per_class_accuracy(look(classifier, test_images)[1], test_labels, CATEGORIES)
        colours = alignment(classifier, test_images, [{k: a[k] for k in vocabulary} for a in test_attributes])
        save_classifier(classifier, out, {"accuracy_on_real": accuracy, "attributes_on_real": colours,
                                          "steps": args.classifier_steps, "images": args.images})
        print(message("classifier_accuracy", n=len(test_images), accuracy=_percentages(accuracy)))
        print(message("classifier_colours", accuracy=_percentages(colours)))
        print(message("wrote", path=args.out))
        return
    out = check_output(args.out, PICTURE_EXTENSIONS) if args.out else None
    model, schedule = model_for(args)
    if args.guidance is not None and not model.settings.conditional:
        raise DiffusionLabError("option_not_for_model", kind=model.settings.condition, option="--guidance")
    classifier = load_classifier(args.classifier)
    reading = measure(model, schedule, classifier, args.n, args.guidance, steps=args.steps, seed=args.seed)
    print(message("meter", n=reading["n"], guidance=reading["guidance"], accuracy=_percentages(reading["accuracy"]),
                  mean=100 * reading["mean_accuracy"], frechet=reading["frechet"], floor=reading["floor"]))
    if out:
        save_picture(grid(reading["samples"], nrow=args.n, scale=2), out)
        print(message("wrote", path=args.out))


def _percentages(accuracy: dict) -> str:
    return ", ".join(f"{name} {100 * value:.0f}%" for name, value in accuracy.items())


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="diffusion-lab", description=_(
        "See and do how image generators work: noise cats, train a denoiser, hallucinate new cats.",
        "Voir et faire comment marchent les générateurs d'images : bruiter des chats, entraîner un débruiteur, "
        "halluciner de nouveaux chats."))
    parser.add_argument("--lang", choices=["en", "fr"], help=_("language of the messages", "langue des messages"))
    commands = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    presets = sorted(PRESETS)

    noise = commands.add_parser("noise", help=_("noise an image step by step (forward process)",
                                                "bruiter une image étape par étape (processus direct)"))
    noise.add_argument("--image",
                       help=_("an image file (else a procedural cat)", "un fichier image (sinon un chat procédural)"))
    noise.add_argument("--dataset", choices=["cats"], default="cats",
                       help=_("procedural dataset to take the image from", "jeu de données procédural"))
    noise.add_argument("--index", type=whole(0, 9_999), default=0,
                       help=_("which procedural cat", "quel chat procédural"))
    noise.add_argument("--t", type=whole(0, 9_999), nargs="+", default=[0, 100, 250, 500, 999],
                       help=_("timesteps to show", "étapes à montrer"))
    noise.add_argument("--size", type=whole(8, 512), default=64,
                       help=_("image size in pixels", "taille de l'image en pixels"))
    noise.add_argument("--schedule", choices=["cosine", "linear"], default="cosine")
    noise.add_argument("--T", type=whole(2, 10_000), default=1000,
                       help=_("number of noise steps", "nombre d'étapes de bruit"))
    noise.add_argument("--seed", type=SEED, default=0)
    noise.add_argument("--out", default="strip.png")
    noise.set_defaults(func=noise_command)

    tr = commands.add_parser("train", help=_("train the denoiser", "entraîner le débruiteur"))
    tr.add_argument("--preset", choices=presets + ["autoencoder"],
                    help=_("what to train (default: cats, or the resumed checkpoint's; autoencoder: the latent "
                           "presets' encoder and decoder)",
                           "quoi entraîner (par défaut : cats, ou celui du checkpoint repris ; autoencoder : "
                           "l'encodeur et le décodeur des préréglages latents)"))
    tr.add_argument("--minutes", type=number(1e-3, 60 * 24 * 7), help=_("time budget", "durée maximale"))
    tr.add_argument("--steps", type=whole(0, 10**8),
                    help=_("number of training steps", "nombre d'étapes d'entraînement"))
    tr.add_argument("--out",
                    help=_("checkpoint to write (default: runs/PRESET.pt)",
                           "checkpoint à écrire (par défaut : runs/PRESET.pt)"))
    tr.add_argument("--overwrite", action="store_true",
                    help=_("replace an existing --out checkpoint", "remplacer un checkpoint --out existant"))
    tr.add_argument("--resume", help=_("continue from this checkpoint", "reprendre depuis ce checkpoint"))
    tr.add_argument("--dataset", choices=["cats", "cat-faces", "cifar10-cats"],
                    help=_("training images (default: the preset's)", "images d'entraînement"))
    tr.add_argument("--images", help=_("a folder of your own images", "un dossier de vos propres images"))
    tr.add_argument("--lr", type=number(1e-8, 1.0), help=_("learning rate", "taux d'apprentissage"))
    tr.add_argument("--batch-size", type=whole(1, 4096))
    tr.add_argument("--precision", choices=["auto", "fp32", "bf16", "fp16"], default="auto")
    tr.add_argument("--device", choices=["auto", "cpu", "cuda", "mps"],
                    help=_("where to train (default: cpu; auto for the photos preset: CUDA, else Apple MPS, else CPU)",
                           "où s'entraîner (par défaut : cpu ; auto pour le préréglage photos : CUDA, sinon MPS "
                           "d'Apple, sinon CPU)"))
    tr.add_argument("--seed", type=SEED, default=0)
    tr.add_argument("--save-every", type=number(0, 10**6), default=5.0,
                    help=_("minutes between two saves during training (0: only at the end)",
                           "minutes entre deux sauvegardes pendant l'entraînement (0 : seulement à la fin)"))
    tr.add_argument("--half", action="store_true",
                    help=_("write a small file: EMA weights in float16 only (for sharing, cannot resume the optimizer)",
                           "écrire un petit fichier : poids EMA en float16 seulement (pour partager ; ne reprend pas "
                           "l'optimiseur)"))
    tr.set_defaults(func=train_command)

    for name, func, help_text in (
            ("sample", sample_command, _("generate new images from pure noise",
                                         "générer de nouvelles images à partir de bruit pur")),
            ("animate", animate_command, _("a GIF of the step-by-step denoising", "un GIF du débruitage pas à pas"))):
        sub = commands.add_parser(name, help=help_text)
        sub.add_argument("--checkpoint",
                         help=_("weights to use (default: the shipped cats)",
                                "poids à utiliser (par défaut : les chats fournis)"))
        sub.add_argument("--steps", type=whole(1, 10_000), default=50,
                         help=_("denoising steps", "étapes de débruitage"))
        sub.add_argument("--sampler", choices=["ddim", "ddpm"], default="ddim")
        sub.add_argument("--seed", type=SEED, default=0)
        sub.add_argument("--preset", choices=presets,
                         help=_("which shipped model: cats, categories or text (default: the checkpoint's, else cats)",
                                "quel modèle fourni : cats, categories ou text (par défaut : celui du checkpoint, "
                                "sinon cats)"))
        sub.add_argument("--class", dest="class_name",
                         help=_("category to draw, in English or French (e.g. car, voiture)",
                                "catégorie à dessiner, en français ou en anglais (par ex. voiture, car)"))
        sub.add_argument("--device", choices=["auto", "cpu", "cuda", "mps"], default="cpu",
                         help=_("where to run the network (auto: a GPU if there is one)",
                                "où faire tourner le réseau (auto : un GPU s'il y en a un)"))
        sub.add_argument("--prompt",
                         help=_("a sentence to draw, in English or French (the text model)",
                                "une phrase à dessiner, en français ou en anglais (le modèle texte)"))
        sub.add_argument("--guidance", type=number(0, MAX_GUIDANCE),
                         help=_("classifier-free guidance scale (default: the model's, 3)",
                                "échelle de guidage sans classifieur (par défaut : celle du modèle, 3)"))
        sub.set_defaults(func=func)
    sample_parser, animate_parser = commands.choices["sample"], commands.choices["animate"]
    sample_parser.add_argument("--n", type=whole(1, 1024), default=16, help=_("how many images", "combien d'images"))
    sample_parser.add_argument("--eta", type=number(0, 1), default=0.0,
                               help=_("DDIM randomness, 0 to 1", "aléa de DDIM, de 0 à 1"))
    sample_parser.add_argument("--scale", type=whole(1, 32), default=4,
                               help=_("enlarge the grid this many times", "agrandir la grille"))
    sample_parser.add_argument("--out", default="grid.png")
    animate_parser.add_argument("--show-noise", action="store_true",
                                help=_("also show the predicted noise", "montrer aussi le bruit prédit"))
    animate_parser.add_argument("--out", default="denoise.gif")
    ev = commands.add_parser("evaluate", help=_("the quality meter: does a generated car look like a car?",
                                                "le compteur de qualité : une voiture générée ressemble-t-elle à une "
                                                "voiture ?"))
    ev.add_argument("--checkpoint",
                    help=_("model to measure (default: the preset's shipped weights)",
                           "modèle à mesurer (par défaut : les poids fournis)"))
    ev.add_argument("--preset", choices=presets)
    ev.add_argument("--n", type=whole(2, 1024), default=32,
                    help=_("samples per class (at least 2: the Fréchet distance needs a spread)",
                           "images générées par classe (au moins 2 : la distance de Fréchet a besoin d'une "
                           "dispersion)"))
    ev.add_argument("--steps", type=whole(1, 10_000), default=50)
    ev.add_argument("--guidance", type=number(0, MAX_GUIDANCE))
    ev.add_argument("--classifier",
                    help=_("the meter's classifier (default: data/classifier.pt)",
                           "le classifieur du compteur (par défaut : data/classifier.pt)"))
    ev.add_argument("--train-classifier", action="store_true",
                    help=_("train the meter's classifier instead", "entraîner le classifieur du compteur"))
    ev.add_argument("--images", type=whole(28, 10**6), default=14000,
                    help=_("pictures to train the classifier on (at least 4 per category)",
                           "images pour entraîner le classifieur (au moins 4 par catégorie)"))
    ev.add_argument("--classifier-steps", type=whole(1, 10**7), default=3000)
    ev.add_argument("--seed", type=SEED, default=0)
    ev.add_argument("--out",
                    help=_("where to write the samples (or the classifier)",
                           "où écrire les images (ou le classifieur)"))
    ev.set_defaults(func=evaluate_command)
    return parser


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if "--lang" in argv[:-1] and argv[argv.index("--lang") + 1] in ("en", "fr"):  # before the help texts are built
        messages.set_language(argv[argv.index("--lang") + 1])
    args = build_parser().parse_args(argv)
    try:
        args.func(args)
    except DiffusionLabError as error:
        print(f"diffusion-lab: {error}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
