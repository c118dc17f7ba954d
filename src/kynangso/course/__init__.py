"""Course folders: standard nbgrader course roots that nbgrader's own commands work in unchanged."""
