"""fer_repro.data.crossmatch: near-copies across data sets, robust to mirror, scale and crop."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import need
from scipy import ndimage

from fer_repro.data import crossmatch as X


def smooth_images(n: int, seed: int, size: int = 48) -> np.ndarray:
    """Unrelated images with face-like spatial statistics: low-pass noise, stretched to 0..255."""
    rng = np.random.default_rng(seed)
    x = ndimage.gaussian_filter(rng.normal(size=(n, size, size)), (0, 2.5, 2.5))
    x += 0.3 * ndimage.gaussian_filter(rng.normal(size=(n, size, size)), (0, 0.8, 0.8))
    lo, hi = x.min(axis=(1, 2), keepdims=True), x.max(axis=(1, 2), keepdims=True)
    return np.rint(255 * (x - lo) / (hi - lo)).astype(np.uint8)


def transformed_copy(canvas: np.ndarray, scale: float, dx: int, mirror: bool) -> np.ndarray:
    """The FER2013 pipeline applied to a web copy of ``query(canvas)``: mirror, crop a window of
    side 48/scale centred dx pixels off the centre of the 64x64 canvas, resample it to 48x48
    (scale < 1: the copy is the wider crop)."""
    from PIL import Image

    x = canvas[:, ::-1] if mirror else canvas
    side = 48 / scale
    c = 32 + dx
    box = (c - side / 2, 32 - side / 2, c + side / 2, 32 + side / 2)
    return np.asarray(Image.fromarray(np.ascontiguousarray(x)).resize((48, 48), Image.BILINEAR,
                                                                      box=box))


def query(canvas: np.ndarray) -> np.ndarray:
    """The query image: the central 48x48 of a 64x64 canvas."""
    return canvas[..., 8:56, 8:56]


@pytest.fixture(scope="module")
def bank():
    return smooth_images(120, seed=1)


@pytest.fixture(scope="module")
def canvases():
    return smooth_images(6, seed=3, size=64)


@pytest.mark.parametrize("scale,dx,mirror", [(1.0, 0, True), (1.25, 2, False), (1.2, -3, True),
                                             (0.85, 1, True)])
def test_a_mirrored_rescaled_cropped_copy_is_found(canvases, one_thread, scale, dx, mirror):
    copy = np.stack([transformed_copy(c, scale, dx, mirror) for c in canvases[:3]])
    ref = np.concatenate([smooth_images(60, seed=2), copy])
    res = X.near_copies(query(canvases[:3]), ref, X.MatchConfig(candidates=3))
    assert (res.candidates[:, 0] == 60 + np.arange(3)).all()  # the copy is the nearest
    assert (res.distance[:, 0] < 0.02).all()
    # the mirror found by the alignment is the one applied
    assert ((res.params[:, 0, 4] < 0) == mirror).all()
    # the fitted scale: the query window covers 1/scale of the reference's central window
    rel = res.params[:, 0, 0] / res.reference_window[:, 0]
    np.testing.assert_allclose(rel, 1 / scale, rtol=0.05)


def test_unrelated_images_are_far(bank, one_thread):
    res = X.near_copies(bank[:10], bank[10:], X.MatchConfig(candidates=2))
    assert (res.distance > 0.2).all()
    assert res.matches(0.02) == []


def test_pair_distances_agree_with_the_search(bank, canvases, one_thread):
    copy = np.stack([transformed_copy(c, 1.1, 1, True) for c in canvases[:4]])
    d = X.pair_distances(query(canvases[:4]), copy)
    assert (d < 0.02).all()
    assert (X.pair_distances(query(canvases[:4]), bank[4:8]) > 0.2).all()


def test_calibration_copies_are_copies(bank, one_thread):
    cp, prm = X.calibration_copies(bank[:6], seed=0)
    assert cp.shape == (6, 48, 48) and cp.dtype == np.uint8
    assert set(prm) >= {"scale", "mirror", "quality"}
    assert not (cp == bank[:6]).all(axis=(1, 2)).any()
    assert (X.pair_distances(bank[:6], cp) < 0.03).all()


def test_calibrated_threshold_separates_or_minimises_errors():
    copies = np.linspace(0.001, 0.004, 100)
    c = X.calibrated_threshold(copies, [0.05, 0.09])
    assert c["threshold"] == pytest.approx(np.sqrt(np.quantile(copies, 0.99) * 0.05))
    assert c["copies_missed"] == 0 and c["different_flagged"] == 0
    # one failed copy above the negatives does not move the threshold; it counts as missed
    c = X.calibrated_threshold(np.append(copies, 0.2), [0.05, 0.09])
    assert c["copies_missed"] == pytest.approx(1 / 101) and c["different_flagged"] == 0
    c = X.calibrated_threshold([0.001, 0.06], [0.05, 0.09], copy_quantile=1.0)  # overlapping
    assert c["copies_missed"] + c["different_flagged"] == pytest.approx(0.5)


def test_twin_pairs_same_subject_and_label_other_unit():
    subj = np.array(["a", "a", "a", "a", "b"])
    lab = np.array([0, 0, 1, 0, 0])
    unit = np.array(["A", "B", "B", "A", "A"])
    assert X.twin_pairs(subj, lab, unit).tolist() == [[0, 1], [1, 3]]


def test_same_person_pairs_pair_different_units_of_one_subject(bank):
    subj = np.array(["a", "a", "a", "b", "b", "c"])
    unit = np.array([0, 0, 1, 3, 4, 0])  # expressions
    p = X.same_person_pairs(subj, unit, bank[:6], per_image=1)
    assert all(subj[i] == subj[j] and unit[i] != unit[j] for i, j in p)
    assert len(p) == 5  # every image but the one of subject c


def test_a_fer2013_training_image_is_a_ckplus_frame(one_thread):
    need("fer2013.npz")
    need("ckplus48.npz")
    from fer_repro.data import load_ckplus48, load_fer2013

    fer, ck = load_fer2013(), load_ckplus48()
    seq = np.flatnonzero(ck.meta["sequence_ids"] == "S055_003")
    other = np.flatnonzero(ck.meta["sequence_ids"] == "S055_004")
    i = 19496  # found by the search in crossmatch_outcome
    assert fer.split_names[fer.split[i]] == "Training"
    d = X.pair_distances(ck.images[seq], np.repeat(fer.images[i:i + 1], len(seq), 0))
    assert (d < 0.01).all()
    # the same person in another sequence is a different photograph, well above
    d_other = X.pair_distances(ck.images[other], np.repeat(fer.images[i:i + 1], len(other), 0))
    assert (d_other > 0.04).all()
