"""Figures and the confusion-matrix explorer.

A chapter calls :func:`explorer` once per set of confusion matrices. It always displays the
static explorer (:func:`explorer_html`): a self-contained HTML/JS widget (no CDN, no kernel)
with every matrix embedded, the run and the normalisation switched client-side. This is what
the book shows. In a live JupyterLab kernel it shows the ipywidgets explorer
(:func:`explorer_widget`, redrawn by the kernel) instead, with the static one as the fallback
of the same output (see :func:`live_widgets` for how the two cases are told apart).

Each :class:`MatrixEntry` names the images it counts (``split``); the explorer shows that split,
the number of images and the accuracy of the selected run, and explains the normalisations.
"""

from __future__ import annotations

import html
import json
import math
import os
import textwrap
import uuid
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.legend import Legend
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import ScaledTranslation

if TYPE_CHECKING:
    import pandas as pd

NORMALISATIONS = ("counts", "row", "column", "all")
#: what each normalisation shows (option text, explanation); rows = true class, columns = predicted
NORMALISATION_HELP: dict[str, tuple[str, str]] = {
    "counts": ("counts", "Numbers of images: rows are the true class, columns the predicted class."),
    "row": ("row (recall)", ("Each row divided by its total (the images of that true class): rows "
                             "sum to 1 and the diagonal is each class's recall.")),
    "column": ("column (precision)", ("Each column divided by its total (the images predicted as "
                                      "that class): columns sum to 1 and the diagonal is each "
                                      "class's precision.")),
    "all": ("all (share of images)", ("Each cell divided by the number of images: all cells sum "
                                      "to 1 and the diagonal sums to the accuracy.")),
}
#: the environment variable that forces the explorer's mode: "live" or "static"
WIDGETS_ENV = "FER_REPRO_WIDGETS"


@dataclass(frozen=True)
class MatrixEntry:
    """One run's confusion matrix for the explorer."""

    label: str  # what the reader picks, e.g. "PCA128 + LogReg (budget cpu)"
    matrix: np.ndarray  # rows = true class, columns = predicted
    class_names: tuple[str, ...]
    note: str = ""
    #: the images the matrix counts, e.g. "FER2013 PrivateTest" or "pooled out-of-fold
    #: predictions on FER2013 Training (5 folds)"; :func:`explorer` fills in its default
    split: str = ""

    @property
    def n(self) -> int:
        """Number of images the matrix counts."""
        return int(np.asarray(self.matrix).sum())

    @property
    def accuracy(self) -> float:
        """Share of the images on the diagonal (NaN for an empty matrix)."""
        return float(np.trace(np.asarray(self.matrix)) / self.n) if self.n else math.nan


def normalise(cm: np.ndarray, how: str) -> np.ndarray:
    """Confusion matrix as counts, row-normalised (recall), column-normalised (precision) or
    normalised by the total."""
    cm = np.asarray(cm, dtype=float)
    if how == "counts":
        return cm
    if how == "row":
        s = cm.sum(axis=1, keepdims=True)
    elif how == "column":
        s = cm.sum(axis=0, keepdims=True)
    elif how == "all":
        s = np.array(cm.sum())
    else:
        raise ValueError(f"normalisation must be one of {NORMALISATIONS}")
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(s > 0, cm / np.where(s == 0, 1, s), 0.0)


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width)) or text


def plot_confusion(ax: plt.Axes, entry: MatrixEntry, how: str = "row") -> None:
    """Draw one confusion matrix (rows = true class, columns = predicted), normalised `how`.
    The run's name is the title, wrapped; x labels are rotated so that long names fit."""
    m = normalise(entry.matrix, how)
    scale = (m.max() or 1) if how in ("counts", "all") else 1
    ax.imshow(m, cmap="Blues", vmin=0, vmax=scale)
    n = len(entry.class_names)
    ax.set_xticks(range(n), entry.class_names, rotation=45, ha="right", rotation_mode="anchor")
    ax.set_yticks(range(n), entry.class_names)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    for i in range(n):
        for j in range(n):
            txt = f"{int(m[i, j])}" if how == "counts" else f"{m[i, j]:.2f}"
            ax.text(j, i, txt, ha="center", va="center", fontsize=7,
                    color="white" if m[i, j] > 0.6 * scale else "black")
    ax.set_title(_wrap(entry.label, 48), fontsize=9)


