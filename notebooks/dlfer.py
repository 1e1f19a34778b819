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
# # DLFER: cascaded EfficientNet-B3 (Hussan 2025)
#
# The paper: {glue:md}`dlf_citation_md`.

# %% tags=["parameters", "remove-cell"]
# Parameters (papermill): see README, "Re-executing a chapter".
budget = "cpu"  # smoke | cpu | full
compute = "auto"  # auto: compute missing runs (the book reads records only); never; force
seed = 0

# %% tags=["remove-cell"]
from fer_repro.chapter import open_paper

ch = open_paper("dlfer", budget=budget, compute=compute, seed=seed)

# %% tags=["remove-input"]
ch.verdict_summary()
ch.rerun_box()

# %% tags=["hide-input"]
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import Markdown, display
from myst_nb import glue

from fer_repro import chapter, viz
from fer_repro.claims import report
from fer_repro.experiments import amacnn as A
from fer_repro.experiments import dlfer as E
from fer_repro.metrics import confusion_matrix
from fer_repro.stats import format_p

KEY, recs, evidence, frame, checks = ch.key, ch.recs, ch.evidence, ch.frame, ch.checks
judgements, results, claims, by_id = ch.judgements, ch.results, ch.claims, ch.by_id
PENDING = chapter.PENDING

rec = recs["scratch_b3"]
abl = E.ablation_claims()

# %% tags=["hide-input"]
done = ("identified the deployed DLFER as one EfficientNet-B3 with a new FER2013 head, computed its "
        "size and cost, and "
        + (f"trained the paper's ablation arm without the ImageNet stage (EfficientNet-B3 from "
           f"random initialisation) on FER2013 at budget `{rec.budget}`, scored on the paper's test set "
           f"(PublicTest and PrivateTest) and on PrivateTest alone" if rec is not None else
           f"have not yet recorded the from-scratch EfficientNet-B3 run at budget `{budget}`"))
display(Markdown(report.reproducibility_summary(KEY, frame, checks, done=done)))
diverse = next(c for c in claims.values() if c.target == "image_size_uniform")
glue("dlf_diverse_verdict", by_id[diverse.id].verdict, display=False)
glue("dlf_runs", "; ".join(f"{E.ARMS[a_][0]}: " + (f"budget {r_.budget} ({int(r_.metrics['epochs_run'])} epochs at "
                                                   f"{r_.config['train']['input_size']}x{r_.config['train']['input_size']})"
                                                   if r_ is not None else "not recorded")
                           for a_, r_ in recs.items()), display=False)

# %% [markdown]
# Every measured number on this page comes from the runs its tables name (budget and record). The
# chapter's budget is {glue:text}`dlf_budget`; the `full` budget is the paper's protocol and needs a GPU.
# The training campaign's `protocol` budget trains the paper's epochs on all training images at
# FER2013's native 48x48, and its runs replace the chapter's reduced ones once recorded: they can
# reproduce the paper's figures, but at an input far smaller than the paper's a shortfall cannot refute
# them. The runs shown here: {glue:text}`dlf_runs`.
#
# ## The model: the cascade is one EfficientNet-B3
#
# The paper's "cascade" trains an EfficientNet-B3 on ImageNet ("EF-FER1"), copies its weights into a
# second EfficientNet-B3 ("EF-FER2") with a new dense output layer of one neuron per emotion, and
# fine-tunes all
# layers on FER2013. That is standard ImageNet pretraining followed by fine-tuning: at inference DLFER
# is a single EfficientNet-B3, and the {term}`ablation` arm "without EF-FER1" is the same network from random
# initialisation. We use torchvision's EfficientNet-B3 (the layout of the Keras model the paper's
# TensorFlow code would use) with a new linear head (`fer_repro/models/dlfer.py`). Size and cost,
# built on PyTorch's meta device:

# %% tags=["hide-input"]
from fer_repro import tables

arch = E.architecture_table(budget)
grey, rgb, at_budget, imagenet = arch.index
glue("dlf_params_grey", f"{arch.loc[grey, 'parameters']:,}", display=False)
glue("dlf_params_rgb", f"{arch.loc[rgb, 'parameters']:,}", display=False)
glue("dlf_params_imagenet", f"{arch.loc[imagenet, 'parameters']:,}", display=False)
glue("dlf_gflops_paper", f"{arch.loc[grey, 'forward GFLOPs']:.2f}", display=False)
glue("dlf_budget_input", f"{arch.loc[at_budget, 'input']} ({arch.loc[at_budget, 'forward GFLOPs']:.2f} GFLOPs)", display=False)
tables.show(arch)

