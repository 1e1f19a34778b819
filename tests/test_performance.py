"""benchmarks/performance.py and the page that renders its record (notebooks/performance.ipynb):
argument parsing, the GFLOP/s arithmetic, the timing helper, the record's fields and the page's
reading of them, on synthetic images and tiny settings."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import nbformat
import numpy as np
import pytest

from fer_repro import runs
from fer_repro.data import available
from fer_repro.models import is_model

ROOT = Path(__file__).resolve().parents[1]


def _load_benchmark():
    spec = importlib.util.spec_from_file_location("performance_benchmark",
                                                  ROOT / "benchmarks" / "performance.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


P = _load_benchmark()


def _synthetic(n: int = 64, n_val: int = 8, seed: int = 0):
    rng = np.random.default_rng(seed)
    images = rng.integers(0, 256, (n, 48, 48), dtype=np.uint8)
    labels = np.arange(n) % 7
    return images, labels, images[:n_val].copy(), labels[:n_val].copy()


def _tiny_config(models=("suwartono_attention_cnn",)) -> dict:
    a = P.parse_args(["--steps", "1", "--batch", "4", "--skip-book", "--models", *models])
    return P.config_of(a)


# --------------------------------------------------------------------------------------------
# the command line


def test_parse_args_defaults_cover_every_model_and_the_book():
    a = P.parse_args([])
    assert a.steps == 30 and a.models == list(P.MODELS) and not a.skip_book and not a.force
    assert a.naive and a.precision == "chapter" and a.batch is None
    cfg = P.config_of(a)
    assert cfg["book"] is True and cfg["chapter"] == P.DEFAULT_CHAPTER
    assert cfg["warmup"] == P.WARMUP


def test_parse_args_options():
    a = P.parse_args(["--steps", "2", "--models", "amacnn", "dcrnet", "--skip-book", "--force",
                      "--no-naive", "--precision", "bf16", "--batch", "8"])
    assert (a.steps, a.models, a.skip_book, a.force, a.naive, a.precision, a.batch) == (
        2, ["amacnn", "dcrnet"], True, True, False, "bf16", 8)
    cfg = P.config_of(a)
    assert cfg["book"] is False and cfg["chapter"] is None
    # the key depends on what is measured, not on --force
    assert runs.config_key(P.NAME, cfg) == runs.config_key(
        P.NAME, P.config_of(P.parse_args(["--steps", "2", "--models", "amacnn", "dcrnet",
                                          "--skip-book", "--no-naive", "--precision", "bf16",
                                          "--batch", "8"])))


@pytest.mark.parametrize("argv", [["--models", "resnet50"], ["--steps", "0"], ["--batch", "0"],
                                  ["--precision", "fp8"], ["--chapter", "no_such_chapter"]])
def test_parse_args_rejects(argv, capsys):
    with pytest.raises(SystemExit):
        P.parse_args(argv)
    assert "error" in capsys.readouterr().err


# --------------------------------------------------------------------------------------------
# what is measured


def test_achieved_gflops_is_three_forward_passes_per_image():
    # 0.1 GFLOP forward per image at 150 images/s: 3 * 0.1e9 * 150 / 1e9 = 45 GFLOP/s
    assert P.achieved_gflops(0.1e9, 150.0) == pytest.approx(45.0)
    assert P.achieved_gflops(1e9, 0.0) == 0.0


def test_chapter_configs_cover_the_books_architectures():
    sizes = {m: (P.chapter_config(m).input_size, P.chapter_config(m).in_chans) for m in P.MODELS}
    assert all(is_model(m) for m in P.MODELS)
    assert sizes["dcrnet"] == (64, 3) and sizes["dlfer_effnet_b3"] == (48, 3)
    for m in ("suwartono_attention_cnn", "suwartono_fastcnn_se", "suwartono_convformer",
              "resemotenet_paper", "amacnn"):
        assert sizes[m] == (48, 1), m
        assert P.naive_supported(P.chapter_config(m))
    assert not P.naive_supported(P.chapter_config("dcrnet"))
    for m in P.MODELS:
        c = P.chapter_config(m, seed=3)
        assert c.model == m and c.epochs == 1 and c.early_stop is None and c.seed == 3
    with pytest.raises(ValueError, match="no chapter configuration"):
        P.chapter_config("resemotenet_code")


def test_timed_measures_a_known_sleep():
    t = P.timed(["sleep", "0.5"])
    assert t["returncode"] == 0
    assert 0.45 <= t["seconds"] < 1.5
    bad = P.timed([sys.executable, "-c", "import sys; print('boom', file=sys.stderr); sys.exit(3)"])
    assert bad["returncode"] == 3 and "boom" in bad["tail"]
    late = P.timed(["sleep", "5"], timeout=0.3)
    assert late["returncode"] == -1 and late["seconds"] < 3


def test_machine_facts():
    m = P.machine()
    assert m["cpu_count"] >= 1 and 1 <= m["cpus_usable"] <= m["cpu_count"]
    assert m["torch_threads"] >= 1 and m["torch_version"]
    assert len(m["load_average_start"]) == 3
    assert m["cpu_model"] and isinstance(m["amx_bf16"], bool) and isinstance(m["avx512_bf16"], bool)


# --------------------------------------------------------------------------------------------
# the record and the page


def _glued_keys_in_markdown(nb) -> set[str]:
    return {k for c in nb.cells if c.cell_type == "markdown"
            for k in re.findall(r"\{glue(?::\w+)?\}`([^`]+)`", c.source)}


def _render(root: Path, monkeypatch) -> dict[str, str]:
    """Run the page's code cells in this process against run store `root`; the glued values."""
    import matplotlib

    matplotlib.use("Agg")
    import myst_nb

    glued: dict[str, object] = {}
    monkeypatch.setattr(myst_nb, "glue", lambda k, v, display=True: glued.__setitem__(k, v))
    monkeypatch.setattr(runs, "RESULTS_DIR", root)
    nb = nbformat.read(ROOT / "notebooks" / "performance.ipynb", 4)
    ns: dict[str, object] = {}
    for c in nb.cells:
        if c.cell_type == "code":
            # the page's own cells, as papermill would run them (but without a kernel: fast)
            exec(compile(c.source, "performance.ipynb", "exec"), ns)  # noqa: S102
    missing = _glued_keys_in_markdown(nb) - set(glued)
    assert not missing, f"markdown refers to keys the page never glues: {missing}"
    return {k: v if k.startswith("perf_fig") else str(v) for k, v in glued.items()}


