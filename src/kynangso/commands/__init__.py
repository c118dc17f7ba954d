"""Subcommands of ``kynangso``: one small module each, discovered by ``kynangso.cli``.

A module here must import only the standard library at module level; heavy imports go inside ``run``.
"""
