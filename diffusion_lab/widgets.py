"""Interactive pictures for the notebooks: a noise slider, a denoising player, a live training monitor, and GIFs.

Widgets need a running kernel and a widget-aware screen (JupyterLab, Jupyter Notebook, VS Code, Colab). Everywhere
else (GitHub, nbviewer, a PDF export, a notebook reopened without its kernel) each widget shows a still picture or a
GIF in its place, so a cell is never blank. Works with ipywidgets 7.7 (Google Colab) and 8.
"""
import base64
import contextlib
import io
import itertools
import socket
from html import escape

import ipywidgets as widgets
import torch
from IPython.display import HTML, display
from PIL import Image

from .data import to_model_range
from .messages import DiffusionLabError, decimal, message, real_number, whole_number
from .sample import make_generator, sample
from .schedule import timesteps
from .viz import grid, label, save_gif, side_by_side, step_panels

# readable from the back of a classroom
BIG = "font-size: 22px; font-family: sans-serif; font-weight: bold; margin: 6px 0"
WIDE = "640px"
GUIDANCE_SLIDER_MOST = 10.0  # the guidance slider goes from 0 to this


# ---- pictures as HTML: they survive in saved notebooks and static renderers ----

def png_base64(image) -> str:
    """A PIL image as base64 PNG text, the form in which notebooks store pictures."""
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def gif_base64(frames, seconds_per_frame: float = 0.2) -> str:
    """PIL frames as a looping GIF (viz.save_gif), in base64 text."""
    buffer = io.BytesIO()
    buffer.name = "animation.gif"  # save_gif writes to a path or file; PIL picks the GIF format from this name
    save_gif(frames, buffer, seconds_per_frame)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def picture_html(image, caption: str = "", kind: str = "png", data: str = None) -> str:
    """A large caption above a picture embedded in the HTML itself (pixels kept sharp when enlarged)."""
    data = data or png_base64(image)
    return (f'<div style="{BIG}">{caption}</div>'
            f'<img src="data:image/{kind};base64,{data}" style="image-rendering: pixelated; max-width: 100%">')


def gif_html(frames, seconds_per_frame: float = 0.2, caption: str = "") -> HTML:
    """An animation as a GIF inside HTML: the static form of every animation, visible wherever the notebook is shown."""
    return HTML(picture_html(None, caption, kind="gif", data=gif_base64(frames, seconds_per_frame)))


def show_in(out: widgets.Output, html: str):
    """Replace what an Output widget shows, in one assignment: no flicker, and no kernel needed
    (so it can be tested)."""
    out.outputs = ({"output_type": "display_data", "data": {"text/html": html, "text/plain": "(picture)"},
                    "metadata": {}},)


class WithFallback:
    """A widget where widgets can run, and a still picture (HTML and PNG) everywhere else.

    Jupyter picks the richest format it can show from one bundle: the widget if it has a widget manager, else the HTML.
    """

    def __init__(self, widget, html: str, still):
        self.widget, self.html, self.still = widget, html, still

    def _repr_mimebundle_(self, include=None, exclude=None):
        # the same in ipywidgets 7 and 8
        view = {"version_major": 2, "version_minor": 0, "model_id": self.widget.model_id}
        return {"application/vnd.jupyter.widget-view+json": view, "text/html": self.html,
                "image/png": png_base64(self.still), "text/plain": message("widget_still")}


# ---- 1. the forward process: a slider over t ----

