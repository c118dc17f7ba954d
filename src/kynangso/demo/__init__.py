"""``kynangso demo``: the whole flow on a generated cohort, from roster to certificates and report."""
