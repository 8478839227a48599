"""What every reader shares: turns, transcripts, the document being read, and
how pieces of speech (lines, caption cues, JSON segments) become turns.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from functools import cached_property
from typing import Protocol

from motive.errors import TranscriptError
from motive.formats.names import names_someone

#: Files larger than this are refused before they are read (``--max-mb``).
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
#: A .docx (a zip archive) may unpack to at most this many times the file size limit.
UNPACKED_PER_PACKED = 10
#: A zip member larger than 1 MiB may not unpack to more than this many times its packed size
#: (text compresses about 10:1; zip bombs 1000:1).
MAX_COMPRESSION_RATIO = 100


@dataclass(frozen=True)
class Turn:
    """One speaker's uninterrupted text; ``start``/``end`` in seconds where the format has times."""

    speaker: str
    text: str
    line: int = 0
    start: float | None = None
    end: float | None = None


@dataclass(frozen=True)
class Transcript:
    """A transcript's turns, where it came from, its metadata (front matter) and the format it was read as."""

    source: str
    turns: tuple[Turn, ...]
    metadata: dict[str, str] = field(default_factory=dict)
    format: str = "text"


@dataclass
class Document:
    """A file's bytes on their way to a reader; ``text`` decodes them once, when a reader asks."""

    source: str
    suffix: str
    data: bytes
    max_unpacked_bytes: int = DEFAULT_MAX_BYTES * UNPACKED_PER_PACKED

    @classmethod
    def from_text(cls, text: str, source: str, suffix: str) -> Document:
        document = cls(source, suffix, b"")
        document.__dict__["text"] = text.removeprefix("\ufeff")  # seeds the cached property; a BOM kept by open(encoding="utf-8")
        return document

    @cached_property
    def text(self) -> str:
        return decode(self.data, self.source)

    @property
    def head(self) -> str:
        """The start of the text, for telling formats apart by content."""
        return self.text[:2000].lstrip("\ufeff \t\r\n")


class Reader(Protocol):
    """Parses one export format (or family of formats) into turns."""

    name: str

    def accepts(self, document: Document) -> bool: ...

    def read(self, document: Document) -> Transcript: ...


#: What reading one of motive's own results files (``classify -o results.json``, ``--format table``) says.
RESULTS_TABLE = "is a results table written by 'motive classify --format table', not a transcript (insights read results from .jsonl)"
RESULTS_JSON = "is a results file written by motive, not a transcript"
RESULTS_CSV = ("is a results CSV written by 'motive classify', not a transcript "
               "(insights and report read results from .jsonl: write them with 'motive classify -o results.jsonl')")
#: Columns that only the CSV of ``motive classify`` has together (motive.output.CSV_COLUMNS).
RESULTS_COLUMNS = frozenset({"source", "answer", "question_kind", "label", "confidence", "terminal"})


def is_motive_results(problem: str) -> bool:
    """Whether a file's problem is that it holds motive's own results."""
    return problem in (RESULTS_TABLE, RESULTS_JSON, RESULTS_CSV)


def is_results_csv(document: Document) -> bool:
    """Whether a ``.csv``/``.tsv`` document starts with the header of ``motive classify``'s CSV
    (separated by commas, semicolons or tabs, as a spreadsheet may save it again)."""
    if document.suffix.lower() not in (".csv", ".tsv"):
        return False
    header = document.head.split("\n", 1)[0].lower()
    return RESULTS_COLUMNS <= {name.strip().strip('"') for name in re.split(r"[,;\t]", header)}


#: Documents that are not plain text, however their file is named: how each starts, and what to say.
DOCUMENT_SIGNATURES = (
    (b"%PDF-", "is a PDF, not a transcript: export the transcript as text, .docx, .vtt or .srt"),
    (b"{\\rtf", "is an RTF document, not plain text: save it as plain text or .docx"),
)

#: Among encodings that read a file equally cleanly, the ones most transcripts are in win.
PREFERRED_ENCODINGS = ("cp1252", "latin_1", "iso8859_15", "cp1250")


