"""Small Sphinx fixes for the book.

- sphinx-thebe registers its inline configuration script once per read phase; Jupyter Book 1 runs
  two, so every page declared ``const THEBE_JS_URL`` twice and the browser raised a SyntaxError.
  Repeated script entries are dropped from each page.
- The sidebar buttons. pydata-sphinx-theme 0.17 fills ``navbar_persistent`` with a search field
  unless it is set, which overrides sphinx-book-theme's empty header: every page then gets the
  PyData header bar, with a second search field and its own (hidden) copies of the two sidebar
  buttons. Both themes bind their click handlers with ``document.querySelector(".primary-toggle")``
  and ``(".secondary-toggle")``, i.e. to the first match: those hidden copies, so the visible
  buttons in the article header did nothing. ``navbar_persistent`` is set empty here, which drops
  that header; ``static/fer-book.js`` also removes any hidden copy before the themes bind.
- ``static/fer-book.css``: long words and paths wrap, tables and code scroll in their own box, so
  that no page scrolls sideways on a phone.
- The ipywidgets manager (require.js and the html-manager, from ``nb_ipywidgets_js``) is loaded
  only on pages that show a widget: myst-nb adds it wherever a notebook saved widget state, and the
  manager then requests fonts from a path that does not exist.
- The theme's colour mode defaults to "auto" (an empty default made the theme log an error), and
  ``.nojekyll`` is written so that GitHub Pages serves ``_static``.
"""

from __future__ import annotations

from pathlib import Path

STATIC = Path(__file__).resolve().parent / "static"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def _config_inited(app, config):
    options = config.html_theme_options
    if isinstance(options, dict):
        options.setdefault("navbar_persistent", [])
    if str(STATIC) not in [str(p) for p in config.html_static_path]:
        config.html_static_path.append(str(STATIC))


def _dedupe_scripts(app, pagename, templatename, context, doctree):
    if not context.get("default_mode"):
        context["default_mode"] = "auto"
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, unique = set(), []
    for s in scripts:
        # the two copies differ only in filename None vs "" (an inline script either way)
        key = (getattr(s, "filename", str(s)) or "", repr(sorted(getattr(s, "attributes", {}).items())))
        if key not in seen:
            seen.add(key)
            unique.append(s)
    scripts[:] = unique


def _shows_widget(doctree) -> bool:
    if doctree is None:
        return False
    return any(WIDGET_VIEW in node.astext() for node in doctree.findall(_is_raw))


def _is_raw(node) -> bool:
    from docutils import nodes

    return isinstance(node, nodes.raw)


def _widget_script(app, script) -> bool:
    attributes = getattr(script, "attributes", {}) or {}
    if attributes.get("type") == WIDGET_STATE:
        return True
    filename = getattr(script, "filename", None) or ""
    return filename in set(app.config.nb_ipywidgets_js or {})


def _drop_unused_widget_manager(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if not scripts or _shows_widget(doctree):
        return
    scripts[:] = [s for s in scripts if not _widget_script(app, s)]


def _write_nojekyll(app, exception):
    if exception is None and app.builder.format == "html":
        (Path(app.outdir) / ".nojekyll").touch()


def setup(app):
    app.connect("config-inited", _config_inited)
    # 'html-page-context' stops at the first handler that returns a template name: run first.
    app.connect("html-page-context", _dedupe_scripts, priority=1)
    # after myst-nb (priority 500) has added the page's notebook scripts
    app.connect("html-page-context", _drop_unused_widget_manager, priority=900)
    app.connect("build-finished", _write_nojekyll)
    # deferred: runs when the page is parsed, before the themes' own (deferred or DOMContentLoaded)
    # handlers look for the sidebar buttons
    app.add_js_file("fer-book.js", loading_method="defer")
    app.add_css_file("fer-book.css", priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
