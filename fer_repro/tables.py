"""Tables for the book: one look and one number policy for every DataFrame a chapter shows.

A chapter displays a table with :func:`show` (an IPython ``HTML`` object; :func:`to_html` gives
the string). Both render through the pandas Styler and

* rename columns, index names, index values and cells that are internal ids
  (``suwartono_attention_cnn``, ``macro_precision_low``, ``random8020``) to the human labels of
  the one dictionary :data:`LABELS` (:func:`label`);
* format every number by the *kind* of its column (:data:`KINDS`): accuracy-like fractions with
  3 decimals, signed differences with their sign, counts and parameters with thousands
  separators, p-values through :func:`fer_repro.stats.format_p`, rates, hours, seconds and
  percentages each one way. The kind is inferred from the column's name and dtype
  (:func:`column_kind`); ``formats`` overrides it per column;
* never truncate text (no ellipsis: the Styler prints every character, and pandas'
  ``display.max_colwidth`` is lifted while rendering), let long text wrap, keep numbers on one
  line, right-aligned in tabular figures;
* wrap the table in ``<div class="fer-table">`` that scrolls sideways inside its own box
  (``overflow-x: auto; max-width: 100%``), with the CSS it needs inline (the static book works
  offline), and a deterministic element id (the same table renders to the same HTML, so nbval
  can compare outputs).

Ranges in prose and tables go through :func:`fmt_range`: ``-0.028 to -0.004``, never
``-0.02773--0.003977``. Negative numbers use the ASCII hyphen-minus everywhere in the book (as the
``{:+.3f}`` differences do), and the word "to" separates the two ends.
"""

from __future__ import annotations

import hashlib
import html as _html
import math
import numbers
import re
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from .stats import format_p

__all__ = [
    "KINDS",
    "LABELS",
    "auto_digits",
    "column_kind",
    "fmt_estimate",
    "fmt_number",
    "fmt_paper",
    "fmt_range",
    "label",
    "show",
    "to_html",
]

#: internal id -> human label: models, papers, metrics, protocols, variants, ablation arms and
#: the raw column names of benchmark records. Only exact ids are replaced (and ids inside column
#: headers, where they stand as words), never parts of prose.
LABELS: dict[str, str] = {
    # models (fer_repro.models registry)
    "suwartono_attention_cnn": "Suwartono attention CNN",
    "suwartono_fastcnn_se": "Suwartono FastCNN-SE",
    "suwartono_convformer": "Suwartono ConvFormer",
    "resemotenet_paper": "ResEmoteNet, paper configuration",
    "resemotenet_code": "ResEmoteNet, released code",
    "amacnn": "AMACNN",
    "dcrnet": "DCRNet",
    "dlfer_effnet_b3": "DLFER EfficientNet-B3",
    "mini_xception": "mini-Xception",
    # papers (ledger keys) and chapters
    "suwartono2025": "Suwartono et al. 2025",
    "resemotenet": "ResEmoteNet",
    "dlfer": "DLFER",
    "claims_overview": "claims overview",
    # metrics
    "macro_precision": "macro precision",
    "macro_recall": "macro recall",
    "macro_f1": "macro-F1",
    "val_accuracy": "validation accuracy",
    "val_loss": "validation loss",
    "val_criterion": "training loss on the validation split",
    "train_loss": "training loss",
    # protocols and splits
    "random8020": "random 80:20 split",
    "official": "official split",
    # DCRNet variants (fer_repro.experiments.dcrnet.VARIANTS)
    "no_attention": "no attention module",
    "no_gamma": "no gamma correction",
    "no_residual": "no residual modules",
    "se": "SE instead of CBAM",
    "reseed": "full model, another seed",
    # Suwartono ablation arms (fer_repro.experiments.suwartono2025.ABLATIONS)
    "no_class_balanced_weights": "no class-balanced weights",
    "softmax_instead_of_sparsemax": "Softmax instead of Sparsemax",
    "ce_instead_of_poly_focal": "cross-entropy instead of Poly-Focal",
    "no_mixup": "no MixUp",
    "bf16_autocast": "bfloat16 autocast",
    # benchmark record fields (fer_repro.train / benchmarks)
    "achieved_gflops": "GFLOP/s",
    "bare_images_per_s": "bare-loop images/s",
    "engine_images_per_s": "engine images/s",
    "images_per_s": "images/s",
    "train_images_per_s": "training images/s",
    "channels_last": "channels-last",
    "compile_s": "compile time (s)",
    "of_peak share": "share of peak",
    "epochs_run": "epochs run",
    "best_epoch": "best epoch",
    "n_seeds": "seeds",
}

