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
# # FER2013 and its siblings, audited
#
# Every paper in this book reports numbers on FER2013, and two of them on CK+ and KDEF. Before
# judging any claim we look hard at the data: how the copy used here was obtained and verified,
# how its classes are distributed, which images occur twice, how often a second, larger group of
# annotators agrees with the FER2013 labels, and how CK+48 and the KDEF subset are structured.
# Every number on this page is computed by the code cells (open them with the toggles) from the
# verified data, or from the recorded run of this audit when the data are not on your machine.

# %% tags=["parameters"]
# Parameters (papermill): see README, "Re-executing a chapter".
budget = "cpu"  # smoke | cpu | full: size of the classical reference models fitted below
compute = "auto"  # auto: compute a missing record when the data are present; never; force
seed = 0
n_samples = 6  # sample images shown per class
reference_accuracy = 0.70  # accuracy used to illustrate the effect of leaked duplicates

# %% tags=["hide-input"]
from fer_repro import chapter

chapter.start(budget=budget, compute=compute, seed=seed, n_samples=n_samples)
if not 0 < reference_accuracy < 1:
    raise ValueError(f"reference_accuracy={reference_accuracy!r}: must be in (0, 1)")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from myst_nb import glue

from fer_repro import metrics, runs, stats, viz
from fer_repro.data import reference as ref
from fer_repro.data.audit import audit_config, audit_outcome

audit = runs.fetch("data_audit", audit_config(n_samples, seed), audit_outcome, mode=compute)
A = audit.extra
fer, ck, kd = A["fer2013"], A["ckplus48"], A["kdef"]
arrays = audit.arrays()
classes = A["class_names"]
glue("audit_key", f"{audit.name}/{audit.key}", display=False)
glue("audit_commit", audit.info["git_commit"][:10], display=False)

# %% tags=["remove-input"]
chapter.rerun_box("data")

# %% [markdown]
# ## Provenance and verification
#
# The FER2013 copy used here joins three public sources (see `PROVENANCE.md` beside the data): the
# official labels and *Usage* split, the lossless pixels written by the FER+ generator, and the
# Kaggle JPEG release, aligned image by image. It holds {glue:text}`n_total` images in
# {glue:text}`n_classes` classes; {glue:text}`n_lossless` have exactly the pixels of the original
# `fer2013.csv`, and {glue:text}`n_jpeg_only` are decoded from high-quality JPEGs because no lossless
# copy exists. Every load checks the per-split, per-class counts below against the official ones,
# the array shapes and types, and a content checksum (this copy: {glue:text}`fer_checksum`). A
# missing, truncated or altered file stops with a message that names the file and the command that
# fixes it. This page renders from the audit record {glue:text}`audit_key` (code commit
# {glue:text}`audit_commit`).
#
# The official protocol uses *Training* to train, *PublicTest* to validate (choose epochs,
# hyper-parameters, checkpoints) and *PrivateTest* to test once. Papers that report a single "test"
# number on FER2013 should say which half they used; several do not.

# %% tags=["hide-input"]
from fer_repro import tables

counts = pd.DataFrame(fer["counts"], index=classes).T
counts["total"] = counts.sum(axis=1)
counts.loc["all splits"] = counts.sum()
glue("n_total", f"{fer['n_total']:,}", display=False)
glue("n_classes", str(len(classes)), display=False)
glue("n_lossless", f"{fer['n_lossless']:,}", display=False)
glue("n_jpeg_only", f"{fer['n_jpeg_only']:,}", display=False)
glue("fer_checksum", audit.config["data"]["fer2013.npz"][:16], display=False)
for s in ("Training", "PublicTest", "PrivateTest"):
    glue(f"n_{s}", f"{int(counts.loc[s, 'total']):,}", display=False)
