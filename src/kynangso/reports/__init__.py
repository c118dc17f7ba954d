"""Department reports: coverage by commune and village team, levels by front, the questions most often failed."""
