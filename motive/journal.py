"""A run's journal: results land on disk as they come, so a killed run can resume.

``motive classify … -o FILE`` appends every result, as one JSON line, to a
hidden journal beside ``FILE`` and flushes it. Only when every transcript is
done is ``FILE`` written from the journal, in the requested format, atomically,
and the journal removed. A run killed part-way therefore never leaves a
truncated ``FILE`` that looks complete; ``--resume`` reads the journal back,
drops a last line cut off mid-write, and classifies only the transcripts it
does not hold yet.

The journal's first line records what decides the results besides the files
(the model, the options); a resume with anything else is refused, because
mixing two runs' results in one file would be silently wrong. Each result is
journaled with the version of its file (size and modification time): a
transcript changed since is classified again, one added is classified, and
one removed is left out of the output.
"""

from __future__ import annotations

import glob
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from motive.errors import MotiveError
from motive.output import NAMES_NOT_UTF8, Writer, atomic_output, written_through
from motive.results import NOT_CLASSIFIED, Result

JOURNAL_VERSION = 3  # 3: settings name the reader, precision, device and motive's version


def journal_path(output: Path) -> Path:
    """The journal of a run writing ``output``: hidden, beside it.

    >>> journal_path(Path("results/run.jsonl"))
    PosixPath('results/.run.jsonl.motive-journal')
    """
    return output.parent / f".{output.name}.motive-journal"


def whole_lines(stream: IO[bytes]) -> Iterator[tuple[bytes, int]]:
    """Each complete line of a binary stream with the byte offset just after it.

    A last line without its newline was cut off when a run was killed: it is left out.

    >>> import io
    >>> list(whole_lines(io.BytesIO(b'{"a": 1}\\n{"b": 2}\\n{"c"')))
    [(b'{"a": 1}\\n', 9), (b'{"b": 2}\\n', 18)]
    """
    offset = 0
    for line in stream:
        if not line.endswith(b"\n"):
            return
        offset += len(line)
        yield line, offset


def failed_unforeseen(result: dict) -> bool:
    """Whether classifying the result's file failed on something no check foresaw: tried again."""
    return (result.get("error") or "").startswith(NOT_CLASSIFIED)


def file_version(source: str) -> list[int] | None:
    """The version of the file a result came from: its size and modification time (None: no such file)."""
    try:
        info = os.stat(source)
    except OSError:
        return None
    return [info.st_size, info.st_mtime_ns]


def journal_line(result: Result) -> str:
    """One result as the journal holds it, with the version of its file."""
    return json.dumps({"version": file_version(result.source), "result": result.to_dict()}, ensure_ascii=False) + "\n"


def journal_settings(model, *, interviewer: str | list[str] | None, max_bytes: int) -> dict:
    """What each result depends on besides its file: the model and the options. Which files a run
    holds is not among them: a resumed run writes the transcripts its paths hold now."""
    identity = model.identity()  # what each result records of its model; the folder's name may change
    return {
        "model": identity["fingerprint"],
        "reader": identity["reader"],
        "precision": identity["precision"],  # bf16 and fp32 may differ in a confidence's last digits
        "device": identity["device"],
        "motive": identity["motive"],
        "interviewer": interviewer,
        "max_bytes": max_bytes,
    }


