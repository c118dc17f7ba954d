"""The JupyterLab extensions a Voilà page leaves out, for every Voilà we run (``kynangso sims serve``, the
lesson reader of ``kynangso start``).

Only the widget manager is needed: nbgrader's and Notebook's lab extensions fail to load in Voilà and cost a
phone a second of downloading and parsing.
"""

from __future__ import annotations

EXTENSION_DENYLIST = ("@jupyter/nbgrader", "@jupyter-notebook/lab-extension")
