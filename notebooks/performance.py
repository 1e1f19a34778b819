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
# # Performance: training, building, re-running
#
# How fast is the machinery behind this book? This page shows the training engine's throughput for
# every architecture of the book, next to the machine's matrix-multiplication peak and to a plain
# torchvision `ImageFolder` + PIL `DataLoader` training loop; how long a full build of the book takes;
# and how long re-executing one chapter from the run store takes. All of it is measured in one run of
# `benchmarks/performance.py` on one machine and recorded in the run store (`results/performance/`)
# with the configuration, code version, library versions and wall time, like every other record. The
# page reads the latest such record; it never measures while the book renders.

# %% tags=["parameters"]
# Parameters (papermill): see README, "Re-executing a chapter".
budget = "cpu"  # smoke | cpu | full
compute = "auto"  # auto: compute missing runs (the book reads records only); never; force
seed = 0

# %% tags=["hide-input"]
from fer_repro import chapter

chapter.start(budget=budget, compute=compute, seed=seed)

import math

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import Markdown, display
from myst_nb import glue

from fer_repro import runs, viz

RUN = "python benchmarks/performance.py"


def dur(s):
    if s is None or (isinstance(s, float) and math.isnan(s)):
        return "not measured"
    return f"{s:.0f} s" if s < 120 else f"{s / 60:.1f} min"


def g(key, text):
    glue(key, str(text), display=False)


# the latest record of the measurement (the page never measures: compute is ignored here)
recorded = sorted(runs.records("performance"), key=lambda r: r.info.get("finished", ""))
perf = recorded[-1] if recorded else None
if perf is None:
    display(Markdown(
        "**The performance measurement has not been recorded yet.** On an otherwise idle machine, "
        f"run `{RUN}` from the repository root (with the data on the search path, after "
        "`make book` has fetched the offline assets), then commit `results/performance/`."))
    g("perf_status", "has not been recorded yet, so this page has no numbers to show; "
      f"run {RUN} on an idle machine to record it")
else:
    g("perf_status", f"is the record {perf.name}/{perf.key}")

# %% tags=["remove-input"]
chapter.rerun_box("performance")

# %% [markdown]
# The measurement {glue:text}`perf_status`.
#
# ## The machine and the run

# %% tags=["hide-input"]
if perf is not None:
    M = perf.extra["machine"]
    peaks = {"fp32": perf.metrics["matmul_peak_gflops_fp32"],
             "bf16": perf.metrics["matmul_peak_gflops_bf16"]}
    load0 = M["load_average_start"][0]
    commit = perf.info["git_commit"]
    fin = perf.info["finished"]
    text = (f"It was measured on {fin[:10]} at {fin[11:16]} (UTC{fin[19:]}) with the code "
            f"at commit {commit[:10]}{' plus uncommitted changes' if commit.endswith('+dirty') else ''}, "
            f"on {M['cpus_usable']} usable cores of "
            + (f"an {M['cpu_model']} (AVX512-BF16 {'yes' if M['avx512_bf16'] else 'no'}, AMX "
               f"{'yes' if M['amx_bf16'] else 'no'})" if "cpu_model" in M else
               "a CPU whose model this record predates (re-run the benchmark to record it)")
            + f" with {M['torch_threads']} torch threads, torch "
            f"{M['torch_version']} ({M['cpu_capability']} kernels). The one-minute load average "
            f"when the run started was {load0:.2f}")
    if load0 > 0.5 * M["cpus_usable"]:
        text += (": the machine was busy, so every throughput below understates what an idle "
                 "machine of this kind does")
    text += (f". The whole run took {dur(perf.info['wall_time_s'])}. The machine's matmul peak, "
             f"the best of repeated square matrix products in the same process, was "
             f"{peaks['fp32']:.0f} GFLOP/s in fp32 and {peaks['bf16']:.0f} GFLOP/s in bf16.")
    g("perf_machine", text)