def noise_slider(images, schedule, seed: int = 0, t: int = 0, width: int = 640) -> WithFallback:
    """A slider over t that redraws x_t = sqrt(alpha_bar_t) * x0 + sqrt(1 - alpha_bar_t) * eps (Ho et al. 2020, eq. 4).

    Three rows show the two terms side by side, then their sum: what is left of the picture, the noise, and x_t.
    The noise eps is drawn once, so moving the slider shows one picture fading into one noise.
    images: uint8 or [-1, 1], (B, C, H, W) or a single (C, H, W).
    """
    if not torch.is_tensor(images) or images.dim() not in (3, 4) or 0 in images.shape:  # every argument before any work
        raise DiffusionLabError("no_images", shape=tuple(getattr(images, "shape", ())) or type(images).__name__)
    whole_number("width", width, 1, 10_000)
    make_generator(seed)
    x0 = to_model_range(images)
    x0 = x0[None] if x0.dim() == 3 else x0                          # (B, C, H, W)
    t = int(schedule.check_t(t))
    eps = torch.randn(x0.shape, generator=make_generator(seed))     # one draw of noise for every t
    scale = max(1, width // (x0.shape[0] * x0.shape[-1]))           # enlarge to about `width` pixels

    def picture(t):
        signal, noise = float(schedule.alpha_bar[t]) ** 0.5, float(1 - schedule.alpha_bar[t]) ** 0.5
        rows = [(signal * x0, message("widget_signal_row")), (noise * eps, message("widget_noise_row")),
                (schedule.add_noise(x0, t, eps), message("widget_sum_row"))]
        strips = [label(grid(row, nrow=len(x0), scale=scale), title) for row, title in rows]
        stacked = Image.new("RGB", (strips[0].width, sum(strip.height for strip in strips)), "white")
        for k, strip in enumerate(strips):
            stacked.paste(strip, (0, k * strip.height))
        rows_named = "   |   ".join(title for _, title in rows)  # also in the text, for screen readers and searches
        return stacked, (message("widget_noise", t=t, signal=decimal(signal), noise=decimal(noise))
                         + f"<br><span style='font-weight: normal'>{rows_named}</span>")

    slider = widgets.IntSlider(value=t, min=0, max=schedule.T - 1, description="t",
                               layout=widgets.Layout(width=f"{width}px"))
    out = widgets.Output()
    slider.observe(lambda change: show_in(out, picture_html(*picture(change["new"]))), names="value")
    show_in(out, picture_html(*picture(t)))
    still_ts = [0, schedule.T // 4, schedule.T // 2, 3 * schedule.T // 4, schedule.T - 1]
    html = "".join(picture_html(*picture(s)) for s in still_ts)
    return WithFallback(widgets.VBox([slider, out]), html, picture(schedule.T // 2)[0])


# ---- 2. the reverse process: a flip-book of the sampler's steps ----

def denoise_player(steps, schedule, index: int = 0, scale: int = 8, seconds_per_frame: float = 0.3) -> WithFallback:
    """A Play button and a slider over the sampler's Steps, drawing x_t | eps_pred | x0_pred for image `index`.

    steps: the Steps yielded by sample.denoise() (a list, or the generator itself); the caption says how much noise is
    left at each step, sqrt(1 - alpha_bar_t), from the schedule.
    """
    real_number("seconds_per_frame", seconds_per_frame, 0.02, 60.0)  # the cheap checks first: steps may be sampling
    whole_number("scale", scale, 1, 64)
    steps = iter(steps)
    first = next(steps, None)
    if first is None:
        raise DiffusionLabError("no_steps")
    whole_number("index", index, 0, len(first.xt) - 1)
    frames = [(s.t, *step_panels(s, index))  # keep one image: small in memory
              for s in itertools.chain([first], steps)]
    n = len(frames)

    def picture(step):  # step counts from 1 to n, as the slider and the caption both do
        t, xt, eps_pred, x0_pred = frames[step - 1]
        noise = 100 * float(1 - schedule.alpha_bar[t]) ** 0.5
        titles = [message("widget_xt"), message("widget_eps_pred"), message("widget_x0_pred")]
        panels = side_by_side([xt, eps_pred / 3, x0_pred], titles, scale=scale)  # noise / 3 fits [-1, 1]
        return panels, message("widget_step", i=step, n=n, t=t, percent=noise)

    def html(step):
        panels, caption = picture(step)
        return picture_html(panels, f"{caption}<br><span style='font-weight: normal'>{message('widget_panels')}</span>")

    play = widgets.Play(value=1, min=1, max=n, interval=int(seconds_per_frame * 1000))
    slider = widgets.IntSlider(value=1, min=1, max=n, description=message("widget_step_label"),
                               layout=widgets.Layout(width=WIDE))
    widgets.jslink((play, "value"), (slider, "value"))  # the browser moves the slider while playing
    out = widgets.Output()
    slider.observe(lambda change: show_in(out, html(change["new"])), names="value")
    show_in(out, html(1))
    # at most 30 GIF frames
    shown = sorted({1 + round(k * (n - 1) / 29) for k in range(30)}) if n > 30 else range(1, n + 1)
    gif = [label(picture(step)[0], message("widget_step", i=step, n=n, t=frames[step - 1][0],
                                           percent=100 * float(1 - schedule.alpha_bar[frames[step - 1][0]]) ** 0.5))
           for step in shown]
    static = picture_html(None, message("widget_panels"), kind="gif", data=gif_base64(gif, seconds_per_frame))
    return WithFallback(widgets.VBox([widgets.HBox([play, slider]), out]), static, picture(n)[0])


# ---- 3. training: a live loss curve and a time-lapse of samples ----

def loss_png(losses, width: float = 6, height: float = 3.5) -> str:
    """The loss curve (raw and smoothed, log scale) as base64 PNG; drawn without pyplot, so nothing else pops up."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=80)
    axes = figure.subplots()
    losses = torch.tensor(losses, dtype=torch.float32)
    axes.plot(losses, color="lightgray", linewidth=1)
    window = max(1, min(50, len(losses) // 5))
    if len(losses) >= window:  # moving average over `window` steps
        axes.plot(range(window - 1, len(losses)), losses.unfold(0, window, 1).mean(1), color="crimson", linewidth=2.5)
    axes.set_yscale("log")
    axes.set_xlabel(message("widget_training_step"), fontsize=14)
    axes.set_ylabel(message("widget_loss"), fontsize=14)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def monitor_html(losses, snapshots, scale: int = 3, rows: int = 6) -> str:
    """The loss curve beside up to `rows` snapshots of the time-lapse, evenly spread from the first to the last."""
    picked = sorted({round(k * (len(snapshots) - 1) / max(rows - 1, 1)) for k in range(rows)}) if snapshots else []
    timelapse = "".join(picture_html(grid(snapshots[k][1], nrow=len(snapshots[k][1]), scale=scale),
                                     message("widget_after", step=snapshots[k][0])) for k in picked)
    curve = f'<img src="data:image/png;base64,{loss_png(losses)}">' if losses else ""
    return (f'<div style="display: flex; gap: 32px; align-items: flex-start">'
            f'<div>{curve}</div><div><div style="{BIG}">{message("widget_timelapse")}</div>{timelapse}</div></div>')


def training_monitor(n: int = 4, steps: int = 8, seed: int = 0, scale: int = 3):
    """An on_step hook for train(): redraws the loss curve and a time-lapse of the same noise denoised by the network.

    Sampling stays cheap: n images, `steps` DDIM steps, from the EMA weights (the ones sampling uses).
    The snapshots (training step, images) are kept on the hook as `.snapshots`, e.g. to make a GIF afterwards.
    """
    # every argument is checked now, with a clear message, rather than at the first snapshot in the middle of training
    whole_number("n", n, 1, 1024)
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 1:  # at most T: the schedule comes with the run
        raise DiffusionLabError("bad_monitor_steps", steps=steps)
    make_generator(seed)
    whole_number("scale", scale, 1, 64)
    snapshots = []
    handle = None

    def on_step(run):
        nonlocal handle
        snapshots.append((run.step, sample(run.ema, run.schedule, n, steps, "ddim", seed=seed)))
        page = HTML(monitor_html(run.losses, snapshots, scale))
        if handle is None:
            handle = display(page, display_id=True)  # a display handle: later calls redraw the same output
        else:
            handle.update(page)

    on_step.snapshots = snapshots
    return on_step


# ---- 4. conditioning: choose what to draw, and how strongly ----

def guided_sampler(model, schedule, control, to_cond, n: int = 8, steps: int = 25, seed: int = 0, guidance: float = 3.0,
                   scale: int = 4) -> WithFallback:
    """A control (a category dropdown, a text box...) and a guidance slider; every change samples n new pictures.

    to_cond(value) turns the control's value into the condition vectors (one row, or n rows) for sample().
    The same seed is used every time, so only the condition and the guidance change the pictures.
    """
    whole_number("n", n, 1, 1024)
    timesteps(schedule.T, steps)
    make_generator(seed)
    most = GUIDANCE_SLIDER_MOST  # refused, not moved to the slider's end without a word (NaN too: it fails 0 <= w)
    if isinstance(guidance, bool) or not isinstance(guidance, (int, float)) or not 0 <= guidance <= most:
        raise DiffusionLabError("bad_guidance", value=guidance, most=most)
    whole_number("scale", scale, 1, 64)
    slider = widgets.FloatSlider(value=guidance, min=0, max=most, step=0.5, description=message("widget_guidance"),
                                 layout=widgets.Layout(width=WIDE))
    out = widgets.Output()

    def picture(value, w):
        said = io.StringIO()
        with contextlib.redirect_stdout(said):  # what to_cond prints (an empty prompt...) shows under the picture
            cond = to_cond(value)
        images = sample(model, schedule, n, steps, "ddim", seed=seed, cond=cond, guidance=w)
        notes = "".join("<br><span style='font-weight: "
                        f"normal'>{escape(line)}</span>" for line in said.getvalue().splitlines())
        return grid(images, nrow=n, scale=scale), message("widget_guided", value=escape(str(value)), guidance=w) + notes

    def redraw(change=None):
        show_in(out, picture_html(*picture(control.value, slider.value)))

    control.observe(redraw, names="value")
    slider.observe(redraw, names="value")
    still, caption = picture(control.value, slider.value)
    show_in(out, picture_html(still, caption))
    return WithFallback(widgets.VBox([control, slider, out]), picture_html(still, caption), still)


# ---- 5. the lesson's video: embedded online, a link offline ----

def online(host: str = "www.youtube.com", port: int = 443, seconds: float = 1.5) -> bool:
    """Whether this computer reaches `host` now. A classroom may be offline: then nothing is embedded."""
    try:
        socket.create_connection((host, port), timeout=seconds).close()
        return True
    except OSError:
        return False


def video(youtube_id: str, start: int, title: str) -> HTML:
    """A YouTube video from `start` seconds: embedded when the computer is online, else its address and a sentence."""
    address = f"https://www.youtube.com/watch?v={youtube_id}&t={start}"
    link = (f'<a href="{address}" target="_blank">{escape(title)}</a> '
            f'({message("video_from", start=f"{start // 60}:{start % 60:02d}")})')
    if not online():
        return HTML(f'<div style="{BIG}">{message("video_offline")}</div><div style="font-size: 18px">{link}</div>')
    return HTML(f'<iframe width="683" height="384" src="https://www.youtube.com/embed/{youtube_id}?start={start}" '
                f'title="{escape(title)}" frameborder="0" allowfullscreen></iframe><div>{link}</div>')
