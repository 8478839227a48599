"""Text layouts: lines of a ``.txt``/``.md`` file, or the paragraphs of a ``.docx``.

- plain ``Speaker: text`` lines, optional ``---`` front matter, motive's corpus
  files (``@`` annotation lines); a bare timestamp line (Google Meet) stamps the
  turn after it; labels with a time in brackets (Rev's ``Name (00:01:02):``,
  Dovetail's ``Name [00:01:02]:``), where only they open turns;
- header lines ``Name  0:35`` (Otter, Microsoft Teams .docx) with the turn below;
- header lines ``[Name] 00:01:02`` (Zoom's saved captions) with the turn below;
- blocks of a timing line ``0:0:3.0 --> 0:0:9.5``, the name and the words
  (Microsoft Teams before 2022).

Which words before a colon name a speaker is judged by their shape (:func:`motive.formats.names.is_label`):
display names as meeting tools show them count, sentences that end in a colon do not.

Lines the tools add that are not speech (Otter's "Transcribed by" footer,
Teams' "started transcription", Meet's summary section and "Meeting ended"
line) are dropped.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection
from functools import lru_cache
from typing import NamedTuple

from motive.errors import TranscriptError
from motive.formats.base import Document, Piece, Transcript, Turn, assemble, clock_seconds, ends_at_next_start
from motive.formats.names import AFFILIATION, full_name, is_label, names_surname_first, surname

TEXT_SUFFIXES = {"", ".txt", ".md", ".markdown", ".text"}

_TIME = r"(?:\d{1,3}:)?\d{1,2}:\d{2}"
#: "Okafor, Chidi", "van der Berg, Anna (Acme)": a name written surname first, as company directories write them.
_NAME_WORD = r"[^\W\d_][\w'’.-]*"
_SURNAME_FIRST = rf"{_NAME_WORD}(?:\ {_NAME_WORD}){{0,2}},\ {_NAME_WORD}(?:\ {_NAME_WORD})?(?:\ \([^()\n]{{1,30}}\))?"
_STAMP = rf"(?:{_TIME}(?:[.,]\d{{1,3}})?(?:\ ?[AaPp][Mm])?)"  # and a chat's "10:02 AM"
_LABEL = re.compile(
    rf"""^\s*
    (?:[\[(]\s*(?P<before>{_STAMP})\s*[\])]\s*|(?P<bare>{_STAMP})\s+)?   # "[00:01:02] Dana: …", "00:01:02 Dana: …"
    (?:\*\*|__)?                                                        # Markdown bold: "**Dana:** …", "**Dana**: …"
    (?P<label>[^\W\d_](?:[^:：\s]|\ (?=\S)){{0,79}}?)                   # starts with a letter, single spaces; its shape is judged by is_label
    \s*(?:[\[(]\s*(?P<after>{_STAMP})\s*[\])]\s*)?                     # "Dana (00:01:02): …" (Rev)
    (?:(?:\*\*|__)\s*)?                                                 # each run of spaces has one place: no backtracking
    (?::\s*(?:\*\*|__)?(?:\s+(?P<text>\S.*)?)?                           # "Dana:" alone: the words follow below
    |：\s*(?:\*\*|__)?\s*(?P<wide>.*?))$                                  # "田中：…": the full-width colon of Chinese and Japanese""",
    re.VERBOSE,
)
#: "Q3:" / "A3:" number the questions, not the people: every Qn is one speaker, every An the other.
_NUMBERED_QA = re.compile(r"^(?P<role>Q|A|Question|Answer)\s*\d{1,3}$", re.IGNORECASE)
_ANNOTATION = re.compile(r"^@(root|probe|aside|output|outcome|none)\b")
_FRONT_MATTER_FENCE = "---"
_INTERVIEWER_KEYS = {"interviewer", "interviewers"}
#: "Dana Whitfield  0:35" (Otter: two spaces), "Dana Whitfield   0:04" (Teams: three), and with one
#: space after capitalised names only ("Dana Whitfield 0:35", "Dana (Acme) 0:35", "Speaker 1 0:35").
_NAME_TIME_HEADER = re.compile(
    rf"^(?:(?P<name>{_SURNAME_FIRST}|[^\W\d_][\w.'’()&/@+ -]{{0,59}}?)(?:\s{{2,}}|\t)"
    rf"|(?P<capitalised>{_SURNAME_FIRST}|[A-Z][\w.'’&/-]*(?: (?:[A-Z(][\w.'’()&/-]*|\d{{1,2}}))*) )(?P<time>{_TIME})\s*$"
)
#: "[Dana Whitfield] 00:01:02" (Zoom saved captions).
_BRACKET_HEADER = re.compile(rf"^\[(?P<name>[^\]\n]{{1,60}})\]\s+(?P<time>{_TIME})\s*$")
_BARE_TIME = re.compile(rf"^\s*(?P<time>{_TIME})\s*$")
_NOT_SPEECH = re.compile(
    r"^\s*(?:Transcribed by https?://otter\.ai\S*"
    r"|[^:]{1,80} (?:started|stopped) transcription"
    r"|Meeting ended after \S+.*"
    r"|This editable transcript was computer generated.*)\s*$",
    re.IGNORECASE,
)
#: Google Meet's notes put an AI summary before the transcript: speech starts after this heading.
_TRANSCRIPT_HEADING = re.compile(r"^\W*transcript\s*$", re.IGNORECASE)
_SUMMARY_HEADING = re.compile(r"^\W*(summary|notes|details|suggested next steps)\s*$", re.IGNORECASE)