else:
    g("perf_machine", "Machine, date, commit and matmul peak are shown here once it is recorded.")

# %% [markdown]
# {glue:text}`perf_machine`
#
# ## Training throughput per model
#
# Each model trains with its chapter's configuration at the `cpu` budget as it was at the measured
# commit (input size, channels, batch, precision, loss and augmentation; the ConvFormer, which no
# chapter trains, with the attention CNN's recipe; the *input* column gives what was measured) on
# FER2013 Training images, {glue:text}`perf_steps`. *images/s* counts
# training images through forward, backward and optimizer step; *GFLOP/s* is three times the
# forward FLOPs of one image times images/s; *% of peak* divides that by the matmul peak of the
# precision the model trains in; *data share* is the part of step time spent indexing, converting
# and augmenting the batch. For the models that
# take grey images at FER2013's native size, the same images also go through the naive loop
# (`benchmarks/throughput.py`: PNG files decoded and augmented per image with PIL in a default
# `DataLoader`, fp32, same batch), and *speed-up* is the engine's images/s over the naive loop's.

# %% tags=["hide-input"]
from fer_repro import tables

if perf is not None:
    rows = pd.DataFrame(perf.extra["models"])
    steps, warm = int(rows["steps"].iloc[0]), perf.extra["warmup_steps"]
    g("perf_steps", f"for {steps} timed step{'s' * (steps != 1)} after {warm} untimed "
      f"one{'s' * (warm != 1)}"
      + (" (too few for stable numbers: a quick check, not the measurement)" if steps < 10 else ""))
    table = pd.DataFrame({
        "model": rows["model"],
        "input": [f"{s}x{s}x{c}" for s, c in zip(rows["input_size"], rows["in_chans"])],
        "precision": rows["precision"], "batch": rows["batch"],
        "images/s": rows["images_per_s"], "GFLOP/s": rows["achieved_gflops"],
        "% of peak": rows["share_of_peak"], "data share": rows["data_share"],
        "naive images/s": rows["naive_images_per_s"].astype(float),
        "speed-up": rows["speedup"].astype(float),
    }).set_index("model")
    display(tables.show(table, formats={"speed-up": "{:.2f}x"}, na_rep="not measured"))
else:
    rows = None
    g("perf_steps", "for the number of timed steps the record gives, after untimed warm-up steps")
    print("Not recorded yet: run", RUN)

# %% tags=["hide-input"]
if perf is not None:
    order = rows.iloc[::-1]
    fig, ax = plt.subplots(figsize=(7.5, 0.45 * len(rows) + 1.8))
    y = range(len(order))
    ax.barh([i + 0.2 for i in y], order["achieved_gflops"], height=0.4, color="tab:blue",
            label="engine")
    naive_gflops = 3 * order["forward_gflops_per_image"] * order["naive_images_per_s"].astype(float).fillna(0.0)
    ax.barh([i - 0.2 for i in y], naive_gflops, height=0.4, color="tab:gray",
            label="naive loop (fp32)")
    ax.axvline(peaks["fp32"], color="tab:red", ls="--", label="fp32 matmul peak")
    ax.axvline(peaks["bf16"], color="tab:purple", ls=":", label="bf16 matmul peak")
    ax.set_yticks(list(y), [f"{m} ({p})" for m, p in zip(order["model"], order["precision"])])
    ax.set_xlabel("training GFLOP/s (3 x forward FLOPs x images/s)")
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.01), ncol=2, fontsize=8, frameon=False)
    fig.tight_layout()
else:
    fig = viz.placeholder_figure("the performance measurement has not been recorded yet")
glue("perf_fig_gflops", fig, display=False)
plt.close(fig)


