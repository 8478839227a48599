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
import re
import shlex
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from motive.chains import Exchange, assign_chains, chain_members, pair_exchanges
from motive.errors import CorpusError, TranscriptError
from motive.labels import DISCIPLINES, DRIVERS, LABELS, QUESTION_KINDS  # noqa: F401  (importable from here too)
from motive.roles import interviewers_named
from motive.transcripts import Transcript, Turn, decode, listed_once, read_text

REGISTERS = ("clean", "spoken", "asr", "terse", "rambling", "non-native")

_ANNOTATION_LINE = re.compile(r"^@(\w+)(.*)$")


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


def parse_interview(text: str, source: str) -> GoldInterview:
    """Parse one corpus file; every format problem is a :class:`CorpusError` naming the line."""
    try:
        transcript = read_text(text, source)
    except TranscriptError as error:
        raise CorpusError(source, None, error.problem) from None
    _check_front_matter(transcript.metadata, source)
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

    annotations = _annotations_by_turn(text, transcript, interviewers, source)
    exchanges = pair_exchanges(transcript.turns, interviewers)
    answers = tuple(_gold_answer(exchange, annotations, source) for exchange in exchanges)
    interview = GoldInterview(transcript, tuple(interviewers), answers)
    _check_chains(interview, source)
    return interview


#: Front-matter keys whose values are fixed (corpora/FORMAT.md); other keys take any value.
FRONT_MATTER_VALUES = {
    "market": ("b2b", "consumer"),
    "offering": ("goods", "service"),
    "buyer": ("individual", "small", "large"),
    "register": ("clean", "spoken", "asr", "terse", "rambling", "non-native"),
}


def _check_front_matter(metadata: dict[str, str], source: str) -> None:
    """Keys with fixed values hold one of them."""
    for key, allowed in FRONT_MATTER_VALUES.items():
        if key in metadata and metadata[key] not in allowed:
            raise CorpusError(source, None, f"{key}: {metadata[key]!r} is not one of {', '.join(allowed)}")


