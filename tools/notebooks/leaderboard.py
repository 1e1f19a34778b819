"""Source of notebooks/leaderboard.ipynb (every architecture under one protocol).

Edit here, then run `python tools/notebooks/leaderboard.py`; tests/test_notebooks.py checks that
the committed notebook matches this source.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from tools.nbbuild import code, md, params_cell, write

write(str(ROOT / "notebooks" / "leaderboard.ipynb"), [
    md("""
# One protocol for every architecture

Each paper scored its model under its own protocol. Here every model of the book that was trained
on FER2013 Training, with its epochs chosen on data other than PrivateTest, is scored on the same
{glue}`lb_n_test` PrivateTest images, touched once per model. Nothing is trained on this page: it
reads the chapters' recorded runs (budget {glue}`lb_budget`), so the budgets differ between
rows and are printed in each row. A row is an honest number for its budget, not the best the
architecture can do.
"""),
    params_cell(),
    code("""
from fer_repro.params import check_params

check_params(budget=budget, compute=compute, seed=seed)

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import HTML, display
from myst_nb import glue

from fer_repro import viz
from fer_repro.experiments import leaderboard as LB
from fer_repro.params import BUDGET_MEANING

entries, missing = LB.entries(budget, seed)
board = LB.table(entries, seed)
glue("lb_budget", f"{budget} ({BUDGET_MEANING[budget]})", display=False)
glue("lb_n_test", f"{len(entries[0].y_true):,}" if entries else "0", display=False)
glue("lb_n_models", str(len(entries)), display=False)
""", tags=["hide-input"]),
    md("""
## The leaderboard

{glue}`lb_n_models` models have a recorded run under this protocol. Accuracy has a Wilson 95%
interval, macro-F1 a percentile-bootstrap one (2,000 resamples of the test images). The paper's
number is the one its ledger records for the comparable claim (see the last column); for
PCA + LogReg and the attention CNN that number is a cross-validation mean on Training, not a
PrivateTest score.
"""),
    code("""
if board.empty:
    print("No run under this protocol is recorded at this budget.")
else:
    cols = ["accuracy", "acc low", "acc high", "macro-F1", "F1 low", "F1 high",
            "paper's accuracy", "paper minus ours", "parameters (M)", "training", "budget",
            "paper's number", "record"]
    display(board[cols].style.format(precision=3, na_rep="",
                                     subset=cols[:9]))
"""),
    code("""
if board.empty:
    fig = viz.placeholder_figure()
else:
    fig, ax = plt.subplots(figsize=(8, 0.55 * len(board) + 1.2))
    viz.forest_plot(ax, list(board.index), board["accuracy"], board["acc low"],
                    board["acc high"], "PrivateTest accuracy (Wilson 95% interval)",
                    reference=float(board.loc["always majority", "accuracy"])
                    if "always majority" in board.index else 0.0)
    y = np.arange(len(board))[::-1]
    has = board["paper's accuracy"].notna().to_numpy()
    ax.scatter(board["paper's accuracy"].to_numpy()[has], y[has], marker="x", color="#c0392b",
               zorder=3, label="the paper's number")
    ax.legend(loc="lower right")
    ax.set_xlim(0, 1)
    fig.tight_layout()
glue("lb_fig", fig, display=False)
plt.close(fig)
""", tags=["hide-input"]),
    md("""
```{glue:figure} lb_fig
:alt: Horizontal intervals of PrivateTest accuracy for each model, best at the top, with red crosses at the accuracy each paper claims and a dashed line at the always-majority rule.

PrivateTest accuracy of every model trained under one protocol (budget {glue}`lb_budget`), with
Wilson 95% intervals; red crosses mark the paper's number for the comparable claim; the dashed line
is the always-majority rule.
```
"""),
    code("""
if len(board) < 2:
    for k in ("lb_best", "lb_gap", "lb_sig", "lb_n_pairs", "lb_top_pair"):
        glue(k, "n/a (fewer than two recorded models)", display=False)
    adj = diff = None
else:
    raw, adj, diff = LB.mcnemar_matrix(entries)
    best = board.index[0]
    glue("lb_best", f"{best} ({board.loc[best, 'accuracy']:.3f}, 95% CI "
         f"{board.loc[best, 'acc low']:.3f}-{board.loc[best, 'acc high']:.3f})", display=False)
    gaps = board["paper minus ours"].dropna()
    if gaps.empty:
        glue("lb_gap", "n/a (no recorded model has a paper's number)", display=False)
    else:
        worst = gaps.idxmax()
        claim = board.loc[worst, "paper's accuracy"]
        glue("lb_gap", f"{worst}: the paper's {claim:.3f} against our "
             f"{board.loc[worst, 'accuracy']:.3f}", display=False)
    iu = np.triu_indices(len(entries), 1)
    glue("lb_n_pairs", str(len(iu[0])), display=False)
    glue("lb_sig", str(int((adj.to_numpy()[iu] < 0.05).sum())), display=False)
    a, b = board.index[0], board.index[1]
    glue("lb_top_pair", f"{a} and {b} differ by {diff.loc[a, b]:+.3f} in accuracy, Holm-adjusted "
         f"McNemar p = {adj.loc[a, b]:.2g}", display=False)
""", tags=["hide-input"]),
    md("""
The most accurate model at this budget is {glue}`lb_best`. The largest distance between a paper's
number and ours is {glue}`lb_gap` (budgets differ from the papers', so a shortfall alone refutes
nothing: the chapters judge each claim with that in mind).

## Which differences are real

McNemar's exact test compares two models on the same images through the images only one of them
gets right. With {glue}`lb_n_pairs` pairs, p-values are Holm-adjusted for the family of
comparisons; {glue}`lb_sig` pairs differ at the 5% level after adjustment. The two best models:
{glue}`lb_top_pair`. The table holds the adjusted p-values (rows and columns in leaderboard
order); the second table the accuracy differences, row minus column.
"""),
    code("""
if adj is not None:
    order = list(board.index)
    display(adj.loc[order, order].style.format("{:.2g}", na_rep="").set_caption(
        "Holm-adjusted McNemar exact p-values"))
    display(diff.loc[order, order].style.format("{:+.3f}").set_caption(
        "Accuracy difference, row minus column"))
"""),
    md("""
## Architectures without a row

Some models of the book were not trained under this protocol; their chapters say why.
"""),
    code("""
rows = [{"model": m, "why": why} for m, why in LB.NOT_ON_PRIVATETEST.items()]
rows += [{"model": m, "why": why} for m, why in missing.items()]
display(pd.DataFrame(rows).set_index("model"))
"""),
])
