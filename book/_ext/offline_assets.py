"""Keep every page's <script> and <link> list local, short and free of duplicates.

A Sphinx extension for the book (listed under ``sphinx: local_extensions`` in
``_config.yml``). On ``html-page-context`` it drops from the page's asset lists:

* duplicates (Sphinx 7.4 lets sphinx-thebe / sphinx-togglebutton register their
  inline scripts twice: "Identifier 'THEBE_JS_URL' has already been declared");
* the sphinx-thebe scripts, and the two inline ones it appends to each page body
  (Thebe is off: it would need a live Binder and unpkg);
* myst-nb's saved ipywidgets state (no widget JavaScript reads it; demos are static HTML);
* any script or stylesheet on another host, with a warning, so that a build with
  ``-W`` fails instead of shipping a page that calls out.
"""

from docutils import nodes
from sphinx.util import logging

logger = logging.getLogger(__name__)

WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
THEBE_MARKERS = ("thebe",)


def _is_remote(url):
    return "://" in url or url.startswith("//")


def _drop_thebe_nodes(app, doctree, docname):
    for node in list(doctree.findall(nodes.raw)):
        text = node.astext()
        if "text/x-thebe-config" in text or text.startswith("<script>kernelName"):
            node.parent.remove(node)


def _keep_local(app, pagename, templatename, context, doctree):
    for key in ("script_files", "css_files"):
        kept, seen = [], set()
        for asset in context.get(key, []):
            url = str(getattr(asset, "filename", asset) or "")
            attrs = getattr(asset, "attributes", {})
            ident = (url, tuple(sorted(attrs.items())))
            body = attrs.get("body", "")
            if ident in seen or attrs.get("type") == WIDGET_STATE:
                continue
            if any(m in url.lower() or m in body.lower() for m in THEBE_MARKERS):
                continue
            if _is_remote(url):
                logger.warning(
                    "dropped %s from another host on page %s: %s",
                    key, pagename, url, type="offline_assets", subtype="remote",
                )
                continue
            seen.add(ident)
            kept.append(asset)
        context[key] = kept


def setup(app):
    app.connect("doctree-resolved", _drop_thebe_nodes, priority=900)  # after sphinx-thebe
    # After myst-nb (per-page widget scripts) and sphinx.ext.mathjax (priority 500).
    app.connect("html-page-context", _keep_local, priority=900)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