# %% [markdown]
# ```{glue:figure} perf_fig_gflops
# :alt: Horizontal bar chart with one pair of bars per model: the training GFLOP/s the engine achieved and, for the grey-input models, the GFLOP/s of the naive loop, with vertical lines at the machine's fp32 and bf16 matmul peaks.
# :name: fig-perf-gflops
#
# Achieved training GFLOP/s per model (engine in blue, naive loop in grey where measured) against
# the machine's matmul peaks, all measured in the same run.
# ```

# %% tags=["hide-input"]
def span(lo, hi, fmt):
    return format(lo, fmt) if format(lo, fmt) == format(hi, fmt) else f"{lo:{fmt}} to {hi:{fmt}}"


def models(n):
    return f"{n} model" + ("s" if n != 1 else "")


if perf is not None:
    target = perf.extra["target_speedup"]
    vs = rows.dropna(subset=["speedup"])
    data_max = rows["data_share"].max()
    text = (f"Over the {models(len(rows))} measured, the engine reaches "
            f"{span(rows['share_of_peak'].min(), rows['share_of_peak'].max(), '.0%')} of the matmul "
            f"peak of its precision, and spends at most {data_max:.1%} of its step time on the data "
            "pipeline.")
    if len(vs) == 0:
        text += (f" No model was measured against the naive loop in this record, so the engine's "
                 f"target of {target:g} times the naive loop's images/s is neither met nor missed "
                 "here.")
    else:
        met = vs[vs["speedup"] >= target]
        sp = span(vs["speedup"].min(), vs["speedup"].max(), ".2f") + " times"
        if len(met) == 0:
            text += (f" The engine's target of {target:g} times the naive loop's images/s is not "
                     f"met: for the {models(len(vs))} measured against the naive loop the engine "
                     f"is {sp} as fast.")
        elif len(met) == len(vs):
            text += (f" The engine's target of {target:g} times the naive loop's images/s is met for "
                     f"every model measured against it ({sp} as fast).")
        else:
            text += (f" The engine's target of {target:g} times the naive loop's images/s is met for "
                     f"{len(met)} of {models(len(vs))} ({', '.join(map(tables.label, met['model']))}) and not for the "
                     f"others (the engine is {sp} as fast).")
        if len(met) < len(vs) and data_max < 0.1:
            text += (" These models are compute-bound: nearly all of the engine's step time goes to "
                     "forward and backward arithmetic, which the naive loop has to do as well, so a "
                     "faster input pipeline can only save the naive loop's PNG decoding and "
                     "per-image augmentation, and beside the arithmetic of these models that is "
                     f"too small a part of a step to reach {target:g} times the throughput.")
    g("perf_verdict", text)
else:
    g("perf_verdict", "Without a recorded measurement nothing can be said about the engine's share "
      "of the peak or its speed-up over the naive loop.")


# %% [markdown]
# ## The engine against the peak and the naive loop
#
# {glue:text}`perf_verdict`
#
# ## Building the book and re-executing a chapter

# %% tags=["hide-input"]
import re
import tempfile


def tool_status(t):
    if t is None:
        return "not measured in this run"
    return "completed" if t["returncode"] == 0 else f"exit code {t['returncode']}"


def as_run_here(command):
    """The recorded command as it reads from the repository: the recording machine's repository
    folder as `.`, its temporary output folder as `$TMPDIR/...`."""
    command = command if isinstance(command, str) else " ".join(map(str, command))
    if "/.venv/bin/" in command:
        root = command.split()[0].split("/.venv/bin/")[0]
        command = command.replace(root + "/", "").replace(root, ".")
    return re.sub(re.escape(tempfile.gettempdir()) + r"/[^/\s]+", "$TMPDIR/...", command)


