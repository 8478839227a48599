"""Captions: WebVTT (``.vtt``, read by webvtt-py) and SubRip (``.srt``, read by srt).

Who speaks comes from a ``<v Name>`` voice tag (Microsoft Teams), a
``Name: text`` prefix (Zoom, Otter) or a ``[SPEAKER_00]: `` prefix (WhisperX,
faster-whisper); a cue without one continues the last speaker. Captions are
cut every few seconds, so one speaker's consecutive cues merge into one turn.

webvtt-py copes with Teams' quirks itself (byte-order mark, CRLF line ends,
GUID cue ids, short ``0:0:0.0`` timestamps, a missing ``</v>``). It skips
cues whose timing it cannot read; motive refuses such a file rather than lose
speech silently. Library error messages quote the file, so motive words its own.
"""

from __future__ import annotations

import html
import re
from dataclasses import replace

from motive.errors import TranscriptError
from motive.formats.base import Document, Piece, Transcript, assemble
from motive.formats.speaker_lines import speaker_label

#: "[SPEAKER_00]: words" (WhisperX); without the colon only a diarizer's label ("[SPEAKER_00] words"),
#: so that "[laughs] Honestly…" stays words.
_BRACKET_SPEAKER = re.compile(r"^\[(?P<name>[^\]\n]{1,60})\]:\s*(?P<text>.*)$"
                              r"|^\[(?P<diarized>(?:SPEAKER|Speaker|speaker|spk)[ _-]?\d{1,3})\]\s*(?P<after>.*)$", re.DOTALL)
_SRT_START = re.compile(r"^\d+\s*\r?\n\s*\d+:\d{1,2}:\d{1,2}[,.]\d{1,3}\s*-->")
#: Styling that SubRip (and some WebVTT) writers put around a cue's words.
_STYLE_TAG = re.compile(r"</?(?:font|b|i|u|c|span)\b[^>]*>|\{\\[^}]*\}", re.IGNORECASE)  # and SSA's {\an8}
_DIALOGUE_DASH = re.compile(r"^\s*[-–]\s*(?=\S)")


def cue_parts(text: str) -> list[str]:
    r"""A cue's words without styling tags and with character references decoded, cut where
    a line starts with a dialogue dash (subtitles put two speakers in one cue as
    ``- Anna: …`` / ``- Ben: …``).

    >>> cue_parts('<font color="#fff">Anna: P&amp;L?</font>')
    ['Anna: P&L?']
    >>> cue_parts("{\\an8}- Anna: And then?\n-Ben: We grew.")
    ['Anna: And then?', 'Ben: We grew.']
    """
    parts: list[list[str]] = []
    for line in html.unescape(_STYLE_TAG.sub("", text)).splitlines():
        if _DIALOGUE_DASH.match(line) or not parts:
            parts.append([_DIALOGUE_DASH.sub("", line)])
        else:
            parts[-1].append(line)
    return ["\n".join(part) for part in parts] or [""]


def split_speaker(text: str) -> tuple[str | None, str]:
    """A cue's text → ``(speaker or None, words)``.

    >>> split_speaker("[SPEAKER_00]: why is that important")
    ('SPEAKER_00', 'why is that important')
    >>> split_speaker("Dana Whitfield: And why?")
    ('Dana Whitfield', 'And why?')
    >>> split_speaker("because it was cheap")
    (None, 'because it was cheap')
    """
    text = text.strip()
    if (bracket := _BRACKET_SPEAKER.match(text)) is not None:
        return (bracket["name"] or bracket["diarized"]).strip(), (bracket["text"] or bracket["after"] or "").strip()
    first, _, rest = text.partition("\n")
    if (labelled := speaker_label(first)) is not None:
        return labelled[0], f"{labelled[1]} {rest}".strip()
    return None, text