def decode(data: bytes, source: str) -> str:
    """Bytes → text: UTF-8 (with or without BOM) first, then the encoding charset-normalizer detects.

    Short Western European texts read equally cleanly in several code pages
    (charset-normalizer may rank the Baltic cp775 first for French, or offer
    only Chinese and Japanese readings of a short CSV), so text that reads in
    Windows-1252 with its few non-ASCII bytes all letters or typographic marks
    is taken as such, and among the cleanest readings Windows-1252 and its
    relatives are preferred.
    """
    for signature, problem in DOCUMENT_SIGNATURES:
        if data.lstrip()[: len(signature)] == signature:
            raise TranscriptError(source, problem)
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        if (wide := _utf16_without_bom(data)) is not None:
            return wide
        raise TranscriptError(source, "is a binary file, not a transcript")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    if (mixed := _utf8_with_stray_lines(data)) is not None:
        return mixed
    if (western := _western_european(data)) is not None:
        return western
    from charset_normalizer import from_bytes

    matches = from_bytes(data)
    best = matches.best()
    if best is None:
        raise TranscriptError(source, "is not text in any encoding motive recognises")
    cleanest = {m.encoding: m for m in matches if m.chaos <= best.chaos}
    chosen = next((cleanest[name] for name in PREFERRED_ENCODINGS if name in cleanest), best)
    return str(chosen).lstrip("\ufeff")


#: Non-letters that Windows-1252 text holds outside ASCII: quotes, dashes, currency, degrees.
_WESTERN_MARKS = frozenset("\u00a0‘’‚“”„–—…€•«»°£§·¡¿´¨¸ªº")  # with the no-break space of French quotes


def _utf8_with_stray_lines(data: bytes) -> str | None:
    r"""UTF-8 text with a few lines in Windows-1252 (pasted from an older file): at least as many
    lines hold UTF-8 letters as lines fail to read as UTF-8, and those are read as Windows-1252.

    >>> _utf8_with_stray_lines("José: ¿Por qué?\nAna: Sí.\n".encode() + "José: Café\n".encode("cp1252"))
    'José: ¿Por qué?\nAna: Sí.\nJosé: Café\n'
    >>> _utf8_with_stray_lines("Ana: Café\n".encode("cp1252")) is None
    True
    """
    read, in_utf8, stray = [], 0, 0
    for line in data.splitlines(keepends=True):
        try:
            read.append(line.decode("utf-8"))
            in_utf8 += any(byte >= 0x80 for byte in line)
        except UnicodeDecodeError:
            read.append(line.decode("cp1252", errors="replace"))
            stray += 1
    return "".join(read).lstrip("\ufeff") if in_utf8 >= stray else None