def split_front_matter(lines: list[str]) -> tuple[dict[str, str], int]:
    """Read ``key: value`` lines between two ``---`` fences at the top.

    Returns the metadata and the index of the first line after it.

    >>> split_front_matter(["---", "segment: retail", "---", "Q: Why?"])
    ({'segment': 'retail'}, 3)

    The key naming the interviewers is ``interviewer`` however it is written:

    >>> split_front_matter(["---", "Interviewers: Dana, Sam", "---"])[0]
    {'interviewer': 'Dana, Sam'}

    Fences around speech are rules between sections, not front matter: a key comes twice, or a
    speaker of the lines below asks a question in it.

    >>> split_front_matter(["---", "Dana: Why the tent?", "Sam: It is light.", "---", "Dana: Why?", "Sam: Weight."])
    ({}, 0)
    """
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None or lines[first].strip() != _FRONT_MATTER_FENCE:
        return {}, 0
    for end in range(first + 1, len(lines)):
        if lines[end].strip() == _FRONT_MATTER_FENCE:
            break
    else:
        return {}, 0
    pairs = [(key.strip(), value.strip()) for key, sep, value in (line.partition(":") for line in lines[first + 1 : end])
             if sep and key.strip()]
    later = {found.label for line in lines[end + 1 :] if (found := labelled_line(line)) is not None}
    if len({key for key, _ in pairs}) < len(pairs) or any(key in later and value.endswith(("?", "？")) for key, value in pairs):
        return {}, 0
    return {"interviewer" if key.lower() in _INTERVIEWER_KEYS else key: value for key, value in pairs}, end + 1


class LabelledLine(NamedTuple):
    """A line that opens a turn: the speaker's label, the words after it, and the time stamped on it."""

    label: str
    text: str
    start: float | None = None
    bracketed: bool = False  # the time is in brackets: "Dana (00:07):", "[00:07] Dana:", not "9:00 Standup:"


@lru_cache(maxsize=1 << 16)  # the layouts read each line several times; read_document clears it after each document
def labelled_line(line: str) -> LabelledLine | None:
    """Read a line that opens a turn: ``Label: text``, with a time before the label or after it,
    in Markdown bold, or the label alone (its words on the lines below); ``None`` for any other line.

    >>> labelled_line("[00:01:02] Dana: Why?")
    LabelledLine(label='Dana', text='Why?', start=62.0, bracketed=True)
    >>> labelled_line("Ben Jones (00:12):")
    LabelledLine(label='Ben Jones', text='', start=12.0, bracketed=True)
    >>> labelled_line("**Interviewer:** Why?")
    LabelledLine(label='Interviewer', text='Why?', start=None, bracketed=False)
    >>> labelled_line("Q12: And why?").label
    'Q12'
    """
    match = _LABEL.match(line)
    if not match or not is_label(match["label"]):
        return None
    stamp = match["before"] or match["bare"] or match["after"]
    label = match["label"].strip()
    return LabelledLine(label, (match["text"] or match["wide"] or "").strip(), clock_seconds(stamp) if stamp else None,
                        bool(match["before"] or match["after"]))


def speaker_label(line: str) -> tuple[str, str] | None:
    """Return ``(label, text)`` when a line opens a turn, else ``None``.

    >>> speaker_label("Plant Manager: We run three shifts.")
    ('Plant Manager', 'We run three shifts.')
    >>> speaker_label("00:01:02 the clock") is None
    True
    """
    opened = labelled_line(line)
    return None if opened is None else (opened.label, opened.text)


