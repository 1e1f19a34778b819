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
# # Suwartono et al. 2025: attention CNN and FastCNN-SE on FER2013
#
# The paper: {glue:md}`suw_citation_md`.

# %% tags=["parameters", "remove-cell"]
# Parameters (papermill): see README, "Re-executing a chapter".
budget = "cpu"  # smoke | cpu | full
compute = "auto"  # auto: compute missing runs (the book reads records only); never; force
seed = 0

# %% tags=["remove-cell"]
from fer_repro.chapter import open_paper

ch = open_paper("suwartono2025", budget=budget, compute=compute, seed=seed, aside=("loss_as_written",))

# %% tags=["remove-input"]
ch.verdict_summary()
ch.rerun_box()

# %% tags=["hide-input"]
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import Markdown, display
from myst_nb import glue

from fer_repro import chapter, stats, viz
from fer_repro.claims import report
from fer_repro.experiments import suwartono2025 as S
from fer_repro.stats import format_p

KEY, recs, evidence, frame, checks = ch.key, ch.recs, ch.evidence, ch.frame, ch.checks
judgements, results, claims, by_id = ch.judgements, ch.results, ch.claims, ch.by_id
PENDING = chapter.PENDING

as_written = recs.pop("loss_as_written")


def fmt(x, d=3):
    return f"{x:.{d}f}"

# %% tags=["hide-input"]
groups = {k: v for k, v in recs.items() if not k.endswith("_protocol")}
protocol = {k: v for k, v in recs.items() if k.endswith("_protocol")}
n_runs = sum(1 for v in groups.values() if v)
done = (f"re-implemented the three deep models, the losses and the baselines, and recorded "
        f"{n_runs} of {len(groups)} experiment groups at budget `{budget}` on FER2013's official "
        f"splits (Training for training and cross-validation, PublicTest for model selection, "
        f"PrivateTest scored once)"
        + (f", and {sum(1 for v in protocol.values() if v)} of the {len(protocol)} deep-model "
           "runs at the paper's own protocol (the training campaign; the verdicts rest on them "
           "where they exist)" if protocol else ""))
display(Markdown(report.reproducibility_summary(KEY, frame, checks, done=done)))

# %% [markdown]
# The numbers on this page were measured under the budget {glue:text}`suw_budget`, except where a
# table or sentence names the paper's own protocol (the `full` budget, trained by the training
# campaign); every table names the budget and the run record it comes from.
#
# ## The models
#
# The paper specifies none of its three networks completely: the attention CNN whose results fill
# Table 1 is never described in the Methods, FastCNN-SE is described in words with "approximately
# three million parameters", and ConvFormer (for which no result is reported) only by its block
# equations. Our designs follow every stated ingredient; the choices the paper leaves open are
# listed in each model's documentation (`fer_repro/models/suwartono.py`).

# %% tags=["hide-input"]
from fer_repro import tables

arch = S.architecture_table()
glue("suw_fastcnn_params", f"{arch.loc['suwartono_fastcnn_se', 'parameters']:,}", display=False)
tables.show(arch)  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# Our FastCNN-SE has {glue:text}`suw_fastcnn_params` parameters, matching the paper's "~3 M" by
# construction (the widths were chosen to hit it), so that claim can only be called consistent, not
# confirmed.
#
# ## The loss as the paper writes it
#
# Sec. 3 trains on Sparsemax outputs $p$ with the Poly-Focal loss
# $L = w_y[-(1-p_y)^\gamma \log p_y + \lambda(1-p_y)]$ and label smoothing. Sparsemax gives
# classes outside its support a probability of exactly zero, so $-\log p_y = \infty$ whenever the
# true class (or, with label smoothing, *any* class) falls outside the support; and because Sparsemax
# passes no gradient to a class it has zeroed, clamping $p_y$ does not help either: the worst
# misclassified samples get no gradient at all. Trained as written, read with the label-smoothed and
# mixed targets weighting every class's term (which the paper leaves unstated), FastCNN-SE
# {glue:text}`suw_as_written`.
#
# The minimal fix used for every FastCNN-SE run below keeps Sparsemax, the focal emphasis and the
# polynomial term, and replaces $-\log p_y$ by the Sparsemax loss of Martins and Astudillo (2016),
# the loss that Sparsemax is the prediction map of (`fer_repro.losses.poly_focal_sparsemax_fixed`).
# On the trained model, the true class gets exactly zero probability on {glue:text}`suw_zero_share` of
# PrivateTest images: on all of those the paper's loss would be infinite.

