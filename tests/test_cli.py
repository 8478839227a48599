import csv
import io
import json
import os
import stat
import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner

from motive.cli import main
from tests.conftest import CORPUS
from tests.test_pipeline import TRANSCRIPT


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def folder(tmp_path):
    transcripts = tmp_path / "calls"
    (transcripts / "nested").mkdir(parents=True)
    (transcripts / "a.txt").write_text(TRANSCRIPT)
    (transcripts / "nested" / "b.txt").write_text(TRANSCRIPT.replace("Osaka", "Lyon"))
    return transcripts


def test_classify_a_folder_to_jsonl(runner, model_folder, folder, tmp_path):
    out = tmp_path / "results.jsonl"
    result = runner.invoke(main, ["classify", str(folder), "--model", str(model_folder), "-o", str(out)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["source"] for r in records] == [str(folder / "a.txt"), str(folder / "nested" / "b.txt")]
    assert "2 transcripts, 8 answers" in result.stderr
    assert not list(tmp_path.glob(".results.jsonl.*"))  # no temporary file left behind


def test_classify_reads_one_transcript_from_standard_input(runner, model_folder, folder, tmp_path):
    piped = runner.invoke(main, ["classify", "-", "--model", str(model_folder)], input=TRANSCRIPT.encode("cp1252"))
    assert piped.exit_code == 0, piped.output
    from_file = runner.invoke(main, ["classify", str(folder / "a.txt"), "--model", str(model_folder)])
    (record,), (expected,) = map(lambda r: [json.loads(line) for line in r.stdout.splitlines()], (piped, from_file))
    assert record.pop("source") == "<stdin>" and expected.pop("source") == str(folder / "a.txt")
    assert record == expected and "1 transcript, 4 answers" in piped.stderr
    vtt = "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Dana>Why did you buy it?\n\n00:00:05.000 --> 00:00:09.000\n<v Kim>We lose sales without it.\n"
    assert json.loads(runner.invoke(main, ["classify", "-", "--model", str(model_folder)], input=vtt).stdout)["interviewer"] == "Dana"
    empty = runner.invoke(main, ["classify", "-", "--model", str(model_folder)], input="just some words")
    assert empty.exit_code == 3 and empty.stdout == "" and "skipped <stdin>: holds no speaker turns" in empty.stderr
    mixed = runner.invoke(main, ["classify", "-", str(folder), "--model", str(model_folder)], input=TRANSCRIPT)
    assert mixed.exit_code == 2 and "- reads one transcript from standard input: give it alone" in mixed.stderr
    for dask_only in (["--workers", "2"], ["--shard-size", "5"]):
        assert runner.invoke(main, ["classify", "-", *dask_only, "--model", str(model_folder)], input=TRANSCRIPT).exit_code == 2
    nothing = runner.invoke(main, ["classify", "-", "--model", str(model_folder)], input="")
    assert nothing.exit_code == 3 and "skipped <stdin>: is empty" in nothing.stderr
    too_big = runner.invoke(main, ["classify", "-", "--model", str(model_folder), "--max-mb", "0.001"], input=TRANSCRIPT * 20)
    assert too_big.exit_code == 3 and "skipped <stdin>: is over the 1,048-byte limit" in too_big.stderr


def test_standard_input_reads_every_format_a_file_does(runner, model_folder):
    from tests.conftest import DATA

    for sample in sorted((DATA / "exports").glob("*.*")):
        if sample.suffix == ".py":
            continue
        as_file = runner.invoke(main, ["classify", str(sample), "--model", str(model_folder)])
        piped = runner.invoke(main, ["classify", "-", "--model", str(model_folder)], input=sample.read_bytes())
        assert piped.exit_code == as_file.exit_code == 0, (sample.name, piped.stderr)
        (record,), (expected,) = ([json.loads(line) for line in r.stdout.splitlines()] for r in (piped, as_file))
        assert record.pop("source") == "<stdin>" and expected.pop("source") == str(sample)
        assert record == expected, sample.name


def test_a_file_called_dash_is_named_as_dot_slash_dash(runner, model_folder, tmp_path, monkeypatch):
    (tmp_path / "-").write_text(TRANSCRIPT)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["classify", "./-", "--model", str(model_folder)], input="not a transcript")
    assert result.exit_code == 0 and json.loads(result.stdout)["source"] == "-"


