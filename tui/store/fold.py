"""How the LIKE fallback of the search compares text (SQLite calls it as `crm_fold`).

A module of its own: every connection registers it when the store opens, while the search
language (`query`, `search`) is imported only when something is searched.
"""

from __future__ import annotations

import unicodedata

FOLD_FUNCTION = "crm_fold"


def fold(text: str | None) -> str:
    """Text as the LIKE fallback compares it: no case, no diacritics."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return bare.casefold()
