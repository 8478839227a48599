"""The ``motive`` command line: a thin layer over the library.

Heavy libraries load inside the commands that need them, so ``motive --help``
stays fast.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import signal
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

import click

from motive import __version__
from motive.errors import CorpusError, MotiveError


class _Commands(click.Group):
    """motive's commands: a file-system error (an output folder that is a file, a full disk,
    a file not allowed) ends in one line naming the path, not in a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            with terminate_as_exit():
                return super().invoke(ctx)
        except BrokenPipeError:
            raise  # the reader of stdout went away: click leaves quietly with status 1
        except OSError as error:
            raise click.ClickException(_file_system_problem(error)) from None


@contextmanager
def terminate_as_exit():
    """While a command runs, SIGTERM (``kill``, ``timeout``, a job scheduler) ends it the
    way Ctrl-C does, through every ``finally``: no half-written output file is left
    beside the real one, and the run's journal is closed for ``--resume``."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signal handlers can be set from the main thread only
        return

    def exit_on_terminate(signum, frame):
        click.echo("Terminated.", err=True)
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, exit_on_terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _file_system_problem(error: OSError) -> str:
    """One line for a file-system error, naming the path.

    >>> _file_system_problem(FileExistsError(17, "File exists", "out/calls.txt"))
    'out/calls.txt: is a file, where a folder is needed'
    >>> _file_system_problem(PermissionError(13, "Permission denied", "/results.jsonl"))
    '/results.jsonl: Permission denied'
    """
    if isinstance(error, FileExistsError):  # makedirs(exist_ok=True) meets a file
        reason = "is a file, where a folder is needed"
    elif isinstance(error, NotADirectoryError):
        reason = "part of this path is a file, not a folder"
    else:
        reason = error.strerror or str(error)
    return f"{error.filename}: {reason}" if error.filename else reason


def _check_writable_folder(output: Path) -> None:
    """Fail before any work when nothing can be written beside ``output`` (its results, and the
    run's journal, go there), naming the output file."""
    import tempfile

    try:
        output.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise click.ClickException(f"cannot write {output}: {_file_system_problem(error)}") from None
    try:
        with tempfile.TemporaryFile(dir=output.parent):
            pass
    except OSError as error:
        raise click.ClickException(f"cannot write {output}: its folder takes no new files ({error.strerror or error})") from None


class _StageFormatter(logging.Formatter):
    """A stage of training as it starts ("fitting the answer classifier…"); a warning as it is."""

    def format(self, record: logging.LogRecord) -> str:
        return record.getMessage() + ("…" if record.levelno == logging.INFO else "")


def _without_earlier_output(output: Path, files: list[Path], quiet: bool) -> list[Path]:
    """The files to read, less ``output`` where it is among them and holds an earlier run's results
    (``classify calls/ -o calls/results.json`` run again): it is written again, not read."""
    from motive.errors import TranscriptError
    from motive.formats.base import is_motive_results
    from motive.output import printable
    from motive.transcripts import read_file

    same = [path for path in files if os.path.realpath(path) == os.path.realpath(output)] if os.path.exists(output) else []
    try:
        if same:
            read_file(same[0], max_bytes=os.path.getsize(same[0]) + 1)  # a results file may be larger than a transcript
        return files
    except TranscriptError as error:
        if not is_motive_results(error.problem):
            return files  # a transcript: refused below
    if not quiet:
        click.echo(printable(f"{output} holds the results of an earlier run: not read, written again"), err=True)
    return [path for path in files if path not in same]


def _refuse_an_input(output: Path, inputs: list[Path], option: str = "-o") -> None:
    """Refuse an output file that is one of the command's inputs (writing it would destroy it), or
    a link that loops."""
    try:
        output.stat()
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise click.BadParameter(f"{output} is a symbolic link loop", param_hint=option) from None
    if output.exists() and any(os.path.realpath(output) == os.path.realpath(path) for path in inputs):
        raise click.BadParameter(f"{output} is one of the files to read: writing it would replace it; name another file", param_hint=option)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="motive")
def main() -> None:
    """Find why customers buy: label interview answers output / outcome / none,
    rebuild each why chain and find its terminal why."""
    if hasattr(sys.stdout, "reconfigure"):  # a file name that is not UTF-8 is written as escapes, as in files (output.NAMES_NOT_UTF8)
        sys.stdout.reconfigure(errors="backslashreplace")


def _label_map(pairs: tuple[str, ...]) -> dict[str, str]:
    from motive.corpus import label_map_onto_labels

    for pair in pairs:
        if "=" not in pair:
            raise click.BadParameter(f"{pair!r}: expected OLD=NEW, e.g. product=output", param_hint="--label-map")
    try:
        return label_map_onto_labels(pair.partition("=")[::2] for pair in pairs)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--label-map") from None


