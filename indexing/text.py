"""Accent, case and punctuation folding of names, applied identically at index time and at query time.

The Elasticsearch distribution has no `asciifolding` filter, so folding happens here.
"""

from __future__ import annotations

import re
import unicodedata

# Letters that NFKD does not decompose.
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"})
_APOSTROPHES_HYPHENS = re.compile(r"['’‘ʼ`´ʹ\-‐‑‒–—―]")
_WHITESPACE = re.compile(r"\s+")


def fold(text: str | None) -> str:
    """ "Élodie D'Aubigné-Ñúñez" -> "elodie d aubigne nunez" (NFKD, no marks, lower case, single spaces)."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    lowered = bare.casefold().translate(_LIGATURES)
    spaced = _APOSTROPHES_HYPHENS.sub(" ", lowered)
    return _WHITESPACE.sub(" ", spaced).strip()
