"""JSON from speech-to-text services, told apart by their shape:

- WhisperX / faster-whisper: ``segments`` (or a bare list of them), each with
  ``text``, ``start``, ``end`` (seconds) and, after diarization, ``"speaker": "SPEAKER_00"``;
- AssemblyAI: ``utterances`` with ``speaker`` ("A", "B"), ``text``, ``start``/``end`` in milliseconds;
- Deepgram: ``results.utterances``, else ``results.channels[0].alternatives[0].words``, a speaker per word;
- Rev: ``monologues``, each a speaker and ``elements`` (words with ``ts``/``end_ts``, punctuation);
- Amazon Transcribe: ``results.items`` (words and punctuation), each word's speaker on the word
  itself or in ``results.speaker_labels.segments`` (``"spk_0"``), times in seconds as strings.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import replace

from motive.errors import TranscriptError
from motive.formats.base import RESULTS_JSON, Document, Piece, Transcript, assemble, seconds

_JSON_START = re.compile(r"^(\{|\[\s*\{)")

Pieces = list[Piece]


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError("text is not a string")
    return " ".join(value.split())


def _speaker(value: object, prefix: str = "") -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    return f"{prefix}{value}".strip() or None


def whisper_segments(data: object) -> Pieces:
    """WhisperX / faster-whisper segments. A segment diarization left without a speaker takes
    the speaker most of its words have; with none there either, it continues the last speaker."""
    segments = data["segments"] if isinstance(data, dict) else data
    if not isinstance(segments, list) or not segments or not all(isinstance(s, dict) and "text" in s for s in segments):
        raise TypeError("no segments")
    return [
        Piece(_speaker(s.get("speaker")) or _words_speaker(s.get("words")), _text(s["text"]), 0, seconds(s.get("start")), seconds(s.get("end")))
        for s in segments
    ]


def _words_speaker(words: object) -> str | None:
    """The speaker most of a WhisperX segment's words are assigned to (the first of a tie).

    >>> _words_speaker([{"word": "so", "speaker": "SPEAKER_01"}, {"word": "yes"}, {"word": "we", "speaker": "SPEAKER_01"}])
    'SPEAKER_01'
    """
    if not isinstance(words, list):
        return None
    speakers = [speaker for w in words if isinstance(w, dict) and (speaker := _speaker(w.get("speaker"))) is not None]
    return max(speakers, key=speakers.count) if speakers else None


def assemblyai_utterances(data: object) -> Pieces:
    """AssemblyAI utterances; ``null`` when the transcript was made without ``speaker_labels``."""
    utterances = data["utterances"]
    if utterances is None:
        return []
    if not isinstance(utterances, list):
        raise TypeError("utterances is not a list")
    return [
        Piece(_speaker(u["speaker"], "Speaker "), _text(u["text"]), 0, seconds(u.get("start"), 0.001), seconds(u.get("end"), 0.001))
        for u in utterances
    ]


def deepgram_words(data: object) -> Pieces:
    """Deepgram's utterances (``utterances=true``), else the words of the first channel, each with its
    speaker (``diarize=true``)."""
    utterances = data["results"].get("utterances")
    if isinstance(utterances, list) and utterances:
        return [Piece(_speaker(u.get("speaker"), "Speaker "), _text(u["transcript"]), 0, seconds(u.get("start")), seconds(u.get("end")))
                for u in utterances]
    words = data["results"]["channels"][0]["alternatives"][0]["words"]
    return [
        Piece(_speaker(w.get("speaker"), "Speaker "), _text(w.get("punctuated_word") or w["word"]), 0, seconds(w.get("start")), seconds(w.get("end")))
        for w in words
    ]


def rev_monologues(data: object) -> Pieces:
    """Rev monologues: the words and punctuation of its elements, timed by its first and last word."""
    pieces = []
    for monologue in data["monologues"]:
        elements = monologue["elements"]
        words = [e for e in elements if e.get("type") == "text"]
        text = "".join(e["value"] for e in elements if isinstance(e.get("value"), str))
        name = monologue.get("speaker_name") or _speaker(monologue.get("speaker"), "Speaker ")
        start = seconds(words[0].get("ts")) if words else None
        end = seconds(words[-1].get("end_ts")) if words else None
        pieces.append(Piece(_speaker(name), _text(text), 0, start, end))
    return pieces


def transcribe_items(data: object) -> Pieces:
    """Amazon Transcribe's items: a word each (punctuation joins the word before it), its speaker
    from the item (newer output) or from the speaker segment's item that starts at the same time."""
    results = data["results"]
    by_start = {item["start_time"]: item["speaker_label"] for segment in (results.get("speaker_labels") or {}).get("segments", [])
                for item in segment.get("items", []) if "start_time" in item and "speaker_label" in item}
    words: Pieces = []
    for item in results["items"]:
        content = _text(item["alternatives"][0]["content"])
        if item.get("type") == "punctuation":
            if words:
                words[-1] = replace(words[-1], text=words[-1].text + content)
            continue
        speaker = item.get("speaker_label") or by_start.get(item.get("start_time"))
        words.append(Piece(_speaker(speaker), content, 0, _string_seconds(item.get("start_time")), _string_seconds(item.get("end_time"))))
    return words


