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
# # The training campaign
#
# Most deep models of this book were first trained for a few epochs at a stated, reduced budget, and
# once each. The campaign trains the papers' own protocols on a CPU, one run after another, across
# interruptions: every run checkpoints at least every {glue:text}`camp_ckpt_min` minutes outside the
# repository and resumes exactly where it stopped, so a run can take many days of interrupted compute. A finished
# run lands in the run store like any other and replaces a *pending* verdict in its chapter.
# Resuming needs the checkpoint folder to survive between stretches of work: where it does not (a
# new machine), every unfinished job starts again, and only a job that fits in one stretch can
# finish. This campaign has lost its checkpoints with the machine more than once.
#
# The table is a snapshot taken {glue:text}`camp_taken` on {glue:text}`camp_cpu`. CPU-hours are core-hours
# (wall time x threads); "left" extrapolates the job's own epochs so far (folds not started yet at
# the same pace), and "planned" is the GPU
# page's rule (FLOPs at the speed of the chapter's recorded `cpu` runs, every epoch run), so the two
# can be compared; early stopping can end a run sooner than either.

# %% tags=["parameters"]
# Parameters (papermill): see README, "Re-executing a chapter".
budget = "cpu"  # smoke | cpu | full
compute = "auto"  # auto: compute missing runs (the book reads records only); never; force
seed = 0

# %% tags=["hide-input"]
from fer_repro import chapter

chapter.start(budget=budget, compute=compute, seed=seed)


from myst_nb import glue

from fer_repro import campaign
from fer_repro.experiments import seeds

# the committed snapshot, in the current queue's order (jobs queued after it show no progress)
table, snap = campaign.snapshot_table()
glue("camp_taken", snap["taken"][:16].replace("T", " at "), display=False)
glue("camp_cpu", snap["cpu_model"] + (f" ({', '.join(snap['cpu_bf16'])})" if snap["cpu_bf16"]
                                      else ""), display=False)
glue("camp_done", f"{int((table['state'] == 'done').sum())} of {len(table)}", display=False)
glue("camp_ckpt_min", f"{campaign.CHECKPOINT_EVERY_S / 60:g}", display=False)
# the claims waiting on a job are the code's, not the snapshot's (they change with the ledgers);
# nothing waits on a finished job
queue = {j.id: j for j in campaign.jobs()}
table["claims waiting"] = ["" if st == "done" else ", ".join(queue[j].claims) if j in queue else c
                           for j, st, c in zip(table["job"], table["state"],
                                               table["claims waiting"])]
res_job = queue["resemotenet-protocol"]
glue("camp_res_epochs", str(res_job.epochs), display=False)
dcr_job = queue["dcrnet-ckplus-subject-protocol"]
glue("camp_dcr", f"{dcr_job.runs} folds of up to {dcr_job.epochs} epochs", display=False)
glue("camp_cv_folds", str(queue["suwartono-attention-cv-full"].runs), display=False)
planned = table.set_index("job")["CPU-hours planned (GPU page's rule)"]
glue("camp_longest", f"{planned.idxmax()} ({planned.max():.0f} CPU-hours planned)",
     display=False)
glue("camp_res_hours", f"{planned[res_job.id]:.0f} CPU-hours", display=False)

# %% tags=["remove-input"]
chapter.rerun_box("campaign")

# %% [markdown]
# {glue:text}`camp_done` jobs are done. `campaign run` takes the jobs in the order of the table,
# skipping those already done; its "item of the plan" column is the item of the campaign plan a job
# belongs to, a group label, not a rank. The seed and ablation-arm runs come first (they measure the
# {term}`training-seed spread <Training-seed variance>` that every experiment verdict counts, and the
# ablation effects that the Suwartono claims state), then
# ResEmoteNet in the paper's configuration for up to its {glue:text}`camp_res_epochs` epochs, the released
# scheme's leakage arms, the `fer` package's model retrained honestly, FastCNN-SE under the paper's
# held-out protocol and again under other readings of its recipe (the loss as focal-loss code
# usually writes it, CutMix as the paper names it, Sec. 3.3's block as written, and the first two together), AMACNN and DLFER for
# their papers' epochs, DCRNet on CK+ ({glue:text}`camp_dcr`, under each protocol), the `fer`
# model's retrain at the shipped recipe's length (no paper's claim waits on it) and the
# attention CNN's {glue:text}`camp_cv_folds`-fold cross-validation. A worker started with `--only`
# trains just the jobs it names, so several workers can train different jobs at once (a lock keeps
# two from training the same job). The longest job by plan is {glue:text}`camp_longest`;
# ResEmoteNet's job plans {glue:text}`camp_res_hours`. A job's planned CPU-hours count every epoch it
# may run; early stopping usually ends it sooner. The "epochs (all folds)" column counts the epochs
# a job has trained and the most it may run, both summed over its folds (one run for a held-out
# job).

# %% tags=["hide-input"]
from fer_repro import tables

show = table.drop(columns=["what"]).rename(columns={"item": "item of the plan",
                                                    "epoch": "epochs (all folds)"})
tables.show(show, index=False, na_rep="-")

# %% [markdown]
# ## The training-seed spread
#
# The seed runs of FastCNN-SE's paper recipe (the `cpu` budget of the {term}`ablation`, every run scored on
# the same PrivateTest images) give the spread that the verdict rule counts:
# {glue:text}`camp_seed_term`. The table names the commit that trained each seed and the
# fingerprint of its training code; seed 0 was recorded before runs carried a fingerprint. Between
# those commits the training code gained checkpointing, resumption, timing and augmentations that
# these runs leave off, but no change to the arithmetic of their training steps; the
# {glue:text}`camp_n_fingerprints` recorded fingerprints differ by the fingerprint's own definition and checkpoint housekeeping (`git diff`
# between the commits shows it).

# %% tags=["hide-input"]
seed_tab = seeds.seed_table()
glue("camp_n_fingerprints", str(seed_tab.loc[seed_tab["training code"] != seeds.NOT_RECORDED,
                                             "training code"].nunique()), display=False)
term = seeds.seed_term()
glue("camp_seed_term", f"standard deviation {term.sd:.4f} ({term.source})", display=False)
tables.show(seed_tab, index=False)

# %% [markdown]
# ## Running it
#
# ```bash
# python -m fer_repro campaign plan                      # the queue
# nice python -m fer_repro campaign run --hours 2.5 --threads 1   # train; resumes next time
# python -m fer_repro campaign status --save             # progress, and the snapshot above
# ```
#
# Checkpoints live in `$FER_REPRO_CAMPAIGN` (default: the user cache folder, never the repository).
# A checkpoint carries a checksum (a corrupt one is skipped for the previous one) and the
# fingerprint of the training code, and a stamp beside it names the run's own code (its function
# in the chapter's module, which chooses the images it trains on): after a change to either, `run`
# refuses to resume unless told `--on-code-change restart`. Two `run` processes never train the same job. On a Slurm
# cluster, `--executor slurm` submits the same worker through submitit, which requeues it when it
# is pre-empted or reaches its time limit; see the README.