# %% tags=["hide-input"]
if as_written is None:
    glue("suw_as_written", "has no recorded run at this budget", display=False)
elif as_written.metrics["finite"]:
    glue("suw_as_written", f"trained with a finite loss ({as_written.name}/{as_written.key})", display=False)
else:
    glue("suw_as_written",
         f"stops at epoch {int(as_written.metrics['failed_epoch'])}, step "
         f"{int(as_written.metrics['failed_step'])}, with an infinite loss (record "
         f"{as_written.name}/{as_written.key})", display=False)
fc = recs["fastcnn_se"]
if fc is None:
    glue("suw_zero_share", PENDING, display=False)
else:
    k, n = S.zero_true_class_share(fc)
    glue("suw_zero_share", f"{k / n:.1%} ({k} of {n})", display=False)

# %% [markdown]
# ## Classical baselines: PCA + LogisticRegression / LinearSVC / RandomForest
#
# As in the paper: pixels flattened and scaled to [0, 1], projected on the first
# {glue:text}`suw_pca_k` principal components of their sample covariance (no standardising, no
# whitening), then classified; stratified {glue:text}`suw_bl_folds`-fold cross-validation over FER2013
# Training. Our intervals are 95% t-intervals over the folds with the Nadeau-Bengio correction for
# the folds' overlapping training sets.

# %% tags=["hide-input"]
rows = []
paper_vals = {c.judge.split("/", 1)[1]: c for c in claims.values() if c.judge.startswith("experiment:")}
by_id = {j.claim.id: j for j in judgements}
for kind, stem in S.BASELINES.items():
    r = recs[f"baseline_{kind}"]
    for m in ("accuracy", "macro_precision", "macro_recall", "macro_f1"):
        name = f"{stem}_cv_{m}"
        c = paper_vals.get(name)
        ev = evidence.get(f"{KEY}/{name}")
        rows.append({
            "model": f"PCA128 + {kind}", "metric": m,
            "paper": c.reported if c else "-",
            "ours (mean of folds)": fmt(ev.estimate) if ev else PENDING,
            "95% CI": tables.fmt_range(ev.ci_low, ev.ci_high) if ev else "",
            "budget": budget if ev else "",
            "verdict": by_id[c.id].verdict if c else "(not claimed)",
        })
base = pd.DataFrame(rows)
first = recs["baseline_logreg"]
glue("suw_pca_k", str(first.config["n_components"]), display=False)
glue("suw_bl_folds", str(first.config["folds"]), display=False)
glue("suw_rf_trees", str(recs["baseline_randomforest"].config["rf_trees"]), display=False)
lr = evidence.get(f"{KEY}/pca_logreg_cv_accuracy")
glue("suw_logreg_acc", fmt(lr.estimate, 4) if lr else PENDING, display=False)
nc = recs.get("baseline_no_copy_randomforest")
if nc is not None:
    rf_nc = {m: evidence[f"{KEY}/pca_rf_cv_{m}_no_copies"] for m in ("accuracy", "macro_f1")}
    glue("suw_rf_copies", f"{nc.extra['n_total'] - nc.extra['n_kept']:,} of the "
         f"{nc.extra['n_total']:,} images ({1 - nc.extra['n_kept'] / nc.extra['n_total']:.1%})",
         display=False)
    glue("suw_rf_copied_acc", fmt(nc.extra["copied_accuracy"], 3), display=False)
    glue("suw_rf_nocopy", f"accuracy {fmt(rf_nc['accuracy'].estimate, 3)} and macro-F1 "
         f"{fmt(rf_nc['macro_f1'].estimate, 3)}", display=False)
else:
    for k in ("suw_rf_copies", "suw_rf_copied_acc", "suw_rf_nocopy"):
        glue(k, PENDING, display=False)
rf_claims = {m: next(c for c in claims.values() if c.target == f"{KEY}/pca_rf_cv_{m}")
             for m in ("accuracy", "macro_f1")}
glue("suw_rf_paper", f"accuracy {rf_claims['accuracy'].reported} and macro-F1 "
     f"{rf_claims['macro_f1'].reported}", display=False)