# %% [markdown]
# At the paper's grey-scale input the network has {glue:text}`dlf_params_grey` parameters
# ({glue:text}`dlf_params_rgb` with the usual RGB stem) and costs {glue:text}`dlf_gflops_paper` GFLOPs per
# image (forward, a multiply-add counted as two FLOPs); EF-FER1, the ImageNet model, has
# {glue:text}`dlf_params_imagenet`. The paper's claim that the cascade adds no significant computational
# burden is therefore true at inference (a check below confirms it), because the cascade is ordinary
# pretraining; its real cost, training on ImageNet from scratch, is not reported. The recorded run
# uses an input of {glue:text}`dlf_budget_input`.
#
# Choices where the paper is silent, contradicts itself or cannot be followed (details in
# `fer_repro.experiments.dlfer.scratch_b3_config` and the model's docstring):
#
# - **Grey input.** The paper resizes to a single channel. Its own cascade can take that unchanged
#   (EF-FER1 is trained from scratch, so its stem can be built for one channel and passed on), but
#   off-the-shelf ImageNet weights expect three; we repeat the grey channel into the RGB stem (for a
#   randomly initialised model the two are equivalent), and the grey stem is supported as an option.
# - **Scaling.** The paper divides pixels into the unit interval, while the Keras EfficientNet it
#   describes rescales internally (Table 2 lists the rescaling layer), so the inputs would be scaled
#   twice; we use ImageNet normalisation.
# - **Loss and optimiser.** "Binary cross-entropy" for a single-label seven-class task is either a
#   misnomer or a one-vs-rest loss; we use categorical cross-entropy. Adam has no single "momentum
#   coefficient"; we keep Adam's default betas.
# - **Class balance.** The paper balances the classes by augmented copies without saying how many;
#   we weight the loss by inverse class frequency, which gives every class the same share of the
#   expected loss.
# - **The new output layer's initialisation.** torchvision's rule for its classifier is meant for
#   ImageNet's many classes; for a seven-class head it draws much wider weights than Keras' default
#   (Glorot) for a dense layer, and a randomly initialised network then starts far above the
#   uniform guess's loss. The paper's code is TensorFlow, so every budget uses the Keras rule.
#   Short probes on a subsample (validation only, not recorded; their figures are in
#   `fer_repro.experiments.dlfer.BUDGETS`) stayed near the uniform guess with either rule, and at a
#   lower learning rate too; the recorded arm without the paper's regularisers (below) shows
#   whether the network learns at all in this budget.
# - **Data description.** Sec. 2.1 gives FER2013 one fixed size, while Sec. 2.2 resizes "photos
#   with diverse width, height, and depth" without naming the data set (read as FER2013 this
#   contradicts the data; read as the system's inputs with ImageNet, on which EF-FER1 is trained, it
#   holds; ledger verdict *{glue:text}`dlf_diverse_verdict`*). The paper also calls FER2013 both "hundreds of labeled
#   examples" and the full release; the checks below weigh both.
#
# ## What can be re-run: the ablation arm without ImageNet
#
# The ImageNet stage cannot be reproduced here (no ImageNet, no download of pretrained weights), so
# the headline result is judged by checks. What can be re-run is the ablation row "DLFER without
# EF-FER1" under one of its two readings. Sec. 4.1 says the comparison is with "training using
# randomly initialized weights", and that reading is run here: EfficientNet-B3 from random
# initialisation on FER2013. But the same section calls the baseline "standard transfer learning",
# which reads as an off-the-shelf ImageNet-pretrained B3 fine-tuned on FER2013; that needs weights
# that cannot be downloaded here, so a verdict from this run covers the first reading only (the
# ledger shows both). The protocol is the paper's:
# Training is split at random, stratified, into a training and a validation part in the proportion
# the paper states; the validation part selects the epoch (best validation accuracy); the test set is
# the paper's, PublicTest and PrivateTest together, scored once.