def plain_open_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def test_written_files_get_the_permissions_a_plain_open_gives(runner, model_folder, folder, tmp_path):
    assert {p.name: stat.S_IMODE(p.stat().st_mode) for p in model_folder.iterdir()} == {p.name: plain_open_mode() for p in model_folder.iterdir()}
    new, kept = tmp_path / "new.jsonl", tmp_path / "kept.jsonl"
    kept.write_text("")
    kept.chmod(0o640)
    for out in (new, kept):
        result = runner.invoke(main, ["classify", str(folder), "--model", str(model_folder), "-o", str(out), "-q"])
        assert result.exit_code == 0, result.output
    assert stat.S_IMODE(new.stat().st_mode) == plain_open_mode()
    assert stat.S_IMODE(kept.stat().st_mode) == 0o640 and kept.read_text()


def test_a_file_named_twice_is_classified_once(runner, model_folder, folder):
    result = runner.invoke(main, ["classify", str(folder / "a.txt"), str(folder), f"{folder}/./a.txt", "--model", str(model_folder), "-q"])
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["source"] for line in result.stdout.splitlines()] == [str(folder / "a.txt"), str(folder / "nested" / "b.txt")]


def test_the_summary_counts_one_of_a_kind_in_the_singular(runner, model_folder, folder):
    result = runner.invoke(main, ["classify", str(folder / "a.txt"), "--model", str(model_folder)])
    assert result.exit_code == 0, result.output
    assert "1 transcript, 4 answers" in result.stderr


def test_a_results_table_is_not_read_back_as_a_transcript(runner, model_folder, folder, tmp_path):
    table = tmp_path / "results.txt"
    assert runner.invoke(main, ["classify", str(folder / "a.txt"), "--model", str(model_folder), "-o", str(table), "-q"]).exit_code == 0
    result = runner.invoke(main, ["classify", str(table), "--model", str(model_folder), "-q"])
    assert result.exit_code == 3 and f"skipped {table}: is a results table written by 'motive classify --format table'" in result.stderr


def test_nothing_to_classify_and_nowhere_to_write_are_one_line_each(runner, model_folder, folder, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    result = runner.invoke(main, ["classify", str(empty), "--model", str(model_folder)])
    assert result.exit_code == 1 and f"no transcripts in {empty}" in result.output
    blocked = folder / "a.txt" / "results.jsonl"  # a file stands where the folder would be
    for command in (["classify", str(folder), "--model", str(model_folder), "-o", str(blocked)],
                    ["train", str(CORPUS), "-o", str(blocked), "--embedding-model", "hashing-256"]):
        result = runner.invoke(main, command)
        assert result.exit_code == 1, result.output
        assert str(folder / "a.txt") in result.output and "Traceback" not in result.output
        assert isinstance(result.exception, SystemExit)
    # A folder that exists but takes no new file: the message names the output, not the run's journal.
    result = runner.invoke(main, ["classify", str(folder), "--model", str(model_folder), "-o", "/proc/results.jsonl"])
    assert result.exit_code == 1
    assert result.output.strip() == "Error: cannot write /proc/results.jsonl: its folder takes no new files (No such file or directory)"


@pytest.mark.parametrize("fmt", ["json", "csv", "table"])
def test_other_formats(runner, model_folder, folder, fmt):
    result = runner.invoke(main, ["classify", str(folder), "--model", str(model_folder), "--format", fmt, "-q"])
    assert result.exit_code == 0, result.output
    if fmt == "json":
        assert len(json.loads(result.stdout)) == 2
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(result.stdout)))
        assert len(rows) == 8 and {"label", "confidence", "chain", "terminal", "text"} <= set(rows[0])
    else:
        assert "chain 0:" in result.stdout and "→" in result.stdout