def parse_labelled_lines(lines: list[str], first_line: int = 1, speakers: Collection[str] = ()) -> list[Turn]:
    """Group lines into turns: a labelled line opens a turn, other lines continue it.

    Annotation lines of motive's corpus format (``@root``, ``@output``, …) are
    skipped; a bare timestamp line gives the next turn its start time. Where
    turns carry start times, each ends where the next one starts.
    """
    speech = [(n, line) for n, line in enumerate(lines, start=first_line)
              if line.strip() and not _ANNOTATION.match(line) and not _NOT_SPEECH.match(line)]
    opened = _one_label_per_speaker({n: labelled_line(line) for n, line in speech})
    opened = _numbered_as_two_speakers(_surname_first_labels_repeated(opened, speakers))
    stamped = _stamped_labels(list(opened.values()))
    if stamped:  # "Name (00:01:02):" opens the turns (Rev, Dovetail): "Bottom line:" is words
        opened = {n: found if found is not None and found.label in stamped else None for n, found in opened.items()}
    lone_speakers = _lone_labels_naming_speakers([found for found in opened.values() if found is not None])
    pieces: list[Piece] = []
    stamp: float | None = None
    in_notes = False  # under a Markdown heading, until the next labelled line: notes, not speech
    for number, line in speech:
        if (bare := _BARE_TIME.match(line)) is not None:
            stamp = clock_seconds(bare["time"])
            continue
        found = opened[number]
        if found and (found.text or found.label in lone_speakers):
            start = found.start if found.start is not None else stamp
            pieces.append(Piece(found.label, found.text, number, start, raw=line.strip()))
            stamp, in_notes = None, False
        elif _MARKDOWN_HEADING.match(line):
            in_notes = True
        elif pieces and not in_notes:
            pieces.append(Piece(None, line.strip(), number))
    turns = assemble(pieces, drop_rare_labels=not stamped, speakers=speakers)
    return ends_at_next_start(turns) if any(turn.start is not None for turn in turns) else turns


def _one_label_per_speaker(opened: dict[int, LabelledLine | None]) -> dict[int, LabelledLine | None]:
    """Labels that differ only in case ("INTERVIEWER:", "Interviewer:", typed by hand), and a
    first name after the one full name it starts ("Dana Lee:" on the first turns, then only
    "Dana:"), are one speaker, written as the file writes it most often.

    >>> [f.label for f in _one_label_per_speaker({1: LabelledLine("SAM", "Hi."), 2: LabelledLine("Sam", "Yes."), 3: LabelledLine("Sam", "No.")}).values()]
    ['Sam', 'Sam', 'Sam']
    >>> [f.label for f in _one_label_per_speaker({1: LabelledLine("Dana Lee", "Why?"), 2: LabelledLine("Sam", "Price."), 3: LabelledLine("Dana", "So?")}).values()]
    ['Dana Lee', 'Sam', 'Dana Lee']
    >>> [f.label for f in _one_label_per_speaker({1: LabelledLine("Customer", "Price."), 2: LabelledLine("Customer 2", "Speed.")}).values()]
    ['Customer', 'Customer 2']
    """
    written = Counter(f.label for f in opened.values() if f is not None)
    order = [f.label for f in opened.values() if f is not None]
    key = {label: label.casefold() for label in written}
    for label in [label for label in written if " " not in label]:  # "Dana Lee:" on the first turns, "Dana:" after
        fuller = [other for other in written if key[other].startswith(key[label] + " ")
                  and surname(other[len(label):].strip()) and _shortened(order, other, label)]
        if len(fuller) == 1:  # a first name is the one full name it starts
            key[label] = key[fuller[0]]
    usual: dict[str, str] = {}
    for label, _ in written.most_common():
        usual.setdefault(key[label], label)
    return {n: f if f is None or usual[key[f.label]] == f.label else f._replace(label=usual[key[f.label]])
            for n, f in opened.items()}


def _shortened(order: list[str], full: str, short: str) -> bool:
    """The full name is written only before the short one first is, and never right before it:
    one person introduced, then shortened, not two people answering each other.

    >>> _shortened(["Dana Lee", "Sam", "Dana", "Sam", "Dana"], "Dana Lee", "Dana"), _shortened(["Sam", "Sam Ortiz", "Sam"], "Sam Ortiz", "Sam")
    (True, False)
    """
    first_short = order.index(short)
    return all(i < first_short for i, label in enumerate(order) if label == full) and order[first_short - 1] != full