def confusion_figure(entry: MatrixEntry, how: str = "row") -> plt.Figure:
    """A figure holding :func:`plot_confusion`, laid out so that no label is cut off."""
    n = len(entry.class_names)
    side = max(3.5, 0.55 * n + 1.5)
    fig, ax = plt.subplots(figsize=(side + 0.5, side + 0.3), layout="constrained")
    plot_confusion(ax, entry, how)
    return fig


def initial_index(entries: Sequence[MatrixEntry], initial: int | str | None = None) -> int:
    """Which run the explorer opens on: `initial` as an index or an exact label; by default the
    first run that predicts more than one class (not a constant baseline such as "always the
    majority class")."""
    if not entries:
        raise ValueError("the explorer needs at least one matrix")
    if isinstance(initial, str):
        labels = [e.label for e in entries]
        if initial not in labels:
            raise ValueError(f"initial={initial!r} is not one of the runs {labels}")
        return labels.index(initial)
    if initial is not None:
        i = int(initial)
        if not -len(entries) <= i < len(entries):
            raise ValueError(f"initial={initial} but there are {len(entries)} runs")
        return i % len(entries)
    for i, e in enumerate(entries):
        if (np.asarray(e.matrix).sum(axis=0) > 0).sum() > 1:
            return i
    return 0


def _payload(entries: Sequence[MatrixEntry]) -> dict[str, object]:
    runs = [
        {"label": e.label, "classes": list(e.class_names), "m": np.asarray(e.matrix, dtype=int).tolist(),
         "note": e.note, "split": e.split, "n": e.n,
         "acc": None if math.isnan(e.accuracy) else round(e.accuracy, 6)}
        for e in entries
    ]
    return {"runs": runs, "help": {k: v[1] for k, v in NORMALISATION_HELP.items()}}


_JS = r"""
(function(){
  const root = document.getElementById('__ID__');
  const data = JSON.parse(root.querySelector('script[type="application/json"]').textContent);
  const runSel = root.querySelector('select.fer-run'), normSel = root.querySelector('select.fer-norm');
  const table = root.querySelector('table.fer-cm'), q = s => root.querySelector(s);
  const esc = s => String(s).replace(/[&<>"]/g, c => ({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;'}[c]));
  function norm(m, how){
    const r = m.map(row => row.reduce((a,b)=>a+b,0));
    const c = m[0].map((_,j) => m.reduce((a,row)=>a+row[j],0));
    const t = r.reduce((a,b)=>a+b,0);
    return m.map((row,i) => row.map((v,j) => how==='counts' ? v :
      how==='row' ? (r[i] ? v/r[i] : 0) : how==='column' ? (c[j] ? v/c[j] : 0) : (t ? v/t : 0)));
  }
  function draw(){
    const e = data.runs[+runSel.value], how = normSel.value, m = norm(e.m, how);
    const mx = Math.max(...m.flat()) || 1, scaled = how==='counts' || how==='all';
    let h = '<thead><tr><th class="fer-corner" scope="col">true \\ predicted</th>' +
      e.classes.map(c => '<th class="fer-label" scope="col">'+esc(c)+'</th>').join('') + '</tr></thead><tbody>';
    m.forEach((row,i) => {
      h += '<tr><th class="fer-label" scope="row">' + esc(e.classes[i]) + '</th>' + row.map((v,j) => {
        const a = scaled ? v/mx : v, txt = how==='counts' ? String(v) : v.toFixed(2);
        const col = 'rgba(31,119,180,' + a.toFixed(3) + ')', fg = a > 0.55 ? '#fff' : '#000';
        return '<td data-i="'+i+'" data-j="'+j+'" style="background:'+col+';color:'+fg+'">'+txt+'</td>';
      }).join('') + '</tr>';
    });
    table.innerHTML = h + '</tbody>';
    q('.fer-run-name').textContent = e.label;
    q('.fer-split').textContent = e.split;
    const n = q('.fer-n'), acc = q('.fer-acc');
    n.textContent = e.n.toLocaleString('en'); n.setAttribute('data-value', e.n);
    acc.textContent = e.acc === null ? 'n/a' : (100*e.acc).toFixed(1) + '%';
    acc.setAttribute('data-value', e.acc === null ? '' : e.acc);
    q('.fer-help').textContent = data.help[how];
    q('.fer-note').textContent = e.note;
    root.setAttribute('data-rendered', runSel.value + ':' + how);
  }
  runSel.addEventListener('change', draw); normSel.addEventListener('change', draw);
  draw();
})();
"""

