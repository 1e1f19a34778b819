"""The training campaign (fer_repro.campaign) and the engine's interruptible runs.

Small synthetic data and a real registered model at 16x16 pixels; every test uses its own campaign
folder and run store under tmp_path, never the real ones.
"""

from __future__ import annotations

import fcntl
import json
import select
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest
import torch

from fer_repro import campaign as C
from fer_repro import runs
from fer_repro import train as T

pytestmark = pytest.mark.usefixtures("one_thread")

K = 7
MODEL = "suwartono_attention_cnn"


def make_data(n: int = 160, size: int = 16, seed: int = 0):
    """uint8 images whose brightness depends on the class (learnable), and their labels."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, K, size=n)
    x = np.clip(30 + 30 * y[:, None, None] + rng.uniform(-20, 20, (n, size, size)), 0, 255)
    return x.astype(np.uint8), y


def cfg(**kw) -> T.TrainConfig:
    base = {"model": MODEL, "model_kwargs": {"drop": 0.3}, "input_size": 16, "epochs": 2,
            "batch_size": 32, "lr": 1e-3, "schedule": "cosine", "early_stop": None,
            "augment": {"hflip": 0.5, "mixup_alpha": 0.4, "mix_prob": 0.5}, "seed": 3}
    base.update(kw)
    return T.TrainConfig(**base)


@pytest.fixture(scope="module")
def data():
    x, y = make_data()
    return torch.from_numpy(x[:96]), y[:96], torch.from_numpy(x[96:]), y[96:]


def fit(c, d, **kw) -> T.FitResult:
    return T.fit(c, *d, K, **kw)


class Stop(Exception):
    pass


def same(a: T.FitResult, b: T.FitResult) -> bool:
    def h(r):
        return [{k: v for k, v in row.items() if k != "epoch_s"} for row in r.history]
    sa, sb = a.model.state_dict(), b.model.state_dict()
    return h(a) == h(b) and all(torch.equal(sa[k], sb[k]) for k in sa)


# ------------------------------------------------------------------------------- the engine


def test_a_run_stopped_after_every_step_resumes_to_the_uninterrupted_numbers(data, tmp_path):
    c = cfg()
    whole = fit(c, data)
    calls = 0
    while True:  # a deadline already past: each call trains one step, checkpoints and stops
        calls += 1
        try:
            with T.control(stop_at=time.time() - 1):
                res = fit(c, data, workdir=tmp_path)
            break
        except T.Interrupted:
            assert calls < 50
    steps = 2 * -(-96 // 32)
    assert calls == steps  # one step per call; the last call finishes the run
    assert same(res, whole)
    assert len(res.segments) == steps
    assert [s["from_step"] for s in res.segments[:3]] == [0, 1, 2]


def test_mid_epoch_checkpoints_do_not_change_the_numbers(data, tmp_path):
    c = cfg()
    with T.control(checkpoint_every_s=0.0):  # a checkpoint after every step
        res = fit(c, data, workdir=tmp_path)
    assert same(res, fit(c, data))
    assert (tmp_path / "checkpoints" / "progress.json").exists()


def test_a_corrupt_checkpoint_is_detected_and_the_previous_one_used(data, tmp_path, capsys):
    c = cfg(epochs=3)

    def stop_after_2(row):
        if row["epoch"] == 2:
            raise Stop

    with pytest.raises(Stop):
        fit(c, data, workdir=tmp_path, on_epoch=stop_after_2)
    last = tmp_path / "checkpoints" / "last.pt"
    assert (tmp_path / "checkpoints" / "prev.pt").exists()
    blob = bytearray(last.read_bytes())
    blob[len(blob) // 2] ^= 0xFF  # one flipped byte
    last.write_bytes(bytes(blob))
    res = fit(c, data, workdir=tmp_path)
    assert "does not match its checksum" in capsys.readouterr().err
    assert res.resumed_from == 1  # from prev.pt (after epoch 1), not last.pt (after epoch 2)
    assert same(res, fit(c, data))
    # a truncated file (no sidecar to compare with) is caught by the loader
    last.write_bytes(last.read_bytes()[:100])
    last.with_suffix(".pt.sha256").unlink()
    assert T.load_checkpoint(last, torch.device("cpu"))["epoch"] == 1  # prev.pt


def test_a_checkpoint_from_other_training_code_is_refused_or_restarted(data, tmp_path,
                                                                       monkeypatch):
    c = cfg()
    with pytest.raises(T.Interrupted), T.control(stop_at=time.time() - 1):
        fit(c, data, workdir=tmp_path)
    monkeypatch.setattr(T, "code_fingerprint", lambda model=None: "0000000000000000")
    with pytest.raises(T.CodeChanged, match="other training code"):
        fit(c, data, workdir=tmp_path)
    with T.control(on_code_change="restart"):
        res = fit(c, data, workdir=tmp_path)
    assert res.resumed_from == 0 and same(res, fit(c, data))


def test_code_fingerprint_follows_the_training_code_and_the_model_module():
    fp = T.code_fingerprint()
    assert len(fp) == 16 and fp == T.code_fingerprint()
    assert {"train.py", "losses.py", "data/augment.py"} <= set(T.TRAINING_CODE)
    assert "data/duplicates.py" not in T.TRAINING_CODE
    # the model's own module joins the fingerprint; two models in different modules differ
    a, b = T.code_fingerprint("suwartono_fastcnn_se"), T.code_fingerprint("resemotenet_paper")
    assert len({fp, a, b}) == 3
    assert T.code_fingerprint("suwartono_attention_cnn") == a  # same module, same code



def test_code_fingerprint_names_the_code_the_process_loaded(monkeypatch):
    """A worker that runs across an edit of the source keeps naming the code it loaded: the
    files are not read again (a record written after the edit carries the old fingerprint)."""
    before = T.code_fingerprint("mini_xception")

    def edited(self):
        raise AssertionError(f"{self} read again")

    monkeypatch.setattr(Path, "read_bytes", edited)
    assert T.code_fingerprint("mini_xception") == before
    assert T.code_fingerprint() == T.code_fingerprint()

# ------------------------------------------------------------------------------- the campaign


def toy_fn(config, workdir):
    x, y = make_data()
    idx = np.arange(len(y))
    return T.train_and_test(T.TrainConfig(**config["train"]), x, y, idx[:96], idx[96:128],
                            idx[128:], tuple("abcdefg"), workdir)


def toy_train(mode: str, seed: int = 0):
    return runs.fetch("toy", {"train": cfg(seed=seed).to_dict(), "seed": seed}, toy_fn, mode=mode)


#: metrics that measure the machine, not the model
TIMING = ("data_share", "train_images_per_s", "train_s", "achieved_gflops", "matmul_peak_gflops")


def assert_same_record(a: runs.Record, b: runs.Record) -> None:
    """The same model: every model metric and every stored test probability equal."""
    def model(r):
        return {k: v for k, v in r.metrics.items() if k not in TIMING}
    assert model(a) == model(b)
    assert np.array_equal(a.arrays()["proba"], b.arrays()["proba"])


def toy_queue() -> list[C.Job]:
    return [C.Job("toy-s0", 1, "toy seed 0", 2, toy_train, ("TOY-01",)),
            C.Job("toy-s1", 1, "toy seed 1", 2, lambda mode: toy_train(mode, 1))]


@pytest.fixture
def stores(tmp_path, monkeypatch):
    monkeypatch.setattr(runs, "RESULTS_DIR", tmp_path / "results")
    monkeypatch.setenv("FER_REPRO_CAMPAIGN", str(tmp_path / "campaign"))
    return tmp_path / "results", tmp_path / "campaign"


def test_campaign_dir_is_outside_the_repository(monkeypatch, tmp_path):
    monkeypatch.delenv("FER_REPRO_CAMPAIGN", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert C.campaign_dir() == tmp_path / "fer-repro" / "campaign"
    assert runs.RESULTS_DIR.resolve() not in C.campaign_dir().resolve().parents


class EpochClock:
    """The campaign's clock at the epoch: its deadline (hours later) is long past in real time,
    so the engine stops after the first step of the first job."""

    strftime = staticmethod(time.strftime)
    time = staticmethod(lambda: 0.0)


def test_campaign_stops_at_its_hours_and_resumes_to_the_same_record(stores, monkeypatch):
    results, root = stores
    with monkeypatch.context() as m:
        m.setattr(C, "time", EpochClock)
        out = C.run(hours=1, root=root, queue=toy_queue())
    assert out == {"toy-s0": "stopped"}
    assert C.run(hours=0, root=root, queue=toy_queue()) == {
        "toy-s0": "not started (hours used)", "toy-s1": "not started (hours used)"}
    st = C.status(root, toy_queue())
    assert list(st["state"]) == ["started", "queued"]
    assert st["claims waiting"][0] == "TOY-01"
    assert not list(results.glob("toy/*/record.json"))
    assert list(root.glob("toy/*/checkpoints/last.pt"))  # checkpoints live in the campaign folder
    assert C.run(hours=1, root=root, queue=toy_queue()) == {"toy-s0": "done", "toy-s1": "done"}
    rec = toy_train("never")
    assert len(rec.extra["segments"]) == 2  # the stopped segment and the one that finished
    assert rec.info["environment"]["cpu_model"]
    assert rec.info["wall_time_s"] >= sum(s["train_s"] for s in rec.extra["segments"]) * 0.99
    # the same numbers as a run that was never interrupted
    with runs.workdirs_under(root / "fresh"):
        fresh = runs.run("toy", {"train": cfg(seed=0).to_dict(), "seed": 0}, toy_fn,
                         root=results.parent / "fresh")
    assert_same_record(fresh, rec)
    assert list(C.status(root, toy_queue())["state"]) == ["done", "done"]
    assert C.run(hours=1, root=root, queue=toy_queue()) == {"toy-s0": "done", "toy-s1": "done"}


def test_a_job_locked_by_another_process_is_skipped_until_that_process_ends(stores, monkeypatch):
    _, root = stores
    monkeypatch.setattr(C, "LOCK_PATIENCE_S", 0.3)
    hold = ("import sys\nfrom pathlib import Path\nfrom fer_repro import campaign as C\n"
            "with C.lock('toy-s0', Path(sys.argv[1])):\n"
            "    print('held', flush=True)\n    sys.stdin.read()\n")
    holder = subprocess.Popen(
        [sys.executable, "-c", hold, str(root)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        ready, _, _ = select.select([holder.stdout], [], [], 120)  # not forever if it hangs
        assert ready and holder.stdout.readline().strip() == "held"
        assert C._held("toy-s0", root)
        with pytest.raises(C.Busy), C.lock("toy-s0", root):
            pass
        assert C.run(hours=1, root=root, queue=toy_queue()) == {"toy-s0": "busy", "toy-s1": "done"}
    finally:
        holder.communicate("", timeout=60)  # closing its stdin ends it
    assert holder.returncode == 0
    assert not C._held("toy-s0", root)
    assert C.run(hours=1, root=root, queue=toy_queue()) == {"toy-s0": "done", "toy-s1": "done"}


def test_a_status_probe_does_not_make_a_starting_worker_skip_its_job(stores):
    # status's probe (_held) holds the lock for an instant; a worker asking then waits it out
    _, root = stores
    path = root / "locks" / "toy-s0.lock"
    path.parent.mkdir(parents=True)
    with open(path, "a+") as probe:
        fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)
        release = threading.Timer(0.3, fcntl.flock, (probe, fcntl.LOCK_UN))
        release.start()
        try:
            with C.lock("toy-s0", root):
                assert C._held("toy-s0", root)
        finally:
            release.join()
    assert not C._held("toy-s0", root)


def test_a_failing_job_is_logged_and_the_queue_goes_on(stores):
    _, root = stores

    def broken(mode):
        raise FileNotFoundError("weights missing")

    queue = [C.Job("broken", 1, "a job whose training raises", 2, broken), *toy_queue()]
    out = C.run(hours=1, root=root, queue=queue)
    assert out == {"broken": "failed: FileNotFoundError: weights missing", "toy-s0": "done",
                   "toy-s1": "done"}
    assert "failed broken: FileNotFoundError: weights missing" in (root / "campaign.log").read_text()
    assert not C._held("broken", root)


def test_campaign_refuses_a_checkpoint_from_other_code(stores, monkeypatch):
    _, root = stores
    with monkeypatch.context() as m:
        m.setattr(C, "time", EpochClock)
        C.run(hours=1, root=root, queue=toy_queue())
    monkeypatch.setattr(T, "code_fingerprint", lambda model=None: "ffffffffffffffff")
    out = C.run(hours=1, root=root, queue=toy_queue())
    assert out["toy-s0"].startswith("refused") and out["toy-s1"] == "done"
    out = C.run(hours=1, root=root, queue=toy_queue(), on_code_change="restart")
    assert out["toy-s0"] == "done"


def test_campaign_refuses_a_checkpoint_from_another_version_of_the_runs_own_code(stores,
                                                                                 monkeypatch):
    """The run's own function (which images it trains on) is stamped beside its checkpoints; a
    resume under other such code is refused, or restarts, as for the training code."""
    _results, root = stores
    with monkeypatch.context() as m:
        m.setattr(C, "time", EpochClock)
        C.run(hours=1, root=root, queue=toy_queue())
    (stamp,) = root.glob(f"toy/*/checkpoints/{runs.RUN_CODE_FILE}")
    assert json.loads(stamp.read_text())["code"] == runs.run_code(toy_fn)
    monkeypatch.setattr(runs, "run_code", lambda fn: "eeeeeeeeeeeeeeee")
    out = C.run(hours=1, root=root, queue=toy_queue())
    assert out["toy-s0"].startswith("refused") and "the run's own code" in out["toy-s0"]
    assert out["toy-s1"] == "done"
    out = C.run(hours=1, root=root, queue=toy_queue(), on_code_change="restart")
    assert out["toy-s0"] == "done" and not stamp.exists()  # the record names the code now
    rec = toy_train("never")
    assert rec.info["run_code"] == "eeeeeeeeeeeeeeee" and len(rec.extra["segments"]) == 1


def test_checkpoints_from_before_stamps_are_stamped_at_resume(tmp_path):
    (tmp_path / "checkpoints").mkdir()
    (tmp_path / "checkpoints" / "last.pt").write_bytes(b"")
    code = runs._stamp_run_code(toy_fn, tmp_path)
    stamp = json.loads((tmp_path / "checkpoints" / runs.RUN_CODE_FILE).read_text())
    assert stamp["code"] == code and "predate stamps" in stamp["note"]
    assert (tmp_path / "checkpoints" / "last.pt").exists()


def _module(tmp_path: Path, name: str, source: str):
    import importlib.util

    (tmp_path / f"{name}.py").write_text(source)
    spec = importlib.util.spec_from_file_location(name, tmp_path / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


RUN_MODULE = """
def split(n):
    return list(range({cut}))