label_map_option = click.option("--label-map", multiple=True, metavar="OLD=NEW",
                                help="Rename labels of text,label rows onto output/outcome/none (repeatable).")


@main.group()
def corpus() -> None:
    """Check and describe labelled interview files (motive's corpus format)."""


@corpus.command("check")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@label_map_option
def corpus_check(paths: tuple[Path, ...], label_map: tuple[str, ...]) -> None:
    """Report every problem in every corpus file (*.txt) and text,label table (*.csv, *.tsv,
    *.jsonl) that breaks the format (corpora/FORMAT.md), one line each, on stdout."""
    from motive import corpus as corpus_module
    from motive.output import counted

    files = corpus_module.find_labelled(list(paths))
    _note_left_out(paths)
    if not files:
        raise click.ClickException(f"no corpus files (*.txt) or tables (*.csv, *.tsv, *.jsonl) in {', '.join(map(str, paths))}")
    problems = corpus_module.check(list(paths), _label_map(label_map))
    for problem in problems:
        click.echo(str(problem))
    broken = len({problem.source for problem in problems})
    click.echo(f"{counted(len(files), 'file')}, {broken} with problems" + (f" ({counted(len(problems), 'problem')})" if problems else ""), err=True)
    if problems:
        sys.exit(1)


@corpus.command("stats")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@label_map_option
def corpus_stats(paths: tuple[Path, ...], label_map: tuple[str, ...]) -> None:
    """Counts per label, register and domain, chains, and phrase repetition, as JSON; the rows of
    text,label tables are counted apart ("tables")."""
    from motive import corpus as corpus_module
    from motive.training import read_labelled

    data = _or_fail(read_labelled, list(paths), _label_map(label_map))
    _note_left_out(paths)
    if not data.files:
        raise click.ClickException(f"no corpus files (*.txt) or tables (*.csv, *.tsv, *.jsonl) in {', '.join(map(str, paths))}")
    click.echo(json.dumps(corpus_module.stats(data.interviews, data.tables), indent=2))


def _note_left_out(paths) -> None:
    """Say which files of the labelled folders are left out for their ending (``.md``, ``.docx``…)."""
    from motive.corpus import is_results_file, left_out_of_folders
    from motive.output import counted

    def shown(files: list[Path]) -> str:
        return ", ".join(str(path) for path in files[:3]) + (f" and {len(files) - 3} more" if len(files) > 3 else "")

    other_endings, results = left_out_of_folders([Path(path) for path in paths])
    named = {os.path.realpath(path) for path in paths if not Path(path).is_dir()}
    results = [path for path in results if os.path.realpath(path) not in named]  # named on its own: read as a table
    if other_endings:
        click.echo(f"left out {counted(len(other_endings), 'file')} that {'is' if len(other_endings) == 1 else 'are'} neither a corpus file "
                   f"(*.txt) nor a table (*.csv, *.tsv, *.jsonl): {shown(other_endings)}", err=True)
    if results:
        click.echo(f"left out {counted(len(results), 'results file')} of 'motive classify', whose labels are a model's: {shown(results)} "
                   "(a results CSV whose labels you corrected is read when named on its own)", err=True)
    tables = [Path(path) for path in paths if Path(path).suffix.lower() in (".csv", ".tsv") and Path(path).is_file()]
    if given := [path for path in tables if is_results_file(path)]:  # a results JSONL is refused, and says so
        click.echo(f"reading {shown(given)} as labels: 'motive classify' wrote {'it' if len(given) == 1 else 'them'}, "
                   "so the labels are a model's, except where you corrected them", err=True)


def _or_fail(function, *args, **kwargs):
    """Call the library; its errors become one clean line and exit status 1."""
    try:
        return function(*args, **kwargs)
    except CorpusError as error:
        hint = " (motive stops at the first problem; 'motive corpus check PATH...' lists them all)" if error.line else ""
        raise click.ClickException(f"{error}{hint}") from None
    except MotiveError as error:
        raise click.ClickException(str(error)) from None


def _cache_or_fail(cache: Path, function, *args):
    """Call ``function`` on training's ``--cache`` folder; a folder that cannot be read or written ends in one clean line."""
    try:
        return function(*args)
    except (OSError, ValueError) as error:
        raise click.ClickException(f"--cache {cache}: cannot use it as a cache ({error})") from None


# --- classify ---------------------------------------------------------------------------------

EXIT_SKIPPED = 3

model_option = click.option(
    "--model", "model_path", envvar="MOTIVE_MODEL", type=click.Path(path_type=Path), default=None,
    help="Model folder [env MOTIVE_MODEL; default: the default model, models/default].",
)