_STYLE = (
    "<style>.fer-explorer{max-width:100%;margin:0.5em 0 1em}"
    ".fer-explorer select{max-width:100%}"
    ".fer-explorer .fer-controls{display:flex;flex-wrap:wrap;gap:2px 12px}"
    ".fer-explorer .fer-controls label{min-width:0;max-width:100%}"
    ".fer-explorer .fer-info,.fer-explorer .fer-help{margin-top:4px;overflow-wrap:anywhere}"
    ".fer-explorer .fer-info{font-size:14px}"
    ".fer-explorer .fer-help,.fer-explorer .fer-note{font-size:12px;color:#555}"
    ".fer-explorer .fer-cm-wrap{overflow-x:auto;max-width:100%}"
    ".fer-explorer table.fer-cm{border-collapse:collapse;font-size:12px;margin:6px 0;width:auto}"
    ".fer-explorer td,.fer-explorer th{border:1px solid #ccc;padding:3px 6px;text-align:center;"
    "white-space:nowrap;overflow:visible}"
    ".fer-explorer th.fer-label[scope=row]{text-align:right}</style>"
)


def explorer_html(entries: Sequence[MatrixEntry], title: str = "Confusion-matrix explorer",
                  initial: int | str | None = None) -> str:
    """The kernel-free explorer: every matrix embedded, switched client-side by a small script.

    Hooks (the browser tests use them): ``div.fer-explorer`` with ``data-rendered="run:norm"``
    after each redraw, ``select.fer-run``, ``select.fer-norm``, cells ``td[data-i][data-j]``,
    ``.fer-split``, ``.fer-n`` and ``.fer-acc`` (their ``data-value`` is the exact number)."""
    start = initial_index(entries, initial)
    payload = _payload(entries)
    uid = "fer-explorer-" + uuid.uuid5(uuid.NAMESPACE_URL, title + json.dumps(payload)).hex[:10]
    opts = "".join(f'<option value="{i}"{" selected" if i == start else ""}>{html.escape(e.label)}</option>'
                   for i, e in enumerate(entries))
    norms = "".join(f'<option value="{k}"{" selected" if k == "row" else ""}>{NORMALISATION_HELP[k][0]}</option>'
                    for k in NORMALISATIONS)
    data = json.dumps(payload).replace("</", "<\\/")
    return (
        f'{_STYLE}<div class="fer-explorer" id="{uid}" role="group" aria-label="{html.escape(title)}">'
        f'<strong class="fer-title">{html.escape(title)}</strong>'
        f'<div class="fer-controls"><label>run <select class="fer-run" aria-label="run">{opts}</select></label>'
        f'<label>normalisation <select class="fer-norm" aria-label="normalisation">{norms}</select></label></div>'
        '<div class="fer-info"><span class="fer-run-name"></span>. Split: <span class="fer-split"></span>; '
        '<span class="fer-n"></span> images, accuracy <span class="fer-acc"></span>.</div>'
        '<div class="fer-help"></div>'
        '<div class="fer-cm-wrap"><table class="fer-cm"></table></div><div class="fer-note"></div>'
        f'<script type="application/json">{data}</script>'
        f"<script>{_JS.replace('__ID__', uid)}</script></div>"
    )


