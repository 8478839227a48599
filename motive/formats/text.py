"""Text layouts: lines of a ``.txt``/``.md`` file, or the paragraphs of a ``.docx``.

- plain ``Speaker: text`` lines, optional ``---`` front matter, motive's corpus
  files (``@`` annotation lines); a bare timestamp line (Google Meet) stamps the
  turn after it; labels with a time in brackets (Rev's ``Name (00:01:02):``,
  Dovetail's ``Name [00:01:02]:``), where only they open turns;
- header lines ``Name  0:35`` (Otter, Microsoft Teams .docx) with the turn below;
- header lines ``[Name] 00:01:02`` (Zoom's saved captions) with the turn below;
- blocks of a timing line ``0:0:3.0 --> 0:0:9.5``, the name and the words
  (Microsoft Teams before 2022).

Which lines open a turn is :mod:`motive.formats.speaker_lines`' to say, and which words before
a colon name a speaker is judged by their shape (:func:`motive.formats.names.is_label`): display
names as meeting tools show them count, sentences that end in a colon do not. Before the speech
is read, :func:`read_lines` sets aside the e-mail or paste a transcript came in
(:mod:`motive.formats.pasted`) and what it says about itself (:mod:`motive.formats.front_matter`).

Lines the tools add that are not speech (Otter's "Transcribed by" footer,
Teams' "started transcription", Meet's summary section and "Meeting ended"
line) are dropped.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection
from typing import NamedTuple

from motive.errors import TranscriptError
from motive.formats.base import RESULTS_TABLE, Document, Piece, Transcript, Turn, assemble, clock_seconds, ends_at_next_start
from motive.formats.front_matter import attendees, attendees_heading, header_block, named_speakers, split_front_matter
from motive.formats.names import names_surname_first, surname
from motive.formats.pasted import quoted_transcript, tab_labels, without_mail_headers, without_signature
from motive.formats.speaker_lines import CLOCK_TIME, SURNAME_FIRST, LabelledLine, labelled_line, speaker_label

TEXT_SUFFIXES = {"", ".txt", ".md", ".markdown", ".text"}

#: "Q3:" / "A3:" number the questions, not the people: every Qn is one speaker, every An the other.
_NUMBERED_QA = re.compile(r"^(?P<role>Q|A|Question|Answer)\s*\d{1,3}$", re.IGNORECASE)
_ANNOTATION = re.compile(r"^@(root|probe|aside|output|outcome|none)\b")
#: "Dana Whitfield  0:35" (Otter: two spaces), "Dana Whitfield   0:04" (Teams: three), "Dana Whitfield - 00:35"
#: (Fireflies), and with one space after capitalised names only ("Dana Whitfield 0:35", "Dana (Acme) 0:35",
#: "Speaker 1 0:35").
_NAME_TIME_HEADER = re.compile(
    rf"^(?:(?P<dashed>{SURNAME_FIRST}|[^\W\d_][\w.'’()&/@+ -]{{0,59}}?)\s+[-–—]\s+"
    rf"|(?P<name>{SURNAME_FIRST}|[^\W\d_][\w.'’()&/@+ -]{{0,59}}?)(?:\s{{2,}}|\t)"
    rf"|(?P<capitalised>{SURNAME_FIRST}|[A-Z][\w.'’&/-]*(?: (?:[A-Z(][\w.'’()&/-]*|\d{{1,2}}))*) )(?P<time>{CLOCK_TIME})\s*$"
)
#: "[Dana Whitfield] 00:01:02" (Zoom saved captions).
_BRACKET_HEADER = re.compile(rf"^\[(?P<name>[^\]\n]{{1,60}})\]\s+(?P<time>{CLOCK_TIME})\s*$")
_BARE_TIME = re.compile(rf"^\s*(?P<time>{CLOCK_TIME})\s*$")
_NOT_SPEECH = re.compile(
    r"^\s*(?:Transcribed by https?://otter\.ai\S*"
    r"|[^:]{1,80} (?:started|stopped) transcription"
    r"|(?:Meeting|Transcription|Recording) ended after \d{1,2}(?::\d{2}){1,2}\b\W*"
    r"|This editable transcript was computer generated.*)\s*$",
    re.IGNORECASE,
)
#: Google Meet's notes put an AI summary before the transcript: speech starts after this heading.
_TRANSCRIPT_HEADING = re.compile(r"^\W*transcript\s*$", re.IGNORECASE)
_SUMMARY_HEADING = re.compile(r"^\W*(summary|notes|details|suggested next steps)\s*$", re.IGNORECASE)


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
    opened = _note_headings_as_words(opened, speakers)
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


#: Words that head a line of notes inside an answer ("Pros: it syncs with Outlook", "NPS: 9"), not people.
NOTE_HEADINGS = frozenset({
    "pros", "pro", "cons", "con", "note", "notes", "nps", "summary", "update", "total", "price", "cost", "budget",
    "result", "results", "example", "step", "option", "plan", "goal", "goals", "issue", "issues", "problem",
    "problems", "benefit", "benefits", "feature", "features", "action", "actions", "action items", "todo", "to do",
    "next steps", "takeaway", "takeaways", "background", "context", "decision", "ps", "bottom line", "key point",
    "verdict", "score", "rating", "upside", "downside", "risk", "risks",
})


def _note_headings_as_words(opened: dict[int, LabelledLine | None], speakers: Collection[str]) -> dict[int, LabelledLine | None]:
    """Words that head notes (:data:`NOTE_HEADINGS`: "Pros:", "Cons:", "NPS:") open no turn where
    they never reply to another speaker's question and the front matter does not name them: they
    are words of the answer they are in, however often they come.

    >>> lines = {1: LabelledLine("Dana", "Why this one?"), 2: LabelledLine("Sam", "I made a list."), 3: LabelledLine("Pros", "cheap."),
    ...          4: LabelledLine("Cons", "slow."), 5: LabelledLine("Dana", "And the other?"), 6: LabelledLine("Sam", "Same."), 7: LabelledLine("Pros", "nice.")}
    >>> [f.label if f else None for f in _note_headings_as_words(lines, ()).values()]
    ['Dana', 'Sam', None, None, 'Dana', 'Sam', None]
    """
    replying: set[str] = set()
    before: LabelledLine | None = None
    for found in opened.values():
        if found is None:
            continue
        if before is not None and before.label != found.label and "?" in before.text:
            replying.add(found.label)
        before = found
    notes = {f.label for f in opened.values() if f is not None and f.label.casefold() in NOTE_HEADINGS
             and f.label not in replying and f.label not in speakers}
    return {n: None if found is not None and found.label in notes else found for n, found in opened.items()}


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
    """A header line's name and time; ``one_space``: written as a schedule's lines may be too, with one
    space before the time ("Dana Whitfield 0:35", which only capitalised names may be) or a dash
    ("Dana Whitfield - 0:35")."""

    name: str
    time: str
    one_space: bool = False


def _header(line: str, header: re.Pattern[str]) -> Header | None:
    """The name and time of a header line, else ``None``.

    >>> _header("Okafor, Chidi   0:03", _NAME_TIME_HEADER), _header("well, the price  0:03", _NAME_TIME_HEADER)
    (Header(name='Okafor, Chidi', time='0:03', one_space=False), None)
    >>> _header("Arrival 7:30", _NAME_TIME_HEADER).one_space, _header("Ana Costa - 00:03", _NAME_TIME_HEADER)
    (True, Header(name='Ana Costa', time='00:03', one_space=True))
    """
    opened = header.match(line.strip())
    if opened is None:
        return None
    groups = opened.groupdict()
    one_space = groups.get("capitalised") is not None or groups.get("dashed") is not None  # "Deliveries - 5:30" too
    name = (groups.get("capitalised") or groups.get("dashed") or groups["name"]).strip()
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
        raise TranscriptError(source, RESULTS_TABLE)
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
        speakers = named_speakers(metadata) | attendees(lines)
        if (heading := attendees_heading(lines)) is not None and heading >= body:
            lines = [*lines[:heading], "", *lines[heading + 1 :]]  # the list of who attends, not a turn
        turns = parse_labelled_lines(lines[body:], first_line=body + 1, speakers=speakers)
        if len({turn.speaker for turn in turns}) < 2:
            turns = _tight_labels(lines[body:], body + 1, speakers) or turns
    return Transcript(source, tuple(turns), metadata, fmt)


#: "Dana:Why did you buy it?": a label with no space after its colon (some note-taking tools write so).
_TIGHT_LABEL = re.compile(r"^(\s*[^\W\d_][\w.'’ -]{0,40}?):(?=[^\W\d_\"“'(])")


def _tight_labels(lines: list[str], first_line: int, speakers: Collection[str]) -> list[Turn] | None:
    """Turns of a transcript whose labels have no space after the colon, read only where the usual
    reading finds fewer than two speakers, and taken only if two speakers open two turns each.

    >>> [(t.speaker, t.text) for t in _tight_labels(["Dana:Why?", "Sam:Price.", "Dana:And?", "Sam:Speed."], 1, ())]
    [('Dana', 'Why?'), ('Sam', 'Price.'), ('Dana', 'And?'), ('Sam', 'Speed.')]
    """
    spaced = [_TIGHT_LABEL.sub(r"\1: ", line, count=1) for line in lines]
    turns = parse_labelled_lines(spaced, first_line=first_line, speakers=speakers)
    opened = Counter(turn.speaker for turn in turns)
    return turns if sum(count >= 2 for count in opened.values()) >= 2 else None


#: "---", "***", "* * *": a rule between sections (Markdown's, or typed), not words of a turn.
_RULE = re.compile(r"^\s{0,3}([-*_=])(?:\s*\1){2,}\s*$")
#: "## Next steps": a Markdown heading; the lines under it are notes until the next speaker's line.
_MARKDOWN_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+\S")
class TextReader:
    """Plain text and Markdown transcripts in any of the text layouts."""

    name = "text"

    def accepts(self, document: Document) -> bool:
        return document.suffix in TEXT_SUFFIXES

    def read(self, document: Document) -> Transcript:
        return read_lines(document.text.splitlines(), document.source, "text")