def test_csv_cells_that_a_spreadsheet_would_run_start_with_an_apostrophe(runner, model_folder, tmp_path):
    call = tmp_path / "call.txt"
    call.write_text("Interviewer: Why did you buy it?\nCustomer: - well, +20% margin on the line.\n"
                    "Interviewer: Why does that matter?\nCustomer: =HYPERLINK(\"x\") we keep more cash.\n"
                    "Interviewer: And the price?\nCustomer: -5\n")
    piped = runner.invoke(main, ["classify", str(call), "--model", str(model_folder), "-f", "csv"])
    rows = list(csv.DictReader(io.StringIO(piped.stdout)))
    assert [row["text"] for row in rows] == ["'- well, +20% margin on the line.", "'=HYPERLINK(\"x\") we keep more cash.", "-5"]
    assert not piped.stdout.startswith("\ufeff")  # a stream: no byte order mark
    record = json.loads(runner.invoke(main, ["classify", str(call), "--model", str(model_folder)]).stdout)
    assert record["answers"][0]["text"] == "- well, +20% margin on the line."  # JSON keeps the words as they are


def test_results_on_stdout_are_utf8_whatever_the_terminal_reads(model_folder, tmp_path):
    call = tmp_path / "café 🚀.txt"
    call.write_text("Interviewer: Why did you buy it?\nCustomer: The café line 🚀, with 日本 suppliers.\n", encoding="utf-8")
    environment = {**os.environ, "PYTHONIOENCODING": "cp1252"}  # a Windows console or redirect
    for fmt in ("jsonl", "csv"):
        done = subprocess.run([sys.executable, "-m", "motive", "classify", str(call), "--model", str(model_folder), "-q", "-f", fmt],
                              capture_output=True, env=environment, check=True)
        text = done.stdout.decode("utf-8")  # strict: all of it UTF-8
        assert "The café line 🚀, with 日本 suppliers." in (json.loads(text)["answers"][0]["text"] if fmt == "jsonl" else text)


def test_the_output_file_name_chooses_the_format_unless_one_is_given(runner, model_folder, folder, tmp_path):
    for name in ("r.csv", "r.txt", "r.json"):
        result = runner.invoke(main, ["classify", str(folder), "--model", str(model_folder), "-o", str(tmp_path / name), "-q"])
        assert result.exit_code == 0, result.output
    assert (tmp_path / "r.csv").read_text(encoding="utf-8").startswith("\ufeffsource,answer,chain,")  # a file: marked UTF-8 for Excel
    assert (tmp_path / "r.txt").read_text().splitlines()[1] == "  interviewer: Interviewer · respondent: Customer"
    assert (tmp_path / "r.txt").read_text().splitlines()[2].startswith("  # chain  label")
    assert len(json.loads((tmp_path / "r.json").read_text())) == 2
    result = runner.invoke(main, ["classify", str(folder), "--model", str(model_folder), "-o", str(tmp_path / "r2.csv"), "-f", "jsonl", "-q"])
    assert json.loads((tmp_path / "r2.csv").read_text().splitlines()[0])["source"]
    refused = runner.invoke(main, ["classify", str(folder), "--model", str(model_folder), "-o", str(tmp_path / "r.xlsx"), "-q"])
    assert refused.exit_code == 2 and "motive does not write results as .xlsx" in refused.output and not (tmp_path / "r.xlsx").exists()
    refused = runner.invoke(main, ["classify", str(folder), "--model", str(model_folder), "-o", str(folder / "results.md"), "-q"])
    assert refused.exit_code == 2 and not (folder / "results.md").exists()  # it would be read back as a transcript


def test_skipped_files_are_listed_and_set_the_exit_status(runner, model_folder, folder):
    (folder / "empty.txt").write_text("")
    result = runner.invoke(main, ["classify", str(folder), "--model", str(model_folder)])
    assert result.exit_code == 3
    assert len(result.stdout.splitlines()) == 2
    assert f"{folder / 'empty.txt'}: is empty" in result.stderr
    assert "Traceback" not in result.output


def test_model_problems_are_one_clear_line(runner, folder, tmp_path):
    result = runner.invoke(main, ["classify", str(folder), "--model", str(tmp_path / "none")])
    assert result.exit_code == 1
    assert "no model folder" in result.output and "Traceback" not in result.output


