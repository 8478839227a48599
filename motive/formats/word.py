"""Word documents (``.docx``, read by python-docx): Microsoft Teams, Google Meet and
Otter transcript downloads. Paragraphs become lines (a line break inside a
paragraph starts a new line) and are read as one of the text layouts.

A .docx is a zip archive, so its directory is checked before python-docx opens
it: the sizes its members declare must stay under the unpacked-size limit and
no large member may be compressed suspiciously well (a zip bomb). Python's
zipfile never unpacks a member past the size the directory declares.
"""

from __future__ import annotations

import io
import zipfile
import zlib

from motive.errors import TranscriptError
from motive.formats.base import MAX_COMPRESSION_RATIO, Document, Transcript
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
        return [line for paragraph in document.paragraphs for line in paragraph.text.split("\n")]
    except (zipfile.BadZipFile, KeyError, ValueError, OpcError, LxmlError, zlib.error, EOFError, NotImplementedError, OSError):
        raise TranscriptError(source, "is a damaged or unsupported Word document (.docx)") from None


class DocxReader:
    """Word documents, by extension or by their zip signature."""

    name = "docx"

    def accepts(self, document: Document) -> bool:
        return document.suffix == ".docx" or document.data.startswith(ZIP_MAGIC)

    def read(self, document: Document) -> Transcript:
        lines = paragraph_lines(document.data, document.source, document.max_unpacked_bytes)
        return read_lines(lines, document.source, "docx")
