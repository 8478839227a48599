"""Big batches: a run killed part-way leaves no output that looks complete, and
``--resume`` finishes it with exactly the results of an uninterrupted run."""

import json
import shutil
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from motive.cli import main
from motive.journal import JOURNAL_VERSION, RunJournal, journal_line, journal_path, journal_settings
from motive.model import load_model
from motive.pipeline import classify_many
from motive.transcripts import find_transcripts
from tests.test_pipeline import TRANSCRIPT

CITIES = ["Osaka", "Lyon", "Porto", "Leeds", "Graz", "Turin", "Ghent", "Malmo", "Cork", "Brno"]


@pytest.fixture
def batch(tmp_path):
    """150 transcripts, one unreadable."""
    folder = tmp_path / "calls"
    for index in range(150):
        part = folder / f"part-{index // 50}"
        part.mkdir(parents=True, exist_ok=True)
        text = TRANSCRIPT.replace("Osaka", CITIES[index % len(CITIES)]).replace("Fine, thanks.", f"Fine, thanks, call {index}.")
        (part / f"call-{index:03}.txt").write_text(text)
    (folder / "part-1" / "broken.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    return folder


def command(folder, model_folder, out, *extra):
    return [sys.executable, "-m", "motive", "classify", str(folder), "--model", str(model_folder), "-o", str(out), "-q", *extra]


def kill_part_way(args, journal: Path, min_records: int = 20, signum: int = signal.SIGKILL) -> int:
    """Start a run and kill it (SIGKILL: no clean-up at all) once the journal holds some
    results; its exit status."""
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if journal.exists() and journal.read_bytes().count(b"\n") > min_records:
            os.kill(process.pid, signum)
            break
        time.sleep(0.005)
    process.wait()
    assert process.returncode in (-signum, 128 + signum), "the run finished before it could be killed"
    return process.returncode


def test_a_killed_run_resumes_to_the_uninterrupted_output(batch, model_folder, tmp_path):
    fmt = "jsonl"
    whole = tmp_path / f"whole.{fmt}"
    finished = subprocess.run(command(batch, model_folder, whole, "--format", fmt), capture_output=True, text=True)
    assert finished.returncode == 3, finished.stderr  # the broken file is skipped
    assert not journal_path(whole).exists()

    out = tmp_path / f"resumed.{fmt}"
    kill_part_way(command(batch, model_folder, out, "--format", fmt), journal_path(out))
    assert not out.exists(), "a killed run must not leave an output file that looks complete"
    done_before = journal_path(out).read_bytes().count(b"\n") - 1
    assert 0 < done_before < 151

    resumed = subprocess.run(command(batch, model_folder, out, "--format", fmt, "--resume"), capture_output=True, text=True)
    assert resumed.returncode == 3, resumed.stderr
    assert out.read_bytes() == whole.read_bytes()
    assert not journal_path(out).exists()
    if fmt == "jsonl":
        sources = [json.loads(line)["source"] for line in out.read_text().splitlines()]
        assert len(sources) == len(set(sources)) == 150


def test_sigterm_stops_a_run_as_ctrl_c_does(batch, model_folder, tmp_path):
    out = tmp_path / "results.jsonl"
    status = kill_part_way(command(batch, model_folder, out), journal_path(out), signum=signal.SIGTERM)
    assert status == 128 + signal.SIGTERM
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["calls", journal_path(out).name])
    resumed = subprocess.run(command(batch, model_folder, out, "--resume"), capture_output=True, text=True)
    assert resumed.returncode == 3, resumed.stderr
    assert len(out.read_text().splitlines()) == 150


