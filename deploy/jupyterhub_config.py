# JupyterHub configuration of a Kỹ Năng Số hub (a workshop laptop or a province server).
#
# `kynangso hub init HUB_FOLDER --course COURSE --trainer NAME` copies this file next to the settings it reads,
# kynangso-hub.toml; edit the settings there, not here. Start the hub (as root, for the local process spawner):
#     cd HUB_FOLDER && jupyterhub -f jupyterhub_config.py
# On Kubernetes, see deploy/k8s/ (Zero to JupyterHub) instead.
import os

from kynangso.hub.settings import load
from kynangso.hub.setup import apply

c = get_config()  # noqa: F821
apply(c, load(os.environ.get("KYNANGSO_HUB") or os.path.dirname(os.path.abspath(__file__))))
