"""Property tests: whatever a file holds — random text, random bytes, a damaged
export — every reader returns turns or raises a clean TranscriptError."""

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from motive.errors import TranscriptError
from motive.formats import read_document
from motive.formats.base import Document, Transcript
from motive.transcripts import check_turns
from tests.conftest import DATA

EXPORTS = DATA / "exports"
SUFFIXES = [".txt", ".md", ".vtt", ".srt", ".json", ".docx", ""]
SOME = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def read(data: bytes, suffix: str) -> Transcript | None:
    """Read like read_file does; ``None`` when the reader refused it cleanly."""
    try:
        transcript = check_turns(read_document(Document(f"call{suffix}", suffix, data)))
    except TranscriptError as error:
        assert error.source == f"call{suffix}" and error.problem and "\n" not in error.problem
        return None
    assert len({turn.speaker for turn in transcript.turns}) >= 2
    assert all(turn.text for turn in transcript.turns)
    return transcript


@st.composite
def mutated(draw, sample: bytes):
    """A sample with a few bytes replaced, cut out or repeated."""
    data = bytearray(sample)
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        kind = draw(st.sampled_from(["replace", "cut", "repeat"]))
        size = draw(st.integers(1, 64))
        if kind == "replace":
            data[at : at + size] = draw(st.binary(min_size=size, max_size=size))
        elif kind == "cut":
            del data[at : at + size]
        else:
            data[at:at] = data[at : at + size] * draw(st.integers(1, 4))
    return bytes(data)


def samples(*suffixes: str) -> list[Path]:
    return sorted(p for p in EXPORTS.iterdir() if p.suffix in suffixes)


@SOME
@given(text=st.text(), suffix=st.sampled_from(SUFFIXES))
def test_any_text_with_any_suffix(text, suffix):
    read(text.encode("utf-8"), suffix)


@SOME
@given(data=st.binary(max_size=4096), suffix=st.sampled_from(SUFFIXES))
def test_any_bytes_with_any_suffix(data, suffix):
    read(data, suffix)


LINE = st.one_of(
    st.text(max_size=40),
    st.from_regex(r"\A[A-Z][a-z]{1,8}( [A-Z][a-z]{1,8})?: [a-z ?.]{0,30}\Z"),
    st.from_regex(r"\A[A-Z][a-z]{1,8}  \d{1,2}:\d\d\Z"),
    st.from_regex(r"\A\[[A-Za-z_0-9 ]{1,12}\] \d\d:\d\d:\d\d\Z"),
    st.from_regex(r"\A\d\d:\d\d:\d\d\Z"),
    st.sampled_from(["---", "@root", "@output", "Transcript", "Summary", "", "WEBVTT"]),
)


@SOME
@given(lines=st.lists(LINE, max_size=30), suffix=st.sampled_from([".txt", ".md"]))
def test_text_layouts(lines, suffix):
    read("\n".join(lines).encode("utf-8"), suffix)


TIMING = st.from_regex(r"\A\d{1,2}:\d{1,2}(:\d{1,2})?[.,]\d{0,4} --> \d{1,2}:\d{1,2}(:\d{1,2})?[.,]\d{0,4}\Z")
CUE_TEXT = st.one_of(st.text(max_size=30), st.from_regex(r"\A(<v [A-Za-z ]{1,10}>|\[SPEAKER_0\d\]: |[A-Z][a-z]+: )[a-z ]{0,20}(</v>)?\Z"))


@SOME
@given(cues=st.lists(st.tuples(st.text(max_size=8), TIMING, CUE_TEXT), max_size=12), header=st.sampled_from(["WEBVTT", "\ufeffWEBVTT", ""]),
       newline=st.sampled_from(["\n", "\r\n"]))
def test_vtt_like_text(cues, header, newline):
    blocks = [header] + [newline.join(cue) for cue in cues]
    read((newline * 2).join(blocks).encode("utf-8"), ".vtt")


@SOME
@given(cues=st.lists(st.tuples(st.integers(0, 99), TIMING, CUE_TEXT), max_size=12))
def test_srt_like_text(cues):
    read("\n\n".join(f"{n}\n{timing}\n{text}" for n, timing, text in cues).encode("utf-8"), ".srt")


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.sampled_from([10**400, -(10**400)]) | st.floats() | st.text(max_size=10),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.sampled_from(
        ["segments", "utterances", "results", "channels", "alternatives", "words", "monologues", "elements", "speaker",
         "text", "start", "end", "word", "punctuated_word", "value", "ts", "end_ts", "type", "speaker_name"]
    ) | st.text(max_size=5), children, max_size=5),
    max_leaves=30,
)


@SOME
@given(data=JSON)
def test_any_json(data):
    read(json.dumps(data).encode("utf-8"), ".json")


@pytest.mark.parametrize("path", samples(".vtt", ".srt", ".json", ".txt", ".md", ".docx"), ids=lambda p: p.name)
def test_mutated_samples(path):
    sample = path.read_bytes()
    assert read(sample, path.suffix) is not None  # intact, the sample reads

    @settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(data=mutated(sample))
    def check(data):
        read(data, path.suffix)

    check()