def test_train_and_evaluate(runner, model_folder, tmp_path):
    result = runner.invoke(main, ["evaluate", "--model", str(model_folder), str(CORPUS)])
    assert result.exit_code == 0, result.output
    assert "macro-F1 output vs outcome" in result.output and "chain-boundary F1" in result.output
    assert "warning: the model learnt from all of this data" in result.stderr  # model_folder was trained on CORPUS
    figures = json.loads(runner.invoke(main, ["evaluate", "--model", str(model_folder), str(CORPUS), "--json"]).stdout)
    assert figures["labels"]["answers"] == 24 and figures["chains"] == 8
    rows = tmp_path / "rows.csv"
    rows.write_text("text,label\nIt was cheaper,feature\nI sleep better,benefit\nhi,none\n")
    result = runner.invoke(main, ["evaluate", "--model", str(model_folder), str(rows), "--label-map", "feature=output", "--label-map", "benefit=outcome"])
    assert result.exit_code == 0, result.output
    assert "text,label rows" in result.output


def test_training_with_a_cache_keeps_the_embeddings_and_gives_the_same_model(runner, tmp_path):
    cache = tmp_path / "cache"
    for name in ("first", "second"):
        result = runner.invoke(main, ["train", str(CORPUS), "-o", str(tmp_path / name), "--embedding-model", "hashing-256", "--cache", str(cache)])
        assert result.exit_code == 0, result.output
    assert (cache / "embeddings" / "hashing-256" / "vectors.npy").is_file()
    for name in ("linear.safetensors", "tags.joblib"):
        assert (tmp_path / "first" / name).read_bytes() == (tmp_path / "second" / name).read_bytes()


def test_a_cache_that_cannot_be_used_is_one_clear_line(runner, tmp_path):
    cache = tmp_path / "cache"
    (cache / "embeddings" / "hashing-256").mkdir(parents=True)
    (cache / "embeddings" / "hashing-256" / "texts.json").write_text("not json")
    result = runner.invoke(main, ["train", str(CORPUS), "-o", str(tmp_path / "m"), "--embedding-model", "hashing-256", "--cache", str(cache)])
    assert result.exit_code == 1 and f"--cache {cache}: cannot use it as a cache" in result.output and "Traceback" not in result.output


def test_evaluate_with_nothing_to_score_says_so(runner, model_folder, tmp_path):
    result = runner.invoke(main, ["evaluate", "--model", str(model_folder), str(tmp_path)])
    assert result.exit_code == 1 and f"nothing to score: no corpus files (*.txt) or tables (*.csv, *.tsv, *.jsonl) in {tmp_path}" in result.output
    (tmp_path / "config.json").write_text("{}")
    result = runner.invoke(main, ["evaluate", "--model", str(tmp_path / "config.json"), str(CORPUS)])
    assert result.exit_code == 1 and f"is a file, not a model folder: the model folder is {tmp_path}" in result.output


def test_results_written_among_labelled_interviews_are_never_read_as_labels(runner, model_folder, tmp_path):
    labelled = tmp_path / "labelled"
    shutil.copytree(CORPUS, labelled)
    for name in ("results.csv", "results.jsonl"):
        assert runner.invoke(main, ["classify", str(labelled), "--model", str(model_folder), "-q", "-o", str(labelled / name)]).exit_code == 0
    left_out = f"left out 2 results files of 'motive classify', whose labels are a model's: {labelled / 'results.csv'}, {labelled / 'results.jsonl'}"
    checked = runner.invoke(main, ["corpus", "check", str(labelled)])
    assert checked.exit_code == 0 and left_out in checked.stderr and "5 files, 0 with problems" in checked.stderr
    trained = runner.invoke(main, ["train", str(labelled), "-o", str(tmp_path / "model"), "--embedding-model", "hashing-256"])
    assert trained.exit_code == 0 and left_out in trained.stderr and "read 5 annotated interviews and 0 text,label rows" in trained.stderr
    # Named on its own, a results CSV is a table: its labels, corrected by hand, are labelled data.
    stats = runner.invoke(main, ["corpus", "stats", str(labelled / "results.csv"), str(labelled)])
    assert json.loads(stats.stdout)["tables"]["rows"] == 24 and "left out 1 results file" in stats.stderr  # the JSONL
    assert f"left out 1 results file of 'motive classify', whose labels are a model's: {labelled / 'results.jsonl'} (" in stats.stderr  # not the CSV
    assert f"reading {labelled / 'results.csv'} as labels: 'motive classify' wrote it, so the labels are a model's" in stats.stderr
    named = runner.invoke(main, ["corpus", "check", str(labelled / "results.jsonl")])
    assert named.exit_code == 1 and "results.jsonl:1: is a results file written by 'motive classify', not text,label rows" in named.stdout
    (labelled / "results.csv").write_bytes((labelled / "results.csv").read_text(encoding="utf-8-sig").encode("utf-16"))  # re-saved
    os.mkfifo(labelled / "pipe.csv")  # never opened: reading it would wait for a writer
    checked = runner.invoke(main, ["corpus", "check", str(labelled)])
    assert checked.exit_code == 0 and f"{labelled / 'results.csv'}, {labelled / 'results.jsonl'}" in checked.stderr


