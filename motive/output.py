"""Results → JSONL, JSON, CSV or a plain table, and the end-of-run summary."""

from __future__ import annotations

import csv
import io
import json
import math
import os
import re
import stat
import tempfile
from collections import Counter
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from motive.chains import joined_speakers
from motive.labels import LABELS
from motive.results import Result, model_described

FORMATS = ("jsonl", "json", "csv", "table")
CSV_COLUMNS = (
    "source", "answer", "chain", "question_kind", "label", "confidence", "terminal",
    "speaker", "question", "text", "evidence", "start", "end", "driver", "discipline", "asked_by",
)


#: How motive writes text that holds a file name which is not UTF-8 (Python reads its bytes as lone
#: surrogates, "r\udce9sum\udce9.txt"): each as its escape, "\\udce9". The output stays UTF-8, and in
#: JSON that is the string's own escape, so reading it back gives the same name.
NAMES_NOT_UTF8 = "backslashreplace"

#: What a spreadsheet reads as the start of a formula when a cell begins with it (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: A number as people write it, which a spreadsheet reads as one: "-5", "+1,234.56", "-1.234,56", "-$1,200", "-20%".
_NUMBER = re.compile(r"[+-]?[$€£¥]?(?:(?:\d{1,3}(?:[,.]\d{3})+|\d+)(?:[.,]\d+)?(?:[eE][+-]?\d+)?|[.,]\d+)%?")

#: Written first in a CSV file, so that Excel reads it as UTF-8 (spreadsheets and pandas' read_csv
#: skip it; Python's csv module reads it with ``encoding="utf-8-sig"``).
BYTE_ORDER_MARK = "\ufeff"