def _info_html(e: MatrixEntry, how: str) -> str:
    acc = "n/a" if math.isnan(e.accuracy) else f"{e.accuracy:.1%}"
    return (f"<div style='overflow-wrap:anywhere'><b>{html.escape(e.label)}</b>. Split: "
            f"{html.escape(e.split)}; {e.n:,} images, accuracy {acc}.<br>"
            f"<span style='font-size:12px;color:#555'>{html.escape(NORMALISATION_HELP[how][1])}"
            f"{' ' + html.escape(e.note) if e.note else ''}</span></div>")


def explorer_widget(entries: Sequence[MatrixEntry], title: str = "Confusion-matrix explorer",
                    initial: int | str | None = None):
    """The live JupyterLab explorer (ipywidgets): the same data, redrawn with matplotlib by the
    kernel. Children: the title, the run and normalisation dropdowns, the selected run's split,
    size and accuracy (``info``), and the figure (``Output``)."""
    import ipywidgets as W
    from IPython.display import display

    start = initial_index(entries, initial)
    style = {"description_width": "initial"}
    run = W.Dropdown(options=[(e.label, i) for i, e in enumerate(entries)], value=start,
                     description="run", style=style, layout=W.Layout(width="auto", max_width="100%"))
    how = W.Dropdown(options=[(NORMALISATION_HELP[k][0], k) for k in NORMALISATIONS], value="row",
                     description="normalisation", style=style, layout=W.Layout(width="auto"))
    info = W.HTML()
    out = W.Output()

    def redraw(*_):
        e = entries[run.value]
        info.value = _info_html(e, how.value)
        with out:
            out.clear_output(wait=True)
            fig = confusion_figure(e, how.value)
            display(fig)
            plt.close(fig)

    run.observe(redraw, "value")
    how.observe(redraw, "value")
    redraw()
    return W.VBox([W.HTML(f"<b>{html.escape(title)}</b>"), W.VBox([run, how]), info, out])


def live_widgets(environ: Mapping[str, str] | None = None, shell: object = "auto") -> bool:
    """Whether :func:`explorer` shows the live ipywidgets explorer (else only the static one).

    ``$FER_REPRO_WIDGETS`` decides when set (``live`` or ``static``). Otherwise the explorer is
    live only in an IPython kernel that a Jupyter server started (JupyterLab, Notebook 7): the
    server puts ``JPY_SESSION_NAME`` (the notebook's path) in the kernel's environment, while the
    runners that execute notebooks without a reader (the book build through myst-nb/nbclient,
    papermill, nbval) start kernels without it. A widget made there would be dead weight: its
    state would be saved in the page and make the page load the widget manager."""
    env = os.environ if environ is None else environ
    forced = env.get(WIDGETS_ENV, "").strip().lower()
    if forced in ("live", "static"):
        return forced == "live"
    if forced:
        raise ValueError(f"{WIDGETS_ENV}={forced!r}: use 'live' or 'static'")
    if not env.get("JPY_SESSION_NAME"):
        return False
    if shell == "auto":
        try:
            from IPython import get_ipython
        except ImportError:  # pragma: no cover - IPython is a dependency
            return False
        shell = get_ipython()
    if getattr(shell, "kernel", None) is None:
        return False
    import importlib.util

    return importlib.util.find_spec("ipywidgets") is not None