assert counts.loc["Training"].iloc[:7].tolist() == list(ref.FER2013_COUNTS["Training"])
tables.show(counts)  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# ## What the images look like
#
# Faces are {glue:text}`img_size` grayscale crops, roughly aligned, with large variation in pose,
# lighting, age and occlusion (hands, glasses, watermarks); a few are not faces at all
# ({glue:text}`n_black` images are entirely black).

# %% tags=["hide-input"]
samples = arrays["samples"]
glue("img_size", f"{samples.shape[2]}x{samples.shape[3]}", display=False)
glue("n_black", str(fer["n_black"]), display=False)
fig, axes = plt.subplots(len(classes), samples.shape[1], figsize=(samples.shape[1] * 0.9, len(classes) * 0.95))
viz.image_grid(axes, dict(zip(classes, samples)))
fig.suptitle("FER2013 Training", fontsize=9)
fig.subplots_adjust(left=0.15, wspace=0.05, hspace=0.05, top=0.95)
glue("fig_samples", fig, display=False)
plt.close(fig)

# %% [markdown]
# ```{glue:figure} fig_samples
# :alt: A grid of 48 by 48 grayscale face crops, one row per FER2013 class, drawn at random from the Training split.
# :name: fig-samples
#
# Randomly drawn Training images, one row per class (seeded; the seed is a chapter parameter).
# ```

# %% [markdown]
# ## Class imbalance
#
# The classes are far from balanced. In Training, *happy* has {glue:text}`imb_ratio` times as many
# images as *disgust*, which makes up only {glue:text}`disgust_share` of the split. Always predicting
# *happy* scores {glue:text}`majority_acc` on PrivateTest: that, not one in seven, is the floor any
# accuracy should be compared with, and it is why {term}`macro-F1` (which weighs every class equally) must be
# reported beside accuracy.

# %% tags=["hide-input"]
tr = np.array(fer["counts"]["Training"])
pt = np.array(fer["counts"]["PrivateTest"])
glue("imb_ratio", f"{tr.max() / tr.min():.1f}", display=False)
glue("disgust_share", f"{tr[classes.index('disgust')] / tr.sum():.1%}", display=False)
glue("majority_acc", f"{pt[tr.argmax()] / pt.sum():.1%}", display=False)
shares = pd.DataFrame({s: np.array(c) / sum(c) for s, c in fer["counts"].items()}, index=classes)
fig, ax = plt.subplots(figsize=(7, 3))
shares.plot.bar(ax=ax, width=0.8)
ax.set_ylabel("share of split")
ax.set_xlabel("")
ax.set_title("FER2013: Training, PublicTest and PrivateTest", fontsize=9)
ax.tick_params(axis="x", rotation=0)
fig.tight_layout()
glue("fig_imbalance", fig, display=False)
plt.close(fig)

# %% [markdown]
# ```{glue:figure} fig_imbalance
# :alt: Bar chart of the share of each of the seven classes in the Training, PublicTest and PrivateTest splits; happy is the largest class and disgust the smallest in all three.
# :name: fig-imbalance
#
# Class shares in each of the three FER2013 splits (Training, PublicTest, PrivateTest). The three
# splits have nearly the same class mix.
# ```

# %% [markdown]
# ## Exact duplicates, and what they do to test accuracy
#
# Hashing the pixel bytes finds {glue:text}`dup_distinct` distinct images among {glue:text}`n_total`:
# {glue:text}`dup_groups` groups of identical images hold {glue:text}`dup_in_groups` images, of which
# {glue:text}`dup_redundant` are redundant copies. Some copies carry different labels, which shows label
# noise directly. More important for every test number in this book: {glue:text}`leak_private` PrivateTest
# images ({glue:text}`leak_private_pct`) and {glue:text}`leak_public` PublicTest images have a byte-identical
# copy in Training, and for {glue:text}`leak_private_same` of those PrivateTest images the copy has the same
# label.
#
# A model that memorises its training set answers those images correctly for free. For a model whose
# accuracy on the other test images is {glue:text}`ref_acc`, that is worth up to
# {glue:text}`leak_gain` points of PrivateTest accuracy. The effect is real but small: duplicates alone
# cannot explain accuracies far above the published state of the art. What *can* is splitting
# after augmenting or oversampling, where every test image may have a near-copy in training.

