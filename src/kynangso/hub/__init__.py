"""Many users on one JupyterHub: a workshop's laptop or a province's server.

``kynangso hub init`` writes a hub folder (``kynangso-hub.toml`` + ``deploy/jupyterhub_config.py``) for one
course; JupyterHub then reads it through :func:`kynangso.hub.setup.apply`. Learners sign in with the code printed
on their card, each runs their own Jupyter server (lessons, simulations, the Assignments tab) under their own
system account, and the course's Formgrader runs as a JupyterHub service under a grader account, as nbgrader's
"Using nbgrader with JupyterHub" page lays it out.
"""