def _numbered_as_two_speakers(opened: dict[int, LabelledLine | None]) -> dict[int, LabelledLine | None]:
    """Where a file numbers its questions ("Q1:", "Q2:"; its answers "A1:", "A2:" or "A:"), every Qn is
    one speaker, and every An the other. A side is numbered when the other is, or when it has two
    numbers or more and no plain label: "Q3:" in an answer of a Q/A file ("Q3: up twelve percent")
    is a label met once.

    >>> [f.label for f in _numbered_as_two_speakers({1: LabelledLine("Q1", "Why?"), 2: LabelledLine("A1", "Price.")}).values()]
    ['Q', 'A']
    >>> [f.label for f in _numbered_as_two_speakers({1: LabelledLine("Q1", "Why?"), 2: LabelledLine("A", "Price."), 3: LabelledLine("Q2", "And?")}).values()]
    ['Q', 'A', 'Q']
    >>> [f.label for f in _numbered_as_two_speakers({1: LabelledLine("Q", "How?"), 2: LabelledLine("A", "Q1: flat."), 3: LabelledLine("Q3", "up.")}).values()]
    ['Q', 'A', 'Q3']
    """
    found = [f for f in opened.values() if f is not None]
    numbered: dict[str, set[str]] = {}  # role → the numbered labels of it
    for f in found:
        if (match := _NUMBERED_QA.match(f.label)) is not None:
            numbered.setdefault(match["role"].upper()[0], set()).add(f.label)
    plain = {f.label.upper()[0] for f in found if f.label.lower() in ("q", "a", "question", "answer")}
    roles = {role for role, labels in numbered.items() if len(numbered) == 2 or (len(labels) >= 2 and role not in plain)}
    if not roles:
        return opened
    return {n: f if f is None or (match := _NUMBERED_QA.match(f.label)) is None or match["role"].upper()[0] not in roles
            else f._replace(label=match["role"]) for n, f in opened.items()}


def _stamped_labels(opened: list[LabelledLine | None]) -> set[str]:
    """The labels of a file that stamps a time on its labels (Rev's "Dana (00:01:02):", Dovetail's
    "Dana [00:01:02]:"): two or more labels carry a time, on half the labelled lines or more. Only
    they open turns then, and one met once is a speaker like the others; none when the file does
    not stamp its labels.

    >>> sorted(_stamped_labels([LabelledLine("Dana", "", 3.0, True), LabelledLine("Bottom line", "I save"), LabelledLine("Ben", "", 9.0, True)]))
    ['Ben', 'Dana']
    >>> _stamped_labels([LabelledLine("Dana", "", 3.0, True), LabelledLine("Ben", "Hi"), LabelledLine("Dana", "Why?")])
    set()
    >>> _stamped_labels([LabelledLine("Standup", "we meet", 540.0), LabelledLine("Triage", "I sort", 630.0)])  # "9:00 Standup:"
    set()
    """
    found = [f for f in opened if f is not None]
    stamped = [f for f in found if f.bracketed]
    labels = {f.label for f in stamped}
    return labels if len(labels) >= 2 and 2 * len(stamped) >= len(found) else set()


def _surname_first_labels_repeated(opened: dict[int, LabelledLine | None], speakers: Collection[str]) -> dict[int, LabelledLine | None]:
    """A comma label ("Okafor, Chidi:") opens a turn where it opens two lines or more, where the front
    matter names it, or where the file writes its speakers so (two such labels open two lines or
    more each; a label met once is then judged like any other). Otherwise "Yes, Tuesday: we met"
    is words.

    >>> _surname_first_labels_repeated({1: LabelledLine("Yes, Tuesday", "we met"), 2: LabelledLine("Dana", "Why?")}, ())
    {1: None, 2: LabelledLine(label='Dana', text='Why?', start=None, bracketed=False)}
    """
    seen = Counter(found.label for found in opened.values() if found is not None)
    if sum(count >= 2 for label, count in seen.items() if "," in label) >= 2:
        return opened
    return {n: None if found is not None and "," in found.label and seen[found.label] < 2 and found.label not in speakers
            else found for n, found in opened.items()}


def _lone_labels_naming_speakers(found: list[LabelledLine]) -> set[str]:
    """Labels standing alone on a line ("Dana:", the words below) that name speakers: all of them
    where a file writes two speakers' labels so, else those also seen with words after them.
    A phrase like "For example:" ending a line is text.

    >>> sorted(_lone_labels_naming_speakers([LabelledLine("Anna", ""), LabelledLine("Ben", "")]))
    ['Anna', 'Ben']
    >>> _lone_labels_naming_speakers([LabelledLine("Q", "Why?"), LabelledLine("For example", ""), LabelledLine("A", "Hikes.")])
    set()
    """
    alone = {f.label for f in found if not f.text}
    return alone if len(alone) >= 2 else alone & {f.label for f in found if f.text}


