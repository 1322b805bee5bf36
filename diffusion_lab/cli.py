"""The command line: `diffusion-lab noise | train | sample | animate`, one line per stage of the lesson."""
import argparse
import os
import sys
import time
from pathlib import Path

import torch

from . import distributed, messages
from .categories import BACKGROUNDS, CATEGORIES, COLOURS, label_of
from .checkpoint import kind_of, load_model, load_run
from .conditioning import one_hot
from .data import data_dir, load_image, procedural_cats
from .hardware import get_device, keep_freed_memory, resolve_precision
from .messages import DiffusionLabError, message
from .sample import denoise, timed_sample
from .schedule import NoiseSchedule
from .train import PRESETS, make_run, train, training_data
from .viz import denoising_frames, grid, noise_strip, save_gif


def _(english: str, french: str) -> str:
    """Help text in the user's language."""
    return french if messages.get_language() == "fr" else english


def default_checkpoint(preset: str = "cats") -> Path:
    """The shipped, pretrained weights for a preset, in the repository's data/ folder."""
    return data_dir() / f"{preset}.pt"


def model_for(args):
    """The model and schedule from --checkpoint, or the preset's shipped weights when it is omitted.
    An explicit --preset must match what the checkpoint holds (a categories model is not a cats model)."""
    path = Path(args.checkpoint) if args.checkpoint else default_checkpoint(args.preset or "cats")
    if not args.checkpoint and not path.is_file():
        raise DiffusionLabError("shipped_missing", path=path)
    model, schedule = load_model(path, kind=kind_of(PRESETS[args.preset]) if args.preset else None)
    return model.to(get_device(getattr(args, "device", "cpu"))), schedule


def condition_for(args, model, n: int):
    """The condition vectors for --class (or --prompt), and the guidance scale; (None, 1) for an unconditional model."""
    kind = kind_of(model.settings)
    if kind == "unconditional":
        if args.class_name or args.prompt:
            raise DiffusionLabError("not_conditional", kind=kind, wanted="categories or text")
        return None, 1.0
    guidance = model.settings.get("guidance", 3.0) if args.guidance is None else args.guidance
    if (kind == "class" and args.prompt) or (kind == "text" and args.class_name):
        raise DiffusionLabError("wrong_condition", kind=kind, option="--class" if kind == "class" else "--prompt")
    if kind == "class":
        classes = model.settings["classes"]
        labels = [label_of(args.class_name)] * n if args.class_name else [i % len(classes) for i in range(n)]
        return one_hot(torch.tensor(labels), len(classes)), guidance
    from .text import prompt_condition
    return prompt_condition(args.prompt, model.settings), guidance


def noise_command(args):
    schedule = NoiseSchedule(args.T, args.schedule)
    if args.image:
        x0 = load_image(args.image, args.size)
    else:
        x0 = procedural_cats(args.index + 1, args.size)[0][args.index]
    strip = noise_strip(x0.float() / 127.5 - 1, schedule, args.t, seed=args.seed)
    strip.save(args.out)
    print(message("wrote", path=args.out))


