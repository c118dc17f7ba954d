"""The offline static site: lessons, self-checks and simulations running in the learner's browser (JupyterLite).

``kynangso site build DIR`` writes a folder for any static host (a commune web server, a USB stick served by a
phone app, a laptop's ``python -m http.server``). Python runs in the browser (Pyodide); everything the page needs,
the Pyodide core included, is inside the folder, so the page asks the network for nothing once it is copied.

Modules: ``tools`` (the pinned build tools, installed on demand), ``content`` (notebooks as learners see them,
the browser wheel), ``build`` (the build itself), ``home`` (the site's table of contents), ``browser`` (runs in
Pyodide: progress kept in the browser's storage).
"""