device_option = click.option(
    "--device", type=click.Choice(["auto", "cpu", "cuda"]), default="auto", show_default=True,
    help="Where the embedding model runs; auto: a CUDA GPU when there is one.",
)
precision_option = click.option(
    "--precision", type=click.Choice(["auto", "fp32", "bf16"]), default="auto", show_default=True,
    help="Embedding arithmetic; auto: bf16 for the bundled MiniLM on a GPU or a CPU with native bfloat16 (same labels, measured), else fp32.",
)

reader_option = click.option(
    "--reader/--no-reader", default=True, show_default=True,
    help="Read each exchange whole with the model's fine-tuned reader, if it has one; --no-reader: "
         "the linear classifiers alone, faster and less accurate (BENCHMARKS.md).",
)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(readable=False))  # unreadable: skipped, named; "-": stdin
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="Write here instead of stdout; the file appears only when the run is complete. "
                   "With --engine dask, the output folder.")
@click.option("-f", "--format", "fmt", type=click.Choice(["jsonl", "json", "csv", "table"]),
              help="jsonl/json: one record per transcript; csv/table: one row per answer "
                   "[default: from the -o file's ending (.csv, .json, .txt for table), else jsonl].")
@model_option
@click.option("--interviewer", multiple=True,
              help="The interviewer's speaker label, when motive should not work it out; repeat it for each interviewer.")
@click.option("--max-mb", type=click.FloatRange(min=0.001), default=20, show_default=True, help="Skip files larger than this.")
@click.option("--resume", is_flag=True, help="Continue an unfinished run into the same -o file, classifying only what it has not done.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary.")
@click.option("--engine", type=click.Choice(["single", "dask"]), default="single", show_default=True,
              help="single: this process; dask: shards of files as Dask tasks, a JSONL part each in the -o folder, "
                   "resumable (pip install 'motive[dask]', or in a clone: pip install -e '.[dask]').")
@click.option("--scheduler", metavar="ADDRESS", help="With --engine dask: an existing cluster's scheduler, e.g. tcp://host:8786 "
              "[default: a local cluster sized to this machine].")