def explorer_bundle(entries: Sequence[MatrixEntry], title: str, split: str = "",
                    initial: int | str | None = None, live: bool | None = None) -> dict[str, object]:
    """The output :func:`explorer` displays, as a MIME bundle: the static explorer as
    ``text/html``, plus the live widget's view when `live` (default :func:`live_widgets`); a
    front end that can show the widget shows it, any other falls back to the static explorer.
    `split` names the images of every entry that does not name its own."""
    entries = [e if e.split else replace(e, split=split) for e in entries]
    if not all(e.split for e in entries):
        raise ValueError("name the images each matrix counts: split=... (e.g. 'FER2013 PrivateTest')")
    bundle: dict[str, object] = {"text/html": explorer_html(entries, title, initial),
                                 "text/plain": f"{title} ({len(entries)} runs)"}
    if live if live is not None else live_widgets():
        w = explorer_widget(entries, title, initial)
        bundle.update({k: v for k, v in w._repr_mimebundle_().items() if k != "text/plain"})
    return bundle


def explorer(entries: Sequence[MatrixEntry], title: str, split: str = "",
             initial: int | str | None = None, live: bool | None = None,
             empty: str = "No recorded runs at this budget yet.") -> None:
    """Display the confusion-matrix explorer: what a chapter calls once per set of matrices.

    `split` names the images of the entries that do not name their own (pooled out-of-fold
    predictions on Training, PrivateTest, ...); `initial` picks the run it opens on (index or
    label, default :func:`initial_index`); `live` overrides :func:`live_widgets`. Without any
    entry it prints `empty` instead."""
    from IPython.display import display

    if not entries:
        print(empty)
        return
    display(explorer_bundle(entries, title, split, initial, live), raw=True)


def entries_from_records(records: Sequence, label_of=None, split: str = "") -> list[MatrixEntry]:
    """Explorer entries from run-store records that hold test predictions (``y_true``,
    ``y_pred``); `split` names the images they are predictions on."""
    from .metrics import confusion_matrix

    out = []
    for r in records:
        arr = r.arrays()
        if "y_true" not in arr or "y_pred" not in arr:
            continue
        classes = tuple(r.extra.get("class_names", []))
        cm = confusion_matrix(arr["y_true"].astype(int), arr["y_pred"].astype(int), len(classes))
        label = label_of(r) if label_of else f"{r.name} (budget {r.budget})"
        out.append(MatrixEntry(label, cm, classes, note=f"record {r.name}/{r.key}", split=split))
    return out


def image_grid(ax_grid: np.ndarray, images: Mapping[str, np.ndarray]) -> None:
    """Show sample images: one row per class, images as columns."""
    for r, (name, imgs) in enumerate(images.items()):
        for c in range(ax_grid.shape[1]):
            ax = ax_grid[r, c]
            ax.axis("off")
            if c < len(imgs):
                ax.imshow(imgs[c], cmap="gray", vmin=0, vmax=255)
        ax_grid[r, 0].text(-4, 24, name, ha="right", va="center", fontsize=9)


def placeholder_figure(text: str = "not recorded at this budget") -> plt.Figure:
    """A small empty figure saying why a chapter's figure has nothing to show (so that its
    `glue:figure` still resolves when a run is missing)."""
    fig, ax = plt.subplots(figsize=(6, 1))
    ax.axis("off")
    ax.text(0.5, 0.5, text, ha="center")
    return fig