def _annotations_by_turn(text: str, transcript: Transcript, interviewers: list[str], source: str) -> dict[int, list[_Annotation]]:
    """Attach each ``@`` line to the question or answer it follows, keyed by its first line: turns
    that follow one another on one side (two respondents answering in turn) are one answer."""
    opens = _first_line_of_side(transcript.turns, interviewers)
    attached: dict[int, list[_Annotation]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.startswith("@"):
            continue
        owner = max((start for start in opens if start < number), default=None)
        if owner is None:
            raise CorpusError(source, number, "annotation before any turn")
        attached.setdefault(opens[owner], []).append(parse_annotation(line, number, source))
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


def _gold_answer(exchange: Exchange, annotations: dict[int, list[_Annotation]], source: str) -> GoldAnswer:
    answer, question = exchange.answer, exchange.question
    labels = [a for a in annotations.get(answer.line, []) if a.name in LABELS]
    others = [a for a in annotations.get(answer.line, []) if a.name not in LABELS]
    if others:
        raise CorpusError(source, others[0].line, f"'@{others[0].name}' after an answer; expected one of {', '.join(LABELS)}")
    if len(labels) != 1:
        problem = "has no label line (@output, @outcome or @none)" if not labels else (
            "has more than one label line (turns that follow one another with no question between them are one answer: "
            "label it once, after its last turn)")
        raise CorpusError(source, answer.line, f"answer {problem}")
    label = labels[0]

    kind, leading = None, False
    if question is not None:
        kinds = [a for a in annotations.get(question.line, []) if a.name in QUESTION_KINDS]
        if len(kinds) != 1:
            problem = "has no @root, @probe or @aside line" if not kinds else (
                "has more than one kind (interviewer turns that follow one another with no answer between them are "
                "one question: give it one kind, after its last turn)")
            raise CorpusError(source, question.line, f"question {problem}")
        unknown = sorted(set(kinds[0].fields) | (kinds[0].flags - {"leading"}))
        if unknown:
            raise CorpusError(source, kinds[0].line, f"unknown annotation field {unknown[0]!r} (a question takes only 'leading')")
        kind, leading = kinds[0].name, "leading" in kinds[0].flags

    return GoldAnswer(
        text=answer.text,
        question=question.text if question else None,
        speaker=answer.speaker,
        line=answer.line,
        label=label.name,
        question_kind=kind,
        leading=leading,
        terminal="terminal" in label.flags,
        driver=_field(label, "driver", DRIVERS, source),
        discipline=_field(label, "discipline", DISCIPLINES, source),
        evidence=_evidence(label, answer.text, source),
    )


def _field(annotation: _Annotation, name: str, allowed: tuple[str, ...], source: str) -> str | None:
    value = annotation.fields.get(name)
    if value is not None and value not in allowed:
        raise CorpusError(source, annotation.line, f"{name}={value!r} is not one of {', '.join(allowed)}")
    unknown = set(annotation.fields) - {"driver", "discipline", "evidence"}
    unknown |= annotation.flags - {"terminal"}
    if unknown:
        raise CorpusError(source, annotation.line, f"unknown annotation field {sorted(unknown)[0]!r}")
    return value


def _evidence(annotation: _Annotation, text: str, source: str) -> str | None:
    evidence = annotation.fields.get("evidence")
    if evidence is not None and _squash(evidence) not in _squash(text):
        raise CorpusError(source, annotation.line, "evidence is not an exact part of the answer")
    return evidence


def _squash(text: str) -> str:
    return " ".join(text.split()).lower()


def _check_chains(interview: GoldInterview, source: str) -> None:
    kinds = [answer.question_kind for answer in interview.answers]
    first_root = next((i for i, kind in enumerate(kinds) if kind == "root"), None)
    for index, (answer, kind) in enumerate(zip(interview.answers, kinds)):
        if kind == "probe" and (first_root is None or index < first_root):
            raise CorpusError(source, answer.line, "a probe before any root question (mark the chain's first question @root)")
        if answer.terminal and (answer.label != "outcome" or interview.chain_of[index] is None):
            raise CorpusError(source, answer.line, "only an outcome answer inside a chain can be terminal")
        if answer.label != "outcome" and (answer.driver or answer.discipline):
            raise CorpusError(source, answer.line, "driver= and discipline= belong to outcome answers")
    for members in interview.chains:
        outcomes = [i for i in members if interview.answers[i].label == "outcome"]
        terminals = [i for i in members if interview.answers[i].terminal]
        if outcomes and len(terminals) != 1:
            line = interview.answers[members[0]].line
            raise CorpusError(source, line, f"the chain starting here has outcome answers and {len(terminals)} terminal marks (needs exactly 1)")


def read_interview(path: Path) -> GoldInterview:
    """Read and parse one corpus file."""
    return parse_interview(_labelled_text(path), str(path))


def _labelled_text(path: Path) -> str:
    """A labelled file's text, in any encoding motive detects for transcripts; a problem is a :class:`CorpusError`."""
    try:
        return decode(path.read_bytes(), str(path))
    except (OSError, TranscriptError) as error:
        raise CorpusError(str(path), None, str(getattr(error, "problem", error))) from None


def find_interviews(paths: list[Path]) -> list[Path]:
    """Corpus files under the given files and folders (``*.txt``), in a stable order."""
    named = {path for path in paths if not path.is_dir()}
    return [path for path in find_labelled(paths) if path in named or path.suffix.lower() == ".txt"]


def find_labelled(paths: list[Path]) -> list[Path]:
    """Corpus files (``*.txt``) and ``text,label`` tables (``*.csv``, ``*.tsv``, ``*.jsonl``) under
    the given files and folders, in a stable order; hidden files in folders (backups, ``._``
    files, lock files) are left out, and a file named twice is listed once, where first met."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(
                p for p in path.rglob("*")
                if p.suffix.lower() in LABELLED_SUFFIXES and p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            ))
        else:
            found.append(path)
    return listed_once(found)


def read_interviews(paths: Path | str | list[Path | str]) -> list[GoldInterview]:
    """Read every corpus file under ``paths`` (files and folders, or one of them); the first
    broken file stops with its error."""
    paths = [paths] if isinstance(paths, (str, Path)) else paths
    return [read_interview(path) for path in find_interviews([Path(p) for p in paths])]


def check(paths: list[Path]) -> list[CorpusError]:
    """Every problem in every corpus file and table (one per file), for ``motive corpus check``:
    besides what :func:`parse_interview` checks, each file's ``id`` is its name and no other file's."""
    problems = []
    first_with_id: dict[str, Path] = {}
    for path in find_labelled(paths):
        try:
            if is_table(path):
                read_table(path)
                continue
            interview = read_interview(path)
        except CorpusError as error:
            problems.append(error)
            continue
        if interview.id != path.stem:
            problems.append(CorpusError(str(path), None, f"id {interview.id!r} is not the file's name without .txt"))
        elif interview.id in first_with_id:
            problems.append(CorpusError(str(path), None, f"id {interview.id!r} is taken by {first_with_id[interview.id]}"))
        else:
            first_with_id[interview.id] = path
    return problems


# --- plain tables of labelled answers -----------------------------------------------------


def read_table(path: Path, label_map: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """``text,label`` rows from a CSV or JSONL file, label names mapped onto motive's.

    The file may be in any encoding motive detects for transcripts, a CSV separated by
    commas, semicolons or tabs; column names and labels are read without regard to case
    or surrounding spaces. A row without text or label, a label motive does not know or a
    broken line stops with the file and line.
    """
    label_map = label_map_onto_labels(label_map or {})
    pairs = []
    for number, row in _table_rows(path, _labelled_text(path)):
        if not isinstance(row, dict):
            raise CorpusError(str(path), number, "each line must be a JSON object with 'text' and 'label'")
        row = {str(key).strip().lower(): value for key, value in row.items()}
        if "text" not in row or "label" not in row:
            raise CorpusError(str(path), number, f"the row has no {'text' if 'text' not in row else 'label'}: it needs 'text' and 'label'")
        if not isinstance(row["text"], str) or not row["text"].strip():
            raise CorpusError(str(path), number, "the row has no text")
        if row["label"] is None or not str(row["label"]).strip():
            raise CorpusError(str(path), number, "the row has no label")
        written = str(row["label"]).strip().lower()
        label = label_map.get(written, written)
        if label not in LABELS:
            raise CorpusError(str(path), number, f"label {row['label']!r} is not one of {', '.join(LABELS)} (map it with --label-map)")
        pairs.append((row["text"], label))
    return pairs


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


def _table_rows(path: Path, content: str):
    """(line number, row) for each row of a JSONL or CSV table's ``content``."""
    if path.suffix.lower() in {".jsonl", ".ndjson"}:
        for number, line in enumerate(content.splitlines(), start=1):
            if line.strip():
                try:
                    yield number, json.loads(line)
                except json.JSONDecodeError as error:
                    raise CorpusError(str(path), number, f"not JSON ({error.msg})") from None
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
    named = set()
    for delimiter in (",", ";", "\t"):
        names = {name.strip().lower() for name in next(csv.reader([header], delimiter=delimiter), [])}
        if {"text", "label"} <= names:
            return delimiter
        named |= names
    missing = " and ".join(repr(column) for column in ("text", "label") if column not in named)
    raise CorpusError(str(path), 1, f"the header {header[:80]!r} has no {missing} column: the first line names the columns, text,label")


TABLE_SUFFIXES = {".csv", ".tsv", ".jsonl", ".ndjson"}
LABELLED_SUFFIXES = {".txt"} | TABLE_SUFFIXES


def is_table(path: Path) -> bool:
    return path.is_file() and path.suffix.lower() in TABLE_SUFFIXES


# --- figures about a corpus ----------------------------------------------------------------


def stats(interviews: list[GoldInterview]) -> dict:
    """Counts per label, register, domain and situation; chains; repetition of word 3-grams."""
    answers = [a for interview in interviews for a in interview.answers]
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
