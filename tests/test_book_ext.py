"""The book's Sphinx extension (book/_ext/fer_book.py), without building the book."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import SimpleNamespace

from docutils import nodes
from docutils.utils import new_document

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("fer_book", ROOT / "book" / "_ext" / "fer_book.py")
fer_book = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fer_book)

WIDGET_JS = {"require.min.js": {}, "html-manager/embed-amd.js": {"data-jupyter-widgets-cdn": ""}}


def _app():
    return SimpleNamespace(config=SimpleNamespace(nb_ipywidgets_js=WIDGET_JS))


def _scripts():
    return [SimpleNamespace(filename="documentation_options.js", attributes={}),
            SimpleNamespace(filename=None, attributes={"type": fer_book.WIDGET_STATE, "body": "{}"}),
            SimpleNamespace(filename="require.min.js", attributes={}),
            SimpleNamespace(filename="html-manager/embed-amd.js", attributes={}),
            SimpleNamespace(filename="fer-book.js", attributes={"defer": "defer"})]


def _doctree(*raw_html: str):
    doc = new_document("page")
    for text in raw_html:
        doc += nodes.raw(text, text, format="html")
    return doc


def test_widget_manager_is_dropped_from_pages_without_a_widget():
    context = {"script_files": _scripts()}
    fer_book._drop_unused_widget_manager(_app(), "p", "page.html", context,
                                         _doctree('<div class="fer-explorer"></div>'))
    assert [s.filename for s in context["script_files"]] == ["documentation_options.js", "fer-book.js"]


def test_widget_manager_is_kept_where_a_widget_is_shown():
    context = {"script_files": _scripts()}
    view = f'<script type="{fer_book.WIDGET_VIEW}">{{"model_id": "x"}}</script>'
    fer_book._drop_unused_widget_manager(_app(), "p", "page.html", context, _doctree(view))
    assert len(context["script_files"]) == 5


def test_theme_header_is_dropped_and_colour_mode_defaults():
    config = SimpleNamespace(html_theme_options={}, html_static_path=[])
    fer_book._config_inited(None, config)
    assert config.html_theme_options["navbar_persistent"] == []  # no PyData header bar
    assert config.html_static_path == [str(fer_book.STATIC)]
    context = {"script_files": []}
    fer_book._dedupe_scripts(None, "p", "page.html", context, None)
    assert context["default_mode"] == "auto"