def test_corpus_commands(runner, tmp_path):
    assert runner.invoke(main, ["corpus", "check", str(CORPUS)]).exit_code == 0
    assert json.loads(runner.invoke(main, ["corpus", "stats", str(CORPUS)]).stdout)["interviews"] == 5
    (tmp_path / "bad.txt").write_text("---\ninterviewer: Q\n---\nQ: Why?\nA: Price.\n")
    result = runner.invoke(main, ["corpus", "check", str(tmp_path)])
    assert result.exit_code == 1 and "bad.txt:5: answer has no label line" in result.stdout  # the problems are the output
    assert result.stderr.strip().endswith("1 file, 1 with problems (2 problems)")  # and its question has no kind
    (tmp_path / "notes.md").write_text("# our study")
    result = runner.invoke(main, ["corpus", "check", str(tmp_path), str(tmp_path)])  # named twice: each file counted once
    assert f"left out 1 file that is neither a corpus file (*.txt) nor a table (*.csv, *.tsv, *.jsonl): {tmp_path / 'notes.md'}\n" in result.stderr
    (tmp_path / "bad.txt").unlink()
    result = runner.invoke(main, ["corpus", "check", str(tmp_path)])  # the note comes before the error it explains
    assert result.exit_code == 1 and result.stderr.index("left out 1 file") < result.stderr.index("no corpus files")


def test_a_copy_of_an_interview_is_named_and_never_trained_on_twice(runner, tmp_path):
    shutil.copytree(CORPUS, tmp_path / "labelled")
    original = sorted((tmp_path / "labelled").glob("*.txt"))[0]
    copy = original.with_name(f"{original.stem} (1).txt")  # as a browser names a second download
    shutil.copy(original, copy)
    problem = f"{copy}: id '{original.stem}' is taken by {original}"
    assert runner.invoke(main, ["corpus", "check", str(tmp_path / "labelled")]).stdout.splitlines() == [problem]
    trained = runner.invoke(main, ["train", str(tmp_path / "labelled"), "-o", str(tmp_path / "m"), "--embedding-model", "hashing-64"])
    assert trained.exit_code == 1 and problem in trained.output and not (tmp_path / "m").exists()


def test_corpus_check_lists_every_problem_of_every_file_in_line_order(runner, tmp_path):
    (tmp_path / "bad.txt").write_text(
        "---\nid: bad\ninterviewer: Q\nregister: tidy\n---\nQ: Why?\n@root\nA: Price.\n@outptu\n"
        "Q: Why does that matter?\n@probe\nA: We save money.\n@outcome terminal driver=save-money\n"
        "Q: And?\n@probe\nA: The tool.\n@output terminal\n"
    )
    (tmp_path / "rows.csv").write_text("text,label\nCheaper per seat.,feature\nMore money left.,benfit\n,feature\n")
    result = runner.invoke(main, ["corpus", "check", str(tmp_path), "--label-map", "feature=output", "--label-map", "benefit=outcome"])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{tmp_path / 'bad.txt'}: register: 'tidy' is not one of clean, spoken, asr, terse, rambling, non-native",
        f"{tmp_path / 'bad.txt'}:9: '@outptu' after an answer; expected one of output, outcome, none (did you mean @output?)",
        f"{tmp_path / 'bad.txt'}:13: driver='save-money' is not one of increase-revenue, decrease-cost, mitigate-risk, emotional-need",
        f"{tmp_path / 'bad.txt'}:17: only an outcome answer inside a chain can be terminal",
        f"{tmp_path / 'rows.csv'}:3: label 'benfit' is not one of output, outcome, none (did you mean 'benefit'?)",
        f"{tmp_path / 'rows.csv'}:4: the row has no text",
    ]
    assert "2 files, 2 with problems (6 problems)" in result.stderr
    (tmp_path / "rows.csv").write_text("text,label\nWe book online, at any hour, with reminders,output\nA shelf,furniture\nA lamp,output,,\n")
    result = runner.invoke(main, ["corpus", "check", str(tmp_path / "rows.csv")])
    assert result.stdout.splitlines() == [
        f"{tmp_path / 'rows.csv'}:2: the row has 4 fields where the header has 2: put a text that holds the separator in double quotes",
        f"{tmp_path / 'rows.csv'}:3: label 'furniture' is not one of output, outcome, none (map it with --label-map)",
    ]