@click.option("--workers", type=click.IntRange(min=1), help="With --engine dask and no --scheduler: local worker processes [default: CPU cores].")
@click.option("--shard-size", type=click.IntRange(min=1), default=100, show_default=True, help="With --engine dask: files per task and part.")
@device_option
@precision_option
@reader_option
def classify(paths, output, fmt, model_path, interviewer, max_mb, resume, quiet, engine, scheduler, workers, shard_size, device, precision,
             reader) -> None:
    """Label every answer in the transcripts at PATHS (files or folders, searched recursively;
    - reads one transcript from standard input).

    With -o, results are journaled as they come: a killed run leaves no
    half-written output, and the same command with --resume continues it.

    Exit status: 0 when every file was classified, 3 when some were skipped
    (the others' results are still written), 1 when motive could not run or
    found no transcripts (with --engine dask: or some shards failed; run again
    to finish them), 2 when the command line is wrong.
    """
    from motive.journal import journal_settings, journaled_run
    from motive.model import load_model
    from motive.output import Summary, Writer, atomic_output, counted, format_for, is_special, other_format, printable, written_through
    from motive.pipeline import classify_many
    from motive.formats.base import is_motive_results
    from motive.transcripts import TRANSCRIPT_SUFFIXES, find_transcripts, holds_no_transcripts, is_folder

    if resume and output is None:
        raise click.UsageError("--resume continues a run that writes a file: give the same -o FILE as the unfinished run")
    interviewer = interviewer[0] if len(interviewer) == 1 else list(interviewer) or None
    if fmt is None and engine == "single" and other_format(output):
        raise click.BadParameter(f"motive does not write results as {other_format(output)}: name the output .jsonl, .json, .csv or .txt "
                                 "(a table), or choose with --format", param_hint="-o")
    fmt = fmt or format_for(output if engine == "single" else None)
    if STDIN in paths:  # as typed: ./- is a file called "-"
        if len(paths) > 1 or resume or engine != "single" or scheduler or workers or _given("shard_size"):
            raise click.UsageError("- reads one transcript from standard input: give it alone, without --resume or the "
                                   "options of --engine dask (./- names a file called '-')")
        _classify_stdin(output, fmt, model_path, interviewer, int(max_mb * 1024 * 1024), quiet, device, precision, reader)
        return
    paths = tuple(Path(path) for path in paths)
    repeated: list[tuple[Path, Path]] = []
    files = find_transcripts(list(paths), on_repeat=lambda dropped, kept: repeated.append((dropped, kept)))
    if repeated and not quiet:
        dropped, kept = repeated[0]
        example = f" ({dropped} is {kept})" if str(dropped) != str(kept) else f" ({kept})"
        click.echo(printable(f"{counted(len(repeated), 'path')} {'reaches' if len(repeated) == 1 else 'reach'} a file already listed (named twice, or through a link): "
                             f"each file is classified once{example}"), err=True)
    if all(map(_missing, paths)):  # one of several may be missing: a skipped file; all of them, a typo
        raise click.ClickException(f"no such file or folder: {', '.join(map(str, paths))}")
    if all(holds_no_transcripts(path) for path in files):  # each such folder is listed, for reading it to say so
        raise click.ClickException(f"no transcripts in {', '.join(map(str, paths))} "
                                   f"(motive reads files ending in {', '.join(sorted(TRANSCRIPT_SUFFIXES))})")
    if engine == "dask":
        _classify_on_dask(files, output, fmt, model_path, interviewer, int(max_mb * 1024 * 1024), quiet, scheduler, workers, shard_size,
                          device, precision, reader)
        return
    if scheduler or workers or _given("shard_size"):
        raise click.UsageError("--scheduler, --workers and --shard-size work with --engine dask")
    if output is not None and output.is_dir():
        raise click.BadParameter(f"{output} is a folder; name a file (folders of parts are for --engine dask)", param_hint="-o")
    if output is not None:
        files = _without_earlier_output(output, files, quiet)
        _refuse_an_input(output, files)
        if not is_special(output):
            _check_writable_folder(written_through(output))  # through a link: where the results will be
    if resume and is_special(output):
        raise click.UsageError(f"--resume continues a run that writes a file; {output} is a device or a pipe")
    model = _or_fail(load_model, model_path, device=device, precision=precision, reader=reader)
    _or_fail(lambda: model.embedder.dimension)  # load the embedding model now: a wrong --device fails before any output
    max_bytes = int(max_mb * 1024 * 1024)
    summary = Summary()
    progress = _progress(len(files), quiet)

    read = iter(range(1, len(files) + 1))
    status = {"read": 0, "stage": ""}

    def show(**change):
        status.update(change)
        progress.set_postfix_str(f"{status['read']} read" + (f" · {status['stage']}" if status["stage"] else ""), refresh=False)

    def classified(todo):
        progress.reset(total=len(todo))
        return classify_many(todo, model=model, interviewer=interviewer, max_bytes=max_bytes,
                             on_read=lambda _: show(read=next(read), stage="reading files"), on_stage=lambda stage: show(stage=stage))

    named = {os.path.realpath(path) for path in paths if not is_folder(path)}

    def seen(result):
        progress.update(1)  # the results of a resumed run come before the bar is set for what is left
        if not result.ok and is_motive_results(result.error) and os.path.realpath(result.source) not in named:
            summary.left_out.append(result.source)  # an earlier run's results beside the transcripts: not a bad file
            return
        summary.add(result)
        if not result.ok:
            progress.write(printable(f"skipped {result.source}: {result.error}"), file=sys.stderr)

    try:
        if output is None or is_special(output):  # stdout, or a device or pipe: streamed, no journal to resume from
            with atomic_output(output, _results_stdout(fmt) if output is None else sys.stdout) as stream:
                writer = Writer(stream, fmt)
                for result in classified(files):
                    seen(result)
                    if result.ok:
                        writer.write(result)
                writer.close()
        else:
            settings = journal_settings(model, interviewer=interviewer, max_bytes=max_bytes)
            journaled_run(output, fmt, files, classified, settings=settings, resume=resume, on_result=seen,
                          on_restart=lambda: click.echo(f"an unfinished run of {output} was found: starting over "
                                                        "(--resume continues it instead)", err=True),
                          on_nothing_to_resume=lambda: quiet or click.echo(f"no unfinished run writes {output}: "
                                                                           "classifying every transcript", err=True))
    except MotiveError as error:
        raise click.ClickException(str(error)) from None
    finally:
        progress.close()
    if not quiet:
        for line in summary.lines():
            click.echo(line, err=True)
    if summary.skipped:
        sys.exit(EXIT_SKIPPED)


#: The path that stands for standard input.
STDIN = "-"


def _given(parameter: str) -> bool:
    """Whether the command line set ``parameter`` (rather than its default)."""
    return click.get_current_context().get_parameter_source(parameter) is not click.core.ParameterSource.DEFAULT


def _results_stdout(fmt: str):
    """Standard output for results: JSON and CSV in UTF-8 with their lines as written, whatever the
    terminal's encoding, as in a file (a Windows console or redirect would write cp1252, an emoji as
    an escape that is not JSON, and CSV rows with a blank line between); a table as the terminal reads."""
    if fmt != "table" and hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8", errors="backslashreplace", newline="")  # as main() set
    return sys.stdout


