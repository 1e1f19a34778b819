"""The book's figure style (:func:`fer_repro.viz.use_book_style`) and epoch axes."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt

from fer_repro import viz


def test_use_book_style_sets_rcparams_and_is_idempotent():
    with matplotlib.rc_context():
        viz.use_book_style()
        viz.use_book_style()
        for key, value in viz.BOOK_RC.items():
            assert plt.rcParams[key] == value, key
        assert plt.rcParams["xtick.labelsize"] >= 9 and plt.rcParams["legend.loc"] == "best"


def test_use_book_style_sets_the_inline_format_in_a_kernel():
    """In an IPython shell the inline backend renders 2x PNG (retina), and keeps it configured."""
    from IPython.core.interactiveshell import InteractiveShell
    from matplotlib_inline.config import InlineBackend

    shell = InteractiveShell.instance()
    try:
        with matplotlib.rc_context():
            viz.use_book_style()
        formatters = shell.display_formatter.formatters
        fig, ax = plt.subplots(figsize=(2, 1))
        ax.plot([0, 1], [0, 1])
        png = formatters["image/png"](fig)
        plt.close(fig)
        assert png is not None
        _, meta = png if isinstance(png, tuple) else (png, {})
        assert meta.get("width") and meta.get("height"), "retina PNG carries its 1x size"
        assert InlineBackend.instance().figure_formats == {viz.BOOK_FIGURE_FORMAT}
    finally:
        InteractiveShell.clear_instance()


def test_epoch_axis_has_integer_ticks():
    fig, ax = plt.subplots()
    ax.plot([1, 2, 3], [0.5, 0.6, 0.7])
    viz.epoch_axis(ax)
    fig.canvas.draw()
    ticks = [t for t in ax.get_xticks() if ax.get_xlim()[0] <= t <= ax.get_xlim()[1]]
    assert ticks and all(float(t).is_integer() for t in ticks), ticks
    assert ax.get_xlabel() == "epoch"
    plt.close(fig)