glue("suw_rf_verdicts", ", ".join(sorted({by_id[c.id].verdict for c in claims.values()
                                          if "pca_rf_cv_" in c.target})), display=False)
tables.show(base.set_index(["model", "metric"]))

# %% [markdown]
# PCA + logistic regression reaches {glue:text}`suw_logreg_acc` cross-validated accuracy here. The
# baselines are the one part of the paper that can be re-run exactly, except for the classifiers'
# own settings, which the paper does not state: we use scikit-learn's defaults, and for the forest
# {glue:text}`suw_rf_trees` trees of unlimited depth. The verdict column says, metric by metric,
# whether the paper's value is within what our folds allow. Where our forest scores higher, that is
# what a standard forest reaches on these features; a smaller or shallower forest, which the paper's
# words do not exclude, would score lower. Part of the gap is memory: {glue:text}`suw_rf_copies`
# have a byte-identical copy with the same label in their fold's training part, and the fully grown
# forest answers them at {glue:text}`suw_rf_copied_acc` accuracy. On the other images it scores
# {glue:text}`suw_rf_nocopy` (the paper's Random Forest row: {glue:text}`suw_rf_paper`). That subset
# is only an approximation of a forest that cannot memorise single images (it also shifts the class
# mix), so the ledger lists it as one reading beside another it cannot test here (other depths and
# leaf sizes, which the paper leaves free); the forest's claims are *{glue:text}`suw_rf_verdicts`*.
#
# ## FastCNN-SE on the held-out test set
#
# The paper trains FastCNN-SE on the full Training split and reports its accuracy on a test set of
# {glue:text}`suw_paper_test_n` images, that is PublicTest and PrivateTest together; its Methods keep
# that set "exclusively for final evaluation after model selection" and do not say what validated the
# early stopping. We select epochs on PublicTest (early stopping on a validation loss, as the paper
# states; which loss is the book's choice, given below) and score PrivateTest once, so our test set is half of the paper's: the other half chose
# our epochs.

# %% tags=["hide-input"]
from fer_repro.data import reference as ref

glue("suw_paper_test_n", f"{sum(ref.FER2013_COUNTS['PublicTest']) + sum(ref.FER2013_COUNTS['PrivateTest']):,}", display=False)
rows = []
for m in ("accuracy", "macro_precision", "macro_recall", "macro_f1"):
    name = f"fastcnn_se_test_{m}"
    c = paper_vals.get(name)
    ev = evidence.get(f"{KEY}/{name}")
    rows.append({"metric": m, "paper": c.reported if c else "-",
                 "ours (PrivateTest)": fmt(ev.estimate) if ev else PENDING,
                 "95% CI": tables.fmt_range(ev.ci_low, ev.ci_high) if ev else "",
                 "budget": ev.budget if ev else "", "verdict": by_id[c.id].verdict if c else "-"})
if fc is not None:
    glue("suw_fc_acc", f"{fc.metrics['accuracy']:.3f}", display=False)
    glue("suw_fc_epochs", f"{int(fc.metrics['epochs_run'])} epochs (best {int(fc.metrics['best_epoch'])})", display=False)
    glue("suw_fc_speed", f"{fc.metrics['train_images_per_s']:.0f} training images/s on {fc.device}", display=False)
else:
    for k in ("suw_fc_acc", "suw_fc_epochs", "suw_fc_speed"):
        glue(k, PENDING, display=False)
tables.show(pd.DataFrame(rows).set_index("metric"))

# %% [markdown]
# The table's verdicts rest on the paper's protocol where the campaign has recorded it (its budget
# column says so). At this page's budget, {glue:text}`suw_budget`, FastCNN-SE reaches
# {glue:text}`suw_fc_acc` accuracy on PrivateTest after {glue:text}`suw_fc_epochs`
# ({glue:text}`suw_fc_speed`); the learning curves below are that run's. Where a run under a reduced budget falls short of the paper, the verdict
# stays *pending*: fewer epochs than the paper trained for cannot refute its number, only the
# `full` budget can. A reduced-budget result at or above the paper's value does count.