# %% tags=["hide-input"]
pairs = pd.DataFrame(fer["dup_pairs"]).set_index("pair")
for k in ("dup_distinct", "dup_groups", "dup_in_groups", "dup_redundant"):
    glue(k, f"{fer[k]:,}", display=False)
lp, lq = fer["leak"]["PrivateTest"], fer["leak"]["PublicTest"]
glue("leak_private", str(lp["with_copy"]), display=False)
glue("leak_private_pct", f"{lp['with_copy'] / lp['n']:.1%}", display=False)
glue("leak_private_same", str(lp["with_copy_same_label"]), display=False)
glue("leak_public", str(lq["with_copy"]), display=False)
f_same = lp["with_copy_same_label"] / lp["n"]
glue("ref_acc", f"{reference_accuracy:.0%}", display=False)
glue("leak_gain", f"{100 * f_same * (1 - reference_accuracy):.1f}", display=False)
tables.show(pairs)  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# ## How often do ten other annotators agree with the FER2013 label?
#
# FER+ (Barsoum et al. 2016) had every FER2013 image relabelled by ten crowd workers. Taking the
# most-voted FER+ category (ties broken by column order, the common convention), the FER+ choice equals
# the FER2013 label for {glue:text}`ferplus_argmax` of the {glue:text}`ferplus_n` images that could be aligned
# (shuffling the FER2013 labels gives {glue:text}`ferplus_shuffled`, so the agreement is far above chance).
# Requiring a unique plurality gives {glue:text}`ferplus_plurality`, and requiring an absolute majority
# (six or more of ten votes) gives {glue:text}`ferplus_absolute`. On PrivateTest alone the most-voted FER+
# category matches the FER2013 label for {glue:text}`ferplus_private` of images (Wilson 95% CI
# {glue:text}`ferplus_private_ci`).
#
# What this implies: a model that predicted what the FER+ crowd sees on every image would score only
# about {glue:text}`ferplus_private` against the FER2013 labels of PrivateTest. A model can score higher
# than that against FER2013 labels only by agreeing with the original single annotation where ten
# others disagree; that is possible (FER2013's labels are not random, and published models exceed
# both this agreement and the human estimate of {glue:text}`human_acc`, Goodfellow et al. 2013), so
# these figures are context for reading an accuracy on the official test set, not a ceiling: an
# accuracy far above them is a reason to look at the protocol, and no verdict of this book rests on
# them alone. The agreement differs strongly between classes:

# %% tags=["hide-input"]
fp = fer["ferplus"]
glue("ferplus_n", f"{fp['n_aligned']:,}", display=False)
for rule in ("argmax", "plurality", "absolute"):
    glue(f"ferplus_{rule}", f"{fp[rule]['overall']:.1%}", display=False)
glue("ferplus_shuffled", f"{fp['shuffled_overall']:.1%}", display=False)
k, n = fp["argmax"]["private_k"], fp["argmax"]["private_n"]
lo, hi = stats.wilson_ci(k, n)
glue("ferplus_private", f"{k / n:.1%}", display=False)
glue("ferplus_private_ci", tables.fmt_range(lo, hi, 1, percent=True), display=False)
h, hs = ref.FER2013_HUMAN_ACCURACY
glue("human_acc", f"{h:.0%} ± {hs:.0%}", display=False)
agree = pd.DataFrame({rule: fp[rule]["per_class"] for rule in ("argmax", "plurality", "absolute")},
                     index=classes)
agree.index.name = "FER2013 label"
tables.show(agree, formats=dict.fromkeys(agree.columns, "percent"))  # NBVAL_CHECK_OUTPUT