def test_corpus_check_reads_a_jsonl_table_past_a_broken_line(runner, tmp_path):
    (tmp_path / "rows.jsonl").write_text('{"text": "Cheaper.", "label": "output"}\n{"text": "cut off\n{"text": "More money.", "label": "benfit"}\n{"text": "", "label": "none"}\n')
    result = runner.invoke(main, ["corpus", "check", str(tmp_path)])
    assert [line.split(": ", 1)[0] for line in result.stdout.splitlines()] == [f"{tmp_path / 'rows.jsonl'}:{n}" for n in (2, 3, 4)]


def test_an_annotation_cut_off_by_an_unclosed_quote_is_one_problem(runner, tmp_path):
    (tmp_path / "cut.txt").write_text('---\nid: cut\ninterviewer: Q\n---\nQ: Why?\n@root\nA: We save money.\n@outcome terminal evidence="save money\n')
    result = runner.invoke(main, ["corpus", "check", str(tmp_path)])
    assert result.stdout.splitlines() == [f"{tmp_path / 'cut.txt'}:8: cannot split annotation (No closing quotation)"]


def test_corpus_check_wants_corpus_files_in_utf8(runner, tmp_path):
    text = "---\nid: old\ninterviewer: Q\n---\nQ: Why?\n@root\nA: Caf\xe9 prices.\n@output\n"
    (tmp_path / "old.txt").write_bytes(text.encode("cp1252"))
    result = runner.invoke(main, ["corpus", "check", str(tmp_path)])
    assert result.exit_code == 1 and f"{tmp_path / 'old.txt'}:7: is not UTF-8 from this line on" in result.stdout


def test_corpus_stats_counts_table_rows_apart(runner, tmp_path):
    (tmp_path / "rows.csv").write_text("text,label\nCheaper per seat.,feature\nMore money left.,benefit\n")
    result = runner.invoke(main, ["corpus", "stats", str(CORPUS), str(tmp_path / "rows.csv"), "--label-map", "feature=output", "--label-map", "benefit=outcome"])
    figures = json.loads(result.stdout)
    assert figures["interviews"] == 5 and figures["tables"] == {"rows": 2, "labels": {"output": 1, "outcome": 1}}


@pytest.mark.parametrize("command", [[], ["classify"], ["train"], ["evaluate"], ["corpus"], ["corpus", "check"], ["corpus", "stats"], ["insights"], ["gap"], ["report"]])
def test_every_command_has_help(runner, command):
    result = runner.invoke(main, [*command, "--help"])
    assert result.exit_code == 0 and "Usage:" in result.output


HEAVY = ("torch", "sentence_transformers", "spacy", "transformers", "sklearn")


def test_import_and_help_stay_light():
    check = f"import sys, motive, motive.cli; heavy = [m for m in {HEAVY!r} if m in sys.modules]; print(heavy)"
    assert subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, check=True).stdout.strip() == "[]"
    check_help = (
        "import sys; from click.testing import CliRunner; from motive.cli import main; "
        "CliRunner().invoke(main, ['classify', '--help']); "
        f"print([m for m in {HEAVY!r} if m in sys.modules])"
    )
    assert subprocess.run([sys.executable, "-c", check_help], capture_output=True, text=True, check=True).stdout.strip() == "[]"


def test_an_interviewer_missing_from_one_file_skips_only_that_file(runner, model_folder, tmp_path):
    folder = tmp_path / "calls"
    folder.mkdir()
    (folder / "a.txt").write_text(TRANSCRIPT)
    (folder / "b.txt").write_text(TRANSCRIPT.replace("Interviewer:", "Dana:"))
    result = runner.invoke(main, ["classify", str(folder), "--model", str(model_folder), "--interviewer", "Dana"])
    assert result.exit_code == 3, result.output
    assert [json.loads(line)["source"] for line in result.stdout.splitlines()] == [str(folder / "b.txt")]
    assert f"{folder / 'a.txt'}: no speaker is labelled 'Dana'" in result.stderr