#: the book's matplotlib settings (:func:`use_book_style`): labels that stay readable when a
#: figure is scaled to the text column, legends placed where they cover the least data
BOOK_RC: dict[str, object] = {
    "figure.dpi": 100,
    "savefig.dpi": 200,
    "font.size": 11,
    "axes.titlesize": 11,
    "axes.labelsize": 11,
    "xtick.labelsize": 10,
    "ytick.labelsize": 10,
    "legend.fontsize": 9,
    "legend.title_fontsize": 9,
    "legend.loc": "best",
    "legend.framealpha": 0.85,
    "figure.titlesize": 12,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
#: the inline backend's format: PNG at twice the resolution (sharp on high-density screens, and far
#: lighter than SVG for the heatmaps and image grids)
BOOK_FIGURE_FORMAT = "retina"


def use_book_style(figure_format: str = BOOK_FIGURE_FORMAT) -> None:
    """Set the book's figure style: :data:`BOOK_RC` in matplotlib's rcParams and, in a notebook
    kernel, the inline backend's format (:data:`BOOK_FIGURE_FORMAT`, 2x PNG shown at its 1x size).
    Idempotent; outside IPython only the rcParams are set."""
    plt.rcParams.update(BOOK_RC)
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with the notebook stack
        return
    shell = get_ipython()
    if shell is None or not hasattr(shell, "display_formatter"):
        return
    from matplotlib_inline.backend_inline import set_matplotlib_formats
    from matplotlib_inline.config import InlineBackend

    set_matplotlib_formats(figure_format)
    # pyplot picks its backend at the first figure, after this call; the inline backend then
    # selects its configured formats again: configure those too
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # matplotlib-inline's old traitlets hook
        InlineBackend.instance().figure_formats = {figure_format}


def legend_below(ax: plt.Axes, ncol: int = 1, **kwargs) -> Legend | None:
    """The axes' legend under its x axis (below the tick labels and the axis label), where it cannot
    cover data; `ncol` columns, other keyword arguments to :meth:`~matplotlib.axes.Axes.legend`.
    Call it once the axis labels are set; the figure grows downwards to make room (the inline
    backend crops to the drawn content). Nothing when the axes have no labelled artist."""
    if not ax.get_legend_handles_labels()[1]:
        return None
    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    # how far the tick labels and the axis label reach below the axes, in inches: a fixed
    # distance, so the legend stays clear of them whatever the layout later does to the axes
    drop = (ax.get_window_extent(renderer).y0 - ax.get_tightbbox(renderer).y0) / fig.dpi + 0.04
    offset = ScaledTranslation(0, -drop, fig.dpi_scale_trans)
    kwargs.setdefault("frameon", False)
    return ax.legend(loc="upper center", bbox_to_anchor=(0.5, 0), ncol=ncol,
                     bbox_transform=ax.transAxes + offset, **kwargs)


def epoch_axis(ax: plt.Axes, label: str = "epoch") -> None:
    """An x axis counting epochs: whole-number ticks only, labelled `label`."""
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(label)


def forest_plot(ax: plt.Axes, labels: Sequence[str], estimate: Sequence[float],
                low: Sequence[float], high: Sequence[float], xlabel: str,
                reference: float = 0.0) -> None:
    """Point estimates with their intervals, one row per label, and a line at `reference`."""
    y = np.arange(len(labels))[::-1]
    est = np.asarray(estimate, dtype=float)
    err = np.vstack([est - np.asarray(low, dtype=float), np.asarray(high, dtype=float) - est])
    ax.errorbar(est, y, xerr=err, fmt="o", color="#1f4e79", capsize=3)
    ax.axvline(reference, color="0.5", lw=1, ls="--")
    ax.set_yticks(y, labels)
    ax.set_xlabel(xlabel)


def context_figure(points: pd.DataFrame, title: str, xlabel: str) -> plt.Figure:
    """A paper's claimed accuracies among measured and reference points, one row each with its
    95% interval where it has one. `points`: a DataFrame with ``point``, ``accuracy``, ``low``,
    ``high`` and ``kind`` ("paper", "ours" or "reference")."""
    colours = {"paper": "#cf222e", "ours": "#0969da", "reference": "#6e7781"}
    fig, ax = plt.subplots(figsize=(8, 0.45 * len(points) + 1))
    ys = np.arange(len(points))[::-1]
    for y_, (_, r) in zip(ys, points.iterrows()):
        if np.isfinite(r["low"]):
            ax.plot([r["low"], r["high"]], [y_, y_], color=colours[r["kind"]], lw=2)
        ax.plot(r["accuracy"], y_, "o", color=colours[r["kind"]])
    ax.set_yticks(ys, points["point"], fontsize=9)
    ax.set_xlim(0, 1)
    ax.set_xlabel(xlabel)
    ax.set_title(title, fontsize=9)
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    return fig
