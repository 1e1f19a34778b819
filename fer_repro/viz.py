"""Figures and the confusion-matrix explorer.

The explorer works two ways from the same data:

* :func:`explorer_html` returns a self-contained HTML/JS widget (no CDN, no kernel): every
  confusion matrix is embedded and the run and normalisation are switched client-side. This is
  what the static book shows.
* :func:`explorer_widget` returns an ipywidgets version for JupyterLab, recomputed live.
"""

from __future__ import annotations

import html
import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np

NORMALISATIONS = ("counts", "row", "column", "all")


@dataclass(frozen=True)
class MatrixEntry:
    """One run's confusion matrix for the explorer."""

    label: str  # what the reader picks, e.g. "PCA128+LogReg, PrivateTest (budget cpu)"
    matrix: np.ndarray  # rows = true class, columns = predicted
    class_names: tuple[str, ...]
    note: str = ""


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


def plot_confusion(ax: plt.Axes, entry: MatrixEntry, how: str = "row") -> None:
    m = normalise(entry.matrix, how)
    ax.imshow(m, cmap="Blues", vmin=0, vmax=m.max() if how == "counts" else 1)
    n = len(entry.class_names)
    ax.set_xticks(range(n), entry.class_names, rotation=45, ha="right")
    ax.set_yticks(range(n), entry.class_names)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    for i in range(n):
        for j in range(n):
            txt = f"{int(m[i, j])}" if how == "counts" else f"{m[i, j]:.2f}"
            ax.text(j, i, txt, ha="center", va="center", fontsize=7,
                    color="white" if m[i, j] > 0.6 * (m.max() or 1) else "black")
    ax.set_title(entry.label, fontsize=9)


def _payload(entries: Sequence[MatrixEntry]) -> list[dict[str, object]]:
    return [
        {"label": e.label, "classes": list(e.class_names),
         "m": np.asarray(e.matrix, dtype=int).tolist(), "note": e.note}
        for e in entries
    ]


_JS = """
(function(){
  const root = document.getElementById('%(id)s');
  const data = JSON.parse(root.querySelector('script[type="application/json"]').textContent);
  const runSel = root.querySelector('select.fer-run'), normSel = root.querySelector('select.fer-norm');
  const table = root.querySelector('table.fer-cm'), note = root.querySelector('.fer-note');
  function norm(m, how){
    const r = m.map(row => row.reduce((a,b)=>a+b,0));
    const c = m[0].map((_,j) => m.reduce((a,row)=>a+row[j],0));
    const t = r.reduce((a,b)=>a+b,0);
    return m.map((row,i) => row.map((v,j) => how==='counts' ? v :
      how==='row' ? (r[i] ? v/r[i] : 0) : how==='column' ? (c[j] ? v/c[j] : 0) : (t ? v/t : 0)));
  }
  function draw(){
    const e = data[+runSel.value], how = normSel.value, m = norm(e.m, how);
    const mx = Math.max(...m.flat()) || 1;
    let h = '<thead><tr><th>true \\\\ predicted</th>' + e.classes.map(c=>'<th>'+c+'</th>').join('') + '</tr></thead><tbody>';
    m.forEach((row,i) => {
      h += '<tr><th>' + e.classes[i] + '</th>' + row.map((v,j) => {
        const a = (how==='counts' ? v/mx : v), txt = how==='counts' ? String(v) : v.toFixed(2);
        const col = 'rgba(31,119,180,' + a.toFixed(3) + ')', fg = a > 0.55 ? '#fff' : '#000';
        return '<td data-i="'+i+'" data-j="'+j+'" style="background:'+col+';color:'+fg+'">'+txt+'</td>';
      }).join('') + '</tr>';
    });
    table.innerHTML = h + '</tbody>';
    note.textContent = e.note;
    root.setAttribute('data-rendered', runSel.value + ':' + how);
  }
  runSel.addEventListener('change', draw); normSel.addEventListener('change', draw);
  draw();
})();
"""


def explorer_html(entries: Sequence[MatrixEntry], title: str = "Confusion-matrix explorer") -> str:
    """A kernel-free explorer: every matrix embedded, switched client-side by a small script."""
    if not entries:
        raise ValueError("the explorer needs at least one matrix")
    uid = "fer-explorer-" + uuid.uuid5(uuid.NAMESPACE_URL, json.dumps(_payload(entries))).hex[:10]
    opts = "".join(f'<option value="{i}">{html.escape(e.label)}</option>' for i, e in enumerate(entries))
    norms = "".join(
        f'<option value="{n}"{" selected" if n == "row" else ""}>{n}</option>' for n in NORMALISATIONS
    )
    data = json.dumps(_payload(entries)).replace("</", "<\\/")
    style = (
        "<style>.fer-explorer table{border-collapse:collapse;font-size:12px;margin-top:6px}"
        ".fer-explorer td,.fer-explorer th{border:1px solid #ccc;padding:3px 6px;text-align:center}"
        ".fer-explorer label{margin-right:12px}</style>"
    )
    return (
        f'{style}<div class="fer-explorer" id="{uid}" role="group" aria-label="{html.escape(title)}">'
        f"<strong>{html.escape(title)}</strong><br>"
        f'<label>run <select class="fer-run" aria-label="run">{opts}</select></label>'
        f'<label>normalisation <select class="fer-norm" aria-label="normalisation">{norms}</select></label>'
        f'<table class="fer-cm"></table><div class="fer-note" style="font-size:11px;color:#555"></div>'
        f'<script type="application/json">{data}</script>'
        f"<script>{_JS % {'id': uid}}</script></div>"
    )


def explorer_widget(entries: Sequence[MatrixEntry]):  # pragma: no cover - needs a live kernel
    """The live JupyterLab explorer (ipywidgets); same data, redrawn with matplotlib."""
    import ipywidgets as W
    from IPython.display import display

    run = W.Dropdown(options=[(e.label, i) for i, e in enumerate(entries)], description="run")
    how = W.Dropdown(options=list(NORMALISATIONS), value="row", description="normalise")
    out = W.Output()

    def redraw(*_):
        with out:
            out.clear_output(wait=True)
            fig, ax = plt.subplots(figsize=(5, 4.5))
            plot_confusion(ax, entries[run.value], how.value)
            fig.tight_layout()
            display(fig)
            plt.close(fig)

    run.observe(redraw, "value")
    how.observe(redraw, "value")
    redraw()
    return W.VBox([W.HBox([run, how]), out])


def entries_from_records(records: Sequence, label_of=None) -> list[MatrixEntry]:
    """Explorer entries from run-store records that hold test predictions."""
    from .metrics import confusion_matrix

    out = []
    for r in records:
        arr = r.arrays()
        if "y_true" not in arr or "y_pred" not in arr:
            continue
        classes = tuple(r.extra.get("class_names", []))
        cm = confusion_matrix(arr["y_true"].astype(int), arr["y_pred"].astype(int), len(classes))
        label = label_of(r) if label_of else f"{r.name} (budget {r.budget})"
        out.append(MatrixEntry(label, cm, classes, note=f"record {r.name}/{r.key}"))
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
