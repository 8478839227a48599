"""The Dask engine: the single-process results file by file, resumable after a killed worker.

The clusters are local (two worker processes) and the model is the small hashing
one, so these tests need no GPU and no network; they skip when dask is not installed.
"""

import json
import os
import shutil
import sys

import pytest
from click.testing import CliRunner

from motive.cli import main
from motive.distributed import INSTALL_HINT, MANIFEST_FILE, classify_on_dask, plan_shards
from motive.errors import MotiveError
from tests.conftest import CORPUS
from tests.test_pipeline import TRANSCRIPT

try:
    import dask
    from dask.distributed import Client, LocalCluster, WorkerPlugin
except ImportError:  # the extra is not installed: only the install-hint test runs
    dask = None
    WorkerPlugin = object

needs_dask = pytest.mark.skipif(dask is None, reason="needs the dask extra: pip install -e '.[dask]'")
DOOMED = "doomed.txt"


class KillWhenArmed(WorkerPlugin):
    """In every worker process: a shard holding ``doomed.txt`` kills its worker while ``armed`` exists."""

    def __init__(self, armed: str):
        self.armed = armed

    def setup(self, worker):
        import motive.pipeline

        classify_many, armed = motive.pipeline.classify_many, self.armed

        def dying(paths, **options):
            paths = list(paths)
            if os.path.exists(armed) and any(os.path.basename(p) == DOOMED for p in paths):
                os._exit(1)
            return classify_many(paths, **options)

        motive.pipeline.classify_many = dying


@pytest.fixture(scope="module")
def model_folder(model_folder, tmp_path_factory):
    """The small model with spaCy's rule-based sentencizer, which workers load in a moment."""
    folder = tmp_path_factory.mktemp("models") / "sentencizer"
    shutil.copytree(model_folder, folder)
    config = json.loads((folder / "config.json").read_text())
    (folder / "config.json").write_text(json.dumps({**config, "sentence_splitter": "sentencizer"}))
    return folder


@pytest.fixture(scope="module")
def armed(tmp_path_factory):
    return tmp_path_factory.mktemp("kill") / "armed"


@pytest.fixture(scope="module")
def scheduler(armed):
    """A two-worker local cluster that gives up on a task at its first dead worker."""
    with dask.config.set({"distributed.scheduler.allowed-failures": 0}):
        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=50)
    with cluster:
        with Client(cluster) as client:
            client.register_plugin(KillWhenArmed(str(armed)))
        yield cluster.scheduler_address


@pytest.fixture
def calls(tmp_path):
    """Nine transcripts (one nested) and one empty file, which every engine skips."""
    folder = tmp_path / "calls"
    (folder / "nested").mkdir(parents=True)
    for path in CORPUS.glob("*.txt"):
        shutil.copy(path, folder / path.name)
    for city in ("Osaka", "Lyon", "Porto"):
        (folder / f"{city.lower()}.txt").write_text(TRANSCRIPT.replace("Osaka", city))
    (folder / "nested" / "quito.txt").write_text(TRANSCRIPT.replace("Osaka", "Quito"))
    (folder / "empty.txt").write_text("")
    return folder


def single_process(model_folder, paths):
    """What one process gives: results keyed by source."""
    from motive.model import load_model
    from motive.pipeline import classify_many

    return {r.source: r.to_dict() for r in classify_many(paths, model=load_model(model_folder))}


def test_shards_depend_only_on_the_files():
    shards = plan_shards(["b.txt", "a.txt", "c.txt"], 2)
    assert [s.part for s in shards] == ["part-00000.jsonl", "part-00001.jsonl"]
    assert [s.id for s in shards] == [s.id for s in plan_shards(["c.txt", "a.txt", "b.txt"], 2)]
    assert plan_shards(["a.txt", "b2.txt", "c.txt"], 2)[0].id != shards[0].id
    with pytest.raises(ValueError, match="shard_size=0"):
        plan_shards(["a.txt"], 0)


