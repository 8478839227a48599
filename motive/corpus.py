"""Labelled data: motive's corpus format (one annotated interview per file) and plain ``text,label`` tables.

The corpus format is documented in ``corpora/FORMAT.md``. A corpus file is a
transcript plus ``@`` annotation lines, so its turns are read by the same code
that reads any transcript, and the labels are attached to the answers that
:func:`motive.chains.pair_exchanges` finds.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shlex
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from motive.chains import Exchange, assign_chains, chain_members, pair_exchanges
from motive.errors import CorpusError, TranscriptError
from motive.formats.base import RESULTS_COLUMNS
from motive.labels import DISCIPLINES, DRIVERS, LABELS, QUESTION_KINDS  # noqa: F401  (importable from here too)
from motive.output import FORMULA_STARTS
from motive.roles import interviewers_named
from motive.transcripts import Transcript, Turn, csv_delimiter, decode, listed_once, read_text

REGISTERS = ("clean", "spoken", "asr", "terse", "rambling", "non-native")

_ANNOTATION_LINE = re.compile(r"^@(\w+)(.*)$")

#: Where a parser sends each problem it finds: :func:`raise_it` stops at the first; ``list.append`` collects them all.
Report = Callable[[CorpusError], None]


def raise_it(problem: CorpusError) -> None:
    raise problem


@dataclass(frozen=True)
class GoldAnswer:
    """One answer with its annotations."""

    text: str
    question: str | None
    speaker: str
    line: int
    label: str
    question_kind: str | None = None
    leading: bool = False
    terminal: bool = False
    driver: str | None = None
    discipline: str | None = None
    evidence: str | None = None


@dataclass(frozen=True)
class GoldInterview:
    """An annotated interview: its transcript, who interviews, and the gold answers."""

    transcript: Transcript
    interviewers: tuple[str, ...]  # everyone who asks, as the front matter lists them
    answers: tuple[GoldAnswer, ...]

    @property
    def id(self) -> str:
        return self.transcript.metadata.get("id") or Path(self.transcript.source).stem

    @property
    def metadata(self) -> dict[str, str]:
        return self.transcript.metadata

    @property
    def unlabelled_transcript(self) -> Transcript:
        """The transcript as motive meets it unannotated: its front matter without the
        ``interviewer`` key, so that motive works out who asks (for scoring)."""
        return replace(self.transcript, metadata={k: v for k, v in self.metadata.items() if k != "interviewer"})

    @property
    def chain_of(self) -> list[int | None]:
        return assign_chains([answer.question_kind for answer in self.answers])

    @property
    def chains(self) -> list[list[int]]:
        return chain_members(self.chain_of)

    @property
    def terminals(self) -> list[int | None]:
        """Each chain's terminal answer index, ``None`` where the chain never reaches an outcome."""
        return [next((i for i in chain if self.answers[i].terminal), None) for chain in self.chains]


@dataclass
class _Annotation:
    line: int
    name: str
    fields: dict[str, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)


def parse_annotation(line: str, number: int, source: str) -> _Annotation:
    """``@outcome terminal driver=mitigate-risk evidence="…"`` → name, flags and fields."""
    match = _ANNOTATION_LINE.match(line.strip())
    if not match:
        raise CorpusError(source, number, f"not an annotation line: {line.strip()[:40]!r}")
    try:
        words = shlex.split(match[2])
    except ValueError as error:
        raise CorpusError(source, number, f"cannot split annotation ({error})") from None
    annotation = _Annotation(number, match[1])
    for word in words:
        key, sep, value = word.partition("=")
        if sep:
            annotation.fields[key] = value
        else:
            annotation.flags.add(word)
    return annotation


def _unclosed_front_matter(text: str) -> int | None:
    r"""The line of a ``---`` that opens front matter no second ``---`` closes.

    >>> _unclosed_front_matter("\n---\nid: a\nQ: Why?"), _unclosed_front_matter("---\nid: a\n---\nQ: Why?")
    (2, None)
    """
    lines = text.splitlines()
    first = next((n for n, line in enumerate(lines) if line.strip()), None)
    if first is None or lines[first].strip() != "---" or any(line.strip() == "---" for line in lines[first + 1 :]):
        return None
    return first + 1


