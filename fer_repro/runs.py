"""The run store: every experiment recorded under ``results/`` keyed by a hash of its config.

A record holds the full config, metrics, test-set predictions and probabilities, per-epoch
history, library versions, git commit, seed, device and wall time. Asking for a recorded config
returns the record without recomputing; a different config or :data:`CODE_VERSION` is a different
key; ``force=True`` recomputes. The book renders from records only (``compute=False``).

``CODE_VERSION`` names the behaviour of the code that produces results (training engine, models,
losses, data pipeline). It is bumped by hand whenever a change would alter a recorded number, so
that the old records stop matching; the git commit that produced a record is stored beside it.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

CODE_VERSION = "1"
#: where records live; FER_REPRO_RESULTS overrides it (the tests use a scratch copy)
RESULTS_DIR = Path(os.environ.get("FER_REPRO_RESULTS", Path(__file__).resolve().parents[1] / "results"))
#: FER_REPRO_COMPUTE=never makes every chapter read records only (set by `make book`)
COMPUTE_OVERRIDE = os.environ.get("FER_REPRO_COMPUTE", "")


class RecordMissing(LookupError):
    """No record for this config, and computing was not allowed."""


def config_key(name: str, config: Mapping[str, Any]) -> str:
    blob = json.dumps({"name": name, "config": config, "code_version": CODE_VERSION},
                      sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


def _read_git_commit() -> str:
    root = Path(__file__).resolve().parents[1]
    try:
        out = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, check=False,
                             text=True, timeout=5)
        dirty = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "--", "fer_repro"],
                               capture_output=True, check=False, text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    commit = out.stdout.strip() or "unknown"
    return commit + ("+dirty" if dirty.stdout.strip() else "")


#: the commit of the code this process loaded (read once, at import: a long run must not report
#: a later HEAD of the working tree)
_COMMIT_AT_IMPORT = _read_git_commit()


def git_commit() -> str:
    """The commit (with ``+dirty`` for uncommitted changes under fer_repro/) of the loaded code."""
    return _COMMIT_AT_IMPORT


def environment() -> dict[str, str]:
    import importlib.metadata as md

    libs = {}
    for pkg in ("torch", "torchvision", "numpy", "scipy", "scikit-learn", "pandas", "statsmodels"):
        try:
            libs[pkg] = md.version(pkg)
        except md.PackageNotFoundError:
            libs[pkg] = "absent"
    dev = "cpu"
    flush = "unknown"
    try:
        import torch

        if torch.cuda.is_available():
            dev = f"cuda:{torch.cuda.get_device_name(0)}"
        else:
            n = torch.get_num_threads()
            dev = f"cpu ({n} thread{'s' * (n != 1)})"
        flush = "on" if flushes_denormals() else "off"
    except ImportError:
        pass
    from .train import cpu_features, cpu_model

    feats = cpu_features()
    return {"python": platform.python_version(), "platform": platform.platform(),
            "processor": platform.processor() or platform.machine(), "cpu_model": cpu_model(),
            "cpu_bf16": ", ".join(k for k, v in feats.items() if v) or "none",
            "device": dev, "flush_denormal": flush, **libs}


def flushes_denormals() -> bool:
    """Whether this thread's CPU arithmetic flushes denormal floats to zero (measured: a
    denormal times one). The engine turns it on (:func:`fer_repro.train.fit`); without it, CPU
    training slows several-fold once weights or optimizer moments underflow."""
    import torch

    return float((torch.tensor([1e-39], dtype=torch.float32) * 1.0).item()) == 0.0


@dataclass
class Outcome:
    """What an experiment function returns."""

    metrics: dict[str, float]
    y_true: np.ndarray | None = None
    y_pred: np.ndarray | None = None
    proba: np.ndarray | None = None
    history: list[dict[str, float]] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)  # JSON-serialisable
    arrays: dict[str, np.ndarray] = field(default_factory=dict)  # other small arrays to keep
    #: wall time over every process that worked on it (a resumed run); None: this call's time
    wall_s: float | None = None


@dataclass
class Record:
    name: str
    key: str
    path: Path
    config: dict[str, Any]
    metrics: dict[str, float]
    info: dict[str, Any]
    extra: dict[str, Any]

    @property
    def budget(self) -> str:
        return str(self.config.get("budget", "n/a"))

    @property
    def device(self) -> str:
        """Where it ran, e.g. ``cpu (2 threads)``; older records wrote ``cpu (1 threads)``."""
        return str(self.info.get("environment", {}).get("device", "unknown")).replace(
            "(1 threads)", "(1 thread)")

    def arrays(self) -> dict[str, np.ndarray]:
        p = self.path / "predictions.npz"
        if not p.exists():
            return {}
        with np.load(p, allow_pickle=False) as z:
            return {k: z[k] for k in z.files}

    def history(self) -> pd.DataFrame:
        p = self.path / "history.csv"
        return pd.read_csv(p) if p.exists() else pd.DataFrame()


_WORK_ROOT: ContextVar[Path | None] = ContextVar("fer_repro_work_root", default=None)


@contextmanager
def workdirs_under(root: Path) -> Iterator[Path]:
    """Inside this block, :func:`run` gives an experiment ``<root>/<name>/<key>`` as its working
    folder (checkpoints) instead of the record's folder: long runs keep their checkpoints
    outside the repository."""
    token = _WORK_ROOT.set(Path(root))
    try:
        yield Path(root)
    finally:
        _WORK_ROOT.reset(token)


def work_dir(record_dir: Path) -> Path:
    """The working folder (checkpoints, saved weights) that :func:`run` gives the experiment
    whose record folder is ``<root>/<name>/<key>``: the record's folder itself, or
    ``<work root>/<name>/<key>`` inside :func:`workdirs_under`."""
    d = Path(record_dir)
    root = _WORK_ROOT.get()
    return d if root is None else root / d.parent.name / d.name


def _write_atomic(path: Path, write: Callable[[Path], None]) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp" + path.suffix)
    os.close(fd)
    try:
        write(Path(tmp))
        Path(tmp).replace(path)
    finally:
        if Path(tmp).exists():
            Path(tmp).unlink()


def _read(d: Path) -> Record:
    """The record stored in folder ``<root>/<name>/<key>``."""
    rec = json.loads((d / "record.json").read_text())
    return Record(d.parent.name, d.name, d, rec["config"], rec["metrics"], rec["info"],
                  rec.get("extra", {}))


def load_key(name: str, key: str, root: Path | None = None) -> Record | None:
    """The record ``<name>/<key>``, or None."""
    d = (root or RESULTS_DIR) / name / key
    return _read(d) if (d / "record.json").exists() else None


_PLANNING: ContextVar[list[tuple[str, str]] | None] = ContextVar("fer_repro_planning",
                                                                  default=None)


@contextmanager
def planning() -> Iterator[list[tuple[str, str]]]:
    """Inside this block :func:`run` computes nothing: it appends ``(name, key)`` of every run
    asked for to the yielded list and returns the record when there is one, else None (how the
    campaign learns which records a chapter's experiment function would make)."""
    planned: list[tuple[str, str]] = []
    token = _PLANNING.set(planned)
    try:
        yield planned
    finally:
        _PLANNING.reset(token)


def load(name: str, config: Mapping[str, Any], root: Path | None = None) -> Record | None:
    d = (root or RESULTS_DIR) / name / config_key(name, config)
    return _read(d) if (d / "record.json").exists() else None


def records(name: str | None = None, root: Path | None = None) -> list[Record]:
    """Every record under `root` (optionally one experiment name), sorted by name and key."""
    base = root or RESULTS_DIR
    return [_read(f.parent) for f in sorted(base.glob(f"{name or '*'}/*/record.json"))]


def run(
    name: str,
    config: Mapping[str, Any],
    fn: Callable[[dict[str, Any], Path], Outcome],
    *,
    force: bool = False,
    compute: bool = True,
    root: Path | None = None,
) -> Record:
    """Return the record of `config`, computing it with ``fn(config, workdir)`` when needed.

    `workdir` is the record's folder (for checkpoints; ignored by git). With ``compute=False`` a
    missing record raises :class:`RecordMissing` instead of training (the book's render mode)."""
    cfg = json.loads(json.dumps(dict(config), default=str))
    plan = _PLANNING.get()
    if plan is not None:
        plan.append((name, config_key(name, cfg)))
        return load(name, cfg, root)  # type: ignore[return-value]
    if not force:
        rec = load(name, cfg, root)
        if rec is not None:
            return rec
    key = config_key(name, cfg)
    if not compute:
        raise RecordMissing(
            f"no recorded run {name}/{key} for this config; run the chapter with the same "
            f"parameters and compute enabled (see README) to create it"
        )
    d = (root or RESULTS_DIR) / name / key
    d.mkdir(parents=True, exist_ok=True)
    work = work_dir(d)
    work.mkdir(parents=True, exist_ok=True)
    own_code = _stamp_run_code(fn, work)
    commit = git_commit()
    t0 = time.time()
    out = fn(cfg, work)
    unstamp(work)  # where the run kept checkpoints, the stamp stays beside them
    wall = time.time() - t0 if out.wall_s is None else out.wall_s
    arrays = dict(out.arrays)
    if out.y_true is not None:
        arrays["y_true"] = np.asarray(out.y_true, dtype=np.int16)
    if out.y_pred is not None:
        arrays["y_pred"] = np.asarray(out.y_pred, dtype=np.int16)
    if out.proba is not None:
        arrays["proba"] = np.asarray(out.proba, dtype=np.float16)
    if arrays:
        _write_atomic(d / "predictions.npz", lambda p: np.savez_compressed(p, **arrays))
    if out.history:
        _write_atomic(d / "history.csv", lambda p: pd.DataFrame(out.history).to_csv(p, index=False))
    from .train import code_fingerprint

    model = cfg.get("train", {}).get("model") if isinstance(cfg.get("train"), dict) else None
    info = {
        "code_version": CODE_VERSION,
        "git_commit": commit,
        # the training code itself (fer_repro.train.TRAINING_CODE and the model's module): a
        # "+dirty" commit whose uncommitted changes lay elsewhere still names the code that trained
        "training_code": code_fingerprint(model),
        # the run's own function and the functions of its module that it calls (run_code)
        "run_code": own_code,
        "seed": cfg.get("seed"),
        "wall_time_s": round(wall, 3),
        "finished": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "environment": environment(),
    }
    rec = {"name": name, "key": key, "config": cfg, "metrics": out.metrics, "info": info,
           "extra": out.extra}
    _write_atomic(d / "record.json",
                  lambda p: p.write_text(json.dumps(rec, indent=1, sort_keys=True, default=float)))
    return Record(name, key, d, cfg, out.metrics, info, out.extra)


#: beside a run's checkpoints (``<workdir>/checkpoints/``, until the run is recorded): the
#: :func:`run_code` they were made with (JSON)
RUN_CODE_FILE = "run_code.json"


def run_code(fn: Callable[..., Any]) -> str:
    """SHA-256 (16 hex digits) over the code of a run's function `fn` and of every function of
    `fn`'s module that it calls (:func:`run_functions`), as this process loaded it.

    This is the code that decides what a run trains on (which images, which extra predictions),
    which the training-code fingerprint (:func:`fer_repro.train.code_fingerprint`: the engine,
    data pipeline and model) leaves out; the configuration is covered by the record's key. The
    compiled code is hashed, not the source file: a file edited after it was imported changes
    nothing that runs, so it changes nothing here either; nor do comments, line numbers or the
    functions' docstrings. The Python version is part of it (bytecode differs between
    versions)."""
    h = hashlib.sha256(f"python {_python()}".encode())
    for qualname, digest in sorted(run_functions(fn).items()):
        h.update(qualname.encode())
        h.update(digest.encode())
    return h.hexdigest()[:16]


def run_functions(fn: Callable[..., Any]) -> dict[str, str]:
    """{qualified name: digest of its code} of `fn` and of the functions of its module that it
    calls, directly or through one another: found by name in their code (nested functions
    included) and among the functions their closures hold. A ``functools.partial`` counts as
    its function and arguments, a callable object as its ``__call__``."""
    import functools
    import inspect
    import types

    def plain(f: Any) -> tuple[types.FunctionType | None, str]:
        extra = ""
        while True:
            f = inspect.unwrap(f)
            if isinstance(f, functools.partial):
                extra += repr((f.args, sorted(f.keywords.items())))
                f = f.func
                continue
            if isinstance(f, types.MethodType):
                f = f.__func__
                continue
            call = vars(type(f)).get("__call__")  # a class's own __call__, if it defines one
            if not isinstance(f, types.FunctionType | type) and isinstance(call, types.FunctionType):
                extra += type(f).__qualname__  # a callable object: its class's __call__
                f = call
                continue
            return (f if isinstance(f, types.FunctionType) else None), extra

    root, extra = plain(fn)
    if root is None:  # a builtin or other code without Python bytecode
        return {repr(fn): hashlib.sha256((repr(fn) + extra).encode()).hexdigest()}
    module = root.__module__
    seen: dict[types.CodeType, str] = {}
    out: dict[str, str] = {}
    todo: list[types.FunctionType] = [root]
    while todo:
        f = todo.pop()
        if f.__code__ in seen:
            continue
        h = hashlib.sha256(_code_bytes(f.__code__, f.__doc__))
        h.update(repr((f.__defaults__, sorted((f.__kwdefaults__ or {}).items()))).encode())
        if f is root:
            h.update(extra.encode())
        seen[f.__code__] = digest = h.hexdigest()
        name = f.__qualname__
        while name in out and out[name] != digest:  # two functions of one name
            name += "'"
        out[name] = digest
        codes, names = [f.__code__], set()
        while codes:  # the function's own code and the functions nested in it
            c = codes.pop()
            names.update(c.co_names)
            codes += [k for k in c.co_consts if isinstance(k, types.CodeType)]
        cells = [c.cell_contents for c in (f.__closure__ or ()) if _filled(c)]
        for g in [f.__globals__.get(n) for n in sorted(names)] + cells:
            g, _ = plain(g) if callable(g) else (None, "")
            if g is not None and g.__module__ == module:
                todo.append(g)
    return out


def _code_bytes(code: Any, doc: str | None = None) -> bytes:
    """A code object's instructions, names and constants (nested code included), without line
    numbers; `doc`, the function's docstring, is left out of its constants."""
    import types

    consts = list(code.co_consts)
    if doc is not None and consts and consts[0] == doc:
        consts[0] = None  # the docstring's slot, None in a function without one
    parts = [code.co_code, repr((code.co_names, code.co_varnames, code.co_freevars,
                                 code.co_cellvars, code.co_flags, code.co_argcount,
                                 code.co_kwonlyargcount)).encode()]
    for k in consts:
        if isinstance(k, types.CodeType):
            parts.append(_code_bytes(k))
        elif isinstance(k, frozenset):  # its repr's order varies with string hashing
            parts.append(repr(sorted(map(repr, k))).encode())
        else:
            parts.append(repr(k).encode())
    return b"\0".join(parts)


def _filled(cell: Any) -> bool:
    try:
        _ = cell.cell_contents
    except ValueError:  # an empty cell
        return False
    return True


def _checkpoint_dirs(work: Path) -> list[Path]:
    """The run folders under `work` (itself included) that hold a checkpoint."""
    return sorted({p.parent.parent for p in work.rglob("checkpoints/*.pt")
                   if p.name in ("last.pt", "prev.pt")})


def _stamp_run_code(fn: Callable[..., Any], work: Path) -> str:
    """Compare :func:`run_code` with the stamp beside the checkpoints in `work` and write it.

    Checkpoints made by another version of the run's own code are refused (raises
    :class:`fer_repro.train.CodeChanged`) or deleted so that training starts afresh, as
    :class:`fer_repro.train.RunControl` ``on_code_change`` says: a resumed run never mixes two
    versions of that code. Checkpoints without a stamp (made before runs were stamped) are taken
    as made by this code, and the stamp says so. The stamp stays as long as checkpoints do."""
    from .train import _CONTROL, CodeChanged, RunControl, remove_checkpoints

    code = run_code(fn)
    stamp = work / "checkpoints" / RUN_CODE_FILE
    ckpts = _checkpoint_dirs(work)
    old = json.loads(stamp.read_text()) if stamp.exists() else None
    adopted = bool(ckpts) and old is None
    if ckpts and old is not None and old["code"] != code:
        if (_CONTROL.get() or RunControl()).on_code_change == "refuse":
            raise CodeChanged(
                f"the checkpoints in {work} were made by another version of the run's own code "
                f"({fn_name(fn)}: {old['code']} under {old.get('python', 'unknown')}, now "
                f"{code} under {_python()}, commit {old.get('commit', 'unknown')}): check out "
                "that code to resume, or restart the run (campaign: --on-code-change restart)")
        for d in ckpts:
            remove_checkpoints(d)
    if old is None or old["code"] != code:
        stamp.parent.mkdir(parents=True, exist_ok=True)
        _write_atomic(stamp, lambda p: p.write_text(json.dumps(
            {"code": code, "function": fn_name(fn), "python": _python(),
             "commit": git_commit(), "written": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
             **({"note": "stamped at a resume: the checkpoints predate stamps"}
                if adopted else {})}, indent=1)))
    return code


def unstamp(work: Path) -> None:
    """Remove the run-code stamp in `work` once no checkpoint is left beside it."""
    if not _checkpoint_dirs(work):
        (work / "checkpoints" / RUN_CODE_FILE).unlink(missing_ok=True)


def fn_name(fn: Any) -> str:
    return f"{getattr(fn, '__module__', '?')}.{getattr(fn, '__qualname__', repr(fn))}"


def _python() -> str:
    import sys

    return f"{sys.version_info[0]}.{sys.version_info[1]}"


def fetch(
    name: str,
    config: Mapping[str, Any],
    fn: Callable[[dict[str, Any], Path], Outcome],
    mode: str = "auto",
    root: Path | None = None,
) -> Record:
    """Chapter entry point. `mode`: ``auto`` returns the record, computing it only when missing;
    ``never`` only reads records (the book's build); ``force`` recomputes."""
    if mode not in ("auto", "never", "force"):
        raise ValueError(f"mode must be auto, never or force, not {mode!r}")
    if COMPUTE_OVERRIDE == "never":
        mode = "never"
    return run(name, config, fn, force=mode == "force", compute=mode != "never", root=root)