def _missing(path: Path) -> bool:
    """Whether nothing is at ``path``: not a file that cannot be looked at (a folder above it
    without permission), which is a skipped file that says so."""
    try:
        os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return True
    except (OSError, ValueError):
        return False
    return False


def _classify_stdin(output, fmt, model_path, interviewer, max_bytes, quiet, device, precision, reader) -> None:
    """``classify -``: one transcript piped in, in any format motive reads (told by its content)."""
    from motive.errors import TranscriptError
    from motive.model import load_model
    from motive.output import Summary, Writer, atomic_output, is_special
    from motive.pipeline import annotate
    from motive.results import Result
    from motive.transcripts import read_at_most, read_data

    if output is not None and output.is_dir():
        raise click.BadParameter(f"{output} is a folder; name a file", param_hint="-o")
    source = "<stdin>"
    if sys.stdin is None or sys.stdin.closed:
        raise click.ClickException("standard input is closed: pipe a transcript into 'motive classify -'")
    model = _or_fail(load_model, model_path, device=device, precision=precision, reader=reader)
    _or_fail(lambda: model.embedder.dimension)  # load the embedding model now: a wrong --device fails before any output
    try:
        data = read_at_most(getattr(sys.stdin, "buffer", sys.stdin), max_bytes)
    except (OSError, ValueError) as error:
        raise click.ClickException(f"standard input cannot be read: {getattr(error, 'strerror', None) or error}") from None
    try:
        result = annotate([read_data(data, source, max_bytes=max_bytes)], model, interviewer=interviewer)[0]
    except TranscriptError as error:
        result = Result(source, error=error.problem)
    summary = Summary()
    summary.add(result)
    try:
        with atomic_output(output, _results_stdout(fmt) if output is None else sys.stdout) as stream:
            writer = Writer(stream, fmt, byte_order_mark=output is not None and not is_special(output))
            if result.ok:
                writer.write(result)
            writer.close()
    except MotiveError as error:
        raise click.ClickException(str(error)) from None
    if not result.ok:
        click.echo(f"skipped {source}: {result.error}", err=True)
    if not quiet:
        for line in summary.lines():
            click.echo(line, err=True)
    if summary.skipped:
        sys.exit(EXIT_SKIPPED)


def _classify_on_dask(files, output, fmt, model_path, interviewer, max_bytes, quiet, scheduler, workers, shard_size, device, precision,
                      reader) -> None:
    """``classify --engine dask``: one JSONL part per shard in the ``-o`` folder, and a manifest."""
    from motive.distributed import MANIFEST_FILE, classify_on_dask
    from motive.output import counted, printable

    if output is None:
        raise click.UsageError("--engine dask writes a folder of JSONL parts: name it with -o FOLDER")
    if fmt != "jsonl":
        raise click.UsageError("--engine dask writes JSONL parts; --format works with --engine single")
    if scheduler and workers:
        raise click.UsageError("--workers sizes a local cluster; an existing cluster (--scheduler) has its own workers")
    progress = _progress(len(files), quiet)

    def on_part(record: dict) -> None:
        progress.update(len(record["files"]))
        for skipped in record["skipped"]:
            progress.write(printable(f"skipped {skipped['source']}: {skipped['problem']}"), file=sys.stderr)

    try:
        manifest = _or_fail(classify_on_dask, files, output, model_path=model_path, scheduler=scheduler, workers=workers,
                            shard_size=shard_size, interviewer=interviewer, max_bytes=max_bytes, device=device, precision=precision,
                            reader=reader, on_part=on_part)
    finally:
        progress.close()
    summary = manifest.summary()
    if not quiet:
        for line in summary.lines():
            click.echo(line, err=True)
        click.echo(f"{counted(len(manifest.parts), 'part')} in {output} ({len(manifest.reused)} from an earlier run), listed in {MANIFEST_FILE}", err=True)
    if len(manifest.precisions_used) > 1:
        click.echo(f"warning: the workers ran at different precisions ({', '.join(manifest.precisions_used)}: 'precision_used' of each part "
                   f"in {MANIFEST_FILE}), so a transcript's labels may depend on the worker that read it; give --precision fp32 "
                   "(or bf16) to run every worker alike", err=True)
    if manifest.missing:
        for missing in manifest.missing:
            click.echo(f"{missing['part']} not written ({counted(len(missing['files']), 'file')}): {missing['problem']}", err=True)
        raise click.ClickException(f"{counted(len(manifest.missing), 'shard')} failed; run the same command again to classify only them")
    if summary.skipped:
        sys.exit(EXIT_SKIPPED)


