"""Sphinx configuration of the fastlr documentation.

Build (warnings are errors):  python -m sphinx -W --keep-going -b html docs docs/_build/html
Needs: pip install sphinx numpydoc myst-parser matplotlib (the ``docs`` requirements).
The catalog figures, the CLI help pages and the optional toctrees are generated
at build time by ``_ext/fastlr_docs.py``; nothing generated is committed.
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "_ext"))

import fastlr  # noqa: E402  (the installed package is documented)

project = "fastlr"
author = "fastlr developers"
copyright = "fastlr developers"
release = fastlr.__version__
version = ".".join(release.split(".")[:2])

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.mathjax",
    "numpydoc",
    "myst_parser",
    "fastlr_docs",
]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "_generated/*.inc", "README.md"]
myst_enable_extensions = ["dollarmath", "colon_fence"]
myst_heading_anchors = 3
suppress_warnings = ["myst.header"]  # pages written in Markdown may start below level 1

autodoc_member_order = "bysource"
autodoc_typehints = "none"  # numpydoc's Parameters sections carry the types
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False

html_theme = "alabaster"
html_title = f"fastlr {release}"
html_theme_options = {"description": "Learning-rate schedules, compiled", "fixed_sidebar": True}