@needs_dask
def test_a_local_cluster_gives_the_single_process_results_file_by_file(model_folder, calls, tmp_path):
    files = sorted(calls.rglob("*.txt"))
    manifest = classify_on_dask(files, tmp_path / "out", model_path=model_folder, workers=2, shard_size=3)
    assert manifest.complete and manifest.ran == [0, 1, 2, 3] and manifest.reused == []
    expected = single_process(model_folder, files)
    results = list(manifest.results())
    assert {r["source"]: r for r in results} == {s: r for s, r in expected.items() if r["error"] is None}
    assert len(results) == len(expected) - 1  # no duplicates; the empty file is skipped
    assert manifest.summary().skipped == [(str(calls / "empty.txt"), "is empty")]
    assert manifest.precisions_used == []  # the test model's embedder has no precision


def test_a_file_named_by_two_paths_is_in_one_shard_once(tmp_path):
    (tmp_path / "a.txt").write_text("Q: Why?\nA: Price.")
    (tmp_path / "b.txt").symlink_to(tmp_path / "a.txt")
    (tmp_path / "c.txt").write_text("Q: Why?\nA: Speed.")
    shards = plan_shards([tmp_path / "c.txt", tmp_path / "b.txt", tmp_path / "a.txt"], 10)
    assert shards[0].sources == (str(tmp_path / "a.txt"), str(tmp_path / "c.txt"))


def test_parts_made_at_different_precisions_are_told_apart(tmp_path):
    from motive.distributed import Manifest

    parts = [{"precision_used": "bf16"}, {"precision_used": "fp32"}, {"precision_used": "auto"}, {}]
    assert Manifest(tmp_path, {}, parts=parts).precisions_used == ["bf16", "fp32"]
    assert Manifest(tmp_path, {}, parts=parts[1:]).precisions_used == ["fp32"]


@needs_dask
def test_resume_after_a_killed_worker_loses_and_repeats_nothing(model_folder, calls, tmp_path, scheduler, armed):
    (calls / DOOMED).write_text(TRANSCRIPT.replace("Osaka", "Accra"))
    files = sorted(calls.rglob("*.txt"))
    doomed = next(s.index for s in plan_shards(files, 2) if str(calls / DOOMED) in s.sources)
    out = tmp_path / "out"

    armed.touch()
    try:
        first = classify_on_dask(files, out, model_path=model_folder, scheduler=scheduler, shard_size=2)
    finally:
        armed.unlink()
    lost = [m["shard"] for m in first.missing]
    assert not first.complete and doomed in lost and len(lost) < 6
    assert not (out / f"part-{doomed:05d}.jsonl").exists()
    assert json.loads((out / MANIFEST_FILE).read_text())["complete"] is False
    assert "worker died" in next(m["problem"] for m in first.missing if m["shard"] == doomed)

    second = classify_on_dask(files, out, model_path=model_folder, scheduler=scheduler, shard_size=2)
    assert second.complete and second.ran == lost and second.reused == [i for i in range(6) if i not in lost]
    sources = [r["source"] for r in second.results()]
    assert len(sources) == len(set(sources)) == len(files) - 1
    expected = single_process(model_folder, files)
    assert {r["source"]: r for r in second.results()} == {s: r for s, r in expected.items() if r["error"] is None}
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == []  # no temporary file of the killed task


