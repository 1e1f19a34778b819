# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.7
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # The verdicts: all claims, all papers
#
# Every claim of the five papers, with its computed verdict and what that verdict rests on; then the
# three findings per paper that matter most, and what they mean for any FER2013 number you read. The
# counts are computed from the ledgers in `fer_repro/claims/` and the recorded runs (budget
# {glue:text}`all_budget`).

# %% tags=["parameters"]
# Parameters (papermill): see README, "Re-executing a chapter".
budget = "cpu"  # smoke | cpu | full
compute = "auto"  # auto: compute missing runs (the book reads records only); never; force
seed = 0

# %% tags=["hide-input"]
from fer_repro import chapter

chapter.start(budget=budget, compute=compute, seed=seed)

import pandas as pd
from IPython.display import HTML, Markdown, display
from myst_nb import glue

from fer_repro.claims import report
from fer_repro.claims.base import FRACTION_MARGIN
from fer_repro.experiments import all_evidence, findings
from fer_repro.params import BUDGET_MEANING

frame, checks = report.all_claims(all_evidence(budget, seed))
glue("all_budget", f"{budget} ({BUDGET_MEANING[budget]})", display=False)
glue("all_n_claims", str(len(frame)), display=False)
glue("all_failed_checks", report.failed_checks_sentence(checks, frame), display=False)
glue("all_n_experiment", str(int((frame["basis"] == report.BASES["experiment"]).sum())),
     display=False)
glue("all_basis_sentence", report.basis_sentence(frame), display=False)
glue("all_seed_term", report.seed_term_sentence(), display=False)
glue("all_margin", f"{FRACTION_MARGIN * 100:g} points", display=False)
# the margin against the widest 95% half-width of one accuracy on PrivateTest (at p = 0.5)
from fer_repro.data import reference as ref_
from fer_repro.stats import binomial_se

n_private = sum(ref_.FER2013_COUNTS["PrivateTest"])
half_ = 1.959964 * binomial_se(0.5, n_private)
glue("all_margin_vs_half", f"{FRACTION_MARGIN / half_:.1f} times the widest 95% half-width of one "
     f"accuracy on FER2013's PrivateTest ({half_ * 100:.1f} points on {n_private:,} images)",
     display=False)

# %% tags=["remove-input"]
chapter.rerun_box("claims_overview")

# %% [markdown]
# What each verdict rests on decides how much it says. A check of the paper against its own numbers
# gives *consistent* or *inconsistent*; a plausibility argument (against the data or established
# facts) gives *plausible* or *implausible*; only an experiment of this book gives *reproduced*,
# *not reproduced (ours lower)*, *differs (ours higher)* (or, for a count such as parameters,
# *differs (ours lower)*) or *inconclusive*. A negative verdict
# stands only if it holds under every reasonable reading of the paper's words; where a reading lets
# the paper hold, the verdict is *ambiguous* and the readings are listed. {glue:text}`all_basis_sentence`.
# Of the checks of the papers against themselves, {glue:text}`all_failed_checks`: a check's first reading is not a
# verdict, the readings it weighs decide it.
#
# An experiment's verdict compares our number with the paper's under a calibrated three-way rule:
# the difference counts the paper's test-set sampling (from its stated test size), ours, and the
# {term}`spread between training seeds <Training-seed variance>` ({glue:text}`all_seed_term`); it is *different* when a two-sided test at
# 5% says so, *reproduced* when {term}`two one-sided tests <Two one-sided tests (TOST)>` show it is within the {term}`equivalence margin` ({glue:text}`all_margin` of accuracy, {glue:text}`all_margin_vs_half`), and
# *inconclusive* otherwise. A seeded simulation in the tests shows a faithful paper is called
# different at most 5% of the time, when the training-seed spread is the one measured (it was
# measured on one model, FastCNN-SE, and is applied to every trained model).

# %% tags=["hide-input"]
from fer_repro import tables

tables.show(report.basis_counts(frame))  # NBVAL_CHECK_OUTPUT

# %% tags=["hide-input"]
tab = pd.crosstab(frame["paper"], frame["verdict"]).reindex(
    columns=[v for v in report.VERDICTS if v in set(frame["verdict"])], fill_value=0)
tab["total"] = tab.sum(axis=1)
tables.show(tab)  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# ## Three findings per paper
#
# Each finding is stated in plain words; below it, the evidence as computed for this page: the
# verdict and reason of each ledger claim it rests on, and what our recorded runs measured.

# %% tags=["hide-input"]
from fer_repro.claims import ledger

text = []
for key in findings.FINDINGS:
    text.append(f"### {ledger(key).PAPER.title}\n\n" + findings.render(key, frame, checks, budget, seed))
display(Markdown("\n\n".join(text)))

# %% tags=["hide-input"]
facts = findings.fer2013_facts(budget, seed)
for k, v in facts.items():
    glue(f"all_fact_{k}", v, display=False)

# %% [markdown]
# ## What to take away about FER2013 numbers
#
# - **The labels are noisy; that is context, not a ceiling.** Humans agree with FER2013's labels
#   about {glue:text}`all_fact_human` of the time, and the ten-annotator FER+ relabelling agrees with the
#   PrivateTest labels on {glue:text}`all_fact_ferplus` of images. Neither bounds what a model can score
#   against the FER2013 labels: a model can learn the original labellers' habits, and published
#   models exceed both. The best published single models reach about
#   {glue:text}`all_fact_best_published` on the official test set; a number far above that needs its
#   protocol explained before it is compared.
# - **Leakage can produce such numbers.** In our own experiment {glue:text}`all_fact_leak`. A paper
#   that does not say when it augmented, how it split, or which split chose its epochs cannot be
#   read as a held-out result.
# - **Compare models under one protocol.** Scored on the same PrivateTest images with the same
#   rules, {glue:text}`all_fact_best` (rows differ in how long they trained); the leaderboard page
#   shows every pairwise comparison with its correction for multiple testing.
# - **Ask for the protocol first.** Which images trained the model, which chose its epochs, and
#   which were touched only once: without those three answers an accuracy cannot be compared with
#   anything.
#
# ## Every claim
#
# Filter by paper, kind, basis and verdict.

# %% tags=["hide-input"]
display(HTML(report.claims_table_html(frame, filters=("paper", "kind", "basis", "verdict"))))