def cues_to_transcript(cues: list[tuple[str | None, str, float, float]], document: Document, fmt: str) -> Transcript:
    """``(voice, text, start, end)`` per cue → turns; a cue's voice tag wins over a text prefix."""
    if not cues:
        raise TranscriptError(document.source, f"holds no captions ({fmt})")
    pieces = []
    for voice, text, start, end in cues:
        for part in cue_parts(text):
            # A voice tag names the speaker (<v O&apos;Brien, Siobhán>): the words are all words, colons and all.
            speaker, words = (html.unescape(voice).strip(), part) if voice else split_speaker(part)
            pieces.append(Piece(speaker, " ".join(words.split()), 0, round(start, 3), round(end, 3)))
    if all(piece.speaker is None for piece in pieces):
        raise TranscriptError(document.source, f"names no speakers in its captions ({fmt}), so no interviewer can be told apart")
    # Voice tags and [SPEAKER_00] name speakers for sure; a "Name:" prefix seen once may be words with a colon.
    tagged = any(voice for voice, _, _, _ in cues) or any(_BRACKET_SPEAKER.match(text.strip()) for _, text, _, _ in cues)
    if not tagged:
        pieces = unnamed_cues_as_unknown(pieces)
    return Transcript(document.source, tuple(assemble(pieces, drop_rare_labels=not tagged)), {}, fmt)


UNKNOWN_SPEAKER = "Unknown speaker"


def unnamed_cues_as_unknown(pieces: list[Piece]) -> list[Piece]:
    """Where captions put the name on every cue (Zoom: one speaker's cues in a row each carry it,
    twice or more, and three cues in five are named), a cue without a name is somebody the tool
    could not name, not the speaker before.

    >>> cues = [Piece("Dana", "Why the tool?"), Piece("Dana", "And why now?"), Piece(None, "Cheaper."), Piece("Dana", "Why?"), Piece("Dana", "Go on.")]
    >>> [p.speaker for p in unnamed_cues_as_unknown(cues)]
    ['Dana', 'Dana', 'Unknown speaker', 'Dana', 'Dana']
    >>> [p.speaker for p in unnamed_cues_as_unknown([Piece("Dana", "Why?"), Piece(None, "Asked twice."), Piece("Ben", "Price.")])]
    ['Dana', None, 'Ben']
    """
    named = [piece.speaker for piece in pieces]
    repeated = sum(a is not None and a == b for a, b in zip(named, named[1:]))
    if repeated < 2 or 5 * sum(name is not None for name in named) < 3 * len(named):  # two repeats, three cues in five named
        return pieces
    # raw: should the label be read as words after all (met once, see assemble), the cue's words stay as they were
    return [piece if piece.speaker is not None else replace(piece, speaker=UNKNOWN_SPEAKER, raw=piece.text) for piece in pieces]


class VttReader:
    """WebVTT captions (Zoom, Microsoft Teams, WhisperX)."""

    name = "vtt"

    def accepts(self, document: Document) -> bool:
        return document.suffix == ".vtt" or document.head.startswith("WEBVTT")

    def read(self, document: Document) -> Transcript:
        import webvtt
        from webvtt.errors import MalformedCaptionError, MalformedFileError

        try:
            captions = webvtt.WebVTT.from_string(document.text).captions
            cues = [(c.voice, c.text, c.start_time.in_milliseconds() / 1000, c.end_time.in_milliseconds() / 1000) for c in captions]
        except MalformedFileError:
            raise TranscriptError(document.source, "is not a WebVTT file (no WEBVTT header)") from None
        except (MalformedCaptionError, ValueError, OverflowError):
            raise TranscriptError(document.source, "is malformed WebVTT (a cue's timing line cannot be read)") from None
        timings = sum("-->" in line for line in document.text.splitlines())
        if len(cues) < timings:
            raise TranscriptError(
                document.source, f"is malformed WebVTT: {timings - len(cues)} of {timings} cues have a timing line that cannot be read"
            )
        return cues_to_transcript(cues, document, "vtt")


class SrtReader:
    """SubRip captions (Otter, WhisperX, faster-whisper)."""

    name = "srt"

    def accepts(self, document: Document) -> bool:
        return document.suffix == ".srt" or bool(_SRT_START.match(document.head))

    def read(self, document: Document) -> Transcript:
        import srt

        try:
            subtitles = list(srt.parse(document.text))
            cues = [(None, s.content, s.start.total_seconds(), s.end.total_seconds()) for s in subtitles]
        except (srt.SRTParseError, ValueError, OverflowError):
            raise TranscriptError(document.source, "is malformed SubRip (.srt): a caption block cannot be read") from None
        return cues_to_transcript(cues, document, "srt")