if perf is not None and perf.config.get("book"):
    book, chapter = perf.extra.get("book"), perf.extra.get("chapter")
    g("perf_book", f"A full build of the book into an empty output folder, executing every chapter "
      "against the run store as make book does (jupyter-book build with "
      f"FER_REPRO_COMPUTE=never, warnings as errors), took {dur(perf.metrics['book_build_s'])} "
      f"({tool_status(book)}). Re-executing the chapter notebooks/{perf.config['chapter']}.ipynb "
      "with papermill at the cpu budget with compute=never, i.e. from its recorded runs, took "
      f"{dur(perf.metrics['chapter_s'])} ({tool_status(chapter)}), kernel start included.")
    for label, t in (("book build", book), ("chapter re-execution", chapter)):
        print(f"{label}: {as_run_here(t['command'])}")
        if t["returncode"] != 0:
            print(t["tail"][-1500:])
elif perf is not None:
    g("perf_book", "This record was made with --skip-book: the book build and the chapter "
      "re-execution were not timed.")
else:
    g("perf_book", "The time of a full book build and of re-executing one chapter from the run "
      "store are shown here once the measurement is recorded.")

# %% [markdown]
# {glue:text}`perf_book`
#
# ## What the recorded training runs achieved
#
# Every training run in the run store measured its own throughput while it trained: images/s, the
# data share of step time, and achieved GFLOP/s beside the fp32 matmul peak measured at the end of
# the same run. These runs shared the machine with other work (the *device* column gives the torch
# threads), so they show what the book's runs actually got, not what the machine can do.

# %% tags=["hide-input"]
train_rows = []
for r in runs.records():
    m = r.metrics
    if not all(k in m for k in ("train_images_per_s", "achieved_gflops", "matmul_peak_gflops",
                                "data_share")):
        continue
    t = r.config.get("train", r.config)
    train_rows.append({
        "record": f"{r.name}/{r.key}", "model": t.get("model"), "precision": t.get("precision"),
        "input": f"{t.get('input_size')}x{t.get('input_size')}x{t.get('in_chans')}",
        "budget": r.budget, "images/s": m["train_images_per_s"],
        "GFLOP/s": m["achieved_gflops"], "% of fp32 peak": m["achieved_gflops"] / m["matmul_peak_gflops"],
        "data share": m["data_share"], "device": r.device,
    })
if train_rows:
    trained = pd.DataFrame(train_rows).set_index("record")
    g("perf_train", f"The {len(trained)} recorded training runs trained at "
      f"{span(trained['images/s'].min(), trained['images/s'].max(), '.0f')} images/s and reached "
      f"{span(trained['% of fp32 peak'].min(), trained['% of fp32 peak'].max(), '.0%')} of the fp32 "
      "matmul peak measured in the same run.")
    display(tables.show(trained, formats={"% of fp32 peak": "percent0"}))
else:
    g("perf_train", "No recorded training run in this run store carries throughput metrics.")
    print("No training run with throughput metrics is recorded.")

# %% [markdown]
# {glue:text}`perf_train`
#
# These are averages over whole runs, and a long CPU run can slow down as it trains: once weights or
# Adam's moments underflow into denormal floats, each operation on them takes many times longer. The
# engine therefore flushes denormals to zero (`torch.set_flush_denormal`), and each record says
# whether it was on (`flush_denormal` in its environment). Runs recorded before the engine did this
# may have slowed in their later epochs, so their throughput can understate what the engine does now.
#
# ## Where a step's time goes, and which variant is fastest
#
# `benchmarks/variants.py` times the engine's own training step for the chapters' models, split into
# its phases, under eager and compiled execution, channels-last and contiguous memory, one and two
# threads, fp32 and bf16 autocast, beside a bare step (random input, cross-entropy, SGD) of the same
# model. {glue:text}`perf_var_machine`