def _string_seconds(value: object) -> float | None:
    """Amazon Transcribe's times: seconds written as strings ("3.140").

    >>> _string_seconds("3.140"), _string_seconds("soon"), _string_seconds(None)
    (3.14, None, None)
    """
    try:
        return seconds(float(value)) if isinstance(value, str) else None
    except ValueError:
        return None


#: (format, whether parsed JSON has its shape, how to read it), tried in order.
SHAPES: list[tuple[str, Callable[[object], bool], Callable[[object], Pieces]]] = [
    ("assemblyai", lambda d: isinstance(d, dict) and "utterances" in d, assemblyai_utterances),
    ("deepgram", lambda d: isinstance(d, dict) and isinstance(d.get("results"), dict) and ("channels" in d["results"] or "utterances" in d["results"]),
     deepgram_words),
    ("rev", lambda d: isinstance(d, dict) and "monologues" in d, rev_monologues),
    ("transcribe", lambda d: isinstance(d, dict) and isinstance(d.get("results"), dict) and "items" in d["results"], transcribe_items),
    ("whisper", lambda d: (isinstance(d, list) and bool(d) and isinstance(d[0], dict)) or (isinstance(d, dict) and "segments" in d), whisper_segments),
]
NAMES = {"assemblyai": "AssemblyAI", "deepgram": "Deepgram", "rev": "Rev", "transcribe": "Amazon Transcribe", "whisper": "Whisper"}
KNOWN = "WhisperX, faster-whisper, AssemblyAI, Deepgram, Rev or Amazon Transcribe"


def _is_motive_results(data: object) -> bool:
    """``motive classify --format json`` output: records with ``source`` and ``answers``."""
    records = data if isinstance(data, list) else [data]
    return bool(records) and all(isinstance(r, dict) and {"source", "answers"} <= r.keys() for r in records)


class SpeechJsonReader:
    """JSON transcripts of speech-to-text services."""

    name = "json"

    def accepts(self, document: Document) -> bool:
        return document.suffix == ".json" or bool(_JSON_START.match(document.head))

    def read(self, document: Document) -> Transcript:
        try:
            data = json.loads(document.text)
        except (ValueError, RecursionError):
            raise TranscriptError(document.source, "is not valid JSON") from None
        if _is_motive_results(data):
            raise TranscriptError(document.source, RESULTS_JSON)
        for fmt, matches, read in SHAPES:
            if matches(data):
                try:
                    pieces = read(data)
                except (KeyError, IndexError, TypeError, AttributeError, ValueError):
                    raise TranscriptError(
                        document.source, f"looks like {NAMES[fmt]} JSON but its fields are not shaped as {NAMES[fmt]} writes them"
                    ) from None
                if not any(piece.speaker for piece in pieces):
                    raise TranscriptError(document.source, f"is {NAMES[fmt]} JSON without speaker labels (turn on diarization)")
                return Transcript(document.source, tuple(assemble(pieces)), {}, fmt)
        raise TranscriptError(document.source, f"is JSON, but not a transcript motive knows ({KNOWN})")