def test_sigterm_during_the_final_write_leaves_no_temporary_file(tmp_path):
    out = tmp_path / "results.jsonl"
    script = (
        "import os, signal, sys, time\n"
        "from pathlib import Path\n"
        "from motive.cli import terminate_as_exit\n"
        "from motive.output import atomic_output\n"
        "with terminate_as_exit(), atomic_output(Path(sys.argv[1]), sys.stdout) as stream:\n"
        "    stream.write('half a result')\n"
        "    os.kill(os.getpid(), signal.SIGTERM)\n"
        "    time.sleep(30)\n"
    )
    finished = subprocess.run([sys.executable, "-c", script, str(out)], capture_output=True, text=True, timeout=60)
    assert finished.returncode == 128 + signal.SIGTERM, finished.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_line_cut_off_mid_write_is_redone(batch, model_folder, tmp_path):
    """A journal as a killed run leaves it: a header, whole records, half a record."""
    runner = CliRunner()
    files = find_transcripts([batch])
    whole = tmp_path / "whole.csv"
    runner.invoke(main, ["classify", str(batch), "--model", str(model_folder), "-o", str(whole), "-q", "-f", "csv"])

    out = tmp_path / "out.csv"
    write_journal(out, files, model_folder, cut_after=7)

    result = runner.invoke(main, ["classify", str(batch), "--model", str(model_folder), "-o", str(out), "-q", "-f", "csv", "--resume"])
    assert result.exit_code == 3, result.output
    assert out.read_bytes() == whole.read_bytes()


def write_journal(out: Path, files: list[Path], model_folder: Path, cut_after: int) -> None:
    """A journal as a killed run leaves it: the header, ``cut_after`` whole results of ``files``, half of the next."""
    records = [journal_line(r) for r in classify_many(files[: cut_after + 1], model=load_model(model_folder))]
    header = {"journal": JOURNAL_VERSION, "settings": journal_settings(load_model(model_folder), interviewer=None, max_bytes=20 * 1024 * 1024)}
    journal_path(out).write_text(json.dumps(header) + "\n" + "".join(records[:cut_after]) + records[cut_after][:25])


def test_a_transcript_changed_since_the_killed_run_is_classified_again(batch, model_folder, tmp_path):
    runner = CliRunner()
    files = find_transcripts([batch])
    out = tmp_path / "out.jsonl"
    write_journal(out, files, model_folder, cut_after=7)
    changed = files[2]
    changed.write_text(changed.read_text().replace("Japanese and German", "Korean and Polish"))
    os.utime(changed, ns=(time.time_ns(), time.time_ns() + 10**9))  # a new version even on a coarse clock
    whole = tmp_path / "whole.jsonl"
    runner.invoke(main, ["classify", str(batch), "--model", str(model_folder), "-o", str(whole), "-q"])

    result = runner.invoke(main, ["classify", str(batch), "--model", str(model_folder), "-o", str(out), "-q", "--resume"])
    assert result.exit_code == 3, result.output
    assert out.read_bytes() == whole.read_bytes()
    assert "Korean and Polish" in out.read_text()


def test_a_resumed_run_writes_the_transcripts_its_folder_holds_now(batch, model_folder, tmp_path):
    runner = CliRunner()
    folder = tmp_path / "copy"
    shutil.copytree(batch, folder)
    files = find_transcripts([folder])
    out = tmp_path / "out.jsonl"
    write_journal(out, files, model_folder, cut_after=7)
    files[1].unlink()  # classified before the run was killed, gone since
    shutil.copy(files[0], folder / "zz-new.txt")  # added since
    whole = tmp_path / "whole.jsonl"
    runner.invoke(main, ["classify", str(folder), "--model", str(model_folder), "-o", str(whole), "-q"])
    result = runner.invoke(main, ["classify", str(folder), "--model", str(model_folder), "-o", str(out), "-q", "--resume"])
    assert result.exit_code == 3, result.output
    assert out.read_bytes() == whole.read_bytes() and str(folder / "zz-new.txt") in out.read_text()


def test_a_temporary_file_left_by_a_kill_during_the_final_write_goes_with_the_next_run(batch, model_folder, tmp_path):
    out = tmp_path / "out.jsonl"
    write_journal(out, find_transcripts([batch]), model_folder, cut_after=7)
    stale = tmp_path / ".out.jsonl.k3j9x2_a.part"  # as atomic_output names it
    stale.write_text('{"source": "half a resu')
    others = [tmp_path / ".other.jsonl.k3j9x2_a.part", tmp_path / ".out.jsonl.csv.k3j9x2_a.part", tmp_path / ".out.jsonl.my notes.part"]
    for other in others:
        other.write_text("not this run's")
    result = CliRunner().invoke(main, ["classify", str(batch), "--model", str(model_folder), "-o", str(out), "-q", "--resume"])
    assert result.exit_code == 3, result.output
    assert not stale.exists() and all(other.exists() for other in others) and out.exists()