# %% tags=["hide-input"]
fig, axes = plt.subplots(1, 2, figsize=(9, 3.8))
if fc is not None:
    h = fc.history()
    axes[0].plot(h["epoch"], h["train_loss"], label="train (fixed Poly-Focal)")
    axes[0].plot(h["epoch"], h["val_loss"], label="PublicTest (Brier)")
    axes[1].plot(h["epoch"], h["val_accuracy"], label="PublicTest accuracy")
    axes[1].plot(h["epoch"], h["val_macro_f1"], label="PublicTest macro-F1")
for ax, t in zip(axes, ("loss", "metric")):
    viz.epoch_axis(ax)
    ax.set_ylabel(t)
    if fc is not None:
        viz.legend_below(ax)
fig.suptitle(f"FastCNN-SE learning curves (budget {budget})", fontsize=10)
fig.tight_layout()
glue("suw_fig_curves", fig, display=False)
plt.close(fig)

# %% [markdown]
# ```{glue:figure} suw_fig_curves
# :alt: Two line plots over epochs for FastCNN-SE: training and validation loss on the left, validation accuracy and macro-F1 on PublicTest on the right.
# :name: fig-suw-curves
#
# FastCNN-SE learning curves: training loss (the fixed Poly-Focal loss) and PublicTest metrics per
# epoch. The validation loss is the Brier score, since Sparsemax probabilities have exact zeros.
# ```

# %% tags=["hide-input"]
from fer_repro import campaign


def protocol_line(key, job, what, evidence_name):
    """What the paper's own protocol gave (the training campaign), or where its run stands."""
    r = recs.get(key)
    if not r:
        return (f"Not recorded yet: {campaign.progress_sentence(job)}. Until it finishes, the "
                f"verdicts rest on the `{budget}` runs above, which cannot refute the paper where "
                "they fall short.")
    # one held-out run: how long it trained, which epoch it kept, on what, in how long
    segs = [] if isinstance(r, list) else r.extra.get("segments", [])
    threads = sorted({sg.get("threads", 1) for sg in segs})
    ran = (f" It ran {int(r.metrics['epochs_run'])} epochs and kept epoch {int(r.metrics['best_epoch'])}, "
           f"training for {r.info['wall_time_s'] / 3600:.1f} h in {len(segs)} resumed segments "
           f"({' or '.join(map(str, threads))} threads) on "
           f"{r.info['environment'].get('cpu_model', 'a CPU not recorded')}."
           if segs and "epochs_run" in r.metrics else "")
    return (f"{what}: {ch.ev(evidence_name)} accuracy, "
            f"{ch.verdict('suwartono2025/' + evidence_name)} against the paper's claim; the "
            f"verdicts rest on this run.{ran}")


full_cfg = S.fastcnn_config("full", seed)
full_rec = recs.get("fastcnn_se_protocol")
if full_rec is not None:  # how far the cosine schedule had gone when early stopping ended it
    h_ = full_rec.history()
    cosine_note = (f" (the run stopped at epoch {len(h_)}, with the learning rate still "
                   f"{h_['lr'].iloc[-1] / full_cfg.lr:.0%} of its start)")
else:
    cosine_note = ""
glue("suw_fast_protocol", Markdown(protocol_line(
    "fastcnn_se_protocol", "suwartono-fastcnn-full",
    f"With the paper's stated training settings (Adam at learning rate {full_cfg.lr:g} with "
    f"cosine annealing, batch {full_cfg.batch_size}, early stopping after {full_cfg.early_stop} "
    "epochs without a lower validation loss) and the book's choices where the paper is silent or "
    "cannot be followed (PublicTest as the validation set that stops training and picks the "
    "epoch, where the paper retrains on all of Training after a cross-validated model selection "
    f"this run does not repeat; a cap of {full_cfg.epochs} epochs, over which the cosine schedule "
    f"runs{cosine_note}; the minimal fix of the loss, its focal factor detached, with the Brier score as the "
    "validation loss; MixUp on every batch and no CutMix, which Sec. 4 names for this model "
    f"without settings; {full_cfg.precision} instead of mixed precision; the model's layout "
    "details described above), FastCNN-SE scores on PrivateTest", "fastcnn_se_test_accuracy")),
    display=False)
# where each reading's run stands (Markdown: the job names are code)
runs_text = "; ".join(campaign.progress_sentence(campaign.reading_job_id(name))
                      for name in S.READING_RUNS)
glue("suw_reading_runs", Markdown(runs_text[:1].upper() + runs_text[1:] + "."), display=False)