# %% tags=["hide-input"]
var = sorted(runs.records("benchmark_variants"), key=lambda r: r.info["finished"])
if var:
    vr = var[-1]  # the newest
    vt = pd.DataFrame(vr.extra["rows"])
    feats = ", ".join(k for k, v in vr.extra["cpu_features"].items() if v) or "neither AVX512-BF16 nor AMX"
    chapter_models = perf.config["models"] if perf else vr.config["models"]
    measured = "; ".join(tables.label(m) for m in vr.config["models"])
    which = ("The record measures every model above. " if set(chapter_models) <= set(vr.config["models"])
             else f"The record measures {len(vr.config['models'])} of the {len(chapter_models)} models above: "
             f"{measured}. Running python benchmarks/variants.py again now measures them all. ")
    g("perf_var_machine", which +
      f"Measured on {vr.extra['cpu_model']} ({feats}; fp32 matmul peak "
      f"{vr.metrics['fp32_peak_gflops']:.0f} GFLOP/s, bf16 {vr.metrics['bf16_peak_gflops']:.0f}; "
      f"1-minute load average {vr.extra['load_average_1min']:.1f} at the end), record "
      f"{vr.name}/{vr.key}.")
    best = vt.loc[vt.groupby("model")["engine_images_per_s"].idxmax()]
    default = vt[vt["chapter_default"]].set_index("model")["engine_images_per_s"]
    lines = []
    for _, row in best.iterrows():
        d = default.get(row["model"])
        lines.append(f"{tables.label(row['model'])}: fastest is {row['mode']}, {row['precision']}, "
                     f"{'channels-last' if row['channels_last'] else 'contiguous'}, "
                     f"{row['threads']} thread{'s' * (row['threads'] > 1)} at "
                     f"{row['engine_images_per_s']:.0f} images/s"
                     + (f", {row['engine_images_per_s'] / d:.2f}x the chapter's configuration "
                        f"({d:.0f} images/s)" if d else ""))
    g("perf_var_best", "Per model, " + "; ".join(lines) + ".")
    peer = vr.extra["peer"]
    g("perf_peer", f"The released ResEmoteNet model ({peer['input']}, batch {peer['batch']}, "
      f"{peer['precision']}, {peer['threads']} threads) trains at "
      f"{peer['official_loop_images_per_s']:.1f} images/s in a loop rebuilt from its official "
      f"training script's description and at {peer['engine_images_per_s']:.1f} images/s in this "
      f"book's engine at its default layout: a ratio of {peer['ratio']:.2f} from one run"
      + ("; " + ", ".join(f"{k} {v:.1f} images/s (ratio {peer['ratio_by_variant'][k]:.2f})"
                          for k, v in peer["engine"].items() if k != "fp32 channels-last")
         if "engine" in peer else "") + ".")
    shares = [c for c in vt.columns if c.startswith("share_")]
    show = vt.drop(columns=["chapter_default"]).rename(columns={c: c[6:] + " share" for c in shares})
    first = [c for c in ("model", "mode", "precision", "channels_last", "threads", "batch", "input") if c in show]
    show = show[first + [c for c in show.columns if c not in first]]
    display(tables.show(show, formats={"compile_s": "{:.0f}", **{c[6:] + " share": "percent0" for c in shares}},
                        na_rep="-"))
else:
    for k in ("perf_var_machine", "perf_var_best", "perf_peer"):
        g(k, "Not measured yet: run python benchmarks/variants.py.")

# %% tags=["hide-input"]
from fer_repro.experiments import amacnn as AM
from fer_repro.experiments import dcrnet as DC
from fer_repro.experiments import dlfer as DL
from fer_repro.experiments import resemotenet as RE
from fer_repro.experiments import suwartono2025 as SW

# the campaign's long runs: the configuration each trains, by model
CAMPAIGN_CONFIGS = {"suwartono_fastcnn_se": SW.fastcnn_config("full"),
                    "suwartono_attention_cnn": SW.attention_cnn_config("full"),
                    "resemotenet_paper": RE.config("protocol"), "amacnn": AM.amacnn_config("protocol"),
                    "dcrnet": DC.ckplus_config("protocol"), "dlfer_effnet_b3": DL.scratch_b3_config("protocol")}