def unrelated():
    return {other}


def make():
    def fn(config, workdir):
        def inner():
            return split(10)
        return inner()
    return fn
"""


def test_run_code_follows_the_run_function_and_the_module_functions_it_calls(tmp_path):
    def code(name, cut, other):
        mod = _module(tmp_path, name, RUN_MODULE.format(cut=cut, other=other))
        return mod.make(), runs.run_code(mod.make())

    fn, a = code("run_a", 5, 0)
    assert set(runs.run_functions(fn)) == {"make.<locals>.fn", "split"}  # via the nested fn
    assert code("run_b", 5, 1)[1] == a  # a function the run never calls
    assert code("run_c", 6, 0)[1] != a  # the split the run calls
    assert len(a) == 16 and runs.run_code(fn) == a
    # what runs, not the file: comments, docstrings and line numbers change nothing, and an edit
    # after the import changes nothing until the module is loaded again
    moved = "\n\n# a comment\n" + RUN_MODULE.replace("def split(n):", 'def split(n):\n    """Doc."""')
    assert runs.run_code(_module(tmp_path, "run_d", moved.format(cut=5, other=0)).make()) == a
    (tmp_path / "run_a.py").write_text(RUN_MODULE.format(cut=7, other=0))
    assert runs.run_code(fn) == a
    # a partial is its function and its arguments; a builtin hashes by name
    import functools

    assert runs.run_code(functools.partial(fn, {})) not in (a, runs.run_code(functools.partial(fn, [])))
    assert runs.run_code(len) == runs.run_code(len) != runs.run_code(max)


@pytest.mark.slow
def test_submitit_local_executor_runs_the_worker(stores):
    import cloudpickle

    results, root = stores
    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    try:
        job = C.submit(1, "local", threads=1, root=root, queue=toy_queue(),
                       results=str(results))
        out = job.result()
    finally:
        cloudpickle.unregister_pickle_by_value(sys.modules[__name__])
    assert out == {"toy-s0": "done", "toy-s1": "done"}
    assert toy_train("never").extra["segments"]


def test_slurm_submission_requeues_and_takes_partition_and_account(stores):
    """The Slurm path with submitit's own mocked ``sbatch``: the batch script asks for
    requeueing and submitit's pre-emption signal, with the partition and account given, and the
    executor requeues a worker many times, not submitit's default three."""
    from submitit.slurm.test_slurm import mocked_slurm

    _, root = stores
    with mocked_slurm():
        job = C.submit(2, "slurm", threads=4, root=root, slurm_partition="cpu",
                       slurm_account="lab")
    script = next(root.glob(f"submitit/{job.job_id}/*_submission.sh")).read_text()
    for line in ("--partition=cpu", "--account=lab", "--requeue", "--cpus-per-task=4",
                 "--time=120", "--signal=USR2"):
        assert f"#SBATCH {line}" in script
    from submitit.core.utils import DelayedSubmission

    pickled = next(root.glob(f"submitit/{job.job_id}/*_submitted.pkl"))
    assert DelayedSubmission.load(pickled)._timeout_countdown == C.REQUEUES > 3
    readme = " ".join((Path(C.__file__).resolve().parents[1] / "README.md").read_text().split())
    assert f"up to {C.REQUEUES} times" in readme and "--executor slurm --workers" in readme