@pytest.fixture(scope="module")
def tiny_record(tmp_path_factory, one_thread):
    """A record of the benchmark on synthetic images: one model with the naive loop, one without."""
    root = tmp_path_factory.mktemp("perf_store")
    cfg = _tiny_config(("suwartono_attention_cnn", "dcrnet"))
    data = _synthetic()
    rec = runs.fetch(P.NAME, cfg, lambda c, w: P.measure(c, data=data, log=lambda *a: None),
                     mode="auto", root=root)
    return root, rec


def test_record_holds_what_the_page_reads(tiny_record):
    root, rec = tiny_record
    again = runs.records(P.NAME, root=root)
    assert [r.key for r in again] == [rec.key]
    for k in ("matmul_peak_gflops_fp32", "matmul_peak_gflops_bf16", "book_build_s", "chapter_s",
              "min_speedup", "max_speedup"):
        assert k in rec.metrics
    for k in ("git_commit", "finished", "wall_time_s", "code_version", "environment"):
        assert k in rec.info
    assert rec.extra["target_speedup"] == P.TARGET_SPEEDUP
    assert rec.extra["book"] is None and rec.extra["chapter"] is None
    m = rec.extra["machine"]
    assert {"cpus_usable", "torch_threads", "torch_version", "cpu_capability",
            "load_average_start", "load_average_end"} <= set(m)
    cnn, dcr = rec.extra["models"]
    for row in (cnn, dcr):
        assert row["timed_images"] == 4  # one timed step of batch 4 after the warm-up steps
        assert row["images_per_s"] > 0 and 0 <= row["data_share"] < 1
        assert row["achieved_gflops"] == pytest.approx(
            3 * row["forward_gflops_per_image"] * row["images_per_s"])
        assert row["share_of_peak"] == pytest.approx(row["achieved_gflops"] / row["peak_gflops"])
        assert row["peak_gflops"] == rec.metrics["matmul_peak_gflops_fp32"]  # both train in fp32
    assert (dcr["input_size"], dcr["in_chans"]) == (64, 3) and dcr["speedup"] is None
    assert cnn["naive_images_per_s"] > 0
    assert cnn["speedup"] == pytest.approx(cnn["images_per_s"] / cnn["naive_images_per_s"])
    assert rec.metrics["min_speedup"] == rec.metrics["max_speedup"] == cnn["speedup"]
    # the forward FLOPs of the attention CNN at 48x48x1 (the Suwartono chapter's runs)
    assert cnn["forward_gflops_per_image"] == pytest.approx(0.101932544)


def test_page_renders_the_record(tiny_record, monkeypatch):
    root, rec = tiny_record
    glued = _render(root, monkeypatch)
    assert rec.key in glued["perf_status"]
    assert "not recorded" not in " ".join(v for k, v in glued.items() if isinstance(v, str))
    assert "for 1 timed step after" in glued["perf_steps"] and "quick check" in glued["perf_steps"]
    verdict = glued["perf_verdict"]
    met = rec.extra["models"][0]["speedup"] >= P.TARGET_SPEEDUP
    assert ("is met" in verdict) == met and ("is not met" in verdict) == (not met)
    assert "--skip-book" in glued["perf_book"]
    assert hasattr(glued["perf_fig_gflops"], "savefig")


def test_page_without_a_record_says_how_to_make_it(tmp_path, monkeypatch):
    glued = _render(tmp_path, monkeypatch)
    # glued text is plain text, not Markdown: a backtick would show as a backtick
    assert not [k for k, v in glued.items() if isinstance(v, str) and "`" in v]
    assert "not been recorded" in glued["perf_status"]
    assert "benchmarks/performance.py" in glued["perf_status"]
    assert "No recorded training run" in glued["perf_train"]


# --------------------------------------------------------------------------------------------
# on the real data


@pytest.mark.data
def test_cli_on_fer2013(tmp_path, monkeypatch, one_thread):
    if not available("fer2013.npz"):
        pytest.skip("fer2013.npz is not on the data search path (FER_REPRO_DATA, ./data, "
                    "../shared/data): the benchmark trains on FER2013 Training images")
    monkeypatch.setattr(runs, "RESULTS_DIR", tmp_path)
    rec = P.main(["--steps", "1", "--batch", "4", "--models", "suwartono_attention_cnn",
                  "--skip-book", "--no-naive"])
    assert rec.path.parent == tmp_path / P.NAME
    (row,) = rec.extra["models"]
    assert row["model"] == "suwartono_attention_cnn" and row["images_per_s"] > 0
    assert row["speedup"] is None
    assert P.main(["--steps", "1", "--batch", "4", "--models", "suwartono_attention_cnn",
                   "--skip-book", "--no-naive"]).info == rec.info  # recorded: not measured again
