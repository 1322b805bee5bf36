"""The notebooks as students use them: JupyterLab in a real (headless) browser, Run All, then drag the sliders.

Needs Debian's Chromium (/usr/bin/chromium) and the `playwright` package; Playwright's own browsers are never
downloaded.
Skipped locally when either is missing; with CI=1 (set by .ci/run) a missing piece fails the test instead.
Screenshots land in artifacts/browser/ (git-ignored), also when a check fails.
"""
import importlib.util
import io
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
ARTIFACTS = ROOT / "artifacts" / "browser"
CHROMIUM = Path("/usr/bin/chromium")
SECONDS_TO_RUN_ALL = 180   # a guard against a hang, not a benchmark: FAST notebooks take well under a minute
SECONDS_TO_START = 90      # JupyterLab's server, then a kernel

MISSING = [what for what, there in [(str(CHROMIUM), CHROMIUM.exists()),
                                    ("the playwright package", importlib.util.find_spec("playwright") is not None)]
           if not there]
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(bool(MISSING) and os.environ.get("CI") != "1",
                       reason=f"browser test needs {' and '.join(MISSING)} (CI=1 makes this a failure)"),
]

# ---- JupyterLab, started and stopped by PID ----


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def children(pid: int) -> list:
    """Every process below `pid` (Linux /proc). Kernels start in their own session, so killing JupyterLab's group
    misses them."""
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()  # after "pid (name)": state, ppid, ...
        except OSError:
            continue
        parents.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        below = parents.get(todo.pop(), [])
        found += below
        todo += below
    return found


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().rsplit(")", 1)[1].split()[0] == "Z")  # a zombie is dead


def stop(pids, seconds: float = 10):
    """SIGTERM each process's group, then SIGKILL whatever is still running after `seconds`."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        for pid in pids:
            try:
                os.killpg(os.getpgid(pid), sig)
            except (ProcessLookupError, PermissionError):
                try:
                    os.kill(pid, sig)
                except ProcessLookupError:
                    pass
        deadline = time.monotonic() + seconds
        while any(alive(pid) for pid in pids) and time.monotonic() < deadline:
            time.sleep(0.2)
        if not any(alive(pid) for pid in pids):
            return


class Lab:
    """A JupyterLab server in a temporary folder holding copies of the notebooks, with its own config and settings."""

    def __init__(self, folder: Path):
        self.port, self.token = free_port(), os.urandom(16).hex()
        self.url = f"http://127.0.0.1:{self.port}"
        self.kernel_pids = set()
        config, settings = folder / "jupyter-config", folder / "lab-settings"
        # the news popup covers the page: switch its plugin off
        (config / "labconfig").mkdir(parents=True)
        (config / "labconfig" / "page_config.json").write_text(json.dumps(
            {"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True}}))
        # keep every cell in the page (no virtual scrolling), so that every prompt and output can be checked
        (settings / "@jupyterlab" / "notebook-extension").mkdir(parents=True)
        (settings / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings").write_text(
            json.dumps({"windowingMode": "none"}))
        env = dict(os.environ, JUPYTER_CONFIG_DIR=str(config), JUPYTERLAB_SETTINGS_DIR=str(settings),
                   JUPYTERLAB_WORKSPACES_DIR=str(folder / "workspaces"), XDG_CACHE_HOME=str(folder / "cache"),
                   DIFFUSION_LAB_FAST="1", TQDM_DISABLE="1", OMP_NUM_THREADS=os.environ.get("OMP_NUM_THREADS", "1"))
        self.log = open(folder / "jupyterlab.log", "w")
        command = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={self.port}",
                   f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={folder / 'notebooks'}",
                   "--ServerApp.port_retries=0"]
        if os.geteuid() == 0:
            command.append("--allow-root")
        self.process = subprocess.Popen(command, env=env, cwd=folder, stdout=self.log, stderr=subprocess.STDOUT,
                                        start_new_session=True)  # its own process group, stopped as one
        deadline = time.monotonic() + SECONDS_TO_START
        while True:
            try:
                self.api("GET", "status")
                break
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"JupyterLab did not start; see {self.log.name}")
                time.sleep(0.5)

    def api(self, method: str, path: str):
        request = urllib.request.Request(f"{self.url}/api/{path}", method=method,
                                         headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=30) as response:
            body = response.read()
        return json.loads(body) if body else None

    def delete_sessions(self):
        """Reopening a notebook reattaches to its old kernel: every notebook starts and ends with none."""
        self.kernel_pids.update(children(self.process.pid))
        for session in self.api("GET", "sessions"):
            self.api("DELETE", f"sessions/{session['id']}")
        deadline = time.monotonic() + 30
        while self.api("GET", "kernels") and time.monotonic() < deadline:
            time.sleep(0.2)

    def stop(self):
        self.kernel_pids.update(children(self.process.pid))
        try:
            self.delete_sessions()
        except OSError:
            pass
        finally:
            stop([self.process.pid, *self.kernel_pids])
            self.process.wait(timeout=10)
            self.log.close()


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    if MISSING:
        pytest.fail(f"CI=1 but the browser test cannot run: missing {' and '.join(MISSING)}")
    folder = tmp_path_factory.mktemp("lab")
    # in a folder named fr/: the notebooks pick their language from it
    for path in NOTEBOOKS.glob("fr/0[01345]_*.ipynb"):
        (folder / "notebooks" / "fr").mkdir(parents=True, exist_ok=True)
        shutil.copy(path, folder / "notebooks" / "fr" / path.name)
    server = Lab(folder)
    try:
        yield server
    finally:
        server.stop()
        assert not alive(server.process.pid)
        assert not [pid for pid in server.kernel_pids if alive(pid)], "a kernel outlived JupyterLab"


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def notebook(lab, browser, request):
    """Open notebook(path) in a fresh page and kernel; return the page. The whole page is kept as a screenshot."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pages = []

    def open_notebook(path: str):
        lab.delete_sessions()
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        pages.append(page)
        page.set_default_timeout(30_000)
        # a workspace of its own, reset: JupyterLab would otherwise reopen the previous notebook beside this one
        page.goto(f"{lab.url}/lab/workspaces/{Path(path).stem}/tree/{path}?reset&token={lab.token}")
        page.locator(".jp-Notebook .jp-CodeCell").first.wait_for()
        assert page.locator(".jp-Notebook").count() == 1, "another notebook is open"
        wait_for_kernel(lab)
        return page

    try:
        yield open_notebook
    finally:
        for page in pages:  # also after a failure: the page shows what went wrong
            try:
                page.screenshot(path=str(ARTIFACTS / f"{request.node.name[5:]}-page.png"), full_page=True)
            finally:
                page.close()
        lab.delete_sessions()