# %% tags=["hide-input"]
if rec is not None:
    acc = E.accuracy_table(rec)
    gap = E.train_test_gap(rec)
    for part in acc.index:
        glue(f"dlf_{part}", f"{acc.loc[part, 'ours']:.3f} (95% CI {acc.loc[part, '95% CI']}, budget {rec.budget})", display=False)
    glue("dlf_gap", f"{100 * gap['gap']:+.1f} points (95% Newcombe CI {100 * gap['low']:+.1f} to "
         f"{100 * gap['high']:+.1f}, budget {rec.budget})", display=False)
    glue("dlf_train_eval", rec.extra["train_eval"], display=False)
    n_ep = int(rec.metrics["epochs_run"])
    glue("dlf_epochs", f"{n_ep} epoch{'s' * (n_ep != 1)} (validation chose epoch {int(rec.metrics['best_epoch'])})", display=False)
    glue("dlf_speed", f"{rec.metrics['train_images_per_s']:.0f} training images/s on {rec.device}", display=False)
    glue("dlf_verdict", by_id[abl[('without EF-FER1', 'test')].id].verdict, display=False)
    display(tables.show(acc))
else:
    for k_ in ("train", "validation", "test", "gap", "train_eval", "epochs", "speed", "verdict"):
        glue(f"dlf_{k_}", PENDING, display=False)
    print("No recorded run at this budget.")
for (arm, part), c in abl.items():
    glue(f"dlf_paper_{'with' if arm.startswith('with ') else 'without'}_{part}", f"{c.reported}%", display=False)
gap_without = abl[("without EF-FER1", "train")].value - abl[("without EF-FER1", "test")].value
gap_with = abl[("with EF-FER1", "train")].value - abl[("with EF-FER1", "test")].value
glue("dlf_paper_gap_without", f"{100 * gap_without:+.2f} points", display=False)
glue("dlf_paper_gap_with", f"{100 * gap_with:+.2f} points", display=False)

# %% [markdown]
# After {glue:text}`dlf_epochs` ({glue:text}`dlf_speed`), the from-scratch network reaches
# {glue:text}`dlf_test` accuracy on the paper's test set, {glue:text}`dlf_validation` on the validation part
# and {glue:text}`dlf_train` on its training images ({glue:text}`dlf_train_eval`). The paper's row without
# EF-FER1 reads {glue:text}`dlf_paper_without_train` (train), {glue:text}`dlf_paper_without_validation`
# (validation) and {glue:text}`dlf_paper_without_test` (test); the ledger's verdict on the test figure is
# *{glue:text}`dlf_verdict`*. A run that falls short cannot refute the paper unless it follows the
# paper's protocol at its input size (the `full` budget).
#
# **Train against test.** Our training accuracy minus test accuracy is {glue:text}`dlf_gap`. The paper's
# gaps are {glue:text}`dlf_paper_gap_without` without EF-FER1 and {glue:text}`dlf_paper_gap_with` with it.
# The paper's train accuracy is presumably Keras' running accuracy of the last epoch,
# with augmentation and dropout active; ours is the selected model in evaluation mode on
# un-augmented training images, so the two measure the fit slightly differently. The paper's
# validation accuracy without EF-FER1 lies below its test accuracy. Read as one model's accuracies on
# two random samples of the same data, the gap is far beyond sampling error; but Table 3 does not
# say which epoch each figure comes from, and the validation figure of another epoch than the tested
# model's could lie that far below, so the ledger keeps the claim ambiguous.
#
# ## The paper's test set against PrivateTest
#
# The paper tests on PublicTest and PrivateTest together; most works it compares with (Table 5)
# report PrivateTest alone. The record keeps which official split each test image comes from:

# %% tags=["hide-input"]
if rec is not None:
    st = E.split_table(rec, seed)
    both, private, public = st.index
    for k_, row in (("both", both), ("private", private), ("public", public)):
        r_ = st.loc[row]
        glue(f"dlf_acc_{k_}", f"{r_['accuracy']:.3f} (95% CI {tables.fmt_range(r_['accuracy_low'], r_['accuracy_high'])}, "
             f"{int(r_['images']):,} images, budget {rec.budget})", display=False)
        glue(f"dlf_f1_{k_}", f"{r_['macro_f1']:.3f} (95% CI {tables.fmt_range(r_['macro_f1_low'], r_['macro_f1_high'])})", display=False)
    view = st[["images"]].copy()
    for m_ in ("accuracy", "macro_precision", "macro_recall", "macro_f1"):
        view[m_] = st[m_]
        view[f"{m_} 95% CI"] = [tables.fmt_range(a_, b_) for a_, b_ in zip(st[f"{m_}_low"], st[f"{m_}_high"])]
    display(tables.show(view.assign(budget=st["budget"])))
else:
    for k_ in ("both", "private", "public"):
        glue(f"dlf_acc_{k_}", PENDING, display=False)
        glue(f"dlf_f1_{k_}", PENDING, display=False)
    print("No recorded run at this budget.")