@needs_dask
def test_the_cli_writes_parts_and_a_manifest_and_resumes(model_folder, calls, tmp_path, scheduler, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    single = runner.invoke(main, ["classify", "calls", "--model", str(model_folder), "-o", "single.jsonl"])
    command = ["classify", "calls", "--model", str(model_folder), "--engine", "dask", "-o", "out", "--scheduler", scheduler, "--shard-size", "3"]
    result = runner.invoke(main, command)
    assert result.exit_code == single.exit_code == 3, result.output
    assert "skipped calls/empty.txt: is empty" in result.stderr and "Traceback" not in result.output
    assert "9 transcripts" in result.stderr and "4 parts in out (0 from an earlier run)" in result.stderr

    out = tmp_path / "out"
    manifest = json.loads((out / MANIFEST_FILE).read_text())
    assert manifest["complete"] and manifest["files"] == 10 and manifest["missing"] == []
    assert manifest["settings"]["model_sha256"] and manifest["settings"]["shard_size"] == 3
    parts = manifest["parts"]
    assert [p["part"] for p in parts] == sorted(p.name for p in out.glob("part-*.jsonl"))
    from motive.embed import sha256_file

    assert all(p["sha256"] == sha256_file(out / p["part"]) for p in parts)
    assert sorted(f for p in parts for f in p["files"]) == sorted(str(f.relative_to(tmp_path)) for f in calls.rglob("*.txt"))
    assert [s for p in parts for s in p["skipped"]] == [{"source": "calls/empty.txt", "problem": "is empty"}]
    assert sum(p["transcripts"] for p in parts) == 9
    records = [json.loads(line) for p in parts for line in (out / p["part"]).read_text().splitlines()]
    single_records = [json.loads(line) for line in (tmp_path / "single.jsonl").read_text().splitlines()]
    assert sorted(records, key=lambda r: r["source"]) == sorted(single_records, key=lambda r: r["source"])

    written = {p: p.stat().st_mtime_ns for p in out.iterdir()}
    again = runner.invoke(main, command)
    assert again.exit_code == 3 and "4 parts in out (4 from an earlier run)" in again.stderr
    assert {p: p.stat().st_mtime_ns for p in out.glob("part-*")} == {p: t for p, t in written.items() if p.name.startswith("part-")}


@needs_dask
def test_a_folder_started_with_another_model_is_refused(model_folder, tmp_path):
    out = tmp_path / "out"
    classify_on_dask([], out, model_path=model_folder)  # nothing to classify: only the manifest is written
    other = tmp_path / "other-model"
    shutil.copytree(model_folder, other)
    config = json.loads((other / "config.json").read_text())
    config["sentence_splitter"] = "parser" if config.get("sentence_splitter") != "parser" else "senter"  # splits sentences otherwise
    (other / "config.json").write_text(json.dumps(config))
    with pytest.raises(MotiveError, match="holds results made with other settings .*model_sha256"):
        classify_on_dask([], out, model_path=other)
    result = CliRunner().invoke(main, ["classify", str(tmp_path), "--model", str(other), "--engine", "dask", "-o", str(out)])
    assert result.exit_code == 1 and "other settings" in result.output and "Traceback" not in result.output


def test_dask_options_are_checked(model_folder, calls):
    runner = CliRunner()
    for extra in ([], ["-o", "out", "--format", "csv"], ["-o", "out", "--workers", "2", "--scheduler", "tcp://x:8786"]):
        result = runner.invoke(main, ["classify", str(calls), "--model", str(model_folder), "--engine", "dask", *extra])
        assert result.exit_code == 2 and "Traceback" not in result.output
    assert runner.invoke(main, ["classify", str(calls), "--model", str(model_folder), "--workers", "2"]).exit_code == 2


def test_without_dask_the_engine_says_how_to_install_it(model_folder, calls, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "dask", None)  # makes "import dask.distributed" raise ImportError
    monkeypatch.setitem(sys.modules, "dask.distributed", None)
    result = CliRunner().invoke(main, ["classify", str(calls), "--model", str(model_folder), "--engine", "dask", "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: {INSTALL_HINT}"
    single = CliRunner().invoke(main, ["classify", str(calls), "--model", str(model_folder), "-q"])
    assert single.exit_code == 3 and len(single.stdout.splitlines()) == 9  # the single-process engine needs no dask


def test_a_worker_refuses_a_model_folder_that_is_not_the_runs(model_folder):
    from motive.distributed import model_fingerprint, worker_model

    with pytest.raises(MotiveError, match="is not the model this run started with"):
        worker_model(str(model_folder), "0" * 64, None)
    sha = model_fingerprint(model_folder)
    assert worker_model(str(model_folder), sha, None) is worker_model(str(model_folder), sha, None)  # loaded once
    assert worker_model(str(model_folder), sha, "cpu") is not worker_model(str(model_folder), sha, None)  # device goes to load_model


def test_importing_motive_does_not_import_dask():
    import subprocess

    check = "import sys, motive, motive.cli, motive.distributed; motive.classify_on_dask; print('dask' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, check=True).stdout.strip() == "False"