# %% [markdown]
# ### FastCNN-SE at the paper's protocol
#
# {glue:md}`suw_fast_protocol`
#
# The paper's Poly-Focal loss cannot be trained as written on Sparsemax outputs, so our runs train
# a minimal fix of it. The paper's own number may instead come from the loss as focal-loss code
# usually writes it, with a small constant inside the logarithm (the reading under which the
# ledger's SUW-19 holds). Sec. 2 and Sec. 4 also name CutMix for this model, with no settings, and
# our recipe uses MixUp alone; and Sec. 3.3 writes every block with ReLU where Sec. 3 puts Mish in
# the earlier layers, as our model does, and its SE formula without the sigmoid that Sec. 3 (and
# our model) has. A verdict that our number differs must hold under these
# readings too, one at a time and the loss and CutMix together (the most literal recipe), so the
# ledger keeps it open until the same protocol has been trained under each. Where those runs stand:
#
# {glue:md}`suw_reading_runs`
#
# ## The attention CNN, cross-validated
#
# The paper's number of folds is a question of reading: its abstract and its standard-error formula
# imply more folds than Sec. 4 states and lists. Sec. 4's account holds if those two carry over
# FastCNN-SE's fold count by mistake; the abstract's count stays open too, since the folds such a run
# would add to the listed ones are not printed (see the checks below). We run stratified k-fold CV on
# Training (k from the budget); each fold is scored on its held-out part, with epochs chosen on an
# inner validation part of the fold's training data.

# %% tags=["hide-input"]
cv = recs["attention_cnn_cv"]
if cv:
    accs = [r.metrics["accuracy"] for r in cv]
    mean, lo, hi = stats.t_interval(accs)
    n_tr = cv[0].extra["n_train"]
    n_te = cv[0].extra["n_test"]
    _, clo, chi = stats.corrected_t_interval(accs, n_tr, n_te)
    folds = pd.DataFrame({"fold": range(1, len(cv) + 1), "accuracy": accs,
                          "macro-F1": [r.metrics["macro_f1"] for r in cv],
                          "epochs": [int(r.metrics["epochs_run"]) for r in cv],
                          "record": [f"{r.name}/{r.key}" for r in cv]}).set_index("fold")
    glue("suw_cv_mean", f"{mean:.4f}", display=False)
    glue("suw_cv_ci", tables.fmt_range(lo, hi, 4), display=False)  # 4 decimals, as the paper's fold statistics
    glue("suw_cv_cci", tables.fmt_range(clo, chi, 4), display=False)
    glue("suw_cv_k", str(len(cv)), display=False)
    display(tables.show(folds))
else:
    for k in ("suw_cv_mean", "suw_cv_ci", "suw_cv_cci", "suw_cv_k"):
        glue(k, PENDING, display=False)

# %% [markdown]
# Over {glue:text}`suw_cv_k` folds the attention CNN averages {glue:text}`suw_cv_mean` accuracy (95%
# t-interval {glue:text}`suw_cv_ci`; with the Nadeau-Bengio correction for overlapping training sets
# {glue:text}`suw_cv_cci`), at budget {glue:text}`suw_budget`.

# %% tags=["hide-input"]
glue("suw_cv_protocol", Markdown(protocol_line(
    "attention_cnn_cv_protocol", "suwartono-attention-cv-full",
    "Cross-validated as the paper states (10 folds, up to 100 epochs each with early stopping "
    "after 8), the attention CNN averages", "attention_cnn_cv_accuracy")), display=False)

# %% [markdown]
# ### The attention CNN at the paper's protocol
#
# {glue:md}`suw_cv_protocol`
#
# ## Training speed
#
# Measured by the engine during the recorded runs, in the same process: training images per second,
# the share of step time spent outside forward, backward and optimizer (data indexing and
# augmentation), the achieved GFLOP/s (three times the forward FLOPs per image, times images/s) and
# the machine's fp32 matmul peak measured at the end of the run.

# %% tags=["hide-input"]
speed = []
for label, r in [("FastCNN-SE", fc)] + [(f"attention CNN fold {i + 1}", r) for i, r in enumerate(cv or [])]:
    if r is not None:
        m = r.metrics
        speed.append({"run": label, "budget": r.budget, "images/s": m["train_images_per_s"],
                      "data share": m["data_share"], "achieved GFLOP/s": m["achieved_gflops"],
                      "matmul peak GFLOP/s": m["matmul_peak_gflops"],
                      "device": r.device})