def test_each_interviewer_is_named_with_the_option(runner, model_folder, tmp_path):
    call = tmp_path / "call.txt"
    call.write_text(TRANSCRIPT.replace("Customer:", "Dana:"))
    result = runner.invoke(main, ["classify", str(call), "--model", str(model_folder), "--interviewer", "Interviewer", "--interviewer", "Dana"])
    assert result.exit_code == 3 and "every speaker is named as an interviewer: nobody answers" in result.stderr
    result = runner.invoke(main, ["classify", str(call), "--model", str(model_folder), "--interviewer", "Dana", "-q"])
    assert result.exit_code == 0 and json.loads(result.stdout)["interviewers"] == ["Dana"]


def test_a_corpus_mistake_points_at_corpus_check(runner, model_folder, tmp_path):
    broken = tmp_path / "broken.txt"
    broken.write_text("---\nid: broken\ninterviewer: Q\n---\nQ: Why?\n@root\nA: Price.\n@outptu\n")
    result = runner.invoke(main, ["evaluate", str(broken), "--model", str(model_folder)])
    assert result.exit_code == 1
    assert result.output.strip() == (f"Error: {broken}:8: '@outptu' after an answer; expected one of output, outcome, none "
                                     "(did you mean @output?) (motive stops at the first problem; 'motive corpus check PATH...' lists them all)")


def test_train_checks_its_eval_data_before_training_and_says_when_it_was_trained_on(runner, tmp_path):
    broken = tmp_path / "held-out.csv"
    broken.write_text("text,label\nCheaper per seat.,output\nMore money left.,benfit\n")
    result = runner.invoke(main, ["train", str(CORPUS), "-o", str(tmp_path / "m"), "--embedding-model", "hashing-256", "--eval", str(broken)])
    assert result.exit_code == 1 and "held-out.csv:3: label 'benfit'" in result.output
    assert "fitting" not in result.stderr and not (tmp_path / "m").exists()  # stopped before any training

    seen = sorted(CORPUS.glob("*.txt"))[0]
    result = runner.invoke(main, ["train", str(CORPUS), "-o", str(tmp_path / "m"), "--embedding-model", "hashing-256", "--eval", str(seen)])
    assert result.exit_code == 0, result.output
    assert f"warning: the --eval data is all training data ({seen}): its figures are not held out\n" in result.stderr
    config = json.loads((tmp_path / "m" / "config.json").read_text())
    assert config["metrics"]["trained_on"] == [str(seen)]
    reworded = tmp_path / "reworded" / "again.txt"  # the same id, its answers said otherwise: known by its id alone
    reworded.parent.mkdir()
    reworded.write_text(seen.read_text().replace(" the ", " a "))
    result = runner.invoke(main, ["train", str(CORPUS), "-o", str(tmp_path / "m-id"), "--embedding-model", "hashing-256", "--eval", str(reworded)])
    assert result.exit_code == 0 and json.loads((tmp_path / "m-id" / "config.json").read_text())["metrics"]["trained_on"] == [str(reworded)]
    card = (tmp_path / "m" / "MODEL_CARD.md").read_text()
    assert "these figures are not held out" in card and "(not trained on)" not in card

    renamed = tmp_path / "held-out" / "renamed.txt"  # a training interview under another name and id
    renamed.parent.mkdir()
    renamed.write_text(seen.read_text().replace(f"id: {seen.stem}\n", "id: renamed\n"))
    shutil.copy(sorted(CORPUS.glob("*.txt"))[1], renamed.parent / "other.txt")
    (renamed.parent / "other.txt").write_text((renamed.parent / "other.txt").read_text().replace("\nid: ", "\nid: other-"))
    result = runner.invoke(main, ["train", *sorted(map(str, CORPUS.glob("*.txt")))[2:], str(seen), "-o", str(tmp_path / "m4"),
                                  "--embedding-model", "hashing-256", "--eval", str(renamed.parent)])
    assert result.exit_code == 0 and f"warning: the --eval data is partly training data ({renamed}): its figures" in result.stderr

    rows = tmp_path / "rows.csv"  # a copy of training rows under another name
    rows.write_text("text,label\nCheaper per seat every month.,output\nMore money left over for us.,outcome\nThank you.,none\n")
    copy = tmp_path / "copy.csv"
    copy.write_text(rows.read_text())
    result = runner.invoke(main, ["train", str(CORPUS), str(rows), "-o", str(tmp_path / "m2"), "--embedding-model", "hashing-256", "--eval", str(copy)])
    assert "partly training data (2 of its 3 text,label rows say word for word what the training data says)" in result.stderr
    result = runner.invoke(main, ["train", str(CORPUS), str(rows), "-o", str(tmp_path / "m5"), "--embedding-model", "hashing-256", "--eval", str(rows)])
    assert f"warning: the --eval data is all training data ({rows})" in result.stderr

    (tmp_path / "empty").mkdir()
    result = runner.invoke(main, ["train", str(CORPUS), "-o", str(tmp_path / "m3"), "--embedding-model", "hashing-256", "--eval", str(tmp_path / "empty")])
    assert result.exit_code == 1 and "nothing to score in --eval" in result.output and "fitting" not in result.stderr