def _western_european(data: bytes) -> str | None:
    r"""Windows-1252 text: few bytes outside ASCII (under a tenth), each an accented letter or a typographic mark.

    >>> _western_european("file;segment;region\nacme;caf\u00e9s;Nord\nbeta;\u201cretail\u201d;S\u00fcd\n".encode("cp1252"))
    'file;segment;region\nacme;cafés;Nord\nbeta;“retail”;Süd\n'
    >>> _western_european("Dzi\u0119kuj\u0119, by\u0142o dobrze.".encode("cp1250")) is None  # Polish
    True
    """
    high = sum(byte >= 0x80 for byte in data)
    if not high or high > len(data) / 10 or b"\x00" in data or data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    return text if all(c.isalpha() or c in _WESTERN_MARKS for c in text if ord(c) >= 0x80) else None


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text written without a byte-order mark: mostly ASCII, so every other byte is NUL.

    >>> _utf16_without_bom("Q: Why?".encode("utf-16-le")), _utf16_without_bom(bytes(range(8)))
    ('Q: Why?', None)
    """
    head = data[:4096]
    for encoding, zeros in (("utf-16-le", head[1::2]), ("utf-16-be", head[0::2])):
        if len(data) % 2 == 0 and zeros.count(0) >= 0.9 * len(zeros):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            if "\x00" not in text and all(c.isprintable() or c.isspace() for c in text[:2048]):
                return text
    return None


# --- pieces of speech → turns ---------------------------------------------------------


@dataclass(frozen=True)
class Piece:
    """A stretch of speech as a format gives it; ``speaker=None`` continues the previous speaker."""

    speaker: str | None
    text: str
    line: int = 0
    start: float | None = None
    end: float | None = None
    raw: str | None = None  # the line as written, when a text format read a label off it


def assemble(pieces: list[Piece], *, drop_rare_labels: bool = False, speakers: Collection[str] = ()) -> list[Turn]:
    """Pieces → turns: unlabelled pieces continue the last speaker, then one speaker's
    consecutive pieces (caption cues cut every few seconds) merge into one turn.

    With ``drop_rare_labels``, a label seen once in a long transcript is taken for
    text that happens to hold a colon ("Reason one: price."), unless its words end in a
    question (a second interviewer asking once), it names someone and answers another
    speaker's question (the one customer of a short interview, a colleague answering
    once), or it is one of ``speakers`` (those the front matter names).
    """
    if drop_rare_labels:
        pieces = _rare_labels_as_text(pieces, set(speakers))
    turns: list[Turn] = []
    for piece in pieces:
        if piece.speaker is None:
            if turns:
                turns.append(Turn(turns[-1].speaker, piece.text, piece.line, piece.start, piece.end))
            continue
        turns.append(Turn(piece.speaker, piece.text, piece.line, piece.start, piece.end))
    return merge_consecutive(turns)


def _rare_labels_as_text(pieces: list[Piece], speakers: set[str]) -> list[Piece]:
    labelled = [p for p in pieces if p.speaker is not None]
    if len(labelled) < 5:
        return pieces
    counts: dict[str, int] = {}
    for piece in labelled:
        counts[piece.speaker] = counts.get(piece.speaker, 0) + 1
    kept: list[Piece] = []
    speaking: str | None = None
    for piece in pieces:
        once = piece.speaker is not None and counts[piece.speaker] == 1 and piece.speaker not in speakers
        replies = (speaking is not None and piece.speaker != speaking and kept[-1].text.rstrip().endswith(("?", "？"))
                   and names_someone(piece.speaker or ""))
        if once and not _asks(piece) and not replies:
            # words, as written, of the turn before; at the very start a header line ("Date: 3 March"), left out
            text = piece.raw if piece.raw is not None else f"{piece.speaker}: {piece.text}".strip()
            piece = Piece(None, text, piece.line, None if piece.raw is not None else piece.start, piece.end)
        kept.append(piece)
        speaking = piece.speaker or speaking
    return kept


def _asks(piece: Piece) -> bool:
    return piece.text.rstrip().endswith(("?", "？"))


def merge_consecutive(turns: list[Turn]) -> list[Turn]:
    """Merge consecutive turns of one speaker into one turn; drop empty turns.

    An empty turn (a header line whose words follow) still lends its start time.

    >>> merge_consecutive([Turn("A", "one", 1, 0.0, 1.0), Turn("A", "two", 2, 1.0, 2.5)])
    [Turn(speaker='A', text='one two', line=1, start=0.0, end=2.5)]
    """
    merged = _merge_runs(turns)
    return _merge_runs([turn for turn in merged if turn.text])


def _merge_runs(turns: list[Turn]) -> list[Turn]:
    merged: list[Turn] = []
    for turn in turns:
        if merged and merged[-1].speaker == turn.speaker:
            last = merged[-1]
            merged[-1] = Turn(
                last.speaker,
                f"{last.text} {turn.text}".strip(),
                last.line,
                last.start if last.start is not None else turn.start,
                turn.end if turn.end is not None else last.end,
            )
        else:
            merged.append(turn)
    return merged


def ends_at_next_start(turns: list[Turn]) -> list[Turn]:
    """For formats that only stamp when a turn starts: a turn ends where the next one starts."""
    return [
        Turn(t.speaker, t.text, t.line, t.start, t.end if t.end is not None or nxt.start is None else nxt.start)
        for t, nxt in zip(turns, turns[1:])
    ] + turns[-1:]


# --- times ---------------------------------------------------------------------------

_CLOCK = re.compile(r"^(?:(\d{1,3}):(?=\d{1,2}:))?(\d{1,3}):(\d{1,2})(?:[.,](\d{1,3}))?$")  # mmm:ss past 99 minutes


def clock_seconds(value: str) -> float | None:
    """``h:mm:ss``, ``mm:ss`` or ``m:ss.fff`` → seconds; ``None`` when it is no clock time.

    >>> clock_seconds("1:02:03"), clock_seconds("0:35"), clock_seconds("00:00:04,500"), clock_seconds("100:00")
    (3723.0, 35.0, 4.5, 6000.0)
    """
    match = _CLOCK.match(value.strip())
    if not match:
        return None
    hours, minutes, seconds, fraction = match.groups()
    if int(seconds) >= 60 or (hours and int(minutes) >= 60):
        return None  # "101:75", "Psalm 119:70": no time
    total = int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds)
    return total + (int(fraction.ljust(3, "0")) / 1000 if fraction else 0.0)


def seconds(value: object, scale: float = 1.0) -> float | None:
    """A JSON time → seconds (``scale`` 0.001 for milliseconds); ``None`` when it is not a finite number ≥ 0.

    >>> seconds(4250, 0.001), seconds(-1), seconds(10**400), seconds("3")
    (4.25, None, None, None)
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        result = float(value) * scale
    except OverflowError:  # an integer too large for a float
        return None
    return round(result, 3) if math.isfinite(result) and result >= 0 else None