if speed:
    display(tables.show(pd.DataFrame(speed).set_index("run")))
else:
    print("No recorded training runs at this budget yet.")

# %% [markdown]
# The engine against a plain torchvision `ImageFolder` + PIL `DataLoader` loop (PNG files decoded
# and augmented per image, fp32), on the same model, batch size, augmentation and images, measured
# in one process by `benchmarks/throughput.py`:

# %% tags=["hide-input"]
from fer_repro import runs

bench = [{"model": r.config["model"], "engine precision": r.config["precision"],
          "naive images/s": r.metrics["naive_images_per_s"],
          "engine images/s": r.metrics["engine_images_per_s"], "speed-up": r.metrics["speedup"],
          "engine data share": r.metrics["engine_data_share"],
          "engine GFLOP/s": r.metrics["engine_achieved_gflops"],
          "matmul peak GFLOP/s": r.metrics["matmul_peak_gflops"],
          "record": f"{r.name}/{r.key}"} for r in runs.records("benchmark_throughput")]
if bench:
    display(tables.show(pd.DataFrame(bench).set_index("model")))
else:
    print("The benchmark has not been recorded yet.")

# %% [markdown]
# ## Ablations
#
# The paper states two {term}`ablation` results without their numbers: removing the class-balanced weights
# "reduced macro recall by over 10%", and Softmax instead of Sparsemax "increased confidence but
# decreased macro recall". We train FastCNN-SE once per arm and seed, each arm changing one factor of
# the paper's recipe, all at the same budget ({glue:text}`suw_abl_epochs` epochs per arm on all of
# Training, epochs chosen on PublicTest). The table and the figure show the seed-{glue:text}`suw_abl_seed`
# run of every arm; the ledger's verdicts on the two claimed effects use every recorded seed (below).
# All arms are scored on the same PrivateTest
# images, so every comparison is paired: {term}`McNemar's exact test <McNemar's test>` on accuracy ({term}`Holm-adjusted <Holm correction>` over the
# comparisons) and {term}`paired-bootstrap <Paired bootstrap>` 95% intervals of the accuracy, macro-recall and {term}`macro-F1`
# differences. Cross-entropy needs Softmax (its log p is infinite off Sparsemax's support), so
# the cross-entropy arm is compared with the Softmax arm. The last row is ours, not the paper's:
# the engine's bfloat16 autocast against fp32.

# %% tags=["hide-input"]
arms = recs["ablations"]
abl = S.ablation_table(arms, seed)
glue("suw_abl_epochs", str(S.ABLATION_EPOCHS[budget]), display=False)
glue("suw_abl_seed", str(seed), display=False)
if abl.empty:
    print("No ablation pair is recorded at this budget yet.")
else:
    cols = ["change", "reference", "accuracy (arm)", "accuracy (reference)", "accuracy diff",
            "macro_recall diff", "macro_recall diff low", "macro_recall diff high",
            "macro_f1 diff", "mean top-1 probability (arm)",
            "mean top-1 probability (reference)", "McNemar p (exact)", "McNemar p (Holm)"]
    display(tables.show(abl[cols]))

# %% tags=["hide-input"]
if abl.empty:
    fig = viz.placeholder_figure()
else:
    fig, axes = plt.subplots(1, 2, figsize=(10, 0.6 * len(abl) + 1.2), sharey=True)
    for ax, m in zip(axes, ("accuracy", "macro_recall")):
        viz.forest_plot(ax, list(abl["change"]), abl[f"{m} diff"], abl[f"{m} diff low"],
                        abl[f"{m} diff high"], f"{m.replace('_', ' ')}: arm minus reference")
    fig.tight_layout()
glue("suw_ablation_fig", fig, display=False)
plt.close(fig)


def abl_text(arm):
    if arm not in abl.index:
        return PENDING
    r = abl.loc[arm]
    d, lo, hi = r["macro_recall diff"], r["macro_recall diff low"], r["macro_recall diff high"]
    return (f"{d:+.3f} (95% CI {tables.fmt_range(lo, hi, signed=True)}), accuracy from "
            f"{r['accuracy (reference)']:.3f} to {r['accuracy (arm)']:.3f}, McNemar p = "
            f"{format_p(r['McNemar p (exact)'])}")