def parse_headed_lines(lines: list[str], header: re.Pattern[str], first_line: int = 1) -> list[Turn]:
    """Header lines (a name and a time) open turns; the lines below are the turn's text. Where
    names head two turns or more, a name with one space before its time ("Arrival 7:30" in an
    answer's schedule) heads a turn only where it heads two or more, or is also written with
    Otter's two spaces."""
    headers = [_header(line, header) for line in lines]
    names = Counter(found.name for found in headers if found is not None)
    spaced = {found.name for found in headers if found is not None and not found.one_space}
    recurring = any(count >= 2 for count in names.values())  # the file shows whose names head turns
    pieces: list[Piece] = []
    for number, (line, found) in enumerate(zip(lines, headers), start=first_line):
        if not line.strip() or _NOT_SPEECH.match(line):
            continue
        if found is not None and (not found.one_space or not recurring or names[found.name] >= 2 or found.name in spaced):
            pieces.append(Piece(found.name, "", number, clock_seconds(found.time)))
        elif pieces:
            pieces.append(Piece(None, line.strip(), number))
    return ends_at_next_start(assemble(pieces))


class Header(NamedTuple):
    """A header line's name and time; ``one_space``: written with one space before the time,
    which only capitalised names may be ("Dana Whitfield 0:35"), and a schedule's lines are too."""

    name: str
    time: str
    one_space: bool = False


def _header(line: str, header: re.Pattern[str]) -> Header | None:
    """The name and time of a header line, else ``None``.

    >>> _header("Okafor, Chidi   0:03", _NAME_TIME_HEADER), _header("well, the price  0:03", _NAME_TIME_HEADER)
    (Header(name='Okafor, Chidi', time='0:03', one_space=False), None)
    >>> _header("Arrival 7:30", _NAME_TIME_HEADER).one_space
    True
    """
    opened = header.match(line.strip())
    if opened is None:
        return None
    one_space = opened.groupdict().get("capitalised") is not None
    name = (opened["capitalised"] if one_space else opened["name"]).strip()
    return None if "," in name and not names_surname_first(name) else Header(name, opened["time"], one_space)


def speech_start(lines: list[str]) -> int:
    """Index of the first line of speech: after the "Transcript" heading when a summary comes first."""
    headings = [i for i, line in enumerate(lines) if _TRANSCRIPT_HEADING.match(line)]
    if headings and any(_SUMMARY_HEADING.match(line) for line in lines[: headings[0]]):
        return headings[0] + 1
    return 0


#: "0:0:3.0 --> 0:0:10.98": Microsoft Teams transcripts before 2022 (.docx, .txt) time each block so,
#: the speaker's name on the line below, then the words.
_BLOCK_TIME = r"\d{1,3}:\d{1,2}:\d{1,2}(?:[.,]\d{1,3})?"
_TIMING_LINE = re.compile(rf"^(?P<start>{_BLOCK_TIME})\s*-->\s*(?P<end>{_BLOCK_TIME})$")


def parse_timed_blocks(lines: list[str], first_line: int = 1) -> list[Turn]:
    """Blocks of a timing line, the speaker's name and the words. Where most blocks open with a
    name that opens two blocks or more, every block's first line is its speaker's name; otherwise a
    block whose first line is no such name continues the speaker before.

    >>> blocks = ["0:0:3.0 --> 0:0:9.5", "Okafor, Chidi", "Why?", "", "0:0:10.0 --> 0:0:12.0", "Lee, Dana", "Speed.",
    ...           "0:0:12.5 --> 0:0:14.0", "Okafor, Chidi", "And?", "0:0:15.0 --> 0:0:16.0", "Lee, Dana", "Uptime."]
    >>> [(t.speaker, t.text, t.start, t.end) for t in parse_timed_blocks(blocks)][:2]
    [('Okafor, Chidi', 'Why?', 3.0, 9.5), ('Lee, Dana', 'Speed.', 10.0, 12.0)]
    """
    blocks: list[tuple[int, re.Match[str], list[str]]] = []
    for number, (before, line, following) in enumerate(zip(["", *lines], lines, [*lines[1:], ""]), start=first_line):
        if (timing := _TIMING_LINE.match(line.strip())) is not None:
            blocks.append((number, timing, []))
        elif line.strip().isdigit() and not before.strip() and _TIMING_LINE.match(following.strip()):
            continue  # a cue number, as captions number them: after a blank line, before the timing
        elif blocks and line.strip() and not _NOT_SPEECH.match(line):
            blocks[-1][2].append(line.strip())
    openers = Counter(words[0] for _, _, words in blocks if len(words) >= 2)
    # Where four fifths of the blocks open with a name seen twice, every block names its speaker.
    every_block_named = 5 * sum(count for count in openers.values() if count >= 2) >= 4 * sum(openers.values())
    pieces = []
    for number, timing, words in blocks:
        named = len(words) >= 2 and (openers[words[0]] >= 2 or every_block_named)
        speaker, text = (words[0], words[1:]) if named else (None, words)
        pieces.append(Piece(speaker, " ".join(text), number, clock_seconds(timing["start"]), clock_seconds(timing["end"])))
    return assemble(pieces)