def test_under_slurm_the_worker_leaves_the_signals_to_submitit(stores, monkeypatch):
    _, root = stores
    seen = []

    def spy(*args, **kwargs):
        seen.append(kwargs.get("catch_signals", True))
        return {}

    monkeypatch.setattr(C, "run", spy)
    C.Worker(1, root=str(root))()
    monkeypatch.setenv("SUBMITIT_EXECUTOR", "slurm")
    C.Worker(1, root=str(root))()
    assert seen == [True, False]


def test_the_real_queue_starts_with_the_seed_runs():
    q = C.jobs()
    seeds = [j for j in q if j.item == 1 and j.id.startswith("seed-")]
    assert q[:len(seeds)] == seeds  # the seed runs first, then ResEmoteNet's protocol
    assert q[len(seeds)].id == "resemotenet-protocol"
    assert sum("paper" in j.id for j in seeds) >= 4  # with seed 0 already recorded: 5 seeds
    assert len({j.id for j in q}) == len(q)
    hours = [C.planned_cpu_hours(j) for j in q]  # a float for every job (NaN: no estimate)
    assert all(isinstance(h, float) for h in hours) and hours[0] > 0
    assert {j.item for j in q} == set(range(1, 8))  # every item of the campaign is queued
    # the peer's long retrain (no paper's claim waits on it) after the runs that decide verdicts
    at = {j.id: i for i, j in enumerate(q)}
    peer_full = [at[j.id] for j in q if j.id.startswith("peer-mini-xception-full")]
    assert peer_full and max(i for i, j in enumerate(q) if j.item in (4, 5, 6)) < min(peer_full)
    by_id = {j.id: j for j in q}
    # a CV job costs its folds: ten folds of the attention CNN at the paper's 100 epochs cost
    # about ten times one held-out run of the same model and epochs on the whole Training split
    cv = by_id["suwartono-attention-cv-full"]
    one = C.Job("one", 7, "one run", cv.epochs, cv.train, (), cv.cfg, cv.cpu_cfg, cv.cpu_records)
    assert 7 < C.planned_cpu_hours(cv) / C.planned_cpu_hours(one) < 10


