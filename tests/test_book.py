"""The built book (``make book``) in headless Chromium: pages load offline, figures render, glued
numbers are filled in, and the confusion-matrix explorer and claim filters switch client-side."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
# every page of the table of contents (root first), so that a new chapter is checked too
PAGES = re.findall(r"^\s*root:\s*(\S+)", (ROOT / "_toc.yml").read_text(), re.MULTILINE) + re.findall(
    r"^\s*-\s*file:\s*(\S+)", (ROOT / "_toc.yml").read_text(), re.MULTILINE)
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

pytestmark = pytest.mark.browser


def test_every_toc_page_is_built():
    if not (HTML / "index.html").exists():
        pytest.skip("the book is not built: run `make book` (make test does it first)")
    for page in PAGES:
        assert (HTML / f"{page}.html").exists(), page
        text = (HTML / f"{page}.html").read_text()
        assert "{glue" not in text, f"{page}: an unresolved glue reference"
        assert not re.search(r"[‘']\d[\d.,%]*[’']", re.sub(r"<[^>]+>", " ", text.split("<main")[-1])
                             .replace("&#8216;", "‘").replace("&#8217;", "’")) or page.startswith("book/"), \
            f"{page}: a glued number is shown with quotes"


@pytest.fixture(scope="module")
def browser():
    if not (HTML / "index.html").exists():
        pytest.skip("the book is not built: run `make book` (make test does it first)")
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (Debian: apt-get install chromium)")
    sync = pytest.importorskip("playwright.sync_api")
    with sync.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run"])
        yield b
        b.close()


def _open(browser, page_name):
    page = browser.new_page()
    external, errors = [], []
    page.on("request", lambda r: external.append(r.url)
            if not r.url.startswith(("file:", "data:", "blob:")) else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto((HTML / f"{page_name}.html").as_uri())
    page.wait_for_load_state("load")
    return page, external, errors


@pytest.mark.parametrize("name", PAGES)
def test_page_loads_offline_without_errors(browser, name):
    page, external, errors = _open(browser, name)
    assert external == [], f"{name} requested {external}"
    assert errors == [], f"{name}: {errors}"
    page.close()


def test_figures_render(browser):
    page, _, _ = _open(browser, "notebooks/data")
    imgs = page.locator("main img")
    assert imgs.count() >= 3
    for i in range(imgs.count()):
        img = imgs.nth(i)
        assert img.evaluate("e => e.complete && e.naturalWidth > 100"), img.get_attribute("src")
        assert img.get_attribute("alt"), "figure without alt text"
    page.close()


def test_explorer_switches_run_and_normalisation(browser):
    page, _, _ = _open(browser, "notebooks/data")
    ex = page.locator(".fer-explorer").first
    runs = ex.locator("select.fer-run option")
    assert runs.count() >= 3
    cell = ex.locator("td[data-i='3'][data-j='3']")  # happy predicted as happy
    ex.locator("select.fer-norm").select_option("row")
    ex.locator("select.fer-run").select_option("0")  # always majority (happy)
    assert cell.inner_text() == "1.00" and ex.get_attribute("data-rendered") == "0:row"
    ex.locator("select.fer-norm").select_option("counts")
    counts_majority = cell.inner_text()
    assert counts_majority.isdigit() and int(counts_majority) > 100
    last = str(runs.count() - 1)
    ex.locator("select.fer-run").select_option(last)
    assert ex.get_attribute("data-rendered") == f"{last}:counts"
    assert cell.inner_text() != counts_majority
    ex.locator("select.fer-norm").select_option("all")
    total = sum(float(t) for t in ex.locator("td").all_inner_texts())
    assert abs(total - 1.0) < 0.05
    page.close()


def test_claims_filter(browser):
    page, _, _ = _open(browser, "notebooks/claims_overview")
    box = page.locator(".fer-claims").first
    rows = box.locator("tbody tr")
    n = rows.count()
    assert n > 100
    box.locator("select[data-col='verdict']").select_option("inconsistent")
    visible = [r for r in rows.all() if r.is_visible()]
    assert 0 < len(visible) < n
    assert all(r.get_attribute("data-verdict") == "inconsistent" for r in visible)
    assert box.locator(".fer-count").inner_text().startswith(f"{len(visible)} of {n}")
    page.close()
