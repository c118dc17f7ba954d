"""One spelling of a format's version key: ``schema_version``, in every file the project reads.

Lesson metadata, scenarios, the question bank, the certification policy, the exam notebook and the exam room's
state files all write
``schema_version``. Files written before this spelling used ``schema`` (scenarios), ``version`` (policy) or
``format`` (exam room codes): those keys are still read, with no error, for one release; a file that gives both
must give the same value.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

KEY = "schema_version"


class VersionKeyConflict(ValueError):
    """Both spellings given with different values (the Vietnamese message names both)."""


def schema_version(data: Mapping[str, Any], old_key: str, default: Any) -> Any:
    """The version under ``schema_version``, else under the old spelling ``old_key``, else ``default``."""
    if KEY in data and old_key in data and data[KEY] != data[old_key]:
        raise VersionKeyConflict(
            f"“{KEY}” ({data[KEY]!r}) và “{old_key}” ({data[old_key]!r}) khác nhau; chỉ giữ “{KEY}”"
        )
    return data.get(KEY, data.get(old_key, default))
