"""The ``motive`` command line: a thin layer over the library.

Heavy libraries load inside the commands that need them, so ``motive --help``
stays fast.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from motive import __version__
from motive.errors import MotiveError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="motive")
def main() -> None:
    """Find why customers buy: label interview answers output / outcome / none,
    rebuild each why chain and find its terminal why."""


@main.group()
def corpus() -> None:
    """Check and describe labelled interview files (motive's corpus format)."""


@corpus.command("check")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
def corpus_check(paths: tuple[Path, ...]) -> None:
    """Report every corpus file that breaks the format (corpora/FORMAT.md)."""
    from motive import corpus as corpus_module

    files = corpus_module.find_interviews(list(paths))
    problems = corpus_module.check(list(paths))
    for problem in problems:
        click.echo(str(problem), err=True)
    click.echo(f"{len(files)} files, {len(problems)} with problems", err=True)
    if problems:
        sys.exit(1)


@corpus.command("stats")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
def corpus_stats(paths: tuple[Path, ...]) -> None:
    """Counts per label, register and domain, chains, and phrase repetition, as JSON."""
    from motive import corpus as corpus_module

    interviews = _or_fail(corpus_module.read_interviews, list(paths))
    click.echo(json.dumps(corpus_module.stats(interviews), indent=2))


def _or_fail(function, *args, **kwargs):
    """Call the library; its errors become one clean line and exit status 1."""
    try:
        return function(*args, **kwargs)
    except MotiveError as error:
        raise click.ClickException(str(error)) from None


# --- classify ---------------------------------------------------------------------------------

EXIT_SKIPPED = 3

model_option = click.option(
    "--model", "model_path", envvar="MOTIVE_MODEL", type=click.Path(path_type=Path), default=None,
    help="Model folder [env MOTIVE_MODEL; default: models/default].",
)

device_option = click.option(
    "--device", type=click.Choice(["auto", "cpu", "cuda"]), default="auto", show_default=True,
    help="Where the embedding model runs; auto: a CUDA GPU when there is one.",
)
precision_option = click.option(
    "--precision", type=click.Choice(["auto", "fp32", "bf16"]), default="auto", show_default=True,
    help="Embedding arithmetic; auto: bf16 on a GPU or a CPU with native bfloat16 (same labels, measured), else fp32.",
)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write here instead of stdout (atomically).")
@click.option("-f", "--format", "fmt", type=click.Choice(["jsonl", "json", "csv", "table"]), default="jsonl", show_default=True,
              help="jsonl/json: one record per transcript; csv/table: one row per answer.")
@model_option
@click.option("--interviewer", help="The interviewer's speaker label, when motive should not work it out.")
@click.option("--max-mb", type=click.FloatRange(min=0.001), default=20, show_default=True, help="Skip files larger than this.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary.")
@device_option
@precision_option
def classify(paths, output, fmt, model_path, interviewer, max_mb, quiet, device, precision) -> None:
    """Label every answer in the transcripts at PATHS (files or folders, searched recursively).

    Exit status: 0 when every file was classified, 3 when some were skipped
    (the others' results are still written), 1 when motive could not run.
    """
    from motive.model import load_model
    from motive.output import Summary, Writer, atomic_output
    from motive.pipeline import classify_many
    from motive.transcripts import find_transcripts

    files = find_transcripts(list(paths))
    model = _or_fail(load_model, model_path, device=device, precision=precision)
    _or_fail(lambda: model.embedder.dimension)  # load the embedding model now: a wrong --device fails before any output
    summary = Summary()
    progress = _progress(len(files), quiet)
    try:
        with atomic_output(output, sys.stdout) as stream:
            writer = Writer(stream, fmt)
            results = classify_many(files, model=model, interviewer=interviewer, max_bytes=int(max_mb * 1024 * 1024),
                                    on_read=lambda _: progress.update(1))
            for result in results:
                summary.add(result)
                if result.ok:
                    writer.write(result)
                else:
                    progress.write(f"skipped {result.source}: {result.error}", file=sys.stderr)
            writer.close()
    except MotiveError as error:
        raise click.ClickException(str(error)) from None
    finally:
        progress.close()
    if not quiet:
        for line in summary.lines():
            click.echo(line, err=True)
    if summary.skipped:
        sys.exit(EXIT_SKIPPED)


def _progress(total: int, quiet: bool):
    from tqdm import tqdm

    return tqdm(total=total, unit="file", file=sys.stderr, disable=quiet or not sys.stderr.isatty(), leave=False)


# --- train and evaluate ---------------------------------------------------------------------------


def _label_map(pairs: tuple[str, ...]) -> dict[str, str]:
    mapping = {}
    for pair in pairs:
        old, sep, new = pair.partition("=")
        if not sep:
            raise click.BadParameter(f"{pair!r}: expected OLD=NEW, e.g. product=output", param_hint="--label-map")
        mapping[old] = new
    return mapping


label_map_option = click.option("--label-map", multiple=True, metavar="OLD=NEW",
                                help="Rename labels of text,label rows onto output/outcome/none (repeatable).")


@main.command()
@click.argument("corpus", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("-o", "--output", required=True, type=click.Path(file_okay=False, path_type=Path), help="Model folder to write.")
@click.option("--eval", "eval_paths", multiple=True, type=click.Path(exists=True, path_type=Path),
              help="Held-out labelled data to score the model on; the figures go into its card (repeatable).")
@click.option("--embedding-model", default="sentence-transformers/all-MiniLM-L6-v2", show_default=True,
              help="A sentence-transformers model name or folder on this machine.")
@click.option("--seed", type=int, default=0, show_default=True)
@label_map_option
def train(corpus, output, eval_paths, embedding_model, seed, label_map) -> None:
    """Fit a model on labelled data and write a model folder.

    CORPUS: corpus files or folders (motive's format, see corpora/FORMAT.md) and
    .csv/.jsonl files of text,label rows.
    """
    from motive.embed import make_embedder
    from motive.evaluate import format_report
    from motive.segment import Segmenter
    from motive.train import TrainingSettings, build_model

    _, report = _or_fail(
        build_model, list(corpus), output, embedder=make_embedder(embedding_model), segmenter=Segmenter(),
        eval_paths=list(eval_paths), settings=TrainingSettings(seed=seed), label_map=_label_map(label_map),
    )
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
def evaluate(corpus, model_path, as_json, label_map, device, precision) -> None:
    """Score a model on labelled data: per-label precision/recall/F1, confusion matrix,
    macro-F1, terminal-why accuracy and chain-boundary F1."""
    from motive.evaluate import evaluate as run_evaluation
    from motive.evaluate import format_report
    from motive.model import load_model
    from motive.train import read_labelled

    model = _or_fail(load_model, model_path, device=device, precision=precision)
    data = _or_fail(read_labelled, list(corpus), _label_map(label_map))
    report = _or_fail(run_evaluation, model, data.interviews, data.tables)
    click.echo(json.dumps(report, indent=2) if as_json else format_report(report))