def _progress(total: int, quiet: bool):
    """A progress bar of the files classified, on stderr when it is a terminal; it redraws every
    second, so that its clock runs while a group of files is embedded."""
    import threading

    from tqdm import tqdm

    class Ticking(tqdm):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.stopped = threading.Event()
            if not self.disable:
                threading.Thread(target=self.tick, daemon=True).start()

        def tick(self):
            while not self.stopped.wait(1):
                self.refresh()

        def close(self):
            if hasattr(self, "stopped"):
                self.stopped.set()
            super().close()

    return Ticking(total=total, unit="file", desc="classified", file=sys.stderr, disable=quiet or not sys.stderr.isatty(), leave=False)


# --- train and evaluate ---------------------------------------------------------------------------


@main.command()
@click.argument("corpus", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("-o", "--output", required=True, type=click.Path(file_okay=False, path_type=Path), help="Model folder to write.")
@click.option("--eval", "eval_paths", multiple=True, type=click.Path(exists=True, path_type=Path),
              help="Held-out labelled data to score the model on; the figures go into its card (repeatable).")
@click.option("--embedding-model", default="sentence-transformers/all-MiniLM-L6-v2", show_default=True,
              help="A sentence-transformers model: a folder, or a name in this machine's Hugging Face cache (motive downloads "
                   "nothing; the default is the bundled, checked MiniLM).")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--fine-tune", is_flag=True,
              help="Also fine-tune MiniLM as a reader of whole exchanges (annotated interviews only): more accurate "
                   "labels and chains, slower classifying; training takes over an hour per 300 interviews on 2 CPU cores.")
@click.option("--epochs", type=click.IntRange(min=1),
              help="With --fine-tune: passes over the interviews, for both parts of the reader "
                   "[default: 4 for the answers part, 3 for the questions part].")
@click.option("--replace", is_flag=True, help="Replace the model the -o folder holds (without it, such a folder is refused).")
@click.option("--cache", "cache", type=click.Path(file_okay=False, path_type=Path),
              help="Keep the embeddings and the fine-tuned reader in this folder: training again reads what it holds instead of "
                   "computing it again (only new texts are embedded; the reader is fine-tuned again when its data or settings change). "
                   "The model comes out the same.")
@label_map_option
def train(corpus, output, eval_paths, embedding_model, seed, fine_tune, epochs, replace, cache, label_map) -> None:
    """Fit a model on labelled data and write a model folder.

    CORPUS: corpus files (motive's format, see corpora/FORMAT.md) and .csv/.tsv/.jsonl
    tables of text,label rows, named or in folders.
    """
    from tqdm import tqdm

    from motive.embed import make_embedder
    from motive.evaluation import format_report
    from motive.reader import ReaderSettings
    from motive.segment import Segmenter
    from motive.model import holds_model
    from motive.training import TrainingSettings, build_model

    if holds_model(output) and not replace:
        raise click.UsageError(f"{output} holds a model already: add --replace to replace it, or name another folder "
                               "(MOTIVE_MODEL or --model chooses the model to classify with)")
    if _given("epochs") and not fine_tune:
        raise click.UsageError("--epochs counts the passes of --fine-tune: add --fine-tune, or leave --epochs out")
    if fine_tune and embedding_model not in ("sentence-transformers/all-MiniLM-L6-v2", "all-MiniLM-L6-v2"):
        raise click.UsageError("--fine-tune fine-tunes the bundled all-MiniLM-L6-v2: leave out --embedding-model")
    passes = {} if epochs is None else {"answer_epochs": epochs, "question_epochs": epochs}
    reader = ReaderSettings(seed=seed, **passes) if fine_tune else None
    bar = tqdm(unit="batch", desc="fine-tuning", file=sys.stderr, disable=not fine_tune or not sys.stderr.isatty(), leave=False)

    def progress(done: int, total: int) -> None:
        bar.total = total
        bar.update(done - bar.n)

    stages = logging.StreamHandler(sys.stderr)  # what training is doing: it takes minutes on a large corpus
    stages.setFormatter(_StageFormatter())
    logging.getLogger("motive.training").addHandler(stages)
    logging.getLogger("motive.training").setLevel(logging.INFO)
    embedder = make_embedder(embedding_model)
    _or_fail(lambda: embedder.dimension)  # a model that cannot load fails now, before the corpus is read
    if cache is not None:
        from motive.embed import CachedEmbedder

        embedder = _cache_or_fail(cache, CachedEmbedder, embedder, cache / "embeddings")
    _note_left_out([*corpus, *eval_paths])
    try:
        _, report = _or_fail(
            build_model, list(corpus), output, embedder=embedder, segmenter=Segmenter(),
            eval_paths=list(eval_paths), settings=TrainingSettings(seed=seed), label_map=_label_map(label_map),
            reader=reader, reader_cache=cache / "readers" if cache is not None else None, progress=progress,
        )
        if cache is not None:
            _cache_or_fail(cache, embedder.save)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    finally:
        bar.close()
        logging.getLogger("motive.training").removeHandler(stages)
    if report:
        click.echo(format_report(report))
    click.echo(f"wrote {output}", err=True)