@dataclass
class RunJournal:
    """The journal of one run: ``settings`` are what the results depend on."""

    path: Path
    settings: dict

    def exists(self) -> bool:
        return self.path.exists()

    def start(self) -> None:
        """Begin a new journal, replacing any earlier one."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path, "w", encoding="utf-8", errors=NAMES_NOT_UTF8) as stream:
            stream.write(json.dumps({"journal": JOURNAL_VERSION, "settings": self.settings}) + "\n")

    def resume(self) -> set[str]:
        """The sources the unfinished run has done, their files unchanged since; the journal is
        cut back to its whole lines, and the results of files changed since are taken out."""
        done: set[str] = set()
        stale: set[int] = set()  # line numbers of results whose file changed
        try:
            with open(self.path, "rb") as stream:
                lines = whole_lines(stream)
                header_line, keep = next(lines)
                self._check_settings(json.loads(header_line))
                for number, (line, keep) in enumerate(lines, start=1):
                    record = json.loads(line)
                    source = record["result"]["source"]
                    if record["version"] == file_version(source) and not failed_unforeseen(record["result"]):
                        done.add(source)
                    else:
                        stale.add(number)
        except FileNotFoundError:
            raise MotiveError(f"nothing to resume: no unfinished run writes {self.output}") from None
        except (StopIteration, ValueError, KeyError, TypeError):
            raise MotiveError(f"{self.path} is damaged; run again without --resume to start over") from None
        os.truncate(self.path, keep)
        if stale:
            self._drop_lines(stale)
        return done

    def _drop_lines(self, numbers: set[int]) -> None:
        """Rewrite the journal without those result lines (counted from 1 after the header)."""
        rewritten = self.path.with_name(self.path.name + ".new")
        with open(self.path, "rb") as source, open(rewritten, "wb") as target:
            for number, line in enumerate(source):
                if number not in numbers:
                    target.write(line)
        os.replace(rewritten, self.path)

    def _check_settings(self, header: dict) -> None:
        if header.get("journal") != JOURNAL_VERSION:
            raise MotiveError(f"cannot resume {self.output}: the unfinished run was made by another version of motive; "
                              "leave out --resume to start over")
        saved = header.get("settings", {})
        saved.pop("transcripts", None)  # journals before 0.1 named the files asked for; files added or removed are fine
        changed = sorted(key for key in set(self.settings) | set(saved) if saved.get(key) != self.settings.get(key))
        if changed:
            raise MotiveError(
                f"cannot resume {self.output}: the unfinished run had other {', '.join(changed)}; "
                "give the same model and options again, or leave out --resume to start over"
            )

    @property
    def output(self) -> Path:
        """The file this run writes in the end."""
        return self.path.parent / self.path.name[1 : -len(".motive-journal")]

    def appender(self) -> IO[str]:
        return open(self.path, "a", encoding="utf-8", errors=NAMES_NOT_UTF8)

    @staticmethod
    def append(stream: IO[str], result: Result) -> None:
        """Add one result and hand it to the operating system, so a killed run keeps it."""
        stream.write(journal_line(result))
        stream.flush()

    def results(self) -> Iterator[Result]:
        """Every result in the journal, in the order written (streamed, not loaded at once)."""
        with open(self.path, encoding="utf-8") as stream:
            next(stream)
            for line in stream:
                yield Result.from_dict(json.loads(line)["result"])

    def results_in_order(self, sources: Iterable[str]) -> Iterator[Result]:
        """The journal's results in the order of ``sources``, as an uninterrupted run writes them
        (a resumed run journals the transcripts changed since at the end); read line by line."""
        offsets: dict[str, int] = {}
        with open(self.path, "rb") as stream:
            stream.readline()
            while line := stream.readline():
                offsets[json.loads(line)["result"]["source"]] = stream.tell() - len(line)
            for source in sources:
                if source in offsets:
                    stream.seek(offsets[source])
                    yield Result.from_dict(json.loads(stream.readline())["result"])

    def remove(self) -> None:
        self.path.unlink(missing_ok=True)


def journaled_run(
    output: Path,
    fmt: str,
    files: list[Path],
    classify: Callable[[list[Path]], Iterable[Result]],
    *,
    settings: dict,
    resume: bool = False,
    on_result: Callable[[Result], None] = lambda result: None,
    on_restart: Callable[[], None] = lambda: None,
    on_nothing_to_resume: Callable[[], None] = lambda: None,
) -> None:
    """Classify ``files`` into ``output`` through a journal; ``resume`` continues a killed run.

    ``on_result`` sees every result, those of the run being resumed first, so
    that the caller's summary covers the whole run. With ``resume`` and no
    unfinished run (the last one finished, or none ran), the run starts from the
    beginning after ``on_nothing_to_resume``: the same command with ``--resume``
    can be repeated until it finishes, as a job scheduler retries it.
    """
    journal = RunJournal(journal_path(output), settings)
    if resume and not journal.exists():
        on_nothing_to_resume()
        resume = False
    if resume:
        wanted = {str(path) for path in files}
        done = journal.resume() & wanted  # results of files the paths no longer hold stay out of the summary and the output
        for result in journal.results():
            if result.source in done:
                on_result(result)
    else:
        if journal.exists():
            on_restart()
        journal.start()
        done = set()
    with journal.appender() as stream:
        for result in classify([path for path in files if str(path) not in done]):
            journal.append(stream, result)
            on_result(result)
    with atomic_output(output, None) as final:
        writer = Writer(final, fmt, byte_order_mark=True)  # a file, to be opened in a spreadsheet too
        for result in journal.results_in_order(str(path) for path in files):
            if result.ok:
                writer.write(result)
        writer.close()
    journal.remove()
    remove_stale_temporary_files(output)


def remove_stale_temporary_files(output: Path) -> None:
    """The temporary files (``.NAME.*.part``) that a run killed by SIGKILL during its final write
    left beside ``output`` (beside the file a link names): this run has written the output whole."""
    target = written_through(Path(output))
    shape = re.compile(rf"\.{re.escape(target.name)}\.[a-z0-9_]{{8}}\.part")  # tempfile.mkstemp's, as atomic_output names it
    for stale in target.parent.glob(f".{glob.escape(target.name)}.*.part"):
        if shape.fullmatch(stale.name):
            stale.unlink(missing_ok=True)
