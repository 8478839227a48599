"""Export formats → speaker turns, one module per family of formats.

A :class:`~motive.formats.base.Reader` says whether it ``accepts`` a document
(by its extension or its content) and ``read``\\s it into a
:class:`~motive.formats.base.Transcript`. Readers are tried in the order of
:data:`READERS`; add one there to read another format. Libraries that parse
a format (webvtt-py, srt, python-docx) load only when such a file is read.
"""

from __future__ import annotations

from motive.errors import TranscriptError
from motive.formats.base import RESULTS_CSV, Document, Reader, Transcript, is_results_csv
from motive.formats.captions import SrtReader, VttReader
from motive.formats.speech_json import SpeechJsonReader
from motive.formats.speaker_lines import labelled_line
from motive.formats.text import TextReader
from motive.formats.word import DocxReader

#: Tried in order; the first that accepts a document reads it.
READERS: list[Reader] = [DocxReader(), VttReader(), SrtReader(), SpeechJsonReader(), TextReader()]

#: Extensions searched for in folders.
TRANSCRIPT_SUFFIXES = {".txt", ".md", ".markdown", ".text", ".vtt", ".srt", ".json", ".docx"}


def read_document(document: Document) -> Transcript:
    """Parse a document with the first reader that accepts it."""
    try:
        for reader in READERS:
            if reader.accepts(document):
                return reader.read(document)
    finally:
        labelled_line.cache_clear()  # a document's lines are read several times; kept no longer than that
    if is_results_csv(document):
        raise TranscriptError(document.source, RESULTS_CSV)
    raise TranscriptError(document.source, f"is in no format motive reads (files ending in {document.suffix!r})")