def test_a_file_that_failed_unforeseen_is_tried_again_on_resume(batch, model_folder, tmp_path):
    from motive.results import Result

    files = find_transcripts([batch])
    out = tmp_path / "out.jsonl"
    write_journal(out, files, model_folder, cut_after=3)
    lines = journal_path(out).read_text().splitlines(keepends=True)
    failed = Result(str(files[0]), error="could not be classified (RuntimeError: out of memory)")
    journal_path(out).write_text(lines[0] + journal_line(failed) + "".join(lines[2:4]))  # file 0 failed, 1 and 2 done
    whole = tmp_path / "whole.jsonl"
    CliRunner().invoke(main, ["classify", str(batch), "--model", str(model_folder), "-o", str(whole), "-q"])
    result = CliRunner().invoke(main, ["classify", str(batch), "--model", str(model_folder), "-o", str(out), "-q", "--resume"])
    assert result.exit_code == 3, result.output
    assert out.read_bytes() == whole.read_bytes() and "could not be classified" not in result.stderr


def test_resume_refuses_a_run_with_other_settings(batch, model_folder, tmp_path):
    out = tmp_path / "out.jsonl"
    kill_part_way(command(batch, model_folder, out), journal_path(out))
    result = CliRunner().invoke(
        main, ["classify", str(batch), "--model", str(model_folder), "-o", str(out), "--resume", "--interviewer", "Customer"]
    )
    assert result.exit_code == 1
    assert f"cannot resume {out}: the unfinished run had other interviewer" in result.stderr
    assert "Traceback" not in result.output


def test_resume_refuses_a_run_of_another_version_of_motive(batch, model_folder, tmp_path, monkeypatch):
    import motive

    out = tmp_path / "out.jsonl"
    write_journal(out, sorted(batch.rglob("call-*.txt")), model_folder, cut_after=3)
    monkeypatch.setattr(motive, "__version__", "99.0")
    result = CliRunner().invoke(main, ["classify", str(batch), "--model", str(model_folder), "-o", str(out), "--resume"])
    assert result.exit_code == 1 and f"cannot resume {out}: the unfinished run had other motive" in result.stderr


def test_starting_over_says_so(batch, model_folder, tmp_path):
    out = tmp_path / "out.jsonl"
    kill_part_way(command(batch, model_folder, out), journal_path(out))
    result = CliRunner().invoke(main, ["classify", str(batch), "--model", str(model_folder), "-o", str(out)])
    assert result.exit_code == 3
    assert "starting over" in result.stderr
    assert len(out.read_text().splitlines()) == 150


def test_resume_needs_an_output_file(batch, model_folder):
    no_file = CliRunner().invoke(main, ["classify", str(batch), "--model", str(model_folder), "--resume"])
    assert no_file.exit_code == 2 and "--resume" in no_file.stderr


def test_resume_without_an_unfinished_run_classifies_everything(batch, model_folder, tmp_path):
    out = tmp_path / "out.jsonl"
    args = ["classify", str(batch), "--model", str(model_folder), "-o", str(out), "--resume"]
    runs = [CliRunner().invoke(main, args) for _ in range(2)]  # no run before, then one that finished
    for run in runs:
        assert run.exit_code == 3, run.stderr  # the batch holds files that are skipped
        assert f"no unfinished run writes {out}: classifying every transcript" in run.stderr
        assert "Traceback" not in run.output
    complete = CliRunner().invoke(main, ["classify", str(batch), "--model", str(model_folder), "-o", str(tmp_path / "plain.jsonl")])
    assert out.read_text() == (tmp_path / "plain.jsonl").read_text()
    assert complete.exit_code == 3 and not journal_path(out).exists()


def test_a_damaged_journal_is_one_clear_line(tmp_path):
    journal = RunJournal(journal_path(tmp_path / "out.jsonl"), {"model": "x"})
    journal.path.write_bytes(b"\x00\x01garbage\n")
    with pytest.raises(Exception, match="is damaged; run again without --resume"):
        journal.resume()

