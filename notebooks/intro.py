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
# # fer-repro: facial-expression-recognition papers, re-implemented and audited
#
# This book re-implements and audits recent facial-expression-recognition (FER) papers, most of them
# reporting results on FER2013. For each paper it lists every checkable claim, checks the paper
# against itself (do its own numbers, formulas and tables agree?), re-runs what can be re-run on the
# data available here, and gives every claim a verdict backed by evidence.

# %% tags=["parameters", "remove-cell"]
# Parameters (papermill): see README, "Re-executing a chapter".
budget = "cpu"  # smoke | cpu | full
compute = "auto"  # auto: compute missing runs (the book reads records only); never; force
seed = 0

# %% tags=["remove-cell"]
from IPython.display import HTML, display

from fer_repro import chapter
from fer_repro.claims import report
from fer_repro.experiments import all_evidence

chapter.start(budget=budget, compute=compute, seed=seed)
frame, checks = report.all_claims(all_evidence(budget, seed))

# %% tags=["remove-input"]
display(HTML(chapter.landing_html(frame, budget, seed)))

# %% [markdown]
# Every number in the book is computed by code in the accompanying repository, either while the page
# is built or in a recorded run stored under `results/` together with its configuration, code
# version, library versions, seed, device and wall time. Nothing is typed by hand.
#
# ## What is audited
#
# | chapter | paper | main claims |
# |---|---|---|
# | {doc}`suwartono2025` | Suwartono, Bata, Airlangga (2025) | attention CNN with Mish + SE; FastCNN-SE with Sparsemax, Poly-Focal loss, class-balanced weights; PCA baselines; FER2013 {term}`cross-validation <Cross-validation interval>` |
# | {doc}`amacnn` | Ali, Jabaar (AMACNN) | multi-scale attention CNN; very high accuracy on Kaggle FER data sets including FER2013 |
# | {doc}`resemotenet` | Roy et al. (2024) | CNN + SE + residual blocks; FER2013, RAF-DB, AffectNet, ExpW |
# | {doc}`dcrnet` | Abdeldayem et al. (2025) | DenseNet121 + CBAM + residual modules; CK+, KDEF, AffectNet; significance and efficiency claims |
# | {doc}`dlfer` | Hussan (2025) | cascaded EfficientNet-B3, ImageNet then FER2013 |
#
# The book starts with the data ({doc}`data`): FER2013's official splits, its class
# imbalance, its exact duplicates across splits, how often ten FER+ annotators agree with its labels,
# and the structure of CK+48 and the KDEF subset. Those facts are the context in which any FER2013
# number is read. The leakage chapter ({doc}`leakage`) then measures, on FER2013 itself, what
# duplicates, augmenting before splitting, choosing the epoch on the test split and a random transform
# at test time are each worth; the paper chapters use those measurements in their verdicts.
#
# After the five paper chapters, the synthesis: {doc}`leaderboard` scores every model
# of the book that was trained on FER2013 Training on the same PrivateTest images, with paired tests
# between all of them; {doc}`claims_overview` gathers every claim of every paper by
# verdict, the three findings per paper that matter most, and what they mean for any FER2013 number;
# {doc}`performance` measures the training engine and the book itself. To re-run the
# book's experiments at the papers' own budgets, see {doc}`gpu`.
#
# A verdict of *pending* marks a claim whose experiment has not been recorded at the paper's
# budget: this book trains on a 2-core CPU, so several deep-model numbers are recorded at a stated,
# smaller budget, which can show a gap but cannot refute a paper that trained longer.
#
# ## How to read a verdict
#
# Every verdict says what it rests on. Only an experiment of this book can *reproduce* a claim; a
# claim checked against the paper's own numbers can only be *consistent* or *inconsistent*.
#
# | rests on | verdict | meaning |
# |---|---|---|
# | the paper's own numbers | **consistent** / **inconsistent** | the paper's numbers agree with each other and with its formulas, or contradict them |
# | a plausibility argument | **plausible** / **implausible** | the number agrees with, or contradicts, the data (counts, duplicates) or well-established facts; the premise is shown |
# | an experiment of this book | **reproduced** | our number and the paper's are shown to lie within the {term}`equivalence margin` ({term}`two one-sided tests <Two one-sided tests (TOST)>`) |
# | | **not reproduced (ours lower)** / **differs (ours higher)** | a two-sided test at 5% separates our number from the paper's, counting both test sets' sampling and the {term}`training seed <Training-seed variance>` |
# | | **differs (ours higher)** / **differs (ours lower)** for a count | a count (parameters, FLOPs) that no reading of the described architecture reaches; a count has no favourable side, so both directions carry the same word |
# | | **inconclusive** | neither a difference nor equivalence can be shown at this size |
# | any | **ambiguous** | the check fails under one reading of the paper's words but holds under another reasonable one, or that other reading is open (nothing here can show a fault under it); the readings are listed |
# | nothing that decides it | **not testable here** | the data, weights or compute are not available; the reason is given |
# | | **pending** | the experiment has not been recorded yet, or was recorded under a smaller budget and gives a number it cannot refute (ours lower or inconclusive) |
#
# A negative verdict (*inconsistent*, *implausible*, *not reproduced*, *differs*) stands only if it
# holds under every reasonable reading of the paper's words, and shows the readings it considered.
#
# When a measurement was made under a smaller budget than the paper's protocol, the budget is printed
# beside the number (`smoke`: seconds, for tests only; `cpu`: the recorded runs of this book on a
# 2-core CPU; `full`: the paper's protocol).
#
# Protocol is suspected before architecture: how the data were split, whether augmented copies of an
# image landed on both sides of a split, and whether the test set was used to choose the model. The
# book follows FER2013's official protocol throughout: *Training* to train and cross-validate,
# *PublicTest* to validate, *PrivateTest* to test, touched once per final model.
#
# ## Exploring the confusion matrices
#
# Every chapter with confusion matrices (the data chapter and the five paper chapters) has a
# confusion-matrix explorer: choose a run and a normalisation (counts; rows, whose diagonal is the
# recall; columns, whose diagonal is the precision; or the share of all images) and it shows which
# images the matrix counts (PrivateTest, say, or pooled out-of-fold predictions on Training), how
# many there are and the run's accuracy, right in the page with no kernel needed. Opened in
# JupyterLab, the same cell gives a live ipywidgets version.
#
# ## Re-executing a chapter
#
# Every chapter is a notebook with a parameters cell, and can be re-executed with
# [papermill](https://papermill.readthedocs.io), on a laptop CPU or a GPU; see {doc}`/book/rerun`.

