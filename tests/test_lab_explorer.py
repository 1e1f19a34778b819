"""The live confusion-matrix explorer in a real JupyterLab, as a reader uses it (headless Chromium).

A notebook that calls ``viz.explorer`` (without forcing ``live``) is opened in ``jupyter lab``
started from this environment; running it must show the ipywidgets explorer (the kernel sees
``JPY_SESSION_NAME`` from the server, so :func:`fer_repro.viz.live_widgets` decides "live"), not
the static HTML fallback. Picking another run redraws the info line (split, images, accuracy) and
the matplotlib figure; picking another normalisation redraws the figure again. The other browser
tests check the static explorer of the built book; this is the only one of the live path in a
real front end. JupyterLab runs with its settings, workspaces and runtime files in ``tmp_path``,
so that a user's configuration does not change what is tested."""

from __future__ import annotations

import html
import inspect
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import numpy as np
import pytest
from test_book import CHROMIUM

from fer_repro import viz
from fer_repro.metrics import confusion_matrix

pytestmark = [pytest.mark.browser, pytest.mark.slow]
CLASSES = ("angry", "disgust", "fear", "happy", "sad", "surprise", "neutral")
NOTEBOOK = "lab_explorer.ipynb"
#: (label, share of the items predicted right on purpose): three runs with different accuracies
RUNS = (("run A (strong)", 0.8), ("run B (middling)", 0.5), ("run C (weak)", 0.25))
N_ITEMS, SEED = 350, 7
#: bounded waits (seconds): the server answering, the kernel idle, one redraw by the kernel
SERVER_TIMEOUT, KERNEL_TIMEOUT, REDRAW_TIMEOUT = 90, 90, 45


def synthetic_entries() -> list[viz.MatrixEntry]:
    """The explorer's entries: the same code runs in the notebook and here (expected values)."""
    rng = np.random.default_rng(SEED)
    y_true = rng.integers(0, len(CLASSES), N_ITEMS)
    entries = []
    for label, p in RUNS:
        noise = rng.integers(0, len(CLASSES), N_ITEMS)
        y_pred = np.where(rng.random(N_ITEMS) < p, y_true, noise)
        entries.append(viz.MatrixEntry(label, confusion_matrix(y_true, y_pred, len(CLASSES)), CLASSES,
                                       split="synthetic"))
    return entries


def _cell() -> str:
    """The notebook's one cell: the synthetic entries built as :func:`synthetic_entries` does
    (its source), then the explorer, its mode left to :func:`fer_repro.viz.live_widgets`."""
    return "\n".join([
        "import numpy as np",
        "from fer_repro import viz",
        "from fer_repro.metrics import confusion_matrix",
        f"CLASSES, RUNS, N_ITEMS, SEED = {CLASSES!r}, {RUNS!r}, {N_ITEMS!r}, {SEED!r}",
        "",
        inspect.getsource(synthetic_entries),
        'viz.explorer(synthetic_entries(), "Explorer test", split="synthetic")',
    ])


def _text(fragment: str) -> str:
    """The text a browser shows for an HTML fragment (line breaks as spaces), whitespace
    collapsed: what the info line must read."""
    text = re.sub(r"<[^>]+>", "", re.sub(r"<br\s*/?>", " ", fragment))
    return " ".join(html.unescape(text).split())