# %% [markdown]
# Accuracy on the paper's test set is {glue:text}`dlf_acc_both` ({term}`macro-F1` {glue:text}`dlf_f1_both`); on
# PrivateTest alone {glue:text}`dlf_acc_private` (macro-F1 {glue:text}`dlf_f1_private`), and on PublicTest
# {glue:text}`dlf_acc_public`. Accuracy comes with {term}`Wilson intervals <Wilson interval>`, the macro metrics with percentile
# {term}`bootstrap intervals <Bootstrap confidence interval>` over the test images. The paper defines precision and recall by sums over all
# classes (its Eqs. 2-3), which makes both equal to accuracy for single-label predictions; it
# nevertheless prints different values, so its averaging is unknown (check `micro_pr_equal_accuracy`).
# We report macro averages.

# %% tags=["hide-input"]
fig, axes = plt.subplots(1, 2, figsize=(9, 4.0))
if rec is not None:
    h = rec.history()
    axes[0].plot(h["epoch"], h["train_loss"], marker="o", label="training (weighted CE)")
    axes[0].plot(h["epoch"], h["val_loss"], marker="s", ls="--", label="validation")
    axes[1].plot(h["epoch"], h["val_accuracy"], marker="o", label="validation (selects the epoch)")
    axes[1].axhline(abl[("without EF-FER1", "validation")].value, color="grey", ls=":",
                    label="paper, without EF-FER1: validation")
    axes[1].axhline(abl[("without EF-FER1", "test")].value, color="grey", ls="--",
                    label="paper, without EF-FER1: test")
for ax, t in zip(axes, ("loss", "accuracy")):
    viz.epoch_axis(ax)
    ax.set_ylabel(t)
    if rec is not None:
        viz.legend_below(ax)
    else:
        ax.text(0.5, 0.5, "not recorded at this budget", ha="center", transform=ax.transAxes)
fig.suptitle(f"EfficientNet-B3 from scratch on FER2013, budget {rec.budget if rec is not None else budget}", fontsize=10)
fig.tight_layout()
glue("dlf_fig_curves", fig, display=False)
plt.close(fig)

# %% [markdown]
# ```{glue:figure} dlf_fig_curves
# :alt: Two line plots over epochs for the from-scratch EfficientNet-B3 on FER2013: training and validation loss on the left; validation accuracy with the paper's validation and test accuracies without ImageNet pretraining as horizontal lines on the right.
# :name: fig-dlf-curves
#
# Learning curves of the from-scratch run. The engine records no per-epoch training accuracy (the
# paper's Fig. 5 shows it); the training accuracy of the selected model is in the table above.
# ```
#
# ## A short run or a faulty network?
#
# A from-scratch run that ends near the uniform guess could mean that the budget is too short or that
# something in our network or engine is broken. To tell the two apart, a second arm trains the same
# network on the same images, for the same epochs and with the same optimiser, but without the
# paper's augmentation, class weights and stochastic depth. It is not the paper's recipe and is
# evidence for no claim of the ledger; it only asks whether the network learns at all in this budget.

# %% tags=["hide-input"]
arm_recs = E.one_budget(recs, budget, seed)  # both arms at one budget: they differ in the recipe alone
arms = E.arms_table(arm_recs)
diff_arms = E.arms_difference(arm_recs, seed)
LN7 = float(np.log(7))
glue("dlf_ln7", f"{LN7:.3f}", display=False)
if not arms.empty:
    arms_view = arms.drop(columns=["low", "high"])
    arms_view.insert(arms_view.columns.get_loc("test accuracy") + 1, "test accuracy 95% CI",
                     [tables.fmt_range(a_, b_) for a_, b_ in zip(arms["low"], arms["high"])])
    display(tables.show(arms_view))
for arm, (label, _) in E.ARMS.items():
    short = "paper" if arm == "scratch_b3" else "plain"
    if label in arms.index:
        r_ = arms.loc[label]
        glue(f"dlf_arm_{short}", f"a final training loss of {r_['final training loss']:.3f} and a test accuracy "
             f"of {r_['test accuracy']:.3f} (95% CI {tables.fmt_range(r_['low'], r_['high'])}, {int(r_['epochs'])} "
             f"epoch{'s' * (int(r_['epochs']) != 1)}, budget {r_['budget']})", display=False)
    else:
        glue(f"dlf_arm_{short}", PENDING, display=False)
