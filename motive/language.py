"""Whether a transcript's answers are in English, the language motive's model was trained on.

A transcript in another language is still classified, but its labels mean little,
so its result carries a note. Most transcripts are recognised as English by their
common words alone; only the others are put to a language identifier (py3langid,
loaded on first use).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from functools import lru_cache

log = logging.getLogger(__name__)

#: Words common in English speech and spelt so in no other common language ("in", "was", "so", "we"
#: are Dutch or German words too): a transcript in which they make up this share is English.
ENGLISH_WORDS = frozenset(
    "the and that you it's i'm don't with this have they what because would there their just about really which were "
    "been our but not".split()
)
ENGLISH_SHARE = 0.1
#: Below this much text, no language is named: "Price. Speed." could be several.
MIN_WORDS, MIN_CHARACTERS = 20, 40
#: How sure the identifier must be of another language.
SURE = 0.9
LANGUAGE_NAMES = {
    "ar": "Arabic", "cs": "Czech", "da": "Danish", "de": "German", "el": "Greek", "es": "Spanish", "fi": "Finnish",
    "fr": "French", "he": "Hebrew", "hi": "Hindi", "hu": "Hungarian", "id": "Indonesian", "it": "Italian", "ja": "Japanese",
    "ko": "Korean", "nb": "Norwegian", "nl": "Dutch", "no": "Norwegian", "pl": "Polish", "pt": "Portuguese", "ro": "Romanian",
    "ru": "Russian", "sv": "Swedish", "th": "Thai", "tr": "Turkish", "uk": "Ukrainian", "vi": "Vietnamese", "zh": "Chinese",
}
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


def other_language(answers: Sequence[str]) -> str | None:
    """The language the answers are in when it is surely not English (a code such as ``"es"``),
    else None (English, or too little text to tell).

    >>> other_language(["We need the manuals in Japanese, because the distributor in Osaka won't list it without them."])
    >>> other_language(["Price.", "Speed."]) is None
    True
    >>> other_language(["We hebben de handleidingen nodig in het Japans, want anders is de distributeur niet blij."])
    'nl'
    """
    text = " ".join(answers)
    words = _WORD.findall(text.lower())
    if len(words) < MIN_WORDS and len(text) < MIN_CHARACTERS:
        return None
    if words and sum(word in ENGLISH_WORDS for word in words) / len(words) >= ENGLISH_SHARE:
        return None
    try:
        language, probability = _identifier().classify(text)
    except Exception as error:  # noqa: BLE001  (the note is a courtesy: it must not stop a run)
        log.warning("cannot tell the language of the answers: %s", error)
        return None
    return language if language != "en" and probability >= SURE else None


def language_note(language: str) -> str:
    """The note a result gets when its answers are in ``language``.

    >>> language_note("es")
    'the answers read as Spanish (es), not English: motive reads English interviews, so these labels mean little'
    """
    name = LANGUAGE_NAMES.get(language, "another language")
    return f"the answers read as {name} ({language}), not English: motive reads English interviews, so these labels mean little"


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