def wait_for_kernel(lab: Lab):
    deadline = time.monotonic() + SECONDS_TO_START
    while time.monotonic() < deadline:
        sessions = lab.api("GET", "sessions")
        if sessions and all(s["kernel"]["execution_state"] == "idle" for s in sessions):
            lab.kernel_pids.update(children(lab.process.pid))
            return
        time.sleep(0.5)
    raise AssertionError(f"no idle kernel after {SECONDS_TO_START} s: {sessions}")


# ---- what a student does: Run All, look for errors, drag a slider ----

# tracebacks and anything written to stderr, looked for in output areas only (code cells hold the same words)
ERRORS = [
    ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']",
    ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.error']",
]
IN_OUTPUTS = ", ".join(f".jp-Notebook .jp-OutputArea {error}" for error in ERRORS)


def run_all(page):
    """Run > Run All Cells, then wait until every code cell has its execution count (or a cell failed and stopped the
    rest)."""
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    page.wait_for_function(
        """(errors) => {
            const prompts = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')]
                .map(p => p.textContent.trim());
            const running = prompts.some(p => p.includes('*'));
            return !running && (prompts.every(p => /^\\[\\d+\\]:$/.test(p)) || document.querySelector(errors));
        }""", arg=IN_OUTPUTS, timeout=SECONDS_TO_RUN_ALL * 1000, polling=500)


def assert_no_error(page):
    texts = [text[-1500:] for text in page.locator(IN_OUTPUTS).all_inner_texts()]
    assert not texts, "a cell shows an error:\n" + "\n---\n".join(texts)
    prompts = page.locator(".jp-Notebook .jp-CodeCell .jp-InputPrompt").all_inner_texts()
    assert all(p.strip()[1:-2].isdigit() for p in prompts), f"cells that did not run: {prompts}"


