"""The book's table formatter (fer_repro.tables): labels, number policy, ranges, no truncation,
the scrolling wrapper, p-values as fer_repro.stats.format_p prints them."""

from __future__ import annotations

import html as _html
import re

import numpy as np
import pandas as pd
import pytest

from fer_repro import tables
from fer_repro.stats import format_p


def _cells(html: str, tag: str = "td") -> list[str]:
    return [_html.unescape(re.sub(r"<[^>]+>", "", c)).strip()
            for c in re.findall(rf"<{tag}[^>]*>(.*?)</{tag}>", html, re.DOTALL)]


def test_labels_replace_internal_ids_in_headers_index_and_cells():
    df = pd.DataFrame({"macro_precision_low": [0.31, 0.2], "macro_f1": [0.4, 0.3],
                       "arm": ["no_class_balanced_weights", "paper"]},
                      index=pd.Index(["suwartono_attention_cnn", "amacnn"], name="model"))
    html = tables.to_html(df)
    heads, cells = _cells(html, "th"), _cells(html)
    assert "macro precision, lower 95% bound" in heads and "macro-F1" in heads
    assert "Suwartono attention CNN" in cells and "AMACNN" in cells
    assert "no class-balanced weights" in cells and "paper" in cells
    for raw in ("suwartono_attention_cnn", "macro_precision_low", "macro_f1", "amacnn",
                "no_class_balanced_weights"):
        assert raw not in html
    # ids standing as words in a header, and in a multi-level index
    assert tables._header("macro_recall diff low") == "macro recall diff low"
    multi = pd.DataFrame({"x": [1.0, 2.0]}, index=pd.MultiIndex.from_tuples(
        [("official", "accuracy"), ("random8020", "macro_f1")], names=["protocol", "metric"]))
    text = tables.to_html(multi)
    assert "official split" in text and "random 80:20 split" in text and "macro-F1" in text


def test_label_leaves_plain_words_and_non_strings_alone():
    assert tables.label("cpu") == "cpu"
    assert tables.label("full") == "full"  # a budget name, never relabelled
    assert tables.label(3) == 3
    assert tables.label("accuracy_high") == "accuracy, upper 95% bound"


def test_thousands_separators_and_one_decimal_policy_per_kind():
    df = pd.DataFrame({"images": [28709, 3589], "parameters": [14598904, 3774840],
                       "accuracy": [0.58823, 0.4], "accuracy diff": [0.0123, -0.02773],
                       "images/s": [145.234, 1234.5], "data share": [0.004, 0.25],
                       "CPU hours (estimate)": [1.2049, 30.0], "forward GFLOPs": [7.6841, 1.0]})
    cells = _cells(tables.to_html(df))
    for expected in ("28,709", "3,589", "14,598,904", "0.588", "0.400", "+0.012", "-0.028",
                     "145.2", "1,234.5", "0.4%", "25.0%", "1.20", "30.00", "7.684"):
        assert expected in cells, expected
    # counts stored as floats (a column with a missing value) still print as counts
    assert "4,087" in _cells(tables.to_html(pd.DataFrame({"images": [4087.0, np.nan]})))


def test_formats_override_the_inferred_kind():
    df = pd.DataFrame({"gain": [0.0168], "power": [0.87], "x": [1.4567]})
    cells = _cells(tables.to_html(df, formats={"gain": "{:.2%}", "power": "percent0",
                                               "x": lambda v: f"{v:.1f}x"}))
    assert cells == ["1.68%", "87%", "1.5x"]


@pytest.mark.parametrize(("lo", "hi", "kw", "expected"), [
    (-0.02773, -0.003977, {}, "-0.028 to -0.004"),
    (0.411, 0.487, {}, "0.411 to 0.487"),
    (0.047, 0.114, {"signed": True}, "+0.047 to +0.114"),
    (-0.04, 0.88, {"digits": 0, "percent": True}, "-4% to 88%"),
    (0.608, 0.640, {"digits": 1, "percent": True}, "60.8% to 64.0%"),
    (-0.0002, 0.003, {}, "0.000 to 0.003"),  # no "-0.000"
    (11108807, 11151457, {"digits": None}, "11,108,807 to 11,151,457"),
    (-0.02377, 0.002211, {"digits": None}, "-0.024 to 0.002"),
])
def test_negative_ranges_read_clearly(lo, hi, kw, expected):
    out = tables.fmt_range(lo, hi, **kw)
    assert out == expected
    assert "--" not in out and not re.search(r"\d-\d", out)


