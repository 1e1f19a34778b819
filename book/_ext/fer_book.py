"""Small Sphinx fixes for the book.

sphinx-thebe registers its inline configuration script once per read phase; Jupyter Book 1 runs
two, so every page declared ``const THEBE_JS_URL`` twice and the browser raised a SyntaxError.
This drops repeated script entries from each page.
"""

from __future__ import annotations


def _dedupe_scripts(app, pagename, templatename, context, doctree):
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


def setup(app):
    # 'html-page-context' stops at the first handler that returns a template name: run first.
    app.connect("html-page-context", _dedupe_scripts, priority=1)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
