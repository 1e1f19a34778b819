"""fer_repro.data: verification, import, bad inputs, splits, duplicates, augmentation."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
import torch
from conftest import need

from fer_repro.data import (
    Augment,
    DataError,
    cutmix,
    find_duplicates,
    grouped_kfold,
    import_fer2013,
    load_fer2013,
    mixup,
    official_fer2013,
    random_affine,
    random_hflip,
    stratified_kfold,
)
from fer_repro.data import reference as ref
from fer_repro.data.store import manifest_path

SMALL = {"Training": (3, 1, 2, 4, 2, 1, 3), "PublicTest": (1, 1, 1, 2, 1, 1, 1),
         "PrivateTest": (1, 1, 1, 2, 1, 1, 2)}


@pytest.fixture
def small_reference(monkeypatch):
    """Shrink the reference counts so synthetic files can be verified exactly like real ones."""
    monkeypatch.setattr(ref, "FER2013_COUNTS", SMALL)
    monkeypatch.setattr(ref, "FER2013_TOTAL", sum(map(sum, SMALL.values())))
    return SMALL


def synthetic_csv(path, counts=SMALL, seed=0):
    rng = np.random.default_rng(seed)
    rows = []
    for split, cs in counts.items():
        for label, n in enumerate(cs):
            for _ in range(n):
                px = " ".join(map(str, rng.integers(0, 256, 48 * 48)))
                rows.append({"emotion": label, "pixels": px, "Usage": split})
    order = rng.permutation(len(rows))
    pd.DataFrame([rows[i] for i in order]).to_csv(path, index=False)
    return path


def test_import_csv_roundtrip(tmp_path, small_reference):
    src = synthetic_csv(tmp_path / "fer2013.csv")
    out = import_fer2013(src, tmp_path / "data")
    ds = load_fer2013(out)
    for split, cs in SMALL.items():
        assert ds.counts(ds.split_mask(split)).tolist() == list(cs)
    # pixels survive exactly: compare with the CSV
    df = pd.read_csv(src)
    first_training = df[df.Usage == "Training"].iloc[0]
    want = np.array(first_training.pixels.split(), dtype=np.uint8).reshape(48, 48)
    assert (ds.images[0] == want).all() and ds.labels[0] == first_training.emotion
    assert json.loads(manifest_path(out).read_text())["content_sha256"] == ds.checksum


def test_import_folders(tmp_path, small_reference):
    from PIL import Image

    rng = np.random.default_rng(1)
    for split, cs in SMALL.items():
        part = "train" if split == "Training" else "test"
        for label, n in enumerate(cs):
            d = tmp_path / "kaggle" / part / ref.FER2013_CLASSES[label]
            d.mkdir(parents=True, exist_ok=True)
            for i in range(n):
                Image.fromarray(rng.integers(0, 256, (48, 48), dtype=np.uint8)).save(
                    d / f"{split}_{label}{i}.png")
    ds = load_fer2013(import_fer2013(tmp_path / "kaggle", tmp_path / "data"))
    assert ds.counts(ds.split_mask("PrivateTest")).tolist() == list(SMALL["PrivateTest"])


def test_truncated_csv_row_fails_and_writes_nothing(tmp_path, small_reference):
    src = synthetic_csv(tmp_path / "fer2013.csv")
    lines = src.read_text().splitlines()
    lines[5] = lines[5][: len(lines[5]) // 2]  # cut one row's pixels in half
    src.write_text("\n".join(lines) + "\n")
    with pytest.raises(DataError, match=r"pixel values, expected 2304.*To fix"):
        import_fer2013(src, tmp_path / "data")
    assert not (tmp_path / "data" / "fer2013.npz").exists()


def test_wrong_counts_fail_and_write_nothing(tmp_path, small_reference):
    counts = dict(SMALL, PrivateTest=(1, 1, 1, 1, 1, 1, 3))  # one happy image moved to neutral
    src = synthetic_csv(tmp_path / "fer2013.csv", counts)
    with pytest.raises(DataError, match=r"PrivateTest counts per class are \[1, 1, 1, 1, 1, 1, 3\]"):
        import_fer2013(src, tmp_path / "data")
    assert not (tmp_path / "data" / "fer2013.npz").exists()


def test_missing_file_names_file_and_fix(tmp_path, monkeypatch):
    monkeypatch.setenv("FER_REPRO_DATA", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("fer_repro.data.store.REPO_ROOT", tmp_path / "nowhere")
    with pytest.raises(DataError, match=r"fer2013\.npz not found.*python -m fer_repro data import"):
        load_fer2013()


def test_truncated_npz(tmp_path, small_reference):
    out = import_fer2013(synthetic_csv(tmp_path / "fer2013.csv"), tmp_path / "data")
    blob = out.read_bytes()
    out.write_bytes(blob[: len(blob) // 2])
    with pytest.raises(DataError, match="truncated or corrupt"):
        load_fer2013(out)


def test_modified_content_fails_checksum(tmp_path, small_reference):
    out = import_fer2013(synthetic_csv(tmp_path / "fer2013.csv"), tmp_path / "data")
    with np.load(out) as z:
        arrays = {k: z[k] for k in z.files}
    arrays["images"][0, 0, 0] ^= 1  # flip one bit of one pixel
    np.savez_compressed(out, **arrays)
    with pytest.raises(DataError, match="checksum"):
        load_fer2013(out)


def test_wrong_dtype(tmp_path, small_reference):
    out = import_fer2013(synthetic_csv(tmp_path / "fer2013.csv"), tmp_path / "data")
    with np.load(out) as z:
        arrays = {k: z[k] for k in z.files}
    arrays["images"] = arrays["images"].astype(np.float32)
    np.savez_compressed(out, **arrays)
    with pytest.raises(DataError, match="dtype float32, expected u1"):
        load_fer2013(out)


def test_cli_reports_missing_data(tmp_path, monkeypatch, capsys):
    from fer_repro.__main__ import main

    assert main(["data", "import", str(tmp_path / "nope.csv")]) == 2
    assert "no such file" in capsys.readouterr().err


# ---- splits --------------------------------------------------------------------------------------


def test_stratified_kfold_partitions_and_is_seeded():
    y = np.repeat(np.arange(7), [40, 5, 30, 60, 35, 25, 45])
    folds = stratified_kfold(y, 5, seed=3)
    vals = np.concatenate([f.val for f in folds])
    assert sorted(vals.tolist()) == list(range(len(y)))
    for f in folds:
        assert np.intersect1d(f.train, f.val).size == 0
        # class shares within one sample of the global share
        assert np.abs(np.bincount(y[f.val], minlength=7) - np.bincount(y, minlength=7) / 5).max() <= 1
    again = stratified_kfold(y, 5, seed=3)
    assert all((a.val == b.val).all() for a, b in zip(folds, again))
    assert any((a.val != b.val).any() for a, b in zip(folds, stratified_kfold(y, 5, seed=4)))


def test_grouped_kfold_keeps_subjects_apart():
    rng = np.random.default_rng(0)
    groups = np.repeat([f"S{i:03d}" for i in range(40)], 6)
    y = rng.integers(0, 3, len(groups))
    folds = grouped_kfold(y, groups, 5, seed=0)
    assert sorted(np.concatenate([f.test for f in folds]).tolist()) == list(range(len(y)))
    for f in folds:
        sets = [set(groups[f.train]), set(groups[f.val]), set(groups[f.test])]
        assert not (sets[0] & sets[1] or sets[0] & sets[2] or sets[1] & sets[2])


# ---- augmentation --------------------------------------------------------------------------------


def test_hflip_and_identity_affine():
    g = torch.Generator().manual_seed(0)
    x = torch.rand(16, 1, 48, 48)
    y = random_hflip(x, g, p=1.0)
    assert torch.equal(y, x.flip(-1))
    same = random_affine(x, g, degrees=0.0, scale=(1.0, 1.0), translate=0.0)
    assert torch.allclose(same, x, atol=1e-5)


def test_affine_zoom_enlarges_centred_block():
    g = torch.Generator().manual_seed(0)
    x = torch.zeros(1, 1, 16, 16)
    x[..., 6:10, 6:10] = 1.0  # a centred 4x4 block: area 16
    zoomed = random_affine(x, g, scale=(2.0, 2.0))  # zoom by 2: area x4
    assert 56 < float(zoomed.sum()) < 72
    assert float(zoomed[..., 8, 8]) == pytest.approx(1.0)
    shrunk = random_affine(x, g, scale=(0.5, 0.5))
    assert 2 < float(shrunk.sum()) < 6


def test_mixup_cutmix_targets_are_convex_and_seeded():
    x = torch.rand(8, 1, 48, 48)
    y = torch.eye(7)[torch.arange(8) % 7]
    for fn in (mixup, cutmix):
        a = fn(x, y, torch.Generator().manual_seed(5), 0.4)
        b = fn(x, y, torch.Generator().manual_seed(5), 0.4)
        assert torch.equal(a[0], b[0]) and torch.equal(a[1], b[1])
        assert torch.allclose(a[1].sum(1), torch.ones(8))
        assert (a[1] >= 0).all()
    # cutmix target weight equals the pasted area share
    xb = torch.ones(4, 1, 10, 10)
    xc, yc = cutmix(xb * torch.arange(4).view(4, 1, 1, 1), torch.eye(4), torch.Generator().manual_seed(2), 1.0)
    pasted = (xc != torch.arange(4).view(4, 1, 1, 1)).float().mean((1, 2, 3))
    own = yc[torch.arange(4), torch.arange(4)]
    assert torch.allclose(own, 1 - pasted, atol=1e-6) or (pasted == 0).all()


def test_augment_policy_is_deterministic():
    pol = Augment(hflip=0.5, degrees=10, scale=(0.9, 1.1), translate=0.1, mixup_alpha=0.2, mix_prob=0.5)
    x, y = torch.rand(32, 1, 48, 48), torch.eye(7)[torch.arange(32) % 7]
    a = pol(x, y, torch.Generator().manual_seed(0))
    b = pol(x, y, torch.Generator().manual_seed(0))
    assert torch.equal(a[0], b[0]) and a[0].shape == x.shape


# ---- real data -----------------------------------------------------------------------------------


@pytest.mark.data
def test_fer2013_reference_counts(fer2013):
    for split, cs in ref.FER2013_COUNTS.items():
        assert fer2013.counts(fer2013.split_mask(split)).tolist() == list(cs)
    sp = official_fer2013(fer2013)
    assert sp.sizes() == {"train": 28709, "val": 3589, "test": 3589}


@pytest.mark.data
def test_fer2013_duplicates_match_provenance(fer2013):
    r = find_duplicates(fer2013.images, fer2013.labels, fer2013.split, fer2013.split_names)
    assert (r.n_distinct, r.n_groups, r.n_in_groups, r.n_redundant) == (34034, 1516, 3369, 1853)
    pairs = r.pairs.set_index("pair")["pairs"]
    assert pairs["Training-PublicTest"] + pairs["Training-PrivateTest"] == 786


@pytest.mark.data
def test_ferplus_agreement_constant_matches_data():
    """The FER+ agreement the ledgers quote (one constant) is what the data audit computes."""
    need("fer2013.npz")
    need("ferplus_votes.csv")
    from fer_repro.data.audit import _fer2013_part

    fer, _ = _fer2013_part(n_samples=1, seed=0)
    argmax = fer["ferplus"]["argmax"]
    assert argmax["k"] / fer["ferplus"]["n_aligned"] == pytest.approx(argmax["overall"])
    assert round(argmax["overall"], 3) == ref.FERPLUS_MAJORITY_AGREEMENT


def test_ledgers_quote_the_one_ferplus_constant():
    """The four ledgers that cite the FER+ agreement take it from the reference constant (the
    figure is typed nowhere else, so the data test above covers every place it is printed)."""
    import inspect

    from fer_repro.claims import amacnn, dlfer, resemotenet, suwartono2025

    shown = f"{ref.FERPLUS_MAJORITY_AGREEMENT:.1%}"
    for mod in (amacnn, dlfer, resemotenet, suwartono2025):
        src = inspect.getsource(mod)
        typed = f"{ref.FERPLUS_MAJORITY_AGREEMENT:g}"
        assert typed not in src and shown.rstrip("%") not in src, mod.__name__
        assert "FERPLUS_MAJORITY_AGREEMENT" in src, mod.__name__
    assert amacnn.FERPLUS_AGREEMENT_PCT == pytest.approx(100 * ref.FERPLUS_MAJORITY_AGREEMENT)
    assert dlfer._FERPLUS_AGREEMENT == ref.FERPLUS_MAJORITY_AGREEMENT
    assert shown in suwartono2025.CHECKS["accuracy_plausibility"]().detail
    assert shown in resemotenet.CHECKS["fer2013_challenges_supported"]().detail


@pytest.mark.data
def test_ckplus_and_kdef_structure():
    need("ckplus48.npz")
    need("kdef_subset3.npz")
    from fer_repro.data import load_ckplus48, load_kdef_subset

    ck = load_ckplus48()
    assert len(ck) == 981 and len(np.unique(ck.groups)) == 118
    assert len(np.unique(ck.meta["sequence_ids"])) == 327
    folds = grouped_kfold(ck.labels, ck.groups, 10, seed=0)
    for f in folds:
        assert not set(ck.groups[f.test]) & set(ck.groups[f.train])
    kd = load_kdef_subset()
    assert kd.images.shape == (420, 240, 240) and len(np.unique(kd.groups)) == 70


def test_photometric_jitter_scales_contrast_about_the_mean_and_shifts_by_std():
    from fer_repro.data.augment import random_photometric

    x = torch.rand(64, 1, 12, 12)
    g = torch.Generator().manual_seed(0)
    y = random_photometric(x, g, brightness=0.0, contrast=0.3)
    m_x, m_y = x.mean(dim=(1, 2, 3)), y.mean(dim=(1, 2, 3))
    torch.testing.assert_close(m_y, m_x, atol=1e-5, rtol=0)  # contrast keeps the mean
    c = y.std(dim=(1, 2, 3)) / x.std(dim=(1, 2, 3))
    assert float(c.min()) >= 0.7 - 1e-4 and float(c.max()) <= 1.3 + 1e-4 and float(c.std()) > 0.05
    g = torch.Generator().manual_seed(0)
    z = random_photometric(x, g, brightness=0.5, contrast=0.0)
    shift = (z - x).mean(dim=(1, 2, 3)) / x.std(dim=(1, 2, 3))
    assert float(shift.abs().max()) <= 0.5 + 1e-4 and float(shift.std()) > 0.1
    torch.testing.assert_close(z - z.mean(dim=(1, 2, 3), keepdim=True),
                               x - x.mean(dim=(1, 2, 3), keepdim=True), atol=1e-5, rtol=0)


def test_occlusion_fills_one_rectangle_of_the_stated_area_with_the_mean():
    from fer_repro.data.augment import random_occlusion

    x = torch.rand(200, 1, 48, 48) + 1.0  # strictly positive, so a filled pixel is identifiable
    g = torch.Generator().manual_seed(1)
    y = random_occlusion(x, g, p=0.5, area=(0.05, 0.10))
    changed = (y != x).squeeze(1)
    hit = changed.flatten(1).any(1)
    assert 0.35 < float(hit.float().mean()) < 0.65  # about half the images
    for i in torch.nonzero(hit).flatten()[:20].tolist():
        rows, cols = torch.nonzero(changed[i], as_tuple=True)
        box = (rows.max() - rows.min() + 1) * (cols.max() - cols.min() + 1)
        assert int(box) == int(changed[i].sum())  # one solid rectangle
        assert 0.04 * 48 * 48 <= int(box) <= 0.11 * 48 * 48
        torch.testing.assert_close(y[i, 0][changed[i]], x[i].mean().expand(int(box)))
    assert torch.equal(random_occlusion(x, torch.Generator().manual_seed(1), p=0.0), x)


def test_augment_policy_applies_photometric_and_occlusion_only_when_asked():
    from fer_repro.data.augment import Augment

    x = torch.rand(8, 1, 16, 16)
    y = torch.eye(7)[torch.arange(8) % 7]
    same, _ = Augment()(x, y, torch.Generator().manual_seed(0))
    assert torch.equal(same, x)
    out, _ = Augment(brightness=0.2, contrast=0.2, occlusion=1.0)(x, y,
                                                                 torch.Generator().manual_seed(0))
    assert not torch.equal(out, x) and out.shape == x.shape