def spreadsheet_cell(value: object) -> object:
    """A value as a CSV cell that a spreadsheet shows and never runs: text that starts as a
    formula does (``=``, ``+``, ``-``, ``@``) gets a leading apostrophe, which Excel and LibreOffice
    hide; numbers, and text that is only a number (``-5``), stay as they are.

    >>> spreadsheet_cell("- well, +20% margin"), spreadsheet_cell("=SUM(A1)"), spreadsheet_cell("-5"), spreadsheet_cell(-0.5)
    ("'- well, +20% margin", "'=SUM(A1)", '-5', -0.5)
    >>> [spreadsheet_cell(n) for n in ("-1,234.56", "-1.234,56", "-$1,200", "-20%", "+44 20 7946 0958", "-e5", "-", "+")]
    ['-1,234.56', '-1.234,56', '-$1,200', '-20%', "'+44 20 7946 0958", "'-e5", "'-", "'+"]
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def write_csv_rows(stream: IO[str], columns: Sequence[str], rows: Iterable[dict], *, byte_order_mark: bool = False) -> csv.DictWriter:
    """A header and ``rows`` as CSV with :func:`spreadsheet_cell` cells (an empty one where a row
    has no value), after :data:`BYTE_ORDER_MARK` when asked (a file, not a stream); the writer, for more rows."""
    if byte_order_mark:
        stream.write(BYTE_ORDER_MARK)
    writer = csv.DictWriter(stream, fieldnames=columns, restval="")
    writer.writerow({name: spreadsheet_cell(name) for name in columns})  # a metadata key names a column
    write_csv_more(writer, rows)
    return writer


def write_csv_more(writer: csv.DictWriter, rows: Iterable[dict]) -> None:
    writer.writerows({key: spreadsheet_cell(value) for key, value in row.items()} for row in rows)


def answer_rows(result: Result) -> Iterable[dict]:
    """One flat row per answer (CSV and table)."""
    terminals = {c.terminal for c in result.chains}
    for index, answer in enumerate(result.answers):
        yield {
            "source": result.source,
            "answer": index,
            "chain": answer.chain,
            "question_kind": answer.question_kind,
            "label": answer.label,
            "confidence": answer.confidence,
            "terminal": index in terminals,
            "speaker": answer.speaker,
            "question": answer.question,
            "text": answer.text,
            "evidence": answer.evidence,
            "start": answer.start,
            "end": answer.end,
            "driver": answer.driver,
            "discipline": answer.discipline,
            "asked_by": joined_speakers(answer.asked_by),
        }


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def printable(text: str | None) -> str:
    r"""One line without control characters: a transcript's words cannot move the
    cursor or recolour the terminal the table is printed to.

    >>> printable("red \x1b[31mALERT\x1b[0m\nnext")
    'red [31mALERT[0m next'
    """
    return _CONTROL.sub("", " ".join((text or "").split()))


def printable_lines(text: str) -> str:
    r"""Lines of text for the terminal without control characters (see :func:`printable`).

    >>> printable_lines("red \x1b[31mALERT\x1b[0m\nnext")
    'red [31mALERT[0m\nnext'
    """
    return "\n".join(_CONTROL.sub("", line.replace("\t", " ")) for line in text.split("\n"))


def percent(share: float) -> str:
    """A share as a whole percentage, a half rounded up as spreadsheets round it (Python's ``:.0%``
    rounds a half to even: 1/8 would be 12%).

    >>> percent(1 / 8), percent(3 / 8), percent(23 / 40), percent(0.124), percent(1.0)
    ('13%', '38%', '58%', '12%', '100%')
    """
    return f"{math.floor(round(share * 100, 9) + 0.5)}%"  # 23/40 * 100 is 57.49999…: the half it stands for


def counted(number: int, noun: str) -> str:
    """A count with its noun, singular for one.

    >>> counted(1, "chain"), counted(0, "chain"), counted(3, "file")
    ('1 chain', '0 chains', '3 files')
    """
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _clip(text: str | None, width: int) -> str:
    text = printable(text)
    return text if len(text) <= width else text[: width - 1] + "…"


class Writer:
    """Writes results one by one in one of :data:`FORMATS`."""

    def __init__(self, stream: IO[str], fmt: str, *, byte_order_mark: bool = False):
        """``byte_order_mark``: begin a CSV with :data:`BYTE_ORDER_MARK` (a file, not a stream)."""
        if fmt not in FORMATS:
            raise ValueError(f"format {fmt!r}; expected one of {', '.join(FORMATS)}")
        self.stream, self.fmt, self.count = stream, fmt, 0
        if fmt == "csv":
            self._csv = write_csv_rows(stream, CSV_COLUMNS, [], byte_order_mark=byte_order_mark)
        elif fmt == "json":
            stream.write("[")

    def write(self, result: Result) -> None:
        if self.fmt == "jsonl":
            self.stream.write(json.dumps(result.to_dict(), ensure_ascii=False) + "\n")
        elif self.fmt == "json":
            self.stream.write(("," if self.count else "") + "\n" + json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        elif self.fmt == "csv":
            write_csv_more(self._csv, answer_rows(result))
        else:
            self.stream.write(format_table(result) + "\n")
        self.count += 1

    def close(self) -> None:
        if self.fmt == "json":
            self.stream.write("\n]\n")
        self.stream.flush()


def format_table(result: Result) -> str:
    """A transcript's answers as an aligned table, with its chains' summaries under it."""
    out = io.StringIO()
    out.write(f"{printable(result.source)}\n")
    respondents = list(dict.fromkeys(s for answer in result.answers for s in answer.speakers or [answer.speaker]))
    if result.interviewers and respondents:
        out.write(f"  {_people('interviewer', result.interviewers)} · {_people('respondent', respondents)}\n")
    out.write(f"{'#':>3} {'chain':>5}  {'label':<8}{'conf':>5}  {'T':1}  text\n")
    terminals = {c.terminal for c in result.chains}
    for row, answer in zip(answer_rows(result), result.answers):
        chain = "-" if row["chain"] is None else str(row["chain"])
        mark = "*" if row["answer"] in terminals else " "
        text = f"[{answer.speaker}] {row['text']}" if len(respondents) > 1 else row["text"]  # who, where several answer
        out.write(f"{row['answer']:>3} {chain:>5}  {row['label']:<8}{row['confidence']:>5.2f}  {mark}  {_clip(text, 70)}\n")
    for index, chain in enumerate(result.chains):
        out.write(f"  chain {index}: {printable(chain.summary)}\n")
    for note in result.notes:
        out.write(f"  note: {printable(note)}\n")
    return out.getvalue()


def _people(role: str, names: list[str]) -> str:
    """``interviewer: Dana`` / ``respondents: Marco, Lena``."""
    return f"{role if len(names) == 1 else role + 's'}: {printable(joined_speakers(names))}"


def format_for(output: Path | None) -> str:
    """The format a results file's name asks for: ``.csv``, ``.json``, ``.txt`` (a table), else JSONL.

    >>> format_for(Path("results.csv")), format_for(Path("notes.TXT")), format_for(Path("out.jsonl")), format_for(None)
    ('csv', 'table', 'jsonl', 'jsonl')
    """
    return {".csv": "csv", ".json": "json", ".txt": "table"}.get(output.suffix.lower(), "jsonl") if output else "jsonl"


#: Endings that name a format, so that a file so named and holding another would mislead (a
#: transcript's ending, too, would be read back as a transcript).
NAMED_FORMATS = frozenset({".jsonl", ".json", ".csv", ".txt", ".text", ".md", ".markdown", ".vtt", ".srt", ".docx", ".xlsx", ".xlsm",
                           ".xls", ".ods", ".numbers", ".tsv", ".parquet", ".xml", ".html", ".htm", ".pdf", ".yaml", ".yml"})
#: What ``motive classify -o`` writes by ending (any other ending: JSONL).
RESULTS_ENDINGS = frozenset({".jsonl", ".json", ".csv", ".txt"})


def other_format(output: Path | None, written: frozenset[str] = RESULTS_ENDINGS) -> str | None:
    """The ending of ``output`` when it names a format other than those ``written`` (``.xlsx``, ``.md``…).

    >>> other_format(Path("results.XLSX")), other_format(Path("results.csv")), other_format(Path("results.out"))
    ('.xlsx', None, None)
    """
    suffix = output.suffix.lower() if output else ""
    return suffix if suffix in NAMED_FORMATS - written else None


@contextmanager
def atomic_output(path: Path | None, stdout: IO[str]):
    """Write to a temporary file beside ``path`` and move it into place only on success.

    A link is written through: the file it points to is replaced, the link stays. A device or a
    pipe (``/dev/null``, a FIFO) is written to as it is, never replaced.
    """
    if path is None:
        yield stdout
        return
    if is_special(path):
        with open(path, "w", encoding="utf-8", errors=NAMES_NOT_UTF8, newline="") as stream:
            yield stream
        return
    path = written_through(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = _plain_open_mode(path)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", errors=NAMES_NOT_UTF8, newline="") as stream:
            yield stream
        os.chmod(temporary, mode)  # mkstemp makes it readable by its owner alone
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def written_through(path: Path) -> Path:
    """The file that writing ``path`` should change: a link's target, else ``path`` itself."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def is_special(path: Path) -> bool:
    """Whether ``path`` is written to as it is, never replaced: a device, a pipe or a socket, or
    anything under ``/dev`` or ``/proc`` (``/dev/stdout``, ``/dev/fd/3``, a shell's ``>(…)``)."""
    if os.path.exists(path) and (str(path).startswith(("/dev/", "/proc/")) or os.path.realpath(path).startswith(("/dev/", "/proc/"))):
        return True
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def _plain_open_mode(path: Path) -> int:
    """The permissions ``open(path, "w")`` would leave: the file's own when it exists, else 0o666 less the umask."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


@dataclass
class Summary:
    """Counts over a run, for the line at the end."""

    transcripts: int = 0
    labels: Counter = field(default_factory=Counter)
    chains: int = 0
    chains_without_outcome: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    noted: list[tuple[str, str]] = field(default_factory=list)  # (transcript, note): read, but something is off
    left_out: list[str] = field(default_factory=list)  # motive's own results files found beside the transcripts
    models: Counter = field(default_factory=Counter)  # model_described(result.model) → results it labelled

    #: Notes listed at the end of a run; the rest are counted (every note stays in its result).
    NOTES_SHOWN = 10
    #: Skipped files listed again at the end of a run; each was named on stderr as it was skipped.
    SKIPPED_SHOWN = 20

    def add(self, result: Result) -> None:
        if not result.ok:
            self.skipped.append((result.source, result.error or ""))
            return
        self.transcripts += 1
        self.noted += [(result.source, note) for note in result.notes]
        self.labels.update(a.label for a in result.answers)
        self.chains += len(result.chains)
        self.chains_without_outcome += sum(c.terminal is None for c in result.chains)
        if result.model:
            self.models[model_described(result.model)] += 1

    def lines(self) -> list[str]:
        labels = ", ".join(f"{self.labels[label]} {label}" for label in LABELS)
        lines = [
            f"{counted(self.transcripts, 'transcript')}, {counted(sum(self.labels.values()), 'answer')} ({labels}), "
            f"{counted(self.chains, 'chain')}, {self.chains_without_outcome} never reached an outcome"
        ]
        if self.models:
            lines.append("labelled by " + "; ".join(self.models))
        if self.noted:
            lines.append(f"{counted(len({source for source, _ in self.noted}), 'transcript')} with notes (in their results too):")
            lines += [f"  {printable(source)}: {printable(note)}" for source, note in self.noted[: self.NOTES_SHOWN]]
            if len(self.noted) > self.NOTES_SHOWN:
                lines.append(f"  and {counted(len(self.noted) - self.NOTES_SHOWN, 'more note')}")
        if self.left_out:
            lines.append(results_files_left_out(self.left_out))
        if self.skipped:
            lines.append(f"{counted(len(self.skipped), 'file')} skipped:")
            lines += [f"  {printable(source)}: {printable(problem)}" for source, problem in self.skipped[: self.SKIPPED_SHOWN]]
            if len(self.skipped) > self.SKIPPED_SHOWN:
                lines.append(f"  and {len(self.skipped) - self.SKIPPED_SHOWN} more, each named above as it was skipped")
        return lines


def results_files_left_out(sources: Sequence[str], shown: int = 10) -> str:
    """The line that names motive's own results files found among the transcripts and left out.

    >>> results_files_left_out(["calls/results.json"])
    '1 results file of motive left out (not transcripts; name one to read its results): calls/results.json'
    """
    named = ", ".join(printable(source) for source in sources[:shown]) + (", …" if len(sources) > shown else "")
    return f"{counted(len(sources), 'results file')} of motive left out (not transcripts; name one to read its results): {named}"