def test_cv_sizes():
    assert C.cv_sizes(1000, 5) == (720, 80)
    train, val = C.cv_sizes(981, 5)
    assert train + val == 981 - 981 // 5 and val == round(0.1 * (train + val))


def test_a_finished_job_leaves_no_checkpoints(stores):
    _, root = stores
    assert C.run(hours=1, root=root, queue=toy_queue()[:1]) == {"toy-s0": "done"}
    ckpts = list(root.glob("toy/*/checkpoints/*"))
    assert ckpts and all(p.name == "progress.json" for p in ckpts)


def test_a_stop_signal_checkpoints_and_stops_without_losing_steps(stores, monkeypatch):
    """`kill` (SIGTERM) during training stops the worker at the next step with a checkpoint,
    and the resumed job ends with the record of an uninterrupted run."""
    import os
    import signal

    results, root = stores
    calls = {"n": 0}
    real_step = torch.optim.Adam.step

    def step_then_kill(self, *a, **k):
        calls["n"] += 1
        if calls["n"] == 2:
            os.kill(os.getpid(), signal.SIGTERM)
        return real_step(self, *a, **k)

    with monkeypatch.context() as m:
        m.setattr(torch.optim.Adam, "step", step_then_kill)
        out = C.run(hours=1, root=root, queue=toy_queue()[:1])
    assert out == {"toy-s0": "stopped"}
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL  # the handler is removed again
    prog = json.loads(next(root.glob("toy/*/checkpoints/progress.json")).read_text())
    assert (prog["epoch"], prog["step"]) == (0, 2)  # stopped after the second step, saved
    assert C.run(hours=1, root=root, queue=toy_queue()[:1]) == {"toy-s0": "done"}
    resumed = toy_train("never")
    assert len(resumed.extra["segments"]) == 2
    with runs.workdirs_under(root / "fresh"):
        fresh = runs.run("toy", {"train": cfg(seed=0).to_dict(), "seed": 0}, toy_fn,
                         root=results.parent / "fresh")
    assert_same_record(fresh, resumed)


