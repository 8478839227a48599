"""A chain's one-line summary, "<what they buy> → <terminal outcome>", from the answers' own words."""

from __future__ import annotations

import re

NO_OUTCOME = "(no outcome reached)"
_LEADING = re.compile(r"^(a|an|the|our|my|their|your|his|her|its|this|that|these|those|some|new|um+|uh+|so|well)\s+", re.I)
_SKIP = {"i", "we", "you", "they", "it", "he", "she", "that", "this", "what", "which", "something", "thing", "things", "lot", "one"}


def shorten(text: str, words: int = 14) -> str:
    """At most ``words`` words, with an ellipsis when cut.

    >>> shorten("one two three four", words=2)
    'one two…'
    """
    parts = text.split()
    cut = " ".join(parts[:words]).rstrip(",;:.")
    return cut + "…" if len(parts) > words else text.strip().rstrip(".")


def what_they_buy(noun_chunks: list[str], first_sentence: str) -> str:
    """The first content noun phrase of the chain's first answer, else its opening words.

    >>> what_they_buy(["We", "our operating manuals", "Japanese"], "We need our operating manuals in Japanese.")
    'operating manuals'
    """
    for chunk in noun_chunks:
        stripped = chunk.strip()
        while _LEADING.match(stripped):
            stripped = _LEADING.sub("", stripped, count=1)
        if stripped and stripped.lower() not in _SKIP:
            return shorten(stripped, 6)
    return shorten(first_sentence, 6)


def summarize(what: str, terminal_evidence: str | None) -> str:
    """Tie the chain's first statement to its last outcome.

    >>> summarize("document translation", "We need to mitigate those risks.")
    'document translation → We need to mitigate those risks'
    """
    return f"{what} → {shorten(terminal_evidence) if terminal_evidence else NO_OUTCOME}"