if diff_arms is not None:
    d_ = diff_arms
    glue("dlf_arm_diff", f"{d_['difference']:+.3f} (paired bootstrap 95% CI "
         f"{tables.fmt_range(d_['low'], d_['high'], signed=True)}; McNemar exact p = {format_p(d_['p_mcnemar'])})",
         display=False)
    glue("dlf_majority", f"{d_['majority_share']:.3f}", display=False)
    glue("dlf_arm_reading",
         "So the network does learn in this budget once the regularisers are off, which shows that "
         "our network and engine work, not that the paper's recipe would learn with more steps. The "
         "recipe may need more steps than the budget gives; this budget cannot show it, and the "
         "recipe's shortfall here cannot refute the paper's figures" if d_["plain_learns"] else
         "So even without the regularisers the network does not clearly beat a constant prediction in "
         "this budget; this run cannot separate a short budget from a fault", display=False)
else:
    for k_ in ("arm_diff", "majority", "arm_reading"):
        glue(f"dlf_{k_}", PENDING, display=False)
    print("Not both arms are recorded at one budget.")

fig, axes = plt.subplots(1, 2, figsize=(9, 4.0))
for arm, (label, _) in E.ARMS.items():
    r = arm_recs.get(arm)
    if r is not None:
        h = r.history()
        axes[0].plot(h["epoch"], h["train_loss"], marker="o", label=label)
        axes[1].plot(h["epoch"], h["val_accuracy"], marker="o", label=label)
axes[0].axhline(LN7, color="grey", ls=":", label="uniform guess, ln 7")
if diff_arms is not None:
    axes[1].axhline(diff_arms["majority_share"], color="grey", ls=":", label="majority class (test set)")
for ax, t in zip(axes, ("training loss", "validation accuracy")):
    viz.epoch_axis(ax)
    ax.set_ylabel(t)
    viz.legend_below(ax)
fig.suptitle("EfficientNet-B3 from scratch, two recipes, budget "
             + " and ".join(sorted({r.budget for r in arm_recs.values() if r is not None})), fontsize=10)
fig.tight_layout()
glue("dlf_fig_arms", fig, display=False)
plt.close(fig)

# %% [markdown]
# ```{glue:figure} dlf_fig_arms
# :alt: Two line plots over epochs: training loss (left) and validation accuracy (right) of the from-scratch EfficientNet-B3 under the paper's recipe and without its augmentation, class weights and stochastic depth, with the uniform guess's loss and the majority-class share as dotted lines.
# :name: fig-dlf-arms
#
# Both arms of the from-scratch EfficientNet-B3. The paper's recipe weights its loss by class, so a
# uniform guess has a training loss of about ln 7 there; the other arm's loss is unweighted.
# ```
#
# Under the paper's recipe the run ends with {glue:text}`dlf_arm_paper`; a uniform guess has a loss of
# {glue:text}`dlf_ln7`. Without the regularisers the same network ends with {glue:text}`dlf_arm_plain`. The
# difference in test accuracy, on the same test images, is {glue:text}`dlf_arm_diff`; a constant
# prediction of the majority class scores {glue:text}`dlf_majority`. {glue:text}`dlf_arm_reading`.
#
# ## The claimed figure in context
#
# The paper's headline, the test accuracy with ImageNet pretraining, is above every FER2013 result we
# know of for a single model. The figure places it, and the paper's validation accuracy, against our
# measured numbers and against reference points measured elsewhere in this book: how often the FER+
# re-annotation (a majority vote of several annotators per image) agrees with the FER2013 label on
# PrivateTest, human accuracy on FER2013, and the leakage chapter's two orders of augmentation and
# splitting (the 1-NN row shows a pure memoriser).

# %% tags=["hide-input"]
ctx = A.fer2013_context(budget, seed)
head = E.headline_claim()
glue("dlf_paper_headline", head.reported, display=False)
glue("dlf_headline_verdict", by_id[head.id].verdict, display=False)
points = [{"point": "paper: DLFER with EF-FER1, test", "accuracy": abl[("with EF-FER1", "test")].value, "low": np.nan, "high": np.nan, "kind": "paper"},
          {"point": "paper: DLFER with EF-FER1, validation", "accuracy": abl[("with EF-FER1", "validation")].value, "low": np.nan, "high": np.nan, "kind": "paper"},
          {"point": "paper: without EF-FER1, test", "accuracy": abl[("without EF-FER1", "test")].value, "low": np.nan, "high": np.nan, "kind": "paper"}]