# why a run keeps fp32 although bf16 is faster, or took bf16 before this record: reasons that are not a
# speed (those are computed from the record below)
REASON = {"suwartono_fastcnn_se": "its held-out run was recorded in fp32; the runs of other readings keep fp32 to compare with it",
          "suwartono_attention_cnn": "its cross-validation decides claims at the paper's protocol, where bf16 would add a known shift",
          "dcrnet": "its runs can reproduce the paper's CK+ figures near 99%, where a shift of the measured size would matter",
          "resemotenet_paper": "chosen from the bare training step's bf16 speed-up before this record, when the run began; "
                               "an upward shift can only narrow a shortfall, not create one",
          "amacnn": "its run can neither refute the paper (the input changes the network) nor come near its figures"}
by_seed = SW.ablation_seed_records("cpu")
drop = SW.seeded_ablation_drop("bf16_autocast", by_seed) if by_seed.get("bf16_autocast") else None
if var and drop:
    rows = pd.DataFrame(vr.extra["rows"])
    eager2 = rows[(rows["mode"] == "eager") & (rows["threads"] == 2) & rows["channels_last"]]
    speed = eager2.pivot(index="model", columns="precision", values="engine_images_per_s")
    comp = rows[(rows["mode"] == "compile") & (rows["threads"] == 2) & rows["channels_last"]].pivot(
        index="model", columns="precision", values="engine_images_per_s")
    table, faster_compiled = [], []
    for m, c in CAMPAIGN_CONFIGS.items():
        if m not in speed.index:
            continue
        ratio = speed.loc[m, "bf16"] / speed.loc[m, "fp32"]
        why = ("bf16 is slower on this CPU" if ratio < 1 else
               f"bf16 is faster; {REASON[m]}" if m in REASON else "bf16 is faster")
        table.append({"model": tables.label(m), "bf16 / fp32 speed": ratio,
                      "the campaign trains in": c.precision, "why": why})
        if m in comp.index and comp.loc[m, c.precision] > speed.loc[m, c.precision]:
            faster_compiled.append(f"{tables.label(m)} ({comp.loc[m, c.precision] / speed.loc[m, c.precision]:.2f}x "
                                   f"in {c.precision})")
    display(tables.show(pd.DataFrame(table).set_index("model"), formats={"bf16 / fp32 speed": "{:.2f}x"}))
    lo_, hi_ = -drop["high"], -drop["low"]
    g("perf_adopt", (
        "What the campaign trains in (table): bf16 autocast changes results measurably. FastCNN-SE's bf16 arm "
        f"(budget cpu, {len(drop['seeds'])} seeds against {len(by_seed['paper'])} of the fp32 recipe on the "
        f"same PrivateTest images) shifts macro recall by {-drop['estimate']:+.3f} (95% interval "
        f"{tables.fmt_range(lo_, hi_, signed=True)}), "
        + ("upwards" if lo_ > 0 else "downwards" if hi_ < 0 else "by an amount the interval cannot tell from zero")
        + ". So bf16 is used only where it is faster and such a shift cannot move a verdict, and each "
        "chapter names the precision of the runs it shows; the chapters' recorded runs keep the settings "
        "they were recorded with. "
        + ("torch.compile is faster than eager at the campaign's precision for "
           f"{' and '.join([', '.join(faster_compiled[:-1]), faster_compiled[-1]] if len(faster_compiled) > 1 else faster_compiled)}, "
           "but the engine does not compile: adopting it changes the training code, which the campaign's "
           "checkpoints are fingerprinted against." if faster_compiled else
           "torch.compile is faster than eager for none of these runs at their precision.")))
else:
    g("perf_adopt", "Not measured yet: the bf16 comparison needs FastCNN-SE's bf16 seeds (the "
      "campaign) and python benchmarks/variants.py.")

# %% [markdown]
# {glue:text}`perf_var_best`
#
# {glue:text}`perf_peer`
#
# {glue:text}`perf_adopt`