# %% tags=["hide-input"]
cm = arrays["ferplus_vs_fer2013"]
fig, ax = plt.subplots(figsize=(6.5, 4.5))
rown = cm / cm.sum(axis=1, keepdims=True)
im = ax.imshow(rown, cmap="Blues", vmin=0, vmax=1)
ax.set_xticks(range(len(classes) + 1), classes + ["other/tie"], rotation=45, ha="right")
ax.set_yticks(range(len(classes)), classes)
ax.set_xlabel("most-voted FER+ category")
ax.set_ylabel("FER2013 label")
ax.set_title("All three FER2013 splits (images aligned with FER+)", fontsize=9)
for i in range(rown.shape[0]):
    for j in range(rown.shape[1]):
        ax.text(j, i, f"{rown[i, j]:.2f}", ha="center", va="center", fontsize=7,
                color="white" if rown[i, j] > 0.6 else "black")
fig.colorbar(im, ax=ax, fraction=0.04)
fig.tight_layout()
glue("fig_ferplus", fig, display=False)
plt.close(fig)

# %% [markdown]
# ```{glue:figure} fig_ferplus
# :alt: Heat map with FER2013 labels as rows and the most-voted FER+ category as columns, each row normalised; the diagonal is strongest for happy and surprise and weakest for disgust and fear.
# :name: fig-ferplus
#
# Where the FER+ annotators put each FER2013 class (row-normalised), over the aligned images of all
# three splits (Training, PublicTest and PrivateTest). "other/tie" collects contempt, unknown and
# not-a-face.
# ```

# %% [markdown]
# ## CK+48: few people, many near-identical frames
#
# CK+48 has {glue:text}`ck_n` images of {glue:text}`ck_subjects` subjects in {glue:text}`ck_sequences` sequences:
# every sequence contributes its last {glue:text}`ck_frames` frames, which are near-duplicates of each other.
# Subjects contribute between {glue:text}`ck_seq_min` and {glue:text}`ck_seq_max` sequences (median
# {glue:text}`ck_seq_med`). A random image-level split therefore puts frames of the same sequence, and the
# same face, on both sides; only subject-independent folds measure recognition of unseen people. The
# DCRNet chapter measures the difference.

# %% tags=["hide-input"]
glue("ck_n", str(ck["n"]), display=False)
glue("ck_subjects", str(ck["subjects"]), display=False)
glue("ck_sequences", str(ck["sequences"]), display=False)
glue("ck_frames", "/".join(map(str, ck["frames_per_sequence"])), display=False)
glue("ck_seq_min", str(ck["seq_per_subject_min"]), display=False)
glue("ck_seq_max", str(ck["seq_per_subject_max"]), display=False)
glue("ck_seq_med", f"{ck['seq_per_subject_median']:g}", display=False)
tables.show(pd.DataFrame({"images": ck["counts"], "sequences": ck["sequence_counts"]}, index=ck["classes"]).T)  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# ## The KDEF subset
#
# Only part of KDEF is available here: {glue:text}`kd_n` images of {glue:text}`kd_subjects` subjects
# ({glue:text}`kd_female` women, {glue:text}`kd_male` men), {glue:text}`kd_classes` expressions, two photo sessions,
# frontal view only, already converted to grayscale and cropped to {glue:text}`kd_size` pixels. The full
# KDEF has {glue:text}`kd_full` images (seven expressions, five angles). Results on this subset therefore
# say nothing directly about seven-class KDEF accuracy; they can still show how much a random split
# that shares subjects between train and test inflates accuracy.

# %% tags=["hide-input"]
glue("kd_n", str(kd["n"]), display=False)
glue("kd_subjects", str(kd["subjects"]), display=False)
glue("kd_female", str(kd["female"]), display=False)
glue("kd_male", str(kd["male"]), display=False)
glue("kd_classes", f"{len(kd['classes'])} ({', '.join(kd['classes'])})", display=False)
glue("kd_size", "x".join(map(str, kd["image_size"])), display=False)
glue("kd_full", f"{kd['full_kdef_images']:,}", display=False)