def test_seed_jobs_list_only_the_claims_their_arms_give_evidence_for():
    """An arm's seeds wait on the claims judged on evidence that arm produces (paired with the
    paper's recipe, whose seeds wait on all of them). Label smoothing's calibration claim waits
    on the arm without smoothing, added after the chapter's runs, so the campaign trains its
    seed 0 too."""
    import importlib

    from fer_repro.experiments import suwartono2025 as suw

    ledger = importlib.import_module("fer_repro.claims.suwartono2025")
    by_target = {c.target: c.id for c in ledger.CLAIMS if c.method == "experiment"}
    assert set(suw.ABLATION_EVIDENCE) <= set(suw.ABLATIONS) - {"paper"}
    for names in suw.ABLATION_EVIDENCE.values():  # each names a ledger claim's evidence
        assert all(f"suwartono2025/{n}" in by_target for n in names)
    seed_jobs = [j for j in C.jobs() if j.id.startswith("seed-fastcnn-")]
    assert seed_jobs
    for j in seed_jobs:
        arm = next(a for a in suw.ABLATIONS if j.id.startswith(
            f"seed-fastcnn-{a.replace('_', '-')}-s"))
        names = (sum(suw.ABLATION_EVIDENCE.values(), ()) if arm == "paper"
                 else suw.ABLATION_EVIDENCE.get(arm, ()))
        claims = {c for c in j.claims if c in by_target.values()}
        assert claims == {by_target[f"suwartono2025/{n}"] for n in names}, j.id
    smoothing = by_target["suwartono2025/ablation_no_label_smoothing_ece_increase"]
    waiting = {j.id for j in C.jobs() if smoothing in j.claims}
    assert {f"seed-fastcnn-no-label-smoothing-s{s}" for s in (0, 1, 2)} <= waiting
    paper = C.job("seed-fastcnn-paper-s1").claims
    assert {by_target["suwartono2025/ablation_softmax_ece_increase"],
            by_target["suwartono2025/ablation_no_class_balanced_weights"]} <= set(paper)
    assert C.job("seed-fastcnn-no-mixup-s1").claims == ()