def parse_interview(text: str, source: str, report: Report = raise_it) -> GoldInterview | None:
    """Parse one corpus file; every format problem is a :class:`CorpusError` naming the line.

    The first problem is raised, unless ``report`` takes each one (``problems.append``): then the
    file is read on past its problems in annotations and chains, to find them all, and ``None``
    comes back where the file cannot be read as an interview at all (no front matter, no turns).
    """
    try:
        return _parse_interview(text, source, report)
    except CorpusError as error:
        report(error)
        return None


def _parse_interview(text: str, source: str, report: Report) -> GoldInterview:
    try:
        transcript = read_text(text, source)
    except TranscriptError as error:
        raise CorpusError(source, None, error.problem) from None
    _check_front_matter(transcript.metadata, source, report)
    speakers = {turn.speaker for turn in transcript.turns}
    if not transcript.metadata and (opened := _unclosed_front_matter(text)) is not None:
        raise CorpusError(source, opened, "front matter is not closed: a second '---' line ends it (corpora/FORMAT.md)")
    if not transcript.metadata:
        raise CorpusError(source, None, "is not a labelled interview: it has no front matter (corpora/FORMAT.md); "
                                        "to classify a transcript, use 'motive classify'")
    if not transcript.metadata.get("interviewer", "").strip():
        raise CorpusError(source, None, "front matter has no 'interviewer:' key")
    interviewers = interviewers_named(transcript.metadata["interviewer"], speakers)
    for name in interviewers:
        if name not in speakers:
            raise CorpusError(source, None, f"interviewer {name!r} never speaks (speakers: {sorted(speakers)})")
    if speakers <= set(interviewers):
        raise CorpusError(source, None, "every speaker is named as an interviewer: nobody answers")

    annotations = _annotations_by_turn(text, transcript, interviewers, source, report)
    exchanges = pair_exchanges(transcript.turns, interviewers)
    answers = tuple(_gold_answer(exchange, annotations, source, report) for exchange in exchanges)
    interview = GoldInterview(transcript, tuple(interviewers), answers)
    _check_chains(interview, source, report)
    return interview


#: Front-matter keys whose values are fixed (corpora/FORMAT.md); other keys take any value.
FRONT_MATTER_VALUES = {
    "market": ("b2b", "consumer"),
    "offering": ("goods", "service"),
    "buyer": ("individual", "small", "large"),
    "register": ("clean", "spoken", "asr", "terse", "rambling", "non-native"),
}


def _check_front_matter(metadata: dict[str, str], source: str, report: Report) -> None:
    """Keys with fixed values hold one of them."""
    for key, allowed in FRONT_MATTER_VALUES.items():
        if key in metadata and metadata[key] not in allowed:
            report(CorpusError(source, None, f"{key}: {metadata[key]!r} is not one of {', '.join(allowed)}"))