def test_fmt_estimate_and_paper_numbers():
    assert tables.fmt_estimate(0.449, 0.411, 0.487) == "0.449 (0.411 to 0.487)"
    assert tables.fmt_estimate(-0.128, -0.179, -0.081, signed=True, ci="95% CI") == \
        "-0.128 (95% CI -0.179 to -0.081)"
    assert tables.fmt_estimate(0.449, 0.411, 0.487, ci="95% CI", note="budget cpu") == \
        "0.449 (95% CI 0.411 to 0.487; budget cpu)"
    assert tables.fmt_paper(0.9898) == "0.9898" and tables.fmt_paper(0.99) == "0.99"
    assert tables.fmt_number(float("nan")) == "n/a"


def test_no_ellipsis_for_long_text_and_long_tables():
    long = "a very long explanation of what the paper leaves open " * 8
    df = pd.DataFrame({"item": [f"row {i}" for i in range(80)], "what": [long] * 80})
    with pd.option_context("display.max_colwidth", 20, "display.max_rows", 10):
        html = tables.to_html(df)
    assert long.strip() in html
    assert "..." not in html and "\u2026" not in html
    assert html.count("<tr>") == 81  # every row, and the header
    # long text wraps inside a bounded column instead of widening the table without end
    assert "max-width:34em" in html.replace(" ", "") or "max-width: 34em" in html


def test_wrapper_scrolls_inside_its_own_box_with_inline_css():
    html = tables.to_html(pd.DataFrame({"a": [1]}), caption="A & B")
    assert html.startswith('<div class="fer-table" style="overflow-x:auto;max-width:100%">')
    assert html.endswith("</div>")
    assert "<style>" in html and ".fer-table" in html
    assert "http" not in html  # nothing fetched from a CDN
    assert "<caption>A &amp; B</caption>" in html
    shown = tables.show(pd.DataFrame({"a": [1]}))
    assert shown.data.startswith('<div class="fer-table"')


def test_rendering_is_deterministic():
    df = pd.DataFrame({"accuracy": [0.5, 0.6]}, index=["a", "b"])
    assert tables.to_html(df) == tables.to_html(df.copy())  # nbval compares the HTML


def test_p_values_match_stats_format_p():
    ps = [0.0031, 1.7e-108, 1e-320, 0.16, np.nan]
    df = pd.DataFrame({"McNemar p (exact)": ps})
    cells = _cells(tables.to_html(df, na_rep="n/a"))
    expected = [format_p(p, html=True) for p in ps[:-1]]
    assert cells[:-1] == [_html.unescape(e) for e in expected]
    assert "&lt; 1e-300" in tables.to_html(df)  # escaped once, as the Styler formatter expects
    assert cells[-1] == "n/a"
    assert tables.column_kind("clustered p (Holm)") == "p"
    assert tables.column_kind("p (no drop)") == "p"
    assert tables.column_kind("mean top-1 probability (arm)") != "p"


def test_html_in_cells_is_escaped_unless_asked():
    df = pd.DataFrame({"title": ["<b>x</b> & y"], "link": ['<a href="u">#7</a>']})
    assert "&lt;b&gt;x&lt;/b&gt; &amp; y" in tables.to_html(df[["title"]])
    assert '<a href="u">#7</a>' in tables.to_html(df[["link"]], escape=False)


def test_numbers_right_aligned_text_left():
    df = pd.DataFrame({"accuracy": [0.5], "note": ["text"],
                       "record": ["amacnn_fer2013_official/2dd2fea7089a8e8b"]})
    html = tables.to_html(df).replace(" ", "").replace("\n", "")
    assert re.search(r"td\.col0\{text-align:right;white-space:nowrap", html)
    assert re.search(r"td\.col1\{min-width:6em", html)
    assert re.search(r"td\.col2\{font-family", html)


def test_a_count_sounding_name_with_fractions_prints_fractions():
    df = pd.DataFrame({"mean of random-flip runs": [0.58723], "runs": [10000],
                       "training images per run": [100480.5]})
    assert _cells(tables.to_html(df)) == ["0.587", "10,000", "100,480"]


def test_missing_values_do_not_make_a_number_column_text():
    html = tables.to_html(pd.DataFrame({"images/s": [99.5, np.nan]}), na_rep="-")
    assert "-" in _cells(html)
    assert re.search(r"td\.col0\s*\{\s*text-align:\s*right", html)