def train_command(args):
    keep_freed_memory()
    torch.manual_seed(args.seed)  # under torchrun every process builds the same starting weights (or reads the same checkpoint)
    if args.resume:
        run = load_run(args.resume, lr=args.lr)
    else:
        overrides = {key: value for key, value in (("lr", args.lr), ("batch_size", args.batch_size)) if value is not None}
        run = make_run(args.preset, **overrides)
    settings = run.settings
    device = get_device(args.device or settings.get("device", "cpu"))  # the photos preset asks for "auto": a GPU if there is one
    device = distributed.setup(device)  # under torchrun: join the other processes, one GPU each
    main = distributed.is_main()
    if not main:  # only process 0 talks; the others train in silence
        sys.stdout = open(os.devnull, "w")
    torch.manual_seed(args.seed + distributed.rank())  # each process draws its own batches and noise
    try:
        if args.resume:
            print(message("resumed", path=args.resume, step=run.step))
        if device.type == "cpu" and settings.get("device") == "auto":
            print(message("no_gpu_slow", preset=settings["preset"]))
        run.model.to(device)
        run.ema.to(device)
        run.optimizer.load_state_dict(run.optimizer.state_dict())  # moves a resumed optimizer's moments next to the weights
        images, conds = training_data(settings, args.dataset, args.images)
        args.out = args.out or f"runs/{settings['preset']}.pt"
        precision = resolve_precision(args.precision, device)
        print(message("precision", device=device, precision=precision, threads=torch.get_num_threads()))
        steps_before, start = run.step, time.perf_counter()
        train(run, images, steps=args.steps, minutes=args.minutes, checkpoint=args.out, precision=precision, half=args.half, conds=conds)
        if run.interrupted:
            sys.exit(130)
        done = run.step - steps_before
        seconds = time.perf_counter() - start  # this session only: a resumed run's checkpoint also counts earlier sessions
        print(message("training_done", steps=done, seconds=seconds, rate=done * run.settings["batch_size"] / max(seconds, 1e-9),
                      loss=sum(run.losses[-100:]) / max(1, len(run.losses[-100:]))))
        print(message("checkpoint_saved", path=args.out, step=run.step))
    except DiffusionLabError:
        if main:
            raise
        sys.exit(2)  # process 0 prints the same sentence: once is enough
    finally:
        distributed.cleanup()


def sample_command(args):
    model, schedule = model_for(args)
    cond, guidance = condition_for(args, model, args.n)
    images, seconds = timed_sample(model, schedule, args.n, args.steps, args.sampler, eta=args.eta, seed=args.seed,
                                   cond=cond, guidance=guidance)
    print(message("sampled", n=args.n, sampler=args.sampler.upper(), steps=args.steps, seconds=seconds))
    every_class = kind_of(model.settings) == "class" and not args.class_name
    grid(images, nrow=len(model.settings["classes"]) if every_class else None, scale=args.scale).save(args.out)  # a column a class
    print(message("wrote", path=args.out))


def animate_command(args):
    model, schedule = model_for(args)
    cond, guidance = condition_for(args, model, 1)
    with torch.inference_mode():
        steps = denoise(model, schedule, 1, args.steps, args.sampler, seed=args.seed, cond=cond, guidance=guidance)
        frames = denoising_frames(steps, show_noise=args.show_noise)
    save_gif(frames, args.out)
    print(message("wrote", path=args.out))