# %% [markdown]
# ## CK+ and KDEF images inside FER2013
#
# FER2013 was collected by web image search, and the laboratory photographs of CK+ and KDEF are all
# over the web. So "CK+ and KDEF share no people with FER2013" is a claim to check, not to assume:
# a FER2013 image can be a CK+ frame or a KDEF photograph, re-cropped, re-scaled, mirrored and
# re-encoded, which byte hashes cannot find. We searched all {glue:text}`cm_n_fer` FER2013 images (all
# three splits) for copies of each of the {glue:text}`cm_n_ck` CK+48 frames and {glue:text}`cm_n_kd` KDEF-subset
# images (`fer_repro.data.crossmatch`): candidates by the correlation of small blurred windows at
# several scales and shifts, both mirror images; then, for the {glue:text}`cm_k` best candidates of every
# image, a similarity transform (scale, shift, rotation) fitted by maximising the normalised
# cross-correlation `r` at {glue:text}`cm_size`; the distance is `1 - r`.
#
# How small a distance means "the same photograph" is calibrated on known cases. Known copies: every
# CK+ and KDEF image was turned into a synthetic web copy (rescaled by {glue:text}`cm_scale`, shifted,
# rotated up to {glue:text}`cm_rot` degrees, mirrored half of the time, gamma, contrast and brightness
# changed, JPEG-encoded at quality {glue:text}`cm_jpeg`) and hidden among the FER2013 images; the search
# put {glue:text}`cm_recall` of them among its candidates, and {glue:text}`cm_copy_q` of the aligned copies lie
# within distance {glue:text}`cm_copy_qv`. Known different photographs: the same person with another expression, the
# hardest case (for each image its {glue:text}`cm_per_image` most similar such photographs), whose
# smallest distance is {glue:text}`cm_diff_min`. The threshold, halfway between the two on a log scale,
# is {glue:text}`cm_threshold`; on the calibration pairs it misses {glue:text}`cm_missed` of the aligned copies
# and flags {glue:text}`cm_flagged` of the different photographs. End to end (among the candidates and
# within the threshold), the search recovers {glue:text}`cm_recall_e2e` of the hidden copies, so it can miss
# a heavily altered copy, but it does not call two different photographs of one person a copy. One limit: two photographs of the same
# person with the same expression taken in another session (KDEF's series A and B) can be as close as
# copies at {glue:text}`cm_size`, and the threshold flags {glue:text}`cm_twins_kd` of those pairs; a match is therefore
# "this photograph or a near-identical one of the same person and expression".
#
# The result, per data set and FER2013 split (record {glue:text}`cm_key`):

# %% tags=["hide-input"]
from fer_repro.data.crossmatch import crossmatch_record

cm = crossmatch_record(seed, mode=compute)
C, cal = cm.extra, cm.extra["calibration"]
ca = cm.arrays()
glue("cm_key", f"{cm.name}/{cm.key}", display=False)
glue("cm_n_fer", f"{C['n_fer']:,}", display=False)
glue("cm_n_ck", f"{C['n_queries']['CK+48']:,}", display=False)
glue("cm_n_kd", f"{C['n_queries']['KDEF subset']:,}", display=False)
glue("cm_k", str(cm.config["match"]["candidates"]), display=False)
glue("cm_size", "{0}x{0}".format(cm.config["match"]["size"]), display=False)
rng_ = cm.config["copy_ranges"]
glue("cm_scale", f"{rng_['scale'][0]:g} to {rng_['scale'][1]:g}", display=False)
glue("cm_rot", f"{rng_['degrees']:g}", display=False)
glue("cm_jpeg", f"{rng_['jpeg_quality'][0]} to {rng_['jpeg_quality'][1]}", display=False)
glue("cm_recall", f"{C['copy_recall_top_k']:.1%}", display=False)
glue("cm_recall_e2e", f"{cal['search_recall']:.1%} (CK+48 {cal['search_recall_ckplus48']:.1%}, KDEF "
     f"{cal['search_recall_kdef']:.1%})", display=False)