def layout(lines: list[str]) -> str:
    """Which layout the lines are in: ``zoom-captions``, ``headed``, ``timed-blocks`` or ``labelled``."""
    stripped = [line.strip() for line in lines[:400]]
    if sum(bool(_BRACKET_HEADER.match(line)) for line in stripped) >= 2:
        return "zoom-captions"
    if sum(bool(_TIMING_LINE.match(line)) for line in stripped) >= 2:
        return "timed-blocks"
    names = Counter(found.name for line in stripped if (found := _header(line, _NAME_TIME_HEADER)) is not None)
    headers = sum(names.values())
    labels = sum(speaker_label(line) is not None for line in stripped)
    # Two names heading two turns each are Otter's or Teams' headers, whatever colons the answers hold.
    recurring = sum(count >= 2 for count in names.values()) >= 2
    return "headed" if headers >= 2 and (headers >= labels or recurring) else "labelled"


#: The header line of ``motive classify --format table`` (motive.output.format_table).
_RESULTS_TABLE_HEADER = re.compile(r"^\s*#\s+chain\s+label\s+conf\s+T\s+text\s*$")


def read_lines(lines: list[str], source: str, fmt: str = "text") -> Transcript:
    """Lines in any of the text layouts → a transcript."""
    if any(_RESULTS_TABLE_HEADER.match(line) for line in lines[:3]):
        raise TranscriptError(source, "is a results table written by 'motive classify --format table', not a transcript "
                                      "(insights read results from .jsonl)")
    lines = tab_labels(quoted_transcript(without_mail_headers(lines)))
    metadata, body = split_front_matter(lines)
    lines = lines[:body] + [("" if _RULE.match(line) else line) for line in lines[body:]]
    body = max(body, speech_start(lines))
    kind = layout(lines[body:])
    if kind == "zoom-captions":
        turns = parse_headed_lines(lines[body:], _BRACKET_HEADER, body + 1)
        fmt = "zoom-captions"
    elif kind == "headed":
        turns = parse_headed_lines(lines[body:], _NAME_TIME_HEADER, body + 1)
    elif kind == "timed-blocks":
        turns = parse_timed_blocks(lines[body:], body + 1)
    else:
        header, body = header_block(lines, body)
        metadata = {**header, **metadata}
        lines = without_signature(lines)
        turns = parse_labelled_lines(lines[body:], first_line=body + 1, speakers=named_speakers(metadata) | attendees(lines))
    return Transcript(source, tuple(turns), metadata, fmt)


#: "---", "***", "* * *": a rule between sections (Markdown's, or typed), not words of a turn.
_RULE = re.compile(r"^\s{0,3}([-*_=])(?:\s*\1){2,}\s*$")
_MAIL_HEADER = re.compile(r"^\s*(?:>\s?)*(?:from|sent|to|cc|bcc|subject|date|reply-to)\s*:", re.IGNORECASE)
_MAIL_SEPARATOR = re.compile(r"^\s*(?:>\s?)*-{2,}\s*(?:forwarded message|original message)\s*-{2,}\s*$", re.IGNORECASE)


def without_mail_headers(lines: list[str]) -> list[str]:
    """Lines without the headers of e-mails a transcript was sent or forwarded in: runs of three
    or more "From:", "Sent:", "To:", "Subject:" … lines, and "---- Forwarded message ----", blanked.

    >>> without_mail_headers(["From: Dana", "Sent: Monday", "Subject: Call", "", "Dana: Why?", "Sam: Price."])
    ['', '', '', '', 'Dana: Why?', 'Sam: Price.']
    """
    kept = list(lines)
    run: list[int] = []
    for i, line in enumerate([*lines, ""]):
        if i < len(lines) and _MAIL_HEADER.match(line):
            run.append(i)
            continue
        if len(run) >= 3:
            for j in run:
                kept[j] = ""
        run = []
        if i < len(lines) and _MAIL_SEPARATOR.match(line):
            kept[i] = ""
    return kept


_QUOTED = re.compile(r"^\s*>\s?")