def test_the_seed_table_labels_a_cpu_the_record_does_not_name(monkeypatch):
    from types import SimpleNamespace

    from fer_repro.experiments import seeds as S

    def rec(seed, env, **info):
        return SimpleNamespace(config={"seed": seed}, metrics={m: 0.5 for m in S.METRICS},
                               device="cpu (1 thread)", info={"environment": env, **info})

    monkeypatch.setattr(S, "seed_records", lambda arm, budget: [
        rec(0, {"processor": "x86_64"}, git_commit="debed1c4aaaa"),
        rec(1, {"cpu_model": "Some CPU"}, git_commit="c96da1f6bbbb",
            training_code="45c298244cd704cf")])
    t = S.seed_table()
    assert list(t["cpu"]) == [S.NOT_RECORDED, "Some CPU"]
    assert list(t["commit"]) == ["debed1c4", "c96da1f6"]
    assert list(t["training code"]) == [S.NOT_RECORDED, "45c298244cd704cf"]


def test_progress_sentence_counts_epochs_over_all_folds(tmp_path):
    snap = tmp_path / "status.json"
    snap.write_text(json.dumps({"taken": "2026-01-02T03:04:05+0000", "jobs": [
        {"job": "cv", "state": "started", "epoch": "12 of 1000", "CPU-hours used": 1.0,
         "CPU-hours left (estimate)": 2.0}]}))
    s = C.progress_sentence("cv", snap)
    assert "is started: 12 of 1000 epochs, 1.0 CPU-hours used, about 2.0 left" in s
    assert "epoch 12" not in s