@main.command()
@click.argument("corpus", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@model_option
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@label_map_option
@device_option
@precision_option
@reader_option
def evaluate(corpus, model_path, as_json, label_map, device, precision, reader) -> None:
    """Score a model on labelled data: per-label precision/recall/F1, confusion matrix,
    macro-F1, terminal-why accuracy and chain-boundary F1."""
    from motive.evaluation import evaluate as run_evaluation
    from motive.evaluation import format_report, tag_line
    from motive.model import load_model
    from motive.training import read_labelled

    model = _or_fail(load_model, model_path, device=device, precision=precision, reader=reader)
    data = _or_fail(read_labelled, list(corpus), _label_map(label_map))
    _note_left_out(corpus)
    if not data.interviews and not data.tables:
        raise click.ClickException(f"nothing to score: no corpus files (*.txt) or tables (*.csv, *.tsv, *.jsonl) in {', '.join(map(str, corpus))}")
    report = _or_fail(run_evaluation, model, data.interviews, data.tables)
    if "said" not in model.config.get("training", {}):
        click.echo("note: this model keeps nothing of the answers it learnt from (trained by an earlier motive): "
                   "whether these figures are held out cannot be told", err=True)
    if report.get("trained_on"):
        from motive.training import all_trained_on, also_trained_on

        every = all_trained_on(report["trained_on"], data)
        click.echo(f"warning: the model learnt from {'all' if every else 'some'} of this data ({also_trained_on(report['trained_on'])}): "
                   "these figures are not held out", err=True)
    tags = [tag_line(name, scores) for name, scores in report.get("tags", {}).items()]  # as the model card reports them
    click.echo(json.dumps(report, indent=2) if as_json else "\n\n".join([format_report(report), *(["\n".join(tags)] if tags else [])]))


# --- insights, messaging gap, report ------------------------------------------------------------

metadata_option = click.option("--metadata", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                               help="CSV of segment columns per transcript (a column 'file', 'source' or 'id' names it).")
by_option = click.option("--by", "segment_by", multiple=True, metavar="KEY",
                         help="Metadata key to compare segments by (repeatable; default: every key with 2–8 values).")
distance_option = click.option("--distance", type=click.FloatRange(0.05, 1.5), default=None,
                               help="Cosine distance under which answers join one theme [default: 0.7].")


def _files_read(paths, *given: Path | None) -> list[Path]:
    """Every file an insights command reads: transcripts and results files in PATHS, and the files
    given beside them (metadata, messaging), so that an output file cannot replace one of them."""
    from motive.insights import results_files
    from motive.transcripts import find_transcripts

    return [*find_transcripts(list(paths)), *(f for path in paths for f in results_files(path)), *filter(None, given)]


def _insight_inputs(paths, model_path, metadata, device="auto", precision="auto"):
    """The model (which classifies the transcripts among PATHS and embeds for the themes) and the
    readable results of PATHS; skipped files are named on stderr."""
    from motive.insights import load_results
    from motive.model import load_model

    model = _or_fail(load_model, model_path, device=device, precision=precision)
    results, problems, notes = _or_fail(load_results, list(paths), model, metadata=metadata)  # a missing path is one of the problems
    for line in problems + notes:
        click.echo(line, err=True)
    if not results:
        raise click.ClickException(f"no readable transcripts or results in {', '.join(map(str, paths))}")
    return model, results, problems


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(readable=False, path_type=Path))  # unreadable: skipped, named
@metadata_option
@by_option
@click.option("--json", "as_json", is_flag=True, help="Everything as JSON (segments, themes, value map, diagnostics, chains).")
@click.option("--chains", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write one row per chain as CSV, for a spreadsheet: its terminal why, driver, discipline, theme and metadata.")
@click.option("--cutoff", type=click.IntRange(min=1), default=2, show_default=True, help="Value-map links seen in fewer chains are left out.")
@distance_option
@model_option
@device_option
@precision_option
def insights(paths, metadata, segment_by, as_json, chains, cutoff, distance, model_path, device, precision) -> None:
    """What customers want across interviews: value drivers and disciplines per segment
    (with intervals and tests), themes of terminal whys, the means-end map and
    interviewer diagnostics.

    PATHS: transcripts (files or folders, classified now), results written by
    'motive classify' (.jsonl, .json) and output folders of --engine dask, in any
    mix. Exit status 3 when some files were skipped (each is named on stderr).
    """
    from motive.insights import build_insights, format_insights
    from motive.output import atomic_output, is_special, other_format

    if chains is not None and other_format(chains, frozenset({".csv"})):
        raise click.BadParameter(f"the chains are written as CSV, not {other_format(chains, frozenset({'.csv'}))}: name the file .csv",
                                 param_hint="--chains")
    if chains is not None:
        _refuse_an_input(chains, _files_read(paths, metadata), "--chains")
    model, results, skipped = _insight_inputs(paths, model_path, metadata, device, precision)
    found = _or_fail(build_insights, results, embedder=model.embedder, segment_by=segment_by or None, cutoff=cutoff, distance=distance)
    if chains is not None:
        try:
            with atomic_output(chains, sys.stdout) as stream:
                found.write_chains_csv(stream, byte_order_mark=not is_special(chains))
        except OSError as error:
            raise click.ClickException(_file_system_problem(error)) from None
    click.echo(json.dumps({**found.to_dict(), "skipped": skipped}, indent=2) if as_json else format_insights(found))
    if skipped:
        sys.exit(EXIT_SKIPPED)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(readable=False, path_type=Path))  # unreadable: skipped, named