_TAB_LABEL = re.compile(r"^(?P<label>[^\t:]{1,60}?)\s*\t+\s*(?P<text>\S.*)$")


def tab_labels(lines: list[str]) -> list[str]:
    r"""Speakers set apart from their words by a tab ("DANA<tab>Why?", a spreadsheet pasted as
    text) → ``DANA: Why?``, where two such labels open two lines or more each, and such lines,
    one tab each, are four in five of the file's lines or more.

    >>> tab_labels(["DANA\tWhy?", "SAM\tPrice.", "DANA\tAnd?", "SAM\tSpeed.", "Notes\tnone"])
    ['DANA: Why?', 'SAM: Price.', 'DANA: And?', 'SAM: Speed.', 'Notes\tnone']
    """
    found = {i: match for i, line in enumerate(lines)
             if (match := _TAB_LABEL.match(line)) and is_label(match["label"]) and "\t" not in match["text"]}
    counts = Counter(match["label"] for match in found.values())
    speakers = {label for label, count in counts.items() if count >= 2}
    speech = sum(bool(line.strip()) for line in lines)
    if len(speakers) < 2 or 5 * len(found) < 4 * speech:  # nearly every line: a table pasted into an answer is not
        return lines
    return [f"{found[i]['label']}: {found[i]['text']}" if i in found and found[i]["label"] in speakers else line
            for i, line in enumerate(lines)]


def quoted_transcript(lines: list[str]) -> list[str]:
    """A transcript quoted in an e-mail ("> Dana: Why?"): the quoted lines without their marks,
    the e-mail around them (its header, greeting and signature) blanked. Lines stay where they
    were, so that line numbers hold. Only where two speakers speak twice or more inside the quote
    and nobody twice outside it: a chat quoted in one answer of an interview stays in the answer.

    >>> quoted_transcript(["From: Dana", "Hi all,", "> Dana: Why?", "> Sam: Price.", "> Dana: And?", "> Sam: Speed.", "Best,"])
    ['', '', 'Dana: Why?', 'Sam: Price.', 'Dana: And?', 'Sam: Speed.', '']
    """
    quoted = [_QUOTED.match(line) is not None for line in lines]
    inside = Counter(found.label for line, q in zip(lines, quoted) if q and (found := labelled_line(_QUOTED.sub("", line, count=1))))
    outside = Counter(found.label for line, q in zip(lines, quoted) if not q and (found := labelled_line(line)))
    # The quote holds the interview (labels that come back), what is outside it no speaker twice (an e-mail's header).
    if sum(count >= 2 for count in inside.values()) < 2 or any(count >= 2 for count in outside.values()):
        return lines
    return [_QUOTED.sub("", line, count=1) if q else "" for line, q in zip(lines, quoted)]


#: How an e-mail signs off: "Best," / "Kind regards," alone on a line, or the "-- " that opens a signature.
_SIGN_OFF = re.compile(r"^\s*(?:(?:best|best regards|best wishes|kind regards|warm regards|regards|thanks|thank you|"
                       r"many thanks|cheers|all the best|sincerely|yours),|--|—)\s*$", re.IGNORECASE)


def without_signature(lines: list[str]) -> list[str]:
    """Lines without the sign-off of an e-mail a transcript was sent in ("Best,", a name, a
    signature), blanked: a sign-off line in the last twelve lines, followed only by short lines
    (a name, a signature) in which no speaker of the transcript speaks again ("Phone: …" in the
    signature is none). An e-mail read out in an answer, with the answer going on after it, stays.

    >>> without_signature(["Dana: Why?", "Sam: Our CFO.", "", "Best,", "Dana", "--", "Dana Lee | Northwind", "Phone: 0123"])
    ['Dana: Why?', 'Sam: Our CFO.', '', '', '', '', '', '']
    """
    start = max(len(lines) - 12, 0)
    speakers = {found.label for line in lines[:start] if (found := labelled_line(line)) is not None}
    for i in range(start, len(lines)):
        after = lines[i + 1 :]
        if (_SIGN_OFF.match(lines[i]) and all(len(line.split()) <= 8 for line in after)
                and not any((found := labelled_line(line)) is not None and found.label in speakers for line in after)):
            return [*lines[:i], *[""] * (len(lines) - i)]
        if (found := labelled_line(lines[i])) is not None:
            speakers.add(found.label)
    return lines


#: Keys of a header block that describe the interview, not a person in it.
_HEADER_KEYS = {"date", "time", "project", "product", "study", "company", "organisation", "organization", "location",
                "duration", "recorded", "recording", "topic", "session", "interview", "account", "segment", "region",
                "language", "title", "role", "source", "market", "deal", "stage", "team", "department"}