def evaluate_command(args):
    from .evaluate import (alignment, attribute_targets, load_classifier, look, measure, per_class_accuracy, real_pictures,
                           save_classifier, train_classifier)
    torch.manual_seed(args.seed)
    if args.train_classifier:
        images, labels, attributes = real_pictures(args.images, seed=0)
        vocabulary = {"colour": list(COLOURS), "background": list(BACKGROUNDS)}  # read colours too, for prompts
        classifier = train_classifier(images, labels, CATEGORIES, steps=args.classifier_steps, attributes=vocabulary,
                                      targets=attribute_targets(attributes, vocabulary))
        test_images, test_labels, test_attributes = real_pictures(args.images // 2, seed=1)  # pictures it never saw
        accuracy = per_class_accuracy(look(classifier, test_images)[1], test_labels, CATEGORIES)
        colours = alignment(classifier, test_images, [{k: a[k] for k in vocabulary} for a in test_attributes])
        args.out = args.out or "runs/classifier.pt"
        save_classifier(classifier, args.out, {"accuracy_on_real": accuracy, "attributes_on_real": colours,
                                               "steps": args.classifier_steps, "images": args.images})
        print(message("classifier_accuracy", n=len(test_images), accuracy=_percentages(accuracy)))
        print(message("classifier_colours", accuracy=_percentages(colours)))
        print(message("wrote", path=args.out))
        return
    model, schedule = model_for(args)
    classifier = load_classifier(args.classifier)
    reading = measure(model, schedule, classifier, args.n, args.guidance, steps=args.steps, seed=args.seed)
    print(message("meter", n=reading["n"], guidance=reading["guidance"], accuracy=_percentages(reading["accuracy"]),
                  mean=100 * reading["mean_accuracy"], frechet=reading["frechet"], floor=reading["floor"]))
    if args.out:
        grid(reading["samples"], nrow=args.n, scale=2).save(args.out)
        print(message("wrote", path=args.out))


def _percentages(accuracy: dict) -> str:
    return ", ".join(f"{name} {100 * value:.0f}%" for name, value in accuracy.items())


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="diffusion-lab", description=_(
        "See and do how image generators work: noise cats, train a denoiser, hallucinate new cats.",
        "Voir et faire comment marchent les générateurs d'images : bruiter des chats, entraîner un débruiteur, halluciner de nouveaux chats."))
    parser.add_argument("--lang", choices=["en", "fr"], help=_("language of the messages", "langue des messages"))
    commands = parser.add_subparsers(dest="command", required=True)

    noise = commands.add_parser("noise", help=_("noise an image step by step (forward process)", "bruiter une image étape par étape (processus direct)"))
    noise.add_argument("--image", help=_("an image file (else a procedural cat)", "un fichier image (sinon un chat procédural)"))
    noise.add_argument("--dataset", choices=["cats"], default="cats", help=_("procedural dataset to take the image from", "jeu de données procédural"))
    noise.add_argument("--index", type=int, default=0, help=_("which procedural cat", "quel chat procédural"))
    noise.add_argument("--t", type=int, nargs="+", default=[0, 100, 250, 500, 999], help=_("timesteps to show", "étapes à montrer"))
    noise.add_argument("--size", type=int, default=64, help=_("image size in pixels", "taille de l'image en pixels"))
    noise.add_argument("--schedule", choices=["cosine", "linear"], default="cosine")
    noise.add_argument("--T", type=int, default=1000, help=_("number of noise steps", "nombre d'étapes de bruit"))
    noise.add_argument("--seed", type=int, default=0)
    noise.add_argument("--out", default="strip.png")
    noise.set_defaults(func=noise_command)

    tr = commands.add_parser("train", help=_("train the denoiser", "entraîner le débruiteur"))
    tr.add_argument("--preset", choices=sorted(PRESETS), default="cats")
    tr.add_argument("--minutes", type=float, help=_("time budget", "durée maximale"))
    tr.add_argument("--steps", type=int, help=_("number of training steps", "nombre d'étapes d'entraînement"))
    tr.add_argument("--out", help=_("checkpoint to write (default: runs/PRESET.pt)", "checkpoint à écrire (par défaut : runs/PRESET.pt)"))
    tr.add_argument("--resume", help=_("continue from this checkpoint", "reprendre depuis ce checkpoint"))
    tr.add_argument("--dataset", choices=["cats", "cifar10-cats"], help=_("training images (default: the preset's)", "images d'entraînement"))
    tr.add_argument("--images", help=_("a folder of your own images", "un dossier de vos propres images"))
    tr.add_argument("--lr", type=float, help=_("learning rate", "taux d'apprentissage"))
    tr.add_argument("--batch-size", type=int)
    tr.add_argument("--precision", choices=["auto", "fp32", "bf16", "fp16"], default="auto")
    tr.add_argument("--device", choices=["auto", "cpu", "cuda", "mps"],
                    help=_("where to train (default: cpu; auto for the photos preset: CUDA, else Apple MPS, else CPU)",
                           "où s'entraîner (par défaut : cpu ; auto pour le préréglage photos : CUDA, sinon MPS d'Apple, sinon CPU)"))
    tr.add_argument("--seed", type=int, default=0)
    tr.add_argument("--half", action="store_true", help=_("write a small file: EMA weights in float16 only (for sharing, cannot resume the optimizer)",
                                                          "écrire un petit fichier : poids EMA en float16 seulement (pour partager ; ne reprend pas l'optimiseur)"))
    tr.set_defaults(func=train_command)

    for name, func, help_text in (("sample", sample_command, _("generate new images from pure noise", "générer de nouvelles images à partir de bruit pur")),
                                  ("animate", animate_command, _("a GIF of the step-by-step denoising", "un GIF du débruitage pas à pas"))):
        sub = commands.add_parser(name, help=help_text)
        sub.add_argument("--checkpoint", help=_("weights to use (default: the shipped cats)", "poids à utiliser (par défaut : les chats fournis)"))
        sub.add_argument("--steps", type=int, default=50, help=_("denoising steps", "étapes de débruitage"))
        sub.add_argument("--sampler", choices=["ddim", "ddpm"], default="ddim")
        sub.add_argument("--seed", type=int, default=0)
        sub.add_argument("--preset", choices=sorted(PRESETS), help=_("which shipped model: cats, categories or text (default: the checkpoint's, else cats)",
                                                                    "quel modèle fourni : cats, categories ou text (par défaut : celui du checkpoint, sinon cats)"))
        sub.add_argument("--class", dest="class_name", help=_("category to draw, in English or French (e.g. car, voiture)",
                                                              "catégorie à dessiner, en français ou en anglais (par ex. voiture, car)"))
        sub.add_argument("--device", choices=["auto", "cpu", "cuda", "mps"], default="cpu",
                         help=_("where to run the network (auto: a GPU if there is one)", "où faire tourner le réseau (auto : un GPU s'il y en a un)"))
        sub.add_argument("--prompt", help=_("a sentence to draw, in English or French (the text model)",
                                            "une phrase à dessiner, en français ou en anglais (le modèle texte)"))
        sub.add_argument("--guidance", type=float, help=_("classifier-free guidance scale (default: the model's, 3)",
                                                          "échelle de guidage sans classifieur (par défaut : celle du modèle, 3)"))
        sub.set_defaults(func=func)
    sample_parser, animate_parser = commands.choices["sample"], commands.choices["animate"]
    sample_parser.add_argument("--n", type=int, default=16, help=_("how many images", "combien d'images"))
    sample_parser.add_argument("--eta", type=float, default=0.0, help=_("DDIM randomness, 0 to 1", "aléa de DDIM, de 0 à 1"))
    sample_parser.add_argument("--scale", type=int, default=4, help=_("enlarge the grid this many times", "agrandir la grille"))
    sample_parser.add_argument("--out", default="grid.png")
    animate_parser.add_argument("--show-noise", action="store_true", help=_("also show the predicted noise", "montrer aussi le bruit prédit"))
    animate_parser.add_argument("--out", default="denoise.gif")
    ev = commands.add_parser("evaluate", help=_("the quality meter: does a generated car look like a car?",
                                                "le compteur de qualité : une voiture générée ressemble-t-elle à une voiture ?"))
    ev.add_argument("--checkpoint", help=_("model to measure (default: the preset's shipped weights)", "modèle à mesurer (par défaut : les poids fournis)"))
    ev.add_argument("--preset", choices=sorted(PRESETS))
    ev.add_argument("--n", type=int, default=32, help=_("samples per class", "images générées par classe"))
    ev.add_argument("--steps", type=int, default=50)
    ev.add_argument("--guidance", type=float)
    ev.add_argument("--classifier", help=_("the meter's classifier (default: data/classifier.pt)", "le classifieur du compteur (par défaut : data/classifier.pt)"))
    ev.add_argument("--train-classifier", action="store_true", help=_("train the meter's classifier instead", "entraîner le classifieur du compteur"))
    ev.add_argument("--images", type=int, default=14000, help=_("pictures to train the classifier on", "images pour entraîner le classifieur"))
    ev.add_argument("--classifier-steps", type=int, default=3000)
    ev.add_argument("--seed", type=int, default=0)
    ev.add_argument("--out", help=_("where to write the samples (or the classifier)", "où écrire les images (ou le classifieur)"))
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