@click.option("--messaging", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The company's value propositions: one per line, a CSV with a 'message' column, or a JSON list.")
@click.option("--threshold", type=click.FloatRange(-1, 1), default=0.3, show_default=True,
              help="Cosine similarity from which a message covers a customer theme or echoes a customer's terminal why.")
@click.option("--json", "as_json", is_flag=True, help="Print the comparison as JSON.")
@distance_option
@model_option
@device_option
@precision_option
def gap(paths, messaging, threshold, as_json, distance, model_path, device, precision) -> None:
    """Set a company's messages beside what its customers want: which customer outcomes
    each message covers, which outcomes no message addresses, which messages no customer's
    terminal why echoes.

    PATHS: transcripts (files or folders, classified now), results written by
    'motive classify' (.jsonl, .json) and output folders of --engine dask, in any
    mix. Exit status 3 when some files were skipped (each is named on stderr).
    """
    from motive.gap import format_gap, messaging_gap, read_messages

    messages = _or_fail(read_messages, messaging)
    model, results, skipped = _insight_inputs(paths, model_path, None, device, precision)
    found = _or_fail(messaging_gap, results, messages, model, threshold=threshold, distance=distance)
    click.echo(json.dumps(found.to_dict(), indent=2) if as_json else format_gap(found))
    if skipped:
        sys.exit(EXIT_SKIPPED)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(readable=False, path_type=Path))  # unreadable: skipped, named
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path), help="The HTML file to write.")
@metadata_option
@by_option
@click.option("--messaging", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Value propositions (one per line, a CSV or a JSON list): adds the messaging gap to the report.")
@click.option("--cutoff", type=click.IntRange(min=1), default=2, show_default=True, help="Value-map links seen in fewer chains are left out.")
@distance_option
@model_option
@device_option
@precision_option
def report(paths, output, metadata, segment_by, messaging, cutoff, distance, model_path, device, precision) -> None:
    """Write one self-contained HTML report (works offline): driver and discipline shares
    per segment, themes with quotes, the value map, chain diagrams and diagnostics.

    PATHS: transcripts (files or folders, classified now), results written by
    'motive classify' (.jsonl, .json) and output folders of --engine dask, in any
    mix. Exit status 3 when some files were skipped (each is named on stderr).
    """
    from motive.gap import messaging_gap, read_messages
    from motive.insights import build_insights
    from motive.model import EmbeddingCache
    from motive.output import atomic_output, is_special, other_format, written_through
    from motive.report import render_report

    if output.is_dir():
        raise click.BadParameter(f"{output} is a folder; name the HTML file to write", param_hint="-o")
    _refuse_an_input(output, _files_read(paths, metadata, messaging))
    if other_format(output, frozenset({".html", ".htm"})):
        raise click.BadParameter(f"the report is HTML, not {other_format(output, frozenset({'.html', '.htm'}))}: name the file .html", param_hint="-o")
    if not is_special(output):
        _check_writable_folder(written_through(output))
    messages = _or_fail(read_messages, messaging) if messaging else None
    model, results, skipped = _insight_inputs(paths, model_path, metadata, device, precision)
    vectors = EmbeddingCache(model.embedder)  # themes, value map and gap embed each text once
    found = _or_fail(build_insights, results, embedder=vectors, segment_by=segment_by or None, cutoff=cutoff, distance=distance)
    gap_found = _or_fail(messaging_gap, results, messages, model, distance=distance, embedder=vectors, themes=found.themes) if messages else None
    html = render_report(found, results, gap=gap_found, left_out=skipped)
    with atomic_output(output, sys.stdout) as stream:
        stream.write(html)
    click.echo(f"wrote {output}", err=True)
    if skipped:
        sys.exit(EXIT_SKIPPED)


if __name__ == "__main__":
    main(prog_name="motive")