def drag_slider(page, widget, fraction: float):
    """Press the slider's handle with the mouse and drag it to `fraction` of the track, as a student would."""
    track, handle = widget.locator(".noUi-target"), widget.locator(".noUi-handle")
    handle.scroll_into_view_if_needed()
    box, grip = track.bounding_box(), handle.bounding_box()
    page.mouse.move(grip["x"] + grip["width"] / 2, grip["y"] + grip["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + fraction * box["width"], grip["y"] + grip["height"] / 2, steps=8)
    page.mouse.up()


def changed_pixels(before: bytes, after: bytes) -> float:
    """The fraction of pixels that differ between two PNG screenshots of the same element (a new size counts as all)."""
    from PIL import Image, ImageChops

    a, b = (Image.open(io.BytesIO(png)).convert("RGB") for png in (before, after))
    if a.size != b.size:
        return 1.0
    difference = ImageChops.difference(a, b).convert("L").point(lambda v: 255 if v > 8 else 0)
    return difference.histogram()[255] / (a.size[0] * a.size[1])


def number(readout: str):
    """A slider's readout as a number: "499" -> 499, "3.00" -> 3, "2.50" -> 2.5."""
    value = float(readout)
    return int(value) if value.is_integer() else value


def slide_and_compare(page, name: str, fraction: float, caption) -> float:
    """Drag the one slider in the outputs to `fraction` of its track; return the fraction of the picture's pixels that
    changed.

    caption(value) is the text the redrawn picture's caption holds once the kernel has caught up with the slider's value
    (dragging sends several values). The whole widget is saved before and after, in artifacts/browser/.
    """
    from playwright.sync_api import expect

    widgets = page.locator(".jp-Notebook .jp-OutputArea-output .widget-vbox").filter(has=page.locator(".widget-slider"))
    expect(widgets).to_have_count(1)
    widget = widgets.first
    picture, readout = widget.locator(".widget-output img"), widget.locator(".widget-slider .widget-readout")
    expect(widget.locator(".widget-output")).to_contain_text(caption(number(readout.inner_text())))
    before_value, before = readout.inner_text(), picture.screenshot()
    widget.screenshot(path=str(ARTIFACTS / f"{name}-before.png"))
    drag_slider(page, widget, fraction)
    expect(readout).not_to_have_text(before_value)  # the handle moved
    expect(widget.locator(".widget-output")).to_contain_text(caption(number(readout.inner_text())))  # redrawn for it
    page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=picture.element_handle())
    widget.screenshot(path=str(ARTIFACTS / f"{name}-after.png"))
    return changed_pixels(before, picture.screenshot())


def test_the_one_hour_activity_in_french_runs_end_to_end(notebook):
    page = notebook("fr/00_activite_en_une_heure.ipynb")
    run_all(page)
    assert_no_error(page)
    for shown in ("n'est pas connecté à "
                  "Internet", "ce qui reste du chat", "étape 1 sur", "Le modèle entraîné pour vous",
                  "guidage 3", "Distance d'un nouveau "
                               "chat"):  # offline video, slider, player, menu, nearest cat: in French
        assert page.locator(".jp-Notebook .jp-OutputArea-output", has_text=shown).count() >= 1, shown


def test_lesson_1_in_french_runs_and_its_noising_slider_redraws(notebook):
    page = notebook("fr/01_bruiter_des_chats.ipynb")
    run_all(page)
    assert_no_error(page)
    assert page.locator(".jp-Notebook "
                        ".jp-OutputArea-output", has_text="reste du chat").count() >= 1  # captions in French
    changed = slide_and_compare(page, "01-noise-slider", fraction=0.5, caption=lambda t: re.compile(rf"\bt = {t} "))
    assert changed > 0.2, f"only {changed:.1%} of the picture changed when t went from 0 to about T / 2"


def test_lesson_3_in_french_runs_and_its_denoising_player_redraws(notebook):
    page = notebook("fr/03_halluciner_des_chats.ipynb")
    run_all(page)
    assert_no_error(page)
    changed = slide_and_compare(page, "03-denoise-player", fraction=1.0,
                                caption=lambda i: f"étape {i} sur " "")  # the slider counts as the caption
    assert changed > 0.2, f"only {changed:.1%} of the picture changed between the first and the last step"


def test_lesson_4_in_french_runs_and_its_guidance_slider_redraws(notebook):
    page = notebook("fr/04_plusieurs_categories.ipynb")
    run_all(page)
    assert_no_error(page)
    changed = slide_and_compare(page, "04-guidance-slider", fraction=0.0, caption=lambda w: f"guidage {w:g}")
    assert changed > 0.05, f"only {changed:.1%} of the pictures changed when the guidance went from 3 to 0"


def test_lesson_5_in_french_runs_with_the_sentence_encoder(notebook):
    page = notebook("fr/05_des_mots_aux_images.ipynb")
    run_all(page)
    assert_no_error(page)
    assert page.locator(".jp-Notebook "
                        ".jp-OutputArea-output", has_text="La phrase est vide").count() >= 1  # the package's message