def _squash(text: str) -> str:
    return " ".join(text.split())


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def lab(tmp_path):
    """``jupyter lab`` serving `tmp_path` (holding the test notebook) on a free localhost port,
    without token or password; yields its base URL and terminates it afterwards."""
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (Debian: apt-get install chromium)")
    pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    pytest.importorskip("jupyterlab", reason="jupyterlab is not installed")
    pytest.importorskip("ipywidgets", reason="ipywidgets is not installed")
    nbformat = pytest.importorskip("nbformat", reason="nbformat is not installed")

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                 "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(_cell())]
    nbformat.write(nb, tmp_path / NOTEBOOK)

    home = tmp_path / "home"
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("JUPYTER", "JPY_", "IPYTHON"))
           and k not in (viz.WIDGETS_ENV, "MPLBACKEND")}
    env.update(HOME=str(home), JUPYTER_CONFIG_DIR=str(home / "config"),
               JUPYTER_DATA_DIR=str(home / "data"), JUPYTER_RUNTIME_DIR=str(home / "runtime"),
               JUPYTER_PLATFORM_DIRS="1", IPYTHONDIR=str(home / "ipython"),
               JUPYTERLAB_SETTINGS_DIR=str(home / "lab-settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(home / "lab-workspaces"))
    # the font cache stays where it is: rebuilding it in the new HOME costs seconds
    import matplotlib

    env.setdefault("MPLCONFIGDIR", matplotlib.get_configdir())
    port = _free_port()
    log = (tmp_path / "jupyter-lab.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
         "--allow-root", "--ServerApp.port_retries=0", "--IdentityProvider.token=",
         "--ServerApp.password=",
         "--ServerApp.disable_check_xsrf=True", f"--ServerApp.root_dir={tmp_path}",
         "--LabApp.news_url=None", "--LabApp.extension_manager=readonly",
         "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
        cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + SERVER_TIMEOUT
        while True:
            if proc.poll() is not None:
                pytest.fail(f"jupyter lab exited ({proc.returncode}):\n"
                            f"{(tmp_path / 'jupyter-lab.log').read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{base}/api/status", timeout=5) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"jupyter lab did not answer within {SERVER_TIMEOUT} s")
            time.sleep(0.5)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
        log.close()


def _wait_kernel_ready(base: str) -> None:
    """Wait until the server's only kernel is idle with a client (the page) connected."""
    deadline, kernels = time.monotonic() + KERNEL_TIMEOUT, []
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/api/kernels", timeout=10) as r:
                kernels = json.load(r)
        except urllib.error.HTTPError as e:
            # jupyter_server answers 500 while a kernel is starting (its `last_activity` is
            # still None when the list is built): the kernel is not ready yet, ask again
            if e.code != 500:
                raise
            time.sleep(0.5)
            continue
        if len(kernels) == 1 and kernels[0]["execution_state"] == "idle" \
                and kernels[0]["connections"] >= 1:
            return
        time.sleep(0.5)
    pytest.fail(f"the notebook's kernel was not ready within {KERNEL_TIMEOUT} s: {kernels}")


def _wait_for(page, js: str, arg: str, what: str, timeout_s: float = REDRAW_TIMEOUT) -> None:
    """Wait until the JS function `js` of `arg` is truthy, else fail saying `what` did not happen."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(js, arg=arg, timeout=timeout_s * 1000)
    except PlaywrightTimeout:
        pytest.fail(f"{what} within {timeout_s} s")


def test_live_explorer_in_jupyterlab(lab, tmp_path):
    from playwright.sync_api import sync_playwright

    entries = synthetic_entries()
    accs = [f"{e.accuracy:.1%}" for e in entries]
    assert len(set(accs)) == len(accs), accs  # the runs can be told apart by their accuracy
    console: list[str] = []
    shot = Path("/tmp") / f"lab_explorer_{os.getpid()}.png"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
        page.on("pageerror", lambda e: console.append(f"exception: {e}"))
        try:
            _drive(page, lab, entries, accs)
            errors = [m for m in console if m.startswith(("error:", "exception:"))]
            assert errors == [], f"JupyterLab reported errors: {errors}"
        except BaseException:
            page.screenshot(path=str(shot), full_page=True)
            log = (tmp_path / "jupyter-lab.log").read_text()[-4000:]
            print(f"screenshot: {shot}\nconsole:\n" + "\n".join(console[-60:])
                  + f"\njupyter lab log (tail):\n{log}")
            raise
        finally:
            browser.close()


def _drive(page, base, entries, accs):
    page.goto(f"{base}/lab/tree/{NOTEBOOK}", timeout=KERNEL_TIMEOUT * 1000)
    nb = page.locator(".jp-NotebookPanel").first
    nb.wait_for(state="visible", timeout=KERNEL_TIMEOUT * 1000)
    # the notebook's kernel started, idle and connected to this page: a cell run as soon as the
    # toolbar's indicator said idle, before the page's websocket was up, was lost (it stayed "[ ]")
    _wait_kernel_ready(base)
    page.locator(".jp-StatusBar-Widget", has_text="| Idle").first.wait_for(
        timeout=KERNEL_TIMEOUT * 1000)

    # run the cell as a reader does: click into it, Shift+Enter
    nb.locator(".jp-Cell .jp-InputArea-editor").first.click()
    page.keyboard.press("Shift+Enter")

    # what the cell shows: the live widget, the static explorer or an error (fail fast on those)
    shown = nb.locator(".jp-Cell-outputArea .jupyter-widgets.widget-vbox, .jp-Cell-outputArea "
                       ".fer-explorer, .jp-OutputArea-output[data-mime-type*='stderr'], "
                       ".jp-OutputArea-output[data-mime-type*='error']").first
    shown.wait_for(state="visible", timeout=KERNEL_TIMEOUT * 1000)
    if nb.locator(".jp-Cell-outputArea .fer-explorer").count():
        pytest.fail("JupyterLab shows the static explorer, not the live widget "
                    "(viz.live_widgets() said no in the server's kernel?)")
    assert "jupyter-widgets" in (shown.get_attribute("class") or ""), \
        f"the cell failed: {shown.inner_text()[-2000:]}"
    widget = nb.locator(".jp-Cell-outputArea .jupyter-widgets.widget-vbox").first
    selects = widget.locator(".widget-dropdown select")
    assert selects.count() == 2
    run_sel, norm_sel = selects.nth(0), selects.nth(1)
    assert run_sel.is_visible() and norm_sel.is_visible()
    assert widget.locator(".widget-dropdown label").all_inner_texts() == ["run", "normalisation"]
    assert widget.locator(".widget-html-content").first.inner_text().strip() == "Explorer test"
    # (ipywidgets shows the spaces of an option as no-break spaces)
    options = [t.replace("\xa0", " ") for t in run_sel.locator("option").all_inner_texts()]
    assert options == [e.label for e in entries]
    norms = [t.replace("\xa0", " ") for t in norm_sel.locator("option").all_inner_texts()]
    assert norms == [viz.NORMALISATION_HELP[k][0] for k in viz.NORMALISATIONS]
    # the live widget took over the output: the static explorer (its fallback) is not shown
    assert nb.locator(".fer-explorer").count() == 0
    assert nb.locator(".jp-Cell-outputArea > .jp-OutputArea-child").count() == 1

    info = widget.locator(".widget-html-content").nth(1)
    # the figure: the Output widget's image, once loaded (its data: URL changes at each redraw)
    img = "document.querySelector('.jp-NotebookPanel .widget-output img')"
    src = f"(() => {{ const i = {img}; return i && i.complete && i.naturalWidth > 100 ? i.src : null; }})()"
    new_figure = f"old => {{ const s = {src}; return s !== null && s !== old; }}"
    info_has = ("t => document.querySelectorAll('.jp-NotebookPanel .widget-html-content')[1]"
                ".innerText.includes(t)")
    _wait_for(page, new_figure, "", "no figure was shown")

    def state():
        return _squash(info.inner_text()), page.evaluate(src)

    # opens on the first run (each run predicts several classes), normalised per row (recall)
    text, img0 = state()
    assert text == _text(viz._info_html(entries[0], "row"))
    assert f"Split: synthetic; {entries[0].n:,} images, accuracy {accs[0]}." in text
    assert img0.startswith("data:image/png;base64,")
    assert widget.locator(".widget-output img").count() == 1

    # another run: the kernel redraws the info line and the figure
    run_sel.select_option(index=1)
    _wait_for(page, info_has, f"accuracy {accs[1]}.", "the info line did not show the second run")
    _wait_for(page, new_figure, img0, "the figure was not redrawn for the second run")
    text, img1 = state()
    assert text == _text(viz._info_html(entries[1], "row"))
    assert f"Split: synthetic; {entries[1].n:,} images, accuracy {accs[1]}." in text
    assert run_sel.locator("option:checked").inner_text().replace("\xa0", " ") == entries[1].label
    assert widget.locator(".widget-output img").count() == 1

    # another normalisation: the figure is redrawn again, the explanation follows
    norm_sel.select_option(index=viz.NORMALISATIONS.index("counts"))
    _wait_for(page, info_has, viz.NORMALISATION_HELP["counts"][1],
              "the info line did not explain the counts")
    _wait_for(page, new_figure, img1, "the figure was not redrawn for the counts")
    text, img2 = state()
    assert text == _text(viz._info_html(entries[1], "counts"))
    assert img2 not in (img0, img1)
    assert widget.locator(".widget-output img").count() == 1
