"""The confusion-matrix explorer in the built book (headless Chromium): on every page that has
one, each run and each normalisation redraws the matrix, the split, the number of images and the
accuracy of the selected run agree with the matrix shown, and no label is cut off."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from test_book import HTML, PAGES, _open, browser  # noqa: F401 (browser is a fixture)

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[1]
# chapters whose source shows the explorer (viz.explorer): their page must have one
CHAPTERS = sorted(p.stem for p in (ROOT / "notebooks").glob("*.py") if "viz.explorer(" in p.read_text())

_TABLE = """e => [...e.querySelectorAll('table.fer-cm tbody tr')].map(
    r => [...r.querySelectorAll('td')].map(td => td.textContent))"""
# label-like elements that must show their whole text: scrollWidth > clientWidth means cut off
_CLIPPED = """e => [...e.querySelectorAll('th, .fer-title, .fer-controls, .fer-info, .fer-help, .fer-note, .fer-cm-wrap')]
    .filter(x => x.scrollWidth > x.clientWidth + 1 || x.scrollHeight > x.clientHeight + 1)
    .map(x => x.className + ': ' + x.textContent.slice(0, 60))"""


def _html(page: str) -> str:
    f = HTML / f"{page}.html"
    return f.read_text() if f.exists() else ""


def _explorer_pages() -> list[str]:
    return [p for p in PAGES if 'class="fer-explorer"' in _html(p)]


def test_every_chapter_with_matrices_has_the_explorer():
    if not (HTML / "index.html").exists():
        pytest.skip("the book is not built: run `make book` (make test does it first)")
    assert {"data", "amacnn", "dcrnet", "dlfer", "resemotenet", "suwartono2025"} <= set(CHAPTERS)
    for name in CHAPTERS:
        text = _html(f"notebooks/{name}")
        assert 'class="fer-explorer"' in text or "No recorded runs" in text, name
        # no live widget was made while the book was built: its state would load the widget manager
        assert "widget-state" not in text and "embed-amd" not in text, f"{name}: a live widget in the book"


@pytest.mark.parametrize("name", [p for p in PAGES if p.startswith("notebooks/")])
def test_explorer_switches_run_and_normalisation_everywhere(browser, name):  # noqa: F811
    if name not in _explorer_pages():
        pytest.skip(f"{name} has no confusion-matrix explorer")
    page, _, errors = _open(browser, name)
    explorers = page.locator(".fer-explorer")
    assert explorers.count() >= 1
    for k in range(explorers.count()):
        ex = explorers.nth(k)
        runs = json.loads(ex.locator('script[type="application/json"]').text_content())["runs"]
        run_sel, norm_sel = ex.locator("select.fer-run"), ex.locator("select.fer-norm")
        start = run_sel.input_value()
        assert ex.get_attribute("data-rendered") == f"{start}:row"  # opens on its initial run, recall
        assert runs[int(start)]["label"] == run_sel.locator("option:checked").inner_text()
        if len(runs) > 1 and "always majority" in runs[0]["label"]:
            assert start != "0", f"{name} opens on the trivial majority baseline"
        shown = []
        for i, run in enumerate(runs):
            run_sel.select_option(str(i))
            norm_sel.select_option("counts")
            assert ex.get_attribute("data-rendered") == f"{i}:counts"
            counts = [[int(v) for v in row] for row in ex.evaluate(_TABLE)]
            assert counts == run["m"], f"{name}: {run['label']}"
            shown.append(counts)
            n = sum(map(sum, counts))
            acc = sum(counts[j][j] for j in range(len(counts))) / n
            assert ex.locator(".fer-split").inner_text() == run["split"] != ""
            assert ex.locator(".fer-run-name").inner_text() == run["label"]
            assert int(ex.locator(".fer-n").get_attribute("data-value")) == n
            assert ex.locator(".fer-n").inner_text().replace(",", "") == str(n)
            assert float(ex.locator(".fer-acc").get_attribute("data-value")) == pytest.approx(acc, abs=1e-6)
            assert ex.locator(".fer-acc").inner_text() == f"{100 * acc:.1f}%"
            c = len(counts)
            tol = 0.005 * c + 1e-9  # each cell is rounded to 2 decimals
            for how, word in (("row", "recall"), ("column", "precision"), ("all", "accuracy")):
                norm_sel.select_option(how)
                assert ex.get_attribute("data-rendered") == f"{i}:{how}"
                assert word in ex.locator(".fer-help").inner_text()
                m = [[float(v) for v in row] for row in ex.evaluate(_TABLE)]
                for j in range(c):
                    row_n, col_n = sum(counts[j]), sum(r[j] for r in counts)
                    if how == "row" and row_n:
                        assert abs(sum(m[j]) - 1) <= tol and m[j][j] == pytest.approx(counts[j][j] / row_n, abs=0.0051)
                    if how == "column" and col_n:
                        assert abs(sum(r[j] for r in m) - 1) <= tol
                        assert m[j][j] == pytest.approx(counts[j][j] / col_n, abs=0.0051)
                if how == "all":
                    assert abs(sum(map(sum, m)) - 1) <= 0.005 * c * c
                    assert abs(sum(m[j][j] for j in range(c)) - acc) <= tol
            assert ex.evaluate(_CLIPPED) == [], f"{name}: {run['label']}: labels cut off"
        # switching runs shows another matrix whenever the runs differ
        if len({json.dumps(r["m"]) for r in runs}) > 1:
            assert len({json.dumps(s) for s in shown}) > 1
    assert errors == [], f"{name}: {errors}"
    page.close()


def test_explorer_labels_fit_a_narrow_window(browser):  # noqa: F811
    """On a phone-sized window the matrix may scroll sideways, but no label is cut off or hidden
    behind the next one, and the run's full name is shown (the select may be narrower)."""
    pages = _explorer_pages()
    if not pages:
        pytest.skip("no page with an explorer in the built book")
    for name in pages:
        page, _, _ = _open(browser, name)
        page.set_viewport_size({"width": 420, "height": 800})
        ex = page.locator(".fer-explorer").first
        clipped = ex.evaluate(_CLIPPED.replace(", .fer-cm-wrap", ""))
        assert clipped == [], f"{name}: {clipped}"
        assert ex.evaluate("e => e.scrollWidth <= e.clientWidth + 1"), f"{name}: the explorer overflows"
        full = ex.locator(".fer-run-name").inner_text()
        assert re.sub(r"\s+", " ", full) == ex.locator("select.fer-run option:checked").inner_text()
        page.close()
