"""Transcripts → speaker turns.

:func:`read_file` reads a transcript file of any export format motive knows
(see :mod:`motive.formats`): plain "Speaker: text" lines, Zoom, Microsoft Teams,
Google Meet and Otter exports, captions (.vtt, .srt), speech-to-text JSON
(WhisperX, faster-whisper, AssemblyAI, Deepgram, Rev) and Word documents.
Every problem with a file becomes one :class:`~motive.errors.TranscriptError`
naming the file and the problem, never its content.
"""

from __future__ import annotations

import errno
import json
import os
import stat
from collections.abc import Callable
from pathlib import Path

from motive.errors import MotiveError, TranscriptError
from motive.formats import READERS, TRANSCRIPT_SUFFIXES, read_document
from motive.formats.base import (
    DEFAULT_MAX_BYTES,
    UNPACKED_PER_PACKED,
    Document,
    Reader,
    Transcript,
    Turn,
    decode,
    merge_consecutive,
)
from motive.formats.front_matter import split_front_matter
from motive.formats.speaker_lines import speaker_label
from motive.formats.text import parse_labelled_lines
from motive.formats.word import ZIP_MAGIC

__all__ = [
    "DEFAULT_MAX_BYTES", "READERS", "TRANSCRIPT_SUFFIXES", "Reader", "Transcript", "Turn", "check_turns", "decode",
    "find_transcripts", "merge_consecutive", "parse_labelled_lines", "read_file", "read_text", "read_user_text", "speaker_label",
    "split_front_matter",
]


def read_text(text: str, source: str = "<text>", suffix: str = ".txt") -> Transcript:
    """Parse transcript text (of a text format: plain, captions, JSON) with the first reader that accepts it."""
    return check_turns(read_document(Document.from_text(text, source, suffix)))


def read_user_text(path: Path, what: str) -> str:
    """A text file given alongside transcripts (a metadata CSV, a messaging file), in any
    encoding :func:`decode` recognises; a problem is a :class:`MotiveError` naming the file."""
    try:
        return decode(Path(path).read_bytes(), str(path))
    except OSError as error:
        raise MotiveError(f"{path}: cannot read the {what} ({error.strerror or type(error).__name__})") from None
    except TranscriptError as error:
        raise MotiveError(f"{path}: cannot read the {what}: it {error.problem.replace(', not a transcript', ', not text')}") from None


def csv_delimiter(content: str, names: Callable[[set[str]], bool]) -> str | None:
    """The separator (``,``, ``;`` or tab) under which the header row of a CSV's ``content`` holds
    the column names ``names`` wants (lower case, stripped): a spreadsheet in much of Europe writes
    ';', and a quoted cell may hold any of them. None when no separator gives such a header.

    >>> csv_delimiter('file;note\\n"a.txt";"x, y"', lambda found: "file" in found)
    ';'
    """
    import csv

    header = content.lstrip("\ufeff").split("\n", 1)[0].strip("\r")
    for delimiter in (",", ";", "\t"):
        if names({name.strip().lower() for name in next(csv.reader([header], delimiter=delimiter), [])}):
            return delimiter
    return None


def sniffed_delimiter(content: str) -> str:
    """The separator :class:`csv.Sniffer` finds in a CSV's ``content`` (``,``, ``;`` or tab), else ``,``."""
    import csv

    try:
        return csv.Sniffer().sniff(content[:4096], delimiters=",;\t").delimiter
    except csv.Error:
        return ","


def read_file(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES, max_unpacked_bytes: int | None = None) -> Transcript:
    """Read one transcript file; every problem becomes a :class:`TranscriptError`.

    Files over ``max_bytes`` are refused before they are read; a .docx may
    unpack to at most ``max_unpacked_bytes`` (default: ``UNPACKED_PER_PACKED``
    times ``max_bytes``).
    """
    source = str(path)
    data = _read_bytes(path, source, max_bytes)
    unpacked = max_unpacked_bytes if max_unpacked_bytes is not None else max_bytes * UNPACKED_PER_PACKED
    return check_turns(read_document(Document(source, path.suffix.lower(), data, unpacked)))