def test_the_snapshot_table_lists_every_queued_job_in_queue_order(tmp_path):
    """Jobs queued after the snapshot was taken appear, with no progress, so the page's table
    is the whole queue in its order; a job the queue no longer has stays at the end."""
    q = C.jobs()
    snap = tmp_path / "status.json"
    snap.write_text(json.dumps({"taken": "2026-01-02T03:04:05+0000", "cpu_model": "x",
                                "cpu_bf16": [], "jobs": [
        {"job": q[5].id, "state": "done", "epoch": "3 of 3"},
        {"job": "retired-job", "state": "done", "epoch": "1 of 1"}]}))
    table, meta = C.snapshot_table(snap)
    assert list(table["job"]) == [j.id for j in q] + ["retired-job"]
    assert meta["taken"].startswith("2026-01-02")
    states = dict(zip(table["job"], table["state"]))
    assert states[q[5].id] == "done" and states[q[0].id] == "queued (after the snapshot)"
    assert "queued (added after its last snapshot" in C.progress_sentence(q[0].id, snap)
    assert "not in its last snapshot" in C.progress_sentence("no-such-job", snap)


def test_a_finished_runs_cpu_hours_sum_its_segments_threads():
    """A run resumed with different thread counts counts each segment at its own threads."""
    from types import SimpleNamespace

    rec = SimpleNamespace(extra={"segments": [{"train_s": 100.0, "threads": 1},
                                              {"train_s": 50.0, "threads": 2}]},
                          info={"wall_time_s": 150.0}, device="cpu (1 thread)")
    assert C._core_seconds(rec) == 200.0
    # without segment times: the wall time at the device's threads
    old = SimpleNamespace(extra={}, info={"wall_time_s": 150.0}, device="cpu (2 threads)")
    assert C._core_seconds(old) == 300.0