glue("cm_copy_q", f"{cal['copy_quantile']:.0%}", display=False)
glue("cm_copy_qv", f"{cal['copies_q']:.4f}", display=False)
glue("cm_per_image", str(cm.config["same_person_per_image"]), display=False)
glue("cm_diff_min", f"{cal['different_min']:.4f} (over {cal['n_different']:,} pairs)", display=False)
glue("cm_threshold", f"{cal['threshold']:.4f}", display=False)
glue("cm_missed", f"{cal['copies_missed']:.1%}", display=False)
glue("cm_flagged", f"{cal['different_flagged']:.1%}", display=False)
glue("cm_twins_kd", f"{cal['twins_kdef_flagged']:.0%} (of {cal['twins_kdef_n']} pairs)", display=False)
rows = []
for name, c in C["counts"].items():
    row = {"data set": name, **{f"FER2013 {s_} images": c["fer_images"][s_] for s_ in c["fer_images"]},
           "images with a FER2013 copy": f"{c['query_images']} of {c['query_total']}",
           "sequences": f"{c['sequences']} of {c['sequences_total']}" if "sequences" in c else "n/a",
           "subjects": f"{c['subjects']} of {c['subjects_total']}",
           "same expression label": f"{c['label_agrees']} of {c['pairs']} pairs"}
    rows.append(row)
overlap = pd.DataFrame(rows).set_index("data set")
ck_c, kd_c = C["counts"]["CK+48"], C["counts"]["KDEF subset"]


def per_split(c):
    parts = [f"{n} in {s_}" for s_, n in c["fer_images"].items() if n]
    return ", ".join(parts) if parts else "none in any split"


glue("cm_kd_fer", f"{kd_c['fer_images_all']} FER2013 images ({per_split(kd_c)})", display=False)
n_ck = ck_c["fer_images_all"]
glue("cm_ck_sentence", (
    f"CK+ is not disjoint from FER2013: {n_ck} FER2013 image{'s' * (n_ck != 1)} ({per_split(ck_c)}) "
    f"{'is a copy' if n_ck == 1 else 'are copies'} of CK+48 frames and match{'es' * (n_ck == 1)} "
    f"{ck_c['query_images']} of the {ck_c['query_total']} frames ({ck_c['sequences']} of "
    f"{ck_c['sequences_total']} sequences, {ck_c['subjects']} of {ck_c['subjects_total']} subjects; "
    f"the {ck['frames_per_sequence'][0]} peak frames of a sequence are nearly identical, so a copy of one "
    "matches them all).")
    if n_ck else "No FER2013 image is a copy of a CK+48 frame.", display=False)
m0 = C["examples"][0] if C["examples"] else None
glue("cm_example", (f"FER2013 {m0['fer_split']} image {m0['fer_id']} (labelled {m0['fer_label']}) is "
                    f"CK+ sequence {m0['sequence']} of subject {m0['subject']} (labelled "
                    f"{m0['query_label']}), at distance {m0['distance']:.4f}"
                    + (", mirrored" if m0["mirrored"] else "")) if m0 else "no FER2013 image is a copy",
     display=False)