_SUFFIXES = {"_low": "lower 95% bound", "_high": "upper 95% bound"}
_ID = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")


def label(value: Any) -> Any:
    """The human label of an internal id (:data:`LABELS`); ``<id>_low``/``<id>_high`` become
    "<label>, lower/upper 95% bound". Anything else is returned unchanged."""
    if not isinstance(value, str):
        return value
    if value in LABELS:
        return LABELS[value]
    for suffix, words in _SUFFIXES.items():
        stem = value[: -len(suffix)]
        if value.endswith(suffix) and (stem in LABELS or stem == "accuracy"):
            return f"{LABELS.get(stem, stem)}, {words}"
    return value


def _header(value: Any) -> Any:
    """A column or index-name label: a whole id, or the ids standing as words in a header
    (``"macro_recall diff low"`` -> ``"macro recall diff low"``)."""
    if not isinstance(value, str):
        return value
    whole = label(value)
    if whole != value:
        return whole
    return _ID.sub(lambda m: LABELS.get(m.group(0), m.group(0)), value)


# ---------------------------------------------------------------------------------------------
# numbers


def _finite(v: Any) -> bool:
    return isinstance(v, numbers.Real) and not isinstance(v, bool) and math.isfinite(float(v))


def auto_digits(*values: float) -> int:
    """Decimals for numbers of unknown scale, from the largest magnitude among ``values``: 0 from
    1,000 (with thousands separators), 1 from 10, 3 from 0.01 (fractions such as accuracies),
    else 4."""
    m = max((abs(float(v)) for v in values if v is not None and _finite(v)), default=0.0)
    return 0 if m >= 1000 else 1 if m >= 10 else 3 if m >= 0.01 or m == 0 else 4


def fmt_number(v: float, digits: int | None = 3, *, signed: bool = False,
               percent: bool = False) -> str:
    """One number as the book prints it: ``digits`` decimals (of the percentage when
    ``percent``; ``None``: :func:`auto_digits`), thousands separators, a leading ``+`` when
    ``signed``; ``"n/a"`` for NaN or None. A value that rounds to zero prints without a minus
    sign (``-0.000`` would read as a negative number)."""
    if v is None or not _finite(v):
        return "n/a"
    x = float(v) * (100 if percent else 1)
    if digits is None:
        digits = auto_digits(x)
    s = f"{x:{'+' if signed else ''},.{digits}f}"
    if re.fullmatch(r"-0\.?0*", s):
        s = s[1:]
    if signed and re.fullmatch(r"0\.?0*", s.lstrip("+")):
        s = "+" + s.lstrip("+")
    return s + ("%" if percent else "")


def fmt_range(lo: float, hi: float, digits: int | None = 3, *, signed: bool = False,
              percent: bool = False) -> str:
    """An interval for prose and tables: ``"-0.028 to -0.004"``, ``"0.411 to 0.487"``,
    ``"+0.047 to +0.114"`` (``signed``), ``"-4% to 88%"`` (``percent`` with ``digits=0``). The word
    "to" separates the ends, so a negative end never meets a hyphen. ``digits=None`` picks one
    number of decimals for both ends (:func:`auto_digits`)."""
    if digits is None:
        digits = auto_digits(*(float(x) * (100 if percent else 1) for x in (lo, hi)
                               if x is not None and _finite(x)))
    return (f"{fmt_number(lo, digits, signed=signed, percent=percent)} to "
            f"{fmt_number(hi, digits, signed=signed, percent=percent)}")


