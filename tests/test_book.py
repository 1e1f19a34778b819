"""The built book (``make book``) in headless Chromium: pages load offline, figures render, glued
numbers are filled in, and the confusion-matrix explorer and claim filters switch client-side.

The pages are served over HTTP under a sub-path (:data:`SUBPATH`), as GitHub Pages serves a
project's book, so a link that is not relative, or a file the page needs but the build lacks,
fails. Every page is checked on a desktop and on a phone (:data:`VIEWPORTS`): nothing scrolls
sideways, tables fit or scroll in their own box, the sidebar buttons open their panels, and the
console stays clean. ``$FER_REPRO_BOOK_HTML`` names another build to test (default
``_build/html``), e.g. one made with ``jupyter-book build . --path-output <dir>``."""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HTML = Path(os.environ.get("FER_REPRO_BOOK_HTML") or ROOT / "_build" / "html").resolve()
#: where the book is served: a sub-path, like https://<user>.github.io/<repository>/
SUBPATH = "fer-repro"
#: (width, height) of the desktop and the phone every page is checked at
VIEWPORTS = {"desktop": (1400, 900), "phone": (390, 844)}
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


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


#: the served book's address (set by the `browser` fixture): http://127.0.0.1:<port>/fer-repro/
_SITE: dict[str, str] = {}


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    """Headless Chromium, with the book served at ``http://127.0.0.1:<port>/fer-repro/``."""
    if not (HTML / "index.html").exists():
        pytest.skip("the book is not built: run `make book` (make test does it first)")
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (Debian: apt-get install chromium)")
    sync = pytest.importorskip("playwright.sync_api")
    docroot = tmp_path_factory.mktemp("site")
    (docroot / SUBPATH).symlink_to(HTML, target_is_directory=True)
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(docroot)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _SITE["origin"] = f"http://127.0.0.1:{server.server_port}/"
    _SITE["base"] = f"{_SITE['origin']}{SUBPATH}/"
    try:
        with sync.sync_playwright() as p:
            b = p.chromium.launch(executable_path=CHROMIUM, args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--no-first-run"])
            yield b
            b.close()
    finally:
        server.shutdown()
        server.server_close()


def _open(browser, page_name, viewport=None):
    """Open a page of the served book (at `viewport`, a (width, height), default playwright's).
    Returns the page, the requests that left the book's server (offline means none), and the
    errors: uncaught exceptions, console errors, failed requests and HTTP statuses >= 400."""
    page = browser.new_page(**({"viewport": dict(zip(("width", "height"), viewport))}
                               if viewport else {}))
    external, errors = [], []
    page.on("request", lambda r: external.append(r.url)
            if not r.url.startswith((_SITE["base"], "data:", "blob:", "about:")) else None)
    page.on("pageerror", lambda e: errors.append(f"exception: {e}"))
    page.on("console", lambda m: errors.append(f"console error: {m.text}") if m.type == "error" else None)
    page.on("requestfailed", lambda r: errors.append(f"failed request: {r.url} ({r.failure})"))
    page.on("response", lambda r: errors.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
    page.goto(f"{_SITE['base']}{page_name}.html")
    page.wait_for_load_state("load")
    return page, external, errors


@pytest.mark.parametrize("name", PAGES)
def test_page_loads_offline_without_errors(browser, name):
    page, external, errors = _open(browser, name)
    page.wait_for_load_state("networkidle")  # late requests too (fonts, lazy scripts)
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


# -- every page at every width ---------------------------------------------------------------------

#: JavaScript: what makes the page wider than the window, and every table in <main> that is wider
#: than its container without a scrolling box (overflow-x auto/scroll) around it
_LAYOUT_JS = """() => {
  const describe = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
      + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\\s+/).join('.') : '')
      + ' "' + (e.textContent || '').trim().slice(0, 50) + '"';
  const scrolls = e => ['auto', 'scroll'].includes(getComputedStyle(e).overflowX);
  const main = document.querySelector('main');
  const tables = [];
  for (const t of main.querySelectorAll('table')) {
    if (!t.getClientRects().length) continue;  // not displayed (a closed <details>)
    const width = t.getBoundingClientRect().width;
    let box = t.parentElement, inScroller = false;
    for (let a = box; a && a !== main.parentElement; a = a.parentElement) {
      if (scrolls(a)) { inScroller = true; break; }
    }
    if (width > box.clientWidth + 1 && !inScroller) tables.push(describe(t));
  }
  const wide = [];
  if (document.documentElement.scrollWidth > innerWidth) {
    for (const e of document.body.querySelectorAll('*')) {
      const r = e.getBoundingClientRect();
      if (r.width && r.right > innerWidth + 1 && getComputedStyle(e).visibility !== 'hidden') {
        let clipped = false;
        for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
          if (getComputedStyle(a).overflowX !== 'visible' && a.getBoundingClientRect().right <= innerWidth + 1) {
            clipped = true; break;
          }
        }
        if (!clipped) wide.push(describe(e));
      }
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, width: innerWidth,
          tables: tables, wide: wide.slice(-5)};
}"""


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("name", PAGES)
def test_page_layout(browser, name, viewport):
    """No sideways scrolling of the page, every table fits or scrolls in its own box, no console
    error or failed request, at the desktop and at the phone width."""
    page, external, errors = _open(browser, name, VIEWPORTS[viewport])
    page.wait_for_load_state("networkidle")
    layout = page.evaluate(_LAYOUT_JS)
    assert layout["scrollWidth"] <= layout["width"], \
        f"{name} at {viewport}: the page scrolls sideways; too wide: {layout['wide']}"
    assert layout["tables"] == [], f"{name} at {viewport}: tables wider than the page: {layout['tables']}"
    assert external == [], f"{name} at {viewport} requested {external}"
    assert errors == [], f"{name} at {viewport}: {errors}"
    page.close()


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("name", PAGES)
def test_sidebar_buttons_open_their_panels(browser, name, viewport):
    """The menu button shows the book's table of contents (on a phone as a panel over the page,
    on a desktop it folds the sidebar away and back), and the contents button shows the page's
    own sections where the page has some."""
    from playwright.sync_api import expect

    page, _, errors = _open(browser, name, VIEWPORTS[viewport])
    toc_link = page.locator(".bd-docs-nav a.reference").first
    menu = page.locator("button.primary-toggle:visible")
    assert menu.count() == 1, f"{name} at {viewport}: {menu.count()} visible menu buttons"
    if viewport == "phone":
        expect(toc_link).to_be_hidden()
        menu.click()
        expect(page.locator("#pst-primary-sidebar-modal")).to_have_attribute("open", "")
        expect(toc_link).to_be_visible()
        assert toc_link.bounding_box()["x"] >= 0, f"{name}: the table of contents opened off screen"
        page.keyboard.press("Escape")
        expect(toc_link).to_be_hidden()
    else:
        expect(toc_link).to_be_visible()
        menu.click()
        expect(toc_link).to_be_hidden()
        menu.click()
        expect(toc_link).to_be_visible()
    section_link = page.locator(".bd-sidebar-secondary .page-toc a, "
                                "#pst-secondary-sidebar-modal .page-toc a").first
    contents = page.locator("button.secondary-toggle:visible")
    if section_link.count():
        if contents.count():
            contents.click()
            expect(page.locator("#pst-secondary-sidebar-modal")).to_have_attribute("open", "")
            expect(section_link).to_be_visible()
            page.keyboard.press("Escape")
        else:
            expect(section_link).to_be_visible()  # wide enough to show the sections beside the text
    assert errors == [], f"{name} at {viewport}: {errors}"
    page.close()


# -- what a reader sees first ---------------------------------------------------------------------
#: the pages that open with a verdict summary: the landing page and the five paper chapters
SUMMARY_PAGES = [p for p in PAGES if p.split("/")[-1] in
                 ("intro", "suwartono2025", "amacnn", "resemotenet", "dcrnet", "dlfer")]


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("name", SUMMARY_PAGES)
def test_verdict_summary_is_on_the_first_screen(browser, name, viewport):
    """The verdicts come first: the summary starts within the first screen, above the re-run box,
    the parameters and every code toggle, and shows the verdict badges."""
    page, _, _ = _open(browser, name, VIEWPORTS[viewport])
    box = page.locator("main .fer-verdict-summary").first
    top = box.bounding_box()["y"]
    assert top < VIEWPORTS[viewport][1] * 0.75, f"{name} at {viewport}: the summary starts at y={top}"
    assert box.locator(".fer-badge").count() >= 2
    later = page.locator("main .admonition.tip, main .tag_hide-input, main details.hide").all()
    for el in later:
        bb = el.bounding_box()
        if bb is not None:
            assert bb["y"] > top, f"{name}: a re-run box or code toggle above the verdict summary"
    page.close()


# -- the built files (no browser) ---------------------------------------------------------------------

def _built_pages():
    if not (HTML / "index.html").exists():
        pytest.skip("the book is not built: run `make book` (make test does it first)")
    return {name: (HTML / f"{name}.html").read_text() for name in PAGES}


def _main_html(text: str) -> str:
    return text.split("<main", 1)[-1].split("</main>", 1)[0]


def test_built_book_publishes_under_a_sub_path():
    """GitHub Pages: `.nojekyll` (else `_static` is not served) and only relative addresses to the
    book's own files (no leading slash, no file:// address)."""
    pages = _built_pages()
    assert (HTML / ".nojekyll").exists(), "no .nojekyll: GitHub Pages would not serve _static"
    landing = re.search(r"url=([^\"'\s>]+)", (HTML / "index.html").read_text())
    assert landing is None or (not landing[1].startswith("/") and (HTML / landing[1]).exists()), \
        f"index.html sends the reader to {landing[1]}"
    for name, text in pages.items():
        bad = re.findall(r'(?:href|src)="((?:/(?!/)|file:)[^"]*)"', text)
        assert bad == [], f"{name}: absolute addresses {bad[:5]}"


def test_widget_manager_only_on_pages_with_widgets():
    """require.js and the ipywidgets manager load only where a widget is shown."""
    for name, text in _built_pages().items():
        if "application/vnd.jupyter.widget-view+json" in text:
            continue
        for asset in ("html-manager/embed-amd.js", "require.min.js", "widget-state+json"):
            assert asset not in text, f"{name} loads {asset} but shows no widget"


#: machine-specific paths that must not reach a page (say $TORCH_HOME, $FER_REPRO_DATA, ...)
MACHINE_PATH = re.compile(r"(?<![\w$])(?:/root/|/home/\w|/work/|/tmp/|~/\.cache|\.cache/torch)")


def test_no_machine_paths_on_pages():
    for name, text in _built_pages().items():
        words = re.sub(r"<[^>]+>", " ", _main_html(text))
        hits = [words[max(0, m.start() - 40):m.end() + 40] for m in MACHINE_PATH.finditer(words)]
        assert hits == [], f"{name}: machine paths {hits[:3]}"


def test_dois_are_links():
    """Every DOI printed in a page's text is a link (https://doi.org/...)."""
    for name, text in _built_pages().items():
        outside_links = re.sub(r"<a\b[^>]*>.*?</a>", " ", _main_html(text), flags=re.DOTALL)
        words = re.sub(r"<[^>]+>", " ", outside_links)
        assert not re.search(r"\b(?:doi:\s*|doi\.org/)10\.\d{4,}/", words, re.IGNORECASE), \
            f"{name}: a DOI that is not a link"


def test_glossary_terms_link_to_the_glossary():
    """The glossary is a Sphinx glossary (terms with anchors) and the chapters link to it."""
    pages = _built_pages()
    glossary = pages["book/glossary"]
    terms = set(re.findall(r'<dt id="(term-[^"]+)"', glossary))
    assert len(terms) >= 10, "book/glossary.md is not a {glossary} directive"
    linked = {name: set(re.findall(r'href="[^"]*glossary\.html#(term-[^"]+)"', text))
              for name, text in pages.items() if name != "book/glossary"}
    for name, anchors in linked.items():
        assert anchors <= terms, f"{name}: links to missing glossary terms {anchors - terms}"
    assert sum(bool(a) for a in linked.values()) >= 5, "few pages link their terms to the glossary"