def _annotations_by_turn(
    text: str, transcript: Transcript, interviewers: list[str], source: str, report: Report
) -> dict[int, list[_Annotation]]:
    """Attach each ``@`` line to the question or answer it follows, keyed by its first line: turns
    that follow one another on one side (two respondents answering in turn) are one answer."""
    opens = _first_line_of_side(transcript.turns, interviewers)
    attached: dict[int, list[_Annotation]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.startswith("@"):
            continue
        owner = max((start for start in opens if start < number), default=None)
        try:
            if owner is None:
                raise CorpusError(source, number, "annotation before any turn")
            attached.setdefault(opens[owner], []).append(parse_annotation(line, number, source))
        except CorpusError as error:
            report(error)
            if owner is not None and (named := _ANNOTATION_LINE.match(line.strip())):  # "@outcome evidence="…" cut off: still a label
                flags = {word for word in re.split(r"[\"']", named[2])[0].split() if word.isidentifier()}  # "terminal", before the quote
                attached.setdefault(opens[owner], []).append(_Annotation(number, named[1], flags=flags))
    return attached


def _first_line_of_side(turns: tuple[Turn, ...], interviewers: list[str]) -> dict[int, int]:
    """Each turn's first line → the first line of the run of turns, on the asking or the answering
    side, that it belongs to (:func:`~motive.chains.pair_exchanges` makes each run one question or answer).

    >>> _first_line_of_side((Turn("Q", "Why?", 1), Turn("Ann", "Price.", 2), Turn("Bo", "Speed.", 4), Turn("Q", "And?", 6)), ["Q"])
    {1: 1, 2: 2, 4: 2, 6: 6}
    """
    opens: dict[int, int] = {}
    side, first = None, 0
    for turn in turns:
        if (turn.speaker in interviewers) is not side:
            side, first = turn.speaker in interviewers, turn.line
        opens[turn.line] = first
    return opens


def _gold_answer(exchange: Exchange, annotations: dict[int, list[_Annotation]], source: str, report: Report = raise_it) -> GoldAnswer:
    """The exchange with its annotations; where one is wrong or missing, the problem is reported
    and the answer read on as best it can be (a missing label as none, a misspelt one as the
    name it is closest to), to find the next problem rather than the same one again."""
    answer, question = exchange.answer, exchange.question
    label = _one_annotation(annotations.get(answer.line, []), LABELS, "answer", answer.line, source, report) or _Annotation(answer.line, "none")
    if len(annotations.get(answer.line, [])) == 0:
        report(CorpusError(source, answer.line, "answer has no label line (@output, @outcome or @none)"))
    if "terminal" in label.flags and label.name != "outcome":
        report(CorpusError(source, label.line, "only an outcome answer inside a chain can be terminal"))
    if label.name != "outcome" and ("driver" in label.fields or "discipline" in label.fields):
        report(CorpusError(source, label.line, "driver= and discipline= belong to outcome answers"))

    kind, leading = None, False
    if question is not None:
        marks = annotations.get(question.line, [])
        if not marks:
            report(CorpusError(source, question.line, "question has no @root, @probe or @aside line"))
        if found := _one_annotation(marks, QUESTION_KINDS, "question", question.line, source, report):
            unknown = sorted(set(found.fields) | (found.flags - {"leading"}))
            if unknown:
                report(CorpusError(source, found.line, f"unknown annotation field {unknown[0]!r} (a question takes only 'leading')"))
            kind, leading = found.name, "leading" in found.flags

    return GoldAnswer(
        text=answer.text,
        question=question.text if question else None,
        speaker=answer.speaker,
        line=answer.line,
        label=label.name,
        question_kind=kind,
        leading=leading,
        terminal=any(_closest(flag, ("terminal",)) for flag in label.flags),  # "terminl" too: reported as misspelt
        driver=_field(label, "driver", DRIVERS, source, report),
        discipline=_field(label, "discipline", DISCIPLINES, source, report, unknown_too=False),
        evidence=_evidence(label, answer.text, source, report),
    )


def _one_annotation(marks: list[_Annotation], names: tuple[str, ...], what: str, line: int, source: str, report: Report) -> _Annotation | None:
    """The one annotation of the answer or question on ``line`` among ``marks`` (None: there is none).

    A name that is not one of ``names`` is reported, and stands for the name it is closest
    to (``@outptu`` for ``@output``) so that its flags and fields are still checked.
    """
    known = [mark for mark in marks if mark.name in names]
    for mark in marks:
        if mark.name not in names:
            guess = _closest(mark.name, names)
            hint = f" (did you mean @{guess}?)" if guess else ""
            report(CorpusError(source, mark.line, f"'@{mark.name}' after {'an' if what == 'answer' else 'a'} {what}; "
                                                  f"expected one of {', '.join(names)}{hint}"))
            if guess and not known:
                known.append(replace(mark, name=guess))
    if len(known) > 1:
        sides = "turns that follow one another with no question between them are one answer: label it once, after its last turn" \
            if what == "answer" else ("interviewer turns that follow one another with no answer between them are one question: "
                                      "give it one kind, after its last turn")
        report(CorpusError(source, line, f"{what} has more than one {'label line' if what == 'answer' else 'kind'} ({sides})"))
    return known[0] if known else None


def _field(annotation: _Annotation, name: str, allowed: tuple[str, ...], source: str, report: Report, unknown_too: bool = True) -> str | None:
    """The value of field ``name`` (None when it is wrong); ``unknown_too``: also report fields no label takes."""
    value = annotation.fields.get(name)
    if value is not None and value not in allowed:
        report(CorpusError(source, annotation.line, f"{name}={value!r} is not one of {', '.join(allowed)}{_did_you_mean(value, allowed)}"))
        value = None
    unknown = set(annotation.fields) - {"driver", "discipline", "evidence"}
    unknown |= annotation.flags - {"terminal"}
    if unknown and unknown_too:
        first = sorted(unknown)[0]
        hint = _did_you_mean(first, ("terminal",) if first in annotation.flags else ("driver", "discipline", "evidence"))
        report(CorpusError(source, annotation.line, f"unknown annotation field {first!r}{hint}"))
    return value


def _did_you_mean(word: str, names: Iterable[str]) -> str:
    """ " (did you mean 'terminal'?)" for a word close to one of ``names``, else "".

    >>> _did_you_mean("terminl", ["terminal"]), _did_you_mean("emotinal-need", DRIVERS), _did_you_mean("colour", ["terminal"])
    (" (did you mean 'terminal'?)", " (did you mean 'emotional-need'?)", '')
    """
    guess = _closest(word, names)
    return f" (did you mean {guess!r}?)" if guess else ""


def _closest(word: str, names: Iterable[str]) -> str | None:
    """The one of ``names`` that ``word`` is, or is a misspelling of (``@outptu``: output), else None."""
    from difflib import get_close_matches

    guess = get_close_matches(word.lower(), list(names), n=1, cutoff=0.6)
    return guess[0] if guess else None


def _evidence(annotation: _Annotation, text: str, source: str, report: Report) -> str | None:
    evidence = annotation.fields.get("evidence")
    if evidence is not None and _squash(evidence) not in _squash(text):
        report(CorpusError(source, annotation.line, "evidence is not an exact part of the answer"))
        return None
    return evidence


def _squash(text: str) -> str:
    return " ".join(text.split()).lower()


def _check_chains(interview: GoldInterview, source: str, report: Report) -> None:
    kinds = [answer.question_kind for answer in interview.answers]
    first_root = next((i for i, kind in enumerate(kinds) if kind == "root"), None)
    for index, (answer, kind) in enumerate(zip(interview.answers, kinds)):
        if kind == "probe" and (first_root is None or index < first_root):
            report(CorpusError(source, answer.line, "a probe before any root question (mark the chain's first question @root)"))
        if answer.terminal and answer.label == "outcome" and interview.chain_of[index] is None:
            report(CorpusError(source, answer.line, "only an outcome answer inside a chain can be terminal"))
    for members in interview.chains:
        outcomes = [i for i in members if interview.answers[i].label == "outcome"]
        terminals = [i for i in members if interview.answers[i].terminal and interview.answers[i].label == "outcome"]
        if outcomes and len(terminals) != 1:
            line = interview.answers[members[0]].line
            report(CorpusError(source, line, f"the chain starting here has outcome answers and {len(terminals)} terminal marks (needs exactly 1)"))


def read_interview(path: Path) -> GoldInterview:
    """Read and parse one corpus file."""
    return parse_interview(_labelled_text(path), str(path))


def _labelled_text(path: Path, data: bytes | None = None) -> str:
    """A labelled file's text (``data``: its bytes, when read already), in any encoding motive
    detects for transcripts; a problem is a :class:`CorpusError`."""
    try:
        return decode(path.read_bytes() if data is None else data, str(path))
    except (OSError, TranscriptError) as error:
        problem = str(getattr(error, "problem", error)).replace(", not a transcript", ", not text")  # "is a binary file"
        raise CorpusError(str(path), None, problem) from None


def find_interviews(paths: list[Path]) -> list[Path]:
    """Corpus files under the given files and folders (``*.txt``), in a stable order."""
    named = {path for path in paths if not path.is_dir()}
    return [path for path in find_labelled(paths) if path in named or path.suffix.lower() == ".txt"]


def find_labelled(paths: list[Path]) -> list[Path]:
    """Corpus files (``*.txt``) and ``text,label`` tables (``*.csv``, ``*.tsv``, ``*.jsonl``) under
    the given files and folders, in a stable order; hidden files in folders (backups, ``._``
    files, lock files) and the results files of ``motive classify`` written among them are left
    out, and a file named twice is listed once, where first met. A results CSV named on its own is
    read as a table: its labels, corrected by hand, are labelled data."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(p for p in _files_in(path) if p.suffix.lower() in LABELLED_SUFFIXES and p.is_file() and not is_results_file(p))
        else:
            found.append(path)
    return listed_once(found)


def left_out_of_folders(paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """What :func:`find_labelled` leaves out of the given folders, hidden files aside: the files of
    other endings (``.md``, ``.docx``…) and the results files of ``motive classify``, each once."""
    files = listed_once([p for path in paths if path.is_dir() for p in _files_in(path) if p.is_file()])  # not a pipe, which would wait
    return ([p for p in files if p.suffix.lower() not in LABELLED_SUFFIXES],
            [p for p in files if p.suffix.lower() in LABELLED_SUFFIXES and is_results_file(p)])


def _files_in(folder: Path) -> list[Path]:
    """The files under ``folder``, in a stable order, without walking hidden folders (``.git``)."""
    found = []
    for where, folders, files in os.walk(folder):
        folders[:] = sorted(name for name in folders if not name.startswith("."))
        found += [Path(where) / name for name in files if not name.startswith(".")]
    return sorted(found)


def is_results_file(path: Path) -> bool:
    """Whether a table file holds results of ``motive classify`` (its CSV's columns, or JSONL
    records of transcripts): its labels are a model's."""
    try:
        with open(path, "rb") as stream:
            return _holds_results(path, decode(stream.read(1 << 16), str(path)))  # UTF-16 too, as tables are read
    except (OSError, TranscriptError):
        return False


def _holds_results(path: Path, content: str) -> bool:
    """Whether a table's ``content`` (or its start) is results of ``motive classify``: the columns of
    its CSV, or JSONL records of transcripts, ``{"source": "…", "answers": [`` (long: their start alone)."""
    if path.suffix.lower() in {".jsonl", ".ndjson"}:
        return content.lstrip("\ufeff").startswith('{"source": ') and '"answers": [' in content[:4096]
    return csv_delimiter(content, lambda names: RESULTS_COLUMNS <= names) is not None


def read_interviews(paths: Path | str | list[Path | str]) -> list[GoldInterview]:
    """Read every corpus file under ``paths`` (files and folders, or one of them); the first
    broken file stops with its error."""
    paths = [paths] if isinstance(paths, (str, Path)) else paths
    for path in map(Path, paths):
        if is_table(path):
            raise CorpusError(str(path), None, "is a table of text,label rows, not annotated interviews: read it with "
                                               "motive.read_table(path), and give the rows to motive.train as tables")
    return [read_interview(path) for path in find_interviews([Path(p) for p in paths])]


def check(paths: list[Path], label_map: dict[str, str] | None = None) -> list[CorpusError]:
    """Every problem in every corpus file and table, for ``motive corpus check``: besides what
    :func:`parse_interview` and :func:`read_table` check, a corpus file is UTF-8 (corpora/FORMAT.md),
    and each file's ``id`` is its name and no other file's. A file that cannot be read as an
    interview or a table at all (no front matter, no header) has that one problem."""
    checked = []
    for path in find_labelled(paths):
        found: list[CorpusError] = []
        checked.append((path, _checked(path, label_map, found), found))
    owners = id_owners([(str(path), interview.id) for path, interview, _ in checked if interview is not None])
    problems: list[CorpusError] = []
    for path, interview, found in checked:
        if interview is not None and owners[interview.id] != str(path):
            found.append(CorpusError(str(path), None, f"id {interview.id!r} is taken by {owners[interview.id]}"))
        elif interview is not None and interview.id != path.stem:
            found.append(CorpusError(str(path), None, f"id {interview.id!r} is not the file's name without .txt"))
        problems += sorted(found, key=lambda problem: problem.line or 0)  # a file's problems in the order of its lines
    return problems


def id_owners(sources_and_ids: list[tuple[str, str]]) -> dict[str, str]:
    """Each interview id → the file it belongs to: the one named after it, else the first that has
    it (the others are copies, "call (1).txt", or ids not changed).

    >>> id_owners([("a/call (1).txt", "call"), ("a/call.txt", "call"), ("a/x.txt", "y")])
    {'call': 'a/call.txt', 'y': 'a/x.txt'}
    """
    owners: dict[str, str] = {}
    for source, interview_id in sources_and_ids:
        if interview_id not in owners or Path(source).stem == interview_id != Path(owners[interview_id]).stem:
            owners[interview_id] = source
    return owners


def _checked(path: Path, label_map: dict[str, str] | None, found: list[CorpusError]) -> GoldInterview | None:
    """The interview in a corpus file (None for a table, or a file that holds none), its problems added to ``found``."""
    if is_table(path):
        read_table(path, label_map, report=found.append)
        return None
    try:
        data = path.read_bytes()
        text = _labelled_text(path, data)
    except OSError as error:
        found.append(CorpusError(str(path), None, f"cannot be read ({error.strerror or type(error).__name__})"))
        return None
    except CorpusError as error:
        found.append(error)
        return None
    if (line := _first_line_not_utf8(data)) is not None:
        found.append(CorpusError(str(path), line, "is not UTF-8 from this line on (corpora/FORMAT.md): save it as UTF-8"))
    return parse_interview(text, str(path), report=found.append)


def _first_line_not_utf8(data: bytes) -> int | None:
    r"""The first line of a file's bytes that UTF-8 cannot decode, or None when it all decodes.

    >>> _first_line_not_utf8("a\nCaf\xe9".encode("cp1252")), _first_line_not_utf8(b"plain")
    (2, None)
    """
    try:
        data.decode("utf-8")
        return None
    except UnicodeDecodeError as error:
        return data[: error.start].count(b"\n") + 1


# --- plain tables of labelled answers -----------------------------------------------------


def read_table(path: Path | str, label_map: dict[str, str] | None = None, report: Report = raise_it) -> list[tuple[str, str]]:
    """``text,label`` rows from a CSV or JSONL file, label names mapped onto motive's.

    The file may be in any encoding motive detects for transcripts, a CSV separated by
    commas, semicolons or tabs; column names and labels are read without regard to case
    or surrounding spaces. A row without text or label, a label motive does not know or a
    broken line stops with the file and line, unless ``report`` takes each problem
    (``problems.append``): then the rows without one are read.
    """
    path, label_map = Path(path), label_map_onto_labels(label_map or {})
    pairs = []
    try:
        content = _labelled_text(path)
        from_motive = _holds_results(path, content)  # a results CSV, its labels corrected by hand, is a table
        if from_motive and path.suffix.lower() in {".jsonl", ".ndjson"}:
            raise CorpusError(str(path), 1, MOTIVE_RESULTS)
        for number, row in _table_rows(path, content):
            try:
                pairs.append(_table_row(path, number, row, label_map, from_motive))
            except CorpusError as error:
                report(error)
    except CorpusError as error:  # the file, or the rest of it, cannot be read
        report(error)
    return pairs


def _table_row(path: Path, number: int, row, label_map: dict[str, str], from_motive: bool = False) -> tuple[str, str]:
    if isinstance(row, CorpusError):
        raise row
    if not isinstance(row, dict):
        raise CorpusError(str(path), number, "each line must be a JSON object with 'text' and 'label'")
    if any(str(extra).strip() for extra in row.get(None, [])):  # csv.DictReader's key for the fields past the header's
        raise CorpusError(str(path), number, f"the row has {len(row) - 1 + len(row[None])} fields where the header has {len(row) - 1}: "
                                             "put a text that holds the separator in double quotes")
    row = {str(key).strip().lower(): value for key, value in row.items() if key is not None}
    if "text" not in row or "label" not in row:
        raise CorpusError(str(path), number, f"the row has no {'text' if 'text' not in row else 'label'}: it needs 'text' and 'label'")
    if not isinstance(row["text"], str) or not row["text"].strip():
        raise CorpusError(str(path), number, "the row has no text")
    if from_motive and row["text"][:1] == "'" and row["text"][1:2] in FORMULA_STARTS:  # as motive's CSV writes it for spreadsheets
        row["text"] = row["text"][1:]
    if row["label"] is None or not str(row["label"]).strip():
        raise CorpusError(str(path), number, "the row has no label")
    written = str(row["label"]).strip().lower()
    label = label_map.get(written, written)
    if label not in LABELS:
        guess = _did_you_mean(written, [*LABELS, *label_map])
        raise CorpusError(str(path), number, f"label {row['label']!r} is not one of {', '.join(LABELS)}{guess or ' (map it with --label-map)'}")
    return row["text"], label


def label_map_onto_labels(label_map: dict[str, str] | Iterable[tuple[str, str]]) -> dict[str, str]:
    """A map of label names (``{"Benefit": "outcome"}``, or ``(name, label)`` pairs) with its names
    in lower case and stripped; a ``ValueError`` for an empty name, a name mapped onto something
    other than motive's labels, or one name mapped onto two labels.

    >>> label_map_onto_labels({" Feature ": "Output"})
    {'feature': 'output'}
    """
    mapped: dict[str, str] = {}
    for old, new in (label_map.items() if isinstance(label_map, dict) else label_map):
        name, label = str(old).strip().lower(), str(new).strip().lower()
        if not name:
            raise ValueError(f"{old}={new}: name the label to map")
        if label not in LABELS:
            raise ValueError(f"{old}={new}: {new!r} is not one of {', '.join(LABELS)}")
        if mapped.setdefault(name, label) != label:
            raise ValueError(f"{old!r} is mapped twice, onto {mapped[name]} and {label}")
    return mapped


#: What a results file of ``motive classify`` is, found among labelled data: its labels are a model's, not a person's.
MOTIVE_RESULTS = ("is a results file written by 'motive classify', not text,label rows (a results CSV, its labels "
                  "corrected, can be named as a table)")


def _table_rows(path: Path, content: str):
    """(line number, row) for each row of a JSONL or CSV table's ``content``; a JSONL line that is not
    JSON comes as its :class:`CorpusError`."""
    if path.suffix.lower() in {".jsonl", ".ndjson"}:
        for number, line in enumerate(content.splitlines(), start=1):
            if line.strip():
                try:
                    yield number, json.loads(line)
                except json.JSONDecodeError as error:  # this line's problem: the next lines are rows of their own
                    yield number, CorpusError(str(path), number, f"not JSON ({error.msg})")
        return
    reader = csv.DictReader(io.StringIO(content, newline=""), delimiter=_csv_delimiter(path, content), strict=True)
    read = 1  # the header
    try:
        for row in reader:
            yield read + 1, row
            read = reader.line_num
    except csv.Error as error:
        raise CorpusError(str(path), read + 1, f"is not valid CSV from this line on ({error}; an unclosed quote?)") from None


def _csv_delimiter(path: Path, content: str) -> str:
    """The separator under which the header names a ``text`` and a ``label`` column."""
    header = content.lstrip("\ufeff").split("\n", 1)[0].strip("\r")
    if not header.strip():
        raise CorpusError(str(path), 1, "no header line: the first line names the columns, text,label")
    headers: list[set[str]] = []  # the column names under each separator tried, to say which is missing

    def text_and_label(names: set[str]) -> bool:
        headers.append(names)
        return {"text", "label"} <= names

    delimiter = csv_delimiter(content, text_and_label)
    if delimiter is not None:
        return delimiter
    named = set().union(*headers)
    missing = " and ".join(repr(column) for column in ("text", "label") if column not in named)
    raise CorpusError(str(path), 1, f"the header {header[:80]!r} has no {missing} column: the first line names the columns, text,label")


TABLE_SUFFIXES = {".csv", ".tsv", ".jsonl", ".ndjson"}
LABELLED_SUFFIXES = {".txt"} | TABLE_SUFFIXES


def is_table(path: Path) -> bool:
    return path.is_file() and path.suffix.lower() in TABLE_SUFFIXES


# --- figures about a corpus ----------------------------------------------------------------


def stats(interviews: list[GoldInterview], tables: list[tuple[str, str]] = ()) -> dict:
    """Counts per label, register, domain and situation; chains; repetition of word 3-grams; and,
    where ``text,label`` rows are given too, their counts per label under ``tables``."""
    answers = [a for interview in interviews for a in interview.answers]
    rows = {"tables": {"rows": len(tables), "labels": dict(Counter(label for _, label in tables).most_common())}} if tables else {}
    chains = [members for interview in interviews for members in interview.chains]
    no_outcome = sum(1 for interview in interviews for t in interview.terminals if t is None)
    return {
        "interviews": len(interviews),
        "answers": len(answers),
        "chains": len(chains),
        "chains_without_outcome": no_outcome,
        "situations": len({i.metadata.get("situation", "") for i in interviews}),
        "labels": dict(Counter(a.label for a in answers).most_common()),
        "registers": dict(Counter(i.metadata.get("register", "?") for i in interviews).most_common()),
        "domains": dict(Counter(i.metadata.get("domain", "?") for i in interviews).most_common()),
        "markets": dict(Counter(i.metadata.get("market", "?") for i in interviews).most_common()),
        "drivers": dict(Counter(a.driver for a in answers if a.label == "outcome").most_common()),
        "disciplines": dict(Counter(a.discipline for a in answers if a.label == "outcome").most_common()),
        "answer_words": _percentiles([len(a.text.split()) for a in answers]),
        "distinct_3gram_share": distinct_ngram_share([a.text for a in answers], 3),
        "top_3grams": {label: top_ngrams([a.text for a in answers if a.label == label], 3, 8) for label in LABELS},
        **rows,
    }


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower())


def _ngrams(text: str, n: int) -> list[tuple[str, ...]]:
    words = _words(text)
    return [tuple(words[i : i + n]) for i in range(len(words) - n + 1)]


def distinct_ngram_share(texts: list[str], n: int) -> float:
    """Distinct word n-grams ÷ all word n-grams: 1.0 means no phrase repeats."""
    grams = [g for text in texts for g in _ngrams(text, n)]
    return round(len(set(grams)) / len(grams), 4) if grams else 0.0


def top_ngrams(texts: list[str], n: int, k: int) -> list[tuple[str, int]]:
    counts = Counter(g for text in texts for g in _ngrams(text, n))
    return [(" ".join(g), c) for g, c in counts.most_common(k)]


def _percentiles(values: list[int]) -> dict[str, int]:
    if not values:
        return {}
    ordered = sorted(values)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return {"min": ordered[0], "median": pick(0.5), "p90": pick(0.9), "max": ordered[-1]}