if rec is not None:
    for row in (both, private):
        r_ = st.loc[row]
        points.append({"point": f"ours, from scratch: {row.split(' (')[0]} (budget {rec.budget})", "accuracy": r_["accuracy"],
                       "low": r_["accuracy_low"], "high": r_["accuracy_high"], "kind": "ours"})
for name, row in ctx.iterrows():
    points.append({"point": name, "accuracy": row["accuracy"], "low": row["low"], "high": row["high"], "kind": "reference"})
pts = pd.DataFrame(points)
chapter.glue_context_facts("dlf", ctx)
ci_ = [tables.fmt_range(lo_, hi_) if np.isfinite(lo_) else "" for lo_, hi_ in zip(pts["low"], pts["high"])]
display(tables.show(pts.assign(**{"95% CI": ci_})[["point", "accuracy", "95% CI", "kind"]].set_index("point")))

fig = viz.context_figure(pts, f"DLFER's claimed accuracy in context (measured rows: budget {rec.budget if rec is not None else budget})", "accuracy (test, validation or agreement)")
glue("dlf_fig_context", fig, display=False)
plt.close(fig)

# %% [markdown]
# ```{glue:figure} dlf_fig_context
# :alt: Dot plot of accuracies: the paper's ablation-table accuracies in red, our from-scratch EfficientNet-B3 accuracies with confidence intervals in blue, and grey reference points for FER2013 (FER+ label agreement, human accuracy, leakage chapter arms).
# :name: fig-dlf-context
#
# The paper's accuracies (red), our from-scratch run on the paper's test set and on PrivateTest (blue,
# Wilson 95% intervals) and reference points (grey): FER+ agreement with the FER2013 label on
# PrivateTest, human accuracy (mean plus or minus one standard deviation) and the leakage chapter's
# arms.
# ```
#
# The paper reports {glue:text}`dlf_paper_headline` test accuracy (verdict: *{glue:text}`dlf_headline_verdict`*).
# For context, the FER+ majority agrees with the FER2013 label on {glue:text}`dlf_ferplus` of
# PrivateTest, and human accuracy on FER2013 is {glue:text}`dlf_human`; neither is a ceiling on accuracy
# against the FER2013 labels (a model can learn the original labellers' habits, and published models
# exceed both), so the verdict does not rest on them. The leakage chapter measures what the
# augment-then-split order is worth: {glue:text}`dlf_leak` (leaky against honest order). The paper says
# its training set is a share "of the total images post-preprocessing", after an augmentation that
# "yielded a balanced FER-2013 dataset"; if that balanced, augmented pool was split, augmented copies
# of test images sat in training. Its test counts (Table 1) are the official test images, though, and
# the paper publishes no code to settle the order.
#
# ## Confusion matrices
#
# Predictions of the recorded run on the paper's test set, on PrivateTest and PublicTest separately,
# and on the evaluated training images (switch in the page; row: recall, column: precision).

# %% tags=["hide-input"]
entries = []
if rec is not None:
    a = rec.arrays()
    names = tuple(rec.extra["class_names"])
    y, p, use = a["y_true"].astype(int), a["y_pred"].astype(int), a["test_usage"].astype(int)
    for label, codes in E.TEST_SETS.items():
        m = np.isin(use, codes)
        entries.append(viz.MatrixEntry(f"EfficientNet-B3 from scratch, {label.split(' (')[0]} (budget {rec.budget})",
                                       confusion_matrix(y[m], p[m], len(names)), names,
                                       note=f"record {rec.name}/{rec.key}", split=f"FER2013 {label}"))
    entries.append(viz.MatrixEntry(f"EfficientNet-B3 from scratch, training images (budget {rec.budget})",
                                   confusion_matrix(a["train_y_true"].astype(int), a["train_y_pred"].astype(int), len(names)),
                                   names, note=f"record {rec.name}/{rec.key}: {rec.extra['train_eval']}",
                                   split="a sample of the FER2013 Training images the model was fitted on"))
viz.explorer(entries, "DLFER ablation arm: confusion matrices")

# %% [markdown]
# ## The claims ledger
#
# Every checkable claim of the paper with its computed verdict; filter by kind or verdict. Claims that
# need the ImageNet stage are *not testable here*.

# %% tags=["hide-input"]
ch.ledger()

# %% [markdown]
# ## The paper against itself
#
# Each failing check gives the paper's number, the recomputed one and the rule used.

# %% tags=["hide-input"]
ch.self_checks()
