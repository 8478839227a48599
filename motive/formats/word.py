"""Word documents (``.docx``, read by python-docx): Microsoft Teams, Google Meet and
Otter transcript downloads, and transcripts laid out as a table (Speaker | Text). Paragraphs
become lines (a line break inside a paragraph starts a new line), each table row a
``Speaker: text`` line, and the lines are read as one of the text layouts.

A .docx is a zip archive, so its directory is checked before python-docx opens
it: the sizes its members declare must stay under the unpacked-size limit and
no large member may be compressed suspiciously well (a zip bomb). Python's
zipfile never unpacks a member past the size the directory declares.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections import Counter

from motive.errors import TranscriptError
from motive.formats.base import MAX_COMPRESSION_RATIO, Document, Transcript, clock_seconds
from motive.formats.text import read_lines

ZIP_MAGIC = b"PK\x03\x04"
_LARGE_MEMBER = 1024 * 1024
_MAX_MEMBERS = 10_000


def check_archive(archive: zipfile.ZipFile, source: str, max_unpacked_bytes: int) -> None:
    """Refuse archives that would unpack to too much, before anything is unpacked."""
    members = archive.infolist()
    if len(members) > _MAX_MEMBERS:
        raise TranscriptError(source, f"is a zip archive of {len(members):,} files, over the {_MAX_MEMBERS:,}-file limit")
    unpacked = sum(member.file_size for member in members)
    if unpacked > max_unpacked_bytes:
        raise TranscriptError(source, f"would unpack to {unpacked:,} bytes, over the {max_unpacked_bytes:,}-byte limit")
    for member in members:
        if member.file_size > _LARGE_MEMBER and member.file_size > MAX_COMPRESSION_RATIO * max(member.compress_size, 1):
            raise TranscriptError(
                source, f"is compressed over {MAX_COMPRESSION_RATIO}:1 (a zip bomb?), so motive does not unpack it"
            )


def paragraph_lines(data: bytes, source: str, max_unpacked_bytes: int) -> list[str]:
    """The document's paragraphs as lines of text."""
    import docx
    from docx.opc.exceptions import OpcError
    from lxml.etree import LxmlError

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, EOFError, ValueError, OSError):
        raise TranscriptError(source, "is not a Word document (.docx): not a zip archive") from None
    with archive:
        check_archive(archive, source, max_unpacked_bytes)
    try:
        document = docx.Document(io.BytesIO(data))
        lines: list[str] = []
        for block in document.iter_inner_content():  # paragraphs and tables, in the document's order
            if isinstance(block, docx.table.Table):
                lines += table_lines([[cell.text for cell in row.cells] for row in block.rows])
            else:
                lines += block.text.split("\n")
        return lines
    except (zipfile.BadZipFile, KeyError, ValueError, OpcError, LxmlError, zlib.error, EOFError, NotImplementedError, OSError):
        raise TranscriptError(source, "is a damaged or unsupported Word document (.docx)") from None


_SPEAKER_COLUMNS = {"speaker", "name", "who", "speaker name", "person"}
_TEXT_COLUMNS = {"text", "transcript", "dialogue", "content", "utterance", "words", "what was said", "speech"}
_TIME_COLUMNS = {"time", "timestamp", "start", "timecode", "start time"}


def table_lines(rows: list[list[str]]) -> list[str]:
    """A transcript laid out as a table (Speaker | Text, or Time | Speaker | Text, as transcription
    services deliver them; without a heading row, the speakers must come back) → ``Speaker: text``
    lines, with ``[time]`` before them; a table of details or prices → its rows as words
    ("Date | 4 June"), which are no speaker's.

    >>> table_lines([["Time", "Speaker", "Text"], ["00:00:10", "Dana Lee", "Why?"], ["00:00:12", "Sam", "Price."]])
    ['', '[00:00:10] Dana Lee: Why?', '[00:00:12] Sam: Price.', '']
    >>> table_lines([["Interviewer", "Why?"], ["Participant", "Price."], ["Interviewer", "And?"], ["Participant", "Speed."]])[1:3]
    ['Interviewer: Why?', 'Participant: Price.']
    >>> table_lines([["Participant", "P07 – Maya Chen"], ["Date", "4 June 2024"]])
    ['Participant | P07 – Maya Chen', 'Date | 4 June 2024']
    """
    if not rows:
        return []
    heading = [cell.strip().lower() for cell in rows[0]]
    speaker = next((i for i, name in enumerate(heading) if name in _SPEAKER_COLUMNS), None)
    text = next((i for i, name in enumerate(heading) if name in _TEXT_COLUMNS), None)
    time = next((i for i, name in enumerate(heading) if name in _TIME_COLUMNS), None)
    if speaker is not None and text is not None:
        rows = rows[1:]
    elif all(len(row) == 2 for row in rows) and _speakers_come_back(rows, 0):
        speaker, text = 0, 1
    elif all(len(row) == 3 for row in rows) and all(clock_seconds(row[0]) is not None for row in rows) and _speakers_come_back(rows, 1):
        time, speaker, text = 0, 1, 2
    else:  # a table of details or prices: its rows, as words
        return [" | ".join(" ".join(cell.split()) for cell in row if cell.strip()) for row in rows if any(cell.strip() for cell in row)]
    lines = [""]  # a transcript table is a block of its own, apart from a cover page above it
    for row in rows:
        words = " ".join(row[text].split()) if text < len(row) else ""
        name = " ".join(row[speaker].split()) if speaker < len(row) else ""
        stamp = row[time].strip() if time is not None and time < len(row) and clock_seconds(row[time]) is not None else None
        if name and words:
            lines.append(f"[{stamp}] {name}: {words}" if stamp else f"{name}: {words}")
        elif words:
            lines.append(words)
    return [*lines, ""]


def _speakers_come_back(rows: list[list[str]], column: int) -> bool:
    """Two people or more speak twice or more in the column: a transcript, not a table of details.

    >>> _speakers_come_back([["Interviewer", "Dana Lee"], ["Date", "4 June"]], 0)
    False
    """
    counts = Counter(row[column].strip() for row in rows if row[column].strip())
    return sum(count >= 2 for count in counts.values()) >= 2


class DocxReader:
    """Word documents, by extension or by their zip signature."""

    name = "docx"

    def accepts(self, document: Document) -> bool:
        return document.suffix == ".docx" or document.data.startswith(ZIP_MAGIC)

    def read(self, document: Document) -> Transcript:
        lines = paragraph_lines(document.data, document.source, document.max_unpacked_bytes)
        return read_lines(lines, document.source, "docx")
