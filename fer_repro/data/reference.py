"""Documented facts about the data sets: the reference counts that loaded data is verified against.

FER2013 counts are the official per-split, per-class counts (they match the Kaggle release and
`../shared/data/PROVENANCE.md`); CK+48 and KDEF-subset counts are those of the packaged files.
"""

from __future__ import annotations

FER2013_CLASSES: tuple[str, ...] = ("angry", "disgust", "fear", "happy", "sad", "surprise", "neutral")
FER2013_SPLITS: tuple[str, ...] = ("Training", "PublicTest", "PrivateTest")

#: per split, per class (in FER2013_CLASSES order)
FER2013_COUNTS: dict[str, tuple[int, ...]] = {
    "Training": (3995, 436, 4097, 7215, 4830, 3171, 4965),
    "PublicTest": (467, 56, 496, 895, 653, 415, 607),
    "PrivateTest": (491, 55, 528, 879, 594, 416, 626),
}
FER2013_TOTAL = 35887

CKPLUS48_CLASSES: tuple[str, ...] = (
    "anger", "contempt", "disgust", "fear", "happy", "sadness", "surprise",
)
CKPLUS48_COUNTS: tuple[int, ...] = (135, 54, 177, 75, 207, 84, 249)
CKPLUS48_SUBJECTS = 118
CKPLUS48_SEQUENCES = 327

KDEF_SUBSET_CLASSES: tuple[str, ...] = ("angry", "happy", "sad")
KDEF_SUBSET_COUNTS: tuple[int, ...] = (140, 140, 140)
KDEF_SUBSET_SUBJECTS = 70
#: the full KDEF: 70 subjects x 2 sessions x 7 expressions x 5 angles
KDEF_FULL_IMAGES = 4900

#: Human accuracy on FER2013 as estimated by the data set's authors (Goodfellow et al. 2013,
#: "Challenges in representation learning", Sec. 3.1): 65% +- 5%.
FER2013_HUMAN_ACCURACY: tuple[float, float] = (0.65, 0.05)

#: Best published single-model accuracy on FER2013's official test set (PrivateTest): the
#: literature the ledgers cite puts single models at about 73-76%; the upper end serves as the
#: bound in every "above what held-out images allow" check (ensembles reach slightly more).
FER2013_BEST_SINGLE_MODEL: float = 0.76

#: Share of the FER2013 rows aligned with a FER+ row (all three splits) whose FER+ majority
#: (the argmax of the 10 annotators' votes, `ferplus_majority(votes, "argmax")`) equals the
#: FER2013 label, to three decimals (PROVENANCE.md: "agrees with the FER2013 label on 62.6% of
#: aligned rows"; recomputed by the data audit as ``ferplus_agreement_argmax``). A measure of label
#: noise, not a bound on accuracy against FER2013 labels, which published models exceed.
FERPLUS_MAJORITY_AGREEMENT: float = 0.626