def test_an_embedding_model_folder_is_recorded_where_it_is_and_a_missing_one_named(runner, tmp_path, monkeypatch):
    from motive.embed import SentenceTransformerEmbedder
    from motive.errors import ModelError

    (tmp_path / "emb").mkdir()
    monkeypatch.chdir(tmp_path)
    assert SentenceTransformerEmbedder("emb").name == str(tmp_path / "emb")
    with pytest.raises(ModelError, match=r"there is no folder emb/nope .from .*, and no model of that name in this machine's Hugging Face cache"):
        SentenceTransformerEmbedder("emb/nope").dimension
    result = runner.invoke(main, ["train", str(CORPUS), "-o", str(tmp_path / "m"), "--embedding-model", "emb/nope"])
    assert result.exit_code == 1 and "there is no folder emb/nope" in result.output and "splitting" not in result.stderr


def test_output_to_a_device_a_pipe_or_a_link_is_written_to_not_replaced(runner, model_folder, tmp_path):
    import os
    import threading

    link, real = tmp_path / "latest.jsonl", tmp_path / "real.jsonl"
    real.write_text("old")
    link.symlink_to(real)
    assert runner.invoke(main, ["classify", str(CORPUS / "cabinets.txt"), "--model", str(model_folder), "-o", str(link), "-q"]).exit_code == 0
    assert link.is_symlink() and json.loads(real.read_text())["source"].endswith("cabinets.txt")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_text()))
    reader.start()
    result = runner.invoke(main, ["classify", str(CORPUS / "cabinets.txt"), "--model", str(model_folder), "-o", str(fifo), "-q"])
    reader.join(60)
    assert result.exit_code == 0 and fifo.is_fifo() and json.loads(got[0])["source"].endswith("cabinets.txt")
    assert not list(tmp_path.glob(".pipe*"))  # no journal beside a pipe


def test_results_written_beside_the_transcripts_are_left_out_when_run_again(runner, model_folder, tmp_path):
    """``classify calls/ -o calls/results.json``, run again, writes it again; an earlier run's results table
    found in the folder is not a bad file (exit 0), while a transcript named by -o is still refused."""
    calls = tmp_path / "calls"
    calls.mkdir()
    (calls / "call.txt").write_text(TRANSCRIPT)
    for output in ("results.json", "results.txt", "results.json"):
        result = runner.invoke(main, ["classify", str(calls), "--model", str(model_folder), "-o", str(calls / output)])
        assert result.exit_code == 0, result.output
    assert f"{calls / 'results.json'} holds the results of an earlier run: not read, written again" in result.stderr
    assert f"1 results file of motive left out (not transcripts; name one to read its results): {calls / 'results.txt'}" in result.stderr
    assert [r["source"] for r in json.loads((calls / "results.json").read_text())] == [str(calls / "call.txt")]
    refused = runner.invoke(main, ["classify", str(calls), "--model", str(model_folder), "-o", str(calls / "call.txt")])
    assert refused.exit_code == 2 and "is one of the files to read" in refused.stderr