def fmt_estimate(est: float, lo: float, hi: float, digits: int | None = 3, *, signed: bool = False,
                 percent: bool = False, ci: str = "", note: str = "") -> str:
    """An estimate with its interval: ``"0.449 (0.411 to 0.487)"``; ``ci="95% CI"`` gives
    ``"0.449 (95% CI 0.411 to 0.487)"``, ``note="budget cpu"`` ``"0.449 (0.411 to 0.487; budget
    cpu)"``. ``digits=None``: one choice for all three."""
    if digits is None:
        digits = auto_digits(*(float(x) * (100 if percent else 1) for x in (est, lo, hi)
                               if x is not None and _finite(x)))
    head = f"{ci} " if ci else ""
    tail = f"; {note}" if note else ""
    return (f"{fmt_number(est, digits, signed=signed, percent=percent)} "
            f"({head}{fmt_range(lo, hi, digits, signed=signed, percent=percent)}{tail})")


def _count(v: float) -> str:
    return f"{v:,.0f}"


def fmt_paper(v: float) -> str:
    """A paper's number as printed: up to 4 decimals, trailing zeros dropped."""
    s = f"{float(v):.4f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


#: kind -> how a finite number of that kind prints. A column's kind comes from
#: :func:`column_kind` or from ``formats`` in :func:`show`.
KINDS: dict[str, Callable[[float], str]] = {
    "fraction": lambda v: fmt_number(v, 3),           # accuracy, macro-F1, shares of 1
    "signed": lambda v: fmt_number(v, 3, signed=True),  # differences of fractions
    "percent": lambda v: fmt_number(v, 1, percent=True),
    "percent0": lambda v: fmt_number(v, 0, percent=True),
    "signed_percent": lambda v: fmt_number(v, 2, signed=True, percent=True),
    "count": _count,                                    # images, parameters, runs: 28,709
    "p": lambda v: format_p(float(v), html=True),       # p-values
    "rate": lambda v: f"{v:,.1f}",                       # images/s, GFLOP/s
    "hours": lambda v: f"{v:,.2f}",
    "seconds": lambda v: f"{v:,.1f}",
    "flops": lambda v: f"{v:,.3f}",                      # GFLOPs, GMACs, PFLOPs
    "mflops": lambda v: f"{v:,.1f}",
    "ratio": lambda v: f"{v:,.2f}",                      # speed-ups, estimate / recorded
    "sd": lambda v: fmt_number(v, 4),                    # small spreads (seed SDs)
    "paper": fmt_paper,                                  # a paper's number as printed
    "integer": lambda v: f"{v:.0f}",                     # ids that are numbers: seeds, folds
}

_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\bp\b|p-value|p value"), "p"),
    (re.compile(r"%|\bshare\b|\bpercent"), "percent"),
    (re.compile(r"images/s|gflop/s|/s\b|per second"), "rate"),
    (re.compile(r"\bhours?\b|cpu-hours|\bh\)"), "hours"),
    (re.compile(r"\bseconds?\b|\(s\)|_s$"), "seconds"),
    (re.compile(r"mflops"), "mflops"),
    (re.compile(r"gflops|gmacs|pflops|tflops"), "flops"),
    (re.compile(r"parameters|\bparams\b|\bimages\b|\bcount\b|\bpairs\b|\bruns\b|\bsubjects\b"
                r"|\bsequences\b|\brows\b|\bn\b"), "count"),
    (re.compile(r"speed-up|speedup|ratio| / "), "ratio"),
    (re.compile(r"\bsd\b|standard deviation"), "sd"),
    (re.compile(r"\bseed\b|\bfold\b|\bepochs?\b|\bbatch\b|\bthreads?\b|\bpriority\b"), "integer"),
    (re.compile(r"\bdiff\b|difference|\bgains?\b|\bdrop\b|\bchanges?\b|\bminus\b|\bgap\b"), "signed"),
    (re.compile(r"^paper\b|paper's|\(paper\)|paper \("), "paper"),
]


def column_kind(name: Any, values: pd.Series | None = None) -> str | None:
    """The kind (:data:`KINDS`) of a column from its name, then its dtype: integers are counts,
    other numbers fractions. ``None`` when the column holds no numbers."""
    parts = name if isinstance(name, tuple) else (name,)
    text = " ".join(f"{n} {_header(n)}" for n in parts).lower()  # the id and its label
    nums = [float(v) for v in (values if values is not None else []) if _finite(v)]
    for pattern, kind in _RULES:
        if pattern.search(text):
            # a name that sounds like a count ("mean of random-flip runs") holding fractions
            if kind in ("count", "integer") and any(not x.is_integer() and abs(x) < 1 for x in nums):
                return "fraction"
            return kind
    if values is not None:
        if pd.api.types.is_bool_dtype(values):
            return None
        if pd.api.types.is_integer_dtype(values):
            return "count"
        if pd.api.types.is_float_dtype(values):
            return "fraction"
        if any(_finite(v) for v in values):
            nums = [float(v) for v in values if _finite(v)]
            return "count" if all(x.is_integer() and abs(x) >= 1 for x in nums) else "fraction"
    return None


