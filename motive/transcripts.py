"""Transcripts → speaker turns.

A reader turns a file's text into :class:`Turn` objects. Readers are tried in
order; the first whose ``accepts`` says yes parses the text. Plain
"Speaker: text" transcripts, with optional front matter, are read here; other
export formats plug in by adding a :class:`Reader` to :data:`READERS`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from motive.errors import TranscriptError

DEFAULT_MAX_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class Turn:
    """One speaker's uninterrupted text."""

    speaker: str
    text: str
    line: int = 0
    start: float | None = None
    end: float | None = None


@dataclass(frozen=True)
class Transcript:
    """A transcript's turns, where it came from, and its metadata (front matter)."""

    source: str
    turns: tuple[Turn, ...]
    metadata: dict[str, str] = field(default_factory=dict)


class Reader(Protocol):
    """Parses one export format into turns."""

    name: str

    def accepts(self, text: str, suffix: str) -> bool: ...

    def read(self, text: str, source: str) -> Transcript: ...


# --- plain "Speaker: text" transcripts -------------------------------------------------

_LABEL = re.compile(
    r"""^\s*
    (?P<label>[^\W\d_][\w.'()&/ -]{0,39}?)   # starts with a letter, at most 40 characters
    \s*:\s+(?P<text>\S.*)?$""",
    re.VERBOSE,
)
_ANNOTATION = re.compile(r"^@(root|probe|aside|output|outcome|none)\b")
_FRONT_MATTER_FENCE = "---"


def split_front_matter(lines: list[str]) -> tuple[dict[str, str], int]:
    """Read ``key: value`` lines between two ``---`` fences at the top.

    Returns the metadata and the index of the first line after it.

    >>> split_front_matter(["---", "segment: retail", "---", "Q: Why?"])
    ({'segment': 'retail'}, 3)
    """
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None or lines[first].strip() != _FRONT_MATTER_FENCE:
        return {}, 0
    for end in range(first + 1, len(lines)):
        if lines[end].strip() == _FRONT_MATTER_FENCE:
            break
    else:
        return {}, 0
    metadata = {}
    for line in lines[first + 1 : end]:
        key, sep, value = line.partition(":")
        if sep and key.strip():
            metadata[key.strip()] = value.strip()
    return metadata, end + 1


def speaker_label(line: str) -> tuple[str, str] | None:
    """Return ``(label, text)`` when a line opens a turn, else ``None``.

    >>> speaker_label("Plant Manager: We run three shifts.")
    ('Plant Manager', 'We run three shifts.')
    >>> speaker_label("00:01:02 the clock") is None
    True
    """
    match = _LABEL.match(line)
    if not match:
        return None
    words = match["label"].split()
    if len(words) > 4 or (len(words) > 2 and not words[0][0].isupper()):
        return None
    return match["label"].strip(), (match["text"] or "").strip()


def parse_labelled_lines(lines: list[str], first_line: int = 1) -> list[Turn]:
    """Group lines into turns: a labelled line opens a turn, other lines continue it.

    Annotation lines of motive's corpus format (``@root``, ``@output``, …) are skipped.
    """
    raw: list[tuple[str, list[str], int]] = []
    for number, line in enumerate(lines, start=first_line):
        if _ANNOTATION.match(line) or not line.strip():
            continue
        opened = speaker_label(line)
        if opened:
            raw.append((opened[0], [opened[1]] if opened[1] else [], number))
        elif raw:
            raw[-1][1].append(line.strip())
    raw = _drop_rare_labels(raw)
    return merge_consecutive([Turn(label, " ".join(parts), number) for label, parts, number in raw])


def _drop_rare_labels(raw: list[tuple[str, list[str], int]]) -> list[tuple[str, list[str], int]]:
    """A label seen once in a long transcript is text that happens to hold a colon."""
    counts: dict[str, int] = {}
    for label, _, _ in raw:
        counts[label] = counts.get(label, 0) + 1
    if len(raw) < 5:
        return raw
    kept: list[tuple[str, list[str], int]] = []
    for label, parts, number in raw:
        if counts[label] == 1 and kept:
            kept[-1][1].append(f"{label}: {' '.join(parts)}".strip())
        else:
            kept.append((label, parts, number))
    return kept


def merge_consecutive(turns: list[Turn]) -> list[Turn]:
    """Merge consecutive turns of one speaker into one turn."""
    merged: list[Turn] = []
    for turn in turns:
        if merged and merged[-1].speaker == turn.speaker:
            last = merged[-1]
            merged[-1] = Turn(
                last.speaker,
                f"{last.text} {turn.text}".strip(),
                last.line,
                last.start,
                turn.end if turn.end is not None else last.end,
            )
        elif turn.text:
            merged.append(turn)
    return merged


class PlainTextReader:
    """"Speaker: text" lines, optionally under ``---`` front matter (also motive's corpus files)."""

    name = "text"

    def accepts(self, text: str, suffix: str) -> bool:
        return suffix in {"", ".txt", ".md", ".markdown", ".text"}

    def read(self, text: str, source: str) -> Transcript:
        lines = text.splitlines()
        metadata, body = split_front_matter(lines)
        turns = parse_labelled_lines(lines[body:], first_line=body + 1)
        return Transcript(source, tuple(turns), metadata)


READERS: list[Reader] = [PlainTextReader()]


# --- reading files ------------------------------------------------------------------


def decode(data: bytes, source: str) -> str:
    """Bytes → text: UTF-8 (with or without BOM) first, then detected encodings."""
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise TranscriptError(source, "is a binary file, not a transcript")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise TranscriptError(source, "is not text in any encoding motive recognises")
    return str(best)


def read_text(text: str, source: str = "<text>", suffix: str = ".txt") -> Transcript:
    """Parse transcript text with the first reader that accepts it."""
    for reader in READERS:
        if reader.accepts(text, suffix):
            return check_turns(reader.read(text, source))
    raise TranscriptError(source, f"no reader for files ending in {suffix!r}")


def read_file(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Transcript:
    """Read one transcript file; every problem becomes a :class:`TranscriptError`."""
    source = str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise TranscriptError(source, f"is {size:,} bytes, over the {max_bytes:,}-byte limit")
        data = path.read_bytes()
    except PermissionError:
        raise TranscriptError(source, "cannot be read: permission denied") from None
    except IsADirectoryError:
        raise TranscriptError(source, "is a folder, not a file") from None
    except FileNotFoundError:
        raise TranscriptError(source, "does not exist") from None
    except OSError as error:
        raise TranscriptError(source, f"cannot be read: {error.strerror or error}") from None
    return read_text(decode(data, source), source, path.suffix.lower())


def check_turns(transcript: Transcript) -> Transcript:
    """Refuse transcripts motive cannot find an interview in."""
    if not transcript.turns:
        raise TranscriptError(transcript.source, "holds no speaker turns (expected lines like 'Name: text')")
    if len({turn.speaker for turn in transcript.turns}) < 2:
        raise TranscriptError(transcript.source, "has only one speaker, so there is no interviewer to answer")
    return transcript


TRANSCRIPT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}


def find_transcripts(paths: list[Path]) -> list[Path]:
    """Expand files and folders (recursively) into transcript files, in a stable order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in TRANSCRIPT_SUFFIXES and not _hidden(p, path))
            )
        else:
            found.append(path)
    return found


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)