def abl_relative(arm):
    """The macro-recall change relative to the reference arm, in percent (the paper's unit)."""
    if arm not in abl.index:
        return PENDING
    r = abl.loc[arm]
    return f"{r['macro_recall diff'] / r['macro_recall (reference)']:+.0%}"


def seeded_text(arm):
    """The seed-averaged macro-recall drop the ledger judges, with its interval and seeds."""
    d = (S.seeded_ablation_drop(arm, recs["ablation_seeds"], seed=seed)
         if recs.get("ablation_seeds") else None)
    if d is None:
        return PENDING
    return (f"a macro-recall drop (recipe minus arm) of "
            f"{tables.fmt_estimate(d['estimate'], d['low'], d['high'], ci='95% CI')}, mean of "
            f"{len(d['seeds'])} seeds")


glue("suw_abl_cb_seeds", seeded_text("no_class_balanced_weights"), display=False)
glue("suw_abl_softmax_seeds", seeded_text("softmax_instead_of_sparsemax"), display=False)
glue("suw_seed_sd", report.seed_term_sentence(), display=False)
glue("suw_abl_cb", abl_text("no_class_balanced_weights"), display=False)
glue("suw_abl_cb_rel", abl_relative("no_class_balanced_weights"), display=False)
glue("suw_abl_softmax", abl_text("softmax_instead_of_sparsemax"), display=False)
if "softmax_instead_of_sparsemax" in abl.index:
    r = abl.loc["softmax_instead_of_sparsemax"]
    glue("suw_abl_conf", f"{r['mean top-1 probability (reference)']:.3f} with Sparsemax and "
         f"{r['mean top-1 probability (arm)']:.3f} with Softmax", display=False)
else:
    glue("suw_abl_conf", PENDING, display=False)
for arm, key in (("ce_instead_of_poly_focal", "suw_abl_ce"), ("no_mixup", "suw_abl_mixup"),
                 ("bf16_autocast", "suw_abl_bf16")):
    if arm in abl.index:
        r = abl.loc[arm]
        glue(key, f"{r['accuracy diff']:+.3f} (95% CI {r['accuracy diff low']:+.3f} to "
             f"{r['accuracy diff high']:+.3f}, McNemar p = {format_p(r['McNemar p (exact)'])})",
             display=False)
    else:
        glue(key, PENDING, display=False)
# Sec. 3.2's calibration claim for label smoothing (SUW-80): the arm without it, queued in the
# training campaign (seed 0 included: the arm came after the chapter's runs)
ls_name = S.ECE_EVIDENCE["no_label_smoothing"][0]
if f"suwartono2025/{ls_name}" in ch.evidence:
    ls_text = (f"the expected calibration error it adds is {ch.ev(ls_name)}, "
               f"{ch.verdict('suwartono2025/' + ls_name)} against the paper's claim")
else:
    ls_text = "not recorded yet: " + "; ".join(
        campaign.progress_sentence(campaign.seed_job_id("no_label_smoothing", s_))
        for s_ in campaign.arm_seeds("no_label_smoothing"))
glue("suw_abl_ls", Markdown(ls_text), display=False)