def _formatter(kind: str | Callable[[Any], str] | None, escape: bool) -> Callable[[Any], str]:
    if callable(kind):
        fn: Callable[[Any], str] = kind
    elif kind is not None and kind not in KINDS and "{" in kind:
        fn = kind.format
    else:
        number = KINDS.get(kind or "fraction", KINDS["fraction"])

        def fn(v: Any) -> str:
            if isinstance(v, (bool, np.bool_)):
                return "yes" if v else "no"
            if _finite(v):
                if kind is None and float(v).is_integer() and not isinstance(v, float):
                    return _count(float(v))
                return number(float(v))
            return str(label(v))

    def wrapped(v: Any) -> str:
        s = fn(v)
        if escape and isinstance(v, str) and not callable(kind):
            return _html.escape(s, quote=False)
        return s

    return wrapped


# ---------------------------------------------------------------------------------------------
# HTML

_NUMERIC = re.compile(
    r"(?:[\s\d.,:+\-%x×()<>=/~]|&lt;|\bto\b|\bof\b|\bh\b|\bmin\b|\bs\b|\bdays?\b|n/a|e[+-]?\d)*")

_CSS = """
.fer-table{overflow-x:auto;max-width:100%;margin:0.4em 0 1.2em 0}
.fer-table table.fer{border-collapse:collapse;table-layout:auto;width:auto;max-width:none;
 margin:0;font-size:0.85em;line-height:1.35;border:none}
.fer-table caption{caption-side:top;text-align:left;font-size:0.95em;padding:0 0 0.4em 0}
.fer-table th,.fer-table td{padding:0.3em 0.7em;vertical-align:top;text-align:left;
 white-space:normal;overflow-wrap:break-word;border:none;
 border-bottom:1px solid rgba(127,127,127,0.25)}
.fer-table thead th{vertical-align:bottom;font-weight:600;
 border-bottom:1px solid rgba(127,127,127,0.6)}
.fer-table tbody th{font-weight:600;min-width:7em}
.fer-table tbody tr:hover{background:rgba(127,127,127,0.08)}
""".strip()

#: what a column of each class looks like (its cells; numbers also right-align the header)
_COLUMN_CSS = {
    "num": "text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums;",
    "txt": "min-width:6em;max-width:30em;",
    "long": "min-width:16em;max-width:34em;",
    "id": "font-family:var(--pst-font-family-monospace,monospace);font-size:0.92em;"
          "overflow-wrap:anywhere;min-width:11em;",
}


def _is_numeric_text(text: str) -> bool:
    return bool(text) and any(c.isdigit() for c in text) and _NUMERIC.fullmatch(text) is not None


def _column_class(texts: list[str], raw: list[Any]) -> str:
    """``num`` (numbers: right-aligned, one line), ``id`` (run records), ``long`` (text that
    wraps over several lines) or ``txt``."""
    cells = [(t, r) for t, r in zip(texts, raw) if t.strip() and not _missing(r)]  # not na_rep
    if not cells:
        return "txt"
    if all(_finite(r) or _is_numeric_text(t) for t, r in cells):
        return "num"
    if all(re.fullmatch(r"[\w.\-]+/[0-9a-f]{8,}", t.strip()) for t, _ in cells):
        return "id"  # run records: name/config-hash
    return "long" if max(len(t) for t, _ in cells) > 60 else "txt"


