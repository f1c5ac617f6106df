"""`make instructor`'s server: the Formgrader's pages load MathJax from this server, not a CDN.

nbgrader's grading and feedback pages call nbconvert's ``mathjax()`` macro, whose default URL is
a CDN; the template folder beside this file overrides that macro with the copy that
jupyter-server-mathjax serves, so maths renders with no internet.
"""

from pathlib import Path

c = get_config()  # noqa: F821 - injected by traitlets when the server loads this file

c.HTMLExporter.extra_template_paths = [str(Path(__file__).parent / "templates")]