dists = np.sort(ca["best_fer_distance"])
above, below = dists[dists > cal["threshold"]], dists[dists <= cal["threshold"]]
glue("cm_next", f"{above[0]:.4f}" if len(above) else "n/a", display=False)
glue("cm_last_match", f"{below[-1]:.4f}" if len(below) else "n/a (none)", display=False)
tables.show(overlap)  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# {glue:text}`cm_ck_sentence` For example, {glue:text}`cm_example`. The KDEF subset matches
# {glue:text}`cm_kd_fer`. The counts do not hinge on the threshold: the matched pairs
# are at distance {glue:text}`cm_last_match` at most, and the nearest FER2013 image of every other CK+ or
# KDEF image is at {glue:text}`cm_next` or more, so any threshold between the two gives the same counts. The DCRNet chapter,
# whose backbone is pretrained on FER2013 Training, states what this overlap means for its CK+ test
# folds.

# %% tags=["hide-input"]
ex = C["examples"]
k_ex = max(1, len(ex))
fig, axes = plt.subplots(2, k_ex, figsize=(max(3.2, 1.9 * k_ex + 0.6), 4.3), squeeze=False)
for j in range(k_ex):
    for i_ in range(2):
        axes[i_, j].axis("off")
    if not ex:
        axes[0, 0].text(0.5, 0.5, "no match", ha="center")
        continue
    e = ex[j]
    axes[0, j].imshow(ca["example_query"][j], cmap="gray", vmin=0, vmax=255)
    axes[0, j].set_title(f"{e['dataset']} {e['sequence'] or e['subject']}\n{e['query_label']}", fontsize=8)
    axes[1, j].imshow(ca["example_fer"][j], cmap="gray", vmin=0, vmax=255)
    axes[1, j].set_title(f"FER2013 {e['fer_split']}\n{e['fer_label']}, d = {e['distance']:.4f}", fontsize=8)
fig.suptitle("Top: CK+48 or KDEF image\nbottom: its copy in FER2013 (split named)", fontsize=9)
fig.tight_layout()
glue("fig_crossmatch_pairs", fig, display=False)
plt.close(fig)

fig, ax = plt.subplots(figsize=(7, 4.1))
bins = np.geomspace(5e-4, 0.5, 60)
src_ = ca["query_source"]
ax.hist([ca["best_fer_distance"][src_ == 0], ca["best_fer_distance"][src_ == 1]], bins=bins,
        stacked=True, label=["CK+48 frame: nearest FER2013 image", "KDEF image: nearest FER2013 image"])
ax.hist(ca["copy_distance"], bins=bins, histtype="step", color="k", label="known copies (synthetic)")
diff_ = np.concatenate([ca["different_distance_ckplus48"], ca["different_distance_kdef"]])
ax.hist(diff_, bins=bins, histtype="step", color="tab:red",
        label="known different photographs (same person)")
ax.axvline(cal["threshold"], color="k", ls="--", lw=1, label="threshold")
ax.set_xscale("log")
ax.set_yscale("log")
ax.set_xlabel("distance 1 - r after alignment")
ax.set_ylabel("images or pairs")
ax.set_title("Nearest image among all three FER2013 splits, and the calibration pairs", fontsize=9)
viz.legend_below(ax, ncol=2)
fig.tight_layout()
glue("fig_crossmatch_hist", fig, display=False)
plt.close(fig)

# %% [markdown]
# ```{glue:figure} fig_crossmatch_pairs
# :alt: Pairs of face images: a CK+48 frame above and the FER2013 image that is a copy of it below, with the FER2013 split and both labels.
# :name: fig-crossmatch-pairs
#
# Every FER2013 image found to be a copy, with its nearest CK+48 or KDEF image; the FER2013 split
# (Training, PublicTest or PrivateTest) and label are under each FER2013 image.
# ```
#
# ```{glue:figure} fig_crossmatch_hist
# :alt: Log-scale histogram of distances: the nearest FER2013 image of each CK+ and KDEF image, most of them far above the threshold, a few CK+ frames far below; the synthetic copies lie below the threshold and the different photographs above it.
# :name: fig-crossmatch-hist
#
# Distance from each CK+48 and KDEF image to its nearest image among all three FER2013 splits
# (stacked bars), with the calibration distributions: synthetic copies (black) and different
# photographs of the same person (red). The dashed line is the threshold.
# ```

