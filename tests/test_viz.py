"""The confusion-matrix explorer: normalisation, the static HTML version and the live widget."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

from fer_repro import viz

CM = np.array([[5, 1, 0], [2, 6, 2], [0, 0, 4]])


def test_normalise_against_numpy():
    assert (viz.normalise(CM, "counts") == CM).all()
    np.testing.assert_allclose(viz.normalise(CM, "row").sum(1), 1)
    np.testing.assert_allclose(viz.normalise(CM, "column").sum(0), 1)
    np.testing.assert_allclose(viz.normalise(CM, "all"), CM / CM.sum())
    empty_row = np.array([[0, 0], [1, 3]])
    assert (viz.normalise(empty_row, "row")[0] == 0).all()
    with pytest.raises(ValueError):
        viz.normalise(CM, "log")


def _payload(html):
    return json.loads(re.search(r'<script type="application/json">(.*?)</script>', html).group(1))


def test_explorer_html_embeds_every_matrix():
    entries = [viz.MatrixEntry("run A", CM, ("a", "b", "c"), split="s"),
               viz.MatrixEntry("run <B>", CM.T, ("a", "b", "c"), note="n", split="s")]
    html = viz.explorer_html(entries, "t")
    payload = _payload(html)
    assert [p["m"] for p in payload["runs"]] == [CM.tolist(), CM.T.tolist()]
    assert set(payload["help"]) == set(viz.NORMALISATIONS)
    assert "run &lt;B&gt;" in html and "https://" not in html
    assert html.count('<option value="') == len(entries) + len(viz.NORMALISATIONS)
    for hook in ('class="fer-explorer"', 'select class="fer-run"', 'select class="fer-norm"',
                 'class="fer-split"', 'class="fer-n"', 'class="fer-acc"', 'class="fer-help"'):
        assert hook in html
    with pytest.raises(ValueError):
        viz.explorer_html([])


def test_payload_carries_split_n_and_accuracy_of_each_matrix():
    cm2 = np.array([[0, 7], [0, 3]])
    entries = [viz.MatrixEntry("A", CM, ("a", "b", "c")),
               viz.MatrixEntry("B", cm2, ("x", "y"), split="FER2013 PublicTest")]
    bundle = viz.explorer_bundle(entries, "t", split="pooled out-of-fold predictions on Training",
                                 live=False)
    runs = _payload(bundle["text/html"])["runs"]
    assert [r["split"] for r in runs] == ["pooled out-of-fold predictions on Training", "FER2013 PublicTest"]
    assert [r["n"] for r in runs] == [CM.sum(), 10] == [entries[0].n, entries[1].n]
    assert runs[0]["acc"] == pytest.approx(np.trace(CM) / CM.sum()) == pytest.approx(entries[0].accuracy)
    assert runs[1]["acc"] == pytest.approx(0.3)
    assert set(bundle) == {"text/html", "text/plain"}  # static: no widget
    with pytest.raises(ValueError, match="split"):  # every matrix must say which images it counts
        viz.explorer_bundle(entries[:1], "t", live=False)
    empty = viz.MatrixEntry("empty", np.zeros((2, 2), int), ("x", "y"), split="s")
    assert empty.n == 0 and np.isnan(empty.accuracy)
    assert _payload(viz.explorer_html([empty]))["runs"][0]["acc"] is None


def test_normalisations_are_recall_precision_and_share():
    from fer_repro.metrics import accuracy_from_confusion, prf_from_confusion

    prf = prf_from_confusion(CM)
    row, col, share = (viz.normalise(CM, k) for k in ("row", "column", "all"))
    np.testing.assert_allclose(row.sum(1), 1)
    np.testing.assert_allclose(np.diag(row), prf["recall"])
    np.testing.assert_allclose(col.sum(0), 1)
    np.testing.assert_allclose(np.diag(col), prf["precision"])
    np.testing.assert_allclose(share.sum(), 1)
    np.testing.assert_allclose(np.trace(share), accuracy_from_confusion(CM))
    for how in viz.NORMALISATIONS:  # the explanation says what the diagonal is
        assert how in viz.NORMALISATION_HELP
    assert "recall" in viz.NORMALISATION_HELP["row"][1] and "precision" in viz.NORMALISATION_HELP["column"][1]


def test_initial_run():
    majority = np.array([[0, 5, 0], [0, 8, 0], [0, 3, 0]])  # always predicts class 1
    entries = [viz.MatrixEntry("majority", majority, ("a", "b", "c"), split="s"),
               viz.MatrixEntry("model", CM, ("a", "b", "c"), split="s"),
               viz.MatrixEntry("other", CM.T, ("a", "b", "c"), split="s")]
    assert viz.initial_index(entries) == 1  # not the constant baseline
    assert viz.initial_index(entries, "other") == 2 and viz.initial_index(entries, 0) == 0
    assert viz.initial_index(entries, -1) == 2
    assert viz.initial_index(entries[:1]) == 0
    for bad in ("nope", 3):
        with pytest.raises(ValueError):
            viz.initial_index(entries, bad)
    html = viz.explorer_html(entries, "t", initial="other")
    assert '<option value="2" selected>' in html and html.count(" selected>") == 2  # run + "row"


def test_live_widget_switch_decision():
    class Kernel:
        kernel = object()

    lab = {"JPY_SESSION_NAME": "/work/notebooks/data.ipynb"}
    assert viz.live_widgets(lab, shell=Kernel()) is True  # a kernel JupyterLab started
    assert viz.live_widgets({}, shell=Kernel()) is False  # nbclient: book build, papermill, nbval
    assert viz.live_widgets(lab, shell=None) is False  # plain Python, no kernel
    assert viz.live_widgets(lab, shell=object()) is False  # IPython terminal
    assert viz.live_widgets({**lab, viz.WIDGETS_ENV: "static"}, shell=Kernel()) is False
    assert viz.live_widgets({viz.WIDGETS_ENV: "live"}, shell=None) is True
    with pytest.raises(ValueError):
        viz.live_widgets({viz.WIDGETS_ENV: "maybe"})


def test_live_bundle_carries_the_widget_with_the_static_fallback(monkeypatch):
    pytest.importorskip("ipywidgets")
    monkeypatch.setattr("IPython.display.display", lambda *a, **k: None)
    entries = [viz.MatrixEntry("A", CM, ("a", "b", "c"), split="s")]
    bundle = viz.explorer_bundle(entries, "t", live=True)
    assert "application/vnd.jupyter.widget-view+json" in bundle and "fer-explorer" in bundle["text/html"]
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda *a, **k: shown.append((a, k)))
    monkeypatch.setenv(viz.WIDGETS_ENV, "static")
    viz.explorer(entries, "t")
    ((obj,), kw), = shown
    assert kw == {"raw": True} and set(obj) == {"text/html", "text/plain"}


def test_live_widget_redraws_on_change(monkeypatch):
    pytest.importorskip("ipywidgets")
    drawn = []
    monkeypatch.setattr(viz, "plot_confusion", lambda ax, e, how: drawn.append((e.label, how)))
    monkeypatch.setattr("IPython.display.display", lambda *a, **k: None)
    entries = [viz.MatrixEntry("A", CM, ("a", "b", "c"), split="Training"),
               viz.MatrixEntry("B", CM.T, ("a", "b", "c"), split="PrivateTest")]
    box = viz.explorer_widget(entries, "t", initial="B")
    _, (run, how), info, _ = box.children[0], box.children[1].children, box.children[2], box.children[3]
    assert run.options == (("A", 0), ("B", 1)) and run.value == 1 and how.value == "row"
    assert "PrivateTest" in info.value and f"{np.trace(CM) / CM.sum():.1%}" in info.value
    run.value = 0
    assert "Training" in info.value and f"{CM.sum():,} images" in info.value
    how.value = "counts"
    assert drawn == [("B", "row"), ("A", "row"), ("A", "counts")]  # one redraw per change


def test_confusion_figure_keeps_long_labels_inside():
    import matplotlib.pyplot as plt

    names = ("anger", "contempt", "a very long class name", "fear", "happy", "sadness", "surprise")
    e = viz.MatrixEntry("full DCRNet, CK+48, subject-independent folds, a long run name (budget cpu)",
                        np.eye(7, dtype=int) * 5 + 1, names, split="s")
    fig = viz.confusion_figure(e, "row")
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    (ax,) = fig.axes
    box = fig.bbox
    for t in [*ax.get_xticklabels(), *ax.get_yticklabels(), ax.title, ax.xaxis.label, ax.yaxis.label]:
        b = t.get_window_extent(r)
        assert b.x0 >= box.x0 - 1 and b.x1 <= box.x1 + 1 and b.y0 >= box.y0 - 1 and b.y1 <= box.y1 + 1, t.get_text()
    plt.close(fig)


def test_placeholder_figure_says_why():
    import matplotlib.pyplot as plt

    from fer_repro.viz import placeholder_figure

    fig = placeholder_figure("no run")
    (ax,) = fig.axes
    assert not ax.axison and [t.get_text() for t in ax.texts] == ["no run"]
    plt.close(fig)


def test_forest_plot_draws_one_interval_per_label():
    import matplotlib.pyplot as plt

    from fer_repro.viz import forest_plot

    fig, ax = plt.subplots()
    forest_plot(ax, ["a", "b"], [0.1, -0.2], [0.0, -0.3], [0.2, -0.1], "difference")
    assert [t.get_text() for t in ax.get_yticklabels()] == ["a", "b"]
    (bars,) = [c for c in ax.containers]
    segs = bars.lines[2][0].get_segments()  # the horizontal error bars, in label order
    xs = sorted(tuple(np.round(s[:, 0], 6)) for s in segs)
    assert xs == [(-0.3, -0.1), (0.0, 0.2)]
    plt.close(fig)


def test_context_figure_has_one_row_per_point_and_intervals_where_given():
    import pandas as pd

    pts = pd.DataFrame({"point": ["paper", "ours", "humans"], "accuracy": [0.95, 0.6, 0.65],
                        "low": [float("nan"), 0.58, 0.60], "high": [float("nan"), 0.62, 0.70],
                        "kind": ["paper", "ours", "reference"]})
    fig = viz.context_figure(pts, "title", "accuracy")
    ax = fig.axes[0]
    # one labelled row per point, the first on top
    assert [t.get_text() for t in ax.get_yticklabels()] == list(pts["point"])
    assert list(ax.get_yticks()) == [2, 1, 0]
    assert len([line for line in ax.lines if len(line.get_xdata()) == 2]) == 2  # two intervals
    assert ax.get_xlim() == (0, 1) and ax.get_title() == "title"
    import matplotlib.pyplot as plt

    plt.close(fig)
