"""The --device and --precision options, and the benchmark and analysis scripts on a tiny run (no real model)."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from motive.cli import main
from motive.embed import (
    DEFAULT_EMBEDDING_MODEL,
    SentenceTransformerEmbedder,
    batch_tokens,
    bucket_batch_size,
    cpu_has_native_bf16,
    length_bucket,
    resolve_device,
    resolve_precision,
)
from motive.errors import ModelError

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "tent-purchase.txt"


def test_auto_device_is_cuda_only_when_torch_sees_a_gpu():
    assert resolve_device("auto", cuda_available=True) == "cuda"
    assert resolve_device("auto", cuda_available=False) == "cpu"
    assert resolve_device("cpu", cuda_available=True) == "cpu"


def test_cuda_without_a_gpu_is_one_clear_error():
    with pytest.raises(ModelError, match="no CUDA GPU"):
        resolve_device("cuda", cuda_available=False)
    with pytest.raises(ValueError, match="tpu"):
        resolve_device("tpu", cuda_available=True)


@pytest.mark.parametrize(
    "precision, device, native, model, expected",
    [
        ("auto", "cpu", True, DEFAULT_EMBEDDING_MODEL, "bf16"),
        ("auto", "cpu", False, DEFAULT_EMBEDDING_MODEL, "fp32"),
        ("auto", "cuda", False, DEFAULT_EMBEDDING_MODEL, "bf16"),
        ("auto", "cpu", True, "some/other-model", "fp32"),  # bf16 labels not checked for it
        ("fp32", "cuda", True, DEFAULT_EMBEDDING_MODEL, "fp32"),
        ("bf16", "cpu", False, "some/other-model", "bf16"),
    ],
)
def test_auto_precision_picks_bf16_only_where_native_and_checked(precision, device, native, model, expected):
    assert resolve_precision(precision, device=device, native_bf16=native, model=model) == expected


def test_unknown_precision_is_refused():
    with pytest.raises(ValueError, match="fp16"):
        resolve_precision("fp16", device="cpu", native_bf16=True, model=DEFAULT_EMBEDDING_MODEL)
    with pytest.raises(ValueError, match="fp16"):
        SentenceTransformerEmbedder(precision="fp16")


def test_native_bf16_is_read_from_cpu_flags():
    assert cpu_has_native_bf16("flags : fpu avx2 avx512f avx512_bf16 avx512_vnni")
    assert cpu_has_native_bf16("flags : fpu amx_bf16 amx_tile")
    assert not cpu_has_native_bf16("flags : fpu avx2 avx512f")


def test_batch_shapes_depend_only_on_a_texts_length():
    assert [length_bucket(n) for n in (1, 8, 9, 13, 256)] == [8, 8, 12, 16, 256]
    assert all(bucket_batch_size(b) * b <= 512 for b in (8, 64, 256))
    assert bucket_batch_size(10_000) == 1


def test_a_gpu_gets_larger_batches_than_a_cpu():
    assert batch_tokens("cuda") >= 16 * batch_tokens("cpu")
    assert all(bucket_batch_size(b, batch_tokens("cuda")) * b <= batch_tokens("cuda") for b in (8, 64, 256))


def test_cli_refuses_an_unknown_precision(model_folder):
    result = CliRunner().invoke(main, ["classify", str(EXAMPLE), "--model", str(model_folder), "--precision", "fp8"])
    assert result.exit_code == 2 and "fp8" in result.output


def test_cli_accepts_device_and_precision(model_folder):
    result = CliRunner().invoke(main, ["classify", str(EXAMPLE), "--model", str(model_folder), "--device", "cpu", "--precision", "fp32", "-q"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output.splitlines()[0])["answers"]


def test_cli_asked_for_a_missing_gpu_says_so_in_one_line(model_folder):
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has a GPU")
    result = CliRunner().invoke(main, ["classify", str(EXAMPLE), "--model", str(model_folder), "--device", "cuda"])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == ["Error: device cuda was asked for, but torch sees no CUDA GPU on this machine; use device cpu or auto (--device on the command line)"]


def script(name: str):
    """A benchmark script imported as a module, so its smoke test runs in this process."""
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_the_speed_benchmark_runs_on_a_tiny_batch(model_folder, tmp_path):
    figures = script("bench_speed").main(["--only", "throughput", "--transcripts", "3", "--model", str(model_folder)])
    assert figures["throughput"]["transcripts"] == 3 and figures["throughput"]["answers"] > 0
    assert figures["throughput"]["label_agreement_fp32_vs_bf16"] == 1.0  # the hashing embedder has no precision
    assert all(rate > 0 for rate in figures["throughput"]["answers_per_s"].values())


def test_the_feed_benchmark_takes_the_models_layers_away_and_keeps_the_results(model_folder):
    figures = script("bench_speed").main(["--only", "feed", "--transcripts", "4", "--slice", "2", "--model", str(model_folder)])
    feed = figures["feed"]
    assert feed["answers"] > 0 and feed["same results"] is True
    assert all(rate > 0 for rate in feed["answers_per_s"].values())


def test_generated_transcripts_differ_in_every_answer(tmp_path):
    from motive.transcripts import read_file

    bench = script("bench_speed")
    paths = bench.generate(2, tmp_path / "full", seed=5)
    small = bench.generate(2, tmp_path / "small", seed=5, small=True)
    assert len(read_file(small[0]).turns) == 4
    assert read_file(paths[0]).turns[1].text != read_file(paths[1]).turns[1].text


def test_the_accuracy_benchmark_runs_on_a_tiny_corpus(model_folder, capsys):
    corpus = ROOT / "tests" / "data" / "corpus"
    report = script("bench_accuracy").main([str(corpus), "--train", str(corpus), "--model", str(model_folder), "--rounds", "20"])
    assert set(report["systems"]) == {"motive fp32", "embeddings, no context", "tfidf + logistic regression", "keyword rules"}
    overall = report["systems"]["motive fp32"]["all"]
    assert overall["macro_f1_3way"]["low"] <= overall["macro_f1_3way"]["value"] <= overall["macro_f1_3way"]["high"]
    assert "| keyword rules | all |" in capsys.readouterr().out


def test_label_errors_counts_every_gold_answer_by_place_and_every_outcome_by_driver(model_folder, capsys):
    from motive.training import read_labelled

    corpus = ROOT / "tests" / "data" / "corpus"
    tables = script("label_errors").main(["--model", str(model_folder), "--split", str(corpus)])
    answers = [a for i in read_labelled([corpus]).interviews for a in i.answers]
    assert sum(sum(pairs.values()) for pairs in tables["place"].values()) == len(answers)
    assert sum(tables["driver"]["all outcomes"].values()) == sum(a.label == "outcome" for a in answers) > 0
    assert all(gold == "outcome" for pairs in tables["driver"].values() for gold, _ in pairs)
    assert "| the terminal why |" in capsys.readouterr().out


def test_an_answers_place_in_its_chain():
    place = script("label_errors").place_in_chain
    chains, terminals = [[1, 2, 3, 4], [6, 7]], [3, None]
    assert [place(i, chains, terminals) for i in range(8)] == [
        "outside any chain", "first answer of a chain", "before the terminal why", "the terminal why",
        "after the terminal why", "outside any chain", "in a chain without an outcome", "in a chain without an outcome",
    ]


def test_a_missed_terminal_why_is_told_by_why():
    from motive.results import Answer, Chain, Result

    miss = script("label_errors").terminal_miss

    def result(labels: str, chain_of: list, terminals: list) -> Result:
        # labels: one letter an answer (o: outcome, p: output, n: none); line i + 1 for answer i
        named = {"o": "outcome", "p": "output", "n": "none"}
        answers = [Answer("…", "Why?", "Sam", named[x], 0.9, c, ["…"], "…", line=i + 1) for i, (x, c) in enumerate(zip(labels, chain_of))]
        chains = [Chain([i for i, c in enumerate(chain_of) if c == k], t, "") for k, t in enumerate(terminals)]
        return Result("a.txt", answers=answers, chains=chains)

    lines = [1, 2, 3, 4]
    assert miss([0, 1, 2], 2, lines, result("ppon", [0, 0, 0, None], [2])) is None
    assert miss([0, 1, 2], 2, lines, result("pooo", [0, 0, 0, 0], [3])) == "the chain starts or ends elsewhere"
    assert miss([0, 1, 2], 2, lines, result("popn", [0, 0, 0, None], [1])) == "the gold terminal why is not labelled outcome"
    assert miss([0, 1, 2], None, lines, result("ppon", [0, 0, 0, None], [2])) == "an outcome is found where the gold chain reaches none"
    assert miss([0, 1, 2], 1, lines, result("pooo", [0, 0, 0, None], [2])) == "another outcome of the right chain is picked"
    assert miss([0, 1, 2], None, lines, result("pppn", [0, 0, 0, None], [None])) is None


def test_a_missed_chain_is_shown_answer_by_answer_with_both_terminals_marked():
    from types import SimpleNamespace

    from motive.results import Answer, Chain, Result

    chain_lines = script("label_errors").chain_lines
    gold = SimpleNamespace(answers=[
        SimpleNamespace(line=1, label="output", question="Why the pumps?", text="They dose by weight."),
        SimpleNamespace(line=3, label="outcome", question="Why does that matter?", text="Nobody gets caustic in the eye. " * 8),
        SimpleNamespace(line=5, label="outcome", question="And now?", text="Two years without an injury."),
    ])
    given = Result("a.txt", chains=[Chain([0, 1, 2], 2, "")], answers=[
        Answer(a.text, a.question, "Sam", label, 0.9, 0, [], "", line=a.line) for a, label in zip(gold.answers, ["output", "outcome", "outcome"])
    ])
    lines = chain_lines(gold, [0, 1, 2], 1, given, width=40)
    assert lines[0] == "     Q: Why the pumps?" and lines[1] == "     A: They dose by weight.  [output → output]"
    assert lines[2].startswith("G    Q: Why does that matter?") and lines[3].endswith("…  [outcome → outcome]")
    assert lines[4].startswith(" P   Q: And now?")


def test_cross_validation_folds_hold_every_interview_once_in_parts_of_near_equal_size():
    folds = script("cross_validate").folds
    parts = folds(list(range(52)), 7, seed=0)
    assert sorted(i for part in parts for i in part) == list(range(52))
    assert {len(part) for part in parts} == {7, 8}
    assert folds(list(range(52)), 7, seed=0) == parts
    assert folds(list(range(52)), 7, seed=1) != parts


def test_cross_validation_summary_gives_the_spread_of_each_figure():
    summary = script("cross_validate").summary
    rows = [
        {"output_vs_outcome": 0.8, "three_way": 0.7, "terminal_why": 0.6, "chain_boundaries": 0.9},
        {"output_vs_outcome": 0.9, "three_way": 0.7, "terminal_why": 0.8, "chain_boundaries": 0.9},
    ]
    spread = summary(rows)
    assert spread["output_vs_outcome"] == {"mean": 0.85, "sd": 0.071, "min": 0.8, "max": 0.9}
    assert spread["three_way"]["sd"] == 0.0
    assert spread["terminal_why"] == {"mean": 0.7, "sd": 0.141, "min": 0.6, "max": 0.8}