# %% [markdown]
# ## Reference classifiers and the confusion-matrix explorer
#
# To anchor every later number, three classifiers that need no deep learning are fitted on Training
# and scored once on PrivateTest (budget {glue:text}`budget`): always predicting the majority class,
# guessing from the class frequencies, and standardised pixels → PCA (128 components) → logistic
# regression. PCA + logistic regression reaches {glue:text}`logreg_acc` accuracy ({term}`Wilson 95% CI <Wilson interval>`
# {glue:text}`logreg_ci`) and macro-F1 {glue:text}`logreg_f1` ({term}`bootstrap 95% CI <Bootstrap confidence interval>` {glue:text}`logreg_f1_ci`). On the
# PrivateTest images that have an exact copy in Training it scores {glue:text}`logreg_leak_acc`, against
# {glue:text}`logreg_clean_acc` on the rest. A linear model on {glue:text}`logreg_k` components can hardly recall single
# training images, so most of that gap says that duplicated images are easier, not that the model
# remembers them; the leakage chapter uses this gap as the yardstick for "easier" and subtracts it
# from the deep models' gaps to measure their memorisation.
#
# The explorer below shows their confusion matrices on PrivateTest: pick a run and a normalisation
# (row: recall; column: precision); it runs in the page itself, no kernel needed. Run in JupyterLab,
# the same cell shows a live version (ipywidgets).

# %% tags=["hide-input"]
from fer_repro.experiments.reference import reference_runs

ref_runs = reference_runs(budget, seed, mode=compute)
rows = []
for label, r in ref_runs.items():
    a = r.arrays()
    y, p = a["y_true"].astype(int), a["y_pred"].astype(int)
    lo, hi = stats.wilson_ci(int((y == p).sum()), len(y))
    rows.append({"model": label, "budget": r.budget, "accuracy": r.metrics["accuracy"],
                 "acc 95% CI": tables.fmt_range(lo, hi), "macro-F1": r.metrics["macro_f1"],
                 "record": f"{r.name}/{r.key}"})
table = pd.DataFrame(rows).set_index("model")

lr = ref_runs["PCA128 + LogReg"]
a = lr.arrays()
y, p = a["y_true"].astype(int), a["y_pred"].astype(int)
k = int((y == p).sum())
lo, hi = stats.wilson_ci(k, len(y))
f1 = stats.bootstrap_ci(lambda yy, pp: metrics.macro_f1(yy, pp, len(classes)), y, p,
                        n_boot=1000 if budget == "smoke" else 2000, seed=seed, method="percentile")
leaked = arrays["leaked_PrivateTest"]
glue("budget", budget, display=False)
glue("logreg_acc", f"{k / len(y):.3f}", display=False)
glue("logreg_ci", tables.fmt_range(lo, hi), display=False)
glue("logreg_f1", f"{lr.metrics['macro_f1']:.3f}", display=False)
glue("logreg_k", str(lr.config["n_components"]), display=False)
glue("logreg_f1_ci", tables.fmt_range(f1.low, f1.high), display=False)
glue("logreg_leak_acc", f"{(y == p)[leaked].mean():.1%} (n={leaked.sum()})", display=False)
glue("logreg_clean_acc", f"{(y == p)[~leaked].mean():.1%} (n={(~leaked).sum()}), "
     f"{100 * ((y == p)[leaked].mean() - (y == p)[~leaked].mean()):.1f} points less", display=False)
tables.show(table)

# %% tags=["hide-input"]
entries = [
    viz.entries_from_records([r], label_of=lambda r, lab=label: f"{lab} (budget {r.budget})")[0]
    for label, r in ref_runs.items()
]
viz.explorer(entries, "Reference classifiers: confusion matrices on FER2013 PrivateTest",
             split="FER2013 PrivateTest (fitted on Training)", initial=list(ref_runs).index("PCA128 + LogReg"))