def read_data(data: bytes, source: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Transcript:
    """Read a transcript from bytes that come without a file name (standard input): the format is
    told by the content alone, as motive tells a file's whose ending says nothing. The limits are
    a file's: ``max_bytes``, and a .docx may unpack to ``UNPACKED_PER_PACKED`` times as much."""
    if len(data) > max_bytes:
        raise TranscriptError(source, f"is over the {max_bytes:,}-byte limit")
    if not data:
        raise TranscriptError(source, "is empty")
    suffix = ".docx" if data.startswith(ZIP_MAGIC) else ".txt"  # the caption and JSON readers know theirs by content
    return check_turns(read_document(Document(source, suffix, data, max_bytes * UNPACKED_PER_PACKED)))


def read_at_most(stream, limit: int, chunk: int = 1 << 20) -> bytes:
    """Up to ``limit`` bytes of a binary stream, and one more if there are more: read in pieces, so
    that a generous limit does not allocate its whole size at once."""
    pieces, size = [], 0
    while size <= limit and (piece := stream.read(min(chunk, limit + 1 - size))):
        pieces.append(piece)
        size += len(piece)
    return b"".join(pieces)


def _read_bytes(path: Path, source: str, max_bytes: int) -> bytes:
    """A regular file's bytes, refusing what is not one, too large, or unreadable."""
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise TranscriptError(source, _folder_problem(path))
        if not stat.S_ISREG(info.st_mode):
            raise TranscriptError(source, "is not a regular file")
        if info.st_size > max_bytes:
            raise TranscriptError(source, f"is {info.st_size:,} bytes, over the {max_bytes:,}-byte limit")
        if info.st_size == 0:
            raise TranscriptError(source, "is empty")
        with path.open("rb") as handle:
            data = read_at_most(handle, max_bytes)
    except PermissionError:
        raise TranscriptError(source, "cannot be read: permission denied") from None
    except FileNotFoundError:
        problem = "is a broken symbolic link" if path.is_symlink() else "does not exist"
        raise TranscriptError(source, problem) from None
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise TranscriptError(source, "is a symbolic link loop") from None
        raise TranscriptError(source, f"cannot be read: {error.strerror or type(error).__name__}") from None
    if len(data) > max_bytes:
        raise TranscriptError(source, f"grew over the {max_bytes:,}-byte limit while being read")
    return data


def _folder_problem(path: Path) -> str:
    if path.is_symlink() and _links_to_ancestor(path):
        return "is a symbolic link to a folder that contains it (a loop), not followed"
    if not os.access(path, os.R_OK | os.X_OK):
        return "is a folder motive cannot open: permission denied"
    if holds_no_transcripts(path):
        return f"is a folder that holds no transcripts (motive reads files ending in {', '.join(sorted(TRANSCRIPT_SUFFIXES - {''}))})"
    return "is a folder, not a file"


def holds_no_transcripts(folder: Path) -> bool:
    """Whether a folder motive can open holds no transcript, however deep (hidden ones left out)."""
    return is_folder(folder) and os.access(folder, os.R_OK | os.X_OK) and not _walk(folder, ancestors=frozenset(), seen=set())


def _links_to_ancestor(path: Path) -> bool:
    target = path.resolve()
    parent = path.parent.resolve()
    return target == parent or target in parent.parents


def check_turns(transcript: Transcript) -> Transcript:
    """Refuse transcripts motive cannot find an interview in."""
    if not transcript.turns:
        raise TranscriptError(transcript.source, "holds no speaker turns (expected lines like 'Name: text')")
    if len({turn.speaker for turn in transcript.turns}) < 2:
        raise TranscriptError(transcript.source, "has only one speaker, so there is no interviewer to answer")
    return transcript


# --- finding transcripts in folders ------------------------------------------------------


def find_transcripts(paths: list[Path], on_repeat: Callable[[Path, Path], None] = lambda dropped, kept: None) -> list[Path]:
    """Expand files and folders (recursively) into transcript files, in a stable order.

    Hidden files and folders are left out. Symbolic links to folders are
    followed once; a link back to a folder that contains it (a loop) and a
    link that loops on itself are listed, so that reading them reports the
    loop as a skipped file instead of dropping it silently; so is a named folder
    that holds no transcripts. A file reached twice (named twice, inside a folder
    also named, or through a link) is listed once, where it is first met (see
    :func:`listed_once`); ``on_repeat`` hears of each path left out and the path kept.
    """
    found: list[Path] = []
    for path in paths:
        if is_folder(path) and not (path.is_symlink() and _links_to_ancestor(path)):
            found.extend(_walk(path, ancestors=frozenset(), seen=set()) or [path])  # none in it: reading it says so
        else:
            found.append(path)  # a file, or a path that cannot be looked at: reading it reports why
    return listed_once(found, on_repeat)


def listed_once(paths: list[Path], on_repeat: Callable[[Path, Path], None] = lambda dropped, kept: None) -> list[Path]:
    """Each file once, where it is first met (two paths to one file are one: the same real path,
    or the same device and inode, as hard links are), named by a path without symbolic links
    when one of them has none.

    >>> listed_once([Path("a.txt"), Path("./a.txt"), Path("b.txt")])
    [PosixPath('a.txt'), PosixPath('b.txt')]
    """
    first: dict[object, Path] = {}
    for path in paths:
        identity = file_identity(path)
        kept = first.get(identity)
        if kept is None:
            first[identity] = path
        elif _through_link(kept) and not _through_link(path):
            first[identity] = path  # the same place in the list, under the file's own name
            on_repeat(kept, path)
        else:
            on_repeat(path, kept)
    return list(first.values())


def file_identity(path: Path) -> object:
    """What makes two paths one file: its (device, inode) for a regular file, which hard links
    share, else its real path (a folder, a missing file: reading it reports why)."""
    try:
        status = os.stat(path)
    except (OSError, ValueError):
        return os.path.realpath(path)
    if stat.S_ISREG(status.st_mode) and status.st_ino:  # some file systems give no inode numbers
        return (status.st_dev, status.st_ino)
    return os.path.realpath(path)


def _through_link(path: Path) -> bool:
    return os.path.abspath(path) != os.path.realpath(path)


def is_folder(path: Path) -> bool:
    """Whether ``path`` is a folder; False when it cannot be looked at (a file in a folder without permission)."""
    try:
        return path.is_dir()
    except OSError:
        return False


#: The files of a model folder whose endings are those of transcripts.
MODEL_FILES_READ_AS_TRANSCRIPTS = frozenset({"config.json", "MODEL_CARD.md", "baselines.json"})


def holds_model(folder: Path) -> bool:
    """Whether ``folder`` holds a motive model (its ``config.json`` is a motive model's)."""
    try:
        return {"format", "estimator", "embedding"} <= set(json.loads((Path(folder) / "config.json").read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError, ValueError, TypeError):
        return False


def _walk(folder: Path, ancestors: frozenset[tuple[int, int]], seen: set[tuple[int, int]]) -> list[Path]:
    """Transcripts under ``folder``; folders are known by (device, inode), so none is walked twice,
    and the files of a motive model (its card is Markdown, its config JSON) are not transcripts."""
    try:
        here = os.stat(folder)
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError:
        return [folder]  # reading it reports why
    if any(entry.name == "config.json" for entry in entries) and holds_model(folder):
        entries = [entry for entry in entries if entry.name not in MODEL_FILES_READ_AS_TRANSCRIPTS]
    key = (here.st_dev, here.st_ino)
    seen.add(key)
    ancestors = ancestors | {key}
    found: list[Path] = []
    for entry in entries:
        path = Path(entry.path)
        if entry.name.startswith("."):
            continue
        if _is_dir(entry):
            target = os.stat(entry.path)
            target_key = (target.st_dev, target.st_ino)
            if target_key in ancestors or (entry.is_symlink() and _links_to_ancestor(path)):
                found.append(path)  # a loop, even through a folder above the one asked for: reading it says so
            elif target_key not in seen:
                found.extend(_walk(path, ancestors, seen))
        elif _is_file(entry):
            if path.suffix.lower() in TRANSCRIPT_SUFFIXES:
                found.append(path)
        elif entry.is_symlink() and (_loops(path) or path.suffix.lower() in TRANSCRIPT_SUFFIXES):
            found.append(path)  # a looping or broken link: reading it says which
        elif path.suffix.lower() in TRANSCRIPT_SUFFIXES:
            found.append(path)  # a named pipe, socket or device: reading it says so, without waiting on it
    return found


def _is_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _is_file(entry: os.DirEntry) -> bool:
    try:
        return entry.is_file()
    except OSError:
        return False


def _loops(path: Path) -> bool:
    try:
        os.stat(path)
    except OSError as error:
        return error.errno == errno.ELOOP
    return False
