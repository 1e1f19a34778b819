"""ResEmoteNet (Roy, Kathania, Sharma, Dey & Ansari, IEEE Signal Processing Letters 2024).

Two registered configurations, both mapping ``(N, in_chans, H, W)`` to ``(N, num_classes)`` logits:

* ``resemotenet_code`` -- the architecture the authors released (GitHub
  ArnabKumarRoy02/ResEmoteNet, ``approach/ResEmoteNet.py``, the 7-class version), rebuilt from a
  reading of that file (nothing copied): expects 3x64x64 inputs (grayscale replicated to 3
  channels, ImageNet normalisation); 80,238,599 parameters at ``in_chans=3, num_classes=7``.
* ``resemotenet_paper`` -- what the paper's text specifies, the released code where the paper is
  silent: 1x48x48 input, residual widths 256/512/1024 (Table IV, config C1), a single linear
  classifier after adaptive average pooling (Sec. II-D, Eq. 9), no dropout, Hu et al.'s SE
  (project :class:`~fer_repro.models.blocks.SEBlock`, r=16). 19,931,287 parameters at
  ``in_chans=1, num_classes=7``.

Common trunk (both configurations)
----------------------------------
Three ``conv3x3 (with bias) -> BN -> ReLU -> maxpool 2x2`` stages (64, 128, 256 channels), an SE
block on the 256-channel map, three He et al. basic residual blocks (conv3x3-BN-ReLU-conv3x3-BN,
plus a 1x1 conv + BN projection shortcut when stride or width changes, ReLU after the sum),
global average pooling, then the head. Every conv keeps its bias although a BN follows it.

SE block: the released SE has NO biases in its two fully connected layers (hidden width
``C // 16`` = 16 at 256 channels: 2 x 256 x 16 = 8,192 weights). The project's ``SEBlock`` (its
rendering of Hu et al. 2018, with biased FC layers) has 272 more parameters, so the code
configuration uses the local :class:`BiasFreeSE`. The paper cites Hu et al. [18]; its Eqs. 3-4,
like Hu et al.'s, write no bias and it gives no reduction ratio, so the paper configuration reuses
``SEBlock(256, reduction=16)``. Observed at initialisation: about half of the bias-free SE's 16
hidden units are inactive on a batch (its inputs are non-negative channel means, much the same
for every image), and an inactive unit gets no gradient from that batch.

Paper versus released code
--------------------------
Repository paths are in ArnabKumarRoy02/ResEmoteNet (index copy of the default branch; lines are
approximate regions). "train script" = ``train_files/ResEmoteNet_train.py``, the script the README
tells users to run.

==================  =======================  ==============================  =======================
item                paper                    released code                   where (repository path)
==================  =======================  ==============================  =======================
input size/chans    Table I: FER2013 is 1    every image resized to 64x64,   train script L18-27;
                    channel, 48x48; no       grayscale copied to 3           test.py L18-27;
                    resize or channel        channels, ImageNet mean/std     eval_image.py L20-25
                    change is mentioned      normalisation

first conv          not given                3 input channels                approach/ResEmoteNet.py
                                                                             L50

dropout             none mentioned           0.2 after pools 1 and 2 (not    approach/ResEmoteNet.py
                                             3); 0.5 after fc1, fc2 and fc3  L67-68, L74, L77,
                                                                             L89-93

SE block            Eqs. 2-6 after Hu et     r = 16; both FC layers without  approach/ResEmoteNet.py
                    al.; reduction not       bias                            L6-21, L57
                    given

residual widths     Table IV C1: "RB 256,    blocks 256->512, 512->1024,     approach/ResEmoteNet.py
                    512, 1024"; "Residual    1024->2048, each stride 2 (the  L24-44, L59-61
                    Block 1 (with 256        table lists the blocks' INPUT
                    channels)"               widths)

head                Sec. II-D, Eq. 9:        pooling, then fc                approach/ResEmoteNet.py
                    adaptive average         2048-1024-512-256 (ReLU,        L63-69, L86-94;
                    pooling, then "the       dropout 0.5 each), fc4 256->7;  approach/fourforall.py
                    Linear layer"            an older version of the file
                                             and FourforAll end in 256->6

train transform     Random Horizontal Flip   Resize 64, Grayscale(3),        train script L18-27
                                             RandomHorizontalFlip,
                                             ToTensor, Normalize (ImageNet)

val/test transform  not given                the SAME transform, random      train script L30-44;
                                             flip included, for validation   test.py L21;
                                             and test (test.py too): test    eval_image.py L20-25
                                             accuracy is random; only the
                                             demo scripts drop the flip

loss                cross-entropy (cited as  plain CrossEntropyLoss(), no    train script L63
                    [25], the                class weights
                    generalized-CE paper),
                    class-weighted for
                    imbalance

optimizer, lr       SGD, 1e-3                SGD, 0.001                      train script L64

momentum, wd        not given                momentum 0.9, weight decay      train script L64
                                             1e-4

scheduler           lr x0.1 when             none (constant lr)              train script (none
                    performance plateaus                                     anywhere)

epochs              80 (40-80 swept)         80                              train script L71

batch size          16 (16, 32, 64, 128      16 for train, validation and    train script L32, L38,
                    swept)                   test loaders                    L44

early stopping      not mentioned            patience 15 on validation       train script L66,
                                             accuracy (stops after 16        L147-157
                                             epochs without a new best)

model selection     no validation split      best VALIDATION accuracy ->     train script L106-123
                    described; Table II is   best_model.pth; the TEST split  (test), L125-142 (val),
                    train/test only;         is evaluated and logged every   L147-150
                    accuracies are 'test'    epoch but not used to select

checkpoint format   --                       the script saves a bare         train script L150;
                                             state_dict; test.py,            test.py L41-42;
                                             eval_image.py (and issue #13    eval_image.py L16-17
                                             with the released weights)
                                             load the 'model_state_dict'
                                             entry of a dict: the released
                                             weights come from another,
                                             unreleased script

hardware            MacBook M2 Pro; Kaggle   device is MPS or CPU (no CUDA   train script L14
                    Tesla P100               branch)

validation data     --                       RAF-DB, AffectNet: 20 % of the  issues #22, #36 (no
                                             AUGMENTED training set          split script in the
                                             (author, #36); FER2013: not     repository)
                                             stated

pre-split augment   random horizontal flip   oversamples every class of ONE  data_preprocessing/
                    only                     folder to >= 1,000 images       data_augmentation.py
                                             (rotation +-30 deg, mirror,     L6-7, L9-17, L28-38
                                             border crop), copies written
                                             beside the originals, no
                                             notion of splits; validation
                                             was cut after augmenting
                                             (#36); users report augmented
                                             near-duplicates across splits
                                             (#12, #44, #47)

label order         lists Angry, Disgust,    happy 0, surprise 1, sad 2,     data_preprocessing/
                    Fear, Happy, Neutral,    anger 3, disgust 4, fear 5,     data_csv.py L6-14;
                    Sad, Surprise            neutral 6                       eval_image.py L13
                    (FER2013's own: angry 0
                    ... neutral 6)

label parsing       --                       label = file-name part after    data_csv.py L19-24;
                                             the last '_'; names not in the  data_augmentation.py
                                             mapping are dropped silently    L21-23;
                                             (the README's own angry/        data_preprocessing/
                                             folder maps to nothing: only    README.md
                                             'anger' is known); the
                                             augmentation script reads the
                                             2nd '_' field instead (the
                                             index, on rename.py's names)

CSV header          --                       CSVs written without a header,  data_csv.py L30;
                                             read with pandas' default       get_dataset.py L10
                                             header row: the first image of
                                             every split is lost

confusion matrix    Fig. 3                   draw_cm.py expects columns      draw_cm.py L8-9;
                                             named anger ... happy, sad      cross_db_test.py main()
                                             ...; cross_db_test.py writes
                                             happiness, sadness: the names
                                             disagree

weights in repo     --                       only best_four4all.pth (Git     best_four4all.pth;
                                             LFS, 321,074,082 bytes): the    cross_db_test.py L19-20
                                             6-class FourforAll, which
                                             cross_db_test.py loads into
                                             the 7-class ResEmoteNet (fc4
                                             mismatch); ResEmoteNet weights
                                             are on Google Drive (README),
                                             not reachable here
==================  =======================  ==============================  =======================

Which weights can receive a gradient
------------------------------------
* Spatial sizes of ``resemotenet_code`` at its 64x64 input: 64 -> 32 -> 16 -> 8 (SE) -> 4 -> 2 ->
  **1x1** after the third residual block, so the adaptive average pooling is an identity. At
  48x48 (the FER2013 size): 48 -> 24 -> 12 -> 6 -> 3 -> 2 -> 1, the same collapse. Any input below
  72x72 leaves the last block with a 2x2 (or smaller) input.
* With a 2x2 input, the stride-2 3x3 first conv of the last block (released ``res_block3.conv1``,
  ``blocks.2.conv_a`` here) produces one output pixel whose window's first row and first column
  lie in the zero padding: 5 of its 9 taps (1024 x 2048 x 5 = 10,485,760 weights) never see
  data. Its second conv (``conv2`` / ``conv_b``) runs on a 1x1 map, so only
  the centre tap is used: 8 of 9 taps (2048 x 2048 x 8 = 33,554,432 weights) never see data. These
  44,040,192 weights (55 % of the 80.2 M) have no effect on the output and get an exactly zero
  gradient at 64x64 (and 48x48); weight decay only shrinks them. All other conv taps are used.
* Every conv bias sits directly before a BatchNorm in training mode, which subtracts the batch mean
  per channel: their gradient is zero up to rounding (12 bias vectors, 11,200 parameters in the
  code configuration). In eval mode they act as a constant absorbed by the BN shift.
* BN layers of the last block normalise over N values per channel (1x1 maps); training needs
  batches of at least 2 (a final batch of 1 raises an error).
* ``resemotenet_paper`` at 1x48x48: 48 -> 24 -> 12 -> 6, residual blocks 6 (stride 1, width
  unchanged) -> 3 -> 2, pooled from 2x2: every conv tap receives a gradient; only the conv biases
  before BN are gradient-free (11 vectors, 5,568 parameters).

Choices for ``resemotenet_paper`` where the paper is silent: conv biases, ReLU placement, the
basic-block design and its projection shortcuts follow the code; stride 2 exactly where the width
doubles (He et al.'s rule, which is also what the code does, since every released block doubles
its width), so the first block (256 -> 256) keeps stride 1.

Released weights: :func:`convert_released_state_dict` renames a state dict of the released
``ResEmoteNet`` class (bare, or wrapped as ``{'model_state_dict': ...}``) to this module's names, so
``resemotenet_code`` (``in_chans=3``) can load it with ``strict=True``.

:data:`CODE_ISSUES` lists what users report on the repository's public issue tracker: THIRD-PARTY
reports, unverified here (stored copies of the threads, some cut off; figures are theirs).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import torch
from torch import nn

from . import register
from .blocks import SEBlock

__all__ = [
    "CODE_ISSUES",
    "BiasFreeSE",
    "ConvPoolStage",
    "ResEmoteNet",
    "ResidualBlock",
    "convert_released_state_dict",
    "resemotenet_code",
    "resemotenet_paper",
]

_REPO = "https://github.com/ArnabKumarRoy02/ResEmoteNet/issues/"

#: Third-party reports from the public issue tracker of ArnabKumarRoy02/ResEmoteNet (read from a
#: stored copy; threads may have continued). "reported" summarises the reporter's own words and
#: figures; nothing here was re-run. "Author" is the repository owner.
CODE_ISSUES: list[dict] = [
    {"number": 7, "title": "Reproduce problem",
     "reported": "Retraining on RAF-DB (opener) and from scratch (a second user) gives low "
                 "accuracy (figures only in screenshots); a third user finds FER2013 from Kaggle "
                 "'disappointing'. Author: balance the classes by augmenting the rarer ones. "
                 "Two commenters suspect the paper reports training accuracy (speculation).",
     "url": _REPO + "7"},
    {"number": 9, "title": "where is the data？",
     "reported": "The repository's 'data' submodule link returns 404; the author has 'chosen not "
                 "to make that specific dataset publicly available' (copies by e-mail).",
     "url": _REPO + "9"},
    {"number": 11, "title": "Clarification on Expression Columns in Your Code",
     "reported": "A user asks which data set the class-label order belongs to; the author says the "
                 "labels were wrong, have been updated, and are the same for FER2013, RAF-DB and "
                 "AffectNet-7.",
     "url": _REPO + "11"},
    {"number": 12, "title": "Reproduce problem",
     "reported": "Oversampling FER2013 did not help a user. The author shares 'the FER2013 dataset "
                 "that was used in this project' (Google Drive). A user finds that its training "
                 "set seems to contain the test and validation images and that some images look "
                 "generated; the author answers that the set was augmented (random rotations, "
                 "contrast change, jitter) and denies overlap (reply cut off in the stored copy).",
     "url": _REPO + "12"},
    {"number": 13,
     "title": "Unable to reproduce promised accuracy for FER2013 dataset even in the best case "
              "scenario",
     "reported": "Released FER2013 weights (README Google Drive link) on the author's FER2013 test "
                 "set from #12: 71.57 % test accuracy versus the paper's 79.79 %. The user's "
                 "evaluation keeps RandomHorizontalFlip in the test transform, as the "
                 "repository's test.py does, and loads checkpoint['model_state_dict'].",
     "url": _REPO + "13"},
    {"number": 16, "title": "Train model issue",
     "reported": "Retraining on FER2013: about 60 % accuracy; with the released checkpoint "
                 "'almost' the paper's accuracy (no figure). Author points to the data copy of "
                 "#12.",
     "url": _REPO + "16"},
    {"number": 22, "title": "RAF-DB dataset",
     "reported": "RAF-DB has no validation split; the author says the validation set was created "
                 "'using augmentation from the training set' and shares the processed copy.",
     "url": _REPO + "22"},
    {"number": 23, "title": "Significant Accuracy Discrepancy and Request for Clarification",
     "reported": "Following the README instructions: about 60 % versus the 79 % claimed (the "
                 "FER2013 figure).",
     "url": _REPO + "23"},
    {"number": 25, "title": "Experiments cannot produce the same effect",
     "reported": "Retraining on RAF-DB: 'over 80' % versus the paper's 94.76 %. Author: use the "
                 "data copy of #22.",
     "url": _REPO + "25"},
    {"number": 30, "title": "Xiaobai's questions about model reproduction",
     "reported": "Training 'according to the method in the paper' with a self-downloaded data set "
                 "and a rewritten loader: about 78 %. The author says one data set 'was part of a "
                 "different project which can't be shared'.",
     "url": _REPO + "30"},
    {"number": 32,
     "title": "Questions Regarding Dataset Inconsistencies and Accuracy Discrepancies in "
              "\"ResEmoteNet\" FER Dataset",
     "reported": "In the author's FER2013 copy the training 'fear' folder holds 5,567 images "
                 "(paper: 4,097) while its CSV lists 349; the test 'fear' set has 528 labelled "
                 "images (paper: 626 -- 528 is the paper's Neutral figure, and also the official "
                 "PrivateTest fear count). Training on that copy (only the seed changed) gives "
                 "about 92 %, far above the paper.",
     "url": _REPO + "32"},
    {"number": 34, "title": "Dude, you have a problem with accuracy. I can't run with accuracy "
                            "like that",
     "reported": "FER2013 with ResNets: about 58 %. Author: 'Have you tried data augmentation?'",
     "url": _REPO + "34"},
    {"number": 36, "title": "CSV files and validation sets",
     "reported": "Author: for data sets without a validation split (RAF-DB, AffectNet) 20 % of the "
                 "AUGMENTED training set was taken as validation, those files being removed from "
                 "training. (Augmented siblings of a validation image can stay in training.)",
     "url": _REPO + "36"},
    {"number": 39, "title": "the accuracy of FER2013 dataset remains around 60%?",
     "reported": "FER2013 retraining stays around 60 % with both VGG and ResEmoteNet.",
     "url": _REPO + "39"},
    {"number": 40, "title": "Experiment Results in FER2013",
     "reported": "With the author's FER2013 copy, both the released weights and training from "
                 "scratch score 'much higher' than the paper (opener asks whether it is FERPlus). "
                 "Other users: 60 % (no changes), 66 %, and 90 % (after running the repository's "
                 "data_augmentation step).",
     "url": _REPO + "40"},
    {"number": 42, "title": "Data leakage",
     "reported": "Asks whether the compared methods' accuracies (e.g. EmoNeXt 76.12 %) were "
                 "re-run on the same augmented data or copied from their papers.",
     "url": _REPO + "42"},
    {"number": 44, "title": "RAF-DB datraset duplicate image",
     "reported": "The author's RAF-DB copy has many augmented training images that look like "
                 "images of the 'val' folder and seem to be derived from 'test' images.",
     "url": _REPO + "44"},
    {"number": 46, "title": "The checkpoint only reach 65.9% on FER2013",
     "reported": "Released checkpoint: 65.9 % on FER2013 (split not stated). Another user: 62 % "
                 "retraining at 48x48 with heavy augmentation.",
     "url": _REPO + "46"},
    {"number": 47, "title": "The Issue",
     "reported": "Points out (citing the author's comment in #36) that augmentation was applied "
                 "to the whole data set before splitting into train/validation/test, so "
                 "augmented copies of one image can sit in several splits (leakage).",
     "url": _REPO + "47"},
    {"number": 48, "title": "Dataset processing issues",
     "reported": "The author's RAF-DB copy has about 3,000 more training images and about 6,000 "
                 "validation images than the original; data_augmentation.py (target 1,000 per "
                 "class) cannot produce that many.",
     "url": _REPO + "48"},
    {"number": 49, "title": "FER2013",
     "reported": "Training on the FER2013 copy from #12: over 90 % accuracy, far above 79.79 %.",
     "url": _REPO + "49"},
    {"number": 50, "title": "Low accuracy on RAF-DB using provided checkpoint",
     "reported": "Released RAF-DB checkpoint on the RAF-DB test set: about 36 % (both with the "
                 "user's RAF-DB and with the author's copy from #22) versus 94.76 %.",
     "url": _REPO + "50"},
]


# --------------------------------------------------------------------------------------------
# building blocks
# --------------------------------------------------------------------------------------------


class BiasFreeSE(nn.Module):
    """Squeeze-and-excitation without biases: ``x * sigmoid(W2 relu(W1 GAP(x)))``.

    The released code's variant (hidden width ``channels // reduction``, both layers bias-free):
    ``2 * channels * hidden`` parameters, versus ``+ hidden + channels`` for the project's
    :class:`~fer_repro.models.blocks.SEBlock`.
    """

    def __init__(self, channels: int, reduction: int = 16) -> None:
        super().__init__()
        hidden = channels // reduction
        if hidden < 1:
            raise ValueError(f"channels={channels} // reduction={reduction} leaves no hidden unit")
        self.squeeze = nn.Linear(channels, hidden, bias=False)
        self.act = nn.ReLU()
        self.excite = nn.Linear(hidden, channels, bias=False)

    def gate(self, x: torch.Tensor) -> torch.Tensor:
        s = self.excite(self.act(self.squeeze(x.mean(dim=(2, 3)))))
        return torch.sigmoid(s)[:, :, None, None]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * self.gate(x).to(x.dtype)


class ConvPoolStage(nn.Module):
    """``conv3x3 (bias) -> BN -> ReLU -> maxpool 2x2 -> dropout(drop)``."""

    def __init__(self, in_chans: int, out_chans: int, drop: float = 0.0,
                 conv_bias: bool = True) -> None:
        super().__init__()
        self.conv = nn.Conv2d(in_chans, out_chans, 3, padding=1, bias=conv_bias)
        self.bn = nn.BatchNorm2d(out_chans)
        self.act = nn.ReLU()
        self.pool = nn.MaxPool2d(2)
        self.drop = nn.Dropout(drop) if drop > 0 else nn.Identity()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.drop(self.pool(self.act(self.bn(self.conv(x)))))


class ResidualBlock(nn.Module):
    """He et al.'s basic block: ``relu(BN(conv(relu(BN(conv_s(x))))) + shortcut(x))``.

    Both 3x3 convs keep their biases (as released); the first has stride ``stride``. The
    shortcut is the identity when shape is kept, else a biased 1x1 conv (stride ``stride``) + BN.
    """

    def __init__(self, in_chans: int, out_chans: int, stride: int = 1,
                 conv_bias: bool = True) -> None:
        super().__init__()
        self.conv_a = nn.Conv2d(in_chans, out_chans, 3, stride=stride, padding=1, bias=conv_bias)
        self.bn_a = nn.BatchNorm2d(out_chans)
        self.conv_b = nn.Conv2d(out_chans, out_chans, 3, padding=1, bias=conv_bias)
        self.bn_b = nn.BatchNorm2d(out_chans)
        self.act = nn.ReLU()
        if stride != 1 or in_chans != out_chans:
            self.shortcut: nn.Module = nn.Sequential(
                nn.Conv2d(in_chans, out_chans, 1, stride=stride, bias=conv_bias),
                nn.BatchNorm2d(out_chans))
        else:
            self.shortcut = nn.Identity()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.act(self.bn_a(self.conv_a(x)))
        return self.act(self.bn_b(self.conv_b(y)) + self.shortcut(x))


# --------------------------------------------------------------------------------------------
# the network
# --------------------------------------------------------------------------------------------


class ResEmoteNet(nn.Module):
    """Conv stages -> SE -> residual blocks -> global average pool -> MLP head (see module doc).

    ``se="bias_free"`` uses :class:`BiasFreeSE` (released code), ``se="hu"`` the project's
    :class:`~fer_repro.models.blocks.SEBlock`. ``block_strides=None`` means stride 2 where a
    block changes width, else 1. ``head_hidden=()`` gives a single linear classifier.
    """

    def __init__(self, num_classes: int = 7, in_chans: int = 3, *,
                 stem_widths: Sequence[int] = (64, 128, 256),
                 stem_drop: Sequence[float] = (0.2, 0.2, 0.0),
                 se: str = "bias_free", se_reduction: int = 16,
                 block_widths: Sequence[int] = (512, 1024, 2048),
                 block_strides: Sequence[int] | None = None,
                 head_hidden: Sequence[int] = (1024, 512, 256), head_drop: float = 0.5,
                 conv_bias: bool = True) -> None:
        super().__init__()
        if len(stem_drop) != len(stem_widths) or not stem_widths or not block_widths:
            raise ValueError(f"stem_widths {tuple(stem_widths)} / stem_drop {tuple(stem_drop)} "
                             f"/ block_widths {tuple(block_widths)}: non-empty, equal stem lengths")
        self.num_classes = num_classes
        stages, cin = [], in_chans
        for w, p in zip(stem_widths, stem_drop):
            stages.append(ConvPoolStage(cin, w, drop=p, conv_bias=conv_bias))
            cin = w
        self.stem = nn.Sequential(*stages)
        if se == "bias_free":
            self.se: nn.Module = BiasFreeSE(cin, se_reduction)
        elif se == "hu":
            self.se = SEBlock(cin, se_reduction)
        else:
            raise ValueError(f"se={se!r}: 'bias_free' (released code) or 'hu' (Hu et al.)")
        if block_strides is None:
            block_strides = []
            prev = cin
            for w in block_widths:
                block_strides.append(2 if w != prev else 1)
                prev = w
        if len(block_strides) != len(block_widths):
            raise ValueError(f"block_strides {tuple(block_strides)} vs widths "
                             f"{tuple(block_widths)}")
        blocks = []
        for w, s in zip(block_widths, block_strides):
            blocks.append(ResidualBlock(cin, w, stride=s, conv_bias=conv_bias))
            cin = w
        self.blocks = nn.Sequential(*blocks)
        self.num_features = cin
        head: list[nn.Module] = []
        for h in head_hidden:
            head += [nn.Linear(cin, h), nn.ReLU(), nn.Dropout(head_drop)]
            cin = h
        self.hidden = nn.Sequential(*head)
        self.classifier = nn.Linear(cin, num_classes)

    def forward_features(self, x: torch.Tensor) -> torch.Tensor:
        """Feature map after the last residual block (1x1 for the code config at 64x64)."""
        return self.blocks(self.se(self.stem(x)))

    def forward_head(self, x: torch.Tensor) -> torch.Tensor:
        return self.classifier(self.hidden(x.mean(dim=(2, 3))))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward_head(self.forward_features(x))


# --------------------------------------------------------------------------------------------
# released weights
# --------------------------------------------------------------------------------------------

_BN_KEYS = ("weight", "bias", "running_mean", "running_var", "num_batches_tracked")


def _released_name_map(n_blocks: int = 3, n_hidden: int = 3) -> dict[str, str]:
    """Released ``ResEmoteNet`` state-dict key -> key of ``resemotenet_code``."""
    out: dict[str, str] = {}
    for i in range(3):
        for k in ("weight", "bias"):
            out[f"conv{i + 1}.{k}"] = f"stem.{i}.conv.{k}"
        for k in _BN_KEYS:
            out[f"bn{i + 1}.{k}"] = f"stem.{i}.bn.{k}"
    out["se.fc.0.weight"] = "se.squeeze.weight"
    out["se.fc.2.weight"] = "se.excite.weight"
    for b in range(n_blocks):
        src, dst = f"res_block{b + 1}", f"blocks.{b}"
        for a, m in (("1", "a"), ("2", "b")):
            for k in ("weight", "bias"):
                out[f"{src}.conv{a}.{k}"] = f"{dst}.conv_{m}.{k}"
            for k in _BN_KEYS:
                out[f"{src}.bn{a}.{k}"] = f"{dst}.bn_{m}.{k}"
        for k in ("weight", "bias"):
            out[f"{src}.shortcut.0.{k}"] = f"{dst}.shortcut.0.{k}"
        for k in _BN_KEYS:
            out[f"{src}.shortcut.1.{k}"] = f"{dst}.shortcut.1.{k}"
    for j in range(n_hidden):
        for k in ("weight", "bias"):
            out[f"fc{j + 1}.{k}"] = f"hidden.{3 * j}.{k}"
    for k in ("weight", "bias"):
        out[f"fc{n_hidden + 1}.{k}"] = f"classifier.{k}"
    return out


def convert_released_state_dict(state: Mapping[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """Rename a released checkpoint's tensors for ``resemotenet_code`` (``in_chans=3``).

    Accepts the bare state dict (what the released training script saves) or the
    ``{'model_state_dict': ...}`` wrapper that the released evaluation scripts expect. Unknown
    keys raise ``KeyError`` (a different architecture, e.g. a DataParallel ``module.`` prefix).
    """
    if "model_state_dict" in state:
        state = state["model_state_dict"]  # type: ignore[assignment]
    names = _released_name_map()
    unknown = [k for k in state if k not in names]
    if unknown:
        raise KeyError(f"keys not in the released ResEmoteNet: {unknown[:5]}"
                       f"{' ...' if len(unknown) > 5 else ''}")
    return {names[k]: v for k, v in state.items()}


# --------------------------------------------------------------------------------------------
# registered configurations
# --------------------------------------------------------------------------------------------


@register("resemotenet_code")
def resemotenet_code(num_classes: int = 7, in_chans: int = 3, **kwargs) -> ResEmoteNet:
    """The released architecture (approach/ResEmoteNet.py). Expects 3x64x64 (ImageNet-normalised
    grayscale replicated to RGB); 80,238,599 parameters at ``in_chans=3, num_classes=7``.

    ``create_model`` passes ``in_chans=1`` by default: that changes only the first conv
    (1,792 -> 640 parameters). On grayscale data a 1-channel conv computes what the 3-channel conv
    computes on the replicated image (with the three kernels summed), but SGD then updates the sum
    three times as fast and weight decay acts differently, so ``in_chans=3`` is the faithful choice.
    """
    cfg: dict = {"stem_widths": (64, 128, 256), "stem_drop": (0.2, 0.2, 0.0), "se": "bias_free",
                 "se_reduction": 16, "block_widths": (512, 1024, 2048),
                 "block_strides": (2, 2, 2), "head_hidden": (1024, 512, 256), "head_drop": 0.5,
                 "conv_bias": True}
    cfg.update(kwargs)
    return ResEmoteNet(num_classes=num_classes, in_chans=in_chans, **cfg)


@register("resemotenet_paper")
def resemotenet_paper(num_classes: int = 7, in_chans: int = 1, **kwargs) -> ResEmoteNet:
    """The paper's description (Sec. II, Table IV C1); code choices where the paper is silent.

    Input 1x48x48 (FER2013 as in Table I); residual blocks 256 -> 256 (stride 1) -> 512 ->
    1024 (stride 2); global average pooling; one linear layer; no dropout; Hu et al. SE (r=16).
    19,931,287 parameters at ``in_chans=1, num_classes=7``.
    """
    cfg: dict = {"stem_widths": (64, 128, 256), "stem_drop": (0.0, 0.0, 0.0), "se": "hu",
                 "se_reduction": 16, "block_widths": (256, 512, 1024),
                 "block_strides": (1, 2, 2), "head_hidden": (), "head_drop": 0.0,
                 "conv_bias": True}
    cfg.update(kwargs)
    return ResEmoteNet(num_classes=num_classes, in_chans=in_chans, **cfg)


# --------------------------------------------------------------------------------------------
# chapter helpers


def paper_vs_code() -> list[dict[str, str]]:
    """The "Paper versus released code" table of this module's docstring, one dict per row
    (columns: item, paper, released code, where); multi-line cells are joined."""
    doc = __doc__ or ""
    start = doc.index("Paper versus released code")
    lines = doc[start:].splitlines()
    rules = [i for i, ln in enumerate(lines) if ln.startswith("====")]
    if len(rules) < 3:
        raise ValueError("the paper-vs-code table in the module docstring is malformed")
    cols = [(m.start(), m.end()) for m in re.finditer(r"=+", lines[rules[0]])]
    header = [lines[rules[0] + 1][a:b if j < len(cols) - 1 else None].strip()
              for j, (a, b) in enumerate(cols)]
    rows: list[list[str]] = []
    for ln in lines[rules[1] + 1:rules[2]]:
        if not ln.strip():
            continue
        cells = [ln[a:(cols[j + 1][0] if j < len(cols) - 1 else None)].strip()
                 for j, (a, _) in enumerate(cols)]
        if cells[0] or not rows:
            rows.append(cells)
        else:
            rows[-1] = [f"{old} {new}".strip() for old, new in zip(rows[-1], cells, strict=True)]
    keys = [h if h != "released code" else "released code" for h in header]
    return [dict(zip(keys, r, strict=True)) for r in rows]


def conv_input_sizes(name: str, size: int, in_chans: int) -> dict[str, int]:
    """The side of the (square) map each convolution of registered model `name` receives at a
    ``size`` x ``size`` input, by module name (one forward pass)."""
    from . import create_model

    return _conv_input_sizes(create_model(name, in_chans=in_chans).eval(), size, in_chans)


def _conv_input_sizes(m: nn.Module, size: int, in_chans: int) -> dict[str, int]:
    seen: dict[str, int] = {}
    hooks = [mod.register_forward_hook(lambda _m, inp, _o, n=n: seen.__setitem__(n, inp[0].shape[-1]))
             for n, mod in m.named_modules() if isinstance(mod, nn.Conv2d)]
    try:
        with torch.no_grad():
            m(torch.zeros(1, in_chans, size, size))
    finally:
        for h in hooks:
            h.remove()
    return seen


def padding_only_weights(name: str, size: int, in_chans: int) -> dict[str, int]:
    """Conv weights that only ever multiply zero padding at a ``size`` x ``size`` input, found
    from the spatial size each conv sees (a forward pass) and its kernel, stride and padding:
    they get an exactly zero gradient and do not affect the output (tests/
    test_models_resemotenet.py checks this count against real gradients)."""
    from . import create_model

    m = create_model(name, in_chans=in_chans).eval()
    seen = _conv_input_sizes(m, size, in_chans)
    dead = 0
    for n, s_in in seen.items():
        conv = m.get_submodule(n)
        k, st, pd = conv.kernel_size[0], conv.stride[0], conv.padding[0]
        n_out = (s_in + 2 * pd - k) // st + 1
        used = {t for o in range(n_out) for t in range(k) if 0 <= o * st - pd + t < s_in}
        dead += conv.weight.shape[0] * conv.weight.shape[1] * (k * k - len(used) ** 2)
    return {"parameters": sum(p.numel() for p in m.parameters()), "padding_only": dead}
