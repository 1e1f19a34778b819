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


def test_explorer_html_embeds_every_matrix():
    entries = [viz.MatrixEntry("run A", CM, ("a", "b", "c")),
               viz.MatrixEntry("run <B>", CM.T, ("a", "b", "c"), note="n")]
    html = viz.explorer_html(entries, "t")
    payload = json.loads(re.search(r'<script type="application/json">(.*?)</script>', html).group(1))
    assert [p["m"] for p in payload] == [CM.tolist(), CM.T.tolist()]
    assert "run &lt;B&gt;" in html and "https://" not in html
    assert html.count('<option value="') == len(entries) + len(viz.NORMALISATIONS)
    with pytest.raises(ValueError):
        viz.explorer_html([])


def test_live_widget_redraws_on_change(monkeypatch):
    pytest.importorskip("ipywidgets")
    drawn = []
    monkeypatch.setattr(viz, "plot_confusion", lambda ax, e, how: drawn.append((e.label, how)))
    monkeypatch.setattr("IPython.display.display", lambda *a, **k: None)
    entries = [viz.MatrixEntry("A", CM, ("a", "b", "c")), viz.MatrixEntry("B", CM.T, ("a", "b", "c"))]
    box = viz.explorer_widget(entries)
    run, how = box.children[0].children
    assert run.options == (("A", 0), ("B", 1)) and how.value == "row"
    run.value = 1
    how.value = "counts"
    assert drawn == [("A", "row"), ("B", "row"), ("B", "counts")]  # one redraw per change


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