# %% [markdown]
# ```{glue:figure} suw_ablation_fig
# :alt: Two panels of intervals, one row per ablation, for the accuracy and the macro-recall difference of each arm against its reference on PrivateTest, with a dashed line at zero.
#
# Each ablation arm minus its reference arm on PrivateTest, with paired-bootstrap 95% intervals
# (budget {glue:text}`suw_budget`). Left of the dashed line, the change made the model worse.
# ```
#
# - **Class-balanced weights removed:** macro recall changes by {glue:text}`suw_abl_cb`. Relative to
#   the reference arm's macro recall that is {glue:text}`suw_abl_cb_rel` (paper: it drops by over 10%).
# - **Softmax instead of Sparsemax:** macro recall changes by {glue:text}`suw_abl_softmax` (paper: it
#   drops); mean top-1 probability (the paper's "confidence", which it says rises) is
#   {glue:text}`suw_abl_conf`. Sparsemax puts exact zeros on
#   classes, so its top-1 probability is not on the same footing as a Softmax one.
# - **Cross-entropy instead of Poly-Focal** (both on Softmax), accuracy change
#   {glue:text}`suw_abl_ce`; **MixUp removed**, accuracy change {glue:text}`suw_abl_mixup`.
# - **bfloat16 autocast instead of fp32** (ours): accuracy change {glue:text}`suw_abl_bf16`.
# - **Label smoothing removed**, for Sec. 3.2's claim that smoothing improves calibration (the
#   paper's recipe otherwise; seed-averaged as below): {glue:md}`suw_abl_ls`.
#
# Two cautions before reading these rows as effects of the components. First, the arms train for a
# fraction of the paper's epochs, so an effect missing here may appear with longer training: a
# claim whose effect we do not find stays *pending* rather than refuted. Second, a row of the table
# is one training run per arm. McNemar's test and the paired bootstrap account for which test images
# happened to be drawn, not for how a second training run of the same recipe would differ. The
# bfloat16 row measures that kind of difference, since it changes no modelling choice, only the
# rounding during training; so does the spread over training seeds, which the campaign measured:
# {glue:text}`suw_seed_sd`. The ledger therefore judges the two claimed effects on the drop averaged
# over every recorded seed, with an interval that counts both the test images and the seed spread:
# without class-balanced weights, {glue:text}`suw_abl_cb_seeds`; Softmax instead of Sparsemax,
# {glue:text}`suw_abl_softmax_seeds`.
#
# ## Confusion matrices
#
# All recorded runs of this chapter, switched in the page (no kernel needed; row: recall, column:
# precision). The baselines and the attention CNN show pooled out-of-fold predictions on Training
# (each Training image predicted once, by the model of the fold that held it out); FastCNN-SE and
# its ablation arms show PrivateTest.

# %% tags=["hide-input"]
from fer_repro.metrics import confusion_matrix

PRIVATE = "FER2013 PrivateTest (trained on Training, epochs chosen on PublicTest)"
entries = []
for k in S.BASELINES:
    r = recs[f"baseline_{k}"]
    if r is not None:
        entries += viz.entries_from_records(
            [r], label_of=lambda r, k=k: f"PCA128 + {k} (budget {r.budget})",
            split=f"pooled out-of-fold predictions on FER2013 Training ({r.config['folds']} folds)")
if cv:
    fold_arrays = [r.arrays() for r in cv]
    names = tuple(cv[0].extra["class_names"])
    entries.append(viz.MatrixEntry(
        f"attention CNN (budget {cv[0].budget})",
        sum(confusion_matrix(a["y_true"].astype(int), a["y_pred"].astype(int), len(names)) for a in fold_arrays),
        names, note=f"{len(cv)} fold records {cv[0].name}",
        split=f"pooled out-of-fold predictions on FER2013 Training ({len(cv)} folds)"))
if fc is not None:
    entries += viz.entries_from_records([fc], label_of=lambda r: f"FastCNN-SE (budget {r.budget})", split=PRIVATE)
main_run = len(entries) - 1 if fc is not None else None
n_models = len(entries)  # the five models; the ablation arms follow
for arm, r in arms.items():
    entries += viz.entries_from_records([r], label_of=lambda r, arm=arm: f"FastCNN-SE ablation arm '{arm}' (budget {r.budget})",
                                        split=f"{PRIVATE}, ablation budget")
viz.explorer(entries, "Suwartono et al. 2025: confusion matrices", initial=main_run)

# %% [markdown]
# Sec. 4 says that "the largest errors for all models occurred on visually similar pairs such as
# fear vs. surprise and sad vs. angry" (claim SUW-81). The paper prints no confusion matrix for its
# models, so the ledger cannot judge the sentence; the table below only shows, for this book's
# re-runs of the five models (the ablation arms left out), which pair of classes each confuses most
# and where the two named pairs rank among all pairs (a pair's rate: the mean of the two ways of
# mistaking one class for the other, each as a share of the true class).

# %% tags=["hide-input"]
tables.show(S.largest_confusions(entries[:n_models]), formats={"its rate": "{:.3f}"})

# %% [markdown]
# ## The claims ledger
#
# Every checkable claim of the paper with its computed verdict; filter by kind or verdict.

# %% tags=["hide-input"]
ch.ledger()

# %% [markdown]
# ## The paper against itself
#
# Each failing check gives the paper's number, the recomputed one and the rule used.

# %% tags=["hide-input"]
ch.self_checks()