def header_block(lines: list[str], start: int) -> tuple[dict[str, str], int]:
    """A block of ``Key: value`` lines at the top, ended by a blank line, that says who is who
    above a transcript using the same labels ("Interviewer: Dana Lee", "Participant: Sam Ortiz",
    "Date: 3 March"): its keys and values, and the index of the blank line after it. It names a
    speaker of the transcript by a full name, describes the interview too (a date, a product,
    a project: :data:`_HEADER_KEYS`), says each thing once, and its values end in no sentence
    mark. ``({}, start)`` when the top is speech ("Interviewer: Hi Sam", "Customer: Hi Dana").

    >>> lines = ["Call notes", "Interviewer: Dana Lee", "Participant: Sam Ortiz", "Date: 3 March", "", "Interviewer: Why?", "Participant: Price."]
    >>> header_block(lines, 0)
    ({'Interviewer': 'Dana Lee', 'Participant': 'Sam Ortiz', 'Date': '3 March'}, 4)
    >>> header_block(["Interviewer: Hello Sam", "Participant: Hi Dana", "Date: today", "", "Interviewer: Why?", "Participant: Price."], 0)
    ({}, 0)
    """
    first = next((i for i in range(start, len(lines)) if lines[i].strip()), None)
    end = next((i for i in range(first, len(lines)) if not lines[i].strip()), None) if first is not None else None
    if end is None or end - first < 2:
        return {}, start
    block = [labelled_line(line) for line in lines[first:end]]
    pairs = block[1:] if block[0] is None else block  # a title line may come first
    later = {found.label for line in lines[end:] if (found := labelled_line(line)) is not None}
    if not later or any(found is None or not found.text for found in pairs) or len({f.label for f in pairs}) < len(pairs):
        return {}, start
    if any(found.text.rstrip().endswith(("?", "？", ".", "!")) or len(found.text.split()) > 8 for found in pairs):
        return {}, start
    names_a_speaker = any(found.label in later and full_name(found.text) for found in pairs)
    describes = any(found.label.lower() in _HEADER_KEYS for found in pairs)
    return ({found.label: found.text for found in pairs}, end) if names_a_speaker and describes else ({}, start)


#: "## Next steps": a Markdown heading; the lines under it are notes until the next speaker's line.
_MARKDOWN_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+\S")
_ATTENDEES_HEADING = re.compile(r"^\W*(?:attendees|participants)\W*?(?::\s*(?P<names>.*\S))?\s*$", re.IGNORECASE)


def attendees(lines: list[str]) -> set[str]:
    """The names a meeting's header lists under "Attendees" or "Participants" (Google Meet, typed
    notes), separated by commas, before the first turn; each also without who the person is.

    >>> sorted(attendees(["Interview - Transcript", "Attendees", "Chidi Okafor, Priya Patel", "Transcript"]))
    ['Chidi Okafor', 'Priya Patel']
    >>> sorted(attendees(["Participants: Dana Lee (Northwind), Gareth Hughes", "Dana Lee: Why?"]))
    ['Dana Lee', 'Dana Lee (Northwind)', 'Gareth Hughes']
    """
    for i, line in enumerate(lines):
        if (heading := _ATTENDEES_HEADING.match(line)) is not None:
            names = heading["names"] or next((following for following in lines[i + 1 :] if following.strip()), "")
            listed = [name.strip() for name in names.split(",") if name.strip()]
            return {*listed, *(AFFILIATION.sub("", name).strip() for name in listed)}
        if labelled_line(line) is not None:
            break
    return set()


def named_speakers(metadata: dict[str, str]) -> set[str]:
    """The speaker labels a front matter's ``interviewer:`` may name: the value, its parts between
    semicolons and between commas, and each two parts in a row ("Okafor, Chidi").

    >>> sorted(named_speakers({"interviewer": "Dana, Sam"}))
    ['Dana', 'Dana, Sam', 'Sam']
    """
    value = metadata.get("interviewer", "")
    names = {value}
    for part in value.split(";"):
        words = [word.strip() for word in part.split(",")]
        names.update([part, *words, *(", ".join(pair) for pair in zip(words, words[1:]))])
    return {name.strip() for name in names if name.strip()}


class TextReader:
    """Plain text and Markdown transcripts in any of the text layouts."""

    name = "text"

    def accepts(self, document: Document) -> bool:
        return document.suffix in TEXT_SUFFIXES

    def read(self, document: Document) -> Transcript:
        return read_lines(document.text.splitlines(), document.source, "text")