def to_html(df: pd.DataFrame | pd.Series, *, caption: str | None = None,
            formats: Mapping[Any, str | Callable[[Any], str]] | None = None,
            index: bool | None = None, na_rep: str = "", escape: bool = True) -> str:
    """``df`` as a formatted HTML table in a ``<div class="fer-table">`` that scrolls inside
    its own box; see the module docstring.

    ``formats`` maps a column (its name before relabelling; for a two-level header, the whole
    tuple or its last level) to a kind of :data:`KINDS` (``"percent"``, ``"count"``, ``"p"``,
    ...), a format string (``"{:.2%}"``) or a function of the value; the other columns get
    :func:`column_kind`. ``index``: show the row index (default: unless it is a plain 0..n-1
    range; a single named index becomes the first column). ``escape=False`` passes the cells'
    HTML (links) through. ``na_rep`` is printed for missing values."""
    from pandas.io.formats.style import Styler

    if isinstance(df, pd.Series):
        df = df.to_frame()
    formats = dict(formats or {})
    plain_range = isinstance(df.index, pd.RangeIndex) and df.index.name is None
    show_index = (not plain_range) if index is None else index
    heads = 0  # columns that were the row index (printed bold)
    if show_index and df.index.nlevels == 1 and df.index.name is not None \
            and df.index.name not in df.columns:
        df = df.reset_index()
        show_index, heads = False, 1

    columns = list(df.columns)
    texts: list[list[str]] = []
    for i, c in enumerate(columns):
        key = c if c in formats else (c[-1] if isinstance(c, tuple) and c[-1] in formats
                                      else None)
        values = df.iloc[:, i]
        fmt = _formatter(formats[key] if key is not None else column_kind(c, values), escape)
        texts.append([na_rep if _missing(v) else fmt(v) for v in values])
    shown = pd.DataFrame(dict(enumerate(texts)), index=df.index)
    kinds = [_column_class(texts[i], list(df.iloc[:, i])) for i in range(len(columns))]

    # human labels for headers, index names and index values
    if isinstance(df.columns, pd.MultiIndex):
        shown.columns = pd.MultiIndex.from_tuples(
            [tuple(_header(x) for x in t) for t in columns],
            names=[_header(n) for n in df.columns.names])
    else:
        shown.columns = pd.Index([_header(c) for c in columns], name=_header(df.columns.name))
    if isinstance(df.index, pd.MultiIndex):
        shown.index = pd.MultiIndex.from_tuples([tuple(label(x) for x in t) for t in df.index],
                                                names=[_header(n) for n in df.index.names])
    else:
        shown.index = pd.Index([label(x) for x in df.index], name=_header(df.index.name))

    styles = []
    for i, k in enumerate(kinds):
        styles.append({"selector": f"td.col{i}",
                       "props": _COLUMN_CSS[k] + ("font-weight:600;min-width:9em;" if i < heads else "")})
        if k == "num":
            styles.append({"selector": f"th.col_heading.col{i}", "props": "text-align:right;"})
    digest = hashlib.sha1((shown.to_json(orient="split", default_handler=str) + str(caption)
                           + str(show_index) + str(kinds)).encode()).hexdigest()[:10]
    with pd.option_context("display.max_colwidth", None, "styler.render.max_elements", 10**7,
                           "styler.render.max_rows", None, "styler.render.max_columns", None):
        sty = Styler(shown, uuid=f"fer{digest}", cell_ids=False)
        sty = sty.set_table_styles(styles).set_table_attributes('class="fer"')
        if escape:
            sty = sty.format_index(escape="html", axis=0).format_index(escape="html", axis=1)
        if caption:
            sty = sty.set_caption(_html.escape(caption) if escape else caption)
        if not show_index:
            sty = sty.hide(axis="index")
        body = sty.to_html(doctype_html=False)
    return (f'<div class="fer-table" style="overflow-x:auto;max-width:100%">'
            f"<style>{_CSS}</style>\n{body}</div>")


def _missing(v: Any) -> bool:
    if v is None:
        return True
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def show(df: pd.DataFrame | pd.Series, *, caption: str | None = None,
         formats: Mapping[Any, str | Callable[[Any], str]] | None = None,
         index: bool | None = None, na_rep: str = "", escape: bool = True) -> Any:
    """:func:`to_html` as an IPython ``HTML`` object: ``display(tables.show(df))`` or a cell's
    last expression."""
    from IPython.display import HTML

    return HTML(to_html(df, caption=caption, formats=formats, index=index, na_rep=na_rep,
                        escape=escape))
